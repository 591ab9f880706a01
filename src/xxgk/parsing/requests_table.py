"""Stage 5c, table 三 (收到和处理政府信息公开申请情况, FORMAT.md §4): 25 or 23 rows of 7 cells.

Rows are matched as in row_labels.py and read as in tables.py; then the column rules H1 and H3 prune readings across rows, and
PDF text whose labels drift away from their numbers is read in template order when every rule
holds on that reading.
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace

from xxgk import templates
from xxgk.templates import markers as tpl
from xxgk.templates.spec import Row as RowSpec, Template
from xxgk.parsing.cells import Kind, RawRow, Token, group_rows
from xxgk.report.findings import finding
from xxgk.parsing.column_rules import prune_jointly, unsatisfiable
from xxgk.parsing.readings import Value
from xxgk.parsing.rows import NO_DAMAGE, Damage
from xxgk.parsing.row_labels import floated, label_tail, match_rows, row_index
from xxgk.parsing.tables import Row, Table, extra_rows, mark_missing, read_row, row_rule, settle

TABLE = "requests"


@functools.lru_cache(maxsize=256)
def _row_rule(template: Template, spec: RowSpec):
    """The row's own rules (H2) as a check of a reading."""
    cells = tuple(f"{spec.key}.{name}" for name in spec.fields)
    return row_rule(template.within(TABLE, cells), cells)


def _column_equations(template: Template, rows: dict[str, Row]) -> list[tuple[tuple[str, int, int], ...]]:
    """The rules across rows (H1, H3 per column) as Σ sign·cell = 0 over (row, position, sign), the
    result cell first; only where the result cell is printed."""
    return [terms for terms in _across_rows(template)
            if terms[0][0] in rows and all(reading[terms[0][1]] is not None for reading in rows[terms[0][0]].readings)]


@functools.lru_cache(maxsize=8)
def _across_rows(template: Template) -> tuple[tuple[tuple[str, int, int], ...], ...]:
    """Every rule of table 三 across rows as (row, position, sign) terms, the result cell first."""
    found = []
    for equation in template.equations_of(TABLE):
        if equation.across_rows:
            terms = []
            for key, sign in equation.terms:
                row, _, column = key.partition(".")
                terms.append((row, template.table(TABLE).row(row).fields.index(column), sign))
            found.append(tuple(terms))
    return tuple(found)


def read_requests(tokens: list[Token], damage: Damage = NO_DAMAGE) -> Table:
    """Table 三 (FORMAT.md §4)."""
    table = Table()
    raw_rows = group_rows(tokens)
    extra: list[RawRow] = []
    matched = match_rows(raw_rows, templates.any_rows(TABLE), TABLE, table.findings, extra, damage.aligned,
                         damage.text_lines, not damage.document_reader)
    if not matched and not any(item.code == "ambiguous_cells" for item in table.findings):  # rows found, all null
        return table
    table.found = True
    table.template = _requests_template(raw_rows, matched)
    if table.template and _labels_out_of_step(matched, table.template) and not _rows_reordered(raw_rows, table.template):
        in_order = _read_in_template_order(raw_rows, table.template, damage)
        if in_order is not None:
            return in_order
    template = templates.get(table.template or tpl.TEMPLATE_2021)
    damage = _blanks_dropped(damage, matched, template)
    if floated(raw_rows, template.rows(TABLE)):
        table.findings.append(finding("labels_displaced", "numbers have floated away from their row labels (text "
                                      "converted from PDF), so which row they belong to is not known; the rows "
                                      "that are not delimited are null", key="requests", line=raw_rows[0].line))
        matched = {key: row for key, row in matched.items() if row.delimited}
        extra = [row for row in extra if row.delimited]
    table.extra = extra_rows(extra, TABLE, table.findings)
    rows: dict[str, Row] = {}
    for spec in template.rows(TABLE):
        raw = matched.get(spec.key)
        row = (read_row(raw, spec, f"requests.{spec.key}", damage, _row_rule(template, spec), table, joint=True)
               if raw else None)
        if row is None:
            if table.template or not spec.key.startswith("other_"):
                mark_missing(table, "requests", spec, tokens[0].line if tokens else None)
            continue
        rows[spec.key] = row
    doubtful: dict[str, set[int]] = {}
    if table.template and any(not row.certain for row in rows.values()):
        readings = {name: row.readings for name, row in rows.items()}
        equations = _column_equations(template, rows)
        failing = unsatisfiable(readings, equations)
        # a column rule that no reading satisfies shows the table's numbers (or their reading) wrong
        # somewhere: then a rule that some readings happen to satisfy is no evidence for them
        if not failing and any(len(row.readings) > 1 for row in rows.values()):
            prune_jointly(readings, equations)
            failing = unsatisfiable(readings, equations)
        for name, row in rows.items():
            row.readings = readings[name]
        doubtful = _doubtful_cells(failing, rows)
    settle(rows, table)
    _drop_doubtful(table, rows, doubtful)
    return table


def _blanks_dropped(damage: Damage, matched: dict[str, RawRow], template: Template) -> Damage:
    """On a glued page, a row printed in fewer digits than it has cells shows that the table leaves its
    blank cells out, so a run of exactly as many digits as cells may also hide blanks."""
    if not damage.glued:
        return damage
    for spec in template.rows(TABLE):
        row = matched.get(spec.key)
        if row is not None and row.printed and sum(
                1 if token.kind is Kind.null else sum(map(str.isdigit, token.text)) for token in row.printed) < len(spec.fields):
            return replace(damage, blanks_dropped=True)
    return damage


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
        fields = rows[name].spec.fields
        keys = [f"{name}.{fields[column]}" for column in sorted(columns)]
        for key in keys:
            table.values[key] = None
        table.unknown.update(keys)
        table.findings.append(finding(
            "rule_fails_on_reading", f"the column rules (H1, H3) hold on no reading of this damaged row, so its "
            f"cells in {', '.join(fields[column] for column in sorted(columns))} are null",
            key=f"requests.{name}", line=rows[name].raw.line, keys=[f"requests.{key}" for key in keys]))


def _requests_template(raw_rows: list[RawRow], matched: dict[str, RawRow]) -> str | None:
    """The first version whose own row (one no other version has) the table names: by its label
    anywhere in the table (the 2021 （六） sub-rows), or, for a row whose label other versions print as
    a group heading (2019's （六）其他处理), by carrying numbers."""
    labels = "".join(row.label for row in raw_rows)
    for version, spec, headed in _own_rows(tuple(templates.VERSIONS.values())):
        if spec.key in matched if headed else any(re.search(keyword, labels) for keyword in spec.keywords):
            return version
    return None


@functools.lru_cache(maxsize=8)
def _own_rows(versions: tuple[Template, ...]) -> tuple[tuple[str, RowSpec, bool], ...]:
    """(version, row, whether other versions print its keyword in a label) of each version's own rows."""
    found = []
    for template in versions:
        others = [other.table(TABLE) for other in versions if other is not template and other.table(TABLE)]
        for spec in template.rows(TABLE):
            if not any(other.row(spec.key) for other in others):
                headed = any(re.search(keyword, row.label) for other in others for row in other.rows
                             for keyword in spec.keywords)
                found.append((template.version, spec, headed))
    return tuple(found)


def _labels_out_of_step(matched: dict[str, RawRow], template: str) -> bool:
    return any(len(matched[spec.key].printed) != len(spec.fields) if spec.key in matched else True
               for spec in templates.get(template).rows(TABLE))


def _rows_reordered(raw_rows: list[RawRow], template: str) -> bool:
    """Rows whose labels carry numbers of their own name the version's rows out of template order: the
    rows were printed (or scraped) in another order with their labels, not displaced from them (labels
    displaced by PDF text stay in order). Reading the numbers in template order would give each moved
    row another row's numbers, and swapping two rows keeps every column sum (H1, H3): no rule catches it."""
    specs = templates.get(template).rows(TABLE)
    last = -1
    for row in raw_rows:
        if not row.printed or (index := row_index(label_tail(row.label), specs)) is None:
            continue
        if index < last:
            return True
        last = index
    return False


def _read_in_template_order(raw_rows: list[RawRow], template: str, damage: Damage) -> Table | None:
    """PDF text moves labels away from their numbers but keeps the rows' numbers in template order.

    When the section prints exactly the template's number of cells, read them row by row in
    order; keep that reading only if every hard rule (H1, H2, H3) holds on it with every cell
    printed. Otherwise return None and the label-based reading stands.
    """
    spec_of = templates.get(template)
    specs = spec_of.rows(TABLE)
    tokens = [token for row in raw_rows for token in row.printed]
    if len(tokens) != sum(len(spec.fields) for spec in specs) or damage.glued or damage.collapsed:
        return None
    table = Table(template=template, found=True)
    start = 0
    for spec in specs:
        cells, start = tokens[start:start + len(spec.fields)], start + len(spec.fields)
        raw = RawRow(spec.key, cells[0].line, list(cells), printed=list(cells))
        row = read_row(raw, spec, f"requests.{spec.key}", damage, None, table)
        if row is None:
            return None
        settle({spec.key: row}, table)
    if any(value is None for value in table.values.values()) or not _rules_hold(table.values, spec_of):
        return None
    table.findings.append(finding("labels_displaced", "row labels and their numbers are out of step (PDF text); "
                                  "the numbers were read row by row in template order, and H1, H2 and H3 hold "
                                  "on every row and column", key="requests", line=tokens[0].line))
    return table


def _rules_hold(values: dict[str, Value], template: Template) -> bool:
    """Every rule of the table holds exactly on these values."""
    return all(sum(sign * values[key] for key, sign in equation.terms) == 0
               for equation in template.equations_of(TABLE))
