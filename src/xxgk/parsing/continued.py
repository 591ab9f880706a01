"""A delimited row continued on the table row below it: the wrapped lines of its narrow or tall cells.

Converters of PDF tables (pymupdf4llm, markitdown) make a table row of each text line of a PDF table
row, so a number that wraps inside its cell (`98` over `7`, for 987) ends in a row of its own with no
label, or with the rest of a label (`|度|（三）1.属于国家秘密|11|0|98|0|3|—|10|` over
`|办|）不|||7||||01|`). The same line may be a row whose label a converter lost. Which it is the row's
own rule decides: the row is read as printed and joined with the line below, and only a reading that
holds its rule while the other does not is kept (row_labels.match_rows finds such rows, tables.read_row
reads them).
"""
from __future__ import annotations

from dataclasses import replace

from xxgk.parsing.cells import NUMBER, Kind, RawRow, Token

_JOINABLE = (Kind.value, Kind.run, Kind.unreadable)


def joined(above: RawRow, below: RawRow) -> RawRow | None:
    """The row with each field's digits on the line below put after its own (fields matched from the
    right, the 总计 last; the line below may have more empty fields on the left); None when the fields do
    not match one to one or a field's pieces do not make one number."""
    surplus = len(below.cells) - len(above.cells)  # empty fields of label columns the row above has not
    if surplus < 0 or any(cell.kind is not Kind.empty for cell in below.cells[:surplus]):
        return None
    cells: list[Token] = []
    for top, bottom in zip(above.cells, below.cells[surplus:]):
        if bottom.kind is Kind.empty:
            cells.append(top)
        elif top.kind is Kind.empty and bottom.kind in (Kind.value, Kind.run):
            cells.append(bottom._replace(line=top.line))
        elif top.kind in _JOINABLE and bottom.kind in (Kind.value, Kind.run) and NUMBER.match(text := top.text + bottom.text):
            digits = text.replace(",", "")
            kind = Kind.run if len(digits) > 1 and digits[0] == "0" else Kind.value
            cells.append(Token(kind, digits, top.line, True))
        else:
            return None
    return replace(above, cells=cells, printed=[cell for cell in cells if cell.kind is not Kind.empty], continued=None)
