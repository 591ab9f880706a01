"""The analysts' outputs of a batch run (issue 13): cells.csv, rates.csv, extra_rows.csv,
datapackage.json and the duplicate_report findings.

The batch asks `ResearchTables.find_duplicates` once for this run's reports, hands every report to
`add` while it streams reports.csv, and commits or abandons the tables with its own CSVs. Each
report's rows come from its JSON in OUT (through the cache of rendered.py), or with --jsonl from the
line the state keeps (`stored`, the batch's State); the duplicate findings then go into the lines
(`line`) instead of being written into JSON files.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import orjson

from xxgk.research.datapackage import datapackage
from xxgk.research.extra import EXTRA_ROW_COLUMNS, EXTRA_ROWS_CSV
from xxgk.batch.duplicates import CODE, apply, find_duplicates
from xxgk.batch.output import CsvSink, report_json, report_line, write_atomic
from xxgk.research.rates import RATE_COLUMNS
from xxgk.research.rendered import RenderCache
from xxgk.research.tidy import CELL_COLUMNS

CELLS_CSV = "cells.csv"
RATES_CSV = "rates.csv"
DATAPACKAGE_JSON = "datapackage.json"
_FORMULA_ESCAPED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def relative_of(path_cell: str) -> str:
    """The input's relative path from its reports.csv cell (undoing `safe_cell`'s leading quote)."""
    return path_cell[1:] if path_cell.startswith(_FORMULA_ESCAPED) else path_cell


class ResearchTables:
    """cells.csv, rates.csv and extra_rows.csv written report by report, renamed into place on `commit`; `find_duplicates`
    comes first (it marks the run's reports in the cache)."""

    def __init__(self, out: Path, scratch: Path | None = None, stored=None, on_rewrite=None):
        self.out = out
        self.on_rewrite = on_rewrite  # told the name of each report JSON the duplicate pass rewrites
        self.scratch = scratch
        self.stored = stored
        self.found: dict[str, list[dict]] = {}
        out.mkdir(parents=True, exist_ok=True)
        self._cache = RenderCache(out, stored=stored)
        self._cells = CsvSink(out / CELLS_CSV, CELL_COLUMNS, scratch)
        self._rates = CsvSink(out / RATES_CSV, RATE_COLUMNS, scratch)
        self._extra = CsvSink(out / EXTRA_ROWS_CSV, EXTRA_ROW_COLUMNS, scratch)

    def find_duplicates(self, relatives: Iterable[str]) -> dict[str, list[list]]:
        """Mark this run's duplicate reports (duplicates.py); relative -> findings.csv rows to add."""
        for relative in relatives:
            self._cache.keys(relative)  # cached (or rendered now) and marked as one of this run's reports
        found = find_duplicates(self._cache.groups())
        if self.stored is not None:  # --jsonl: no file to rewrite; `line` adds them
            self.found = found
            return apply(self.out, found, found)
        return apply(self.out, found, self._cache.present(), self._rewritten, self.scratch)

    def _rewritten(self, relative: str, duplicates: list[dict]) -> None:
        self._cache.rewritten(relative, duplicates)
        if self.on_rewrite is not None:
            self.on_rewrite(relative)

    def line(self, relative: str, line: bytes) -> bytes:
        """A report's reports.jsonl line with its duplicate_report findings (--jsonl; a stored line has none)."""
        extra = self.found.get(relative)
        if not extra:
            return line
        data = orjson.loads(line)
        data["findings"] = [item for item in data.get("findings") or [] if item.get("code") != CODE] + extra
        return report_line(data)

    def add(self, relative: str) -> None:
        tables = self._cache.tables(relative)
        if tables is not None:
            for sink, rows in zip((self._cells, self._rates, self._extra), tables):
                sink.write_bytes(rows)

    def commit(self) -> None:
        self._cells.commit()
        self._rates.commit()
        self._extra.commit()
        write_atomic(self.out / DATAPACKAGE_JSON, report_json(datapackage()), scratch=self.scratch)
        self._cache.close()

    def abandon(self) -> None:
        self._cells.abandon()
        self._rates.abandon()
        self._extra.abandon()
        self._cache.close(complete=False)
