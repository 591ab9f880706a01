"""The 2021 template as other producers lay it out (fixtures/generated/producers): numbers wrapped inside
narrow cells, rows of table 三 cut by a page break, landscape pages. Each PDF was filled with random values that keep the
template's rules (blanks and null markers among them); NAME.filled.json holds what was filled. The bar:
no wrong and no invented number; a value the layout hides is null, and most values are read."""
from __future__ import annotations

import json

import pytest

from xxgk.gate.compare import score
from xxgk.pipeline import extract_file

from .conftest import FIXTURES

PRODUCERS = FIXTURES / "generated" / "producers"
NAMES = sorted(path.name.removesuffix(".filled.json") for path in PRODUCERS.glob("*.filled.json"))
READ_AT_LEAST = {  # cells read right (of 200) when measured; the rest are null (a number cut by the page)
    "wrapped_total_column": 200,
    "wrapped_narrow_columns": 188,
    "rows_cut_by_page_break": 194,
    "landscape_narrow": 181,
    "table_part_with_fewer_columns": 193,
    "template_2019_landscape": 227,  # of 227: the 2019 keys and the 2021 template's own cells (null)
}


@pytest.mark.parametrize("name", NAMES)
def test_a_producer_layout_gives_no_wrong_number(name):
    label = json.loads((PRODUCERS / f"{name}.filled.json").read_text(encoding="utf-8"))
    report = extract_file(PRODUCERS / f"{name}.pdf", f"{name}.pdf").model_dump(mode="json")
    result = score(report, label)
    assert result.wrong == 0 and result.invented == 0, result.problems
    assert result.correct >= READ_AT_LEAST[name], (result.correct, result.problems)


def test_every_producer_fixture_has_a_floor():
    assert NAMES and set(NAMES) == set(READ_AT_LEAST)

