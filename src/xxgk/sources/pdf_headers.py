"""Borderless tables: the header columns above a row, and the column each of the row's numbers lies in
(pdf_columns.py places the rows with them).

Headers: the all-text lines just above a row, read upwards; the lowest line's words are columns, a
word above that overlaps two columns spans them (行政诉讼 over ten) and is left out. The numbers of a
document line up in their cells at their left edges, their right edges or their middles
(`alignment`), which says how a number's position is read against the header words' centres.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from xxgk.sources.grid import VALUE

SAME = 1.0  # points: positions this close are one (a column's left-aligned numbers start at one x)
_HEADER_LINES = 8  # all-text lines above a row looked at for its header
CERTAIN = 0.5  # points a number's edge must clear a header centre by


@dataclass
class Header:
    columns: list[tuple[float, float]]  # each column's lowest header word, left to right (x0, x1)
    label_end: float = float("-inf")  # the right end of the widest row label under it
    rows: list = field(default_factory=list)


def row_parts(words: list[dict]) -> tuple[list[dict], list[dict]] | None:
    """A row's label words and value words (a label, then values only), or None for a line of text."""
    first = next((index for index, word in enumerate(words) if VALUE.fullmatch(word["text"])), None)
    if first is None or not all(VALUE.fullmatch(word["text"]) for word in words[first:]):
        return None
    return words[:first], words[first:]


def alignment(pages: list[list[tuple]]) -> str | None:
    """How the rows' numbers line up in their cells: "left", "right" or "centre" (each column's
    numbers share that edge or middle), None when no way is clear (no placement)."""
    values = [word for blocks in pages for block in blocks if block[0] == "text"
              for parts in [row_parts(block[3])] if parts and parts[0] for word in parts[1]]
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
        if last is None or position - last > SAME:
            count += 1
        last = position
    return count


def label_end_of(label: list[dict]) -> float:
    return max((float(word["x1"]) for word in label), default=float("-inf"))


def header_above(blocks: list[tuple], index: int) -> Header | None:
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
    return Header(columns)


def value_cells(header: Header, values: list[dict], align: str, label_end: float) -> list[dict | None] | None:
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
            certain = abs(value_centres[column] - (x0 + x1) / 2) <= 2 * SAME and \
                x0 > bounds[column] + CERTAIN and x1 < bounds[column + 2] - CERTAIN
        elif align == "right":
            column = next((column for column in range(len(value_centres) - 1, -1, -1)
                           if x1 > value_centres[column] + CERTAIN), None)
            certain = column is not None and x1 < bounds[column + 2] - CERTAIN and x0 > bounds[column] + CERTAIN
        else:
            column = next((column for column, centre in enumerate(value_centres) if x0 < centre - CERTAIN), None)
            certain = column is not None and x0 > bounds[column] + CERTAIN and x1 < bounds[column + 2] - CERTAIN
        if not certain or cells[column] is not None:
            return None
        cells[column] = word
    return cells


def value_column(header: Header, word: dict, align: str, label_end: float, count: int) -> int | None:
    """The value column (of `count`) a number lies in, if certainly one."""
    cells = value_cells(header, [word], align, label_end)
    if cells is None or len(cells) != count:
        return None
    return next(column for column, item in enumerate(cells) if item is not None)
