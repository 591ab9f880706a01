"""Stage 4, find sections: the six headings (or the pre-2019 topics), the preamble and the tail.

A document is a list of `Line`s: normalized text with the 1-based line number of the source file.
Single-line pages (the whole body on one line) are cut into segments at heading positions first, so
the rest of the pipeline sees the headings at the start of a line, as FORMAT.md §2 asks.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import attrgetter
from typing import NamedTuple

from xxgk.templates import markers as tpl
from xxgk.parsing.caching import cache_short

_NUMERALS = "一二三四五六七八九十"
_HEADING = re.compile(rf"^\s*(?P<numeral>[{_NUMERALS}]{{1,2}})(?P<separator>\s*[、,.:]\s*|\s+|)(?P<rest>\S.*)$")
_NOT_AFTER_BARE_NUMERAL = set("年是些个批项条件次名位家期天月日来类方直要致般切线")
_INLINE_NUMBERING = re.compile(rf"[{_NUMERALS}]{{1,2}}、")  # `三、` or `十一、` inside a long line
_BEFORE_INLINE_HEADING = re.compile(r"[。;!?)\]\d\s\"”]|[^\x00-\x7f]")
_LONG_LINE = 300
MAX_LINES = 100_000  # lines of one text, cuts included; the longest real report has under 2,000
_SUBSECTION = re.compile(r"^\s*\(([一二三四五六七八九十]{1,2})\)\s*(?P<title>[^。:]{1,40})")
_TAIL_MARKERS = re.compile(  # no two \s* side by side: they backtrack quadratically on long blank runs
    r"^\s*(?:[【\[]\s*)?(责任编辑|扫一扫|关闭|打印|收藏本页|分享到|相关链接|您访问的链接即将离开|附件\s*(?::\s*)?$|"
    r"用户登录|网站地图|主办\s*:|承办\s*:|技术支持|ICP备|公网安备|网站标识码|copyright|版权所有|"
    r"上一篇|下一篇|还没有账号|立即注册|相关文件|【\s*关闭)",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"^\s*表\s*\d")
_DIGIT = re.compile(r"\d")
_TITLE_END = re.compile(r"[。:,]|\s+|\((?=[一二三四五六七八九十])|(?<=情况)|(?<=概述)|(?<=事项)|(?<=措施)|(?<=统计表)|(?<=附表)")


class Line(NamedTuple):
    no: int
    text: str


@dataclass
class Heading:
    index: int  # position in the document's list of lines
    numeral: str
    title: str
    key: str
    body_start: str = ""  # text after the heading on the same (inline) line


@dataclass
class Document:
    lines: list[Line]
    headings: list[Heading] = field(default_factory=list)
    end: int = 0  # index one past the last body line


def to_lines(texts: list[str], numbers: list[int] | None = None) -> list[Line]:
    """Number the lines; cut long single-line bodies before each `N、` so headings start lines.

    `numbers` gives each text's line in the source file when it is not simply its position (HTML).
    """
    numbers = numbers or range(1, len(texts) + 1)
    if not texts or max(map(len, texts)) <= _LONG_LINE:
        return list(map(tuple.__new__, repeat(Line), zip(numbers, texts)))  # Line(...) without a call per line
    lines: list[Line] = []
    for number, text in zip(numbers, texts):
        if len(text) <= _LONG_LINE:
            lines.append(Line(number, text))
            continue
        start = 0
        for cut in _inline_breaks(text):
            if len(lines) >= MAX_LINES:  # bounded: the rest of the line stays one line
                break
            if cut > start:
                lines.append(Line(number, text[start:cut]))
                start = cut
        lines.append(Line(number, text[start:]))
    return lines


def _inline_breaks(text: str) -> Iterator[int]:
    """Where a heading may start inside a long line: before each numeral that begins `N、` or `NN、`
    (`十一、` offers both its numerals) and follows punctuation, a digit, a space or a CJK character.
    Found from the `、` (one fast scan) rather than by testing every position of the line."""
    for match in _INLINE_NUMBERING.finditer(text):
        for position in range(match.start(), match.end() - 1):
            if position and _BEFORE_INLINE_HEADING.match(text, position - 1):
                yield position


@cache_short(maxsize=1 << 14)
def _parse_heading(text: str) -> tuple[str, str, str] | None:
    """(numeral, title, rest of the line) when the line starts like a top-level heading."""
    match = _HEADING.match(text)
    if not match or _CAPTION.match(text):
        return None
    rest = match["rest"]
    if not match["separator"] and rest[0] in _NOT_AFTER_BARE_NUMERAL:
        return None
    title, body = _split_title(rest)
    if not title or tpl.NOT_HEADINGS.search(title):
        return None
    return match["numeral"], title, body


def _split_title(rest: str) -> tuple[str, str]:
    """A heading's words, cut from the body text that follows on the same line."""
    if len(rest) <= 45 and "。" not in rest[:-1] and not _DIGIT.search(rest):
        return rest.strip(), ""
    cut = _TITLE_END.search(rest[:60])
    if cut and cut.end() > 1:
        return rest[:cut.start() if cut.group(0) else cut.end()].strip(), rest[cut.end():].strip()
    return "", rest


def _heading_candidates(lines: list[Line]) -> list[tuple[int, tuple[str, str, str]]]:
    """(index, parsed heading) of every line that starts like a top-level heading."""
    candidates = []
    for index, line in enumerate(lines):
        if not _MAY_BE_HEADING.match(line.text):
            continue
        text = line.text.lstrip()
        if text[:1] == "#":  # a markdown heading: `## 二、主动公开政府信息情况`
            text = text.lstrip("#").lstrip()
        if not text or text[0] not in _NUMERALS:
            continue
        if _BARE_NUMERAL.match(text):
            # `四、` alone, its words on the next line (narrow cells, one line per <p>): the heading is
            # that next line, read with the numeral
            if index + 1 < len(lines) and (parsed := _parse_heading(text.strip() + lines[index + 1].text.strip())):
                candidates.append((index + 1, parsed))
        elif parsed := _parse_heading(text):
            candidates.append((index, parsed))
    return candidates


_MAY_BE_HEADING = re.compile(rf"\s*(?:#+\s*)?[{_NUMERALS}]")  # what the checks below need first, in one call
_BARE_NUMERAL = re.compile(r"^\s*[一二三四五六七八九十]{1,2}\s*[、.．]\s*$")


EXTRA_SECTION = "extra"  # the key of a section the template does not have (`五、信息处理费收取情况`)
MAX_EXTRA_SECTIONS = 2


def find_fixed_headings(lines: list[Line]) -> list[Heading]:
    """The headings 一 … 六 of a 2019/2021 report, in increasing order, each with its keyword.

    A report may add sections of its own (`五、信息处理费收取情况`) and number the rest on from there
    (`六、存在的主要问题…`): a heading found under a later numeral than expected, right after headings
    with the numerals in between that name no section, is taken, and those are extra sections."""
    headings: list[Heading] = []
    all_candidates = _heading_candidates(lines)
    position = 0
    shift = 0  # how many extra sections come before: the numeral runs ahead of the section by that much
    for number, keywords in enumerate(tpl.SECTION_KEYWORDS):
        found = _heading_at(lines, all_candidates, headings, position, number + shift, keywords)
        inserted: list[tuple[int, tuple[str, str, str]]] = []
        if found is None and headings:
            found, inserted = _after_extra_sections(lines, all_candidates, headings, position, number + shift, keywords)
        if found is None:
            continue
        for index, parsed in inserted:
            headings.append(Heading(index, parsed[0], parsed[1], EXTRA_SECTION, parsed[2]))
        shift += len(inserted)
        index, parsed = found
        headings.append(Heading(index, parsed[0], parsed[1], tpl.SECTION_KEYS[number], parsed[2]))
        position = index + 1
    return headings


def _heading_at(lines, candidates, headings, position: int, numeral_index: int, keywords: str):
    """The first heading with that numeral and the section's keyword after `position` (a stray copy
    right under the previous heading skipped, FORMAT §9, 025)."""
    if numeral_index >= len(_NUMERALS):
        return None
    found = [(index, parsed) for index, parsed in candidates
             if index >= position and parsed[0] == _NUMERALS[numeral_index] and re.search(keywords, parsed[1])]
    if not found:
        return None
    if len(found) > 1 and headings and _nothing_between(lines, headings[-1].index, found[0][0]):
        return found[1]
    return found[0]


def _after_extra_sections(lines, candidates, headings, position: int, numeral_index: int, keywords: str):
    """(the heading, the extra headings before it) when the section comes under a later numeral right
    after headings with the numerals in between that name none of the six sections."""
    following = [(index, parsed) for index, parsed in candidates if index >= position]
    for extra in range(1, MAX_EXTRA_SECTIONS + 1):
        if numeral_index + extra >= len(_NUMERALS):
            break
        inserted = []
        for numeral in _NUMERALS[numeral_index:numeral_index + extra]:
            start = inserted[-1][0] + 1 if inserted else position
            heading = next(((index, parsed) for index, parsed in following if index >= start), None)
            if heading is None or heading[1][0] != numeral or _names_a_section(heading[1][1]):
                break
            inserted.append(heading)
        else:
            found = _heading_at(lines, candidates, headings, inserted[-1][0] + 1, numeral_index + extra, keywords)
            if found is not None:
                return found, inserted
    return None, []


def _names_a_section(title: str) -> bool:
    return any(re.search(keywords, title) for keywords in tpl.SECTION_KEYWORDS)


def find_free_headings(lines: list[Line]) -> list[Heading]:
    """Pre-2019 reports: consecutive line-initial numerals 一、二、三… with a topic by keyword."""
    headings: list[Heading] = []
    for index, (numeral, title, body) in _heading_candidates(lines):
        if len(headings) >= len(_NUMERALS) or numeral != _NUMERALS[len(headings)] or len(title) > 40:
            continue
        key = next((topic for topic, pattern in tpl.PRE2019_TOPICS if re.search(pattern, title)), "other_matters")
        headings.append(Heading(index, numeral, title, key, body))
    return headings


def _nothing_between(lines: list[Line], first: int, second: int) -> bool:
    return all(not line.text.strip() for line in lines[first + 1:second])


def body_end(lines: list[Line], last_heading: Heading | None) -> int:
    """Index one past the body: the first page-boilerplate line after the last heading."""
    start = last_heading.index + 1 if last_heading else 0
    for index in range(start, len(lines)):
        if _TAIL_MARKERS.match(lines[index].text):
            return index
    return len(lines)


def section_span(document: Document, position: int) -> tuple[int, int]:
    """Line indexes [start, end) of the body of the heading at `position` in document.headings."""
    heading = document.headings[position]
    following = document.headings[position + 1].index if position + 1 < len(document.headings) else document.end
    return heading.index + 1, following


def section_text(document: Document, position: int) -> str:
    start, end = section_span(document, position)
    texts = map(str.strip, map(_text, document.lines[start:end]))
    return "\n".join(filter(None, chain((document.headings[position].body_start,), texts)))


_text = attrgetter("text")


def subsections(document: Document, position: int) -> list[tuple[str, int, str]]:
    """Numbered sub-sections `(一)…` of a narrative section: (heading, line number, text)."""
    start, end = section_span(document, position)
    found: list[tuple[str, int, list[str]]] = []
    for line in document.lines[start:end]:
        match = _SUBSECTION.match(line.text) if "(" in line.text else None
        if match:
            found.append((match.group(0).strip(), line.no, [line.text[match.end():].strip()]))
        elif found and line.text.strip():
            found[-1][2].append(line.text.strip())
    return [(heading, number, "\n".join(part for part in text if part)) for heading, number, text in found]
