"""The tidy long table `cells.csv`: one row per template cell of every report, with its status.

What pandas, R or Stata users pivot. Every parsed report gets the same cells (the canonical keys of
FORMAT.md §12, both templates), each with a status that says honestly what an empty value means:

- `printed`: the report prints this value;
- `blank`: the report prints nothing in this cell (its row was read);
- `undetermined`: xxgk could not place a value there; `finding` names the finding that says why;
- `not_in_template`: the report's template has no such cell (2019 rows in a 2021 report, pre-2019);
- `table_missing`: the report has no readable table for this section (`finding` says why, if known).

Reports that could not be read (`parsed` false) have no cells; they are in reports.csv and findings.csv.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

from xxgk import templates
from xxgk.templates import markers as tpl
from xxgk.gate.compare import lookup
from xxgk.templates.labels import column_label, row_label

PRINTED, BLANK, UNDETERMINED, NOT_IN_TEMPLATE, TABLE_MISSING = (
    "printed", "blank", "undetermined", "not_in_template", "table_missing")
STATUSES = {
    PRINTED: "the report prints this value",
    BLANK: "the report prints nothing in this cell (its row was read); not 0",
    UNDETERMINED: "xxgk could not determine the value (the finding column names why); not blank, not 0",
    NOT_IN_TEMPLATE: "the report's template has no such cell (a 2019 row in a 2021 report, or a pre-2019 report)",
    TABLE_MISSING: "the report has no readable table for this section (the finding column says why, when known)",
}
CELL_COLUMNS = ("source.path", "source.sha256", "agency", "year", "template", "table_key", "row_key", "column_key",
                "row_label", "column_label", "value", "unit", "status", "finding", "line")
# codes whose meaning (findings.py) is that cells were left null
_NULLING = ("missing_row", "missing_cells", "ambiguous_cells", "rule_fails_on_reading", "too_many_cells",
            "cells_run_together", "unreadable_cell", "out_of_order_row", "missing_table", "truncated_report",
            "unknown_template")
_TABLES = templates.TABLE_KEYS
CELL_KEYS = tuple(key for key in templates.canonical_keys() if templates.cell_columns()[key].cell)


class Cell(NamedTuple):
    key: str
    table: str
    row: str
    column: str
    value: int | float | None
    status: str
    finding: str | None
    line: int | None


def _layout() -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
    """CELL_KEYS as runs of one table row: (table, row, ((column, key), ...)), in CELL_KEYS order."""
    runs: list[tuple[str, str, list[tuple[str, str]]]] = []
    for key in CELL_KEYS:
        table, row, column = key.split(".")
        if not runs or runs[-1][:2] != (table, row):
            runs.append((table, row, []))
        runs[-1][2].append((column, key))
    return tuple((table, row, tuple(cells)) for table, row, cells in runs)


_LAYOUT = _layout()
_TABLE_ORDER = tuple(dict.fromkeys(table for table, _, _ in _LAYOUT))  # canonical_keys() lists them table by table


@functools.lru_cache(maxsize=4)
def table_cells(table: str) -> tuple[tuple[str, str, str], ...]:
    """(row, column, key) of every cell of a table, in CELL_KEYS order."""
    return tuple((row, column, key) for run_table, row, columns in _LAYOUT if run_table == table
                 for column, key in columns)


@functools.lru_cache(maxsize=8)
def template_cells(table: str, template: str) -> frozenset[tuple[str, str]] | None:
    """(row, column) of a table in a template; None when the template is not a known version."""
    found = templates.table(template, table)
    if found is None:
        return frozenset() if template == tpl.TEMPLATE_PRE2019 else None
    return frozenset(tuple(cell.split(".")) for cell in found.cells)


def table_template(meta: dict, table: str) -> str:
    return (meta.get("table_templates") or {}).get(table) or meta.get("template") or tpl.TEMPLATE_UNKNOWN


def report_cells(data: dict) -> list[Cell]:
    """Every template cell of one report (its JSON data), with the status of its value."""
    if not data.get("parsed"):
        return []
    meta = data.get("meta") or {}
    explain = _finding_lookup(data.get("findings") or [])
    undetermined = set(data.get("undetermined") or ())
    lines = data.get("row_lines") or {}
    cells: list[Cell] = []
    for table in _TABLE_ORDER:
        template = table_template(meta, table)
        unknown = template_cells(table, template) is None  # a template other than 2019 and 2021
        section = data.get(table)
        if section is None:
            missing = explain(table, "meta.template", "source")
            cells.extend(absent or Cell(key, table, row, column, None, TABLE_MISSING, missing, None)
                         for row, _, columns in _plan(table, template) for column, key, absent in columns)
            continue
        whole_table = lines.get(f"{table}.{table}")
        for row, row_key, columns in _plan(table, template):
            values = section.get(row) if isinstance(section, dict) else None
            line = lines.get(row_key) or whole_table
            for column, key, absent in columns:
                if absent is not None:
                    cells.append(absent)
                elif values is None and unknown:  # a row of one template only, the template unknown
                    cells.append(Cell(key, table, row, column, None, UNDETERMINED, "unknown_template", line))
                elif (value := values.get(column) if isinstance(values, dict) else None) is not None:
                    cells.append(Cell(key, table, row, column, value, PRINTED, None, line))
                else:
                    code = explain(key, row_key, table)
                    status = UNDETERMINED if key in undetermined or code is not None else BLANK
                    cells.append(Cell(key, table, row, column, None, status, code, line))
    return cells


@functools.lru_cache(maxsize=32)
def _plan(table: str, template: str) -> tuple[tuple[str, str, tuple[tuple[str, str, Cell | None], ...]], ...]:
    """The rows of `table` in CELL_KEYS order as (row, its key, ((column, key, absent), ...)), `absent`
    being the not_in_template cell when the template has no such cell (the same for every report, so
    built once, not per report and cell)."""
    in_template = template_cells(table, template)
    return tuple(
        (row, f"{table}.{row}", tuple(
            (column, key, Cell(key, table, row, column, None, NOT_IN_TEMPLATE, None, None)
             if in_template is not None and (row, column) not in in_template else None)
            for column, key in columns))
        for run_table, row, columns in _LAYOUT if run_table == table)


def _finding_lookup(findings: list[dict]):
    """A function (keys, most specific first) -> the code of the first finding on one of them that
    leaves cells null."""
    by_key: dict[str, str] = {}
    for item in findings:
        if item.get("code") in _NULLING and item.get("key"):
            by_key.setdefault(item["key"], item["code"])

    def explain(*keys: str) -> str | None:
        for key in keys:
            if key in by_key:
                return by_key[key]
        return None
    return explain


def unit(data: dict, table: str, row: str, column: str) -> str | None:
    return units(data).get(column)


def units(data: dict) -> dict[str, str | None]:
    """column -> the unit of a printed value in that column of this report (the other columns have none)."""
    return {"amount_10k_yuan": "万元", "amount": lookup(data, "active_disclosure.procurement.amount_unit")}


@functools.lru_cache(maxsize=1024)
def labels(table: str, row: str, column: str, template: str | None) -> tuple[str, str]:
    """The Chinese row and column labels of a cell."""
    return row_label(table, row, template), column_label(table, column)


def table_templates(data: dict) -> dict[str, str | None]:
    """The template of each table as cells.csv names it: the table's own, else the report's."""
    meta = data.get("meta") or {}
    return {table: (meta.get("table_templates") or {}).get(table) or meta.get("template") for table in _TABLES}


def report_head(data: dict, guard: Callable[[Any], Any] = lambda value: value) -> list[Any]:
    """path, sha256, agency, year: the columns that say which report a row is of; `guard` makes the
    text from the report safe for a spreadsheet (the rest of a row is xxgk's own words and numbers)."""
    source, meta = data.get("source") or {}, data.get("meta") or {}
    return [guard(value) for value in (source.get("path"), source.get("sha256"), meta.get("agency"), meta.get("year"))]


def cell_rows(data: dict, cells: list[Cell] | None = None, guard: Callable[[Any], Any] = lambda value: value
              ) -> list[list[Any]]:
    """The cells.csv rows of one report (`cells`: its `report_cells`, when already computed);
    `template` is the template of the cell's table (a hybrid report's table 二 may follow 2019 while
    its table 三 follows 2021)."""
    head = report_head(data, guard)
    templates = table_templates(data)
    rows = []
    for cell in report_cells(data) if cells is None else cells:
        template = templates[cell.table]
        rows.append([*head, template, cell.table, cell.row, cell.column,
                     *labels(cell.table, cell.row, cell.column, template), cell.value,
                     unit(data, cell.table, cell.row, cell.column) if cell.status == PRINTED else None,
                     cell.status, cell.finding, cell.line])
    return rows
