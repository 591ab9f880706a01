"""`xxgk check`: parse and validate files without writing outputs, optionally against expected JSON.

The library side: which problems a file has, which of them the expected file (the baseline) already
holds, and how its values differ from the expected ones. Formatting and exit codes are the CLI's job.

By default a report is compared by what it says: its values and its findings (code, key), not
where it was read from or how its text reads, so the same files give the same result whatever
folder is named. `strict` compares every field of the JSON.
"""
from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.parsing.build import failed_report
from xxgk.gate.compare import Difference, finding_difference, match_findings, value_differences
from xxgk.report.errors import InternalError, UnsafeOutputPath
from xxgk.report.findings import SEVERITY_RANK, Finding, Severity
from xxgk.batch.inputs import INPUT_SUFFIXES, Input, input_folders, output_path
from xxgk.report.model import Report, Source
from xxgk.batch.output import report_bytes, write_atomic
from xxgk.pipeline import extract_file
from xxgk.batch.processing import hard_time_limit
from xxgk.batch.workers import run_in_workers
from xxgk.sources.read import DEFAULT_MAX_BYTES

FAIL_LEVELS = {"error": Severity.error, "warning": Severity.warning, "never": None}


@dataclass(frozen=True)
class CheckOptions:
    expected: Path | None = None   # folder of expected JSON, named as extract names its outputs
    update: bool = False           # write the expected files from this run (the reviewed state)
    strict: bool = False           # compare paths, hashes, text and finding lines too
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass
class FileCheck:
    path: str                    # the file as the user named it, for editor and CI annotations
    parsed: bool = True
    findings: list[Finding] = field(default_factory=list)
    known: list[bool] = field(default_factory=list)   # per finding: already in the expected file
    differences: list[Difference] = field(default_factory=list)  # moved values, findings gone
    expected_missing: bool = False
    removed: bool = False        # `path` is an expected file whose input has gone
    updated: bool = False        # the expected file was written (deleted, when removed)

    def fails(self, fail_on: Severity | None) -> bool:
        """A file that yields no report, whose values moved or whose expected file is missing or
        orphaned fails whatever --fail-on says; otherwise a new finding at --fail-on or above."""
        if self.differences or self.expected_missing or (self.removed and not self.updated) or not self.parsed:
            return True
        if fail_on is None:
            return False
        return any(SEVERITY_RANK[item.severity] >= SEVERITY_RANK[fail_on] for item in self.new_findings())

    def new_findings(self) -> list[Finding]:
        return [item for item, known in zip(self.findings, self.known) if not known]


def check_file(item: Input, options: CheckOptions = CheckOptions()) -> FileCheck:
    report = extract_file(item.path, item.relative, options.max_bytes)
    result = FileCheck(str(item.path), report.parsed, list(report.findings), [False] * len(report.findings))
    if options.expected is None:
        return result
    actual = report.model_dump(mode="json", exclude={"parser_version"})  # which code wrote it: not a value
    try:
        expected_path = output_path(options.expected, item.relative)
        expected = _read_expected(expected_path)
    except UnsafeOutputPath as error:
        result.differences = [Difference("expected file", None, error.detail)]
        return result
    except ValueError as error:
        if not options.update:
            result.differences = [Difference("expected file", None, f"unreadable: {error}")]
            return result
        expected = {}
    if options.update:
        if expected != actual:
            try:
                write_atomic(expected_path, report_bytes(actual))
            except OSError as error:
                result.differences = [Difference("expected file", None, f"cannot be written: {error}")]
                return result
            result.updated = True
        result.known = [True] * len(report.findings)
        return result
    if expected is None:
        result.expected_missing = True
        return result
    result.known, gone = match_findings(expected.get("findings") or [], actual["findings"], options.strict)
    result.differences = value_differences(expected, actual, options.strict, report.row_lines)
    result.differences += [finding_difference(item, True, options.strict) for item in gone]
    return result


def _read_expected(path: Path) -> dict | None:
    """The expected JSON data, None when there is no expected file; ValueError when it is not a report."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(str(error)) from error
    data = json.loads(text)  # JSONDecodeError is a ValueError
    if not isinstance(data, dict):
        raise ValueError("not a report's JSON object")
    return data


def check_all(items: Iterable[Input], options: CheckOptions, jobs: int,
              record: Callable[[FileCheck], None]) -> None:
    """`check_file` for every input, in worker processes with `jobs` > 1 (the batch's own machinery);
    results are handed to `record` in input order whatever the number of workers."""
    if jobs <= 1:
        for item in items:
            record(check_file(item, options))
        return
    waiting: dict[int, FileCheck] = {}
    next_index = 0

    def in_order(numbered: tuple[int, FileCheck]) -> None:
        nonlocal next_index
        waiting[numbered[0]] = numbered[1]
        while next_index in waiting:
            record(waiting.pop(next_index))
            next_index += 1

    hard_limit = hard_time_limit()
    run_in_workers(enumerate(items), jobs, functools.partial(_check_numbered, options=options), in_order,
                   hard_limit, on_timeout=lambda numbered: _crashed(numbered, f"no answer within {hard_limit:g} s"),
                   on_crash=_crashed)


def _check_numbered(numbered: tuple[int, Input], options: CheckOptions) -> tuple[int, FileCheck]:
    return numbered[0], check_file(numbered[1], options)


def _crashed(numbered: tuple[int, Input], error: object) -> tuple[int, FileCheck]:
    index, item = numbered
    report: Report = failed_report(Source(path=item.relative), InternalError(
        item.relative, f"the worker process died on this file: {error}"))
    return index, FileCheck(str(item.path), False, list(report.findings), [False])


def removed_expected(paths: list[Path], options: CheckOptions) -> Iterator[FileCheck]:
    """Expected files, under the folders named as inputs, whose input file has gone: reported as
    `removed` (they fail), or deleted with `update`."""
    if options.expected is None:
        return
    for root, prefix in input_folders(paths):
        folder = options.expected / prefix if prefix else options.expected
        for parent, folders, files in os.walk(folder):
            folders.sort()
            for name in sorted(files):
                if not name.lower().endswith(tuple(suffix + ".json" for suffix in INPUT_SUFFIXES)):
                    continue
                path = Path(parent, name)
                below = path.relative_to(folder).as_posix()[:-len(".json")]
                source = root / below
                if source.is_file() and not source.name.startswith("."):
                    continue
                deleted = False
                if options.update:
                    try:
                        path.unlink(missing_ok=True)
                        deleted = True
                    except OSError:
                        pass  # reported as removed, and fails
                yield FileCheck(str(path), removed=True, updated=deleted)


@dataclass
class CheckTally:
    """The figures of a check run, for its summary and progress lines."""

    files: int = 0
    failed: int = 0
    problems: int = 0    # warnings and errors
    known: int = 0       # ... of which the expected files hold
    changed: int = 0     # moved values, findings gone, missing expected files
    removed: int = 0     # expected files whose input has gone
    written: int = 0     # expected files written or deleted by --update

    def add(self, result: FileCheck, fail_on: Severity | None) -> None:
        self.failed += result.fails(fail_on)
        self.written += result.updated
        if result.removed:
            self.removed += 1
            return
        self.files += 1
        shown = shown_findings(result)
        self.problems += len(shown)
        self.known += sum(known for _, known in shown)
        self.changed += len(result.differences) + result.expected_missing


def shown_findings(result: FileCheck) -> list[tuple[Finding, bool]]:
    """Findings worth a line of output, warnings and errors, each with whether the baseline holds it."""
    return [(item, known) for item, known in zip(result.findings, result.known) if item.severity is not Severity.info]
