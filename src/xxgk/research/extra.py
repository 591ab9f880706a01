"""`extra_rows.csv`: the rows a report prints that its template does not have (a province's own row,
the rows of a table or section a report adds), one row per printed cell.

The report JSON's `extra_rows` in the long form of cells.csv. `text` is the cell as printed; `value`
its number only where the cell boundaries are certain (delimited cells: the JSON's `values`), else
empty, like a printed blank marker (`/`, `—`), so a number here is never a guess. `row` numbers a
report's extra rows in the order printed, `position` a row's printed cells.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xxgk.research.tidy import report_head

EXTRA_ROWS_CSV = "extra_rows.csv"
EXTRA_ROW_COLUMNS = ("source.path", "source.sha256", "agency", "year", "template", "table", "row", "row_label",
                     "line", "position", "text", "value")


def extra_row_rows(data: dict, guard: Callable[[Any], Any] = lambda value: value) -> list[list[Any]]:
    """The extra_rows.csv rows of one report (its JSON data); `guard` makes printed text safe for a
    spreadsheet."""
    rows = data.get("extra_rows") or []
    if not data.get("parsed") or not rows:
        return []
    head = [*report_head(data, guard), (data.get("meta") or {}).get("template")]
    found = []
    for number, row in enumerate(rows, start=1):  # `row` numbers them: two may share a printed line
        values = row.get("values") or [None] * len(row.get("cells") or ())
        for position, (text, value) in enumerate(zip(row.get("cells") or (), values), start=1):
            found.append([*head, guard(row.get("table")), number, guard(row.get("label")), row.get("line"), position,
                          guard(text), "" if value is None else value])
    return found
