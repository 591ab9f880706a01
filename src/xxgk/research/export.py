"""`xxgk export OUT`: a batch's outputs as one SQLite database (and, in workbook.py, one Excel workbook).

Both are read from the files a run leaves in OUT (reports.csv, cells.csv, findings.csv, rates.csv,
run.json), so an export never parses anything again, and are written under a temporary name and
renamed into place. The SQLite file uses the standard library's sqlite3: tables with keys and indexes,
ready for `sqlite3`, Datasette or DuckDB.
"""
from __future__ import annotations

import csv
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from xxgk.research.rates import metric_dictionary
from xxgk.research.extra import EXTRA_ROWS_CSV
from xxgk.research.outputs import CELLS_CSV, RATES_CSV
from xxgk.research.tidy import STATUSES

REPORTS_CSV, FINDINGS_CSV, RUN_JSON = "reports.csv", "findings.csv", "run.json"
NEEDED = (REPORTS_CSV, FINDINGS_CSV, CELLS_CSV, RATES_CSV)
_ESCAPED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


class ExportError(Exception):
    """An export that cannot be written, in one line."""


class MissingOutput(ExportError):
    """OUT does not hold the files of a finished `xxgk extract` run."""


def check_out(out: Path) -> None:
    missing = [name for name in NEEDED if not (out / name).is_file()]
    if missing:
        raise MissingOutput(f"{out} has no {', '.join(missing)}: run `xxgk extract ... -o {out}` first")


def text(cell: str) -> str | None:
    """A CSV text cell as the value it stands for: empty is None, a formula guard is dropped."""
    if cell == "":
        return None
    return cell[1:] if cell.startswith(_ESCAPED) else cell


def number(cell: str) -> int | float | None:
    if cell == "":
        return None
    try:
        return int(cell)
    except ValueError:
        return float(cell)


def rows(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def run_items(out: Path) -> list[tuple[str, str]]:
    """run.json as (key, value) pairs; lists and objects as JSON text."""
    try:
        data = json.loads((out / RUN_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [(key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
            for key, value in data.items()]


_SCHEMA = """
create table reports (
    path text primary key, sha256 text, size integer, encoding text, layout text, script text, parsed integer,
    template text, year integer, agency text, title text, published text, index_no text,
    errors integer, warnings integer, info integer, codes text);
create table cells (
    path text not null references reports(path), table_key text not null, row_key text not null,
    column_key text not null, template text, row_label text, column_label text, value numeric, unit text,
    status text not null, finding text, line integer,
    primary key (path, table_key, row_key, column_key));
create table findings (
    id integer primary key, path text references reports(path), code text not null, severity text not null,
    key text, keys text, line integer, message text, message_zh text);
create table metrics (id text primary key, name text, numerator text, denominator text, description text);
create table rates (
    path text not null references reports(path), metric text not null references metrics(id), value real,
    numerator numeric, denominator numeric, reason text, primary key (path, metric));
create table extra_rows (
    path text not null references reports(path), "table" text not null, "row" integer not null, row_label text,
    line integer, position integer not null, text text, value numeric, primary key (path, "row", position));
create table statuses (status text primary key, meaning text);
create table run (key text primary key, value text);
create index reports_agency_year on reports (agency, year);
create index cells_key on cells (table_key, row_key, column_key);
create index cells_status on cells (status);
create index findings_path on findings (path);
create index findings_code on findings (code);
create index rates_metric on rates (metric);
"""
_REPORT_FIELDS = (("source.path", text), ("source.sha256", text), ("source.size", number),
                  ("source.encoding", text), ("source.layout", text), ("source.script", text),
                  ("parsed", lambda cell: int(cell == "true")), ("meta.template", text), ("meta.year", number),
                  ("meta.agency", text), ("meta.title", text), ("meta.published", text), ("meta.index_no", text),
                  ("findings.errors", number), ("findings.warnings", number), ("findings.info", number),
                  ("findings.codes", text))
_CELL_FIELDS = (("source.path", text), ("table_key", text), ("row_key", text), ("column_key", text),
                ("template", text), ("row_label", text), ("column_label", text), ("value", number), ("unit", text),
                ("status", text), ("finding", text), ("line", number))
_FINDING_FIELDS = (("source.path", text), ("code", text), ("severity", text), ("key", text), ("keys", text),
                   ("line", number), ("message", text), ("message_zh", text))
_RATE_FIELDS = (("source.path", text), ("metric", text), ("value", number), ("numerator", number),
                ("denominator", number), ("reason", text))
_EXTRA_FIELDS = (("source.path", text), ("table", text), ("row", number), ("row_label", text), ("line", number),
                 ("position", number), ("text", text), ("value", number))


def _insert(connection: sqlite3.Connection, table: str, path: Path, fields) -> None:
    marks = ", ".join("?" * len(fields))
    columns = "" if table != "findings" else "(path, code, severity, key, keys, line, message, message_zh)"
    connection.executemany(f"insert into {table} {columns} values ({marks})",
                           ([convert(row.get(name) or "") for name, convert in fields] for row in rows(path)))


def export_sqlite(out: Path, target: Path) -> None:
    """OUT's reports, cells, findings, rates, extra rows, metric dictionary and run as one SQLite database."""
    check_out(out)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        connection = sqlite3.connect(temporary)
        try:
            connection.executescript(_SCHEMA)
            _insert(connection, "reports", out / REPORTS_CSV, _REPORT_FIELDS)
            _insert(connection, "cells", out / CELLS_CSV, _CELL_FIELDS)
            _insert(connection, "findings", out / FINDINGS_CSV, _FINDING_FIELDS)
            connection.executemany("insert into metrics values (?, ?, ?, ?, ?)", (
                (item["id"], item["name"], " + ".join(item["numerator"]), " + ".join(item["denominator"]),
                 item["description"]) for item in metric_dictionary()["metrics"]))
            _insert(connection, "rates", out / RATES_CSV, _RATE_FIELDS)
            if (out / EXTRA_ROWS_CSV).is_file():  # an OUT of a version before extra_rows.csv has none
                _insert(connection, "extra_rows", out / EXTRA_ROWS_CSV, _EXTRA_FIELDS)
            connection.executemany("insert into statuses values (?, ?)", STATUSES.items())
            connection.executemany("insert into run values (?, ?)", run_items(out))
            connection.commit()
        finally:
            connection.close()
        os.replace(temporary, target)
    except sqlite3.Error as error:
        temporary.unlink(missing_ok=True)
        raise ExportError(f"cannot write {target}: {error}") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def as_value(cell: str, numeric: bool) -> Any:
    """A CSV cell for a spreadsheet: numbers as numbers, text as text (formula guard kept)."""
    if cell == "":
        return None
    return number(cell) if numeric else cell
