"""Hostile inputs of issue 11 (per-file bounds), built from the bundled seeds: each is a name and
the bytes of one file. Shared by tests/test_bounds.py and a manual probe
(`python -m tests.hostile_cases NAME` prints seconds and peak memory of one extraction)."""
from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "reports" / "seeds"
SEED_000 = (SEEDS / "000_201b3c9d0f3fbc81.txt").read_text(encoding="utf-8")  # one cell per line
SEED_002 = (SEEDS / "002_a0db4065ad230706.txt").read_text(encoding="utf-8")  # tab-separated
# The first cell of table 三 in seed 000 (本年新收, 自然人) is the first line "0" after its label.
_NEW_RECEIVED = "一、本年新收政府信息公开申请数量\n\n0\n"
_REVIEW_ROW = "\t".join(["0"] * 15)  # seed 002's table-四 row
GLUED_24 = "012345678912345678912345"  # 24 digits, leading zero: cells run together


def _cell(digits: str) -> bytes:
    assert _NEW_RECEIVED in SEED_000
    return SEED_000.replace(_NEW_RECEIVED, f"一、本年新收政府信息公开申请数量\n\n{digits}\n", 1).encode()


def _in_requests(text: str) -> bytes:
    """Seed 000 with `text` as a line inside table 三."""
    anchor = "申请人情况\n"
    return SEED_000.replace(anchor, anchor + text + "\n", 1).encode()


def digits_20() -> bytes:
    return _cell("1" * 20)


def digits_30() -> bytes:
    return _cell("9" * 30)


def digits_5000() -> bytes:
    return _cell("7" * 5000)


def spaces_line() -> bytes:
    """Runs of 2 million spaces: inside the title line (the one that hung), a prose line and table 三."""
    run = " " * 2_000_000
    title = "龙亭区科学技术和工业信息化局 2023 年政府信息公开"
    assert title in SEED_002
    text = SEED_002.replace(title, "龙亭区科学技术" + run + "和工业信息化局 2023 年政府信息公开", 1)
    text = text.replace("一、总体情况\n", f"一、总体情况\n本机关{run}公开\n", 1)
    return text.replace("申请人情况", f"申请人情况{run}1", 1).encode()


def blank_line_starts() -> bytes:
    """Lines that start with 200,000 tabs or spaces: before an index number, a table row, page furniture."""
    run = "\t" * 100_000 + " " * 100_000
    text = SEED_000.replace("信息来源:", f"{run}索引号 {run}x\n信息来源:", 1)
    spaces = " " * 200_000  # spaces, not tabs, in the table: tabs count towards MAX_TABLE_CHARS
    text = text.replace("申请人情况\n", f"申请人情况\n{spaces}| {spaces}:x\n{spaces}1\n", 1)
    return (text + f"\n{run}附件 {run}x\n{run}【 {run}x\n").encode()


def heading_numerals_run() -> bytes:
    """A million `一、` along one prose line: each is a place a heading may start (a line cut)."""
    return SEED_000.replace("一、总体情况\n", "一、总体情况\n本机关" + "一、" * 1_000_000 + "\n", 1).encode()


def numerals_list() -> bytes:
    """500,000 numerals one per line in table 三."""
    return _in_requests("\n".join(str(number % 97) for number in range(500_000)))


def list_markers_line() -> bytes:
    """`1. ` repeated along one line of table 三 (about 1.5 MB)."""
    return _in_requests("1. " * 500_000 + "予以公开")


def glued_review_rows() -> bytes:
    """The table-四 row as one glued run of 24 digits (a page that lost every separator)."""
    assert _REVIEW_ROW in SEED_002
    return SEED_002.replace(_REVIEW_ROW, GLUED_24, 1).encode()


def html_spans() -> bytes:
    """A table whose cells claim enormous rowspan/colspan values."""
    cells = "".join(f'<td rowspan="{10 ** 9}" colspan="{10 ** 9}">自然人{index}</td>' for index in range(200))
    rows = "".join(f"<tr>{cells}<td>{index}</td></tr>" for index in range(200))
    return ("<html><body><h1>某县2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
            f"<p>三、收到和处理政府信息公开申请情况</p><table>{rows}</table></body></html>").encode()


def html_many_tags() -> bytes:
    """300,000 paragraphs (600,000 tags): a tree lxml would spend ~200 bytes an element on."""
    return b"<html><body><p>\xe4\xb8\x80\xe3\x80\x81\xe6\x80\xbb\xe4\xbd\x93</p>" + b"<p>x</p>" * 300_000 + b"</body></html>"


def utf16_le() -> bytes:
    return SEED_000.encode("utf-16-le")


def utf16_be() -> bytes:
    return SEED_002.encode("utf-16-be")


CASES = {
    "digits_20.txt": digits_20, "digits_30.txt": digits_30, "digits_5000.txt": digits_5000,
    "spaces_line.txt": spaces_line, "blank_line_starts.txt": blank_line_starts,
    "heading_numerals_run.txt": heading_numerals_run, "numerals_list.txt": numerals_list,
    "list_markers_line.txt": list_markers_line, "glued_review_rows.txt": glued_review_rows,
    "html_spans.html": html_spans, "html_many_tags.html": html_many_tags, "utf16_le.txt": utf16_le, "utf16_be.txt": utf16_be,
}


def _probe(name: str) -> None:
    import resource
    import time

    from xxgk.pipeline import extract_data

    data = CASES[name]()
    start = time.perf_counter()
    report = extract_data(data, name)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    codes = sorted({finding.code for finding in report.findings})
    print(f"{name}: {len(data):,} bytes, {seconds:.2f} s, peak {peak:.0f} MB, parsed={report.parsed}, {codes}")


if __name__ == "__main__":
    import sys

    for case in sys.argv[1:] or CASES:
        _probe(case)
