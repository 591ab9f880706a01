"""Stage 5b, readings: every way a row's printed cells can fill the template's cells.

A reading is one tuple of cell values (None = blank). The printed cells fix the order of the
values; what they do not fix is where the blanks go. A delimited row (tabs, pipes) shows its empty
fields, so blanks can only sit there; a row with no visible gaps may have lost a cell anywhere. The
caller prunes the readings with the template's arithmetic, then `merge` keeps the cells that every
surviving reading agrees on. Nothing is ever chosen by likelihood.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

Value = int | float | None
Reading = tuple[Value, ...]

# A row cannot have more readings than this; past it, the row is left null (bounded work).
MAX_READINGS = 20000


@dataclass
class Merged:
    values: list[Value]
    disputed: list[int]       # positions the readings disagree on (null in `values`)
    readings: int             # how many readings survived
    consistent: bool          # False when no reading satisfied the row's rules


def placements(values: Sequence[Value], slots: Sequence[bool], width: int) -> list[Reading]:
    """Readings of `values` (in printed order) in `width` cells.

    `slots` marks, for a delimited row, which fields are empty (True) among the row's fields in
    order; values sit at the False positions. Pass an empty `slots` for a row with no visible gaps.
    """
    missing = width - len(values)
    if missing < 0:
        return []
    if missing == 0:
        return [tuple(values)]
    if slots and slots.count(True) >= missing:
        return _windows(values, slots, width)
    return _insertions(values, width)


def _windows(values: Sequence[Value], slots: Sequence[bool], width: int) -> list[Reading]:
    """Every run of `width` consecutive fields that holds all printed values."""
    positions = [index for index, empty in enumerate(slots) if not empty]
    first, last = (positions[0], positions[-1]) if positions else (0, -1)
    readings = []
    for start in range(max(0, last - width + 1), min(first, len(slots) - width) + 1):
        reading: list[Value] = []
        iterator = iter(values)
        for index in range(start, start + width):
            reading.append(None if slots[index] else next(iterator))
        readings.append(tuple(reading))
    return readings


def _insertions(values: Sequence[Value], width: int) -> list[Reading]:
    """Every way to put the missing blanks between, before or after the printed values."""
    readings = []
    for blanks in combinations(range(width), width - len(values)):
        if len(readings) >= MAX_READINGS:
            return []
        iterator = iter(values)
        readings.append(tuple(None if index in blanks else next(iterator) for index in range(width)))
    return readings


def merge(readings: list[Reading], width: int, rule: Callable[[Reading], bool] | None = None) -> Merged:
    """The cells all readings agree on, after dropping readings that break `rule`.

    A single reading is kept even when it breaks the rule: it is what the report prints, and the
    validator reports the inconsistency. When several readings exist and none keeps the rule,
    only the cells all of them agree on are kept.
    """
    if not readings:
        return Merged([None] * width, list(range(width)), 0, True)
    surviving = [reading for reading in readings if rule is None or rule(reading)]
    consistent = bool(surviving) or len(readings) == 1
    if not surviving:
        surviving = readings
    values: list[Value] = []
    disputed: list[int] = []
    for position in range(width):
        seen = {reading[position] for reading in surviving}
        if len(seen) == 1:
            values.append(seen.pop())
        else:
            values.append(None)
            disputed.append(position)
    return Merged(values, disputed, len(surviving), consistent)


def lenient_sum_holds(parts: Sequence[Value], total: Value) -> bool:
    """FORMAT §6.3 lenient mode: null addends count as 0; a null total cannot be checked."""
    if total is None:
        return True
    return sum(part for part in parts if part is not None) == total
