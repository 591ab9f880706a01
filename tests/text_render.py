"""Render report values as text in the damaged forms scrapers produce (issue 10).

A report is generated as consistent values (every rule H1, H2, H3, H5 holds), laid out as table rows
(label, cells), then printed through one damage family: one cell per line with identical adjacent
lines collapsed, item numbers on their own lines, labels wrapped mid-word, single-line pages with the
digits of a row glued (with or without stray spaces between cells), sign words for 本年增/减, and cells
floated above their label. The parser may leave any cell null; it must never print a different number.
"""
from __future__ import annotations

import random
import re

from .html_render import ACTIVE, GROUPS, REQUEST_LABELS

COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
REVIEW_BLOCKS = ("review", "suit_direct", "suit_after_review")
REVIEW_FIELDS = ("upheld", "corrected", "other", "pending", "total")


def _leaf_keys(template: str) -> list[str]:
    keys = ["granted", "partially_granted"]
    keys += [key for key in REQUEST_LABELS if key.startswith(("denied", "unable", "unprocessed"))]
    keys += ["other_overdue_correction", "other_unpaid_fee", "other_other"] if template == "2021" else ["other_handling"]
    return keys


def _sparse(rng: random.Random, size: int, busy: float) -> list[int]:
    """Mostly zeros, as real tables are; now and then a few small or large counts."""
    if rng.random() > busy:
        return [0] * size
    return [rng.choice((0, 0, 1, 2, 3, 5, 10, 12, 25, 100, 316)) if rng.random() < 0.5 else 0 for _ in range(size)]


def consistent_values(rng: random.Random, template: str) -> dict[str, int | None]:
    """Values of tables 二, 三 and 四 for which every rule of FORMAT §6 holds."""
    values: dict[str, int | None] = {}
    for _, _, items in ACTIVE[template]:
        for _, key, fields in items:
            for name in fields:
                value = rng.choice((0, 0, 0, 1, 3, 7, 12, 40, 133))
                if name == "change":
                    value = rng.choice((0, 0, 3, -12, -2, 16))
                values[f"active_disclosure.{key}.{name}"] = value
    busy = rng.choice((0.05, 0.3, 0.8))
    leaves = {key: _sparse(rng, 6, busy) for key in _leaf_keys(template)}
    processed = [sum(row[column] for row in leaves.values()) for column in range(6)]
    carried_over = [rng.choice((0, 0, 0, 1, 2)) for _ in range(6)]
    carried_forward = [rng.choice((0, 0, 0, 1)) for _ in range(6)]
    carried_over = [min(over, total + forward) for over, total, forward in zip(carried_over, processed, carried_forward)]
    new = [total + forward - over for total, forward, over in zip(processed, carried_forward, carried_over)]
    rows = {"new_received": new, "carried_over": carried_over, **leaves, "total_processed": processed,
            "carried_forward": carried_forward}
    for key, cells in rows.items():
        for column, value in zip(COLUMNS, [*cells, sum(cells)]):
            values[f"requests.{key}.{column}"] = value
    for block in REVIEW_BLOCKS:
        parts = _sparse(rng, 4, busy)
        for name, value in zip(REVIEW_FIELDS, [*parts, sum(parts)]):
            values[f"review_litigation.{block}.{name}"] = value
    return values


Row = tuple[str, list]  # (label, cells); a header is a row without cells


def active_rows(values: dict, template: str) -> list[Row]:
    rows: list[Row] = []
    for caption, headers, items in ACTIVE[template]:
        rows.append((caption, []))
        rows.append(("信息内容" + "".join(header.replace("<br/>", "") for header in headers), []))
        for label, key, fields in items:
            rows.append((label, [values[f"active_disclosure.{key}.{name}"] for name in fields]))
    return rows


def request_rows(values: dict, template: str) -> list[Row]:
    cells = lambda key: [values[f"requests.{key}.{column}"] for column in COLUMNS]  # noqa: E731
    rows: list[Row] = [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织"
                        "商业企业科研机构社会公益组织法律服务机构其他总计", [])]
    rows += [(REQUEST_LABELS[key], cells(key)) for key in ("new_received", "carried_over")]
    rows.append(("三、本年度办理结果", []))
    rows += [(REQUEST_LABELS[key], cells(key)) for key in ("granted", "partially_granted")]
    keys = iter(key for key in _leaf_keys(template)[2:] if key != "other_handling")
    for group, size in GROUPS + ([("（六）其他处理", 3)] if template == "2021" else []):
        rows.append((group, []))
        for _ in range(size):
            key = next(keys)
            rows.append((REQUEST_LABELS[key], cells(key)))
    if template == "2019":
        rows.append((REQUEST_LABELS["other_handling"], cells("other_handling")))
    rows += [(REQUEST_LABELS[key], cells(key)) for key in ("total_processed", "carried_forward")]
    return rows


def review_rows(values: dict) -> list[Row]:
    header = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉" + "结果维持结果纠正其他结果尚未审结总计" * 2
    return [(header, [values[f"review_litigation.{block}.{name}"] for block in REVIEW_BLOCKS for name in REVIEW_FIELDS])]


def sections(values: dict, template: str, year: int) -> list[tuple[str, list[Row] | str]]:
    return [
        ("一、总体情况", f"{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，依法做好政府信息公开工作。"),
        ("二、主动公开政府信息情况", active_rows(values, template)),
        ("三、收到和处理政府信息公开申请情况", request_rows(values, template)),
        ("四、政府信息公开行政复议、行政诉讼情况", review_rows(values)),
        ("五、存在的主要问题及改进情况", "信息公开的及时性有待提高。下一步将加强培训。"),
        ("六、其他需要报告的事项", "本机关未收取信息处理费。"),
    ]


# --- damage families -----------------------------------------------------------------------------
_ITEM = re.compile(r"^(\d)\.(.+)$")


def _cell(value, signed_words: bool) -> str:
    if value is None:
        return ""
    if signed_words and value < 0:
        return f"减{-value}"
    return str(value)


def _label_lines(label: str, rng: random.Random, item_lines: bool, wrap: bool) -> list[str]:
    lines = []
    match = _ITEM.match(label) if item_lines else None
    if match:
        lines.append(f"{match[1]}.")
        label = match[2]
    if wrap and len(label) > 3:
        pieces, start = [], 0
        while start < len(label):
            size = rng.randint(1, 5)
            pieces.append(label[start:start + size])
            start += size
        lines += pieces
    else:
        lines.append(label)
    return lines


def cell_per_line(rows: list[Row], rng: random.Random, *, collapse: bool, item_lines: bool, wrap: bool,
                  floated: bool, sign_words: bool) -> list[str]:
    """One printed cell per line (blank cells dropped), as page scrapers give table cells."""
    lines: list[str] = []
    for label, cells in rows:
        printed = [_cell(value, sign_words) for value in cells if value is not None]
        label_lines = _label_lines(label, rng, item_lines, wrap)
        if floated and printed and rng.random() < 0.3:
            lines += printed + label_lines  # the row's cells float above their label
        else:
            lines += label_lines + printed
    if collapse:
        lines = [line for index, line in enumerate(lines) if index == 0 or line != lines[index - 1]]
    return lines


def single_line(rows: list[Row], rng: random.Random, *, stray_spaces: bool, sign_words: bool) -> str:
    """A row's label and digits glued into one run, rows after each other on one line."""
    parts = []
    for label, cells in rows:
        run = ""
        for value in cells:
            if value is None:
                continue
            if run and stray_spaces and rng.random() < 0.3:
                run += " "
            run += _cell(value, sign_words)
        parts.append(label + run)
    return "".join(parts)


FAMILIES = ("collapsed", "item-lines", "wrapped", "floated", "glued", "glued-spaces", "sign-words")


def render(values: dict, template: str, year: int, family: str, rng: random.Random) -> str:
    """The whole report as text, its tables printed through one damage family."""
    title = f"某某县某某局{year}年政府信息公开工作年度报告"
    lines = [title]
    for heading, body in sections(values, template, year):
        if isinstance(body, str):
            lines += [heading, body]
            continue
        if family.startswith("glued"):
            lines.append(heading + single_line(body, rng, stray_spaces=family == "glued-spaces", sign_words=False))
            continue
        lines.append(heading)
        lines += cell_per_line(body, rng, collapse=family in ("collapsed", "item-lines", "wrapped", "sign-words"),
                               item_lines=family in ("item-lines", "wrapped"), wrap=family == "wrapped",
                               floated=family == "floated", sign_words=family == "sign-words")
    if family.startswith("glued"):
        return lines[0] + "".join(lines[1:]) + "\n"
    return "\n".join(lines) + "\n"
