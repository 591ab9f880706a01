"""Stage 5b, rows: which readings a row's printed tokens allow, given the damage the page shows.

The family of readings is chosen from evidence about the whole page, never from the row alone:
`glued` pages run cells together (some token has a leading zero, like `0000000`), `collapsed`
pages merge identical adjacent lines (no two adjacent lines of the page are equal, and its tables
print a cell a line), and on pages printed one cell per line a line of several numbers is one
unreadable cell (`split_numbers`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product
from operator import attrgetter

from xxgk.parsing.cells import NULL_MARKERS, Kind, RawRow, Token
from xxgk.parsing.readings import (MAX_DIGITS, MAX_READINGS, NumberOutOfRange, Reading, TooManyReadings, UnreadableCell,
                       expansions, number_too_long, placements, splits)
from xxgk.parsing.sections import Line

UNIT = re.compile(r"(万元|元)$")


@dataclass(frozen=True)
class Damage:
    """What the page shows about its scraper (see page_damage)."""

    glued: bool = False
    collapsed: bool = False
    blanks_dropped: bool = False  # a glued table prints a row in fewer digits than it has cells: blank cells are not printed
    aligned: bool = False  # the tables' cells stand in columns padded with spaces (pdftotext -layout)
    guessed_fields: bool = False  # the fields between a table's bars are a PDF converter's guess (not its cells)
    wrapped_fields: bool = False  # a number wrapped inside its field (`2236<br>25`): the table was made of a PDF's lines
    document_reader: bool = False  # the lines are xxgk's own reading of a PDF or Word file, its fields the cells it placed
    text_lines: frozenset[int] = field(default=frozenset(), compare=False)  # the tables' lines with text (labels)
    cut_line: int = 0  # the source line the text stops on, inside a delimited field (table_sections); 0: none
    cut_width: int = 0  # the cells each of the two rows before it prints


def page_damage(lines: list[Line], table_tokens: list[Token], document_reader: bool = False) -> Damage:
    """What the page shows about its scraper: glued digit runs, collapsed identical lines.

    A leading zero that is the cut end of a wrapped number is no evidence of glued cells (see
    `_wrapped_tails`, `_after_cut_comma`), nor on a page laid out in columns (pdftotext -layout), whose
    cells stand apart and whose narrow columns stack a number's digits over several lines (`03`)."""
    counts = _numbers_per_line(table_tokens)
    aligned = _aligned(lines, counts)
    runs = [] if aligned else [position for position, token in enumerate(table_tokens)
                               if token.kind is Kind.run and not token.delimited]
    tails = _wrapped_tails(lines) if runs else set()  # a look at every line only where there is a run
    glued = any(table_tokens[position].line not in tails and not _after_cut_comma(table_tokens, position)
                for position in runs)
    texts = [text for line in lines if (text := line.text.strip())]
    numeric = sum(1 for text in texts if text.isdigit())
    repeats = sum(1 for first, second in zip(texts, texts[1:]) if first == second)
    collapsed = len(texts) >= 40 and numeric >= 20 and repeats == 0 and _one_cell_a_line(counts)
    text_lines = frozenset(token.line for token in table_tokens if token.kind is Kind.text)
    return Damage(glued=glued, collapsed=collapsed, aligned=aligned, text_lines=text_lines,
                  guessed_fields=not document_reader and _guessed_fields(lines, table_tokens),
                  wrapped_fields=not document_reader and _wrapped_fields(table_tokens), document_reader=document_reader)


def _guessed_fields(lines: list[Line], table_tokens: list[Token]) -> bool:
    """Fields between bars that hold several numbers (`| 848 13 |`): a converter of PDF tables (markitdown)
    guessed where the cells are, and guessed wrong, so a row's fields are not its cells for certain (a
    number cut over two rows, `| 21, |` over `| 57 |`, is continued.py's). Only between bars: tab-separated
    rows (a PDF's own grid, sources/pdf.py) print a number cut by a page break or a wrap as `56 6` in its
    own cell."""
    suspects = [token.line for token in table_tokens if token.delimited and token.kind is Kind.unreadable
                and " " in token.text]
    if len(suspects) < 2:
        return False
    lines_of_suspects = set(suspects)
    barred = {line.no for line in lines if line.no in lines_of_suspects and "|" in line.text}
    return sum(1 for line in suspects if line in barred) >= 2


def _wrapped_fields(table_tokens: list[Token]) -> bool:
    """A `<br>` between two numbers of one field (`|2236<br>25|`): a PDF table converter (pymupdf4llm) made
    the table of the PDF's text lines, so a number may also have wrapped into the table row below, past
    a page break and a header printed again; the rows' fields are not their cells for certain."""
    return any(token.text == "<br>" and token.delimited and previous.kind is Kind.value and following.kind is Kind.value
               and previous.line == token.line == following.line
               for previous, token, following in zip(table_tokens, table_tokens[1:], table_tokens[2:]))


_PADDED = re.compile(r"\d {2,}[\d/—－-]")


def _aligned(lines: list[Line], counts: dict[int, int]) -> bool:
    """Most lines of the tables that hold several numbers space them two or more apart: the text lays
    its cells out in columns (pdftotext -layout), so numbers on other lines than a row's label stand
    under their columns, not in the order of the text (`counts`: _numbers_per_line of the tables' tokens)."""
    several = {line for line, count in counts.items() if count >= 2}
    texts = {line.no: line.text for line in lines if line.no in several}
    padded = sum(1 for text in texts.values() if _PADDED.search(text))
    return bool(texts) and 2 * padded > len(texts)


def _one_cell_a_line(counts: dict[int, int]) -> bool:
    """The tables are printed one cell per line (nine numbers in ten alone on their line), the only
    layout in which merged identical lines can hide cells. pdftotext -raw prints rows on a line each,
    with the wrapped ends of narrow cells (`4`, `07`) alone on the lines between them: no two equal."""
    alone = sum(1 for count in counts.values() if count == 1)
    return 10 * alone >= 9 * sum(counts.values())


_NUMBERS_ONLY = re.compile(r"^[\d,\s]*\d[\d,\s]*$")
_ENDS_IN_A_NUMBER = re.compile(r"[\d,]$")


def _wrapped_tails(lines: list[Line]) -> set[int]:
    """Source lines that hold the cut ends of wrapped numbers: a line of nothing but numbers right under
    a line that ends in a number (`7.属于行政执法案卷 0 3011 0 239 302,` over `05 093`, for 301105 and
    302,093: a narrow cell wraps its number in pdftotext text). A glued page runs a row's cells together
    on the row's own line, beside its label; lines that share a source line (HTML) are never tails."""
    tails: set[int] = set()
    previous: Line | None = None
    seen: dict[int, int] = {}
    for line in lines:
        seen[line.no] = seen.get(line.no, 0) + 1
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if (previous is not None and seen[line.no] == 1 and seen[previous.no] == 1 and _NUMBERS_ONLY.match(text)
                and _ENDS_IN_A_NUMBER.search(previous.text.strip())):
            tails.add(line.no)
        previous = line
    return tails


def _after_cut_comma(tokens: list[Token], position: int) -> bool:
    """`1,05` (the first digits of 1,051, its last digit wrapped onto the next line): digits after a
    thousands comma that are fewer than a group of three are a cut number, not glued cells."""
    token = tokens[position]
    if position < 2 or len(token.text) >= 3:
        return False
    comma, before = tokens[position - 1], tokens[position - 2]
    return (comma.kind is Kind.text and comma.text == "," and before.kind is Kind.value
            and comma.line == before.line == token.line)


_NUMBER_KINDS = frozenset({Kind.value, Kind.run, Kind.null})


def _numbers_per_line(tokens) -> dict[int, int]:
    """Source line -> how many numbers (or blank markers) outside delimited fields it holds."""
    counts: dict[int, int] = {}
    for token in tokens:
        if token.kind in _NUMBER_KINDS and not token.delimited:
            counts[token.line] = counts.get(token.line, 0) + 1
    return counts


def split_numbers(sections: dict[str, list[Token]]) -> dict[str, list[Token]]:
    """On a page whose tables are printed one cell per line (nine lines in ten of the tables' numbers
    hold one number), a line of several numbers (`2 65`) is most likely one number that a converter or
    OCR split with a space, or else several cells: not known which, so its numbers become one
    unreadable cell. (No labelled one-cell-per-line page has such a line.)"""
    counts = _numbers_per_line(token for tokens in sections.values() for token in tokens)
    several = {line for line, count in counts.items() if count > 1}
    if not several or len(counts) - len(several) < 9 * len(several):
        return sections
    return {key: _unreadable_lines(tokens, several) for key, tokens in sections.items()}


def _unreadable_lines(tokens: list[Token], lines: set[int]) -> list[Token]:
    marked: list[Token] = []
    for token in tokens:
        if token.line in lines and token.kind in _NUMBER_KINDS and not token.delimited:
            if marked and marked[-1].line == token.line and marked[-1].kind is Kind.unreadable:
                marked[-1] = marked[-1]._replace(text=f"{marked[-1].text} {token.text}")
                continue
            token = token._replace(kind=Kind.unreadable)
        marked.append(token)
    return marked


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
    anywhere: a row without visible gaps), splits (digit runs), expansions (collapsed lines). A row
    with tokens of two possible roles (an item number or a cell, a minus sign or a dash) has the
    readings of every combination of roles.
    """
    kinds = set(map(_kind, row.printed))
    if Kind.unreadable in kinds:
        if damage.cut_width == width and (reading := _cut_reading(row, width, damage.cut_line)) is not None:
            return [reading], "cut"
        text = next(token.text for token in row.printed if token.kind is Kind.unreadable)
        raise UnreadableCell(f"the cell '{text[:20]}', whose number is not all there")
    if Kind.maybe in kinds or Kind.signed in kinds:
        return _role_readings(row, width, damage)
    return _readings(row, width, damage)


def _cut_reading(row: RawRow, width: int, line: int) -> Reading | None:
    """A delimited row the text stops in (its last field unreadable), on a page whose rows before it print
    all their cells (table_sections): the fields before, closed by their delimiters and with no empty field
    among them, are its first cells in order; the cut field and the cells never printed after it are None
    (settle marks them undetermined)."""
    *closed, cut = row.printed
    if (not row.delimited or cut.kind is not Kind.unreadable or len(row.printed) > width
            or any(token.line != line or token.kind not in (Kind.value, Kind.null) for token in closed)
            or any(token.kind is Kind.empty for token in row.cells)):
        return None
    return (*map(parse, closed), *(None,) * (width - len(closed)))


def _readings(row: RawRow, width: int, damage: Damage) -> tuple[list[Reading], str]:
    printed = row.printed
    has_run = Kind.run in map(_kind, printed)
    if len(printed) == width and not has_run:
        _refuse_long_numbers(printed)
        return [tuple(map(parse, printed))], "printed"
    if len(printed) > width:
        return [], "too many"
    if has_run or (damage.glued and not row.delimited):  # splits never make a number of more than MAX_DIGITS digits
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


_AMBIGUOUS = (Kind.maybe, Kind.signed)
MAX_ROLE_COMBINATIONS = 64


def _role_readings(row: RawRow, width: int, damage: Damage) -> tuple[list[Reading], str]:
    """The readings of every combination of roles of the row's ambiguous tokens, in one list."""
    ambiguous = sum(token.kind in _AMBIGUOUS for token in row.cells)
    if 2 ** min(ambiguous, 64) > MAX_ROLE_COMBINATIONS:
        raise TooManyReadings(f"{ambiguous} tokens of two possible roles")
    choices = [_roles(token) for token in row.cells]
    readings: dict[Reading, None] = {}
    families = set()
    for cells in product(*choices):
        kept = [cell for cell in cells if cell is not None]
        variant = RawRow(row.label, row.line, kept, row.delimited, [cell for cell in kept if cell.kind is not Kind.empty])
        found, family = _readings(variant, width, damage)
        families.add(family)
        readings.update(dict.fromkeys(found))
        if len(readings) > MAX_READINGS:
            raise TooManyReadings(f"over {MAX_READINGS} readings of token roles")
    return list(readings), "insertions" if "insertions" in families else "roles"


def _roles(token: Token) -> tuple[Token | None, ...]:
    """What a token can be: an item number is a cell or no cell; `-5` after digits is -5 or 5."""
    if token.kind is Kind.maybe:
        return (token._replace(kind=Kind.null if token.text in NULL_MARKERS else Kind.value), None)
    if token.kind is Kind.signed:
        return (token._replace(kind=Kind.value), token._replace(kind=Kind.value, text=token.text[1:]))
    return (token,)


NO_DAMAGE = Damage()
