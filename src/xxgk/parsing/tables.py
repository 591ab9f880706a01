"""Stage 5c, read tables: a matched row's readings, pruned by its rules, settled into values.

Each row's printed cells give a set of readings (rows.py, readings.py); the row's own arithmetic and,
for table 三, the column rules across rows prune them; only cells every surviving reading agrees on
keep a value. Cells left null because they could not be determined are listed in `Table.unknown`, so
the validator does not mistake them for blank cells. The tables themselves: active_table.py (二),
requests_table.py (三), review_table.py (四).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

from xxgk.templates.spec import Equation, Row as RowSpec
from xxgk.parsing.cells import Kind, RawRow, Token
from xxgk.parsing.continued import joined
from xxgk.report.findings import Finding, finding
from xxgk.parsing.readings import (NumberOutOfRange, Reading, TooManyReadings, UnreadableCell, Value, merge,
                                   number_too_long)
from xxgk.parsing.row_labels import label_tail
from xxgk.parsing.rows import Damage, parse, row_readings
from xxgk.report.model import ExtraRow


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
    extra: list[ExtraRow] = field(default_factory=list)  # rows with a label of their own the template lacks


@dataclass
class Row:
    spec: RowSpec
    raw: RawRow
    key: str                      # dotted key of the row, for findings
    readings: list[Reading]
    printed: int
    consistent: bool = True
    family: str = "printed"
    complete: bool = True  # False when reading stopped early: more readings exist than `readings` holds
    certain: bool = True   # one reading before any rule: the cell boundaries are not in doubt
    unchecked: tuple[int, ...] = ()  # cells of a rule that pruned readings without checking them (总计 blank)


def read_row(raw: RawRow, spec: RowSpec, key: str, damage: Damage, rule, table: Table,
             joint: bool = False) -> Row | None:
    """The row's readings after its own rule; None (and a finding) when it has none at all.

    `joint` rows take part in rules across rows later, so all their surviving readings are kept.
    """
    width = len(spec.fields)
    if damage.guessed_fields:
        table.findings.append(finding("ambiguous_cells", f"the row prints {len(raw.printed)} of its {width} cells in "
                                      "a table whose fields a converter guessed (several numbers in one field): "
                                      "which field is which cell is not known, so its cells are null",
                                      key=key, line=raw.line, detail_zh="表格的栏位由转换工具推测，无法确定各数字所在单元格"))
        return None
    if raw.continued is not None:
        return _read_continued(raw, spec, key, damage, rule, table, joint)
    try:
        readings, family = row_readings(raw, width, damage)
    except UnreadableCell as error:
        table.findings.append(finding("unreadable_cell", f"the row prints {error}; its cells are null",
                                      key=key, line=raw.line))
        return None
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
    # Cell boundaries are certain only in delimited rows (tabs, pipes, HTML cells) and in a digit run
    # with exactly one valid split: there a failing rule is the report's own, and the printed values
    # are kept for the validator to report. Elsewhere a failing rule is evidence against the reading.
    # A row of several runs whose one split fails the rule is not certain: spaces the page kept between
    # its cells, split past them, can give one split only because a cell was lost (`23 0 0 023` for
    # 23 0 0 0 0 0 23 splits only as 2 3 0 0 0 2 3).
    # Nor is a single run's one split when the table drops its blank cells: `258 12 _ _ _ 1 1` glued is
    # `2581211`, seven digits for seven cells.
    certain = len(readings) == 1 and (raw.delimited and not damage.wrapped_fields or family == "splits" and (
        len(raw.printed) == 1 and not damage.blanks_dropped or rule is None or rule(readings[0])))
    if not certain and any(token.text[:1] in "+-" for token in raw.printed):  # rows without a rule too
        readings = _possible(readings, spec, raw.printed if family != "splits" else [])
        if not readings:
            plus = any(token.text[:1] == "+" for token in raw.printed)
            table.findings.append(finding("ambiguous_cells", "every reading of the row's printed cells gives a "
                                          f"negative count{', or a count read from a number printed with a plus sign' if plus else ''}; "
                                          "its cells are null", key=key, line=raw.line,
                                          detail_zh="每种读法都会把负数或带加号的数字放进计数的单元格"))
            return None
    if certain or rule is None:
        return Row(spec, raw, key, readings, len(raw.printed), True, family, certain=certain)
    complete = True
    if family == "insertions" and not joint:
        surviving, complete = _until_all_disputed(readings, rule, width)
    else:
        surviving = [reading for reading in readings if rule(reading)]
    return Row(spec, raw, key, surviving or readings, len(raw.printed), bool(surviving), family, complete,
               certain=False, unchecked=_unchecked_cells(surviving, readings, rule))


def _read_continued(raw: RawRow, spec: RowSpec, key: str, damage: Damage, rule, table: Table,
                    joint: bool) -> Row | None:
    """A delimited row with a row of numbers under it (continued.py): read as printed and joined with
    that row; the one reading of the two that holds the row's rule while the other does not is kept
    (not as certain: its cell boundaries were in doubt); else its cells are null."""
    trials = [read_row(candidate, spec, key, damage, rule, Table(), joint)
              for candidate in (replace(raw, continued=None), joined(raw, raw.continued)) if candidate is not None]
    holding = [row for row in trials if row is not None and rule is not None and any(map(rule, row.readings))]
    if len(holding) == 1 and len(trials) == 2:
        holding[0].certain = False
        return holding[0]
    table.findings.append(finding("ambiguous_cells", "a row of numbers with no row label of its own follows this "
                                  "row: the lines of its narrow cells may have wrapped there (`98` / `7` for 987), "
                                  "and its rule does not tell which reading is right, so its cells are null",
                                  key=key, line=raw.continued.line,
                                  detail_zh="本行下面有一行没有行名的数字，可能是本行单元格中折行的数字，无法确定读法"))
    return None


def _unchecked_cells(surviving: list[Reading], readings: list[Reading], rule) -> tuple[int, ...]:
    """The cells of each row rule whose result cell (a 总计) is blank in every reading the rules kept, when
    they dropped others: the lenient rule checked nothing on those cells, so the readings dropped are not
    disproved there. A row with a padding field and a lost cell (`| 不掌握 | | 28 | 0 | 0 | 1 | 0 | 513 | |`)
    reads from its first field, breaking H2, or from its second with 总计 blank; table 四 printing 14 of
    its 15 cells keeps only the reading with the last block's 总计 blank, whichever cell of it was lost."""
    checks = getattr(rule, "checks", ())
    if not checks or not 0 < len(surviving) < len(readings):
        return ()
    return tuple(sorted({position for result, addends in checks
                         if all(reading[result] is None for reading in surviving)
                         for position in (result, *(index for index, _ in addends))}))


_NUMBERS = (Kind.value, Kind.signed)


def _possible(readings: list[Reading], spec: RowSpec, printed: list[Token] = ()) -> list[Reading]:
    """The readings without a negative number in a field that counts (only 本年增/减 may be negative), nor
    a number only a `+6` printed there gives: a plus sign marks a change, and a count column holds a
    number the row prints without one (collapsed lines `0 / +6` read as 0 +6 +6 gave 6 decisions)."""
    counts = [position for position, name in enumerate(spec.fields) if not spec.column(name).signed]
    plus = any(token.text[:1] == "+" for token in printed)
    unsigned = {abs(int(token.text)) if token.kind is Kind.maybe else abs(value) for token in printed
                if token.text[:1] != "+" and (token.kind in _NUMBERS and (value := parse(token)) is not None
                                              or token.kind is Kind.maybe and token.text.isdigit())}
    return [reading for reading in readings
            if not any((value := reading[position]) is not None and (value < 0 or plus and value not in unsigned)
                       for position in counts)]


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


def settle(rows: dict[str, Row], table: Table) -> None:
    """Merge each row's readings into values; record what stays undetermined and why."""
    for name, row in rows.items():
        fields = row.spec.fields
        merged = merge(row.readings, len(fields))
        if row.family in ("insertions", "cut"):  # no visible gap, or cut by the text's end: a blank may be lost
            merged.disputed = sorted({*merged.disputed, *(i for i, value in enumerate(merged.values) if value is None)})
        if row.unchecked:
            merged.disputed = sorted({*merged.disputed, *row.unchecked})
            for position in row.unchecked:
                merged.values[position] = None
        if not row.consistent:  # cell boundaries are in doubt and no reading adds up
            table.findings.append(finding("ambiguous_cells", "no reading of the row's printed cells satisfies its "
                                          "arithmetic, and its cell boundaries are not certain; its cells are null",
                                          key=row.key, line=row.raw.line))
            merged.values, merged.disputed = [None] * len(fields), list(range(len(fields)))
        elif merged.disputed:
            names = ("any of its cells" if len(merged.disputed) == len(fields)
                     else ", ".join(fields[position] for position in merged.disputed))
            table.findings.append(finding(
                "missing_cells" if row.printed < len(fields) else "ambiguous_cells",
                f"the row prints {row.printed} value(s) for {len(fields)} cells and "
                f"{'' if row.complete else 'at least '}{merged.readings} readings remain possible; cannot place "
                f"{names} with certainty, so they are null", key=row.key,
                line=row.raw.line, keys=[f"{row.key}.{fields[position]}" for position in merged.disputed],
                detail_zh=f"印出{row.printed}个数值，模板有{len(fields)}格；为空值的是"
                          + "、".join(row.spec.column(fields[position]).label for position in merged.disputed)))
        keys = _cell_keys(name, fields)
        for position, value in enumerate(merged.values):
            if type(value) is float and not row.spec.column(fields[position]).decimal:
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


def mark_missing(table: Table, section: str, spec: RowSpec, line: int | None = None) -> None:
    """A template row the table lacks: null cells, undeterminable, pinned to the table's first line."""
    table.findings.append(finding("missing_row", f"row {spec.key} was not found or could not be read; "
                                  "its cells are null", key=f"{section}.{spec.key}", line=line))
    for field_name in spec.fields:
        table.values[f"{spec.key}.{field_name}"] = None
        table.unknown.add(f"{spec.key}.{field_name}")




@functools.lru_cache(maxsize=256)
def row_rule(equations: tuple[Equation, ...], fields: tuple[str, ...]):
    """A row's own rules as a check of one reading (lenient: a null addend counts as 0, a null result
    cannot fail); `fields` names the reading's cells as the equations do (`granted.total`)."""
    index = {name: position for position, name in enumerate(fields)}
    checks = tuple((index[equation.result], tuple((index[key], sign) for key, sign in equation.addends))
                   for equation in equations)

    def holds(reading: Reading) -> bool:
        for result, addends in checks:
            total = reading[result]
            if total is not None and sum(sign * reading[position] for position, sign in addends
                                         if reading[position] is not None) != total:
                return False
        return True
    holds.checks = checks  # type: ignore[attr-defined]
    return holds


def extra_rows(raws: list[RawRow], section: str, findings: list[Finding]) -> list[ExtraRow]:
    """Rows the template does not have, as printed, each with a finding; their numbers only where the
    cell boundaries are certain (delimited cells: with no width and no rule to check them against, a
    number in running text may be the digits of several cells)."""
    result = []
    for raw in raws:
        cells = [token.text for token in raw.printed]
        plain = all(token.kind in (Kind.value, Kind.null) and not number_too_long(token.text) for token in raw.printed)
        values = [parse(token) for token in raw.printed] if plain and raw.delimited else None
        label = label_tail(raw.label).strip()
        result.append(ExtraRow(table=section, label=label, line=raw.line, cells=cells, values=values))
        findings.append(finding("extra_row", f"the row '{label[-30:]}' is not a row of the template; its label and "
                                f"{'numbers' if values is not None else 'cells (as text: their boundaries are not certain)'}"
                                " are kept in extra_rows", key=section, line=raw.line, detail_zh=f"行标签：{label[-30:]}"))
    return result
