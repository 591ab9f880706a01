"""Issue 15, mutation testing: a row's readings through its own rule into values and findings
(tables.read_row, settle, mark_missing), cell by cell."""
from __future__ import annotations

import pytest

from xxgk.parsing.cells import group_rows, tokenize
from xxgk.parsing.rows import Damage
from xxgk.parsing.sections import to_lines
from xxgk.parsing.tables import Table, mark_missing, read_row, settle
from xxgk.templates.spec import Column, Columns, Row


def _spec(key: str, fields: tuple[str, ...], signed: tuple[str, ...] = (), decimal: tuple[str, ...] = ()) -> Row:
    """A template row whose columns are named by their keys (signed and decimal ones as given)."""
    columns = tuple(Column(name, name, name, signed=name in signed, decimal=name in decimal) for name in fields)
    return Row(key, key, (key[0],), Columns(key, columns), key)


SUM = _spec("x", ("a", "b", "total"))
SUM_WITH_DECIMALS = _spec("x", ("a", "b", "total"), decimal=("a", "total"))
FOUR = _spec("w", ("a", "b", "c", "d"))
SIGNED = _spec("fees", ("change", "decisions"), signed=("change",))


def total(reading) -> bool:
    return reading[2] is None or (reading[0] or 0) + (reading[1] or 0) == reading[2]


def printed_total(reading) -> bool:
    return reading[2] is not None and total(reading)


def _read(spec, text, rule, joint=False, damage=Damage()):
    table = Table()
    row = read_row(group_rows(tokenize(to_lines([text])))[0], spec, f"sec.{spec.key}", damage, rule, table, joint)
    if row is not None:
        settle({spec.key: row}, table)
    return row, table


def _findings(table) -> list:
    return [(item.code, item.key, item.line, item.keys, item.message) for item in table.findings]


def test_a_row_whose_values_keep_its_rule():
    row, table = _read(SUM, "x 1 2 3", total)
    assert (row.readings, row.printed, row.consistent, row.family, row.complete, row.certain) == (
        [(1, 2, 3)], 3, True, "printed", True, False)
    assert (table.values, table.unknown, table.rows, table.findings) == (
        {"x.a": 1, "x.b": 2, "x.total": 3}, set(), {"x": 1}, [])


def test_a_broken_rule_is_the_reports_own_only_where_cell_boundaries_are_certain():
    row, table = _read(SUM, "x\t1\t2\t4", total)  # tab-delimited: kept for the validator to report
    assert (row.consistent, row.certain, table.values, table.findings) == (
        True, True, {"x.a": 1, "x.b": 2, "x.total": 4}, [])
    row, table = _read(SUM, "x 012", total)  # a run with one valid split: certain too
    assert (row.readings, row.family, row.certain, table.values) == ([(0, 1, 2)], "splits", True,
                                                                     {"x.a": 0, "x.b": 1, "x.total": 2})
    row, table = _read(SUM, "x 1 2 4", total)  # spaces: the boundaries are inferred, the reading is in doubt
    assert (row.consistent, row.certain) == (False, False)
    assert (table.values, table.unknown) == (dict.fromkeys(("x.a", "x.b", "x.total")), {"x.a", "x.b", "x.total"})
    assert _findings(table) == [("ambiguous_cells", "sec.x", 1, (), "no reading of the row's printed cells "
                                 "satisfies its arithmetic, and its cell boundaries are not certain; its cells are null")]
    row, table = _read(SUM, "x 1 2 4", None)  # no rule: nothing to doubt it with
    assert (row.consistent, table.values) == (True, {"x.a": 1, "x.b": 2, "x.total": 4})


def test_a_short_row_keeps_only_the_cells_every_reading_keeping_the_rule_agrees_on():
    for joint in (False, True):
        row, table = _read(SUM, "x 2 2", printed_total, joint)  # (2, 2, _) breaks it
        assert (row.readings, row.consistent, row.family, row.complete) == (
            [(2, None, 2), (None, 2, 2)], True, "insertions", True)
        assert (table.values, table.unknown) == ({"x.a": None, "x.b": None, "x.total": 2}, {"x.a", "x.b"})
        assert _findings(table) == [("missing_cells", "sec.x", 1, ("sec.x.a", "sec.x.b"), "the row prints 2 value(s) "
                                     "for 3 cells and 2 readings remain possible; cannot place a, b with certainty, "
                                     "so they are null")]
    row, table = _read(SUM, "x 1 2", total)
    assert (table.values, table.unknown) == ({"x.a": 1, "x.b": 2, "x.total": None}, {"x.total"})
    assert _findings(table)[0][3:] == (("sec.x.total",), "the row prints 2 value(s) for 3 cells and 1 readings "
                                       "remain possible; cannot place total with certainty, so they are null")


def test_reading_stops_once_every_cell_is_in_doubt_and_says_so():
    row, table = _read(FOUR, "w 1 2", lambda reading: True)
    assert (row.readings, row.complete) == ([(1, 2, None, None), (1, None, 2, None), (1, None, None, 2),
                                             (None, 1, 2, None)], False)
    assert _findings(table) == [("missing_cells", "sec.w", 1, ("sec.w.a", "sec.w.b", "sec.w.c", "sec.w.d"),
                                 "the row prints 2 value(s) for 4 cells and at least 4 readings remain possible; "
                                 "cannot place any of its cells with certainty, so they are null")]
    row, table = _read(FOUR, "w 1 2", lambda reading: True, joint=True)  # rows of column rules keep them all
    assert (len(row.readings), row.complete) == (6, True)
    assert "and 6 readings remain possible" in table.findings[0].message
    row, table = _read(FOUR, "w 1 2", lambda reading: reading[0] is None)
    assert (row.readings, row.complete) == ([(None, 1, 2, None), (None, 1, None, 2), (None, None, 1, 2)], True)
    row, table = _read(FOUR, "w 3 3", lambda reading: reading[0] == 3)  # 3 first, then 3 anywhere after it
    assert row.readings == [(3, 3, None, None), (3, None, 3, None), (3, None, None, 3)] and row.complete
    assert (table.values, table.unknown) == ({"w.a": 3, "w.b": None, "w.c": None, "w.d": None},
                                             {"w.b", "w.c", "w.d"})


def test_reading_stops_only_when_two_readings_differ_or_a_cell_is_blank():
    kept = {(1, 2, None, None), (None, 1, 2, None)}  # b is 2, then 1: in doubt from the second reading on
    row, table = _read(FOUR, "w 1 2", lambda reading: reading in kept)
    assert (row.readings, row.complete) == ([(1, 2, None, None), (None, 1, 2, None)], False)
    assert "and at least 2 readings remain possible" in table.findings[0].message


@pytest.mark.parametrize("text,readings,values", [
    ("f 2648-18538", [(2648, 18538)], {"fees.change": 2648, "fees.decisions": 18538}),  # a dash, not -18538
    ("f -3 0", [(-3, 0)], {"fees.change": -3, "fees.decisions": 0}),
    ("f -3", [(-3, None)], {"fees.change": -3, "fees.decisions": None}),
])
def test_only_a_signed_field_may_read_negative(text, readings, values):
    row, table = _read(SIGNED, text, lambda reading: True)
    assert (row.readings, table.values) == (readings, values)


@pytest.mark.parametrize("text", ["f -3 -1", "f 5 -1"])
def test_a_row_that_can_only_read_as_a_negative_count_is_null(text):
    row, table = _read(SIGNED, text, lambda reading: True)
    assert row is None and table.values == {}
    assert _findings(table) == [("ambiguous_cells", "sec.fees", 1, (), "every reading of the row's printed cells "
                                 "gives a negative count; its cells are null")]


@pytest.mark.parametrize("text,damage,finding", [
    ("x 1 1 5 6", Damage(), ("too_many_cells", "the row prints 4 number(s) that cannot fill its 3 cells; its cells "
                                               "are null")),
    ("x 1" + "1" * 16, Damage(), ("number_out_of_range", "the row prints a number of 17 digits (at most 15 are "
                                                         "read); its cells are null")),
    ("x\t12\t3l", Damage(), ("unreadable_cell", "the row prints the cell '3l', whose number is not all there; its "
                                                "cells are null")),
    ("x 0" + "1" * 40, Damage(), ("cells_run_together", "the row prints 1 number(s) that cannot fill its 3 cells; "
                                                        "its cells are null")),  # 40 digits, 15 at most a cell
])
def test_a_row_that_cannot_be_read_is_null_with_its_reason(text, damage, finding):
    row, table = _read(SUM, text, total, damage=damage)
    assert row is None and table.values == {}
    assert _findings(table) == [(finding[0], "sec.x", 1, (), finding[1])]


def test_decimals_are_kept_only_in_decimal_fields():
    row, table = _read(SUM, "x 1.5 1 2.5", total)
    assert (table.values, table.unknown) == ({"x.a": None, "x.b": 1, "x.total": None}, {"x.a", "x.total"})
    assert _findings(table) == [
        ("unreadable_cell", "sec.x.a", 1, (), "a prints the decimal 1.5, but it is a count; it is null"),
        ("unreadable_cell", "sec.x.total", 1, (), "total prints the decimal 2.5, but it is a count; it is null")]
    row, table = _read(SUM_WITH_DECIMALS, "x 1.5 1 2.5", total)
    assert (table.values, table.unknown, table.findings) == ({"x.a": 1.5, "x.b": 1, "x.total": 2.5}, set(), [])


def test_a_missing_row_is_null_and_undeterminable():
    table = Table()
    mark_missing(table, "sec", SUM, 7)
    assert (table.values, table.unknown) == (dict.fromkeys(("x.a", "x.b", "x.total")), {"x.a", "x.b", "x.total"})
    assert _findings(table) == [("missing_row", "sec.x", 7, (), "row x was not found or could not be read; its cells "
                                 "are null")]


def test_a_row_printed_in_full_whose_cells_are_in_doubt_is_ambiguous_not_missing():
    spec = _spec("r", ("decisions", "change"), signed=("change",))
    row, table = _read(spec, "r 2648-18538", lambda reading: True)  # a minus sign, or a dash between cells
    assert (table.values, table.unknown) == ({"r.decisions": 2648, "r.change": None}, {"r.change"})
    assert _findings(table) == [("ambiguous_cells", "sec.r", 1, ("sec.r.change",), "the row prints 2 value(s) for 2 "
                                 "cells and 2 readings remain possible; cannot place change with certainty, so they "
                                 "are null")]


def test_a_row_without_a_rule_is_settled_under_its_own_key():
    row, table = _read(SUM, "x 1.5 1 2.5", None)
    assert [(item.code, item.key) for item in table.findings] == [("unreadable_cell", "sec.x.a"),
                                                                  ("unreadable_cell", "sec.x.total")]
    row, table = _read(SUM, "x 3 3", None)
    assert _findings(table) == [("missing_cells", "sec.x", 1, ("sec.x.a", "sec.x.b", "sec.x.total"), "the row prints "
                                 "2 value(s) for 3 cells and 3 readings remain possible; cannot place any of its cells "
                                 "with certainty, so they are null")]


def test_an_unreadable_cell_is_named_by_its_first_twenty_characters():
    row, table = _read(SUM, "x\t1 2 3 4 5 6 7 8 9 10 11\t5", total)
    assert row is None and _findings(table) == [("unreadable_cell", "sec.x", 1, (), "the row prints the cell "
                                                 "'1 2 3 4 5 6 7 8 9 10', whose number is not all there; its cells are null")]
