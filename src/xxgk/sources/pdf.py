"""Stage 2 for PDF files: the text layer as numbered lines, ruled tables as tab-separated rows.

pdfplumber (on pdfminer.six) reads the characters and the ruling lines. A table's grid comes from
its ruling lines; each row becomes one line of cells joined by tabs, with a text cell that spans
several rows carried down them and a spanned column written once, exactly as html.py writes
HTML tables, so every later stage is shared. A table that runs on at the top of the next page is
joined to the one it continues (a repeated header row dropped, a label cell cut by the page break
made whole again). Text outside tables comes as lines in reading order; page numbers and running
headers/footers are dropped. A one-column "table" is a framed paragraph and is read as text.

Line numbers: a line's number is page × 1000 + its line on the page (3012 = page 3, line 12), so a
finding's integer `line` points into the PDF.

Bounds per file (the batch goes on whatever the PDF holds): MAX_PAGES pages, MAX_CHARS characters,
MAX_SECONDS of reading (checked between pages), MAX_PAGE_CONTENT_BYTES of drawing instructions per
page (a larger page is skipped), MAX_CROSSINGS of ruling lines per page (over it the page's text is
read without tables: the grid search grows with them), and pdf_limits.py's bounds on decompressed streams (a
decompression bomb stops there). pdf_grid.py turns a ruled table into cells; pdf_layout.py puts the pages' blocks
together.
"""
from __future__ import annotations

import io
import logging
import math
import time
from collections import Counter

from xxgk.sources import pdf_limits
from xxgk.report.errors import CannotParse, DamagedDocument, EncryptedDocument, NoTextLayer
from xxgk.report.findings import Finding, finding
from xxgk.sources.pdf_grid import grid_of
from xxgk.sources.pdf_columns import placed
from xxgk.sources.pdf_layout import PAGE_LINES, drop_furniture, emit, word_lines

MAX_PAGES = 100
MAX_CHARS = 500_000
MAX_SECONDS = 60.0
MAX_PAGE_CONTENT_BYTES = 8 * 1024 * 1024  # a page's drawing instructions; a text page holds 10-200 KB
MAX_CROSSINGS = 5_000  # vertical x horizontal ruling lines of a page; report pages have under 600
_UNMAPPED_SHARE = 0.3  # over this share of (cid:N) characters the text layer is unreadable
_IMAGE_SHARE = 0.15  # an image over this share of the page, with no text over it, may be a scanned table


def pdf_lines(name: str, data: bytes) -> tuple[list[tuple[int, str]], list[Finding]]:
    """Numbered lines of the PDF's text and tables, and the findings of reading it."""
    import pdfplumber  # only PDF inputs pay for importing it
    from pdfminer.pdfpage import PDFPage

    pdf_limits.install()
    pdf_limits.reset()
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings on odd files are not ours to print
    notes: list[Finding] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            lines = _read_pages(name, pdf, PDFPage.create_pages(pdf.doc), _page_count(pdf), notes)
        return lines, notes
    except CannotParse:
        raise
    except Exception as error:  # pdfminer raises many kinds on damaged files: each is a damaged PDF here
        raise _classified(name, error) from None


def _classified(name: str, error: Exception) -> CannotParse:
    chain = []
    while error is not None and len(chain) < 5:
        chain.append(error)
        error = error.__cause__ or error.__context__ or (error.args[0] if error.args and
                                                         isinstance(error.args[0], Exception) else None)
    kinds = {type(item).__name__ for item in chain}
    if any(isinstance(item, pdf_limits.OverLimit) for item in chain):
        over = next(item for item in chain if isinstance(item, pdf_limits.OverLimit))
        return DamagedDocument(name, f"reading the PDF stopped: {over} (a decompression bomb or a damaged "
                                     f"stream); no report")
    if kinds & {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}:
        return EncryptedDocument(name, "the PDF is encrypted with a password (加密文档): ask the publisher for "
                                       "an open copy or remove the password; no report")
    last = chain[-1]
    return DamagedDocument(name, f"the PDF is damaged and cannot be read ({type(last).__name__}: "
                                 f"{str(last)[:160]}); no report")


def _page_count(pdf) -> int | None:
    try:
        from pdfminer.pdftypes import resolve1

        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
        return int(count) if isinstance(count, int) else None
    except Exception:  # a damaged page tree: counted while reading
        return None


def _read_pages(name: str, pdf, page_objects, count: int | None, notes: list[Finding]) -> list[tuple[int, str]]:
    from pdfplumber.page import Page

    started = time.monotonic()
    pages: list[list[tuple]] = []
    chars = unmapped = 0
    doctop = 0.0
    for index, page_object in enumerate(page_objects):
        if index >= MAX_PAGES:
            total = f"{count:,}" if count else f"more than {MAX_PAGES}"
            notes.append(_truncated(f"the PDF has {total} pages; only the first {MAX_PAGES} were read", index + 1))
            break
        if time.monotonic() - started > MAX_SECONDS:
            notes.append(_truncated(f"reading stopped after {MAX_SECONDS:.0f} s, before page {index + 1}", index + 1))
            break
        content = _content_size(page_object)
        if content > MAX_PAGE_CONTENT_BYTES:
            notes.append(finding("document_truncated", f"page {index + 1} holds {content / 2**20:.0f} MiB of drawing "
                                 f"instructions, over the {MAX_PAGE_CONTENT_BYTES // 2**20} MiB bound: the page was "
                                 f"skipped; values printed on it are missing", key="source",
                                 line=(index + 1) * PAGE_LINES + 1))
            pages.append([])
            continue
        page = Page(pdf, page_object, page_number=index + 1, initial_doctop=doctop)
        upright = _upright_rotation(page)
        if upright is not None:  # a page turned sideways or upside down: read it as if turned back
            turned = (page.rotation - upright) % 360
            page.close()
            page_object.rotate = upright
            page_object.attrs["Rotate"] = upright
            page = Page(pdf, page_object, page_number=index + 1, initial_doctop=doctop)
            notes.append(finding("page_rotated", f"page {index + 1} shows its text turned by {turned} degrees; it was "
                                 f"read turned back upright", key="source",
                                 line=(index + 1) * PAGE_LINES + 1))
        doctop += float(page.height)
        crossings = _ruling_crossings(page)
        if crossings > MAX_CROSSINGS:
            notes.append(finding("tables_not_read", f"page {index + 1} has {crossings:,} crossings of ruling lines, over "
                                 f"the {MAX_CROSSINGS:,} bound (a grid, not a report table): its text was read as "
                                 f"lines, not as table cells", key="source", line=(index + 1) * PAGE_LINES + 1))
        blocks, page_chars, page_unmapped = _page_blocks(page, tables=crossings <= MAX_CROSSINGS)
        pages.append(blocks)
        chars += page_chars
        unmapped += page_unmapped
        notes.extend(_image_findings(index + 1, page))
        page.close()
        if chars > MAX_CHARS:
            notes.append(_truncated(f"the PDF holds over {MAX_CHARS:,} characters; reading stopped after page "
                                    f"{index + 1}", index + 2))
            break
    if not pages:
        raise DamagedDocument(name, "the PDF has no pages; no report")
    if chars == 0:
        raise NoTextLayer(name, f"the PDF's {len(pages)} page(s) have no text layer (a scan, or images only; "
                                f"无文字层): its text is not in the file. Run OCR first: xxgk does not guess; no report")
    if unmapped > chars * _UNMAPPED_SHARE:
        raise NoTextLayer(name, f"{unmapped:,} of the PDF's {chars:,} characters are glyph numbers of fonts without a "
                                f"character map ((cid:N), no ToUnicode; 字体无字符映射): the text cannot be read from "
                                f"the file. Print it to a new PDF or run OCR; no report")
    return emit(drop_furniture(placed(pages)))


def _content_size(page_object) -> int:
    """Bytes of the page's content streams once decompressed (within pdf_limits' bounds)."""
    from pdfminer.pdftypes import resolve1

    size = 0
    for stream in page_object.contents or ():
        stream = resolve1(stream)
        if hasattr(stream, "get_data"):
            size += len(stream.get_data())
    return size


def _upright_rotation(page) -> int | None:
    """The /Rotate that shows the page's text upright, when most of its characters run sideways or
    upside down as the page is displayed; None when they are upright already."""
    turns = Counter(round(math.degrees(math.atan2(char["matrix"][1], char["matrix"][0])) / 90) % 4
                    for char in page.chars[:5000])
    if not turns:
        return None
    turn, count = turns.most_common(1)[0]
    if turn == 0 or count * 2 < sum(turns.values()):
        return None
    return (page.rotation + turn * 90) % 360


def _truncated(message: str, page: int) -> Finding:
    """Reading stopped before `page` (1-based): the finding points at its first line."""
    return finding("document_truncated", message + "; values printed after that point are missing", key="source",
                   line=page * PAGE_LINES + 1)


def _image_findings(number: int, page) -> list[Finding]:
    """A large image with (almost) no text over it: a scanned page or table whose text is not in the PDF."""
    width, height = float(page.width), float(page.height)
    for image in page.images:
        x0, top = max(float(image["x0"]), 0.0), max(float(image["top"]), 0.0)
        x1, bottom = min(float(image["x1"]), width), min(float(image["bottom"]), height)
        share = max(x1 - x0, 0) * max(bottom - top, 0) / ((width * height) or 1.0)
        if share < _IMAGE_SHARE:
            continue
        inside = sum(1 for char in page.chars if x0 <= char["x0"] <= x1 and top <= char["top"] <= bottom)
        if inside < 20:
            return [finding("image_without_text", f"page {number} holds an image over {share:.0%} of the page with "
                            f"no text over it (a scanned page or a table pasted as a picture?): what it shows is not "
                            f"in the text layer and was not read", key="source", line=number * PAGE_LINES + 1)]
    return []


def _ruling_crossings(page) -> int:
    """Vertical × horizontal ruling lines once joined: what finding the table grid costs (real report
    pages have a few hundred; a page of graph paper, millions)."""
    from pdfplumber.table import merge_edges

    edges = merge_edges(page.edges, 3, 3, 3, 3)
    vertical = sum(1 for edge in edges if edge["orientation"] == "v")
    return vertical * (len(edges) - vertical)


def _page_blocks(page, tables: bool = True) -> tuple[list[tuple], int, int]:
    """A page's blocks top to bottom: ("text", top, bottom, words) or ("table", top, bottom, Grid).

    Positions are shares of the page height, so pages of any size compare. Characters drawn twice
    at (almost) the same place, as word processors fake bold type, count once.
    """
    page = page.dedupe_chars()
    height = float(page.height) or 1.0
    tables = [table for table in (page.find_tables() if tables else ())
              if len({cell[0] for cell in table.cells}) > 1]
    boxes = [table.bbox for table in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        middle_x, middle_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)

    rest = page.filter(outside) if boxes else page
    blocks: list[tuple] = [("text", top / height, bottom / height, line)
                           for top, bottom, line in word_lines(rest.extract_words())
                           if any(word["text"].strip() for word in line)]
    blocks += [("table", float(table.bbox[1]) / height, float(table.bbox[3]) / height, grid_of(table))
               for table in tables]
    blocks.sort(key=lambda block: block[1])
    unmapped = sum(1 for char in page.chars if char["text"].startswith("(cid:"))
    return blocks, len(page.chars), unmapped
