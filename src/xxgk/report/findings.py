"""Findings: the problems a report has, kept as data in its JSON and in the CSV.

A finding never stops the pipeline. Its `code` is stable and documented in the README (with what it
means in English and in Chinese, `message_zh`); `key` is the
dotted canonical key or the section it concerns, `keys` the cell keys it affects (every cell of a row
finding, none for a file-level one; finding_keys.py derives them from `key` where the call site does
not know better), `line` the 1-based line of the source file.
"""
from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


SEVERITY_RANK = {Severity.info: 0, Severity.warning: 1, Severity.error: 2}

# code -> (severity, what it means). The README's table is generated from this.
CODES: dict[str, tuple[Severity, str]] = {
    "unreadable_file": (Severity.error, "the file could not be read (permissions, vanished, I/O); no report"),
    "empty_file": (Severity.error, "the file is empty or holds only whitespace; no report"),
    "binary_file": (Severity.error, "the file is a PDF, image, archive or other binary data; no report"),
    "unsupported_format": (Severity.error, "a document format xxgk does not read (.doc, .wps, .rtf, .odt): "
                           "convert it to .docx or .pdf; no report"),
    "no_text_layer": (Severity.error, "the PDF has no text layer (a scan): the text is not in the file; no report"),
    "encrypted_document": (Severity.error, "the PDF is encrypted with a password; no report"),
    "damaged_document": (Severity.error, "the PDF or Word file is damaged or over a reading bound; no report"),
    "document_truncated": (Severity.warning, "a PDF or Word file over a page, character or time bound was read in part"),
    "image_without_text": (Severity.warning, "a PDF page holds a large image without text (a scanned table?)"),
    "tables_not_read": (Severity.warning, "a PDF page has too many ruling lines to search for tables; its text was read as lines"),
    "page_rotated": (Severity.info, "a PDF page shows its text sideways or upside down; it was read turned back"),
    "too_large": (Severity.error, "the file is over the --max-bytes limit (or its text over 100,000 lines, a page "
                  "over 500,000 tags); no report"),
    "undecodable_text": (Severity.error, "no text encoding gives plausible text; no report"),
    "internal_error": (Severity.error, "the parser failed on this file (a bug); the batch went on"),
    "time_limit": (Severity.error, "parsing the file took longer than --time-limit; no report, the batch went on"),
    "unsafe_output_path": (Severity.error, "the output path would leave the output folder; nothing written"),
    "file_changed_while_reading": (Severity.warning, "the file changed while it was read"),
    "multiple_reports": (Severity.warning, "the file holds more than one report; only the first is parsed"),
    "not_a_report": (Severity.error, "the text is not a government information-disclosure annual report"),
    "unknown_template": (Severity.error, "neither the 2019 nor the 2021 tables nor a pre-2019 report was recognised"),
    "missing_title": (Severity.warning, "no report title with a year was found"),
    "truncated_report": (Severity.warning, "the text stops before the report's last sections; only its start is there"),
    "missing_section": (Severity.warning, "one of the six fixed sections has no heading"),
    "missing_table": (Severity.error, "a section that must hold a table has no readable table"),
    "table_too_large": (Severity.warning, "a table section holds far more text than any real table; it is not read"),
    "missing_row": (Severity.warning, "a template row was not found; its cells are null"),
    "missing_cells": (Severity.warning, "a row prints fewer cells than the template; unplaceable cells are null"),
    "ambiguous_cells": (Severity.warning, "a row allows several readings; the cells they disagree on are null"),
    "rule_fails_on_reading": (Severity.warning, "a column rule holds on no reading of a damaged row; its cells there are null"),
    "too_many_cells": (Severity.warning, "a row prints more numbers than the template; its cells are null"),
    "cells_run_together": (Severity.warning, "digits of several cells are run together; the cells are null"),
    "unreadable_cell": (Severity.warning, "a cell holds something that is not a number; it is null"),
    "number_out_of_range": (Severity.warning, "a row prints a number of more than 15 digits; the row's cells are null"),
    "unlabeled_values": (Severity.info, "numbers were found that belong to no template row"),
    "extra_section": (Severity.info, "a section the template does not have (a report's own added section): its "
                      "text is kept under the key extra, the rows of its tables in extra_rows"),
    "extra_row": (Severity.info, "a row the template does not have (a province's row, an added table): kept in "
                  "extra_rows with its printed label and values"),
    "out_of_order_row": (Severity.warning, "a row label appears out of template order; its values are ignored"),
    "labels_displaced": (Severity.info, "labels and numbers were out of step; numbers read in template order, all rules hold"),
    "hybrid_template": (Severity.info, "section 二 and section 三 follow different template versions"),
    "html_table_capped": (Severity.warning, "an HTML table has rowspan/colspan values or a size beyond any real table; it was read capped"),
    "encoding_fallback": (Severity.warning, "the text was decoded with replacement characters"),
    "H1_column_balance": (Severity.error, "本年新收 + 上年结转 ≠ （七）总计 + 结转下年度 in a column"),
    "H2_row_total": (Severity.error, "a row's 总计 is not the sum of its six applicant columns"),
    "H3_results_total": (Severity.error, "（七）总计 is not the sum of the result rows in a column"),
    "H5_review_total": (Severity.error, "a section-四 总计 is not the sum of its four results"),
    "negative_count": (Severity.warning, "a count that must be non-negative is negative"),
    "component_exceeds_total": (Severity.warning, "a section-四 result exceeds its block total"),
    "in_force_below_issued": (Severity.info, "现行有效件数 is below 本年制发件数 (FORMAT.md §6.2 S4)"),
    "requests_without_applications": (Severity.warning, "no applications received or carried over, yet results are non-zero"),
    "text_table_mismatch": (Severity.info, "a figure stated in section 一 differs from the table (FORMAT §6.2 S5)"),
    "year_vs_published": (Severity.info, "the statistics year is not the year before publication"),
    "duplicate_report": (Severity.warning, "another input of the batch has the same bytes, or the same agency, year "
                                           "and table values; the message names it"),
    "pre2019_not_extracted": (Severity.info, "a pre-2019 report: only its metadata and section texts were read, "
                                             "its numbers are not extracted yet"),
}


CHINESE: dict[str, str] = {  # code -> what it means, for a Chinese reader (findings.csv, the workbook)
    "unreadable_file": "文件无法读取（权限不足、文件已不存在或读写错误），未生成报告数据",
    "empty_file": "文件为空或只有空白，未生成报告数据",
    "binary_file": "文件是PDF、图片、压缩包等二进制数据而非文本，未生成报告数据",
    "unsupported_format": "xxgk不读取此文档格式（.doc、.wps、.rtf、.odt），请转换为.docx或.pdf，未生成报告数据",
    "no_text_layer": "PDF没有文字层（扫描件），文件中没有可读文字，未生成报告数据",
    "encrypted_document": "PDF已用密码加密，未生成报告数据",
    "damaged_document": "PDF或Word文件已损坏或超出读取限度，未生成报告数据",
    "document_truncated": "PDF或Word文件超出页数、字数或时间限度，只读取了一部分",
    "image_without_text": "PDF页面有大幅图片而无文字（可能是扫描的表格）",
    "tables_not_read": "PDF页面的表格线过多，未识别表格，其文字按行读取",
    "page_rotated": "PDF页面的文字是横向或倒置的，已转正读取",
    "too_large": "文件超过--max-bytes上限（或文字超过10万行、网页超过50万个标签），未生成报告数据",
    "undecodable_text": "没有一种文字编码能得到可读文本，未生成报告数据",
    "internal_error": "解析此文件时程序出错（程序缺陷），批处理已继续",
    "time_limit": "解析此文件超过--time-limit时限，未生成报告数据，批处理已继续",
    "unsafe_output_path": "输出路径会超出输出文件夹，未写入",
    "file_changed_while_reading": "读取文件期间文件发生了变化",
    "multiple_reports": "文件中有不止一份报告，只解析了第一份",
    "not_a_report": "文本不是政府信息公开工作年度报告",
    "unknown_template": "表格既不符合2019年版也不符合2021年版模板，也不是2019年以前的报告",
    "missing_title": "未找到带年度的报告标题",
    "truncated_report": "文本在报告最后几部分之前就结束了，只有报告的开头（缺少的内容为空值）",
    "missing_section": "六个固定部分之一没有标题",
    "missing_table": "应有表格的部分没有可读的表格，其数值为空值",
    "table_too_large": "表格部分的文字远多于任何真实表格，未读取",
    "missing_row": "未找到模板中的这一行或无法读取，其单元格为空值",
    "missing_cells": "这一行印出的单元格少于模板，无法确定位置的单元格为空值",
    "ambiguous_cells": "这一行的数字有多种读法，读法之间不一致的单元格为空值",
    "rule_fails_on_reading": "受损行的任何读法都不满足列勾稽关系，相关单元格为空值",
    "too_many_cells": "这一行印出的数字多于模板的单元格，其单元格为空值",
    "cells_run_together": "几个单元格的数字连在一起无法分开，其单元格为空值",
    "unreadable_cell": "单元格里不是一个完整的数字，为空值",
    "number_out_of_range": "这一行有超过15位的数字，其单元格为空值",
    "unlabeled_values": "有数字不属于模板中的任何一行",
    "extra_section": "模板中没有的部分（报告自行增加的部分），其文字保留在sections中（key为extra），其表格各行保留在extra_rows中",
    "extra_row": "模板中没有的一行（省级增加的行或增加的表格），按原样保留在extra_rows中",
    "out_of_order_row": "行标签出现的位置不符合模板顺序，其数值未采用",
    "labels_displaced": "行标签与数字错位，已按模板顺序读取，所有勾稽关系均成立",
    "hybrid_template": "第二部分与第三部分的表格使用了不同版本的模板",
    "html_table_capped": "网页表格的跨行/跨列数值或规模超出任何真实表格，已按上限读取",
    "encoding_fallback": "文本中有替换字符（乱码），部分文字已损坏",
    "H1_column_balance": "勾稽关系不成立：本年新收 + 上年结转 ≠ （七）总计 + 结转下年度",
    "H2_row_total": "勾稽关系不成立：这一行的总计不等于六类申请人之和",
    "H3_results_total": "勾稽关系不成立：（七）总计不等于各项办理结果之和",
    "H5_review_total": "勾稽关系不成立：第四部分的总计不等于结果维持、结果纠正、其他结果、尚未审结之和",
    "negative_count": "应为非负数的数量是负数",
    "component_exceeds_total": "第四部分的一项结果大于其总计",
    "in_force_below_issued": "现行有效件数小于本年制发件数",
    "requests_without_applications": "本年未收到也未结转申请，办理结果却不为零",
    "text_table_mismatch": "第一部分文字中的数字与表格不一致",
    "year_vs_published": "统计年度不是发布日期的前一年",
    "duplicate_report": "本批次中另有文件字节完全相同，或机关、年度和表格数值相同",
    "pre2019_not_extracted": "2019年以前格式的年报：只读取了标题等信息和各部分文字，未提取表格数字",
}


class Finding(BaseModel):
    """One problem of one report."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    key: str | None = None
    keys: tuple[str, ...] = ()
    line: int | None = None
    message: str
    message_zh: str = ""  # the code's meaning and its figures in Chinese, led by the Chinese label of its row or table


def finding(code: str, message: str, key: str | None = None, line: int | None = None,
            keys: tuple[str, ...] | list[str] = (), detail_zh: str = "") -> Finding:
    """A finding with the severity its code carries; `keys`, when the call site knows exactly which
    cells it leaves null (a subset of a row), else derived from `key` once the templates are known;
    `detail_zh`, the figures of `message` for a Chinese reader (`印为 805，按各项计算为 0`)."""
    severity, _ = CODES[code]
    return Finding(code=code, severity=severity, key=key, keys=tuple(keys), line=line, message=message,
                   message_zh=f"{CHINESE[code]}（{detail_zh}）" if detail_zh else CHINESE[code])
