"""Stage 5, the table sections: each table's lines (found by its heading, or by the table's own first
line when the heading is missing), its tokens, the page's damage, and the three tables read.

A text that stops inside a table does not read its last number; a section too large to be a table
is not read, with a finding.
"""
from __future__ import annotations

from dataclasses import replace

from xxgk.parsing.active_table import read_active
from xxgk.parsing.cells import MAX_TABLE_CHARS, Kind, Token, group_rows, table_chars, tokenize
from xxgk.parsing.requests_table import read_requests
from xxgk.parsing.review_table import read_review
from xxgk.parsing.rows import page_damage, split_numbers
from xxgk.parsing.sections import EXTRA_SECTION, Document, Line, section_span
from xxgk.parsing.tables import Table, extra_rows
from xxgk.report.model import ExtraRow
from xxgk.report.findings import Finding, finding


def extra_sections(document: Document) -> tuple[list[ExtraRow], list[Finding]]:
    """Sections the template does not have (`五、信息处理费收取情况`): a finding each, and the rows of
    their tables (delimited rows: the rest is prose) as extra rows."""
    rows: list[ExtraRow] = []
    findings: list[Finding] = []
    for position, heading in enumerate(document.headings):
        if heading.key != EXTRA_SECTION:
            continue
        title = f"{heading.numeral}、{heading.title}"
        findings.append(finding("extra_section", f"the section '{title[:30]}' is not one of the template's six; its "
                                "text is kept in sections (key extra), the rows of its tables in extra_rows",
                                key="sections", line=document.lines[heading.index].no))
        lines = _section_lines(document, position)
        if table_chars(lines) > MAX_TABLE_CHARS:
            continue
        printed = [row for row in group_rows(tokenize(lines)) if row.delimited and row.printed]
        rows += extra_rows(printed, title, findings)
    return rows, findings


def read_tables(document: Document, document_reader: bool = False) -> tuple[dict[str, Table], list[Finding]]:
    """The tables found, and a finding for each table section too large to be a table; `document_reader`:
    the lines are xxgk's own reading of a PDF or Word file (pdf.py, docx_reader.py), not a converter's text."""
    spans = {heading.key: _section_lines(document, position) for position, heading in enumerate(document.headings)}
    spans.update(_headless_tables(document, spans))
    oversized = [finding("table_too_large", f"the section holds {size:,} characters of table text, more than the "
                         f"{MAX_TABLE_CHARS:,} any real table has; its table is not read", key=key,
                         line=spans[key][0].no if spans[key] else None)
                 for key in _READERS if key in spans and (size := table_chars(spans[key])) > MAX_TABLE_CHARS]
    tokens = {key: tokenize(spans[key]) for key in _READERS
              if key in spans and not any(item.key == key for item in oversized)}
    tokens, (cut_line, cut_width) = _cut_at_the_end(document, split_numbers(tokens))
    damage = page_damage(document.lines, [token for section in tokens.values() for token in section], document_reader)
    if cut_width:
        damage = replace(damage, cut_line=cut_line, cut_width=cut_width)
    prose = "\n".join(line.text for key in ("overview", "active_disclosure") for line in spans.get(key, []))
    tables = {
        key: (reader(tokens[key], damage, prose) if key == "active_disclosure" else reader(tokens[key], damage))
        for key, reader in _READERS.items() if key in tokens
    }
    return {key: table for key, table in tables.items() if table.found}, oversized


def _cut_at_the_end(document: Document,
                    tokens: dict[str, list[Token]]) -> tuple[dict[str, list[Token]], tuple[int, int]]:
    """A text that stops inside a table (a truncated page) may stop inside a number or right after a
    row's item number (`7` of `7.`): its last number is not read as a cell. With it, (line, width) when the
    text stops inside a delimited field (no delimiter after it) and the two rows before print `width` cells
    each (the page drops no cell: rows._cut_reading reads the fields before the cut), else (0, 0)."""
    found = {heading.key for heading in document.headings}
    if {"problems", "other_matters"} & found or not document.lines:
        return tokens, (0, 0)
    end = min(document.end, len(document.lines))
    last = document.lines[end - 1].no
    if end > 1 and document.lines[end - 2].no == last:  # lines share source numbers (HTML): not known where it stops
        return tokens, (0, 0)
    cut, where = dict(tokens), (0, 0)
    for key, section in tokens.items():
        if section and section[-1].line == last and section[-1].kind in (Kind.value, Kind.run, Kind.maybe):
            cut[key] = [*section[:-1], section[-1]._replace(kind=Kind.unreadable)]
            if section[-1].delimited and document.lines[end - 1].text.rstrip(" ")[-1:] not in ("|", "\t"):
                where = (last, _rows_width(section))
    return cut, where


def _rows_width(section: list[Token]) -> int:
    """How many cells each of the two delimited lines before the last prints, when they print as many and
    nothing else but empty fields after them (no damaged cell, no gap); else 0."""
    lines: dict[int, list[Token]] = {}
    for token in section:
        if token.kind is not Kind.text and token.line != section[-1].line:
            lines.setdefault(token.line, []).append(token)
    widths = []
    for cells in list(lines.values())[-2:]:
        while cells and cells[-1].kind is Kind.empty:
            cells = cells[:-1]
        good = all(token.delimited and token.kind in (Kind.value, Kind.null) for token in cells)
        widths.append(len(cells) if good else 0)
    return widths[0] if len(widths) == 2 and widths[0] == widths[1] else 0


_READERS = {"active_disclosure": read_active, "requests": read_requests, "review_litigation": read_review}
_TABLE_ANCHORS = {  # the first line of each table when its section heading is missing or unreadable
    "active_disclosure": ("第二十条第",),
    "requests": ("本列数据的勾稽关系", "申请人情况"),
    "review_litigation": ("未经复议直接起诉",),
}


def _headless_tables(document: Document, spans: dict[str, list[Line]]) -> dict[str, list[Line]]:
    """Table sections whose heading was not found, located by their tables' own first lines.

    Each runs from its anchor to the next anchor or heading, so a report that lost a heading
    (or never printed one) still yields its numbers; the missing heading stays a finding.
    """
    anchors = {}
    for key, words in _TABLE_ANCHORS.items():
        if key in spans:
            continue
        index = next((index for index, line in enumerate(document.lines)
                      if any(word in line.text for word in words)), None)
        if index is not None:
            anchors[key] = index
    if not anchors:
        return {}
    stops = sorted({heading.index for heading in document.headings} | set(anchors.values()))
    found = {}
    for key, index in anchors.items():
        end = next((stop for stop in stops if stop > index), len(document.lines))
        found[key] = document.lines[index:end]
    return found


def _section_lines(document: Document, position: int) -> list[Line]:
    """A section's body lines, with the text that follows its heading on the same line first."""
    start, end = section_span(document, position)
    heading = document.headings[position]
    first = [Line(document.lines[heading.index].no, heading.body_start)] if heading.body_start else []
    return first + document.lines[start:end]
