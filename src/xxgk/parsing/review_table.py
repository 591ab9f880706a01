"""Stage 5c, table 四 (行政复议、行政诉讼情况, FORMAT.md §5): one row of fifteen cells, three blocks
of five whose 总计 is the sum of the four results (H5)."""
from __future__ import annotations

from xxgk.templates import markers as tpl
from xxgk.parsing.cells import Kind, RawRow, Token, group_rows
from xxgk.parsing.readings import lenient_sum_holds
from xxgk.parsing.rows import NO_DAMAGE, Damage
from xxgk.parsing.tables import Table, read_row, settle


def _review_rule(reading) -> bool:
    size = len(tpl.REVIEW_FIELDS)
    return all(lenient_sum_holds(reading[start:start + 4], reading[start + 4])
               for start in range(0, len(reading), size))


_REVIEW_SPEC = tpl.RowSpec("review_litigation", (),
                           tuple(f"{block}.{name}" for block in tpl.REVIEW_BLOCKS for name in tpl.REVIEW_FIELDS))




def _review_blocks(rows: list[RawRow]) -> RawRow | None:
    """Table 四 printed as three small tables, one per block (复议, 未经复议直接起诉, 复议后起诉), each
    with its own heading and five cells: one row of fifteen, when the headings name the blocks in order."""
    data = [row for row in rows if row.printed][:3]
    size = len(tpl.REVIEW_FIELDS)
    if len(data) < 3 or any(len(row.printed) != size or not row.delimited for row in data):
        return None
    labels = [row.label.rsplit("。", 1)[-1] for row in data]
    if not ("直接起诉" in labels[1] and "复议后起诉" in labels[2] and "起诉" not in labels[0].split("诉讼")[-1]):
        return None
    cells = [cell for row in data for cell in row.cells if cell.kind is not Kind.empty]
    return RawRow(data[0].label, data[0].line, cells, True, cells)


def read_review(tokens: list[Token], damage: Damage = NO_DAMAGE) -> Table:
    """Table 四 (FORMAT.md §5): the first row of numbers after the header, 15 cells."""
    table = Table()
    rows = group_rows(tokens)
    start = next((index for index, row in enumerate(rows)
                  if any(word in row.label for word in tpl.REVIEW_HEADER_WORDS)), None)
    data = next((row for row in rows[start:] if row.printed), None) if start is not None else None
    if data is None:
        return table
    data = _review_blocks(rows[rows.index(data):]) or data
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
