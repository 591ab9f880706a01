"""The 2021 template filled in the test with random values that keep its rules (H1, H2, H3, H5): zeros,
thousands with and without separators, blanks and null markers. Word files give back exactly what was
filled; a blank or a marker is null. The filled template is fixtures/generated/huaian_2024.docx
(the official blank template with a title and prose), its cells overwritten here."""
from __future__ import annotations

import io
import random

import docx
import pytest

from xxgk.gate.compare import score
from xxgk.pipeline import extract_data

from .conftest import FIXTURES

BASE = FIXTURES / "generated" / "huaian_2024.docx"
ACTIVE = {(2, 1): "regulations.issued", (2, 2): "regulations.repealed", (2, 3): "regulations.in_force",
          (3, 1): "normative_documents.issued", (3, 2): "normative_documents.repealed",
          (3, 3): "normative_documents.in_force", (6, 1): "licensing.decisions", (9, 1): "punishment.decisions",
          (10, 1): "coercion.decisions", (13, 1): "fees.amount_10k_yuan"}
ROWS = ("new_received", "carried_over", "granted", "partially_granted", "denied_state_secret",
        "denied_prohibited_by_law", "denied_security_stability", "denied_third_party_rights",
        "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_administrative_query",
        "unable_not_held", "unable_needs_creation", "unable_still_unclear", "unprocessed_complaint",
        "unprocessed_repeated", "unprocessed_publication", "unprocessed_excessive", "unprocessed_confirmation",
        "other_overdue_correction", "other_unpaid_fee", "other_other", "total_processed", "carried_forward")
APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")
RESULTS = ("upheld", "corrected", "other", "pending")
BLOCKS = ("review", "suit_direct", "suit_after_review")


def _count(rng: random.Random) -> int:
    return rng.choice([0, 0, 0, rng.randint(1, 20), rng.randint(21, 999), rng.randint(1000, 250000)])


def rule_keeping_values(rng: random.Random) -> dict:
    """Canonical key -> number, table 三 and 四 adding up as the template's rules say."""
    values = {f"active_disclosure.{key}": _count(rng) for key in ACTIVE.values()}
    values["active_disclosure.fees.amount_10k_yuan"] = rng.choice([0, round(rng.uniform(0, 99999), 2)])
    for field in APPLICANTS:
        column = {row: _count(rng) for row in ROWS[2:23]}
        column["total_processed"] = sum(column.values())
        column["carried_over"] = rng.randint(0, min(column["total_processed"], 40))
        column["carried_forward"] = rng.randint(0, 300)
        column["new_received"] = column["total_processed"] + column["carried_forward"] - column["carried_over"]
        for row, value in column.items():
            values[f"requests.{row}.{field}"] = value
    for row in ROWS:
        values[f"requests.{row}.total"] = sum(values[f"requests.{row}.{field}"] for field in APPLICANTS)
    for block in BLOCKS:
        parts = [_count(rng) for _ in RESULTS]
        values.update({f"review_litigation.{block}.{name}": value for name, value in zip(RESULTS, parts)})
        values[f"review_litigation.{block}.total"] = sum(parts)
    return values


def printed(rng: random.Random, value) -> tuple[str, object]:
    """How a producer prints the value, and what reading it must give."""
    if value == 0 and rng.random() < 0.4:
        return rng.choice(["", "/", "-", "—", "无"]), None
    if isinstance(value, float):
        return f"{value:,.2f}" if rng.random() < 0.5 else f"{value:.2f}", value
    return (f"{value:,}" if value >= 1000 and rng.random() < 0.5 else str(value)), value


def _write(cell, text: str) -> None:
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    for run in paragraphs[0].runs[1:]:
        run._element.getparent().remove(run._element)
    if paragraphs[0].runs:
        paragraphs[0].runs[0].text = text
    else:
        paragraphs[0].add_run(text)


def _cells(document):
    active, requests, review = document.tables[:3]
    for (row, column), key in ACTIVE.items():
        yield f"active_disclosure.{key}", active.rows[row].cells[column]
    for offset, row in enumerate(ROWS):
        for column, field in enumerate((*APPLICANTS, "total")):
            yield f"requests.{row}.{field}", requests.rows[3 + offset].cells[3 + column]
    for column, key in enumerate(f"{block}.{name}" for block in BLOCKS for name in (*RESULTS, "total")):
        yield f"review_litigation.{key}", review.rows[3].cells[column]


def filled(seed: int) -> tuple[bytes, dict]:
    rng = random.Random(seed)
    values = rule_keeping_values(rng)
    document = docx.Document(str(BASE))
    expected = {}
    for key, cell in _cells(document):
        text, expected[key] = printed(rng, values[key])
        _write(cell, text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), {"values": expected}


@pytest.mark.parametrize("seed", range(4))
def test_a_filled_word_template_gives_back_what_was_filled(seed):
    data, label = filled(seed)
    result = score(extract_data(data, f"filled_{seed}.docx").model_dump(mode="json"), label)
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert result.correct == result.total == 200, result.problems


def test_a_number_split_over_two_paragraphs_of_its_cell_is_not_its_first_part():
    """`1,64` and `0` as two paragraphs of one cell: 1,640 or two numbers, not 1 (nor 64)."""
    data, label = filled(0)
    document = docx.Document(io.BytesIO(data))
    cell = dict(_cells(document))["requests.granted.total"]
    _write(cell, "1,64")
    cell.add_paragraph("0")
    out = io.BytesIO()
    document.save(out)
    report = extract_data(out.getvalue(), "split.docx").model_dump(mode="json")
    label["values"]["requests.granted.total"] = None
    result = score(report, label)
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert any(item["code"] == "unreadable_cell" and item["key"].startswith("requests.granted")
               for item in report["findings"]), report["findings"]
