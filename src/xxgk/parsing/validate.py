"""Stage 7, validate: the arithmetic rules of FORMAT.md §6 as checks and findings.

Hard rules H1, H2, H3 (table 三) and H5 (table 四) are evaluated in both modes of §6.3: strict (any
null operand makes the rule not assessable) and lenient (null addends count as 0, a null result is
not assessable). A rule broken in lenient mode is an error finding: the report's own numbers do not
add up, and the parser reports it rather than repairing it. Soft rules give warnings or info.
"""
from __future__ import annotations

import functools
import re

from xxgk.templates import markers as tpl
from xxgk.report.findings import Finding, finding
from xxgk.report.model import RuleResult
from xxgk.parsing.readings import MAX_DIGITS, Value

Values = dict[str, Value]


@functools.lru_cache(maxsize=4)
def _request_instances(template: str) -> tuple[tuple[str, str, tuple[tuple[str, int], ...], str, str], ...]:
    """(rule, key, (addend key, sign)…, result key, subject) of every H1, H2, H3 instance of a template."""
    leaves = tpl.RESULT_ROWS[template]
    rows = [spec.key for spec in tpl.REQUEST_ROWS[template]]
    instances = []
    for column in tpl.REQUEST_COLUMNS:
        instances.append(("H1", f"total_processed.{column}",
                          ((f"new_received.{column}", 1), (f"carried_over.{column}", 1),
                           (f"carried_forward.{column}", -1)), f"total_processed.{column}", column))
        instances.append(("H3", f"total_processed.{column}", tuple((f"{row}.{column}", 1) for row in leaves),
                          f"total_processed.{column}", column))
    for row in rows:
        instances.append(("H2", f"{row}.total", tuple((f"{row}.{column}", 1) for column in tpl.APPLICANT_COLUMNS),
                          f"{row}.total", row))
    return tuple(instances)


_REVIEW_INSTANCES = tuple(
    ("H5", f"{block}.total", tuple((f"{block}.{name}", 1) for name in tpl.REVIEW_FIELDS[:4]), f"{block}.total", block)
    for block in tpl.REVIEW_BLOCKS)
_DESCRIPTIONS = {
    "H1": "{}: 本年新收 + 上年结转 − 结转下年度 should equal （七）总计",
    "H2": "{}: the six applicant columns should add up to 总计",
    "H3": "{}: the result rows should add up to （七）总计",
    "H5": "{}: 维持 + 纠正 + 其他 + 尚未审结 should equal 总计",
}
_OUTCOMES = ("passed", "failed", "not_assessable")
_CODES = {"H1": "H1_column_balance", "H2": "H2_row_total", "H3": "H3_results_total", "H5": "H5_review_total"}
_SECTIONS = {"H1": "requests", "H2": "requests", "H3": "requests", "H5": "review_litigation"}


def check_arithmetic(requests: Values | None, requests_template: str | None, review: Values | None,
                     lines: dict[str, int], unknown: set[str] = frozenset()) -> tuple[dict[str, RuleResult], list[Finding]]:
    """Every instance of H1, H2, H3, H5. Cells in `unknown` (`requests.granted.total`,
    `review.review.total`) make a rule not assessable; blank cells count as 0 in lenient mode."""
    tally = {rule: {"strict": dict.fromkeys(_OUTCOMES, 0), "lenient": dict.fromkeys(_OUTCOMES, 0)}
             for rule in _CODES}
    findings: list[Finding] = []
    tables = []
    if requests is not None and requests_template in tpl.REQUEST_ROWS:
        tables.append((requests, _request_instances(requests_template), "requests."))
    if review is not None:
        tables.append((review, _REVIEW_INSTANCES, "review."))
    for values, instances, prefix in tables:
        for rule, key, addends, result_key, subject in instances:
            result = values.get(result_key)
            if result is None or unknown and (prefix + result_key in unknown
                                              or any(prefix + name in unknown for name, _ in addends)):
                strict = lenient = "not_assessable"
            else:
                total = 0
                blank = False
                for name, sign in addends:
                    part = values.get(name)
                    if part is None:
                        blank = True
                    else:
                        total += sign * part
                lenient = "passed" if total == result else "failed"
                strict = "not_assessable" if blank else lenient
                if lenient == "failed":
                    row = key.split(".")[0]
                    findings.append(finding(
                        _CODES[rule], f"{_DESCRIPTIONS[rule].format(subject)}, but the printed cells give {total} "
                        f"against {result}", key=f"{_SECTIONS[rule]}.{key}",
                        line=lines.get(row, lines.get(_SECTIONS[rule])),
                        keys=[f"{_SECTIONS[rule]}.{name}" for name in (result_key, *(name for name, _ in addends))]))
            counts = tally[rule]
            counts["strict"][strict] += 1
            counts["lenient"][lenient] += 1
    results = {rule: RuleResult.model_validate(counts) for rule, counts in tally.items()}
    return results, findings


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
            findings.append(finding("text_table_mismatch", f"section 一 states {stated.pop()} where the table "
                                    f"gives {' or '.join(map(str, sorted(set(sums))))}", key=key))
    return findings


def check_plausibility(active: Values | None, requests: Values | None, review: Values | None,
                       year: int | None, published: str | None) -> list[Finding]:
    """Soft rules S1, S2, S4, S6, S7 (FORMAT.md §6.2): warnings and info, never errors."""
    findings: list[Finding] = []
    for section, values in (("active_disclosure", active), ("requests", requests), ("review_litigation", review)):
        for key, value in (values or {}).items():
            if isinstance(value, (int, float)) and value < 0 and not key.endswith(".change"):
                findings.append(finding("negative_count", f"{key} is {value}; counts cannot be negative",
                                        key=f"{section}.{key}"))
    for block in tpl.REVIEW_BLOCKS:
        total = (review or {}).get(f"{block}.total")
        for name in tpl.REVIEW_FIELDS[:4]:
            part = (review or {}).get(f"{block}.{name}")
            if total is not None and part is not None and part > total:
                findings.append(finding("component_exceeds_total", f"{block}.{name} = {part} exceeds its "
                                        f"total {total}", key=f"review_litigation.{block}.{name}"))
    for row in ("regulations", "normative_documents"):
        issued, in_force = (active or {}).get(f"{row}.issued"), (active or {}).get(f"{row}.in_force")
        if issued is not None and in_force is not None and in_force < issued:
            findings.append(finding("in_force_below_issued", f"{row}: 现行有效 {in_force} < 本年制发 {issued}",
                                    key=f"active_disclosure.{row}.in_force"))
    if requests and requests.get("new_received.total") == 0 and requests.get("carried_over.total") == 0:
        processed = requests.get("total_processed.total")
        if processed:
            findings.append(finding("requests_without_applications", f"no applications, yet （七）总计 = "
                                    f"{processed}", key="requests.total_processed.total"))
    if year and published and int(published[:4]) - 1 != year:
        findings.append(finding("year_vs_published", f"statistics year {year}, published {published}",
                                key="meta.year"))
    return findings
