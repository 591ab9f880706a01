"""`xxgk export OUT --xlsx FILE`: an Excel workbook an official can open, with Chinese headers.

Sheets: 报告 (one row per input), 表二（2021） and 表二（2019）, 表三, 表四 (one row per report and table row, in
the template's own row order, the cells as columns, numbers as numbers), 比率 (rates), 问题 (findings), 说明
(what an empty cell means and the metric dictionary) and 运行 (the run). Written with openpyxl, in its
write-only mode so memory stays flat; openpyxl is the optional extra `xxgk[excel]`.
"""
from __future__ import annotations

import os
from itertools import groupby
from pathlib import Path

from xxgk.research.export import CELLS_CSV, ExportError, FINDINGS_CSV, RATES_CSV, REPORTS_CSV, as_value, check_out, rows, run_items
from xxgk import templates
from xxgk.templates.labels import column_label, table_label
from xxgk.research.rates import metric_dictionary
from xxgk.research.tidy import NOT_IN_TEMPLATE, STATUSES, TABLE_MISSING, UNDETERMINED


class NeedsOpenpyxl(ExportError):
    """The Excel export needs the optional dependency openpyxl."""


MAX_ROWS = 1_048_576  # rows of an Excel sheet, its header included


class _Sheet:
    """A write-only sheet that stops at Excel's row limit and remembers that it did."""

    def __init__(self, book, title: str, cut: list[str]):
        self.sheet, self.title, self.cut, self.rows = book.create_sheet(title), title, cut, 0

    def append(self, row: list) -> None:
        if self.rows >= MAX_ROWS:
            if not self.cut or self.cut[-1] != self.title:
                self.cut.append(self.title)
            return
        self.sheet.append(row)
        self.rows += 1


_REPORT_SHEET = (("文件", "source.path", False), ("SHA-256", "source.sha256", False), ("机关", "meta.agency", False),
                 ("年度", "meta.year", True), ("模板", "meta.template", False), ("标题", "meta.title", False),
                 ("发布日期", "meta.published", False), ("索引号", "meta.index_no", False),
                 ("已解析", "parsed", False), ("错误", "findings.errors", True), ("警告", "findings.warnings", True),
                 ("提示", "findings.info", True), ("问题代码", "findings.codes", False))
_RATE_SHEET = (("文件", "source.path", False), ("机关", "agency", False), ("年度", "year", True),
               ("模板", "template", False), ("指标", "metric", False), ("指标名称", "name", False),
               ("值", "value", True), ("分子", "numerator", True), ("分母", "denominator", True),
               ("为空的原因", "reason", False))
_FINDING_SHEET = (("文件", "source.path", False), ("代码", "code", False), ("严重程度", "severity", False),
                  ("键", "key", False), ("涉及单元格", "keys", False), ("行号", "line", True), ("说明", "message_zh", False),
                  ("详细（英文）", "message", False))


def _columns(table: str, version: str) -> list[tuple[str, str]]:
    fields = dict.fromkeys(name for row in templates.get(version).rows(table) for name in row.fields)
    return [(name, column_label(table, name, version)) for name in fields]


def _table_sheets() -> tuple[tuple[str, str, str | None, list[tuple[str, str]]], ...]:
    """(sheet title, table key, template or None for any, columns): a sheet per version of a table whose
    columns differ between the versions (表二（2021）, 表二（2019）), one sheet for the others."""
    sheets = []
    for number, table in zip("二三四", templates.TABLE_KEYS):
        layouts = {version: _columns(table, version) for version, template in templates.VERSIONS.items()
                   if template.table(table)}
        if templates.shared_columns(table):
            sheets.append((f"表{number}", table, None, next(iter(layouts.values()))))
        else:
            sheets += [(f"表{number}（{version}）", table, version, columns) for version, columns in layouts.items()]
    return tuple(sheets)


_TABLE_SHEETS = _table_sheets()
_TABLE_HEAD = ("文件", "机关", "年度", "模板", "行", "行名称")
_UNDETERMINED_HEAD = "无法确定的单元格（空白不是0）"


def export_xlsx(out: Path, target: Path) -> None:
    try:
        from openpyxl import Workbook
    except ImportError:
        raise NeedsOpenpyxl("the Excel export needs openpyxl: pip install 'xxgk[excel]'") from None
    check_out(out)
    book = Workbook(write_only=True)
    cut: list[str] = []
    _flat_sheet(_Sheet(book, "报告", cut), out / REPORTS_CSV, _REPORT_SHEET)
    sheets = {}
    for title, table, template, columns in _TABLE_SHEETS:
        sheet = _Sheet(book, title, cut)
        sheet.append([*_TABLE_HEAD, *(label for _, label in columns), _UNDETERMINED_HEAD])
        sheets[(table, template)] = (sheet, columns)
    _table_sheets(out, sheets)
    _flat_sheet(_Sheet(book, "比率", cut), out / RATES_CSV, _RATE_SHEET)
    _flat_sheet(_Sheet(book, "问题", cut), out / FINDINGS_CSV, _FINDING_SHEET)
    _notes_sheet(book.create_sheet("说明"), sorted(set(cut)))
    run = book.create_sheet("运行")
    run.append(["项目", "值"])
    for item in run_items(out):
        run.append(list(item))
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        book.save(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _flat_sheet(sheet, path: Path, fields) -> None:
    sheet.append([title for title, _, _ in fields])
    for row in rows(path):
        sheet.append([as_value(row[name], numeric) for _, name, numeric in fields])


def _table_sheets(out: Path, sheets: dict) -> None:
    """One sheet row per report and table row, from cells.csv (in report, then template row order)."""
    def row_of(cell: dict) -> tuple:
        return cell["source.path"], cell["table_key"], cell["row_key"]
    for _, group in groupby(rows(out / CELLS_CSV), key=row_of):
        cells = [cell for cell in group if cell["status"] not in (NOT_IN_TEMPLATE, TABLE_MISSING)]
        if not cells:
            continue
        first = cells[0]
        table = first["table_key"]
        target = sheets.get((table, first["template"])) or sheets.get((table, None))
        if target is None:
            continue
        sheet, columns = target
        values = {cell["column_key"]: as_value(cell["value"], True) for cell in cells}
        sheet.append([first["source.path"], first["agency"] or None, as_value(first["year"], True),
                      first["template"], first["row_key"], first["row_label"],
                      *(values.get(field) for field, _ in columns),
                      "、".join(cell["column_label"] for cell in cells if cell["status"] == UNDETERMINED) or None])


def _notes_sheet(sheet, cut: list[str]) -> None:
    for title in cut:
        sheet.append([f"工作表「{title}」超过 Excel 的 {MAX_ROWS:,} 行上限，后面的行未写入：请用 cells.csv 或 --sqlite",
                      f"sheet {title} reached Excel's row limit; the rest is in the CSVs and the SQLite export"])
    sheet.append(["空单元格的含义（cells.csv 的 status）", "说明"])
    for status, meaning in STATUSES.items():
        sheet.append([status, meaning])
    sheet.append([])
    sheet.append(["指标", "指标名称", "分子", "分母", "说明"])
    for item in metric_dictionary()["metrics"]:
        sheet.append([item["id"], item["name"], " + ".join(item["numerator"]), " + ".join(item["denominator"]),
                      item["description"]])
    sheet.append([])
    sheet.append(["表", "名称"])
    for table in templates.TABLE_KEYS:
        sheet.append([table, table_label(table)])
