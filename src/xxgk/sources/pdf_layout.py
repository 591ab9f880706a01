"""The pages of a PDF put together: page furniture dropped, tables joined across page breaks, lines numbered.

Each page arrives as blocks top to bottom, ("text", top, bottom, text) or ("table", top, bottom,
Grid), positions as shares of the page height. A line's number is page × PAGE_LINES + its line on
the page, table rows counting one line each (lines past the 999th of a page all get its 999th
number, so numbers never run into the next page's).
"""
from __future__ import annotations

import re

from xxgk.sources.grid import VALUE, Grid, table_rows

PAGE_LINES = 1000  # line numbers are page * PAGE_LINES + line on the page
_MARGIN = 0.07  # top and bottom bands of a page where running headers, footers and page numbers sit
_PAGE_NUMBER = re.compile(r"^[-－—–_\s]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:[/／,，]?\s*(?:共\s*)?\d{1,4}\s*页?)?[-－—–_\s]*$"
                          r"|^[-－—–\s]*[IVXLC]{1,6}[-－—–\s]*$|^(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?$",
                          re.IGNORECASE)
ENUMERATED = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．])")


_LINE_TOLERANCE = 3.0  # points between the tops of words on one line (pdfplumber's own default)
_MIN_OVERLAP = 1.0  # points two lines must share vertically before numbers join their neighbour
_MOST_SHARED = 0.75  # share of a word's height inside a line that puts it on that line


def text_lines(words: list[dict]) -> list[tuple[float, float, str]]:
    """Words outside tables as (top, bottom, text) lines in reading order (see word_lines)."""
    return [(top, bottom, " ".join(word["text"] for word in line)) for top, bottom, line in word_lines(words)]


def word_lines(words: list[dict]) -> list[tuple[float, float, list[dict]]]:
    """Words outside tables as (top, bottom, words left to right) lines in reading order.

    Words whose tops lie within _LINE_TOLERANCE of a line's first, or that share most of their height
    with the line (a row's label 1 pt below its numbers, 4 pt below a word that began the line),
    form a line, left to right. A line of numbers only
    that overlaps the line above or below it (lines of text never do), without sharing any column
    with it, is that line's cells printed a little lower or higher (a borderless table whose cells
    are aligned differently): it joins the line it overlaps most, so a row's numbers stay with it.
    """
    lines: list[list] = []  # [top, bottom, words]
    for word in sorted(words, key=lambda item: (item["top"], item["x0"])):
        top, bottom = float(word["top"]), float(word["bottom"])
        if lines and (abs(top - lines[-1][0]) <= _LINE_TOLERANCE or
                      min(bottom, lines[-1][1]) - max(top, lines[-1][0]) >= (bottom - top) * _MOST_SHARED):
            lines[-1][1] = max(lines[-1][1], float(word["bottom"]))
            lines[-1][2].append(word)
        else:
            lines.append([float(word["top"]), float(word["bottom"]), [word]])
    index = 0
    while index < len(lines):
        target = _host(lines, index)
        if target is None:
            index += 1
            continue
        host = lines[target]
        host[0], host[1] = min(host[0], lines[index][0]), max(host[1], lines[index][1])
        host[2].extend(lines[index][2])
        del lines[index]
        index = max(0, min(index, target) - 1)
    return [(top, bottom, sorted(line, key=lambda item: item["x0"])) for top, bottom, line in lines]


def _host(lines: list[list], index: int) -> int | None:
    """The neighbouring line a numbers-only line belongs to, if any."""
    top, bottom, words = lines[index]
    if not all(VALUE.fullmatch(word["text"]) for word in words):
        return None
    best, best_overlap = None, _MIN_OVERLAP
    for other in (index - 1, index + 1):
        if not 0 <= other < len(lines):
            continue
        overlap = min(bottom, lines[other][1]) - max(top, lines[other][0])
        collides = any(word["x0"] < neighbour["x1"] and neighbour["x0"] < word["x1"]
                       for word in words for neighbour in lines[other][2])
        if overlap > best_overlap and not collides:
            best, best_overlap = other, overlap
    return best


def drop_furniture(pages: list[list[tuple]]) -> list[list[tuple]]:
    """Without page numbers and running headers/footers: short lines in the top or bottom band that are a
    page number, or that recur (digits aside) in the same band on several pages."""
    def band(block) -> str | None:
        if block[0] != "text":
            return None
        return "top" if block[2] <= _MARGIN * 1.5 else "bottom" if block[1] >= 1 - _MARGIN * 1.5 else None

    recurring: dict[tuple[str, str], int] = {}
    for blocks in pages:
        for key in {(where, re.sub(r"\d+", "#", block[3].strip())) for block in blocks if (where := band(block))}:
            recurring[key] = recurring.get(key, 0) + 1
    enough = max(2, len(pages) // 2) if len(pages) >= 3 else 99

    def furniture(block, edge: bool) -> bool:
        where = band(block)
        if where is None:  # a page's first or last line, a page number with its dashes or 第/页 (`— 4 —`)
            return edge and _edge_band(block) and _decorated_page_number(block[3].strip())
        text = block[3].strip()
        return bool(_PAGE_NUMBER.match(text)) or recurring.get((where, re.sub(r"\d+", "#", text)), 0) >= enough

    return [[block for position, block in enumerate(blocks) if not furniture(block, position in (0, len(blocks) - 1))]
            for blocks in pages]


_DASHES = "-－—–_"


def _decorated_page_number(text: str) -> bool:
    """`— 4 —`, `第4页`, `4/10`: a page number, never a cell's value (`-12` or `4` alone may be one)."""
    return bool(_PAGE_NUMBER.match(text)) and (any(char in text for char in "第页/／")
                                                or (text[0] in _DASHES and text[-1] in _DASHES))


def _edge_band(block) -> bool:
    """Within twice the margin band of the page's top or bottom: a landscape page's footer sits higher
    in its (shorter) page than the band a portrait page's does."""
    return block[0] == "text" and (block[2] <= _MARGIN * 3 or block[1] >= 1 - _MARGIN * 3)


def emit(pages: list[list[tuple]]) -> list[tuple[int, str]]:
    """Number every line and table row page by page; join tables that run on to the next page."""
    items: list[tuple[int, str] | Grid] = []
    open_table: Grid | None = None  # the table that ends its page and may run on to the next
    for page_index, blocks in enumerate(pages):
        number = (page_index + 1) * PAGE_LINES
        last = number + PAGE_LINES - 1  # a page's lines past the 999th share its last number
        current: Grid | None = None
        for position, (kind, _, _, content) in enumerate(blocks):
            if kind == "text":
                number = min(number + 1, last)
                items.append((number, content))
                current = None
                continue
            content.numbers = [min(row, last) for row in range(number + 1, number + 1 + len(content.grid))]
            number = min(number + len(content.grid), last)
            if position == 0 and open_table is not None and _same_columns(open_table, content):
                _join(*_on_common_columns(open_table, content))
                current = open_table
            else:
                items.append(content)
                current = content
        open_table = current
    lines: list[tuple[int, str]] = []
    for item in items:
        lines.extend(table_rows(item) if isinstance(item, Grid) else [item])
    return lines


def _same_columns(first: Grid, second: Grid) -> bool:
    """The same column edges, or the edges of one part among the other's (a part whose rows all span
    the label columns shows fewer edges: 一、本年新收 across 三's three label columns)."""
    few, many = sorted((first.lefts, second.lefts), key=len)
    if not few or len(few) < 2 or abs(few[0] - many[0]) > 6.0:
        return False
    return all(any(abs(a - b) <= 6.0 for b in many) for a in few) and \
        (len(few) == len(many) or len(few) >= 4)


def _on_common_columns(first: Grid, second: Grid) -> tuple[Grid, Grid]:
    """Both parts on the edges of the one with more: a cell of the other covers every column it spans."""
    edges = max(first.lefts, second.lefts, key=len)
    for table in (first, second):
        if len(table.lefts) == len(edges):
            continue
        starts = [min(range(len(edges)), key=lambda index: abs(edges[index] - left)) for left in table.lefts]
        spans = [range(start, end) for start, end in zip(starts, [*starts[1:], len(edges)])]
        table.grid = [[row[column] for column, span in enumerate(spans) for _ in span] for row in table.grid]
        table.origins = [(row, starts[column]) for row, column in table.origins]
        table.lefts = list(edges)
    return first, second


def _join(first: Grid, second: Grid) -> None:
    """Append `second`, the part of `first` on the next page, to it."""
    start = 0
    while start < len(second.grid) and start < len(first.grid) and \
            _row_texts(second, start) == _row_texts(first, start) and any(_row_texts(second, start)):
        start += 1  # a header row the word processor repeats on each page
    if start >= len(second.grid):
        return
    offset = len(first.grid) - start
    renumber: dict[int, int] = {}
    for ident, (row, column) in enumerate(second.origins):
        if row < start:
            continue
        renumber[ident] = len(first.texts)
        first.texts.append(second.texts[ident])
        first.origins.append((row + offset, column))
    for row in second.grid[start:]:
        first.grid.append([renumber.get(ident) if ident is not None else None for ident in row])
    first.numbers.extend(second.numbers[start:])
    _mend_cut_cells(first, len(first.grid) - (len(second.grid) - start))


def _mend_cut_cells(table: Grid, row: int) -> None:
    """Cells cut by the page break, `row` being the first row on the new page.

    A label cell's part on the new page (blank, or text that does not start a new numbered label)
    continues the cell above, which then spans the rows on both pages. When every cell of the row
    continues the one above it (blank, or text under a blank), the row itself was cut: it is one
    row with the row above and is merged into it. So is a row whose labels all go on while its
    values have lines on both pages (a number wrapped at the page break, `55` | `9`): such a value
    is kept as its two parts, which the later stages read as no one number (null), not as `55`.
    """
    if row == 0:
        return
    above, below = table.grid[row - 1], table.grid[row]
    pairs = [(old, new) for column, (old, new) in enumerate(zip(above, below))
             if old is not None and new is not None and old != new and table.origins[new] == (row, column)]
    kinds = [_continuation(table.texts[old], table.texts[new]) for old, new in pairs]
    if "label" in kinds and all(kind != "new" or _both_values(table, old, new) for (old, new), kind in zip(pairs, kinds)):
        kinds = ["cut" if kind == "new" else kind for kind in kinds]  # the row's labels go on: its values are cut
    elif _values_under_values(table, row, pairs):
        kinds = ["cut" if kind == "new" else kind for kind in kinds]  # no label at all: the rest of the row's numbers
    if "cut" not in kinds and _values_apart(table, above, below):
        return  # values on both pages in different columns: a row's values sit at one height, two rows
    whole_row = bool(pairs) and "new" not in kinds
    for (old, new), kind in zip(pairs, kinds):
        if kind == "label" or (whole_row and kind != "new"):
            # a number's lines on both pages stay two parts: two numbers in one cell to the later stages (null)
            table.texts[old] = table.texts[old] + (" " if kind == "cut" else "") + table.texts[new]
            for cells in table.grid[row:]:
                for index, ident in enumerate(cells):
                    if ident == new:
                        cells[index] = old
    if whole_row and all(old == new or new is None for old, new in zip(table.grid[row - 1], table.grid[row])):
        del table.grid[row]
        del table.numbers[row]
        table.origins[:] = [(origin_row - (origin_row > row), column) for origin_row, column in table.origins]


def _values_apart(table: Grid, above: list, below: list) -> bool:
    """Values in the row above the break and in the row below it, never in the same column: two rows
    (行政处罚 0 | 行政强制 +8 10), not one row cut by the page."""
    def value(ident) -> bool:
        return ident is not None and bool(VALUE.fullmatch(table.texts[ident]))
    return any(value(old) and not value(new) for old, new in zip(above, below)) and \
        any(value(new) and not value(old) for old, new in zip(above, below))


def _values_under_values(table: Grid, row: int, pairs: list[tuple[int, int]]) -> bool:
    """The new page's row holds digits only, each under a number of the row above, and no label (the
    one row of table 四, its numbers wrapped in narrow cells: `245` | `0`): the rest of that row."""
    above = dict((new, old) for old, new in pairs)
    own = {ident for column, ident in enumerate(table.grid[row])
           if ident is not None and table.origins[ident] == (row, column) and table.texts[ident]}
    return bool(own) and all(ident in above and _DIGITS.fullmatch(table.texts[ident])
                             and _DIGITS.fullmatch(table.texts[above[ident]]) for ident in own)


_DIGITS = re.compile(r"[\d.,]+(?: [\d.,]+)*|, ?[\d ]+")


def _both_values(table: Grid, old: int, new: int) -> bool:
    """Both parts are values, or lines of digits (`0 3`, a number its cell could not hold)."""
    return all(VALUE.fullmatch(text) or _DIGIT_LINES.fullmatch(text) for text in (table.texts[old], table.texts[new]))


_DIGIT_LINES = re.compile(r"[\d.,]+(?: [\d.,]+)+")


def _continuation(old: str, new: str) -> str:
    """How a cell's part on the new page relates to the cell above: "label" (continues a label cell),
    "part" (continues it only if the whole row does), or "new" (a cell of its own)."""
    label_above = bool(old) and not VALUE.fullmatch(old)
    if not new:
        return "label" if label_above else "part"
    if VALUE.fullmatch(new) or ENUMERATED.match(new):
        return "part" if not old else "new"
    return "label" if label_above else ("part" if not old else "new")


def _row_texts(table: Grid, row: int) -> list[str]:
    return [table.texts[ident] if ident is not None else "" for ident in table.grid[row]]
