"""Borderless tables: a row's numbers placed under the header columns they are printed in.

A table printed without ruling lines reaches the text stage as lines of words, and a row whose blank
cells are invisible (`规章 4 665873` for 规章 | blank | 4 | 665873) does not say which cells its
numbers fill. The words' x positions do. When the document's numbers line up at their left edges
(or all at their right edges), a number lies in column i of a header when it starts after the
centre of the header word of column i-1 and before the centre of column i's (the headers sit
inside their columns, the number starts just inside its column's left edge); when they are
centred, when its middle is the middle of column i's header word. Such a row is written
as tab-separated cells, blanks included, as html.py writes HTML rows. A row one of whose numbers
falls on no column, or two in one, keeps its words joined by spaces (the later stages' rules for
uncertain rows then apply).

A number may be part of a wrapped one when it fills its column's width and a number lies just
below it in that column (a narrow cell wraps `4918` / `56` for 491856; or it is the next row's):
the positions do not say which, so its cell holds both parts (`4918 56`), which the later stages
read as no one number (null). Rows that stay words joined by spaces, for the later stages' rules for
uncertain rows (the row's arithmetic among them): such a row when it prints every cell (its count
of numbers then fills the row), and two lines next to each other whose numbers fill every column
between them, each column once (one row printed at two heights, or two rows).

Headers: the all-text lines just above a row, read upwards; the lowest line's words are columns, a
word above that overlaps two columns spans them (行政诉讼 over ten) and is left out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from xxgk.sources.grid import VALUE

_SAME = 1.0  # points: positions this close are one (a column's left-aligned numbers start at one x)
_HEADER_LINES = 8  # all-text lines above a row looked at for its header
_CERTAIN = 0.5  # points a number's edge must clear a header centre by
_WRAP_LINES = 2.2  # a number's continuation lies within this many of its heights below it


@dataclass
class _Header:
    columns: list[tuple[float, float]]  # each column's lowest header word, left to right (x0, x1)
    label_end: float = float("-inf")  # the right end of the widest row label under it
    rows: list = field(default_factory=list)


def placed(pages: list[list[tuple]]) -> list[list[tuple]]:
    """The pages' blocks with each text block ("text", top, bottom, words) as ("text", top, bottom, text)."""
    align = _alignment(pages)
    texts = _place(pages, align) if align is not None else {}
    return [[(block[0], block[1], block[2], texts.get((page, index), _joined(block[3])))
             if block[0] == "text" else block for index, block in enumerate(blocks) if texts.get((page, index)) != ""]
            for page, blocks in enumerate(pages)]


def _joined(words: list[dict]) -> str:
    return " ".join(word["text"] for word in words)


def _parts(words: list[dict]) -> tuple[list[dict], list[dict]] | None:
    """A row's label words and value words (a label, then values only), or None for a line of text."""
    first = next((index for index, word in enumerate(words) if VALUE.fullmatch(word["text"])), None)
    if first is None or not all(VALUE.fullmatch(word["text"]) for word in words[first:]):
        return None
    return words[:first], words[first:]


def _alignment(pages: list[list[tuple]]) -> str | None:
    """How the rows' numbers line up in their cells: "left", "right" or "centre" (each column's
    numbers share that edge or middle), None when no way is clear (no placement)."""
    values = [word for blocks in pages for block in blocks if block[0] == "text"
              for parts in [_parts(block[3])] if parts and parts[0] for word in parts[1]]
    if len(values) < 6:
        return None
    counts = {"left": _distinct(float(word["x0"]) for word in values),
              "right": _distinct(float(word["x1"]) for word in values),
              "centre": _distinct((float(word["x0"]) + float(word["x1"])) / 2 for word in values)}
    best = min(counts, key=counts.get)
    if all(counts[best] * 4 <= count * 3 for way, count in counts.items() if way != best):
        return best
    return None


def _distinct(positions) -> int:
    count, last = 0, None
    for position in sorted(positions):
        if last is None or position - last > _SAME:
            count += 1
        last = position
    return count


def _place(pages: list[list[tuple]], align: str) -> dict[tuple[int, int], str]:
    """Tab-separated rows by (page, block index), for the rows their headers place with certainty."""
    header: _Header | None = None
    headers: list[_Header] = []
    for page, blocks in enumerate(pages):
        for index, block in enumerate(blocks):
            if block[0] != "text":
                header = None
                continue
            parts = _parts(block[3])
            if parts is None:
                continue
            label, values = parts
            above = _header_above(blocks, index)
            for candidate in ([above] if not label else [above, header]):
                if candidate is not None and _cells(candidate, values, align, _label_end(label)):
                    if candidate is not header:
                        headers.append(candidate)
                    header = candidate
                    header.label_end = max(header.label_end, _label_end(label))
                    header.rows.append((page, index, label, values))
                    break
    texts: dict[tuple[int, int], str] = {}
    for head in headers:
        placed_rows = [(page, index, label, _cells(head, values, align, head.label_end))
                       for page, index, label, values in head.rows]
        placed_rows = [row for row in placed_rows if row[3] is not None]
        widths = _widths(head, placed_rows)
        joined, consumed = _joined_lines(head, placed_rows, pages, align, widths)
        doubtful = _doubtful(head, placed_rows, pages, align, widths, set(joined))
        split = _split_rows(placed_rows)
        for page, index, label, cells in placed_rows:
            words = [word for word in cells if word is not None]
            if any(id(word) in split for word in words) or \
                    (len(words) == len(cells) and any(id(word) in doubtful for word in words)):
                continue  # every cell printed: its words joined by spaces, for the later stages' rules
            fields = [doubtful.get(id(word), joined.get(id(word), word["text"])) if word else "" for word in cells]
            texts[(page, index)] = "\t".join([_joined(label), *fields] if label else fields)
            for line in consumed.get((page, index), ()):
                texts[line] = ""  # its numbers are the rest of this row's
    return texts


def _label_end(label: list[dict]) -> float:
    return max((float(word["x1"]) for word in label), default=float("-inf"))


def _header_above(blocks: list[tuple], index: int) -> _Header | None:
    """The header the all-text lines just above block `index` make, if they make one of two columns or more."""
    columns: list[tuple[float, float]] = []
    for position in range(index - 1, max(index - 1 - _HEADER_LINES, -1), -1):
        block = blocks[position]
        if block[0] != "text" or any(VALUE.fullmatch(word["text"]) for word in block[3]):
            break
        new = []
        for word in block[3]:
            x0, x1 = float(word["x0"]), float(word["x1"])
            overlaps = sum(1 for left, right in columns if x0 < right and left < x1)
            if overlaps == 0:
                new.append((x0, x1))
        columns.extend(new)
        columns.sort()
    if len(columns) < 2 or any(a[1] > b[0] for a, b in zip(columns, columns[1:])):
        return None
    return _Header(columns)


def _cells(header: _Header, values: list[dict], align: str, label_end: float) -> list[dict | None] | None:
    """The row's value words in the header's value columns (None for a blank), or None when any of
    them is not certainly in one column of its own.

    Left-aligned numbers start just inside their column's left edge: a number lies in column i when it
    starts after the centre of column i-1's header (or the last label column's) and before column i's,
    and ends before column i+1's. Right-aligned ones, the same seen from the right."""
    centres = [(x0 + x1) / 2 for x0, x1 in header.columns]
    before = max((centre for centre in centres if centre <= label_end), default=float("-inf"))
    value_centres = [centre for centre in centres if centre > label_end]
    if not value_centres:
        return None
    bounds = [before, *value_centres, float("inf")]  # bounds[i + 1] is column i's centre
    cells: list[dict | None] = [None] * len(value_centres)
    for word in values:
        x0, x1 = float(word["x0"]), float(word["x1"])
        if align == "centre":  # a centred number's middle is its centred header's
            column = min(range(len(value_centres)), key=lambda index: abs(value_centres[index] - (x0 + x1) / 2))
            certain = abs(value_centres[column] - (x0 + x1) / 2) <= 2 * _SAME and \
                x0 > bounds[column] + _CERTAIN and x1 < bounds[column + 2] - _CERTAIN
        elif align == "right":
            column = next((column for column in range(len(value_centres) - 1, -1, -1)
                           if x1 > value_centres[column] + _CERTAIN), None)
            certain = column is not None and x1 < bounds[column + 2] - _CERTAIN and x0 > bounds[column] + _CERTAIN
        else:
            column = next((column for column, centre in enumerate(value_centres) if x0 < centre - _CERTAIN), None)
            certain = column is not None and x0 > bounds[column] + _CERTAIN and x1 < bounds[column + 2] - _CERTAIN
        if not certain or cells[column] is not None:
            return None
        cells[column] = word
    return cells


def _widths(header: _Header, rows: list[tuple]) -> list[float]:
    """Each column's least room for a number: its header word's width, or its widest number's."""
    widths = [x1 - x0 for x0, x1 in header.columns]
    for *_, cells in rows:
        for column, word in enumerate(cells):
            if word is not None:
                widths[-len(cells) + column] = max(widths[-len(cells) + column], _width(word))
    return widths


def _full(widths: list[float], word: dict, column: int, count: int) -> bool:
    """The number leaves no room for one more character in its column (it may go on in the next line)."""
    return _width(word) + _width(word) / max(len(word["text"]), 1) > widths[-count + column] + _CERTAIN


def _joined_lines(header: _Header, rows: list[tuple], pages: list[list[tuple]], align: str,
                  widths: list[float]) -> tuple[dict[int, str], dict[tuple[int, int], list[tuple[int, int]]]]:
    """Numbers wrapped into the line below a row when that line holds numbers only, each the rest of a
    number of the row that fills its column (`4918` / `56`), and ends its number (it does not fill the
    column itself): their joined text by the first part's id, and the lines so used by row."""
    placed = {(page, index) for page, index, _, _ in rows}
    joined: dict[int, str] = {}
    consumed: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for page, index, _, cells in rows:
        blocks = pages[page]
        if index + 1 >= len(blocks) or blocks[index + 1][0] != "text" or (page, index + 1) in placed:
            continue
        below = blocks[index + 1][3]
        parts = {}
        for word in below:
            column = _column(header, word, align, header.label_end, len(cells)) \
                if VALUE.fullmatch(word["text"]) else None
            upper = cells[column] if column is not None else None
            height = float(upper["bottom"]) - float(upper["top"]) if upper else 0.0
            if upper is None or column in parts or not _full(widths, upper, column, len(cells)) or \
                    _full(widths, word, column, len(cells)) or \
                    not 0 < float(word["top"]) - float(upper["top"]) <= _WRAP_LINES * height or \
                    not _ONE_NUMBER.fullmatch(upper["text"] + word["text"]):
                break
            parts[column] = upper["text"] + word["text"]
        else:
            for column, text in parts.items():
                joined[id(cells[column])] = text
            consumed[(page, index)] = [(page, index + 1)]
    return joined, consumed


_ONE_NUMBER = re.compile(r"(?:0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?")


def _doubtful(header: _Header, rows: list[tuple], pages: list[list[tuple]], align: str, widths: list[float],
              joined: set[int]) -> dict[int, str]:
    """The placed numbers (by id) that may be part of a wrapped one, with both parts as their text: a
    number that fills its column and the number just below it in that column (on any line). A number
    joined with the rest of it below is looked at upwards only."""
    def full(word: dict, column: int, count: int) -> bool:
        return _full(widths, word, column, count)

    doubtful: dict[int, str] = {}
    for page, index, _, cells in rows:
        for column, word in enumerate(cells):
            if word is None:
                continue
            for step in ((-1,) if id(word) in joined else (-1, 1)):
                for block, crossed in _neighbours(pages, page, index, step):
                    other = next((item for item in block[3] if VALUE.fullmatch(item["text"])
                                  and _column(header, item, align, header.label_end, len(cells)) == column), None)
                    if other is None:
                        continue
                    upper, lower = (other, word) if step < 0 else (word, other)
                    height = float(upper["bottom"]) - float(upper["top"])
                    if not (crossed or 0 < float(lower["top"]) - float(upper["top"]) <= _WRAP_LINES * height):
                        continue  # far off (a page number at the foot): the cell's next line is not there
                    if full(upper, column, len(cells)):
                        doubtful[id(word)] = upper["text"] + " " + lower["text"]
                    break
    return doubtful


def _neighbours(pages: list[list[tuple]], page: int, index: int, step: int, count: int = 3):
    """Up to `count` text blocks above (step -1) or below (+1) block `index`, on across a page break
    (crossed True: a cell's lines go on at the next page's top), up to a table."""
    crossed = False
    for _ in range(count):
        index += step
        while not 0 <= index < len(pages[page]):
            page += step
            if not 0 <= page < len(pages):
                return
            index = 0 if step > 0 else len(pages[page]) - 1
            crossed = True
        block = pages[page][index]
        if block[0] != "text":
            return
        yield block, crossed


def _split_rows(rows: list[tuple]) -> set[int]:
    """The numbers of two lines next to each other whose numbers fill every column between them, none
    the same: one row's numbers printed at two heights, or two rows; which, the words do not say."""
    doubtful: set[int] = set()
    for (page, index, _, cells), (next_page, next_index, _, next_cells) in zip(rows, rows[1:]):
        if (page, index + 1) != (next_page, next_index) or len(cells) != len(next_cells):
            continue
        if all((upper is None) != (lower is None) for upper, lower in zip(cells, next_cells)):
            doubtful.update(id(word) for word in (*cells, *next_cells) if word is not None)
    return doubtful


def _column(header: _Header, word: dict, align: str, label_end: float, count: int) -> int | None:
    """The value column (of `count`) a number lies in, if certainly one."""
    cells = _cells(header, [word], align, label_end)
    if cells is None or len(cells) != count:
        return None
    return next(column for column, item in enumerate(cells) if item is not None)


def _width(word: dict) -> float:
    return float(word["x1"]) - float(word["x0"])
