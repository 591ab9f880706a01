"""Stage 5c, read tables: sections 二, 三 and 四 as canonical values, with the findings they raise.

Rows are found by their label keywords in template order (template.py), their printed cells are
placed by `readings`, and only cells that every admissible reading agrees on get a value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import template as tpl
from .cells import Kind, RawRow, Token, group_rows, tokenize
from .findings import Finding, finding
from .readings import Value, lenient_sum_holds, merge, placements
from .sections import Line

_UNIT = re.compile(r"(万元|元)$")


@dataclass
class Table:
    """One table's values under keys relative to its section (`granted.total`)."""

    template: str | None = None
    values: dict[str, Value] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # row key -> source line
    findings: list[Finding] = field(default_factory=list)
    found: bool = False
    unit: str | None = None


def _label_tail(label: str) -> str:
    """Only the words after the last sentence end can be a row label."""
    return label.rsplit("。", 1)[-1]


def match_rows(rows: list[RawRow], specs: tuple[tpl.RowSpec, ...], section: str,
               findings: list[Finding]) -> dict[str, RawRow]:
    """Each template row's raw row, by the keyword that ends latest in the label, in template order."""
    matched: dict[str, RawRow] = {}
    last = -1
    for row in rows:
        label = _label_tail(row.label)
        best: tuple[int, int] | None = None  # (end position, spec index)
        for index, spec in enumerate(specs):
            for keyword in spec.keywords:
                for hit in re.finditer(keyword, label):
                    if best is None or hit.end() > best[0]:
                        best = (hit.end(), index)
        has_values = bool(row.printed)
        if best is None:
            if has_values:
                findings.append(finding("unlabeled_values", f"{len(row.printed)} number(s) after "
                                        f"'{row.label[-30:]}' belong to no row of the template",
                                        key=section, line=row.line))
            continue
        index = best[1]
        if index <= last or specs[index].key in matched:
            if has_values:
                findings.append(finding("out_of_order_row", f"row '{label[-30:]}' appears again or out of "
                                        "template order; its numbers are ignored", key=section, line=row.line))
            continue
        matched[specs[index].key] = row
        last = index
    return matched


def _parse(token: Token) -> Value:
    """A printed cell's number; a blank marker is None. Signs and decimals are checked per field."""
    if token.kind is Kind.null:
        return None
    text = _UNIT.sub("", token.text)
    return float(text) if "." in text else int(text)


def read_row(row: RawRow, fields: tuple[str, ...], key: str, rule=None,
             decimal: frozenset[str] = frozenset()) -> tuple[list[Value], list[Finding]]:
    """The row's values in template order, null where the printed cells do not fix them."""
    width = len(fields)
    printed = row.printed
    if any(token.kind is Kind.run for token in printed):
        runs = ", ".join(token.text for token in printed if token.kind is Kind.run)
        return [None] * width, [finding("cells_run_together", f"'{runs}' holds the digits of several cells "
                                        "with no separator; the row's cells are null", key=key, line=row.line)]
    if len(printed) > width:
        return [None] * width, [finding("too_many_cells", f"the row prints {len(printed)} numbers for "
                                        f"{width} cells; its cells are null", key=key, line=row.line)]
    values = [_parse(token) for token in printed]
    problems: list[Finding] = []
    slots = [cell.kind is Kind.empty for cell in row.cells] if row.delimited else []
    merged = merge(placements(values, slots, width), width, rule)
    if merged.disputed:
        names = ("any of its cells" if len(merged.disputed) == width
                 else ", ".join(fields[position] for position in merged.disputed))
        problems.append(finding(
            "missing_cells", f"the row prints {len(printed)} of {width} cells and {merged.readings} "
            f"placements remain possible; cannot place {names} with certainty, so they are null",
            key=key, line=row.line))
    if not merged.consistent:
        problems.append(finding("ambiguous_cells", "no placement of the printed cells satisfies the row's "
                                "arithmetic; only cells common to all placements are kept", key=key, line=row.line))
    for position, (name, value) in enumerate(zip(fields, merged.values)):
        if isinstance(value, float) and name not in decimal:
            problems.append(finding("unreadable_cell", f"{name} prints the decimal {value}, but it is a count; "
                                    "it is null", key=f"{key}.{name}", line=row.line))
            merged.values[position] = None
    return merged.values, problems


def _request_rule(reading) -> bool:
    return lenient_sum_holds(reading[:6], reading[6])


def read_requests(lines: list[Line]) -> Table:
    """Table 三 (FORMAT.md §4)."""
    table = Table()
    rows = group_rows(tokenize(lines))
    matched = match_rows(rows, tpl.REQUEST_ROWS_ANY, "requests", table.findings)
    if not matched:
        return table
    table.found = True
    if any(key in matched for key in ("other_overdue_correction", "other_unpaid_fee", "other_other")):
        table.template = tpl.TEMPLATE_2021
    elif "other_handling" in matched:
        table.template = tpl.TEMPLATE_2019
    specs = tpl.REQUEST_ROWS[table.template or tpl.TEMPLATE_2021]
    for spec in specs:
        row = matched.get(spec.key)
        if row is None:
            if table.template or not spec.key.startswith("other_"):
                table.findings.append(finding("missing_row", f"row {spec.key} was not found; its cells are null",
                                              key=f"requests.{spec.key}"))
            continue
        values, problems = read_row(row, spec.fields, f"requests.{spec.key}", _request_rule)
        table.findings.extend(problems)
        table.rows[spec.key] = row.line
        for column, value in zip(spec.fields, values):
            table.values[f"{spec.key}.{column}"] = value
    return table


def active_template(lines: list[Line]) -> str | None:
    """The template whose column headers section 二 prints (two signatures: one may occur in prose)."""
    text = "".join(re.sub(r"\s+", "", line.text) for line in lines)
    for template in (tpl.TEMPLATE_2019, tpl.TEMPLATE_2021):
        if sum(signature in text for signature in tpl.ACTIVE_SIGNATURES[template]) >= 2:
            return template
    return None


def read_active(lines: list[Line]) -> Table:
    """Table 二 (FORMAT.md §3): no arithmetic, so a cell is kept only where a single placement exists."""
    table = Table(template=active_template(lines))
    if table.template is None:
        return table
    table.found = True
    rows = group_rows(tokenize(lines))
    matched = match_rows(rows, tpl.ACTIVE_ROWS[table.template], "active_disclosure", table.findings)
    for spec in tpl.ACTIVE_ROWS[table.template]:
        row = matched.get(spec.key)
        if row is None:
            table.findings.append(finding("missing_row", f"row {spec.key} was not found; its cells are null",
                                          key=f"active_disclosure.{spec.key}"))
            continue
        values, problems = read_row(row, spec.fields, f"active_disclosure.{spec.key}",
                                    decimal=tpl.DECIMAL_FIELDS)
        table.findings.extend(problems)
        table.rows[spec.key] = row.line
        for name, value in zip(spec.fields, values):
            table.values[f"{spec.key}.{name}"] = value
        if spec.key == "procurement":
            units = [match[1] for token in row.printed if (match := _UNIT.search(token.text))]
            table.unit = units[0] if units else None
    return table


def _review_rule(reading) -> bool:
    size = len(tpl.REVIEW_FIELDS)
    return all(lenient_sum_holds(reading[start:start + 4], reading[start + 4])
               for start in range(0, len(reading), size))


def read_review(lines: list[Line]) -> Table:
    """Table 四 (FORMAT.md §5): the first row of numbers after the header, 15 cells."""
    table = Table()
    rows = group_rows(tokenize(lines))
    start = next((index for index, row in enumerate(rows)
                  if any(word in row.label for word in tpl.REVIEW_HEADER_WORDS)), None)
    if start is None:
        return table
    data = next((row for row in rows[start:] if row.printed), None)
    if data is None:
        return table
    table.found = True
    fields = tuple(f"{block}.{name}" for block in tpl.REVIEW_BLOCKS for name in tpl.REVIEW_FIELDS)
    values, problems = read_row(data, fields, "review_litigation", _review_rule)
    table.findings.extend(problems)
    table.rows["review_litigation"] = data.line
    table.values.update(zip(fields, values))
    return table
