"""Stage 5c, wrapped ends: on a page laid out in columns (pdftotext -layout), the numbers of no row that
stand on the lines right under a row's numbers may be the wrapped ends of its cells.

A PDF cell too narrow for its number wraps the number's last digits onto the next line, where -layout
prints them under it, beside whatever label text stands there (a group label's rest: `1.信访举报投诉类申请
0 0 1729 0 0 0 1729` over `予处理 143 143`, for 1729143). The row's sum holds on the cut ends too, so no
rule tells them: the row is null. The same loose numbers may instead begin the next row's cells (a tall row
prints a wrapped number's first part above its label's line and the rest under it: `二、上年结转… 68`, then
`三、本 1,16`, `（一）予以公开 0 0 0 860 289 19`, `年度办 8` for 1,168): they are the next row's when that row
has as many numbers under its own line as stand above it.
"""
from __future__ import annotations

import re

from xxgk.parsing.cells import Kind, RawRow
from xxgk.templates.spec import Row as RowSpec
from xxgk.report.findings import Finding, finding

_NUMBERS = (Kind.value, Kind.run, Kind.signed)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def drop_wrapped_rows(rows: list[RawRow], named: dict[int, str], matched: dict[str, RawRow], section: str,
                      findings: list[Finding], specs: dict[str, RowSpec]) -> None:
    """Make null (drop from `matched`) each row whose wrapped ends may stand on the lines under it;
    `named` tells the template row of each raw row that was matched (by id)."""
    starts = [position for position, row in enumerate(rows) if id(row) in named] + [len(rows)]
    for this, following, beyond in zip(starts, starts[1:], [*starts[2:], len(rows)]):
        key = named[id(rows[this])]
        loose = rows[this + 1:following]
        after = rows[following:beyond] if following < len(rows) else []
        if key not in matched or not loose:
            continue
        if _may_wrap(matched[key], loose, specs[key], after, len(specs[named[id(after[0])]].fields) if after else 0):
            del matched[key]
            findings.append(finding("ambiguous_cells", "numbers of no row stand on the line right under this "
                                    "row's numbers, on a table laid out in columns: they may be the wrapped "
                                    "ends of its cells (`1729` over `143`, for 1729143), so its cells are null",
                                    key=f"{section}.{key}", line=loose[0].line))


def drop_rows_inside_labels(rows: list[RawRow], named: dict[int, str], matched: dict[str, RawRow], section: str,
                            findings: list[Finding], specs: tuple[RowSpec, ...], keywords: re.Pattern) -> None:
    """A row whose numbers stand inside another row's label is null: a label printed a character a line
    (a narrow label column) whose numbers sit beside its middle (`行 / 政 / 处 / 罚 / 行 / 政 / 326 / 强 / 制`,
    326 of 行政强制, read as 行政处罚's: the label before the number ends in 行政处罚). Found by a row keyword
    that runs across the numbers, from the end of the row's label into the text after them, and names
    another row (`5.属于三类内部事 0 0 19 …` over `务信息` is the row's own label, wrapped)."""
    for position, row in enumerate(rows[:-1]):
        key = named.get(id(row))
        if key is None or key not in matched or not row.printed or row.delimited:
            continue
        end, start = row.label[-_SPAN:], rows[position + 1].label[:_SPAN]
        if any(hit.start() < len(end) < hit.end() and specs[int(hit.lastgroup[1:].split("_")[0])].key != key
               for hit in keywords.finditer(end + start)):
            del matched[key]
            findings.append(finding("ambiguous_cells", "this row's numbers stand inside the label of a row (a label "
                                    "printed a character a line: `行 政 326 强 制`), so whose they are is not "
                                    "known; its cells are null", key=f"{section}.{key}", line=row.printed[0].line))


def drop_rows_around_labels(rows: list[RawRow], named: dict[int, str], matched: dict[str, RawRow], section: str,
                            findings: list[Finding], text_lines: frozenset[int], aligned: bool) -> None:
    """Rows whose numbers go on onto lines of nothing but numbers after a line that holds text and numbers
    (pdftotext -raw: `规章 15` / `99261` / `4`, 992614 wrapped in a narrow cell), or, laid out in columns,
    stand all on such lines under a label with numbers right above it (`1704 3843 …` / `（七）总计` / `7 6 …`,
    17047 …: a tall row wrapped around its label): which numbers are whose cells is not known, so null."""
    previous = None
    one_line = _rows_on_their_label_line(rows, named, text_lines)
    for row in rows:
        key = named.get(id(row))
        if key is not None and key in matched and row.printed and not row.delimited:
            lines = sorted({token.line for token in row.printed})
            bare = [line for line in lines if line not in text_lines]
            continued = one_line and bare and lines[0] in text_lines and bare[0] > lines[0]
            around = (aligned and len(bare) == len(lines) and lines[0] > row.line and previous is not None
                      and previous >= row.line - 1)
            if continued or around:
                del matched[key]
                findings.append(finding("ambiguous_cells", "this row's numbers go on onto lines of nothing but "
                                        "numbers (a narrow cell's number wrapped: `规章 15` / `99261` / `4`, or a "
                                        "tall row around its label), so which cells they are is not known; its "
                                        "cells are null", key=f"{section}.{key}", line=row.printed[0].line))
        if row.printed:
            previous = row.printed[-1].line


def _rows_on_their_label_line(rows: list[RawRow], named: dict[int, str], text_lines: frozenset[int]) -> bool:
    """Most of the table's rows print all their numbers on one line with text (pdftotext -raw: a row a
    line), so numbers alone on the lines after are no row's own layout (pdftotext's default mode prints
    `4.保护第三方合法权益 37` / `0` / `706 0` / …: a row's cells over several lines)."""
    rows = [row for row in rows if id(row) in named and row.printed and not row.delimited]
    single = sum(1 for row in rows
                 if len({token.line for token in row.printed}) == 1 and row.printed[0].line in text_lines)
    return 2 * single > len(rows)


_SPAN = 12  # characters of label on each side of a row's numbers where a keyword across them is looked for


def _may_wrap(row: RawRow, loose: list[RawRow], spec: RowSpec, after: list[RawRow], width: int) -> bool:
    """Numbers of no row start on the line after the row's last number (or the one after it, beside the
    rest of the row's or its group's label: `2.没有现成信息需要另行制作 … 56` / `（四）无法` / `1 1`), none wider than the widest number
    of the row (a cell wraps a number at its own width), and they are not the heads of the next row
    (`after`: its raw row and the raw rows of no row after it; `width`: its cells): that row's own line
    lacks as many cells as stand loose above it, and as many numbers stand under its line. Numbers beside
    the rest of the row's own label (`确认或重新出具 4 4`) are its own for certain."""
    if row.delimited or not row.printed:
        return False
    numbers = _numbers(loose)
    if not numbers or numbers[0].line > row.printed[-1].line + 2:
        return False
    first = next(part for part in loose if part.printed and numbers[0] in part.printed)
    if numbers[0].line == row.printed[-1].line + 2 and not _of_label(first.label, spec, 0):
        return False  # a line between: only the rest of the row's own (or group's) label may stand there
    if max(map(_width, numbers)) > max(map(_width, row.printed)):
        return False
    count = len(numbers) - sum(1 for part in loose if part.label.strip() == "," and part.printed)  # `1,16`: one
    if not after or any(_of_label(part.label, spec) for part in loose):
        return True
    main, below = _own_line(after)
    return not (width - main >= count and below >= count)


def _of_label(label: str, spec: RowSpec, least: int = 2) -> bool:
    """The label's Chinese characters (at least `least` of them) are part of the row's template label."""
    words = "".join(_CJK.findall(label))
    return len(words) >= least and words in "".join(_CJK.findall(spec.label))


def _numbers(rows: list[RawRow]) -> list:
    return [token for row in rows if not row.delimited for token in row.printed if token.kind in _NUMBERS]


def _width(token) -> int:
    return len(token.text) if token.kind in _NUMBERS else 0


def _own_line(rows: list[RawRow]) -> tuple[int, int]:
    """How many of the first row's numbers its main line (the one with most) holds, and how many numbers
    stand under that line up to the next row (the ends of its wrapped cells)."""
    counts: dict[int, int] = {}
    for token in rows[0].printed:
        counts[token.line] = counts.get(token.line, 0) + 1
    if not counts:
        return 0, 0
    main = max(counts, key=lambda line: (counts[line], -line))
    return counts[main], sum(1 for token in _numbers(rows) if token.line > main)
