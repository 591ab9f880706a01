"""The analysts' outputs of a batch run (issue 13): cells.csv, rates.csv and datapackage.json.

The batch hands every current report to `ResearchTables.add` while it streams reports.csv, and
commits or abandons them with its own CSVs; each report's rows are computed from its JSON in OUT,
so nothing here depends on how the batch stores its state.
"""
from __future__ import annotations

from pathlib import Path

from .datapackage import datapackage
from .duplicates import read_reports
from .output import CsvSink, report_json, safe_cell, write_atomic
from .rates import RATE_COLUMNS, rate_rows
from .tidy import CELL_COLUMNS, cell_rows

CELLS_CSV = "cells.csv"
RATES_CSV = "rates.csv"
DATAPACKAGE_JSON = "datapackage.json"
_FORMULA_ESCAPED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def relative_of(path_cell: str) -> str:
    """The input's relative path from its reports.csv cell (undoing `safe_cell`'s leading quote)."""
    return path_cell[1:] if path_cell.startswith(_FORMULA_ESCAPED) else path_cell


class ResearchTables:
    """cells.csv and rates.csv written report by report, renamed into place on `commit`."""

    def __init__(self, out: Path):
        self.out = out
        self._cells = CsvSink(out / CELLS_CSV, CELL_COLUMNS)
        self._rates = CsvSink(out / RATES_CSV, RATE_COLUMNS)

    def add(self, relative: str) -> None:
        for _, data in read_reports(self.out, [relative]):
            self._cells.write([[safe_cell(value) for value in row] for row in cell_rows(data)])
            self._rates.write([[safe_cell(value) for value in row] for row in rate_rows(data)])

    def commit(self) -> None:
        self._cells.commit()
        self._rates.commit()
        write_atomic(self.out / DATAPACKAGE_JSON, report_json(datapackage()))

    def abandon(self) -> None:
        self._cells.abandon()
        self._rates.abandon()
