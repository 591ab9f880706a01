"""Text that command-line HTML converters make of a report page, as scrapers save it
(fixtures/generated/converters): `w3m -dump` draws a bordered table with box-drawing characters, and at
80 columns wraps the labels of narrow cells onto the lines below, cutting their keywords
(`2.其他法律行政法` / `规禁止公开`). The bar: no wrong and no invented number."""
from __future__ import annotations

import json

import pytest

from xxgk import templates
from xxgk.gate.compare import score
from xxgk.parsing.row_labels import row_index
from xxgk.pipeline import extract_file
from xxgk.sources.normalize import box_drawing, unify_label

from .conftest import FIXTURES, shared_dir

CONVERTERS = FIXTURES / "generated" / "converters"
COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")


def _read(name: str, suffix: str = ".txt") -> tuple[dict, object]:
    """A committed dump's report and its score against the values filled in (NAME.filled.json)."""
    filled = json.loads((CONVERTERS / f"{name}.filled.json").read_text(encoding="utf-8"))
    report = extract_file(CONVERTERS / f"{name}{suffix}").model_dump(mode="json")
    return report, score(report, filled)


def test_a_box_drawn_table_reads_like_a_pipe_table():
    """corpus/018.html through `w3m -dump -cols 200`: every labelled cell is read (none was before)."""
    label = json.loads((shared_dir("corpus") / "labels" / "018.json").read_text(encoding="utf-8"))
    report = extract_file(CONVERTERS / "w3m_box_drawn_018.txt").model_dump(mode="json")
    result = score(report, label)
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert result.correct == result.total, result.problems


def test_box_drawing_keeps_each_line_and_makes_bars_of_the_boundaries():
    text = "表一\n┌────┬───┐\n│规章│ 3 │\n├────┼───┤\n│（三）不予公开 ├───┤\n└────┴───┘\n"
    assert box_drawing(text) == "表一\n\n | 规章 |  3  | \n\n | （三）不予公开 |\n\n"
    assert box_drawing("规章 | 3") == "规章 | 3"


def test_labels_wrapped_in_narrow_cells_give_no_wrong_number():
    """`3.危及“三安全一 16 16 0 656 168 0 856` under `规禁止公开`, the end of the row above's label: the
    numbers were read as that row's (其他法律行政法规禁止公开), 31 wrong numbers in 52 such dumps."""
    filled = json.loads((CONVERTERS / "w3m80_wrapped_labels.filled.json").read_text(encoding="utf-8"))
    report = extract_file(CONVERTERS / "w3m80_wrapped_labels.txt").model_dump(mode="json")
    result = score(report, filled)
    assert result.wrong == 0 and result.invented == 0, result.problems
    for row in ("denied_prohibited_by_law", "denied_security_stability"):  # both labels cut, both read
        assert report["requests"][row] == {column: filled["values"][f"requests.{row}.{column}"] for column in COLUMNS}


def test_a_keyword_followed_by_another_items_number_names_the_row_that_number_starts():
    specs = templates.any_rows("requests")
    keys = [spec.key for spec in specs]

    def row(label):
        index = row_index(unify_label(label), specs)
        return None if index is None else keys[index]
    assert row("规禁止公开 3.危及“三安全一") == "denied_security_stability"
    assert row("规禁止公开 3.属于") is None  # item 3 of (三) does not begin so: neither row's for certain
    assert row("规禁止公开 3.") is None
    assert row("2.其他法律行政法规禁止公开") == "denied_prohibited_by_law"


def test_a_column_rule_is_no_evidence_when_another_column_rule_fails_on_every_reading():
    """`lynx -dump` of a borderless table: blanks are invisible, so `13 3 15 4 0 35` (13, 3, blank, 15,
    4, 0, 35) has a reading per place of the blank. The filled values break the column rules (H1, H3),
    as a report's own numbers may; the 商业企业 column rule happened to hold on a reading with 13 in
    that column, and it was kept. A column rule that no reading satisfies now stops the others from
    choosing readings: such cells are null."""
    report, result = _read("lynx_columns_not_adding_up")
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert report["requests"]["new_received"]["total"] == 208496  # rows that print every cell stay read


def test_html_tables_inside_markdown_are_read_as_tables():
    """`pandoc -t gfm` keeps a table with spans as raw `<table>` markup inside the markdown: its
    cells were read as text (1,761 of 10,400 cells in 52 generated reports), now as the rows of a
    web page's table (10,389), with the source line of each row."""
    filled = json.loads((CONVERTERS / "pandoc_gfm_html_tables.filled.json").read_text(encoding="utf-8"))
    path = CONVERTERS / "pandoc_gfm_html_tables.md"
    report = extract_file(path).model_dump(mode="json")
    result = score(report, filled)
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert result.correct == result.total, result.problems
    lines = path.read_text(encoding="utf-8").split("\n")
    row = report["row_lines"]["requests.carried_forward"]  # the row's <tr>, as on a web page
    assert lines[row - 1].startswith("<tr") and "结转下年度" in lines[row]


def test_text_around_an_html_table_keeps_its_line_numbers():
    from xxgk.sources.embedded_html import embedded_tables

    text = "一、总体情况\n正文 <table>\n<tr><td>规章</td>\n<td>3</td></tr>\n</table> 后文\n末行"
    numbered, findings = embedded_tables("a.md", text)
    assert numbered == [(1, "一、总体情况"), (2, "正文 "), (3, "规章\t3"), (5, " 后文"), (6, "末行")]
    assert findings == []
    assert embedded_tables("a.md", "规章 <table> 3") is None  # no table closes: the text as it is


def test_many_unclosed_tables_after_the_last_closed_one_cost_one_pass():
    """Every `<table` after the last `</table>` would have been searched to the end of the text."""
    from xxgk.sources.embedded_html import embedded_tables

    text = "<table><tr><td>1</td></tr></table>\n" + "<table " * 200_000
    numbered, _ = embedded_tables("a.md", text)
    assert numbered[0] == (1, "1") and len(numbered) == 2


@pytest.mark.parametrize("name", ["pdftotext_layout_wrapped_cells", "pdftotext_layout_wrapped_group_label"])
def test_numbers_wrapped_in_narrow_cells_with_their_label_give_no_wrong_number(name):
    """`pdftotext -layout` of a PDF whose narrow cells wrap: `5.要求行政机关确认或重 280 286 0 0 0 0 566` over
    `新出具已获取信息 19 53 72` is 28019, 28653 and 56672 (the row rule holds on the cut numbers too), and
    `1.信访举报投诉类 0 83 … 83` over `）不 申请 6 6` is 836. Numbers beside the rest of a row's label
    now make the row null."""
    filled = json.loads((CONVERTERS / f"{name}.filled.json").read_text(encoding="utf-8"))
    result = score(extract_file(CONVERTERS / f"{name}.txt").model_dump(mode="json"), filled)
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert result.correct >= 20, result.problems


def test_pipe_rows_whose_bars_are_all_spaced_alike_are_not_ocr_damage():
    """html2text prints `一、本年新收政府信息公开申请数量| 821| 35|  |  | 2| 1| 859`: no space before a bar,
    one after. The rule for OCR's `|` in place of a digit (`| 1|91 |`) took every such cell for a cut
    number: corpus 018 through html2text read 153 of 199 cells, now 172."""
    label = json.loads((shared_dir("corpus") / "labels" / "018.json").read_text(encoding="utf-8"))
    result = score(extract_file(CONVERTERS / "html2text_018.txt").model_dump(mode="json"), label)
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert result.correct >= 172, result.correct


def test_wrapped_number_ends_alone_on_their_lines_are_no_cell_per_line_page():
    """`pdftotext -raw` prints a table row a line, and the last digits of a number a narrow cell wraps
    (`2,25` / `4`) alone on the line under it: 40 such lines and no two equal looked like a one-cell-a-
    line page whose equal lines were merged, so `0 652 0 652` (blanks invisible) was read with
    repeated cells (652 as 其他组织). Collapsed lines are evidence only where the tables' numbers stand
    one a line."""
    filled = json.loads((CONVERTERS / "pdftotext_raw_wrapped_ends.filled.json").read_text(encoding="utf-8"))
    result = score(extract_file(CONVERTERS / "pdftotext_raw_wrapped_ends.txt").model_dump(mode="json"), filled)
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert result.correct >= 40, result.problems


@pytest.mark.parametrize("name", ["pdftotext_layout_wrapped_tail_line", "pdftotext_layout_cut_thousands"])
def test_the_cut_ends_of_wrapped_numbers_are_no_evidence_of_glued_cells(name):
    """`pdftotext -layout` wraps a narrow cell's number: `7.属于行政执法案卷 0 3011 0 239 302,` over
    `05 093` (301105 and 302,093), or `… 20 1,05` over `1` (1,051). The leading zeros of those cut
    ends (`05`, the `05` of `1,05`) were taken for a glued page, whose rows may hide several cells in
    one number, and then `规章 10 /` was read as 1, 0 (10, blank), `规章 13 7` as 1, 3, 7. Numbers alone on the line under a
    line of numbers, and fewer than three digits after a thousands comma, are the ends of cut numbers."""
    filled = json.loads((CONVERTERS / f"{name}.filled.json").read_text(encoding="utf-8"))
    report = extract_file(CONVERTERS / f"{name}.txt").model_dump(mode="json")
    result = score(report, filled)
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert result.correct >= 50, result.problems
    assert report["active_disclosure"]["regulations"]["issued"] is None  # `13 7` for 3 cells: not known where


def test_a_tall_rows_numbers_on_several_lines_of_a_laid_out_table_are_null():
    """`pdftotext -layout` of a row whose label takes two lines: `（二）部分公开（区分处理的，只计这一情 954`
    over `2 15 934 3 0 —`, each number under its column, so the text's order is not the columns'
    (954 is the total). It was read 954, 2, 15, 934, 3, 0, blank. On a page laid out in columns, a
    row whose numbers stand on several lines is null (one cell a line, or plain wrapped text, keep
    their order and are read)."""
    report, result = _read("pdftotext_layout_tall_rows")
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert result.correct >= 60, result.problems
    assert report["requests"]["partially_granted"]["natural_person"] is None
    assert report["requests"]["carried_over"]["total"] == 75  # a row on one line is read


def test_page_damage_of_pdftotext_text():
    from xxgk.parsing.cells import tokenize
    from xxgk.parsing.rows import Damage, page_damage
    from xxgk.parsing.sections import Line

    def damage(*texts):
        lines = [Line(number, text) for number, text in enumerate(texts, 1)]
        return page_damage(lines, tokenize(lines))
    # a cut number's end under a line of numbers, or after a thousands comma, is no glued cell
    assert damage("7.属于行政执法案卷 0 3011 0 239 302,", "05 093") == Damage()
    assert damage("2.其他法律行政法规禁止公开 999 18 0 13 1 20 1,05", "1") == Damage()
    assert damage("规章 1,05", "行政规范性文件 3") == Damage()
    assert damage("规章 05 093") == Damage(glued=True)
    assert damage("规章", "05 093") == Damage(glued=True)  # under a label, not under numbers
    assert damage("规章 1,0500") == Damage(glued=True)  # four digits after the comma: cells run together
    # numbers spaced two or more apart, in columns
    assert damage("规章  0    3", "行政规范性文件    5   0   5").aligned
    assert not damage("规章 0 3", "行政规范性文件 5 0 5").aligned
    # 40 lines, 20 numbers, no two equal: collapsed only when the numbers stand one a line
    labels = [f"第{number}项" for number in range(20)]
    alone = [text for pair in zip(labels, map(str, range(1, 21))) for text in pair]
    assert damage(*alone).collapsed
    rows = [f"{label} {number} {number + 1}" for number, label in enumerate(labels)]
    assert not damage(*rows, *map(str, range(1, 21))).collapsed


def test_numbers_beside_the_rest_of_a_label_in_quote_marks_make_the_row_null():
    """`3.危及“三安全 0 0 0 1 1 0 2` over `一稳定” 0 3 3` (10, 13, 23 cut in narrow columns): the rest of
    the label was compared with the template's label, which ends in a quote mark, so the row kept
    1, 1, 2. Only the labels' Chinese characters are compared now."""
    report, result = _read("pdftotext_layout_wrapped_quoted_label")
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert set(report["requests"]["denied_security_stability"].values()) == {None}
    assert result.correct >= 10, result.problems


def test_numbers_of_no_row_just_above_a_rows_numbers_make_it_null_on_a_laid_out_page():
    """`pdftotext -layout` of a row whose narrow cells wrap their numbers around its label: `39,6 30,3
    60,4 … 189,` above `一、本年新收政府信息公开申请数量` and `62 94 46 1 2 27 232` under it (39,662 …
    189,232; the row rule holds on the cut ends too). The ends were read as the row. Numbers of no
    row on the lines just above a row whose numbers stand under its label now make the row null."""
    report, result = _read("pdftotext_layout_cut_heads_above")
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert set(report["requests"]["new_received"].values()) == {None}
    assert result.correct >= 40, result.problems


def test_column_headers_between_a_rows_name_and_its_numbers_make_the_row_null():
    """`pdftotext` without -layout prints a borderless table block by block: `规章 / 本年制发件数 / 本年废止件数 /
    现行有效件数 / 117 / 0 / 2 / 行政规范性文件`, where 0 and 117 are 规章's and 2 is 行政规范性文件's. Three
    numbers for three cells were read as 规章's 117, 0, 2. Headers between a row's name and its numbers
    now make the row null."""
    report, result = _read("pdftotext_default_headers_between")
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert set(report["active_disclosure"]["regulations"].values()) == {None}
    assert report["active_disclosure"]["fees"]["amount_10k_yuan"] == 5911  # a one-column row stays read


def test_numbers_beside_a_wrapped_label_that_names_its_row_make_the_row_null():
    """`2.其他法律行政 0 0 0 1 0 0 1` over `法规禁止公开 6 6` (16 and 16 cut in narrow columns): the rest of
    the label names the row by its keyword, so the second line was taken for the same row printed again
    and ignored, and the row kept 1, 1. It is the row's wrapped end: the row is null."""
    name = "pdftotext_layout_label_rest_names_the_row"
    filled = json.loads((CONVERTERS / f"{name}.filled.json").read_text(encoding="utf-8"))
    report = extract_file(CONVERTERS / f"{name}.txt").model_dump(mode="json")
    result = score(report, filled)
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert set(report["requests"]["denied_prohibited_by_law"].values()) == {None}


def test_pymupdf4llm_rows_of_wrapped_cell_lines_give_no_wrong_number():
    """pymupdf4llm makes a table row of each text line of a PDF table row (generated report, bigfont):
    `|度|（三<br>1.属于国家秘密|11|0|98|0|3|—|10|` over `|办|）不|||7||||01|`. 11 wrong numbers before; now
    the row's rule chooses between the row as printed and joined with the line below (continued.py)."""
    report, result = _read("pymupdf4llm_wrapped_cells", ".md")
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert report["requests"]["denied_state_secret"] == dict(zip(COLUMNS, [11, 0, 987, 0, 3, None, 1001]))
    assert report["requests"]["unprocessed_repeated"]["total"] == 1003  # `1,0` over `03`
    assert result.correct >= 85


def test_markitdown_tables_with_guessed_fields_give_no_wrong_number():
    """markitdown (pdfminer) guesses a PDF table's fields: two cells in one (`| 848 13 |`), numbers cut
    (`| 1837 |` over `| 128 |`). 2 wrong numbers before in this dump (1837 for 1837128); now no row of a page
    with such fields is read (on 102 such dumps 218 wrong and 46 invented before, 12 and 6 after)."""
    report, result = _read("markitdown_guessed_fields", ".md")
    assert result.wrong == 0 and result.invented == 0, result.problems
    guessed = {item["key"] for item in report["findings"] if item["code"] == "ambiguous_cells" and "guessed" in item["message"]}
    assert {"active_disclosure.regulations", "requests.denied_state_secret", "requests.denied_process_info"} <= guessed


def test_leading_zeros_on_a_page_laid_out_in_columns_are_no_evidence_of_glued_cells():
    """`pdftotext -layout` of a table whose columns are too narrow for its numbers stacks their digits:
    `27 44 28 11` over `65 91 19` over `一、本年新收政府信息公开申请数量 03 50 19 73` (2,603 …), so a
    slice of a number starts with a zero. That was taken for a glued page (cells run together), and
    every short row of the page was split into digits: `规章 17 8` read as 1, 7, 8. Cells laid out in
    columns are spaced apart, not glued: such a page is no glued page."""
    from xxgk.parsing.cells import tokenize
    from xxgk.parsing.rows import page_damage
    from xxgk.parsing.sections import Line

    lines = [Line(number, text) for number, text in enumerate(
        ["规章             17         8", "一、本年新收政府信息公开申请数量      03    50    19    73"], 1)]
    assert page_damage(lines, tokenize(lines)).glued is False
    report, result = _read("pdftotext_layout_digits_stacked")
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert set(report["active_disclosure"]["regulations"].values()) == {None}  # 17 8 for three cells
    assert report["active_disclosure"]["normative_documents"] == {"issued": 12, "repealed": 5, "in_force": 5}
    assert result.correct >= 60, result.problems


def test_numbers_of_no_row_right_under_a_rows_numbers_make_it_null_on_a_laid_out_page():
    """`pdftotext -layout` of a landscape table: `1.信访举报投诉类申请 0 0 1729 0 0 0 1729` over `予处理
    143 143` (1729143 in a narrow cell, its last digits wrapped under it, beside the rest of the group label
    `（五）不予处理`). The row's sum holds on the cut ends too, so it was read 1729. Numbers of no row on
    the line right under a row's numbers, none wider than its widest, make it null."""
    report, result = _read("pdftotext_layout_wrapped_ends_under_row")
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert set(report["requests"]["unprocessed_complaint"].values()) == {None}
    assert report["requests"]["carried_over"]["total"] == 51  # rows with nothing under them are read
    assert result.correct >= 110, result.problems


def test_numbers_that_begin_the_next_rows_cells_keep_the_row_above():
    """`二、上年结转政府信息公开申请数量 2 36 0 30 0 0 68`, then `三、本 1,16`, `（一）予以公开 0 0 0 860 289 19`,
    `年度办 8`: 1,168 is the next row's total, wrapped around its line (as many numbers under it as stand
    above it, and its own line lacks that many cells). The row above keeps its reading; the rest of a row's
    own label beside the loose numbers (`确认或重新出具 4 4`) makes them its own for certain."""
    from xxgk.parsing.cells import RawRow, Token
    from xxgk.parsing.tokens import Kind
    from xxgk.parsing.wrapped_ends import drop_wrapped_rows

    report, result = _read("pdftotext_layout_heads_of_the_next_row")
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert report["requests"]["carried_over"]["total"] == 68
    spec = next(spec for spec in templates.get("2021").rows("requests") if spec.key == "unprocessed_confirmation")

    def row(label, line, *numbers):
        tokens = [Token(Kind.value, number, line) for number in numbers]
        return RawRow(label, line, tokens, False, tokens)
    above = row("5.要求行政机关", 1, "7", "7")
    following = row("1.申请人无正当理由逾期不补正", 3, "1")
    for label, kept in (("确认或重新出具", False), ("三、本", True)):
        rows = [above, row(label, 2, "4", "4"), following, row("", 4, "9", "0")]
        matched = {spec.key: above, "next": following}
        drop_wrapped_rows(rows, {id(above): spec.key, id(following): "next"}, matched, "requests", [],
                          {spec.key: spec, "next": spec})
        assert (spec.key in matched) is kept, label


def test_wrapped_ends_under_a_group_labels_line_make_the_row_above_null():
    """`2.没有现成信息需要另行制作 0 0 0 0 56 0 56`, then `（四）无法` alone, then `1 1` (561 cut in a narrow
    column, its end printed under the group label's line between them): the row was read 56."""
    report, result = _read("pdftotext_layout_wrapped_ends_under_a_group_label")
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert set(report["requests"]["unable_needs_creation"].values()) == {None}
    assert result.correct >= 55, result.problems


def test_numbers_inside_a_label_printed_a_character_a_line_are_no_rows():
    """A narrow label column prints `行 / 政 / 处 / 罚 / 行 / 政 / 326 / 强 / 制`: 326 is 行政强制's, printed
    beside the middle of its label, and the text before it ends in 行政处罚, so it was read as 行政处罚's
    (an invented number: 行政处罚 is blank). A keyword running across a row's numbers into the text after
    them, naming another row, makes the row null; the row's own keyword across them (`5.属于三类内部事 0 0
    19 …` over `务信息`) does not."""
    report, result = _read("pdftotext_layout_numbers_inside_a_label")
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert report["active_disclosure"]["punishment"]["decisions"] is None
    report, result = _read("pdftotext_layout_label_wrapped_around_numbers")  # `5.属于三类内部事 0 0 19 0 0 6 25`
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert report["requests"]["denied_internal_affairs"]["total"] == 25


def test_a_tall_rows_numbers_all_under_its_label_with_numbers_right_above_it_are_null():
    """`pdftotext -layout` with a large font: `1704 3843 3133 …` over `（七）总计` over `7 6 7 3 2 4 29`
    (17047, 38436 …: every cell wrapped, the row's numbers around its label). The numbers under the label
    were read as the row (the sum holds on the cut ends too). A row whose numbers all stand on lines of
    nothing but numbers under its label, with numbers right above the label, is null."""
    report, result = _read("pdftotext_layout_tall_row_around_its_label")
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert set(report["requests"]["total_processed"].values()) == {None}
    assert result.correct >= 40, result.problems


def test_a_rows_numbers_going_on_onto_bare_lines_are_null_where_rows_print_a_line_each():
    """`pdftotext -raw` prints a row a line: `规章 15` / `99261` / `4` is 15 and 992614 wrapped in a narrow
    cell (its first part printed after the row's line), and was read 15, 99261, 4. Where most rows print
    all their numbers on their label's line, a row whose numbers go on onto lines of nothing but numbers
    is null; pdftotext's default mode prints a row's cells over several lines (`4.保护第三方合法权益 37` /
    `0` / `706 0` / …), and such rows are read."""
    report, result = _read("pdftotext_raw_wrapped_cell_onto_bare_lines")
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert set(report["active_disclosure"]["regulations"].values()) == {None}
    assert result.correct >= 60, result.problems
    from xxgk.parsing.cells import RawRow, Token
    from xxgk.parsing.tokens import Kind
    from xxgk.parsing.wrapped_ends import drop_rows_around_labels

    def row(label, *lines):
        tokens = [Token(Kind.value, text, line) for line, texts in lines for text in texts.split()]
        return RawRow(label, lines[0][0], tokens, False, tokens)
    wrapped = row("规章", (1, "15"), (2, "99261"), (3, "4"))
    for others, text, kept in (([row("行政规范性文件", (4, "1 0 2")), row("行政许可", (5, "8"))], {1, 4, 5}, False),
                               ([row("行政规范性文件", (4, "1"), (5, "0 2")), row("行政许可", (6, "8"), (7, "9"))],
                                {1, 4, 6}, True)):
        rows = [wrapped, *others]
        matched = {str(number): raw for number, raw in enumerate(rows)}
        drop_rows_around_labels(rows, {id(raw): str(number) for number, raw in enumerate(rows)}, matched,
                                "active_disclosure", [], frozenset(text), False)
        assert ("0" in matched) is kept
