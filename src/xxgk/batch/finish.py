"""The end of a run: outputs whose input has gone, then the CSVs, reports.jsonl and cross_year.csv,
streamed from the state in path order, and nothing rewritten when nothing changed.

After writing them the state keeps a stamp: a digest of every entry the outputs are made from
(`State.identity`) with each output file's size, mtime and inode, and the counts the run took from
them. A later run that parsed nothing, and finds the same digest and every file as stamped, leaves
the files as they are (rewriting and syncing the 100 MB cells.csv of 2,000 reports was most of a
no-change re-run, and a cron job's next steps see unchanged files as unchanged); it only writes
run.json. Anything else, an input, an option, the parser, a gone input, a file edited, replaced or
removed, or a killed run's half-replaced outputs, writes them all again. The report JSONs get the same
check at the start of a run: the state keeps each one's size and mtime as written (run.py, also after
the duplicate pass rewrites one here), and an input whose JSON is not as written is parsed again.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from xxgk.batch.duplicates import mark_row
from xxgk.batch.inputs import output_path
from xxgk.batch.jsonl import REPORTS_JSONL, switch_mode, write_lines
from xxgk.batch.output import FINDINGS_CSV_COLUMNS, REPORT_COLUMNS, CsvSink
from xxgk.batch.processing import scratch_folder
from xxgk.batch.state import STATE_DIR, State, cache_guard
from xxgk.batch.unchanged import output_digest
from xxgk.parsing.cross_year import write_cross_year
from xxgk.report.errors import UnsafeOutputPath
from xxgk.research.extra import EXTRA_ROWS_CSV
from xxgk.research.outputs import CELLS_CSV, DATAPACKAGE_JSON, RATES_CSV, ResearchTables, relative_of
from xxgk.research.rendered import FILE as RENDERED_FILE, version as rendered_version

if TYPE_CHECKING:  # run.py imports this module
    from xxgk.batch.run import Options, Summary

REPORTS_CSV = "reports.csv"
FINDINGS_CSV = "findings.csv"
CROSS_YEAR_CSV = "cross_year.csv"
DEFAULT_MAX_DELETE = "50%"
OUTPUT_FILES = (REPORTS_CSV, FINDINGS_CSV, CELLS_CSV, RATES_CSV, EXTRA_ROWS_CSV, DATAPACKAGE_JSON, CROSS_YEAR_CSV)


@dataclass
class Tally:
    """What the run's summary takes from the outputs (kept in the stamp for a run that writes none)."""

    with_errors: int = 0
    failed: int = 0
    not_reports: int = 0
    cross_year_mismatches: int = 0
    findings_by_code: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def finish(state: State, out: Path, options: Options, summary: Summary, unreadable: list[tuple[str, str]]) -> None:
    """Report (and with --prune remove) outputs whose input has gone, then write the outputs unless
    they are up to date.

    Outputs under a folder that could not be read are kept (and stay in the CSVs): their inputs may
    well still be there.
    """
    for prefix, message in unreadable:
        state.keep_under(prefix)
        summary.unreadable_folders.append(message)
    summary.gone_inputs = state.gone()
    summary.gone = len(summary.gone_inputs)
    if options.prune and summary.gone:
        _prune_gone(state, out, options, summary)
    summary.warnings.extend(switch_mode(state, out, options.jsonl, options.prune))
    names = OUTPUT_FILES + ((REPORTS_JSONL,) if options.jsonl else ())
    identity = state.identity(f"{rendered_version()} non_reports={options.non_reports}")  # + metrics.json
    stamp = state.stamp()
    if stamp and stamp[:2] == (identity, file_stamps(out, names)) and set(stamp[2]) == _TALLY_FIELDS:
        tally = Tally(**stamp[2])  # no stamp when this run parsed anything
    else:
        state.clear_stamp()
        tally = write_outputs(state, out, options)
        state.set_stamp(identity, file_stamps(out, names), asdict(tally))
    for name, value in asdict(tally).items():
        setattr(summary, name, value)


_TALLY_FIELDS = {item.name for item in fields(Tally)}


def file_stamps(out: Path, names: tuple[str, ...]) -> dict[str, list[int] | None]:
    """name -> [size, mtime_ns, inode] of each output file, None for one that is not there."""
    stamps: dict[str, list[int] | None] = {}
    for name in names:
        try:
            status = os.stat(out / name)
            stamps[name] = [status.st_size, status.st_mtime_ns, status.st_ino]
        except OSError:
            stamps[name] = None
    return stamps


def _json_stamp(out: Path, relative: str) -> tuple[tuple[int, int] | None, str | None]:
    """(size, mtime_ns) of a report's JSON file just rewritten, and the digest of its bytes, which the
    state keeps as the one written (unchanged.py)."""
    try:
        path = output_path(out, relative)
        status = os.stat(path)
        return (status.st_size, status.st_mtime_ns), output_digest(path.read_bytes())
    except (OSError, UnsafeOutputPath):
        return None, None


def write_outputs(state: State, out: Path, options: Options) -> Tally:
    """reports.csv, findings.csv, cells.csv, rates.csv, extra_rows.csv, datapackage.json, reports.jsonl
    (--jsonl) and cross_year.csv, each written under a temporary name and renamed into place."""
    tally = Tally()
    scratch = scratch_folder(out)
    cache = cache_guard(out / STATE_DIR / RENDERED_FILE)  # its errors name rendered.sqlite3, not the state
    with cache:
        research = ResearchTables(out, scratch, state if options.jsonl else None,
                                  on_rewrite=lambda relative: state.rewritten(relative, *_json_stamp(out, relative)))
    reports = CsvSink(out / REPORTS_CSV, REPORT_COLUMNS, scratch)
    findings = CsvSink(out / FINDINGS_CSV, FINDINGS_CSV_COLUMNS, scratch)
    lines = None
    try:
        relatives = (relative_of(row[0]) for row, *_ in state.current())  # read under the state's own guard
        with cache:
            duplicates = research.find_duplicates(relatives)
        for row, rows, parsed, has_errors in state.current():
            extra = duplicates.get(relative_of(row[0]), [])
            row, rows = mark_row(row, extra), rows + extra
            with cache:
                research.add(relative_of(row[0]))
            reports.write([row])
            findings.write(rows)
            _count(tally, options.non_reports, row, rows, parsed, has_errors)
        lines = write_lines(state, out / REPORTS_JSONL, scratch, research) if options.jsonl else None
        reports.commit()
        findings.commit()
        with cache:
            research.commit()
    except BaseException:
        reports.abandon()
        findings.abandon()
        with cache:
            research.abandon()
        if lines is not None:
            lines.abandon()
        raise
    if lines is not None:
        lines.commit()
    tally.cross_year_mismatches = write_cross_year(state, out / CROSS_YEAR_CSV, scratch)
    return tally


def _count(tally: Tally, non_reports: str | None, row: list, rows: list[list], parsed: bool, has_errors: bool) -> None:
    for finding_row in rows:
        tally.findings_by_code[finding_row[1]] = tally.findings_by_code.get(finding_row[1], 0) + 1
    if not parsed:
        if rows and rows[0][1] == "not_a_report" and _skip_non_report(non_reports, row[0]):
            tally.not_reports += 1
            return
        tally.failed += 1
        message = rows[0][FINDINGS_CSV_COLUMNS.index("message")] if rows else "no report"
        tally.failures.append(f"{row[0]}: {message}")
    elif has_errors:
        tally.with_errors += 1


def _skip_non_report(policy: str | None, name: object) -> bool:
    """Whether a file that is not a report is skipped rather than failed; by default *.md notes and
    files without a suffix (read only because they looked like text) are skipped, the others fail."""
    if policy is not None:
        return policy == "skip"
    base = str(name).rsplit("/", 1)[-1]
    return base.lower().endswith(".md") or "." not in base


def _prune_gone(state: State, out: Path, options: Options, summary: Summary) -> None:
    limit = delete_limit(options.max_delete, summary.gone + summary.seen)
    if summary.gone > limit:
        summary.prune_refused = (f"--prune would delete {summary.gone} of {summary.gone + summary.seen} outputs, "
                                 f"over --max-delete {options.max_delete}; nothing was deleted (check the "
                                 f"inputs, or allow it with --max-delete {summary.gone})")
        return
    for relative in summary.gone_inputs:
        try:
            output_path(out, relative).unlink(missing_ok=True)
        except UnsafeOutputPath:
            pass
        state.forget(relative)
        summary.pruned += 1
    state.commit()


def delete_limit(spec: str, outputs: int) -> int:
    """How many outputs --prune may delete: `spec` is a count ("100") or a share ("50%")."""
    text = spec.strip()
    if text.endswith("%"):
        share = float(text[:-1])
        if not 0 <= share <= 100:
            raise ValueError(f"{spec!r}: a share must be between 0% and 100%")
        return int(outputs * share / 100)
    count = int(text)
    if count < 0:
        raise ValueError(f"{spec!r}: a count must not be negative")
    return count
