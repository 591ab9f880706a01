"""Issue 15, mutation testing: the token stream of cells.py (tokenize, group_rows), token by token.

Kinds: T text, V value, N null marker, E empty delimited field, R run of several cells' digits,
U unreadable cell, M item number or cell, S minus sign or dash."""
from __future__ import annotations

import pytest

from xxgk.parsing.cells import Kind, group_rows, table_chars, tokenize
from xxgk.parsing.sections import to_lines

KINDS = {"T": Kind.text, "V": Kind.value, "N": Kind.null, "E": Kind.empty, "R": Kind.run, "U": Kind.unreadable,
         "M": Kind.maybe, "S": Kind.signed}

CASES = [
    (['行政许可 4,529 12'], [('T', '行政许可', 1, False), ('V', '4529', 1, False), ('V', '12', 1, False)]),
    (['a 1,234,567 1,23'], [('T', 'a', 1, False), ('V', '1234567', 1, False), ('V', '1', 1, False), ('T', ',', 1, False), ('V', '23', 1, False)]),
    (['a 0012 -5 +3 —'], [('T', 'a', 1, False), ('R', '0012', 1, False), ('V', '-5', 1, False), ('V', '+3', 1, False), ('N', '—', 1, False)]),
    (['a 2019年 5件 3 个'], [('T', 'a', 1, False), ('T', '2019', 1, False), ('T', '年', 1, False), ('T', '5', 1, False), ('T', '件', 1, False), ('T', '3', 1, False), ('T', '个', 1, False)]),
    (['2019', '年'], [('T', '2019', 1, False), ('T', '年', 2, False)]),
    (['a 5', '年度'], [('T', 'a', 1, False), ('V', '5', 1, False), ('T', '年度', 2, False)]),
    (['1.属于国家秘密 0 0'], [('T', '1', 1, False), ('T', '.属于国家秘密', 1, False), ('V', '0', 1, False), ('V', '0', 1, False)]),
    (['12.没有 3'], [('T', '12', 1, False), ('T', '.没有', 1, False), ('V', '3', 1, False)]),
    (['3、其他 4'], [('T', '3', 1, False), ('T', '、其他', 1, False), ('V', '4', 1, False)]),
    (['表 2 第 3 附件 4 附表 5'], [('T', '表', 1, False), ('T', '2', 1, False), ('T', '第', 1, False), ('T', '3', 1, False), ('T', '附件', 1, False), ('T', '4', 1, False), ('T', '附表', 1, False), ('T', '5', 1, False)]),
    (['a 3200000326.属于'], [('T', 'a', 1, False), ('V', '320000032', 1, False), ('T', '6', 1, False), ('T', '.属于', 1, False)]),
    (['a\t2.\t3'], [('T', 'a', 1, True), ('M', '2', 1, True), ('V', '3', 1, True)]),
    (['a 123.其他'], [('T', 'a', 1, False), ('V', '12', 1, False), ('T', '3', 1, False), ('T', '.其他', 1, False)]),
    (['a 5+6.属于'], [('T', 'a', 1, False), ('V', '5', 1, False), ('S', '+6', 1, False), ('T', '.属于', 1, False)]),
    (['a 3,其他'], [('T', 'a', 1, False), ('T', '3', 1, False), ('T', ',其他', 1, False)]),
    (['a\t第 3\t96171. 字\t无 字\t减12 字\t1.属于 5\t3200000326.属于\t2648-18538 字\t表 4\t字 2.'], [('T', 'a', 1, True), ('T', '第', 1, True), ('T', '3', 1, True), ('U', '96171.', 1, True), ('T', '字', 1, True), ('N', '无', 1, True), ('T', '字', 1, True), ('V', '-12', 1, True), ('T', '字', 1, True), ('T', '1', 1, True), ('T', '.属于', 1, True), ('V', '5', 1, True), ('V', '320000032', 1, True), ('T', '6', 1, True), ('T', '.属于', 1, True), ('V', '2648', 1, True), ('S', '-18538', 1, True), ('T', '字', 1, True), ('T', '表', 1, True), ('T', '4', 1, True), ('T', '字', 1, True), ('M', '2', 1, True)]),
    (['a 16减12增3'], [('T', 'a', 1, False), ('V', '16', 1, False), ('V', '-12', 1, False), ('V', '+3', 1, False)]),
    (['a 减1.5'], [('T', 'a', 1, False), ('V', '-1.5', 1, False)]),
    (['a 5减3'], [('T', 'a', 1, False), ('V', '5', 1, False), ('V', '-3', 1, False)]),
    (['a 1.5减3'], [('T', 'a', 1, False), ('V', '1.5', 1, False), ('V', '-3', 1, False)]),
    (['a 5+x'], [('T', 'a', 1, False), ('V', '5', 1, False), ('T', '+x', 1, False)]),
    (['a 3+5.5'], [('T', 'a', 1, False), ('V', '3', 1, False), ('S', '+5.5', 1, False)]),
    (['a\t5\t.6'], [('T', 'a', 1, True), ('U', '5', 1, True), ('U', '.6', 1, True)]),
    (['年 5'], [('T', '年', 1, False), ('V', '5', 1, False)]),
    (['a 5年度'], [('T', 'a', 1, False), ('T', '5', 1, False), ('T', '年度', 1, False)]),
    (['a', '2019', '年'], [('T', 'a', 1, False), ('T', '2019', 2, False), ('T', '年', 3, False)]),
    (['a\t5\t件'], [('T', 'a', 1, True), ('T', '5', 1, True), ('T', '件', 1, True)]),
    (['| 5 | 6 |'], [('V', '5', 1, True), ('V', '6', 1, True)]),
    (['  | 5 | 6 |'], [('V', '5', 1, True), ('V', '6', 1, True)]),
    (['a|1|2'], [('T', 'a', 1, True), ('V', '1', 1, True), ('V', '2', 1, True)]),
    (['a 02、其他'], [('T', 'a', 1, False), ('V', '0', 1, False), ('T', '2', 1, False), ('T', '、其他', 1, False)]),
    (['a 02.其他'], [('T', 'a', 1, False), ('V', '0', 1, False), ('T', '2', 1, False), ('T', '.其他', 1, False)]),
    (['a 16减12 增3 下降4 减少5 增加6 上升7'], [('T', 'a', 1, False), ('V', '16', 1, False), ('V', '-12', 1, False), ('V', '+3', 1, False), ('V', '-4', 1, False), ('V', '-5', 1, False), ('V', '+6', 1, False), ('V', '+7', 1, False)]),
    (['a 减12'], [('T', 'a', 1, False), ('V', '-12', 1, False)]),
    (['a 2648-18538'], [('T', 'a', 1, False), ('V', '2648', 1, False), ('S', '-18538', 1, False)]),
    (['a -18538'], [('T', 'a', 1, False), ('V', '-18538', 1, False)]),
    (['a 96171. .6'], [('T', 'a', 1, False), ('U', '96171.', 1, False), ('U', '.6', 1, False)]),
    (['a 5 .6'], [('T', 'a', 1, False), ('U', '5', 1, False), ('U', '.6', 1, False)]),
    (['a 无', '正当理由'], [('T', 'a', 1, False), ('M', '无', 1, False), ('T', '正当理由', 2, False)]),
    (['a\t无', '正当理由'], [('T', 'a', 1, True), ('N', '无', 1, True), ('T', '正当理由', 2, False)]),
    (['| a | 1 | 2 |'], [('T', 'a', 1, True), ('V', '1', 1, True), ('V', '2', 1, True)]),
    (['|---|---|'], []),
    ([' :--- | --'], []),
    (['a\t\t1\t'], [('T', 'a', 1, True), ('E', '', 1, True), ('V', '1', 1, True), ('E', '', 1, True)]),
    (['\t\tb\t1'], [('T', 'b', 1, True), ('V', '1', 1, True)]),
    (['a\t3l\tO0'], [('T', 'a', 1, True), ('U', '3l', 1, True), ('U', 'O0', 1, True)]),
    (['a\t数据1\t5'], [('T', 'a', 1, True), ('T', '数据1', 1, True), ('V', '5', 1, True)]),
    (['a\t1 859\t7'], [('T', 'a', 1, True), ('U', '1 859', 1, True), ('V', '7', 1, True)]),
    (['a\t1 x\t7'], [('T', 'a', 1, True), ('V', '1', 1, True), ('T', 'x', 1, True), ('V', '7', 1, True)]),
    (['   '], []),
    (['2.'], [('M', '2', 1, False)]),
    (['a 0 0 2.'], [('T', 'a', 1, False), ('V', '0', 1, False), ('V', '0', 1, False), ('M', '2', 1, False)]),
    (['a 1. 属于'], [('T', 'a', 1, False), ('T', '1', 1, False), ('T', '.属于', 1, False)]),
    (['a 12、 其他'], [('T', 'a', 1, False), ('T', '12', 1, False), ('T', '、其他', 1, False)]),
    (['a 5万元 3.5元 -2.5'], [('T', 'a', 1, False), ('V', '5万元', 1, False), ('V', '3.5元', 1, False), ('V', '-2.5', 1, False)]),
    (['a N/A n/a —/— – －'], [('T', 'a', 1, False), ('N', 'N/A', 1, False), ('N', 'n/a', 1, False), ('N', '—/—', 1, False), ('N', '–', 1, False), ('N', '－', 1, False)]),
    (['a 1,2345'], [('T', 'a', 1, False), ('V', '1', 1, False), ('T', ',', 1, False), ('V', '2345', 1, False)]),
    (['a +05'], [('T', 'a', 1, False), ('R', '+05', 1, False)]),
    (['a 2-3'], [('T', 'a', 1, False), ('V', '2', 1, False), ('S', '-3', 1, False)]),
    (['a 1.5%'], [('T', 'a', 1, False), ('T', '1.5', 1, False), ('T', '%', 1, False)]),
    (['其他12.5期'], [('T', '其他', 1, False), ('T', '12.5', 1, False), ('T', '期', 1, False)]),
    (['a 1.2.3'], [('T', 'a', 1, False), ('V', '1.2', 1, False), ('T', '.', 1, False), ('V', '3', 1, False)]),
    (['a 0.5.1'], [('T', 'a', 1, False), ('V', '0.5', 1, False), ('T', '.', 1, False), ('V', '1', 1, False)]),
    (['a 12.属于', 'b'], [('T', 'a', 1, False), ('T', '12', 1, False), ('T', '.属于', 1, False), ('T', 'b', 2, False)]),
    (['第 3 条 5'], [('T', '第', 1, False), ('T', '3', 1, False), ('T', '条', 1, False), ('V', '5', 1, False)]),
    (['a 3.\u3000属于'], [('T', 'a', 1, False), ('T', '3', 1, False), ('T', '.属于', 1, False)]),
]


@pytest.mark.parametrize("lines,expected", CASES)
def test_tokens_of_a_line(lines, expected):
    assert [tuple(token) for token in tokenize(to_lines(lines))] == [
        (KINDS[kind], text, line, delimited) for kind, text, line, delimited in expected]


def _rows(lines):
    return [(row.label, row.line, row.delimited, [(token.kind.value, token.text, token.line) for token in row.cells],
             [token.text for token in row.printed]) for row in group_rows(tokenize(to_lines(lines)))]


def test_rows_collect_label_text_then_the_values_up_to_the_next_text():
    assert _rows(["申请人情况\t\t\t", "自然人\t1\t2", "法人 3", "4 5", "总计"]) == [
        ("申请人情况", 1, True, [("empty", "", 1)] * 3, []),
        ("自然人", 2, True, [("value", "1", 2), ("value", "2", 2)], ["1", "2"]),
        ("法人", 3, False, [("value", "3", 3), ("value", "4", 4), ("value", "5", 4)], ["3", "4", "5"]),
        ("总计", 5, False, [], [])]
    assert _rows(["5 6", "a"]) == [("", 1, False, [("value", "5", 1), ("value", "6", 1)], ["5", "6"]),
                                   ("a", 2, False, [], [])]
    assert _rows(["a", "b 1", "", "c", "\t\t2"]) == [
        ("ab", 1, False, [("value", "1", 2)], ["1"]),
        ("c", 4, True, [("empty", "", 5), ("empty", "", 5), ("value", "2", 5)], ["2"])]


def test_a_row_without_label_starts_on_its_first_value_and_a_last_label_is_joined():
    assert _rows(["", "5 6", "总 计"]) == [("", 2, False, [("value", "5", 2), ("value", "6", 2)], ["5", "6"]),
                                           ("总计", 3, False, [], [])]


def test_header_padding_on_an_earlier_line_is_not_a_blank_cell():
    assert _rows(["x\t\t", "y 1"]) == [("x", 1, True, [("empty", "", 1), ("empty", "", 1)], []),
                                       ("y", 2, False, [("value", "1", 2)], ["1"])]
    assert _rows(["x\t\t", "1 2"]) == [("x", 1, True, [("value", "1", 2), ("value", "2", 2)], ["1", "2"])]
    # the values line's own empty field before its first value is a blank cell; the padding is not
    assert _rows(["x\t\t", "\t1\t2"]) == [
        ("x", 1, True, [("empty", "", 2), ("value", "1", 2), ("value", "2", 2)], ["1", "2"])]


@pytest.mark.parametrize("line", ["规章 第 2.", "见表 3。", "附件 4、", "第 5."])
def test_a_number_after_a_caption_word_is_text_when_it_carries_punctuation(line):
    tokens = tokenize(to_lines([line]))
    assert [token.kind for token in tokens if token.text[:1].isdigit()] == [Kind.text]


def test_table_chars_counts_what_can_be_a_token():
    assert table_chars(to_lines(["a b c", "\t|", "  "])) == 5
