"""Stage 5c, table 二 (主动公开政府信息情况, FORMAT.md §3): no arithmetic, so a cell is kept only where a
single reading exists, or where the figures the narrative states pick one."""
from __future__ import annotations

import re

from xxgk import templates
from xxgk.templates import markers as tpl
from xxgk.parsing.cells import Kind, RawRow, Token, group_rows
from xxgk.report.findings import finding
from xxgk.sources.normalize import unify_label
from xxgk.parsing.readings import MAX_DIGITS
from xxgk.parsing.row_labels import floated, match_rows
from xxgk.parsing.rows import NO_DAMAGE, UNIT, Damage
from xxgk.parsing.tables import Row, Table, extra_rows, mark_missing, read_row, settle


_PROSE_FACTS = {  # (row, field): patterns whose number the prose states for that cell (2021 template)
    ("normative_documents", "issued"): r"制发(?:的|了)?(?:行政)?规范性文件(\d+)件",
    ("normative_documents", "in_force"): r"现行有效(?:的)?(?:行政)?规范性文件(\d+)件",
    ("regulations", "issued"): r"制发(?:的|了)?(?:政府)?规章(\d+)件",
    ("regulations", "in_force"): r"现行有效(?:的)?(?:政府)?规章(\d+)件",
}
_PROSE_FACTS = {key: re.compile(pattern) for key, pattern in _PROSE_FACTS.items()}


def prose_facts(text: str) -> dict[tuple[str, str], int]:
    """Figures the narrative states for section-二 cells; they decide between readings of a damaged row."""
    text = "".join(text.split())
    facts = {}
    for key, pattern in _PROSE_FACTS.items():
        found = {int(match) for match in pattern.findall(text) if len(match) <= MAX_DIGITS}
        if len(found) == 1:
            facts[key] = found.pop()
    return facts


def active_template(tokens: list[Token]) -> str | None:
    """The template whose column headers section 二 prints (two signatures: one may occur in prose)."""
    text = unify_label("".join(token.text for token in tokens if token.kind is Kind.text))
    for template in sorted(templates.VERSIONS.values(), key=lambda template: template.version):  # oldest first
        table = template.table(TABLE)
        if table and sum(signature in text for signature in table.signatures) >= 2:
            return template.version
    return None


TABLE = "active_disclosure"
_HEADER_UNIT = re.compile(r"单位[:：]?(万元|元)")


def read_active(tokens: list[Token], damage: Damage = NO_DAMAGE, prose: str = "") -> Table:
    """Table 二 (FORMAT.md §3): no arithmetic, so a cell is kept only where a single reading exists."""
    table = Table(template=active_template(tokens))
    if table.template is None:
        return table
    table.found = True
    facts = prose_facts(prose) if table.template == tpl.TEMPLATE_2021 else {}
    raw_rows = group_rows(tokens)
    specs = templates.table(table.template, TABLE).rows
    extra: list[RawRow] = []
    matched = match_rows(raw_rows, specs, TABLE, table.findings, extra, damage.aligned,
                         damage.text_lines, not damage.document_reader)
    if floated(raw_rows, specs):
        matched, extra = _displaced(raw_rows, table), []
    matched = _headers_between(matched, specs, table)
    table.extra = extra_rows(extra, TABLE, table.findings)
    rows: dict[str, Row] = {}
    for spec in specs:
        raw = matched.get(spec.key)
        stated = {spec.fields.index(name): value for (row, name), value in facts.items() if row == spec.key}
        rule = (lambda reading, stated=stated: all(reading[index] == value for index, value in stated.items()))
        row = read_row(raw, spec, f"active_disclosure.{spec.key}", damage, rule, table) if raw else None
        if row is None:
            mark_missing(table, "active_disclosure", spec, tokens[0].line if tokens else None)
            continue
        rows[spec.key] = row
        if any(not column.cell for column in spec.columns):  # the row's unit (采购总金额's 元 or 万元)
            units = [match[1] for token in raw.printed if (match := UNIT.search(token.text))]
            header = _HEADER_UNIT.search(raw.label)  # `采购总金额(单位:万元)` in the column header
            table.unit = units[0] if units else header[1] if header else None
    settle(rows, table)
    return table


def _headers_between(matched: dict[str, RawRow], specs, table: Table) -> dict[str, RawRow]:
    """Rows whose column headers stand between their name and their numbers (`规章 / 本年制发件数 /
    本年废止件数 / 现行有效件数 / 117 / 0 / 2`, pdftotext without -layout): the text is not in the table's
    order, so the numbers may be another row's (117 and 2 were 现行有效 of 规章 and of 规范性文件)."""
    kept = dict(matched)
    for spec in specs:
        row = matched.get(spec.key)
        if row is None or row.delimited or not row.printed or len(spec.fields) < 2:  # one column: its own sub-table
            continue
        ends = [hit.end() for keyword in spec.keywords for hit in re.finditer(keyword, row.label)]
        rest = row.label[max(ends):] if ends else ""
        if any(header in rest for header in _column_heads(spec)):
            del kept[spec.key]
            table.findings.append(finding(
                "labels_displaced", "the column headers stand between this row's name and its numbers (text "
                "converted from PDF out of the table's order), so the numbers may be another row's; its cells "
                "are null", key=f"active_disclosure.{spec.key}", line=row.line))
    return kept


def _column_heads(spec) -> list[str]:
    """The first four characters of each column label (`本年制发`, `处理决定`, `本年收费`)."""
    return [head for column in spec.columns if len(head := "".join(re.findall(r"[\u4e00-\u9fff]", column.label))[:4]) == 4]


def _displaced(raw_rows: list[RawRow], table: Table) -> dict[str, RawRow]:
    """Numbers floated away from their row labels (text converted from PDF): table 二 has no arithmetic
    that could confirm any placement of them, so no row is read."""
    table.findings.append(finding("labels_displaced", "numbers have floated away from their row labels (text "
                                  "converted from PDF) and no rule of table 二 can tell which row each belongs "
                                  "to; its cells are null", key="active_disclosure", line=raw_rows[0].line))
    return {}


