"""The report as data: pydantic models whose field paths are the canonical keys of FORMAT.md §12.

`schemas/report.schema.json` is generated from `Report`; a test fails when it is stale.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from xxgk.templates.dictionary import COLUMN_MEANINGS, ROW_MEANINGS
from xxgk.report.findings import Finding
from xxgk.templates.labels import column_label, printed_row_label
from xxgk.report.provenance import parser_version

# A cell holds at most 15 digits (readings.MAX_DIGITS): a larger number is no count, and JSON
# readers holding numbers as doubles (2**53 ≈ 9.007e15) would not read it exactly. The parser
# never produces one (such a row is null with a number_out_of_range finding); the schema says so.
MAX_VALUE = 10 ** 15 - 1
Count = Annotated[int, Field(ge=-MAX_VALUE, le=MAX_VALUE)] | None
Amount = Annotated[int | float, Field(ge=-MAX_VALUE, le=MAX_VALUE)] | None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _labelled(table: str, kind: str, template: str | None = None) -> ConfigDict:
    """A config whose JSON Schema describes each field (a row or a column of `table`) with its Chinese
    label as the template prints it and its meaning (dictionary.py), before any description of its own."""
    def describe(schema: dict, _model) -> None:
        for name, spec in schema.get("properties", {}).items():
            if kind == "row":
                label, meaning = printed_row_label(table, name, template), ROW_MEANINGS[table][name]
            else:
                label = "采购总金额单位" if name == "amount_unit" else column_label(table, name)
                meaning = COLUMN_MEANINGS[table][name]
            spec["description"] = "; ".join(filter(None, (f"{label}: {meaning}", spec.get("description"))))
    return ConfigDict(extra="forbid", json_schema_extra=describe)


# --- section 三 ----------------------------------------------------------------------------------
class RequestRow(_Strict):
    """One row of table 三: six applicant columns and their 总计."""

    model_config = _labelled("requests", "column")

    natural_person: Count = None
    commercial: Count = None
    research: Count = None
    social_welfare: Count = None
    legal_service: Count = None
    other_org: Count = None
    total: Count = None


class Requests(_Strict):
    """Table 三 (收到和处理政府信息公开申请情况). A row the template does not have, or the report does
    not print, is null."""

    model_config = _labelled("requests", "row")

    new_received: RequestRow | None = None
    carried_over: RequestRow | None = None
    granted: RequestRow | None = None
    partially_granted: RequestRow | None = None
    denied_state_secret: RequestRow | None = None
    denied_prohibited_by_law: RequestRow | None = None
    denied_security_stability: RequestRow | None = None
    denied_third_party_rights: RequestRow | None = None
    denied_internal_affairs: RequestRow | None = None
    denied_process_info: RequestRow | None = None
    denied_enforcement_file: RequestRow | None = None
    denied_administrative_query: RequestRow | None = None
    unable_not_held: RequestRow | None = None
    unable_needs_creation: RequestRow | None = None
    unable_still_unclear: RequestRow | None = None
    unprocessed_complaint: RequestRow | None = None
    unprocessed_repeated: RequestRow | None = None
    unprocessed_publication: RequestRow | None = None
    unprocessed_excessive: RequestRow | None = None
    unprocessed_confirmation: RequestRow | None = None
    other_overdue_correction: RequestRow | None = Field(None, description="2021 template only")
    other_unpaid_fee: RequestRow | None = Field(None, description="2021 template only")
    other_other: RequestRow | None = Field(None, description="2021 template only")
    other_handling: RequestRow | None = Field(None, description="2019 template: （六）其他处理 as one row")
    total_processed: RequestRow | None = None
    carried_forward: RequestRow | None = None


# --- section 四 ----------------------------------------------------------------------------------
class ReviewBlock(_Strict):
    model_config = _labelled("review_litigation", "column")

    upheld: Count = None
    corrected: Count = None
    other: Count = None
    pending: Count = None
    total: Count = None


class ReviewLitigation(_Strict):
    """Table 四: administrative review, suits without review, suits after review."""

    model_config = _labelled("review_litigation", "row")

    review: ReviewBlock = Field(default_factory=ReviewBlock)
    suit_direct: ReviewBlock = Field(default_factory=ReviewBlock)
    suit_after_review: ReviewBlock = Field(default_factory=ReviewBlock)


# --- section 二, 2021 template ------------------------------------------------------------------
class Documents2021(_Strict):
    model_config = _labelled("active_disclosure", "column")

    issued: Count = None
    repealed: Count = None
    in_force: Count = None


class Decisions2021(_Strict):
    model_config = _labelled("active_disclosure", "column")

    decisions: Count = None


class Fees2021(_Strict):
    model_config = _labelled("active_disclosure", "column")

    amount_10k_yuan: Amount = Field(None, description="本年收费金额, in 万元")


class ActiveDisclosure2021(_Strict):
    """Table 二 in the 2021 template (FORMAT.md §3.1)."""

    model_config = _labelled("active_disclosure", "row", "2021")

    regulations: Documents2021 = Field(default_factory=Documents2021)
    normative_documents: Documents2021 = Field(default_factory=Documents2021)
    licensing: Decisions2021 = Field(default_factory=Decisions2021)
    punishment: Decisions2021 = Field(default_factory=Decisions2021)
    coercion: Decisions2021 = Field(default_factory=Decisions2021)
    fees: Fees2021 = Field(default_factory=Fees2021)


# --- section 二, 2019 template ------------------------------------------------------------------
class Documents2019(_Strict):
    model_config = _labelled("active_disclosure", "column")

    new_made: Count = None
    new_published: Count = None
    total_published: Count = None


class Items2019(_Strict):
    model_config = _labelled("active_disclosure", "column")

    previous_items: Count = None
    change: Count = Field(None, description="本年增/减, signed")
    decisions: Count = None


class Fees2019(_Strict):
    model_config = _labelled("active_disclosure", "column")

    previous_items: Count = Field(None, description="number of fee items, not money")
    change: Count = None


class Procurement2019(_Strict):
    model_config = _labelled("active_disclosure", "column")

    items: Count = None
    amount: Amount = None
    amount_unit: Literal["元", "万元"] | None = None


class ActiveDisclosure2019(_Strict):
    """Table 二 in the 2019 template (FORMAT.md §3.2)."""

    model_config = _labelled("active_disclosure", "row", "2019")

    regulations: Documents2019 = Field(default_factory=Documents2019)
    normative_documents: Documents2019 = Field(default_factory=Documents2019)
    licensing: Items2019 = Field(default_factory=Items2019)
    other_services: Items2019 = Field(default_factory=Items2019)
    punishment: Items2019 = Field(default_factory=Items2019)
    coercion: Items2019 = Field(default_factory=Items2019)
    fees: Fees2019 = Field(default_factory=Fees2019)
    procurement: Procurement2019 = Field(default_factory=Procurement2019)


# --- the report ---------------------------------------------------------------------------------
class Source(_Strict):
    """Where the report came from and how it was read: path, sha256, size, encoding, layout, script."""

    path: str = Field(description="the input's path below the folder given to `xxgk extract` (with several "
                      "folders, below their parent: `corpus/a.txt`); a file given alone: its name")
    sha256: str | None = None
    size: int | None = None
    encoding: str | None = None
    layout: str | None = Field(None, description="pipe, tab, markdown, line-per-cell, spaced, inline, html")
    script: Literal["simplified", "traditional"] | None = None


class Meta(_Strict):
    """Template (decided from the tables), statistics year, agency, title, publication date, 索引号."""

    template: Literal["2021", "2019", "pre2019", "unknown"] = "unknown"
    table_templates: dict[str, str] = Field(default_factory=dict,
                                            description="template of each table when decided per table")
    year: int | None = Field(None, description="statistics year, from the title")
    agency: str | None = None
    title: str | None = None
    published: str | None = Field(None, description="ISO date if printed")
    index_no: str | None = None


class Subsection(_Strict):
    heading: str
    line: int
    text: str


class Section(_Strict):
    """A top-level section: heading, source line, normalized text and numbered sub-sections."""

    key: str = Field(description="overview, active_disclosure, requests, review_litigation, problems, "
                                 "other_matters; pre-2019 topics also fees, consultation")
    number: str
    heading: str
    line: int
    text: str
    subsections: list[Subsection] = Field(default_factory=list)


class ModeResult(_Strict):
    passed: int = 0
    failed: int = 0
    not_assessable: int = 0


class RuleResult(_Strict):
    strict: ModeResult = Field(default_factory=ModeResult, description="any null operand: not assessable")
    lenient: ModeResult = Field(default_factory=ModeResult,
                                description="null addends count as 0; a null result is not assessable")


class Report(_Strict):
    """One report: where it came from, what it says, and what is wrong with it."""

    parsed: bool = Field(description="false when no report could be produced from the file")
    source: Source
    meta: Meta = Field(default_factory=Meta)
    preamble: str | None = Field(None, description="text between the title and section 一 (legal basis, period)")
    sections: list[Section] = Field(default_factory=list, description="the six sections (or pre-2019 topics) "
                                    "in order, with their text")
    active_disclosure: ActiveDisclosure2021 | ActiveDisclosure2019 | None = Field(
        None, description="table 二, in the shape of meta.table_templates.active_disclosure")
    requests: Requests | None = None
    review_litigation: ReviewLitigation | None = None
    checks: dict[str, RuleResult] = Field(default_factory=dict, description="H1, H2, H3, H5 in both modes")
    findings: list[Finding] = Field(default_factory=list, description="problems: code, severity, key, keys "
                                     "(the cell keys it affects; none for the file as a whole), line, message "
                                     "(led by the Chinese label of its row as printed: `（三）5.属于三类内部事务信息：…`)")
    undetermined: list[str] = Field(default_factory=list, description="canonical keys of the cells that are null "
                                    "because xxgk could not determine them (a finding says why), as opposed to "
                                    "cells the report leaves blank")
    row_lines: dict[str, int] = Field(default_factory=dict, description="source line of each table row read "
                                      "(`requests.granted`: 67; table 四, one row: `review_litigation.review_litigation`)")
    parser_version: str = Field(default_factory=parser_version, description="the xxgk version that wrote this "
                                "record, with a digest of its code (as in run.json)")
