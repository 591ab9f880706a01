"""Issue 5, hostile input: every bad file gets its own record with a specific finding; the rest of
the batch is untouched and nothing is written outside the output folder."""
from __future__ import annotations

import csv
import json
import os

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.sources import read as read_module
from xxgk.cli import main
from xxgk.gate.compare import CANONICAL_KEYS, flatten
from xxgk.pipeline import extract_data, extract_file
from xxgk.report.findings import CODES

from .conftest import FIXTURES

SEEDS = FIXTURES / "reports" / "seeds"
SEED_000 = (SEEDS / "000_201b3c9d0f3fbc81.txt").read_text(encoding="utf-8")
SEED_002 = (SEEDS / "002_a0db4065ad230706.txt").read_text(encoding="utf-8")
NEWS = "市政府召开全市安全生产工作会议\n发布时间：2023-05-06\n会议要求，各地各部门要压实责任。\n责任编辑：李四\n"


@pytest.fixture
def batch(tmp_path):
    """A folder of good reports with every kind of bad file among them, extracted once."""
    inputs = tmp_path / "in"
    (inputs / "sub").mkdir(parents=True)
    (inputs / "good.txt").write_text(SEED_000, encoding="utf-8")
    (inputs / "sub" / "年度 报告 2023.txt").write_text(SEED_002, encoding="utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "scan.txt").write_bytes(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    (inputs / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (inputs / "archive.txt").write_bytes(b"PK\x03\x04\x14\x00\x00\x00")
    (inputs / "nul.txt").write_bytes(SEED_000.encode("utf-8")[:2000] + b"\x00" * 500)
    with open(inputs / "huge.txt", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB, sparse
    (inputs / "truncated.txt").write_text(SEED_000[: len(SEED_000) // 3], encoding="utf-8")
    (inputs / "two.txt").write_text(SEED_000 + "\n" + SEED_002, encoding="utf-8")
    (inputs / "news.txt").write_text(NEWS, encoding="utf-8")
    os.mkfifo(inputs / "pipe.txt")
    os.symlink(inputs / "missing-target.txt", inputs / "dangling.txt")
    os.symlink(inputs, inputs / "sub" / "loop")  # a directory symlink loop
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out)])
    records = {path.relative_to(out).as_posix(): json.loads(path.read_text(encoding="utf-8"))
               for path in out.rglob("*.json") if path.name not in ("run.json", "datapackage.json")}
    return result, records, out


def _first(records, name):
    return records[name + ".json"]["findings"][0]


@pytest.mark.parametrize("name,code,message", [
    ("empty.txt", "empty_file", "file is empty"),
    ("scan.txt", "binary_file", "file is a PDF document, not text"),
    ("image.txt", "binary_file", "file is a PNG image, not text"),
    ("archive.txt", "binary_file", "file is a ZIP archive (or a .docx/.xlsx file), not text"),
    ("nul.txt", "binary_file", "file holds 500 NUL bytes in its first 2,500: binary data, not text"),
    ("huge.txt", "too_large", "file is 52,428,800 bytes, over the 20,971,520-byte limit (--max-bytes)"),
    ("news.txt", "not_a_report", "no section headings and no report tables were found: not a government "
                                 "information-disclosure annual report"),
    ("pipe.txt", "unreadable_file", "is not a regular file (a pipe, socket or device)"),
    ("dangling.txt", "unreadable_file", "is a broken symbolic link"),
])
def test_each_bad_file_has_its_own_record(batch, name, code, message):
    _, records, _ = batch
    record = records[name + ".json"]
    assert record["parsed"] is False
    assert (record["findings"][0]["code"], record["findings"][0]["message"]) == (code, message)


def test_the_good_reports_are_untouched_and_the_batch_exits_1(batch):
    result, records, out = batch
    assert result.exit_code == 1
    assert records["good.txt.json"]["parsed"] and not records["good.txt.json"]["findings"]
    assert records["sub/年度 报告 2023.txt.json"]["requests"]["new_received"]["total"] == 0
    assert not any(name.startswith("sub/loop/") for name in records), "the symlink loop was walked into"
    rows = _csv_rows(out / "reports.csv")
    assert len(rows) == len(records) == 13
    assert "xxgk: cannot parse huge.txt" in result.output


def test_truncated_and_doubled_reports_are_parsed_with_findings(batch):
    _, records, _ = batch
    truncated = records["truncated.txt.json"]
    # the text stops inside a table section: that table is read as far as it goes (it used to be lost,
    # with a false missing_table), and whatever it gives is what the whole report prints
    assert truncated["parsed"] and {"missing_section", "truncated_report"} <= {f["code"] for f in truncated["findings"]}
    whole = flatten(records["good.txt.json"])  # good.txt is the whole of SEED_000
    values = {key: value for key, value in flatten(truncated).items() if key in CANONICAL_KEYS and value is not None}
    assert values, "the table the text stops in gives no value at all"
    assert all(whole[key] == value for key, value in values.items())
    two = records["two.txt.json"]
    assert two["parsed"] and two["meta"]["agency"] == "驻马店市科学技术局"
    multiple = [f for f in two["findings"] if f["code"] == "multiple_reports"]
    second_title = SEED_000.count("\n") + 2 + SEED_002.split("\n").index(SEED_002.strip().split("\n")[0])
    assert multiple and multiple[0]["line"] == second_title


def test_a_file_that_changes_while_read(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_text(SEED_000, encoding="utf-8")
    real_stat = os.stat
    calls = []

    def changing_stat(target, *args, **kwargs):
        calls.append(target)
        if len(calls) == 2:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("\n追加的内容\n")
        return real_stat(target, *args, **kwargs)

    monkeypatch.setattr(read_module.os, "stat", changing_stat)
    report = extract_file(path)
    assert report.parsed and report.findings[0].code == "file_changed_while_reading"


def test_permission_denied_is_reported(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text(SEED_000, encoding="utf-8")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(read_module, "open", denied, raising=False)
    report = extract_file(path)
    assert (report.findings[0].code, report.findings[0].message) == ("unreadable_file", "permission denied")


def test_nothing_is_written_outside_the_output_folder(tmp_path):
    inputs, out, outside = tmp_path / "in", tmp_path / "out", tmp_path / "outside"
    (inputs / "sub").mkdir(parents=True)
    outside.mkdir()
    out.mkdir()
    (inputs / "sub" / "a.txt").write_text(SEED_000, encoding="utf-8")
    os.symlink(outside, out / "sub")
    result = CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out)])
    assert list(outside.iterdir()) == []
    rows = _csv_rows(out / "reports.csv")
    assert rows[0]["parsed"] == "false" and rows[0]["findings.codes"] == "unsafe_output_path"
    assert result.exit_code == 1


def test_a_link_in_place_of_the_scratch_folder_is_removed_not_followed(tmp_path):
    inputs, out, outside = tmp_path / "in", tmp_path / "out", tmp_path / "outside"
    inputs.mkdir()
    outside.mkdir()
    (outside / "keep.txt").write_text("x", encoding="utf-8")
    (out / ".xxgk").mkdir(parents=True)
    os.symlink(outside, out / ".xxgk" / "tmp")
    (inputs / "a.txt").write_text(SEED_000, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert [path.name for path in outside.iterdir()] == ["keep.txt"]
    assert (out / "a.txt.json").exists() and not (out / ".xxgk" / "tmp").exists()


def test_csv_cells_cannot_run_as_formulas(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    text = SEED_000.replace("驻马店市科学技术局2023年", "=HYPERLINK(\"x\")局2023年")
    (inputs / "a.txt").write_text(text, encoding="utf-8")
    CliRunner().invoke(main, ["extract", str(inputs), "-o", str(tmp_path / "out")])
    row = _csv_rows(tmp_path / "out" / "reports.csv")[0]
    assert row["meta.agency"].startswith("'=")


def test_pathological_html_stays_bounded():
    deep = b"<html><body>" + b"<div>" * 100000 + "一、总体情况".encode() + b"</div>" * 100000 + b"</body></html>"
    wide = b"<html><body><table>" + b"<tr>" + b"<td>1</td>" * 200000 + b"</tr></table></body></html>"
    for page in (deep, wide):
        report = extract_data(page, "p.html")
        assert report.findings and report.findings[0].code in ("not_a_report", "undecodable_text")


# --- fuzz -------------------------------------------------------------------------------------------
SEED_BYTES = [path.read_bytes() for path in sorted(SEEDS.glob("*.txt"))]


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(SEED_BYTES)))
    for _ in range(draw(st.integers(0, 20))):
        position = draw(st.integers(0, max(0, len(data) - 1)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "duplicate"]))
        if action == "flip" and data:
            data[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[position:position + draw(st.integers(1, 400))]
        elif action == "insert":
            data[position:position] = draw(st.binary(max_size=40))
        else:
            data[position:position] = data[position:position + draw(st.integers(1, 300))]
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.one_of(st.binary(max_size=3000), mutated()), name=st.sampled_from(["a.txt", "b.html", "c.md"]))
def test_fuzz_always_gives_a_record(data, name):
    report = extract_data(data, name)
    assert report.source.path == name
    if not report.parsed:
        assert report.findings and report.findings[0].severity.value == "error"
    for item in report.findings:  # findings are data: a known code with its own severity, a real line
        assert item.code in CODES and item.severity == CODES[item.code][0], item
        assert item.line is None or item.line >= 1, item
    assert not any(f.code == "internal_error" for f in report.findings), report.findings[0].message


def _csv_rows(path):
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))
