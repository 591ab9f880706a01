"""The data dictionary: every canonical cell key (FORMAT.md §12) with its template(s), table, Chinese
row and column labels as the template prints them, unit and meaning.

Built from template.py (which keys exist in which template) and labels.py (the Chinese labels), so it
cannot drift from what the parser writes. `xxgk keys` prints it; docs/keys.md is its Markdown form
(`xxgk keys --format markdown > docs/keys.md`, a test keeps it current); the JSON Schema carries the
labels in its descriptions (model.py).
"""
from __future__ import annotations

import csv
import functools
import io
import json
import unicodedata
from typing import NamedTuple

from xxgk.templates import markers as tpl
from xxgk.templates.labels import TABLE_LABELS, column_label, printed_row_label


class Entry(NamedTuple):
    key: str
    templates: tuple[str, ...]
    table: str
    table_label: str
    row_label: str
    column_label: str
    unit: str
    meaning: str


COLUMNS = Entry._fields

ROW_MEANINGS = {
    "active_disclosure": {
        "regulations": "government rules (规章)", "normative_documents": "normative documents",
        "licensing": "administrative licensing", "other_services": "other external management and service items",
        "punishment": "administrative punishment", "coercion": "administrative coercion",
        "fees": "administrative fees", "procurement": "government centralised procurement",
    },
    "requests": {
        "new_received": "disclosure applications newly received this year",
        "carried_over": "applications carried over from the previous year",
        "granted": "applications answered: disclosed in full", "partially_granted": "answered: disclosed in part",
        "denied_state_secret": "not disclosed: a state secret",
        "denied_prohibited_by_law": "not disclosed: other laws or regulations forbid it",
        "denied_security_stability": "not disclosed: would endanger security or social stability",
        "denied_third_party_rights": "not disclosed: protects a third party's lawful rights",
        "denied_internal_affairs": "not disclosed: internal affairs of the agency",
        "denied_process_info": "not disclosed: information still in process (deliberation)",
        "denied_enforcement_file": "not disclosed: an administrative enforcement case file",
        "denied_administrative_query": "not disclosed: an administrative query matter",
        "unable_not_held": "cannot be provided: the agency does not hold the information",
        "unable_needs_creation": "cannot be provided: it would have to be created",
        "unable_still_unclear": "cannot be provided: the request is still unclear after correction",
        "unprocessed_complaint": "not processed: a petition, report or complaint",
        "unprocessed_repeated": "not processed: a repeated application",
        "unprocessed_publication": "not processed: asks for a public publication",
        "unprocessed_excessive": "not processed: large or repeated applications without good reason",
        "unprocessed_confirmation": "not processed: asks to confirm or re-issue information already obtained",
        "other_overdue_correction": "other handling: the applicant did not correct the request in time",
        "other_unpaid_fee": "other handling: the applicant did not pay the fee notified",
        "other_other": "other handling: other",
        "other_handling": "other handling, as one row (2019 template, or a 2021 table that collapses it)",
        "total_processed": "all applications answered this year (the sum of the result rows)",
        "carried_forward": "applications carried forward to next year",
    },
    "review_litigation": {
        "review": "administrative reviews (复议) of disclosure decisions",
        "suit_direct": "administrative suits filed without a prior review",
        "suit_after_review": "administrative suits filed after a review",
    },
}
COLUMN_MEANINGS = {
    "active_disclosure": {
        "issued": "issued this year", "repealed": "repealed this year", "in_force": "in force at the year's end",
        "decisions": "decisions made this year", "amount_10k_yuan": "fees collected this year (may be a decimal)",
        "new_made": "newly made this year", "new_published": "newly published this year",
        "total_published": "published in total", "previous_items": "number of items in the previous year",
        "change": "change of the number of items this year (signed)", "items": "number of procurement projects",
        "amount": "total procurement amount, in the unit of amount_unit",
        "amount_unit": "the unit printed with 采购总金额 (元 or 万元; null when none is printed)",
    },
    "requests": {
        "natural_person": "applicants who are natural persons", "commercial": "commercial enterprises",
        "research": "research institutions", "social_welfare": "social welfare organisations",
        "legal_service": "legal service organisations", "other_org": "other legal persons or organisations",
        "total": "all applicants",
    },
    "review_litigation": {
        "upheld": "the decision was upheld", "corrected": "the decision was corrected", "other": "other result",
        "pending": "not yet concluded", "total": "all cases",
    },
}
_UNITS = {"amount_10k_yuan": "万元", "amount": "元/万元 (amount_unit)", "amount_unit": "",
          "previous_items": "项", "change": "项", "items": "项"}


def _templates(table: str, row: str, column: str) -> tuple[str, ...]:
    found = []
    for template in (tpl.TEMPLATE_2021, tpl.TEMPLATE_2019):
        if table == "review_litigation":
            found.append(template)
        elif table == "requests":
            if any(spec.key == row for spec in tpl.REQUEST_ROWS[template]):
                found.append(template)
        elif any(spec.key == row and (column in spec.fields or column == "amount_unit")
                 for spec in tpl.ACTIVE_ROWS[template]):
            found.append(template)
    return tuple(found)


@functools.lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    """One entry per canonical key, in contract order (template.canonical_keys)."""
    result = []
    for key in tpl.canonical_keys():
        table, row, column = key.split(".")
        templates = _templates(table, row, column)
        label_template = templates[0] if templates else None
        if column == "previous_items" and row == "fees":
            meaning = "number of fee items in the previous year (not money)"
        else:
            meaning = COLUMN_MEANINGS[table][column]
        result.append(Entry(
            key=key, templates=templates, table=table, table_label=TABLE_LABELS[table],
            row_label=printed_row_label(table, row, label_template),
            column_label="采购总金额单位" if column == "amount_unit" else column_label(table, column),
            unit=_UNITS.get(column, "件"), meaning=f"{ROW_MEANINGS[table][row]}: {meaning}"))
    return tuple(result)


@functools.lru_cache(maxsize=1)
def by_key() -> dict[str, Entry]:
    return {entry.key: entry for entry in entries()}


def _row(entry: Entry) -> list[str]:
    return [entry.key, " ".join(entry.templates), entry.table, entry.table_label, entry.row_label,
            entry.column_label, entry.unit, entry.meaning]


def as_csv() -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_row(entry) for entry in entries())
    return stream.getvalue()


def as_json() -> str:
    return json.dumps([entry._asdict() for entry in entries()], ensure_ascii=False, indent=2) + "\n"


def as_markdown() -> str:
    lines = ["# Data dictionary: the canonical keys (FORMAT.md §12)", "",
             "Generated by `xxgk keys --format markdown > docs/keys.md`; do not edit. The same dictionary ships "
             "inside the package (`xxgk keys`, `xxgk keys --format csv|json`, `xxgk.dictionary.entries()`). "
             "Row labels are printed as the template prints them; counts are 件 unless the unit says otherwise.",
             "", "| key | templates | table | row (as printed) | column | unit | meaning |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| `{entry.key}` | {' '.join(entry.templates)} | {entry.table_label} | {entry.row_label} | "
              f"{entry.column_label} | {entry.unit} | {entry.meaning} |" for entry in entries()]
    return "\n".join(lines) + "\n"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def as_table() -> str:
    """Aligned columns for a terminal: key, templates, unit, column label, row label (last: some are long)."""
    rows = [["key", "templates", "unit", "column", "row"]]
    rows += [[entry.key, " ".join(entry.templates), entry.unit, entry.column_label, entry.row_label]
             for entry in entries()]
    widths = [max(_width(row[position]) for row in rows) for position in range(len(rows[0]) - 1)]
    return "".join("  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(row, widths))
                   + "  " + row[-1] + "\n" for row in rows)


FORMATS = {"table": as_table, "csv": as_csv, "json": as_json, "markdown": as_markdown}
