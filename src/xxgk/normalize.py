"""Stage 3, normalize: one canonical spelling of the text, line for line.

Traditional → simplified (OpenCC, only when the text is traditional), pinyin glosses removed
(`政務(wù)`), NFKC (full-width digits and punctuation), lost-character `?` dropped, page footers
(`-3-`) blanked. The number of lines never changes, so every line number still points into the
source file.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

_CJK = "\u4e00-\u9fff"
_TONE_LETTERS = "a-zāáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜüê"
_PINYIN = re.compile(rf"(?<=[{_CJK}])(?:\([{_TONE_LETTERS}]{{1,6}}\))+")
_STRAY_QUESTION = re.compile(rf"(?:(?<=[{_CJK}\s])|^)[?\ufffd]+|[?\ufffd]+(?=[{_CJK}\s]|$)", re.MULTILINE)
_PAGE_FOOTER = re.compile(r"^\s*[-—–]\s*\d{1,3}\s*[-—–]\s*$")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u3000\u2002\u2003\u2009\u202f"), " ")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "〃": '"'})
_TRADITIONAL_SAMPLE = 4000
_TRADITIONAL_SHARE = 0.02


@functools.lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC  # imported lazily: simplified text never needs it

    return OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _traditional_characters() -> frozenset[str]:
    """Characters OpenCC's own t2s dictionary changes: the evidence that a text is traditional."""
    import opencc

    table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    characters = set()
    for row in table.read_text(encoding="utf-8").splitlines():
        source, _, targets = row.partition("\t")
        if source and source not in targets.split():
            characters.add(source)
    return frozenset(characters)


def is_traditional(text: str) -> bool:
    """True when a noticeable share of the Chinese characters are traditional-only forms."""
    traditional = _traditional_characters()
    chinese = changed = 0
    for char in text[:_TRADITIONAL_SAMPLE * 4]:
        if "\u4e00" <= char <= "\u9fff":
            chinese += 1
            changed += char in traditional
            if chinese >= _TRADITIONAL_SAMPLE:
                break
    return chinese > 0 and changed / chinese >= _TRADITIONAL_SHARE


def split_lines(text: str) -> list[str]:
    """Lines as the source file numbers them (\\r\\n, \\r and \\n all end a line)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def normalize_text(text: str) -> tuple[str, str]:
    """(normalized text, script) where script is "traditional" or "simplified"."""
    text = text.translate(_INVISIBLE).translate(_SPACES)
    script = "traditional" if is_traditional(text) else "simplified"
    if script == "traditional":
        text = _converter().convert(text)
    text = unicodedata.normalize("NFKC", text)
    text = _PINYIN.sub("", text)
    text = _STRAY_QUESTION.sub("", text)
    return text, script


def normalize_lines(text: str) -> tuple[list[str], str]:
    """Normalized lines, one per source line, and the script the text was written in."""
    normalized, script = normalize_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = normalized.split("\n")
    return ["" if _PAGE_FOOTER.match(line) else line.rstrip(" ") for line in lines], script


def unify_label(text: str) -> str:
    """A label as the matcher sees it: no whitespace, one kind of quotes and list punctuation."""
    text = re.sub(r"\s+", "", text.translate(_QUOTES))
    return re.sub(r"(?<![\d])(\d{1,2})[、．,]", r"\1.", text)
