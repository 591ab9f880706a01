"""Stage 5c, row labels: which template row a group of printed cells belongs to.

A row is found by its label keywords in template order (templates/national.py). The label is the text since
the previous number, so it may carry captions and column headers; only its tail counts, a note in
brackets is not part of it, and the evidence of damage to the labels (numbers floated away from them,
an item number that may be a cell) is read here too.
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace

from xxgk.templates import markers as tpl
from xxgk.templates.spec import Row as RowSpec
from xxgk.parsing.caching import cache_short
from xxgk.sources.normalize import unify_label
from xxgk.parsing.cells import Kind, RawRow
from xxgk.parsing.continued import pieces_below, row_of_its_own
from xxgk.parsing.wrapped_ends import drop_rows_around_labels, drop_rows_inside_labels, drop_wrapped_rows
from xxgk.report.findings import Finding, finding


_NOTE = re.compile(r"[(（][^()（）]{4,}[)）]")  # `(指行政许可以外的…行政处罚、行政强制…)`: a note, not the label


def label_tail(label: str) -> str:
    """Only the words after the last sentence end can be a row label, and a note in brackets is
    not part of it (it may name other rows); short brackets such as `(七)` stay."""
    label = label.rsplit("。", 1)[-1]
    return _NOTE.sub("", label) if "(" in label or "（" in label else label


@functools.lru_cache(maxsize=16)
def _keyword_pattern(specs: tuple[RowSpec, ...]) -> re.Pattern:
    """All keywords of a table in one pattern; the group name tells the row (`r3`)."""
    return re.compile("|".join(f"(?P<r{index}_{number}>{keyword})" for index, spec in enumerate(specs)
                               for number, keyword in enumerate(spec.keywords)))


@cache_short(maxsize=1 << 14)
def row_index(label: str, specs: tuple[RowSpec, ...]) -> int | None:
    """The template row whose keyword ends latest in the label (short labels repeat: cached).

    None also when a table's caption or column header follows that keyword (`行政许可第二十条第（六）项
    信息内容…`): the numbers after such a label were printed for a row further down, or the row's own
    numbers floated away from it (text converted from PDF), so they are no row's for certain.
    """
    best = None
    for hit in _keyword_pattern(specs).finditer(label):
        if best is None or hit.end() >= best.end():
            best = hit
    if best is None or any(marker in label[best.end():] for marker in tpl.TABLE_HEADER_MARKERS):
        return None
    index = int(best.lastgroup[1:].split("_")[0])
    later = _ITEM_NUMBER.search(label, best.end())
    if later and int(later[1]) != specs[index].item:
        return _cut_label(label[later.end():], int(later[1]), index + 1, specs)
    return index


# `规禁止公开 3.危及“三安全一`: another item's number after the keyword starts the label of the row the
# numbers are printed on, wrapped (narrow cells) so that its own keyword is cut; the keyword is the end
# of the row above's label
_ITEM_NUMBER = re.compile(r"(?<![\d.])(\d{1,2})[.、．](?!\d)")


def _wrapped_cells(row: RawRow, label: str, before: RowSpec, above: RawRow, again: bool = False) -> bool:
    """Numbers under a row's numbers, beside the end of its label (`5.要求行政机关确认或重 280 286 … 566` /
    `新出具已获取信息 19 53 72`) or with no words at all: its cells wrapped, a number's last digits
    among them (a group label's characters may stand before the words: `）不 申请`). In a delimited
    table, a row of numbers below a delimited row, under the same row's label `again`, pieces of a label
    (`|办|）不|||7||||01|`: a group label's characters), fewer numbers than that row, the rest of its label
    or of a label cut inside its brackets (`（二）部分公开（区` / `分处理的…）`): the lines of that row's cells
    may have wrapped into a row of their own (continued.py); a label of its own with as many numbers is
    a row the template lacks (`其他主动公开文件 | 186 | 86 | 255`)."""
    if not numbers_of_its_own(row):
        return False
    if row.delimited and (not above.delimited or row_of_its_own(label, before.label)):
        return False
    if row.delimited and (again or pieces_below(row, label, above)):
        return True
    words = "".join(_CJK.findall(label))
    own = "".join(_CJK.findall(unify_label(before.label)))  # `“三安全一稳定”` ends in a quote mark
    shortest = 3 if row.delimited else 2  # `文件` ends many labels: a row of the report's own (其他主动公开文件)
    return not words or any(own.endswith(words[start:]) for start in range(max(0, len(words) - len(own)),
                                                                            len(words) - shortest + 1))


_WRAPPED_LABEL = ("numbers are printed beside the rest of this row's label, wrapped onto the next line: a "
                  "narrow cell's number may go on there (`280` / `19` for 28019), so its cells are null")



def _row_of(label: str, last: int, specs: tuple[RowSpec, ...]) -> int | None:
    """The template row a label names (row_index), else the row after `last` whose label it begins, cut."""
    index = row_index(label, specs)
    return _wrapped_label(label, last + 1, specs) if index is None else index


def _wrapped_label(label: str, index: int, specs: tuple[RowSpec, ...]) -> int | None:
    """`2.其他法律行政法` (its keyword cut by a wrapped cell): the next template row, when the label's last
    item number is that row's and the words after it begin its label."""
    found = None
    for found in _ITEM_NUMBER.finditer(label):
        pass
    return None if found is None else _cut_label(label[found.end():], int(found[1]), index, specs)


def _cut_label(printed: str, item: int, index: int, specs: tuple[RowSpec, ...]) -> int | None:
    """The next template row when it has that item number and its label begins with the printed words
    (`危及“三安全一`); else None: the numbers are neither row's for certain."""
    if index >= len(specs) or specs[index].item != item:
        return None
    words = unify_label(printed)
    own = unify_label(specs[index].label).rsplit(f"{item}.", 1)[-1]
    return index if len(words) >= 2 and own.startswith(words) else None


def match_rows(rows: list[RawRow], specs: tuple[RowSpec, ...], section: str,
               findings: list[Finding], extra: list[RawRow] | None = None, aligned: bool = False,
               text_lines: frozenset[int] = frozenset(), continued: bool = True) -> dict[str, RawRow]:
    """Each template row's raw row, by the keyword that ends latest in the label, in template order.

    Rows with numbers whose own label names no template row (a province's row) go to `extra`, when given.
    On an `aligned` page (cells laid out in columns) a row whose numbers stand on several lines is left out;
    with `continued`, a delimited row may be continued by the row below (_wrapped_cells, continued.py)."""
    matched: dict[str, RawRow] = {}
    last = -1
    before: RowSpec | None = None  # the template row of the raw row just before, if any
    loose: int | None = None  # the last line of numbers of the raw row just before, when no row's
    heads: dict[str, int] = {}  # rows with numbers of no row just above them, on an aligned page
    named: dict[int, str] = {}  # id of each raw row matched -> its template row
    for row in rows:
        label = label_tail(row.label)
        above, loose = loose, None
        index = _row_of(label, last, specs)
        again = index is not None and before is not None and specs[index] is before and (
            continued or not row.delimited) and _wrapped_cells(row, label, before, matched[before.key], again=True)
        if again:
            index = None  # `2.其他法律行政 0 0 0 1 0 0 1` over `法规禁止公开 6 6`: the rest of its label names it
        if index is None:
            if before is not None and (again or (continued or not row.delimited)
                                       and _wrapped_cells(row, label, before, matched[before.key])):
                if row.delimited:  # its rule decides whether these are its cells' wrapped lines
                    matched[before.key] = replace(matched[before.key], continued=row)
                else:
                    del matched[before.key]
                    findings.append(finding("ambiguous_cells", _WRAPPED_LABEL, key=f"{section}.{before.key}",
                                            line=row.line))
                before = None
            elif extra is not None and numbers_of_its_own(row) and names_another_row(label, specs):
                extra.append(row)
            elif before is None and numbers_of_its_own(row):  # not the wrapped end of the row above
                loose = row.printed[-1].line
            _unlabeled(row, before, matched, section, findings, extra is not None and row in extra)
        elif index <= last or specs[index].key in matched:
            if row.printed:
                findings.append(finding("out_of_order_row", f"row '{label[-30:]}' appears again or out of "
                                        "template order; its numbers are ignored", key=section, line=row.line))
        else:
            if before is not None and (item := specs[index].item):
                matched[before.key] = _item_number_may_end(matched[before.key], item, label)
            matched[specs[index].key] = row
            named[id(row)] = specs[index].key
            before, last = specs[index], index
            if aligned and above is not None and row.printed and row.line < row.printed[0].line <= above + 2:
                heads[specs[index].key] = above
            continue
        before = None
    if aligned:
        drop_wrapped_rows(rows, named, matched, section, findings, {spec.key: spec for spec in specs})
    if text_lines:
        drop_rows_around_labels(rows, named, matched, section, findings, text_lines, aligned)
    drop_rows_inside_labels(rows, named, matched, section, findings, specs, _keyword_pattern(specs))
    for key, line in heads.items():
        if key in matched:
            del matched[key]
            findings.append(finding("ambiguous_cells", "numbers of no row stand just above this row's numbers, "
                                    "on a table laid out in columns: a narrow cell's number may begin there "
                                    "(`39,6` over the label, `62` under it, for 39,662), so its cells are null",
                                    key=f"{section}.{key}", line=line))
    for key, row in [(key, row) for key, row in matched.items() if aligned and _numbers_on_several_lines(row)]:
        del matched[key]
        findings.append(finding("ambiguous_cells", "this row's numbers are printed on several lines, some of them "
                                "beside each other (a tall row of a PDF table: `（二）部分公开… 954` over `2 15 934 3 "
                                "0`): which column each number stands in is not known, so its cells are null",
                                key=f"{section}.{key}", line=row.line))
    return matched


def _numbers_on_several_lines(row: RawRow) -> bool:
    """Numbers of one row on two or more lines, two or more on one of them (not one cell a line): in
    pdftotext -layout text a tall row prints some cells on its label's line and the rest above or
    below, each under its column, so their order in the text is not the columns' order."""
    if row.delimited:
        return False
    counts: dict[int, int] = {}
    for token in row.printed:
        if token.kind is not Kind.maybe:
            counts[token.line] = counts.get(token.line, 0) + 1
    return len(counts) >= 2 and max(counts.values()) >= 2


_CJK = re.compile(r"[\u4e00-\u9fff]")


def numbers_of_its_own(row: RawRow) -> bool:
    """Printed cells other than possible item numbers (`(三)不予公开 / 1 / 属于国家秘密`)."""
    return any(token.kind is not Kind.maybe for token in row.printed)


def names_another_row(label: str, specs: tuple[RowSpec, ...]) -> bool:
    """A label of its own (two or more Chinese characters) that names no template row and is no caption
    or column header (those words are the template's: a column label, a header marker)."""
    if len(_CJK.findall(label)) < 2 or _keyword_pattern(specs).search(label):
        return False
    return not any(word in label for word in _header_words(specs))


@functools.lru_cache(maxsize=16)
def _header_words(specs: tuple[RowSpec, ...]) -> frozenset[str]:
    """The template's own words that are no row label: its column labels and header markers."""
    return frozenset({column.label for spec in specs for column in spec.columns if len(column.label) >= 3}
                     | set(tpl.TABLE_HEADER_MARKERS))


def _unlabeled(row: RawRow, before: RowSpec | None, matched: dict[str, RawRow], section: str,
               findings: list[Finding], kept: bool = False) -> None:
    """Numbers under no row label; the row just before loses its reading when it may go on there."""
    if not numbers_of_its_own(row):
        return
    if not kept:
        findings.append(finding("unlabeled_values", f"{len(row.printed)} number(s) after '{row.label[-30:]}' "
                                "belong to no row of the template", key=section, line=row.line))
    if before is not None and numbers(row) and _may_continue(matched[before.key], before):
        del matched[before.key]  # its missing cells may be these numbers: no reading is certain
        findings.append(finding("ambiguous_cells", "unlabeled numbers follow this row, which prints too few cells "
                                "and may go on there; its cells are null", key=f"{section}.{before.key}",
                                line=row.line))


def _item_number_may_end(row: RawRow, item: int, next_label: str) -> RawRow:
    """`0 / 2 / 其他法律…`: when the next row's label lacks its item number and this row's last number,
    alone on its line, is that number, it may be the item number instead of a cell (both are read)."""
    if not row.printed or row.delimited or re.search(rf"(?<!\d){item}[.、]", next_label):
        return row
    last = row.printed[-1]
    alone = len(row.printed) == 1 or row.printed[-2].line != last.line
    if last.kind is not Kind.value or last.text != str(item) or not alone:
        return row
    maybe = last._replace(kind=Kind.maybe)
    cells = [maybe if cell is last else cell for cell in row.cells]
    return RawRow(row.label, row.line, cells, row.delimited, [*row.printed[:-1], maybe])


def numbers(row: RawRow) -> int:
    """How many printed numbers (not blank markers, not possible item numbers) the row has."""
    return sum(token.kind in _NUMBERS for token in row.printed)


_NUMBERS = (Kind.value, Kind.run, Kind.signed)


def _may_continue(row: RawRow, spec: RowSpec) -> bool:
    return not row.delimited and len(row.printed) < len(spec.fields)


def floated(rows: list[RawRow], specs: tuple[RowSpec, ...]) -> bool:
    """Evidence that numbers floated away from their labels (text converted from PDF): a label of one
    row followed straight by another row's label, and numbers under no row label or more numbers than
    cells after one label, in rows that are not delimited. Then which row a number belongs to is not
    known from the labels."""
    free = [(row, label_tail(row.label)) for row in rows if not row.delimited]
    indexes = _label_rows([label for _, label in free], specs)
    unlabeled = any((index is None and numbers(row) > 0) or (index is not None and numbers(row) > len(specs[index].fields))
                    for (row, _), index in zip(free, indexes))  # numbers under no label, or of two rows after one
    if not unlabeled:
        return False
    pattern = _keyword_pattern(specs)
    previous = None
    for (_, label), index in zip(free, indexes):
        # the rest of the row above's label, wrapped before this row's (`…缴纳费用、…申请 3.其他`), names no row
        named = {hit.lastgroup.split("_")[0] for hit in pattern.finditer(label)} - {f"r{previous}"}
        if len(named) >= 2 or (named and index is None):  # a row label with no number after it
            return True
        previous = index if index is not None else previous
    return False


def _label_rows(labels: list[str], specs: tuple[RowSpec, ...]) -> list[int | None]:
    """The template row of each label as match_rows finds it: by its keyword, else as a cut label of
    the row after the last one found (`2.其他法律行政法`)."""
    indexes: list[int | None] = []
    last = -1
    for label in labels:
        index = _row_of(label, last, specs)
        indexes.append(index)
        last = index if index is not None else last
    return indexes


