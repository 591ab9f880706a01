"""Walking the inputs and naming the outputs: which files a run reads and where their JSON goes.

Output names: a folder's files under their path below the folder, a file argument under its own
name, whatever else is given; so adding an input root never renames the outputs of the others.
Two different files that would get one name stop the run before anything is written
(`InputWalk.check_names`); one file reached twice (a folder and a file inside it) is read once.
A name component that is not UTF-8, holds control characters or is too long for the output (and
its temporary) name becomes a stable readable prefix plus a digest of the original bytes. A folder whose
path is too long for one system call (PATH_MAX) is listed through descriptors and its files read the
same way (sources/long_paths.py): they get their records like any other.
"""
from __future__ import annotations

import errno
import fnmatch
import functools
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from xxgk.report.errors import CannotParse, NameCollision, UnsafeOutputPath
from xxgk.sources.formats import DOCUMENT_SUFFIXES
from xxgk.sources.long_paths import open_folder_of, open_path, stat_path
from xxgk.sources.read import check_text_bytes

TEXT_SUFFIXES = (".txt", ".md", ".text")
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".jhtml", ".jsp", ".aspx", ".asp", ".php")
INPUT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + DOCUMENT_SUFFIXES  # PDF and Word: formats.py
_NAME_BYTES = 200    # a name component longer than this (UTF-8 bytes) is shortened ...
_SHORT_BYTES = 120   # ... to this readable prefix, a digest and its suffix
_PATH_BYTES = 1000   # a longer relative name keeps its first folders and folds the rest into a digest
_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class Input:
    path: Path
    relative: str  # POSIX output name below OUT (without .json), also the record's source.path


@dataclass(frozen=True)
class Selection:
    """Which files of a folder are read. Files named on the command line are always read; hidden
    folders (.git, an OUT/.xxgk inside the input) are never walked, nor is `out` below an input
    folder: its outputs read back (--include '*.json') made one more level of outputs every run.

    With `include` patterns only matching files are read; otherwise files with a report suffix, and
    files without any suffix whose first bytes are text. `exclude` patterns then remove files.
    A pattern with a `/` matches the path below the folder, one without matches the file name.
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = INPUT_SUFFIXES
    out: Path | None = None  # the run's output folder: not walked when it lies inside an input folder

    def wants(self, path: str, below: str) -> bool:
        name = below.rsplit("/", 1)[-1]
        if self.include:
            chosen = _matches(self.include, below, name)
        else:
            chosen = not name.startswith(".") and (name.lower().endswith(self.suffixes)
                                                   or ("." not in name and _looks_like_text(path)))
        return chosen and not _matches(self.exclude, below, name)


def _matches(patterns: tuple[str, ...], below: str, name: str) -> bool:
    return any(fnmatch.fnmatchcase(below if "/" in pattern else name, pattern.strip("/")) for pattern in patterns)


def _looks_like_text(path: str) -> bool:
    """An extension-less file is read when it is a regular file whose first bytes could be text."""
    try:
        if not stat.S_ISREG(stat_path(path).st_mode):
            return False
        with open_path(path) as handle:
            head = handle.read(_SNIFF_BYTES)
        check_text_bytes(path, head)
    except (OSError, CannotParse):
        return False
    return True


class InputWalk:
    """The inputs of a run, in a stable order; afterwards `skipped` counts the files of the folders
    that were not selected and `unreadable` lists (output prefix, message) of folders that could not
    be read. Symbolic links to folders are followed once: a link loop cannot make the walk run forever."""

    def __init__(self, paths: list[Path], selection: Selection = Selection()):
        self.paths = list(paths)
        self.selection = selection
        self.skipped = 0
        self.unreadable: list[tuple[str, str]] = []

    def __iter__(self) -> Iterator[Input]:
        self.skipped = 0
        self.unreadable = []
        reached: set[str] | None = set() if len(self.paths) > 1 else None
        for root in self.paths:
            items = self._walk(root) if root.is_dir() else iter([Input(root, output_name([root.name]))])
            for item in items:
                if reached is not None:
                    real = os.path.realpath(item.path)
                    if real in reached:
                        continue
                    reached.add(real)
                yield item

    def check_names(self) -> None:
        """Raise NameCollision when two different files would be written to one output (several inputs)."""
        if len(self.paths) < 2:
            return
        names: dict[str, Path] = {}
        for item in InputWalk(self.paths, self.selection):
            first = names.setdefault(item.relative, item.path)
            if first != item.path:
                raise NameCollision(item.relative, str(first), str(item.path))

    def _walk(self, root: Path) -> Iterator[Input]:
        seen: set[tuple[int, int]] = self._output_folder(root)
        deep: list[str] = []  # folders whose path is too long for one system call

        def unreadable(error: OSError) -> None:
            if error.errno == errno.ENAMETOOLONG and error.filename:
                deep.append(os.fsdecode(error.filename))
            else:
                self._unreadable(root, error.filename, f"{error.filename}: {error.strerror or error}")

        for folder, folders, files in os.walk(root, followlinks=True, onerror=unreadable):
            try:
                status = os.stat(folder)
            except OSError:
                folders[:] = []
                continue
            if (status.st_dev, status.st_ino) in seen:
                folders[:] = []
                continue
            seen.add((status.st_dev, status.st_ino))
            folders[:] = sorted(name for name in folders if not name.startswith("."))  # .git, OUT/.xxgk
            yield from self._files(root, folder, files)
        for folder in deep:
            yield from self._walk_deep(root, folder)

    def _output_folder(self, root: Path) -> set[tuple[int, int]]:
        """(device, inode) of the run's output folder when it is not `root` itself: never walked."""
        try:
            out, top = os.stat(self.selection.out), os.stat(root)
        except (OSError, TypeError, ValueError):  # no output folder (check), or not there yet
            return set()
        return set() if (out.st_dev, out.st_ino) == (top.st_dev, top.st_ino) else {(out.st_dev, out.st_ino)}

    def _unreadable(self, root: Path, folder: str | None, message: str) -> None:
        below = os.path.relpath(folder, root) if folder else "."
        parts = [] if below == "." else below.split(os.sep)
        self.unreadable.append((output_name(parts, folder=True) if parts else "", message))

    def _walk_deep(self, root: Path, top: str) -> Iterator[Input]:
        """The files under a folder whose path is too long for one system call ("File name too long"):
        listed through descriptors, each folder opened relative to its parent (symbolic links to folders
        are not followed there), and read the same way (long_paths.py). A folder below it that cannot
        be read is reported as `top` (its own path is not known)."""
        def unreadable(error: OSError) -> None:
            self._unreadable(root, top, f"{top}: a folder below it ({os.fsdecode(error.filename or '?')}): "
                                        f"{error.strerror or error}")

        try:
            parent, name = open_folder_of(top)
        except OSError as error:
            self._unreadable(root, top, f"{top}: {error.strerror or error}")
            return
        try:
            for below, folders, files, _ in os.fwalk(os.fsdecode(name), dir_fd=parent, onerror=unreadable):
                folders[:] = sorted(name for name in folders if not name.startswith("."))
                yield from self._files(root, os.path.join(os.path.dirname(top), below), files)
        except OSError as error:
            unreadable(error)
        finally:
            os.close(parent)

    def _files(self, root: Path, folder: str, files: list[str]) -> Iterator[Input]:
        """The selected files of one folder, by name; the others are counted as skipped."""
        below_folder = os.path.relpath(folder, root)
        parts = [] if below_folder == "." else below_folder.split(os.sep)
        for name in sorted(files):
            path = os.path.join(folder, name)
            below = "/".join([*parts, name])
            if self.selection.wants(path, os.fsdecode(below)):
                yield Input(Path(path), output_name([*parts, name]))
            else:
                self.skipped += 1


def find_inputs(paths: list[Path], selection: Selection = Selection()) -> InputWalk:
    """Files named on the command line, and report files under named folders (see InputWalk)."""
    return InputWalk(paths, selection)


def output_name(parts: list[str], folder: bool = False) -> str:
    """The output name of a path below an input root, each component made safe (module docstring)."""
    names = [_component(part, last=not folder and index == len(parts) - 1) for index, part in enumerate(parts)]
    relative = "/".join(names)
    if len(relative.encode("utf-8")) <= _PATH_BYTES:
        return relative
    kept: list[str] = []
    for name in names[:-1]:
        if len("/".join(kept + [name]).encode("utf-8")) > _PATH_BYTES // 2:
            break
        kept.append(name)
    rest = "/".join(names[len(kept):-1])
    return "/".join([*kept, f"~{hashlib.sha256(os.fsencode(rest)).hexdigest()[:16]}", names[-1]])


def _component(part: str, last: bool) -> str:
    raw = os.fsencode(part)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and len(raw) <= _NAME_BYTES and text.isprintable() and text.strip() == text and text:
        return text
    readable = "".join(character if character.isprintable() else "_"
                       for character in raw.decode("utf-8", "replace")).strip() or "_"
    stem, suffix = os.path.splitext(readable) if last else (readable, "")
    if len(suffix.encode("utf-8")) > 16:
        stem, suffix = readable, ""
    while len(stem.encode("utf-8")) > _SHORT_BYTES:
        stem = stem[:-1]
    return f"{stem}~{hashlib.sha256(raw).hexdigest()[:12]}{suffix}"


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
    """Whether `path`, with every link followed, lies under `root` (cached per folder within a run)."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def forget_resolved_paths() -> None:
    """Drop the cache of `_inside`: links may have changed since the last run of this process."""
    _inside.cache_clear()


def input_folders(paths: list[Path]) -> list[tuple[Path, str]]:
    """The folder arguments and the prefix their files' output names get (none: a folder's files are
    named by their path below it, see the module docstring)."""
    return [(root, "") for root in paths if root.is_dir()]
