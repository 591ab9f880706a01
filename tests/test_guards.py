"""Issue 11: a file can never stall or kill a run; failures of OUT and of its state are one line with
their own exit code; guard rails against empty inputs and mass deletion."""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from xxgk import output, processing
from xxgk.batch import Options, _sha256, run_batch
from xxgk.cli import main
from xxgk.inputs import find_inputs

from .conftest import FIXTURES

SEEDS = FIXTURES / "reports" / "seeds"


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder / "seeds")
    return folder


def extract(*arguments):
    return CliRunner().invoke(main, ["extract", *map(str, arguments)])


def one_line(result) -> str:
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def record(out, name):
    return json.loads((out / f"{name}.json").read_text(encoding="utf-8"))


# --- a file cannot stall or kill the run -----------------------------------------------------------
def _stall_on_003(kind):
    real = processing.extract_file

    def extract_file(path, relative=None, max_bytes=0):
        if "003_" in str(path):
            if kind == "stop":
                os.kill(os.getpid(), signal.SIGSTOP)  # a stopped worker: only the main process can act
            while True:  # a parse that never ends (pure Python: the alarm interrupts it)
                pass
        return real(path, relative, max_bytes)

    return extract_file


@pytest.mark.parametrize("jobs,kind", [(1, "loop"), (2, "loop"), (2, "stop")])
def test_a_file_over_the_time_limit_is_a_record_and_the_batch_goes_on(inputs, tmp_path, monkeypatch, jobs, kind):
    monkeypatch.setattr(processing, "extract_file", _stall_on_003(kind))
    monkeypatch.setattr(processing, "_GRACE", 0.5)
    out = tmp_path / "out"
    summary = run_batch(find_inputs([inputs]), out, Options(jobs=jobs, time_limit=1.0))  # ample for a seed
    assert (summary.seen, summary.parsed, summary.failed) == (5, 4, 1)
    finding = record(out, "seeds/003_81dd061a659bf16a.txt")["findings"][0]
    assert finding["code"] == "time_limit" and "--time-limit" in finding["message"]


def test_the_writer_failing_on_one_report_is_a_record(inputs, tmp_path, monkeypatch):
    real = processing.report_bytes

    def report_bytes(data):
        if "003_" in (data.get("source") or {}).get("path", "") and data["parsed"]:
            raise TypeError("Integer exceeds 64-bit range")
        return real(data)

    monkeypatch.setattr(processing, "report_bytes", report_bytes)
    out = tmp_path / "out"
    result = extract(inputs, "-o", out, "--jobs", "1")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot parse seeds/003_81dd061a659bf16a.txt: the report could not be written: TypeError" in result.output
    assert record(out, "seeds/003_81dd061a659bf16a.txt")["findings"][0]["code"] == "internal_error"
    assert record(out, "seeds/002_a0db4065ad230706.txt")["parsed"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_json_that_cannot_be_written_at_all_is_still_a_record_in_the_csvs(inputs, tmp_path, monkeypatch, jobs):
    real = processing.write_atomic

    def write_atomic(path, content, **options):
        if "003_" in str(path):
            raise OSError(errno.ENAMETOOLONG, "File name too long", str(path))
        return real(path, content, **options)

    monkeypatch.setattr(processing, "write_atomic", write_atomic)
    out = tmp_path / "out"
    result = extract(inputs, "-o", out, "--jobs", jobs)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot parse seeds/003_81dd061a659bf16a.txt: the report could not be written: " in result.output
    assert not (out / "seeds" / "003_81dd061a659bf16a.txt.json").exists()
    assert "seeds/003_81dd061a659bf16a.txt,,," in (out / "reports.csv").read_text(encoding="utf-8")
    assert len(list((out / "seeds").glob("*.json"))) == 4


def test_workers_killed_from_outside_cost_nothing(inputs, tmp_path):
    """The OOM killer takes the workers (busy or idle) in the middle of a run: their files are parsed again."""
    for copy in range(60):
        shutil.copy(SEEDS / "000_201b3c9d0f3fbc81.txt", inputs / f"copy{copy:02}.txt")

    def killing_the_workers(items):
        for number, item in enumerate(items):
            if number in (30, 50):
                for child in _children(os.getpid()):
                    os.kill(child, signal.SIGKILL)
                time.sleep(0.2)
            yield item

    summary = run_batch(killing_the_workers(find_inputs([inputs])), tmp_path / "out", Options(jobs=2))
    assert (summary.seen, summary.parsed, summary.failed) == (65, 65, 0)
    assert _children(os.getpid()) == []


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
        except (OSError, ValueError):
            continue
        if int(fields[1]) == parent and fields[0] != "Z":
            found.append(int(entry))
    return found


def test_workers_hold_neither_the_lock_nor_the_state(inputs, tmp_path):
    """Inside a worker, no open descriptor leads to OUT/.xxgk/lock or the state database."""
    out = tmp_path / "out"
    probe = subprocess.run([sys.executable, "-c", _PROBE, str(inputs), str(out)], capture_output=True, text=True,
                           timeout=60)
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout) == {"lock": False, "state": False}


_PROBE = """
import json, os, sys
from pathlib import Path
from xxgk import processing
from xxgk.batch import Options, run_batch
from xxgk.inputs import find_inputs
real = processing.extract_file
def extract_file(path, relative=None, max_bytes=0):
    targets = {os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
               if os.path.exists(f"/proc/self/fd/{fd}")}
    with open(os.environ["PROBE"], "w") as handle:
        json.dump({"lock": any(t.endswith("/lock") for t in targets),
                   "state": any("state.sqlite3" in t for t in targets)}, handle)
    return real(path, relative, max_bytes)
processing.extract_file = extract_file
os.environ["PROBE"] = sys.argv[2] + ".probe"
run_batch(find_inputs([Path(sys.argv[1])]), Path(sys.argv[2]), Options(jobs=2, force=True))
print(open(os.environ["PROBE"]).read())
"""


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

    from xxgk import state as state_module

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

    from xxgk import state as state_module

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
    from xxgk.state import State

    out = tmp_path / "out"
    holder = State(out)
    try:
        result = extract(inputs, "-o", out)
        assert result.exit_code == 3 and f"(pid {os.getpid()})" in one_line(result)
    finally:
        holder.close()


# --- the cache ---------------------------------------------------------------------------------------
def test_the_cache_keys_on_max_bytes(inputs, tmp_path):
    out = tmp_path / "out"
    assert extract(inputs, "-o", out, "--max-bytes", "1000").exit_code == 1
    assert record(out, "seeds/002_a0db4065ad230706.txt")["findings"][0]["code"] == "too_large"
    result = extract(inputs, "-o", out)
    assert result.exit_code == 0, result.output
    assert record(out, "seeds/002_a0db4065ad230706.txt")["parsed"]


def test_hashing_a_changed_file_is_streamed_and_bounded(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 5000)
    reads = []
    real_open = open

    class Recording:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *rest):
            self.handle.close()

        def read(self, size=-1):
            reads.append(size)
            return self.handle.read(size)

    monkeypatch.setattr("builtins.open", lambda *a, **k: Recording(real_open(*a, **k)))
    assert _sha256(path, 100) is None  # over the limit: changed, not hashed to the end
    assert sum(size for size in reads) <= 101 and all(0 < size for size in reads)
    reads.clear()
    assert _sha256(path, 10_000) is not None and max(reads) <= 1 << 20


def test_a_link_planted_between_two_runs_of_one_process_is_not_followed(tmp_path):
    inputs, out, outside = tmp_path / "in", tmp_path / "out", tmp_path / "outside"
    (inputs / "sub").mkdir(parents=True)
    outside.mkdir()
    shutil.copy(SEEDS / "000_201b3c9d0f3fbc81.txt", inputs / "sub" / "a.txt")
    assert extract(inputs, "-o", out).exit_code == 0
    shutil.rmtree(out / "sub")
    os.symlink(outside, out / "sub")
    result = extract(inputs, "-o", out, "--force")
    assert result.exit_code == 1 and list(outside.iterdir()) == []
    assert "a symbolic link inside" in result.output


# --- guard rails -------------------------------------------------------------------------------------
def test_no_input_files_changes_nothing(inputs, tmp_path):
    out = tmp_path / "out"
    assert extract(inputs, "-o", out).exit_code == 0
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file() and ".xxgk" not in path.parts}
    empty = tmp_path / "unmounted"
    empty.mkdir()
    for arguments in ([], ["--prune"]):
        result = extract(empty, "-o", out, *arguments)
        assert result.exit_code == 7
        assert one_line(result) == f"xxgk: no input file found; nothing in {out} was changed"
    assert {path: path.read_bytes() for path in out.rglob("*")
            if path.is_file() and ".xxgk" not in path.parts} == before
    assert extract(empty, "-o", tmp_path / "new").exit_code == 7 and not (tmp_path / "new").exists()


def test_an_unreadable_folder_is_reported_and_its_outputs_kept(inputs, tmp_path, monkeypatch):
    (inputs / "other").mkdir()
    shutil.copy(SEEDS / "000_201b3c9d0f3fbc81.txt", inputs / "other" / "x.txt")
    out = tmp_path / "out"
    assert extract(inputs, "-o", out).exit_code == 0
    real_scandir = os.scandir

    def scandir(path="."):
        if not isinstance(path, int) and os.fspath(path).endswith("seeds"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = extract(inputs, "-o", out, "--prune")
    monkeypatch.undo()
    assert result.exit_code == 1
    assert f"xxgk: cannot read folder {inputs / 'seeds'}: Permission denied; its outputs are kept" in result.output
    assert len(list((out / "seeds").glob("*.json"))) == 5
    assert len((out / "reports.csv").read_text(encoding="utf-8").splitlines()) == 7


def test_prune_refuses_to_delete_more_than_max_delete(inputs, tmp_path):
    out = tmp_path / "out"
    assert extract(inputs, "-o", out).exit_code == 0
    for path in sorted((inputs / "seeds").glob("*.txt"))[:3]:
        path.unlink()
    result = extract(inputs, "-o", out, "--prune")
    assert result.exit_code == 8
    assert "--prune would delete 3 of 5 outputs, over --max-delete 50%; nothing was deleted" in result.output
    assert len(list((out / "seeds").glob("*.json"))) == 5
    assert extract(inputs, "-o", out, "--prune", "--max-delete", "2").exit_code == 8
    result = extract(inputs, "-o", out, "--prune", "--max-delete", "3")
    assert result.exit_code == 0, result.output
    assert len(list((out / "seeds").glob("*.json"))) == 2
    assert extract(inputs, "-o", out, "--max-delete", "lots").exit_code == 2


def test_ctrl_c_exits_130(inputs, tmp_path, monkeypatch):
    from xxgk import cli

    def interrupted(*arguments, **options):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run_batch", interrupted)
    result = extract(inputs, "-o", tmp_path / "out")
    assert result.exit_code == 130 and "stopped by SIGINT" in one_line(result)


def test_a_worker_left_without_its_parent_exits(tmp_path):
    """The parent check: a worker whose main process is gone stops waiting (here without the kernel's
    parent-death signal, which a worker sets up first where it exists)."""
    script = ("import os, sys, time\n"
              "from xxgk import workers\n"
              "workers._die_with_parent = lambda parent: None\n"
              "worker = workers._Worker(lambda item: item, ())\n"
              "print(worker.pid, flush=True)\n"
              "os._exit(0)\n")
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    pid = int(child.stdout)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
