from __future__ import annotations

from xxgk.docs import END, START, with_contract
from xxgk.report.findings import CODES

from .conftest import ROOT


def test_readme_contract_is_generated_from_the_models():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert START in readme and END in readme
    assert with_contract(readme) == readme, "README contract is stale: run `python -m xxgk.docs README.md`"


def test_every_finding_code_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"`{code}`" in readme for code in CODES)
