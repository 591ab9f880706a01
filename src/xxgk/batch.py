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
from collections.abc import Callable, Iterable, Iterator
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .build import failed_report
from .errors import InternalError, UnsafeOutputPath
from .inputs import Input, output_path
from .model import Source
from .cross_year import carried_rows, write_cross_year
from .output import (
    FINDINGS_CSV_COLUMNS, REPORT_COLUMNS, CsvSink, finding_rows, report_bytes, report_json, report_row, write_atomic,
)
from .pipeline import extract_file
from .read import DEFAULT_MAX_BYTES
from .state import State, parser_version

REPORTS_CSV = "reports.csv"
FINDINGS_CSV = "findings.csv"
CROSS_YEAR_CSV = "cross_year.csv"
RUN_JSON = "run.json"
_WRITES_IN_FLIGHT = 8  # JSON files being written while the next reports are parsed
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

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Result:
    relative: str
    size: int
    mtime_ns: int
    sha256: str | None
    parsed: bool
    has_errors: bool
    report_row: list
    finding_rows: list[list]
    carried: tuple[str | None, int | None, list, list]
    written: Future | None = None  # the JSON write, when it runs in a writer thread

    def __getstate__(self):  # a result crosses to the parent process once its file is written
        return {**self.__dict__, "written": None}


def _process(item: Input, out: Path, max_bytes: int, writer: ThreadPoolExecutor | None = None) -> _Result:
    """Extract one file and write its JSON; return what the state and the CSVs need.

    With a `writer` thread the JSON is written there while the caller parses on, and the result
    carries the pending write: it may only be recorded once the file is complete.
    """
    try:
        status = os.stat(item.path)
        size, mtime_ns = status.st_size, status.st_mtime_ns
    except OSError:
        size = mtime_ns = -1
    report = extract_file(item.path, item.relative, max_bytes)
    try:
        target = output_path(out, item.relative)
    except UnsafeOutputPath as error:
        report, target = failed_report(report.source, error), None
    data = report.model_dump(mode="json")
    written = None
    if target is not None:
        if writer is None:
            write_atomic(target, report_bytes(data))
        else:
            written = writer.submit(write_atomic, target, report_bytes(data))
    return _Result(item.relative, size, mtime_ns, report.source.sha256, report.parsed,
                   any(item.severity.value == "error" for item in report.findings), report_row(data),
                   finding_rows(data), carried_rows(data), written)


def _process_all(items: Iterable[Input], out: Path, max_bytes: int) -> Iterator[_Result]:
    """One process (`--jobs 1`): results in input order, each yielded once its JSON is on disk;
    writing one file overlaps parsing the next (creating a file costs up to a millisecond on some
    disks, time a single process would otherwise spend waiting)."""
    pending: deque[_Result] = deque()
    with ThreadPoolExecutor(max_workers=1) as writer:
        for item in items:
            pending.append(_process(item, out, max_bytes, writer))
            while pending and (len(pending) > _WRITES_IN_FLIGHT or pending[0].written is None
                               or pending[0].written.done()):
                yield _written(pending.popleft())
        while pending:
            yield _written(pending.popleft())


def _written(result: _Result) -> _Result:
    if result.written is not None:
        result.written.result()  # re-raises a failed write
    return result


def _crashed(item: Input, out: Path, error: BaseException) -> _Result:
    """The record of a file whose worker process died."""
    report = failed_report(Source(path=item.relative), InternalError(item.relative, f"the worker process died "
                                                                                     f"on this file: {error}"))
    data = report.model_dump(mode="json")
    return _Result(item.relative, -1, -1, None, False, True, report_row(data), finding_rows(data), carried_rows(data))


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
              on_progress: Callable[[Summary], None] | None = None) -> Summary:
    """Extract every input into OUT (see the module docstring)."""
    started = time.monotonic()
    summary = Summary(jobs=options.jobs)
    out.mkdir(parents=True, exist_ok=True)
    state = State(out)
    if state.interrupted:
        _sweep_temporary_files(out)
    last_commit = time.monotonic()
    try:
        def record(result: _Result) -> None:
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
            for result in _process_all(pending(), out, options.max_bytes):
                record(result)
        else:
            _in_workers(pending(), out, options, record)
        state.commit()
        _finish(state, out, options, summary)
        state.finished()
    finally:
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


_CHUNK = 16  # files per task: one round trip to a worker costs about as much as parsing a small report


def _process_chunk(items: list[Input], out: Path, max_bytes: int) -> list[_Result]:
    """Worker processes keep every core busy already: they write as they go, without a writer thread."""
    return [_process(item, out, max_bytes) for item in items]


def _chunks(items: Iterable[Input], size: int) -> Iterator[list[Input]]:
    chunk: list[Input] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _in_workers(items: Iterable[Input], out: Path, options: Options, record: Callable[[_Result], None]) -> None:
    """Parse in worker processes, a few chunks of files in flight; a dead worker costs only the files
    it held, each retried alone and recorded as failed if it kills a worker again."""
    window = options.jobs * 4
    chunks = _chunks(items, _CHUNK)
    retry: list[Input] = []
    with ProcessPoolExecutor(max_workers=options.jobs) as pool:
        running: dict[Future, list[Input]] = {}
        while True:
            while len(running) < window and (chunk := next(chunks, None)) is not None:
                running[pool.submit(_process_chunk, chunk, out, options.max_bytes)] = chunk
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                chunk = running.pop(future)
                try:
                    for result in future.result():
                        record(result)
                except BrokenProcessPool:
                    retry.extend(chunk)
            if retry:
                for chunk in running.values():
                    retry.extend(chunk)
                break
    for item in retry:
        with ProcessPoolExecutor(max_workers=1) as single:
            try:
                record(single.submit(_process, item, out, options.max_bytes).result())
            except BrokenProcessPool as error:
                record(_crashed(item, out, error))
    if retry:
        _in_workers((item for chunk in chunks for item in chunk), out, options, record)


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
    reports = CsvSink(out / REPORTS_CSV, REPORT_COLUMNS)
    findings = CsvSink(out / FINDINGS_CSV, FINDINGS_CSV_COLUMNS)
    try:
        for row, rows, parsed, has_errors in state.current():
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
    except BaseException:
        reports.abandon()
        findings.abandon()
        raise
    summary.cross_year_mismatches = write_cross_year(state, out / CROSS_YEAR_CSV)
