"""Stage 6, build: the pydantic `Report` from the document, its metadata and its tables."""
from __future__ import annotations

import re

from xxgk import templates
from xxgk.templates import markers as tpl
from xxgk.report.errors import CannotParse
from xxgk.report.finding_keys import located
from xxgk.report.findings import Finding, finding
from xxgk.parsing.metadata import Metadata
from xxgk.report.model import Meta, Report, Section, Source, Subsection, current_report_model, table_models
from xxgk.parsing.sections import Document, section_text, subsections
from xxgk.parsing.tables import Table

_TABLE_SECTIONS = ("active_disclosure", "requests", "review_litigation")


def failed_report(source: Source, error: CannotParse) -> Report:
    """The record of a file that yields no report: why, in one finding."""
    return Report(parsed=False, source=source,
                  findings=[finding(error.reason, f"{error.detail}", key="source")])


def build_report(source: Source, metadata: Metadata, document: Document, tables: dict[str, Table],
                 template: str, checks: dict | None = None, notes: list[Finding] = (),
                 later: list[Finding] = (), extra_rows: list = ()) -> Report:
    """The report, made once from what the stages found: `notes` are the findings of reading the file,
    `later` those of the stages after the tables (validation, bounds), `checks` the rule counts,
    `extra_rows` the rows of sections the template does not have. Every finding gets the cells it affects
    and the Chinese label of its row (finding_keys.py), and they are ordered by source line."""
    meta = _meta(metadata, tables, template)
    sections = [_section(document, position) for position in range(len(document.headings))]
    filled = _table_models(tables) if template in _WITH_TABLES else {}
    findings = list(notes)
    if metadata.year is None:
        findings.append(finding("missing_title", "no title with a statistics year was found; meta.year is null",
                                key="meta.year"))
    if template in _WITH_TABLES:
        findings += _structural_findings(document, tables, template, meta)
    findings += [item for table in tables.values() for item in table.findings]
    if template == tpl.TEMPLATE_PRE2019:
        findings.append(finding("pre2019_not_extracted", "a report in the pre-2019 format: only its "
                                "metadata and section texts were read; its numbers are not extracted "
                                "(2019年以前格式的年报：只读取了标题等信息和各部分文字，未提取表格数字)",
                                key="meta.template"))
    findings += later
    undetermined = sorted(f"{section}.{key}" for section, table in tables.items() for key in table.unknown)
    versions = {table: meta.table_templates.get(table) or meta.template for table in templates.TABLE_KEYS}
    missing = tuple(table for table in templates.TABLE_KEYS if table not in filled)
    findings = sorted(located(findings, versions, undetermined, missing),
                      key=lambda item: (item.line is None, item.line or 0))
    return current_report_model()(
        parsed=True, source=source, meta=meta, preamble=_preamble(document, metadata), sections=sections,
        **filled, extra_rows=[*(row for table in tables.values() for row in table.extra), *extra_rows], checks=checks or {},
        findings=findings, undetermined=undetermined,
        row_lines={f"{section}.{row}": line for section, table in tables.items()
                   for row, line in table.rows.items() if line is not None})


_WITH_TABLES = (tpl.TEMPLATE_2021, tpl.TEMPLATE_2019, tpl.TEMPLATE_UNKNOWN)


def _meta(metadata: Metadata, tables: dict[str, Table], template: str) -> Meta:
    table_templates = {key: table.template for key, table in tables.items()
                       if table.template and key != "review_litigation"}
    return Meta(template=template, table_templates=table_templates, year=metadata.year, agency=metadata.agency,
                title=metadata.title, published=metadata.published, index_no=metadata.index_no)


_PAGE_METADATA = re.compile(r"^(?:[\u4e00-\u9fff ]{1,8}\s*:|https?://|[=\-_*]{3,}|\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}"
                            r"[日\s\d:]*$|正文$|分享到)")


def _preamble(document: Document, metadata: Metadata) -> str | None:
    """The text between the (last printed) title and section 一, without the page's metadata lines."""
    end = document.headings[0].index if document.headings else 0
    start = metadata.title_index + 1 if metadata.title_index is not None else 0
    title = "".join((metadata.title or "").split())
    for index in range(start, end):
        if title and "".join(document.lines[index].text.split()) == title:
            start = index + 1  # the title printed again above the body (seed 000)
    text = "\n".join(line.text.strip() for line in document.lines[start:end]
                     if line.text.strip() and not _PAGE_METADATA.match(line.text.strip()))
    return text or None


def _section(document: Document, position: int) -> Section:
    heading = document.headings[position]
    line = document.lines[heading.index]
    parts = [] if heading.key in _TABLE_SECTIONS else subsections(document, position)
    return Section(key=heading.key, number=heading.numeral, heading=f"{heading.numeral}、{heading.title}",
                   line=line.no, text=section_text(document, position),
                   subsections=[Subsection(heading=title, line=number, text=text) for title, number, text in parts])


def _table_models(tables: dict[str, Table]) -> dict:
    """Each table's values in its model, in the version the table was read in (table 四 and a table
    of unknown version: the first version's shape; rows only some versions have are left null)."""
    versions = tuple(templates.VERSIONS.values())
    models = table_models(versions)
    filled = {}
    for key, table in tables.items():
        if key == "active_disclosure" and not table.template:
            continue
        version = table.template or versions[0].version
        rows = templates.table(version, key).rows
        if table.template is None and key == "requests":
            shared = templates.rows_in_every_version(key, versions)
            rows = [row for row in rows if row.key in shared]
        nested: dict[str, dict] = {}
        for row in rows:
            nested[row.key] = {name: table.values.get(f"{row.key}.{name}") for name in row.fields}
            if any(not column.cell for column in row.columns):
                nested[row.key].update({column.key: table.unit for column in row.columns if not column.cell})
        filled[key] = models[key][version].model_validate(nested)
    return filled


def _structural_findings(document: Document, tables: dict[str, Table], template: str, meta: Meta) -> list[Finding]:
    findings: list[Finding] = []
    found = {heading.key for heading in document.headings} & set(tpl.SECTION_KEYS)
    for number, key in enumerate(tpl.SECTION_KEYS):
        if key not in found:
            findings.append(finding("missing_section", f"section {tpl.SECTION_NUMERALS[number]} ({key}) "
                                "has no heading", key=key))
        elif key in _TABLE_SECTIONS and key not in tables:
            findings.append(finding("missing_table", f"section {tpl.SECTION_NUMERALS[number]} has no "
                                "readable table; its values are null", key=key))
    last = max((tpl.SECTION_KEYS.index(key) for key in found), default=-1)
    if last < tpl.SECTION_KEYS.index("problems"):
        after = f"after section {tpl.SECTION_NUMERALS[last]}" if last >= 0 else "before section 一"
        findings.append(finding("truncated_report", f"the text stops {after}: the file holds only the start "
                                       "of the report (a scraper may have kept only its first page); what is "
                                       "missing is null", key="source"))
    if template == tpl.TEMPLATE_UNKNOWN:
        findings.append(finding("unknown_template", "the tables match neither the 2019 nor the 2021 "
                                       "template", key="meta.template"))
    if len(set(meta.table_templates.values())) > 1:
        findings.append(finding("hybrid_template", "section 二 and section 三 follow different "
                                f"templates: {meta.table_templates}", key="meta.template"))
    return findings
