"""Issue 13: the analysts' outputs, opened the way users open them (pandas, frictionless): cells.csv,
rates.csv, datapackage.json, duplicates."""
from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner
from frictionless import Package

from xxgk.cli import main
from xxgk.rates import metrics, report_rates
from xxgk.tidy import CELL_KEYS, STATUSES, report_cells

from .conftest import FIXTURES

SEEDS = FIXTURES / "reports" / "seeds"
SEED_002 = (SEEDS / "002_a0db4065ad230706.txt").read_text(encoding="utf-8")
SEED_004 = "004_e7290be93566281d.txt"  # prints 6 of 7 cells in two rows of table 三 (undetermined cells)
_ROWS = {  # line label -> seven numbers: a report with real numbers; H1, H2, H3 and H5 hold
    "一、本年新收": "8\t0\t0\t0\t0\t2\t10", "(一) 予以公开": "5\t0\t0\t0\t0\t1\t6",
    "(二) 部分公开": "1\t0\t0\t0\t0\t0\t1", "1.属于国家秘密": "1\t0\t0\t0\t0\t0\t1",
    "1.本机关不掌握": "1\t0\t0\t0\t0\t1\t2", "(七) 总计": "8\t0\t0\t0\t0\t2\t10",
}


def numbers_report() -> str:
    lines = []
    for line in SEED_002.splitlines():
        label = next((label for label in _ROWS if label in line), None)
        if label:
            head, _, _ = line.partition("\t0")
            line = f"{head}\t{_ROWS[label]}"
        elif line.startswith("0\t0\t0\t0\t0\t0"):
            line = "2\t1\t0\t1\t4\t" + "\t".join(["0"] * 10)  # table 四: review 2 upheld, 1 corrected, 1 pending
        lines.append(line)
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """One batch over the seeds, a report with numbers, its byte copy and the seed's value copy."""
    root = tmp_path_factory.mktemp("research")
    inputs = root / "in"
    shutil.copytree(SEEDS, inputs)
    (inputs / "numbers.txt").write_text(numbers_report(), encoding="utf-8")
    (inputs / "numbers_copy.txt").write_text(numbers_report(), encoding="utf-8")
    (inputs / "zz_same_values.txt").write_text(numbers_report().replace("\n", "\r\n"), encoding="utf-8")
    out = root / "out"
    result = CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out), "-j", "1", "-q"])
    assert result.exit_code == 0, result.output
    return out


def test_pandas_reads_cells_csv_with_the_right_types(out):
    cells = pd.read_csv(out / "cells.csv")
    assert pd.api.types.is_float_dtype(cells["value"]) or pd.api.types.is_integer_dtype(cells["value"])
    assert pd.api.types.is_integer_dtype(cells["year"])
    assert set(cells["status"]) <= set(STATUSES)
    assert len(cells) == 8 * len(CELL_KEYS)  # every parsed report has every canonical cell
    one = cells[(cells["source.path"] == "numbers.txt") & (cells["table_key"] == "requests")]
    granted = one.set_index(["row_key", "column_key"]).loc[("granted", "total")]
    assert (granted["value"], granted["status"], granted["row_label"], granted["column_label"]) == \
        (6, "printed", "三（一）予以公开", "总计")
    assert granted["line"] > 0
    # a 2021 report has no 2019 row, and says so
    other = one.set_index(["row_key", "column_key"]).loc[("other_handling", "total")]
    assert other["status"] == "not_in_template" and pd.isna(other["value"])
    # only printed cells have a value; only undetermined cells name a finding
    assert cells.loc[cells["status"] != "printed", "value"].isna().all()
    assert cells.loc[cells["status"] == "printed", "value"].notna().all()
    assert cells.loc[cells["status"] == "undetermined", "finding"].notna().all()


def test_undetermined_cells_are_told_from_blank_ones(out):
    cells = pd.read_csv(out / "cells.csv")
    seed = cells[cells["source.path"] == SEED_004].set_index(["table_key", "row_key", "column_key"])
    cell = seed.loc[("requests", "partially_granted", "natural_person")]
    assert (cell["status"], cell["finding"]) == ("undetermined", "missing_cells")
    report = json.loads((out / f"{SEED_004}.json").read_text(encoding="utf-8"))
    assert "requests.partially_granted.natural_person" in report["undetermined"]


def test_cell_statuses_from_report_data():
    data = {"parsed": True, "meta": {"template": "2021", "table_templates": {"requests": "2021"}},
            "requests": {"granted": {"total": 3}, "partially_granted": {"total": None},
                         "carried_over": {"total": None}},
            "review_litigation": None, "active_disclosure": None,
            "undetermined": ["requests.carried_over.total"],
            "findings": [{"code": "missing_table", "key": "review_litigation", "severity": "error", "message": ""},
                         {"code": "missing_cells", "key": "requests.carried_over", "severity": "warning",
                          "message": ""}]}
    status = {cell.key: (cell.status, cell.finding) for cell in report_cells(data)}
    assert status["requests.granted.total"] == ("printed", None)
    assert status["requests.partially_granted.total"] == ("blank", None)
    assert status["requests.carried_over.total"] == ("undetermined", "missing_cells")
    assert status["requests.other_handling.total"] == ("not_in_template", None)
    assert status["review_litigation.review.total"] == ("table_missing", "missing_table")
    assert report_cells({"parsed": False}) == []


def test_pandas_reads_rates_csv_and_rates_are_right(out):
    rates = pd.read_csv(out / "rates.csv")
    assert pd.api.types.is_float_dtype(rates["value"])
    assert set(rates["metric"]) == {metric.id for metric in metrics()}
    got = rates[rates["source.path"] == "numbers.txt"].set_index("metric")
    assert got.loc["granted_rate", "value"] == pytest.approx(0.6)
    assert got.loc["disclosure_rate", "value"] == pytest.approx(0.7)
    assert got.loc["denied_share", "value"] == pytest.approx(0.1)
    assert got.loc["unable_share", "value"] == pytest.approx(0.2)
    assert got.loc["carried_forward_rate", "value"] == 0  # 0 of 10: a real 0, not a missing rate
    assert got.loc["review_correction_rate", "value"] == pytest.approx(1 / 3, abs=1e-6)
    assert got.loc["applicant_share_natural_person", "value"] == pytest.approx(0.8)
    assert got.loc[got["value"].notna(), "reason"].isna().all()


def test_a_rate_with_a_zero_denominator_is_empty_with_its_reason(out):
    rates = pd.read_csv(out / "rates.csv").set_index(["source.path", "metric"])
    zero = rates.loc[("numbers.txt", "litigation_correction_rate")]  # no lawsuits at all
    assert pd.isna(zero["value"]) and zero["denominator"] == 0
    assert zero["reason"].startswith("zero_denominator")
    seed = rates.loc[("002_a0db4065ad230706.txt", "granted_rate")]  # all-zero report: 0 of 0 is no rate
    assert pd.isna(seed["value"]) and seed["reason"].startswith("zero_denominator")


def test_a_rate_with_a_null_input_is_empty_never_partial(out):
    rates = pd.read_csv(out / "rates.csv").set_index(["source.path", "metric"])
    partial = rates.loc[(SEED_004, "disclosure_rate")]  # 部分公开 总计 cannot be placed
    assert pd.isna(partial["value"]) and pd.isna(partial["numerator"])
    assert "requests.partially_granted.total is undetermined" in partial["reason"]
    unparsed = report_rates({"parsed": False})
    assert all(rate.value is None and rate.reason.startswith("not_parsed") for rate in unparsed)


def test_datapackage_validates_with_frictionless(out):
    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    cells = next(item for item in descriptor["resources"] if item["name"] == "cells")
    assert {field["name"]: field["type"] for field in cells["schema"]["fields"]}["value"] == "number"


def test_the_same_bytes_and_the_same_values_are_duplicates(out):
    findings = pd.read_csv(out / "findings.csv")
    duplicates = findings[findings["code"] == "duplicate_report"].set_index("source.path")["message"]
    assert set(duplicates.index) == {"numbers_copy.txt", "zz_same_values.txt"}  # the first of each stays clean
    assert duplicates["numbers_copy.txt"].startswith("the same bytes as numbers.txt")
    assert duplicates["zz_same_values.txt"].startswith("the same agency, year and table values as numbers.txt")
    copy = json.loads((out / "numbers_copy.txt.json").read_text(encoding="utf-8"))
    assert [item["code"] for item in copy["findings"]] == ["duplicate_report"]
