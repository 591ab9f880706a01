"""Stage 5a, damaged numbers: what OCR and converters print where a number was.

OCR reads a digit as a character that looks like it (`l` `I` `i` `|` for 1, `O` `D` for 0, `Z` `z` for 2,
`S` for 5, `B` for 8, `b` for 6, `g` `q` for 9, `T` for 7, symbols: `(` for 0, `]` for 1, `$` for 5);
converters cut a number's thousands apart (`1,64 0`). A cell printed that way is unreadable: its number
is not known, and it must become neither label text (the row's later cells would shift into the wrong
columns) nor a delimiter (a `|` for 1 splits one cell in two, or turns a line of cells separated by
spaces into a row of pipe fields).
The tokenizer (cells.py) asks these predicates; they look at text only.
"""
from __future__ import annotations

import re

CUT_GROUPS = re.compile(r"(?=.*\d)(?=.*,)[\d,.\s]+")
# Letters OCR gives from another script where a digit was, which NFKC leaves alone: accented and extended
# Latin (`ı`), Greek (`Ο`, `Ι`), Cyrillic (`О`, `І`, `З`), the CJK stroke 丨 for 1 and the ideographic zero 〇:
# never part of a label beside digits or alone on a line of a table.
_FOREIGN = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff\u4e28\u3007"
# a cell of look-alike letters (`O`, `l`, `i`, `Z` for 0, 1, 1, 2), or a number with Latin letters among its
# digits (`3b`, `1T`, `80S7`); with a sign, any letter or a lost character (`+b`, `+?`: a change, never a label)
OCR_DIGIT = re.compile(rf"^(?:[+-]?(?:[A-Zilosz{_FOREIGN}]|(?=.*[lIiOoSZB])[\dlIiOoSZB]{{1,6}})|[+-][a-z?{_FOREIGN}])$")
# a number with letters or symbols among its digits (`3b`, `21$4`, `1]`, `2о6`): nothing but digits and look-alikes
OCR_NUMBER = re.compile(rf"^[+-]?(?=.*\d)(?=.*[A-Za-z$&!?@#\[\]{_FOREIGN}])[\dA-Za-z$&!?@#\[\]{_FOREIGN}]{{2,8}}$")
BROKEN_DECIMAL = re.compile(r"^(?:\d{3,}(?:\.\d*)?\.|\.\d+)$")  # `96171.` or `.6`: a decimal cut at its point

# A line that is only a bar: the row start of a one-cell-a-line pipe layout (FORMAT §7.5 D, `|` then
# `行政许可 |`), or a cell `1` (`+1`, `-1`) that OCR read as `|` on a page of one cell per line.
BARS = frozenset({"|", "+|", "-|"})
# A lowercase letter or an ASCII symbol where a cell was (b for 6, g or q for 9, `(` for 0, `]` for 1, `$` for
# 5): told from a row's label (tests use a, b, x) or a bracket of a label by its place (look_alike_is_cell)
LOOK_ALIKES = frozenset("abcdefghijklmnopqrstuvwxyz!$&?@#[](){}")

_NUMBER_WORD = re.compile(r"^[+-]?\d[\d,.]*$")
_TOUCHING = re.compile(r"\d\||\|\d")  # a bar right against a digit
_LOOSE_BAR = re.compile(r"\s\||\|\s")  # a bar with a space beside it


def look_alike_is_cell(before: str, after: str, alone: bool = False) -> bool:
    """A lowercase letter or an ASCII symbol (LOOK_ALIKES) where a cell was, told by its neighbours' roles
    (`cell`; `label`, text with a Chinese character; `` for anything else or nothing). On its line: after a
    cell (`0 b 26`: no label follows a cell of its line), or after a Chinese label and before a cell
    (`行政处罚 | b | 0`). Alone on its line: between cells and Chinese labels, one of them a cell (`1 / b /
    26`, `行政处罚 / b / 0`). A placeholder label (`a`, `b`) sits after Latin text or nothing, or after a
    row's cells with no cell after it; a bracket of a wrapped label (`三 / ( / 一`) between labels."""
    if alone:
        return bool(before and after) and "cell" in (before, after)
    return before == "cell" or before == "label" and after == "cell"


def pipe_in_spaced_cells(text: str) -> bool:
    """The line's cells are separated by spaces and a `|` in it stands for a digit (`行政许可 1 0 7|`,
    `12 0 |2`): a field between its bars holds a number among other words, while a converter's pipe
    row holds one cell per field (no labelled pipe row has such a field), and a markdown row starts with
    its bar (`| 0 件 |` is a cell with its unit, not spaced cells)."""
    if text.lstrip().startswith("|"):
        return False
    for field in text.split("|"):
        words = field.split()
        if len(words) > 1 and any(_NUMBER_WORD.match(word) for word in words):
            return True
    return False


def bar_in_word(word: str) -> bool:
    """A word of spaced cells with a `|` where a digit was (`7|`, `1|1`, `|` alone): an unreadable cell."""
    return word in BARS or any(char.isdigit() for char in word)


def _bars_alike(text: str) -> bool:
    """Every bar of a row spaced alike on each side where a cell touches it, seen three times or more:
    html2text's `一、…数量| 821| 35|  |  | 859` (none before a bar, one after) is a layout, while
    `| 1|91 |` has a cell against a bar among cells spaced from theirs (OCR's `|` for 1)."""
    fields = text.split("|")
    before = [field[-1] == " " for field in fields[:-1] if field.strip()]
    after = [field[0] == " " for field in fields[1:] if field.strip()]
    return len(before) + len(after) >= 3 and len(set(before)) <= 1 and len(set(after)) <= 1


def cut_fields(text: str, fields: list[str]) -> list[bool] | None:
    """Which of a pipe row's fields (`text` split at every `|`, nothing dropped) a bar cuts into:
    a digit right against a bar in a row whose bars otherwise stand apart from their cells (`| 1|91 |`,
    `| 3| |`: OCR's `|` for 1), or in a row of one or two fields (`1|`). None when no bar touches a digit
    or the row's bars are all spaced alike (`|1|2|3|`, `数量| 821| 35|`), where touching is the layout itself."""
    if _TOUCHING.search(text) is None:
        return None
    stripped = text.strip()
    if stripped.count("|") > 1 and (_LOOSE_BAR.search(stripped) is None or _bars_alike(stripped)):
        return None
    last = len(fields) - 1
    return [(index > 0 and field[:1].isdigit()) or (index < last and field[-1:].isdigit())
            for index, field in enumerate(fields)]
