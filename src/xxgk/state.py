"""What a previous run left in OUT: per input, its content signature and its CSV rows.

Kept in OUT/.xxgk/state.sqlite3, so a re-run parses only new or changed inputs and still writes
CSVs that cover every report, streamed from the database in path order (the same bytes whatever
the number of worker processes). A new parser version invalidates every cached entry.
"""
from __future__ import annotations

import fcntl
import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import orjson

from . import __version__

STATE_DIR = ".xxgk"


class OutputBusy(Exception):
    """Another run holds the output folder (overlapping cron jobs)."""


_SCHEMA_VERSION = 2  # a database of another version is dropped: its entries are only a cache
_SCHEMA = """
create table if not exists files (
    relative text primary key, size integer, mtime_ns integer, sha256 text, version text,
    parsed integer, has_errors integer, report_row text, finding_rows text, run integer,
    agency text, year integer, carried_over text, carried_forward text
);
create table if not exists runs (run integer primary key, version text, finished integer default 0);
"""


@lru_cache(maxsize=1)
def parser_version() -> str:
    """The package version plus a digest of its source: any change to the parser changes it."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


@dataclass(frozen=True)
class Entry:
    size: int
    mtime_ns: int
    sha256: str | None
    version: str
    parsed: bool
    has_errors: bool


class State:
    """The state database of one output folder; one instance per run."""

    def __init__(self, out: Path):
        folder = out / STATE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        self._lock = open(folder / "lock", "w")  # noqa: SIM115 - held for the whole run
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise OutputBusy(f"another xxgk run is writing to {out}; not starting a second one") from None
        self.connection = sqlite3.connect(folder / "state.sqlite3")
        # WAL with NORMAL sync: a commit is cheap and survives the process being killed
        self.connection.execute("pragma journal_mode = wal")
        self.connection.execute("pragma synchronous = normal")
        if self.connection.execute("pragma user_version").fetchone()[0] != _SCHEMA_VERSION:
            self.connection.executescript("drop table if exists files; drop table if exists runs;")
            self.connection.execute(f"pragma user_version = {_SCHEMA_VERSION}")
        self.connection.executescript(_SCHEMA)
        last = self.connection.execute("select run, finished from runs order by run desc limit 1").fetchone()
        self.interrupted = bool(last and not last[1])
        self.run = (last[0] if last else 0) + 1
        self.connection.execute("insert into runs (run, version) values (?, ?)", (self.run, parser_version()))
        self.connection.commit()

    def finished(self) -> None:
        self.connection.execute("update runs set finished = 1 where run = ?", (self.run,))
        self.connection.commit()

    def get(self, relative: str) -> Entry | None:
        row = self.connection.execute("select size, mtime_ns, sha256, version, parsed, has_errors from files "
                                      "where relative = ?", (relative,)).fetchone()
        return Entry(row[0], row[1], row[2], row[3], bool(row[4]), bool(row[5])) if row else None

    def touch(self, relative: str, size: int, mtime_ns: int) -> None:
        """Mark an unchanged input as seen in this run."""
        self.connection.execute("update files set size = ?, mtime_ns = ?, run = ? where relative = ?",
                                (size, mtime_ns, self.run, relative))

    def put(self, relative: str, size: int, mtime_ns: int, sha256: str | None, parsed: bool, has_errors: bool,
            report_row: list, finding_rows: list[list], carried: tuple[str | None, int | None, list, list]) -> None:
        """Store one input's result; `carried` is (agency, year, 上年结转 row, 结转下年度 row)."""
        agency, year, carried_over, carried_forward = carried
        self.connection.execute(
            "insert or replace into files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (relative, size, mtime_ns, sha256, parser_version(), int(parsed), int(has_errors),
             orjson.dumps(report_row).decode(), orjson.dumps(finding_rows).decode(), self.run,
             agency, year, orjson.dumps(carried_over).decode(), orjson.dumps(carried_forward).decode()))

    def commit(self) -> None:
        self.connection.commit()

    def gone(self) -> list[str]:
        """Inputs of earlier runs that this run did not see."""
        return [row[0] for row in self.connection.execute(
            "select relative from files where run != ? order by relative", (self.run,))]

    def forget(self, relative: str) -> None:
        self.connection.execute("delete from files where relative = ?", (relative,))

    def current(self) -> Iterator[tuple[list, list[list], bool, bool]]:
        """(report row, finding rows, parsed, has errors) of every input seen in this run, by path."""
        cursor = self.connection.execute("select report_row, finding_rows, parsed, has_errors from files "
                                         "where run = ? order by relative", (self.run,))
        for report_row, finding_rows, parsed, has_errors in cursor:
            yield orjson.loads(report_row), orjson.loads(finding_rows), bool(parsed), bool(has_errors)

    def by_agency_and_year(self) -> Iterator[tuple[str, str, int, list, list]]:
        """(path, agency, year, 上年结转 row, 结转下年度 row) of this run's reports, by agency then year."""
        cursor = self.connection.execute(
            "select relative, agency, year, carried_over, carried_forward from files where run = ? "
            "and agency is not null and year is not null order by agency, year, relative", (self.run,))
        for relative, agency, year, carried_over, carried_forward in cursor:
            yield relative, agency, year, orjson.loads(carried_over), orjson.loads(carried_forward)

    def close(self) -> None:
        self.connection.commit()
        self.connection.close()
        self._lock.close()
