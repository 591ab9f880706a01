"""Issue 15, mutation testing: the reading families of readings.py and rows.py, value by value.

(test_readings.py compares `splits` with a definition built on the same cutting code, so it cannot see
a change to how one token is cut; these pin the cuts themselves.)"""
from __future__ import annotations

import pytest

from xxgk.parsing.cells import group_rows, tokenize
from xxgk.parsing.readings import (TooManyReadings, expansions, lenient_sum_holds, merge, number_too_long,
                                   placements, splits)
from xxgk.parsing.rows import Damage, parse, row_readings
from xxgk.parsing.sections import to_lines


@pytest.mark.parametrize("tokens,width,expected", [
    (["-20"], 2, [(-2, 0)]),            # the sign belongs to the first number of the run
    (["+20"], 2, [(2, 0)]),
    (["-20"], 1, [(-20,)]),
    (["-1.5"], 1, [(-1.5,)]),
    (["/", "12"], 3, [(None, 1, 2)]),    # a blank marker is one blank cell
    (["/", "12"], 2, [(None, 12)]),     # and never none or two
    (["—", "05"], 3, [(None, 0, 5)]),
    (["00"], 2, [(0, 0)]),
    (["012"], 2, [(0, 12)]),
    (["0012"], 3, [(0, 0, 12)]),
    (["105"], 2, [(10, 5)]),             # `1` and `05`: a leading zero is no number
    (["1.50"], 2, [(1.5, 0)]),
    (["12.5"], 2, [(1, 2.5)]),           # a decimal point stays inside one number
    (["1.5.2"], 2, []),
    (["0.5"], 2, []),
    (["1234567890123450"], 2, [(1, 234567890123450), (12, 34567890123450), (123, 4567890123450),
                                (1234, 567890123450), (12345, 67890123450), (123456, 7890123450),
                                (1234567, 890123450), (12345678, 90123450), (1234567890, 123450),
                                (12345678901, 23450), (123456789012, 3450), (1234567890123, 450),
                                (12345678901234, 50), (123456789012345, 0)]),  # at most 15 digits a number
    (["1234567890123456"], 1, []),       # 16 digits: no count
    (["12", "34"], 3, [(12, 3, 4), (1, 2, 34)]),
    (["12", "34"], 4, [(1, 2, 3, 4)]),
    (["12", "34"], 5, []),
])
def test_splits_cut_each_token_into_valid_numbers(tokens, width, expected):
    assert splits(tokens, width) == expected


def test_splits_with_many_cuts_give_every_one_each_time():
    assert len(splits(["1" * 12], 4)) == 165  # C(11, 3): more cuts than a cache entry holds
    assert len(splits(["1" * 12], 4)) == 165
    assert splits(["111"], 2) == [(1, 11), (11, 1)]
    assert [len(splits([str(number)], 1)) for number in range(10_000, 15_000)] == [1] * 5000  # a full cache


def test_splits_refuse_more_readings_or_steps_than_their_bounds():
    with pytest.raises(TooManyReadings, match=r"^up to 211915132 splits$"):
        splits(["1" * 40], 10)
    with pytest.raises(TooManyReadings, match=r"^over 20000 splits$"):
        splits(["1" * 22], 15)
    with pytest.raises(TooManyReadings, match=r"^over 20000 splits$"):  # C(24, 8) = 735471: under the first bound
        splits(["1" * 25], 9)
    assert splits([], 2) == []


def test_placements_and_their_bound():
    assert placements([1], [True, False], 3) == [(1, None, None), (None, 1, None), (None, None, 1)]  # too few gaps
    assert placements([5], [True, True, True, False], 2) == [(None, 5)]
    assert placements([], [True, True, True], 2) == [(None, None)]
    assert placements([], [True, True], 1) == [(None,)]
    assert placements([7, 8], [False, True, False, True], 3) == [(7, None, 8)]
    assert placements([7, 8], [True, False, True, False, True], 3) == [(7, None, 8)]
    assert placements([7], [True, False, True], 2) == [(None, 7), (7, None)]
    with pytest.raises(TooManyReadings, match=r"^38760 placements$"):
        placements([1] * 14, [], 20)


def test_expansions_and_their_bound():
    assert expansions([], 3) == []
    assert expansions([1, 2, 3], 3) == [(1, 2, 3)]
    assert expansions([1, 2, 3, 4], 3) == []
    assert expansions([1, 2], 3) == [(1, 2, 2), (1, 1, 2)]
    assert len(expansions(list(range(9)), 17)) == 12870  # C(16, 8)
    with pytest.raises(TooManyReadings, match=r"^24310 expansions$"):  # C(17, 8)
        expansions(list(range(9)), 18)


def test_merge_keeps_the_cells_all_surviving_readings_agree_on():
    assert merge([], 2) == merge([], 2, lambda reading: True)
    empty = merge([], 2)
    assert (empty.values, empty.disputed, empty.readings, empty.consistent) == ([None, None], [0, 1], 0, True)
    single = merge([(1, 2)], 2, lambda reading: False)
    assert (single.values, single.disputed, single.readings, single.consistent) == ([1, 2], [], 1, True)
    kept = merge([(1, 2), (1, 3), (4, 3)], 2, lambda reading: reading[1] == 3)
    assert (kept.values, kept.disputed, kept.readings, kept.consistent) == ([None, 3], [0], 2, True)
    none = merge([(1, 2), (1, 3)], 2, lambda reading: False)
    assert (none.values, none.disputed, none.readings, none.consistent) == ([1, None], [1], 2, False)
    free = merge([(1, 2), (1, 3)], 2)
    assert (free.values, free.disputed, free.readings, free.consistent) == ([1, None], [1], 2, True)


def test_lenient_sums_and_long_numbers():
    assert lenient_sum_holds([1, None, 2], 3) and lenient_sum_holds([5], None)
    assert not lenient_sum_holds([1, None, 2], 4) and not lenient_sum_holds([None], 1)
    assert lenient_sum_holds([None, None], 0)
    assert not number_too_long("1" * 15) and number_too_long("1" * 16)
    assert not number_too_long("1" * 15 + ".")  # 16 characters, 15 digits
    assert not number_too_long("-" + "1" * 15)


def _row(*texts: str):
    return group_rows(tokenize(to_lines(list(texts))))[0]


@pytest.mark.parametrize("texts,width,damage,expected", [
    (("属于国家秘密", "0", "2.", "其他法律"), 2, Damage(), ([(0, 2), (0, None), (None, 0)], "insertions")),
    (("属于国家秘密 5 2.", "其他法律"), 2, Damage(), ([(5, 2), (5, None), (None, 5)], "insertions")),
    (("属于国家秘密 无", "正当理由"), 1, Damage(), ([(None,)], "insertions")),
    (("行政处罚2648-18538",), 2, Damage(), ([(2648, -18538), (2648, 18538)], "roles")),
    (("行政处罚2648-18538",), 3, Damage(), ([(2648, -18538, None), (2648, None, -18538), (None, 2648, -18538),
                                          (2648, 18538, None), (2648, None, 18538), (None, 2648, 18538)],
                                         "insertions")),
    (("属于国家秘密\t5\t\t", "2.", "其他"), 3, Damage(), ([(5, None, None)], "roles")),
    (("行政处罚\t5\t\t7",), 3, Damage(), ([(5, None, 7)], "windows")),
    (("a 1 2 3",), 3, Damage(), ([(1, 2, 3)], "printed")),
    (("a 1 2",), 3, Damage(), ([(1, 2, None), (1, None, 2), (None, 1, 2)], "insertions")),
    (("a 1 2",), 3, Damage(collapsed=True), ([(1, 2, 2), (1, 1, 2)], "expansions")),
    (("a 1 / 2",), 3, Damage(collapsed=True), ([(1, None, 2)], "printed")),
    (("a 12",), 2, Damage(glued=True), ([(1, 2)], "splits")),
    (("a\t12",), 2, Damage(glued=True), ([(12, None), (None, 12)], "insertions")),  # delimited: not glued
    (("a 012",), 2, Damage(), ([(0, 12)], "splits")),
    (("a 012 5元",), 3, Damage(), ([(0, 12, 5)], "splits")),
    (("a\t5\t\t\t",), 4, Damage(), ([(5, None, None, None)], "windows")),
    (("a 1.5万元 3元",), 2, Damage(), ([(1.5, 3)], "printed")),
    (("a 1 2 3",), 2, Damage(), ([], "too many")),
    (("a 012 3 4",), 3, Damage(), ([], "splits")),  # as many tokens as cells, but `012` is no one number
])
def test_row_readings_by_family(texts, width, damage, expected):
    assert row_readings(_row(*texts), width, damage) == expected


def test_roles_are_bounded_at_64_combinations():
    six = _row("a 1-1-1-1-1-1-1")  # six dashes after digits: a sign or a separator each
    readings, family = row_readings(six, 7, Damage())
    assert (len(readings), family) == (64, "roles")
    assert (1, -1, -1, -1, -1, -1, -1) in readings and (1, 1, 1, 1, 1, 1, 1) in readings
    with pytest.raises(TooManyReadings, match=r"^7 tokens of two possible roles$"):
        row_readings(_row("a 1-1-1-1-1-1-1-1"), 8, Damage())


def test_roles_stop_past_max_readings():
    row = _row("a 1 2 3 4 5 6 7 2.", "其他")  # 12,870 placements with `2.` as a cell, 11,440 without
    with pytest.raises(TooManyReadings, match=r"^over 20000 readings of token roles$"):
        row_readings(row, 16, Damage())


def test_parse_reads_printed_cells():
    tokens = tokenize(to_lines(["a 12 1.5 3元 2.5万元 / -4"]))
    assert [parse(token) for token in tokens[1:]] == [12, 1.5, 3, 2.5, None, -4]
    assert [type(parse(token)) for token in tokens[1:]] == [int, float, int, float, type(None), int]
