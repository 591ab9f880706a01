"""Rows of a delimited table that continue the row above (parsing/continued.py): PDF table converters
(pymupdf4llm, markitdown) make a table row of each text line of a PDF table row, so a number that wraps
in its narrow cell ends in a row of its own (`98` over `7`, for 987). Such rows were read as the report's
own numbers (pipes are cell boundaries), and a failing rule as the report's own inconsistency."""
from __future__ import annotations

from xxgk.parsing.cells import Kind, RawRow, Token
from xxgk.parsing.continued import joined
from xxgk.pipeline import extract_text
from xxgk.report.model import Source

from .test_adversarial_real import _pipe_rows, _values, _wrong

SECRET = "1.属于国家秘密"
COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")


def _read(text: str) -> dict:
    return extract_text(text, Source(path="x.md")).model_dump(mode="json")


def _below(text: str, label: str, line: str) -> str:
    """The text with `line` inserted under the row labelled `label`."""
    row = next(row for row in text.split("\n") if f"| {label} |" in row)
    return text.replace(row + "\n", row + "\n" + line + "\n", 1)


def test_the_wrapped_lines_of_a_rows_cells_are_joined_when_only_that_reading_holds_its_rule():
    values = _values({"denied_state_secret": [987, 0, 14, 0, 0, 0]})
    text = _below(_pipe_rows(values, {SECRET: "98 | 0 | 14 | 0 | 0 | 0 | 10"}), SECRET, "| 办 | 7 |  |  |  |  |  | 01 |")
    assert _wrong(values, text) == []
    assert _read(text)["requests"]["denied_state_secret"] == dict(zip(COLUMNS, [987, 0, 14, 0, 0, 0, 1001]))


def test_a_row_whose_rule_holds_both_as_printed_and_joined_is_null():
    """`1 … 1` over `0 … 0`: 1 = 1 and 10 = 10 both hold (the cut ends of 10 still add up)."""
    values = _values({"denied_state_secret": [10, 0, 0, 0, 0, 0]})
    text = _below(_pipe_rows(values, {SECRET: "1 | 0 | 0 | 0 | 0 | 0 | 1"}), SECRET, "| 办 | 0 |  |  |  |  |  | 0 |")
    assert _wrong(values, text) == []
    report = _read(text)
    assert set(report["requests"]["denied_state_secret"].values()) == {None}
    assert any(item["code"] == "ambiguous_cells" and item["key"] == "requests.denied_state_secret"
               for item in report["findings"])


def test_a_line_below_whose_fields_do_not_match_leaves_the_row_null():
    values = _values({"denied_state_secret": [987, 0, 14, 0, 0, 0]})
    text = _below(_pipe_rows(values, {SECRET: "98 | 0 | 14 | 0 | 0 | 0 | 10"}), SECRET, "| 7 | 01 |")
    assert _wrong(values, text) == []
    assert set(_read(text)["requests"]["denied_state_secret"].values()) == {None}


def test_a_row_of_the_reports_own_with_as_many_numbers_stays_an_extra_row():
    """`其他主动公开文件 | 186 | 86 | 255` under 行政规范性文件 (a province's row): a label of its own and as
    many numbers as the row above, so not that row's wrapped lines; table 二 has no rule to tell."""
    values = _values()
    text = _below(_pipe_rows(values, {}), "行政规范性文件", "| 其他主动公开文件 | 186 | 86 | 255 |")
    report = _read(text)
    assert report["active_disclosure"]["normative_documents"] is not None
    assert set(report["active_disclosure"]["normative_documents"].values()) == {1}
    assert [row["label"] for row in report["extra_rows"]] == ["其他主动公开文件"]


def test_fields_a_converter_guessed_are_not_cells_for_certain():
    """markitdown's tables put two cells in one field (`| 848 13 |`, here twice): on such a page no delimited
    row is read (not even one whose rule fails, as the report's own inconsistency)."""
    values = _values({"denied_state_secret": [5, 0, 0, 0, 0, 0]})
    failing = _pipe_rows(values, {SECRET: "5 | 0 | 0 | 0 | 0 | 0 | 7"})
    assert _read(failing)["requests"]["denied_state_secret"]["total"] == 7  # pipes are cells: printed values kept
    guessed = _pipe_rows(values, {SECRET: "5 | 0 | 0 | 0 | 0 | 0 | 7", "1.本机关不掌握相关政府信息": "0 0 | 0 0 | 0 | 0 | 0"})
    assert set(_read(guessed)["requests"]["denied_state_secret"].values()) == {None}


def _cells(*texts: str) -> RawRow:
    cells = [Token(Kind.empty if not text else Kind.value, text, 1, True) for text in texts]
    return RawRow("x", 1, cells, True, [cell for cell in cells if cell.kind is not Kind.empty])


def test_joined_matches_fields_from_the_right_and_refuses_what_does_not_fit():
    assert [cell.text for cell in joined(_cells("98", "0", "10"), _cells("", "7", "", "01")).cells] == ["987", "0", "1001"]
    assert joined(_cells("98", "0"), _cells("7", "1", "2")) is None  # a number where the row has no field
    assert joined(_cells("98", "0", "10"), _cells("7", "01")) is None  # fewer fields: which are which is unknown


def test_a_number_wrapped_inside_its_field_makes_the_tables_fields_uncertain():
    """pymupdf4llm's `|2236<br>25|`: the table was made of a PDF's text lines, so a row's number may have
    wrapped past a page break and a repeated header (`|三、本（一）予以公开|…|9566|0|9566|`, `64` and `87`
    after the header): a row whose rule fails is null, not the report's own inconsistency."""
    values = _values({"denied_state_secret": [5, 0, 0, 0, 0, 0]})
    failing = _pipe_rows(values, {SECRET: "5 | 0 | 0 | 0 | 0 | 0 | 7"})
    assert _read(failing)["requests"]["denied_state_secret"]["total"] == 7
    wrapped = _pipe_rows(values, {SECRET: "5 | 0 | 0 | 0 | 0 | 0 | 7", "1.本机关不掌握相关政府信息": "0 | 0 | 0 | 0<br>0 | 0 | 0 | 0"})
    assert set(_read(wrapped)["requests"]["denied_state_secret"].values()) == {None}


def test_a_row_under_the_rest_of_the_label_above_continues_it():
    """`|二、|上年结转政府信息公|3||||||3|` over `|开申|请数量|7|—|—|—|－|-|7|`: more numbers than the row
    above, but beside the end of its label (37 and 37 read 3 and 3)."""
    values = _values()
    values.update({"requests.carried_over.natural_person": 37, "requests.carried_over.total": 37,
                   "requests.carried_forward.natural_person": 37, "requests.carried_forward.total": 37})
    label = "二、上年结转政府信息公开申请数量"
    text = _pipe_rows(values, {label: "3 |  |  |  |  |  | 3"}).replace(f"| {label} |", "| 二、上年结转政府信息公 |")
    text = _below(text, "二、上年结转政府信息公", "| 开申请数量 | 7 | — | — | — | － | - | 7 |")
    assert _wrong(values, text) == []
    assert _read(text)["requests"]["carried_over"]["natural_person"] in (None, 37)


def test_on_a_page_whose_fields_a_converter_guessed_no_row_is_read():
    """markitdown prints some rows as loose lines among its guessed tables (`行政处罚` / `13` / `行政强制`,
    13 being 行政强制's): their order is the PDF's reading order, not the table's, so they are null too."""
    values = _values({"denied_state_secret": [5, 0, 0, 0, 0, 0]})
    spaced = {SECRET: "5 | 0 | 0 | 0 | 0 | 0 | 5"}
    loose = _pipe_rows(values, spaced).replace(f"| {SECRET} | 5 | 0 | 0 | 0 | 0 | 0 | 5 |", f"{SECRET} 5 0 0 0 0 0 5")
    assert _read(loose)["requests"]["denied_state_secret"]["total"] == 5
    guessed = _pipe_rows(values, {**spaced, "1.本机关不掌握相关政府信息": "0 0 | 0 0 | 0 | 0 | 0"})
    guessed = guessed.replace(f"| {SECRET} | 5 | 0 | 0 | 0 | 0 | 0 | 5 |", f"{SECRET} 5 0 0 0 0 0 5")
    assert f"{SECRET} 5 0 0 0 0 0 5" in guessed
    assert set(_read(guessed)["requests"]["denied_state_secret"].values()) == {None}
