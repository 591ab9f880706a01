"""Stage 2 for web pages: HTML bytes to numbered text lines, tables as tab-separated rows.

The charset comes from a byte-order mark, then valid UTF-8, then the page's own declaration (read
with beautifulsoup4's detector; gb2312/gbk widen to gb18030, which real pages need), then
detection. The tree is built by lxml, which keeps each element's source line, so findings on an
HTML page point into the page. Script, style and page furniture are dropped; the report body is
the smallest element holding the most section headings.
"""
from __future__ import annotations

import re

from lxml import etree

from xxgk.sources.decode import decode
from xxgk.report.errors import TooLarge, UndecodableText
from xxgk.report.findings import Finding, finding

HTML_SNIFF = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|p|table)\b",
                        re.IGNORECASE | re.DOTALL)
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
          "big5": "big5hkscs", "iso-8859-1": "cp1252", "ascii": "cp1252"}
_DROP = ("script", "style", "noscript", "iframe", "select", "button", "form", "nav", "header", "footer",
         "aside", "template", "svg", "object")
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
          "table", "tr", "dd", "dt", "dl", "blockquote", "pre", "hr", "center", "main", "body", "title"}
_HEADING_TEXT = re.compile(r"(?:^|\n)\s*[一二三四五六][、.,]\s*(?:总体|主动公开|收到和处理|.{0,12}复议|.{0,12}问题|其他需要)")
MAX_ELEMENTS = 200_000
MAX_TAGS = 500_000  # `<` in a page: over this, no tree is built
MAX_DEPTH = 60
MAX_SPAN = 100             # rowspan/colspan read up to this (real tables span under 30)
MAX_TABLE_CELLS = 20_000   # cells one table may place while carrying text down (real ones: under 1,000)


def looks_like_html(name: str, data: bytes) -> bool:
    return name.lower().endswith((".html", ".htm", ".shtml", ".xhtml")) or bool(HTML_SNIFF.match(data[:2048]))


def decode_html(name: str, data: bytes) -> tuple[str, str]:
    """(text, encoding) in the order that is right when bytes and declaration disagree."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(name, data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from bs4.dammit import EncodingDetector  # only pages that are not UTF-8 need it (importing bs4 takes 60 ms)

    declared = EncodingDetector.find_declared_encoding(data[:8192], is_html=True)
    if declared:
        encoding = _WIDER.get(declared.lower(), declared.lower())
        try:
            return data.decode(encoding), f"{encoding} (declared {declared})"
        except (UnicodeDecodeError, LookupError):
            pass
    text, encoding = decode(name, data)
    return text, f"{encoding} (detected{', declared ' + declared if declared else ''})"


def html_lines(name: str, data: bytes) -> tuple[list[tuple[int, str]], str, list[Finding]]:
    """Numbered text lines of the page's report body, the encoding used, and findings of the reading."""
    text, encoding = decode_html(name, data)
    if (tags := text.count("<")) > MAX_TAGS:  # the tree lxml builds costs ~200 bytes an element
        raise TooLarge(name, f"page has {tags:,} tags, over the {MAX_TAGS:,}-tag limit (real report "
                             "pages have under 50,000)")
    text = re.sub(r"<\?xml[^>]*\?>", "", text, count=1)
    try:
        root = etree.fromstring(text or "<p></p>", parser=PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise UndecodableText(name, f"HTML cannot be parsed: {error}") from None
    if root is None:
        raise UndecodableText(name, "HTML holds no elements")
    for element in list(root.iter(*_DROP)):
        if element.getparent() is not None:
            _drop(element)
    body = _report_body(root)
    capped: set[str] = set()
    lines = _emit(body, capped)
    title = _page_title(root)
    if title and body is not root and not any(line.strip().startswith(title[1]) for _, line in lines[:40]):
        lines.insert(0, title)  # the title is only in the page chrome (a sentence of the body may name it)
    return [(number, line) for number, line in lines if line.strip()], encoding, capped_findings(capped)


def capped_findings(capped: set[str]) -> list[Finding]:
    """The finding of tables read only up to the bounds (`capped`: what was cut), if any."""
    return [finding("html_table_capped", "a table of the page has spans or a size no real table has ("
                    + ", ".join(sorted(capped)[:5]) + f"): spans were read up to {MAX_SPAN}, and text carried "
                    f"down at most {MAX_TABLE_CELLS:,} cells", key="source")] if capped else []


# Plain etree elements: lxml.html's element classes cost a lookup on every element access.
PARSER = etree.HTMLParser(huge_tree=False, remove_comments=True, remove_pis=True)
_text = etree.XPath("string()")  # an element's text, descendants included, as one string


def _drop(element) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _page_title(root) -> tuple[int, str] | None:
    for tag in ("h1", "h2", "title"):
        for element in root.iter(tag):
            text = " ".join(_text(element).split())
            if "报告" in text or "報告" in text:
                return element.sourceline or 1, re.split(r"[_|]", text)[0].strip()
    return None


def _report_body(root):
    """The smallest element that holds every section heading of the page (their common ancestor)."""
    headings = [element for element in root.iter("p", "div", "h1", "h2", "h3", "h4", "strong", "span", "td", "b")
                if element.text and _HEADING_TEXT.match("\n" + element.text.strip())]
    if len(headings) < 2:
        return root
    common = list(headings[0].iterancestors())[::-1] + [headings[0]]
    for element in headings[1:]:
        chain = list(element.iterancestors())[::-1] + [element]
        length = 0
        while length < min(len(common), len(chain)) and common[length] is chain[length]:
            length += 1
        common = common[:length]
    return common[-1] if common else root


def _emit(root, capped: set[str]) -> list[tuple[int, str]]:
    """The element's text as lines; tables become one tab-separated line per row.

    Iterative, and nesting deeper than MAX_DEPTH is read as plain text: pathological pages cannot
    exhaust the stack or the time budget.
    """
    lines: list[tuple[int, str]] = [(root.sourceline or 1, "")]
    stack: list[tuple[object, int, bool]] = [(root, 0, False)]
    visited = 0
    while stack:
        element, depth, closing = stack.pop()
        if closing:
            if element.tag in _BLOCK:
                lines.append((lines[-1][0], ""))
            _append(lines, element.tail)
            continue
        visited += 1
        if visited > MAX_ELEMENTS or not isinstance(element.tag, str):
            _append(lines, getattr(element, "tail", None))
            continue
        if element.tag == "table":
            lines.extend(table_rows(element, capped))
            lines.append((lines[-1][0], ""))
            _append(lines, element.tail)
            continue
        if element.tag in _BLOCK:
            lines.append((element.sourceline or lines[-1][0], ""))
        if depth >= MAX_DEPTH:
            _append(lines, _text(element))
            stack.append((element, depth, True))
            continue
        _append(lines, element.text)
        stack.append((element, depth, True))
        stack.extend((child, depth + 1, False) for child in reversed(element))
    return lines


_LINE_BREAKS = re.compile(r"[\t\r\n]+")


def _append(lines: list[tuple[int, str]], text: str | None) -> None:
    if text:
        number, current = lines[-1]
        lines[-1] = (number, current + _LINE_BREAKS.sub(" ", text))


def table_rows(table, capped: set[str]) -> list[tuple[int, str]]:
    """Rows with text cells carried down their rowspan; a value or blank cell counts once.

    Bounded by design: spans count up to MAX_SPAN, and a table stops carrying text down once it
    has placed MAX_TABLE_CELLS cells; `capped` collects what was cut, for the finding.
    """
    rows: list[tuple[int, str]] = []
    carried: dict[int, tuple[int, str]] = {}  # column -> (rows left, text)
    placed = 0
    for row in table.iter("tr"):
        if row.getparent() is not None and _nearest_table(row) is not table:
            continue
        cells: list[str] = []
        column = 0
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            column = _take_carried(carried, column, cells)
            text = _cell_text(cell)
            span = _span(cell, "colspan", capped)
            down = _span(cell, "rowspan", capped)
            cells.append(text)
            if text and down > 1 and not _is_value(text):
                if len(carried) + span > MAX_TABLE_CELLS:
                    capped.add(f"more than {MAX_TABLE_CELLS:,} cells")
                else:
                    for offset in range(span):
                        carried[column + offset] = (down - 1, text)
            column += span
        placed += len(carried) + len(cells)
        _take_carried(carried, column, cells, to_end=True)
        if placed > MAX_TABLE_CELLS and carried:
            capped.add(f"more than {MAX_TABLE_CELLS:,} cells")
            carried.clear()
        rows.append((row.sourceline or table.sourceline or 1, "\t".join(cells)))
    return rows


_BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5",
                     "h6", "section", "article", "blockquote", "pre", "hr", "dd", "dt", "dl"})


def _cell_text(cell) -> str:
    """A cell's text. Block elements and line breaks inside it separate two numbers (`<p>1</p><p>859</p>`
    and `1<br/>859` are 1 and 859, not 1859); label text wrapped by them joins up (`部分<br/>公开`)."""
    if not len(cell):  # most cells: text only
        return " ".join((cell.text or "").split())
    if len(cell) == 1 and not len(cell[0]) and not (cell.text or "").strip() and not (cell[0].tail or "").strip():
        return " ".join((cell[0].text or "").split())  # `<td><p>0</p></td>`: one element's text
    blocks: list[str] = [""]
    for event, element in etree.iterwalk(cell, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):
            blocks[-1] += element.tail or ""
            continue
        block = element is not cell and element.tag in _BLOCKS
        if block:
            blocks.append("")
        if event == "start":
            blocks[-1] += element.text or ""
        elif element is not cell:
            blocks[-1] += element.tail or ""
    text = ""
    for block in (" ".join(block.split()) for block in blocks):
        if block:
            text += " " + block if text and (text[-1].isdigit() and block[0].isdigit() or text[-1].isascii()
                                            and block[0].isascii()) else block
    return text


def _take_carried(carried: dict[int, tuple[int, str]], column: int, cells: list[str], to_end: bool = False) -> int:
    """Append the texts carried into `column` and the columns right after it (with `to_end`: into every
    column from `column` on, in order); returns the first column not carried into."""
    if to_end:
        for key in sorted(key for key in carried if key >= column):
            _take_one(carried, key, cells)
        return column
    while column in carried:
        _take_one(carried, column, cells)
        column += 1
    return column


def _take_one(carried: dict[int, tuple[int, str]], column: int, cells: list[str]) -> None:
    left, text = carried.pop(column)
    if not cells or cells[-1] != text:
        cells.append(text)
    if left > 1:
        carried[column] = (left - 1, text)


def _nearest_table(element):
    parent = element.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _span(cell, name: str, capped: set[str]) -> int:
    value = cell.get(name)
    if value is None:  # most cells
        return 1
    value = value.strip()
    if not value.isdigit() or len(value) > 6:  # not a span (or absurd): one cell
        if value.isdigit():
            capped.add(f"{name}={value[:12]}")
        return 1
    number = int(value)
    if number > MAX_SPAN:
        capped.add(f"{name}={number:,}")
        return MAX_SPAN
    return max(1, number)


_VALUE = re.compile(r"[+-]?[\d.,]+\s*(?:万元|元)?|[/\-—－]|无")


def _is_value(text: str) -> bool:
    return bool(_VALUE.fullmatch(text))
