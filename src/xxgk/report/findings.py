"""Findings: the problems a report has, kept as data in its JSON and in the CSV.

A finding never stops the pipeline. Its `code` is stable and documented in the README; `key` is the
dotted canonical key or the section it concerns, `keys` the cell keys it affects (every cell of a row
finding, none for a file-level one; finding_keys.py derives them from `key` where the call site does
not know better), `line` the 1-based line of the source file.
"""
from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


SEVERITY_RANK = {Severity.info: 0, Severity.warning: 1, Severity.error: 2}

# code -> (severity, what it means). The README's table is generated from this.
CODES: dict[str, tuple[Severity, str]] = {
    "unreadable_file": (Severity.error, "the file could not be read (permissions, vanished, I/O); no report"),
    "empty_file": (Severity.error, "the file is empty or holds only whitespace; no report"),
    "binary_file": (Severity.error, "the file is a PDF, image, archive or other binary data; no report"),
    "unsupported_format": (Severity.error, "a document format xxgk does not read (.doc, .wps, .rtf, .odt): "
                           "convert it to .docx or .pdf; no report"),
    "no_text_layer": (Severity.error, "the PDF has no text layer (a scan): the text is not in the file; no report"),
    "encrypted_document": (Severity.error, "the PDF is encrypted with a password; no report"),
    "damaged_document": (Severity.error, "the PDF or Word file is damaged or over a reading bound; no report"),
    "document_truncated": (Severity.warning, "a PDF or Word file over a page, character or time bound was read in part"),
    "image_without_text": (Severity.warning, "a PDF page holds a large image without text (a scanned table?)"),
    "tables_not_read": (Severity.warning, "a PDF page has too many ruling lines to search for tables; its text was read as lines"),
    "page_rotated": (Severity.info, "a PDF page shows its text sideways or upside down; it was read turned back"),
    "too_large": (Severity.error, "the file is over the --max-bytes limit (or its text over 100,000 lines, a page "
                  "over 500,000 tags); no report"),
    "undecodable_text": (Severity.error, "no text encoding gives plausible text; no report"),
    "internal_error": (Severity.error, "the parser failed on this file (a bug); the batch went on"),
    "time_limit": (Severity.error, "parsing the file took longer than --time-limit; no report, the batch went on"),
    "unsafe_output_path": (Severity.error, "the output path would leave the output folder; nothing written"),
    "file_changed_while_reading": (Severity.warning, "the file changed while it was read"),
    "multiple_reports": (Severity.warning, "the file holds more than one report; only the first is parsed"),
    "not_a_report": (Severity.error, "the text is not a government information-disclosure annual report"),
    "unknown_template": (Severity.error, "neither the 2019 nor the 2021 tables nor a pre-2019 report was recognised"),
    "missing_title": (Severity.warning, "no report title with a year was found"),
    "truncated_report": (Severity.warning, "the text stops before the report's last sections; only its start is there"),
    "missing_section": (Severity.warning, "one of the six fixed sections has no heading"),
    "missing_table": (Severity.error, "a section that must hold a table has no readable table"),
    "table_too_large": (Severity.warning, "a table section holds far more text than any real table; it is not read"),
    "missing_row": (Severity.warning, "a template row was not found; its cells are null"),
    "missing_cells": (Severity.warning, "a row prints fewer cells than the template; unplaceable cells are null"),
    "ambiguous_cells": (Severity.warning, "a row allows several readings; the cells they disagree on are null"),
    "rule_fails_on_reading": (Severity.warning, "a column rule holds on no reading of a damaged row; its cells there are null"),
    "too_many_cells": (Severity.warning, "a row prints more numbers than the template; its cells are null"),
    "cells_run_together": (Severity.warning, "digits of several cells are run together; the cells are null"),
    "unreadable_cell": (Severity.warning, "a cell holds something that is not a number; it is null"),
    "number_out_of_range": (Severity.warning, "a row prints a number of more than 15 digits; the row's cells are null"),
    "unlabeled_values": (Severity.info, "numbers were found that belong to no template row"),
    "extra_section": (Severity.info, "a section the template does not have (a report's own added section): its "
                      "text is kept under the key extra, the rows of its tables in extra_rows"),
    "extra_row": (Severity.info, "a row the template does not have (a province's row, an added table): kept in "
                  "extra_rows with its printed label and values"),
    "out_of_order_row": (Severity.warning, "a row label appears out of template order; its values are ignored"),
    "labels_displaced": (Severity.info, "labels and numbers were out of step; numbers read in template order, all rules hold"),
    "hybrid_template": (Severity.info, "section 二 and section 三 follow different template versions"),
    "html_table_capped": (Severity.warning, "an HTML table has rowspan/colspan values or a size beyond any real table; it was read capped"),
    "encoding_fallback": (Severity.warning, "the text was decoded with replacement characters"),
    "H1_column_balance": (Severity.error, "本年新收 + 上年结转 ≠ （七）总计 + 结转下年度 in a column"),
    "H2_row_total": (Severity.error, "a row's 总计 is not the sum of its six applicant columns"),
    "H3_results_total": (Severity.error, "（七）总计 is not the sum of the result rows in a column"),
    "H5_review_total": (Severity.error, "a section-四 总计 is not the sum of its four results"),
    "negative_count": (Severity.warning, "a count that must be non-negative is negative"),
    "component_exceeds_total": (Severity.warning, "a section-四 result exceeds its block total"),
    "in_force_below_issued": (Severity.info, "现行有效件数 is below 本年制发件数 (FORMAT.md §6.2 S4)"),
    "requests_without_applications": (Severity.warning, "no applications received or carried over, yet results are non-zero"),
    "text_table_mismatch": (Severity.info, "a figure stated in section 一 differs from the table (FORMAT §6.2 S5)"),
    "year_vs_published": (Severity.info, "the statistics year is not the year before publication"),
    "duplicate_report": (Severity.warning, "another input of the batch has the same bytes, or the same agency, year "
                                           "and table values; the message names it"),
    "pre2019_not_extracted": (Severity.info, "a pre-2019 report: only its metadata and section texts were read, "
                                             "its numbers are not extracted yet"),
}


class Finding(BaseModel):
    """One problem of one report."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    key: str | None = None
    keys: tuple[str, ...] = ()
    line: int | None = None
    message: str


def finding(code: str, message: str, key: str | None = None, line: int | None = None,
            keys: tuple[str, ...] | list[str] = ()) -> Finding:
    """A finding with the severity its code carries; `keys`, when the call site knows exactly which
    cells it leaves null (a subset of a row), else derived from `key` once the templates are known."""
    severity, _ = CODES[code]
    return Finding(code=code, severity=severity, key=key, keys=tuple(keys), line=line, message=message)
