"""Golden files: every fixture report against its reviewed expected JSON.

Update after a reviewed change with
    xxgk check fixtures/reports --expected fixtures/expected --update
and read `git diff fixtures/expected` before committing.
"""
from __future__ import annotations

import json

import pytest

from xxgk.batch.inputs import find_inputs, output_path
from xxgk.gate.compare import differences
from xxgk.pipeline import extract_file

from .conftest import FIXTURES

INPUTS = list(find_inputs([FIXTURES / "reports"]))


def test_there_are_golden_fixtures():
    assert len(INPUTS) >= 5


@pytest.mark.parametrize("item", INPUTS, ids=[item.relative for item in INPUTS])
def test_report_matches_expected(item):
    expected_path = output_path(FIXTURES / "expected", item.relative)
    assert expected_path.exists(), f"no expected file {expected_path}; run the update step"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    actual = extract_file(item.path, item.relative).model_dump(mode="json")
    changed = differences(expected, actual)
    assert not changed, "\n".join(str(difference) for difference in changed)
