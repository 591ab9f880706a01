"""Stage 1, read: a file's bytes, refused early when they cannot be a text report."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import BinaryFile, EmptyFile, TooLarge, UnreadableFile

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

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
    bytes hold is judged by `check_text_bytes`, which the pipeline runs on every input.
    """
    name = str(path)
    try:
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            kind = "a directory" if stat.S_ISDIR(before.st_mode) else "not a regular file (a pipe, socket or device)"
            raise UnreadableFile(name, f"is {kind}")
        if before.st_size > max_bytes:
            raise TooLarge(name, f"file is {before.st_size:,} bytes, over the {max_bytes:,}-byte limit (--max-bytes)")
        with open(path, "rb") as handle:
            data = handle.read(before.st_size + 1)  # not max_bytes + 1: that allocates the limit each time
            if len(data) > before.st_size:  # the file grew since stat: read on, still bounded
                data += handle.read(max_bytes + 1 - len(data))
        after = os.stat(path)
    except PermissionError:
        raise UnreadableFile(name, "permission denied") from None
    except FileNotFoundError:
        detail = "is a broken symbolic link" if os.path.islink(path) else "file disappeared before it could be read"
        raise UnreadableFile(name, detail) from None
    except OSError as error:
        raise UnreadableFile(name, f"cannot be read: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise TooLarge(name, f"file grew past the {max_bytes:,}-byte limit while being read")
    changed = (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(data) != after.st_size
    return data, changed


def check_text_bytes(name: str, data: bytes) -> None:
    """Raise when the bytes are empty or plainly binary."""
    if not data.strip():
        raise EmptyFile(name, "file is empty" if not data else "file holds only whitespace")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryFile(name, f"file is {what}, not text")
    if data.startswith(_UTF16_BOMS):
        return
    head = data[:65536]
    nul = head.count(0)
    if nul and not _looks_utf16(head) and nul > len(head) // 1000:
        raise BinaryFile(name, f"file holds {nul} NUL bytes in its first {len(head):,}: binary data, not text")


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: NUL bytes sit on one parity only."""
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    return (even == 0) != (odd == 0) and max(even, odd) > len(head) // 8
