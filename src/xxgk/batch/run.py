"""Batch runs for cron: incremental, parallel, atomic, observable.

A run parses only inputs that are new or changed (by size and mtime, then by content hash:
unchanged.py), reuses what earlier runs stored for the rest (state.py), and writes every JSON atomically as soon
as it is built. The CSVs are streamed from the state database in path order at the end, so they
cover every current report, are byte-identical for any number of worker processes, and memory
does not grow with the number of reports. A run killed at any moment leaves complete files only;
the next run finishes the work. With --jsonl (`Options.jsonl`) no file is written per report: the
state keeps each report's line and reports.jsonl is streamed from it at the end like the CSVs.
"""
from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from xxgk.batch.finish import DEFAULT_MAX_DELETE, finish
from xxgk.report.errors import NoInputs, OutputNotWritable, output_problem
from xxgk.batch.inputs import Input, forget_resolved_paths
from xxgk.batch.output import report_json, write_atomic
from xxgk.batch.processing import (DEFAULT_TIME_LIMIT, Result, process_in_order, process_in_workers, reset_scratch,
                                   scratch_folder)
from xxgk.sources.read import DEFAULT_MAX_BYTES
from xxgk.research.rendered import FILE as RENDERED_FILE, Primer
from xxgk.batch.state import STATE_DIR, State, StateDamaged, cache_guard, parser_version
from xxgk.batch.unchanged import unchanged

RUN_JSON = "run.json"
_COMMIT_EVERY = 64      # results per state commit ...
_COMMIT_SECONDS = 0.25  # ... or seconds, whichever comes first


@dataclass(frozen=True)
class Options:
    max_bytes: int = DEFAULT_MAX_BYTES
    jobs: int = 1
    force: bool = False
    prune: bool = False
    time_limit: float = DEFAULT_TIME_LIMIT
    max_delete: str = DEFAULT_MAX_DELETE  # --prune deletes at most this many outputs, or this share ("50%")
    non_reports: str | None = None        # "fail", "skip"; None: skip *.md notes, fail the others
    jsonl: bool = False                   # all reports in OUT/reports.jsonl instead of a JSON file each

    def result_key(self) -> str:
        """What a cached result depends on: the parser, every option that changes a result, and the
        mode (a result of the other mode has no line, or no file: switching parses everything once)."""
        mode = " jsonl" if self.jsonl else ""
        return f"{parser_version()} max_bytes={self.max_bytes} time_limit={self.time_limit:g}{mode}"


@dataclass
class Summary:
    """What a run did; also written to OUT/run.json.

    seen: input files recorded by this run; parsed: of them, parsed in this run into a report;
    unchanged: reused from the previous run; failed: no report (whenever parsed) and counted as a
    failure; not_reports: read but not reports, and not counted as failures (--non-reports);
    skipped: files in the input folders that were not read (suffix, --include/--exclude, hidden).
    """

    seen: int = 0
    parsed: int = 0
    unchanged: int = 0
    with_errors: int = 0
    failed: int = 0
    not_reports: int = 0
    skipped: int = 0
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
    unreadable_folders: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    prune_refused: str | None = None
    provenance: dict = field(default_factory=dict)  # command line, input roots, options (provenance.py)

    def as_dict(self) -> dict:
        return asdict(self)


def run_batch(inputs: Iterable[Input], out: Path, options: Options = Options(),
              on_progress: Callable[[Summary], None] | None = None, provenance: dict | None = None) -> Summary:
    """Extract every input into OUT (see the module docstring).

    Raises NoInputs (nothing changed) when there is no input file, OutputProblem subclasses when
    OUT or its state cannot be used; a damaged state is moved aside and rebuilt with a warning.
    """
    started = time.monotonic()
    summary = Summary(jobs=options.jobs, provenance={**(provenance or {}), "options": asdict(options)})
    items = iter(inputs)
    first = next(items, None)
    if first is None:
        unreadable = [message for _, message in getattr(inputs, "unreadable", [])]
        raise NoInputs("no input file found" + (f" (cannot read {'; '.join(unreadable)})" if unreadable else "")
                       + f"; nothing in {out} was changed")
    forget_resolved_paths()
    state = State(out, options.result_key())
    summary.warnings.extend(state.warnings)
    try:
        with state.guard():
            if state.interrupted:
                _sweep_temporary_files(out)
            reset_scratch(out)
            _parse(state, itertools.chain([first], items), out, options, summary, on_progress)
            summary.skipped = getattr(inputs, "skipped", 0)
            finish(state, out, options, summary, getattr(inputs, "unreadable", []))
            _close_summary(summary, started)
            _write_run_json(out, summary)  # under the lock, its temporary file in the scratch folder
            state.finished()
    except StateDamaged as error:
        raise OutputNotWritable(state.path, f"the state database was damaged during the run ({error}); it was "
                                            f"moved aside to {state.move_aside()}", "run again: the next run rebuilds it") from None
    except OSError as error:
        raise output_problem(error, out) from None
    finally:
        reset_scratch(out)
        state.close()
    return summary


def _close_summary(summary: Summary, started: float) -> None:
    summary.seconds = round(time.monotonic() - started, 3)
    summary.reports_per_second = round(summary.parsed / summary.seconds, 1) if summary.seconds else 0.0
    summary.megabytes = round(summary.megabytes, 3)
    summary.findings_by_code = dict(sorted(summary.findings_by_code.items()))


def _write_run_json(out: Path, summary: Summary) -> None:
    """OUT/run.json, written before the run is marked finished and with its temporary file in the
    scratch folder: a run killed while writing it (its disk sync can take long) left
    `.run.json.PID.tmp` in OUT, which no later run removed (only an interrupted run's are swept)."""
    try:
        write_atomic(out / RUN_JSON, report_json(summary.as_dict()), durable=True, scratch=scratch_folder(out))
    except OSError as error:
        raise output_problem(error, out / RUN_JSON) from None


def _parse(state: State, inputs: Iterable[Input], out: Path, options: Options, summary: Summary,
           on_progress: Callable[[Summary], None] | None) -> None:
    last_commit = time.monotonic()
    processed = 0
    primer = Primer(out, options.jsonl)  # the workers' rendered cells.csv and rates.csv rows
    cache = cache_guard(out / STATE_DIR / RENDERED_FILE)  # its errors name rendered.sqlite3, not the state

    def record(result: Result) -> None:
        nonlocal last_commit, processed
        written = result.rendered[:2] if result.rendered and not options.jsonl else None  # its JSON's size, mtime
        state.put(result.relative, result.size, result.mtime_ns, result.sha256, result.parsed,
                  result.has_errors, result.report_row, result.finding_rows, result.carried, result.json,
                  result.json_digest, written, result.output_digest)
        with cache:
            primer.put(result.relative, result.rendered)
        if processed % _COMMIT_EVERY == 0 or time.monotonic() - last_commit > _COMMIT_SECONDS:
            state.commit()  # work is kept from here on; a kill before this only parses it again
            last_commit = time.monotonic()
        processed += 1
        summary.parsed += result.parsed
        summary.megabytes += max(result.size, 0) / 1e6
        if on_progress:
            on_progress(summary)

    altered: list[str] = []  # outputs there but not as written: written again, and said once

    def on_restored(relative: str, written: tuple[int, int], mtime_ns: int) -> None:
        with cache:  # its rendered rows are those of the same bytes: kept under the new mtime
            primer.moved(relative, written, mtime_ns)

    def pending() -> Iterable[Input]:
        for item in inputs:
            summary.seen += 1
            if not options.force and unchanged(state, item, out, options.max_bytes, options.jsonl, altered,
                                               on_restored):
                summary.unchanged += 1
                if on_progress:
                    on_progress(summary)
                continue
            if summary.seen - summary.unchanged == 1:
                state.clear_stamp()  # before the first output of the run is written (finish.py)
            yield item

    try:
        if options.jobs <= 1:
            for result in process_in_order(pending(), out, options.max_bytes, options.time_limit, options.jsonl):
                record(result)
        else:
            process_in_workers(pending(), out, options.jobs, options.max_bytes, record, options.time_limit,
                               options.jsonl)
        state.commit()
    finally:
        with cache:
            primer.close()
    if altered:
        summary.warnings.append(f"{len(altered)} report JSON file(s) in {out} had changed since xxgk wrote them "
                                f"(edited, truncated or replaced), e.g. {altered[0]}.json: written again from "
                                "their inputs")


def _sweep_temporary_files(out: Path) -> None:
    """Temporary files of a run that was killed (`.name.xxxx.tmp`); their final files are intact."""
    for folder, _, files in os.walk(out):
        for name in files:
            if name.startswith(".") and name.endswith(".tmp"):
                Path(folder, name).unlink(missing_ok=True)
