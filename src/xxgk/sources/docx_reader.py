"""Stage 2 for Word files (.docx): paragraphs and tables in body order as numbered lines.

python-docx reads the file; tables become a grid of merged cells (horizontal `gridSpan`, vertical
`vMerge`), written as tab rows by grid.py exactly as HTML and PDF tables are. Page headers and footers
live in their own parts of the file and are not read. A line's number is its block's position in the
body (each paragraph line and each table row counts one).

Bounds: the zip's members may inflate to MAX_UNPACKED_BYTES in all (a zip bomb is refused before
python-docx unpacks anything) and MAX_CHARS characters are read.
"""
from __future__ import annotations

import io
import zipfile

from xxgk.report.errors import CannotParse, DamagedDocument
from xxgk.report.findings import Finding, finding
from xxgk.sources.grid import Grid, cell_text, table_rows

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_CHARS = 500_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def docx_lines(name: str, data: bytes) -> tuple[list[tuple[int, str]], list[Finding]]:
    """Numbered lines of the document body, and the findings of reading it."""
    _check_zip(name, data)
    import docx  # only Word inputs pay for importing it

    try:
        document = docx.Document(io.BytesIO(data))
        return _body_lines(document)
    except CannotParse:
        raise
    except Exception as error:  # python-docx and lxml raise many kinds on damaged files
        raise DamagedDocument(name, f"the Word file is damaged and cannot be read ({type(error).__name__}: "
                                    f"{str(error)[:160]}); no report") from None


def _check_zip(name: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise DamagedDocument(name, f"the Word file is not a readable zip archive ({error}); no report") from None
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        raise DamagedDocument(name, f"the Word file would unpack to {unpacked:,} bytes in {len(members):,} parts, "
                                    f"over the {MAX_UNPACKED_BYTES // 2**20} MiB bound (a zip bomb?); no report")
    if not any(member.filename == "word/document.xml" for member in members):
        raise DamagedDocument(name, "the zip archive holds no word/document.xml: not a Word document; no report")


def _body_lines(document) -> tuple[list[tuple[int, str]], list[Finding]]:
    body = document.element.body
    for fallback in list(body.iter(_FALLBACK)):  # the same content again for old readers (text boxes)
        fallback.getparent().remove(fallback)
    lines: list[tuple[int, str]] = []
    notes: list[Finding] = []
    chars = 0
    for element in _blocks(body):
        number = len(lines) + 1
        if element.tag == f"{_W}tbl":
            grid = _grid(element)
            grid.numbers = list(range(number, number + len(grid.grid)))
            block = table_rows(grid)
        else:
            text = _paragraph_text(element)
            block = [(number + offset, part) for offset, part in enumerate(text.split("\n"))]
        lines.extend(block)
        chars += sum(len(text) for _, text in block)
        if chars > MAX_CHARS:
            notes.append(finding("document_truncated", f"the Word file holds over {MAX_CHARS:,} characters; reading "
                                 f"stopped at line {len(lines)}; values printed after that point are missing",
                                 key="source", line=len(lines)))
            break
    return [(number, text) for number, text in lines if text.strip()], notes


def _blocks(parent, depth: int = 0):
    """Paragraphs and tables in body order, also those inside content controls (w:sdt) and inside a
    one-column table used to lay out the page (its cells' paragraphs and tables are the report's)."""
    for child in parent.iterchildren():
        if child.tag == f"{_W}tbl" and depth < 8 and _one_column(child):
            for tc in child.iter(f"{_W}tc"):
                if tc.getparent().getparent() is child:
                    yield from _blocks(tc, depth + 1)
        elif child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content)


def _paragraph_text(paragraph) -> str:
    """The paragraph's text (inserted text included, deleted text and field codes not); a line break
    starts a new line and a tab is a space (a tab would split the line into cells)."""
    parts = []
    for node in paragraph.iter(_TEXT, _TAB, _BREAK, _CR):
        parts.append((node.text or "") if node.tag == _TEXT else (" " if node.tag == _TAB else "\n"))
    return "".join(parts)


_TEXT, _TAB, _BREAK, _CR = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"


def _one_column(tbl) -> bool:
    return all(len(tr.findall(f"{_W}tc")) <= 1 for tr in tbl.findall(f"{_W}tr"))


def _grid(tbl) -> Grid:
    """The table's slots: a cell spanning columns (gridSpan) or continued down (vMerge) covers several."""
    texts: list[str] = []
    origins: list[tuple[int, int]] = []
    rows: list[list[int | None]] = []
    for row_index, tr in enumerate(tbl.tr_lst):
        slots: list[int | None] = [None] * _int(getattr(tr, "grid_before", 0))
        for tc in tr.tc_lst:
            span = max(1, min(_int(tc.grid_span), 64))
            column = len(slots)
            above = rows[-1][column] if rows and column < len(rows[-1]) else None
            if tc.vMerge == "continue" and above is not None:
                ident = above
            else:
                texts.append(cell_text("\n".join(_paragraph_text(paragraph) for paragraph in tc.iter(f"{_W}p"))))
                origins.append((row_index, column))
                ident = len(texts) - 1
            slots.extend([ident] * span)
        rows.append(slots)
    width = max((len(slots) for slots in rows), default=0)
    grid = [slots + [None] * (width - len(slots)) for slots in rows]
    return Grid(texts, origins, grid, [0] * len(grid))


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
