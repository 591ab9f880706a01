"""Issue 10: tokens whose role is ambiguous enter the readings in every role they can have, and a
rule that fails on an inferred reading nulls the cells instead of keeping them."""
from __future__ import annotations

from xxgk.parsing.cells import Kind, group_rows, tokenize
from xxgk.report.model import Source
from xxgk.pipeline import extract_text
from xxgk.parsing.rows import Damage, row_readings
from xxgk.parsing.sections import Line

from .conftest import FIXTURES

SEED_002 = (FIXTURES / "reports" / "seeds" / "002_a0db4065ad230706.txt").read_text(encoding="utf-8")


def _tokens(*texts: str):
    return tokenize([Line(number, text) for number, text in enumerate(texts, start=1)])


def test_an_item_number_on_its_own_line_may_be_a_cell_or_not():
    tokens = _tokens("属于国家秘密", "0", "2.", "其他法律行政法规禁止公开", "0")
    assert [(token.kind, token.text) for token in tokens][1:3] == [(Kind.value, "0"), (Kind.maybe, "2")]
    row = group_rows(tokens)[0]
    readings, _ = row_readings(row, 7, Damage(collapsed=True))
    assert (0,) * 7 in readings                      # `2.` as the next row's number
    assert any(2 in reading for reading in readings)  # `2.` as a cell: the rules decide between them


def test_an_item_number_ending_a_line_of_cells_is_ambiguous_too():
    kinds = [token.kind for token in _tokens("属于国家秘密 0 0 0 0 0 0 0 2.", "其他法律")]
    assert kinds[-2] is Kind.maybe


def test_a_cell_glued_to_the_next_item_number_is_split_not_dropped():
    texts = [(token.kind, token.text) for token in _tokens("属于国家秘密 0 0 0 0 0 0 02.其他法律行政法规禁止公开")]
    assert texts[1:8] == [(Kind.value, "0")] * 7 and texts[8] == (Kind.text, "2")


def test_sign_words_are_signs():
    texts = [(token.kind, token.text) for token in _tokens("行政事业性收费16减12")]
    assert texts[-2:] == [(Kind.value, "16"), (Kind.value, "-12")]
    assert [token.text for token in _tokens("行政事业性收费", "16", "减12")][-1] == "-12"


def test_a_dash_after_digits_is_a_sign_or_a_separator_and_a_negative_count_gives_way():
    tokens = _tokens("行政处罚2648-18538")
    assert tokens[-1].kind is Kind.signed
    readings, _ = row_readings(group_rows(tokens)[0], 2, Damage())
    assert set(readings) == {(2648, -18538), (2648, 18538)}
    text = SEED_002.replace("第二十条第（一）项", "第二十条第（一）项", 1)
    report = extract_text(text.replace("行政处罚\t0", "行政处罚 2648-18538", 1), Source(path="x.txt"))
    assert report.active_disclosure.punishment.decisions is None  # two numbers for one cell: not a count of -18538


def test_a_blank_marker_before_label_text_may_start_the_label():
    tokens = _tokens("3.要求提供公开出版物", "0", "无", "正当理由大量反复申请", "0")
    assert [token.kind for token in tokens if token.text == "无"] == [Kind.maybe]


def test_numbers_floated_above_their_labels_are_not_placed_by_guess():
    lines = ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
             "规章", "1", "0", "5", "行政规范性文件", "2", "0", "9", "第二十条第（五）项", "信息内容", "本年处理决定数量",
             "40", "行政许可", "第二十条第（六）项", "信息内容", "本年处理决定数量", "12", "行政处罚", "3", "行政强制",
             "第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "0", "行政事业性收费"]
    text = "某局2023年政府信息公开工作年度报告\n一、总体情况\n概述。\n" + "\n".join(lines) + "\n三、收到和处理政府信息公开申请情况\n"
    report = extract_text(text, Source(path="x.txt"))
    active = report.active_disclosure
    # label-based reading would give licensing 12 and punishment 3; no rule of table 二 can confirm any order
    assert (active.licensing.decisions, active.punishment.decisions, active.coercion.decisions) == (None,) * 3
    assert "labels_displaced" in {finding.code for finding in report.findings}
    missing_one = text.replace("\n0\n行政事业性收费", "\n行政事业性收费")
    active = extract_text(missing_one, Source(path="x.txt")).active_disclosure
    assert (active.licensing.decisions, active.punishment.decisions, active.coercion.decisions) == (None,) * 3


def test_numbers_after_a_row_that_prints_too_few_cells_make_that_row_uncertain():
    from xxgk import templates
    from xxgk.parsing.row_labels import match_rows

    rows = group_rows(_tokens("行政许可", "7", "第二十条第（六）项", "5", "3", "行政处罚", "1", "0", "2"))
    findings = []
    matched = match_rows(rows, templates.get("2019").rows("active_disclosure"), "active_disclosure", findings)
    assert "licensing" not in matched and "punishment" in matched  # 7 may go on with 5 and 3: no certain reading
    assert any(item.code == "ambiguous_cells" and item.key == "active_disclosure.licensing" for item in findings)
    whole = group_rows(_tokens("行政许可", "7", "0", "1", "第二十条第（六）项", "5", "3"))
    assert "licensing" in match_rows(whole, templates.get("2019").rows("active_disclosure"), "active_disclosure", [])


def test_two_numbers_in_one_html_cell_are_never_joined_into_one():
    from xxgk.pipeline import extract_data

    cells = "".join(f"<td>{value}</td>" for value in ("<p>1</p><p>859</p>", "0", "0", "0", "0", "", "1859"))
    page = ("<html><body><p>某局2023年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p><table>"
            f"<tr><td>一、本年新收政府信息公开申请数量</td>{cells}</tr>"
            f"<tr><td>（一）予以公开</td>{cells.replace('<p>1</p><p>859</p>', '1<br/>859')}</tr>"
            "</table><p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>").encode()
    report = extract_data(page, "x.html")
    for row in (report.requests.new_received, report.requests.granted):
        assert row.natural_person is None and row.total is None  # not 1859, a number printed nowhere


def test_the_procurement_unit_may_be_printed_in_the_column_header():
    lines = ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量",
             "规章", "0", "0", "0", "第二十条第（九）项", "信息内容", "采购项目数量", "采购总金额（单位：万元）", "政府集中采购",
             "3", "12.5", "三、收到和处理政府信息公开申请情况"]
    text = "某局2019年政府信息公开工作年度报告\n一、总体情况\n概述。\n" + "\n".join(lines) + "\n"
    procurement = extract_text(text, Source(path="x.txt")).active_disclosure.procurement
    assert (procurement.items, procurement.amount, procurement.amount_unit) == (3, 12.5, "万元")


def test_a_number_alone_before_a_label_that_lacks_its_item_number_may_be_that_number():
    from xxgk import templates
    from xxgk.parsing.row_labels import match_rows

    rows = group_rows(_tokens("1.属于国家秘密", "0", "2", "其他法律行政法规禁止公开", "0", "3.危及“三安全一稳定”", "0"))
    matched = match_rows(rows, templates.get("2021").rows("requests"), "requests", [])
    assert [token.kind for token in matched["denied_state_secret"].printed] == [Kind.value, Kind.maybe]
    readings, _ = row_readings(matched["denied_state_secret"], 7, Damage(collapsed=True))
    assert (0,) * 7 in readings and any(2 in reading for reading in readings)
    # with its number printed, the label does not make the 2 before it doubtful
    rows = group_rows(_tokens("1.属于国家秘密", "0", "2", "2.其他法律行政法规禁止公开", "0"))
    assert [token.kind for token in match_rows(rows, templates.get("2021").rows("requests"), "requests", [])
            ["denied_state_secret"].printed] == [Kind.value, Kind.value]


def test_a_blank_marker_in_a_delimited_field_is_a_cell_whatever_follows():
    kinds = [token.kind for token in _tokens("行政许可\t无", "行政处罚\t0")]
    assert kinds == [Kind.text, Kind.null, Kind.text, Kind.value]
