"""Stage 5b, readings: every way a row's printed cells can fill the template's cells.

A reading is one tuple of cell values (None = blank). The printed tokens fix the order of the
values; what the damage hides is where cell boundaries are. Each layout has its own family:

* delimited rows show their empty fields, so blanks sit only there (`placements`);
* a row with no visible gaps may have lost a blank anywhere (`placements`, no slots);
* digits of several cells run together: every split into valid numbers (`splits`);
* runs of identical cells collapsed into one line: every expansion of the runs (`expansions`).

The caller prunes readings with the template's arithmetic (`merge`, and column_rules.py across
rows and columns); only cells that every surviving reading agrees on keep a value. Nothing is
chosen by likelihood. Every generator is bounded by MAX_READINGS and says so when it gives up.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from math import comb

from xxgk.parsing.cells import NULL_MARKERS

Value = int | float | None
Reading = tuple[Value, ...]

MAX_READINGS = 20000   # past this, a row is left null with a finding: work stays bounded
MAX_STEPS = 400000     # past this many cut positions tried, a glued row is left null with a finding
MAX_DIGITS = 15        # a printed number with more digits is no count: 10**15 < 2**53, exact in JSON
_VALID_PART = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d+)?$")


class TooManyReadings(Exception):
    """The damaged row allows more readings than MAX_READINGS."""


class UnreadableCell(TooManyReadings):
    """The row prints a cell whose number is not all there (a decimal cut at its point, two numbers in
    one cell): no reading of the row can be trusted."""


class NumberOutOfRange(TooManyReadings):
    """The row prints a number of more than MAX_DIGITS digits: no reading of it can be trusted."""


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
    if comb(width, missing) > MAX_READINGS:
        raise TooManyReadings(f"{comb(width, missing)} placements")
    return _insertions(values, width)


def _windows(values: Sequence[Value], slots: Sequence[bool], width: int) -> list[Reading]:
    """Every run of `width` consecutive fields that holds all printed values."""
    positions = [index for index, empty in enumerate(slots) if not empty]
    first, last = (positions[0], positions[-1]) if positions else (0, -1)
    readings = []
    for start in range(max(0, last - width + 1), min(first, len(slots) - width) + 1):
        iterator = iter(values)
        readings.append(tuple(None if slots[index] else next(iterator) for index in range(start, start + width)))
    return readings


def _insertions(values: Sequence[Value], width: int) -> list[Reading]:
    """Every way to put the missing blanks between, before or after the printed values."""
    readings = []
    for places in combinations(range(width), len(values)):
        reading = [None] * width
        for place, value in zip(places, values):
            reading[place] = value
        readings.append(tuple(reading))
    return readings


def splits(tokens: Sequence[str], width: int) -> list[Reading]:
    """Every way to cut each printed digit run into valid numbers, `width` numbers in all.

    A valid number has no leading zero (except 0 itself), at most MAX_DIGITS digits, and a decimal
    point stays inside one number. Bounded by design: past MAX_READINGS readings, or MAX_STEPS cut
    positions tried, the row is refused (TooManyReadings) before more memory or time is spent.
    """
    bound = comb(sum(len(token) for token in tokens) - 1, width - 1) if tokens else 0
    if bound > MAX_READINGS * 50:
        raise TooManyReadings(f"up to {bound} splits")
    readings: list[Reading] = []
    budget = _Budget()
    longest = [_longest(token) for token in tokens]
    room = [sum(longest[index:]) for index in range(len(tokens) + 1)]  # room[i]: most cells tokens[i:] fill
    last = len(tokens) - 1

    def keep(reading: Reading) -> None:
        readings.append(reading)
        if len(readings) > MAX_READINGS:
            raise TooManyReadings(f"over {MAX_READINGS} splits")

    def extend(index: int, prefix: tuple[Value, ...]) -> None:
        need = width - len(prefix)  # cells this token and the ones after it must fill
        if index == last:
            if need <= longest[index]:
                for parts in _cuts(tokens[index], need, budget):
                    keep(prefix + parts)
            return
        # every later token fills at least one cell and at most its digit count
        for count in range(max(1, need - room[index + 1]), min(need - (last - index), longest[index]) + 1):
            for parts in _cuts(tokens[index], count, budget):
                extend(index + 1, prefix + parts)

    if tokens:
        extend(0, ())
    return readings


def _longest(token: str) -> int:
    return sum(char.isdigit() for char in token) or 1


class _Budget:
    """Cut positions one enumeration may still try: the time bound of `splits`."""

    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = MAX_STEPS

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise TooManyReadings(f"over {MAX_STEPS} ways to try")


def number_too_long(text: str) -> bool:
    """More than MAX_DIGITS digits: no real count or amount, and beyond what JSON holds exactly."""
    return len(text) > MAX_DIGITS and sum(char.isdigit() for char in text) > MAX_DIGITS


def _number(text: str) -> Value | bool:
    """The value of one valid cut, or False (leading zero, too many digits, a stray point)."""
    if not _VALID_PART.match(text) or number_too_long(text):
        return False
    return float(text) if "." in text else int(text)


# Cuts of a (token, count) are remembered only when there are few of them, in a cache of bounded
# entries: its size is bounded, not only its number of entries (long glued rows have millions).
_CUT_CACHE: dict[tuple[str, int], tuple[tuple[Value, ...], ...]] = {}
_CACHE_ENTRIES = 4096
_CACHE_CUTS = 64


def _cuts(token: str, count: int, budget: _Budget | None = None) -> Iterable[tuple[Value, ...]]:
    """The ways to cut one token into exactly `count` valid numbers (lazily, unless cached)."""
    cached = _CUT_CACHE.get((token, count))
    if cached is not None:
        return cached
    return _cutting(token, count, budget or _Budget())


def _cutting(token: str, count: int, budget: _Budget) -> Iterator[tuple[Value, ...]]:
    kept: list[tuple[Value, ...]] | None = []
    for cut in _each_cut(token, count, budget):
        if kept is not None:
            kept.append(cut)
            if len(kept) > _CACHE_CUTS:
                kept = None
        yield cut
    if kept is not None:
        if len(_CUT_CACHE) >= _CACHE_ENTRIES:
            del _CUT_CACHE[next(iter(_CUT_CACHE))]  # the oldest entry
        _CUT_CACHE[(token, count)] = tuple(kept)


def _each_cut(token: str, count: int, budget: _Budget) -> Iterator[tuple[Value, ...]]:
    budget.spend()
    if token in NULL_MARKERS:
        if count == 1:
            yield (None,)
        return
    if token[:1] in "+-":  # the sign belongs to the first number of the run: `-20` is -20, or -2 and 0
        sign = -1 if token[0] == "-" else 1
        for parts in _cuts(token[1:], count, budget):
            yield (sign * parts[0], *parts[1:])
        return
    if count == 1:
        value = _number(token)
        if value is not False:
            yield (value,)
        return
    for end in range(1, min(len(token) - count + 2, MAX_DIGITS + 2)):  # a head holds <= MAX_DIGITS digits
        budget.spend()
        head = token[:end]
        if head.endswith(".") or token[end:end + 1] == ".":
            continue
        value = _number(head)
        if value is False:
            continue
        for rest in _cuts(token[end:], count - 1, budget):
            yield (value, *rest)


def expansions(values: Sequence[Value], width: int) -> list[Reading]:
    """Every way to undo collapsed runs: each printed value stands for 1 or more equal cells."""
    if not values or len(values) > width:
        return []
    if comb(width - 1, len(values) - 1) > MAX_READINGS:
        raise TooManyReadings(f"{comb(width - 1, len(values) - 1)} expansions")
    readings = []
    for cuts in combinations(range(1, width), len(values) - 1):
        bounds = (0, *cuts, width)
        readings.append(tuple(value for value, start, end in zip(values, bounds, bounds[1:])
                              for _ in range(end - start)))
    return readings


def merge(readings: list[Reading], width: int, rule: Callable[[Reading], bool] | None = None) -> Merged:
    """The cells all readings agree on, after dropping readings that break `rule`.

    A single reading is kept even when it breaks the rule: it is what the report prints, and the
    validator reports the inconsistency. When several readings exist and none keeps the rule,
    only the cells all of them agree on are kept.
    """
    if not readings:
        return Merged([None] * width, list(range(width)), 0, True)
    if len(readings) == 1:
        return Merged(list(readings[0]), [], 1, True)
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
