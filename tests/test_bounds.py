"""Issue 11, per-file bounds: every hostile input is a record with a finding (or a correct parse),
in bounded memory, and never a traceback, an internal_error or a hang.

Memory is measured in a fresh process per input (its peak RSS, VmHWM) against a
generous ceiling; the subprocess timeout is only a hang guard, never a timing assertion.
"""
from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import xxgk
from xxgk.parsing import caching
from xxgk.sources import html
from xxgk.parsing import readings
from xxgk.cli import main
from xxgk.sources.decode import utf16_encoding
from xxgk.pipeline import extract_data
from xxgk.parsing.readings import MAX_READINGS, TooManyReadings, splits

from . import hostile_cases
from .hostile_cases import CASES, SEED_000, SEED_002

ROOT = Path(__file__).resolve().parent.parent
SOURCE = str(Path(xxgk.__file__).resolve().parent.parent)  # the probe runs the xxgk these tests import
HANG_GUARD = int(os.environ.get("XXGK_HANG_GUARD", 120))  # seconds: only so a regression cannot hang the suite
PEAK_MB = 160     # generous ceiling on a whole Python process (imports alone: ~36 MB)
# Before the bounds: list_markers_line 840 MB, glued_review_rows 368 MB, numerals_list 182 MB,
# html_spans and spaces_line never finished; digits_20/30 crashed the JSON writer.

_PROBE = """
import json, resource, sys
from pathlib import Path
from xxgk.batch.output import report_bytes
from xxgk.pipeline import extract_file
report = extract_file(Path(sys.argv[1]), sys.argv[1].rsplit("/", 1)[-1], int(sys.argv[2]))
data = json.loads(report_bytes(report))  # the writer must hold every value
try:  # this process's own peak: ru_maxrss also counts the forked parent's pages before exec
    status = Path("/proc/self/status").read_text()
    peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"report": data, "peak_mb": peak}))
"""

EXPECTED = {  # each case: (parsed, a finding code it must carry)
    "digits_20.txt": (True, "number_out_of_range"),
    "digits_30.txt": (True, "number_out_of_range"),
    "digits_5000.txt": (True, "number_out_of_range"),
    "spaces_line.txt": (True, None),
    "blank_line_starts.txt": (True, None),
    "heading_numerals_run.txt": (True, None),
    "numerals_list.txt": (False, "too_large"),
    "list_markers_line.txt": (True, "table_too_large"),
    "glued_review_rows.txt": (True, "cells_run_together"),
    "html_spans.html": (True, "html_table_capped"),
    "html_many_tags.html": (False, "too_large"),
    "utf16_le.txt": (True, None),
    "utf16_be.txt": (True, None),
}


def _probe(path: Path, max_bytes: int = 20 * 1024 * 1024) -> tuple[dict, float]:
    result = subprocess.run([sys.executable, "-c", _PROBE, str(path), str(max_bytes)], capture_output=True,
                            text=True, timeout=HANG_GUARD, cwd=ROOT, env={**os.environ, "PYTHONPATH": SOURCE})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    answer = json.loads(result.stdout)
    return answer["report"], answer["peak_mb"]


def test_every_case_has_an_expectation():
    assert set(EXPECTED) == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_is_a_record_with_a_finding_in_bounded_memory(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(CASES[name]())
    report, peak = _probe(path)
    parsed, code = EXPECTED[name]
    codes = [finding["code"] for finding in report["findings"]]
    assert report["source"]["path"] == name
    assert report["parsed"] is parsed, codes
    assert "internal_error" not in codes
    if code:
        assert code in codes
    assert peak < PEAK_MB, f"{name}: peak {peak:.0f} MB"


def test_a_number_too_long_for_any_cell_nulls_its_row_and_nothing_else():
    for name in ("digits_20.txt", "digits_30.txt", "digits_5000.txt"):
        report = extract_data(CASES[name](), name)
        good = extract_data(SEED_000.encode(), name)
        assert set(report.requests.new_received.model_dump().values()) == {None}
        assert report.requests.carried_over == good.requests.carried_over
        assert report.requests.total_processed == good.requests.total_processed
        finding = next(item for item in report.findings if item.code == "number_out_of_range")
        assert finding.key == "requests.new_received" and finding.line is not None


def test_a_long_number_in_the_prose_is_ignored():
    text = SEED_000.replace("主动公开政府信息251条", "收到申请" + "9" * 5000 + "件", 1)
    report = extract_data(text.encode(), "a.txt")
    assert report.parsed and not any(item.code == "internal_error" for item in report.findings)


def test_a_glued_single_token_row_stays_null_and_bounded():
    report = extract_data(CASES["glued_review_rows.txt"](), "g.txt")
    assert set(report.review_litigation.review.model_dump().values()) == {None}
    assert any(item.code == "cells_run_together" and item.key == "review_litigation" for item in report.findings)
    with pytest.raises(TooManyReadings):
        splits([hostile_cases.GLUED_24], 15)


def test_every_split_reading_counts_towards_the_cap():
    # one token, 24 digits without zeros: hundreds of thousands of cuts, refused at the cap
    with pytest.raises(TooManyReadings, match=f"over {MAX_READINGS} splits"):
        splits(["1" * 24], 15)


def test_the_cut_cache_is_bounded_by_size():
    readings._CUT_CACHE.clear()
    rng = random.Random(3)
    for _ in range(100):
        token = "".join(rng.choice("0123456789") for _ in range(rng.randint(8, 20)))
        try:
            splits([token], rng.randint(2, 10))
        except TooManyReadings:
            pass
    assert 0 < len(readings._CUT_CACHE) <= readings._CACHE_ENTRIES
    assert all(len(cuts) <= readings._CACHE_CUTS for cuts in readings._CUT_CACHE.values())


def test_short_text_caches_are_bounded_by_size():
    calls = []

    @caching.cache_short(maxsize=1 << 20)
    def tokens(text):
        calls.append(text)
        return tuple(text)

    for text in ("ab", "ab", "x" * 100, "x" * 100):
        tokens(text)
    assert calls.count("ab") == 1  # a small result is kept
    assert calls.count("x" * 100) == 2  # a result of 100 items is not
    for number in range(20_000):  # far fewer entries than maxsize, but ~50 MB: the byte budget stops it
        tokens(f"{number:0>20}")
    tokens("ab")
    assert calls.count("ab") == 2, "the oldest entries left when the budget was reached"


def test_html_spans_are_capped_with_a_finding():
    capped: set[str] = set()
    page = '<table><tr><td rowspan="1000000000" colspan="99999999999">标签</td><td>1</td></tr></table>'
    from lxml import etree

    table = etree.fromstring(page, parser=etree.HTMLParser()).find(".//table")
    rows = html.table_rows(table, capped)
    assert rows[0][1].split("\t") == ["标签", "1"]
    assert capped
    report = extract_data(CASES["html_spans.html"](), "p.html")
    finding = next(item for item in report.findings if item.code == "html_table_capped")
    assert "rowspan=1000000000" in finding.message and "spans were read up to 100" in finding.message


def test_utf16_without_bom_round_trips_and_gives_the_same_values():
    for text, encoding in ((SEED_000, "utf-16-le"), (SEED_002, "utf-16-be")):
        data = text.encode(encoding)
        assert 0 in data and utf16_encoding(data) == encoding
        report, plain = extract_data(data, "a.txt"), extract_data(text.encode(), "a.txt")
        assert report.source.encoding == encoding
        assert report.model_dump(exclude={"source"}) == plain.model_dump(exclude={"source"})


def test_binary_data_is_not_taken_for_utf16():
    rng = random.Random(11)
    samples = [rng.randbytes(size) for size in (64, 1000, 65536) for _ in range(100)]
    from lxml import etree

    samples += [Path(path).read_bytes()[:65536] for path in (Path(sys.executable).resolve(), etree.__file__)]
    samples += [bytes(range(256)) * 256, b"\x00" * 4096]
    for data in samples:
        assert utf16_encoding(data[: len(data) // 2 * 2]) is None
        report = extract_data(data, "b.txt")
        assert not report.parsed


def test_a_sparse_file_under_a_large_limit_is_refused_in_bounded_memory(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(1024 ** 3)  # 1 GB, sparse
    report, peak = _probe(huge, max_bytes=4 * 1024 ** 3)
    assert report["findings"][0]["code"] == "too_large" and "ceiling" in report["findings"][0]["message"]
    tail = tmp_path / "tail.txt"
    with open(tail, "wb") as handle:
        handle.write(SEED_000.encode())
        handle.truncate(200 * 1024 ** 2)  # a report, then 200 MB of NUL bytes
    report, peak_tail = _probe(tail, max_bytes=300 * 1024 ** 2)
    assert report["findings"][0]["code"] == "binary_file"
    assert max(peak, peak_tail) < 100, (peak, peak_tail)


def test_a_batch_of_hostile_inputs_gives_a_record_for_each(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for name, build in CASES.items():
        (inputs / name).write_bytes(build())
    result = CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out), "--jobs", "1"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1  # numerals_list yields no report
    assert "Traceback" not in result.output
    for name in CASES:
        assert json.loads((out / f"{name}.json").read_text(encoding="utf-8"))["source"]["path"] == name
    with open(out / "reports.csv", encoding="utf-8", newline="") as stream:
        assert len(list(csv.DictReader(stream))) == len(CASES)
