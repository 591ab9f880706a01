"""Stage 2, decode: bytes to text, choosing the encoding that yields plausible Chinese text."""
from __future__ import annotations

from .errors import UndecodableText

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
    if candidates:
        score, encoding, text = max(candidates, key=lambda item: item[0])
        if score > 0:
            return text, encoding
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > len(text) // 4:
        raise UndecodableText(name, "bytes are not UTF-8, UTF-16, GB18030 or Big5 text")
    return text, "utf-8-replace"


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
