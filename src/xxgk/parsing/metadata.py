"""Stage 4b, metadata: title, statistics year, agency, publication date and index number (FORMAT §7)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from xxgk.parsing.sections import Line

_TITLE = re.compile(
    r"^(?P<agency>.*?)\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?P<after>.*?)\s*(?:政府|政务)?\s*信息\s*公开"
    r".{0,12}?报\s*告"
)
_LABEL_PREFIX = re.compile(r"^\s*(?:标\s*题|名\s*称|信息名称)\s*:\s*")
_DATE = r"(?P<y>(?:19|20)\d{2})\s*[-/年.]\s*(?P<m>\d{1,2})\s*[-/月.]\s*(?P<d>\d{1,2})"
_PUBLISHED_LABELS = (r"发布(?:时间|日期)", r"(?:成文|生成|发文)日期", r"^\s*时间")
_INDEX_NO = re.compile(r"索\s*引\s*号\s*(?::\s*)?(?:\|\s*)?(?P<value>[0-9A-Za-z][0-9A-Za-z-]*/\d{4,6}-\d{3,8})")
_AGENCY_LINE = re.compile(r"^[\u4e00-\u9fff()]{2,30}$")
_HEAD_LINES = 80


@dataclass
class Metadata:
    title: str | None = None
    title_index: int | None = None
    year: int | None = None
    agency: str | None = None
    published: str | None = None
    index_no: str | None = None


def read_metadata(lines: list[Line], first_heading: int | None) -> Metadata:
    """Metadata from the lines before the first section heading (or the first lines of the file)."""
    limit = first_heading if first_heading is not None else min(len(lines), _HEAD_LINES)
    head = lines[:max(limit, 1)]
    meta = Metadata()
    _read_title(head, meta)
    meta.published = _find_date(head)
    meta.index_no = next((match["value"] for line in head if (match := _INDEX_NO.search(line.text))), None)
    return meta


def is_title(text: str) -> bool:
    if len(text) > 300 or "报" not in text or "公开" not in text:
        return False
    return bool(_title_match(title_text(text)))


_PAGE_MARK = re.compile(r"^\s*(?:Page\s*\d+\s*[-–—:]\s*)", re.IGNORECASE)  # `Page 9 - …` of a flip-book
_FILE_SUFFIX = re.compile(r"\.(?:docx?|wps|pdf|s?html?|txt)\s*$", re.IGNORECASE)  # a file name as the first line
_SENTENCE = re.compile(r"^(?:根据|依据|按照|依照|本年度|本报告|现将|现公布)|如下|[。;；]$")


def title_text(text: str) -> str:
    """A line as a title candidate: no `标题:` label, page mark or file extension around it."""
    text = _LABEL_PREFIX.sub("", text).strip().lstrip("#").lstrip()  # `# 标题` of markdown
    text = _PAGE_MARK.sub("", text)
    return _FILE_SUFFIX.sub("", text).strip(" |\t")


def _title_match(text: str):
    """The title pattern's match when `text` reads as a title, not as a sentence that names the report."""
    if len(text) > 90 or _SENTENCE.search(text):
        return None
    return _TITLE.search(text)


def _read_title(head: list[Line], meta: Metadata) -> None:
    for index, line in enumerate(head):
        if len(line.text) > 300:  # no title is that long; the patterns below need not look
            continue
        text = title_text(line.text)
        match = _title_match(text)
        if not match and index + 1 < len(head) and re.search(r"(?:19|20)\d{2}\s*年", text):
            joined = text + title_text(head[index + 1].text[:300])  # a title printed over two lines
            match = _title_match(joined)
            text = joined if match else text
        if not match:
            continue
        meta.title_index = index
        meta.year = int(match["year"])
        agency = _clean_agency(match["agency"]) or _clean_agency(match["after"])
        title = re.sub(r"\s+", " ", text)
        if not agency:
            previous = _previous_text(head, index)
            if previous and _AGENCY_LINE.match(previous):
                agency, title = previous, f"{previous}{title}"
        meta.agency = agency or None
        meta.title = title
        return


def _clean_agency(text: str) -> str:
    text = re.sub(r"\s+", "", text or "")
    return re.sub(r"^(关于|[\d.、]+)", "", text).strip(":|“”\"'「」《》")


def _previous_text(head: list[Line], index: int) -> str | None:
    for line in reversed(head[:index]):
        if line.text.strip():
            return line.text.strip()
    return None


def _find_date(head: list[Line]) -> str | None:
    for label in _PUBLISHED_LABELS:
        pattern = re.compile(label + r"\s*:?\s*\|?\s*(?:" + _DATE + r")?")
        for index, line in enumerate(head):
            match = pattern.search(line.text)
            if not match:
                continue
            date = match if match["y"] else _date_on_next_line(head, index)
            if date:
                return f"{int(date['y']):04d}-{int(date['m']):02d}-{int(date['d']):02d}"
    return None


def _date_on_next_line(head: list[Line], index: int):
    for line in head[index + 1:index + 4]:
        if line.text.strip():
            return re.match(r"\s*" + _DATE, line.text)
    return None
