"""Stage 3, normalize: one canonical spelling of the text, line for line.

Traditional → simplified (OpenCC, only when the text is traditional), pinyin glosses removed
(`政務(wù)`), NFKC (full-width digits and punctuation), lost-character `?` and U+FFFD dropped (kept as
`?` where a digit may be lost), page footers (`-3-`) blanked. The number of lines never changes, so
every line number still points into the source file.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from xxgk.parsing.caching import cache_short

_CJK = "\u4e00-\u9fff"
_TONE_LETTERS = "a-zāáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜüê"
_GLOSSES = re.compile(rf"(?:\([{_TONE_LETTERS}]{{1,6}}\))+")  # `(wù)`, `(zhèng)(wù)`
_PINYIN_START = re.compile(rf"\([{_TONE_LETTERS}]")
_CHINESE_CHARACTER = re.compile(f"[{_CJK}]")
_QUESTION_MARKS = re.compile("[?\ufffd]+")
_CJK_OR_SPACE = re.compile(rf"[{_CJK}\s]")
_PAGE_FOOTER = re.compile(r"^\s*(?:[-—–·•]\s*\d{1,3}\s*[-—–·•]|(?:Page|P\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)\s*$",
                          re.IGNORECASE)  # `- 3 -`, `·3·`, `Page 3`, `P. 9`
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u00ad"
_ODD_SPACE = re.compile("[\ufeff\u200b\u200c\u200d\u2060\u00ad\u00a0\u3000\u2002\u2003\u2009\u202f]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "〃": '"'})
_HAS_QUOTE = re.compile("[“”„‘’〃]")
_LIST_PUNCTUATION = re.compile(r"(?<![\d])(\d{1,2})[、．,]")
_TRADITIONAL_SAMPLE = 800
_TRADITIONAL_SHARE = 0.02


def _dictionary(name: str) -> dict[str, str]:
    """One of OpenCC's t2s dictionaries, as shipped by opencc-python-reimplemented: first candidates."""
    import opencc

    entries = {}
    for row in (Path(opencc.__file__).parent / "dictionary" / name).read_text(encoding="utf-8").splitlines():
        source, _, targets = row.partition("\t")
        if source and targets:
            entries[source] = targets.split()[0]
    return entries


@functools.lru_cache(maxsize=1)
def _t2s() -> tuple[re.Pattern, dict[str, str], dict[int, str]]:
    phrases = _dictionary("TSPhrases.txt")
    characters = {ord(source): target for source, target in _dictionary("TSCharacters.txt").items()
                  if len(source) == 1}
    pattern = re.compile("|".join(sorted(map(re.escape, phrases), key=len, reverse=True)))
    return pattern, phrases, characters


def to_simplified(text: str) -> str:
    """OpenCC's t2s conversion: the longest phrase of TSPhrases first, then TSCharacters.

    The same dictionaries and matching as opencc-python-reimplemented's converter (a test holds
    them equal on every fixture), about twenty times faster on a report.
    """
    pattern, phrases, characters = _t2s()
    parts = []
    last = 0
    for match in pattern.finditer(text):
        parts.append(text[last:match.start()].translate(characters))
        parts.append(phrases[match.group()])
        last = match.end()
    parts.append(text[last:].translate(characters))
    return "".join(parts)


@functools.lru_cache(maxsize=1)
def _traditional_characters() -> re.Pattern:
    """Characters OpenCC's own t2s dictionary changes, the evidence that a text is traditional: those
    of the CJK block that `is_traditional` samples, as one character class (a BMP-only class is a
    bitmap lookup per character)."""
    return re.compile("[" + "".join(sorted(source for source, target in _dictionary("TSCharacters.txt").items()
                                           if len(source) == 1 and source != target
                                           and "\u4e00" <= source <= "\u9fff")) + "]")


_NOT_CHINESE = re.compile(r"[^\u4e00-\u9fff]+")


def is_traditional(text: str) -> bool:
    """True when a noticeable share of the Chinese characters are traditional-only forms."""
    sample = text[:_TRADITIONAL_SAMPLE * 2]
    if not _traditional_characters().search(sample):  # simplified text: no traditional form at all
        return False
    chinese = _NOT_CHINESE.sub("", sample)[:_TRADITIONAL_SAMPLE]
    changed = len(_traditional_characters().findall(chinese))
    return changed / len(chinese) >= _TRADITIONAL_SHARE


# Characters NFKC may compose with their neighbours (combining marks, Hangul jamo, kana voicing
# marks) and characters beyond the BMP: text holding any takes the full algorithm.
_COMPOSING = "\u0300-\u036f\u1100-\u11ff\u20d0-\u20ff\u3099\u309a\uff9e\uff9f\U00010000-\U0010ffff"


@functools.lru_cache(maxsize=1)
def _nfkc_table() -> tuple[re.Pattern, dict[str, str]]:
    """A pattern that splits out every BMP character NFKC changes (about 3,000) or may compose, and
    what each changing character becomes on its own; computed once per process."""
    table = {}
    for code in range(0xA0, 0x10000):
        if 0x4E00 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7FF or 0xE000 <= code <= 0xF8FF:
            continue  # CJK ideographs, Hangul syllables, surrogates and private use: NFKC-stable
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        if folded != char:
            table[char] = folded
    composing = re.compile(f"[{_COMPOSING}]")
    pattern = re.compile("([" + "".join(map(re.escape, table)) + _COMPOSING + "])")
    return pattern, {char: folded for char, folded in table.items() if not composing.match(char)}


def nfkc(text: str) -> str:
    """Unicode NFKC: the few characters it changes are split out by one pattern and replaced from a
    table (no Python call per character). A composing character, which the table leaves out, sends
    the text to the full algorithm."""
    if text.isascii():
        return text
    pattern, table = _nfkc_table()
    parts = pattern.split(text)
    try:
        parts[1::2] = map(table.__getitem__, parts[1::2])
    except KeyError:
        return unicodedata.normalize("NFKC", text)
    return "".join(parts)


# Circled, parenthesized, superscript and subscript digits (footnote marks, list markers): NFKC would
# make them plain digits and glue them to a cell (`40①` into 401); they become a space instead.
_FOOTNOTE_MARKS = re.compile("[\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u249b\u24ea-\u24ff"
                             "\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]")


# Tables drawn with box-drawing characters (w3m and lynx dumps, some PDF and Word converters): a rule
# (a run with a horizontal stroke: `├──────┼────┤`) is a boundary and no text, and every other
# box-drawing character is a vertical bar, so the rows read as pipe rows; a line left with bars only is
# empty. A stroke or two standing alone (`80 / ─`) is a blank marker typed with the wrong dash.
_BOX = "\u2500-\u257f"
_BOX_RUN = re.compile(f"[{_BOX}]+")
_STROKES = frozenset("\u2500\u2501\u2504\u2505\u2508\u2509\u254c\u254d\u2550\u2574\u2576\u2578\u257a\u257c\u257e")
_BARS_ONLY = re.compile(r"^[|\s]*$")


def box_drawing(text: str) -> str:
    """Box-drawn tables as pipe rows (` | 5 | `), one line for one; each run of box characters is looked
    at once (a run, not a pattern that backtracks over it)."""
    if not _BOX_RUN.search(text):
        return text
    text = _BOX_RUN.sub(_box_run, text)
    return "\n".join("" if _BARS_ONLY.match(line) else line for line in text.split("\n"))


def _box_run(run: re.Match) -> str:
    characters = run.group()
    strokes = sum(character in _STROKES for character in characters)
    if strokes == len(characters) <= 3:
        return "—"
    return "|" if strokes else " | " * len(characters)  # spaced: a bar against a digit is OCR damage


def normalize_text(text: str) -> tuple[str, str]:
    """(normalized text, script) where script is "traditional" or "simplified"."""
    text = _ODD_SPACE.sub(lambda match: "" if match.group() in _INVISIBLE else " ", text)
    text = box_drawing(text)
    script = "traditional" if is_traditional(text) else "simplified"
    if script == "traditional":
        text = to_simplified(text)
    text = nfkc(_FOOTNOTE_MARKS.sub(" ", text))
    if _PINYIN_START.search(text):
        text = _GLOSSES.sub(_pinyin_glosses, text)
    if "?" in text or "\ufffd" in text:
        text = _QUESTION_MARKS.sub(_stray_question_marks, text)
    return text, script


def _pinyin_glosses(glosses: re.Match) -> str:
    """Pinyin in brackets right after a Chinese character (`政务(wù)`) is a gloss: dropped; `(a)` after
    ASCII text stays."""
    start = glosses.start()
    return "" if start and _CHINESE_CHARACTER.match(glosses.string, start - 1) else glosses.group()


def _alone(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is alone on its line but for spaces (where a cell of one a line stands);
    only the spaces beside it are looked at, so a line of many runs costs no more than its length."""
    before = start
    while before and text[before - 1] in " \t":
        before -= 1
    return (before == 0 or text[before - 1] == "\n") and bool(_REST_OF_LINE_EMPTY.match(text, end))


_REST_OF_LINE_EMPTY = re.compile(r"[ \t]*(?:\n|$)")


def _after_a_sign(text: str, start: int) -> bool:
    """Whether a `+` or `-` starting a word stands right before text[start] (`+?`: a change that lost its
    digit)."""
    return text[start - 1:start] in ("+", "-") and (start == 1 or text[start - 2] in " \t|\n")


def _where_a_cell_stands(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] fills a delimited field but for spaces (`| ? |`, `\t?\t`, `| ?` at the line's
    end) or stands between two numbers of spaced cells (`5 ? 3`); only the spaces beside it are looked at."""
    before, after = start, end
    while before and text[before - 1] == " ":
        before -= 1
    while after < len(text) and text[after] == " ":
        after += 1
    left, right = text[before - 1:before] if before else "", text[after:after + 1]
    if left in ("|", "\t"):
        return right in ("|", "\t", "\n", "")
    return left.isdigit() and right.isdigit()


def _stray_question_marks(run: re.Match) -> str:
    """A run of `?` (or U+FFFD) that stands for lost characters: it touches a CJK character, a space
    or the edge of the text on either side; a `?` inside ASCII (a URL's query) stays, and so does a run
    against a digit or after a sign (`| 1? |`, `7?`, `1\ufffd`, `+?`): a digit may be what was lost, and
    dropped, the number would read as another one; kept, the cell is unreadable (tables, OCR look-alikes).
    A kept U+FFFD becomes `?`, so the cell rules have one lost-character mark to know, and a run alone on
    its line, alone in a delimited field or between two cells is one `?`: one lost cell (`??` would read as
    label text; dropped, the field would read as a blank cell, or the row's cells would shift)."""
    text, start, end = run.string, run.start(), run.end()
    if text[start - 1:start].isdigit() or text[end:end + 1].isdigit() or _after_a_sign(text, start):
        return "?" * (end - start)
    if _alone(text, start, end) or _where_a_cell_stands(text, start, end):
        return "?"
    stray = (start == 0 or end == len(text) or _CJK_OR_SPACE.match(text, start - 1)
             or _CJK_OR_SPACE.match(text, end))
    return "" if stray else run.group()


def normalize_lines(text: str) -> tuple[list[str], str]:
    """Normalized lines, one per source line, and the script the text was written in."""
    normalized, script = normalize_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = normalized.split("\n")
    return ["" if _PAGE_FOOTER.match(line) else line.rstrip(" ") for line in lines], script


@cache_short(maxsize=1 << 14)
def unify_label(text: str) -> str:
    """A label as the matcher sees it: no whitespace, one kind of quotes and list punctuation."""
    if _HAS_QUOTE.search(text):
        text = text.translate(_QUOTES)
    text = "".join(text.split())
    if "、" in text or "," in text or "．" in text:
        text = _LIST_PUNCTUATION.sub(r"\1.", text)
    return text

