"""Batch runs: walk the inputs, extract each file, stream the outputs to disk.

Memory does not grow with the number of reports: each report is written as soon as it is built
and only counters stay in memory.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .build import failed_report
from .errors import UnsafeOutputPath
from .model import Report
from .output import FINDINGS_CSV_COLUMNS, REPORT_COLUMNS, CsvSink, finding_rows, report_json, report_row, write_atomic
from .pipeline import extract_file
from .read import DEFAULT_MAX_BYTES

TEXT_SUFFIXES = (".txt", ".md", ".text")
HTML_SUFFIXES = (".html", ".htm", ".shtml")
INPUT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
REPORTS_CSV = "reports.csv"
FINDINGS_CSV = "findings.csv"


@dataclass(frozen=True)
class Input:
    path: Path
    relative: str  # POSIX path under the input root, used for the output name


@dataclass
class Summary:
    seen: int = 0
    parsed: int = 0
    with_errors: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)


def find_inputs(paths: list[Path], suffixes: tuple[str, ...] = INPUT_SUFFIXES) -> Iterator[Input]:
    """Files named on the command line, and report files under named folders, in a stable order.

    Symbolic links to folders are followed once: a link loop cannot make the walk run forever.
    """
    several = len(paths) > 1
    for root in paths:
        prefix = _root_prefix(root) if several else ""
        if root.is_dir():
            yield from _walk(root, prefix, suffixes)
        else:
            yield Input(root, prefix + root.name if several else root.name)


def _root_prefix(root: Path) -> str:
    name = root.resolve().name if root.name in ("", ".", "..") else root.name
    return f"{name}/"


def _walk(root: Path, prefix: str, suffixes: tuple[str, ...]) -> Iterator[Input]:
    seen: set[tuple[int, int]] = set()
    for folder, folders, files in os.walk(root, followlinks=True):
        try:
            status = os.stat(folder)
        except OSError:
            folders[:] = []
            continue
        if (status.st_dev, status.st_ino) in seen:
            folders[:] = []
            continue
        seen.add((status.st_dev, status.st_ino))
        folders.sort()
        for name in sorted(files):
            if name.lower().endswith(suffixes) and not name.startswith("."):
                path = Path(folder) / name
                yield Input(path, prefix + path.relative_to(root).as_posix())


def output_path(out: Path, relative: str) -> Path:
    """OUT/<relative>.json; raises UnsafeOutputPath for any name or link that would leave OUT."""
    parts = [part for part in Path(relative).parts if part not in ("", ".", "/")]
    if not parts or any(part == ".." for part in parts) or Path(relative).is_absolute():
        raise UnsafeOutputPath(relative, "the output name would leave the output folder")
    path = out.joinpath(*parts[:-1], parts[-1] + ".json")
    root = out.resolve()
    if not path.parent.resolve().is_relative_to(root) or (path.is_symlink() and not path.resolve().is_relative_to(root)):
        raise UnsafeOutputPath(relative, f"a symbolic link inside {out} would take the output outside it")
    return path


def run_batch(inputs: Iterator[Input], out: Path, max_bytes: int = DEFAULT_MAX_BYTES,
              on_report: Callable[[Input, Report], None] | None = None) -> Summary:
    """Extract every input into OUT; the CSVs are complete or absent, never half written."""
    summary = Summary()
    out.mkdir(parents=True, exist_ok=True)
    reports = CsvSink(out / REPORTS_CSV, REPORT_COLUMNS)
    findings = CsvSink(out / FINDINGS_CSV, FINDINGS_CSV_COLUMNS)
    try:
        for item in inputs:
            report = extract_file(item.path, item.relative, max_bytes)
            try:
                target = output_path(out, item.relative)
            except UnsafeOutputPath as error:
                report = failed_report(report.source, error)
                target = None
            data = report.model_dump(mode="json")
            if target is not None:
                write_atomic(target, report_json(data))
            reports.write([report_row(data)])
            findings.write(finding_rows(data))
            _count(summary, item, report)
            if on_report:
                on_report(item, report)
        reports.commit()
        findings.commit()
    except BaseException:
        reports.abandon()
        findings.abandon()
        raise
    return summary


def _count(summary: Summary, item: Input, report: Report) -> None:
    summary.seen += 1
    if not report.parsed:
        summary.failed += 1
        summary.failures.append(f"{item.relative}: {report.findings[0].message}")
        return
    summary.parsed += 1
    if any(found.severity.value == "error" for found in report.findings):
        summary.with_errors += 1
