"""A row's item number written in brackets (`(1)`, `（2）`, `3)`) is part of its label, never a cell: read as a
number it became the last cell of the row before (`予以公开 1 0 0 0 0 0 0 2)部分公开`, glued `…10000002)部分公开`)
or a row of its own. No template prints a cell in brackets (FORMAT §4)."""
from __future__ import annotations

import re

import pytest

from xxgk.gate.compare import score
from xxgk.parsing.cells import tokenize
from xxgk.parsing.sections import to_lines
from xxgk.pipeline import extract_text
from xxgk.report.model import Source

from .conftest import shared_dir, shared_label


def _kinds(*lines: str) -> list[tuple[str, str]]:
    return [(token.kind.value, token.text) for token in tokenize(to_lines(list(lines)))]


def test_a_bracketed_item_number_is_label_text():
    assert _kinds("(1)属于国家秘密 0 0") == [("text", "("), ("text", "1"), ("text", ")属于国家秘密"), ("value", "0"),
                                         ("value", "0")]
    assert _kinds("2)部分公开 3") == [("text", "2"), ("text", ")部分公开"), ("value", "3")]
    assert _kinds("予以公开 5 (1) 属于 0") == [("text", "予以公开"), ("value", "5"), ("text", "("), ("text", "1"),
                                          ("text", ")属于"), ("value", "0")]
    assert _kinds("予以公开 5 ( 1 ) 属于 0") == [("text", "予以公开"), ("value", "5"), ("text", "("), ("text", "1"),
                                            ("text", ")"), ("text", "属于"), ("value", "0")]
    assert _kinds("予以公开 5 2) 部分公开 0") == [("text", "予以公开"), ("value", "5"), ("text", "2"),
                                            ("text", ")部分公开"), ("value", "0")]
    assert _kinds("| (2) | 部分公开 | 0 |") == [("text", "("), ("text", "2"), ("text", ")"), ("text", "部分公开"),
                                            ("value", "0")]
    assert _kinds("予以公开10000002)部分公开") == [("text", "予以公开"), ("value", "1000000"), ("text", "2"),
                                            ("text", ")部分公开")]


def test_cells_beside_brackets_are_still_cells():
    assert _kinds("行政许可 12 (3") == [("text", "行政许可"), ("value", "12"), ("text", "("), ("value", "3")]
    assert _kinds("行政许可 0", "2)", "部分公开 1") == [("text", "行政许可"), ("value", "0"), ("maybe", "2"),
                                                 ("text", "部分公开"), ("value", "1")]  # as `2.` alone


_CHINESE_ITEM = re.compile(r"[（(]([一二三四五六七])[)）]")


@pytest.mark.parametrize("folder, name", [("corpus2", "f054.txt"),  # a page glued into one line
                                          ("corpus2", "f001.txt"),  # one cell a line
                                          ("corpus", "030.txt")])   # cells spaced on the label's line
@pytest.mark.parametrize("marker", ["N)", "N) ", "(N)", "( N ) "])
def test_rows_numbered_with_bracketed_digits_give_no_wrong_number(folder, name, marker):
    """`（二）部分公开` written `2)部分公开`: its 2 was read as the last cell of `予以公开` (granted 10 for 1)."""
    text = (shared_dir(folder) / name).read_text(encoding="utf-8")
    damaged = _CHINESE_ITEM.sub(lambda item: marker.replace("N", str("一二三四五六七".index(item[1]) + 1)), text)
    assert damaged != text
    result = score(extract_text(damaged, Source(path=name)).model_dump(mode="json"), shared_label(folder, name))
    assert (result.wrong, result.invented) == (0, 0), result.problems[:5]
