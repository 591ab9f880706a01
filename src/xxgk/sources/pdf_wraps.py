"""Numbers wrapped inside the narrow cells of a borderless table (pdf_columns.py places the rows).

A number that leaves no room in its column for one more character may go on in the next line
(`4918` over `56` for 491856); one that leaves room does not. A column's room is known only from
below: its header word's width, or its widest number's, whichever is wider. The rows are
(page, block index, label words, cells) as pdf_columns places them; `column_of(word, count)` says
which of the row's `count` value columns a number lies in, if certainly one.
"""
from __future__ import annotations

import re

from xxgk.sources.grid import VALUE

WRAP_LINES = 3.5  # a number's next line lies within this many of its heights below it (double spacing: 2.3)
_CERTAIN = 0.5  # points of room a number must leave for one more character


def widths(columns: list[tuple[float, float]], rows: list[tuple]) -> list[float]:
    """Each column's least room for a number: its header word's width, or its widest number's."""
    room = [x1 - x0 for x0, x1 in columns]
    for *_, cells in rows:
        for column, word in enumerate(cells):
            if word is not None:
                room[-len(cells) + column] = max(room[-len(cells) + column], width(word))
    return room


def full(room: list[float], word: dict, column: int, count: int) -> bool:
    """The number leaves no room for one more character in its column (it may go on in the next line)."""
    return width(word) + width(word) / max(len(word["text"]), 1) > room[-count + column] + _CERTAIN


def joined_lines(rows: list[tuple], pages: list[list[tuple]], column_of,
                 room: list[float]) -> tuple[dict[int, str], dict[tuple[int, int], list[tuple[int, int]]]]:
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
            column = column_of(word, len(cells)) if VALUE.fullmatch(word["text"]) else None
            upper = cells[column] if column is not None else None
            height = float(upper["bottom"]) - float(upper["top"]) if upper else 0.0
            if upper is None or column in parts or not full(room, upper, column, len(cells)) or \
                    full(room, word, column, len(cells)) or \
                    not 0 < float(word["top"]) - float(upper["top"]) <= WRAP_LINES * height or \
                    not _ONE_NUMBER.fullmatch(upper["text"] + word["text"]):
                break
            parts[column] = upper["text"] + word["text"]
        else:
            for column, text in parts.items():
                joined[id(cells[column])] = text
            consumed[(page, index)] = [(page, index + 1)]
    return joined, consumed


_ONE_NUMBER = re.compile(r"(?:0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?")


def doubtful(rows: list[tuple], pages: list[list[tuple]], column_of, room: list[float],
             joined: set[int]) -> dict[int, list[tuple[dict, dict]]]:
    """The placed numbers (by id) that may be part of a wrapped one, with the pairs of parts: a number
    that fills its column and the number just below it in that column (on any line). A number joined
    with the rest of it below is looked at upwards only."""
    found: dict[int, list[tuple[dict, dict]]] = {}
    for page, index, _, cells in rows:
        for column, word in enumerate(cells):
            if word is None:
                continue
            for step in ((-1,) if id(word) in joined else (-1, 1)):
                for block, crossed in _neighbours(pages, page, index, step):
                    other = next((item for item in block[3] if VALUE.fullmatch(item["text"])
                                  and column_of(item, len(cells)) == column), None)
                    if other is None:
                        continue
                    upper, lower = (other, word) if step < 0 else (word, other)
                    height = float(upper["bottom"]) - float(upper["top"])
                    if not (crossed or 0 < float(lower["top"]) - float(upper["top"]) <= WRAP_LINES * height):
                        continue  # far off (a page number at the foot): the cell's next line is not there
                    if full(room, upper, column, len(cells)):
                        found.setdefault(id(word), []).append((upper, lower))
                    break
    return found


def unwrapped_by_sum(rows: list[tuple], doubtful: dict[int, list[tuple[dict, dict]]],
                     joined: dict[int, str]) -> set[tuple[int, int]]:
    """The pairs of parts (ids of upper, lower) that are two numbers, not one wrapped: in the upper
    one's row the last cell is the sum of the others as printed (blank cells and markers as 0), and
    it is not when any of its numbers is read joined with the one below (总计 3119 = 3001 + 53 + 61 +
    4; not 300134)."""
    resolved: set[tuple[int, int]] = set()
    for *_, cells in rows:
        if len(cells) < 3 or cells[-1] is None or sum(word is not None for word in cells) < 3:
            continue
        pairs = [(column, pair) for column, word in enumerate(cells) for pair in doubtful.get(id(word), ())
                 if pair[0] is word]
        printed = [_number(joined.get(id(word), word["text"])) if word is not None else 0.0 for word in cells]
        if not pairs or len(pairs) > 6 or None in printed or not _adds_up(printed):
            continue
        for mask in range(1, 2 ** len(pairs)):
            values = list(printed)
            for bit, (column, (upper, lower)) in enumerate(pairs):
                if mask >> bit & 1:
                    values[column] = _number(upper["text"] + lower["text"])
            if None not in values and _adds_up(values):
                break
        else:
            resolved.update((id(upper), id(lower)) for _, (upper, lower) in pairs)
    return resolved


def _number(text: str) -> float | None:
    if not _ONE_NUMBER.fullmatch(text):
        return 0.0 if VALUE.fullmatch(text) and not any(char.isdigit() for char in text) else None
    return float(text.replace(",", ""))


def _adds_up(values: list[float]) -> bool:
    return abs(sum(values[:-1]) - values[-1]) < 1e-6


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


def width(word: dict) -> float:
    return float(word["x1"]) - float(word["x0"])
