"""Every table layout of FORMAT.md §7.5 gives the values of the same report."""
from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xxgk.gate.compare import CANONICAL_KEYS, flatten
from xxgk.report.model import Source
from xxgk.pipeline import extract_text

from .conftest import FIXTURES

TAB_SEED = (FIXTURES / "reports" / "seeds" / "002_a0db4065ad230706.txt").read_text(encoding="utf-8")


def _rows(text: str):
    """(is_table_row, fields) per line of a tab-layout report."""
    for line in text.split("\n"):
        yield ("\t" in line), line.split("\t")


def markdown(text: str) -> str:
    lines = []
    for table, fields in _rows(text):
        if table:
            lines.append("| " + " | ".join(fields) + " |")
            if len(lines) < 2 or not lines[-2].startswith("|"):
                lines.append("|" + "---|" * len(fields))
        else:
            lines.append(fields[0])
    return "\n".join(lines)


def cell_per_line_with_pipes(text: str) -> str:
    """Layout D: `|` on its own line starts a row, each cell on a line ending ` |`."""
    lines = []
    for table, fields in _rows(text):
        if table:
            lines.append("|")
            lines.extend(f"{field} |" for field in fields if field)
        else:
            lines.append(fields[0])
    return "\n".join(lines)


def cell_per_line(text: str, blank_lines: bool) -> str:
    """Layout A: one printed cell per line (empty cells dropped, as scrapers do)."""
    lines = []
    for table, fields in _rows(text):
        for field in (fields if table else fields[:1]):
            if field or not table:
                lines.append(field)
                if blank_lines:
                    lines.append("")
    return "\n".join(lines)


def spaced(text: str) -> str:
    """PDF -layout text: cells aligned by runs of spaces."""
    return "\n".join("    ".join(field for field in fields if field) if table else fields[0]
                     for table, fields in _rows(text))


LAYOUTS = {
    "markdown": markdown,
    "cell-per-line-pipes": cell_per_line_with_pipes,
    "cell-per-line-blank-lines": lambda text: cell_per_line(text, True),
    "cell-per-line": lambda text: cell_per_line(text, False),
    "spaced": spaced,
}


@pytest.mark.parametrize("name", LAYOUTS)
def test_layout_gives_the_same_values(name):
    original = flatten(extract_text(TAB_SEED, Source(path="tab.txt")).model_dump(mode="json"))
    changed = LAYOUTS[name](TAB_SEED)
    assert changed != TAB_SEED
    report = extract_text(changed, Source(path=f"{name}.txt")).model_dump(mode="json")
    values = flatten(report)
    for key in ("meta.template", "meta.year", *CANONICAL_KEYS):
        assert values[key] == original[key], f"{name}: {key}"


def test_labels_and_numbers_broken_across_lines():
    text = TAB_SEED.replace("(二) 部分公开（区分处理的，只计这一情形，不计其他情形）",
                            "(二) 部分公开（区分处理的，只计这一\n情形，不计其他情形）")
    text = re.sub(r"结果 维持", "结\n果\n维\n持", text)
    report = extract_text(text, Source(path="x.txt"))
    assert report.requests.partially_granted.total == 0
    assert report.review_litigation.suit_after_review.total == 0


def test_tables_are_found_when_their_headings_are_missing():
    original = flatten(extract_text(TAB_SEED, Source(path="tab.txt")).model_dump(mode="json"))
    headless = "\n".join(line for line in TAB_SEED.split("\n")
                         if not line.startswith(("二、主动公开", "三、收到和处理", "四、政府信息公开行政复议")))
    report = extract_text(headless, Source(path="headless.txt")).model_dump(mode="json")
    values = flatten(report)
    assert all(values[key] == original[key] for key in CANONICAL_KEYS)
    missing = {item["key"] for item in report["findings"] if item["code"] == "missing_section"}
    assert missing == {"active_disclosure", "requests", "review_litigation"}


def _breaks_by_definition(text: str) -> list[int]:
    """Every position where `N、` or `NN、` starts right after punctuation, a digit, a space or a
    non-ASCII character: where a single-line page is cut so that headings start lines."""
    numbering = re.compile("[一二三四五六七八九十]{1,2}、")
    before = re.compile(r"[。;!?)\]\d\s\"”]|[^\x00-\x7f]")
    return [position for position in range(1, len(text))
            if numbering.match(text, position) and before.match(text, position - 1)]


@given(st.text(alphabet=list("一二三十、。;!?)]09 \t\"”a,(政") + ["\u3000"], max_size=40))
def test_long_lines_are_cut_before_every_inline_heading(text):
    from xxgk.parsing.sections import _inline_breaks

    assert list(_inline_breaks(text)) == _breaks_by_definition(text)


def test_a_single_line_page_is_cut_at_its_headings():
    from xxgk.parsing.sections import to_lines

    body = "某县2023年政府信息公开工作年度报告。一、总体情况" + "本机关依法公开。" * 40 + "十一、其他 二、主动公开"
    texts = [line.text for line in to_lines([body])]
    assert texts[0] == "某县2023年政府信息公开工作年度报告。"
    assert texts[1].startswith("一、总体情况") and texts[-1] == "二、主动公开"


def test_a_section_numeral_alone_on_its_line_starts_the_heading_on_the_next():
    seed = (FIXTURES / "reports" / "seeds" / "000_201b3c9d0f3fbc81.txt").read_text(encoding="utf-8")
    original = flatten(extract_text(seed, Source(path="a.txt")).model_dump(mode="json"))
    split = seed.replace("四、政府信息公开行政复议", "四、\n政府信息公开行政复议").replace("二、主动公开", "二、\n主动公开")
    assert split != seed
    report = extract_text(split, Source(path="b.txt")).model_dump(mode="json")
    assert [section["key"] for section in report["sections"]] == [section["key"] for section in
                                                                  extract_text(seed, Source(path="a.txt")).model_dump(
                                                                      mode="json")["sections"]]
    assert all(flatten(report)[key] == original[key] for key in CANONICAL_KEYS)
    assert "missing_section" not in {finding["code"] for finding in report["findings"]}


def test_markdown_headings_and_table_four_printed_as_three_small_tables():
    block = "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|\n"
    text = ("# 某县2025年政府信息公开工作年度报告\n## 一、总体情况\n概述。\n"
            "## 四、政府信息公开行政复议、行政诉讼情况\n"
            f"### 行政复议\n{block}| 27 | 10 | 9 | 15 | 61 |\n"
            f"### 行政诉讼（未经复议直接起诉）\n{block}| 3 | 0 | 0 | 0 | 3 |\n"
            f"### 行政诉讼（复议后起诉）\n{block}| 8 | 0 | 1 | 1 | 10 |\n"
            "## 五、政府信息公开工作存在的主要问题及改进情况\n问题。\n")
    report = extract_text(text, Source(path="k.md"))
    assert [section.key for section in report.sections] == ["overview", "review_litigation", "problems"]
    review = report.review_litigation
    assert (review.review.total, review.suit_direct.upheld, review.suit_after_review.total) == (61, 3, 10)
    assert review.suit_after_review.pending == 1
    swapped = text.replace("（未经复议直接起诉）", "（甲）").replace("（复议后起诉）", "（乙）")
    assert extract_text(swapped, Source(path="k.md")).review_litigation.suit_direct.upheld is None
