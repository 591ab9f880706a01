"""Stage 5b, rows: which readings a row's printed tokens allow, given the damage the page shows.

The family of readings is chosen from evidence about the whole page, never from the row alone:
`glued` pages run cells together (some token has a leading zero, like `0000000`), `collapsed`
pages merge identical adjacent lines (no two adjacent lines of the page are equal).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter

from .cells import Kind, RawRow, Token
from .readings import MAX_DIGITS, NumberOutOfRange, Reading, expansions, number_too_long, placements, splits
from .sections import Line

UNIT = re.compile(r"(万元|元)$")


@dataclass(frozen=True)
class Damage:
    """What the page shows about its scraper (see page_damage)."""

    glued: bool = False
    collapsed: bool = False


def page_damage(lines: list[Line], table_tokens: list[Token]) -> Damage:
    """What the page shows about its scraper: glued digit runs, collapsed identical lines."""
    glued = Kind.run in map(_kind, table_tokens)
    texts = [text for line in lines if (text := line.text.strip())]
    numeric = sum(1 for text in texts if text.isdigit())
    repeats = sum(1 for first, second in zip(texts, texts[1:]) if first == second)
    collapsed = len(texts) >= 40 and numeric >= 20 and repeats == 0
    return Damage(glued=glued, collapsed=collapsed)


_kind = attrgetter("kind")


def parse(token: Token) -> float | int | None:
    """A printed cell's number; a blank marker is None."""
    kind, text = token.kind, token.text
    if kind is _NULL:
        return None
    if text.isdecimal():  # the common case
        return int(text)
    text = UNIT.sub("", text) if text.endswith("元") else text
    return float(text) if "." in text else int(text)


_NULL = Kind.null


def row_readings(row: RawRow, width: int, damage: Damage) -> tuple[list[Reading], str]:
    """(readings, family). Raises TooManyReadings when the damage allows too many to enumerate.

    Families: printed (one reading), windows (blanks in visible empty fields), insertions (blanks
    anywhere: a row without visible gaps), splits (digit runs), expansions (collapsed lines).
    """
    printed = row.printed
    has_run = Kind.run in map(_kind, printed)
    if len(printed) == width and not has_run:
        _refuse_long_numbers(printed)
        return [tuple(map(parse, printed))], "printed"
    if len(printed) > width:
        return [], "too many"
    if damage.glued or has_run:  # splits never make a number of more than MAX_DIGITS digits
        texts = [token.text if token.kind is Kind.null else UNIT.sub("", token.text) for token in printed]
        return splits(texts, width), "splits"
    _refuse_long_numbers(printed)
    values = list(map(parse, printed))
    if row.delimited:
        slots = [cell.kind is Kind.empty for cell in row.cells]
        if slots.count(True) >= width - len(values):
            return placements(values, slots, width), "windows"
    if damage.collapsed and all(value is not None for value in values):
        return expansions(values, width), "expansions"
    return placements(values, [], width), "insertions"


def _refuse_long_numbers(printed: list[Token]) -> None:
    """A cell of more than MAX_DIGITS digits is no count (and JSON cannot hold it exactly): most likely
    the digits of several cells run together without a telltale zero, so no cell of the row is placed."""
    for token in printed:
        if number_too_long(token.text):
            digits = sum(char.isdigit() for char in token.text)
            raise NumberOutOfRange(f"a number of {digits} digits (at most {MAX_DIGITS} are read)")


NO_DAMAGE = Damage()
