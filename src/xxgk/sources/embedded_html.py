"""Stage 2 for text files with HTML tables inside: markdown from pandoc (and converters like it) keeps a
table it cannot draw as a pipe table (spans, several header rows) as raw `<table>` markup. Each such
table becomes tab rows as on a web page (html.py), numbered with the source lines of its rows; the rest
of the text is left line for line."""
from __future__ import annotations

import re

from lxml import etree

from xxgk.report.errors import TooLarge
from xxgk.report.findings import Finding
from xxgk.sources import html

_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)


def embedded_tables(name: str, text: str) -> tuple[list[tuple[int, str]], list[Finding]] | None:
    """(numbered lines, findings of the reading) with each HTML table as tab rows; None without one."""
    last = None
    for last in _CLOSE.finditer(text):
        pass
    if last is None or (tags := text.count("<")) > html.MAX_TAGS:
        if last is not None:
            raise TooLarge(name, f"text has {tags:,} tags, over the {html.MAX_TAGS:,}-tag limit")
        return None
    numbered: list[tuple[int, str]] = []
    capped: set[str] = set()
    position, line = 0, 1
    for match in _TABLE.finditer(text, 0, last.end()):  # each start has a close after it: one pass
        line = _text_lines(text[position:match.start()], line, numbered)
        numbered.extend((line + row_line - 1, row) for row_line, row in _rows(match.group(), capped))
        line += match.group().count("\n")
        position = match.end()
    _text_lines(text[position:], line, numbered)
    return numbered, html.capped_findings(capped)


def _text_lines(text: str, first: int, numbered: list[tuple[int, str]]) -> int:
    """Append the lines of `text`, which starts on line `first`; returns the line it ends on."""
    pieces = text.split("\n")
    numbered.extend((first + index, piece) for index, piece in enumerate(pieces) if piece.strip())
    return first + len(pieces) - 1


def _rows(markup: str, capped: set[str]) -> list[tuple[int, str]]:
    """The tab rows of one table's markup, each with its line in the markup (from 1)."""
    try:
        root = etree.fromstring(markup, parser=html.PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return []
    table = None if root is None else next(root.iter("table"), None)
    return [] if table is None else html.table_rows(table, capped)
