"""A text that stops inside a delimited row (a scraper kept only the start of the page): the fields closed
by their delimiter stand in the row's first cells, in order, and are read; the field the text stops in may
be the start of a longer number and the cells after it were never printed, so they are null and
undetermined. Before, the whole row was null (`unreadable_cell`)."""
from __future__ import annotations

import json

from xxgk.pipeline import extract_file, extract_text
from xxgk.report.model import Source

from .conftest import FIXTURES, shared_dir

SEED_002 = (FIXTURES / "reports" / "seeds" / "002_a0db4065ad230706.txt").read_text(encoding="utf-8")
SEED_003 = (FIXTURES / "reports" / "seeds" / "003_81dd061a659bf16a.txt").read_text(encoding="utf-8")
ROW = "2.其他法律行政法规禁止公开"


def _cut(text: str, row: str, fields: int, separator: str) -> str:
    """The text up to `fields` cells of the row, then stopped (no closing delimiter, no newline)."""
    start = text.index(row)
    line = text[start:text.index("\n", start)]
    kept = separator.join(line.split(separator)[:fields + 1])
    return text[:start] + kept.rstrip(separator + " ")


def _prohibited(text: str):
    report = extract_text(text, Source(path="x.txt"))
    row = report.requests.denied_prohibited_by_law
    return report, (row.natural_person, row.commercial, row.research, row.social_welfare, row.legal_service,
                    row.other_org, row.total)


def test_a_tab_row_cut_by_the_end_of_the_text_keeps_its_closed_cells():
    report, cells = _prohibited(_cut(SEED_002, ROW, 4, "\t"))
    assert cells == (0, 0, 0, None, None, None, None)
    undetermined = {item for finding in report.findings for item in finding.keys}
    assert "requests.denied_prohibited_by_law.social_welfare" in undetermined  # the cut cell: not blank, unknown
    assert "truncated_report" in {finding.code for finding in report.findings}


def test_a_pipe_row_cut_by_the_end_of_the_text_keeps_its_closed_cells():
    _, cells = _prohibited(_cut(SEED_003, ROW, 2, " | ") + " ")
    assert cells == (0, None, None, None, None, None, None)


def test_a_row_cut_in_its_first_cell_stays_null():
    _, cells = _prohibited(_cut(SEED_003, ROW, 1, " | "))
    assert cells == (None,) * 7


def test_the_excerpt_cut_in_table_three_reads_its_three_closed_cells():
    """corpus2/excerpts c057: `2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 ` at the end of the file; the fourth
    cell, cut before its bar, is the label's borderline value and stays null."""
    base = shared_dir("corpus2") / "excerpts"
    label = json.loads((base / "labels" / "c057.json").read_text(encoding="utf-8"))
    report = extract_file(base / label["file"], label["file"]).model_dump(mode="json")
    row = report["requests"]["denied_prohibited_by_law"]
    printed = {key.rsplit(".", 1)[1]: value for key, value in label["printed_values"].items()
               if key.startswith("requests.denied_prohibited_by_law.")}
    assert printed == {"natural_person": 0, "commercial": 0, "research": 0}
    assert {key: row[key] for key in printed} == printed
    assert row["social_welfare"] is None and row["total"] is None


def test_a_cut_row_is_not_read_without_rows_before_it_that_print_all_their_cells():
    """Seed 001's table 四 is one row printing 14 numbers for 15 cells (nothing shows which is missing): cut
    inside its last field, the fields before it cannot be placed from the first cell on."""
    seed = (shared_dir("seeds") / "001_c0ba0aad0cf3f79c.txt").read_text(encoding="utf-8")
    row = "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    text = seed[:seed.index(row) + len(row) - 2]
    assert text.endswith("| 0")
    review = extract_text(text, Source(path="x.txt")).model_dump(mode="json")["review_litigation"]
    assert review is None or all(value is None for group in review.values() if isinstance(group, dict)
                                 for value in group.values())
