"""Word reports (.docx), formats that are not read (.doc, .wps, .rtf), and a batch over a folder that
mixes PDF, Word, text and HTML files."""
from __future__ import annotations

import io
import json
import shutil
import zipfile

import docx
import pytest
from click.testing import CliRunner

from xxgk.sources import docx_reader
from xxgk.cli import main
from xxgk.gate.compare import flatten, score
from xxgk.pipeline import extract_data, extract_file

from .conftest import FIXTURES, shared_dir

GENERATED = FIXTURES / "generated"
NAMES = sorted(path.name.removesuffix(".values.json") for path in GENERATED.glob("*.values.json"))


@pytest.mark.parametrize("name", NAMES)
def test_generated_docx_gives_the_values_it_was_filled_with(name):
    label = json.loads((GENERATED / f"{name}.values.json").read_text(encoding="utf-8"))
    report = extract_file(GENERATED / f"{name}.docx").model_dump(mode="json")
    result = score(report, label)
    assert result.correct == result.total == 200, result.problems
    assert not result.problems
    assert (report["meta"]["template"], report["meta"]["year"], report["meta"]["agency"]) == \
        ("2021", label["year"], label["agency"])
    assert report["source"]["layout"] == "docx"


def test_merged_cells_become_the_rows_html_tables_give():
    lines, notes = docx_reader.docx_lines("t.docx", (GENERATED / "huaian_2024.docx").read_bytes())
    rows = [text for _, text in lines if "\t" in text]
    assert "三、本年度办理结果\t（三）不予公开\t1.属于国家秘密\t2\t0\t0\t0\t0\t0\t2" in rows  # vMerge carried down
    assert "一、本年新收政府信息公开申请数量\t3001\t53\t0\t0\t61\t4\t3119" in rows  # gridSpan written once
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t自然人\t商业企业\t科研机构\t社会公益组织\t" \
           "法律服务机构\t其他\t总计" in rows  # cell paragraphs joined, header carried down
    assert not notes


def test_the_blank_template_is_a_report_with_every_cell_null():
    report = extract_file(shared_dir("templates") / "政务公开年报模版.docx")
    assert report.parsed and report.meta.template == "2021"
    values = {key: value for key, value in flatten(report.model_dump(mode="json")).items()
              if key.startswith(("active_disclosure.", "requests.", "review_litigation."))}
    assert values and all(value is None for value in values.values())  # blank cells are null, never 0


def _docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def test_a_damaged_or_foreign_zip_is_a_record():
    data = (GENERATED / "jinxiang_2023.docx").read_bytes()
    for broken in (data[: len(data) // 2], b"PK\x03\x04" + b"\0" * 100, _zip({"a.txt": b"hello"})):
        report = extract_data(broken, "broken.docx")
        assert not report.parsed and report.findings[0].code == "damaged_document", report.findings


def _zip(members: dict[str, bytes]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return stream.getvalue()


def test_a_zip_bomb_is_refused_before_unpacking(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED_BYTES", 1 << 20)
    data = (GENERATED / "jinxiang_2023.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["word/media/big.bin"] = b"\0" * (2 << 20)
    report = extract_data(_zip(members), "bomb.docx")
    assert [item.code for item in report.findings] == ["damaged_document"]
    assert "zip bomb" in report.findings[0].message


def test_the_character_cap_truncates_with_a_finding(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_CHARS", 50)
    data = _docx_bytes(lambda document: [document.add_paragraph("一、总体情况 " * 5) for _ in range(10)])
    lines, notes = docx_reader.docx_lines("long.docx", data)
    assert [note.code for note in notes] == ["document_truncated"] and len(lines) < 10


@pytest.mark.parametrize("name, data", [
    ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
    ("report.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
    ("report.rtf", b"{\\rtf1\\ansi\\ansicpg936 {\\fonttbl} hello}"),
    ("report.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text"})),
])
def test_formats_that_are_not_read_say_which_and_how_to_convert(name, data):
    report = extract_data(data, name)
    assert not report.parsed
    assert [item.code for item in report.findings] == ["unsupported_format"]
    message = report.findings[0].message
    assert "soffice --headless --convert-to docx" in message
    assert name.rsplit(".", 1)[1] in message.lower()


def test_a_doc_that_is_really_text_is_read_as_text():
    seed = sorted((FIXTURES / "reports" / "seeds").glob("*.txt"))[0]
    report = extract_data(seed.read_bytes(), "report.doc")
    assert report.parsed and report.meta.year == extract_file(seed).meta.year is not None


def test_extract_over_a_mixed_folder_gives_a_record_for_each_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GENERATED / "pingtan_2022.pdf", folder / "a.pdf")
    shutil.copy(GENERATED / "putian_yingji_2024.docx", folder / "b.docx")
    shutil.copy(GENERATED / "huaian_2024.html", folder / "c.html")
    shutil.copy(FIXTURES / "reports" / "seeds" / sorted(p.name for p in (FIXTURES / "reports" / "seeds").glob("*.txt"))[0],
                folder / "d.txt")
    (folder / "e.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    shutil.copy(GENERATED / "encrypted.pdf", folder / "f.pdf")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(folder), "-o", str(out)])
    assert result.exit_code == 1, result.output  # e.doc and f.pdf cannot be read: the batch still finished
    records = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in out.glob("*.json")
               if path.name not in ("run.json", "datapackage.json")}
    assert set(records) == {f"{name}.json" for name in ("a.pdf", "b.docx", "c.html", "d.txt", "e.doc", "f.pdf")}
    assert [records[f"{name}.json"]["parsed"] for name in ("a.pdf", "b.docx", "c.html", "d.txt")] == [True] * 4
    assert records["a.pdf.json"]["requests"]["new_received"]["total"] == \
        json.loads((GENERATED / "pingtan_2022.values.json").read_text())["values"]["requests.new_received.total"]
    assert records["e.doc.json"]["findings"][0]["code"] == "unsupported_format"
    assert records["f.pdf.json"]["findings"][0]["code"] == "encrypted_document"


def test_short_rows_and_skipped_columns_of_a_word_table():
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def build(document):
        table = document.add_table(rows=2, cols=3)
        table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text = "规章", "1", "2"
        row = table.rows[1]._tr
        row.remove(row.tc_lst[-1])  # the second row is one cell short at its end
        table.cell(1, 0).text, table.cell(1, 1).text = "行政规范性文件", "3"
        before = OxmlElement("w:trPr")
        grid_before = OxmlElement("w:gridBefore")
        grid_before.set(qn("w:val"), "1")
        before.append(grid_before)
        first = table.rows[0]._tr
        first.insert(0, before)
        first.remove(first.tc_lst[-1])  # the first row starts one column in and is one cell shorter

    lines, _ = docx_reader.docx_lines("t.docx", _docx_bytes(build))
    assert [text for _, text in lines] == ["\t规章\t1", "行政规范性文件\t3"]


def test_a_text_box_written_twice_for_old_readers_is_read_once():
    from docx.oxml import parse_xml

    def build(document):
        paragraph = document.add_paragraph("一、总体情况")
        paragraph._p.append(parse_xml(
            '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
            'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<mc:Choice Requires="wps"><w:r><w:t>框内文字</w:t></w:r></mc:Choice>'
            '<mc:Fallback><w:r><w:t>框内文字</w:t></w:r></mc:Fallback></mc:AlternateContent>'))

    lines, _ = docx_reader.docx_lines("box.docx", _docx_bytes(build))
    assert [text for _, text in lines] == ["一、总体情况框内文字"]


def test_a_report_laid_out_inside_a_one_column_table_is_read_as_its_content():
    source = docx.Document(str(GENERATED / "huaian_2024.docx"))
    body = source.element.body
    frame = docx.Document()
    cell = frame.add_table(rows=1, cols=1).cell(0, 0)
    for element in [child for child in body.iterchildren() if child.tag.endswith(("}p", "}tbl"))]:
        cell._tc.append(element)  # the whole report inside the frame's one cell
    stream = io.BytesIO()
    frame.save(stream)
    framed, _ = docx_reader.docx_lines("framed.docx", stream.getvalue())
    plain, _ = docx_reader.docx_lines("plain.docx", (GENERATED / "huaian_2024.docx").read_bytes())
    assert [text for _, text in framed] == [text for _, text in plain]  # same lines, tables as tab rows
    label = json.loads((GENERATED / "huaian_2024.values.json").read_text(encoding="utf-8"))
    result = score(extract_data(stream.getvalue(), "framed.docx").model_dump(mode="json"), label)
    assert result.correct == result.total == 200, result.problems
