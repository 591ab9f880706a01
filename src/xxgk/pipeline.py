"""The extraction pipeline, one stage per module, in the order they run.

The package is laid out by kind of change: `templates/` the report templates as data (rows, labels,
columns, rules), `sources/` stages 1-3, `parsing/` stages 4-7, `report/` the output model and findings;
around the pipeline, `batch/` runs it over folders, `research/` writes the analysts' outputs and
`gate/` is the CI check.

1. read       (sources/read.py)    bytes of one file; binary, empty and oversized files are refused
2. decode     (sources/decode.py)  text and the encoding it was written in;
              (sources/html.py)    for web pages: the report body as numbered lines, tables as tab rows
              (sources/pdf.py, sources/docx_reader.py)  the same for PDF and Word files
              (sources/formats.py picks the reader)
3. normalize  (sources/normalize.py)  simplified characters, no pinyin glosses, NFKC, line numbers kept
4. sections   (parsing/sections.py, parsing/metadata.py)  title, year, agency; the six headings or
              pre-2019 topics
5. tables     (parsing/cells.py)   each table section as a stream of text, value and empty tokens;
              (parsing/rows.py, parsing/readings.py)  the readings a row's printed cells allow on this page;
              (parsing/column_rules.py)  readings pruned by the rules that tie rows (H1, H3);
              (parsing/row_labels.py)  which template row each group of cells belongs to;
              (parsing/tables.py; active_table.py, requests_table.py, review_table.py)  sections 二, 三, 四
              as canonical values
6. build      (parsing/build.py)   the pydantic `Report` (report/model.py)
7. validate   (parsing/validate.py)  arithmetic rules and plausibility checks as findings;
              (report/finding_keys.py)  each finding's cell keys and the Chinese label of its row

A file that cannot yield a report raises a `CannotParse` inside; `extract_file` and `extract_data`
turn it (and any parser bug) into a report with `parsed = false` and one finding, so every input
gets an output record.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from xxgk.parsing.build import build_report, failed_report
from xxgk.parsing.metadata import is_title, read_metadata
from xxgk.parsing.sections import (MAX_LINES, Document, Line, body_end, find_fixed_headings, find_free_headings,
                                   section_span, section_text, to_lines)
from xxgk.parsing.table_sections import extra_sections, read_tables
from xxgk.parsing.tables import Table
from xxgk.parsing.validate import check_arithmetic, check_plausibility, check_text_against_table
from xxgk.report.errors import CannotParse, InternalError, NotAReport, TooLarge
from xxgk.report.findings import Finding, finding
from xxgk.report.model import Report, Source
from xxgk.sources.decode import decode, replacement_notes
from xxgk.sources.embedded_html import embedded_tables
from xxgk.sources.formats import document_kind, document_lines
from xxgk.sources.html import html_lines, looks_like_html
from xxgk.sources.normalize import normalize_lines
from xxgk.sources.read import DEFAULT_MAX_BYTES, check_text_bytes, read_bytes
from xxgk.templates import markers as tpl

logger = logging.getLogger(__name__)


def extract_file(path: Path, relative: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """One file → one Report, never an exception for a bad file."""
    name = relative or path.name
    try:
        data, changed = read_bytes(path, max_bytes)
    except CannotParse as error:
        return failed_report(_source(name, b""), error)
    report = extract_data(data, name)
    if not changed:
        return report
    note = finding("file_changed_while_reading", "the file changed while it was read; this record is of the bytes "
                   "read, run again for the final file", key="source")
    return report.model_copy(update={"findings": [note, *report.findings]})


def extract_data(data: bytes, name: str) -> Report:
    """Bytes → Report, never an exception: bad input and parser bugs become a failed record."""
    try:
        return extract_bytes(data, name)
    except CannotParse as error:
        return failed_report(_source(name, data), error)
    except Exception as error:  # a parser bug must not stop a batch: record it and go on
        logger.exception("internal error on %s", name)
        return failed_report(_source(name, data), InternalError(name, f"internal error: {type(error).__name__}: "
                                                                      f"{error}; please report this file"))


def _source(name: str, data: bytes) -> Source:
    return Source(path=name, sha256=_sha256(data) if data else None, size=len(data) or None)


def extract_bytes(data: bytes, name: str) -> Report:
    """Bytes → Report; raises CannotParse when they cannot be a report."""
    kind = document_kind(name, data)  # PDF and Word files have their own stage 2; .doc and the like are refused
    if kind is not None:
        return _extract_document(kind, name, data)
    check_text_bytes(name, data)
    source = Source(path=name, sha256=_sha256(data), size=len(data))
    if looks_like_html(name, data):
        numbered, encoding, notes = html_lines(name, data)
        return extract_text("\n".join(text for _, text in numbered), source.model_copy(update={
            "encoding": encoding, "layout": "html"}), [number for number, _ in numbered], notes)
    text, encoding = decode(name, data)
    notes = replacement_notes(text, encoding)
    if (embedded := embedded_tables(name, text)) is not None:  # markdown from pandoc: tables kept as HTML
        numbered, capped = embedded
        return extract_text("\n".join(text for _, text in numbered), source.model_copy(update={
            "encoding": encoding}), [number for number, _ in numbered], [*notes, *capped])
    return extract_text(text, source.model_copy(update={"encoding": encoding}), None, notes)


def _extract_document(kind: str, name: str, data: bytes) -> Report:
    """A PDF or Word file: its own stage 2 (pdf.py, docx_reader.py), then the shared stages 3-7."""
    source = Source(path=name, sha256=_sha256(data), size=len(data), layout=kind)
    numbered, notes = document_lines(kind, name, data)
    try:
        return extract_text("\n".join(text for _, text in numbered), source, [number for number, _ in numbered],
                            notes)
    except CannotParse as error:  # the reading findings (a page cap hit, images) still say what was seen
        error.detail += "".join(f"; {note.message}" for note in notes)
        raise


def extract_text(text: str, source: Source, numbers: list[int] | None = None,
                 notes: list[Finding] = ()) -> Report:
    """Stages 3-7 on decoded text; `numbers` maps each line to its source line (HTML pages, PDF and
    Word files), `notes` are the findings of stage 2 (how the file was read)."""
    if (count := text.count("\n") + 1) > MAX_LINES:  # the cost of every later stage grows with the lines
        raise TooLarge(source.path, f"text has {count:,} lines, over the {MAX_LINES:,}-line limit (real reports "
                                    "have a few thousand at most)")
    normalized, script = normalize_lines(text)
    lines = to_lines(normalized, numbers)
    document = _document(lines, find_fixed_headings(lines))
    second = _second_report(document)
    if second is not None:
        document = _document(lines[:second], find_fixed_headings(lines[:second]))
    metadata = read_metadata(document.lines, document.headings[0].index if document.headings else None)
    tables, oversized = read_tables(document, source.layout in ("pdf", "docx"))  # our own reading of a document
    template = _decide_template(tables, metadata.year, text)
    if template == tpl.TEMPLATE_PRE2019:
        document = _document(document.lines, find_free_headings(document.lines) or document.headings)
        tables = {}
    extra, extra_notes = extra_sections(document)
    if len(document.headings) < 2 and not tables and not _starts_like_a_report(metadata, document):
        raise NotAReport(source.path, "no section headings and no report tables were found: "
                                      "not a government information-disclosure annual report")
    checks, checked = _validate(tables, metadata, document)
    later = [*extra_notes, *oversized, *checked]
    if second is not None:
        later.append(finding("multiple_reports", "a second report starts here; only the first report of the file "
                             "was parsed", key="source", line=lines[second].no))
    source = source.model_copy(update={"script": script, "layout": source.layout or _layout(document)})
    return build_report(source, metadata, document, tables, template, checks, notes, later, extra)


def _document(lines: list[Line], headings) -> Document:
    """The lines with their headings and where the body ends (before page boilerplate), all set at once,
    so a table in the last section is read to the end of the body."""
    return Document(lines, headings, body_end(lines, headings[-1] if headings else None))


def _starts_like_a_report(metadata, document: Document) -> bool:
    """A report's title with its year, and section 一 or a title line of its own: the start of a report
    whose rest is missing (truncated pages), recorded with what it has rather than thrown away."""
    if metadata.title is None:
        return False
    return bool(document.headings) or metadata.title.rstrip().endswith("报告")


def _second_report(document: Document) -> int | None:
    """Index of the title line of a second report (a title followed by its own section 一), if any."""
    if not document.headings:
        return None
    first = document.headings[0].index
    for index in range(first + 1, len(document.lines)):
        if is_title(document.lines[index].text):
            rest = find_fixed_headings(document.lines[index + 1:])
            if rest and rest[0].key == "overview" and len(rest) >= 3:
                return index
    return None


def _decide_template(tables: dict[str, Table], year: int | None, text: str) -> str:
    """From the tables' own labels (FORMAT.md §1), never from the year alone."""
    decided = [table.template for key in ("requests", "active_disclosure")
               if (table := tables.get(key)) and table.template]
    if decided:
        return decided[0]
    if any(marker in text for marker in tpl.BOTH_TEMPLATE_MARKERS):
        return tpl.TEMPLATE_UNKNOWN
    if (year is not None and year <= 2018) or any(marker in text for marker in tpl.PRE2019_MARKERS):
        return tpl.TEMPLATE_PRE2019
    return tpl.TEMPLATE_UNKNOWN


def _layout(document: Document) -> str:
    """How section 三 was flattened: tab, pipe, markdown, spaced, line-per-cell or inline."""
    requests_heading = next((position for position, heading in enumerate(document.headings)
                             if heading.key == "requests"), None)
    if requests_heading is None:
        return "unknown"
    start, end = section_span(document, requests_heading)
    lines = [line.text for line in document.lines[start:end] if line.text.strip()]
    if not lines:
        return "inline"
    if sum("\t" in line for line in lines) > len(lines) // 3:
        return "tab"
    if sum("|" in line for line in lines) > len(lines) // 3:
        return "markdown" if any(line.lstrip().startswith("|-") for line in lines) else "pipe"
    if len(lines) <= 3 or max(map(len, lines)) > 300:
        return "inline"
    spaced = sum(len(line.split()) >= 4 for line in lines)
    return "spaced" if spaced > len(lines) // 4 else "line-per-cell"


def _validate(tables: dict[str, Table], metadata, document: Document) -> tuple[dict, list[Finding]]:
    """Stage 7: the rule counts, and the findings of the arithmetic and plausibility checks."""
    requests = tables.get("requests")
    review = tables.get("review_litigation")
    active = tables.get("active_disclosure")
    lines = {**(requests.rows if requests else {}), **(review.rows if review else {})}
    checks, findings = check_arithmetic(requests.values if requests else None,
                                        requests.template if requests else None,
                                        review.values if review else None, lines,
                                        unknown={*(f"requests.{key}" for key in (requests.unknown if requests else ())),
                                                 *(f"review.{key}" for key in (review.unknown if review else ()))})
    findings += check_plausibility(active.values if active else None, requests.values if requests else None,
                                   review.values if review else None, metadata.year, metadata.published)
    overview = next((section_text(document, position) for position, heading in enumerate(document.headings)
                     if heading.key == "overview"), "")
    findings += check_text_against_table(overview, requests.values if requests else None,
                                         review.values if review else None)
    return (checks if (requests or review) else {}), findings


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
