"""The Chinese labels of the template cells, looked up by canonical key parts (a table's row key and a
column key), as the tidy table, the workbook, the findings and the data dictionary print them.

The labels themselves are data of the templates (national.py); the column labels of table 二 depend
on the version (the 2019 and 2021 columns differ in meaning, FORMAT.md §3.3).
"""
from __future__ import annotations

from xxgk import templates
from xxgk.templates.spec import Column, Row


def table_label(table: str) -> str:
    found = next((template.table(table) for template in templates.VERSIONS.values() if template.table(table)), None)
    return found.label if found else table


def _versions(template: str | None) -> list:
    """The version named first, then every version."""
    named = templates.get(template)
    return ([named] if named else []) + list(templates.VERSIONS.values())


def _row(table: str, row: str, template: str | None) -> Row | None:
    for version in _versions(template):
        found = version.table(table).row(row) if version.table(table) else None
        if found:
            return found
    return None


def row_label(table: str, row: str, template: str | None = None) -> str:
    """The row's full label (`三（三）不予公开 5.属于三类内部事务信息`); the key when no version has it."""
    spec = _row(table, row, template)
    return spec.label if spec else row


def column(table: str, column_key: str, template: str | None = None, row: str | None = None) -> Column | None:
    """The column of that key: in the row named, or in any row of the table (the version's first)."""
    for version in _versions(template):
        for spec in version.rows(table):
            if row in (None, spec.key):
                found = next((candidate for candidate in spec.columns if candidate.key == column_key), None)
                if found:
                    return found
    return None


def column_label(table: str, column_key: str, template: str | None = None) -> str:
    found = column(table, column_key, template)
    return found.label if found else column_key


def printed_label(row: Row) -> str:
    """The row's label as the template prints it in its own cells, as a reader looks for it:
    `（三）5.属于三类内部事务信息` (the group cell and the item, without `三、本年度办理结果`), `（七）总计`,
    `一、本年新收政府信息公开申请数量`, `行政事业性收费`."""
    label = row.label
    if label.startswith("三（"):
        group, _, item = label[1:].partition(" ")
        return group[:3] + item if item else group
    return label


def printed_row_label(table: str, row: str, template: str | None = None) -> str:
    spec = _row(table, row, template)
    return printed_label(spec) if spec else row
