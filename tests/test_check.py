"""`xxgk check` as a CI gate (issue 14), through click's CliRunner: what is compared, where each
problem points, the expected files as a reviewed baseline, usage errors, --jobs and progress."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from xxgk.cli import main

from .conftest import FIXTURES, dying_on

SEEDS = FIXTURES / "reports" / "seeds"
SEED_002 = "002_a0db4065ad230706.txt"
NAMES = ("000_201b3c9d0f3fbc81.txt", SEED_002, "004_e7290be93566281d.txt")
# one digit of table 三 (新收, 自然人): 0 -> 5, which breaks H1 and H2 on lines 49 and 72
CLEAN_ROW = "一、本年新收政府信息公开申请数量\t\t0\t0"
BROKEN_ROW = "一、本年新收政府信息公开申请数量\t\t5\t0"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def layout(tmp_path):
    """The repository's own layout: reports/seeds/*.txt and a baseline in expected/ recorded by --update."""
    seeds = tmp_path / "reports" / "seeds"
    seeds.mkdir(parents=True)
    for name in NAMES:
        shutil.copy(SEEDS / name, seeds / name)
    result = CliRunner().invoke(main, ["check", str(tmp_path / "reports"), "--expected", str(tmp_path / "expected"),
                                       "--update", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return tmp_path


def check(runner, *arguments):
    return runner.invoke(main, ["check", *map(str, arguments)])


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- 1. values and findings (code, key) by default; paths, hashes and text with --strict -----------
def test_the_same_files_pass_whatever_folder_is_named(runner, layout, monkeypatch):
    whole = check(runner, layout / "reports", "--expected", layout / "expected")
    below = check(runner, layout / "reports" / "seeds", "--expected", layout / "expected" / "seeds")
    monkeypatch.chdir(layout / "reports" / "seeds")
    here = check(runner, ".", "--expected", layout / "expected" / "seeds")
    assert (whole.exit_code, below.exit_code, here.exit_code) == (0, 0, 0), below.output + here.output
    summaries = {result.output.splitlines()[-1] for result in (whole, below, here)}
    assert summaries == {"3 files checked: 3 problems (3 known), 0 changed values, 0 failing"}
    assert check(runner, ".", "--expected", layout / "expected" / "seeds", "--strict").exit_code == 1  # source.path


def test_a_text_edit_fails_only_with_strict(runner, layout):
    edit(layout / "reports" / "seeds" / SEED_002, "未收取信息公开信息处理费用", "未收取信息处理费用")
    assert check(runner, layout / "reports", "--expected", layout / "expected").exit_code == 0
    strict = check(runner, layout / "reports", "--expected", layout / "expected", "--strict")
    assert strict.exit_code == 1
    changed = [line for line in strict.output.splitlines() if ": error changed " in line]
    assert any("source.sha256" in line for line in changed)
    assert any(line.split(" changed ")[1].startswith("sections.") for line in changed)


def test_a_one_digit_edit_is_one_changed_value_on_its_line(runner, layout):
    path = layout / "reports" / "seeds" / SEED_002
    edit(path, CLEAN_ROW, BROKEN_ROW)
    result = check(runner, layout / "reports", "--expected", layout / "expected")
    assert result.exit_code == 1
    changed = [line for line in result.output.splitlines() if ": error changed " in line]
    assert changed == [f"{path}:49: error changed requests.new_received.natural_person: 0 -> 5"]


# --- 2. source lines, keys, escaped GitHub annotations ------------------------------------------------
def test_findings_print_their_key_and_changed_values_their_line_in_github_format(runner, layout):
    path = layout / "reports" / "seeds" / SEED_002
    edit(path, CLEAN_ROW, BROKEN_ROW)
    result = check(runner, layout / "reports", "--expected", layout / "expected", "--format", "github")
    lines = result.stdout.splitlines()
    assert f"::error file={path},line=49,title=changed value::changed requests.new_received.natural_person: " \
           "0 -> 5" in lines
    assert any(line.startswith(f"::error file={path},line=49,title=H2_row_total requests.new_received.total::")
               for line in lines)
    assert any(line.startswith(f"::error file={path},line=72,title=H1_column_balance "
                               "requests.total_processed.natural_person::") for line in lines)


def test_a_finding_gone_from_the_baseline_points_at_its_old_line(runner, layout):
    moved = layout / "expected" / "seeds" / f"{SEED_002}.json"
    data = json.loads(moved.read_text(encoding="utf-8"))
    data["findings"].append({"code": "missing_row", "severity": "warning", "key": "requests.granted", "line": 51,
                             "message": "row granted was not found or could not be read; its cells are null"})
    moved.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = check(runner, layout / "reports", "--expected", layout / "expected")
    assert result.exit_code == 1
    gone = [line for line in result.output.splitlines() if ": error changed " in line]
    assert len(gone) == 1
    assert gone[0].startswith(f"{layout / 'reports' / 'seeds' / SEED_002}:51: error changed finding missing_row "
                              'requests.granted: "row granted was not found')
    assert gone[0].endswith(" -> null")


def test_github_annotation_properties_and_messages_are_escaped(runner, tmp_path):
    name = "a,b:c%d\nx.txt"
    (tmp_path / name).write_bytes(b"")
    result = check(runner, tmp_path, "--format", "github")
    assert result.exit_code == 1
    escaped = str(tmp_path).replace(":", "%3A").replace(",", "%2C") + "/a%2Cb%3Ac%25d%0Ax.txt"
    assert result.stdout.splitlines() == [f"::error file={escaped},title=empty_file source::file is empty"]


def test_github_messages_escape_percent_and_newlines():
    from xxgk.gate.messages import annotation as _annotation

    assert _annotation("error", "a.txt", 3, "t,1:2", "100% sure\r\nnext") == \
        "::error file=a.txt,line=3,title=t%2C1%3A2::100%25 sure%0D%0Anext"


# --- 3. the expected file is the baseline ---------------------------------------------------------
@pytest.fixture
def inconsistent(tmp_path):
    """A report whose own printed numbers do not add up: two error findings."""
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEEDS / SEED_002, folder / "a.txt")
    edit(folder / "a.txt", CLEAN_ROW, BROKEN_ROW)
    return folder


def test_a_reviewed_inconsistency_does_not_fail_but_a_new_one_does(runner, tmp_path, inconsistent):
    expected = tmp_path / "expected"
    assert check(runner, inconsistent).exit_code == 1
    update = check(runner, inconsistent, "--expected", expected, "--update")
    assert update.exit_code == 0, update.output
    assert update.output.splitlines()[-1] == ("1 files checked: 2 problems (2 known), 0 changed values, 0 failing; "
                                              f"1 expected files written or deleted in {expected}")
    result = check(runner, inconsistent, "--expected", expected)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith(f"{inconsistent / 'a.txt'}:49: known error H2_row_total ")
    # a new inconsistency, on another row, fails
    edit(inconsistent / "a.txt", "二、上年结转政府信息公开申请数量\t\t0\t0", "二、上年结转政府信息公开申请数量\t\t3\t0")
    again = check(runner, inconsistent, "--expected", expected)
    assert again.exit_code == 1
    assert any(" error H2_row_total requests.carried_over.total " in line for line in again.output.splitlines())


def test_update_exits_1_when_a_file_still_fails(runner, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEEDS / SEED_002, folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    result = check(runner, folder, "--expected", tmp_path / "expected", "--update")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("2 files checked: 1 problems (1 known), 0 changed values, "
                                                     "1 failing;")
    assert (tmp_path / "expected" / "good.txt.json").exists()


# --- 4. a missing --expected folder; expected files without an input ---------------------------------
def test_a_missing_expected_folder_is_a_usage_error_unless_update_creates_it(runner, tmp_path, inconsistent):
    missing = tmp_path / "expectd"
    result = check(runner, inconsistent, "--expected", missing)
    assert result.exit_code == 2 and "no such folder" in result.output
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert check(runner, inconsistent, "--expected", tmp_path / "file", "--update").exit_code == 2
    assert not missing.exists()
    assert check(runner, inconsistent, "--expected", missing, "--update").exit_code == 0
    assert (missing / "a.txt.json").exists()


def test_an_expected_file_without_its_input_is_removed_and_fails(runner, layout):
    gone = layout / "reports" / "seeds" / NAMES[0]
    gone.unlink()
    expected_file = layout / "expected" / "seeds" / f"{NAMES[0]}.json"
    result = check(runner, layout / "reports", "--expected", layout / "expected")
    assert result.exit_code == 1
    assert f"{expected_file}: error removed: this expected file has no input any more (delete it, or run with " \
           "--update)" in result.output.splitlines()
    assert result.output.splitlines()[-1] == "2 files checked: 3 problems (3 known), 0 changed values, 1 removed, " \
                                             "1 failing"
    # checking one file does not report the expected files of the others
    one = check(runner, layout / "reports" / "seeds" / SEED_002, "--expected", layout / "expected" / "seeds")
    assert one.exit_code == 0, one.output
    update = check(runner, layout / "reports", "--expected", layout / "expected", "--update")
    assert update.exit_code == 0 and not expected_file.exists()
    assert check(runner, layout / "reports", "--expected", layout / "expected").exit_code == 0


def test_a_broken_expected_file_fails_and_update_repairs_it(runner, layout):
    broken = layout / "expected" / "seeds" / f"{SEED_002}.json"
    broken.write_text("{not json", encoding="utf-8")
    result = check(runner, layout / "reports", "--expected", layout / "expected")
    assert result.exit_code == 1 and "changed expected file: null -> " in result.output
    assert check(runner, layout / "reports", "--expected", layout / "expected", "--update").exit_code == 0
    assert check(runner, layout / "reports", "--expected", layout / "expected").exit_code == 0


# --- 5. --jobs and a progress line ------------------------------------------------------------------
def test_jobs_give_the_same_output_in_the_same_order(runner, layout):
    edit(layout / "reports" / "seeds" / SEED_002, CLEAN_ROW, BROKEN_ROW)
    for copy in range(20):
        shutil.copy(SEEDS / NAMES[2], layout / "reports" / "seeds" / f"copy{copy:02}.txt")
    one = check(runner, layout / "reports", "--expected", layout / "expected", "--jobs", "1")
    two = check(runner, layout / "reports", "--expected", layout / "expected", "--jobs", "2")
    assert one.exit_code == two.exit_code == 1
    assert one.output == two.output
    assert "23 files checked:" in one.output and "21 changed values" in one.output  # 1 value, 20 missing expected files


def test_a_worker_that_dies_costs_only_its_file(runner, tmp_path, monkeypatch):
    from xxgk.gate import check as check_module

    monkeypatch.setattr(check_module, "extract_file", dying_on("003_", check_module.extract_file))
    result = check(runner, SEEDS, "--jobs", "2")
    assert result.exit_code == 1
    died = [line for line in result.output.splitlines() if "internal_error" in line]
    assert len(died) == 1
    assert died[0].startswith(f"{SEEDS / '003_81dd061a659bf16a.txt'}: error internal_error source the worker "
                              "process died on this file: ")
    assert result.output.splitlines()[-1].endswith(", 1 failing")


def test_a_progress_line_on_a_terminal(runner, layout, monkeypatch):
    from xxgk import cli

    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    result = check(runner, layout / "reports", "--expected", layout / "expected", "--jobs", "1")
    assert result.exit_code == 0
    assert "\r1 checked, 0 failing" in result.stderr
    assert result.stdout.splitlines()[0].startswith(str(layout / "reports" / "seeds" / NAMES[2]))


def test_json_output_carries_lines_and_known_flags(runner, layout):
    edit(layout / "reports" / "seeds" / SEED_002, CLEAN_ROW, BROKEN_ROW)
    result = check(runner, layout / "reports", "--expected", layout / "expected", "--format", "json", "--jobs", "1")
    objects = {Path(item["path"]).name: item for item in map(json.loads, result.stdout.splitlines())}
    assert objects[SEED_002]["differences"] == [
        {"key": "requests.new_received.natural_person", "expected": 0, "actual": 5, "line": 49}]
    assert {item["code"]: item["known"] for item in objects[SEED_002]["findings"]} == \
        {"H2_row_total": False, "H1_column_balance": False}
    assert all(item["known"] for item in objects[NAMES[2]]["findings"])


def test_an_expected_file_that_cannot_be_read_or_written_fails_without_stopping_the_run(runner, layout):
    blocked = layout / "expected" / "seeds" / f"{SEED_002}.json"
    blocked.unlink()
    blocked.mkdir()  # a folder where the expected file should be
    result = check(runner, layout / "reports", "--expected", layout / "expected", "--jobs", "1")
    assert result.exit_code == 1 and result.output.splitlines()[-1].endswith(", 1 failing")
    update = check(runner, layout / "reports", "--expected", layout / "expected", "--update", "--jobs", "1")
    assert update.exit_code == 1 and "changed expected file: null -> \"cannot be written:" in update.output
