"""Typed exceptions for "no report can be produced from this file".

Problems inside a report are findings (findings.py), never exceptions. Each exception names the file
and says specifically what is wrong, so a batch can record it and go on.
"""
from __future__ import annotations


class CannotParse(Exception):
    """Base class: the file cannot yield a report. `reason` is a stable short code."""

    reason = "unreadable_file"

    def __init__(self, path: str, detail: str):
        self.path = path
        self.detail = detail
        super().__init__(f"{path}: {detail}")


class UnreadableFile(CannotParse):
    """The file cannot be opened or read (permissions, vanished, a directory, I/O error)."""

    reason = "unreadable_file"


class EmptyFile(CannotParse):
    """The file holds no bytes, or only whitespace."""

    reason = "empty_file"


class BinaryFile(CannotParse):
    """The bytes are a PDF, an image, an archive or other binary data, not text."""

    reason = "binary_file"


class UnsupportedFormat(CannotParse):
    """A document format xxgk does not read (.doc, .wps, .rtf, .odt): the finding says how to convert it."""

    reason = "unsupported_format"


class NoTextLayer(CannotParse):
    """A PDF whose pages hold no text (a scan): the text is not in the file."""

    reason = "no_text_layer"


class EncryptedDocument(CannotParse):
    """A PDF that needs a password to be read."""

    reason = "encrypted_document"


class DamagedDocument(CannotParse):
    """A PDF or Word file that is damaged, or stops being read at a bound (a decompression bomb)."""

    reason = "damaged_document"


class TooLarge(CannotParse):
    """The file is larger than the configured limit."""

    reason = "too_large"


class UndecodableText(CannotParse):
    """No text encoding decodes the bytes into plausible text."""

    reason = "undecodable_text"


class NotAReport(CannotParse):
    """The text decodes but is not an information-disclosure annual report."""

    reason = "not_a_report"


class InternalError(CannotParse):
    """The parser failed on this file: a bug, recorded so the batch goes on."""

    reason = "internal_error"


class UnsafeOutputPath(CannotParse):
    """The output path for this input would leave the output folder."""

    reason = "unsafe_output_path"
