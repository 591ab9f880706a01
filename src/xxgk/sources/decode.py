"""Stage 2, decode: bytes to text, choosing the encoding that yields plausible Chinese text."""
from __future__ import annotations

import re

from xxgk.report.errors import UndecodableText
from xxgk.report.findings import Finding, finding

# Characters that any report has many of, in simplified and traditional form.
_TELLTALE = set("政府信息公开年度报告情况申请工作主动依的和行政处理總體況報告資訊開開務")

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode(name: str, data: bytes) -> tuple[str, str]:
    """(text, encoding name). UTF-8 with or without BOM, UTF-16, GB18030/GBK, Big5."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                break
    if 0 in data[:65536] and (utf16 := utf16_encoding(data)):  # text in UTF-8 or GB18030 has no NUL bytes
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in _utf16_guess(data) + ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text), encoding, text))
    replaced = data.decode("utf-8", errors="replace")
    if replaced.count("\ufffd") <= len(replaced) // 100:  # UTF-8 with a few bad bytes, not another encoding
        candidates.append((_plausibility(replaced), "utf-8-replace", replaced))
    if candidates:
        score, encoding, text = max(candidates, key=lambda item: item[0])
        if score > 0:
            return text, encoding
    text = replaced
    if text.count("\ufffd") > len(text) // 4:
        raise UndecodableText(name, "bytes are not UTF-8, UTF-16, GB18030 or Big5 text")
    return text, "utf-8-replace"


def replacement_notes(text: str, encoding: str | None) -> list[Finding]:
    """An `encoding_fallback` finding when the text holds replacement characters (U+FFFD): bytes no
    encoding could read (decoded as "utf-8-replace"), or characters a scraper had already lost. A
    number next to one may be wrong or cut, so the reader is told where the first one is."""
    count = text.count("\ufffd")
    if not count:
        return []
    line = text.count("\n", 0, text.index("\ufffd")) + 1
    how = ("bytes that are not valid in any encoding were replaced" if encoding == "utf-8-replace"
           else f"the {encoding} text already holds them")
    return [finding("encoding_fallback", f"{count:,} replacement character(s) (U+FFFD), the first on line {line}: "
                    f"{how}; a number next to one may be wrong or cut (文本含无法识别的乱码字符)", key="source",
                    line=line)]


# What UTF-16 report text is made of: ASCII, Latin-1, general and CJK punctuation, CJK ideographs,
# full-width forms. Binary data read as UTF-16 is spread over the whole BMP instead.
_NOT_REPORT_TEXT = re.compile("[^\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_IDEOGRAPH = re.compile("[\u4e00-\u9fff]")


def utf16_encoding(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when bytes without a BOM are UTF-16 report text, else None.

    Chinese text in UTF-16 holds NUL bytes in both byte positions (开 is 00 5F in UTF-16-LE, "a"
    is 61 00), so the parity of NUL bytes cannot tell it from binary data; its characters can: at
    most 2% outside the blocks reports use, and at least a tenth CJK ideographs.
    """
    head = data[:65536]
    if len(data) % 2 or len(head) < 2:
        return None
    best, best_share = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        text = head.decode(encoding, errors="replace")  # the head may end inside a surrogate pair
        if text.count("\ufffd") > 2 or len(_NOT_REPORT_TEXT.findall(text)) > len(text) // 50:
            continue
        share = len(_IDEOGRAPH.findall(text)) / len(text)
        if share >= 0.1 and share > best_share:
            best, best_share = encoding, share
    return best


def _utf16_guess(data: bytes) -> tuple[str, ...]:
    """UTF-16 without a BOM is only possible for an even number of bytes."""
    return ("utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ()


def _plausibility(text: str) -> float:
    """Share of characters that are common report vocabulary; wrong decodings score near zero."""
    sample = text[:20000]
    if not sample:
        return 0.0
    hits = sum(1 for char in sample if char in _TELLTALE)
    return hits / len(sample)
