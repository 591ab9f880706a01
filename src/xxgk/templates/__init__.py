"""The report templates as data: the 2019 and 2021 tables, rows, columns and rules (national.py, in the
shape of spec.py), the words that find sections and tell formats apart (markers.py), and the data
dictionary derived from them (dictionary.py).

`VERSIONS` is the registry the parser reads at every call: a template for another version or a
province's variant (a row added with `Table.with_row`) is one more entry, and nothing else changes.
"""
from __future__ import annotations

import functools

from xxgk.templates.national import TEMPLATE_2019, TEMPLATE_2021
from xxgk.templates.spec import Column, Columns, Equation, Row, Rule, Table, Template

__all__ = ["Column", "Columns", "Equation", "Row", "Rule", "Table", "Template", "VERSIONS", "TABLE_KEYS", "get",
           "table", "any_rows", "shared_columns", "rows_in_every_version", "canonical_keys", "cell_columns"]

VERSIONS: dict[str, Template] = {TEMPLATE_2021.version: TEMPLATE_2021, TEMPLATE_2019.version: TEMPLATE_2019}
TABLE_KEYS = ("active_disclosure", "requests", "review_litigation")


def get(version: str | None) -> Template | None:
    return VERSIONS.get(version or "")


def table(version: str | None, key: str) -> Table | None:
    template = get(version)
    return template.table(key) if template else None


def any_rows(key: str, versions: tuple[Template, ...] | None = None) -> tuple[Row, ...]:
    """The rows of a table in every version, in one order (to find labels before the version is known):
    a row only a later version has goes before the next row that version shares with the others."""
    return _merged_rows(key, versions or tuple(VERSIONS.values()))


@functools.lru_cache(maxsize=16)
def _merged_rows(key: str, versions: tuple[Template, ...]) -> tuple[Row, ...]:
    merged: list[Row] = []
    for template in versions:
        rows = template.rows(key)
        known = {row.key for row in merged}
        for position, row in enumerate(rows):
            if row.key in known:
                continue
            following = next((later.key for later in rows[position + 1:] if later.key in known), None)
            index = next((i for i, existing in enumerate(merged) if existing.key == following), len(merged))
            merged.insert(index, row)
            known.add(row.key)
    return tuple(merged)


def shared_columns(key: str, versions: tuple[Template, ...] | None = None) -> bool:
    """Whether a table has the same columns in every version (tables 三, 四; not 二): then one model, one
    sheet and one list of keys serve every version."""
    tables = [template.table(key) for template in versions or VERSIONS.values() if template.table(key)]
    return len({tuple(row.columns) for table in tables for row in table.rows}) == 1


def rows_in_every_version(key: str, versions: tuple[Template, ...] | None = None) -> frozenset[str]:
    """The keys of the rows of a table that every version has."""
    tables = [template.table(key) for template in versions or VERSIONS.values() if template.table(key)]
    return frozenset(row.key for row in tables[0].rows if all(table.row(row.key) for table in tables))


def canonical_keys() -> list[str]:
    """Every canonical dotted key of FORMAT.md §12, all versions, in contract order.

    A table whose columns are the same in every version lists its rows merged (any_rows); one whose
    columns differ (table 二) lists each version's cells in turn, the first version first."""
    return list(_canonical_keys(tuple(VERSIONS.values())))


@functools.lru_cache(maxsize=8)
def _canonical_keys(versions: tuple[Template, ...]) -> tuple[str, ...]:
    keys: list[str] = []
    for key in TABLE_KEYS:
        tables = [template.table(key) for template in versions if template.table(key)]
        rows = [any_rows(key, versions)] if shared_columns(key, versions) else [table.rows for table in tables]
        for group in rows:
            for row in group:
                for column in row.columns:
                    name = f"{key}.{row.key}.{column.key}"
                    if name not in keys:
                        keys.append(name)
    return tuple(keys)


def cell_columns() -> dict[str, Column]:
    """Each canonical key's column (the first version's where they differ)."""
    return _cell_columns(tuple(VERSIONS.values()))


@functools.lru_cache(maxsize=8)
def _cell_columns(versions: tuple[Template, ...]) -> dict[str, Column]:
    found: dict[str, Column] = {}
    for template in versions:
        for table in template.tables:
            for row in table.rows:
                for column in row.columns:
                    found.setdefault(f"{table.key}.{row.key}.{column.key}", column)
    return found
