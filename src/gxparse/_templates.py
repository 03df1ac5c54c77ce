"""The official report templates, as data.

This module is the one definition of the form: the keys, the official
labels, their order, the known deviant labels, and the invariants (勾稽关系).
The mapper, the validator, :meth:`Report.to_dict`, the CLI's messages, the
docs (``docs/schema.md`` is generated from it) and the test generators all
read it.

Two templates exist (see ``../shared/spec/report-schema.md``):

* ``"2021"`` — 国办公开办函〔2021〕30号, report years 2021 and later;
* ``"2019"`` — 国办公开办函〔2019〕60号, report years 2019 and 2020.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal

import attrs

__all__ = [
    "ActiveField",
    "ActiveItem",
    "AppColumn",
    "AppRow",
    "Equation",
    "ReviewColumn",
    "ReviewGroup",
    "SECTIONS",
    "TEMPLATES",
    "Template",
    "get_template",
]

FieldKind = Literal["count", "signed", "money"]
RowRole = Literal["input", "leaf", "group", "total", "output", "heading"]


@attrs.frozen
class ActiveField:
    key: str
    label: str
    kind: FieldKind = "count"
    aliases: tuple[str, ...] = ()


@attrs.frozen
class ActiveItem:
    """One row of the 主动公开 table: an item and the fields it carries."""

    key: str
    label: str
    clause: str  # the 第二十条 clause the item sits under, e.g. "（一）"
    fields: tuple[ActiveField, ...]
    aliases: tuple[str, ...] = ()


@attrs.frozen
class AppColumn:
    key: str
    label: str
    aliases: tuple[str, ...] = ()


@attrs.frozen
class AppRow:
    """One row of the 收到和处理政府信息公开申请 table.

    ``label`` is the official wording of the row (as the spec prints it);
    ``item`` is the row's own label without its group's label (what a cell
    of the row says); ``group`` is the key of the group row it belongs to.
    """

    key: str
    label: str
    item: str
    role: RowRole
    group: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def variants(self) -> tuple[str, ...]:
        return (self.item, *self.aliases)


@attrs.frozen
class ReviewColumn:
    key: str
    label: str


@attrs.frozen
class ReviewGroup:
    key: str
    label: str


@attrs.frozen
class Equation:
    """One instance of an invariant: ``sum(lhs) == sum(rhs)``.

    Cells are paths ``table/row/column``. ``where`` is the path a finding
    names (it may contain ``*``).
    """

    code: str
    where: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    description: str


# Memos of Template.equations and Template.field_kind (templates are immutable;
# the instance is kept beside its answer so that a reused id() cannot mislead).
_EQUATIONS: dict[tuple[int, frozenset[str], bool], tuple[Template, tuple[Equation, ...]]] = {}
_KINDS: dict[tuple[int, str], tuple[Template, FieldKind]] = {}


@attrs.frozen
class Template:
    id: str
    issued_by: str
    years: str
    active_items: tuple[ActiveItem, ...]
    app_rows: tuple[AppRow, ...]
    app_columns: tuple[AppColumn, ...]
    review_groups: tuple[ReviewGroup, ...]
    review_columns: tuple[ReviewColumn, ...]

    # -- lookups ------------------------------------------------------------
    def app_row(self, key: str) -> AppRow:
        for row in self.app_rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def active_item(self, key: str) -> ActiveItem:
        for item in self.active_items:
            if item.key == key:
                return item
        raise KeyError(key)

    @property
    def data_rows(self) -> tuple[AppRow, ...]:
        """Rows that always carry numbers (not group headings)."""
        return tuple(r for r in self.app_rows if r.role != "group" and r.role != "heading")

    @property
    def leaf_rows(self) -> tuple[AppRow, ...]:
        return tuple(r for r in self.app_rows if r.role == "leaf")

    def group_items(self, group: str) -> tuple[AppRow, ...]:
        return tuple(r for r in self.app_rows if r.group == group and r.role == "leaf")

    def label_of(self, path: str) -> str:
        """Official Chinese label of a path ``table/row/column`` (``*`` allowed)."""
        table, _, rest = path.partition("/")
        row, _, col = rest.partition("/")
        parts = [TABLE_LABELS.get(table, table)]
        if table == "applications":
            if row and row != "*":
                try:
                    parts.append(self.app_row(row).label)
                except KeyError:
                    parts.append(row)
            if col and col != "*":
                parts.append(next((c.label for c in self.app_columns if c.key == col), col))
        elif table == "reviews_and_litigation":
            if row and row != "*":
                parts.append(next((g.label for g in self.review_groups if g.key == row), row))
            if col and col != "*":
                parts.append(next((c.label for c in self.review_columns if c.key == col), col))
        elif table == "active_disclosure":
            if row and row != "*":
                try:
                    item = self.active_item(row)
                    parts.append(item.label)
                    if col and col != "*":
                        parts.append(next((f.label for f in item.fields if f.key == col), col))
                except KeyError:
                    parts.append(row)
        return " · ".join(parts)

    # -- invariants -----------------------------------------------------------
    def equations(self, present_groups: frozenset[str] = frozenset(),
                  collapsed_other: bool = False) -> list[Equation]:
        """All invariant instances for a report.

        ``present_groups``: group rows the document carries numbers for
        (their ``group-total`` is checked). ``collapsed_other``: a 2021
        report that gives （六）其他处理 as one row.
        """
        key = (id(self), present_groups, collapsed_other)
        hit = _EQUATIONS.get(key)
        if hit is None or hit[0] is not self:
            hit = _EQUATIONS[key] = (self, tuple(self._equations(present_groups, collapsed_other)))
        return list(hit[1])

    def _equations(self, present_groups: frozenset[str], collapsed_other: bool) -> list[Equation]:
        eqs: list[Equation] = []
        cols = [c.key for c in self.app_columns]
        value_cols = cols[:-1]
        leaves = [r.key for r in self.leaf_rows]
        other_items = [r.key for r in self.group_items("results.other")]
        if collapsed_other and other_items:
            # results.other stands for its sub-items in results-total.
            leaves_for_total = [k for k in leaves if k not in other_items] + ["results.other"]
        else:
            leaves_for_total = leaves
        for col in cols:
            eqs.append(Equation(
                "balance", f"applications/*/{col}",
                (f"applications/received_new/{col}", f"applications/carried_over/{col}"),
                (f"applications/results.total/{col}", f"applications/carried_forward/{col}"),
                "一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理",
            ))
        for col in cols:
            eqs.append(Equation(
                "results-total", f"applications/results.total/{col}",
                (f"applications/results.total/{col}",),
                tuple(f"applications/{k}/{col}" for k in leaves_for_total),
                "（七）总计 = 三、本年度办理结果 各项之和",
            ))
        row_keys = [r.key for r in self.data_rows]
        if collapsed_other:
            row_keys = [k for k in row_keys if k not in other_items]
            row_keys.insert(row_keys.index("results.total"), "results.other")
        for g in sorted(present_groups):
            if g not in row_keys:
                row_keys.append(g)
        for key in row_keys:
            eqs.append(Equation(
                "row-total", f"applications/{key}/total",
                (f"applications/{key}/total",),
                tuple(f"applications/{key}/{c}" for c in value_cols),
                "总计 = 自然人 + 法人或其他组织各列之和",
            ))
        # a collapsed （六）其他处理 still stands for its sub-items (derived from it where they can be)
        for g in sorted(present_groups | ({"results.other"} if collapsed_other else set())):
            items = [r.key for r in self.group_items(g)]
            if not items:
                continue
            for col in cols:
                eqs.append(Equation(
                    "group-total", f"applications/{g}/{col}",
                    (f"applications/{g}/{col}",),
                    tuple(f"applications/{k}/{col}" for k in items),
                    f"{self.app_row(g).label} = 其下各项之和",
                ))
        for grp in self.review_groups:
            eqs.append(Equation(
                "review-total", f"reviews_and_litigation/{grp.key}/total",
                (f"reviews_and_litigation/{grp.key}/total",),
                tuple(f"reviews_and_litigation/{grp.key}/{c.key}" for c in self.review_columns[:-1]),
                "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
            ))
        return eqs

    def field_kind(self, path: str) -> FieldKind:
        """``"count"``, ``"signed"`` or ``"money"``: how the value at ``path`` is read and checked."""
        key = (id(self), path)
        hit = _KINDS.get(key)
        if hit is None or hit[0] is not self:
            if len(_KINDS) > 50_000:  # only the form's own paths are expected; stay bounded anyway
                _KINDS.clear()
            hit = _KINDS[key] = (self, self._field_kind(path))
        return hit[1]

    def _field_kind(self, path: str) -> FieldKind:
        table, _, rest = path.partition("/")
        if table != "active_disclosure":
            return "count"
        item, _, field = rest.partition("/")
        try:
            return next(f.kind for f in self.active_item(item).fields if f.key == field)
        except (KeyError, StopIteration):
            return "count"

    def iter_paths(self) -> Iterator[str]:
        """Every cell path of the template in canonical order (leaf and total rows)."""
        for item in self.active_items:
            for f in item.fields:
                yield f"active_disclosure/{item.key}/{f.key}"
        for row in self.data_rows:
            for c in self.app_columns:
                yield f"applications/{row.key}/{c.key}"
        for g in self.review_groups:
            for rc in self.review_columns:
                yield f"reviews_and_litigation/{g.key}/{rc.key}"


TABLE_LABELS: Mapping[str, str] = {
    "active_disclosure": "主动公开政府信息情况",
    "applications": "收到和处理政府信息公开申请情况",
    "reviews_and_litigation": "政府信息公开行政复议、行政诉讼情况",
}

# ---------------------------------------------------------------------------
# Applications table (shared by both templates, except （六）其他处理).
# ---------------------------------------------------------------------------

APP_COLUMNS = (
    AppColumn("natural_person", "自然人"),
    AppColumn("commercial_enterprise", "商业企业"),
    AppColumn("research_institution", "科研机构"),
    AppColumn("social_welfare_org", "社会公益组织"),
    AppColumn("legal_service_org", "法律服务机构"),
    AppColumn("other_org", "其他"),
    AppColumn("total", "总计"),
)


def _rows(other_rows: tuple[AppRow, ...]) -> tuple[AppRow, ...]:
    return (
        AppRow("received_new", "一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量", "input"),
        AppRow("carried_over", "二、上年结转政府信息公开申请数量", "上年结转政府信息公开申请数量", "input"),
        AppRow("results", "三、本年度办理结果", "本年度办理结果", "heading"),
        AppRow("results.disclosed", "三、本年度办理结果 （一）予以公开", "予以公开", "leaf", "results"),
        AppRow("results.partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
               "部分公开(区分处理的,只计这一情形,不计其他情形)", "leaf", "results",
               aliases=("部分公开",)),
        AppRow("results.withheld", "（三）不予公开", "不予公开", "group", "results"),
        AppRow("results.withheld.state_secret", "（三）不予公开 1.属于国家秘密", "属于国家秘密", "leaf",
               "results.withheld"),
        AppRow("results.withheld.prohibited_by_law", "2.其他法律行政法规禁止公开", "其他法律行政法规禁止公开", "leaf",
               "results.withheld"),
        AppRow("results.withheld.security_stability", "3.危及“三安全一稳定”", '危及"三安全一稳定"', "leaf",
               "results.withheld", aliases=("危及三安全一稳定",)),
        AppRow("results.withheld.third_party_rights", "4.保护第三方合法权益", "保护第三方合法权益", "leaf",
               "results.withheld"),
        AppRow("results.withheld.internal_affairs", "5.属于三类内部事务信息", "属于三类内部事务信息", "leaf",
               "results.withheld"),
        AppRow("results.withheld.process_information", "6.属于四类过程性信息", "属于四类过程性信息", "leaf",
               "results.withheld"),
        AppRow("results.withheld.enforcement_case_files", "7.属于行政执法案卷", "属于行政执法案卷", "leaf",
               "results.withheld"),
        AppRow("results.withheld.administrative_query", "8.属于行政查询事项", "属于行政查询事项", "leaf",
               "results.withheld"),
        AppRow("results.unavailable", "（四）无法提供", "无法提供", "group", "results"),
        AppRow("results.unavailable.not_held", "（四）无法提供 1.本机关不掌握相关政府信息", "本机关不掌握相关政府信息",
               "leaf", "results.unavailable"),
        AppRow("results.unavailable.needs_creation", "2.没有现成信息需要另行制作", "没有现成信息需要另行制作", "leaf",
               "results.unavailable"),
        AppRow("results.unavailable.unclear_after_correction", "3.补正后申请内容仍不明确", "补正后申请内容仍不明确",
               "leaf", "results.unavailable"),
        AppRow("results.not_processed", "（五）不予处理", "不予处理", "group", "results"),
        AppRow("results.not_processed.petition_complaint", "（五）不予处理 1.信访举报投诉类申请", "信访举报投诉类申请",
               "leaf", "results.not_processed"),
        AppRow("results.not_processed.duplicate", "2.重复申请", "重复申请", "leaf", "results.not_processed"),
        AppRow("results.not_processed.publication", "3.要求提供公开出版物", "要求提供公开出版物", "leaf",
               "results.not_processed"),
        AppRow("results.not_processed.excessive_repeated", "4.无正当理由大量反复申请", "无正当理由大量反复申请", "leaf",
               "results.not_processed"),
        AppRow("results.not_processed.confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息",
               "要求行政机关确认或重新出具已获取信息", "leaf", "results.not_processed"),
        *other_rows,
        AppRow("results.total", "（七）总计", "总计", "total", "results"),
        AppRow("carried_forward", "四、结转下年度继续办理", "结转下年度继续办理", "output"),
    )


_OTHER_2021 = (
    AppRow("results.other", "（六）其他处理", "其他处理", "group", "results"),
    AppRow("results.other.overdue_correction",
           "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
           "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "leaf", "results.other"),
    AppRow("results.other.overdue_fee",
           "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
           "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "leaf", "results.other"),
    AppRow("results.other.other", "3.其他", "其他", "leaf", "results.other"),
)
_OTHER_2019 = (AppRow("results.other", "（六）其他处理", "其他处理", "leaf", "results"),)

REVIEW_GROUPS = (
    ReviewGroup("administrative_review", "行政复议"),
    ReviewGroup("litigation_direct", "行政诉讼·未经复议直接起诉"),
    ReviewGroup("litigation_after_review", "行政诉讼·复议后起诉"),
)
REVIEW_COLUMNS = (
    ReviewColumn("upheld", "结果维持"),
    ReviewColumn("corrected", "结果纠正"),
    ReviewColumn("other", "其他结果"),
    ReviewColumn("pending", "尚未审结"),
    ReviewColumn("total", "总计"),
)

_DOC_FIELDS_2021 = (
    ActiveField("issued", "本年制发件数", aliases=("本年制作件数", "本年新制发件数")),
    ActiveField("repealed", "本年废止件数", aliases=("本年度止件数", "本年废址件数")),
    ActiveField("in_force", "现行有效件数"),
)
_DECISIONS = (ActiveField("decisions", "本年处理决定数量", aliases=("处理决定数量",)),)

TEMPLATE_2021 = Template(
    id="2021",
    issued_by="国办公开办函〔2021〕30号",
    years="2021 and later",
    active_items=(
        ActiveItem("regulations", "规章", "（一）", _DOC_FIELDS_2021),
        ActiveItem("normative_documents", "行政规范性文件", "（一）", _DOC_FIELDS_2021, aliases=("规范性文件",)),
        ActiveItem("licensing", "行政许可", "（五）", _DECISIONS),
        ActiveItem("penalty", "行政处罚", "（六）", _DECISIONS),
        ActiveItem("coercion", "行政强制", "（六）", _DECISIONS),
        ActiveItem("fees", "行政事业性收费", "（八）",
                   (ActiveField("amount_10k_yuan", "本年收费金额（单位：万元）", "money", aliases=("本年收费金额",)),)),
    ),
    app_rows=_rows(_OTHER_2021),
    app_columns=APP_COLUMNS,
    review_groups=REVIEW_GROUPS,
    review_columns=REVIEW_COLUMNS,
)

_DOC_FIELDS_2019 = (
    ActiveField("made", "本年新制作数量"),
    ActiveField("published", "本年新公开数量"),
    ActiveField("total_published", "对外公开总数量"),
)
_ITEM_FIELDS_2019 = (
    ActiveField("previous_items", "上一年项目数量"),
    ActiveField("change", "本年增/减", "signed", aliases=("本年增减",)),
    ActiveField("decisions", "处理决定数量", aliases=("本年处理决定数量",)),
)

TEMPLATE_2019 = Template(
    id="2019",
    issued_by="国办公开办函〔2019〕60号",
    years="2019 and 2020",
    active_items=(
        ActiveItem("regulations", "规章", "（一）", _DOC_FIELDS_2019),
        ActiveItem("normative_documents", "规范性文件", "（一）", _DOC_FIELDS_2019, aliases=("行政规范性文件",)),
        ActiveItem("licensing", "行政许可", "（五）", _ITEM_FIELDS_2019),
        ActiveItem("other_services", "其他对外管理服务事项", "（五）", _ITEM_FIELDS_2019),
        ActiveItem("penalty", "行政处罚", "（六）", _ITEM_FIELDS_2019),
        ActiveItem("coercion", "行政强制", "（六）", _ITEM_FIELDS_2019),
        ActiveItem("fees", "行政事业性收费", "（八）", _ITEM_FIELDS_2019[:2]),
        ActiveItem("procurement", "政府集中采购", "（九）", (
            ActiveField("items", "采购项目数量"),
            ActiveField("amount", "采购总金额", "money"),
        )),
    ),
    app_rows=_rows(_OTHER_2019),
    app_columns=APP_COLUMNS,
    review_groups=REVIEW_GROUPS,
    review_columns=REVIEW_COLUMNS,
)

TEMPLATES: Mapping[str, Template] = {"2021": TEMPLATE_2021, "2019": TEMPLATE_2019}

#: Column-header words that mark the active-disclosure table of each template.
ACTIVE_HEADER_MARKS: Mapping[str, tuple[str, ...]] = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "采购项目数量",
             "采购总金额"),
}


@attrs.frozen
class SectionKind:
    key: str
    title: str
    #: Normalised keywords; a heading whose text contains all words of any one
    #: tuple is this section.
    keywords: tuple[tuple[str, ...], ...]


SECTIONS: tuple[SectionKind, ...] = (
    SectionKind("overview", "总体情况", (("总体情况",), ("概述",), ("基本情况",))),
    SectionKind("active_disclosure", "主动公开政府信息情况", (("主动公开", "情况"),)),
    SectionKind("applications", "收到和处理政府信息公开申请情况",
                (("收到", "申请"), ("处理", "申请", "情况"), ("依申请公开", "情况"))),
    SectionKind("reviews_and_litigation", "政府信息公开行政复议、行政诉讼情况",
                (("复议",), ("行政诉讼",))),
    SectionKind("problems", "存在的主要问题及改进情况", (("问题",), ("改进",), ("整改",))),
    SectionKind("other_matters", "其他需要报告的事项", (("其他", "报告", "事项"), ("其他需要报告",))),
    SectionKind("key_work", "重点工作落实情况", (("重点工作",),)),
)


def get_template(template_id: str) -> Template:
    try:
        return TEMPLATES[template_id]
    except KeyError:
        raise KeyError(f"unknown template {template_id!r} (known: {', '.join(TEMPLATES)})") from None
