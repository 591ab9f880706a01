"""The command line: options in, library calls, results out as exit codes and messages.

Exit codes (all commands): 0 success; 1 the command's failure condition (extract: some file could
not be processed at all; check: a problem at or above --fail-on); 2 usage error. extract also:
3 another run holds OUT; 4 OUT or its state cannot be written; 5 the disk of OUT is full; 6 OUT/.xxgk
is a link or not a folder; 7 no input file found; 8 --prune refused by --max-delete; 130 Ctrl-C;
143 SIGTERM (129 SIGHUP), for every command from its first moment (__main__.py).
"""
from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path

import click

from xxgk import __version__
from xxgk.templates import dictionary
from xxgk.batch.signals import Stopped, signals_stop_the_run, stopped_line
from xxgk.batch.finish import delete_limit
from xxgk.batch.messages import run_lines
from xxgk.cli_progress import Progress as _Progress, check_line, on_terminal as _on_terminal
from xxgk.batch.run import DEFAULT_MAX_DELETE, Options, Summary, run_batch
from xxgk.gate.check import FAIL_LEVELS, CheckOptions, CheckTally, FileCheck, check_all, removed_expected
from xxgk.gate.messages import check_summary, format_check
from xxgk.report.errors import NameCollision, NoInputs, OutputProblem, PruneRefused
from xxgk.research.export import ExportError, export_sqlite
from xxgk.batch.inputs import Selection, find_inputs, forget_resolved_paths
from xxgk.report.model import Report
from xxgk.batch.output import report_json
from xxgk.pipeline import extract_file
from xxgk.batch.processing import DEFAULT_TIME_LIMIT
from xxgk.report.provenance import run_provenance
from xxgk.sources.read import DEFAULT_MAX_BYTES
from xxgk.research.workbook import export_xlsx

# The objects the imports made (pydantic schemas, templates, compiled patterns) live as long as the
# process: frozen, the full collections of a run no longer walk them (1,000 bench reports: gen-2
# collections 117 -> 11 ms of CPU); once, at import, so repeated runs in one process freeze nothing more.
gc.freeze()

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3
EXIT_SIGNAL_BASE = 128  # killed by signal N: 128 + N (Ctrl-C 130, SIGTERM 143)

_paths = click.argument("inputs", nargs=-1, required=True,
                        type=click.Path(exists=True, path_type=Path))
_max_bytes = click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
                          help="Files larger than this are recorded as too large, not parsed.")


class _Main(click.Group):
    """The command group; it keeps the arguments it was given, for run.json's command line."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["xxgk.argv"] = ["xxgk", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
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
              help="Output folder: one JSON per report (or reports.jsonl), reports.csv, findings.csv, run.json.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="cores",
              help="Worker processes; outputs are byte-identical for any number.")
@click.option("--force", is_flag=True, help="Parse every input again, even unchanged ones.")
@click.option("--prune", is_flag=True, help="Remove the outputs of inputs that have gone (and, after a switch "
                                           "between --jsonl and a file per report, the other mode's outputs).")
@click.option("--jsonl", is_flag=True, help="All reports in OUT/reports.jsonl, one line each, instead of a JSON "
                                           "file per report.")
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
def extract(inputs: tuple[Path, ...], out: Path, jobs: int, force: bool, prune: bool, jsonl: bool, max_delete: str,
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
    walk = find_inputs(list(inputs), Selection(tuple(include), tuple(exclude), out=out))
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    options = Options(max_bytes, jobs, force, prune, time_limit, max_delete, non_reports, jsonl)
    try:
        with signals_stop_the_run():
            try:
                walk.check_names()
            except NameCollision as error:
                raise click.UsageError(str(error)) from None
            provenance = run_provenance(click.get_current_context().meta["xxgk.argv"], list(inputs))
            code = _extract(walk, out, options, progress, quiet, provenance)
    except Stopped as stopped:
        progress.clear()
        click.echo(f"{stopped_line(stopped.number)}; the next run finishes the work", err=True)
        code = EXIT_SIGNAL_BASE + stopped.number
    sys.exit(code)


def _extract(walk, out: Path, options: Options, progress: _Progress, quiet: bool, provenance: dict) -> int:
    try:
        summary = run_batch(walk, out, options, progress, provenance=provenance)
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
    for line in run_lines(summary, out, prune, quiet):
        click.echo(line, err=True)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_max_bytes
def show(file: Path, max_bytes: int) -> None:
    """Print the JSON of one report on standard output."""
    report = extract_file(file, file.name, max_bytes)
    click.echo(report_json(report), nl=False)
    sys.exit(EXIT_OK if report.parsed else EXIT_FAILED)


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path),
              help="Write an Excel workbook (Chinese headers, a sheet per table); needs xxgk[excel].")
@click.option("--sqlite", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a SQLite database: reports, cells, findings, rates, metrics, run.")
def export(out: Path, xlsx: Path | None, sqlite: Path | None) -> None:
    """Export the outputs of an `xxgk extract` run in OUT as a workbook and/or a database.

    \b
    Exit codes: 0 written; 1 OUT holds no finished run, or openpyxl is missing;
    2 usage error (neither --xlsx nor --sqlite).
    """
    if xlsx is None and sqlite is None:
        raise click.UsageError("give --xlsx FILE, --sqlite FILE or both")
    try:
        if sqlite is not None:
            export_sqlite(out, sqlite)
        if xlsx is not None:
            export_xlsx(out, xlsx)
    except (ExportError, OSError) as error:
        click.echo(f"xxgk: {error}", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"xxgk: exported {out} -> {', '.join(str(path) for path in (sqlite, xlsx) if path)}", err=True)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the report JSON."""
    click.echo(json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2))


@main.command()
@click.option("--format", "output_format", type=click.Choice(sorted(dictionary.FORMATS)), default="table",
              show_default=True, help="table for a terminal; csv, json or markdown (docs/keys.md) for tools.")
def keys(output_format: str) -> None:
    """Print the data dictionary: every canonical key with its template(s), table, Chinese row and
    column labels, unit and meaning."""
    click.echo(dictionary.FORMATS[output_format](), nl=False)


@main.command()
@_paths
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error", show_default=True,
              help="Lowest severity of a new finding (one not in the expected file) that fails the check.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="text: path:line: severity code key message; json: one object per file; "
                                      "github: GitHub Actions annotations.")
@click.option("--expected", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of expected JSON (same relative names as extract writes), the reviewed baseline: "
                   "moved values fail, findings it holds do not. It must exist, unless --update creates it.")
@click.option("--update", is_flag=True, help="With --expected: record this run as the reviewed state (write "
              "changed expected files, create the folder if needed, delete expected files whose input has "
              "gone); exit 1 if a file still fails.")
@click.option("--strict", is_flag=True, help="With --expected: also compare paths, hashes, sizes, section text, "
              "rule tallies and finding lines and messages.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="cores",
              help="Worker processes; the output is the same for any number.")
@_include
@_exclude
@_max_bytes
def check(inputs: tuple[Path, ...], fail_on: str, output_format: str, expected: Path | None, update: bool,
          strict: bool, jobs: int, include: tuple[str, ...], exclude: tuple[str, ...], max_bytes: int) -> None:
    """Parse and validate INPUTS without writing outputs; exit 1 on problems.

    With --expected DIR, each input is compared with DIR/<its name below the
    folder given>.json: values and findings (code, key) by default, whatever
    the folder is called. A finding the expected file already holds (a known
    inconsistency of the source, reviewed once) does not fail; a new one does.
    Expected files whose input has gone are reported as removed and fail.

    \b
    Exit codes: 0 nothing reached --fail-on and no expected value moved;
    1 a new finding reached --fail-on, a value differs from --expected, an
    expected file is missing or has no input, or a file could not be parsed;
    2 usage error (also: --expected DIR does not exist, without --update).
    """
    if update and expected is None:
        raise click.UsageError("--update needs --expected DIR")
    if expected is not None and not expected.is_dir():
        if expected.exists() or not update:
            raise click.UsageError(f"--expected {expected}: no such folder (--update creates it)")
    level = FAIL_LEVELS[fail_on]
    options = CheckOptions(expected, update, strict, max_bytes)
    tally = CheckTally()
    progress = _Progress(enabled=output_format != "github" and _on_terminal(), describe=check_line)

    def record(result: FileCheck) -> None:
        tally.add(result, level)
        lines = format_check(result, output_format)
        if lines:
            progress.clear()
            click.echo("\n".join(lines))
        progress(tally)

    walk = find_inputs(list(inputs), Selection(tuple(include), tuple(exclude)))
    try:
        walk.check_names()
    except NameCollision as error:
        raise click.UsageError(str(error)) from None
    forget_resolved_paths()
    check_all(walk, options, jobs, record)
    for result in removed_expected(list(inputs), options):
        record(result)
    progress.clear()
    click.echo(check_summary(tally, expected if update else None), err=output_format != "text")
    sys.exit(EXIT_FAILED if tally.failed else EXIT_OK)
