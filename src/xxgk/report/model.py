"""The report as data: pydantic models whose field paths are the canonical keys of FORMAT.md §12.

The models of the three tables are generated from the templates (templates/): a row of a table is a
model of its columns, a table a model of its rows, each field described by its Chinese label as the
template prints it and its meaning. A table whose columns are the same in every version (三, 四) is one
model holding every version's rows (a row some version lacks is null in that version's reports); one
whose columns differ (二) is a model per version. `schemas/report.schema.json` is generated from
`Report`; a test fails when it is stale.
"""
from __future__ import annotations

import functools
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, create_model

from xxgk import templates
from xxgk.report.findings import Finding
from xxgk.report.provenance import parser_version
from xxgk.templates.labels import printed_label
from xxgk.templates.spec import Column, Columns, Row, Template

# A cell holds at most 15 digits (readings.MAX_DIGITS): a larger number is no count, and JSON
# readers holding numbers as doubles (2**53 ≈ 9.007e15) would not read it exactly. The parser
# never produces one (such a row is null with a number_out_of_range finding); the schema says so.
MAX_VALUE = 10 ** 15 - 1
Count = Annotated[int, Field(ge=-MAX_VALUE, le=MAX_VALUE)] | None
Amount = Annotated[int | float, Field(ge=-MAX_VALUE, le=MAX_VALUE)] | None
_STRICT = ConfigDict(extra="forbid")


class _Strict(BaseModel):
    model_config = _STRICT


# --- the tables, from the templates ---------------------------------------------------------------
def _cell_type(column: Column):
    if not column.cell:
        return Literal[column.values] | None
    return Amount if column.decimal else Count


@functools.lru_cache(maxsize=64)
def _row_model(columns: Columns) -> type[BaseModel]:
    fields = {column.key: (_cell_type(column), Field(None, description=f"{column.label}: {column.meaning}"))
              for column in columns}
    return create_model(columns.name, __config__=_STRICT, **fields)


def _row_field(row: Row, shared: bool):
    model = _row_model(row.columns)
    description = "; ".join(filter(None, (f"{printed_label(row)}: {row.meaning}", row.note)))
    if shared:
        return model, Field(default_factory=model, description=description)
    return model | None, Field(None, description=description)


def _camel(key: str) -> str:
    return "".join(part.title() for part in key.split("_"))


@functools.lru_cache(maxsize=8)
def table_models(versions: tuple[Template, ...]) -> dict[str, dict[str, type[BaseModel]]]:
    """Each table's model for each version (one model shared by the versions where the columns agree)."""
    result = {}
    for key in templates.TABLE_KEYS:
        tables = {template.version: template.table(key) for template in versions if template.table(key)}
        if templates.shared_columns(key, versions):
            rows = templates.any_rows(key, versions)
            everywhere = templates.rows_in_every_version(key, versions)
            model = create_model(_camel(key), __config__=_STRICT, __doc__=next(iter(tables.values())).label,
                                 **{row.key: _row_field(row, row.key in everywhere) for row in rows})
            result[key] = dict.fromkeys(tables, model)
        else:
            result[key] = {version: create_model(f"{_camel(key)}{version}", __config__=_STRICT,
                                                 __doc__=f"{table.label} ({version} template)",
                                                 **{row.key: _row_field(row, True) for row in table.rows})
                           for version, table in tables.items()}
    return result


def _report_fields(versions: tuple[Template, ...]) -> dict[str, tuple]:
    fields = {}
    for key, models in table_models(versions).items():
        distinct = tuple(dict.fromkeys(models.values()))
        label = next(template.table(key).label for template in versions if template.table(key))
        rows = [templates.any_rows(key, versions), *(template.rows(key) for template in versions)]
        partial = len({len(found) for found in rows}) > 1
        shape = (f", in the shape of meta.table_templates.{key}" if len(distinct) > 1
                 else "; a row the report's version does not have is null" if partial else "")
        fields[key] = (Union[distinct] | None, Field(None, description=f"{label}{shape}"))
    return fields


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
                                 "other_matters; pre-2019 topics also fees, consultation; extra: a section "
                                 "the template does not have")
    number: str
    heading: str
    line: int
    text: str
    subsections: list[Subsection] = Field(default_factory=list)


class ExtraRow(_Strict):
    """A row the template does not have (a province's row, a row of an added table), as printed."""

    table: str = Field(description="the section it was printed in: active_disclosure, requests, review_litigation, "
                       "or the heading of a section the template does not have (`五、信息处理费收取情况`)")
    label: str = Field(description="its label as printed")
    line: int
    cells: list[str] = Field(description="its printed cells as text, blank markers included")
    values: list[int | float | None] | None = Field(None, description="the cells as numbers (null: blank), when "
                                                    "the cell boundaries are certain; else null")


class ModeResult(_Strict):
    passed: int = 0
    failed: int = 0
    not_assessable: int = 0


class RuleResult(_Strict):
    strict: ModeResult = Field(default_factory=ModeResult, description="any null operand: not assessable")
    lenient: ModeResult = Field(default_factory=ModeResult,
                                description="null addends count as 0; a null result is not assessable")


class _Report(_Strict):
    """One report: where it came from, what it says, and what is wrong with it."""

    parsed: bool = Field(description="false when no report could be produced from the file")
    source: Source
    meta: Meta = Field(default_factory=Meta)
    preamble: str | None = Field(None, description="text between the title and section 一 (legal basis, period)")
    sections: list[Section] = Field(default_factory=list, description="the six sections (or pre-2019 topics) "
                                    "in order, with their text")
    extra_rows: list[ExtraRow] = Field(default_factory=list, description="rows the template does not have, "
                                       "kept with their printed label and values (finding extra_row)")
    checks: dict[str, RuleResult] = Field(default_factory=dict, description="H1, H2, H3, H5 in both modes")
    findings: list[Finding] = Field(default_factory=list, description="problems: code, severity, key, keys "
                                     "(the cell keys it affects; none for the file as a whole), line, message "
                                     "(led by the Chinese label of its row as printed: `（三）5.属于三类内部事务信息：…`, then "
                                     "xxgk's English detail), message_zh (that label, what the code means and its figures, in Chinese)")
    undetermined: list[str] = Field(default_factory=list, description="canonical keys of the cells that are null "
                                    "because xxgk could not determine them (a finding says why), as opposed to "
                                    "cells the report leaves blank")
    row_lines: dict[str, int] = Field(default_factory=dict, description="source line of each table row read "
                                      "(`requests.granted`: 67; table 四, one row: `review_litigation.review_litigation`)")
    parser_version: str = Field(default_factory=parser_version, description="the xxgk version that wrote this "
                                "record, with a digest of its code (as in run.json)")


@functools.lru_cache(maxsize=8)
def report_model(versions: tuple[Template, ...]) -> type[_Report]:
    """The Report of reports read with these template versions; its fields in contract order."""
    tables = _report_fields(versions)
    fields = {}
    for name, info in _Report.model_fields.items():
        if name == "extra_rows":
            fields.update(tables)
        fields[name] = (info.annotation, info)
    return create_model("Report", __config__=_STRICT, __doc__=_Report.__doc__, **fields)


def current_report_model() -> type[_Report]:
    """The Report under the template versions registered now (templates.VERSIONS)."""
    return report_model(tuple(templates.VERSIONS.values()))


Report = current_report_model()
