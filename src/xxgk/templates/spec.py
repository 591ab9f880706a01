"""The shape of a template version as data: tables of rows and columns, and rules as equations.

A `Template` (national.py holds the 2019 and 2021 ones) is everything xxgk knows about one version of
the report's tables. The parser finds rows by their keywords, the readings are pruned by the rules,
the validator checks the rules, the pydantic models, the CSV columns, the data dictionary, the JSON
Schema and the README contract are all derived from it; nothing else spells a row, a label or a rule.

A rule is one equation over the cells of a table, written once with the row and column keys:
`total = natural_person + commercial + …` for every row (`each="row"`), `total_processed +
carried_forward = new_received + carried_over` for every column (`each="column"`); a name of a row
group (`results`) stands for the sum of its rows. Each instance is Σ sign·cell = 0 over concrete
cells (`Equation`), which is the form the joint pruning of readings (column_rules.py) works in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property


@dataclass(frozen=True, eq=False)
class Column:
    """A column of a table: its key, its label as the template prints it, its unit and meaning."""

    key: str
    label: str
    meaning: str
    unit: str = "件"
    signed: bool = False    # may be negative (本年增/减)
    decimal: bool = False   # may be a decimal (万元)
    cell: bool = True       # False: a property of the row read from its text (采购总金额's unit), not a cell
    values: tuple[str, ...] = ()   # the words such a property may be


@dataclass(frozen=True, eq=False)
class Columns:
    """The columns a kind of row has; `name` names its model in the JSON Schema (`RequestRow`)."""

    name: str
    columns: tuple[Column, ...]

    def __iter__(self):
        return iter(self.columns)


@dataclass(frozen=True, eq=False)
class Row:
    """One table row: its key, its label as printed, the keywords that find it, its columns.

    Compared and hashed by identity: caches key on rows and templates."""

    key: str
    label: str                   # as the template prints it: `三（三）不予公开 5.属于三类内部事务信息`
    keywords: tuple[str, ...]    # regular expressions, any of which identifies the label
    columns: Columns
    meaning: str
    item: int | None = None      # the item number printed before the label (`5.`)
    group: str | None = None     # a row group the rules may name (`results`)
    note: str | None = None      # said of the row in the JSON Schema (`2021 template only`)

    @cached_property
    def fields(self) -> tuple[str, ...]:
        """The keys of the row's cells, in print order."""
        return tuple(column.key for column in self.columns if column.cell)

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


@dataclass(frozen=True)
class Equation:
    """One instance of a rule: Σ sign·cell = 0 over cell keys relative to the table (`granted.total`).
    The first term is the rule's result, with sign +1."""

    rule: str
    subject: str                           # the row or column the instance is for
    terms: tuple[tuple[str, int], ...]
    across_rows: bool = False              # a column rule: its cells are in several rows

    @property
    def result(self) -> str:
        return self.terms[0][0]

    @property
    def addends(self) -> tuple[tuple[str, int], ...]:
        """The other cells with the sign they have when added up to the result."""
        return tuple((key, -sign) for key, sign in self.terms[1:])


@dataclass(frozen=True, eq=False)
class Rule:
    """An arithmetic rule (FORMAT.md §6.1) written once, as an equation over row or column keys."""

    name: str          # H1
    code: str          # the code of its finding when it fails
    table: str
    each: str          # "row": the equation is over the columns of every row; "column": over rows, per column
    equation: str      # `total = natural_person + commercial + …`
    meaning: str = ""  # the rule in words, as findings say it

    def sides(self) -> tuple[tuple[str, int], ...]:
        """The equation's names with their sign in Σ sign·name = 0, the result first."""
        left, _, right = self.equation.partition("=")
        terms = [(name, sign) for name, sign in _names(left)]
        terms += [(name, -sign) for name, sign in _names(right)]
        return tuple(terms)


def _names(side: str) -> list[tuple[str, int]]:
    return [(name, -1 if sign == "-" else 1) for sign, name in re.findall(r"([+-]?)\s*([a-z_]+)", side)]


@dataclass(frozen=True, eq=False)
class Table:
    """One of the report's tables in one template version."""

    key: str                        # active_disclosure, requests, review_litigation
    label: str                      # 三、收到和处理政府信息公开申请情况
    rows: tuple[Row, ...]
    signatures: tuple[str, ...] = ()   # column-header words only this version prints (table 二)

    def row(self, key: str) -> Row | None:
        return next((row for row in self.rows if row.key == key), None)

    def group(self, name: str) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.group == name)

    @cached_property
    def cells(self) -> tuple[str, ...]:
        """Every cell key of the table, relative to it (`granted.total`), in print order."""
        return tuple(f"{row.key}.{name}" for row in self.rows for name in row.fields)

    def with_row(self, row: Row, after: str) -> Table:
        """This table with one more row after row `after` (a province's variant, FORMAT.md §11)."""
        index = [existing.key for existing in self.rows].index(after) + 1
        return replace(self, rows=(*self.rows[:index], row, *self.rows[index:]))


@dataclass(frozen=True, eq=False)
class Template:
    """A template version: its tables and the rules that tie their cells."""

    version: str
    tables: tuple[Table, ...]
    rules: tuple[Rule, ...] = field(default=())

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)

    def rows(self, key: str) -> tuple[Row, ...]:
        table = self.table(key)
        return table.rows if table else ()

    def with_table(self, table: Table) -> Template:
        return replace(self, tables=tuple(table if existing.key == table.key else existing
                                          for existing in self.tables))

    def equations_of(self, table: str) -> tuple[Equation, ...]:
        """Every instance of the rules of one table (none for a table without rules)."""
        return self.equations.get(table, ())

    def within(self, table: str, cells: tuple[str, ...]) -> tuple[Equation, ...]:
        """The rule instances all of whose cells are among `cells` (a row's own rules)."""
        inside = set(cells)
        return tuple(equation for equation in self.equations_of(table) if all(key in inside for key, _ in equation.terms))

    @cached_property
    def equations(self) -> dict[str, tuple[Equation, ...]]:
        """Every instance of every rule, by table."""
        result: dict[str, list[Equation]] = {}
        for rule in self.rules:
            result.setdefault(rule.table, []).extend(_instances(rule, self.table(rule.table)))
        return {table: tuple(equations) for table, equations in result.items()}


def _instances(rule: Rule, table: Table) -> list[Equation]:
    sides = rule.sides()
    if rule.each == "row":
        return [Equation(rule.name, row.key, tuple((f"{row.key}.{name}", sign) for name, sign in sides))
                for row in table.rows if all(name in row.fields for name, _ in sides)]
    columns = table.rows[0].fields
    expanded = [(row.key, sign) for name, sign in sides
                for row in (table.group(name) or (table.row(name),)) if row is not None]
    return [Equation(rule.name, column, tuple((f"{row}.{column}", sign) for row, sign in expanded), True)
            for column in columns if all(column in table.row(row).fields for row, _ in expanded)]
