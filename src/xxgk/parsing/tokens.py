"""Stage 5a, tokens: what one printed piece of a table section is (FORMAT.md §7.5 layouts all reduce to
a stream of these; cells.py makes them, rows.py and the table readers read them)."""
from __future__ import annotations

from enum import Enum
from typing import NamedTuple


class Kind(str, Enum):
    text = "text"
    value = "value"   # a printed number
    null = "null"     # a printed blank marker: / - — 无
    empty = "empty"   # an empty delimited field: a blank cell or a spanned column
    run = "run"       # digits of several cells run together
    unreadable = "unreadable"  # a cell whose number is not all there (`96171.` / `6`, two numbers in one cell)
    maybe = "maybe"   # a number that is either a cell or the next row's item number (`0 / 2. / 其他…`)
    signed = "signed"  # `-18538` right after digits: a minus sign, or a dash between two cells


class Token(NamedTuple):
    kind: Kind
    text: str
    line: int
    delimited: bool = False




CELL_KINDS = frozenset({Kind.value, Kind.run, Kind.null, Kind.signed, Kind.maybe, Kind.unreadable})
