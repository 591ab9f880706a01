"""Borderless tables: a row's numbers placed under the header columns they are printed in.

A table printed without ruling lines reaches the text stage as lines of words, and a row whose blank
cells are invisible (`规章 4 665873` for 规章 | blank | 4 | 665873) does not say which cells its
numbers fill. The words' x positions do. When the document's numbers line up at their left edges
(or all at their right edges), a number lies in column i of a header when it starts after the
centre of the header word of column i-1 and before the centre of column i's (the headers sit
inside their columns, the number starts just inside its column's left edge); when they are
centred, when its middle is the middle of column i's header word. Such a row is written
as tab-separated cells, blanks included, as html.py writes HTML rows. A row one of whose numbers
falls on no column, or two in one, keeps its words joined by spaces (the later stages' rules for
uncertain rows then apply).

A number that fills its column's width may go on in the line below (a narrow cell wraps `4918` /
`56` for 491856). When that line holds numbers only, each under such a number, they are the rests
and are joined. When a number lies below in a line of a row (the rest, or the next row's own), the
positions do not say which: the cell holds both parts (`4918 56`), which the later stages read as
no one number (null), unless the row's last cell is the sum of the others as printed and is not
with the parts joined. A line of numbers only holding exactly a row's blank cells, next to it, is
the rest of that row printed at another height; text lines under a row that go on with its label
cells' words (each filling its column) are the rest of the label (a numbered or multi-column one). Two rows next to each other whose
numbers fill every column between them, each once, the lower not starting a numbered row, stay
words joined by spaces (one row at two heights, or two rows: the later stages' rules decide).

Headers, and the column a number lies in: pdf_headers.py.
"""
from __future__ import annotations

from xxgk.sources import pdf_wraps as wraps
from xxgk.sources.grid import VALUE
from xxgk.sources.pdf_headers import (CERTAIN, SAME, Header, alignment, header_above, label_end_of, row_parts,
                                      value_cells, value_column)
from xxgk.sources.pdf_layout import ENUMERATED as _ENUMERATED


def placed(pages: list[list[tuple]]) -> list[list[tuple]]:
    """The pages' blocks with each text block ("text", top, bottom, words) as ("text", top, bottom, text)."""
    align = alignment(pages)
    texts = _place(pages, align) if align is not None else {}
    return [[(block[0], block[1], block[2], texts.get((page, index), _joined(block[3])))
             if block[0] == "text" else block for index, block in enumerate(blocks) if texts.get((page, index)) != ""]
            for page, blocks in enumerate(pages)]


def _joined(words: list[dict]) -> str:
    return " ".join(word["text"] for word in words)


def _place(pages: list[list[tuple]], align: str) -> dict[tuple[int, int], str]:
    """Tab-separated rows by (page, block index), for the rows their headers place with certainty."""
    header: Header | None = None
    headers: list[Header] = []
    for page, blocks in enumerate(pages):
        for index, block in enumerate(blocks):
            if block[0] != "text":
                header = None
                continue
            parts = row_parts(block[3])
            if parts is None:
                continue
            label, values = parts
            above = header_above(blocks, index)
            for candidate in ([above] if not label else [above, header]):
                if candidate is not None and value_cells(candidate, values, align, label_end_of(label)):
                    if candidate is not header:
                        headers.append(candidate)
                    header = candidate
                    header.label_end = max(header.label_end, label_end_of(label))
                    header.rows.append((page, index, label, values))
                    break
    texts: dict[tuple[int, int], str] = {}
    for head in headers:
        placed_rows = [(page, index, label, value_cells(head, values, align, head.label_end))
                       for page, index, label, values in head.rows]
        placed_rows = [row for row in placed_rows if row[3] is not None]
        def column_of(word: dict, count: int, head: Header = head) -> int | None:
            return value_column(head, word, align, head.label_end, count)

        widths = wraps.widths(head.columns, placed_rows)
        joined, consumed = wraps.joined_lines(placed_rows, pages, column_of, widths)
        used = {line for lines in consumed.values() for line in lines}
        placed_rows, halves = _rest_at_other_height(head, placed_rows, pages, align, used)
        for row, lines in halves.items():
            consumed.setdefault(row, []).extend(lines)
        doubtful = wraps.doubtful(placed_rows, pages, column_of, widths, set(joined))
        split = _split_rows(placed_rows)
        resolved = wraps.unwrapped_by_sum(placed_rows, doubtful, joined)
        label_room: dict[int, float] = {}  # the widest label word starting at each x (rounded)
        for _, _, label, _ in placed_rows:
            for word in label:
                label_room[round(float(word["x0"]))] = max(label_room.get(round(float(word["x0"])), 0.0), wraps.width(word))
        for page, index, label, cells in placed_rows:
            words = [word for word in cells if word is not None]
            if any(id(word) in split for word in words):
                continue  # its words joined by spaces, for the later stages' rules
            fields = [_text(word, doubtful, resolved, joined) if word else "" for word in cells]
            lines = consumed.get((page, index), [])
            whole, rest = _label_rest(pages[page], max([index, *(line for _, line in lines)]), label, label_room)
            lines = [*lines, *((page, line) for line in rest)]
            texts[(page, index)] = "\t".join([whole, *fields] if label else fields)
            for line in lines:
                texts[line] = ""  # its numbers, or its label's last lines, are this row's
    return texts


def _text(word: dict, doubtful: dict[int, list[tuple[dict, dict]]], resolved: set[tuple[int, int]],
          joined: dict[int, str]) -> str:
    """A placed number's cell: both parts when it may be part of a wrapped number (null later on)."""
    for upper, lower in doubtful.get(id(word), ()):
        if (id(upper), id(lower)) not in resolved:
            return upper["text"] + " " + lower["text"]
    return joined.get(id(word), word["text"])


def _label_rest(blocks: list[tuple], last: int, label: list[dict], room: dict[int, float]) -> tuple[str, list[int]]:
    """The row's label with the text lines after its last that go on with it, and those lines.

    The values are printed at the row's top and its label cells wrap below (`1.属` / `于国` / `家秘` /
    `密`; `）无 2.没有现成信息需要` / `法提 另行制作`): a line of text only goes on with the label when each
    of its words starts where a label column's last part starts and that part fills its column (as
    wide as the widest label word there), or lies left of the row's innermost label (an outer label's
    part), none a numbered row's start. Only a label of several columns or a numbered one goes on
    (行政处罚 over 行政强制, a row without a number, is never joined)."""
    innermost = label[-1] if label else None
    if innermost is None or (len(label) < 2 and not _ENUMERATED.match(innermost["text"])):
        return _joined(label), []
    columns = [[float(part["x0"]), part["text"], part] for part in label]  # x0, text, its last part
    height = max(float(word["bottom"]) - float(word["top"]) for word in label)
    used: list[int] = []
    previous = float(innermost["top"])
    for following in range(last + 1, len(blocks)):
        if blocks[following][0] != "text":
            break
        words = blocks[following][3]
        if not 0 < float(words[0]["top"]) - previous <= wraps.WRAP_LINES * height or \
                any(VALUE.fullmatch(word["text"]) or _ENUMERATED.match(word["text"]) for word in words):
            break
        plan = []
        for word in words:
            column = next((column for column in columns if abs(column[0] - float(word["x0"])) <= SAME), None)
            if column is not None and _fills(column[2], room):
                plan.append((column, word))
            elif column is None and float(word["x1"]) <= float(innermost["x0"]):
                plan.append((None, word))
            else:
                plan = []
                break
        if not plan:
            break
        for column, word in plan:
            if column is None:
                columns.append([float(word["x0"]), word["text"], word])
            else:
                column[1] += word["text"]
                column[2] = word
        used.append(following)
        previous = float(words[0]["top"])
    return " ".join(text for _, text, _ in sorted(columns, key=lambda column: column[0])), used


def _fills(word: dict, room: dict[int, float]) -> bool:
    """A label word leaves no room for one more character beside it (its cell wrapped it)."""
    return wraps.width(word) + wraps.width(word) / max(len(word["text"]), 1) > \
        room.get(round(float(word["x0"])), 0.0) + CERTAIN


def _rest_at_other_height(header: Header, rows: list[tuple], pages: list[list[tuple]], align: str,
                          used: set[tuple[int, int]]) -> tuple[list[tuple], dict[tuple[int, int], list[tuple[int, int]]]]:
    """Rows with a line of numbers only next to them whose numbers fall in the row's blank columns.

    When those numbers fill exactly the row's blank columns (`（二）部分公开 … 265` over `9 无 20 11
    10 215`: the row printed at two heights), they are the rest of the row and join it; otherwise
    which row they belong to is not certain and the row is left out (words joined by spaces)."""
    placed = {(page, index) for page, index, _, _ in rows} | used  # a line of rests joined already
    kept: list[tuple] = []
    halves: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for page, index, label, cells in rows:
        blocks = pages[page]
        for other in (index - 1, index + 1):
            if not 0 <= other < len(blocks) or blocks[other][0] != "text" or (page, other) in placed:
                continue
            words = blocks[other][3]
            if not words or not all(VALUE.fullmatch(word["text"]) for word in words):
                continue
            columns = [value_column(header, word, align, header.label_end, len(cells)) for word in words]
            if not any(column is not None and cells[column] is None for column in columns):
                continue
            filled = [word for word in cells if word is not None]
            height = max(float(word["bottom"]) - float(word["top"]) for word in filled)
            near = abs(float(words[0]["top"]) - float(filled[0]["top"])) <= wraps.WRAP_LINES * height
            if near and None not in columns and len(set(columns)) == len(columns) and \
                    sorted(columns) == [column for column, word in enumerate(cells) if word is None]:
                cells = [word if word is not None else words[columns.index(column)]
                         for column, word in enumerate(cells)]
                halves[(page, index)] = [(page, other)]
                placed.add((page, other))
                continue
            cells = None
            break
        if cells is not None:
            kept.append((page, index, label, cells))
    return kept, halves


def _split_rows(rows: list[tuple]) -> set[int]:
    """The numbers of two lines next to each other whose numbers fill every column between them, none
    the same, the lower line's label starting no numbered row (`他处理 行政机关不再处理其…` under `（六）其
    1.申请人无正当理由逾期不补正、 … 71`): one row's numbers printed at two heights, or two rows; which,
    the words do not say."""
    doubtful: set[int] = set()
    for (page, index, _, cells), (next_page, next_index, label, next_cells) in zip(rows, rows[1:]):
        if (page, index + 1) != (next_page, next_index) or len(cells) != len(next_cells) or \
                any(_ENUMERATED.match(word["text"]) for word in label):
            continue
        if all((upper is None) != (lower is None) for upper, lower in zip(cells, next_cells)):
            doubtful.update(id(word) for word in (*cells, *next_cells) if word is not None)
    return doubtful


