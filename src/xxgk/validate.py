"""Stage 7, validate: the arithmetic rules of FORMAT.md §6 as checks and findings.

Hard rules H1, H2, H3 (table 三) and H5 (table 四) are evaluated in both modes of §6.3: strict (any
null operand makes the rule not assessable) and lenient (null addends count as 0, a null result is
not assessable). A rule broken in lenient mode is an error finding: the report's own numbers do not
add up, and the parser reports it rather than repairing it. Soft rules give warnings or info.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from . import template as tpl
from .findings import Finding, finding
from .model import ModeResult, RuleResult
from .readings import Value

Values = dict[str, Value]


_UNKNOWN = object()  # a cell the parser could not determine: unlike a blank, it is never 0


def _evaluate(parts: Sequence[Value], result: Value) -> tuple[str, str]:
    """(strict outcome, lenient outcome), each "passed", "failed" or "not_assessable"."""
    if result is None or result is _UNKNOWN or any(part is _UNKNOWN for part in parts):
        return "not_assessable", "not_assessable"
    lenient = "passed" if sum(part or 0 for part in parts) == result else "failed"
    strict = "not_assessable" if any(part is None for part in parts) else lenient
    return strict, lenient


def _request_checks(requests: Values, template: str) -> Iterator[tuple[str, str, list, Value, str]]:
    """(rule, key, parts, result, description) for every instance of H1, H2, H3."""
    leaves = tpl.RESULT_ROWS[template]
    rows = [spec.key for spec in tpl.REQUEST_ROWS[template]]
    for column in tpl.REQUEST_COLUMNS:
        cells = {row: requests.get(f"{row}.{column}") for row in rows}
        forward = cells.get("carried_forward")
        yield ("H1", f"total_processed.{column}",
               [cells.get("new_received"), cells.get("carried_over"),
                forward if forward is None or forward is _UNKNOWN else -forward],
               cells.get("total_processed"),
               f"{column}: 本年新收 + 上年结转 − 结转下年度 should equal （七）总计")
        yield ("H3", f"total_processed.{column}", [cells.get(row) for row in leaves], cells.get("total_processed"),
               f"{column}: the result rows should add up to （七）总计")
    for row in rows:
        yield ("H2", f"{row}.total", [requests.get(f"{row}.{column}") for column in tpl.APPLICANT_COLUMNS],
               requests.get(f"{row}.total"), f"{row}: the six applicant columns should add up to 总计")


def _review_checks(review: Values) -> Iterator[tuple[str, str, list, Value, str]]:
    for block in tpl.REVIEW_BLOCKS:
        yield ("H5", f"{block}.total", [review.get(f"{block}.{name}") for name in tpl.REVIEW_FIELDS[:4]],
               review.get(f"{block}.total"), f"{block}: 维持 + 纠正 + 其他 + 尚未审结 should equal 总计")


_CODES = {"H1": "H1_column_balance", "H2": "H2_row_total", "H3": "H3_results_total", "H5": "H5_review_total"}
_SECTIONS = {"H1": "requests", "H2": "requests", "H3": "requests", "H5": "review_litigation"}


def check_arithmetic(requests: Values | None, requests_template: str | None, review: Values | None,
                     lines: dict[str, int], unknown: set[str] = frozenset()) -> tuple[dict[str, RuleResult], list[Finding]]:
    """Every instance of H1, H2, H3, H5. Cells in `unknown` (`requests.granted.total`,
    `review.review.total`) make a rule not assessable; blank cells count as 0 in lenient mode."""
    results = {rule: RuleResult() for rule in ("H1", "H2", "H3", "H5")}
    findings: list[Finding] = []
    instances = []
    requests = _mark_unknown(requests, unknown, "requests.")
    review = _mark_unknown(review, unknown, "review.")
    if requests is not None and requests_template in tpl.REQUEST_ROWS:
        instances.extend(_request_checks(requests, requests_template))
    if review is not None:
        instances.extend(_review_checks(review))
    for rule, key, parts, result, description in instances:
        strict, lenient = _evaluate(parts, result)
        _count(results[rule].strict, strict)
        _count(results[rule].lenient, lenient)
        if lenient == "failed":
            total = sum(part or 0 for part in parts)
            row = key.split(".")[0]
            findings.append(finding(_CODES[rule], f"{description}, but the printed cells give {total} "
                                    f"against {result}", key=f"{_SECTIONS[rule]}.{key}",
                                    line=lines.get(row, lines.get(_SECTIONS[rule]))))
    return results, findings


def _mark_unknown(values: Values | None, unknown: set[str], prefix: str) -> dict | None:
    if values is None:
        return None
    return {key: _UNKNOWN if prefix + key in unknown else value for key, value in values.items()}


def _count(mode: ModeResult, outcome: str) -> None:
    setattr(mode, outcome, getattr(mode, outcome) + 1)


_PROSE_FIGURES = (  # (pattern in section 一, the table cells whose sum (or any of the sums) it should equal)
    (r"(?:收到|受理)了?(?:各类|依申请)?(?:政府信息公开)?申请(?:共计?|总计|合计)?(\d+)件",
     (("requests", "new_received.total"), ("requests", "new_received.total", "carried_over.total"))),
    (r"行政复议(?:案件)?(\d+)[件起]", (("review", "review.total"),)),
    (r"行政诉讼(?:案件)?(\d+)[件起]", (("review", "suit_direct.total", "suit_after_review.total"),)),
)


def check_text_against_table(overview: str, requests: Values | None, review: Values | None) -> list[Finding]:
    """S5: figures the narrative of section 一 states should match the tables."""
    findings: list[Finding] = []
    tables = {"requests": requests or {}, "review": review or {}}
    text = "".join(overview.split())
    for pattern, readings in _PROSE_FIGURES:
        stated = {int(number) for number in re.findall(pattern, text)}
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
