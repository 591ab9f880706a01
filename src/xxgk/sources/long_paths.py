"""Input files under a path longer than one system call can name (PATH_MAX: 4,096 bytes on Linux).

Such a file cannot be opened, nor even looked at, by its path: every call fails with "File name too
long". Opened a folder at a time instead, each step relative to the folder opened before it, it is
read like any other file, so a deep scraped tree loses no report. Paths of the usual length take the
plain calls (one length check more).
"""
from __future__ import annotations

import os
from typing import BinaryIO

_LIMIT = 4000  # bytes one call may name, below PATH_MAX (4,096 with its final NUL) with a margin
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)


def too_long(path: str | os.PathLike) -> bool:
    """Whether `path` is too long for one system call."""
    text = os.fspath(path)
    return len(text) * 4 >= _LIMIT and len(os.fsencode(text)) >= _LIMIT  # UTF-8: 4 bytes a character at most


def open_folder_of(path: str | os.PathLike) -> tuple[int, bytes]:
    """(a descriptor of the folder that holds `path`, the last name of `path`), the folder opened in
    pieces each short enough for one call; the caller closes the descriptor."""
    raw = os.fsencode(path)
    head, _, name = raw.rpartition(b"/")
    pieces: list[bytes] = []
    piece = b""
    for part in head.split(b"/"):
        if not part:
            continue
        joined = piece + b"/" + part if piece else part
        if len(joined) >= _LIMIT:
            pieces.append(piece)
            joined = part
        piece = joined
    if piece:
        pieces.append(piece)
    folder = os.open(b"/" if raw.startswith(b"/") else b".", _FOLDER)
    try:
        for piece in pieces:
            deeper = os.open(piece, _FOLDER, dir_fd=folder)
            os.close(folder)
            folder = deeper
    except BaseException:
        os.close(folder)
        raise
    return folder, name


def stat_path(path: str | os.PathLike) -> os.stat_result:
    """`os.stat(path)`, also for a path too long for one call."""
    if not too_long(path):
        return os.stat(path)
    folder, name = open_folder_of(path)
    try:
        return os.stat(name, dir_fd=folder)
    finally:
        os.close(folder)


def open_path(path: str | os.PathLike) -> BinaryIO:
    """`open(path, "rb")`, also for a path too long for one call."""
    if not too_long(path):
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    folder, name = open_folder_of(path)
    try:
        handle = os.open(name, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0), dir_fd=folder)
    finally:
        os.close(folder)
    return open(handle, "rb")  # noqa: SIM115
