"""Wrong numbers found by an adversarial run over mutated labelled reports (issue 10), each held to
null or the printed value. Every case wrote a different number before its fix."""
from __future__ import annotations

from xxgk.parsing.cells import Kind, tokenize
from xxgk.report.model import Source
from xxgk.pipeline import extract_data, extract_text
from xxgk.parsing.sections import Line

from .conftest import FIXTURES

SEED_002 = (FIXTURES / "reports" / "seeds" / "002_a0db4065ad230706.txt").read_text(encoding="utf-8")
HEAD = "某县某局2023年政府信息公开工作年度报告\n一、总体情况\n2023年，本局依法做好政府信息公开工作。\n二、主动公开政府信息情况\n"
ACTIVE_2021 = ("第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n行政规范性文件\t2\t0\t5\n"
               "第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t{licensing}\n第二十条第（六）项\n信息内容\t本年处理决定数量\n"
               "行政处罚\t{punishment}\n行政强制\t65\n第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t{fees}\n")
TAIL = "三、收到和处理政府信息公开申请情况\n无。\n五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"


def _active(**cells):
    values = {"licensing": "0", "punishment": "0", "fees": "0", **cells}
    return extract_text(HEAD + ACTIVE_2021.format(**values) + TAIL, Source(path="x.txt")).active_disclosure


def _kinds(*texts):
    return [(token.kind, token.text) for token in tokenize([Line(n, t) for n, t in enumerate(texts, start=1)])]


def test_thousands_separators_are_one_number():
    active = _active(licensing="4,529", punishment="1,100")
    assert (active.licensing.decisions, active.punishment.decisions) == (4529, 1100)
    assert _kinds("行政许可4,529")[-1] == (Kind.value, "4529")
    assert [text for _, text in _kinds("1,2")] == ["1", ",", "2"]  # not a thousands group


def test_a_decimal_cut_at_its_point_is_not_read_as_its_integer_part():
    assert _active(fees="96171.\n6").fees.amount_10k_yuan is None
    assert _active(fees="96171\n.6").fees.amount_10k_yuan is None
    assert _active(fees="96171.6").fees.amount_10k_yuan == 96171.6


def test_page_footers_of_other_forms_are_not_cells():
    for footer in ("·3·", "Page 3", "P. 9", "- 3 -", "Page 3 of 9"):
        assert _active(fees=f"\n{footer}\n96171.6").fees.amount_10k_yuan == 96171.6, footer


def test_ocr_look_alike_letters_in_a_cell_make_it_unreadable():
    text = SEED_002.replace("一、本年新收政府信息公开申请数量\t\t0", "一、本年新收政府信息公开申请数量\t\tl", 1)
    assert text != SEED_002
    row = extract_text(text, Source(path="x.txt")).requests.new_received
    assert row.natural_person is None and row.other_org is None


def test_footnote_marks_are_not_digits_of_a_cell():
    assert _active(licensing="40①").licensing.decisions == 40
    assert _active(licensing="40¹").licensing.decisions == 40


def test_one_unreadable_field_does_not_turn_delimited_rows_into_digit_runs():
    page = ("<html><body><p>某局2023年政府信息公开工作年度报告</p><p>一、总体情况</p><p>概述。</p>"
            "<p>二、主动公开政府信息情况</p><table>"
            "<tr><td>第二十条第（一）项</td></tr><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td>"
            "<td>现行有效件数</td></tr><tr><td>规章</td><td><p>0</p><p>0</p></td><td>0</td><td>0</td></tr>"
            "<tr><td>行政规范性文件</td><td>1</td><td></td><td>12</td></tr></table>"
            "<p>三、收到和处理政府信息公开申请情况</p></body></html>").encode()
    active = extract_data(page, "x.html").active_disclosure
    documents = active.normative_documents
    assert (documents.issued, documents.repealed, documents.in_force) == (1, None, 12)
    assert active.regulations is None or active.regulations.issued is None


def test_a_truncated_text_does_not_read_its_last_number():
    text = SEED_002[:SEED_002.index("(二) 部分公开")]  # stops right after a row's numbers
    assert text.rstrip("\n\t").endswith("0")
    row = extract_text(text.rstrip("\n\t") + "7", Source(path="x.txt")).requests.granted  # cut inside `07…`
    assert row is None or row.total is None
    whole = extract_text(text, Source(path="x.txt")).requests.new_received
    assert whole.total == 0  # rows before the last are read


def test_numbers_floated_out_of_a_delimited_table_are_not_read_in_template_order():
    text = (HEAD + "第二十条第\n22\n55\n本年处理决定数量\n0\n0\n行政处罚\n行政强制0\n本年收费金额\n0\n"
            "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n| 规章 | 22 | 235 |\n"
            "| 行政规范性文件 | 34 | 189 |\n" + TAIL)
    active = extract_text(text, Source(path="x.txt")).active_disclosure
    values = [getattr(getattr(active, row), name) for row, name in (("licensing", "decisions"),
              ("punishment", "decisions"), ("coercion", "decisions"), ("fees", "amount_10k_yuan"))
              if getattr(active, row) is not None]
    assert 22 not in values and 235 not in values and 34 not in values and 189 not in values


def test_thousands_of_item_number_lines_in_one_row_are_a_finding_not_a_crash():
    text = HEAD + "第二十条第（五）项\n信息内容\n本年处理决定数量\n行政许可\n" + "2.\n" * 15000 + TAIL
    report = extract_text(text, Source(path="x.txt"))
    assert report.parsed and "internal_error" not in {finding.code for finding in report.findings}


def test_numbers_floated_from_a_table_that_lost_row_labels_are_not_read_in_template_order():
    text = HEAD + "第二十条第\n22\n55\n本年处理决定数量\n0\n0\n行政处罚\n行政强制0\n本年收费金额\n0\n22 235\n34 189\n" + TAIL
    active = extract_text(text, Source(path="x.txt")).active_disclosure
    assert active is None or all(value is None for row in active.model_dump().values() if row
                                 for value in row.values())
