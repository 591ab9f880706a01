"""A state database of another schema is only a cache: it is rebuilt, whatever tables it holds. One of
a newer xxgk (a stamp table of other columns) made the run fail as a damaged state (exit 4) and was
moved aside."""
from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from xxgk.batch import state as state_module
from xxgk.cli import main


def extract(inputs: Path, out: Path):
    return CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out), "-q", "--jobs", "1"])


def rewrite_schema(path: Path, version: int) -> None:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.executescript(
            "drop table stamp; create table stamp (one integer primary key, identity text, files text, tally text, "
            "written text not null); insert into stamp values (1, 'x', '{}', '{}', 'now'); "
            "create table later (value integer); create index later_value on later (value); "
            "create view later_view as select value from later; "
            f"create trigger later_trigger after insert on later begin select 1; end; pragma user_version = {version};")
        connection.commit()


@pytest.mark.parametrize("newer", [True, False])
def test_a_state_of_another_schema_is_rebuilt_and_the_run_succeeds(inputs, tmp_path, newer):
    out = tmp_path / "out"
    assert extract(inputs, out).exit_code == 0
    clean = {path.name: path.read_bytes() for path in out.glob("seeds/*.json")}
    path = out / ".xxgk" / "state.sqlite3"
    rewrite_schema(path, state_module._SCHEMA_VERSION + 1 if newer else 3)
    result = extract(inputs, out)
    assert result.exit_code == 0, result.output
    warning = [line for line in result.output.splitlines() if "newer version of xxgk" in line]
    assert len(warning) == (1 if newer else 0) and "damaged" not in result.output, result.output
    assert not (out / ".xxgk" / "state.sqlite3.damaged").exists()
    assert orjson.loads((out / "run.json").read_bytes())["parsed"] == len(clean)
    assert {path.name: path.read_bytes() for path in out.glob("seeds/*.json")} == clean
    with contextlib.closing(sqlite3.connect(path)) as connection:
        names = {name for (name,) in connection.execute("select name from sqlite_master where name not like 'sqlite_%'")}
    assert names == {"files", "runs", "stamp"}
    again = extract(inputs, out)
    assert (again.exit_code, again.output) == (0, "")
    assert orjson.loads((out / "run.json").read_bytes())["parsed"] == 0
