"""Issue 6: incremental, parallel, atomic batch runs."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path


from xxgk.batch import run as batch_module
from xxgk.batch.run import Options, run_batch
from xxgk.batch.inputs import find_inputs

from .conftest import FIXTURES, dying_on

SEEDS = FIXTURES / "reports" / "seeds"


def run(folder: Path, out: Path, **options):
    return run_batch(find_inputs([folder]), out, Options(**options))


def outputs(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*"))
            if path.is_file() and ".xxgk" not in path.parts and path.name != "run.json"}


def test_a_rerun_parses_only_what_changed(inputs, tmp_path):
    out = tmp_path / "out"
    first = run(inputs, out)
    assert (first.seen, first.parsed, first.unchanged) == (5, 5, 0)
    before = outputs(out)
    second = run(inputs, out)
    assert (second.seen, second.parsed, second.unchanged) == (5, 0, 5)
    assert outputs(out) == before, "the CSVs must still cover every report"
    changed = inputs / "seeds" / "002_a0db4065ad230706.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("行政许可\t0", "行政许可\t7"), encoding="utf-8")
    third = run(inputs, out)
    assert (third.parsed, third.unchanged) == (1, 4)
    data = json.loads((out / "seeds" / "002_a0db4065ad230706.txt.json").read_text(encoding="utf-8"))
    assert data["active_disclosure"]["licensing"]["decisions"] == 7


def test_a_touched_but_unchanged_file_is_not_parsed_again(inputs, tmp_path):
    out = tmp_path / "out"
    run(inputs, out)
    path = inputs / "seeds" / "000_201b3c9d0f3fbc81.txt"
    os.utime(path, (time.time() + 100, time.time() + 100))
    assert run(inputs, out).parsed == 0


def test_a_new_parser_version_and_force_parse_everything(inputs, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run(inputs, out)
    assert run(inputs, out, force=True).parsed == 5
    monkeypatch.setattr(batch_module, "parser_version", lambda: "9.9.9+new")
    monkeypatch.setattr("xxgk.batch.state.parser_version", lambda: "9.9.9+new")
    assert run(inputs, out).parsed == 5
    assert run(inputs, out).parsed == 0


def test_outputs_of_gone_inputs_are_reported_then_pruned(inputs, tmp_path):
    out = tmp_path / "out"
    run(inputs, out)
    (inputs / "seeds" / "004_e7290be93566281d.txt").unlink()
    summary = run(inputs, out)
    assert summary.gone_inputs == ["seeds/004_e7290be93566281d.txt"]
    assert (out / "seeds" / "004_e7290be93566281d.txt.json").exists()
    assert b"004_e7290be93566281d" not in (out / "reports.csv").read_bytes()
    pruned = run(inputs, out, prune=True)
    assert pruned.pruned == 1 and not (out / "seeds" / "004_e7290be93566281d.txt.json").exists()
    assert run(inputs, out).gone == 0


def test_outputs_are_byte_identical_for_any_number_of_jobs(inputs, tmp_path):
    (inputs / "empty.txt").write_bytes(b"")
    one, two = tmp_path / "one", tmp_path / "two"
    run(inputs, one, jobs=1)
    summary = run(inputs, two, jobs=2)
    assert (summary.seen, summary.parsed, summary.failed) == (6, 5, 1)  # the empty file is not "parsed"
    assert outputs(one) == outputs(two)


def test_run_json_has_the_summary_figures(inputs, tmp_path):
    out = tmp_path / "out"
    run(inputs, out)
    figures = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert {"seen", "parsed", "unchanged", "with_errors", "failed", "gone", "seconds", "reports_per_second",
            "megabytes", "jobs", "version"} <= set(figures)
    assert figures["seen"] == 5
    assert figures["findings_by_code"] == {"missing_cells": 3, "missing_row": 1}


def test_a_worker_that_dies_costs_only_its_file(inputs, tmp_path, monkeypatch):
    from xxgk.batch import processing

    monkeypatch.setattr(processing, "extract_file", dying_on("003_", processing.extract_file))
    summary = run(inputs, tmp_path / "out", jobs=2)
    assert summary.seen == 5 and summary.failed == 1
    assert summary.failures[0].startswith("seeds/003_81dd061a659bf16a.txt: the worker process died")
    assert summary.failures[0].endswith("died on this file: exited with code 3")


def test_a_run_killed_with_sigkill_leaves_only_complete_files_and_the_next_run_finishes(inputs, tmp_path):
    for copy in range(400):
        shutil.copy(SEEDS / "001_c0ba0aad0cf3f79c.txt", inputs / f"copy{copy:03}.txt")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "xxgk", "extract", str(inputs), "-o", str(out), "--jobs", "1", "-q"]
    process = subprocess.Popen(command)
    deadline = time.time() + 30
    while time.time() < deadline and len(list(out.glob("*.json"))) < 100:  # past the first state commit
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    for path in out.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # every visible JSON is complete
    assert not (out / "reports.csv").exists() or (out / "reports.csv").read_text(encoding="utf-8").endswith("\n")
    summary = run(inputs, out)
    assert summary.seen == 405 and summary.failed == 0
    assert summary.unchanged >= 1, "work finished before the kill is kept"
    assert not [path for path in out.rglob(".*.tmp")]
    assert len((out / "reports.csv").read_text(encoding="utf-8").splitlines()) == 406


def test_a_second_run_on_the_same_output_is_refused(inputs, tmp_path):
    from click.testing import CliRunner

    from xxgk.cli import main
    from xxgk.batch.state import State

    out = tmp_path / "out"
    holder = State(out)
    try:
        result = CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out)])
        assert result.exit_code == 3
        assert "another xxgk run is writing to" in result.output
    finally:
        holder.close()
    assert CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out)]).exit_code == 0


def test_cross_year_carried_over_against_last_years_carried_forward(tmp_path):
    import csv

    seed = (SEEDS / "002_a0db4065ad230706.txt").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    last_year = seed.replace("四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0", "四、结转下年度继续办理\t\t2\t0\t0\t0\t0\t0\t2")
    this_year = seed.replace(" 2023 年", " 2024 年").replace(
        "二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0", "二、上年结转政府信息公开申请数量\t\t1\t0\t0\t0\t0\t0\t1")
    assert last_year != seed and this_year != seed
    (folder / "2023.txt").write_text(last_year, encoding="utf-8")
    (folder / "2024.txt").write_text(this_year, encoding="utf-8")
    summary = run(folder, tmp_path / "out")
    assert summary.cross_year_mismatches == 2
    with open(tmp_path / "out" / "cross_year.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(row["year"], row["column"], row["carried_over"], row["previous_carried_forward"]) for row in rows] == [
        ("2024", "natural_person", "1", "2"), ("2024", "total", "1", "2")]
    assert rows[0]["agency"] == "龙亭区科学技术和工业信息化局" and rows[0]["previous_path"] == "2023.txt"


def test_temporary_files_go_to_a_scratch_folder_of_the_process_then_it_is_removed(inputs, tmp_path, monkeypatch):
    from xxgk.batch import output

    created = []
    real_open = os.open

    def recording_open(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            created.append(Path(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(output.os, "open", recording_open)
    out = tmp_path / "out"
    run(inputs, out, jobs=1)
    temporary = {path for path in created if path.name.endswith(".tmp") and ".txt.json." in path.name}
    assert len(temporary) == 5  # one per report JSON
    assert all(path.parent == out / ".xxgk" / "tmp" / str(os.getpid()) for path in temporary)
    assert len(list((out / "seeds").glob("*.json"))) == 5 and not (out / ".xxgk" / "tmp").exists()


def test_a_write_falls_back_to_the_target_folder_when_scratch_is_on_another_filesystem(tmp_path, monkeypatch):
    import errno

    from xxgk.batch import output

    real_replace = os.replace

    def cross_device(source, target):
        if Path(source).parent.name == "scratch":
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_replace(source, target)

    monkeypatch.setattr(output.os, "replace", cross_device)
    target = tmp_path / "deep" / "a.json"
    output.write_atomic(target, b"{}\n", scratch=tmp_path / "scratch")
    assert target.read_bytes() == b"{}\n"
    assert [path.name for path in tmp_path.rglob("*") if path.is_file()] == ["a.json"]
