"""End to end through the command line (click's CliRunner): extract, show, schema, check."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from xxgk.cli import main
from xxgk.batch.output import REPORT_COLUMNS

from .conftest import FIXTURES

SEEDS = FIXTURES / "reports" / "seeds"
SEED_002 = SEEDS / "002_a0db4065ad230706.txt"


@pytest.fixture
def runner():
    return CliRunner()


def test_extract_writes_one_json_per_report_and_the_csvs(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["extract", str(FIXTURES / "reports"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(path.relative_to(out).as_posix() for path in out.glob("seeds/*.json"))
    assert names == sorted(f"seeds/{path.name}.json" for path in SEEDS.glob("*.txt"))
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    # the seeds, encoding/000_replacement_characters, truncated/002_table_four_is_the_last_section
    count = len(list((FIXTURES / "reports").rglob("*.txt")))
    assert count == 7
    assert (run["seen"], run["parsed"], run["unchanged"], run["failed"]) == (count, count, 0, 0)
    with open(out / "reports.csv", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert tuple(rows[0]) == REPORT_COLUMNS
    assert len(rows) == count
    seed000 = next(row for row in rows if row["source.path"].startswith("seeds/000"))
    assert seed000["active_disclosure.normative_documents.issued"] == "6"
    assert seed000["meta.template"] == "2021" and seed000["meta.year"] == "2023"
    assert seed000["requests.other_handling.total"] == ""
    findings = _csv_rows(out / "findings.csv")
    assert {row["code"] for row in findings} >= {"missing_row", "missing_cells"}
    assert "xxgk: 7 files seen, 7 parsed, 0 unchanged, 0 with errors, 0 failed, 0 gone;" in result.output


def test_extract_records_a_bad_file_and_exits_1_after_the_batch(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_002, folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = runner.invoke(main, ["extract", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    assert "xxgk: cannot parse empty.txt: file is empty" in result.output
    record = json.loads((out / "empty.txt.json").read_text(encoding="utf-8"))
    assert record["parsed"] is False
    assert record["findings"][0]["code"] == "empty_file"
    assert json.loads((out / "good.txt.json").read_text(encoding="utf-8"))["parsed"] is True


def test_show_prints_the_report_json(runner):
    result = runner.invoke(main, ["show", str(SEED_002)])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["requests"]["new_received"]["total"] == 0
    assert data["meta"]["agency"] == "龙亭区科学技术和工业信息化局"


def test_schema_is_the_committed_one(runner):
    result = runner.invoke(main, ["schema"])
    committed = (FIXTURES.parent / "schemas" / "report.schema.json").read_text(encoding="utf-8")
    assert json.loads(result.output) == json.loads(committed), \
        "schemas/report.schema.json is stale: run `xxgk schema > schemas/report.schema.json`"


def test_usage_errors_exit_2(runner, tmp_path):
    assert runner.invoke(main, ["extract", str(tmp_path / "missing"), "-o", str(tmp_path)]).exit_code == 2
    assert runner.invoke(main, ["check", str(SEED_002), "--update"]).exit_code == 2
    assert runner.invoke(main, ["check", str(SEED_002), "--fail-on", "sometimes"]).exit_code == 2


# --- xxgk check ------------------------------------------------------------------------------------
@pytest.fixture
def clean_set(tmp_path):
    folder = tmp_path / "clean"
    folder.mkdir()
    for name in ("000_201b3c9d0f3fbc81.txt", "002_a0db4065ad230706.txt", "003_81dd061a659bf16a.txt"):
        shutil.copy(SEEDS / name, folder / name)
    return folder


@pytest.fixture
def arithmetic_set(tmp_path):
    folder = tmp_path / "arithmetic"
    folder.mkdir()
    text = SEED_002.read_text(encoding="utf-8")
    broken = text.replace("一、本年新收政府信息公开申请数量\t\t0\t0", "一、本年新收政府信息公开申请数量\t\t5\t0", 1)
    assert broken != text
    (folder / "a.txt").write_text(broken, encoding="utf-8")
    return folder


def test_check_passes_a_clean_set(runner, clean_set):
    result = runner.invoke(main, ["check", str(clean_set)])
    assert result.exit_code == 0
    assert result.output == "3 files checked: 0 problems, 0 changed values, 0 failing\n"


def test_check_reports_arithmetic_errors_with_lines(runner, arithmetic_set):
    result = runner.invoke(main, ["check", str(arithmetic_set)])
    path = arithmetic_set / "a.txt"
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:49: error H2_row_total requests.new_received.total 一、本年新收政府信息公开申请数量 总计："
        "new_received: the six applicant columns should add up to 总计, but the printed cells give 5 against 0",
        f"{path}:72: error H1_column_balance requests.total_processed.natural_person （七）总计 自然人：natural_person: "
        "本年新收 + 上年结转 − 结转下年度 should equal （七）总计, but the printed cells give 5 against 0",
        "1 files checked: 2 problems, 0 changed values, 1 failing",
    ]
    assert runner.invoke(main, ["check", str(arithmetic_set), "--fail-on", "never"]).exit_code == 0


def test_check_github_annotations(runner, arithmetic_set):
    result = runner.invoke(main, ["check", str(arithmetic_set), "--format", "github"])
    path = arithmetic_set / "a.txt"
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"::error file={path},line=49,title=H2_row_total requests.new_received.total::一、本年新收政府信息公开申请数量 总计："
        "new_received: the six applicant columns should add up to 总计, but the printed cells give 5 against 0")


def test_check_json_prints_one_object_per_file(runner, clean_set):
    result = runner.invoke(main, ["check", str(clean_set), "--format", "json"])
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objects) == 3 and all(item["parsed"] for item in objects)


def test_check_fails_on_unparseable_files(runner, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "doc.txt").write_bytes(b"%PDF-1.4\n%binary")
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{tmp_path / 'doc.txt'}: error binary_file source file is a PDF document, not text",
        f"{tmp_path / 'empty.txt'}: error empty_file source file is empty",
        "2 files checked: 2 problems, 0 changed values, 2 failing",
    ]


def test_check_warning_level_and_expected_values(runner, tmp_path, clean_set):
    expected = tmp_path / "expected"
    update = runner.invoke(main, ["check", str(clean_set), "--expected", str(expected), "--update"])
    assert update.exit_code == 0
    assert runner.invoke(main, ["check", str(clean_set), "--expected", str(expected)]).exit_code == 0
    moved = expected / "002_a0db4065ad230706.txt.json"
    data = json.loads(moved.read_text(encoding="utf-8"))
    data["requests"]["granted"]["total"] = 71
    moved.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(main, ["check", str(clean_set), "--expected", str(expected)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{clean_set / '002_a0db4065ad230706.txt'}:51: error changed requests.granted.total: 71 -> 0",
        "3 files checked: 0 problems, 1 changed values, 1 failing",
    ]


def test_check_fail_on_warning(runner):
    result = runner.invoke(main, ["check", str(SEEDS / "004_e7290be93566281d.txt"), "--fail-on", "warning"])
    assert result.exit_code == 1
    assert "warning missing_row active_disclosure.fees 行政事业性收费：row fees was not found" in result.output


def test_progress_line_on_a_terminal(capsys):
    from xxgk.batch.run import Summary
    from xxgk.cli import _Progress

    progress = _Progress(enabled=True)
    progress(Summary(seen=3, parsed=2, unchanged=1))
    progress.clear()
    line = "3 seen, 2 parsed, 1 unchanged"
    assert capsys.readouterr().err == f"\r{line}\r{' ' * len(line)}\r"
    silent = _Progress(enabled=False)
    silent(Summary(seen=1))
    assert capsys.readouterr().err == ""


def test_quiet_prints_nothing_when_all_is_well(runner, tmp_path):
    result = runner.invoke(main, ["extract", str(SEED_002), "-o", str(tmp_path / "out"), "-q", "--jobs", "1"])
    assert result.exit_code == 0 and result.output == ""


def _csv_rows(path):
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_output_names_for_several_arguments(tmp_path, monkeypatch):
    from xxgk.batch.inputs import find_inputs

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a" / "x").mkdir(parents=True)
    (tmp_path / "b").mkdir()
    for path in ("a/x/one.txt", "b/one.txt", "a/two.txt"):
        (tmp_path / path).write_text("x", encoding="utf-8")
    # Issue 11: a folder's files keep the names they have when the folder is the only input, and a
    # file argument is named by its own name, so adding an input never renames existing outputs.
    names = [item.relative for item in find_inputs([Path("a"), Path("b/one.txt")])]
    assert names == ["two.txt", "x/one.txt", "one.txt"]
    assert [item.relative for item in find_inputs([Path("a")])] == ["two.txt", "x/one.txt"]
    assert [item.relative for item in find_inputs([Path("b/one.txt")])] == ["one.txt"]


def test_check_an_unparseable_file_fails_even_with_fail_on_never(runner, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert runner.invoke(main, ["check", str(tmp_path), "--fail-on", "never"]).exit_code == 1
