"""Tables as grids of cells, written as tab-separated rows the way html.py writes HTML tables.

PDF and Word tables both arrive as a grid of slots, each slot naming the cell that covers it (a
merged cell covers several). `table_rows` writes one line per row: a text cell spanning rows is
carried down them, a cell spanning columns is written once, a value cell counts once, so the
tokenizer sees the same rows whatever the file format.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

VALUE = re.compile(r"[+-]?[\d.,]+\s*(?:万元|元)?|[/\-—－]|无")


@dataclass
class Grid:
    """A table's logical grid: cell ids per slot, each cell's text and origin slot, each row's line number."""

    texts: list[str]
    origins: list[tuple[int, int]]
    grid: list[list[int | None]]
    numbers: list[int]
    lefts: list[float] = field(default_factory=list)  # column edges relative to the table's left edge


_LATIN_END = re.compile(r"[A-Za-z0-9.,;:%)\]]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9(\[]")


def cell_text(text: str | None) -> str:
    """A cell's lines as one string: joined directly between Chinese characters, by a space between Latin ones."""
    if not text:
        return ""
    parts = [" ".join(part.split()) for part in text.split("\n")]
    joined = parts[0]
    for part in parts[1:]:
        if not part:
            continue
        joined += (" " if joined and _LATIN_END.search(joined) and _LATIN_START.match(part) else "") + part
    return joined


def table_rows(table: Grid) -> list[tuple[int, str]]:
    """One tab-separated line per row, as html.py writes them: a text cell spanning rows is carried down
    them, a spanned column is written once, a value cell counts once. Slots no cell covers are empty
    fields inside a row and nothing at its end (a short row, Word's gridAfter)."""
    lines = []
    for row, (cells, number) in enumerate(zip(table.grid, table.numbers)):
        while cells and cells[-1] is None:
            cells = cells[:-1]
        out: list[str] = []
        for column, ident in enumerate(cells):
            if ident is None:
                out.append("")
                continue
            if column and cells[column - 1] == ident:
                continue
            text = table.texts[ident]
            if table.origins[ident][0] == row:
                out.append(text.replace("\t", " "))
            elif text and not VALUE.fullmatch(text) and (not out or out[-1] != text):
                out.append(text.replace("\t", " "))
        lines.append((number, "\t".join(out)))
    return lines
