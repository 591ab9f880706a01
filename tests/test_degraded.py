"""Issue 3: exact numbers from damaged rows, or null with a finding; never a guess."""
from __future__ import annotations

import time

import pytest

from xxgk.report.model import Source
from xxgk.pipeline import extract_text
from xxgk.parsing.column_rules import prune_jointly
from xxgk.parsing.readings import TooManyReadings, expansions, merge, splits
from xxgk.parsing.cells import tokenize
from xxgk.parsing.rows import Damage, page_damage
from xxgk.parsing.sections import to_lines

from .conftest import FIXTURES


def h2(reading):
    return reading[6] is None or sum(value or 0 for value in reading[:6]) == reading[6]


def h5(reading):
    return all(sum(reading[start:start + 4]) == reading[start + 4] for start in (0, 5, 10))


def test_a_digit_run_with_a_single_consistent_split_is_recovered():
    merged = merge(splits(["21710000218"], 7), 7, h2)
    assert merged.values == [217, 1, 0, 0, 0, 0, 218]


def test_section_four_run_with_one_split_satisfying_all_three_blocks():
    merged = merge(splits(["21317000001324019"], 15), 15, h5)
    assert merged.values == [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]


def test_irregular_spaces_inside_a_run():
    merged = merge(splits(["230", "000023"], 7), 7, h2)
    assert merged.values == [23, 0, 0, 0, 0, 0, 23]


def test_ambiguous_splits_stay_null():
    # 行政规范性文件 '6233440' with no arithmetic: many splits, nothing certain
    merged = merge(splits(["6233440"], 3), 3)
    assert merged.values == [None, None, None]
    assert merged.readings > 1


def test_a_stated_figure_picks_the_only_split():
    merged = merge(splits(["8855698"], 3), 3, lambda reading: reading[0] == 88 and reading[2] == 698)
    assert merged.values == [88, 55, 698]


def test_leading_zeros_are_never_a_number():
    assert all(value == 0 for reading in splits(["0000000"], 7) for value in reading)
    assert splits(["00000002"], 7) == []


def test_collapsed_runs_expand_to_the_only_consistent_row():
    merged = merge(expansions([46, 0, 46], 7), 7, h2)
    assert merged.values == [46, 0, 0, 0, 0, 0, 46]
    assert merge(expansions([0], 15), 15).values == [0] * 15


def test_collapsed_row_that_stays_ambiguous_is_null_where_readings_differ():
    merged = merge(expansions([0, 2], 3), 3)  # 0|0|2 or 0|2|2
    assert merged.values == [0, None, 2]


def test_a_row_whose_own_totals_are_wrong_is_not_forced_into_a_fixing_split():
    # '1111' as 7 cells: no split satisfies H2 (the printed total is wrong whichever way it is cut)
    readings = splits(["1", "1", "1", "1", "1", "1", "9"], 7)
    merged = merge(readings, 7, h2)
    assert merged.values == [1, 1, 1, 1, 1, 1, 9]      # the printed reading is kept as printed
    run = merge(splits(["11111119"], 7), 7, h2)
    assert not run.consistent                          # several splits, none consistent: reported
    assert run.values == [None] * 7                    # no cell is common to every split: all null


def test_columns_prune_readings_across_rows():
    readings = {"a": [(1,), (2,)], "b": [(3,)], "total": [(5,)]}
    prune_jointly(readings, [[("total", 0, 1), ("a", 0, -1), ("b", 0, -1)]])
    assert readings["a"] == [(2,)]


def test_columns_that_cannot_hold_prune_nothing():
    readings = {"a": [(1,), (2,)], "total": [(9,)]}
    prune_jointly(readings, [[("total", 0, 1), ("a", 0, -1)]])
    assert readings["a"] == [(1,), (2,)]


def test_pathological_rows_are_bounded():
    started = time.perf_counter()
    with pytest.raises(TooManyReadings):
        splits(["1" * 60], 15)
    with pytest.raises(TooManyReadings):
        splits(["12345678901234567890123456789012345678901234567890"], 7)
    assert time.perf_counter() - started < 1.0


def test_a_report_with_a_pathological_row_still_parses_with_a_finding():
    text = (FIXTURES / "reports" / "seeds" / "000_201b3c9d0f3fbc81.txt").read_text(encoding="utf-8")
    text = text.replace("一、本年新收政府信息公开申请数量\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0",
                        "一、本年新收政府信息公开申请数量\n\n" + "1" * 60 + "\n\n00", 1)
    started = time.perf_counter()
    report = extract_text(text, Source(path="x.txt"))
    assert time.perf_counter() - started < 2.0
    assert report.requests.new_received.natural_person is None
    assert any(item.code == "cells_run_together" and item.key == "requests.new_received"
               for item in report.findings)


def test_page_damage_needs_evidence_from_the_whole_page():
    assert Damage() == Damage(glued=False, collapsed=False)
    # glued: a digit run with a leading zero outside a delimited field, anywhere in the tables
    assert page_damage([], tokenize(to_lines(["本年新收 0000000"]))) == Damage(glued=True)
    assert page_damage([], tokenize(to_lines(["本年新收\t0000000"]))) == Damage()  # a delimited cell
    assert page_damage([], tokenize(to_lines(["本年新收 1 0 0"]))) == Damage()
    # collapsed: at least 40 non-blank lines, 20 of them numbers, and no two adjacent lines equal
    labels = [f"第{number}项" for number in range(20)]
    page = to_lines([text for pair in zip(labels, map(str, range(1, 21))) for text in pair])
    assert len(page) == 40 and page_damage(page, []) == Damage(collapsed=True)
    assert page_damage(page + to_lines(["", "  "]), []) == Damage(collapsed=True)  # blank lines do not count
    assert page_damage(page[:-1], []) == Damage()  # 39 lines
    assert page_damage(to_lines(["甲"]) + page[:-1], []) == Damage()  # 40 lines, 19 numbers
    assert page_damage(page + to_lines(["20"]), []) == Damage()  # a repeated line: nothing was collapsed
    assert page_damage(page + to_lines(["  20 "]), []) == Damage()  # compared without surrounding spaces
    assert page_damage(page, tokenize(to_lines(["0000"]))) == Damage(glued=True, collapsed=True)
