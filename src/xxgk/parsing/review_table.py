"""Stage 5c, table 四 (行政复议、行政诉讼情况, FORMAT.md §5): one row of fifteen cells, three blocks
of five whose 总计 is the sum of the four results (H5)."""
from __future__ import annotations

import dataclasses
import functools

from xxgk import templates
from xxgk.templates import markers as tpl
from xxgk.templates.spec import Columns, Row as RowSpec, Template
from xxgk.parsing.cells import Kind, RawRow, Token, group_rows
from xxgk.parsing.rows import NO_DAMAGE, Damage
from xxgk.parsing.row_labels import label_tail, names_another_row, numbers_of_its_own
from xxgk.parsing.tables import Table, extra_rows, read_row, row_rule, settle

TABLE = "review_litigation"


@functools.lru_cache(maxsize=8)
def _as_one_row(template: Template) -> tuple[RowSpec, object]:
    """Table 四's blocks as the one row of cells it prints (`review.upheld` … `suit_after_review.total`),
    and the blocks' rules (H5) as a check of a reading of that row."""
    blocks = template.rows(TABLE)
    columns = tuple(dataclasses.replace(column, key=f"{block.key}.{column.key}")
                    for block in blocks for column in block.columns)
    spec = RowSpec(TABLE, template.table(TABLE).label, (), Columns("ReviewRow", columns), "table 四 as one row")
    return spec, row_rule(template.within(TABLE, spec.fields), spec.fields)


def _another_row(row: RawRow, template: Template) -> bool:
    """A row after table 四's numbers with a label of its own (not the table's header words: a PDF's
    text may print those below the numbers)."""
    label = label_tail(row.label)
    words = (*tpl.REVIEW_HEADER_WORDS, *(column.label for block in template.rows(TABLE) for column in block.columns))
    return names_another_row(label, template.rows(TABLE)) and not any(word in label for word in words)


def _review_blocks(rows: list[RawRow], size: int) -> RawRow | None:
    """Table 四 printed as three small tables, one per block (复议, 未经复议直接起诉, 复议后起诉), each
    with its own heading and five cells: one row of fifteen, when the headings name the blocks in order."""
    data = [row for row in rows if row.printed][:3]
    if len(data) < 3 or any(len(row.printed) != size or not row.delimited for row in data):
        return None
    labels = [row.label.rsplit("。", 1)[-1] for row in data]
    if not ("直接起诉" in labels[1] and "复议后起诉" in labels[2] and "起诉" not in labels[0].split("诉讼")[-1]):
        return None
    cells = [cell for row in data for cell in row.cells if cell.kind is not Kind.empty]
    return RawRow(data[0].label, data[0].line, cells, True, cells)


def read_review(tokens: list[Token], damage: Damage = NO_DAMAGE, template: str | None = None) -> Table:
    """Table 四 (FORMAT.md §5): the first row of numbers after the header, 15 cells."""
    version = templates.get(template or tpl.TEMPLATE_2021)
    spec, rule = _as_one_row(version)
    table = Table()
    rows = group_rows(tokens)
    start = next((index for index, row in enumerate(rows)
                  if any(word in row.label for word in tpl.REVIEW_HEADER_WORDS)), None)
    data = next((row for row in rows[start:] if row.printed), None) if start is not None else None
    if data is None:
        return table
    at = rows.index(data)
    blocks = _review_blocks(rows[at:], len(version.rows(TABLE)[0].fields))
    data = blocks or data
    table.found = True
    after = [row for row in rows[at + (3 if blocks else 1):] if numbers_of_its_own(row) and _another_row(row, version)]
    table.extra = extra_rows(after, TABLE, table.findings)
    row = read_row(data, spec, TABLE, damage, rule, table)
    if row is None:
        table.values.update(dict.fromkeys(spec.fields))
        table.unknown.update(spec.fields)
        return table
    settle({TABLE: row}, table)
    table.values = {key.split(".", 1)[1]: value for key, value in table.values.items()}
    table.unknown = {key.split(".", 1)[1] for key in table.unknown}
    return table
