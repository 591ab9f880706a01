"""Stage 1, read: a file's bytes, refused early when they cannot be a text report."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from xxgk.sources.decode import utf16_encoding
from xxgk.report.errors import BinaryFile, EmptyFile, TooLarge, UnreadableFile
from xxgk.sources.formats import DOCUMENT_SUFFIXES
from xxgk.sources.long_paths import open_path, stat_path, too_long

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
HARD_MAX_BYTES = 256 * 1024 * 1024  # read in no case: parsing needs several times a file's size in memory
HEAD = 65536  # bytes judged before the rest is read
CHUNK = 1024 * 1024

# Leading bytes of formats that scrapers save under text names.
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc/.xls)"),
    (b"\x7fELF", "an executable"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, bool]:
    """(the file's bytes, whether the file changed while it was read).

    Raises a CannotParse subclass when the file cannot be read or is over the limit; what the
    bytes hold is judged by `check_text_bytes`, which the pipeline runs on every input. Memory is
    bounded by design: never more than min(max_bytes, HARD_MAX_BYTES) is read, and reading stops
    at the first chunk that is plainly binary (a sparse file of NUL bytes costs one chunk).
    """
    name = str(path)
    limit = min(max_bytes, HARD_MAX_BYTES)
    option = "--max-bytes" if limit == max_bytes else "the ceiling xxgk reads in any case, whatever --max-bytes"
    try:
        before = stat_path(path)  # also under a path too long for one call (long_paths.py)
        if not stat.S_ISREG(before.st_mode):
            kind = "a directory" if stat.S_ISDIR(before.st_mode) else "not a regular file (a pipe, socket or device)"
            raise UnreadableFile(name, f"is {kind}")
        if before.st_size > limit:
            raise TooLarge(name, f"file is {before.st_size:,} bytes, over the {limit:,}-byte limit ({option})")
        # PDF and Word files are binary: their readers judge them (formats.py)
        with open_path(path) if too_long(path) else open(path, "rb") as handle:
            data = handle.read(limit + 1) if name.lower().endswith(DOCUMENT_SUFFIXES) else \
                _read_text_chunks(name, handle, limit)
        after = stat_path(path)
    except PermissionError:
        raise UnreadableFile(name, "permission denied") from None
    except FileNotFoundError:
        detail = "is a broken symbolic link" if os.path.islink(path) else "file disappeared before it could be read"
        raise UnreadableFile(name, detail) from None
    except OSError as error:
        raise UnreadableFile(name, f"cannot be read: {error.strerror or error}") from None
    if len(data) > limit:
        raise TooLarge(name, f"file grew past the {limit:,}-byte limit while being read")
    changed = (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(data) != after.st_size
    return data, changed


def _read_text_chunks(name: str, handle, limit: int) -> bytes:
    """At most limit + 1 bytes, in chunks; a first 64 KB or a later chunk that is binary stops the read."""
    chunks: list[bytes] = []
    size = 0
    nul_allowed = False
    while size <= limit:
        chunk = handle.read(min(HEAD if not chunks else CHUNK, limit + 1 - size))
        if not chunk:
            break
        if not chunks:
            _check_head(name, chunk)
            nul_allowed = chunk.startswith(_UTF16_BOMS) or (0 in chunk and (_looks_utf16(chunk)
                                                                           or bool(utf16_encoding(chunk))))
        elif not nul_allowed and (nul := chunk.count(0)) > len(chunk) // 1000:
            raise BinaryFile(name, f"file holds {nul:,} NUL bytes in the {len(chunk):,} bytes from byte {size:,}: "
                                   "binary data, not text")
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks) if len(chunks) != 1 else chunks[0]


def _check_head(name: str, head: bytes) -> None:
    """The magic and NUL checks of `check_text_bytes` on a file's first bytes, before reading on."""
    if head.strip():
        check_text_bytes(name, head)


def check_text_bytes(name: str, data: bytes) -> None:
    """Raise when the bytes are empty or plainly binary."""
    if not data.strip():
        raise EmptyFile(name, "file is empty" if not data else "file holds only whitespace")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryFile(name, f"file is {what}, not text")
    if data.startswith(_UTF16_BOMS):
        return
    head = data[:HEAD]
    nul = head.count(0)
    if nul > len(head) // 1000 and not _looks_utf16(head) and not utf16_encoding(data):
        raise BinaryFile(name, f"file holds {nul} NUL bytes in its first {len(head):,}: binary data, not text")


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: NUL bytes sit on one parity only."""
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    return (even == 0) != (odd == 0) and max(even, odd) > len(head) // 8
