"""A ruled PDF table (pdfplumber's) as a Grid of cells, a number wrapped inside a narrow cell made whole."""
from __future__ import annotations

import re

from xxgk.sources.grid import Grid, cell_text


def grid_of(table) -> Grid:
    """The table's cells on the grid of its distinct top and left edges (a merged cell covers several slots)."""
    cells = table.cells
    tops = sorted({cell[1] for cell in cells})
    lefts = sorted({cell[0] for cell in cells})
    row_of = {top: index for index, top in enumerate(tops)}
    column_of = {left: index for index, left in enumerate(lefts)}
    extracted = table.extract()
    grid: list[list[int | None]] = [[None] * len(lefts) for _ in tops]
    texts: list[str] = []
    origins: list[tuple[int, int]] = []
    for x0, top, x1, bottom in sorted(cells, key=lambda cell: (cell[1], cell[0])):
        row, column = row_of[top], column_of[x0]
        if grid[row][column] is not None:
            continue
        row_text = extracted[row] if row < len(extracted) else []
        text = row_text[column] if column < len(row_text) else ""
        texts.append(cell_text(_unwrapped(text, (x0, top, x1, bottom), table.page.chars)))
        origins.append((row, column))
        ident = len(texts) - 1
        for covered in range(row, len(tops)):
            if tops[covered] >= bottom - 0.5:
                break
            for across in range(column, len(lefts)):
                if lefts[across] >= x1 - 0.5:
                    break
                if grid[covered][across] is None:
                    grid[covered][across] = ident
    return Grid(texts, origins, grid, [0] * len(tops), [left - lefts[0] for left in lefts])


_NUMBER_LINES = re.compile(r"[\d,.]+(?:\n[\d,.]+)+")
_ONE_NUMBER = re.compile(r"(?:0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?")
_MOST_PADDING = 6.0  # a cell's left or right padding: Word 5.4 pt, LibreOffice 2.9 pt


def _unwrapped(text: str | None, box: tuple, chars: list[dict]) -> str | None:
    """A number the cell's width wrapped over lines (`1,92` / `9`) as the one number it is (`1,929`).

    Lines of digits are one wrapped number only when each line but the last leaves no room for the
    next line's first character (the word processor broke it for want of width) and together they
    are one valid number; otherwise they stay lines, which the later stages read as two numbers in
    one cell (null with a finding), never as the first line's number.
    """
    if not text or "\n" not in text or not _NUMBER_LINES.fullmatch(text.strip()):
        return text
    x0, top, x1, bottom = box
    inside = sorted((char for char in chars if char["text"].strip()
                     and x0 <= (char["x0"] + char["x1"]) / 2 <= x1 and top <= (char["top"] + char["bottom"]) / 2 <= bottom),
                    key=lambda char: (char["top"], char["x0"]))
    lines: list[list[dict]] = []
    for char in inside:
        if lines and abs(char["top"] - lines[-1][0]["top"]) < (char["bottom"] - char["top"]) / 2:
            lines[-1].append(char)
        else:
            lines.append([char])
    parts = ["".join(char["text"] for char in sorted(line, key=lambda char: char["x0"])) for line in lines]
    if parts != text.strip().split("\n"):
        return text
    for line, following in zip(lines, lines[1:]):
        used = max(char["x1"] for char in line) - min(char["x0"] for char in line)
        first = min(following, key=lambda char: char["x0"])
        if (x1 - x0) - used >= (first["x1"] - first["x0"]) + 2 * _MOST_PADDING:
            return text  # the next line's first character would have fitted: not a wrap
    joined = "".join(parts)
    return joined if _ONE_NUMBER.fullmatch(joined) else text
