"""Issue 15, mutation testing: table 四 (read_review), value by value."""
from __future__ import annotations

from xxgk.parsing.cells import tokenize
from xxgk.parsing.review_table import read_review
from xxgk.parsing.rows import Damage
from xxgk.parsing.sections import to_lines

HEADER = "行政复议\t行政诉讼"
KEYS = [f"{block}.{name}" for block in ("review", "suit_direct", "suit_after_review")
        for name in ("upheld", "corrected", "other", "pending", "total")]
CELLS = [1, 2, 0, 0, 3, 0, 1, 0, 0, 1, 0, 0, 0, 2, 2]
BLOCKS = ["行政复议\t1\t2\t0\t0\t3", "未经复议直接起诉\t0\t1\t0\t0\t1", "复议后起诉\t0\t0\t0\t2\t2"]


def _read(lines, damage=Damage()):
    table = read_review(tokenize(to_lines(lines)), damage)
    return table, [(item.code, item.key, item.line, item.keys, item.message) for item in table.findings]


def test_one_row_of_fifteen_cells_after_the_header():
    table, findings = _read([HEADER, "结果维持\t结果纠正\t其他结果\t尚未审结\t总计", "\t".join(map(str, CELLS))])
    assert (table.found, table.values, table.unknown, table.rows, findings) == (
        True, dict(zip(KEYS, CELLS)), set(), {"review_litigation": 1}, [])


def test_printed_cells_that_break_h5_are_kept_for_the_validator():
    cells = [*CELLS[:4], 4, *CELLS[5:]]
    table, findings = _read([HEADER, "\t".join(map(str, cells))])
    assert (table.values, table.unknown, findings) == (dict(zip(KEYS, cells)), set(), [])


def test_no_header_no_table():
    table, findings = _read(["没有表头", "\t".join(map(str, CELLS))])
    assert (table.found, table.values, table.unknown, findings) == (False, {}, set(), [])


def test_a_short_row_places_only_what_h5_allows():
    # H5 keeps one reading, with the last 总计 blank; there H5 checks nothing on the last block, whose lost
    # cell may be any of its five (1 0 0 0 2 less its 0 reads as the same 14 numbers), so that block is null
    table, findings = _read([HEADER, " ".join(map(str, CELLS[:14]))])
    last = [key for key in KEYS if key.startswith("suit_after_review.")]
    assert (table.values, table.unknown) == ({**dict(zip(KEYS, CELLS)), **dict.fromkeys(last)}, set(last))
    assert findings == [("missing_cells", "review_litigation", 1, tuple(f"review_litigation.{key}" for key in last),
                         "the row prints 14 value(s) for 15 cells and 1 readings remain possible; cannot place "
                         f"{', '.join(last)} with certainty, so they are null")]


def test_three_small_tables_in_order_are_one_row():
    table, findings = _read([HEADER, *BLOCKS])
    assert (table.values, table.unknown, findings) == (dict(zip(KEYS, CELLS)), set(), [])


def test_small_tables_out_of_order_or_not_delimited_are_not_joined():
    for lines in ([HEADER, BLOCKS[0], BLOCKS[2], BLOCKS[1]], [HEADER, *(block.replace("\t", " ") for block in BLOCKS)],
                  [HEADER, BLOCKS[0], BLOCKS[1]]):
        table, findings = _read(lines)
        assert set(table.values.values()) == {None} and table.unknown == set(KEYS)
        assert [item[0] for item in findings] == ["missing_cells"]
        assert findings[0][4].startswith("the row prints 5 value(s) for 15 cells and at least ")


def test_a_row_too_damaged_to_read_is_null_with_a_finding():
    table, findings = _read([HEADER, "0" + "1" * 30])
    assert (table.found, table.values, table.unknown, table.rows) == (True, dict.fromkeys(KEYS), set(KEYS), {})
    assert findings == [("cells_run_together", "review_litigation", 1, (), "the damaged row allows up to 145422675 "
                         "splits; too many to decide, its cells are null")]


def test_small_tables_are_joined_by_their_own_headings_and_only_the_first_three_count():
    lines = [HEADER, "本机关未被起诉。" + BLOCKS[0], *BLOCKS[1:], "其他事项 9"]  # prose before a heading is no label
    table, findings = _read(lines)
    assert (table.values, table.unknown, table.rows) == (dict(zip(KEYS, CELLS)), set(), {"review_litigation": 1})
    # the fourth row is no cell of table 四: kept as a row the template does not have, its cell as text
    # (not delimited: its boundaries are not certain)
    assert [(row.label, row.cells, row.values) for row in table.extra] == [("其他事项", ["9"], None)]
    assert [item[:4] for item in findings] == [("extra_row", "review_litigation", len(lines), ())]


def test_joined_small_tables_keep_printed_cells_that_break_h5():
    blocks = [BLOCKS[0].replace("\t3", "\t4"), *BLOCKS[1:]]  # review.total 4: the report's own error
    table, findings = _read([HEADER, *blocks])
    assert (table.values, table.unknown, findings) == ({**dict(zip(KEYS, CELLS)), "review.total": 4}, set(), [])


def test_small_tables_join_only_under_the_three_headings_in_order():
    for blocks in ([BLOCKS[0], BLOCKS[1], BLOCKS[1]], [BLOCKS[1], BLOCKS[1], BLOCKS[2]]):
        table, findings = _read([HEADER, *blocks])
        assert set(table.values.values()) == {None}
        assert [item[0] for item in findings] == ["missing_cells"]
