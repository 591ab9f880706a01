"""Walking the inputs and naming the outputs: which files a run reads and where their JSON goes."""
from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import UnsafeOutputPath
from .formats import DOCUMENT_SUFFIXES

TEXT_SUFFIXES = (".txt", ".md", ".text")
HTML_SUFFIXES = (".html", ".htm", ".shtml")
INPUT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + DOCUMENT_SUFFIXES  # PDF and Word: formats.py


@dataclass(frozen=True)
class Input:
    path: Path
    relative: str  # POSIX path under the input root, used for the output name


def find_inputs(paths: list[Path], suffixes: tuple[str, ...] = INPUT_SUFFIXES) -> Iterator[Input]:
    """Files named on the command line, and report files under named folders, in a stable order.

    Output names: under a single folder, the path below it; a single file, its name; with several
    arguments, each folder's files under the folder's name and each file under the path as given.
    Symbolic links to folders are followed once: a link loop cannot make the walk run forever.
    """
    several = len(paths) > 1
    for root in paths:
        if root.is_dir():
            yield from _walk(root, _root_prefix(root) if several else "", suffixes)
        else:
            yield Input(root, _given_name(root) if several else root.name)


def _root_prefix(root: Path) -> str:
    name = root.resolve().name if root.name in ("", ".", "..") else root.name
    return f"{name}/"


def _given_name(path: Path) -> str:
    """A file argument's path as given when it stays inside the current folder, else its name."""
    parts = [part for part in path.parts if part not in ("", ".")]
    return "/".join(parts) if parts and not path.is_absolute() and ".." not in parts else path.name


def _walk(root: Path, prefix: str, suffixes: tuple[str, ...]) -> Iterator[Input]:
    seen: set[tuple[int, int]] = set()
    for folder, folders, files in os.walk(root, followlinks=True):
        try:
            status = os.stat(folder)
        except OSError:
            folders[:] = []
            continue
        if (status.st_dev, status.st_ino) in seen:
            folders[:] = []
            continue
        seen.add((status.st_dev, status.st_ino))
        folders.sort()
        for name in sorted(files):
            if name.lower().endswith(suffixes) and not name.startswith("."):
                path = Path(folder) / name
                yield Input(path, prefix + path.relative_to(root).as_posix())


def output_path(out: Path, relative: str) -> Path:
    """OUT/<relative>.json; raises UnsafeOutputPath for any name or link that would leave OUT."""
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    if not parts or ".." in parts or relative.startswith("/"):
        raise UnsafeOutputPath(relative, "the output name would leave the output folder")
    root = os.fspath(out)
    folder = os.path.join(root, *parts[:-1])
    path = os.path.join(folder, parts[-1] + ".json")
    if not _inside(folder, root) or (os.path.islink(path) and not _inside(path, root)):
        raise UnsafeOutputPath(relative, f"a symbolic link inside {out} would take the output outside it")
    return Path(path)


@functools.lru_cache(maxsize=4096)
def _inside(path: str, root: str) -> bool:
    """Whether `path`, with every link followed, lies under `root` (cached per folder: one walk each)."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
