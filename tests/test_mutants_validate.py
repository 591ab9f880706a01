"""Issue 15, mutation testing: every rule instance of validate.py counted and reported exactly."""
from __future__ import annotations

import random

from xxgk.parsing.validate import check_arithmetic, check_plausibility, check_text_against_table

from .text_render import consistent_values

BLOCKS = ("review", "suit_direct", "suit_after_review")
FIELDS = ("upheld", "corrected", "other", "pending", "total")


def _requests(template: str = "2021") -> dict:
    values = consistent_values(random.Random(5), template)
    return {key[len("requests."):]: value or 0 for key, value in values.items() if key.startswith("requests.")}


def _counts(results) -> dict:
    return {rule: (tuple(result.strict.model_dump().values()), tuple(result.lenient.model_dump().values()))
            for rule, result in results.items()}


def _described(findings) -> list:
    return [(item.code, item.severity.value, item.key, item.line, item.keys, item.message) for item in findings]


def _keys(row: str, columns) -> tuple:
    return tuple(f"requests.{row}.{column}" for column in columns)


APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")


def test_consistent_tables_pass_every_instance():
    for template, rows in (("2021", 25), ("2019", 23)):
        results, findings = check_arithmetic(_requests(template), template, None, {})
        assert _counts(results) == {"H1": ((7, 0, 0), (7, 0, 0)), "H2": ((rows, 0, 0), (rows, 0, 0)),
                                    "H3": ((7, 0, 0), (7, 0, 0)), "H5": ((0, 0, 0), (0, 0, 0))}
        assert findings == []


def test_broken_and_blank_cells_in_table_three():
    values = _requests()
    assert (values["new_received.natural_person"], values["new_received.total"]) == (115, 828)
    values["carried_forward.commercial"] += 2  # breaks H1 (commercial) and H2 (carried_forward) in both modes
    values["new_received.natural_person"] = None  # leniently 0: H1 and H2 fail; strictly not assessable
    results, findings = check_arithmetic(values, "2021", None, {"carried_forward": 40, "requests": 30,
                                                                 "total_processed": 39})
    assert _counts(results) == {"H1": ((5, 1, 1), (5, 2, 0)), "H2": ((23, 1, 1), (23, 2, 0)),
                                "H3": ((7, 0, 0), (7, 0, 0)), "H5": ((0, 0, 0), (0, 0, 0))}
    h1 = "本年新收 + 上年结转 − 结转下年度 should equal （七）总计"
    h2 = "the six applicant columns should add up to 总计"
    assert _described(findings) == [
        ("H1_column_balance", "error", "requests.total_processed.natural_person", 39,
         tuple(f"requests.{row}.natural_person" for row in ("total_processed", "new_received", "carried_over",
                                                               "carried_forward")),
         f"natural_person: {h1}, but the printed cells give 0 against 115"),
        ("H1_column_balance", "error", "requests.total_processed.commercial", 39,
         tuple(f"requests.{row}.commercial" for row in ("total_processed", "new_received", "carried_over",
                                                           "carried_forward")),
         f"commercial: {h1}, but the printed cells give 16 against 18"),
        ("H2_row_total", "error", "requests.new_received.total", 30,
         _keys("new_received", ("total", *APPLICANTS)), f"new_received: {h2}, but the printed cells give 713 against 828"),
        ("H2_row_total", "error", "requests.carried_forward.total", 40,
         _keys("carried_forward", ("total", *APPLICANTS)), f"carried_forward: {h2}, but the printed cells give 5 against 3"),
    ]


def test_a_result_row_that_breaks_h3_and_undeterminable_cells():
    values = _requests()
    assert (values["total_processed.research"], values["granted.research"]) == (12, 0)
    values["granted.research"] += 1
    values["granted.total"] += 1  # H2 still holds; H3 fails for research and total
    results, findings = check_arithmetic(values, "2021", None, {})
    assert _counts(results) == {"H1": ((7, 0, 0), (7, 0, 0)), "H2": ((25, 0, 0), (25, 0, 0)),
                                "H3": ((5, 2, 0), (5, 2, 0)), "H5": ((0, 0, 0), (0, 0, 0))}
    leaves = [key for key in values if key.endswith(".research")][2:-2]  # the 20 result rows, in template order
    h3 = "the result rows should add up to （七）总计"
    assert _described(findings) == [
        ("H3_results_total", "error", "requests.total_processed.research", None,
         ("requests.total_processed.research", *(f"requests.{key}" for key in leaves)),
         f"research: {h3}, but the printed cells give 13 against 12"),
        ("H3_results_total", "error", "requests.total_processed.total", None,
         ("requests.total_processed.total", *(f"requests.{key[:-len('research')]}total" for key in leaves)),
         f"total: {h3}, but the printed cells give 829 against 828")]
    # a cell that could not be read makes each rule it is in not assessable, in both modes
    results, findings = check_arithmetic(values, "2021", None, {}, unknown={"requests.granted.research"})
    assert _counts(results) == {"H1": ((7, 0, 0), (7, 0, 0)), "H2": ((24, 0, 1), (24, 0, 1)),
                                "H3": ((5, 1, 1), (5, 1, 1)), "H5": ((0, 0, 0), (0, 0, 0))}
    assert [item.key for item in findings] == ["requests.total_processed.total"]
    results, _ = check_arithmetic(values, "2021", None, {}, unknown={"requests.total_processed.research"})
    assert _counts(results) == {"H1": ((6, 0, 1), (6, 0, 1)), "H2": ((24, 0, 1), (24, 0, 1)),
                                "H3": ((5, 1, 1), (5, 1, 1)), "H5": ((0, 0, 0), (0, 0, 0))}


def test_review_blocks():
    review = dict.fromkeys((f"{block}.{name}" for block in BLOCKS for name in FIELDS), 0)
    review.update({"review.upheld": 3, "review.total": 3, "suit_direct.corrected": 2, "suit_direct.total": 1,
                   "suit_after_review.other": -1, "suit_after_review.total": None})
    results, findings = check_arithmetic(None, "2021", review, {"review_litigation": 70})
    assert _counts(results) == {"H1": ((0, 0, 0), (0, 0, 0)), "H2": ((0, 0, 0), (0, 0, 0)),
                                "H3": ((0, 0, 0), (0, 0, 0)), "H5": ((1, 1, 1), (1, 1, 1))}
    assert _described(findings) == [(
        "H5_review_total", "error", "review_litigation.suit_direct.total", 70,
        tuple(f"review_litigation.suit_direct.{name}" for name in ("total", *FIELDS[:4])),
        "suit_direct: 维持 + 纠正 + 其他 + 尚未审结 should equal 总计, but the printed cells give 2 against 1")]
    results, findings = check_arithmetic(None, None, review, {}, unknown={"review.suit_direct.other"})
    assert _counts(results)["H5"] == ((1, 0, 2), (1, 0, 2)) and findings == []
    results, findings = check_arithmetic(None, None, review, {}, unknown={"review.review.total"})
    assert _counts(results)["H5"] == ((0, 1, 2), (0, 1, 2)) and len(findings) == 1
    review["review.corrected"] = None  # a blank addend: leniently 0 (3 = 3), strictly not assessable
    results, _ = check_arithmetic(None, None, review, {})
    assert _counts(results)["H5"] == ((0, 1, 2), (1, 1, 1))


def test_an_unknown_template_checks_nothing_in_table_three():
    results, findings = check_arithmetic({"new_received.total": 1}, "1999", None, {})
    assert _counts(results)["H1"] == ((0, 0, 0), (0, 0, 0)) and findings == []
    results, _ = check_arithmetic(None, "2021", None, {})
    assert set(_counts(results).values()) == {((0, 0, 0), (0, 0, 0))}


def test_soft_rules():
    active = {"regulations.issued": 3, "regulations.in_force": 2, "normative_documents.issued": 1,
              "normative_documents.in_force": 1, "fees.change": -5, "licensing.decisions": -1,
              "procurement.amount": -0.5}
    requests = {"new_received.total": 0, "carried_over.total": 0, "total_processed.total": 4, "granted.research": -2}
    review = {"review.upheld": 4, "review.total": 3, "review.corrected": 3, "suit_direct.upheld": 1,
              "suit_direct.total": None}
    assert [(item.code, item.severity.value, item.key, item.message)
            for item in check_plausibility(active, requests, review, 2023, "2024-01-20")] == [
        ("negative_count", "warning", "active_disclosure.licensing.decisions",
         "licensing.decisions is -1; counts cannot be negative"),
        ("negative_count", "warning", "active_disclosure.procurement.amount",
         "procurement.amount is -0.5; counts cannot be negative"),
        ("negative_count", "warning", "requests.granted.research", "granted.research is -2; counts cannot be negative"),
        ("component_exceeds_total", "warning", "review_litigation.review.upheld", "review.upheld = 4 exceeds its total 3"),
        ("in_force_below_issued", "info", "active_disclosure.regulations.in_force", "regulations: 现行有效 2 < 本年制发 3"),
        ("requests_without_applications", "warning", "requests.total_processed.total",
         "no applications, yet （七）总计 = 4")]
    assert [(item.code, item.key, item.message) for item in check_plausibility(
        {"normative_documents.issued": 4, "normative_documents.in_force": 1}, None,
        {"suit_after_review.other": -1, "suit_after_review.total": 0}, None, None)] == [
        ("negative_count", "review_litigation.suit_after_review.other",
         "suit_after_review.other is -1; counts cannot be negative"),
        ("in_force_below_issued", "active_disclosure.normative_documents.in_force",
         "normative_documents: 现行有效 1 < 本年制发 4")]
    zero = {"new_received.total": 0, "carried_over.total": 0, "total_processed.total": 0}
    assert [(item.code, item.key, item.message) for item in check_plausibility(None, zero, None, 2023, "2025-01-01")] \
        == [("year_vs_published", "meta.year", "statistics year 2023, published 2025-01-01")]
    assert check_plausibility(None, {"new_received.total": 1, "carried_over.total": 0, "total_processed.total": 4},
                              None, None, None) == []
    assert check_plausibility(None, {"new_received.total": 0, "carried_over.total": 1, "total_processed.total": 4},
                              None, None, None) == []
    assert check_plausibility(None, None, None, None, "2025-01-01") == []
    assert check_plausibility(None, None, None, 2023, None) == []
    assert check_plausibility({"regulations.issued": 2, "regulations.in_force": 2}, None,
                              {"review.upheld": 3, "review.total": 3}, 2024, "2025-03-01") == []


def _mismatches(text, requests=None, review=None):
    return [(item.code, item.key, item.message) for item in check_text_against_table(text, requests, review)]


def test_prose_figures_against_the_tables():
    requests = {"new_received.total": 3, "carried_over.total": 1}
    review = {"review.total": 1, "suit_direct.total": 1, "suit_after_review.total": 1}
    assert _mismatches("本年度收到政府信息公开申请3件，受理申请共4件。", requests) == []  # two figures: no claim
    assert _mismatches("收到申请5件。行政复议案件2起，行政诉讼3件", requests, review) == [
        ("text_table_mismatch", "requests.new_received.total", "section 一 states 5 where the table gives 3 or 4"),
        ("text_table_mismatch", "review_litigation.review.total", "section 一 states 2 where the table gives 1"),
        ("text_table_mismatch", "review_litigation.suit_direct.total", "section 一 states 3 where the table gives 2")]
    assert _mismatches("收 到 申 请 5 件。", requests) == [
        ("text_table_mismatch", "requests.new_received.total", "section 一 states 5 where the table gives 3 or 4")]
    assert _mismatches("收到申请5件。", {"new_received.total": 3, "carried_over.total": None}) == [
        ("text_table_mismatch", "requests.new_received.total", "section 一 states 5 where the table gives 3")]
    assert _mismatches("收到申请4件。行政复议1件，行政诉讼2件。", requests, review) == []
    assert _mismatches("收到申请5件。", {"new_received.total": None}) == []
    assert _mismatches("收到申请1234567890123456件。", {"new_received.total": 3}) == []  # 16 digits: no figure
    assert _mismatches("收到申请123456789012345件。", {"new_received.total": 3}) == [
        ("text_table_mismatch", "requests.new_received.total", "section 一 states 123456789012345 where the table "
                                                               "gives 3")]
    assert _mismatches("行政诉讼4件", None, {"suit_direct.total": 1, "suit_after_review.total": 2}) == [
        ("text_table_mismatch", "review_litigation.suit_direct.total", "section 一 states 4 where the table gives 3")]
