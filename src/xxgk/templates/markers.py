"""The fixed parts of the report templates: sections, table rows, columns and label keywords.

Everything the parser knows about the 2019 and 2021 formats (FORMAT.md §3-§5, §12) lives here, so the
rest of the code never spells a label or a key itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

TEMPLATE_2021 = "2021"
TEMPLATE_2019 = "2019"
TEMPLATE_PRE2019 = "pre2019"
TEMPLATE_UNKNOWN = "unknown"

# --- section 三: requests -------------------------------------------------------------------------
REQUEST_COLUMNS = (
    "natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total",
)
APPLICANT_COLUMNS = REQUEST_COLUMNS[:6]


@dataclass(frozen=True, eq=False)
class RowSpec:
    """One table row: its canonical key, the label keywords that identify it, and its value fields.

    Compared and hashed by identity: every spec is a module constant, and caches key on them."""

    key: str
    keywords: tuple[str, ...]
    fields: tuple[str, ...]


def _request_row(key: str, *keywords: str) -> RowSpec:
    return RowSpec(key, keywords, REQUEST_COLUMNS)


_REQUEST_HEAD = (
    _request_row("new_received", "本年新收"),
    _request_row("carried_over", "上年结转"),
    _request_row("granted", "予以公开"),
    _request_row("partially_granted", "部分公开"),
    _request_row("denied_state_secret", "国家秘密"),
    _request_row("denied_prohibited_by_law", "禁止公开"),
    _request_row("denied_security_stability", "三安全一稳定"),
    _request_row("denied_third_party_rights", "第三方"),
    _request_row("denied_internal_affairs", "内部事务"),
    _request_row("denied_process_info", "过程性"),
    _request_row("denied_enforcement_file", "执法案卷"),
    _request_row("denied_administrative_query", "行政查询"),
    _request_row("unable_not_held", "不掌握"),
    _request_row("unable_needs_creation", "另行制作"),
    _request_row("unable_still_unclear", "仍不明确"),
    _request_row("unprocessed_complaint", "信访"),
    _request_row("unprocessed_repeated", "重复申请"),
    _request_row("unprocessed_publication", "出版物"),
    _request_row("unprocessed_excessive", "大量反复"),
    _request_row("unprocessed_confirmation", "确认或重新", "重新出具"),
)
_REQUEST_OTHER_2021 = (
    _request_row("other_overdue_correction", "逾期不补正"),
    _request_row("other_unpaid_fee", "缴纳费用", "收费通知"),
    _request_row("other_other", r"(?<!\d)3[.、,]?其他$"),
)
_REQUEST_OTHER_2019 = (_request_row("other_handling", "其他处理"),)
_REQUEST_TAIL = (
    _request_row("total_processed", r"七\)?总计"),
    _request_row("carried_forward", "结转下.{0,2}年度", "结转下年"),
)

REQUEST_ROWS = {
    TEMPLATE_2021: _REQUEST_HEAD + _REQUEST_OTHER_2021 + _REQUEST_TAIL,
    TEMPLATE_2019: _REQUEST_HEAD + _REQUEST_OTHER_2019 + _REQUEST_TAIL,
}
# Rows of both templates in one order, used to find labels before the template is known.
REQUEST_ROWS_ANY = _REQUEST_HEAD + _REQUEST_OTHER_2021 + _REQUEST_OTHER_2019 + _REQUEST_TAIL
ALL_REQUEST_ROW_KEYS = tuple(row.key for row in REQUEST_ROWS_ANY)
REQUEST_TOTALS = ("new_received", "carried_over", "total_processed", "carried_forward")
# The item number each sub-row prints before its label (`2.其他法律行政法规禁止公开`).
ITEM_NUMBERS = {
    **{key: number for number, key in enumerate(
        ("denied_state_secret", "denied_prohibited_by_law", "denied_security_stability", "denied_third_party_rights",
         "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_administrative_query"),
        start=1)},
    **{key: number for number, key in enumerate(("unable_not_held", "unable_needs_creation", "unable_still_unclear"),
                                                 start=1)},
    **{key: number for number, key in enumerate(
        ("unprocessed_complaint", "unprocessed_repeated", "unprocessed_publication", "unprocessed_excessive",
         "unprocessed_confirmation"), start=1)},
    **{key: number for number, key in enumerate(("other_overdue_correction", "other_unpaid_fee", "other_other"),
                                                 start=1)},
}
RESULT_ROWS = {
    template: tuple(row.key for row in rows[2:-2]) for template, rows in REQUEST_ROWS.items()
}

# --- section 二: active disclosure ----------------------------------------------------------------
ACTIVE_ROWS = {
    TEMPLATE_2021: (
        RowSpec("regulations", ("规章",), ("issued", "repealed", "in_force")),
        RowSpec("normative_documents", ("规范性文件", "规范性档案"), ("issued", "repealed", "in_force")),
        RowSpec("licensing", ("行政许可",), ("decisions",)),
        RowSpec("punishment", ("行政处罚",), ("decisions",)),
        RowSpec("coercion", ("行政强制",), ("decisions",)),
        RowSpec("fees", ("事业性收费",), ("amount_10k_yuan",)),
    ),
    TEMPLATE_2019: (
        RowSpec("regulations", ("规章",), ("new_made", "new_published", "total_published")),
        RowSpec("normative_documents", ("规范性文件", "规范性档案"), ("new_made", "new_published", "total_published")),
        RowSpec("licensing", ("行政许可",), ("previous_items", "change", "decisions")),
        RowSpec("other_services", ("对外管理服务",), ("previous_items", "change", "decisions")),
        RowSpec("punishment", ("行政处罚",), ("previous_items", "change", "decisions")),
        RowSpec("coercion", ("行政强制",), ("previous_items", "change", "decisions")),
        RowSpec("fees", ("事业性收费",), ("previous_items", "change")),
        RowSpec("procurement", ("集中采购",), ("items", "amount")),
    ),
}
ACTIVE_SIGNATURES = {
    TEMPLATE_2019: ("本年新制作", "本年新作", "本年新公开", "对外公开总数", "上一年项目数量", "本年增/减",
                    "对外管理服务", "第二十条第(九)项", "集中采购", "采购项目数量", "采购总金额"),
    TEMPLATE_2021: ("本年制发", "本年废止", "本年度止", "现行有效", "本年处理决定数量", "本年收费金额"),
}
# Words of captions and column headers: a row label never goes on past them.
TABLE_HEADER_MARKERS = ("第二十条", "信息内容", "申请人情况")
SIGNED_FIELDS = frozenset({"change"})
DECIMAL_FIELDS = frozenset({"amount_10k_yuan", "amount"})

# --- section 四: review and litigation ------------------------------------------------------------
REVIEW_BLOCKS = ("review", "suit_direct", "suit_after_review")
REVIEW_FIELDS = ("upheld", "corrected", "other", "pending", "total")
REVIEW_CELL_COUNT = len(REVIEW_BLOCKS) * len(REVIEW_FIELDS)
REVIEW_HEADER_WORDS = ("复议", "诉讼", "维持", "纠正", "审结", "起诉")

# --- the six sections -----------------------------------------------------------------------------
SECTION_KEYS = ("overview", "active_disclosure", "requests", "review_litigation", "problems", "other_matters")
SECTION_NUMERALS = ("一", "二", "三", "四", "五", "六")
SECTION_KEYWORDS = (
    r"总体|概述|基本.{0,4}情况|工作概述",
    r"主动公开",
    r"收到和处理|收到.{0,2}处理|依申请",
    r"复议|诉讼",
    r"问题|改进",
    r"其他.{0,3}报告|需要报告|需要说明|其他事项",
)
# Row labels of table 三 that start with a section numeral (FORMAT.md §2, pitfall 3).
NOT_HEADINGS = re.compile(r"本年新收|上年结转|本年度办理结果|结转下.{0,2}年度|继续办理")

# Pre-2019 reports: topics by keyword, first match wins (FORMAT.md §8).
PRE2019_TOPICS = (
    ("problems", r"问题|改进"),
    ("review_litigation", r"复议|诉讼|申诉"),
    ("fees", r"收费|减免"),
    ("consultation", r"咨询"),
    ("requests", r"依申请"),
    ("active_disclosure", r"主动公开"),
    ("overview", r"概述|总体|基本情况"),
    ("other_matters", r"其他|说明|附表|统计表"),
)
PRE2019_MARKERS = ("依申请公开政府信息", "收费及减免", "收费和减免", "申请行政复议、提起行政诉讼", "统计表")
BOTH_TEMPLATE_MARKERS = ("本列数据的勾稽关系", "申请人情况", "第二十条第", "未经复议直接起诉")


def canonical_keys() -> list[str]:
    """Every canonical dotted key of FORMAT.md §12, both templates, in contract order."""
    keys: list[str] = []
    for template in (TEMPLATE_2021, TEMPLATE_2019):
        for row in ACTIVE_ROWS[template]:
            for field in row.fields:
                key = f"active_disclosure.{row.key}.{field}"
                if key not in keys:
                    keys.append(key)
                if key == "active_disclosure.procurement.amount":
                    keys.append("active_disclosure.procurement.amount_unit")
    for row_key in ALL_REQUEST_ROW_KEYS:
        keys.extend(f"requests.{row_key}.{column}" for column in REQUEST_COLUMNS)
    for block in REVIEW_BLOCKS:
        keys.extend(f"review_litigation.{block}.{field}" for field in REVIEW_FIELDS)
    return keys
