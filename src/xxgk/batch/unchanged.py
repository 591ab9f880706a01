"""Whether an input and its output are as the last run that parsed it left them: then it is not parsed
again.

The input: by size and mtime, else (same size, another mtime: touched, copied, checked out) by the
digest of its bytes. Its report JSON in OUT (not with --jsonl): by size and mtime as written, else by
the digest of the bytes written, which the state keeps. A copied or restored OUT (`cp -r`, rsync
without -t, a tar extract, a checkout) has every JSON intact under new mtimes: each is read once to
check it, and the state (and the cache of rendered rows) keeps its new mtime, so the next run only
stats it again. A JSON edited, truncated or replaced since is written again from its input. A run
whose files all have their mtimes hashes nothing. Each check reads at most what it is checking
against (`max_bytes` of an input, the written size of a JSON).
"""
from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from xxgk.batch.inputs import Input, output_path
from xxgk.batch.state import State
from xxgk.report.errors import UnsafeOutputPath
from xxgk.sources.long_paths import open_path, stat_path

_HASH_CHUNK = 1 << 20


def output_digest(content: bytes) -> str:
    """The digest of a report JSON's bytes as written, kept in the state."""
    return hashlib.blake2b(content, digest_size=16).hexdigest()


def unchanged(state: State, item: Input, out: Path, max_bytes: int, jsonl: bool = False,
              altered: list[str] | None = None,
              on_restored: Callable[[str, tuple[int, int], int], None] | None = None) -> bool:
    """Whether `item` need not be parsed again (see the module docstring); a JSON there but not as
    written is added to `altered`; `on_restored(relative, (size, mtime_ns) as written, mtime_ns now)`
    for one found intact under another mtime."""
    entry = state.get(item.relative)
    if entry is None or entry.version != state.key or (jsonl and not entry.has_json):
        return False
    try:
        written = None if jsonl else os.stat(output_path(out, item.relative))
        status = stat_path(item.path)
    except (OSError, ValueError, UnsafeOutputPath):
        return False
    if written is not None and (not stat.S_ISREG(written.st_mode) or written.st_size != (entry.output or (-1,))[0]):
        return _altered(item, altered)
    if (status.st_size, status.st_mtime_ns) != (entry.size, entry.mtime_ns):
        if status.st_size != entry.size or entry.sha256 is None or status.st_size > max_bytes:
            return False
        if _sha256(item.path, max_bytes) != entry.sha256:
            return False
    if written is not None and written.st_mtime_ns != entry.output[1]:
        if entry.output_digest is None or _json_digest(out, item.relative, written.st_size) != entry.output_digest:
            return _altered(item, altered)
        state.restored(item.relative, written.st_mtime_ns)
        if on_restored is not None:
            on_restored(item.relative, entry.output, written.st_mtime_ns)
    state.touch(item.relative, status.st_size, status.st_mtime_ns)
    return True


def _altered(item: Input, altered: list[str] | None) -> bool:
    if altered is not None:
        altered.append(item.relative)
    return False


def _json_digest(out: Path, relative: str, size: int) -> str | None:
    """The digest of a report JSON of `size` bytes, None when it cannot be read or is not that long."""
    try:  # not blocking on a pipe put there since it was looked at (output_path keeps links inside OUT)
        handle = os.open(output_path(out, relative), os.O_RDONLY | os.O_NONBLOCK)
    except (OSError, UnsafeOutputPath):
        return None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        parts, left = [], size + 1  # one byte more than written: a longer file is not the one written
        while left > 0 and (part := os.read(handle, min(_HASH_CHUNK, left))):
            parts.append(part)
            left -= len(part)
        content = b"".join(parts)
    except OSError:
        return None
    finally:
        os.close(handle)
    return output_digest(content) if len(content) == size else None


def _sha256(path: Path, max_bytes: int) -> str | None:
    """The digest of a file read in chunks, at most `max_bytes` + 1 bytes (a bigger file is changed)."""
    digest = hashlib.sha256()
    left = max_bytes + 1
    try:
        with open_path(path) as handle:
            while left > 0 and (chunk := handle.read(min(_HASH_CHUNK, left))):
                digest.update(chunk)
                left -= len(chunk)
    except OSError:
        return None
    return digest.hexdigest() if left > 0 else None
