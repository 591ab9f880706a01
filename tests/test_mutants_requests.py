"""Issue 15, mutation testing: table 三 read in template order when PDF text floats labels away from
their numbers, only when every rule holds on that reading (read_requests, exact values)."""
from __future__ import annotations

import random

import pytest

from xxgk.parsing.cells import tokenize
from xxgk.parsing.requests_table import read_requests
from xxgk.parsing.rows import Damage
from xxgk.parsing.sections import to_lines
from xxgk import templates

from .text_render import consistent_values, request_rows

IN_ORDER = ("row labels and their numbers are out of step (PDF text); the numbers were read row by row in "
            "template order, and H1, H2 and H3 hold on every row and column")


def _values(template: str) -> dict[str, int]:
    """Consistent table-三 values with no blank cell (a blank would not be printed at all)."""
    values = consistent_values(random.Random(5), template)
    return {key[len("requests."):]: value or 0 for key, value in values.items() if key.startswith("requests.")}


def _floated(values: dict[str, int], template: str) -> list[str]:
    """Every other row prints its cells above its label, one cell a line."""
    lines = []
    for number, (label, cells) in enumerate(request_rows({f"requests.{k}": v for k, v in values.items()}, template)):
        printed = [str(value) for value in cells]
        lines += printed + [label] if number % 2 else [label] + printed
    return lines


@pytest.mark.parametrize("template,rows", [("2021", 25), ("2019", 23)])
def test_floated_labels_are_read_in_template_order_when_every_rule_holds(template, rows):
    values = _values(template)
    assert len(values) == rows * 7 and sum(values.values()) > 0
    table = read_requests(tokenize(to_lines(_floated(values, template))))
    assert (table.template, table.found, table.values, table.unknown) == (template, True, values, set())
    assert [(item.code, item.key, item.line, item.message) for item in table.findings] == [
        ("labels_displaced", "requests", 2, IN_ORDER)]
    number_lines = [number for number, text in enumerate(_floated(values, template), start=1) if text.isdigit()]
    keys = [spec.key for spec in templates.get(template).rows("requests")]
    assert table.rows == {key: number_lines[7 * index] for index, key in enumerate(keys)}  # a row's first cell


def _broken(change: str) -> dict[str, int]:
    values = _values("2021")
    if change == "H1":  # carried_forward one more: its own total still adds up (H2), H1 does not
        values["carried_forward.natural_person"] += 1
        values["carried_forward.total"] += 1
    elif change == "H3":  # granted one more: H1 and H2 hold, the results no longer add up to （七）总计
        values["granted.natural_person"] += 1
        values["granted.total"] += 1
    else:  # H2: a row total one more than its applicants (H1 and H3 kept by moving （七） and 本年新收 too)
        for key in ("granted.total", "total_processed.total", "new_received.total"):
            values[key] += 1
    return values


@pytest.mark.parametrize("change", ["H1", "H2", "H3"])
def test_a_template_order_reading_that_breaks_a_rule_is_not_kept(change):
    table = read_requests(tokenize(to_lines(_floated(_broken(change), "2021"))))
    assert table.template == "2021" and len(table.values) == 175
    assert set(table.values.values()) == {None}  # floated and not delimited: no row can be placed
    assert IN_ORDER not in [item.message for item in table.findings]
    assert "labels_displaced" in [item.code for item in table.findings]


def test_a_template_order_reading_with_a_cell_it_cannot_read_is_not_kept():
    values = _values("2021")
    lines = _floated(values, "2021")
    lines[lines.index(str(values["granted.total"]))] = "1234567890123456"  # 16 digits: no count
    table = read_requests(tokenize(to_lines(lines)))
    assert IN_ORDER not in [item.message for item in table.findings]
    assert set(table.values.values()) == {None}


def test_a_template_order_reading_needs_exactly_the_templates_cells_and_undamaged_text():
    lines = _floated(_values("2021"), "2021")
    for tokens, damage in ((tokenize(to_lines(lines[:-1])), Damage()),  # one cell short
                           (tokenize(to_lines(lines)), Damage(collapsed=True)),
                           (tokenize(to_lines(lines)), Damage(glued=True))):
        table = read_requests(tokens, damage)
        assert IN_ORDER not in [item.message for item in table.findings]
        assert table.values["granted.natural_person"] is None


def _label_lines(values: dict[str, int | None], template: str = "2021") -> list[str]:
    """Each row's label on a line, its printed cells on the next, separated by spaces (blank cells not printed)."""
    lines = []
    for label, cells in request_rows({f"requests.{k}": v for k, v in values.items()}, template):
        lines.append(label.replace("（", "(").replace("）", ")"))  # as normalization leaves the brackets
        if cells:
            lines.append(" ".join(str(value) for value in cells if value is not None))
    return lines


def test_rows_printed_in_full_with_spaces_are_read_as_printed():
    values = _values("2021")
    table = read_requests(tokenize(to_lines(_label_lines(values))))
    assert (table.values, table.unknown, table.findings) == (values, set(), [])


def test_the_column_rules_place_the_cells_of_a_row_that_lost_a_blank():
    values = _values("2021")
    # granted: 3 requests of natural persons, moved from 不予公开 (process info) so every rule still holds
    for key, change in (("granted.natural_person", 3), ("granted.total", 3),
                        ("denied_process_info.natural_person", -3), ("denied_process_info.total", -3)):
        values[key] += change
    values["granted.commercial"] = None  # printed blank: the row shows 6 numbers for 7 cells
    table = read_requests(tokenize(to_lines(_label_lines(values))))
    granted = {key: value for key, value in table.values.items() if key.startswith("granted.")}
    # its own rule (H2) allows all 7 placements; H3 per column keeps 3 first and 3 last, the zeros stay in doubt
    assert granted == {"granted.natural_person": 3, "granted.commercial": None, "granted.research": None,
                       "granted.social_welfare": None, "granted.legal_service": None, "granted.other_org": None,
                       "granted.total": 3}
    assert table.unknown == {f"granted.{column}" for column in
                             ("commercial", "research", "social_welfare", "legal_service", "other_org")}
    assert all(table.values[key] == value for key, value in values.items() if not key.startswith("granted."))
    assert [(item.code, item.key, item.keys) for item in table.findings] == [
        ("missing_cells", "requests.granted", tuple(f"requests.{key}" for key in sorted(table.unknown,
                                                                                       key=list(values).index)))]
    assert "and 5 readings remain possible" in table.findings[0].message


def test_column_rules_no_reading_keeps_null_the_damaged_rows_cells_in_those_columns():
    values = _values("2021")
    values["carried_forward.natural_person"] += 1
    values["carried_forward.total"] += 1  # H1 fails in two columns; spaces: no row's boundaries are certain
    lines = _label_lines(values)
    table = read_requests(tokenize(to_lines(lines)))
    rows = ("total_processed", "new_received", "carried_over", "carried_forward")  # the order of the H1 equation's terms
    nulled = {f"{row}.{column}" for row in rows for column in ("natural_person", "total")}
    assert table.unknown == nulled
    assert all(table.values[key] is None if key in nulled else table.values[key] == value
               for key, value in values.items())
    message = ("the column rules (H1, H3) hold on no reading of this damaged row, so its cells in natural_person, "
               "total are null")
    # a row's line is where its label starts (new_received's label begins with the table's header, line 1)
    label_line = {"total_processed": lines.index("(七)总计") + 1, "carried_forward": lines.index("四、结转下年度继续办理") + 1,
                  "new_received": 1, "carried_over": lines.index("二、上年结转政府信息公开申请数量") + 1}
    assert [(item.code, item.key, item.line, item.keys, item.message) for item in table.findings] == [
        ("rule_fails_on_reading", f"requests.{row}", label_line[row],
         (f"requests.{row}.natural_person", f"requests.{row}.total"), message) for row in rows]


def test_a_row_whose_label_is_not_recognized_puts_the_labels_out_of_step():
    values = _values("2021")
    lines = _label_lines(values)
    lines[lines.index("(二)部分公开(区分处理的，只计这一情形，不计其他情形)")] = "某某某"
    table = read_requests(tokenize(to_lines(lines)))  # 175 numbers in template order, every rule holds
    assert (table.values, table.unknown) == (values, set())
    assert [(item.code, item.message) for item in table.findings] == [("labels_displaced", IN_ORDER)]


def test_either_2021_only_row_of_other_handling_names_the_template():
    for label in ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                  "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"):
        values = _values("2021")
        lines = _label_lines(values)
        lines[lines.index(label)] = "某某某"
        table = read_requests(tokenize(to_lines(lines)))
        assert (table.template, table.values, table.unknown) == ("2021", values, set())


PARTIAL = "(二)部分公开(区分处理的，只计这一情形，不计其他情形)"


def test_a_row_the_table_lacks_is_null_with_missing_row():
    values = _values("2021")
    lines = _label_lines(values)
    del lines[lines.index(PARTIAL):lines.index(PARTIAL) + 2]  # its label and its cells
    table = read_requests(tokenize(to_lines(lines)))
    missing = {key for key in values if key.startswith("partially_granted.")}
    assert (table.template, table.unknown) == ("2021", missing)
    assert all(table.values[key] is None if key in missing else table.values[key] == value
               for key, value in values.items())
    assert [(item.code, item.key, item.line, item.message) for item in table.findings] == [
        ("missing_row", "requests.partially_granted", 1, "row partially_granted was not found or could not be read; "
                                                         "its cells are null")]


def test_without_a_template_the_rows_of_other_handling_are_not_missing():
    values = _values("2021")
    lines = _label_lines(values)
    start = lines.index("(六)其他处理")
    lines = lines[:start] + lines[start + 7:]  # no （六） group: neither template can be told
    del lines[lines.index(PARTIAL):lines.index(PARTIAL) + 2]
    table = read_requests(tokenize(to_lines(lines)))
    assert table.template is None
    assert [(item.code, item.key) for item in table.findings] == [("missing_row", "requests.partially_granted")]
    assert not [key for key in table.values if key.startswith("other_")]
    assert all(table.values[key] == value for key, value in values.items()
               if not key.startswith(("other_", "partially_granted.")))


FLOATED = ("numbers have floated away from their row labels (text converted from PDF), so which row they belong "
           "to is not known; the rows that are not delimited are null")


def test_floated_labels_without_a_reading_in_template_order_say_so():
    table = read_requests(tokenize(to_lines(_floated(_broken("H1"), "2021"))))
    assert [(item.code, item.key, item.line, item.message) for item in table.findings
            if item.code == "labels_displaced"] == [("labels_displaced", "requests", 1, FLOATED)]
    assert [item.key for item in table.findings if item.code == "missing_row"][:2] == [
        "requests.new_received", "requests.carried_over"]
    assert {item.key for item in table.findings if item.code == "unlabeled_values"} == {"requests"}


def test_without_its_total_row_table_three_is_read_without_column_rules():
    values = _values("2021")
    lines = _label_lines(values)
    del lines[lines.index("(七)总计"):lines.index("(七)总计") + 2]
    table = read_requests(tokenize(to_lines(lines)))
    missing = {key for key in values if key.startswith("total_processed.")}
    assert table.unknown == missing
    assert all(table.values[key] is None if key in missing else table.values[key] == value
               for key, value in values.items())
    assert [(item.code, item.key) for item in table.findings] == [("missing_row", "requests.total_processed")]
