"""Stage 5a, cells: a section's lines as a stream of tokens, grouped into labelled rows.

Every table layout of FORMAT.md §7.5 reduces to the same stream: text tokens (labels and headers),
value tokens (one printed cell each), empty tokens (an empty delimited field) and run tokens (digits
of several cells run together, which no single cell can hold). A row is the label text collected
since the previous value, followed by the values up to the next text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from xxgk.parsing.caching import cache_short
from xxgk.parsing.number_damage import (BARS, BROKEN_DECIMAL, CUT_GROUPS, LOOK_ALIKES, OCR_DIGIT, OCR_NUMBER,
                                        bar_in_word, cut_fields, look_alike_is_cell, pipe_in_spaced_cells)
from xxgk.sources.normalize import unify_label
from xxgk.parsing.sections import Line
from xxgk.parsing.token_passes import doubtful_tokens, join_counters, role
from xxgk.parsing.tokens import CELL_KINDS, Kind, Token

_DIGITS = r"(?:[1-9]\d{0,2}(?:,\d{3})+(?![\d,])|\d+)"  # `4,529`: thousands separated by commas, or plain
NUMBER = re.compile(rf"^[+-]?{_DIGITS}(?:\.\d+)?(?:万元|元)?$")
NULL_MARKERS = frozenset({"/", "-", "—", "－", "–", "无", "N/A", "n/a", "—/—"})
_RUN = re.compile(r"^[+-]?0\d")  # a leading zero: the digits of several cells
_PIECE = re.compile(rf"[+-]?{_DIGITS}(?:\.\d+)?(?:万元|元)?|[^\d]+")
_HAS_DIGIT = re.compile(r"\d")
_MARKDOWN_RULE = re.compile(r"^\s*(?:\|\s*)?:?-{2,}")  # `\s*\|?\s*` was quadratic on long blank runs
_LIST_NUMERAL_SPACE = re.compile(r"(?<![\d.])(\d{1,2})\s*([.、])\s+(?=[^\d\s|])")
_ITEM_BRACKET_SPACE = re.compile(r"(?<=\d\))\s+(?=[^\d\s|()])")  # `2) 部分公开`: the item number's label
_NOT_A_CELL_AFTER = ("第", "表", "附件", "附表")
_PHONE = re.compile(r"(?<![\d.+-])0\d{2,3}[-－]\d{7,8}(?![\d.])")  # a phone number: area code, dash, number
_CELL_UNIT = re.compile(rf"^({_DIGITS})(?:件|个|次|项|家|条|份|篇)$")  # `60件` as the whole cell: the cell 60
_ITEM_NUMBER_LINE = re.compile(r"^\s*([1-9]\d?)\s*[.、)]\s*$")  # `2.`, `2)` alone: a row's item number, or a cell
SIGN_WORDS = {"减": "-", "减少": "-", "下降": "-", "增": "+", "增加": "+", "上升": "+"}
MAX_TABLE_CHARS = 100_000  # non-blank characters of one table section; real ones have under 5,000


@dataclass
class RawRow:
    """Label text and the cells that follow it."""

    label: str
    line: int
    cells: list[Token] = field(default_factory=list)
    delimited: bool = False
    printed: list[Token] = field(default_factory=list)  # the cells that are not empty fields, in order
    continued: RawRow | None = None  # a row of numbers below it that may hold its cells' wrapped lines (continued.py)


def tokenize(lines: list[Line]) -> list[Token]:
    """The tokens of a section, each with its source line."""
    tokens: list[Token] = []
    for number, text in lines:
        if text:  # tuple.__new__ builds the same Token as Token(...) without a Python call per token
            tokens.extend([_new_tuple(Token, (kind, piece, number, delimited))
                           for kind, piece, delimited in _line_tokens(text)])
    return doubtful_tokens(join_counters(tokens))


_new_tuple = tuple.__new__


def table_chars(lines: list[Line]) -> int:
    """Characters of a section other than spaces: the most tokens it can hold (a tab or a pipe is an
    empty field)."""
    return sum(len(text) - text.count(" ") for _, text in lines)


@cache_short(maxsize=1 << 15)
def _line_tokens(text: str) -> tuple[tuple[Kind, str, bool], ...]:
    """A line's tokens without its line number (reports repeat most short lines: cached)."""
    if ". " in text or "、 " in text or ".\u3000" in text:
        text = _LIST_NUMERAL_SPACE.sub(r"\1\2", text)
    if ") " in text:
        text = _ITEM_BRACKET_SPACE.sub("", text)
    if text.isspace() or _MARKDOWN_RULE.match(text):
        return ()
    if (item := _ITEM_NUMBER_LINE.match(text)) is not None:
        return ((Kind.maybe, item[1], False),)
    if "\t" in text:
        tokens = _delimited(text, 0)
    elif "|" in text:
        if (bar := text.strip()) in BARS:  # a row's start, or a cell 1 read as `|` (token_passes)
            return ((Kind.unreadable, bar, False),)
        tokens = _free(text, 0) if pipe_in_spaced_cells(text) else _delimited(text, 0)
    else:
        tokens = _free(text, 0)
    return tuple((token.kind, token.text, token.delimited) for token in tokens)



def _classify(piece: str, line: int, delimited: bool = False) -> Token:
    if "," in piece and NUMBER.match(piece):
        piece = piece.replace(",", "")  # `4,529`: one number
    if piece.isdecimal():  # the common case, without a regex
        run = len(piece) > 1 and piece[0] == "0"
        return Token(Kind.run if run else Kind.value, piece, line, delimited)
    if piece in NULL_MARKERS:
        return Token(Kind.null, piece, line, delimited)
    if NUMBER.match(piece):
        return Token(Kind.run if _RUN.match(piece) else Kind.value, piece, line, delimited)
    return Token(Kind.text, piece, line, delimited)


def _delimited(text: str, line: int) -> list[Token]:
    if "\t" in text:
        fields = text.split("\t")
        cut = None
    else:
        fields = text.split("|")
        cut = cut_fields(text, fields)  # `| 1|91 |`: a bar where a digit was
        if text.lstrip().startswith("|"):
            fields, cut = fields[1:], cut and cut[1:]
        if fields and not fields[-1].strip():
            fields = fields[:-1]
    tokens: list[Token] = []
    letters: list[int] = []
    for index, raw in enumerate(fields):
        piece = raw.strip()
        if not piece:
            tokens.append(Token(Kind.empty, "", line, True))
        elif cut and cut[index] and piece[0] in "+-0123456789":
            tokens.append(Token(Kind.unreadable, piece, line, True))
        elif piece in NULL_MARKERS or NUMBER.match(piece):
            tokens.append(_classify(piece, line, True))
        elif (unit := _CELL_UNIT.match(piece)) is not None:
            tokens.append(_classify(unit[1], line, True))
        elif CUT_GROUPS.fullmatch(piece):  # `1,64 0`, `124,`: a number's thousands cut apart, not one number
            tokens.append(Token(Kind.unreadable, piece, line, True))
        elif OCR_DIGIT.match(piece) or OCR_NUMBER.match(piece):  # `l` for 1, `O` for 0 (OCR): not readable
            tokens.append(Token(Kind.unreadable, piece, line, True))
        elif piece in LOOK_ALIKES:  # `| 0 | b | 26 |`: b for 6, or a placeholder label (_letter_cells)
            letters.append(len(tokens))
            tokens.append(Token(Kind.text, piece, line, True))
        elif _NUMBERED_HEADER.match(piece):  # `数据1` … `数据6`: placeholder column headers, not cells
            tokens.append(Token(Kind.text, piece, line, True))
        else:
            pieces = _free(piece, line, True)
            if len(pieces) > 1 and all(token.kind in CELL_KINDS for token in pieces):
                # two numbers in one cell (`<p>1</p><p>859</p>`): which is the cell's is unknown
                pieces = [Token(Kind.unreadable, " ".join(token.text for token in pieces), line, True)]
            tokens.extend(pieces)
    if letters:
        _letter_cells(tokens, letters)
    first = next((token.kind for token in tokens if token.kind is not Kind.empty), None)
    if first is Kind.text:  # spanned label columns before the row's own label (one cut: pop(0) was quadratic)
        del tokens[:next(index for index, token in enumerate(tokens) if token.kind is not Kind.empty)]
    return tokens


_NUMBERED_HEADER = re.compile(r"^[^\d\s|.、()（）]{1,4}\d{1,2}$")


def _free(text: str, line: int, delimited: bool = False) -> list[Token]:
    tokens: list[Token] = []
    previous_word = ""
    words = text.split()
    last = len(words) - 1
    for index, word in enumerate(words):
        after, previous_word = previous_word, word
        if index == last and (item := _ITEM_NUMBER_LINE.match(word)) is not None and not after.endswith(
                _NOT_A_CELL_AFTER):  # `… 0 2.` at a line's end, the label `其他…` on the next line
            tokens.append(Token(Kind.maybe, item[1], line, delimited))
            continue
        if last == 0 and (unit := _CELL_UNIT.match(word)) is not None:  # a line `60件` alone: a cell with its unit
            tokens.append(_classify(unit[1], line, delimited))
            continue
        if BROKEN_DECIMAL.match(word):  # the rest of the number is on another line, or lost
            tokens.append(Token(Kind.unreadable, word, line, delimited))
            continue
        if word.isdecimal():
            caption = after.endswith(_NOT_A_CELL_AFTER) or (  # `表 2`, `第 3`: a caption or ordinal
                after == "(" and index < last and words[index + 1][0] == ")")  # `( 1 )`: an item number
            tokens.append(Token(Kind.text, word, line, delimited) if caption else _classify(word, line, delimited))
            continue
        if word in NULL_MARKERS:
            tokens.append(Token(Kind.null, word, line, delimited))
            continue
        if OCR_NUMBER.match(word) or last == 0 and OCR_DIGIT.match(word) or "|" in word and bar_in_word(word):
            # `l1`, `3b`, `7|`, or `O` alone on its line: a number with look-alike letters (OCR), not label text
            tokens.append(Token(Kind.unreadable, word, line, delimited))
            continue
        if len(word) == 1 and word in LOOK_ALIKES and not delimited and not (index + 2 <= last and words[index + 2][0] == ")") and (
                look_alike_is_cell(role(tokens[-1] if tokens else None),
                                   "cell" if index < last and _cell_word(words[index + 1]) else "")):
            tokens.append(Token(Kind.unreadable, word, line, delimited))  # `0 b 26`: a letter among cells (b for 6)
            continue
        if not _HAS_DIGIT.search(word):  # most words: label text only
            tokens.append(Token(Kind.text, word, line, delimited))
            continue
        if (phone := _PHONE.search(word)) is not None:  # `电话：0371-12345678` in a footer: no cells, no glued digits
            tokens += [*_free(word[:phone.start()], line, delimited), Token(Kind.text, phone[0], line, delimited),
                       *_free(word[phone.end():], line, delimited)]
            continue
        pieces = _PIECE.findall(word)
        skip = False
        for position, piece in enumerate(pieces):
            if skip:
                skip = False
                continue
            following = pieces[position + 1] if position + 1 < len(pieces) else ""
            previous = pieces[position - 1] if position else ""
            if piece in SIGN_WORDS and following[:1].isdigit() and (not previous or previous[-1:].isdigit()):
                tokens.append(_classify(SIGN_WORDS[piece] + following, line, delimited))  # `16减12`, `减12`: -12
                skip = True
                continue
            if piece[0].isdigit() or piece[0] in "+-" and piece[1:2].isdigit():
                if _is_list_numeral(piece, previous, following) or (previous or after).endswith(
                        _NOT_A_CELL_AFTER):  # `表3`, and `第 2.` `见表 3。` with the word before
                    tokens.append(Token(Kind.text, piece, line, delimited))
                    continue
                if _glued_list_numeral(piece, following):
                    tokens.extend([_classify(piece[:-1], line, delimited), Token(Kind.text, piece[-1], line, delimited)])
                    continue
                if piece[0] in "+-" and previous[-1:].isdigit():
                    tokens.append(Token(Kind.signed, piece, line, delimited))
                    continue
            tokens.append(_classify(piece, line, delimited))
    return tokens


def _letter_cells(tokens: list[Token], letters: list[int]) -> None:
    """Whole fields of one lowercase letter or symbol that stand where a cell was (look_alike_is_cell)."""
    for index in letters:
        before = next((token for token in reversed(tokens[:index]) if token.kind is not Kind.empty), None)
        after = next((token for token in tokens[index + 1:] if token.kind is not Kind.empty), None)
        if look_alike_is_cell(role(before), role(after)):
            tokens[index] = tokens[index]._replace(kind=Kind.unreadable)


def _cell_word(word: str) -> bool:
    return word[0].isdigit() or word[0] in "+-" and word[1:2].isdigit() or word in NULL_MARKERS


def _is_list_numeral(piece: str, previous: str, following: str) -> bool:
    """`1.属于…`, `12.没有…`, `3、其他`, `(1)`, `2)部分公开`: a row number, part of the label (no template
    prints a cell in brackets)."""
    starts_label = following[:1] in (".", "、", ",", ")") and following[1:2] and not following[1:2].isdigit()
    return ((starts_label or following[:1] == ")" and previous[-1:] == "(") and len(piece) <= 2
            and piece[0] != "0"  # `02.其他`: a cell 0 glued to item 2
            and not (previous and previous[-1].isdigit()))


def _glued_list_numeral(piece: str, following: str) -> bool:
    """`3200000326.属于…`: the next row's number `6.` stuck to the digits of this row's cells."""
    return (len(piece) >= 2 and piece.isdigit() and following[:1] in (".", "、", ")")
            and bool(following[1:2]) and not following[1:2].isdigit())


def _row_line(cells: list[Token]) -> bool:
    """The row's cells end with a delimited line of several cells, one of them printed (not one cell a
    line, as `0 |` lines are)."""
    last, count, printed = cells[-1].line, 0, False
    for cell in reversed(cells):  # the last line's cells only: a row of one cell a line stays linear
        if cell.line != last:
            break
        count, printed = count + 1, printed or cell.kind is not Kind.empty
    return count > 1 and cells[-1].delimited and printed


def group_rows(tokens: list[Token]) -> list[RawRow]:
    """Rows: label text collected since the last value, then the values up to the next text.

    A delimited row (tabs, pipes, HTML cells) ends with the line of its values: a line of cells without a
    label after it is a row of its own (a converter lost its label), not more cells of this one.
    Empty fields on a line with no printed value (header padding) are dropped when the values
    start on a later line: they are not blank cells of the row that follows (the values line's own
    empty fields before its first value are).
    """
    rows: list[RawRow] = []
    label: list[str] = []
    label_line = 0
    row = None
    cells: list[Token] = []
    printed: list[Token] = []
    text, empty = Kind.text, Kind.empty
    for token in tokens:
        kind = token.kind
        if kind is text:
            if not label:
                label_line = token.line
            label.append(token.text)
            continue
        if label or row is None or token.delimited and token.line != cells[-1].line and _row_line(cells):
            # a row printed across a delimited line ends with it: cells on the next line without a label
            # are another row's
            row = RawRow(unify_label("".join(label)), label_line or token.line)
            rows.append(row)
            cells, printed = row.cells, row.printed
            label = []
        if kind is not empty:
            if not printed and cells and cells[0].line != token.line:  # header padding on earlier lines
                cells[:] = [cell for cell in cells if cell.line == token.line]
            printed.append(token)
        cells.append(token)
        if token.delimited:
            row.delimited = True
    if label:
        rows.append(RawRow(unify_label("".join(label)), label_line))
    return rows
