"""Batch runs for cron: incremental, parallel, atomic, observable.

A run parses only inputs that are new or changed (by size and mtime, then by content hash),
reuses what earlier runs stored for the rest (state.py), and writes every JSON atomically as soon
as it is built. The CSVs are streamed from the state database in path order at the end, so they
cover every current report, are byte-identical for any number of worker processes, and memory
does not grow with the number of reports. A run killed at any moment leaves complete files only;
the next run finishes the work.
"""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .cross_year import write_cross_year
from .duplicates import mark_row
from .errors import UnsafeOutputPath
from .inputs import Input, output_path
from .output import FINDINGS_CSV_COLUMNS, REPORT_COLUMNS, CsvSink, report_json, write_atomic
from .processing import Result, process_in_order, process_in_workers, reset_scratch
from .read import DEFAULT_MAX_BYTES
from .research import ResearchTables, relative_of
from .state import State, parser_version

REPORTS_CSV = "reports.csv"
FINDINGS_CSV = "findings.csv"
CROSS_YEAR_CSV = "cross_year.csv"
RUN_JSON = "run.json"
_COMMIT_EVERY = 64      # results per state commit ...
_COMMIT_SECONDS = 0.25  # ... or seconds, whichever comes first


@dataclass(frozen=True)
class Options:
    max_bytes: int = DEFAULT_MAX_BYTES
    jobs: int = 1
    force: bool = False
    prune: bool = False


@dataclass
class Summary:
    """What a run did; also written to OUT/run.json."""

    seen: int = 0
    parsed: int = 0
    unchanged: int = 0
    with_errors: int = 0
    failed: int = 0
    gone: int = 0
    pruned: int = 0
    cross_year_mismatches: int = 0
    megabytes: float = 0.0
    seconds: float = 0.0
    reports_per_second: float = 0.0
    jobs: int = 1
    version: str = field(default_factory=parser_version)
    findings_by_code: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    gone_inputs: list[str] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)  # command line, input roots, options (provenance.py)

    def as_dict(self) -> dict:
        return asdict(self)


def _unchanged(state: State, item: Input, out: Path) -> bool:
    entry = state.get(item.relative)
    if entry is None or entry.version != parser_version():
        return False
    try:
        if not output_path(out, item.relative).exists():
            return False
        status = os.stat(item.path)
    except (OSError, UnsafeOutputPath):
        return False
    if (status.st_size, status.st_mtime_ns) != (entry.size, entry.mtime_ns):
        try:
            with open(item.path, "rb") as handle:
                if entry.sha256 != hashlib.sha256(handle.read()).hexdigest():
                    return False
        except OSError:
            return False
    state.touch(item.relative, status.st_size, status.st_mtime_ns)
    return True


def run_batch(inputs: Iterable[Input], out: Path, options: Options = Options(),
              on_progress: Callable[[Summary], None] | None = None, provenance: dict | None = None) -> Summary:
    """Extract every input into OUT (see the module docstring)."""
    started = time.monotonic()
    summary = Summary(jobs=options.jobs, provenance={**(provenance or {}), "options": asdict(options)})
    out.mkdir(parents=True, exist_ok=True)
    state = State(out)
    if state.interrupted:
        _sweep_temporary_files(out)
    reset_scratch(out)
    last_commit = time.monotonic()
    try:
        def record(result: Result) -> None:
            state.put(result.relative, result.size, result.mtime_ns, result.sha256, result.parsed,
                      result.has_errors, result.report_row, result.finding_rows, result.carried)
            nonlocal last_commit
            if summary.parsed % _COMMIT_EVERY == 0 or time.monotonic() - last_commit > _COMMIT_SECONDS:
                state.commit()  # work is kept from here on; a kill before this only parses it again
                last_commit = time.monotonic()
            summary.parsed += 1
            summary.megabytes += max(result.size, 0) / 1e6
            if on_progress:
                on_progress(summary)

        def pending() -> Iterable[Input]:
            for item in inputs:
                summary.seen += 1
                if not options.force and _unchanged(state, item, out):
                    summary.unchanged += 1
                    if on_progress:
                        on_progress(summary)
                    continue
                yield item

        if options.jobs <= 1:
            for result in process_in_order(pending(), out, options.max_bytes):
                record(result)
        else:
            process_in_workers(pending(), out, options.jobs, options.max_bytes, record)
        state.commit()
        _finish(state, out, options, summary)
        state.finished()
    finally:
        reset_scratch(out)
        state.close()
    summary.seconds = round(time.monotonic() - started, 3)
    summary.reports_per_second = round(summary.parsed / summary.seconds, 1) if summary.seconds else 0.0
    summary.megabytes = round(summary.megabytes, 3)
    summary.findings_by_code = dict(sorted(summary.findings_by_code.items()))
    write_atomic(out / RUN_JSON, report_json(summary.as_dict()), durable=True)
    return summary


def _sweep_temporary_files(out: Path) -> None:
    """Temporary files of a run that was killed (`.name.xxxx.tmp`); their final files are intact."""
    for folder, _, files in os.walk(out):
        for name in files:
            if name.startswith(".") and name.endswith(".tmp"):
                Path(folder, name).unlink(missing_ok=True)


def _finish(state: State, out: Path, options: Options, summary: Summary) -> None:
    """Report (and with --prune remove) outputs whose input has gone, then write the CSVs."""
    summary.gone_inputs = state.gone()
    summary.gone = len(summary.gone_inputs)
    if options.prune:
        for relative in summary.gone_inputs:
            try:
                output_path(out, relative).unlink(missing_ok=True)
            except UnsafeOutputPath:
                pass
            state.forget(relative)
            summary.pruned += 1
        state.commit()
    research = ResearchTables(out)  # issue 13 hooks: cells.csv, rates.csv and duplicate_report findings
    reports = CsvSink(out / REPORTS_CSV, REPORT_COLUMNS)
    findings = CsvSink(out / FINDINGS_CSV, FINDINGS_CSV_COLUMNS)
    try:
        duplicates = research.find_duplicates(relative_of(row[0]) for row, *_ in state.current())
        for row, rows, parsed, has_errors in state.current():
            extra = duplicates.get(relative_of(row[0]), [])
            row, rows = mark_row(row, extra), rows + extra
            research.add(relative_of(row[0]))
            reports.write([row])
            findings.write(rows)
            for finding_row in rows:
                summary.findings_by_code[finding_row[1]] = summary.findings_by_code.get(finding_row[1], 0) + 1
            if not parsed:
                summary.failed += 1
                message = rows[0][-1] if rows else "no report"
                summary.failures.append(f"{row[0]}: {message}")
            elif has_errors:
                summary.with_errors += 1
        reports.commit()
        findings.commit()
        research.commit()
    except BaseException:
        reports.abandon()
        findings.abandon()
        research.abandon()
        raise
    summary.cross_year_mismatches = write_cross_year(state, out / CROSS_YEAR_CSV)
