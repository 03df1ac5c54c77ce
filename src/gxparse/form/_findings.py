"""The finding codes of the spec: each code's severity, meaning and message templates.

Every finding gxparse raises about a report is made here, from its code::

    LABEL_VARIANT.make("applications/results.disclosed", "row",
                       {"found": "予以公开信息", "official": "（一）予以公开"})

The message is the code's template (named ``"row"``) filled from the evidence
and any extra fields; the severity comes from the code. ``docs/schema.md``
lists the codes from :data:`FINDING_CODES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .._report import SEVERITIES, Finding, Severity

__all__ = ["CODES", "FINDING_CODES", "REASONS", "FindingCode", "by_severity", "severity_rank"]


@attrs.frozen
class FindingCode:
    """A kind of finding: ``code``, ``severity``, what it means, and its message templates.

    ``messages`` maps a template's name to a :meth:`str.format` template.
    """

    code: str
    severity: Severity
    meaning: str
    messages: Mapping[str, str] = attrs.field(factory=dict)

    def make(self, where: str, message: str, evidence: Mapping[str, Any] | None = None, **fields: Any) -> Finding:
        """A :class:`Finding` of this code at ``where``.

        ``message`` names one of the code's templates; it is filled from
        ``evidence`` and ``fields`` (fields that are not evidence). Raises
        KeyError for an unknown template name or a field the template lacks.
        """
        evidence = dict(evidence or {})
        text = self.messages[message].format_map({**evidence, **fields})
        return Finding(self.code, self.severity, where, text, evidence)


def severity_rank(severity: str) -> int:
    """0 for ``error``, 1 for ``warning``, 2 for ``info``; raises KeyError for anything else."""
    return _RANK[severity]


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """The findings, most severe first (stable: findings of one severity keep their order)."""
    return sorted(findings, key=lambda f: _RANK[f.severity])


_RANK = {s: i for i, s in enumerate(SEVERITIES)}

_TOTAL_MESSAGE = "{label}：原文为 {left}，各项之和为 {right}，相差 {difference}"
#: the same, when the total is not printed but derived (原文为 would say the report printed it)
_DERIVED_TOTAL_MESSAGE = "{label}：原文没有这一数，由其他勾稽关系推出为 {left}，各项之和为 {right}，相差 {difference}"

BALANCE = FindingCode(
    "balance", "error", "一、本年新收 + 二、上年结转 ≠ （七）总计 + 四、结转下年度继续办理, in one column",
    {"violation": "{label}：一、本年新收 + 二、上年结转 = {left}，（七）总计 + 四、结转下年度继续办理 = {right}，相差 {difference}"})
RESULTS_TOTAL = FindingCode(
    "results-total", "error", "（七）总计 ≠ the sum of the 三、本年度办理结果 leaves, in one column",
    {"violation": _TOTAL_MESSAGE, "violation-derived": _DERIVED_TOTAL_MESSAGE})
ROW_TOTAL = FindingCode("row-total", "error", "a row's 总计 ≠ the sum of its six other columns",
                        {"violation": _TOTAL_MESSAGE, "violation-derived": _DERIVED_TOTAL_MESSAGE})
REVIEW_TOTAL = FindingCode("review-total", "error", "a 行政复议/行政诉讼 group's 总计 ≠ 维持 + 纠正 + 其他 + 尚未审结",
                           {"violation": _TOTAL_MESSAGE, "violation-derived": _DERIVED_TOTAL_MESSAGE})
GROUP_TOTAL = FindingCode("group-total", "error",
                          "a group row that carries numbers (（三）不予公开 …) ≠ the sum of its items",
                          {"violation": _TOTAL_MESSAGE, "violation-derived": _DERIVED_TOTAL_MESSAGE})
NEGATIVE_COUNT = FindingCode("negative-count", "error", "a count below 0 (本年增/减 excepted)",
                             {"cell": "{label} 为负数 {shown}"})
MISSING_TABLE = FindingCode("missing-table", "error", "one of the three tables was not found; the table is null",
                            {"table": "没有找到「{label}」表"})
MISSING_VALUE = FindingCode(
    "missing-value", "warning", "a value the document does not give and no invariant determines; it is null",
    {"row": "{label}：整行为空值（{reason}）", "cell": "{label}：空值（{reason}）"})
EXTRA_CELLS = FindingCode(
    "extra-cells", "warning", "a row carries more numbers than the template has columns",
    {"item": "「{label}」一行有 {n} 个数值，模板只有 {k} 列，无法确定对应关系",
     "subtotal": "「{label}」一行有 {n} 个数值，比模板多一列；多出的「{first}」是法人或其他组织的小计，已略去",
     "dropped": "「{label}」一行有 {n} 个数值，比模板多一列；无论略去哪一个「{first}」结果都一样，已略去",
     "row": "「{label}」一行的数值比模板多，无法确定对应关系，整行作空值",
     "table-dropped": "{label}有 {n} 个数值，比模板多 {m} 个；无论略去哪几个「{shown}」结果都一样，已略去",
     "table": "{label}有 {n} 个数值，模板有 {k} 列，无法确定对应关系，整表作空值"})
UNKNOWN_ROW = FindingCode("unknown-row", "warning", "a row with numbers that matches no row of the template",
                          {"row": "无法对应到模板的一行：「{label}」"})
TEMPLATE_DEVIATION = FindingCode(
    "template-deviation", "warning",
    "the report departs from its template (e.g. （六）其他处理 as one row on the 2021 form)",
    {"collapsed": "（六）其他处理只有一行，没有按 2021 年格式分为三项；三项各自的数值原文没有，只能由勾稽关系推出，推不出的为空"})
PERIOD_MISMATCH = FindingCode("period-mismatch", "warning",
                              "the statistics period is not the report year's calendar year",
                              {"period": "统计期限 {period_start} 至 {period_end} 不是报告年度 {year} 的自然年"})
NARRATIVE_MISMATCH = FindingCode("narrative-mismatch", "warning",
                                 "a count stated in the prose (收到申请N件) differs from the table",
                                 {"received": "正文说收到申请 {narrative} 件，表中一、本年新收总计为 {table}"})
UNREADABLE = FindingCode("unreadable", "warning", "something the adapter or mapper could not read, with where",
                         {"not-whole": "{label}：「{shown}」不是整数，作空值",
                          "numbers": "{label}：「{shown}」一格里不止一个数，作空值",
                          "mark": "{label}：「{shown}」带有注记，不能确定哪些是数值的数字，作空值",
                          "period": "正文写了统计期限，但读不出起止日期：「{shown}」"})
LABEL_VARIANT = FindingCode("label-variant", "info", "a deviant label was mapped (本年度止件数 → 本年废止件数)",
                            {"row": "「{found}」读作「{official}」", "header": "表头「{found}」读作「{official}」"})
DERIVED_VALUE = FindingCode(
    "derived-value", "info", "a blank value filled from an invariant (its path is in `derived`)",
    {"cell": "{label}：{why}，按「{description}」推出为 {shown}",
     "placement": "{label}：一行少了数值，本行总计允许几种放法；按其他勾稽关系只有一种放法最相符，已采用"})
REPEATED_ROW = FindingCode(
    "repeated-row", "error", "a template row printed twice (a 续表, a second copy of the table) with different values; "
                             "`evidence` holds both places and values; the value is kept only where both agree",
    {"row": "「{label}」印了两次（{at}），数值不同：{pairs}；不同的数值两处都不取"})
TEMPLATE_MISMATCH = FindingCode("template-mismatch", "error",
                                "a template forced by the caller contradicts the tables' own headers",
                                {"forced": "指定按 {forced} 年格式读取，但表头是 {headers} 年格式（{words}）；"
                                           "按指定格式读出的数值可能对应到错误的栏目"})
HIDDEN_TEXT = FindingCode(
    "hidden-text", "info", "text a reader cannot see (white on white, covered by a later fill, invisible render mode, "
                           "hidden Word text) was not read; `where` names the page or part")
FOOTNOTE_MARK = FindingCode("footnote-mark", "info",
                            "a footnote or reference mark (`<sup>1</sup>`, ¹, ①, `*`) was removed from a cell's number",
                            {"cell": "{label}：「{shown}」中的上标「{mark}」是注记，不是数值的一部分，读作 {number}"})
CONVERTED = FindingCode("converted", "info", "the document was read through a conversion (a .doc through LibreOffice); "
                                             "`evidence` names the converter and its version")
CARRY_OVER_MISMATCH = FindingCode("carry-over-mismatch", "warning",
                                  "across a corpus: this year's 上年结转 ≠ the agency's 结转下年度 of the year before")
DUPLICATE_REPORT = FindingCode("duplicate-report", "warning",
                               "across a corpus: the same agency and year appear twice with different numbers")

#: Why a row's values could not be placed: the reason a ``missing-value`` finding gives.
REASONS: Mapping[str, str] = {
    "item-short": "一行只有 {n} 个数值，模板有 {k} 列，无法确定缺了哪一列",
    "ambiguous": "一行少了数值，几种放法都与本行总计相符，无法确定缺的是哪一列",
    "unplaceable": "一行少了数值，没有一种放法与本行总计相符",
    "table": "表中有 {n} 个数值，模板有 {k} 列，无法确定对应关系",
}

#: Every code of the spec, in the order ``docs/schema.md`` lists them.
FINDING_CODES: tuple[FindingCode, ...] = (
    BALANCE, RESULTS_TOTAL, ROW_TOTAL, REVIEW_TOTAL, GROUP_TOTAL, NEGATIVE_COUNT, MISSING_TABLE,
    MISSING_VALUE, EXTRA_CELLS, UNKNOWN_ROW, TEMPLATE_DEVIATION, PERIOD_MISMATCH, NARRATIVE_MISMATCH, UNREADABLE,
    LABEL_VARIANT, DERIVED_VALUE, REPEATED_ROW, TEMPLATE_MISMATCH, HIDDEN_TEXT, FOOTNOTE_MARK, CONVERTED,
    CARRY_OVER_MISMATCH, DUPLICATE_REPORT,
)

#: The code of each rule of the form's arithmetic, by its code text.
CODES: Mapping[str, FindingCode] = {c.code: c for c in FINDING_CODES}
