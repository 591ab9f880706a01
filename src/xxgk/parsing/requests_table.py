"""Stage 5c, table 三 (收到和处理政府信息公开申请情况, FORMAT.md §4): 25 or 23 rows of 7 cells.

Rows are matched as in row_labels.py and read as in tables.py; then the column rules H1 and H3 prune readings across rows, and
PDF text whose labels drift away from their numbers is read in template order when every rule
holds on that reading.
"""
from __future__ import annotations

import re

from xxgk.templates import markers as tpl
from xxgk.parsing.cells import RawRow, Token, group_rows
from xxgk.report.findings import finding
from xxgk.parsing.column_rules import prune_jointly, unsatisfiable
from xxgk.parsing.readings import Value, lenient_sum_holds
from xxgk.parsing.rows import NO_DAMAGE, Damage
from xxgk.parsing.row_labels import floated, match_rows
from xxgk.parsing.tables import Row, Table, mark_missing, read_row, settle


def _request_rule(reading) -> bool:
    return lenient_sum_holds(reading[:6], reading[6])


def _column_equations(template: str, rows: dict[str, Row]) -> list[list[tuple[str, int, int]]]:
    """H1 and H3 per column, as Σ sign·cell = 0, the result cell first; only where it is printed."""
    equations = []
    leaves = tpl.RESULT_ROWS[template]
    for column in range(len(tpl.REQUEST_COLUMNS)):
        h1 = [("total_processed", column, 1), ("carried_forward", column, 1),
              ("new_received", column, -1), ("carried_over", column, -1)]
        h3 = [("total_processed", column, 1)] + [(leaf, column, -1) for leaf in leaves]
        for equation in (h1, h3):
            result = rows.get("total_processed")
            if result and all(reading[column] is not None for reading in result.readings):
                equations.append(equation)
    return equations


def read_requests(tokens: list[Token], damage: Damage = NO_DAMAGE) -> Table:
    """Table 三 (FORMAT.md §4)."""
    table = Table()
    raw_rows = group_rows(tokens)
    matched = match_rows(raw_rows, tpl.REQUEST_ROWS_ANY, "requests", table.findings)
    if not matched:
        return table
    table.found = True
    table.template = _requests_template(raw_rows, matched)
    if table.template and _labels_out_of_step(matched, table.template):
        in_order = _read_in_template_order(raw_rows, table.template, damage)
        if in_order is not None:
            return in_order
    if floated(raw_rows, tpl.REQUEST_ROWS[table.template or tpl.TEMPLATE_2021]):
        table.findings.append(finding("labels_displaced", "numbers have floated away from their row labels (text "
                                      "converted from PDF), so which row they belong to is not known; the rows "
                                      "that are not delimited are null", key="requests", line=raw_rows[0].line))
        matched = {key: row for key, row in matched.items() if row.delimited}
    rows: dict[str, Row] = {}
    for spec in tpl.REQUEST_ROWS[table.template or tpl.TEMPLATE_2021]:
        raw = matched.get(spec.key)
        row = read_row(raw, spec, f"requests.{spec.key}", damage, _request_rule, table, joint=True) if raw else None
        if row is None:
            if table.template or not spec.key.startswith("other_"):
                mark_missing(table, "requests", spec, tokens[0].line if tokens else None)
            continue
        rows[spec.key] = row
    doubtful: dict[str, set[int]] = {}
    if table.template and any(not row.certain for row in rows.values()):
        readings = {name: row.readings for name, row in rows.items()}
        equations = _column_equations(table.template, rows)
        if any(len(row.readings) > 1 for row in rows.values()):
            prune_jointly(readings, equations)
        for name, row in rows.items():
            row.readings = readings[name]
        doubtful = _doubtful_cells(unsatisfiable(readings, equations), rows)
    settle(rows, table)
    _drop_doubtful(table, rows, doubtful)
    return table


def _doubtful_cells(failing: list[list[tuple[str, int, int]]], rows: dict[str, Row]) -> dict[str, set[int]]:
    """Cells of damaged rows in a column rule that no reading satisfies: the readings, not the report, are
    in doubt (rows whose cell boundaries are certain keep their printed values; the validator reports them)."""
    doubtful: dict[str, set[int]] = {}
    for terms in failing:
        for name, column, _ in terms:
            if not rows[name].certain:
                doubtful.setdefault(name, set()).add(column)
    return doubtful


def _drop_doubtful(table: Table, rows: dict[str, Row], doubtful: dict[str, set[int]]) -> None:
    for name, columns in doubtful.items():
        keys = [f"{name}.{tpl.REQUEST_COLUMNS[column]}" for column in sorted(columns)]
        for key in keys:
            table.values[key] = None
        table.unknown.update(keys)
        table.findings.append(finding(
            "rule_fails_on_reading", f"the column rules (H1, H3) hold on no reading of this damaged row, so its "
            f"cells in {', '.join(tpl.REQUEST_COLUMNS[column] for column in sorted(columns))} are null",
            key=f"requests.{name}", line=rows[name].raw.line, keys=[f"requests.{key}" for key in keys]))


def _requests_template(raw_rows: list[RawRow], matched: dict[str, RawRow]) -> str | None:
    """2021 when any label names a 2021-only （六） sub-row; 2019 when （六）其他处理 carries the numbers."""
    labels = "".join(row.label for row in raw_rows)
    if any(re.search(keyword, labels) for spec in tpl.REQUEST_ROWS[tpl.TEMPLATE_2021]
           if spec.key in ("other_overdue_correction", "other_unpaid_fee") for keyword in spec.keywords):
        return tpl.TEMPLATE_2021
    if "other_handling" in matched:
        return tpl.TEMPLATE_2019
    return None


def _labels_out_of_step(matched: dict[str, RawRow], template: str) -> bool:
    return any(len(matched[spec.key].printed) != len(spec.fields) if spec.key in matched else True
               for spec in tpl.REQUEST_ROWS[template])


def _read_in_template_order(raw_rows: list[RawRow], template: str, damage: Damage) -> Table | None:
    """PDF text moves labels away from their numbers but keeps the rows' numbers in template order.

    When the section prints exactly the template's number of cells, read them row by row in
    order; keep that reading only if every hard rule (H1, H2, H3) holds on it with every cell
    printed. Otherwise return None and the label-based reading stands.
    """
    specs = tpl.REQUEST_ROWS[template]
    tokens = [token for row in raw_rows for token in row.printed]
    width = len(tpl.REQUEST_COLUMNS)
    if len(tokens) != len(specs) * width or damage.glued or damage.collapsed:
        return None
    table = Table(template=template, found=True)
    for number, spec in enumerate(specs):
        cells = tokens[number * width:(number + 1) * width]
        raw = RawRow(spec.key, cells[0].line, list(cells), printed=list(cells))
        row = read_row(raw, spec, f"requests.{spec.key}", damage, None, table)
        if row is None or not all(_request_rule(reading) for reading in row.readings):
            return None
        settle({spec.key: row}, table)
    if any(value is None for value in table.values.values()) or not _columns_hold(table.values, template):
        return None
    table.findings.append(finding("labels_displaced", "row labels and their numbers are out of step (PDF text); "
                                  "the numbers were read row by row in template order, and H1, H2 and H3 hold "
                                  "on every row and column", key="requests", line=tokens[0].line))
    return table


def _columns_hold(values: dict[str, Value], template: str) -> bool:
    for column in tpl.REQUEST_COLUMNS:
        cells = {row: values[f"{row}.{column}"] for row in ("new_received", "carried_over", "total_processed",
                                                             "carried_forward", *tpl.RESULT_ROWS[template])}
        if cells["new_received"] + cells["carried_over"] != cells["total_processed"] + cells["carried_forward"]:
            return False
        if sum(cells[row] for row in tpl.RESULT_ROWS[template]) != cells["total_processed"]:
            return False
    return True
