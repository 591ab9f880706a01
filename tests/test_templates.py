"""The templates as data (issue 15): a version is one declarative object everything derives from.

A province's row added to a template object in the test alone is read, validated and written with no
other change; a row no template has is kept with its printed label; the rules are written once.
"""
from __future__ import annotations

import random

import pytest

from xxgk import templates
from xxgk.parsing.validate import check_arithmetic
from xxgk.pipeline import extract_text
from xxgk.report.model import Source, current_report_model
from xxgk.templates import national
from xxgk.templates.spec import Row

from .text_render import consistent_values, render, sections


def _pipes(values: dict, template: str, extra: dict[str, list[tuple[str, list]]] | None = None) -> str:
    """A clean report with pipe-delimited tables; `extra` adds rows after the row of the given label."""
    lines = ["某某县某某局2023年政府信息公开工作年度报告"]
    for heading, body in sections(values, template, 2023):
        lines.append(heading)
        if isinstance(body, str):
            lines.append(body)
            continue
        for label, cells in body:
            lines.append(label if not cells else " | ".join([label, *("" if cell is None else str(cell) for cell in cells)]))
            for extra_label, extra_cells in (extra or {}).get(label, []):
                lines.append(" | ".join([extra_label, *map(str, extra_cells)]))
    return "\n".join(lines) + "\n"


def _report(text: str):
    return extract_text(text, Source(path="t.txt"))


def _values(seed: int = 3) -> dict:
    return consistent_values(random.Random(seed), "2021")


# --- a province's row: data only -------------------------------------------------------------------
_OTHER_SERVICES = Row("other_services", "其他对外管理服务事项", ("对外管理服务",),
                      national.ACTIVE_2021.row("licensing").columns, "other external management and service items")


@pytest.fixture
def hubei_2021(monkeypatch):
    """The 2021 template with Hubei's 其他对外管理服务事项 row in table 二, registered in this test only."""
    table = national.ACTIVE_2021.with_row(_OTHER_SERVICES, after="licensing")
    monkeypatch.setitem(templates.VERSIONS, "2021", national.TEMPLATE_2021.with_table(table))


def test_a_province_row_added_to_the_template_object_is_read_with_no_other_change(hubei_2021):
    values = _values()
    report = _report(_pipes(values, "2021", {"行政许可": [("其他对外管理服务事项", [37])]}))
    assert report.active_disclosure.other_services.decisions == 37
    assert report.active_disclosure.licensing.decisions == values["active_disclosure.licensing.decisions"]
    assert "extra_row" not in {item.code for item in report.findings}
    data = report.model_dump(mode="json")
    assert data["active_disclosure"]["other_services"] == {"decisions": 37}
    assert type(report).model_json_schema()["$defs"]["ActiveDisclosure2021"]["properties"]["other_services"][
        "description"].startswith("其他对外管理服务事项: ")


def test_the_same_report_without_the_province_row_in_the_template_keeps_it_as_an_extra_row():
    report = _report(_pipes(_values(), "2021", {"行政许可": [("其他对外管理服务事项", [37])]}))
    assert "other_services" not in report.model_dump()["active_disclosure"]
    [extra] = report.extra_rows
    assert (extra.table, extra.label, extra.cells, extra.values) == ("active_disclosure", "其他对外管理服务事项",
                                                                     ["37"], [37])
    [item] = [item for item in report.findings if item.code == "extra_row"]
    assert item.line == extra.line and item.key == "active_disclosure"


def test_a_result_row_added_to_table_three_enters_the_results_rule(monkeypatch):
    """A row in the `results` group is an addend of H3 with no change to the rule's equation."""
    row = Row("other_withdrawn", "三（六）其他处理 4.申请人撤回申请", ("撤回申请",), national.REQUESTS_2021.rows[0].columns,
              "other handling: withdrawn", item=4, group="results")
    table = national.REQUESTS_2021.with_row(row, after="other_other")
    monkeypatch.setitem(templates.VERSIONS, "2021", national.TEMPLATE_2021.with_table(table))
    values = _values(5)
    withdrawn = [1, 0, 0, 0, 0, 0, 1]
    for position, column in enumerate(("natural_person", "commercial", "research", "social_welfare", "legal_service",
                                       "other_org", "total")):
        values[f"requests.total_processed.{column}"] += withdrawn[position]
        values[f"requests.carried_forward.{column}"] -= withdrawn[position]
        if values[f"requests.carried_forward.{column}"] < 0:  # keep H1 with a larger intake instead
            values[f"requests.carried_forward.{column}"] += withdrawn[position]
            values[f"requests.new_received.{column}"] += withdrawn[position]
    report = _report(_pipes(values, "2021", {"3.其他": [("4.申请人撤回申请", withdrawn)]}))
    assert report.requests.other_withdrawn.total == 1
    assert report.checks["H3"].lenient.failed == 0 and report.checks["H3"].strict.passed == 7
    assert report.checks["H1"].lenient.failed == 0
    # the same report read with the national template: the row is an extra row, and H3 fails by it
    monkeypatch.setitem(templates.VERSIONS, "2021", national.TEMPLATE_2021)
    plain = _report(_pipes(values, "2021", {"3.其他": [("4.申请人撤回申请", withdrawn)]}))
    assert [extra.label for extra in plain.extra_rows] == ["4.申请人撤回申请"]
    assert plain.checks["H3"].lenient.failed == 2


@pytest.mark.parametrize("family, printed", [("glued", "其他主动公开文件18686"), ("collapsed", "其他主动公开文件\n186\n86\n")])
def test_an_extra_row_outside_delimited_cells_keeps_its_cells_as_text_only(family, printed):
    """Outside delimited cells the boundaries of an extra row's cells are not known (`18686` may be 186
    and 86, and nothing tells its width): its cells are kept as printed, its values are null."""
    text = render(_values(), "2021", 2023, family, random.Random(1))
    at = text.index("第二十条第（六）项")
    report = _report(text[:at] + printed + text[at:])
    [extra] = report.extra_rows
    assert (extra.label, extra.cells, extra.values) == ("其他主动公开文件", ["18686"] if family == "glued" else ["186", "86"],
                                                        None)
    assert "extra_row" in {item.code for item in report.findings}


# --- rules written once ----------------------------------------------------------------------------
def test_the_rules_are_equations_with_one_instance_per_row_or_column():
    template = templates.get("2021")
    equations = template.equations["requests"]
    h1 = [equation for equation in equations if equation.rule == "H1"]
    assert [equation.subject for equation in h1] == list(template.rows("requests")[0].fields)
    assert h1[0].terms == (("total_processed.natural_person", 1), ("new_received.natural_person", -1),
                           ("carried_over.natural_person", -1), ("carried_forward.natural_person", 1))
    h3 = next(equation for equation in equations if equation.rule == "H3")
    assert len(h3.terms) == 1 + 21 and all(sign == -1 for _, sign in h3.terms[1:])
    assert len([equation for equation in equations if equation.rule == "H2"]) == 25
    assert len(templates.get("2019").equations["requests"]) == 7 + 23 + 7
    assert [equation.subject for equation in template.equations["review_litigation"]] == [
        "review", "suit_direct", "suit_after_review"]


def test_the_validator_counts_every_instance_of_every_rule():
    cells = {key: 0 for key in templates.get("2019").table("requests").cells}
    review = {key: 0 for key in templates.get("2019").table("review_litigation").cells}
    cells["granted.natural_person"] = 3  # breaks H2 of granted and H3 of natural_person; H1 still holds
    results, findings = check_arithmetic(cells, "2019", review, {})
    assert {rule: (result.lenient.passed, result.lenient.failed) for rule, result in results.items()} == {
        "H1": (7, 0), "H2": (22, 1), "H3": (6, 1), "H5": (3, 0)}
    assert sorted(item.code for item in findings) == ["H2_row_total", "H3_results_total"]


def test_the_report_model_is_the_templates():
    schema = current_report_model().model_json_schema()
    requests = schema["$defs"]["Requests"]["properties"]
    assert list(requests) == [row.key for row in templates.any_rows("requests")]
    for version in ("2021", "2019"):
        active = schema["$defs"][f"ActiveDisclosure{version}"]["properties"]
        assert list(active) == [row.key for row in templates.get(version).rows("active_disclosure")]
    assert requests["denied_internal_affairs"]["description"].startswith("（三）5.属于三类内部事务信息: ")


# --- a table the template does not have ------------------------------------------------------------
_FEES_TABLE = "通知收取件数 | 通知收取金额 | 实际收取金额\n3 | 120 | 100\n"


def test_an_added_section_with_its_own_table_shifts_the_numbering_and_is_kept():
    """`五、信息处理费收取情况` added before the problems section, which is then numbered 六: the
    sections are all found (no false truncated_report), the added one is an extra section and the
    row of its table an extra row."""
    text = _pipes(_values(), "2021")
    at = text.index("五、存在的主要问题")
    text = (text[:at] + "五、信息处理费收取情况\n" + _FEES_TABLE
            + text[at:].replace("五、存在的主要问题", "六、存在的主要问题").replace("六、其他需要报告", "七、其他需要报告"))
    report = _report(text)
    assert [(section.key, section.number) for section in report.sections] == [
        ("overview", "一"), ("active_disclosure", "二"), ("requests", "三"), ("review_litigation", "四"),
        ("extra", "五"), ("problems", "六"), ("other_matters", "七")]
    codes = [item.code for item in report.findings]
    assert "truncated_report" not in codes and "missing_section" not in codes
    assert codes.count("extra_section") == 1
    [extra] = report.extra_rows
    assert (extra.table, extra.label, extra.values) == ("五、信息处理费收取情况", "通知收取件数通知收取金额实际收取金额",
                                                        [3, 120, 100])


def test_a_numbering_gap_without_an_added_section_is_still_a_missing_section():
    text = _pipes(_values(), "2021").replace("五、存在的主要问题", "六、存在的主要问题").replace(
        "六、其他需要报告", "七、其他需要报告")
    report = _report(text)
    assert "problems" not in {section.key for section in report.sections}
    assert "extra" not in {section.key for section in report.sections}


def test_a_table_printed_after_table_four_in_its_section_is_kept_as_extra_rows():
    text = _pipes(_values(), "2021").replace("五、存在的主要问题", "信息处理费收取情况\n" + _FEES_TABLE + "五、存在的主要问题")
    report = _report(text)
    [extra] = report.extra_rows
    assert (extra.table, extra.values) == ("review_litigation", [3, 120, 100])
    assert report.review_litigation.review.total is not None


def test_a_pre2019_report_has_no_extra_sections():
    """Pre-2019 reports number topics freely (一、概述 … 四、收费及减免情况 …): none of them is an added
    section of the 2019/2021 template."""
    text = ("某某县人民政府2015年政府信息公开工作年度报告\n一、概述\n本年度工作情况。\n二、主动公开政府信息情况\n公开信息100条。\n"
            "三、依申请公开政府信息情况\n受理申请3件。\n四、政府信息公开的收费及减免情况\n未收费。\n"
            "五、因政府信息公开申请行政复议、提起行政诉讼的情况\n无。\n六、存在的主要问题及改进措施\n加强培训。\n"
            "七、其他需要报告的事项\n无。\n")
    report = _report(text)
    assert report.meta.template == "pre2019"
    assert "extra" not in {section.key for section in report.sections}
    assert not {"extra_section", "extra_row"} & {item.code for item in report.findings}


# --- what the extra rows and their findings say ------------------------------------------------------
def test_an_extra_rows_finding_says_what_was_kept():
    report = _report(_pipes(_values(), "2021", {"行政许可": [("其他对外管理服务事项", [37])]}))
    [item] = [item for item in report.findings if item.code == "extra_row"]
    assert item.message == ("二、主动公开政府信息情况：the row '其他对外管理服务事项' is not a row of the template; its "
                            "label and numbers are kept in extra_rows")
    assert item.message_zh == ("二、主动公开政府信息情况：模板中没有的一行（省级增加的行或增加的表格），按原样保留在extra_rows中"
                               "（行标签：其他对外管理服务事项）")
    long_label = "其他主动公开文件及以本单位名义正式签发的各类通知公告等公文数量之和合计"  # over 30 characters
    text = render(_values(), "2021", 2023, "glued", random.Random(1))
    at = text.index("第二十条第（六）项")
    report = _report(text[:at] + long_label + "18686" + text[at:])
    [item] = [item for item in report.findings if item.code == "extra_row"]
    assert item.message == (f"二、主动公开政府信息情况：the row '{long_label[-30:]}' is not a row of the template; its "
                            "label and cells (as text: their boundaries are not certain) are kept in extra_rows")


def test_an_extra_row_with_a_number_too_long_for_a_count_keeps_it_as_text():
    report = _report(_pipes(_values(), "2021", {"行政许可": [("其他对外管理服务事项", ["1" * 16])]}))
    [extra] = report.extra_rows
    assert (extra.cells, extra.values) == (["1" * 16], None)


@pytest.mark.parametrize("printed", ["总计 351", "维持纠正结果审结 13 4 8 1 26"])
def test_table_fours_own_words_after_its_numbers_are_no_extra_row(printed):
    """A PDF's text may print table 四's column headers (总计, 维持, 纠正…) below its numbers: they are
    no row of another table."""
    text = _pipes(_values(), "2021").replace("五、存在的主要问题", printed + "\n五、存在的主要问题")
    assert _report(text).extra_rows == []


def test_a_table_that_names_only_the_group_heading_of_2019s_own_row_has_no_version():
    """（六）其他处理 as a group heading with no numbers after it names no version: 2019's own row
    is known by carrying numbers, since the 2021 template prints the same words as a heading."""
    from xxgk.parsing.cells import tokenize
    from xxgk.parsing.requests_table import read_requests
    from xxgk.parsing.sections import to_lines
    lines = ["一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1", "(六)其他处理",  # as normalized
             "(七)总计 | 1 | 0 | 0 | 0 | 0 | 0 | 1"]
    assert read_requests(tokenize(to_lines(lines))).template is None
