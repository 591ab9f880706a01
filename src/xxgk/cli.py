"""The command line: options in, library calls, results out as exit codes and messages.

Exit codes (all commands): 0 success; 1 the command's failure condition (extract: some file could
not be processed at all; check: a problem at or above --fail-on); 2 usage error. extract also:
3 another run holds OUT; 4 OUT or its state cannot be written; 5 the disk of OUT is full; 6 OUT/.xxgk
is a link or not a folder; 7 no input file found; 8 --prune refused by --max-delete; 130 Ctrl-C;
143 SIGTERM (129 SIGHUP).
"""
from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import click

from . import __version__
from .batch import DEFAULT_MAX_DELETE, Options, Summary, delete_limit, run_batch
from .check import FAIL_LEVELS, FileCheck, check_file, shown_findings
from .errors import NameCollision, NoInputs, OutputProblem, PruneRefused
from .inputs import Selection, find_inputs, forget_resolved_paths
from .model import Report
from .output import report_json
from .pipeline import extract_file
from .processing import DEFAULT_TIME_LIMIT
from .read import DEFAULT_MAX_BYTES

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3
EXIT_SIGNAL_BASE = 128  # killed by signal N: 128 + N (Ctrl-C 130, SIGTERM 143)

_paths = click.argument("inputs", nargs=-1, required=True,
                        type=click.Path(exists=True, path_type=Path))
_max_bytes = click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
                          help="Files larger than this are recorded as too large, not parsed.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xxgk")
def main() -> None:
    """Turn 政府信息公开工作年度报告 (scraped text and HTML) into JSON and CSV.

    \b
    Exit codes: 0 success; 1 some file could not be processed (extract) or a
    problem reached --fail-on (check); 2 usage error; extract: 3 OUT busy,
    4 OUT not writable, 5 disk full, 6 OUT/.xxgk unsafe, 7 no input file,
    8 --prune refused (--max-delete), 130 Ctrl-C, 143 SIGTERM.
    """


def _check_max_delete(context, parameter, value: str) -> str:
    try:
        delete_limit(value, 0)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is neither a count (100) nor a share (50%): {error}") from None
    return value


_include = click.option("--include", multiple=True, metavar="GLOB",
                        help="Read only files matching GLOB (repeatable) instead of the default suffixes.")
_exclude = click.option("--exclude", multiple=True, metavar="GLOB", help="Do not read files matching GLOB (repeatable).")


@main.command()
@_paths
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: one JSON per report, reports.csv, findings.csv, run.json.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="cores",
              help="Worker processes; outputs are byte-identical for any number.")
@click.option("--force", is_flag=True, help="Parse every input again, even unchanged ones.")
@click.option("--prune", is_flag=True, help="Remove the outputs of inputs that have gone.")
@click.option("--max-delete", default=DEFAULT_MAX_DELETE, show_default=True, callback=_check_max_delete,
              metavar="N|P%", help="--prune deletes at most N outputs or P% of them; more is refused (exit 8).")
@_include
@_exclude
@click.option("--non-reports", type=click.Choice(["fail", "skip"]), default=None,
              help="Whether a file that is not a report fails the run  [default: skip *.md notes and files "
                   "without a suffix, fail others].")
@click.option("--time-limit", type=click.FloatRange(min=0.01), default=DEFAULT_TIME_LIMIT, show_default=True,
              metavar="SECONDS", help="Per-file limit; a file over it is recorded as failed and the batch goes on.")
@_max_bytes
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary; only errors.")
def extract(inputs: tuple[Path, ...], out: Path, jobs: int, force: bool, prune: bool, max_delete: str,
            include: tuple[str, ...], exclude: tuple[str, ...], non_reports: str | None, time_limit: float,
            max_bytes: int, quiet: bool) -> None:
    """Extract every report under INPUTS into OUT, parsing only what changed.

    INPUTS are files or folders; folders are walked recursively for .txt, .md,
    .text, .html, .htm, .shtml, .xhtml, .jhtml, .jsp, .aspx, .asp and .php
    files and for files without a suffix that hold text (--include and
    --exclude change that). A re-run parses only new or changed inputs (a new
    parser version parses everything again) and still writes CSVs that cover
    every report. Outputs whose input has gone are reported, and removed with
    --prune.

    \b
    Exit codes: 0 every file was processed (findings inside reports do not fail
    a run); 1 some file yielded no report at all, reported after the whole
    batch; 2 usage error (two inputs with one output name); 3 another run is
    writing to OUT; 4 OUT or its state cannot be written; 5 the disk is full;
    6 OUT/.xxgk is a link or not a folder; 7 no input file found (nothing
    changed); 8 --prune refused by --max-delete; 130 Ctrl-C; 143 SIGTERM.
    """
    walk = find_inputs(list(inputs), Selection(tuple(include), tuple(exclude)))
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    options = Options(max_bytes, jobs, force, prune, time_limit, max_delete, non_reports)
    try:
        with _signals_stop_the_run():
            try:
                walk.check_names()
            except NameCollision as error:
                raise click.UsageError(str(error)) from None
            code = _extract(walk, out, options, progress, quiet)
    except _Stopped as stopped:
        progress.clear()
        click.echo(f"xxgk: stopped by {signal.Signals(stopped.number).name}; the next run finishes the work",
                   err=True)
        code = EXIT_SIGNAL_BASE + stopped.number
    sys.exit(code)


def _extract(walk, out: Path, options: Options, progress: _Progress, quiet: bool) -> int:
    try:
        summary = run_batch(walk, out, options, progress)
    except (OutputProblem, NoInputs) as error:
        progress.clear()
        click.echo(f"xxgk: {error}", err=True)
        return error.exit_code
    progress.clear()
    _report(summary, out, options.prune, quiet)
    if summary.prune_refused:
        return PruneRefused.exit_code
    return EXIT_FAILED if summary.failed or summary.unreadable_folders else EXIT_OK


def _report(summary: Summary, out: Path, prune: bool, quiet: bool) -> None:
    for warning in summary.warnings:
        click.echo(f"xxgk: warning: {warning}", err=True)
    for failure in summary.failures:
        click.echo(f"xxgk: cannot parse {failure}", err=True)
    for folder in summary.unreadable_folders:
        click.echo(f"xxgk: cannot read folder {folder}; its outputs are kept as they were", err=True)
    if summary.prune_refused:
        click.echo(f"xxgk: {summary.prune_refused}", err=True)
    elif summary.gone and not prune and not quiet:
        click.echo(f"xxgk: {summary.gone} output(s) have no input any more (remove them with --prune), "
                   f"e.g. {summary.gone_inputs[0]}", err=True)
    if not quiet or summary.failed or summary.unreadable_folders:
        click.echo(f"xxgk: {summary.seen} files seen, {summary.parsed} parsed, {summary.unchanged} unchanged, "
                   f"{summary.with_errors} with errors, {summary.failed} failed, {summary.gone} gone"
                   f"{f' ({summary.pruned} pruned)' if summary.pruned else ''}; {summary.skipped} skipped, "
                   f"{summary.not_reports} not reports; {summary.seconds:.2f}s, "
                   f"{summary.reports_per_second:.0f} reports/s -> {out}", err=True)


class _Stopped(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (workers stopped, temporary files removed), then exit 128 + N."""

    def __init__(self, number: int):
        super().__init__(number)
        self.number = number


class _signals_stop_the_run:
    """While the run lasts: SIGTERM and SIGHUP unwind it like Ctrl-C does; a second signal is ignored
    while it unwinds. Ctrl-C (KeyboardInterrupt) becomes _Stopped(SIGINT)."""

    _NUMBERS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __enter__(self) -> None:
        self._previous = {}
        if threading.current_thread() is not threading.main_thread():
            return  # signal handlers can only be set from the main thread
        self._previous = {number: signal.getsignal(number) for number in self._NUMBERS}
        for number in self._NUMBERS:
            signal.signal(number, self._stop)

    def _stop(self, number: int, frame) -> None:
        for other in self._NUMBERS:
            signal.signal(other, signal.SIG_IGN)
        raise _Stopped(number)

    def __exit__(self, kind, error, traceback) -> bool:
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        if isinstance(error, KeyboardInterrupt):
            raise _Stopped(signal.SIGINT) from None
        return False


class _Progress:
    """A one-line counter on a terminal, redrawn at most ten times a second."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.last = 0.0
        self.width = 0

    def __call__(self, summary: Summary) -> None:
        now = time.monotonic()
        if self.enabled and now - self.last >= 0.1:
            self.last = now
            line = f"{summary.seen} seen, {summary.parsed} parsed, {summary.unchanged} unchanged"
            self.width = max(self.width, len(line))
            click.echo(f"\r{line}", err=True, nl=False)

    def clear(self) -> None:
        if self.enabled and self.width:
            click.echo("\r" + " " * self.width + "\r", err=True, nl=False)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_max_bytes
def show(file: Path, max_bytes: int) -> None:
    """Print the JSON of one report on standard output."""
    report = extract_file(file, file.name, max_bytes)
    click.echo(report_json(report), nl=False)
    sys.exit(EXIT_OK if report.parsed else EXIT_FAILED)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the report JSON."""
    click.echo(json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2))


@main.command()
@_paths
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error", show_default=True,
              help="Lowest finding severity that fails the check.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="text: path:line: severity code message; json: one object per file; "
                                      "github: GitHub Actions annotations.")
@click.option("--expected", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of expected JSON (same relative names as extract writes); differences fail.")
@click.option("--update", is_flag=True, help="With --expected: write the expected files from this run.")
@_include
@_exclude
@_max_bytes
def check(inputs: tuple[Path, ...], fail_on: str, output_format: str, expected: Path | None, update: bool,
          include: tuple[str, ...], exclude: tuple[str, ...], max_bytes: int) -> None:
    """Parse and validate INPUTS without writing outputs; exit 1 on problems.

    \b
    Exit codes: 0 nothing reached --fail-on and no expected value moved;
    1 a problem reached --fail-on, a value differs from --expected, or a
    file could not be parsed; 2 usage error.
    """
    if update and expected is None:
        raise click.UsageError("--update needs --expected DIR")
    level = FAIL_LEVELS[fail_on]
    failed = problems = changed = files = 0
    walk = find_inputs(list(inputs), Selection(tuple(include), tuple(exclude)))
    try:
        walk.check_names()
    except NameCollision as error:
        raise click.UsageError(str(error)) from None
    forget_resolved_paths()
    for item in walk:
        result = check_file(item, expected, update, max_bytes)
        files += 1
        failed += result.fails(level)
        problems += len(shown_findings(result))
        changed += len(result.differences) + result.expected_missing
        for line in _format_check(result, output_format):
            click.echo(line)
    summary = f"{files} files checked: {problems} problems, {changed} changed values, {failed} failing"
    if update:
        summary += f"; expected files written to {expected}"
    click.echo(summary, err=output_format != "text")
    sys.exit(EXIT_FAILED if failed and not update else EXIT_OK)


def _format_check(result: FileCheck, output_format: str) -> list[str]:
    if output_format == "json":
        return [json.dumps({
            "path": result.path, "parsed": result.report.parsed,
            "findings": [item.model_dump(mode="json") for item in result.report.findings],
            "differences": [{"key": item.key, "expected": item.expected, "actual": item.actual}
                            for item in result.differences],
            "expected_missing": result.expected_missing, "updated": result.updated,
        }, ensure_ascii=False)]
    lines = []
    for item in shown_findings(result):
        location = f"{result.path}:{item.line}" if item.line else result.path
        if output_format == "github":
            level = "error" if item.severity.value == "error" else "warning"
            line = f",line={item.line}" if item.line else ""
            lines.append(f"::{level} file={result.path}{line},title={item.code}::{_escape(item.message)}")
        else:
            lines.append(f"{location}: {item.severity.value} {item.code} {item.message}")
    if result.expected_missing:
        lines.append(_difference_line(result.path, output_format, "no expected file (run with --update)"))
    for difference in result.differences:
        lines.append(_difference_line(result.path, output_format, f"changed {difference}"))
    if result.updated:
        lines.append(f"{result.path}: expected file updated")
    return lines


def _difference_line(path: str, output_format: str, message: str) -> str:
    if output_format == "github":
        return f"::error file={path},title=changed value::{_escape(message)}"
    return f"{path}: error {message}"


def _escape(message: str) -> str:
    return message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
