"""Writing results: one JSON per report and the combined CSVs, always atomically.

A file appears under its final name only when it is complete (written under a temporary name in
its folder or in the writing process's scratch folder, then renamed), so a run killed at any
moment leaves no half-written output.
"""
from __future__ import annotations

import csv
import errno
import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import orjson

from xxgk.gate.compare import CANONICAL_KEYS
from xxgk.report.model import Report

SOURCE_COLUMNS = ("source.path", "source.sha256", "source.size", "source.encoding", "source.layout",
                  "source.script", "parsed")
META_COLUMNS = ("meta.template", "meta.year", "meta.agency", "meta.title", "meta.published", "meta.index_no")
FINDING_COLUMNS = ("findings.errors", "findings.warnings", "findings.info", "findings.codes")
REPORT_COLUMNS = (*SOURCE_COLUMNS, *META_COLUMNS, *FINDING_COLUMNS, *CANONICAL_KEYS)
FINDINGS_CSV_COLUMNS = ("source.path", "code", "severity", "key", "keys", "line", "message", "message_zh")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def report_json(report: Report | dict) -> str:
    """The JSON text of a report (a `Report` or its JSON data), as written to OUT: indented, UTF-8."""
    return report_bytes(report).decode("utf-8")


def report_bytes(report: Report | dict) -> bytes:
    data = report if isinstance(report, dict) else report.model_dump(mode="json")
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def report_line(report: Report | dict) -> bytes:
    """A report as one line of reports.jsonl (--jsonl): the JSON of `report_bytes`, compact, then a newline."""
    data = report if isinstance(report, dict) else report.model_dump(mode="json")
    return orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE)


def write_atomic(path: Path, content: str | bytes, durable: bool = False, scratch: Path | None = None) -> None:
    """Write `content` to `path` so that readers see either the old file or the whole new one.

    The rename is atomic against the process being killed at any moment; `durable` also flushes
    the data to the disk first, which costs a disk sync per file and only matters on power loss.
    `scratch`, a folder of this process on the same filesystem, holds the temporary file instead
    of the target's folder: processes writing into one folder then share only the rename (on ext4
    two processes creating files in one folder each pay about twice the system time).
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    folder = scratch if scratch is not None else path.parent
    temporary = folder / _temporary_name(path.name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        try:
            handle = os.open(temporary, flags, 0o666)
        except FileNotFoundError:
            folder.mkdir(parents=True, exist_ok=True)
            handle = os.open(temporary, flags, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
            if durable:
                os.fsync(handle)
        finally:
            os.close(handle)
        try:
            os.replace(temporary, path)
        except FileNotFoundError:  # the target's folder does not exist yet
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        if scratch is not None and error.errno == errno.EXDEV:  # a mount inside OUT: write next to the target
            write_atomic(path, data, durable)
            return
        raise
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _temporary_name(name: str) -> str:
    """`.NAME.PID.tmp`, or a digest of NAME in its place when that would be too long for the filesystem."""
    temporary = f".{name}.{os.getpid()}.tmp"
    if len(os.fsencode(temporary)) > 240:
        temporary = f".{hashlib.sha256(os.fsencode(name)).hexdigest()[:24]}.{os.getpid()}.tmp"
    return temporary


def safe_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet cannot run as a formula (numbers stay numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _column_groups() -> list[tuple[list[str], list[str]]]:
    """REPORT_COLUMNS as (parent path, leaf keys) runs, so each parent object is looked up once."""
    groups: list[tuple[list[str], list[str]]] = []
    for column in REPORT_COLUMNS:
        *parent, leaf = column.split(".")
        if groups and groups[-1][0] == parent:
            groups[-1][1].append(leaf)
        else:
            groups.append((parent, [leaf]))
    return groups


_GROUPS = _column_groups()


def report_row(data: dict) -> list[Any]:
    """The reports.csv row of a report given as JSON data."""
    findings = data.get("findings") or []
    summary = {
        "findings": {
            "errors": sum(item["severity"] == "error" for item in findings),
            "warnings": sum(item["severity"] == "warning" for item in findings),
            "info": sum(item["severity"] == "info" for item in findings),
            "codes": " ".join(sorted({item["code"] for item in findings})),
        }
    }
    row: list[Any] = []
    for parent, leaves in _GROUPS:
        node: Any = summary if parent[:1] == ["findings"] else data
        for part in parent:
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            row.extend([""] * len(leaves))
            continue
        row.extend(["" if value is None else value if type(value) in _NUMBERS else safe_cell(value)
                    for value in map(node.get, leaves)])  # most cells are numbers or blank: no call for them
    return row


_NUMBERS = (int, float)  # not bool, which safe_cell spells out


def finding_rows(data: dict) -> list[list[Any]]:
    path = (data.get("source") or {}).get("path")
    return [[safe_cell(value) for value in (path, item["code"], item["severity"], item.get("key"),
                                            " ".join(item.get("keys") or ()), item.get("line"), item["message"],
                                            item.get("message_zh") or "")]
            for item in data.get("findings") or []]


class CsvSink:
    """A CSV written row by row into a temporary file and renamed into place on `commit`.

    The temporary file is in `scratch` (the process's folder under OUT/.xxgk) when given, so a
    killed run leaves nothing in OUT itself; it is created with mode 0666 less the umask.
    """

    def __init__(self, path: Path, header: tuple[str, ...], scratch: Path | None = None):
        self.path = path
        folder = scratch if scratch is not None else path.parent
        folder.mkdir(parents=True, exist_ok=True)
        self._temporary = folder / f".{path.name}.{os.getpid()}.tmp"
        handle = os.open(self._temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o666)
        self._stream = os.fdopen(handle, "w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._stream)
        self._writer.writerow(header)

    def write(self, rows: list[list[Any]]) -> None:
        self._writer.writerows(rows)

    def write_bytes(self, data: bytes) -> None:
        """Rows already written as CSV, UTF-8 (rendered.py renders them once and caches them)."""
        self._stream.flush()  # what the writer holds goes first
        self._stream.buffer.write(data)

    def commit(self) -> None:
        self._stream.flush()
        os.fsync(self._stream.fileno())
        self._stream.close()
        try:
            os.replace(self._temporary, self.path)
        except OSError as error:
            if error.errno != errno.EXDEV:
                raise
            beside = self.path.with_name(self._temporary.name)  # scratch on another filesystem: copy beside
            try:
                shutil.copyfile(self._temporary, beside)
                os.replace(beside, self.path)
            finally:
                beside.unlink(missing_ok=True)
                self._temporary.unlink(missing_ok=True)

    def abandon(self) -> None:
        if not self._stream.closed:
            self._stream.close()
        self._temporary.unlink(missing_ok=True)


class LineSink(CsvSink):
    """reports.jsonl (--jsonl) written line by line (bytes) like a CsvSink, renamed into place on `commit`."""

    def __init__(self, path: Path, scratch: Path | None = None):
        self.path = path
        folder = scratch if scratch is not None else path.parent
        folder.mkdir(parents=True, exist_ok=True)
        self._temporary = folder / f".{path.name}.{os.getpid()}.tmp"
        handle = os.open(self._temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o666)
        self._stream = os.fdopen(handle, "wb")

    def write(self, line: bytes) -> None:  # type: ignore[override]
        self._stream.write(line)
