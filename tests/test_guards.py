"""Issue 11: a file can never stall or kill a run, workers never outlive it, the cache cannot serve a
stale result, and guard rails against empty inputs and mass deletion (OUT failures: test_out_failures.py)."""
from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from xxgk.batch import processing
from xxgk.batch.run import Options, run_batch
from xxgk.batch.unchanged import _sha256
from xxgk.cli import main
from xxgk.batch.inputs import find_inputs

from .conftest import FIXTURES

SEEDS = FIXTURES / "reports" / "seeds"


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
from xxgk.batch import processing
from xxgk.batch.run import Options, run_batch
from xxgk.batch.inputs import find_inputs
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
              "from xxgk.batch import workers\n"
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
