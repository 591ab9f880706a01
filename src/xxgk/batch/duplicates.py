"""Duplicate reports across a batch: the same bytes under two names, or two reports with the same
agency, year and table values (copied reports are a known data-quality problem).

A batch-level pass at the end of a run, over the reports in path order: the first of a group stays as it
is, and every later one gets a `duplicate_report` finding naming the first, in its JSON (rewritten only
when its duplicate findings change) and in findings.csv; so dropping the reports with this finding keeps
exactly one copy of each. The groups come from the keys cached in rendered.py's database (a SQL group
by), so memory grows with the duplicates found, not with the reports.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import orjson

from xxgk.gate.compare import CANONICAL_KEYS
from xxgk.report.errors import UnsafeOutputPath
from xxgk.report.findings import finding
from xxgk.batch.inputs import output_path
from xxgk.batch.output import REPORT_COLUMNS, finding_rows, report_bytes, write_atomic

CODE = "duplicate_report"


def read_reports(out: Path, relatives: Iterable[str]) -> Iterator[tuple[str, dict]]:
    """(relative, JSON data) of each report whose JSON is in OUT."""
    for relative in relatives:
        try:
            yield relative, orjson.loads(output_path(out, relative).read_bytes())
        except (OSError, ValueError, UnsafeOutputPath):
            continue


def _key_rows() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """CANONICAL_KEYS (all `table.row.column`) as runs of one row: (table, row, (column, ...))."""
    runs: list[tuple[str, str, list[str]]] = []
    for key in CANONICAL_KEYS:
        table, row, column = key.split(".")
        if not runs or runs[-1][:2] != (table, row):
            runs.append((table, row, []))
        runs[-1][2].append(column)
    return tuple((table, row, tuple(columns)) for table, row, columns in runs)


_KEY_ROWS = _key_rows()


def values_digest(data: dict) -> str | None:
    """Agency, year and every table value; None when there is nothing to compare on."""
    meta = data.get("meta") or {}
    values = []
    for table, row, columns in _KEY_ROWS:  # lookup() of every canonical key, each row looked up once
        section = data.get(table)
        cells = section.get(row) if isinstance(section, dict) else None
        if isinstance(cells, dict):
            values.extend([cells.get(column) for column in columns])
        else:
            values.extend([None] * len(columns))
    if not data.get("parsed") or not meta.get("agency") or meta.get("year") is None \
            or all(value is None for value in values):
        return None
    return hashlib.sha256(orjson.dumps([meta["agency"], meta["year"], values])).hexdigest()[:32]


def find_duplicates(groups: Iterable[tuple[str, list[tuple[str, str | None]]]]) -> dict[str, list[dict]]:
    """relative -> the duplicate_report findings it should have (JSON data), from the groups of reports
    with the same bytes (kind `bytes`) or the same values (`values`), each as (relative, sha256) in path
    order, the `bytes` groups first."""
    found: dict[str, list[dict]] = {}
    for kind, members in groups:
        first, first_sha256 = members[0]
        for relative, sha256 in members[1:]:
            if kind == "values" and sha256 is not None and sha256 == first_sha256:
                continue  # identical files: said once, as the same bytes
            what = "the same bytes as" if kind == "bytes" else "the same agency, year and table values as"
            chinese = "文件内容相同" if kind == "bytes" else "机关、年度和表格数据相同"
            found.setdefault(relative, []).append(finding(
                CODE, f"{what} {first}, the first of {len(members)} such inputs in path order "
                      f"(重复报告：与 {first} {chinese})", key="source",
                detail_zh=f"与按路径排序的第一份 {first} {chinese}，此类文件共{len(members)}份").model_dump(mode="json"))
    return found


def apply(out: Path, found: dict[str, list[dict]], present: dict[str, list[dict]],
          rewritten: Callable[[str, list[dict]], None] = lambda relative, findings: None,
          scratch: Path | None = None) -> dict[str, list[list]]:
    """Write the duplicate findings into the reports' JSON where they changed (dropping stale ones),
    telling `rewritten` of each file written; return the findings.csv rows to add per report. The
    temporary files go in `scratch` (the process's folder under OUT/.xxgk), so a kill leaves none in OUT."""
    for relative in sorted(set(found) | set(present)):
        if found.get(relative, []) == present.get(relative, []):
            continue
        for _, data in read_reports(out, [relative]):
            kept = [item for item in data.get("findings") or [] if item.get("code") != CODE]
            data["findings"] = kept + found.get(relative, [])
            write_atomic(output_path(out, relative), report_bytes(data), scratch=scratch)
            rewritten(relative, found.get(relative, []))
    return {relative: finding_rows({"source": {"path": relative}, "findings": new}) for relative, new in found.items()}


_WARNINGS, _CODES = REPORT_COLUMNS.index("findings.warnings"), REPORT_COLUMNS.index("findings.codes")


def mark_row(row: list, extra: list[list]) -> list:
    """A reports.csv row with its duplicate_report findings counted (warnings) and listed (codes)."""
    if not extra:
        return row
    row = list(row)
    row[_WARNINGS] = (row[_WARNINGS] or 0) + len(extra)
    row[_CODES] = " ".join(sorted({*str(row[_CODES] or "").split(), CODE}))
    return row
