"""The words of the report around its tables: the version names, the six sections and their
heading keywords, the pre-2019 topics, and the markers that tell the formats apart (FORMAT.md §2,
§8). The tables themselves are in national.py."""
from __future__ import annotations

import re

TEMPLATE_2021 = "2021"
TEMPLATE_2019 = "2019"
TEMPLATE_PRE2019 = "pre2019"
TEMPLATE_UNKNOWN = "unknown"

# Words of captions and column headers: a row label never goes on past them.
TABLE_HEADER_MARKERS = ("第二十条", "信息内容", "申请人情况")
REVIEW_HEADER_WORDS = ("复议", "诉讼", "维持", "纠正", "审结", "起诉")  # words of table 四's header

# --- the six sections -----------------------------------------------------------------------------
SECTION_KEYS = ("overview", "active_disclosure", "requests", "review_litigation", "problems", "other_matters")
SECTION_NUMERALS = ("一", "二", "三", "四", "五", "六")
SECTION_TITLES = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况",
                  "存在的主要问题及改进情况", "其他需要报告的事项")  # as the 2021 template prints them
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
