"""OCR and converter damage inside a number never gives a different number: look-alike letters
(`l1`, `3b`, `2Z`, `O` alone on its line), a `|` or a lowercase letter where a digit was (`1|91`, `7|`, `b`
for 6, a `?` or U+FFFD that normalize.py would drop as a lost character), a number split by a space on a page printed one cell per line (`2 65`), a lost cell that would put a
signed change (`+6`) in a count. Each case below is one such change to one line of a real labelled
report; the report must keep every other labelled value or leave it null, never differ from the label."""
from __future__ import annotations

import re

import pytest

from xxgk.gate.compare import score
from xxgk.parsing.cells import Kind, tokenize
from xxgk.parsing.rows import split_numbers
from xxgk.parsing.sections import to_lines
from xxgk.pipeline import extract_text
from xxgk.report.model import Source

from .conftest import shared_dir, shared_label

# (folder, file, line, printed number, as damaged): each gave a wrong number before
CASES = [
    ("corpus2", "f013.txt", 171, "0", "O"),        # alone on its line: the row's last cells shifted
    ("corpus2", "f028.txt", 42, "11", "l1"),       # `l` then 1: read as 1
    ("corpus2", "f013.txt", 177, "8057", "80S7"),  # read as 80
    ("corpus2", "f013.txt", 195, "+1", "+l"),      # text: the lost change expanded from the cell before
    ("corpus2", "k003.txt", 104, "36", "3b"),      # read as 3
    ("corpus2", "k003.txt", 70, "2154", "Z154"),   # read as 154
    ("corpus2", "f009.txt", 72, "22", "2Z"),       # read as 2
    ("corpus2", "k003.txt", 111, "294", "2g4"),    # read as 2
    ("corpus", "028.txt", 132, "2", "Z"),          # alone on its line
    ("corpus", "025.txt", 266, "265", "2 65"),     # split by a space: two cells 2 and 65
    ("corpus", "030.txt", 70, "17", "1 7"),        # the same in a short table 二
    ("corpus2", "f017.txt", 108, "80", "8 0"),     # the same where the row then has all its cells
    ("corpus", "030.txt", 70, "17", "1T"),         # any Latin letter among digits: read as 1
    ("corpus2", "f017.txt", 120, "1", "i"),        # `i` alone on its line: the row's cells shifted
    ("corpus2", "f016.txt", 128, "-1", "-i"),      # a lost change expanded from the cell before it
    ("corpus2", "f047.txt", 31, "7", "T"),         # any capital letter alone on its line
    ("corpus2", "f017.txt", 109, "0", "D"),
    ("corpus2", "f009.txt", 70, "2", "z"),         # and l i o s z
    ("corpus2", "f013.txt", 184, "1", "|"),        # a bar alone between cells: the cell lost, the row expanded
    ("corpus2", "f013.txt", 195, "+1", "+|"),      # the same with its sign: read as the next row's label
    ("corpus2", "k003.txt", 156, "31", "3|"),      # a bar against a digit in a pipe row: 3 and an empty field
    ("corpus2", "k001.md", 168, "1191", "119|"),   # read as 119
    ("corpus", "020.txt", 182, "71", "7|"),        # a bar in spaced cells: the line read as two pipe fields
    ("corpus", "020.txt", 150, "0    12", "0    |2"),
    ("corpus2", "f017.txt", 122, "11", "1|"),      # a bar against a digit alone on its line: read as 1
    ("corpus2", "k003.txt", 125, "13", "|3"),      # in a pipe row: 3
    ("corpus2", "f013.txt", 184, "1", "b"),        # a lowercase letter alone after the row's label: read as label
    ("corpus", "030.txt", 69, "0", "g"),           # the same: the row's cells shifted
    ("corpus2", "f017.txt", 123, "0", "q"),        # between cells of lines of their own
    ("corpus2", "f016.txt", 128, "-1", "-b"),      # with its sign
    ("corpus2", "k001.md", 124, "4", "g"),         # a pipe field after the row's label
    ("corpus2", "f001.txt", 127, "0", "("),        # an ASCII symbol alone after the row's label
    ("corpus2", "f047.txt", 29, "1", "]"),
    ("corpus2", "k003.txt", 70, "2154", "21$4"),   # among a number's digits: read as 21 and 4
    ("corpus2", "f028.txt", 37, "74", "7?"),       # a ? against a digit was dropped as a lost character: 7
    ("corpus2", "k003.txt", 125, "13", "1?"),      # the same in a pipe row
    ("corpus2", "k001.md", 115, "36", "?6"),
    ("corpus2", "f047.txt", 29, "1", "?"),         # alone on its line: dropped, the row's cells shifted
    ("corpus2", "f047.txt", 29, "1", "??"),        # two alone: read as label text, the row's cells shifted
    ("corpus2", "f028.txt", 37, "74", "7\ufffd"),  # a replacement character (U+FFFD) against a digit: 7
    ("corpus2", "k003.txt", 125, "13", "1\ufffd"),  # the same in a pipe row: 1
    ("corpus2", "k001.md", 115, "36", "\ufffd6"),   # before the digit: 6
    ("corpus2", "f017.txt", 104, "40", "4\ufffd"),  # one digit of a number lost: 4
    ("corpus2", "f047.txt", 29, "1", "\ufffd\ufffd"),  # a cell's bytes lost, alone on its line: the cells shifted
    ("corpus2", "k003.txt", 125, "13", "\ufffd"),   # alone in its pipe field: read as a blank cell
    ("corpus2", "f013.txt", 195, "+1", "+\ufffd"),  # after its sign: dropped, the change lost (`+`)
    # look-alikes from other scripts, which NFKC leaves alone: read as label text or split the number
    ("corpus2", "k001.md", 118, "206", "2\u043e6"),  # Cyrillic о for 0: read as 2
    ("corpus2", "f028.txt", 42, "11", "\u01311"),     # dotless ı for 1: read as 1
    ("corpus2", "f013.txt", 195, "+1", "+\u0399"),    # Greek Ι with its sign: the change lost
    ("corpus2", "f047.txt", 29, "1", "\u4e28"),       # the CJK stroke 丨 for 1, alone on its line: label text
    ("corpus", "028.txt", 131, "0", "\u3007"),        # the ideographic zero 〇 alone on its line: label text
]


# the damaged row's cells, and at most two rows of table 三 whose reading leans on its sums
MOST_CELLS_LOST = 21


@pytest.mark.parametrize("folder, name, line, number, damaged", CASES)
def test_a_damaged_number_in_a_real_report_is_null_never_another_number(folder, name, line, number, damaged):
    text = (shared_dir(folder) / name).read_text(encoding="utf-8")
    lines = text.split("\n")
    found = re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", lines[line - 1])
    assert found, lines[line - 1]
    lines[line - 1] = lines[line - 1][:found.start()] + damaged + lines[line - 1][found.end():]
    report = extract_text("\n".join(lines), Source(path=name)).model_dump(mode="json")
    result = score(report, shared_label(folder, name))
    assert (result.wrong, result.invented) == (0, 0), result.problems[:5]
    undamaged = score(extract_text(text, Source(path=name)).model_dump(mode="json"), shared_label(folder, name))
    assert result.correct < undamaged.correct  # the damaged cell is not read
    assert undamaged.correct - result.correct <= MOST_CELLS_LOST  # the other rows keep their values


def _kinds(*lines: str) -> list[tuple[str, str]]:
    return [(token.kind.value, token.text) for token in tokenize(to_lines(list(lines)))]


def test_numbers_with_look_alike_letters_are_unreadable_cells_not_label_text():
    assert _kinds("行政处罚 l1") == [("text", "行政处罚"), ("unreadable", "l1")]
    assert _kinds("行政许可 3b 2Z Z154 +l") == [("text", "行政许可"), ("unreadable", "3b"), ("unreadable", "2Z"),
                                             ("unreadable", "Z154"), ("text", "+l")]
    assert _kinds("O") == [("unreadable", "O")] and _kinds("+l") == [("unreadable", "+l")]
    assert _kinds("行政许可 1T 5A") == [("text", "行政许可"), ("unreadable", "1T"), ("unreadable", "5A")]
    assert _kinds("o 行政许可 0") == [("text", "o"), ("text", "行政许可"), ("value", "0")]  # a bullet, not a cell
    assert _kinds("T") == [("unreadable", "T")] and _kinds("PDF") == [("text", "PDF")]
    assert _kinds("a\tB\t5") == [("text", "a"), ("unreadable", "B"), ("value", "5")]


def test_a_bar_where_a_digit_was_is_an_unreadable_cell_not_a_delimiter():
    assert _kinds("| 结转 | 3| | 0 |") == [("text", "结转"), ("unreadable", "3"), ("empty", ""), ("value", "0")]
    assert _kinds("| 结转 | 1|91 |") == [("text", "结转"), ("unreadable", "1"), ("unreadable", "91")]
    assert _kinds("|1|2|", "a|1|2") == [("value", "1"), ("value", "2"), ("text", "a"), ("value", "1"),
                                        ("value", "2")]  # tight bars: the layout itself
    assert _kinds("行政许可 67 3 7|") == [("text", "行政许可"), ("value", "67"), ("value", "3"), ("unreadable", "7|")]
    assert _kinds("行政许可 67 | 0") == [("text", "行政许可"), ("value", "67"), ("unreadable", "|"), ("value", "0")]
    assert _kinds("1|") == [("unreadable", "1")]
    assert _kinds("| 统计期限 | 2023 年 |") == [("text", "统计期限"), ("text", "2023"), ("text", "年")]  # a markdown row
    assert _kinds("行政处罚", "1", "|", "26") == [("text", "行政处罚"), ("value", "1"), ("unreadable", "|"),
                                             ("value", "26")]
    assert _kinds("0", "+|", "标签") == [("value", "0"), ("unreadable", "+|"), ("text", "标签")]
    # beside pipe lines a bar line is the row start of FORMAT §7.5 D, or a `-` cell that lost its space
    assert _kinds("|", "行政处罚 |", "1 |", "-|", "|", "行政强制 |") == [
        ("text", "行政处罚"), ("value", "1"), ("null", "-"), ("text", "行政强制")]


def test_a_lowercase_letter_where_a_cell_was_is_unreadable_and_a_placeholder_label_is_not():
    assert _kinds("| 行政许可 | 0 | b | 26 |") == [("text", "行政许可"), ("value", "0"), ("unreadable", "b"),
                                                ("value", "26")]
    assert _kinds("| 行政许可 | g | 0 |") == [("text", "行政许可"), ("unreadable", "g"), ("value", "0")]
    assert _kinds("行政许可 0 26 q") == [("text", "行政许可"), ("value", "0"), ("value", "26"), ("unreadable", "q")]
    assert _kinds("行政处罚", "b", "0") == [("text", "行政处罚"), ("unreadable", "b"), ("value", "0")]
    assert _kinds("1", "g", "行政强制") == [("value", "1"), ("unreadable", "g"), ("text", "行政强制")]
    assert _kinds("0", "+b") == [("value", "0"), ("unreadable", "+b")]
    assert _kinds("行政许可", "(", "0") == [("text", "行政许可"), ("unreadable", "("), ("value", "0")]
    assert _kinds("三", "(", "一", ")") == [("text", "三"), ("text", "("), ("text", "一"), ("text", ")")]
    assert _kinds("a\tb\t5") == [("text", "a"), ("text", "b"), ("value", "5")]
    assert _kinds("5 6", "a") == [("value", "5"), ("value", "6"), ("text", "a")]
    assert _kinds("5", "b", "x") == [("value", "5"), ("text", "b"), ("text", "x")]
    assert _kinds("a 1 x", "b 2") == [("text", "a"), ("value", "1"), ("unreadable", "x"), ("text", "b"),
                                      ("value", "2")]


def _page(*lines: str) -> dict[str, list]:
    return {"requests": tokenize(to_lines(list(lines)))}


def test_a_line_of_several_numbers_on_a_page_of_one_cell_per_line_is_unreadable():
    one_per_line = [f"第{index}行" if index % 2 else str(index) for index in range(40)]
    page = split_numbers(_page(*one_per_line, "2 65", "标签", "5"))["requests"]
    assert [(token.kind, token.text) for token in page[-3:]] == [
        (Kind.unreadable, "2 65"), (Kind.text, "标签"), (Kind.value, "5")]
    spaced = split_numbers(_page(*one_per_line[:10], "2 65", "1 2 3"))["requests"]  # not one cell per line
    assert [token.kind for token in spaced[-5:]] == [Kind.value] * 5
    delimited = split_numbers(_page(*one_per_line, "2\t65"))["requests"]  # cell boundaries are certain
    assert [token.kind for token in delimited[-2:]] == [Kind.value, Kind.value]


def test_a_signed_change_is_never_placed_in_a_count_when_a_cell_is_lost():
    lines = (shared_dir("corpus2") / "f013.txt").read_text(encoding="utf-8").split("\n")
    assert lines[169:173] == ["行政许可", "0", "+6", "8"]  # 上一年项目数量 0, 本年增/减 +6, 处理决定数量 8
    del lines[170]  # the 0 is lost: +6 and 8 for three cells of a page that collapses equal lines
    report = extract_text("\n".join(lines), Source(path="f013.txt"))
    assert report.active_disclosure.licensing.previous_items is None  # +6 is a change, never a count
    assert {item.code for item in report.findings if item.key == "active_disclosure.licensing"} >= {"ambiguous_cells"}


def test_look_alikes_from_other_scripts_are_unreadable_cells_and_text_of_those_scripts_stays_text():
    assert _kinds("行政许可 2\u043e6") == [("text", "行政许可"), ("unreadable", "2\u043e6")]  # Cyrillic о
    assert _kinds("| 5\u04063 |") == [("unreadable", "5\u04063")]  # Cyrillic І
    assert _kinds("\u0131") == [("unreadable", "\u0131")] and _kinds("+\u0399") == [("unreadable", "+\u0399")]
    assert _kinds("行政许可", "\u4e28", "0") == [("text", "行政许可"), ("unreadable", "\u4e28"), ("value", "0")]
    assert _kinds("\u3007") == [("unreadable", "\u3007")]  # 〇
    assert _kinds("首页\u4e28新闻") == [("text", "首页\u4e28新闻")]
    assert _kinds("二\u3007二三年") == [("text", "二\u3007二三年")]
    assert _kinds("Café 3") == [("text", "Café"), ("value", "3")]


def test_a_lost_character_in_a_field_of_its_own_is_a_lost_cell_not_a_blank_one():
    """Seed 001's table 四 prints 14 numbers for 15 cells; with a U+FFFD field after its first cell, the field
    was dropped as a blank one and the row read as 15 cells (14 values invented where the label has none)."""
    seed = (shared_dir("seeds") / "001_c0ba0aad0cf3f79c.txt").read_text(encoding="utf-8")
    row = "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    damaged = seed.replace(row, "0 | \ufffd | " + row[4:])
    report = extract_text(damaged, Source(path="x.txt")).model_dump(mode="json")
    result = score(report, shared_label("seeds", "001_c0ba0aad0cf3f79c.txt"))
    assert (result.wrong, result.invented) == (0, 0), result.problems[:5]
    assert _kinds("| 5 | ? | 3 |") == [("value", "5"), ("unreadable", "?"), ("value", "3")]
