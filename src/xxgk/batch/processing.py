"""Processing files for a batch: one file at a time, or in worker processes.

Every function returns `Result`s, the small part of a report that the state database and the CSVs
need; the report's JSON is on disk before its result is handed back, or with `jsonl` (--jsonl) in
the result itself, compact and compressed, for the state to keep and reports.jsonl to be built from.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import shutil
import signal
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from xxgk.parsing.build import failed_report
from xxgk.parsing.cross_year import carried_rows
from xxgk.report.errors import (ENVIRONMENT_ERRNOS, CannotParse, InternalError, OutputProblem, TimeLimitExceeded,
                     UnsafeOutputPath, output_problem)
from xxgk.batch.inputs import Input, output_path
from xxgk.report.model import Report, Source
from xxgk.batch.output import finding_rows, report_bytes, report_line, report_row, write_atomic
from xxgk.pipeline import extract_file
from xxgk.sources.long_paths import stat_path
from xxgk.research.rendered import prerender
from xxgk.batch.state import STATE_DIR
from xxgk.batch.unchanged import output_digest
from xxgk.batch.workers import run_in_workers

DEFAULT_TIME_LIMIT = 60.0  # seconds per file (--time-limit)
SCRATCH = "tmp"  # under OUT/.xxgk: one folder per process for temporary files


@dataclass(frozen=True)
class Result:
    relative: str
    size: int
    mtime_ns: int
    sha256: str | None
    parsed: bool
    has_errors: bool
    report_row: list
    finding_rows: list[list]
    carried: tuple[str | None, int | None, list, list]
    json: bytes | None = None         # --jsonl: the report's line (report_line), zlib-compressed
    json_digest: str | None = None    # --jsonl: a digest of that line (what rendered.py's cache keys on)
    rendered: tuple | None = None     # its cells.csv and rates.csv rows, rendered here (rendered.prerender)
    output_digest: str | None = None  # the digest of its JSON file's bytes (unchanged.py)


def process_file(item: Input, out: Path, max_bytes: int, time_limit: float | None = None,
                 jsonl: bool = False) -> Result:
    """Extract one file and write its JSON; return what the state and the CSVs need.

    Every step is inside the guard: a file that cannot be parsed in time, whose report cannot be
    serialized or whose JSON cannot be written gets a failed record and the batch goes on. Only a
    failure of OUT itself (full, read-only, ...) raises, as an OutputProblem: it would fail every file.
    """
    try:
        status = stat_path(item.path)  # also under a path too long for one call
        size, mtime_ns = status.st_size, status.st_mtime_ns
    except (OSError, ValueError):
        size = mtime_ns = -1
    try:
        with _time_limit(time_limit):
            report = extract_file(item.path, item.relative, max_bytes)
        return _write(item, out, report, size, mtime_ns, jsonl)
    except TimeLimit:
        error: CannotParse = TimeLimitExceeded(item.relative, f"parsing took longer than the {time_limit:g}-second "
                                                             "limit (--time-limit); the file was skipped")
    except OutputProblem:
        raise
    except OSError as problem:
        if problem.errno in ENVIRONMENT_ERRNOS:
            raise output_problem(problem, out) from None
        error = InternalError(item.relative, f"the report could not be written: {problem}")
    except Exception as problem:  # the writer failed on this report: a record, not a dead run
        error = InternalError(item.relative, f"the report could not be written: {type(problem).__name__}: {problem}")
    return _write_failure(item, out, error, size, mtime_ns, jsonl)


def _write_failure(item: Input, out: Path, error: CannotParse, size: int, mtime_ns: int,
                   jsonl: bool = False) -> Result:
    """The failed record of a file, with its JSON when that can be written (else in the CSVs only)."""
    report = failed_report(Source(path=item.relative), error)
    try:
        return _write(item, out, report, size, mtime_ns, jsonl)
    except OSError as problem:
        if problem.errno in ENVIRONMENT_ERRNOS:
            raise output_problem(problem, out) from None
    except Exception:  # noqa: S110 - the record below still says what went wrong
        pass
    data = report.model_dump(mode="json")
    return Result(item.relative, size, mtime_ns, None, False, True, report_row(data), finding_rows(data),
                  carried_rows(data))


def _write(item: Input, out: Path, report: Report, size: int, mtime_ns: int, jsonl: bool = False) -> Result:
    try:
        target = output_path(out, item.relative)
    except UnsafeOutputPath as error:
        report, target = failed_report(report.source, error), None
    data = report.model_dump(mode="json")
    result = Result(item.relative, size, mtime_ns, report.source.sha256, report.parsed,
                    any(item.severity.value == "error" for item in report.findings), report_row(data),
                    finding_rows(data), carried_rows(data))
    for rows in (result.report_row, result.finding_rows):
        orjson.dumps(rows)  # raises here, inside the guard, if the state could not store them
    if jsonl:  # the same check of the output name as for a file, so both modes give the same report
        line = report_line(data)
        digest = hashlib.blake2b(line, digest_size=16).hexdigest()
        return dataclasses.replace(result, json=zlib.compress(line, 1), json_digest=digest,
                                   rendered=prerender(data, (-1, "b2:" + digest)))
    content = report_bytes(data)
    if target is None:
        return result
    write_atomic(target, content, scratch=scratch_folder(out))
    status = os.stat(target)  # the analysts' rows, keyed as rendered.py keys them: by the JSON's size and mtime
    # `data` is what the JSON holds (JSON-mode data reads back from its JSON unchanged): not parsed again
    return dataclasses.replace(result, rendered=prerender(data, (status.st_size, status.st_mtime_ns)),
                               output_digest=output_digest(content))


class TimeLimit(BaseException):
    """Raised by the alarm inside a parse that took too long (a BaseException: no parser catches it)."""


def _alarm(signum, frame) -> None:
    raise TimeLimit


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the block after `seconds` (main thread only; elsewhere no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@functools.lru_cache(maxsize=8)
def _scratch_folder(out: Path, process: int) -> Path:
    return out / STATE_DIR / SCRATCH / str(process)


def scratch_folder(out: Path) -> Path:
    """This process's folder for the temporary files of its writes (see write_atomic)."""
    return _scratch_folder(out, os.getpid())


def reset_scratch(out: Path) -> None:
    """Empty the scratch folders (a killed run may leave temporary files); never follow a link there,
    and remove a file in its place (else every write of every run failed: "Not a directory")."""
    root = out / STATE_DIR / SCRATCH
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        root.unlink()
    elif root.exists():
        shutil.rmtree(root, ignore_errors=True)


def process_in_order(items: Iterable[Input], out: Path, max_bytes: int,
                     time_limit: float | None = None, jsonl: bool = False) -> Iterator[Result]:
    """One process (`--jobs 1`): results in input order, each yielded once its JSON is on disk.

    Writes stay in this process, so `--jobs 1` uses one core. (A writer thread was tried: it moved
    the system time of creating files to a second core, which helped when the disk was slow, and
    its GIL hand-overs slowed the parser when it was fast.)
    """
    for item in items:
        yield process_file(item, out, max_bytes, time_limit, jsonl)


def crashed(item: Input, out: Path, error: object, jsonl: bool = False) -> Result:
    """The record of a file whose worker process died (twice: it is retried once)."""
    return _failed(item, out, InternalError(item.relative, f"the worker process died on this file: {error}"), jsonl)


def timed_out(item: Input, out: Path, time_limit: float, jsonl: bool = False) -> Result:
    """The record of a file whose worker was killed after the hard time limit (stuck or stopped)."""
    return _failed(item, out, TimeLimitExceeded(item.relative, f"the worker parsing this file did not answer "
                                                               f"within {time_limit:g} seconds (--time-limit) "
                                                               "and was stopped; the file was skipped"), jsonl)


def _failed(item: Input, out: Path, error: CannotParse, jsonl: bool = False) -> Result:
    """A record with no size and time: the next run tries the file again (the cause may have passed)."""
    return _write_failure(item, out, error, -1, -1, jsonl)


_GRACE = 5.0  # seconds after the time limit before a worker that did not stop itself is killed


def hard_time_limit(time_limit: float | None = None) -> float:
    """When a worker that has not stopped by itself is killed: the time limit and a grace period."""
    return (time_limit or DEFAULT_TIME_LIMIT) + _GRACE


def process_in_workers(items: Iterable[Input], out: Path, jobs: int, max_bytes: int,
                       record: Callable[[Result], None], time_limit: float | None = None,
                       jsonl: bool = False) -> None:
    """Parse in worker processes (workers.py): a stuck or stopped worker is killed after the time
    limit, a dead worker costs only the file it held, retried once."""
    hard_limit = hard_time_limit(time_limit)
    run_in_workers(items, jobs, functools.partial(process_file, out=out, max_bytes=max_bytes, time_limit=time_limit,
                                                  jsonl=jsonl),
                   record, hard_limit, on_timeout=lambda item: timed_out(item, out, hard_limit, jsonl),
                   on_crash=lambda item, error: crashed(item, out, error, jsonl), fatal=(OutputProblem,))
