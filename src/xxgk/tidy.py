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
from dataclasses import dataclass
from typing import Any

from . import template as tpl
from .compare import lookup
from .labels import column_label, row_label

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
# codes whose message says that cells were left null (FINDINGS.md / findings.py)
_NULLING = ("missing_row", "missing_cells", "ambiguous_cells", "rule_fails_on_reading", "too_many_cells",
            "cells_run_together", "unreadable_cell", "out_of_order_row", "missing_table", "truncated_report",
            "unknown_template")
CELL_KEYS = tuple(key for key in tpl.canonical_keys() if not key.endswith(".amount_unit"))


@dataclass(frozen=True)
class Cell:
    table: str
    row: str
    column: str
    value: int | float | None
    status: str
    finding: str | None
    line: int | None

    @property
    def key(self) -> str:
        return f"{self.table}.{self.row}.{self.column}"


@functools.lru_cache(maxsize=8)
def template_cells(table: str, template: str) -> frozenset[tuple[str, str]] | None:
    """(row, column) of a table in a template; None when the template is not 2019 or 2021."""
    if template not in (tpl.TEMPLATE_2019, tpl.TEMPLATE_2021):
        return frozenset() if template == tpl.TEMPLATE_PRE2019 else None
    if table == "active_disclosure":
        return frozenset((spec.key, field) for spec in tpl.ACTIVE_ROWS[template] for field in spec.fields)
    if table == "requests":
        return frozenset((spec.key, column) for spec in tpl.REQUEST_ROWS[template] for column in spec.fields)
    return frozenset((block, field) for block in tpl.REVIEW_BLOCKS for field in tpl.REVIEW_FIELDS)


def report_cells(data: dict) -> list[Cell]:
    """Every template cell of one report (its JSON data), with the status of its value."""
    if not data.get("parsed"):
        return []
    meta = data.get("meta") or {}
    explain = _finding_lookup(data.get("findings") or [])
    undetermined = set(data.get("undetermined") or ())
    lines = data.get("row_lines") or {}
    cells = []
    for key in CELL_KEYS:
        table, row, column = key.split(".")
        template = (meta.get("table_templates") or {}).get(table) or meta.get("template") or tpl.TEMPLATE_UNKNOWN
        value = lookup(data, key)
        line = lines.get(f"{table}.{row}") or lines.get(f"{table}.{table}")
        status, code = _status(data, key, table, row, column, template, value, undetermined, explain)
        cells.append(Cell(table, row, column, value if status == PRINTED else None, status, code,
                          line if status != TABLE_MISSING else None))
    return cells


def _status(data: dict, key: str, table: str, row: str, column: str, template: str, value: Any,
            undetermined: set[str], explain) -> tuple[str, str | None]:
    cells = template_cells(table, template)
    if cells is not None and (row, column) not in cells:
        return NOT_IN_TEMPLATE, None
    if data.get(table) is None:
        return TABLE_MISSING, explain(table, "meta.template", "source")
    if cells is None and (lookup(data, f"{table}.{row}") is None):
        return UNDETERMINED, "unknown_template"  # a row of only one template, and the template is unknown
    if value is not None:
        return PRINTED, None
    code = explain(key, f"{table}.{row}", table)
    if key in undetermined or code is not None:
        return UNDETERMINED, code
    return BLANK, None


def _finding_lookup(findings: list[dict]):
    """A function (keys, most specific first) -> the code of the first finding on one of them that
    leaves cells null."""
    by_key: dict[str, str] = {}
    for item in findings:
        if item.get("code") in _NULLING and item.get("key"):
            by_key.setdefault(item["key"], item["code"])

    def explain(*keys: str) -> str | None:
        return next((by_key[key] for key in keys if key in by_key), None)
    return explain


def unit(data: dict, table: str, row: str, column: str) -> str | None:
    if column == "amount_10k_yuan":
        return "万元"
    if column == "amount":
        return lookup(data, "active_disclosure.procurement.amount_unit")
    return None


def cell_rows(data: dict) -> list[list[Any]]:
    """The cells.csv rows of one report; `template` is the template of the cell's table (a hybrid
    report's table 二 may follow 2019 while its table 三 follows 2021)."""
    source, meta = data.get("source") or {}, data.get("meta") or {}
    head = [source.get("path"), source.get("sha256"), meta.get("agency"), meta.get("year")]
    templates = meta.get("table_templates") or {}
    rows = []
    for cell in report_cells(data):
        template = templates.get(cell.table) or meta.get("template")
        rows.append([*head, template, cell.table, cell.row, cell.column, row_label(cell.table, cell.row, template),
                     column_label(cell.table, cell.column), cell.value,
                     unit(data, cell.table, cell.row, cell.column) if cell.status == PRINTED else None,
                     cell.status, cell.finding, cell.line])
    return rows
