"""What an error of OUT's databases means: a damaged state database (moved aside and rebuilt), or an
OutputProblem naming the file (locked, read-only, full); and the stored values that do not read back,
which are damage too."""
from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import orjson

from xxgk.report.errors import OutputNotWritable, state_problem


class StateDamaged(Exception):
    """The state database is damaged (not a database, malformed): it is moved aside and rebuilt."""


def stored_rows(text: str | None) -> list:
    """A stored JSON list; a row that does not read back (bit rot, a hand edit) is a damaged database."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise StateDamaged(f"a stored row is not JSON: {error}") from None
    if not isinstance(value, list):
        raise StateDamaged(f"a stored row is not a list: {str(text)[:40]}")
    return value


def inflate(blob: bytes | None) -> bytes:
    """A stored reports.jsonl line; one that does not decompress is a damaged database."""
    try:
        return zlib.decompress(blob)
    except (zlib.error, TypeError) as error:
        raise StateDamaged(f"a stored report line does not decompress: {error}") from None


def cache_guard(path: Path) -> DatabaseGuard:
    """A context that turns sqlite errors on the cache of rendered rows (OUT/.xxgk/rendered.sqlite3, `path`)
    into OutputProblems naming that file: a lock on it is not a lock on the state. The state's methods
    that the cache's users call guard themselves, so an error there still names the state."""
    return DatabaseGuard(path, CACHE)


CACHE = "the cache of rendered rows"


class DatabaseGuard:
    """Turns the sqlite errors of a block into OutputProblems naming `path`, or StateDamaged."""

    def __init__(self, path: Path, what: str = "the state database"):
        self.path = path
        self.what = what

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        if error is None or not isinstance(error, sqlite3.Error):
            return False
        problem = state_problem(error, self.path, self.what) if isinstance(error, sqlite3.OperationalError) else None
        if problem is not None:
            raise problem from None
        if self.what == CACHE:  # only a cache: never taken for a damaged state (that would move the state aside)
            raise OutputNotWritable(self.path, f"{self.what} is damaged ({error})",
                                    f"remove it (rm {self.path}), then run again: the next run renders the rows "
                                    "again") from None
        raise StateDamaged(str(error)) from None
