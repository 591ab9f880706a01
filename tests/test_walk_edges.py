"""The run's output folder inside an input folder is not walked, whatever the selection: with
--include '*.json' its outputs were read back as inputs, and every run failed on them and wrote one
more level of outputs (OUT/out/x.txt.json.json, then OUT/out/out/...)."""
from __future__ import annotations

import shutil

import orjson
from click.testing import CliRunner

from xxgk.batch.inputs import InputWalk, Selection
from xxgk.cli import main

from .conftest import FIXTURES

SEEDS = sorted((FIXTURES / "reports" / "seeds").glob("*.txt"))[:2]


def test_an_output_folder_inside_the_input_is_never_read_back(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, inputs)
    out = inputs / "out"
    command = ["extract", str(inputs), "-o", str(out), "-q", "--jobs", "1", "--include", "*.txt", "--include", "*.json"]
    for _ in range(3):
        result = CliRunner().invoke(main, command)
        assert (result.exit_code, result.output) == (0, "")
        summary = orjson.loads((out / "run.json").read_bytes())
        assert (summary["seen"], summary["failed"]) == (2, 0)
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*.json")) == sorted(
        [f"{seed.name}.json" for seed in SEEDS] + ["datapackage.json", "run.json"])


def test_an_input_folder_that_is_the_output_folder_is_still_read(tmp_path):
    """Only an output folder below an input folder is left out: outputs written beside the inputs
    (the input folder given as OUT) keep working."""
    for seed in SEEDS:
        shutil.copy(seed, tmp_path)
    walk = InputWalk([tmp_path], Selection(out=tmp_path))
    assert sorted(item.relative for item in walk) == sorted(seed.name for seed in SEEDS)
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "-o", str(tmp_path), "-q", "--jobs", "1"])
    assert result.exit_code == 0 and sorted(path.name for path in tmp_path.glob("*.txt.json")) == sorted(
        f"{seed.name}.json" for seed in SEEDS)
