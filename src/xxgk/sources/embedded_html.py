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

_TAG = re.compile(r"<(/?)table\b[^<>]*>", re.IGNORECASE)  # [^<>]: an unclosed tag costs no scan to the end


def embedded_tables(name: str, text: str) -> tuple[list[tuple[int, str]], list[Finding]] | None:
    """(numbered lines, findings of the reading) with each HTML table as tab rows; None without one."""
    spans = _outer_tables(text)
    if not spans:
        return None
    if (tags := text.count("<")) > html.MAX_TAGS:
        raise TooLarge(name, f"text has {tags:,} tags, over the {html.MAX_TAGS:,}-tag limit")
    numbered: list[tuple[int, str]] = []
    capped: set[str] = set()
    position, line = 0, 1
    for start, end in spans:
        line = _text_lines(text[position:start], line, numbered)
        markup = text[start:end]
        numbered.extend((line + row_line - 1, row) for row_line, row in _rows(markup, capped))
        line += markup.count("\n")
        position = end
    _text_lines(text[position:], line, numbered)
    return numbered, html.capped_findings(capped)


def _outer_tables(text: str) -> list[tuple[int, int]]:
    """(start, end) of each table that is inside no other, its tags paired by nesting in one pass: a
    table in a cell stays inside the one around it, and a `<table` that never closes is text (it does
    not swallow what follows up to another table's end)."""
    opened: list[int] = []
    spans: list[tuple[int, int]] = []
    for tag in _TAG.finditer(text):
        if not tag[1]:
            opened.append(tag.start())
        elif opened:
            start = opened.pop()
            while spans and spans[-1][0] > start:  # tables nested in this one
                spans.pop()
            spans.append((start, tag.end()))
    return spans


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
