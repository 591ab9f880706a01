"""Issue 15, mutation testing: the joint pruning of column rules (Σ sign·cell = 0), value by value."""
from __future__ import annotations

from xxgk.parsing.column_rules import MAX_SUMS, prune_jointly, unsatisfiable


def _chain(links: int) -> tuple[dict, list]:
    """r0 is 1; each r(k+1) = r(k). Listed last link first, each round of pruning settles one more row."""
    readings = {"r0": [(1,)], **{f"r{k}": [(1,), (2,)] for k in range(1, links + 1)}}
    equations = [[(f"r{k + 1}", 0, 1), (f"r{k}", 0, -1)] for k in reversed(range(links))]
    return readings, equations


def test_pruning_runs_to_a_fixed_point():
    readings, equations = _chain(15)
    prune_jointly(readings, equations)
    assert readings == {f"r{k}": [(1,)] for k in range(16)}


def test_pruning_stops_after_twenty_rounds():
    readings, equations = _chain(25)
    prune_jointly(readings, equations)
    assert [k for k in range(26) if readings[f"r{k}"] == [(1,)]] == list(range(21))
    assert all(readings[f"r{k}"] == [(1,), (2,)] for k in range(21, 26))


def test_an_equation_that_cannot_be_used_does_not_stop_the_next():
    readings = {"total": [(5,)], "a": [(2,), (3,)], "b": [(3,)]}
    prune_jointly(readings, [[("missing", 0, 1), ("a", 0, -1)],        # a row without readings
                             [("total", 0, 1), ("b", 0, -1)],  # 5 = 3: the report's own numbers break it
                             [("total", 0, 1), ("a", 0, -1), ("b", 0, -1)]])
    assert readings == {"total": [(5,)], "a": [(2,)], "b": [(3,)]}


def test_blank_cells_count_as_zero_and_signs_are_kept():
    readings = {"total": [(4,), (None,)], "a": [(4,), (None,)], "b": [(0,), (1,)]}
    prune_jointly(readings, [[("total", 0, -1), ("a", 0, 1), ("b", 0, 1)]])  # a + b = total
    assert readings == {"total": [(4,), (None,)], "a": [(4,), (None,)], "b": [(0,)]}


def test_the_position_of_a_cell_in_its_row_is_used():
    readings = {"total": [(9, 3)], "a": [(3, 9), (9, 3)]}
    prune_jointly(readings, [[("total", 1, 1), ("a", 1, -1)]])
    assert readings["a"] == [(9, 3)]


def test_exactly_max_sums_partial_sums_still_prune():
    readings = {"total": [(7,)], "a": [(value,) for value in range(MAX_SUMS)]}
    prune_jointly(readings, [[("total", 0, 1), ("a", 0, -1)]])
    assert readings["a"] == [(7,)]
    readings = {"total": [(7,)], "a": [(value,) for value in range(MAX_SUMS)]}
    prune_jointly(readings, [[("a", 0, -1), ("total", 0, 1)]])  # the same sums, counted from the other end
    assert readings["a"] == [(7,)]


def test_too_many_combined_sums_prune_nothing():
    # 300 totals times 300 values of b: 90,000 > MAX_SUMS sums to hold against a, so the rule is not used
    readings = {"total": [(value,) for value in range(300)], "a": [(value,) for value in (*range(300), 10000)],
                "b": [(value,) for value in range(300)]}
    prune_jointly(readings, [[("total", 0, 1), ("a", 0, -1), ("b", 0, -1)]])
    assert len(readings["a"]) == 301
    readings["b"] = [(value,) for value in range(100)]  # 30,000 sums: used, the 10000 is dropped
    prune_jointly(readings, [[("total", 0, 1), ("a", 0, -1), ("b", 0, -1)]])
    assert readings["a"] == [(value,) for value in range(300)]


def test_unsatisfiable_names_the_equations_no_reading_keeps():
    h1 = [("total", 0, 1), ("a", 0, -1), ("b", 0, -1)]
    other = [("total", 1, 1), ("a", 1, -1)]
    assert unsatisfiable({"total": [(5, 1)], "a": [(2, 1)], "b": [(3, 0)]}, [h1, other]) == []
    assert unsatisfiable({"total": [(5, 1)], "a": [(2, 0)], "b": [(2, 0)]}, [h1, other]) == [h1, other]
    assert unsatisfiable({"total": [(5, 1)], "a": [(2, None)], "b": [(3, 0)]}, [other]) == [other]
    # several readings: failing only when no combination adds up
    assert unsatisfiable({"total": [(5, 1)], "a": [(2, 1), (1, 1)], "b": [(3, 0)]}, [h1, other]) == []
    assert unsatisfiable({"total": [(5, 1)], "a": [(9, 1), (1, 1)], "b": [(3, 0)]}, [h1, other]) == [h1]
    # a row without readings: the equation is not judged
    assert unsatisfiable({"total": [(5, 1)], "a": [], "b": [(3, 0)]}, [h1]) == []
    assert unsatisfiable({"total": [(5, 1)], "b": [(9, 0)]}, [h1, [("total", 0, 1), ("b", 0, -1)]]) == [
        [("total", 0, 1), ("b", 0, -1)]]
