"""Findings a Chinese reader can act on: each lists the cell keys it affects (`keys`) and names its row
in Chinese as the template prints it; every null cell of a labelled report is traced to a finding."""
from __future__ import annotations

import csv
import json

import pytest

from xxgk.gate.compare import flatten
from xxgk.pipeline import extract_file

from .conftest import FIXTURES, shared_dir


def _labelled(name):
    folder = shared_dir(name)
    for label_path in sorted((folder / "labels").glob("*.json")):
        label = json.loads(label_path.read_text(encoding="utf-8"))
        yield folder / label["file"], label


@pytest.mark.parametrize("folder", ["seeds", "corpus", "corpus2"])
def test_every_null_cell_is_traced_to_a_finding_unless_the_report_prints_it_blank(folder):
    untraced = []
    checked = 0
    for path, label in _labelled(folder):
        report = extract_file(path, path.name).model_dump(mode="json")
        values = flatten(report)
        traced = {key for item in report["findings"] for key in item["keys"]}
        undeterminable = set(label.get("undeterminable") or ())
        for key in sorted({*label["values"], *undeterminable}):  # a label leaves undeterminable keys out of values
            if values.get(key) is not None or (label["values"].get(key) is None and key not in undeterminable):
                continue
            checked += 1
            if key not in traced:
                untraced.append(f"{path.name}: {key}")
    assert not untraced, "\n".join(untraced)
    assert checked >= (4 + 15 if folder == "seeds" else 1)  # seeds: 004's undeterminable cells, 001's table 四


def test_a_row_finding_lists_its_cells_and_names_the_row_in_chinese():
    report = extract_file(FIXTURES / "reports" / "seeds" / "004_e7290be93566281d.txt")
    by_key = {item.key: item for item in report.findings}
    granted = by_key["requests.granted"]
    assert granted.keys == ("requests.granted.natural_person", "requests.granted.total")
    assert granted.message.startswith("（一）予以公开：the row prints 6 value(s)")
    fees = by_key["active_disclosure.fees"]
    assert fees.keys == ("active_disclosure.fees.amount_10k_yuan",) and fees.message.startswith("行政事业性收费：")
    review = extract_file(FIXTURES / "reports" / "seeds" / "001_c0ba0aad0cf3f79c.txt").findings
    [whole] = [item for item in review if item.key == "review_litigation"]
    assert len(whole.keys) == 15 and whole.message.startswith("四、政府信息公开行政复议、行政诉讼情况：")


def test_row_keys_expand_in_the_tables_template_and_file_findings_have_none():
    from xxgk.report.finding_keys import chinese_label, located
    from xxgk.report.findings import finding
    templates = {"active_disclosure": "2019", "requests": "2021", "review_litigation": "2021"}
    items = located([finding("missing_row", "x", key="active_disclosure.fees"),
                     finding("unreadable_cell", "x", key="requests.denied_internal_affairs"),
                     finding("negative_count", "x", key="review_litigation.review.total"),
                     finding("missing_table", "x", key="requests"),
                     finding("unlabeled_values", "x", key="requests"),
                     finding("missing_title", "x", key="meta.year"),
                     finding("truncated_report", "x", key="source")],
                    templates, [], ("review_litigation",))
    fees, internal, total, table, unlabeled, title, truncated = items
    assert fees.keys == ("active_disclosure.fees.previous_items", "active_disclosure.fees.change")
    assert internal.keys[0] == "requests.denied_internal_affairs.natural_person" and len(internal.keys) == 7
    assert internal.message == "（三）5.属于三类内部事务信息：x"
    assert total.keys == ("review_litigation.review.total",) and total.message == "行政复议 总计：x"
    assert len(table.keys) == 25 * 7 and unlabeled.keys == () and title.keys == () and title.message == "x"
    assert len(truncated.keys) == 15
    assert chinese_label("requests.other_handling", templates) == "（六）其他处理"


def test_findings_csv_has_the_keys_column(tmp_path):
    from click.testing import CliRunner

    from xxgk.cli import main
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(FIXTURES / "reports" / "seeds"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with open(out / "findings.csv", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    granted = next(row for row in rows if row["key"] == "requests.granted")
    assert granted["keys"] == "requests.granted.natural_person requests.granted.total"
    assert granted["message"].startswith("（一）予以公开：")


def test_every_finding_code_says_what_it_means_in_chinese():
    from xxgk.report.findings import CHINESE, CODES
    assert set(CHINESE) == set(CODES)
    assert all(any("\u4e00" <= char <= "\u9fff" for char in text) for text in CHINESE.values())


def test_a_finding_carries_its_meaning_in_chinese_led_by_its_rows_label(tmp_path):
    from click.testing import CliRunner

    from xxgk.cli import main
    from xxgk.report.findings import CHINESE
    report = extract_file(FIXTURES / "reports" / "seeds" / "004_e7290be93566281d.txt")
    [row] = [item for item in report.findings if item.code == "missing_row"]
    assert row.message_zh == f"行政事业性收费：{CHINESE['missing_row']}"
    report = extract_file(FIXTURES / "reports" / "truncated" / "002_table_four_is_the_last_section.txt")
    assert [item.message_zh for item in report.findings if item.code == "missing_section"] == [
        f"五、存在的主要问题及改进情况：{CHINESE['missing_section']}", f"六、其他需要报告的事项：{CHINESE['missing_section']}"]
    assert [item.message_zh for item in report.findings if item.code == "truncated_report"] == [CHINESE["truncated_report"]]
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["extract", str(FIXTURES / "reports" / "seeds"), "-o", str(out), "-q"]).exit_code == 0
    with open(out / "findings.csv", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [item["message_zh"] for item in rows if item["code"] == "missing_row"] == [row.message_zh]


def test_a_finding_with_figures_gives_them_in_chinese_too():
    from xxgk.parsing.validate import check_arithmetic, check_plausibility, check_text_against_table
    from xxgk.report.findings import CHINESE
    from xxgk.report.model import Source
    from xxgk.pipeline import extract_text

    from .test_research import numbers_report
    broken = numbers_report().replace("(七) 总计\t8\t0\t0\t0\t0\t2\t10", "(七) 总计\t8\t0\t0\t0\t0\t2\t11")
    report = extract_text(broken, Source(path="broken.txt"))
    h2 = [item.message_zh for item in report.findings if item.code == "H2_row_total"]
    assert h2 == [f"（七）总计 总计：{CHINESE['H2_row_total']}（印为11，按各项计算为10）"]
    report = extract_file(FIXTURES / "reports" / "seeds" / "004_e7290be93566281d.txt")
    cells = [item for item in report.findings if item.code == "missing_cells"]
    assert cells and all(item.message_zh.endswith("（印出6个数值，模板有7格；为空值的是自然人、总计）") for item in cells)
    _, [failed] = check_arithmetic({"granted.natural_person": 2, "granted.total": 3}, "2021", None, {})
    assert failed.message_zh == f"{CHINESE['H2_row_total']}（印为3，按各项计算为2）"
    [stated] = check_text_against_table("本年共收到政府信息公开申请12件。", {"new_received.total": 10}, None)
    assert stated.message_zh.endswith("（文字为12，表格为10）")
    plausibility = check_plausibility({"regulations.issued": 5, "regulations.in_force": 3}, None,
                                      {"review.upheld": 4, "review.total": 2}, 2023, "2023-01-20")
    assert sorted(item.message_zh.split("（", 1)[1] for item in plausibility) == [
        "此项为4，总计为2）", "现行有效3，本年制发5）", "统计年度2023年，发布日期2023-01-20）"]
