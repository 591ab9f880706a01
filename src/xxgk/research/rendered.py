"""What the analysts' outputs need of each report, kept between runs: its cells.csv, rates.csv and
extra_rows.csv rows as CSV text (UTF-8, zlib-compressed: 40 KB of cells a report, mostly the same labels, shrink
about tenfold, which costs less CPU than storing and reading back the plain text) and its duplicate keys.

Computing them takes longer than writing reports.csv (226 cells a report), so a re-run over
thousands of unchanged reports would spend most of its time here. They depend only on the report's
JSON and on this code, so they are kept in OUT/.xxgk/rendered.sqlite3 under the JSON's size and
mtime and the parser version (and the metric dictionary), and computed again only when one changes.
The database is a cache: deleting it costs time, never correctness. With --jsonl there are no JSON
files: the reports come from the lines the state database keeps (state.py), keyed by each line's
digest instead of a file's size and mtime.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import sqlite3
import zlib
from dataclasses import dataclass
from collections.abc import Iterator
from functools import lru_cache
from itertools import groupby
from pathlib import Path

import orjson

from xxgk.batch.duplicates import CODE, values_digest
from xxgk.report.errors import UnsafeOutputPath
from xxgk.batch.inputs import output_path
from xxgk.batch.output import safe_cell
from xxgk.report.provenance import parser_version
from xxgk.research.extra import extra_row_rows
from xxgk.research.rates import metric_dictionary, rate_rows
from xxgk.research.tidy import PRINTED, Cell, labels, report_cells, report_head, table_cells, table_templates, units

FILE = "rendered.sqlite3"
_SCHEMA_VERSION = 5  # a cache of another layout is dropped
# the rows' text in a table of its own, so marking a report as seen does not rewrite it
_SCHEMA = """create table if not exists rendered (relative text primary key, size integer, mtime_ns integer,
version text, sha256 text, digest text, duplicates text, run integer);
create table if not exists tables (relative text primary key, cells blob, rates blob, extra blob);"""


@dataclass(frozen=True)
class Keys:
    """What the duplicate pass needs of a report."""

    sha256: str | None
    digest: str | None      # agency, year and values (duplicates.values_digest)
    duplicates: list[dict]  # the duplicate_report findings its JSON holds now


@lru_cache(maxsize=1)
def version() -> str:
    metrics = orjson.dumps(metric_dictionary(), option=orjson.OPT_SORT_KEYS)
    return f"{parser_version()}+{hashlib.sha256(metrics).hexdigest()[:8]}"


def _csv_text(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


@lru_cache(maxsize=64)
def _static(template: str | None, table: str) -> dict[str, str]:
    """key -> the CSV text of a cell's columns that depend only on its template and key (template,
    table, row and column keys, Chinese labels), for the cells of one table."""
    return {key: _csv_text([[template, table, row, column, *labels(table, row, column, template)]])[:-2]
            for row, column, key in table_cells(table)}


def _cells_text(data: dict, cells: list[Cell]) -> str:
    """cells.csv text of a report, as `csv.writer` writes `tidy.cell_rows` (the same bytes), built from
    the report's head and each cell's constant columns, quoted once: a report has 226 cells, and
    writing them field by field took longer than parsing the report."""
    head = _csv_text([report_head(data, safe_cell)])[:-2]
    statics = {table: _static(template, table) for table, template in table_templates(data).items()}
    unit_of = {column: text or "" for column, text in units(data).items()}
    parts = []
    for cell in cells:
        value = "" if cell.value is None else str(cell.value)
        unit_text = unit_of.get(cell.column, "") if cell.status == PRINTED else ""
        parts.append(f"{head},{statics[cell.table][cell.key]},{value},"
                     f"{unit_text},{cell.status},{cell.finding or ''},{'' if cell.line is None else cell.line}\r\n")
    return "".join(parts)


def prerender(data: dict, signature: tuple) -> tuple:
    """What `Primer.put` stores for a report just written (in the worker that parsed it, so the end of
    the run need not read its JSON back): its signature, duplicate keys and rows' text, packed."""
    keys, *tables = render(data)
    return (*signature, keys.sha256, keys.digest, orjson.dumps(keys.duplicates).decode(), *map(_pack, tables))


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 1)


class Primer:
    """Rows rendered by the workers, stored as they arrive, so `RenderCache` finds them fresh."""

    def __init__(self, out: Path, jsonl: bool, state_dir: str = ".xxgk"):
        self.version = version() + (" jsonl" if jsonl else "")
        folder = out / state_dir
        folder.mkdir(parents=True, exist_ok=True)
        try:
            self.connection = RenderCache._open(folder / FILE)
        except sqlite3.DatabaseError:  # a damaged cache: RenderCache starts a new one later
            self.connection = None

    def put(self, relative: str, rendered: tuple | None) -> None:
        if rendered is None or self.connection is None:
            return
        size, mtime_ns, sha256, digest, duplicates, *tables = rendered
        self.connection.execute("insert or replace into rendered values (?, ?, ?, ?, ?, ?, ?, 0)",
                                (relative, size, mtime_ns, self.version, sha256, digest, duplicates))
        self.connection.execute("insert or replace into tables values (?, ?, ?, ?)", (relative, *tables))

    def moved(self, relative: str, written: tuple[int, int], mtime_ns: int) -> None:
        """A report's JSON holds the bytes written, under another mtime (a copied OUT, batch/unchanged.py):
        its rows, cached under the written (size, mtime), stay valid under the new one."""
        if self.connection is not None:
            self.connection.execute("update rendered set mtime_ns = ? where relative = ? and size = ? and mtime_ns = ?",
                                    (mtime_ns, relative, *written))

    def close(self) -> None:  # one commit for the run: the rows are a cache, a killed run only renders again
        if self.connection is not None:
            self.connection.commit()
            self.connection.close()
            self.connection = None


def _reads_back(duplicates: str) -> bool:
    try:
        return isinstance(orjson.loads(duplicates), list)
    except (TypeError, ValueError):
        return False


def render(data: dict) -> tuple[Keys, str, str, str]:
    """A report's duplicate keys, cells.csv text, rates.csv text and extra_rows.csv text."""
    cells = report_cells(data)
    keys = Keys((data.get("source") or {}).get("sha256"), values_digest(data),
                [item for item in data.get("findings") or [] if item.get("code") == CODE])
    return (keys, _cells_text(data, cells), _csv_text(rate_rows(data, cells, safe_cell)),
            _csv_text(extra_row_rows(data, safe_cell)))


class RenderCache:
    """The rendered rows of each report of OUT, from the cache or from its JSON (its file in OUT, or
    with `stored`, the state database of a --jsonl run, its stored line)."""

    def __init__(self, out: Path, state_dir: str = ".xxgk", stored=None):
        self.out = out
        self.stored = stored
        self.version = version() + (" jsonl" if stored is not None else "")
        folder = out / state_dir
        folder.mkdir(parents=True, exist_ok=True)
        try:
            self.connection = self._open(folder / FILE)
        except sqlite3.OperationalError:  # locked, read-only, full: the caller's guard names the file
            raise
        except sqlite3.DatabaseError:  # a damaged cache: start a new one, without the old one's journal
            for name in (FILE, f"{FILE}-wal", f"{FILE}-shm"):
                (folder / name).unlink(missing_ok=True)
            self.connection = self._open(folder / FILE)
        last = self.connection.execute("select max(run) from rendered").fetchone()[0]
        self.run = (last or 0) + 1

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(path)
        connection.execute("pragma journal_mode = wal")
        connection.execute("pragma synchronous = normal")
        if connection.execute("pragma user_version").fetchone()[0] != _SCHEMA_VERSION:
            connection.executescript("drop table if exists rendered; drop table if exists tables;")
            connection.execute(f"pragma user_version = {_SCHEMA_VERSION}")
        connection.executescript(_SCHEMA)
        return connection

    def _signature(self, relative: str) -> tuple | None:
        """What the cached rows of a report are valid for: its JSON file's (size, mtime), or its stored
        line's (-1, digest); None when it has no JSON."""
        if self.stored is not None:
            digest = self.stored.json_digest(relative)
            return None if digest is None else (-1, "b2:" + digest)  # not digits only: the column is an integer
        try:
            status = os.stat(output_path(self.out, relative))
        except (OSError, UnsafeOutputPath):
            return None
        return status.st_size, status.st_mtime_ns

    def _load(self, relative: str) -> bytes | None:
        if self.stored is not None:
            return self.stored.report_line(relative)
        return output_path(self.out, relative).read_bytes()

    def _fresh(self, relative: str) -> tuple | None:
        """(sha256, digest, duplicates) of a report whose JSON has not changed since it was cached,
        rendered (and cached) again if it has; None when it has no readable JSON."""
        signature = self._signature(relative)
        if signature is None:
            return None
        row = self.connection.execute("select size, mtime_ns, version, sha256, digest, duplicates from rendered "
                                      "where relative = ?", (relative,)).fetchone()
        if row and tuple(row[:3]) == (*signature, self.version) and _reads_back(row[5]):
            return row[3:]
        return self._render(relative, signature)

    def _render(self, relative: str, signature: tuple) -> tuple | None:
        """Render a report's rows from its JSON (or stored line) and cache them; None when it has none."""
        try:
            data = orjson.loads(self._load(relative) or b"")
        except (OSError, ValueError, UnsafeOutputPath):
            return None
        keys, *tables = render(data)
        row = (keys.sha256, keys.digest, orjson.dumps(keys.duplicates).decode())
        self.connection.execute("insert or replace into rendered values (?, ?, ?, ?, ?, ?, ?, ?)",
                                (relative, *signature, self.version, *row, self.run))
        self.connection.execute("insert or replace into tables values (?, ?, ?, ?)",
                                (relative, *map(_pack, tables)))
        return row

    def rewritten(self, relative: str, duplicates: list[dict]) -> None:
        """The duplicate pass rewrote a report's JSON with these duplicate findings: its rows do not
        depend on them, so the cached rows stay, under the file's new size and mtime."""
        try:
            status = os.stat(output_path(self.out, relative))
        except (OSError, UnsafeOutputPath):
            return
        self.connection.execute("update rendered set size = ?, mtime_ns = ?, duplicates = ? where relative = ?",
                                (status.st_size, status.st_mtime_ns, orjson.dumps(duplicates).decode(), relative))

    def keys(self, relative: str) -> Keys | None:
        """A report's duplicate keys; marks it as one of this run's reports."""
        row = self._fresh(relative)
        if row is None:
            return None
        self.connection.execute("update rendered set run = ? where relative = ?", (self.run, relative))
        return Keys(row[0], row[1], orjson.loads(row[2]))

    def groups(self) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
        """This run's reports with the same sha256, then with the same values digest, one group at a
        time: (kind, [(relative, sha256), ...] in path order)."""
        for kind, column in (("bytes", "sha256"), ("values", "digest")):
            cursor = self.connection.execute(
                f"select {column}, relative, sha256 from rendered where run = ?1 and {column} in (select {column} "
                f"from rendered where run = ?1 and {column} is not null group by {column} having count(*) > 1) "
                f"order by {column}, relative", (self.run,))
            for _, members in groupby(cursor, key=lambda row: row[0]):
                yield kind, [(relative, sha256) for _, relative, sha256 in members]

    def present(self) -> dict[str, list[dict]]:
        """relative -> the duplicate_report findings its JSON holds now, of this run's reports that have some."""
        return {relative: orjson.loads(duplicates) for relative, duplicates in self.connection.execute(
            "select relative, duplicates from rendered where run = ? and duplicates != '[]'", (self.run,))}

    def tables(self, relative: str) -> tuple[bytes, ...] | None:
        """cells.csv, rates.csv and extra_rows.csv rows of a report, UTF-8 (`keys` has marked it as current: found fresh,
        or rendered again, in this run; the duplicate pass's rewrites keep it so), None when it has none."""
        query = "select cells, rates, extra from tables join rendered using (relative) where relative = ? and run = ?"
        row = self.connection.execute(query, (relative, self.run)).fetchone()
        if row is None:
            return None
        try:
            return tuple(map(zlib.decompress, row))
        except (zlib.error, TypeError):  # a cached row that does not read back (bit rot, a hand edit): render again
            signature = self._signature(relative)
            if signature is None or self._render(relative, signature) is None:
                return None
            return tuple(map(zlib.decompress, self.connection.execute(query, (relative, self.run)).fetchone()))

    def close(self, complete: bool = True) -> None:
        """Keep what this run used (with `complete`, forget reports it did not see) and close."""
        if complete:
            self.connection.execute("delete from rendered where run != ?", (self.run,))
            self.connection.execute("delete from tables where relative not in (select relative from rendered)")
        self.connection.commit()
        self.connection.close()
