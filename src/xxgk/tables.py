"""Stage 5c, read tables: sections 二, 三 and 四 as canonical values, with the findings they raise.

Rows are found by their label keywords in template order (template.py); each row's printed cells
give a set of readings (rows.py, readings.py); the row's own arithmetic and, for table 三, the
column rules across rows prune them; only cells every surviving reading agrees on keep a value.
Cells left null because they could not be determined are listed in `Table.unknown`, so the
validator does not mistake them for blank cells.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from . import template as tpl
from .caching import cache_short
from .cells import Kind, RawRow, Token, group_rows
from .findings import Finding, finding
from .normalize import unify_label
from .readings import MAX_DIGITS, NumberOutOfRange, Reading, TooManyReadings, Value, lenient_sum_holds, merge
from .rows import NO_DAMAGE, UNIT, Damage, row_readings


@dataclass
class Table:
    """One table's values under keys relative to its section (`granted.total`)."""

    template: str | None = None
    values: dict[str, Value] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)     # null because undeterminable, not blank
    rows: dict[str, int] = field(default_factory=dict)  # row key -> source line
    findings: list[Finding] = field(default_factory=list)
    found: bool = False
    unit: str | None = None


@dataclass
class Row:
    spec: tpl.RowSpec
    raw: RawRow
    key: str                      # dotted key of the row, for findings
    readings: list[Reading]
    printed: int
    consistent: bool = True
    family: str = "printed"
    complete: bool = True  # False when reading stopped early: more readings exist than `readings` holds


def _label_tail(label: str) -> str:
    """Only the words after the last sentence end can be a row label."""
    return label.rsplit("。", 1)[-1]


@functools.lru_cache(maxsize=16)
def _keyword_pattern(specs: tuple[tpl.RowSpec, ...]) -> re.Pattern:
    """All keywords of a table in one pattern; the group name tells the row (`r3`)."""
    return re.compile("|".join(f"(?P<r{index}_{number}>{keyword})" for index, spec in enumerate(specs)
                               for number, keyword in enumerate(spec.keywords)))


@cache_short(maxsize=1 << 14)
def _row_index(label: str, specs: tuple[tpl.RowSpec, ...]) -> int | None:
    """The template row whose keyword ends latest in the label (short labels repeat: cached)."""
    best = None
    for hit in _keyword_pattern(specs).finditer(label):
        if best is None or hit.end() >= best.end():
            best = hit
    return None if best is None else int(best.lastgroup[1:].split("_")[0])



def match_rows(rows: list[RawRow], specs: tuple[tpl.RowSpec, ...], section: str,
               findings: list[Finding]) -> dict[str, RawRow]:
    """Each template row's raw row, by the keyword that ends latest in the label, in template order."""
    matched: dict[str, RawRow] = {}
    last = -1
    for row in rows:
        label = _label_tail(row.label)
        index = _row_index(label, specs)
        if index is None:
            if row.printed:
                findings.append(finding("unlabeled_values", f"{len(row.printed)} number(s) after "
                                        f"'{row.label[-30:]}' belong to no row of the template",
                                        key=section, line=row.line))
            continue
        if index <= last or specs[index].key in matched:
            if row.printed:
                findings.append(finding("out_of_order_row", f"row '{label[-30:]}' appears again or out of "
                                        "template order; its numbers are ignored", key=section, line=row.line))
            continue
        matched[specs[index].key] = row
        last = index
    return matched


def read_row(raw: RawRow, spec: tpl.RowSpec, key: str, damage: Damage, rule, table: Table,
             joint: bool = False) -> Row | None:
    """The row's readings after its own rule; None (and a finding) when it has none at all.

    `joint` rows take part in rules across rows later, so all their surviving readings are kept.
    """
    width = len(spec.fields)
    try:
        readings, family = row_readings(raw, width, damage)
    except NumberOutOfRange as error:
        table.findings.append(finding("number_out_of_range", f"the row prints {error}; its cells are null",
                                      key=key, line=raw.line))
        return None
    except TooManyReadings as error:
        table.findings.append(finding("cells_run_together", f"the damaged row allows {error}; too many to "
                                      "decide, its cells are null", key=key, line=raw.line))
        return None
    if not readings:
        code = "too_many_cells" if family == "too many" else "cells_run_together"
        table.findings.append(finding(code, f"the row prints {len(raw.printed)} number(s) that cannot fill its "
                                      f"{width} cells; its cells are null", key=key, line=raw.line))
        return None
    if len(readings) == 1 or rule is None:  # a single reading is what the report prints: kept as printed
        return Row(spec, raw, key, readings, len(raw.printed), True, family)
    complete = True
    if family == "insertions" and not joint:
        surviving, complete = _until_all_disputed(readings, rule, width)
    else:
        surviving = [reading for reading in readings if rule(reading)]
    return Row(spec, raw, key, surviving or readings, len(raw.printed), bool(surviving), family, complete)


def _until_all_disputed(readings: list[Reading], rule, width: int) -> tuple[list[Reading], bool]:
    """The readings that keep the rule, stopping once every cell is blank in one or differs between two.

    For a row without visible gaps such a cell stays null whatever the remaining readings say, so
    the result is the same as filtering them all (1,365 placements for 4 of 15 cells, in PDF text).
    Returns the readings kept and whether every reading was looked at.
    """
    surviving: list[Reading] = []
    first: list[Value] = [None] * width
    open_cells = set(range(width))
    for number, reading in enumerate(readings, start=1):
        if not rule(reading):
            continue
        surviving.append(reading)
        for position in list(open_cells):
            value = reading[position]
            if value is None or (len(surviving) > 1 and value != first[position]):
                open_cells.discard(position)
            else:
                first[position] = value
        if not open_cells:
            return surviving, number == len(readings)
    return surviving, True


def settle(rows: dict[str, Row], table: Table, decimal: frozenset[str] = frozenset()) -> None:
    """Merge each row's readings into values; record what stays undetermined and why."""
    for name, row in rows.items():
        fields = row.spec.fields
        merged = merge(row.readings, len(fields))
        if row.family == "insertions":  # no visible gap: a cell blank in every reading may have been lost
            merged.disputed = sorted({*merged.disputed, *(i for i, value in enumerate(merged.values) if value is None)})
        if merged.disputed:
            names = ("any of its cells" if len(merged.disputed) == len(fields)
                     else ", ".join(fields[position] for position in merged.disputed))
            table.findings.append(finding(
                "missing_cells" if row.printed < len(fields) else "ambiguous_cells",
                f"the row prints {row.printed} value(s) for {len(fields)} cells and "
                f"{'' if row.complete else 'at least '}{merged.readings} readings remain possible; cannot place "
                f"{names} with certainty, so they are null", key=row.key,
                line=row.raw.line))
        if not row.consistent:
            table.findings.append(finding("ambiguous_cells", "no reading of the printed cells satisfies the row's "
                                          "arithmetic; only cells common to all readings are kept",
                                          key=row.key, line=row.raw.line))
        keys = _cell_keys(name, fields)
        for position, value in enumerate(merged.values):
            if type(value) is float and fields[position] not in decimal:
                table.findings.append(finding("unreadable_cell", f"{fields[position]} prints the decimal {value}, "
                                              "but it is a count; it is null", key=f"{row.key}.{fields[position]}",
                                              line=row.raw.line))
                merged.values[position], merged.disputed = None, [*merged.disputed, position]
        table.values.update(zip(keys, merged.values))
        table.unknown.update(keys[position] for position in merged.disputed)
        table.rows[name] = row.raw.line


@functools.lru_cache(maxsize=256)
def _cell_keys(row: str, fields: tuple[str, ...]) -> tuple[str, ...]:
    """`granted.total`, … : the value keys of a row's cells."""
    return tuple(f"{row}.{field_name}" for field_name in fields)


def mark_missing(table: Table, section: str, spec: tpl.RowSpec, line: int | None = None) -> None:
    """A template row the table lacks: null cells, undeterminable, pinned to the table's first line."""
    table.findings.append(finding("missing_row", f"row {spec.key} was not found or could not be read; "
                                  "its cells are null", key=f"{section}.{spec.key}", line=line))
    for field_name in spec.fields:
        table.values[f"{spec.key}.{field_name}"] = None
        table.unknown.add(f"{spec.key}.{field_name}")


# --- table 二 -------------------------------------------------------------------------------------
_PROSE_FACTS = {  # (row, field): patterns whose number the prose states for that cell (2021 template)
    ("normative_documents", "issued"): r"制发(?:的|了)?(?:行政)?规范性文件(\d+)件",
    ("normative_documents", "in_force"): r"现行有效(?:的)?(?:行政)?规范性文件(\d+)件",
    ("regulations", "issued"): r"制发(?:的|了)?(?:政府)?规章(\d+)件",
    ("regulations", "in_force"): r"现行有效(?:的)?(?:政府)?规章(\d+)件",
}
_PROSE_FACTS = {key: re.compile(pattern) for key, pattern in _PROSE_FACTS.items()}


def prose_facts(text: str) -> dict[tuple[str, str], int]:
    """Figures the narrative states for section-二 cells; they decide between readings of a damaged row."""
    text = "".join(text.split())
    facts = {}
    for key, pattern in _PROSE_FACTS.items():
        found = {int(match) for match in pattern.findall(text) if len(match) <= MAX_DIGITS}
        if len(found) == 1:
            facts[key] = found.pop()
    return facts


def active_template(tokens: list[Token]) -> str | None:
    """The template whose column headers section 二 prints (two signatures: one may occur in prose)."""
    text = unify_label("".join(token.text for token in tokens if token.kind is Kind.text))
    for template in (tpl.TEMPLATE_2019, tpl.TEMPLATE_2021):
        if sum(signature in text for signature in tpl.ACTIVE_SIGNATURES[template]) >= 2:
            return template
    return None


def read_active(tokens: list[Token], damage: Damage = NO_DAMAGE, prose: str = "") -> Table:
    """Table 二 (FORMAT.md §3): no arithmetic, so a cell is kept only where a single reading exists."""
    table = Table(template=active_template(tokens))
    if table.template is None:
        return table
    table.found = True
    facts = prose_facts(prose) if table.template == tpl.TEMPLATE_2021 else {}
    matched = match_rows(group_rows(tokens), tpl.ACTIVE_ROWS[table.template], "active_disclosure",
                         table.findings)
    rows: dict[str, Row] = {}
    for spec in tpl.ACTIVE_ROWS[table.template]:
        raw = matched.get(spec.key)
        stated = {spec.fields.index(name): value for (row, name), value in facts.items() if row == spec.key}
        rule = (lambda reading, stated=stated: all(reading[index] == value for index, value in stated.items()))
        row = read_row(raw, spec, f"active_disclosure.{spec.key}", damage, rule, table) if raw else None
        if row is None:
            mark_missing(table, "active_disclosure", spec, tokens[0].line if tokens else None)
            continue
        rows[spec.key] = row
        if spec.key == "procurement":
            units = [match[1] for token in raw.printed if (match := UNIT.search(token.text))]
            table.unit = units[0] if units else None
    settle(rows, table, tpl.DECIMAL_FIELDS)
    return table


# --- table 四 -------------------------------------------------------------------------------------
def _review_rule(reading) -> bool:
    size = len(tpl.REVIEW_FIELDS)
    return all(lenient_sum_holds(reading[start:start + 4], reading[start + 4])
               for start in range(0, len(reading), size))


_REVIEW_SPEC = tpl.RowSpec("review_litigation", (),
                           tuple(f"{block}.{name}" for block in tpl.REVIEW_BLOCKS for name in tpl.REVIEW_FIELDS))


def read_review(tokens: list[Token], damage: Damage = NO_DAMAGE) -> Table:
    """Table 四 (FORMAT.md §5): the first row of numbers after the header, 15 cells."""
    table = Table()
    rows = group_rows(tokens)
    start = next((index for index, row in enumerate(rows)
                  if any(word in row.label for word in tpl.REVIEW_HEADER_WORDS)), None)
    data = next((row for row in rows[start:] if row.printed), None) if start is not None else None
    if data is None:
        return table
    table.found = True
    row = read_row(data, _REVIEW_SPEC, "review_litigation", damage, _review_rule, table)
    if row is None:
        table.values.update(dict.fromkeys(_REVIEW_SPEC.fields))
        table.unknown.update(_REVIEW_SPEC.fields)
        return table
    settle({"review_litigation": row}, table)
    table.values = {key.split(".", 1)[1]: value for key, value in table.values.items()}
    table.unknown = {key.split(".", 1)[1] for key in table.unknown}
    return table
