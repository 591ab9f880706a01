"""Render a report's values as a realistic web page: the official table layout with rowspan and
colspan, blank cells as &nbsp;, page furniture around the body. Used to check that an HTML page
and the text it was made from give the same values."""
from __future__ import annotations

from html import escape

REQUEST_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开", "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied_state_secret": "1.属于国家秘密", "denied_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "denied_security_stability": "3.危及“三安全一稳定”", "denied_third_party_rights": "4.保护第三方合法权益",
    "denied_internal_affairs": "5.属于三类内部事务信息", "denied_process_info": "6.属于四类过程性信息",
    "denied_enforcement_file": "7.属于行政执法案卷", "denied_administrative_query": "8.属于行政查询事项",
    "unable_not_held": "1.本机关不掌握相关政府信息", "unable_needs_creation": "2.没有现成信息需要另行制作",
    "unable_still_unclear": "3.补正后申请内容仍不明确", "unprocessed_complaint": "1.信访举报投诉类申请",
    "unprocessed_repeated": "2.重复申请", "unprocessed_publication": "3.要求提供公开出版物",
    "unprocessed_excessive": "4.无正当理由大量反复申请",
    "unprocessed_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_overdue_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_other": "3.其他", "other_handling": "（六）其他处理", "total_processed": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
GROUPS = [("（三）不予公开", 8), ("（四）无法提供", 3), ("（五）不予处理", 5)]
COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
ACTIVE = {
    "2021": [("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
              [("规章", "regulations", ["issued", "repealed", "in_force"]),
               ("行政规范性文件", "normative_documents", ["issued", "repealed", "in_force"])]),
             ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", "licensing", ["decisions"])]),
             ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", "punishment", ["decisions"]),
                                                   ("行政强制", "coercion", ["decisions"])]),
             ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", "fees", ["amount_10k_yuan"])])],
    "2019": [("第二十条第（一）项", ["本年新<br/>制作数量", "本年新<br/>公开数量", "对外公开总数量"],
              [("规章", "regulations", ["new_made", "new_published", "total_published"]),
               ("规范性文件", "normative_documents", ["new_made", "new_published", "total_published"])]),
             ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
              [("行政许可", "licensing", ["previous_items", "change", "decisions"]),
               ("其他对外管理服务事项", "other_services", ["previous_items", "change", "decisions"])]),
             ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
              [("行政处罚", "punishment", ["previous_items", "change", "decisions"]),
               ("行政强制", "coercion", ["previous_items", "change", "decisions"])]),
             ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("行政事业性收费", "fees", ["previous_items", "change"])]),
             ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [("政府集中采购", "procurement", ["items", "amount"])])],
}


def cell(value) -> str:
    return "<td>&nbsp;</td>" if value is None else f"<td><p>{escape(str(value))}</p></td>"


def active_table(report: dict) -> str:
    template = report["meta"]["table_templates"]["active_disclosure"]
    data = report["active_disclosure"]
    rows = []
    for caption, headers, items in ACTIVE[template]:
        rows.append(f'<tr><td colspan="4">{caption}</td></tr>')
        span = 3 - len(headers)
        filler = f'<td colspan="{span}">&nbsp;</td>' if span else ""
        rows.append("<tr><td>信息内容</td>" + "".join(f"<td>{header}</td>" for header in headers) + filler + "</tr>")
        for label, key, fields in items:
            row = data[key]
            if all(row.get(name) is None for name in fields) and key == "fees" and template == "2021":
                continue  # seed 004 prints no 行政事业性收费 row at all
            rows.append(f"<tr><td>{label}</td>" + "".join(cell(row.get(name)) for name in fields) + "</tr>")
    return "<table border='1'>" + "".join(rows) + "</table>"


def requests_table(report: dict) -> str:
    template = report["meta"]["table_templates"]["requests"]
    data = report["requests"]
    values = lambda key: "".join(cell((data.get(key) or {}).get(column)) for column in COLUMNS)  # noqa: E731
    rows = ['<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
            '<td colspan="7">申请人情况</td></tr>',
            '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
            "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"]
    for key in ("new_received", "carried_over"):
        rows.append(f'<tr><td colspan="3">{REQUEST_LABELS[key]}</td>{values(key)}</tr>')
    leaves = 22 if template == "2021" else 20
    rows.append(f'<tr><td rowspan="{leaves}">三、本年度办理结果</td><td colspan="2">{REQUEST_LABELS["granted"]}</td>'
                f'{values("granted")}</tr>')
    rows.append(f'<tr><td colspan="2">{REQUEST_LABELS["partially_granted"]}</td>{values("partially_granted")}</tr>')
    keys = [key for key in REQUEST_LABELS if key.startswith(("denied", "unable", "unprocessed"))]
    groups = GROUPS + ([("（六）其他处理", 3)] if template == "2021" else [])
    if template == "2021":
        keys += ["other_overdue_correction", "other_unpaid_fee", "other_other"]
    position = 0
    for group, size in groups:
        for offset in range(size):
            key = keys[position]
            head = f'<td rowspan="{size}">{group}</td>' if offset == 0 else ""
            rows.append(f"<tr>{head}<td>{REQUEST_LABELS[key]}</td>{values(key)}</tr>")
            position += 1
    if template == "2019":
        rows.append(f'<tr><td colspan="2">（六）其他处理</td>{values("other_handling")}</tr>')
    rows.append(f'<tr><td colspan="2">（七）总计</td>{values("total_processed")}</tr>')
    rows.append(f'<tr><td colspan="3">{REQUEST_LABELS["carried_forward"]}</td>{values("carried_forward")}</tr>')
    return "<table border='1'>" + "".join(rows) + "</table>"


def review_table(report: dict) -> str:
    data = report["review_litigation"]
    results = "".join(f"<td>{name}</td>" for name in ("结果<br/>维持", "结果<br/>纠正", "其他<br/>结果", "尚未<br/>审结", "总计"))
    head = ('<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
            '<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td>'
            '<td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td>'
            f'<td colspan="5">复议后起诉</td></tr><tr>{results}{results}</tr>')
    cells = "".join(cell(data[block][name]) for block in ("review", "suit_direct", "suit_after_review")
                    for name in ("upheld", "corrected", "other", "pending", "total"))
    return f"<table border='1'>{head}<tr>{cells}</tr></table>"


TABLES = {"active_disclosure": active_table, "requests": requests_table, "review_litigation": review_table}


def render_page(report: dict) -> str:
    """A whole page: scripts, navigation, breadcrumbs and footer around the report body."""
    body = [f"<h1>{escape(report['meta']['title'] or '')}</h1>"]
    if report.get("preamble"):
        body += [f"<p>{escape(line)}</p>" for line in report["preamble"].splitlines()]
    for section in report["sections"]:
        body.append(f"<p><strong>{escape(section['heading'])}</strong></p>")
        if section["key"] in TABLES:
            body.append(TABLES[section["key"]](report))
        else:
            body += [f"<p>{escape(line)}</p>" for line in section["text"].splitlines()]
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>年度报告_政府网</title>"
            "<style>p{margin:0}</style><script>var a='一、总体情况';</script></head><body>"
            "<nav><a href='/'>首页</a> &gt; <a>政务公开</a> &gt; <a>2019年政府信息公开工作年度报告</a></nav>"
            "<div class='header'>当前位置：首页 &gt; 政府信息公开年报 分享到：</div>"
            f"<div class='main'><div class='article'>{''.join(body)}</div></div>"
            "<div class='related'>相关链接：<p>2018年政府信息公开工作年度报告</p><p>一、总体情况</p></div>"
            "<footer>网站地图 | 联系我们 主办：某某人民政府办公室 ICP备12345678号</footer></body></html>")
