"""The Chinese labels of the template cells (FORMAT.md §3-§5), for the tidy table and the workbook.

Keyed like the canonical keys: a table's row key and a column key; the column labels of table 二
depend on the template (the 2019 and 2021 columns differ in meaning, FORMAT.md §3.3).
"""
from __future__ import annotations

TABLE_LABELS = {
    "active_disclosure": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}

ACTIVE_ROW_LABELS = {
    "2021": {"regulations": "规章", "normative_documents": "行政规范性文件", "licensing": "行政许可",
             "punishment": "行政处罚", "coercion": "行政强制", "fees": "行政事业性收费"},
    "2019": {"regulations": "规章", "normative_documents": "规范性文件", "licensing": "行政许可",
             "other_services": "其他对外管理服务事项", "punishment": "行政处罚", "coercion": "行政强制",
             "fees": "行政事业性收费", "procurement": "政府集中采购"},
}
ACTIVE_COLUMN_LABELS = {
    "issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数", "decisions": "处理决定数量",
    "amount_10k_yuan": "本年收费金额（万元）", "new_made": "本年新制作数量", "new_published": "本年新公开数量",
    "total_published": "对外公开总数量", "previous_items": "上一年项目数量", "change": "本年增/减",
    "items": "采购项目数量", "amount": "采购总金额",
}

REQUEST_ROW_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "三（一）予以公开",
    "partially_granted": "三（二）部分公开",
    "denied_state_secret": "三（三）不予公开 1.属于国家秘密",
    "denied_prohibited_by_law": "三（三）不予公开 2.其他法律行政法规禁止公开",
    "denied_security_stability": "三（三）不予公开 3.危及“三安全一稳定”",
    "denied_third_party_rights": "三（三）不予公开 4.保护第三方合法权益",
    "denied_internal_affairs": "三（三）不予公开 5.属于三类内部事务信息",
    "denied_process_info": "三（三）不予公开 6.属于四类过程性信息",
    "denied_enforcement_file": "三（三）不予公开 7.属于行政执法案卷",
    "denied_administrative_query": "三（三）不予公开 8.属于行政查询事项",
    "unable_not_held": "三（四）无法提供 1.本机关不掌握相关政府信息",
    "unable_needs_creation": "三（四）无法提供 2.没有现成信息需要另行制作",
    "unable_still_unclear": "三（四）无法提供 3.补正后申请内容仍不明确",
    "unprocessed_complaint": "三（五）不予处理 1.信访举报投诉类申请",
    "unprocessed_repeated": "三（五）不予处理 2.重复申请",
    "unprocessed_publication": "三（五）不予处理 3.要求提供公开出版物",
    "unprocessed_excessive": "三（五）不予处理 4.无正当理由大量反复申请",
    "unprocessed_confirmation": "三（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
    "other_overdue_correction": "三（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "三（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_other": "三（六）其他处理 3.其他",
    "other_handling": "三（六）其他处理",
    "total_processed": "三（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
REQUEST_COLUMN_LABELS = {
    "natural_person": "自然人", "commercial": "商业企业", "research": "科研机构", "social_welfare": "社会公益组织",
    "legal_service": "法律服务机构", "other_org": "其他", "total": "总计",
}

REVIEW_BLOCK_LABELS = {"review": "行政复议", "suit_direct": "行政诉讼 未经复议直接起诉",
                       "suit_after_review": "行政诉讼 复议后起诉"}
REVIEW_FIELD_LABELS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
                       "total": "总计"}


def row_label(table: str, row: str, template: str | None = None) -> str:
    if table == "requests":
        return REQUEST_ROW_LABELS.get(row, row)
    if table == "review_litigation":
        return REVIEW_BLOCK_LABELS.get(row, row)
    labels = ACTIVE_ROW_LABELS.get(template or "", {})
    return labels.get(row) or ACTIVE_ROW_LABELS["2021"].get(row) or ACTIVE_ROW_LABELS["2019"].get(row, row)


def column_label(table: str, column: str) -> str:
    if table == "requests":
        return REQUEST_COLUMN_LABELS.get(column, column)
    if table == "review_litigation":
        return REVIEW_FIELD_LABELS.get(column, column)
    return ACTIVE_COLUMN_LABELS.get(column, column)


def printed_row_label(table: str, row: str, template: str | None = None) -> str:
    """The row's label as the template prints it in its own cells, as a reader looks for it:
    `（三）5.属于三类内部事务信息` (the group cell and the item, without `三、本年度办理结果`), `（七）总计`,
    `一、本年新收政府信息公开申请数量`, `行政事业性收费`."""
    label = row_label(table, row, template)
    if table == "requests" and label.startswith("三（"):
        group, _, item = label[1:].partition(" ")
        return group[:3] + item if item else group
    return label
