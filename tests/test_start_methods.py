"""Issue 15: the worker-crash test must not depend on multiprocessing's default start method.

The batch runner forks its workers itself (batch/workers.py), so a worker inherits the parent's
modules as they are, monkeypatches included, whatever `multiprocessing` would use by default
(`fork` up to Python 3.13, `forkserver` from 3.14, `spawn` on macOS). This runs the crash of
test_batch.py with each of the other start methods made the default, in a fresh interpreter.
"""
from __future__ import annotations

import json
import subprocess
import sys

_SCRIPT = """
import json, multiprocessing, os, sys
from pathlib import Path
from xxgk.batch import processing
from xxgk.batch.inputs import find_inputs
from xxgk.batch.run import Options, run_batch

real = processing.extract_file

def extract_file(path, relative=None, max_bytes=0):
    if "003_" in str(path):
        os._exit(3)
    return real(path, relative, max_bytes)

processing.extract_file = extract_file
results = {}
for method in sys.argv[3:]:
    multiprocessing.set_start_method(method, force=True)
    summary = run_batch(find_inputs([Path(sys.argv[1])]), Path(sys.argv[2]) / method, Options(jobs=2))
    results[method] = [multiprocessing.get_start_method(), summary.seen, summary.parsed, summary.failed,
                       summary.failures]
print(json.dumps(results))
"""

METHODS = ("forkserver", "spawn")  # `fork`: test_batch.py's own run


def test_a_worker_that_dies_costs_only_its_file_under_every_start_method(inputs, tmp_path):
    probe = subprocess.run([sys.executable, "-c", _SCRIPT, str(inputs), str(tmp_path / "out"), *METHODS],
                           capture_output=True, text=True, timeout=120)
    assert probe.returncode == 0, probe.stderr
    results = json.loads(probe.stdout)
    assert list(results) == list(METHODS)
    for method, (current, seen, parsed, failed, failures) in results.items():
        assert (current, seen, parsed, failed) == (method, 5, 4, 1)
        assert failures == ["seeds/003_81dd061a659bf16a.txt: the worker process died on this file: "
                            "exited with code 3"], failures
