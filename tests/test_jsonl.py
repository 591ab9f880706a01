"""Issue 13, --jsonl: every report as one line of OUT/reports.jsonl instead of a JSON file each; the same
reports, CSVs and research tables as the per-file mode, incremental, and switching modes on one OUT."""
from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pandas as pd
import pytest
from click.testing import CliRunner

from xxgk.batch.run import Options, run_batch
from xxgk.cli import main
from xxgk.batch.inputs import find_inputs

from .test_research import SEEDS, numbers_report

TABLES = ("reports.csv", "findings.csv", "cells.csv", "rates.csv", "cross_year.csv")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The seeds, a report with numbers, its byte copy and a values copy (duplicates), an empty file."""
    folder = tmp_path_factory.mktemp("jsonl") / "in"
    shutil.copytree(SEEDS, folder / "seeds")
    (folder / "numbers.txt").write_text(numbers_report(), encoding="utf-8")
    (folder / "numbers_copy.txt").write_text(numbers_report(), encoding="utf-8")
    (folder / "zz_same_values.txt").write_text(numbers_report().replace("\n", "\r\n"), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def both(inputs, tmp_path_factory) -> tuple[Path, Path]:
    """(per-file OUT, --jsonl OUT) of the same inputs; the --jsonl run in worker processes."""
    root = tmp_path_factory.mktemp("outs")
    files, lines = root / "files", root / "lines"
    for out, extra in ((files, ["-j", "1"]), (lines, ["-j", "2", "--jsonl"])):
        result = CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out), "-q", *extra])
        assert result.exit_code == 1 and "cannot parse empty.txt" in result.output, result.output
    return files, lines


def relatives(inputs: Path) -> list[str]:
    return sorted(path.relative_to(inputs).as_posix() for path in inputs.rglob("*") if path.is_file())


def read_lines(out: Path) -> list[bytes]:
    return (out / "reports.jsonl").read_bytes().splitlines(keepends=True)


def test_one_line_per_input_in_order_each_the_per_file_json(inputs, both):
    files, lines = both
    found = read_lines(lines)
    assert [orjson.loads(line)["source"]["path"] for line in found] == relatives(inputs)
    for line in found:
        data = orjson.loads(line)
        assert line == orjson.dumps(data) + b"\n"  # compact, one line, a trailing newline
        assert data == orjson.loads((files / (data["source"]["path"] + ".json")).read_bytes())
    copy = orjson.loads(found[[orjson.loads(line)["source"]["path"] for line in found].index("numbers_copy.txt")])
    assert [item["code"] for item in copy["findings"]] == ["duplicate_report"]  # the batch-level finding too


def test_jsonl_writes_no_file_per_report_and_the_same_tables(both):
    files, lines = both
    assert sorted(path.name for path in lines.rglob("*.json") if ".xxgk" not in path.parts) == \
        ["datapackage.json", "run.json"]
    assert not (files / "reports.jsonl").exists()
    for name in TABLES:
        assert (lines / name).read_bytes() == (files / name).read_bytes(), name


def test_pandas_reads_reports_jsonl(inputs, both):
    frame = pd.read_json(both[1] / "reports.jsonl", lines=True)
    assert list(frame["source"].map(lambda source: source["path"])) == relatives(inputs)
    assert frame["parsed"].tolist().count(False) == 1  # the empty file


def run(inputs: Path, out: Path, **options):
    return run_batch(find_inputs([inputs]), out, Options(jobs=1, **options))


def test_reruns_are_incremental_and_follow_changed_and_gone_inputs(inputs, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(inputs, folder)
    out = tmp_path / "out"
    first = run(folder, out, jsonl=True)
    before = read_lines(out)
    again = run(folder, out, jsonl=True)
    assert (again.parsed, again.unchanged) == (0, first.seen)
    assert read_lines(out) == before

    changed = folder / "seeds" / "000_201b3c9d0f3fbc81.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("2023", "2031", 1), encoding="utf-8")
    third = run(folder, out, jsonl=True)
    assert third.parsed == 1
    after = read_lines(out)
    position = relatives(folder).index("seeds/000_201b3c9d0f3fbc81.txt")
    assert orjson.loads(after[position])["meta"]["year"] == 2031 != orjson.loads(before[position])["meta"]["year"]
    assert after[:position] + after[position + 1:] == before[:position] + before[position + 1:]
    fresh = tmp_path / "fresh"
    run(folder, fresh)  # the tables rendered from the stored lines follow the change as a new run's do
    for name in TABLES:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name

    (folder / "seeds" / "001_c0ba0aad0cf3f79c.txt").unlink()
    kept = run(folder, out, jsonl=True)  # without --prune the gone input's line stays, as its file would
    assert kept.gone_inputs == ["seeds/001_c0ba0aad0cf3f79c.txt"] and kept.parsed == 0
    assert len(read_lines(out)) == len(after)
    assert "seeds/001_c0ba0aad0cf3f79c.txt" not in (out / "reports.csv").read_text(encoding="utf-8")
    pruned = run(folder, out, jsonl=True, prune=True)
    assert pruned.pruned == 1
    assert [orjson.loads(line)["source"]["path"] for line in read_lines(out)] == relatives(folder)


def test_switching_modes_parses_again_and_prune_removes_the_other_modes_outputs(inputs, tmp_path):
    out = tmp_path / "out"
    seen = run(inputs, out).seen
    report = out / "numbers.txt.json"
    to_lines = run(inputs, out, jsonl=True)
    assert to_lines.parsed == seen - 1 and report.exists()  # all but the empty file; the JSON files stay
    assert len(read_lines(out)) == seen
    assert run(inputs, out, jsonl=True, prune=True).parsed == 0 and not report.exists()

    back = run(inputs, out)
    assert back.parsed == seen - 1 and report.exists()
    assert any("reports.jsonl is from an earlier --jsonl run" in warning for warning in back.warnings)
    assert (out / "reports.jsonl").exists()
    run(inputs, out, prune=True)
    assert not (out / "reports.jsonl").exists()
