"""Stages 1-3: reading bytes, decoding every encoding scrapers produce, normalizing text."""
from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from xxgk.sources.decode import decode
from xxgk.report.errors import BinaryFile, EmptyFile, TooLarge
from xxgk.sources.normalize import normalize_lines, normalize_text
from xxgk.sources.read import check_text_bytes, read_bytes

TEXT = "某某县2023年政府信息公开工作年度报告\n一、总体情况\n本机关主动公开政府信息。\n"


@pytest.mark.parametrize("encoding,expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"),
    ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"),
])
def test_decodes_simplified_text(encoding, expected):
    text, used = decode("x.txt", TEXT.encode(encoding))
    assert text.lstrip("\ufeff") == TEXT
    assert used == expected


def test_decodes_big5_traditional_text():
    traditional = "某某縣2020年政府資訊公開工作年度報告\n一、總體情況\n本機關主動公開政府資訊。\n"
    text, used = decode("x.txt", traditional.encode("big5"))
    assert text == traditional and used == "big5"


@pytest.mark.parametrize("data,error,words", [
    (b"", EmptyFile, "empty"),
    (b"  \n\t ", EmptyFile, "whitespace"),
    (b"%PDF-1.7\n...", BinaryFile, "PDF"),
    (b"\x89PNG\r\n\x1a\n....", BinaryFile, "PNG"),
    (b"PK\x03\x04....", BinaryFile, "ZIP"),
    (b"abc\x00\x00\x00def" * 100, BinaryFile, "NUL"),
])
def test_refuses_what_cannot_be_text(data, error, words):
    with pytest.raises(error, match=words):
        check_text_bytes("bad.txt", data)


def test_refuses_files_over_the_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(TooLarge, match="2,000 bytes"):
        read_bytes(path, max_bytes=1000)


def _stat_first_seeing(monkeypatch, size):
    """os.stat as if the file had `size` bytes when first looked at (it grows while being read)."""
    import os

    import xxgk.sources.read

    calls = []

    real_stat = os.stat

    def stat(path, *args, **kwargs):
        real = real_stat(path, *args, **kwargs)
        calls.append(path)
        return os.stat_result((real.st_mode, *real[1:6], size, *real[7:])) if len(calls) == 1 else real

    monkeypatch.setattr(xxgk.sources.read.os, "stat", stat)


def test_a_file_that_grows_while_read_is_read_whole_and_flagged(tmp_path, monkeypatch):
    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 3000)
    _stat_first_seeing(monkeypatch, 100)
    data, changed = read_bytes(path, max_bytes=5000)
    assert data == b"x" * 3000 and changed


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 3000)
    _stat_first_seeing(monkeypatch, 100)
    with pytest.raises(TooLarge, match="grew past"):
        read_bytes(path, max_bytes=1000)


def test_normalizes_traditional_pinyin_full_width_and_stray_question_marks():
    text, script = normalize_text("二、主動公開政府信息情況?\n政務(wù)公開 ０１２（一）\n?四、行政復議")
    assert script == "traditional"
    assert text == "二、主动公开政府信息情况\n政务公开 012(一)\n四、行政复议"


def test_keeps_urls_and_list_numerals():
    text, _ = normalize_text("网址(http://a.gov.cn/?id=1)(一)(单位:万元)")
    assert "?id=1" in text and "(一)" in text and "(单位:万元)" in text


def test_normalizing_keeps_line_numbers_and_blanks_page_footers():
    lines, _ = normalize_lines("a\r\nb\r\n -3- \nc")
    assert lines == ["a", "b", "", "c"]


def test_fast_conversion_equals_opencc_on_every_fixture():
    from opencc import OpenCC

    from xxgk.sources.normalize import to_simplified

    from .conftest import FIXTURES, SHARED

    to_traditional, to_simplified_opencc = OpenCC("s2t"), OpenCC("t2s")
    paths = sorted((FIXTURES / "reports").rglob("*.txt")) + sorted((SHARED / "corpus").glob("*.txt"))
    assert paths
    for path in paths:
        traditional = to_traditional.convert(path.read_text(encoding="utf-8"))
        assert to_simplified(traditional) == to_simplified_opencc.convert(traditional), path.name


def test_cached_nfkc_equals_unicodedata_on_every_fixture():
    import unicodedata

    from xxgk.sources.normalize import nfkc

    from .conftest import FIXTURES, SHARED

    paths = sorted((FIXTURES / "reports").rglob("*.txt")) + sorted((SHARED / "corpus").glob("*.*"))
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert nfkc(text) == unicodedata.normalize("NFKC", text), path.name
    assert nfkc("ＡＢ（一）１２ café ①") == unicodedata.normalize("NFKC", "ＡＢ（一）１２ café ①")


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
       | st.text(alphabet=list("（１）ａ政\u0301\u0341\u1100\u1161\uff76\uff9e\u3099e𝐀ﬁ①\u3000"), max_size=12))
@example("e\u0341")  # a mark NFKC changes on its own, then composes with the e before it
@example("\uff76\uff9e")  # half-width カ and voicing mark: one ガ
@example("\u1100\u1161")  # Hangul jamo: one syllable
def test_nfkc_equals_unicodedata_on_any_text(text):
    import unicodedata

    from xxgk.sources.normalize import nfkc

    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@given(st.text(alphabet=list("??\ufffd政a/=\n \t1.|+"), max_size=30))
def test_stray_question_marks_go_and_ascii_ones_stay(text):
    """A run of ? or U+FFFD is dropped when a CJK character, a space or a line edge touches it, except a
    run that touches a digit or follows a sign (kept as `?`s) or stands where a cell does (one `?`): alone on its line, alone
    in a field after a `|` or a tab, or between two numbers of spaced cells. A digit may be what was lost:
    the cell is unreadable."""
    def stray_side(char: str) -> bool:  # a CJK character, a space or the text's edge
        return not char or char.isspace() or "\u4e00" <= char <= "\u9fff"

    def kept_or_dropped(run: re.Match) -> str:
        before, after = run.string[:run.start()], run.string[run.end():]
        alone = not before.split("\n")[-1].strip(" \t") and not after.split("\n")[0].strip(" \t")
        left, right = before.rstrip(" ")[-1:], after.lstrip(" ")[:1]
        in_field = left in ("|", "\t") and right in ("|", "\t", "\n", "")
        sign = before[-1:] in ("+", "-") and before[-2:-1] in ("", " ", "\t", "|", "\n")
        if before[-1:].isdigit() or after[:1].isdigit() or sign:
            return "?" * len(run.group())
        if alone or in_field or left.isdigit() and right.isdigit():
            return "?"
        return "" if stray_side(before[-1:]) or stray_side(after[:1]) else run.group()
    assert normalize_text(text)[0] == re.sub(r"[?\ufffd]+", kept_or_dropped, text)  # nothing else here to normalize


_GLOSS_PIECES = ["政", "务", "a", "1", " ", "(", ")", "(wù)", "(zhèng)", "(a)", "(abcdefg)", "(wu1)", "ù"]


@given(st.lists(st.sampled_from(_GLOSS_PIECES), max_size=12).map("".join))
def test_pinyin_glosses_go_only_after_chinese_characters(text):
    """Bracketed pinyin (one or more glosses in a row) is dropped right after a CJK character only."""
    definition = re.compile(r"(?<=[\u4e00-\u9fff])(?:\([a-zāáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜüê]{1,6}\))+")
    assert normalize_text(text)[0] == definition.sub("", text)


@given(st.lists(st.sampled_from(list("政府信息公开报告年度情况") + list("資訊報告總體機關開") + ["a", " ", "1", "，", "\n"]),
                max_size=1200).map("".join))
@example("政府" * 250 + "資訊" * 10)  # traditional forms late in the sample count
@example("政府" * 400 + "資訊" * 100)  # past the 800th Chinese character they do not
def test_a_text_is_traditional_when_two_percent_of_its_first_800_chinese_characters_are(text):
    from xxgk.sources.normalize import _dictionary, is_traditional

    changing = {source for source, target in _dictionary("TSCharacters.txt").items() if source != target}
    chinese = [char for char in text[:1600] if "\u4e00" <= char <= "\u9fff"][:800]
    share = sum(char in changing for char in chinese) / len(chinese) if chinese else 0
    assert is_traditional(text) == (share >= 0.02)


def _seed_000_values():
    import json

    from .conftest import FIXTURES
    seed = json.loads((FIXTURES / "expected" / "seeds" / "000_201b3c9d0f3fbc81.txt.json").read_text(encoding="utf-8"))
    return {table: seed[table] for table in ("active_disclosure", "requests", "review_litigation")}


def test_replacement_characters_a_scraper_left_give_an_encoding_fallback_finding():
    """Golden fixture `encoding/000_replacement_characters.txt`: seed 000 with 真贯 of section 一 lost
    as U+FFFD by a scraper; the values are seed 000's, and a finding says where the text is damaged."""
    import json

    from xxgk.gate.compare import differences
    from xxgk.pipeline import extract_file

    from .conftest import FIXTURES
    report = extract_file(FIXTURES / "reports" / "encoding" / "000_replacement_characters.txt",
                          "encoding/000_replacement_characters.txt").model_dump(mode="json")
    [note] = [item for item in report["findings"] if item["code"] == "encoding_fallback"]
    assert note["line"] == 30 and note["severity"] == "warning" and note["message"].startswith("2 replacement")
    assert "utf-8 text already holds them" in note["message"]
    assert {table: report[table] for table in _seed_000_values()} == _seed_000_values()
    golden = json.loads((FIXTURES / "expected" / "encoding" / "000_replacement_characters.txt.json")
                        .read_text(encoding="utf-8"))
    assert [item["code"] for item in golden["findings"]] == ["encoding_fallback"]
    assert not differences(golden, report)


def test_utf8_with_a_few_bad_bytes_is_read_as_utf8_with_an_encoding_fallback_finding(tmp_path):
    """Two bytes of 认真 broken in seed 000: the file was read as UTF-16 garbage and lost as
    not_a_report; now it is UTF-8 with replacement characters, seed 000's values and a finding."""
    from xxgk.pipeline import extract_file

    from .conftest import FIXTURES
    data = (FIXTURES / "reports" / "seeds" / "000_201b3c9d0f3fbc81.txt").read_bytes()
    word = "认真贯彻".encode()
    (tmp_path / "broken.txt").write_bytes(data.replace(word, word[:3] + b"\xff\xfe" + word[5:]))
    report = extract_file(tmp_path / "broken.txt").model_dump(mode="json")
    assert report["parsed"] and report["source"]["encoding"] == "utf-8-replace"
    [note] = [item for item in report["findings"] if item["code"] == "encoding_fallback"]
    assert note["line"] == 30 and "not valid in any encoding" in note["message"]
    assert {table: report[table] for table in _seed_000_values()} == _seed_000_values()


def test_clean_text_has_no_encoding_fallback():
    from xxgk.sources.decode import replacement_notes
    assert replacement_notes(TEXT, "utf-8") == []
    assert replacement_notes(TEXT, "gb18030") == []
