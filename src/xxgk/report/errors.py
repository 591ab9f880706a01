"""Typed exceptions for "no report can be produced from this file".

Problems inside a report are findings (findings.py), never exceptions. Each exception names the file
and says specifically what is wrong, so a batch can record it and go on.
"""
from __future__ import annotations

import errno


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


class TimeLimitExceeded(CannotParse):
    """Parsing this file took longer than the per-file time limit (--time-limit)."""

    reason = "time_limit"


class OutputProblem(Exception):
    """OUT itself or its state cannot be used: the run stops with one line and its own exit code.

    `path` is what failed, `cause` why, `fix` what the operator can do about it.
    """

    exit_code = 4

    def __init__(self, path: str, cause: str, fix: str):
        super().__init__(str(path), cause, fix)  # all in args: the exception crosses from workers
        self.path, self.cause, self.fix = str(path), cause, fix

    def __str__(self) -> str:
        return f"{self.path}: {self.cause}; {self.fix}"


class OutputBusy(OutputProblem):
    """Another run holds the output folder (overlapping cron jobs)."""

    exit_code = 3


class OutputNotWritable(OutputProblem):
    """OUT or its state cannot be written: read-only, permissions, an immutable file, an I/O error."""

    exit_code = 4


class OutputFull(OutputProblem):
    """The disk (or the quota) of OUT is full."""

    exit_code = 5


class OutputUnsafe(OutputProblem):
    """OUT or OUT/.xxgk is not what it must be (a file, a symbolic link leading out of OUT)."""

    exit_code = 6


_FULL = {errno.ENOSPC, errno.EDQUOT}
_NOT_WRITABLE = {errno.EROFS: ("the filesystem is read-only", "mount it read-write or choose another --out folder"),
                 errno.EACCES: ("permission denied", "give this user write permission or choose another --out folder"),
                 errno.EPERM: ("operation not permitted (an immutable or append-only file? see lsattr)",
                               "remove the attribute (chattr -i) or choose another --out folder"),
                 errno.EIO: ("input/output error", "check the disk of the output folder")}
ENVIRONMENT_ERRNOS = _FULL | set(_NOT_WRITABLE)


def output_problem(error: OSError, path: object) -> OutputProblem:
    """The OutputProblem an OSError on OUT (or a file in it) amounts to."""
    where = error.filename if error.filename is not None else path
    if error.errno in _FULL:
        return OutputFull(where, f"the disk is full ({error.strerror})",
                          "free space on the disk of the output folder, then run again")
    cause, fix = _NOT_WRITABLE.get(error.errno, (error.strerror or str(error), "check the output folder and its disk"))
    return OutputNotWritable(where, f"cannot write: {cause}", fix)


def state_problem(error: Exception, path: object, what: str = "the state database") -> OutputProblem | None:
    """The OutputProblem a sqlite error on the state database (or on the database `what` names, at `path`)
    amounts to; None when the database is damaged."""
    text = str(error).lower()
    if "full" in text:
        return OutputFull(path, f"the disk is full ({what} cannot grow)",
                          "free space on the disk of the output folder, then run again")
    for words, cause in (("readonly", f"{what} is read-only"),
                         ("unable to open", f"{what} cannot be opened"),
                         ("disk i/o", f"input/output error on {what}"),
                         ("locked", f"{what} is locked by another program")):
        if words in text:
            return OutputNotWritable(path, f"cannot write: {cause}",
                                     "make the output folder writable (or remove the lock holder), then run again")
    return None


class NameCollision(Exception):
    """Two different input files would be written to one output name."""

    def __init__(self, name: str, first: str, second: str):
        super().__init__(name, first, second)
        self.name, self.first, self.second = name, first, second

    def __str__(self) -> str:
        return (f"two inputs would be written to one output, {self.name}.json: {self.first} and {self.second}; "
                "extract them in separate runs (each with its own --out) or rename one")


class NoInputs(Exception):
    """No input file was found: nothing is changed (an empty or unmounted input folder)."""

    exit_code = 7


class PruneRefused(Exception):
    """--prune would delete more outputs than --max-delete allows."""

    exit_code = 8
