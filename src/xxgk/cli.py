"""The command line: options in, library calls, results out as exit codes and messages.

Exit codes (all commands): 0 success; 1 the command's failure condition (extract: some file could
not be processed at all; check: a problem at or above --fail-on); 2 usage error.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .batch import Options, Summary, run_batch
from .check import FAIL_LEVELS, FileCheck, check_file, shown_findings
from .inputs import find_inputs
from .model import Report
from .output import report_json
from .pipeline import extract_file
from .read import DEFAULT_MAX_BYTES
from .state import OutputBusy

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3

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
    problem reached --fail-on (check); 2 usage error.
    """


@main.command()
@_paths
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: one JSON per report, reports.csv, findings.csv, run.json.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="cores",
              help="Worker processes; outputs are byte-identical for any number.")
@click.option("--force", is_flag=True, help="Parse every input again, even unchanged ones.")
@click.option("--prune", is_flag=True, help="Remove the outputs of inputs that have gone.")
@_max_bytes
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary; only errors.")
def extract(inputs: tuple[Path, ...], out: Path, jobs: int, force: bool, prune: bool, max_bytes: int,
            quiet: bool) -> None:
    """Extract every report under INPUTS into OUT, parsing only what changed.

    INPUTS are files or folders; folders are walked recursively for .txt, .md,
    .text, .html, .htm and .shtml files. A re-run parses only new or changed
    inputs (a new parser version parses everything again) and still writes CSVs
    that cover every report. Outputs whose input has gone are reported, and
    removed with --prune.

    \b
    Exit codes: 0 every file was processed (findings inside reports do not fail
    a run); 1 some file yielded no report at all, reported after the whole
    batch; 2 usage error; 3 another run is writing to OUT.
    """
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    try:
        summary = run_batch(find_inputs(list(inputs)), out, Options(max_bytes, jobs, force, prune), progress)
    except OutputBusy as error:
        click.echo(f"xxgk: {error}", err=True)
        sys.exit(EXIT_BUSY)
    progress.clear()
    for failure in summary.failures:
        click.echo(f"xxgk: cannot parse {failure}", err=True)
    if summary.gone and not prune and not quiet:
        click.echo(f"xxgk: {summary.gone} output(s) have no input any more (remove them with --prune), "
                   f"e.g. {summary.gone_inputs[0]}", err=True)
    if not quiet or summary.failed:
        click.echo(f"xxgk: {summary.seen} files seen, {summary.parsed} parsed, {summary.unchanged} unchanged, "
                   f"{summary.with_errors} with errors, {summary.failed} failed, {summary.gone} gone"
                   f"{f' ({summary.pruned} pruned)' if summary.pruned else ''}; {summary.seconds:.2f}s, "
                   f"{summary.reports_per_second:.0f} reports/s -> {out}", err=True)
    sys.exit(EXIT_FAILED if summary.failed else EXIT_OK)


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
@_max_bytes
def check(inputs: tuple[Path, ...], fail_on: str, output_format: str, expected: Path | None, update: bool,
          max_bytes: int) -> None:
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
    for item in find_inputs(list(inputs)):
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
