"""What the analysts' outputs need of each report, kept between runs: its cells.csv and rates.csv
rows as CSV text and its duplicate keys.

Computing them takes longer than writing reports.csv (226 cells a report), so a re-run over
thousands of unchanged reports would spend most of its time here. They depend only on the report's
JSON and on this code, so they are kept in OUT/.xxgk/rendered.sqlite3 under the JSON's size and
mtime and the parser version (and the metric dictionary), and computed again only when one changes.
The database is a cache: deleting it costs time, never correctness.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import orjson

from .duplicates import CODE, values_digest
from .errors import UnsafeOutputPath
from .inputs import output_path
from .output import safe_cell
from .provenance import parser_version
from .rates import metric_dictionary, rate_rows
from .tidy import cell_rows, report_cells

FILE = "rendered.sqlite3"
_SCHEMA = """create table if not exists rendered (relative text primary key, size integer, mtime_ns integer,
version text, cells text, rates text, sha256 text, digest text, marked integer, run integer)"""


@dataclass(frozen=True)
class Rendered:
    cells: str
    rates: str
    sha256: str | None
    digest: str | None  # agency, year and values (duplicates.values_digest)
    marked: bool        # the JSON already holds a duplicate_report finding


@lru_cache(maxsize=1)
def version() -> str:
    metrics = orjson.dumps(metric_dictionary(), option=orjson.OPT_SORT_KEYS)
    return f"{parser_version()}+{hashlib.sha256(metrics).hexdigest()[:8]}"


def _csv_text(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def render(data: dict) -> Rendered:
    cells = report_cells(data)
    return Rendered(_csv_text(cell_rows(data, cells, safe_cell)), _csv_text(rate_rows(data, cells, safe_cell)),
                    (data.get("source") or {}).get("sha256"), values_digest(data),
                    any(item.get("code") == CODE for item in data.get("findings") or []))


class RenderCache:
    """The rendered rows of each report of OUT, from the cache or from its JSON."""

    def __init__(self, out: Path, state_dir: str = ".xxgk"):
        self.out = out
        folder = out / state_dir
        folder.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(folder / FILE)
        try:
            self.connection.executescript(_SCHEMA)
        except sqlite3.DatabaseError:  # a damaged cache: start a new one
            self.connection.close()
            (folder / FILE).unlink(missing_ok=True)
            self.connection = sqlite3.connect(folder / FILE)
            self.connection.executescript(_SCHEMA)
        last = self.connection.execute("select max(run) from rendered").fetchone()[0]
        self.run = (last or 0) + 1

    def get(self, relative: str) -> Rendered | None:
        """None when the report has no readable JSON in OUT."""
        try:
            path = output_path(self.out, relative)
            status = os.stat(path)
        except (OSError, UnsafeOutputPath):
            return None
        row = self.connection.execute("select size, mtime_ns, version, cells, rates, sha256, digest, marked "
                                      "from rendered where relative = ?", (relative,)).fetchone()
        if row and tuple(row[:3]) == (status.st_size, status.st_mtime_ns, version()):
            self.connection.execute("update rendered set run = ? where relative = ?", (self.run, relative))
            return Rendered(row[3], row[4], row[5], row[6], bool(row[7]))
        try:
            data = orjson.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        rendered = render(data)
        self.connection.execute("insert or replace into rendered values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                (relative, status.st_size, status.st_mtime_ns, version(), rendered.cells,
                                 rendered.rates, rendered.sha256, rendered.digest, int(rendered.marked), self.run))
        return rendered

    def close(self, complete: bool = True) -> None:
        """Keep what this run used (with `complete`, forget reports it did not see) and close."""
        if complete:
            self.connection.execute("delete from rendered where run != ?", (self.run,))
        self.connection.commit()
        self.connection.close()
