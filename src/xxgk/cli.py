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
