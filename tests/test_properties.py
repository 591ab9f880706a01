"""Property: changes that do not alter a report's content never change a value.

Real fixtures go through delimiter swaps, simplified → traditional, inserted pinyin glosses, CRLF
line ends, full-width digits and junk lines around the body, in any combination. Every value must
stay the same, or become null with a finding that explains it; never a different number.
"""
from __future__ import annotations

import functools
import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.gate.compare import CANONICAL_KEYS, flatten
from xxgk.report.model import Source
from xxgk.pipeline import extract_text

from .conftest import FIXTURES

TEXTS = {path.name: path.read_text(encoding="utf-8") for path in sorted((FIXTURES / "reports").rglob("*.txt"))}
HEAD_JUNK = ["当前位置：首页 > 政务公开 > 政府信息公开年报 > 正文", "字号：[ 大 中 小 ]  浏览次数：1024",
             "【字体：大 中 小】", "分享到：", "简体 繁体 无障碍阅读"]
TAIL_JUNK = ["责任编辑：张三", "扫一扫在手机打开当前页", "【关闭当前页面】", "网站地图 | 联系我们",
             "主办：某某市人民政府办公室  ICP备12345678号"]


@functools.lru_cache(maxsize=1)
def _to_traditional():
    from opencc import OpenCC

    return OpenCC("s2t")


def swap_delimiters(text: str, rng: random.Random) -> str:
    """Tab rows as pipe rows and back, keeping every field (a pipe row's last `|` ends its last cell)."""
    tabs = "\t" in text
    lines = []
    for line in text.split("\n"):
        body, end = (line[:-1], "\r") if line.endswith("\r") else (line, "")
        if tabs and "\t" in body:
            body = "| " + " | ".join(body.split("\t")) + " |"
        elif not tabs and "|" in body:
            body = "\t".join(_pipe_fields(body))
        lines.append(body + end)
    return "\n".join(lines)


def _pipe_fields(line: str) -> list[str]:
    fields = line.split("|")
    if line.lstrip().startswith("|"):
        fields = fields[1:]
    if fields and not fields[-1].strip():
        fields = fields[:-1]
    return [field.strip() for field in fields]


def traditional(text: str, rng: random.Random) -> str:
    return _to_traditional().convert(text)


def pinyin(text: str, rng: random.Random) -> str:
    glosses = ["(wù)", "(xiàn)", "(gong)", "(he)(he)", "(jù)"]
    return re.sub(r"[\u4e00-\u9fff]", lambda match: match.group(0) + (rng.choice(glosses) if rng.random() < 0.05
                                                                      else ""), text)


def crlf(text: str, rng: random.Random) -> str:
    return text.replace("\n", "\r\n")


def full_width(text: str, rng: random.Random) -> str:
    return text.translate(str.maketrans("0123456789():,", "０１２３４５６７８９（）：，"))


def junk_lines(text: str, rng: random.Random) -> str:
    head = rng.sample(HEAD_JUNK, rng.randint(1, len(HEAD_JUNK)))
    tail = rng.sample(TAIL_JUNK, rng.randint(1, len(TAIL_JUNK)))
    return "\n".join(head) + "\n\n" + text + "\n\n" + "\n".join(tail) + "\n"


CHANGES = [swap_delimiters, traditional, pinyin, crlf, full_width, junk_lines]


@functools.cache
def _original(name: str) -> dict:
    return extract_text(TEXTS[name], Source(path=name)).model_dump(mode="json")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(TEXTS)), changes=st.lists(st.sampled_from(CHANGES), min_size=1, max_size=4,
                                                              unique=True), seed=st.integers(0, 2**32 - 1))
def test_changes_of_form_never_change_a_value(name, changes, seed):
    rng = random.Random(seed)
    text = TEXTS[name]
    for change in changes:
        text = change(text, rng)
    before = _original(name)
    after = extract_text(text, Source(path=name)).model_dump(mode="json")
    original, changed = flatten(before), flatten(after)
    assert changed["meta.template"] == original["meta.template"]
    assert changed["meta.year"] == original["meta.year"]
    lost = []
    for key in CANONICAL_KEYS:
        if changed[key] is None and original[key] is not None:
            lost.append(key)
            continue
        assert changed[key] == original[key], f"{key}: {original[key]} became {changed[key]} after {changes}"
    if lost:
        assert after["findings"], f"{lost} became null without a finding after {changes}"


def test_each_change_really_changes_the_text():
    rng = random.Random(1)
    text = TEXTS[sorted(TEXTS)[2]]
    for change in CHANGES:
        assert change(text, rng) != text, change.__name__
