"""--jsonl: every report as one line of OUT/reports.jsonl instead of a JSON file each.

A worker hands back the report's compact line (output.report_line) with its result, the state keeps it
compressed next to the report's CSV rows (state.py), and at the end of a run reports.jsonl is streamed
from the state in path order like reports.csv, under a temporary name in the process's scratch folder,
then renamed into place: no file is created per report, unchanged inputs keep their stored line, and a
killed run leaves the previous reports.jsonl whole. A line holds the same JSON as the report's file in
the per-file mode, with its duplicate_report findings added here (the stored line has none).
"""
from __future__ import annotations

from pathlib import Path

from xxgk.report.errors import UnsafeOutputPath
from xxgk.batch.inputs import output_path
from xxgk.batch.output import LineSink
from xxgk.research.outputs import ResearchTables, relative_of
from xxgk.batch.state import State

REPORTS_JSONL = "reports.jsonl"


def write_lines(state: State, path: Path, scratch: Path, research: ResearchTables) -> LineSink:
    """reports.jsonl, in path order, under its temporary name: a line for every input of this run and
    for every gone input not pruned (as its JSON file would stay); the caller commits it."""
    lines = LineSink(path, scratch)
    try:
        for relative, line, current in state.lines():
            lines.write(research.line(relative, line) if current else line)
    except BaseException:
        lines.abandon()
        raise
    return lines


def switch_mode(state: State, out: Path, jsonl: bool, prune: bool) -> list[str]:
    """The outputs of the other mode left in OUT (--jsonl: the JSON files of this run's inputs; a file per
    report: reports.jsonl): removed with `prune`; else reports.jsonl gets a warning (returned) that it is
    stale. (The JSON files are not looked for without `prune`: that would cost a stat per report.)"""
    if jsonl:
        if prune:
            for row, *_ in state.current():
                try:
                    output_path(out, relative_of(row[0])).unlink(missing_ok=True)
                except (UnsafeOutputPath, IsADirectoryError):
                    pass
        return []
    stale = out / REPORTS_JSONL
    if stale.is_file():
        if prune:
            stale.unlink()
        else:
            return [f"{stale} is from an earlier --jsonl run and was not updated by this run "
                    "(remove it, or run with --prune)"]
    return []
