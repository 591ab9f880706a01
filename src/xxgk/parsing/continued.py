"""A delimited row continued on the table row below it: the wrapped lines of its narrow or tall cells.

Converters of PDF tables (pymupdf4llm, markitdown) make a table row of each text line of a PDF table
row, so a number that wraps inside its cell (`98` over `7`, for 987) ends in a row of its own with no
label, or with the rest of a label (`|度|（三）1.属于国家秘密|11|0|98|0|3|—|10|` over
`|办|）不|||7||||01|`). The same line may be a row whose label a converter lost. Which it is the row's
own rule decides: the row is read as printed and joined with the line below, and only a reading that
holds its rule while the other does not is kept (row_labels.match_rows finds such rows, tables.read_row
reads them).
"""
from __future__ import annotations

import re
from dataclasses import replace

from xxgk.parsing.cells import NUMBER, Kind, RawRow, Token
from xxgk.sources.normalize import unify_label

_JOINABLE = (Kind.value, Kind.run, Kind.unreadable)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def pieces_below(row: RawRow, label: str, above: RawRow) -> bool:
    """A delimited row of numbers under a delimited row that holds pieces of a label (`|办|）不|||7||||01|`: a
    group label's characters), fewer numbers than that row, or is under a label cut inside its brackets
    (`（二）部分公开（区` / `分处理的…）`): the lines of that row's cells may have wrapped into it."""
    return (len(_CJK.findall(label)) < 4 or len(row.printed) < len(above.printed)
            or above.label.count("(") > above.label.count(")"))


def row_of_its_own(label: str, above_label: str) -> bool:
    """A label that begins a breakdown or a sum (`其中：网上申请`, `合计`) or another group's label than the
    template row above's (`（三）不予公开` under （二）部分公开): a row of the report's, no wrapped line."""
    return "".join(_CJK.findall(label)).startswith(_OWN_ROW) or _begins_another_group(label, above_label)


# Labels of rows a report adds under a template row (a breakdown, a sum), which no template label contains, so
# no wrapped line of a template label begins with them: `其中：网上申请 | 3 |  | 3 |` has fewer numbers than the
# row above, and joined with it (53 … 53 under 5 … 5) it may hold that row's rule, by chance.
_OWN_ROW = ("其中", "合计", "小计")

_GROUP_START = re.compile(r"^(?:([一二三四五六七八九])、|[(（]([一二三四五六七八九])[)）])")
_SPEC_GROUPS = re.compile(r"^([一二三四五六七八九])(?:、|[(（]([一二三四五六七八九])[)）])?")


def _begins_another_group(label: str, before: str) -> bool:
    """The label begins a group's or a row's label (`三、本`, `（三）不予公开`) that the row above is not in: a
    group label's lines stand beside its own rows only, so this line holds no wrapped line of the row above
    (`二、上年结转… | 4 | 6 | … | 31 |` over `三、本 | | 1007 674 | …`: the next rows' numbers)."""
    start, own = _GROUP_START.match(unify_label(label)), _SPEC_GROUPS.match(before)
    if start is None or own is None:
        return False
    top, sub = start.groups()
    return top != own[1] if top else sub != own[2]


def joined(above: RawRow, below: RawRow) -> RawRow | None:
    """The row with each field's digits on the line below put after its own (fields matched from the
    right, the 总计 last; the line below may have more empty fields on the left); None when the fields do
    not match one to one or a field's pieces do not make one number."""
    surplus = len(below.cells) - len(above.cells)  # empty fields of label columns the row above has not
    if surplus < 0 or any(cell.kind is not Kind.empty for cell in below.cells[:surplus]):
        return None
    cells: list[Token] = []
    for top, bottom in zip(above.cells, below.cells[surplus:]):
        if bottom.kind is Kind.empty:
            cells.append(top)
        elif top.kind is Kind.empty and bottom.kind in (Kind.value, Kind.run):
            cells.append(bottom._replace(line=top.line))
        elif top.kind in _JOINABLE and bottom.kind in (Kind.value, Kind.run) and NUMBER.match(text := top.text + bottom.text):
            digits = text.replace(",", "")
            kind = Kind.run if len(digits) > 1 and digits[0] == "0" else Kind.value
            cells.append(Token(kind, digits, top.line, True))
        else:
            return None
    return replace(above, cells=cells, printed=[cell for cell in cells if cell.kind is not Kind.empty], continued=None)
