"""Issue 10: truncated pages (a scraper kept only the first page) are records with their metadata."""
from __future__ import annotations

from xxgk.report.model import Source
from xxgk.pipeline import extract_text

OPENING = "2023年上海市政府信息公开工作年度报告\n字号:\n本年度报告根据《条例》编制。\n一、总体情况\n2023 年,上海市坚持"


def _report(text: str):
    return extract_text(text, Source(path="x.txt"))


def test_a_page_that_starts_like_a_report_is_a_record_with_its_metadata():
    report = _report(OPENING)
    assert report.parsed and (report.meta.year, report.meta.agency) == (2023, "上海市")
    assert {"truncated_report", "missing_section"} <= {finding.code for finding in report.findings}


def test_titles_over_two_lines_behind_a_page_mark_or_as_a_file_name():
    assert _report("西咸新区底张街道办事处2023年度政府\n信息公开工作年度报告\n根据条例编制。\n一、总体情况\n概述").meta.title == \
        "西咸新区底张街道办事处2023年度政府信息公开工作年度报告"
    meta = _report("Page 9 - 威海市文登人民政府办公室2022年政府信息公开工作年度报告\nP. 9\n全年办理答复申请 7 件。").meta
    assert (meta.year, meta.agency) == (2022, "威海市文登人民政府办公室")
    meta = _report("某苏木2021年政府信息公开工作年度报告.docx\n某苏木 2021 年政府信息 公开工作年度报告 根据…").meta
    assert meta.title == "某苏木2021年政府信息公开工作年度报告"


def test_a_sentence_naming_the_report_is_not_its_title():
    text = ("根据《湖北省人民政府办公厅关于做好2020年政府信息公开年度报告编制和发布工作的通知》有关要求,现将我局2020年度"
            "政府信息公开情况报告如下。\n一、总体情况\n概述。\n二、主动公开政府信息情况\n")
    assert _report(text).meta.title is None


def test_a_table_in_the_last_section_of_the_text_is_read():
    text = OPENING + "\n二、主动公开政府信息情况\n第二十条第(一)项 | |||\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n" \
        "规章 | 0 | 0 | 0 |\n行政规范性文件 | 1 | 5 | 4 |\n第二十条第(五)项 | |||\n信息内容 | 本年处理决定数量 | ||\n行政许可 | 0 | ||\n第二十条第("
    report = _report(text)
    assert report.active_disclosure.normative_documents.in_force == 4
    assert report.active_disclosure.licensing.decisions == 0
    assert "missing_table" not in {finding.code for finding in report.findings}


def test_a_news_page_is_still_not_a_report():
    import pytest

    from xxgk.report.errors import NotAReport

    for text in ("市政府召开全市安全生产工作会议\n发布时间:2023-05-06\n会议要求，各地各部门要压实责任。\n",
                 "某局召开2023年政府信息公开工作年度报告编制培训会\n会议要求按时编制。\n"):
        with pytest.raises(NotAReport):
            _report(text)
