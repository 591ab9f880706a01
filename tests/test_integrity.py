"""Adversarial batch-integrity cases found by the attack run of issue 13's integrity pass: what OUT/.xxgk
or the inputs may hold that no earlier test tried."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .test_guards import extract, one_line


@pytest.mark.parametrize("kind,jobs", [("file", 1), ("fifo", 2)])
def test_a_file_in_place_of_the_scratch_folder_is_removed(inputs, tmp_path, kind, jobs):
    """OUT/.xxgk/tmp as a file failed every write of every run ("Not a directory", exit 4); as a pipe, the
    run hung for good opening it to empty it (and SIGTERM could not end it: the unwinding opened it again)."""
    out = tmp_path / "out"
    (out / ".xxgk").mkdir(parents=True)
    scratch = out / ".xxgk" / "tmp"
    scratch.write_text("x") if kind == "file" else os.mkfifo(scratch)
    result = extract(inputs, "-o", out, "--jobs", jobs, "-q")
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("seeds/*.json"))) == len(list(inputs.glob("seeds/*")))
    assert not scratch.exists()


def test_a_pipe_in_place_of_an_output_json_is_replaced_not_read(inputs, tmp_path):
    """A pipe where an unchanged input's JSON was: it counted as the output being there, and the end of
    the run (the rendered rows' cache) opened it to read the JSON back and hung for good."""
    out = tmp_path / "out"
    assert extract(inputs, "-o", out, "-q").exit_code == 0
    clean = {path.relative_to(out): path.read_bytes() for path in out.rglob("*.json") if path.name != "run.json"}
    target = sorted(out.glob("seeds/*.txt.json"))[0]
    target.unlink()
    os.mkfifo(target)
    command = [sys.executable, "-m", "xxgk", "extract", str(inputs), "-o", str(out), "-q"]
    try:
        run = subprocess.run(command, capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("the run hung on the pipe in OUT")
    assert run.returncode == 0, run.stderr
    assert {path.relative_to(out): path.read_bytes() for path in out.rglob("*.json") if path.name != "run.json"} == clean



@pytest.mark.parametrize("kind", ["broken link", "device", "pipe"])
def test_an_output_that_is_not_a_folder_is_named_as_such(inputs, tmp_path, kind):
    """OUT as a broken link, a device or a pipe was blamed on OUT/.xxgk ("exists and is not a folder;
    remove it (rm OUT/.xxgk)"), a path that does not exist."""
    out = tmp_path / "out"
    if kind == "broken link":
        out.symlink_to(tmp_path / "nowhere")
    elif kind == "pipe":
        os.mkfifo(out)
    else:
        out = Path(os.devnull)
    result = extract(inputs, "-o", out, "-q")
    assert result.exit_code == 6, result.output
    assert one_line(result).startswith(f"xxgk: {out}: is not a folder") and ".xxgk" not in result.output
    assert not (tmp_path / "nowhere").exists()

@pytest.mark.parametrize("statement", ["update tables set cells = x'0011'", "update rendered set duplicates = '{{'"])
def test_a_cached_rendered_row_that_does_not_read_back_is_rendered_again(inputs, tmp_path, statement):
    import sqlite3

    out = tmp_path / "out"
    assert extract(inputs, "-o", out, "-q").exit_code == 0
    clean = (out / "cells.csv").read_bytes()
    with sqlite3.connect(out / ".xxgk" / "rendered.sqlite3") as connection:
        connection.execute(statement)
    (out / "reports.csv").unlink()  # the outputs are written again from the cache (else nothing changed)
    result = extract(inputs, "-o", out, "-q")
    assert result.exit_code == 0, result.output
    assert (out / "cells.csv").read_bytes() == clean


@pytest.mark.parametrize("items", [0, 3, 40])
def test_workers_are_started_only_for_work_that_is_there(monkeypatch, items):
    """--jobs forked that many workers before looking at the work: --jobs 100000 over one file was a fork
    bomb that never started parsing, and a re-run with nothing changed forked workers for nothing."""
    from xxgk.batch import workers

    started = []
    real = workers._Worker.__init__

    def counting(self, *arguments, **options):
        started.append(1)
        real(self, *arguments, **options)

    monkeypatch.setattr(workers._Worker, "__init__", counting)
    results = []
    workers.run_in_workers(range(items), 1000, lambda item: item * 2, results.append, 60.0,
                           on_timeout=lambda item: None, on_crash=lambda item, error: None)
    assert sorted(results) == [item * 2 for item in range(items)]
    assert len(started) == -(-items // workers._CHUNK)  # one per chunk of files, at most --jobs
