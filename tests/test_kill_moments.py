"""Signals at the moments at the very end of a run, reached from inside the process (no timing): the
seeded kills of test_faults.py land there only when the machine is loaded, the test starved while the
run ends, and there they failed.

- SIGKILL while run.json is synced to the disk: its temporary file was in OUT itself, and as the run
  had already been marked finished no later run removed it.
- SIGINT or SIGTERM while the interpreter shuts down, after the command has done its work: Python's
  own handlers were back, and a KeyboardInterrupt traceback was printed (in an atexit hook), or the
  exit code and the command's line were lost.
"""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from xxgk.cli import main

from .conftest import FIXTURES

SEEDS = FIXTURES / "reports" / "seeds"

_KILLED_WHILE_RUN_JSON_SYNCS = """
import os, signal, sys
import xxgk.batch.run as run
real = run.write_atomic
def write_atomic(path, content, durable=False, scratch=None):
    if path.name == "run.json":
        os.fsync = lambda handle: os.kill(os.getpid(), signal.SIGKILL)  # the temporary file is complete
    return real(path, content, durable, scratch)
run.write_atomic = write_atomic
from xxgk.__main__ import main
sys.argv = ["xxgk", "extract", *sys.argv[1:]]
main()
"""

_SIGNAL_AS_THE_INTERPRETER_EXITS = """
import atexit, importlib.metadata, os, signal, sys, time
number = int(sys.argv[1])
def late():
    os.kill(os.getpid(), number)
    time.sleep(0.01)  # a handler that may run now runs here
atexit.register(late)
sys.argv = ["xxgk", "extract", *sys.argv[2:]]
(entry,) = importlib.metadata.entry_points(group="console_scripts", name="xxgk")
entry.load()()
"""


def _inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(seed, folder)
    return folder


def _temporary_files(out: Path, everywhere: bool) -> list[Path]:
    return [path for path in out.rglob("*") if path.name.endswith(".tmp")
            and (everywhere or ".xxgk" not in path.relative_to(out).parts)]


def test_a_run_killed_while_run_json_is_synced_leaves_no_temporary_file_in_out(tmp_path):
    inputs, out = _inputs(tmp_path), tmp_path / "out"
    process = subprocess.run([sys.executable, "-c", _KILLED_WHILE_RUN_JSON_SYNCS, str(inputs), "-o", str(out), "-q"],
                             capture_output=True, timeout=120)
    assert process.returncode == -signal.SIGKILL, process.stderr
    assert len(list(out.glob("*.txt.json"))) == 3  # killed at the very end, every report written
    assert _temporary_files(out, everywhere=False) == []
    again = CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out), "-q"])
    assert again.exit_code == 0, again.output
    assert _temporary_files(out, everywhere=True) == []
    assert (out / "run.json").is_file() and not (out / ".xxgk" / "tmp").exists()


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_as_the_interpreter_exits_keeps_the_commands_exit_code_and_prints_nothing(number, tmp_path):
    inputs, out = _inputs(tmp_path), tmp_path / "out"
    process = subprocess.run([sys.executable, "-c", _SIGNAL_AS_THE_INTERPRETER_EXITS, str(int(number)), str(inputs),
                              "-o", str(out), "-q"], capture_output=True, timeout=120)
    assert (process.returncode, process.stderr) == (0, b"")
    assert len(list(out.glob("*.txt.json"))) == 3 and (out / "run.json").is_file()
