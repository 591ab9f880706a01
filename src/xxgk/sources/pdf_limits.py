"""Bounds on what pdfminer may decompress, so a decompression bomb costs bounded memory and time.

pdfminer inflates each stream whole (`zlib.decompress`). `install` gives its stream module a zlib whose
`decompress` stops at MAX_STREAM_BYTES per stream and at MAX_DECODED_BYTES for the file being read
(`reset` starts a file), raising OverLimit; LZW streams get the same bound. Installed once, on the
first PDF, and only in pdfminer's own module.
"""
from __future__ import annotations

import zlib

MAX_STREAM_BYTES = 64 * 1024 * 1024
MAX_DECODED_BYTES = 256 * 1024 * 1024
_CHUNK = 1 << 20


class OverLimit(Exception):
    """A stream or the file inflates past its bound."""


_budget = [MAX_DECODED_BYTES]


def reset() -> None:
    _budget[0] = MAX_DECODED_BYTES


def _take(size: int) -> None:
    _budget[0] -= size
    if _budget[0] < 0:
        raise OverLimit(f"its streams inflate to more than {MAX_DECODED_BYTES // 2**20} MiB")


def bounded_decompress(data: bytes, *args, **kwargs) -> bytes:
    """zlib.decompress that stops past the bounds instead of filling memory."""
    inflater = zlib.decompressobj(*args, **kwargs)
    out = inflater.decompress(data, MAX_STREAM_BYTES + 1)
    if len(out) > MAX_STREAM_BYTES or inflater.unconsumed_tail:
        raise OverLimit(f"a stream inflates to more than {MAX_STREAM_BYTES // 2**20} MiB")
    if not inflater.eof:
        raise zlib.error("incomplete or truncated stream")
    _take(len(out))
    return out


class _BoundedZlib:
    """The zlib module as pdfminer's stream code sees it: everything as is but `decompress`."""

    def __getattr__(self, name: str):
        return getattr(zlib, name)

    decompress = staticmethod(bounded_decompress)


def _bounded_corrupted(data: bytes) -> bytes:
    """pdfminer's fallback for a stream with a bad checksum, bounded (and linear, not byte by byte)."""
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    for start in range(0, len(data), _CHUNK):
        try:
            part = inflater.decompress(data[start:start + _CHUNK], MAX_STREAM_BYTES + 1 - size)
        except zlib.error:
            break  # what came before the damage is kept, as pdfminer does
        size += len(part)
        if size > MAX_STREAM_BYTES or inflater.unconsumed_tail:
            raise OverLimit(f"a stream inflates to more than {MAX_STREAM_BYTES // 2**20} MiB")
        parts.append(part)
    _take(size)
    return b"".join(parts)


def _bounded_lzw(data: bytes) -> bytes:
    from io import BytesIO

    from pdfminer.lzw import LZWDecoder

    size = 0
    parts = []
    for part in LZWDecoder(BytesIO(data)).run():
        size += len(part)
        if size > MAX_STREAM_BYTES:
            raise OverLimit(f"an LZW stream inflates to more than {MAX_STREAM_BYTES // 2**20} MiB")
        parts.append(part)
    _take(size)
    return b"".join(parts)


def install() -> None:
    from pdfminer import pdftypes

    if isinstance(pdftypes.zlib, _BoundedZlib):
        return
    pdftypes.zlib = _BoundedZlib()
    pdftypes.decompress_corrupted = _bounded_corrupted
    pdftypes.lzwdecode = _bounded_lzw
