"""Arithmetic (H1, H2, H3, H5) in strict and lenient mode, and the soft rules."""
from __future__ import annotations

from xxgk.report.model import Source
from xxgk.pipeline import extract_text
from xxgk.parsing.validate import check_arithmetic, check_text_against_table

from .conftest import FIXTURES

SEED_000 = (FIXTURES / "reports" / "seeds" / "000_201b3c9d0f3fbc81.txt").read_text(encoding="utf-8")
SEED_002 = (FIXTURES / "reports" / "seeds" / "002_a0db4065ad230706.txt").read_text(encoding="utf-8")


def test_lenient_and_strict_modes():
    review = {f"{block}.{name}": None for block in ("review", "suit_direct", "suit_after_review")
              for name in ("upheld", "corrected", "other", "pending", "total")}
    review.update({"review.upheld": 5, "review.pending": 2, "review.total": 7})
    checks, findings = check_arithmetic(None, None, review, {})
    assert checks["H5"].strict.not_assessable == 3
    assert (checks["H5"].lenient.passed, checks["H5"].lenient.not_assessable) == (1, 2)
    assert findings == []


def test_an_undeterminable_cell_is_never_counted_as_zero():
    review = {f"review.{name}": value for name, value in zip(("upheld", "corrected", "other", "pending", "total"),
                                                               (None, 0, 0, 0, 3))}
    checks, findings = check_arithmetic(None, None, review, {})
    assert checks["H5"].lenient.failed == 1 and findings[0].code == "H5_review_total"
    checks, findings = check_arithmetic(None, None, review, {}, unknown={"review.review.upheld"})
    assert (checks["H5"].lenient.failed, checks["H5"].lenient.not_assessable) == (0, 3) and findings == []


def test_a_report_whose_numbers_do_not_add_up_is_reported_not_repaired():
    # tab-delimited cells: the boundaries are certain, so the broken rules are the report's own
    broken = SEED_002.replace("一、本年新收政府信息公开申请数量\t\t0", "一、本年新收政府信息公开申请数量\t\t4", 1)
    assert broken != SEED_002
    report = extract_text(broken, Source(path="x.txt"))
    assert report.requests.new_received.natural_person == 4
    codes = {finding.code for finding in report.findings}
    assert {"H1_column_balance", "H2_row_total"} <= codes


def test_broken_rules_on_inferred_cell_boundaries_null_the_cells_instead():
    # one cell per line: where each number belongs is inferred, so a failing rule is evidence
    # against the reading (issue 10): the cells are null with a finding, never kept as if printed
    broken = SEED_000.replace("一、本年新收政府信息公开申请数量\n\n0", "一、本年新收政府信息公开申请数量\n\n4", 1)
    assert broken != SEED_000
    report = extract_text(broken, Source(path="x.txt"))
    assert report.requests.new_received.natural_person is None
    assert report.requests.new_received.total is None
    codes = {finding.code for finding in report.findings if finding.key == "requests.new_received"}
    assert "ambiguous_cells" in codes
    assert not {"H1_column_balance", "H2_row_total"} & {finding.code for finding in report.findings}


def test_text_against_table():
    requests = {"new_received.total": 74, "carried_over.total": 1}
    assert check_text_against_table("全年共收到政府信息公开申请75件。", requests, None) == []
    mismatch = check_text_against_table("本年度收到政府信息公开申请3件。", requests, None)
    assert mismatch[0].code == "text_table_mismatch" and "states 3" in mismatch[0].message
    review = {"review.total": 2, "suit_direct.total": 1, "suit_after_review.total": 0}
    assert check_text_against_table("发生行政复议2件、行政诉讼1件。", None, review) == []
    assert check_text_against_table("发生行政诉讼4件。", None, review)[0].key == "review_litigation.suit_direct.total"
