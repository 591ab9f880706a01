"""The two national template versions (FORMAT.md §3-§6, §12) as data: tables, rows, columns, rules.

The 2019 template (国办公开办函〔2019〕60号) and the 2021 template (国办公开办函〔2021〕30号) share
table 三's rows except its （六） group, and table 四 entirely; their table 二 differs.
"""
from __future__ import annotations

from xxgk.templates.spec import Column, Columns, Row, Rule, Table, Template

# --- columns ---------------------------------------------------------------------------------------
_APPLICANTS = Columns("RequestRow", (
    Column("natural_person", "自然人", "applicants who are natural persons"),
    Column("commercial", "商业企业", "commercial enterprises"),
    Column("research", "科研机构", "research institutions"),
    Column("social_welfare", "社会公益组织", "social welfare organisations"),
    Column("legal_service", "法律服务机构", "legal service organisations"),
    Column("other_org", "其他", "other legal persons or organisations"),
    Column("total", "总计", "all applicants"),
))
_RESULTS = Columns("ReviewBlock", (
    Column("upheld", "结果维持", "the decision was upheld"),
    Column("corrected", "结果纠正", "the decision was corrected"),
    Column("other", "其他结果", "other result"),
    Column("pending", "尚未审结", "not yet concluded"),
    Column("total", "总计", "all cases"),
))
_DOCUMENTS_2021 = Columns("Documents2021", (
    Column("issued", "本年制发件数", "issued this year"),
    Column("repealed", "本年废止件数", "repealed this year"),
    Column("in_force", "现行有效件数", "in force at the year's end"),
))
_DECISIONS_2021 = Columns("Decisions2021", (Column("decisions", "处理决定数量", "decisions made this year"),))
_FEES_2021 = Columns("Fees2021", (
    Column("amount_10k_yuan", "本年收费金额（万元）", "fees collected this year (may be a decimal)", unit="万元",
           decimal=True),))
_DOCUMENTS_2019 = Columns("Documents2019", (
    Column("new_made", "本年新制作数量", "newly made this year"),
    Column("new_published", "本年新公开数量", "newly published this year"),
    Column("total_published", "对外公开总数量", "published in total"),
))
_PREVIOUS = Column("previous_items", "上一年项目数量", "number of items in the previous year", unit="项")
_CHANGE = Column("change", "本年增/减", "change of the number of items this year (signed)", unit="项", signed=True)
_ITEMS_2019 = Columns("Items2019", (_PREVIOUS, _CHANGE, Column("decisions", "处理决定数量", "decisions made this year")))
_FEES_2019 = Columns("Fees2019", (
    Column("previous_items", "上一年项目数量", "number of fee items in the previous year (not money)", unit="项"),
    _CHANGE))
_PROCUREMENT_2019 = Columns("Procurement2019", (
    Column("items", "采购项目数量", "number of procurement projects", unit="项"),
    Column("amount", "采购总金额", "total procurement amount, in the unit of amount_unit", unit="元/万元 (amount_unit)",
           decimal=True),
    Column("amount_unit", "采购总金额单位", "the unit printed with 采购总金额 (元 or 万元; null when none is printed)",
           unit="", cell=False, values=("元", "万元")),
))


# --- table 二 --------------------------------------------------------------------------------------
ACTIVE_2021 = Table("active_disclosure", "二、主动公开政府信息情况", (
    Row("regulations", "规章", ("规章",), _DOCUMENTS_2021, "government rules (规章)"),
    Row("normative_documents", "行政规范性文件", ("规范性文件", "规范性档案"), _DOCUMENTS_2021, "normative documents"),
    Row("licensing", "行政许可", ("行政许可",), _DECISIONS_2021, "administrative licensing"),
    Row("punishment", "行政处罚", ("行政处罚",), _DECISIONS_2021, "administrative punishment"),
    Row("coercion", "行政强制", ("行政强制",), _DECISIONS_2021, "administrative coercion"),
    Row("fees", "行政事业性收费", ("事业性收费",), _FEES_2021, "administrative fees"),
), signatures=("本年制发", "本年废止", "本年度止", "现行有效", "本年处理决定数量", "本年收费金额"))
ACTIVE_2019 = Table("active_disclosure", "二、主动公开政府信息情况", (
    Row("regulations", "规章", ("规章",), _DOCUMENTS_2019, "government rules (规章)"),
    Row("normative_documents", "规范性文件", ("规范性文件", "规范性档案"), _DOCUMENTS_2019, "normative documents"),
    Row("licensing", "行政许可", ("行政许可",), _ITEMS_2019, "administrative licensing"),
    Row("other_services", "其他对外管理服务事项", ("对外管理服务",), _ITEMS_2019,
        "other external management and service items"),
    Row("punishment", "行政处罚", ("行政处罚",), _ITEMS_2019, "administrative punishment"),
    Row("coercion", "行政强制", ("行政强制",), _ITEMS_2019, "administrative coercion"),
    Row("fees", "行政事业性收费", ("事业性收费",), _FEES_2019, "administrative fees"),
    Row("procurement", "政府集中采购", ("集中采购",), _PROCUREMENT_2019, "government centralised procurement"),
), signatures=("本年新制作", "本年新作", "本年新公开", "对外公开总数", "上一年项目数量", "本年增/减", "对外管理服务",
               "第二十条第(九)项", "集中采购", "采购项目数量", "采购总金额"))


# --- table 三 --------------------------------------------------------------------------------------
def _request(key: str, label: str, keywords: tuple[str, ...], meaning: str, item: int | None = None,
             group: str | None = "results", note: str | None = None) -> Row:
    return Row(key, label, keywords, _APPLICANTS, meaning, item, group, note)


def _items(group: str, rows: tuple[tuple[str, str, tuple[str, ...], str], ...], note: str | None = None) -> tuple[Row, ...]:
    """A numbered group of result rows (`（三）不予公开 1.… 8.…`)."""
    return tuple(_request(key, f"{group} {number}.{label}", keywords, meaning, number, note=note)
                 for number, (key, label, keywords, meaning) in enumerate(rows, start=1))


_DENIED = "not disclosed: "
_UNABLE = "cannot be provided: "
_UNPROCESSED = "not processed: "
_REQUEST_HEAD = (
    _request("new_received", "一、本年新收政府信息公开申请数量", ("本年新收",),
             "disclosure applications newly received this year", group=None),
    _request("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转",),
             "applications carried over from the previous year", group=None),
    _request("granted", "三（一）予以公开", ("予以公开",), "applications answered: disclosed in full"),
    _request("partially_granted", "三（二）部分公开", ("部分公开",), "answered: disclosed in part"),
    *_items("三（三）不予公开", (
        ("denied_state_secret", "属于国家秘密", ("国家秘密",), _DENIED + "a state secret"),
        ("denied_prohibited_by_law", "其他法律行政法规禁止公开", ("禁止公开",),
         _DENIED + "other laws or regulations forbid it"),
        ("denied_security_stability", "危及“三安全一稳定”", ("三安全一稳定",),
         _DENIED + "would endanger security or social stability"),
        ("denied_third_party_rights", "保护第三方合法权益", ("第三方",), _DENIED + "protects a third party's lawful rights"),
        ("denied_internal_affairs", "属于三类内部事务信息", ("内部事务",), _DENIED + "internal affairs of the agency"),
        ("denied_process_info", "属于四类过程性信息", ("过程性",), _DENIED + "information still in process (deliberation)"),
        ("denied_enforcement_file", "属于行政执法案卷", ("执法案卷",), _DENIED + "an administrative enforcement case file"),
        ("denied_administrative_query", "属于行政查询事项", ("行政查询",), _DENIED + "an administrative query matter"),
    )),
    *_items("三（四）无法提供", (
        ("unable_not_held", "本机关不掌握相关政府信息", ("不掌握",), _UNABLE + "the agency does not hold the information"),
        ("unable_needs_creation", "没有现成信息需要另行制作", ("另行制作",), _UNABLE + "it would have to be created"),
        ("unable_still_unclear", "补正后申请内容仍不明确", ("仍不明确",),
         _UNABLE + "the request is still unclear after correction"),
    )),
    *_items("三（五）不予处理", (
        ("unprocessed_complaint", "信访举报投诉类申请", ("信访",), _UNPROCESSED + "a petition, report or complaint"),
        ("unprocessed_repeated", "重复申请", ("重复申请",), _UNPROCESSED + "a repeated application"),
        ("unprocessed_publication", "要求提供公开出版物", ("出版物",), _UNPROCESSED + "asks for a public publication"),
        ("unprocessed_excessive", "无正当理由大量反复申请", ("大量反复",),
         _UNPROCESSED + "large or repeated applications without good reason"),
        ("unprocessed_confirmation", "要求行政机关确认或重新出具已获取信息", ("确认或重新", "重新出具"),
         _UNPROCESSED + "asks to confirm or re-issue information already obtained"),
    )),
)
_OTHER_2021 = _items("三（六）其他处理", (
    ("other_overdue_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ("逾期不补正",),
     "other handling: the applicant did not correct the request in time"),
    ("other_unpaid_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ("缴纳费用", "收费通知"),
     "other handling: the applicant did not pay the fee notified"),
    ("other_other", "其他", (r"(?<!\d)3[.、,]?其他$",), "other handling: other"),
), note="2021 template only")
_OTHER_2019 = (_request("other_handling", "三（六）其他处理", ("其他处理",),
                        "other handling, as one row (2019 template, or a 2021 table that collapses it)",
                        note="2019 template: （六）其他处理 as one row"),)
_REQUEST_TAIL = (
    _request("total_processed", "三（七）总计", (r"七\)?总计",),
             "all applications answered this year (the sum of the result rows)", group=None),
    _request("carried_forward", "四、结转下年度继续办理", ("结转下.{0,2}年度", "结转下年"),
             "applications carried forward to next year", group=None),
)
_REQUESTS_LABEL = "三、收到和处理政府信息公开申请情况"
REQUESTS_2021 = Table("requests", _REQUESTS_LABEL, (*_REQUEST_HEAD, *_OTHER_2021, *_REQUEST_TAIL))
REQUESTS_2019 = Table("requests", _REQUESTS_LABEL, (*_REQUEST_HEAD, *_OTHER_2019, *_REQUEST_TAIL))


# --- table 四 --------------------------------------------------------------------------------------
REVIEW = Table("review_litigation", "四、政府信息公开行政复议、行政诉讼情况", (
    Row("review", "行政复议", ("复议",), _RESULTS, "administrative reviews (复议) of disclosure decisions"),
    Row("suit_direct", "行政诉讼 未经复议直接起诉", ("直接起诉",), _RESULTS,
        "administrative suits filed without a prior review"),
    Row("suit_after_review", "行政诉讼 复议后起诉", ("复议后起诉",), _RESULTS, "administrative suits filed after a review"),
))


# --- the rules (FORMAT.md §6.1) ------------------------------------------------------------------
RULES = (
    Rule("H1", "H1_column_balance", "requests", "column",
         "total_processed = new_received + carried_over - carried_forward",
         "本年新收 + 上年结转 − 结转下年度 should equal （七）总计"),
    Rule("H2", "H2_row_total", "requests", "row",
         "total = natural_person + commercial + research + social_welfare + legal_service + other_org",
         "the six applicant columns should add up to 总计"),
    Rule("H3", "H3_results_total", "requests", "column", "total_processed = results",
         "the result rows should add up to （七）总计"),
    Rule("H5", "H5_review_total", "review_litigation", "row", "total = upheld + corrected + other + pending",
         "维持 + 纠正 + 其他 + 尚未审结 should equal 总计"),
)

TEMPLATE_2021 = Template("2021", (ACTIVE_2021, REQUESTS_2021, REVIEW), RULES)
TEMPLATE_2019 = Template("2019", (ACTIVE_2019, REQUESTS_2019, REVIEW), RULES)
