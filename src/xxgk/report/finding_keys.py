"""Findings a Chinese reader can act on: the cell keys each finding affects, and the row it names in
Chinese as the template prints it.

Run once per report after validation (pipeline.py), when the template of every table is known: a row
key such as `requests.granted` expands to that row's cells in its table's template (templates/), a
cell key stays itself, a table key to the table's cells that are null for it, a file-level finding
to none. A finding whose call site listed its cells keeps them. The message is prefixed with the
Chinese label of the row (`（三）5.属于三类内部事务信息：…`), of the cell (`（一）予以公开 自然人：…`) or
of the table, and keeps its English text, which names the keys and what xxgk did.
"""
from __future__ import annotations

from xxgk import templates
from xxgk.templates import markers as tpl
from xxgk.report.findings import CHINESE, Finding
from xxgk.templates.labels import column_label, printed_row_label, table_label

_TABLES = templates.TABLE_KEYS
# codes that name a place but leave no cell null
_NO_CELLS = frozenset({"unlabeled_values", "out_of_order_row", "missing_section", "hybrid_template"})
# codes that leave a whole table null
_WHOLE_TABLE = frozenset({"missing_table", "table_too_large"})


def _tables(table: str, template: str | None) -> list:
    """The table in that version, or in every version when it is not known."""
    named = templates.table(template, table)
    return [named] if named else [version.table(table) for version in templates.VERSIONS.values()
                                  if version.table(table)]


def row_cells(table: str, row: str, template: str | None) -> tuple[str, ...]:
    """The cell keys of one row of a table in a template (every version's when it is not known)."""
    fields = dict.fromkeys(name for found in _tables(table, template) if (spec := found.row(row))
                           for name in spec.fields)
    return tuple(f"{table}.{row}.{name}" for name in fields)


def table_cells(table: str, template: str | None) -> tuple[str, ...]:
    """The cell keys of a table in a version; in every version (in contract order) when it is not known."""
    named = templates.table(template, table)
    if named:
        return tuple(f"{table}.{cell}" for cell in named.cells)
    cells = {f"{table}.{cell}" for found in _tables(table, None) for cell in found.cells}
    return tuple(key for key in templates.canonical_keys() if key in cells)


def affected_keys(item: Finding, templates: dict[str, str | None], undetermined: list[str],
                  missing_tables: tuple[str, ...]) -> tuple[str, ...]:
    if item.keys:
        return item.keys
    if item.code == "truncated_report":
        return tuple(key for table in missing_tables for key in table_cells(table, templates.get(table)))
    if item.code in _NO_CELLS or not item.key:
        return ()
    table, _, rest = item.key.partition(".")
    if table not in _TABLES:
        return ()
    template = templates.get(table)
    if not rest:
        if item.code in _WHOLE_TABLE or table == "review_litigation":  # table 四 is one row
            return table_cells(table, template)
        return tuple(key for key in undetermined if key.startswith(f"{table}."))
    if rest.count("."):
        return (item.key,)
    return row_cells(table, rest, template)


def chinese_label(key: str | None, templates: dict[str, str | None]) -> str | None:
    """`（三）5.属于三类内部事务信息`, `（一）予以公开 自然人`, `三、收到和处理政府信息公开申请情况`, or None."""
    table, _, rest = (key or "").partition(".")
    if table in tpl.SECTION_KEYS and table not in _TABLES and not rest:  # a section without a table
        number = tpl.SECTION_KEYS.index(table)
        return f"{tpl.SECTION_NUMERALS[number]}、{tpl.SECTION_TITLES[number]}"
    if table not in _TABLES:
        return None
    if not rest:
        return table_label(table)
    row, _, column = rest.partition(".")
    label = printed_row_label(table, row, templates.get(table))
    return f"{label} {column_label(table, column)}" if column else label


def located(findings: list[Finding], templates: dict[str, str | None], undetermined: list[str],
            missing_tables: tuple[str, ...] = ()) -> list[Finding]:
    """The findings with their `keys` and the Chinese label of what they are about."""
    result = []
    for item in findings:
        keys = affected_keys(item, templates, undetermined, missing_tables)
        label = chinese_label(item.key, templates)
        message = f"{label}：{item.message}" if label and not item.message.startswith(label) else item.message
        chinese = item.message_zh or CHINESE[item.code]
        chinese = f"{label}：{chinese}" if label and not chinese.startswith(label) else chinese
        result.append(item.model_copy(update={"keys": keys, "message": message, "message_zh": chinese}))
    return result
