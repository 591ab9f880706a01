"""Review of the converter rules of 1 December (box-drawn tables, cut and wrapped labels, joint pruning,
HTML tables inside text): inputs that still give a wrong number or lose the right ones. Each test is
xfail(strict) until the rule it names is fixed, so the suite stays green and a fix shows as XPASS."""
from __future__ import annotations

import json
import re

import pytest

from xxgk.gate.compare import flatten, score
from xxgk.pipeline import extract_bytes

from .conftest import shared_dir

TABLE_KEYS = ("requests.", "active_disclosure.", "review_litigation.")


def _label(folder: str, name: str) -> dict:
    return json.loads((shared_dir(folder) / "labels" / f"{name}.json").read_text(encoding="utf-8"))


def _wrong(values: dict, label: dict) -> list:
    """Cells read as a number other than the labelled one (a blank marker stands where the label has 0,
    so null is right there and any number but 0 is wrong)."""
    return [(key, value, values.get(key)) for key, value in label["values"].items()
            if key.startswith(TABLE_KEYS) and values.get(key) is not None and values.get(key) != value]


@pytest.mark.parametrize("mark", ["─", "━"])
def test_a_box_stroke_used_as_a_blank_marker_is_not_a_rule(mark):
    """corpus2/f017.txt (one cell per line) with every cell line `0` printed as `mark`: the same text
    with `—` gives no wrong number; with a box stroke two cells took the number beside them."""
    folder, name = "corpus2", "f017"
    text = (shared_dir(folder) / f"{name}.txt").read_text(encoding="utf-8")
    label = _label(folder, name)
    dashed = re.sub(r"(?m)^(\s*)0(\s*)$", lambda m: m[1] + "—" + m[2], text)
    assert _wrong(flatten(extract_bytes(dashed.encode(), f"{name}.txt").model_dump(mode="json")), label) == []
    boxed = re.sub(r"(?m)^(\s*)0(\s*)$", lambda m: m[1] + mark + m[2], text)
    assert _wrong(flatten(extract_bytes(boxed.encode(), f"{name}.txt").model_dump(mode="json")), label) == []


def test_an_unclosed_table_tag_does_not_swallow_the_text_up_to_a_later_table():
    """corpus2/k001.md (pipe tables) with `<table border=1>` left unclosed in its first section (a
    converter passing a broken layout table through) and a small closed HTML table at the end."""
    folder, name = "corpus2", "k001"
    text = (shared_dir(folder) / f"{name}.md").read_text(encoding="utf-8")
    label = _label(folder, name)
    plain = score(extract_bytes(text.encode(), f"{name}.md").model_dump(mode="json"), label)
    damaged = text.replace("一、总体情况", "一、总体情况（原文表格 <table border=1> 已转为文字）", 1)
    damaged += "\n<table><tr><td>附表</td></tr></table>\n"
    result = score(extract_bytes(damaged.encode(), f"{name}.md").model_dump(mode="json"), label)
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert result.correct >= plain.correct - 5, (plain.correct, result.correct)


REQUEST_ROWS = [  # (group line printed before the row, row key, label) in the order of the 2021 table
    (None, "new_received", "一、本年新收政府信息公开申请数量"), (None, "carried_over", "二、上年结转政府信息公开申请数量"),
    (None, "granted", "（一）予以公开"), (None, "partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("（三）不予公开", "denied_state_secret", "1.属于国家秘密"), (None, "denied_prohibited_by_law", "2.其他法律行政法规禁止公开"),
    (None, "denied_security_stability", "3.危及“三安全一稳定”"), (None, "denied_third_party_rights", "4.保护第三方合法权益"),
    (None, "denied_internal_affairs", "5.属于三类内部事务信息"), (None, "denied_process_info", "6.属于四类过程性信息"),
    (None, "denied_enforcement_file", "7.属于行政执法案卷"), (None, "denied_administrative_query", "8.属于行政查询事项"),
    ("（四）无法提供", "unable_not_held", "1.本机关不掌握相关政府信息"), (None, "unable_needs_creation", "2.没有现成信息需要另行制作"),
    (None, "unable_still_unclear", "3.补正后申请内容仍不明确"),
    ("（五）不予处理", "unprocessed_complaint", "1.信访举报投诉类申请"), (None, "unprocessed_repeated", "2.重复申请"),
    (None, "unprocessed_publication", "3.要求提供公开出版物"), (None, "unprocessed_excessive", "4.无正当理由大量反复申请"),
    (None, "unprocessed_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ("（六）其他处理", "other_overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    (None, "other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    (None, "other_other", "3.其他"), (None, "total_processed", "（七）总计"), (None, "carried_forward", "四、结转下年度继续办理"),
]
COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")


def _top_aligned(values: dict, width: int) -> str:
    """Table 三 as a text browser prints a narrow label column: each label cut every `width` characters,
    the row's numbers on the label's first line (as w3m does), every cell printed."""
    lines = ["某市人民政府2023年政府信息公开工作年度报告", "一、总体情况", "正文。", "二、主动公开政府信息情况", "无。",
             "三、收到和处理政府信息公开申请情况", "申请人情况 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]
    for group, key, label in REQUEST_ROWS:
        if group:
            lines.append(group)
        numbers = " ".join(str(values[f"requests.{key}.{column}"]) for column in COLUMNS)
        parts = [label[start:start + width] for start in range(0, len(label), width)]
        lines += [f"{part:<{width + 2}}" + (f"   {numbers}" if index == 0 else "") for index, part in enumerate(parts)]
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "无", "五、存在的主要问题及改进情况", "无。", "六、其他需要报告的事项", "无。"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("width", [7, 10, 14])
def test_labels_cut_in_a_narrow_column_do_not_make_the_whole_table_floated(width):
    """corpus/020.txt's table 三 (65 cells not 0) printed with its labels cut every `width` characters."""
    label = _label("corpus", "020")
    values = {key: value for key, value in label["values"].items() if key.startswith("requests.")}
    report = extract_bytes(_top_aligned(label["values"], width).encode(), "020.txt").model_dump(mode="json")
    read = flatten(report)
    assert [(key, value, read.get(key)) for key, value in values.items()
            if read.get(key) is not None and read.get(key) != value] == []
    assert sum(read.get(key) == value for key, value in values.items()) >= 150


def test_a_table_nested_in_a_cell_of_an_html_table_inside_markdown_is_read_whole():
    """The pandoc gfm fixture with the caption of table 三 in a table of its own inside the header cell
    (a Word table inside a cell, as pandoc writes it)."""
    from .conftest import FIXTURES

    converters = FIXTURES / "generated" / "converters"
    filled = json.loads((converters / "pandoc_gfm_html_tables.filled.json").read_text(encoding="utf-8"))
    text = (converters / "pandoc_gfm_html_tables.md").read_text(encoding="utf-8")
    caption = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    cell = f'<td colspan="3" rowspan="3">{caption}</td>'
    assert cell in text
    nested = text.replace(cell, f'<td colspan="3" rowspan="3"><table><tr><td>{caption}</td></tr></table></td>')
    result = score(extract_bytes(nested.encode(), "report.md").model_dump(mode="json"), filled)
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert result.correct >= 190, result.correct


def test_a_long_run_of_box_characters_without_a_stroke_costs_one_pass():
    """100,000 `│` (a linear pass takes milliseconds; the timeout is only a hang guard, 50x over it)."""
    import subprocess
    import sys

    from .conftest import ROOT

    import os

    import xxgk

    source = str(os.path.dirname(os.path.dirname(os.path.abspath(xxgk.__file__))))
    code = "from xxgk.sources.normalize import box_drawing; assert box_drawing('规章 ' + '│' * 100_000) == '规章 ' + ' | ' * 100_000"
    try:
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=8, cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": source})
    except subprocess.TimeoutExpired:
        pytest.fail("box_drawing did not finish a run of 100,000 box characters within the hang guard")
    assert result.returncode == 0, result.stderr[-2000:]
