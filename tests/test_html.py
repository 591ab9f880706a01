"""Issue 5, HTML: pages as scrapers save them give the same values as the text they were made from."""
from __future__ import annotations

import pytest

from xxgk.gate.compare import CANONICAL_KEYS, flatten
from xxgk.sources.html import decode_html, html_lines
from xxgk.report.model import Source
from xxgk.pipeline import extract_bytes, extract_text

from .conftest import FIXTURES, SHARED
from .html_render import render_page

def _with_tables(paths):
    """Text fixtures with template tables (pre-2019 reports have none to render), parsed once."""
    parsed = {path: extract_text(path.read_text(encoding="utf-8"), Source(path=path.name)).model_dump(mode="json")
              for path in paths}
    return {path: report for path, report in parsed.items() if report["meta"]["template"] in ("2019", "2021")}


TEXT_FIXTURES = _with_tables(sorted((FIXTURES / "reports").rglob("*.txt")) + sorted((SHARED / "corpus").glob("*.txt")))


def test_the_rendering_test_covers_the_seeds():
    assert len(TEXT_FIXTURES) >= 5


@pytest.mark.parametrize("path", TEXT_FIXTURES, ids=[path.name for path in TEXT_FIXTURES])
def test_a_text_fixture_rendered_as_a_page_gives_the_same_values(path):
    from_text = TEXT_FIXTURES[path]
    page = render_page(from_text).encode("utf-8")
    from_html = extract_bytes(page, path.stem + ".html").model_dump(mode="json")
    text_values, html_values = flatten(from_text), flatten(from_html)
    assert from_html["source"]["layout"] == "html"
    for key in ("meta.template", "meta.year", *CANONICAL_KEYS):
        if key == "active_disclosure.procurement.amount_unit" and text_values["active_disclosure.procurement.amount"] is None:
            continue  # a unit printed beside an undeterminable amount has no cell to be rendered in
        assert html_values[key] == text_values[key], key


def test_report_body_is_found_among_page_furniture():
    page = ("<html><head><script>var x='二、主动公开政府信息情况';</script><style>.a{}</style></head><body>"
            "<div id='nav'><a>首页</a><a>2018年政府信息公开工作年度报告</a></div>"
            "<div id='content'><h2>某局2023年政府信息公开工作年度报告</h2><p>一、总体情况</p><p>正文。</p>"
            "<p>二、主动公开政府信息情况</p><p>六、其他需要报告的事项</p><p>无。</p></div>"
            "<div id='share'>分享到：微信 微博</div><div id='footer'>网站地图 ICP备0000号</div></body></html>")
    lines = [text for _, text in html_lines("a.html", page.encode())[0]]
    assert lines[0] == "某局2023年政府信息公开工作年度报告"
    assert not any("2018年" in line or "分享到" in line or "ICP" in line or "var x" in line for line in lines)


def test_table_cells_rowspan_colspan_br_and_nbsp():
    page = ("<table><tr><td rowspan='2'>三、本年度办理结果</td><td>（一）予以公开</td><td>1</td><td>&nbsp;</td></tr>"
            "<tr><td>（二）部分<br/>公开</td><td colspan='2'>5</td></tr></table>")
    lines = [text for _, text in html_lines("t.html", page.encode())[0]]
    assert lines == ["三、本年度办理结果\t（一）予以公开\t1\t", "三、本年度办理结果\t（二）部分公开\t5"]


def test_charset_from_declaration_widened_to_gb18030():
    text = "<html><head><meta charset='gb2312'></head><body><p>䶮 政府信息公开</p></body></html>"
    decoded, encoding = decode_html("a.html", text.encode("gb18030"))
    assert "䶮 政府信息公开" in decoded
    assert encoding == "gb18030 (declared gb2312)"


def test_bytes_win_over_a_wrong_declaration():
    text = "<html><head><meta charset='utf-8'></head><body><p>政府信息公开工作年度报告情况</p></body></html>"
    decoded, encoding = decode_html("a.html", text.encode("gbk"))
    assert "政府信息公开工作年度报告情况" in decoded
    assert encoding.startswith("gb18030 (detected") and "declared utf-8" in encoding


def test_utf8_bytes_win_over_a_gbk_declaration():
    text = "<html><head><meta charset='gbk'></head><body><p>政府信息公开</p></body></html>"
    assert decode_html("a.html", text.encode("utf-8")) == (text, "utf-8")


def test_html_without_a_suffix_is_sniffed():
    seed = FIXTURES / "reports" / "seeds" / "000_201b3c9d0f3fbc81.txt"
    from_text = extract_text(seed.read_text(encoding="utf-8"), Source(path="a")).model_dump(mode="json")
    report = extract_bytes(render_page(from_text).encode("utf-8"), "page.txt")
    assert report.source.layout == "html"
    assert report.active_disclosure.normative_documents.issued == 6
