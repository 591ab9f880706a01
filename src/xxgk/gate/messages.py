"""`xxgk check` results as lines: plain text for a terminal, JSON Lines, or GitHub Actions workflow
commands that annotate the file and line in a pull request."""
from __future__ import annotations

import json
from pathlib import Path

from xxgk.gate.check import CheckTally, FileCheck, shown_findings


def check_summary(tally: CheckTally, updated: Path | None) -> str:
    known = f" ({tally.known} known)" if tally.known else ""
    text = (f"{tally.files} files checked: {tally.problems} problems{known}, {tally.changed} changed values, "
            f"{f'{tally.removed} removed, ' if tally.removed else ''}{tally.failed} failing")
    if updated is not None:
        text += f"; {tally.written} expected files written or deleted in {updated}"
    return text


def format_check(result: FileCheck, output_format: str) -> list[str]:
    if output_format == "json":
        return [json.dumps({
            "path": result.path, "parsed": result.parsed,
            "findings": [{**item.model_dump(mode="json"), "known": known}
                         for item, known in zip(result.findings, result.known)],
            "differences": [{"key": item.key, "expected": item.expected, "actual": item.actual, "line": item.line}
                            for item in result.differences],
            "expected_missing": result.expected_missing, "removed": result.removed, "updated": result.updated,
        }, ensure_ascii=False)]
    lines = []
    for item, known in shown_findings(result):
        level = item.severity.value
        if output_format == "github":
            kind = "notice" if known else ("error" if level == "error" else "warning")
            title = f"{item.code} {item.key or '-'}{' (known)' if known else ''}"
            lines.append(annotation(kind, result.path, item.line, title, item.message))
        else:
            lines.append(f"{_location(result.path, item.line)}: {'known ' if known else ''}{level} {item.code} "
                         f"{item.key or '-'} {item.message}")
    if result.removed:
        message = ("expected file deleted: its input has gone" if result.updated else
                   "removed: this expected file has no input any more (delete it, or run with --update)")
        lines.append(_difference_line(result.path, None, output_format, message, "removed"))
        return lines
    if result.expected_missing:
        lines.append(_difference_line(result.path, None, output_format, "no expected file (run with --update)"))
    for difference in result.differences:
        lines.append(_difference_line(result.path, difference.line, output_format, f"changed {difference}"))
    if result.updated:
        lines.append(f"{result.path}: expected file updated")
    return lines


def _location(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line else path


def _difference_line(path: str, line: int | None, output_format: str, message: str,
                     title: str = "changed value") -> str:
    if output_format == "github":
        return annotation("error", path, line, title, message)
    return f"{_location(path, line)}: error {message}"


def annotation(kind: str, path: str, line: int | None, title: str, message: str) -> str:
    """A GitHub Actions workflow command: `::error file=…,line=…,title=…::message`, escaped."""
    properties = [f"file={_escape_property(path)}"]
    if line:
        properties.append(f"line={line}")
    properties.append(f"title={_escape_property(title)}")
    return f"::{kind} {','.join(properties)}::{_escape(message)}"


def _escape(message: str) -> str:
    return message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape(value).replace(":", "%3A").replace(",", "%2C")
