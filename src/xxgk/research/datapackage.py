"""OUT/datapackage.json: a Frictionless Tabular Data Package describing the batch's CSVs, so that
`frictionless validate OUT/datapackage.json` checks them and tools read them with the right types.

An empty cell is the only missing value; what it means is told per resource (and for cells.csv,
per row by its `status`).
"""
from __future__ import annotations

from typing import Any

from xxgk import __version__
from xxgk.gate.compare import CANONICAL_KEYS
from xxgk.parsing.cross_year import CROSS_YEAR_COLUMNS
from xxgk.batch.output import FINDINGS_CSV_COLUMNS, REPORT_COLUMNS
from xxgk.research.extra import EXTRA_ROW_COLUMNS
from xxgk.research.rates import RATE_COLUMNS, metric_dictionary
from xxgk import templates
from xxgk.research.tidy import CELL_COLUMNS, STATUSES

_MISSING = [""]
_INTEGER = {"source.size", "meta.year", "findings.errors", "findings.warnings", "findings.info", "year", "line",
            "previous_year", "carried_over", "previous_carried_forward", "position", "row"}
_NUMBER = {"value", "numerator", "denominator"}
_BOOLEAN = {"parsed"}


def _type(name: str) -> str:
    if name in _BOOLEAN:
        return "boolean"
    if name in _INTEGER:
        return "integer"
    if name in _NUMBER:
        return "number"
    if name in CANONICAL_KEYS:
        column = templates.cell_columns()[name]
        return "string" if not column.cell else "number" if column.decimal else "integer"
    return "string"


def _fields(columns: tuple[str, ...], extra: dict[str, dict] | None = None) -> list[dict[str, Any]]:
    return [{"name": name, "type": _type(name), **(extra or {}).get(name, {})} for name in columns]


def _resource(name: str, path: str, description: str, columns: tuple[str, ...], extra=None,
              primary_key: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": _fields(columns, extra), "missingValues": _MISSING}
    if primary_key:
        schema["primaryKey"] = primary_key
    return {"name": name, "path": path, "profile": "tabular-data-resource", "format": "csv", "encoding": "utf-8",
            "mediatype": "text/csv", "description": description, "schema": schema}


def datapackage() -> dict[str, Any]:
    statuses = "; ".join(f"{status}: {meaning}" for status, meaning in STATUSES.items())
    metric_ids = [metric["id"] for metric in metric_dictionary()["metrics"]]
    return {
        "profile": "tabular-data-package",
        "name": "xxgk-output",
        "title": "政府信息公开工作年度报告 data extracted by xxgk",
        "description": f"Written by xxgk {__version__}. An empty cell means null: the value is not known. Why, "
                       "per cell, is in cells.csv's status; a rate's in rates.csv's reason; a count is never "
                       "0 for lack of a value.",
        "resources": [
            _resource("reports", "reports.csv", "one row per input file (the wide view); value columns are the "
                      "canonical keys (FORMAT.md §12); empty = null (blank, undetermined, not in the template or "
                      "no table: see cells.csv)", REPORT_COLUMNS, primary_key=["source.path"]),
            _resource("findings", "findings.csv", "one row per finding of a report; empty key or line = not "
                      "tied to one", FINDINGS_CSV_COLUMNS),
            _resource("cells", "cells.csv", f"one row per template cell of every parsed report. status: {statuses}",
                      CELL_COLUMNS, {"status": {"constraints": {"enum": list(STATUSES), "required": True}},
                                     "value": {"description": "empty unless status is printed"}},
                      primary_key=["source.path", "table_key", "row_key", "column_key"]),
            _resource("rates", "rates.csv", "one row per report and metric (metric dictionary: xxgk/data/"
                      "metrics.json); value empty exactly when reason says why (null input, zero denominator, "
                      "not parsed)", RATE_COLUMNS,
                      {"metric": {"constraints": {"enum": metric_ids, "required": True}}},
                      primary_key=["source.path", "metric"]),
            _resource("extra_rows", "extra_rows.csv", "one row per printed cell of each row a report prints that "
                      "its template does not have (a province's row, an added table or section); text as printed, "
                      "value empty unless the cell boundaries are certain (delimited cells) and it is a number; "
                      "row numbers a report's extra rows, position a row's printed cells", EXTRA_ROW_COLUMNS,
                      primary_key=["source.path", "row", "position"]),
            _resource("cross_year", "cross_year.csv", "an agency's 上年结转 differing from its previous year's "
                      "结转下年度, one row per differing column", CROSS_YEAR_COLUMNS),
        ],
    }
