"""A re-run that changes nothing leaves the outputs as they are (finish.py's stamp), and anything that
changes them, or a damaged or half-written output, has them written again, the same bytes a full run
writes."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from xxgk.batch.finish import OUTPUT_FILES
from xxgk.batch.jsonl import REPORTS_JSONL
from xxgk.cli import main

from .test_research import SEEDS, numbers_report

SUMMARY = ("with_errors", "failed", "not_reports", "cross_year_mismatches", "findings_by_code", "failures")


@pytest.fixture
def inputs(tmp_path) -> Path:
    """The seeds, a report with numbers and its copy (a duplicate_report finding), a note and an empty file."""
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder / "seeds")
    (folder / "numbers.txt").write_text(numbers_report(), encoding="utf-8")
    (folder / "numbers_copy.txt").write_text(numbers_report(), encoding="utf-8")
    (folder / "notes.md").write_text("# 说明\n\n抓取于 2024 年。\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def extract(inputs: Path, out: Path, *extra: str) -> dict:
    result = CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out), "-q", "-j", "1", *extra])
    assert result.exit_code == 1 and "cannot parse empty.txt" in result.output, result.output
    return json.loads((out / "run.json").read_text(encoding="utf-8"))


def files_of(out: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every output but run.json and the state: its bytes, mtime and inode."""
    found = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and ".xxgk" not in path.relative_to(out).parts and path.name != "run.json":
            status = path.stat()
            found[path.relative_to(out).as_posix()] = (path.read_bytes(), status.st_mtime_ns, status.st_ino)
    return found


def contents(found: dict) -> dict[str, bytes]:
    return {name: data for name, (data, *_) in found.items()}


@pytest.mark.parametrize("mode", [[], ["--jsonl"]])
def test_a_run_that_changes_nothing_rewrites_nothing_but_run_json_and_reports_the_same(inputs, tmp_path, mode):
    out = tmp_path / "out"
    first = extract(inputs, out, *mode)
    before = files_of(out)
    assert set(OUTPUT_FILES) <= set(before) and (REPORTS_JSONL in before) == bool(mode)
    again = extract(inputs, out, *mode)
    assert files_of(out) == before  # the same bytes, mtimes and inodes: not written again
    assert {key: again[key] for key in SUMMARY} == {key: first[key] for key in SUMMARY}
    assert again["findings_by_code"]["duplicate_report"] == 1 and again["unchanged"] == again["seen"]


@pytest.mark.parametrize("change", ["edit", "remove", "replace", "touch"])
def test_an_output_changed_since_the_run_that_wrote_it_is_written_again(inputs, tmp_path, change):
    out = tmp_path / "out"
    extract(inputs, out)
    expected = contents(files_of(out))
    target = out / "cells.csv"
    if change == "edit":
        target.write_bytes(target.read_bytes().replace(b"printed", b"PRINTED", 1))
    elif change == "remove":
        target.unlink()
    elif change == "replace":  # other bytes of the same size and mtime, a new inode (`cp -p` over it)
        status = target.stat()
        copy = target.with_name("copy.csv")
        copy.write_bytes(target.read_bytes().replace(b"printed", b"PRINTED", 1))
        os.replace(copy, target)
        os.utime(target, ns=(status.st_atime_ns, status.st_mtime_ns))
    else:
        os.utime(target, ns=(1, 1))
    extract(inputs, out)
    assert contents(files_of(out)) == expected


def test_a_changed_or_gone_input_and_a_forced_run_write_every_output_again(inputs, tmp_path):
    out = tmp_path / "out"
    extract(inputs, out)
    (inputs / "numbers_copy.txt").write_text(numbers_report().replace("2023", "2024", 1), encoding="utf-8")
    changed = extract(inputs, out)
    assert "duplicate_report" not in changed["findings_by_code"]
    assert b"numbers_copy.txt" in (out / "cells.csv").read_bytes()
    (inputs / "numbers_copy.txt").unlink()
    gone = extract(inputs, out)
    assert gone["gone"] == 1 and b"numbers_copy.txt" not in (out / "reports.csv").read_bytes()
    before = files_of(out)
    extract(inputs, out, "--force")
    after = files_of(out)
    assert contents(after) == contents(before)
    assert after["reports.csv"][2] != before["reports.csv"][2]  # renamed into place again


def test_an_option_that_changes_the_counts_is_not_taken_from_the_stamp(inputs, tmp_path):
    out = tmp_path / "out"
    assert extract(inputs, out)["not_reports"] == 1  # notes.md skipped by default
    result = CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out), "-q", "-j", "1",
                                       "--non-reports", "fail"])
    assert result.exit_code == 1 and "notes.md" in result.output, result.output
    summary = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert summary["not_reports"] == 0 and summary["failed"] == 2


def test_a_report_json_removed_is_made_again_with_its_duplicate_finding(inputs, tmp_path):
    out = tmp_path / "out"
    extract(inputs, out)
    expected = contents(files_of(out))
    (out / "numbers_copy.txt.json").unlink()
    again = extract(inputs, out)
    assert again["parsed"] == 1
    assert contents(files_of(out)) == expected


def test_a_new_metric_dictionary_writes_the_outputs_again(inputs, tmp_path, monkeypatch):
    """rates.csv depends on the metric dictionary (package data, not the parser's source)."""
    out = tmp_path / "out"
    extract(inputs, out)
    before = files_of(out)
    monkeypatch.setattr("xxgk.batch.finish.rendered_version", lambda: "another metric dictionary")
    extract(inputs, out)
    after = files_of(out)
    assert contents(after) == contents(before) and after["rates.csv"][2] != before["rates.csv"][2]


@pytest.mark.parametrize("column, value", [("files", "not json {"), ("tally", '{"other": 1}'), ("tally", "[1]")])
def test_a_stamp_that_does_not_read_back_is_no_stamp(inputs, tmp_path, column, value):
    import sqlite3

    out = tmp_path / "out"
    first = extract(inputs, out)
    expected = contents(files_of(out))
    with sqlite3.connect(out / ".xxgk" / "state.sqlite3") as connection:
        connection.execute(f"update stamp set {column} = ?", (value,))
    again = extract(inputs, out)  # exit 1 for empty.txt, as every run: no traceback
    assert contents(files_of(out)) == expected
    assert {key: again[key] for key in SUMMARY} == {key: first[key] for key in SUMMARY}
