"""Stage 7, validate: the arithmetic rules of FORMAT.md §6 as checks and findings.

Hard rules H1, H2, H3 (table 三) and H5 (table 四) are evaluated in both modes of §6.3: strict (any
null operand makes the rule not assessable) and lenient (null addends count as 0, a null result is
not assessable). A rule broken in lenient mode is an error finding: the report's own numbers do not
add up, and the parser reports it rather than repairing it. Soft rules give warnings or info.
"""
from __future__ import annotations

import re

from xxgk import templates
from xxgk.templates import markers as tpl
from xxgk.templates.spec import Equation, Rule
from xxgk.report.findings import Finding, finding
from xxgk.report.model import RuleResult
from xxgk.parsing.readings import MAX_DIGITS, Value

Values = dict[str, Value]


_OUTCOMES = ("passed", "failed", "not_assessable")
_PREFIXES = {"requests": "requests.", "review_litigation": "review."}  # how `unknown` names a table's cells


def check_arithmetic(requests: Values | None, requests_template: str | None, review: Values | None,
                     lines: dict[str, int], unknown: set[str] = frozenset()) -> tuple[dict[str, RuleResult], list[Finding]]:
    """Every instance of every rule of the template (H1, H2, H3 on table 三, H5 on table 四). Cells in
    `unknown` (`requests.granted.total`, `review.review.total`) make a rule not assessable; blank
    cells count as 0 in lenient mode. Table 三 is checked only when its template is known."""
    template = templates.get(requests_template) or templates.get(tpl.TEMPLATE_2021)
    tally = {rule.name: {"strict": dict.fromkeys(_OUTCOMES, 0), "lenient": dict.fromkeys(_OUTCOMES, 0)}
             for rule in template.rules}
    findings: list[Finding] = []
    tables = {"requests": requests if templates.get(requests_template) else None, "review_litigation": review}
    rules = {rule.name: rule for rule in template.rules}
    for table, values in tables.items():
        if values is None:
            continue
        prefix = _PREFIXES[table]
        for equation in template.equations_of(table):
            strict, lenient, item = _outcome(equation, rules[equation.rule], values, lines, unknown, prefix)
            if item is not None:
                findings.append(item)
            counts = tally[equation.rule]
            counts["strict"][strict] += 1
            counts["lenient"][lenient] += 1
    results = {rule: RuleResult.model_validate(counts) for rule, counts in tally.items()}
    return results, findings


def _outcome(equation: Equation, rule: Rule, values: Values, lines: dict[str, int], unknown: set[str],
             prefix: str) -> tuple[str, str, Finding | None]:
    """(strict outcome, lenient outcome, the finding when the report's own cells break the rule)."""
    result = values.get(equation.result)
    if result is None or unknown and any(prefix + key in unknown for key, _ in equation.terms):
        return "not_assessable", "not_assessable", None
    total = 0
    blank = False
    for name, sign in equation.addends:
        part = values.get(name)
        if part is None:
            blank = True
        else:
            total += sign * part
    if total == result:
        return ("not_assessable" if blank else "passed"), "passed", None
    row = equation.result.split(".")[0]
    item = finding(rule.code, f"{equation.subject}: {rule.meaning}, but the printed cells give {total} "
                   f"against {result}", key=f"{rule.table}.{equation.result}",
                   line=lines.get(row, lines.get(rule.table)),
                   keys=[f"{rule.table}.{key}" for key, _ in equation.terms],
                   detail_zh=f"印为{result}，按各项计算为{total}")
    return ("not_assessable" if blank else "failed"), "failed", item


_PROSE_FIGURES = (  # (pattern in section 一, the table cells whose sum (or any of the sums) it should equal)
    (r"(?:收到|受理)了?(?:各类|依申请)?(?:政府信息公开)?申请(?:共计?|总计|合计)?(\d+)件",
     (("requests", "new_received.total"), ("requests", "new_received.total", "carried_over.total"))),
    (r"行政复议(?:案件)?(\d+)[件起]", (("review", "review.total"),)),
    (r"行政诉讼(?:案件)?(\d+)[件起]", (("review", "suit_direct.total", "suit_after_review.total"),)),
)
_PROSE_FIGURES = tuple((re.compile(pattern), readings) for pattern, readings in _PROSE_FIGURES)


def check_text_against_table(overview: str, requests: Values | None, review: Values | None) -> list[Finding]:
    """S5: figures the narrative of section 一 states should match the tables."""
    findings: list[Finding] = []
    tables = {"requests": requests or {}, "review": review or {}}
    text = "".join(overview.split())
    for pattern, readings in _PROSE_FIGURES:
        stated = {int(number) for number in pattern.findall(text) if len(number) <= MAX_DIGITS}
        sums = []
        for table, *keys in readings:
            values = [tables[table].get(key) for key in keys]
            if all(isinstance(value, int) for value in values):
                sums.append(sum(values))
        if len(stated) == 1 and sums and stated.isdisjoint(sums):
            key = ("requests." if readings[0][0] == "requests" else "review_litigation.") + readings[0][1]
            sums = sorted(set(sums))
            number = stated.pop()
            findings.append(finding("text_table_mismatch", f"section 一 states {number} where the table "
                                    f"gives {' or '.join(map(str, sums))}", key=key,
                                    detail_zh=f"文字为{number}，表格为{'或'.join(map(str, sums))}"))
    return findings


def check_plausibility(active: Values | None, requests: Values | None, review: Values | None,
                       year: int | None, published: str | None) -> list[Finding]:
    """Soft rules S1, S2, S4, S6, S7 (FORMAT.md §6.2): warnings and info, never errors."""
    findings: list[Finding] = []
    for section, values in (("active_disclosure", active), ("requests", requests), ("review_litigation", review)):
        for key, value in (values or {}).items():
            if isinstance(value, (int, float)) and value < 0 and not _signed(section, key):
                findings.append(finding("negative_count", f"{key} is {value}; counts cannot be negative",
                                        key=f"{section}.{key}", detail_zh=f"印为{value}"))
    for equation in templates.get(tpl.TEMPLATE_2021).equations["review_litigation"]:  # a part above its sum (H5)
        total = (review or {}).get(equation.result)
        for name, _ in equation.addends:
            part = (review or {}).get(name)
            if total is not None and part is not None and part > total:
                findings.append(finding("component_exceeds_total", f"{name} = {part} exceeds its "
                                        f"total {total}", key=f"review_litigation.{name}",
                                        detail_zh=f"此项为{part}，总计为{total}"))
    for row in ("regulations", "normative_documents"):
        issued, in_force = (active or {}).get(f"{row}.issued"), (active or {}).get(f"{row}.in_force")
        if issued is not None and in_force is not None and in_force < issued:
            findings.append(finding("in_force_below_issued", f"{row}: 现行有效 {in_force} < 本年制发 {issued}",
                                    key=f"active_disclosure.{row}.in_force",
                                    detail_zh=f"现行有效{in_force}，本年制发{issued}"))
    if requests and requests.get("new_received.total") == 0 and requests.get("carried_over.total") == 0:
        processed = requests.get("total_processed.total")
        if processed:
            findings.append(finding("requests_without_applications", f"no applications, yet （七）总计 = "
                                    f"{processed}", key="requests.total_processed.total",
                                    detail_zh=f"（七）总计为{processed}"))
    if year and published and int(published[:4]) - 1 != year:
        findings.append(finding("year_vs_published", f"statistics year {year}, published {published}",
                                key="meta.year", detail_zh=f"统计年度{year}年，发布日期{published}"))
    return findings


def _signed(table: str, key: str) -> bool:
    """Whether the cell may be negative in some version (本年增/减)."""
    column = templates.cell_columns().get(f"{table}.{key}")
    return column is not None and column.signed
