"""What a previous run left in OUT: per input, its content signature and its CSV rows.

Kept in OUT/.xxgk/state.sqlite3, so a re-run parses only new or changed inputs and still writes
CSVs that cover every report, streamed from the database in path order (the same bytes whatever
the number of worker processes). A new parser version invalidates every cached entry.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from xxgk.report.errors import OutputBusy, OutputUnsafe, output_problem
from xxgk.report.provenance import parser_version
from xxgk.batch.lock import STATE_DIR, state_folder, take_lock
from xxgk.batch.state_errors import DatabaseGuard, StateDamaged, cache_guard, inflate, stored_rows

__all__ = ["STATE_DIR", "OutputBusy", "State", "StateDamaged", "cache_guard", "parser_version"]
STATE_FILE = "state.sqlite3"


_SCHEMA_VERSION = 5  # a database of another version is dropped: its entries are only a cache
_SCHEMA = """
create table if not exists files (
    relative text primary key, size integer, mtime_ns integer, sha256 text, version text,
    parsed integer, has_errors integer, report_row text, finding_rows text, run integer,
    agency text, year integer, carried_over text, carried_forward text,
    report_json blob, json_digest text,  -- --jsonl only: the report's line, zlib-compressed, and its digest
    output_size integer, output_mtime_ns integer,  -- the report's JSON file as this run wrote it (not --jsonl)
    output_digest text  -- and the digest of its bytes (unchanged.py), to know it again under another mtime
);
create table if not exists runs (run integer primary key, version text, finished integer default 0);
create table if not exists stamp (one integer primary key check (one = 1), identity text, files text, tally text);
"""


@dataclass(frozen=True)
class Entry:
    size: int
    mtime_ns: int
    sha256: str | None
    version: str
    parsed: bool
    has_errors: bool
    has_json: bool  # its reports.jsonl line is stored (--jsonl)
    output: tuple[int, int] | None = None  # (size, mtime_ns) of its JSON file as written; None: not written
    output_digest: str | None = None  # the digest of that file's bytes


class State:
    """The state database of one output folder; one instance per run."""

    def __init__(self, out: Path, key: str | None = None):
        """Lock OUT and open its state; `key` names what the cached results depend on (parser
        version and options), by default the parser version. Raises OutputProblem subclasses."""
        folder = state_folder(out)
        self.key = key or parser_version()
        self.warnings: list[str] = []
        self._lock, taken_over = take_lock(folder, out)
        if taken_over:
            self.warnings.append(taken_over)
        self.path = folder / STATE_FILE
        try:
            try:
                self._open()
            except StateDamaged as error:
                self.warnings.append(f"the state database {self.path} was damaged ({error}); it was moved aside "
                                     f"to {self.move_aside()} and rebuilt: every input is parsed again")
                self._open()
        except OSError as error:  # moving a damaged database aside failed
            self._lock.close()
            raise output_problem(error, self.path) from None
        except BaseException:
            self._lock.close()
            raise

    def _open(self) -> None:
        if self.path.is_symlink():
            raise OutputUnsafe(self.path, "is a symbolic link", f"remove it (rm {self.path}); the next run rebuilds it")
        with self.guard():
            self.connection = sqlite3.connect(self.path)
            try:
                # WAL with NORMAL sync: a commit is cheap and survives the process being killed
                self.connection.execute("pragma journal_mode = wal")
                self.connection.execute("pragma synchronous = normal")
                found = self.connection.execute("pragma user_version").fetchone()[0]
                if found != _SCHEMA_VERSION:
                    self._drop_everything(found)
                self.connection.executescript(_SCHEMA)
                last = self.connection.execute("select run, finished from runs order by run desc limit 1").fetchone()
                self.interrupted = bool(last and not last[1])
                self.run = (last[0] if last else 0) + 1
                self.connection.execute("insert into runs (run, version) values (?, ?)", (self.run, self.key))
                self.connection.commit()
            except BaseException:
                self.connection.close()
                raise

    def _drop_everything(self, found: int) -> None:
        """Drop every table, view and trigger of a state of another schema (only a cache): a newer
        version's stamp table, of other columns, made every run fail as a damaged state."""
        if found > _SCHEMA_VERSION:
            self.warnings.append(f"the state database {self.path} was written by a newer version of xxgk (schema "
                                 f"{found}, this one reads {_SCHEMA_VERSION}); it was rebuilt: every input is "
                                 "parsed again")
        kinds = {"table": "table", "view": "view", "trigger": "trigger"}
        for kind, name in self.connection.execute("select type, name from sqlite_master where type in "
                                                  "('view', 'trigger', 'table') and name not like 'sqlite_%' "
                                                  "order by type = 'table'").fetchall():
            self.connection.execute(f'drop {kinds[kind]} if exists "{name.replace(chr(34), chr(34) * 2)}"')
        self.connection.execute(f"pragma user_version = {_SCHEMA_VERSION}")

    def guard(self) -> DatabaseGuard:
        """A context that turns sqlite errors into OutputProblems, or StateDamaged for a damaged database."""
        return DatabaseGuard(self.path)

    def move_aside(self) -> Path:
        """Rename the damaged database (and its journal files) to *.damaged; return the new name."""
        aside = self.path.with_name(STATE_FILE + ".damaged")
        for suffix in ("", "-wal", "-shm"):
            source = self.path.with_name(STATE_FILE + suffix)
            if source.exists():
                os.replace(source, aside.with_name(aside.name + suffix))
        return aside

    def finished(self) -> None:
        self.connection.execute("update runs set finished = 1 where run = ?", (self.run,))
        self.connection.commit()

    def get(self, relative: str) -> Entry | None:
        row = self.connection.execute("select size, mtime_ns, sha256, version, parsed, has_errors, "
                                      "report_json is not null, output_size, output_mtime_ns, output_digest from files "
                                      "where relative = ?", (relative,)).fetchone()
        if row is None:
            return None
        output = None if row[7] is None or row[8] is None else (row[7], row[8])
        return Entry(row[0], row[1], row[2], row[3], bool(row[4]), bool(row[5]), bool(row[6]), output, row[9])

    def touch(self, relative: str, size: int, mtime_ns: int) -> None:
        """Mark an unchanged input as seen in this run."""
        self.connection.execute("update files set size = ?, mtime_ns = ?, run = ? where relative = ?",
                                (size, mtime_ns, self.run, relative))

    def put(self, relative: str, size: int, mtime_ns: int, sha256: str | None, parsed: bool, has_errors: bool,
            report_row: list, finding_rows: list[list], carried: tuple[str | None, int | None, list, list],
            json: bytes | None = None, json_digest: str | None = None, output: tuple[int, int] | None = None,
            output_digest: str | None = None) -> None:
        """Store one input's result; `carried` is (agency, year, 上年结转 row, 结转下年度 row), `json` its
        compressed reports.jsonl line (--jsonl), `json_digest` that line's digest and `output` the
        (size, mtime_ns) of the JSON file written for it (None when none was written), `output_digest`
        the digest of its bytes."""
        agency, year, carried_over, carried_forward = carried
        output_size, output_mtime_ns = output if output is not None else (None, None)
        self.connection.execute(
            "insert or replace into files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (relative, size, mtime_ns, sha256, self.key, int(parsed), int(has_errors),
             orjson.dumps(report_row).decode(), orjson.dumps(finding_rows).decode(), self.run,
             agency, year, orjson.dumps(carried_over).decode(), orjson.dumps(carried_forward).decode(),
             json, json_digest, output_size, output_mtime_ns, output_digest))

    def rewritten(self, relative: str, output: tuple[int, int] | None, digest: str | None = None) -> None:
        """A report's JSON file was written again at the end of the run (its duplicate findings): keep
        its new (size, mtime_ns) and the digest of its bytes as the one written."""
        output_size, output_mtime_ns = output if output is not None else (None, None)
        with self.guard():  # called by the cache's users (finish.py)
            self.connection.execute("update files set output_size = ?, output_mtime_ns = ?, output_digest = ? "
                                    "where relative = ?", (output_size, output_mtime_ns, digest, relative))

    def restored(self, relative: str, mtime_ns: int) -> None:
        """A report's JSON file holds the bytes written under another mtime (a copied OUT): keep that one."""
        self.connection.execute("update files set output_mtime_ns = ? where relative = ?", (mtime_ns, relative))

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
        with self.guard():  # consumed inside the cache's guard (finish.py): its errors name the state
            cursor = self.connection.execute("select report_row, finding_rows, parsed, has_errors from files "
                                             "where run = ? order by relative", (self.run,))
            for report_row, finding_rows, parsed, has_errors in cursor:
                yield stored_rows(report_row), stored_rows(finding_rows), bool(parsed), bool(has_errors)

    def json_digest(self, relative: str) -> str | None:
        """The digest of a report's stored line (--jsonl), None when none is stored."""
        with self.guard():  # called by the cache of rendered rows (--jsonl)
            row = self.connection.execute("select json_digest from files where relative = ? and report_json is not "
                                          "null", (relative,)).fetchone()
        return row[0] if row else None

    def report_line(self, relative: str) -> bytes | None:
        """A report's stored reports.jsonl line (--jsonl)."""
        with self.guard():  # called by the cache of rendered rows (--jsonl)
            row = self.connection.execute("select report_json from files where relative = ? and report_json is not "
                                          "null", (relative,)).fetchone()
        return inflate(row[0]) if row else None

    def lines(self) -> Iterator[tuple[str, bytes, bool]]:
        """(relative, reports.jsonl line, seen in this run) of every input with a stored line, by path:
        the inputs of this run and those gone but not pruned (like their JSON files would be)."""
        cursor = self.connection.execute("select relative, report_json, run = ? from files "
                                         "where report_json is not null order by relative", (self.run,))
        for relative, blob, current in cursor:
            yield relative, inflate(blob), bool(current)

    def by_agency_and_year(self) -> Iterator[tuple[str, str, int, list, list]]:
        """(path, agency, year, 上年结转 row, 结转下年度 row) of this run's reports, by agency then year."""
        cursor = self.connection.execute(
            "select relative, agency, year, carried_over, carried_forward from files where run = ? "
            "and agency is not null and year is not null order by agency, year, relative", (self.run,))
        for relative, agency, year, carried_over, carried_forward in cursor:
            yield relative, agency, year, stored_rows(carried_over), stored_rows(carried_forward)

    def identity(self, options: str) -> str:
        """A digest of what the outputs are made from: every entry (seen in this run or not) as this
        run leaves it, every stored row and line included (a row damaged since is not taken for the
        outputs it made), the cache key and `options` (those that change the outputs, not the results)."""
        digest = hashlib.sha256(orjson.dumps([self.key, options]))
        cursor = self.connection.execute("select relative, size, mtime_ns, sha256, version, parsed, has_errors, "
                                         "report_row, finding_rows, agency, year, carried_over, carried_forward, "
                                         "json_digest, run = ?, report_json from files order by relative", (self.run,))
        for *row, line in cursor:
            digest.update(orjson.dumps(row))
            digest.update(line or b"")
        return digest.hexdigest()

    def stamp(self) -> tuple[str, dict, dict] | None:
        """(identity, file stamps, tally) of the outputs as the last run that wrote them left them."""
        row = self.connection.execute("select identity, files, tally from stamp").fetchone()
        try:
            stamp = (row[0], orjson.loads(row[1]), orjson.loads(row[2])) if row else None
        except (TypeError, ValueError):  # a stamp that does not read back is no stamp: the outputs are written
            return None
        return stamp if stamp is None or isinstance(stamp[2], dict) else None

    def clear_stamp(self) -> None:
        """Forget the stamp before any output is written (committed now: a run killed while writing
        leaves no stamp that the next run could take for its outputs')."""
        self.connection.execute("delete from stamp")
        self.connection.commit()

    def set_stamp(self, identity: str, files: dict, tally: dict) -> None:
        self.connection.execute("insert or replace into stamp values (1, ?, ?, ?)",
                                (identity, orjson.dumps(files).decode(), orjson.dumps(tally).decode()))

    def keep_under(self, prefix: str) -> None:
        """Mark every entry under the folder `prefix` as seen: its folder could not be read this run."""
        head = prefix.rstrip("/") + "/" if prefix.strip("/") else ""
        self.connection.execute("update files set run = ? where substr(relative, 1, ?) = ?",
                                (self.run, len(head), head))

    def close(self) -> None:
        """Commit what was recorded (when the disk still allows it) and release the lock."""
        try:
            self.connection.commit()
        except sqlite3.Error:
            pass
        finally:
            self.connection.close()
            self._lock.close()
