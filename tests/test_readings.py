"""The reading enumerator: where a short row's blanks can go, and what survives the arithmetic."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.parsing.readings import lenient_sum_holds, merge, placements


def row_rule(reading):
    return lenient_sum_holds(reading[:6], reading[6])


def test_a_full_row_has_one_reading():
    assert placements([1, 2, 0, 0, 0, 0, 3], [], 7) == [(1, 2, 0, 0, 0, 0, 3)]


def test_delimited_blanks_go_only_where_the_fields_are_empty():
    # seed 004: ['', 0,0,0,0,0,0, ''] -> the blank is 自然人 or 总计
    readings = placements([0] * 6, [True] + [False] * 6 + [True], 7)
    assert readings == [(None, 0, 0, 0, 0, 0, 0), (0, 0, 0, 0, 0, 0, None)]
    merged = merge(readings, 7, row_rule)
    assert merged.values == [None, 0, 0, 0, 0, 0, None]
    assert merged.disputed == [0, 6]


def test_an_interior_empty_field_is_a_certain_blank():
    readings = placements([5, 1, 6], [False, True, True, True, True, False, False], 7)
    assert readings == [(5, None, None, None, None, 1, 6)]


def test_a_row_without_visible_gaps_may_miss_any_cell():
    readings = placements([0] * 14, [], 15)
    assert len(readings) == 15
    merged = merge(readings, 15)
    assert merged.values == [None] * 15


def test_arithmetic_keeps_the_only_consistent_placement():
    # 46 and 46 printed with one of the six applicant cells known to be missing: the total must be last
    readings = placements([46, 0, 0, 0, 0, 46], [], 7)
    merged = merge(readings, 7, row_rule)
    assert merged.values[6] is None or merged.values[6] == 46
    assert all(value in (None, 0, 46) for value in merged.values)
    # leniently a blank total passes, so all seven placements survive and no cell is certain
    assert (merged.values, merged.disputed, merged.readings, merged.consistent) == ([None] * 7, list(range(7)), 7, True)
    # with the total printed, every placement puts 46 last: the total is certain, the applicants are not
    merged = merge(readings, 7, lambda reading: reading[6] is not None and row_rule(reading))
    assert (merged.values, merged.disputed, merged.readings) == ([None] * 6 + [46], list(range(6)), 6)


def test_ambiguous_placements_stay_null():
    readings = placements([3, 3], [], 3)  # (_,3,3) (3,_,3) (3,3,_): every cell is blank in one of them
    assert merge(readings, 3).values == [None, None, None]


def test_printed_numbers_that_break_the_rule_are_not_repaired():
    merged = merge([(1, 1, 0, 0, 0, 0, 5)], 7, row_rule)
    assert merged.values == [1, 1, 0, 0, 0, 0, 5]
    assert not merged.disputed


def test_no_consistent_reading_keeps_only_common_cells():
    merged = merge([(1, None, 9), (None, 1, 9)], 3, lambda reading: False)
    assert merged.values == [None, None, 9]
    assert not merged.consistent


def test_too_many_values_have_no_reading():
    assert placements([1, 2, 3], [], 2) == []


@given(values=st.lists(st.integers(0, 999), min_size=0, max_size=7), width=st.integers(1, 9))
def test_merged_values_are_always_printed_values_in_printed_order(values, width):
    merged = merge(placements(values, [], width), width, row_rule if width == 7 else None)
    kept = [value for value in merged.values if value is not None]
    assert all(value in values for value in kept)
    positions = iter(values)
    assert all(any(value == other for other in positions) for value in kept)


def _splits_by_definition(tokens: list[str], width: int) -> list[tuple]:
    """Every cut of each token into one or more valid numbers, `width` numbers in all, in order."""
    from itertools import product

    from xxgk.parsing.readings import _cuts

    per_token = [[parts for count in range(1, len(token) + 1) for parts in _cuts(token, count)] for token in tokens]
    return [sum(choice, ()) for choice in product(*per_token) if len(sum(choice, ())) == width]


@settings(deadline=None)  # what is tested is the result; on a loaded machine one example can take > 200 ms
@given(st.lists(st.text(alphabet="0123.", min_size=1, max_size=6) | st.sampled_from(["/", "-", "12", "0"]),
                min_size=1, max_size=4),
       st.integers(min_value=1, max_value=8))
def test_splits_are_every_cut_into_valid_numbers(tokens, width):
    from xxgk.parsing.readings import splits

    assert splits(tokens, width) == _splits_by_definition(tokens, width)
