"""Issue 11: every failure of OUT itself or of its state is one line, never a traceback, naming the
path, the cause and the fix, with its own exit code; a damaged state is moved aside and rebuilt."""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import subprocess
import sys

import pytest

from xxgk.batch import output

from .test_guards import SEEDS, extract, one_line


# --- failures of OUT and of its state ---------------------------------------------------------------
def _failing_open(number):
    real = os.open

    def failing(path, flags, *rest, **options):
        if flags & os.O_CREAT and str(path).endswith(".tmp"):
            raise OSError(number, os.strerror(number), str(path))
        return real(path, flags, *rest, **options)

    return failing


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("number,code,words", [
    (errno.EROFS, 4, "cannot write: the filesystem is read-only; mount it read-write"),
    (errno.EACCES, 4, "cannot write: permission denied; give this user write permission"),
    (errno.EPERM, 4, "operation not permitted (an immutable or append-only file? see lsattr)"),
    (errno.ENOSPC, 5, "the disk is full (No space left on device); free space"),
])
def test_an_unwritable_or_full_output_is_one_line_with_its_own_exit_code(inputs, tmp_path, monkeypatch,
                                                                         number, code, words, jobs):
    monkeypatch.setattr(output.os, "open", _failing_open(number))
    out = tmp_path / "out"
    result = extract(inputs, "-o", out, "--jobs", jobs)
    assert result.exit_code == code
    line = one_line(result)
    assert line.startswith(f"xxgk: {out}") and words in line
    assert not list(out.rglob("*.tmp")) and not (out / "reports.csv").exists()


def test_a_full_disk_while_the_state_grows_is_one_line(inputs, tmp_path, monkeypatch):
    import sqlite3

    from xxgk.batch import state as state_module

    real_put = state_module.State.put

    def put(self, *arguments):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(state_module.State, "put", put)
    result = extract(inputs, "-o", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 5 and "the disk is full (the state database cannot grow)" in one_line(result)
    monkeypatch.setattr(state_module.State, "put", real_put)
    assert extract(inputs, "-o", tmp_path / "out").exit_code == 0


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("mount") is None, reason="mounting a tmpfs needs root")
def test_a_really_full_disk(inputs, tmp_path):
    out = tmp_path / "small"
    out.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(out)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        for copy in range(20):
            shutil.copy(SEEDS / "000_201b3c9d0f3fbc81.txt", inputs / f"copy{copy}.txt")
        result = extract(inputs, "-o", out, "--jobs", "1")
        assert result.exit_code == 5, result.output
        assert "the disk is full" in one_line(result)
        assert not list(out.rglob("*.tmp"))
    finally:
        subprocess.run(["umount", str(out)], check=False)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder(inputs, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = extract(inputs, "-o", out)
        assert result.exit_code == 4 and "permission denied" in one_line(result)
    finally:
        out.chmod(0o755)


def _chattr(flag: str, path) -> bool:
    return shutil.which("chattr") is not None and subprocess.run(["chattr", flag, str(path)],
                                                                  capture_output=True).returncode == 0


@pytest.mark.parametrize("what", ["folder", "report"])
def test_an_immutable_output_is_one_line(inputs, tmp_path, what):
    out = tmp_path / "out"
    assert extract(inputs, "-o", out).exit_code == 0
    target = out / "seeds" if what == "folder" else out / "seeds" / "002_a0db4065ad230706.txt.json"
    if not _chattr("+i", target):
        pytest.skip("chattr +i is not possible here")
    try:
        result = extract(inputs, "-o", out, "--force", "--jobs", "1")
        assert result.exit_code == 4
        assert "operation not permitted (an immutable or append-only file? see lsattr)" in one_line(result)
    finally:
        _chattr("-i", target)
    assert extract(inputs, "-o", out).exit_code == 0


def test_a_damaged_state_is_moved_aside_and_rebuilt(inputs, tmp_path):
    out = tmp_path / "out"
    assert extract(inputs, "-o", out).exit_code == 0
    before = (out / "reports.csv").read_bytes()
    (out / ".xxgk" / "state.sqlite3").write_bytes(b"this is not a database" * 100)
    for arguments in ([], ["--force"]):
        result = extract(inputs, "-o", out, *arguments)
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        if not arguments:
            assert "warning: the state database" in result.output and "was damaged" in result.output
            assert "moved aside" in result.output and (out / ".xxgk" / "state.sqlite3.damaged").exists()
        assert (out / "reports.csv").read_bytes() == before
        (out / ".xxgk" / "state.sqlite3").write_bytes(b"\0" * 4096)


def test_a_state_damaged_during_the_run_is_moved_aside(inputs, tmp_path, monkeypatch):
    import sqlite3

    from xxgk.batch import state as state_module

    def current(self):
        raise sqlite3.DatabaseError("database disk image is malformed")

    with monkeypatch.context() as patch:
        patch.setattr(state_module.State, "current", current)
        result = extract(inputs, "-o", tmp_path / "out")
    assert result.exit_code == 4
    assert "the state database was damaged during the run (database disk image is malformed)" in one_line(result)
    assert (tmp_path / "out" / ".xxgk" / "state.sqlite3.damaged").exists()
    result = extract(inputs, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("mode,column,value", [
    ([], "report_row", "not json {"),
    ([], "finding_rows", '{"a": 1}'),
    ([], "carried_over", "5"),
    (["--jsonl"], "report_json", b"\x00not zlib"),
])
def test_a_stored_row_that_does_not_read_back_is_a_damaged_state(inputs, tmp_path, mode, column, value):
    """A database that opens but whose rows do not decode (bit rot, a hand edit) was a traceback in every
    later run: it is damage like a malformed file, moved aside, and the next run rebuilds the outputs."""
    import sqlite3

    out, names = tmp_path / "out", ("reports.csv", "findings.csv", "cells.csv", "cross_year.csv", "reports.jsonl")
    assert extract(inputs, "-o", out, *mode).exit_code == 0
    clean = {name: (out / name).read_bytes() for name in names if (out / name).exists()}
    with sqlite3.connect(out / ".xxgk" / "state.sqlite3") as connection:
        connection.execute(f"update files set {column} = ?", (value,))
    result = extract(inputs, "-o", out, *mode)
    assert result.exit_code == 4, result.output
    assert "the state database was damaged during the run" in one_line(result) and "Traceback" not in result.output
    assert (out / ".xxgk" / "state.sqlite3.damaged").exists()
    assert extract(inputs, "-o", out, *mode).exit_code == 0
    assert {name: (out / name).read_bytes() for name in names if (out / name).exists()} == clean
    assert ("reports.jsonl" in clean) == bool(mode)


def test_an_unopenable_state_is_one_line(inputs, tmp_path):
    out = tmp_path / "out"
    (out / ".xxgk" / "state.sqlite3").mkdir(parents=True)
    result = extract(inputs, "-o", out)
    assert result.exit_code == 4 and "the state database cannot be opened" in one_line(result)


def test_a_linked_state_folder_is_refused_and_its_target_untouched(inputs, tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    os.symlink(elsewhere, out / ".xxgk")
    result = extract(inputs, "-o", out)
    assert result.exit_code == 6
    assert f"{out / '.xxgk'}: is a symbolic link (to {elsewhere})" in one_line(result)
    assert list(elsewhere.iterdir()) == [] and not (out / "reports.csv").exists()


def test_a_lock_left_by_a_dead_run_is_taken_over(inputs, tmp_path):
    out = tmp_path / "out"
    (out / ".xxgk").mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (out / ".xxgk" / "lock").write_text(dead.stdout)
    # a leftover process (as older versions' workers were) still holds the dead run's lock
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'a'); "
                               "fcntl.flock(f, fcntl.LOCK_EX); print('ready', flush=True); time.sleep(60)",
                               str(out / ".xxgk" / "lock")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "ready\n"
        result = extract(inputs, "-o", out)
        assert result.exit_code == 0, result.output
        assert f"the run (pid {int(dead.stdout)}) that locked {out} is dead" in result.output
        with open(out / ".xxgk" / "lock") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the new lock is free again
    finally:
        holder.kill()
        holder.wait()


def test_a_live_run_keeps_its_lock(inputs, tmp_path):
    from xxgk.batch.state import State

    out = tmp_path / "out"
    holder = State(out)
    try:
        result = extract(inputs, "-o", out)
        assert result.exit_code == 3 and f"(pid {os.getpid()})" in one_line(result)
    finally:
        holder.close()


@pytest.mark.parametrize("locked,then", [
    ("rendered.sqlite3", "an input changed"),    # the workers' rows are stored as they arrive (Primer)
    ("rendered.sqlite3", "reports.csv removed"),  # the outputs are written from the cache (RenderCache)
    ("state.sqlite3", "an input changed"),
])
def test_a_locked_database_is_named_as_the_one_locked(inputs, tmp_path, monkeypatch, locked, then):
    """Another program holding OUT/.xxgk/rendered.sqlite3 was reported as a lock on state.sqlite3."""
    import functools
    import sqlite3

    out = tmp_path / "out"
    assert extract(inputs, "-o", out, "-q").exit_code == 0
    if then == "an input changed":
        seed = sorted((inputs / "seeds").iterdir())[0]
        seed.write_bytes(seed.read_bytes() + b"\n")
    else:
        (out / "reports.csv").unlink()
    holder = sqlite3.connect(out / ".xxgk" / locked, isolation_level=None)
    holder.execute("begin immediate")  # another program writing to it
    monkeypatch.setattr(sqlite3, "connect", functools.partial(sqlite3.connect, timeout=0.05))  # no 5 s wait
    try:
        result = extract(inputs, "-o", out, "--jobs", "1", "-q")
    finally:
        holder.close()
    assert result.exit_code == 4
    line = one_line(result)
    assert line.startswith(f"xxgk: {out / '.xxgk' / locked}: cannot write: "), line
    assert "is locked by another program" in line
    other = "state.sqlite3" if locked == "rendered.sqlite3" else "rendered.sqlite3"
    assert other not in line
    assert extract(inputs, "-o", out, "-q").exit_code == 0  # the next run finishes the work
    assert (out / "reports.csv").is_file()


def test_a_cache_held_by_another_program_is_not_taken_for_a_damaged_one(inputs, tmp_path, monkeypatch):
    """A program holding rendered.sqlite3 in exclusive mode made opening it fail with 'database is locked',
    which the cache took for damage: it deleted the file under the other program (and left its -wal)."""
    import functools
    import sqlite3

    out = tmp_path / "out"
    assert extract(inputs, "-o", out, "-q").exit_code == 0
    (out / "reports.csv").unlink()  # the next run writes the outputs from the cache
    cache = out / ".xxgk" / "rendered.sqlite3"
    before = cache.stat().st_ino
    holder = sqlite3.connect(cache, isolation_level=None)
    holder.execute("pragma locking_mode = exclusive")
    holder.execute("begin exclusive")
    monkeypatch.setattr(sqlite3, "connect", functools.partial(sqlite3.connect, timeout=0.05))
    try:
        result = extract(inputs, "-o", out, "--jobs", "1", "-q")
        assert cache.stat().st_ino == before  # still the other program's file
    finally:
        holder.close()
    assert result.exit_code == 4
    assert one_line(result).startswith(f"xxgk: {cache}: cannot write: "), one_line(result)
    assert extract(inputs, "-o", out, "-q").exit_code == 0
    assert (out / "reports.csv").is_file()
