"""The official form, declared once: the 2019 and 2021 editions and the report's sections.

Two editions exist (see ``../shared/spec/report-schema.md``):

* ``"2021"`` — 国办公开办函〔2021〕30号, report years 2021 and later;
* ``"2019"`` — 国办公开办函〔2019〕60号, report years 2019 and 2020.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._spec import (
    Balance,
    Column,
    ColumnGroup,
    GrandTotal,
    GroupTotal,
    Layout,
    Role,
    Row,
    RowTotal,
    SectionKind,
    TableRule,
    TableSpec,
    Template,
)

__all__ = ["DEFAULT_TEMPLATE", "SECTIONS", "SECTION_ORDER", "TABLE_LABELS", "TEMPLATES", "TEMPLATE_2019",
           "TEMPLATE_2021"]

ACTIVE, APPLICATIONS, REVIEWS = "active_disclosure", "applications", "reviews_and_litigation"

TABLE_LABELS: Mapping[str, str] = {
    ACTIVE: "主动公开政府信息情况",
    APPLICATIONS: "收到和处理政府信息公开申请情况",
    REVIEWS: "政府信息公开行政复议、行政诉讼情况",
}

# ---------------------------------------------------------------------------
# 收到和处理政府信息公开申请 (both editions, except （六）其他处理)
# ---------------------------------------------------------------------------

APP_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial_enterprise", "商业企业"),
    Column("research_institution", "科研机构"),
    Column("social_welfare_org", "社会公益组织"),
    Column("legal_service_org", "法律服务机构"),
    Column("other_org", "其他"),
    Column("total", "总计"),
)
#: the header's 法人或其他组织 over five columns; a report may print their 小计 as a column of its own
_LEGAL_PERSONS = ColumnGroup("法人或其他组织", ("commercial_enterprise", "research_institution", "social_welfare_org",
                                                "legal_service_org", "other_org"))

ITEM, GROUP, TOTAL = Role.ITEM, Role.GROUP_TOTAL, Role.GRAND_TOTAL


def _app_rows(other_rows: tuple[Row, ...]) -> tuple[Row, ...]:
    return (
        Row("received_new", "一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量", Role.INFLOW),
        Row("carried_over", "二、上年结转政府信息公开申请数量", "上年结转政府信息公开申请数量", Role.INFLOW),
        Row("results", "三、本年度办理结果", "本年度办理结果", Role.HEADING),
        Row("results.disclosed", "三、本年度办理结果 （一）予以公开", "予以公开", ITEM, "results"),
        Row("results.partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "部分公开(区分处理的,只计这一情形,不计其他情形)", ITEM, "results", aliases=("部分公开",)),
        Row("results.withheld", "（三）不予公开", "不予公开", GROUP, "results"),
        Row("results.withheld.state_secret", "（三）不予公开 1.属于国家秘密", "属于国家秘密", ITEM, "results.withheld"),
        Row("results.withheld.prohibited_by_law", "2.其他法律行政法规禁止公开", "其他法律行政法规禁止公开", ITEM,
            "results.withheld"),
        Row("results.withheld.security_stability", "3.危及“三安全一稳定”", '危及"三安全一稳定"', ITEM,
            "results.withheld", aliases=("危及三安全一稳定",)),
        Row("results.withheld.third_party_rights", "4.保护第三方合法权益", "保护第三方合法权益", ITEM,
            "results.withheld"),
        Row("results.withheld.internal_affairs", "5.属于三类内部事务信息", "属于三类内部事务信息", ITEM,
            "results.withheld"),
        Row("results.withheld.process_information", "6.属于四类过程性信息", "属于四类过程性信息", ITEM,
            "results.withheld"),
        Row("results.withheld.enforcement_case_files", "7.属于行政执法案卷", "属于行政执法案卷", ITEM,
            "results.withheld"),
        Row("results.withheld.administrative_query", "8.属于行政查询事项", "属于行政查询事项", ITEM,
            "results.withheld"),
        Row("results.unavailable", "（四）无法提供", "无法提供", GROUP, "results"),
        Row("results.unavailable.not_held", "（四）无法提供 1.本机关不掌握相关政府信息", "本机关不掌握相关政府信息",
            ITEM, "results.unavailable"),
        Row("results.unavailable.needs_creation", "2.没有现成信息需要另行制作", "没有现成信息需要另行制作", ITEM,
            "results.unavailable"),
        Row("results.unavailable.unclear_after_correction", "3.补正后申请内容仍不明确", "补正后申请内容仍不明确",
            ITEM, "results.unavailable"),
        Row("results.not_processed", "（五）不予处理", "不予处理", GROUP, "results"),
        Row("results.not_processed.petition_complaint", "（五）不予处理 1.信访举报投诉类申请", "信访举报投诉类申请",
            ITEM, "results.not_processed"),
        Row("results.not_processed.duplicate", "2.重复申请", "重复申请", ITEM, "results.not_processed"),
        Row("results.not_processed.publication", "3.要求提供公开出版物", "要求提供公开出版物", ITEM,
            "results.not_processed"),
        Row("results.not_processed.excessive_repeated", "4.无正当理由大量反复申请", "无正当理由大量反复申请", ITEM,
            "results.not_processed"),
        Row("results.not_processed.confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息",
            "要求行政机关确认或重新出具已获取信息", ITEM, "results.not_processed"),
        *other_rows,
        Row("results.total", "（七）总计", "总计", TOTAL, "results"),
        Row("carried_forward", "四、结转下年度继续办理", "结转下年度继续办理", Role.OUTFLOW),
    )


_OTHER_2021 = (
    Row("results.other", "（六）其他处理", "其他处理", GROUP, "results"),
    Row("results.other.overdue_correction",
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ITEM, "results.other"),
    Row("results.other.overdue_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ITEM, "results.other"),
    Row("results.other.other", "3.其他", "其他", ITEM, "results.other"),
)
_OTHER_2019 = (Row("results.other", "（六）其他处理", "其他处理", ITEM, "results"),)

#: the arithmetic of the applications table, in the order its findings are listed
_APP_RULES: tuple[TableRule, ...] = (
    Balance("balance", ("received_new", "carried_over"), ("results.total", "carried_forward"),
            "一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理"),
    GrandTotal("results-total", "results.total", "（七）总计 = 三、本年度办理结果 各项之和"),
    RowTotal("row-total", "total", "总计 = 自然人 + 法人或其他组织各列之和"),
    GroupTotal("group-total", "{label} = 其下各项之和"),
)
#: words that open the applications table: its header (申请人情况 / 自然人) or its first row
_APP_ANCHORS = ("申请人情况", "自然人", "勾稽关系", "本年新收")


def _applications(other_rows: tuple[Row, ...], collapsible: str | None) -> TableSpec:
    return TableSpec(APPLICATIONS, TABLE_LABELS[APPLICATIONS], _app_rows(other_rows), APP_COLUMNS, _APP_RULES,
                     anchors=_APP_ANCHORS, collapsible=collapsible, column_groups=(_LEGAL_PERSONS,))


# ---------------------------------------------------------------------------
# 政府信息公开行政复议、行政诉讼 (both editions): three groups of five columns, printed in one row
# ---------------------------------------------------------------------------

REVIEWS_TABLE = TableSpec(
    REVIEWS, TABLE_LABELS[REVIEWS],
    rows=(
        Row("administrative_review", "行政复议"),
        Row("litigation_direct", "行政诉讼·未经复议直接起诉"),
        Row("litigation_after_review", "行政诉讼·复议后起诉"),
    ),
    columns=(
        Column("upheld", "结果维持"),
        Column("corrected", "结果纠正"),
        Column("other", "其他结果"),
        Column("pending", "尚未审结"),
        Column("total", "总计"),
    ),
    rules=(RowTotal("review-total", "total", "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"),),
    layout=Layout.ONE_ROW,
    anchors=("行政复议", "复议后起诉"),
    # the section after the table: 五、存在的主要问题… (or its words without the number)
    ends_at=r"^(?:[五六七八]、|存在的主要问题|其他需要报告|主要问题)",
    short_label="行政复议、行政诉讼表",
)

# ---------------------------------------------------------------------------
# 主动公开政府信息情况: items of 第二十条, each with fields of its own
# ---------------------------------------------------------------------------

_DOC_FIELDS_2021 = (
    Column("issued", "本年制发件数", aliases=("本年制作件数", "本年新制发件数")),
    Column("repealed", "本年废止件数", aliases=("本年度止件数", "本年废址件数")),
    Column("in_force", "现行有效件数"),
)
_DECISIONS = (Column("decisions", "本年处理决定数量", aliases=("处理决定数量",)),)


def _item(key: str, label: str, clause: str, fields: tuple[Column, ...], aliases: tuple[str, ...] = ()) -> Row:
    return Row(key, label, aliases=aliases, columns=fields, clause=clause)


_ACTIVE_2021 = TableSpec(ACTIVE, TABLE_LABELS[ACTIVE], (
    _item("regulations", "规章", "（一）", _DOC_FIELDS_2021),
    _item("normative_documents", "行政规范性文件", "（一）", _DOC_FIELDS_2021, aliases=("规范性文件",)),
    _item("licensing", "行政许可", "（五）", _DECISIONS),
    _item("penalty", "行政处罚", "（六）", _DECISIONS),
    _item("coercion", "行政强制", "（六）", _DECISIONS),
    _item("fees", "行政事业性收费", "（八）",
          (Column("amount_10k_yuan", "本年收费金额（单位：万元）", "money", aliases=("本年收费金额",)),)),
))

_DOC_FIELDS_2019 = (
    Column("made", "本年新制作数量"),
    Column("published", "本年新公开数量"),
    Column("total_published", "对外公开总数量"),
)
_ITEM_FIELDS_2019 = (
    Column("previous_items", "上一年项目数量"),
    Column("change", "本年增/减", "signed", aliases=("本年增减",)),
    Column("decisions", "处理决定数量", aliases=("本年处理决定数量",)),
)

_ACTIVE_2019 = TableSpec(ACTIVE, TABLE_LABELS[ACTIVE], (
    _item("regulations", "规章", "（一）", _DOC_FIELDS_2019),
    _item("normative_documents", "规范性文件", "（一）", _DOC_FIELDS_2019, aliases=("行政规范性文件",)),
    _item("licensing", "行政许可", "（五）", _ITEM_FIELDS_2019),
    _item("other_services", "其他对外管理服务事项", "（五）", _ITEM_FIELDS_2019),
    _item("penalty", "行政处罚", "（六）", _ITEM_FIELDS_2019),
    _item("coercion", "行政强制", "（六）", _ITEM_FIELDS_2019),
    _item("fees", "行政事业性收费", "（八）", _ITEM_FIELDS_2019[:2]),
    _item("procurement", "政府集中采购", "（九）", (
        Column("items", "采购项目数量"),
        Column("amount", "采购总金额", "money", unit_printed=True),
    )),
))

# ---------------------------------------------------------------------------
# the editions
# ---------------------------------------------------------------------------

TEMPLATE_2021 = Template(
    id="2021",
    issued_by="国办公开办函〔2021〕30号",
    years="2021 and later",
    tables=(_ACTIVE_2021, _applications(_OTHER_2021, "results.other"), REVIEWS_TABLE),
    header_words=("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
)

TEMPLATE_2019 = Template(
    id="2019",
    issued_by="国办公开办函〔2019〕60号",
    years="2019 and 2020",
    tables=(_ACTIVE_2019, _applications(_OTHER_2019, None), REVIEWS_TABLE),
    header_words=("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "采购项目数量",
                  "采购总金额"),
)

TEMPLATES: Mapping[str, Template] = {"2021": TEMPLATE_2021, "2019": TEMPLATE_2019}

#: The edition a document is read on when nothing in it tells the editions apart: the newest
#: (its applications table has every row of the older one, and more).
DEFAULT_TEMPLATE = "2021"

# ---------------------------------------------------------------------------
# the report's sections
# ---------------------------------------------------------------------------

SECTIONS: tuple[SectionKind, ...] = (
    SectionKind("overview", "总体情况", (("总体情况",), ("概述",), ("基本情况",))),
    SectionKind("active_disclosure", "主动公开政府信息情况", (("主动公开", "情况"),)),
    SectionKind("applications", "收到和处理政府信息公开申请情况",
                (("收到", "申请"), ("处理", "申请", "情况"), ("依申请公开", "情况"))),
    SectionKind("reviews_and_litigation", "政府信息公开行政复议、行政诉讼情况",
                (("复议",), ("行政诉讼",))),
    SectionKind("problems", "存在的主要问题及改进情况", (("问题",), ("改进",), ("整改",))),
    SectionKind("other_matters", "其他需要报告的事项", (("其他", "报告", "事项"), ("其他需要报告",))),
    SectionKind("key_work", "重点工作落实情况", (("重点工作",),), ordered=False),
)

#: The keys of the sections that have a fixed place, in the form's order.
SECTION_ORDER: tuple[str, ...] = tuple(s.key for s in SECTIONS if s.ordered)
