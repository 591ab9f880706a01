"""Generate the PDF and Word fixtures: the official blank 2021 template filled with labelled values.

    python scripts/make_fixtures.py        # needs python-docx, LibreOffice (soffice) and qpdf

For each labelled 2021 report below, the template (../shared/templates/政务公开年报模版.docx) gets a
title, short prose and the label's values in its three tables (a null value stays a blank cell);
the filled file is saved as fixtures/generated/NAME.docx and converted by LibreOffice headless to
NAME.pdf and NAME.html. NAME.values.json holds the values filled in, in the labels' format, so the
tests need neither ../shared nor LibreOffice. encrypted.pdf is one of the PDFs with a password,
rotated.pdf one whose pages are shown turned (qpdf), borderless.pdf one without table borders.
Run once; the outputs are committed.
"""
from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TEMPLATE = SHARED / "templates" / "政务公开年报模版.docx"
OUT = ROOT / "fixtures" / "generated"
REPORTS = {  # fixture name -> label; chosen for large numbers, decimals, blanks and many non-zero cells
    "huaian_2024": SHARED / "corpus2" / "pdf" / "labels" / "019.pdf.json",
    "pingtan_2022": SHARED / "corpus" / "labels" / "004.json",
    "putian_wenlv_2022": SHARED / "corpus" / "labels" / "028.json",
    "putian_yingji_2024": SHARED / "corpus" / "labels" / "030.json",
    "jinxiang_2023": SHARED / "seeds" / "labels" / "seed004.json",
}
REPEATED_HEADERS = {"pingtan_2022"}  # section 三's three header rows repeat at the top of each page
ACTIVE_CELLS = {  # (row, column) of section 二's table -> key
    (2, 1): "regulations.issued", (2, 2): "regulations.repealed", (2, 3): "regulations.in_force",
    (3, 1): "normative_documents.issued", (3, 2): "normative_documents.repealed",
    (3, 3): "normative_documents.in_force", (6, 1): "licensing.decisions", (9, 1): "punishment.decisions",
    (10, 1): "coercion.decisions", (13, 1): "fees.amount_10k_yuan",
}
REQUEST_ROWS = (  # section 三's 25 rows in the 2021 template's order (FORMAT.md §12)
    "new_received", "carried_over", "granted", "partially_granted",
    "denied_state_secret", "denied_prohibited_by_law", "denied_security_stability", "denied_third_party_rights",
    "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_administrative_query",
    "unable_not_held", "unable_needs_creation", "unable_still_unclear",
    "unprocessed_complaint", "unprocessed_repeated", "unprocessed_publication", "unprocessed_excessive",
    "unprocessed_confirmation", "other_overdue_correction", "other_unpaid_fee", "other_other",
    "total_processed", "carried_forward",
)
COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
REVIEW = [f"{block}.{name}" for block in ("review", "suit_direct", "suit_after_review")
          for name in ("upheld", "corrected", "other", "pending", "total")]
PROSE = {
    "一、总体情况": "{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。"
                 "全年主动公开政府信息，及时回应社会关切，依法办理政府信息公开申请。",
    "五、存在的主要问题及改进情况": "政策解读的针对性还需加强。下一步将完善工作机制，提升公开质量。",
    "六、其他需要报告的事项": "本年度未收取信息处理费。",
}


def values_of(label: dict) -> dict:
    """The label's values, with the cells it cannot determine as blanks (null)."""
    values = dict(label["values"])
    for key in label.get("undeterminable", []):
        values[key] = None
    return values


def put(cell, value) -> None:
    """Write a value (or a blank for null) into a cell, keeping the cell's first paragraph style."""
    text = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    paragraph = paragraphs[0]
    for run in paragraph.runs[1:]:
        run._element.getparent().remove(run._element)
    if paragraph.runs:
        paragraph.runs[0].text = text
    else:
        paragraph.add_run(text)


def grid_cell(table, row: int, column: int):
    return table.rows[row].cells[column]


def fill(document, label: dict, name: str) -> dict:
    values = values_of(label)
    year, agency = label["year"], label["agency"]
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if text == "政府信息公开工作年度报告格式模板":
            _set_paragraph(paragraph, f"{agency}\n{year}年政府信息公开工作年度报告")  # two title lines
        elif text in PROSE:
            following = paragraph._element.getnext()
            if following is not None and following.tag == qn("w:p"):
                prose = docx.text.paragraph.Paragraph(following, paragraph._parent)
                _set_paragraph(prose, PROSE[text].format(year=year, agency=agency))
    active, requests, review = document.tables
    for (row, column), key in ACTIVE_CELLS.items():
        put(grid_cell(active, row, column), values.get(f"active_disclosure.{key}"))
    for offset, row in enumerate(REQUEST_ROWS):
        for column, field in enumerate(COLUMNS):
            put(grid_cell(requests, 3 + offset, 3 + column), values.get(f"requests.{row}.{field}"))
    for column, key in enumerate(REVIEW):
        put(grid_cell(review, 3, column), values.get(f"review_litigation.{key}"))
    _page_footer(document, agency)
    if name in REPEATED_HEADERS:
        for row in requests.rows[:3]:
            properties = row._tr.get_or_add_trPr()
            properties.append(OxmlElement("w:tblHeader"))
    return {"file": name, "template": "2021", "year": year, "agency": agency,
            "values": {key: value for key, value in values.items()
                       if key.startswith(("active_disclosure.", "requests.", "review_litigation."))},
            "notes": f"generated by scripts/make_fixtures.py from {label.get('file')}'s label"}


def _set_paragraph(paragraph, text: str) -> None:
    for run in paragraph.runs[1:]:
        run._element.getparent().remove(run._element)
    if paragraph.runs:
        paragraph.runs[0].text = text
    else:
        paragraph.add_run(text)


def _page_footer(document, agency: str) -> None:
    """A running header with the agency and a footer with the page number: furniture the reader must drop."""
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{agency}政务公开"
    footer = section.footer.paragraphs[0]
    footer.text = "— "
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), "PAGE")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    footer._element.append(simple)
    footer._element.append(copy.deepcopy(footer.runs[0]._element))
    footer.runs[-1].text = " —"


def convert(source: Path, kind: str, folder: Path) -> Path:
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", kind,
                        "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return folder / f"{source.stem}.{kind.split(':')[0]}"


def borderless(source: Path, target: Path) -> None:
    """The report with no table borders: its PDF has no ruling lines, so its tables come as text lines."""
    document = docx.Document(str(source))
    for borders in [*document.element.body.iter(qn("w:tblBorders")), *document.element.body.iter(qn("w:tcBorders"))]:
        borders.getparent().remove(borders)
    with tempfile.TemporaryDirectory() as folder:
        filled = Path(folder) / "borderless.docx"
        document.save(str(filled))
        shutil.move(str(convert(filled, "pdf", Path(folder))), str(target))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, label_path in REPORTS.items():
        label = json.loads(label_path.read_text(encoding="utf-8"))
        document = docx.Document(str(TEMPLATE))
        expected = fill(document, label, name)
        target = OUT / f"{name}.docx"
        document.save(str(target))
        convert(target, "pdf", OUT)
        html = convert(target, "html:XHTML Writer File:UTF8", OUT)
        if html.suffix != ".html" and html.exists():
            html.rename(OUT / f"{name}.html")
        (OUT / f"{name}.values.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n",
                                                 encoding="utf-8")
        print(f"{name}: docx, pdf, html from {label_path.name}")
    subprocess.run(["qpdf", "--encrypt", "secret", "owner", "256", "--", str(OUT / "putian_wenlv_2022.pdf"),
                    str(OUT / "encrypted.pdf")], check=True)
    print("encrypted.pdf: putian_wenlv_2022.pdf with the user password 'secret'")
    subprocess.run(["qpdf", str(OUT / "huaian_2024.pdf"), "--rotate=+90:1", "--rotate=+180:2", "--rotate=+270:3",
                    str(OUT / "rotated.pdf")], check=True)
    print("rotated.pdf: huaian_2024.pdf shown with page 1 turned by 90, page 2 by 180, page 3 by 270 degrees")
    borderless(OUT / "huaian_2024.docx", OUT / "borderless.pdf")
    print("borderless.pdf: huaian_2024.docx with every table border removed (no ruling lines to read)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
