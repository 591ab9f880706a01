"""Processing files for a batch: one file at a time, or in worker processes.

Every function returns `Result`s, the small part of a report that the state database and the CSVs
need; the report's JSON is on disk before its result is handed back.
"""
from __future__ import annotations

import functools
import gc
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from .build import failed_report
from .cross_year import carried_rows
from .errors import InternalError, UnsafeOutputPath
from .inputs import Input, output_path
from .model import Source
from .output import finding_rows, report_bytes, report_row, write_atomic
from .pipeline import extract_file
from .state import STATE_DIR

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


def process_file(item: Input, out: Path, max_bytes: int) -> Result:
    """Extract one file and write its JSON; return what the state and the CSVs need."""
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
    if target is not None:
        write_atomic(target, report_bytes(data), scratch=scratch_folder(out))
    return Result(item.relative, size, mtime_ns, report.source.sha256, report.parsed,
                   any(item.severity.value == "error" for item in report.findings), report_row(data),
                   finding_rows(data), carried_rows(data))


@functools.lru_cache(maxsize=8)
def _scratch_folder(out: Path, process: int) -> Path:
    return out / STATE_DIR / SCRATCH / str(process)


def scratch_folder(out: Path) -> Path:
    """This process's folder for the temporary files of its writes (see write_atomic)."""
    return _scratch_folder(out, os.getpid())


def reset_scratch(out: Path) -> None:
    """Empty the scratch folders (a killed run may leave temporary files); never follow a link there."""
    root = out / STATE_DIR / SCRATCH
    if root.is_symlink():
        root.unlink()
    elif root.exists():
        shutil.rmtree(root, ignore_errors=True)


def process_in_order(items: Iterable[Input], out: Path, max_bytes: int) -> Iterator[Result]:
    """One process (`--jobs 1`): results in input order, each yielded once its JSON is on disk.

    Writes stay in this process, so `--jobs 1` uses one core. (A writer thread was tried: it moved
    the system time of creating files to a second core, which helped when the disk was slow, and
    its GIL hand-overs slowed the parser when it was fast.)
    """
    for item in items:
        yield process_file(item, out, max_bytes)


def crashed(item: Input, out: Path, error: BaseException) -> Result:
    """The record of a file whose worker process died."""
    report = failed_report(Source(path=item.relative), InternalError(item.relative, f"the worker process died "
                                                                                     f"on this file: {error}"))
    data = report.model_dump(mode="json")
    return Result(item.relative, -1, -1, None, False, True, report_row(data), finding_rows(data), carried_rows(data))


_CHUNK = 16  # files per task: one round trip to a worker costs about as much as parsing a small report


def _process_chunk(items: list, work: Callable) -> list:
    """One task of a worker process: a chunk of files, each written as soon as it is parsed."""
    return [work(item) for item in items]


def _chunks(items: Iterable[Input], size: int) -> Iterator[list[Input]]:
    chunk: list[Input] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def process_in_workers(items: Iterable[Input], out: Path, jobs: int, max_bytes: int,
                       record: Callable[[Result], None]) -> None:
    """Parse in worker processes, a few chunks of files in flight; a dead worker costs only the files
    it held, each retried alone and recorded as failed if it kills a worker again."""
    run_in_workers(items, jobs, functools.partial(process_file, out=out, max_bytes=max_bytes), record,
                   lambda item, error: crashed(item, out, error))


def run_in_workers(items: Iterable, jobs: int, work: Callable, record: Callable,
                   on_crash: Callable[[object, BaseException], object]) -> None:
    """`work(item)` for every item in worker processes, each result handed to `record` (in the order
    they finish); an item that kills its worker twice is recorded as `on_crash(item, error)`.
    `work` runs in the workers, so it must be picklable (a module function, or a partial of one)."""
    window = jobs * 4
    chunks = _chunks(items, _CHUNK)
    retry: list[Input] = []
    gc.freeze()  # forked workers' collections then skip (and do not copy) the objects they inherit
    try:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            running: dict[Future, list[Input]] = {}
            while True:
                while len(running) < window and (chunk := next(chunks, None)) is not None:
                    running[pool.submit(_process_chunk, chunk, work)] = chunk
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
    finally:
        gc.unfreeze()
    for item in retry:
        with ProcessPoolExecutor(max_workers=1) as single:
            try:
                record(single.submit(work, item).result())
            except BrokenProcessPool as error:
                record(on_crash(item, error))
    if retry:
        run_in_workers((item for chunk in chunks for item in chunk), jobs, work, record, on_crash)
