"""Issue 13: the analysts' outputs, opened the way users open them (pandas, openpyxl, sqlite3,
frictionless): cells.csv, rates.csv, the workbook, the SQLite file, datapackage.json, duplicates."""
from __future__ import annotations

import json
import shutil
import sqlite3
import sys

import pandas as pd
import pytest
from click.testing import CliRunner
from frictionless import Package
from openpyxl import load_workbook

from xxgk.cli import main
from xxgk.research.rates import metric_dictionary, metrics, report_rates
from xxgk.research.tidy import CELL_KEYS, STATUSES, report_cells

from .conftest import FIXTURES

SEEDS = FIXTURES / "reports" / "seeds"
SEED_002 = (SEEDS / "002_a0db4065ad230706.txt").read_text(encoding="utf-8")
SEED_004 = "004_e7290be93566281d.txt"  # prints 6 of 7 cells in two rows of table 三 (undetermined cells)
_ROWS = {  # line label -> seven numbers: a report with real numbers; H1, H2, H3 and H5 hold
    "一、本年新收": "8\t0\t0\t0\t0\t2\t10", "(一) 予以公开": "5\t0\t0\t0\t0\t1\t6",
    "(二) 部分公开": "1\t0\t0\t0\t0\t0\t1", "1.属于国家秘密": "1\t0\t0\t0\t0\t0\t1",
    "1.本机关不掌握": "1\t0\t0\t0\t0\t1\t2", "(七) 总计": "8\t0\t0\t0\t0\t2\t10",
}


def numbers_report() -> str:
    lines = []
    for line in SEED_002.splitlines():
        label = next((label for label in _ROWS if label in line), None)
        if label:
            head, _, _ = line.partition("\t0")
            line = f"{head}\t{_ROWS[label]}"
        elif line.startswith("0\t0\t0\t0\t0\t0"):
            line = "2\t1\t0\t1\t4\t" + "\t".join(["0"] * 10)  # table 四: review 2 upheld, 1 corrected, 1 pending
        lines.append(line)
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """One batch over the seeds, a report with numbers, its byte copy and the seed's value copy."""
    root = tmp_path_factory.mktemp("research")
    inputs = root / "in"
    shutil.copytree(SEEDS, inputs)
    (inputs / "numbers.txt").write_text(numbers_report(), encoding="utf-8")
    (inputs / "numbers_copy.txt").write_text(numbers_report(), encoding="utf-8")
    (inputs / "zz_same_values.txt").write_text(numbers_report().replace("\n", "\r\n"), encoding="utf-8")
    out = root / "out"
    result = CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out), "-j", "1", "-q"])
    assert result.exit_code == 0, result.output
    return out


def test_pandas_reads_cells_csv_with_the_right_types(out):
    cells = pd.read_csv(out / "cells.csv")
    assert pd.api.types.is_float_dtype(cells["value"]) or pd.api.types.is_integer_dtype(cells["value"])
    assert pd.api.types.is_integer_dtype(cells["year"])
    assert set(cells["status"]) <= set(STATUSES)
    assert len(CELL_KEYS) == 226 and len(cells) == 8 * 226  # every parsed report has every canonical cell
    one = cells[(cells["source.path"] == "numbers.txt") & (cells["table_key"] == "requests")]
    granted = one.set_index(["row_key", "column_key"]).loc[("granted", "total")]
    assert (granted["value"], granted["status"], granted["row_label"], granted["column_label"]) == \
        (6, "printed", "三（一）予以公开", "总计")
    assert granted["line"] > 0
    # a 2021 report has no 2019 row, and says so
    other = one.set_index(["row_key", "column_key"]).loc[("other_handling", "total")]
    assert other["status"] == "not_in_template" and pd.isna(other["value"])
    assert cells.loc[cells["status"] == "not_in_template", "line"].isna().all()  # no line to point at
    assert cells.loc[cells["status"] == "printed", "line"].notna().all()
    # only printed cells have a value; only undetermined cells name a finding
    assert cells.loc[cells["status"] != "printed", "value"].isna().all()
    assert cells.loc[cells["status"] == "printed", "value"].notna().all()
    assert cells.loc[cells["status"] == "undetermined", "finding"].notna().all()


def test_undetermined_cells_are_told_from_blank_ones(out):
    cells = pd.read_csv(out / "cells.csv")
    seed = cells[cells["source.path"] == SEED_004].set_index(["table_key", "row_key", "column_key"])
    cell = seed.loc[("requests", "partially_granted", "natural_person")]
    assert (cell["status"], cell["finding"]) == ("undetermined", "missing_cells")
    report = json.loads((out / f"{SEED_004}.json").read_text(encoding="utf-8"))
    assert "requests.partially_granted.natural_person" in report["undetermined"]


def test_cell_statuses_from_report_data():
    data = {"parsed": True, "meta": {"template": "2021", "table_templates": {"requests": "2021"}},
            "requests": {"granted": {"total": 3}, "partially_granted": {"total": None},
                         "carried_over": {"total": None}},
            "review_litigation": None, "active_disclosure": None,
            "undetermined": ["requests.carried_over.total"],
            "findings": [{"code": "missing_table", "key": "review_litigation", "severity": "error", "message": ""},
                         {"code": "missing_cells", "key": "requests.carried_over", "severity": "warning",
                          "message": ""}]}
    status = {cell.key: (cell.status, cell.finding) for cell in report_cells(data)}
    assert status["requests.granted.total"] == ("printed", None)
    assert status["requests.partially_granted.total"] == ("blank", None)
    assert status["requests.carried_over.total"] == ("undetermined", "missing_cells")
    assert status["requests.other_handling.total"] == ("not_in_template", None)
    assert status["review_litigation.review.total"] == ("table_missing", "missing_table")
    assert report_cells({"parsed": False}) == []


def test_pandas_reads_rates_csv_and_rates_are_right(out):
    rates = pd.read_csv(out / "rates.csv")
    assert pd.api.types.is_float_dtype(rates["value"])
    assert set(rates["metric"]) == {metric.id for metric in metrics()}
    got = rates[rates["source.path"] == "numbers.txt"].set_index("metric")
    assert got.loc["granted_rate", "value"] == pytest.approx(0.6)
    assert got.loc["disclosure_rate", "value"] == pytest.approx(0.7)
    assert got.loc["denied_share", "value"] == pytest.approx(0.1)
    assert got.loc["unable_share", "value"] == pytest.approx(0.2)
    assert got.loc["carried_forward_rate", "value"] == 0  # 0 of 10: a real 0, not a missing rate
    assert got.loc["review_correction_rate", "value"] == pytest.approx(1 / 3, abs=1e-6)
    assert got.loc["applicant_share_natural_person", "value"] == pytest.approx(0.8)
    assert got.loc[got["value"].notna(), "reason"].isna().all()


def test_a_rate_with_a_zero_denominator_is_empty_with_its_reason(out):
    rates = pd.read_csv(out / "rates.csv").set_index(["source.path", "metric"])
    zero = rates.loc[("numbers.txt", "litigation_correction_rate")]  # no lawsuits at all
    assert pd.isna(zero["value"]) and zero["denominator"] == 0
    assert zero["reason"].startswith("zero_denominator")
    seed = rates.loc[("002_a0db4065ad230706.txt", "granted_rate")]  # all-zero report: 0 of 0 is no rate
    assert pd.isna(seed["value"]) and seed["reason"].startswith("zero_denominator")


def test_a_rate_with_a_null_input_is_empty_never_partial(out):
    rates = pd.read_csv(out / "rates.csv").set_index(["source.path", "metric"])
    partial = rates.loc[(SEED_004, "disclosure_rate")]  # 部分公开 总计 cannot be placed
    assert pd.isna(partial["value"]) and pd.isna(partial["numerator"])
    assert "requests.partially_granted.total is undetermined" in partial["reason"]
    unparsed = report_rates({"parsed": False})
    assert all(rate.value is None and rate.reason.startswith("not_parsed") for rate in unparsed)


def test_the_metric_dictionary_is_in_the_readme():
    readme = (FIXTURES.parent / "README.md").read_text(encoding="utf-8")
    for item in metric_dictionary()["metrics"]:
        assert f"`{item['id']}`" in readme and item["name"] in readme


def test_datapackage_validates_with_frictionless(out):
    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    cells = next(item for item in descriptor["resources"] if item["name"] == "cells")
    assert {field["name"]: field["type"] for field in cells["schema"]["fields"]}["value"] == "number"


def test_the_same_bytes_and_the_same_values_are_duplicates(out):
    findings = pd.read_csv(out / "findings.csv")
    duplicates = findings[findings["code"] == "duplicate_report"].set_index("source.path")["message"]
    assert set(duplicates.index) == {"numbers_copy.txt", "zz_same_values.txt"}  # the first of each stays clean
    assert duplicates["numbers_copy.txt"].startswith("the same bytes as numbers.txt")
    assert duplicates["zz_same_values.txt"].startswith("the same agency, year and table values as numbers.txt")
    chinese = findings[findings["code"] == "duplicate_report"].set_index("source.path")["message_zh"]
    assert chinese["numbers_copy.txt"].endswith("（与按路径排序的第一份 numbers.txt 文件内容相同，此类文件共2份）")
    assert chinese["zz_same_values.txt"].endswith("（与按路径排序的第一份 numbers.txt 机关、年度和表格数据相同，此类文件共3份）")
    reports = pd.read_csv(out / "reports.csv").set_index("source.path")
    assert reports.loc["numbers_copy.txt", "findings.codes"] == "duplicate_report"
    assert reports.loc["numbers_copy.txt", "findings.warnings"] == 1
    copy = json.loads((out / "numbers_copy.txt.json").read_text(encoding="utf-8"))
    assert [item["code"] for item in copy["findings"]] == ["duplicate_report"]


def test_provenance_in_run_json_and_in_every_report(out):
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["provenance"]["command"][1:3] == ["extract", str(out.parent / "in")]
    assert run["provenance"]["input_roots"][0]["absolute"] == str(out.parent / "in")
    assert run["provenance"]["options"]["jobs"] == 1
    report = json.loads((out / "numbers.txt.json").read_text(encoding="utf-8"))
    assert report["parser_version"] == run["version"]


def test_the_sqlite_export_answers_a_join(out, tmp_path):
    target = tmp_path / "xxgk.sqlite"
    result = CliRunner().invoke(main, ["export", str(out), "--sqlite", str(target)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as connection:
        rows = connection.execute(
            "select r.agency, r.year, c.value, m.name, t.value from reports r "
            "join cells c on c.path = r.path join rates t on t.path = r.path join metrics m on m.id = t.metric "
            "where r.path = 'numbers.txt' and c.table_key = 'requests' and c.row_key = 'granted' "
            "and c.column_key = 'total' and t.metric = 'granted_rate'").fetchall()
        assert rows == [("驻马店市科学技术局", 2023, 6, "予以公开率", 0.6)] or rows[0][2:] == (6, "予以公开率", 0.6)
        indexes = {row[0] for row in connection.execute("select name from sqlite_master where type = 'index'")}
        assert {"cells_key", "findings_code", "reports_agency_year"} <= indexes
        assert connection.execute("select count(*) from findings where code = 'duplicate_report'").fetchone() == (2,)


def test_the_workbook_has_chinese_headers_and_numbers_as_numbers(out, tmp_path):
    target = tmp_path / "xxgk.xlsx"
    result = CliRunner().invoke(main, ["export", str(out), "--xlsx", str(target)])
    assert result.exit_code == 0, result.output
    book = load_workbook(target, read_only=True)
    assert book.sheetnames == ["报告", "表二（2021）", "表二（2019）", "表三", "表四", "比率", "问题", "说明", "运行"]
    sheet = list(book["表三"].iter_rows(values_only=True))
    assert sheet[0][:7] == ("文件", "机关", "年度", "模板", "行", "行名称", "自然人")
    numbers = [row for row in sheet[1:] if row[0] == "numbers.txt"]
    assert [row[4] for row in numbers][:3] == ["new_received", "carried_over", "granted"]  # template order
    assert numbers[2][6:13] == (5, 0, 0, 0, 0, 1, 6) and isinstance(numbers[2][12], int)
    assert len(numbers) == 25  # the 2021 template's rows, no 2019 row
    seed = next(row for row in sheet[1:] if row[0] == SEED_004 and row[4] == "partially_granted")
    assert seed[6] is None and "自然人" in seed[-1]  # undetermined, and said so
    assert list(book["报告"].iter_rows(values_only=True))[0][0] == "文件"


def test_export_without_a_run_fails_with_one_line(tmp_path):
    result = CliRunner().invoke(main, ["export", str(tmp_path), "--sqlite", str(tmp_path / "x.sqlite")])
    assert result.exit_code == 1 and "run `xxgk extract" in result.output
    assert CliRunner().invoke(main, ["export", str(tmp_path)]).exit_code == 2


PRE_2019 = """某某县人民政府办公室2015年政府信息公开工作年度报告
一、概述
本年度我办认真贯彻落实《条例》。
二、主动公开政府信息情况
全年主动公开政府信息120条。
三、依申请公开政府信息情况
全年共受理依申请公开3件。
四、因政府信息公开申请行政复议、提起行政诉讼的情况
无。
五、政府信息公开工作存在的主要问题和改进措施
公开内容还不够全面。
"""


def test_a_pre2019_report_says_its_numbers_are_not_extracted(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "old.txt").write_text(PRE_2019, encoding="utf-8")
    assert CliRunner().invoke(main, ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q"]).exit_code == 0
    report = json.loads((tmp_path / "out" / "old.txt.json").read_text(encoding="utf-8"))
    assert report["meta"]["template"] == "pre2019"
    assert [(item["code"], item["severity"]) for item in report["findings"]] == [("pre2019_not_extracted", "info")]
    cells = pd.read_csv(tmp_path / "out" / "cells.csv")
    assert set(cells["status"]) == {"not_in_template"}  # the 2019/2021 cells are not in that format


def test_reruns_keep_the_tables_right_as_inputs_change_and_go(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "a.txt").write_text(numbers_report(), encoding="utf-8")
    (inputs / "b.txt").write_text(numbers_report(), encoding="utf-8")

    def extract() -> pd.DataFrame:
        assert CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out), "-q", "--prune"]).exit_code == 0
        return pd.read_csv(out / "findings.csv")
    findings = extract()
    assert list(findings.loc[findings["code"] == "duplicate_report", "source.path"]) == ["b.txt"]
    before = (out / "cells.csv").read_bytes()
    extract()
    assert (out / "cells.csv").read_bytes() == before, "a re-run writes the same table"
    (inputs / "a.txt").unlink()  # the first copy goes: b.txt is the only one, and no duplicate any more
    findings = extract()
    assert "duplicate_report" not in set(findings["code"])
    assert not json.loads((out / "b.txt.json").read_text(encoding="utf-8"))["findings"]
    (inputs / "b.txt").write_text(numbers_report().replace("5\t0\t0\t0\t0\t1\t6", "4\t0\t0\t0\t0\t2\t6"),
                                  encoding="utf-8")
    extract()
    cells = pd.read_csv(out / "cells.csv").set_index(["source.path", "table_key", "row_key", "column_key"])
    assert cells.loc[("b.txt", "requests", "granted", "natural_person"), "value"] == 4
    assert set(cells.index.get_level_values(0)) == {"b.txt"}


def test_a_sheet_past_excels_row_limit_is_cut_and_says_so(out, tmp_path, monkeypatch):
    from xxgk.research import workbook
    monkeypatch.setattr(workbook, "MAX_ROWS", 10)
    workbook.export_xlsx(out, tmp_path / "cut.xlsx")
    book = load_workbook(tmp_path / "cut.xlsx", read_only=True)
    def count(title: str) -> int:
        return sum(1 for _ in book[title].iter_rows(values_only=True))
    assert count("表三") == 10 and count("报告") == 9  # 8 reports and the header fit
    notes = [row[0] for row in book["说明"].iter_rows(values_only=True) if row]
    assert any("表三" in (note or "") for note in notes) and not any("报告" in (note or "")[:8] for note in notes)


def test_the_excel_export_without_openpyxl_is_one_clear_line(out, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if `pip install xxgk` without [excel]
    result = CliRunner().invoke(main, ["export", str(out), "--xlsx", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1 and "pip install 'xxgk[excel]'" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_the_fast_cells_text_is_what_the_csv_module_writes(out):
    import csv
    import io

    from xxgk.batch.output import safe_cell
    from xxgk.research.rendered import render
    from xxgk.research.tidy import cell_rows
    for path in sorted(out.rglob("*.txt.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["source"]["path"] = "=" + data["source"]["path"]  # a name a spreadsheet would run
        buffer = io.StringIO()
        csv.writer(buffer).writerows(cell_rows(data, None, safe_cell))
        assert render(data)[1] == buffer.getvalue()


def test_a_name_a_spreadsheet_would_run_still_gets_its_cells(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "=1+1.txt").write_text(numbers_report(), encoding="utf-8")
    assert CliRunner().invoke(main, ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q"]).exit_code == 0
    cells = pd.read_csv(tmp_path / "out" / "cells.csv")
    assert set(cells["source.path"]) == {"'=1+1.txt"}  # guarded as in reports.csv, and found all the same
    assert (cells["status"] == "printed").sum() > 100
    rates = pd.read_csv(tmp_path / "out" / "rates.csv")
    assert rates.set_index("metric").loc["granted_rate", "value"] == pytest.approx(0.6)


def test_a_reports_json_data_reads_back_from_its_json_unchanged():
    """The writer renders a report's cells.csv and rates.csv rows from the data it serializes rather
    than from its JSON read back (processing.py); a later run renders them from the JSON. Both give
    the same rows only while the JSON-mode data survives the round trip: no tuple, NaN or other value
    that JSON changes (`==` tells a tuple from a list, and a NaN read back is None)."""
    import orjson

    from xxgk.batch.output import report_bytes, report_line
    from xxgk.pipeline import extract_file
    paths = [*sorted((FIXTURES / "reports").rglob("*.txt")), *sorted((FIXTURES / "generated").glob("*.html")),
             *sorted((FIXTURES / "generated").glob("*.docx"))]
    assert len(paths) >= 10
    for path in paths:
        data = extract_file(path, path.name).model_dump(mode="json")
        assert orjson.loads(report_line(data)) == data, path.name
        assert orjson.loads(report_bytes(data)) == data, path.name


def test_a_row_the_template_does_not_have_is_in_extra_rows_csv_cell_by_cell(tmp_path):
    from xxgk.research.extra import EXTRA_ROW_COLUMNS
    inputs = tmp_path / "in"
    inputs.mkdir()
    lines = numbers_report().splitlines()
    at = next(index for index, line in enumerate(lines) if line.startswith("行政许可"))
    lines.insert(at, "其他主动公开档案\t186\t/\t-255")  # a province's row in table 二 (delimited cells)
    (inputs / "province.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (inputs / "numbers.txt").write_text(numbers_report(), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out), "-j", "1", "-q"])
    assert result.exit_code == 0, result.output
    extra = pd.read_csv(out / "extra_rows.csv", dtype={"text": str})
    assert tuple(extra.columns) == EXTRA_ROW_COLUMNS
    assert list(extra["source.path"]) == ["province.txt"] * 3  # numbers.txt has no such row
    assert list(extra["row_label"]) == ["其他主动公开档案"] * 3 and list(extra["position"]) == [1, 2, 3]
    assert list(extra["text"]) == ["186", "/", "'-255"]  # as printed (a leading minus kept from formulas)
    assert extra["value"].tolist()[0] == 186 and pd.isna(extra["value"][1]) and extra["value"][2] == -255
    assert extra["line"].tolist() == [at + 1] * 3
    cells = pd.read_csv(out / "cells.csv")
    assert "其他主动公开档案" not in set(cells["row_label"])
    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    target = tmp_path / "xxgk.sqlite"
    assert CliRunner().invoke(main, ["export", str(out), "--sqlite", str(target)]).exit_code == 0
    with sqlite3.connect(target) as connection:
        assert connection.execute("select r.agency is not null, e.position, e.value from extra_rows e join reports r "
                                  "using (path) order by e.position").fetchall() == [(1, 1, 186), (1, 2, None),
                                                                                      (1, 3, -255)]


def test_two_extra_rows_on_one_printed_line_keep_a_key_each(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    lines = numbers_report().splitlines()
    at = next(index for index, line in enumerate(lines) if line.startswith("行政许可"))
    lines.insert(at, "其他主动公开档案\t186\t/\t5\t另一省级事项\t7\t8\t9")
    (inputs / "two.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out), "-j", "1", "-q"]).exit_code == 0
    extra = pd.read_csv(out / "extra_rows.csv")
    assert list(zip(extra["row"], extra["position"], extra["line"])) == [
        (1, 1, at + 1), (1, 2, at + 1), (1, 3, at + 1), (2, 1, at + 1), (2, 2, at + 1), (2, 3, at + 1)]
    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    target = tmp_path / "xxgk.sqlite"
    assert CliRunner().invoke(main, ["export", str(out), "--sqlite", str(target)]).exit_code == 0
    with sqlite3.connect(target) as connection:
        assert connection.execute("select count(*) from extra_rows").fetchone() == (6,)
