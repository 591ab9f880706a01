"""The command line: options in, library calls, results out as exit codes and messages.

Exit codes (all commands): 0 success; 1 the command's failure condition (extract: some file could
not be processed at all; check: a problem at or above --fail-on); 2 usage error.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from . import __version__
from .batch import find_inputs, run_batch
from .check import FAIL_LEVELS, FileCheck, check_file, shown_findings
from .model import Report
from .output import report_json
from .pipeline import extract_file
from .read import DEFAULT_MAX_BYTES

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

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
              help="Output folder: one JSON per report, reports.csv, findings.csv.")
@_max_bytes
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def extract(inputs: tuple[Path, ...], out: Path, max_bytes: int, quiet: bool) -> None:
    """Extract every report under INPUTS into OUT.

    INPUTS are files or folders; folders are walked recursively for .txt, .md,
    .text, .html, .htm and .shtml files. Findings inside reports do not fail the
    run; files that yield no report at all exit 1 after the whole batch is done.
    """
    started = time.monotonic()
    summary = run_batch(find_inputs(list(inputs)), out, max_bytes)
    seconds = time.monotonic() - started
    for failure in summary.failures:
        click.echo(f"xxgk: cannot parse {failure}", err=True)
    if not quiet:
        rate = summary.seen / seconds if seconds else 0.0
        click.echo(f"{summary.seen} files: {summary.parsed} parsed ({summary.with_errors} with error findings), "
                   f"{summary.failed} failed; {seconds:.2f}s, {rate:.0f} reports/s -> {out}", err=True)
    sys.exit(EXIT_FAILED if summary.failed else EXIT_OK)


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
