"""Adversarial batch-integrity cases found by the attack run of issue 13's integrity pass: what OUT/.xxgk
or the inputs may hold that no earlier test tried."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .test_guards import SEEDS, extract, one_line


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


def _visible(out: Path) -> dict:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*"))
            if path.is_file() and ".xxgk" not in path.relative_to(out).parts and path.name != "run.json"}


def _damage(target: Path, kind: str) -> None:
    import orjson

    status = target.stat()
    content = target.read_bytes()
    if kind == "truncated, mtime kept":  # a copy cut short by a full disk, restored with its times (cp -p)
        target.write_bytes(content[: len(content) // 2])
        os.utime(target, ns=(status.st_atime_ns, status.st_mtime_ns))
    elif kind == "emptied":
        target.write_bytes(b"")
    elif kind == "one byte changed in place":  # same size: bit rot, a careless sed -i
        with open(target, "r+b") as handle:
            handle.seek(len(content) // 2)
            handle.write(b"#")
    elif kind == "replaced by another report":
        target.write_bytes(next(path for path in sorted(target.parent.glob("*.json")) if path != target).read_bytes())
    else:  # "hand-edited": valid JSON, a value changed
        data = orjson.loads(content)
        data["meta"]["agency"] = "手改的机关"
        target.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("kind", ["truncated, mtime kept", "emptied", "one byte changed in place",
                                  "replaced by another report", "hand-edited"])
def test_a_damaged_output_json_of_an_unchanged_input_is_written_again(inputs, tmp_path, kind, jobs):
    """A report JSON damaged after the run that wrote it, its input unchanged, was left as it was by every
    later run (the input was unchanged, and the JSON only had to be there)."""
    out = tmp_path / "out"
    assert extract(inputs, "-o", out, "-q", "--jobs", jobs).exit_code == 0
    clean = _visible(out)
    target = sorted(out.glob("seeds/*.txt.json"))[0]
    _damage(target, kind)
    result = extract(inputs, "-o", out, "-q", "--jobs", jobs)
    assert result.exit_code == 0
    warning = one_line(result)
    assert warning.startswith("xxgk: warning: 1 report JSON file(s)") and f"{target.relative_to(out)}" in warning
    assert _visible(out) == clean
    again = extract(inputs, "-o", out, "-q", "--jobs", jobs)  # and then it is unchanged again
    assert again.exit_code == 0 and again.output == ""
    assert json.loads((out / "run.json").read_text())["parsed"] == 0


def test_a_hand_edited_report_json_never_reaches_the_csvs(inputs, tmp_path):
    """The JSON is an output, not an input: an edit of it was taken into cells.csv (rendered again from the
    edited file) by the next run that wrote the outputs, while reports.csv kept the value parsed from the
    input. Now the next run writes the JSON again from its input, and every CSV comes from the inputs."""
    out = tmp_path / "out"
    assert extract(inputs, "-o", out, "-q").exit_code == 0
    clean = _visible(out)
    first, second = sorted(out.glob("seeds/*.txt.json"))[:2]
    _damage(first, "hand-edited")
    changed = inputs / "seeds" / second.name[: -len(".json")]
    changed.write_bytes(changed.read_bytes() + b"\n")  # another input changed: the outputs are written
    assert extract(inputs, "-o", out, "-q").exit_code == 0
    outputs = _visible(out)
    assert not any("手改的机关".encode() in content for content in outputs.values())
    assert outputs[first.relative_to(out).as_posix()] == clean[first.relative_to(out).as_posix()]


def test_a_json_rewritten_by_the_duplicate_pass_counts_as_written(tmp_path):
    """The duplicate pass rewrites a later copy's JSON at the end of the run: the state keeps the rewritten
    file as the one written, so the copy is not parsed again by every run."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    seed = sorted((SEEDS).glob("*.txt"))[0]
    for name in ("a.txt", "b.txt"):
        shutil.copy(seed, inputs / name)
    assert extract(inputs, "-o", out, "-q").exit_code == 0
    assert b"duplicate_report" in (out / "b.txt.json").read_bytes()
    clean = _visible(out)
    again = extract(inputs, "-o", out, "-q")
    assert again.exit_code == 0 and again.output == ""
    assert json.loads((out / "run.json").read_text())["unchanged"] == 2
    assert _visible(out) == clean


def _deep_folder(root: Path, levels: int) -> tuple[int, str]:
    """A descriptor of a folder `levels` x 200 bytes below `root` (made a folder at a time: its path is
    too long for one system call), and that path."""
    folder = os.open(root, os.O_RDONLY)
    for _ in range(levels):
        os.mkdir("d" * 200, dir_fd=folder)
        deeper = os.open("d" * 200, os.O_RDONLY, dir_fd=folder)
        os.close(folder)
        folder = deeper
    return folder, os.path.join(root, *["d" * 200] * levels)


def _write_at(folder: int, name: str, content: bytes) -> None:
    with open(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644, dir_fd=folder), "wb") as handle:
        handle.write(content)


def test_files_under_a_path_longer_than_path_max_are_read_like_any_other(tmp_path):
    """A folder whose path is over PATH_MAX (4,096 bytes) could not be listed ("File name too long"): its
    files had no record, only the folder was reported. They are listed and read through descriptors now."""
    seeds = sorted(SEEDS.glob("*.txt"))[:3]
    inputs, shallow = tmp_path / "in", tmp_path / "shallow"
    inputs.mkdir()
    shallow.mkdir()
    folder, path = _deep_folder(inputs, 21)
    assert len(os.fsencode(path)) > 4096
    try:
        _write_at(folder, "a.txt", seeds[0].read_bytes())
        _write_at(folder, "b", seeds[1].read_bytes())  # no suffix: sniffed as text, through the descriptors too
        os.mkdir("sub", dir_fd=folder)
        sub = os.open("sub", os.O_RDONLY, dir_fd=folder)
        _write_at(sub, "c.txt", seeds[2].read_bytes())
        for name, seed in zip(("a.txt", "b", "c.txt"), seeds):
            shutil.copy(seed, shallow / name)
        out = tmp_path / "out"
        result = extract(inputs, "-o", out, "-q", "--jobs", "2")
        assert result.exit_code == 0 and result.output == "", result.output
        found = {path.name: json.loads(path.read_bytes()) for path in out.rglob("*.json")
                 if path.name not in ("run.json", "datapackage.json")}
        assert sorted(found) == ["a.txt.json", "b.json", "c.txt.json"]
        assert extract(shallow, "-o", tmp_path / "shallow-out", "-q").exit_code == 0
        for name, data in found.items():
            expected = json.loads((tmp_path / "shallow-out" / name).read_bytes())
            assert data["parsed"] and data["source"]["path"].endswith(name[: -len(".json")])
            data["source"]["path"] = expected["source"]["path"]
            assert data == expected
        assert extract(inputs, "-o", out, "-q").exit_code == 0  # unchanged: its stat is taken the same way
        assert json.loads((out / "run.json").read_text())["unchanged"] == 3
        _write_at(sub, "c.txt", seeds[0].read_bytes())  # and a change is seen
        assert extract(inputs, "-o", out, "-q").exit_code == 0
        assert json.loads((out / "run.json").read_text())["parsed"] == 1
        os.close(sub)
    finally:
        os.close(folder)


def test_a_folder_that_cannot_be_read_says_its_files_have_no_record(inputs, tmp_path, monkeypatch):
    """Its line said only that its outputs were kept: on a first run there are none, and nothing said the
    files under it were left out (the run exits 1 for them)."""
    import errno

    real_scandir = os.scandir

    def scandir(path="."):
        if not isinstance(path, int) and os.fspath(path).endswith("seeds"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    (inputs / "other").mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], inputs / "other" / "x.txt")
    monkeypatch.setattr(os, "scandir", scandir)
    result = extract(inputs, "-o", tmp_path / "out", "-q")
    monkeypatch.undo()
    assert result.exit_code == 1
    line = result.output.splitlines()[0]  # then the summary, printed with -q too when a folder was left out
    assert line.startswith(f"xxgk: cannot read folder {inputs / 'seeds'}: Permission denied; ")
    assert line.endswith("the files under it were not read: they have no record of this run (exit 1)")
    assert "Traceback" not in result.output
