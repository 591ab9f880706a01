"""Adversarial batch-integrity cases found by the attack run of issue 13's integrity pass: what OUT/.xxgk
or the inputs may hold that no earlier test tried."""
from __future__ import annotations

import os

import pytest

from .test_guards import extract


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
