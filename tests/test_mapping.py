"""The mapper: records, column placement, and what the whole pipeline makes of a report.

Row alignment, label variants and template detection are held by the golden mapping fixtures
(tests/fixtures/mapping/, test_mapping_fixtures.py), where the regression tests of typo labels,
unknown rows and header words broken over lines moved."""

from __future__ import annotations

from typing import ClassVar

import pytest

import gxparse
from gxparse import Document, Paragraph, Table
from gxparse._mapping import Fit, RowSums, map_records, place_grid, place_sequential
from gxparse._normalize import parse_value
from gxparse._records import RCell, build_records


def tok(text, col=None):
    v = parse_value(text)
    return RCell(text, v, False, 0, 0, col, 1, None, col is not None)


def toks(*texts):
    return [tok(t) for t in texts]


def nums(p):
    return [None if c is None else (c.value.number if c.value.kind == "number" else c.text) for c in p.cells]


RULE = RowSums.total_last(7)


class TestPlaceSequential:
    def test_exact(self):
        p = place_sequential(toks("1", "0", "0", "0", "0", "2", "3"), 7, RULE)
        assert nums(p) == [1, 0, 0, 0, 0, 2, 3] and p.fit is Fit.EXACT

    def test_padding_blanks_trimmed(self):
        p = place_sequential(toks("", "3", "0", "0", "0", "0", "0", "3", "", ""), 7, RULE)
        assert nums(p) == [3, 0, 0, 0, 0, 0, 3]

    def test_blank_total_kept_in_position(self):
        p = place_sequential(toks("62", "5", "119", "1", "12", "64", ""), 7, RULE)
        assert nums(p) == [62, 5, 119, 1, 12, 64, ""]

    def test_missing_total_is_the_only_consistent_placement(self):
        p = place_sequential(toks("62", "5", "119", "1", "12", "64"), 7, RULE)
        assert nums(p) == [62, 5, 119, 1, 12, 64, None] and p.fit is Fit.SHORT

    def test_all_zero_row_with_a_cell_missing(self):
        p = place_sequential(toks(*["0"] * 6), 7, RULE)
        assert nums(p) == [0, 0, 0, 0, 0, 0, None]

    def test_ambiguous_short_row_is_not_placed(self):
        # 3 0 0 0 0 3: 其他=3 and 总计 missing, or a column missing and 总计=3
        p = place_sequential(toks("3", "0", "0", "0", "0", "3"), 7, RULE)
        assert p.fit is Fit.AMBIGUOUS and p.cells == (None,) * 7
        assert len(p.alternatives) == 3  # 总计 missing; a middle column missing; 自然人 missing

    def test_subtotal_column_dropped(self):
        # 自然人 2, 法人或其他组织 小计 5 (= 1+1+1+1+1), five columns, 总计 7
        p = place_sequential(toks("2", "5", "1", "1", "1", "1", "1", "7"), 7, RULE, subtotal=(1, 1, 5))
        assert nums(p) == [2, 1, 1, 1, 1, 1, 7] and p.fit is Fit.EXTRA and p.subtotal

    def test_extra_value_is_never_singled_out_by_the_row_total(self):
        # the 9 may be stray, or 自然人 of a row whose 总计 is misprinted: a guess either way
        p = place_sequential(toks("2", "0", "0", "9", "0", "0", "0", "2"), 7, RULE, subtotal=(1, 1, 5))
        assert p.cells == (None,) * 7 and p.fit is Fit.EXTRA and not p.dropped

    def test_extra_value_dropped_when_it_does_not_matter_which(self):
        p = place_sequential(toks(*["4"] * 8), 7, RULE)
        assert nums(p) == [4] * 7 and [d.text for d in p.dropped] == ["4"]

    def test_too_many_values_not_placed(self):
        p = place_sequential(toks(*["1"] * 12), 7, RULE)
        assert p.cells == (None,) * 7 and p.fit is Fit.EXTRA

    def test_no_rule_no_guess(self):
        assert place_sequential(toks("1", "2"), 3, None).cells == (None,) * 3
        assert nums(place_sequential(toks("1", "2", "3"), 3, None)) == [1, 2, 3]

    def test_review_groups(self):
        rule = RowSums.total_last(15, 3)
        row = ["0", "0", "0", "0", "0", "0", "5", "0", "0", "5", "0", "0", "0", "0"]  # the last 总计 cut off
        p = place_sequential(toks(*row), 15, rule)
        assert nums(p) == [0, 0, 0, 0, 0, 0, 5, 0, 0, 5, 0, 0, 0, 0, None]


class TestPlaceGrid:
    ranges: ClassVar[list[range]] = [range(2, 3), range(3, 4), range(4, 5), range(5, 6), range(6, 7), range(7, 8), range(8, 9)]

    def test_by_column_not_by_count(self):
        vals = [tok("1", 2), tok("4", 7), tok("5", 8)]
        p = place_grid(vals, [tok("x", 0)], self.ranges)
        assert nums(p) == [1, None, None, None, None, 4, 5]

    def test_label_in_a_value_column_means_shifted_row(self):
        assert place_grid([tok("1", 3)], [tok("x", 2)], self.ranges) is None

    def test_number_outside_the_header_columns(self):
        assert place_grid([tok("1", 1)], [tok("x", 0)], self.ranges) is None


def tab_doc(rows):
    return Document([Table.from_rows([r.split("|") for r in rows], adapter="t")], adapter="t")


def test_records_join_label_and_values_across_rows():
    doc = Document([Paragraph("一、本年新收政府信息"), Paragraph("3"), Paragraph("0"), Paragraph("公开申请数量")])
    recs = build_records(doc)
    assert [r.label_text for r in recs] == ["一、本年新收政府信息", "公开申请数量"]
    assert [v.text for v in recs[0].values] == ["3", "0"]
    assert [c.text for c in recs[0].tail] == ["公开申请数量"]


def test_records_split_label_after_values():
    recs = build_records(tab_doc(["规章|0|0|0|规范性文件|1|2|3"]))
    assert [(r.label_text, [v.text for v in r.values]) for r in recs] == [
        ("规章", ["0", "0", "0"]), ("规范性文件", ["1", "2", "3"])]


def test_page_numbers_between_rows_are_ignored():
    doc = Document([Paragraph("规章"), Paragraph("1"), Paragraph("-4-"), Paragraph("2"), Paragraph("3")])
    assert [v.text for v in build_records(doc)[0].values] == ["1", "2", "3"]


REPORT_2021 = """某市某局2021年政府信息公开工作年度报告
统计期限自2021年1月1日起至2021年12月31日止。电话：0451-1234567。
二、主动公开政府信息情况
第二十条第（一）项\t\t\t
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t1\t0\t2
行政规范性文件\t0\t0\t0
第二十条第（五）项\t\t\t
信息内容\t本年处理决定数量\t\t
行政许可\t5\t\t
第二十条第（六）项\t\t\t
信息内容\t本年处理决定数量\t\t
行政处罚\t0\t\t
行政强制\t0\t\t
第二十条第（八）项\t\t\t
信息内容\t本年收费金额（单位：万元）\t\t
行政事业性收费\t0\t\t
三、收到和处理政府信息公开申请情况
申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计
{rows}
四、政府信息公开行政复议、行政诉讼情况
行政复议\t行政诉讼
结果维持\t结果纠正\t其他结果\t尚未审结\t总计
{reviews}
五、存在的主要问题及改进情况
无。
"""

LABELS_2021 = [
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果\t（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（三）不予公开\t1.属于国家秘密", "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷",
    "8.属于行政查询事项", "（四）无法提供\t1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "（五）不予处理\t1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他", "（七）总计", "四、结转下年度继续办理",
]


def report_text(overrides=None, labels=None, reviews="0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0"):
    """A consistent 2021 report: 2 applications from natural persons, disclosed."""
    rows = {lab: ["0"] * 7 for lab in LABELS_2021}
    for lab in (LABELS_2021[0], LABELS_2021[2], LABELS_2021[23]):
        rows[lab] = ["2", "0", "0", "0", "0", "0", "2"]
    for lab, cells in (overrides or {}).items():
        rows[lab] = cells
    text_rows = []
    for lab in LABELS_2021:
        shown = (labels or {}).get(lab, lab)
        text_rows.append("\t".join([shown, *rows[lab]]))
    return REPORT_2021.format(rows="\n".join(text_rows), reviews=reviews)


def test_consistent_generated_report():
    r = gxparse.parse(report_text())
    assert r.template == "2021" and r.ok
    assert r.applications["received_new"]["total"] == 2
    assert r.active_disclosure["regulations"] == {"issued": 1, "repealed": 0, "in_force": 2}
    assert r.active_disclosure["licensing"]["decisions"] == 5
    assert r.meta.agency == "某市某局" and r.meta.phones == ("0451-1234567",)


def test_missing_row_is_null_and_others_still_map():
    text = report_text().replace("6.属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0\n", "")
    r = gxparse.parse(text)
    assert r.applications["results.withheld.process_information"] == {
        "natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0,
        "legal_service_org": 0, "other_org": 0, "total": 0}  # determined: the column sums already balance
    assert r.applications["results.withheld.enforcement_case_files"]["total"] == 0
    assert "applications/results.withheld.process_information/total" in r.derived


def test_force_template():
    assert gxparse.parse(report_text(), template="2019").template == "2019"


def test_header_without_total_column_places_by_grid_and_derives_totals():
    # A PDF whose 总计 column is off the page: the header names six columns, rows carry six values.
    # "1 0 0 0 0 1" read in order fits its row total two ways (总计 missing = 2, or the last 1 is the
    # 总计 and a value is missing): only the header's grid says which.
    both = ["1", "0", "0", "0", "0", "1", "2"]
    zero = ["0"] * 7
    total = LABELS_2021.index("（七）总计")
    text = report_text({LABELS_2021[0]: ["1", "", "0", "0", "0", "1", "2"], LABELS_2021[2]: zero,
                        LABELS_2021[23]: zero, LABELS_2021[3]: both, LABELS_2021[total]: both})
    text = text.replace("法律服务机构\t其他\t总计", "法律服务机构\t其他")
    lines = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if any(line.startswith(lab.split("\t")[0]) for lab in LABELS_2021) and len(cells) >= 8:
            cells = cells[:-1]  # drop the printed 总计
        lines.append("\t".join(cells))
    doc = gxparse.extract("\n".join(lines))
    mapped = map_records(doc)
    assert mapped.alternatives == {} and mapped.row_notes == {}  # by the grid: nothing to choose between
    r = gxparse.parse("\n".join(lines))
    row = r.applications["received_new"]
    assert row["natural_person"] == 1 and row["other_org"] == 1 and row["total"] == 2
    assert "applications/received_new/total" in r.derived
    assert "applications/received_new/commercial_enterprise" in r.derived  # the blank, by the column sums
    assert r.applications["results.partially_disclosed"] == {
        "natural_person": 1, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0,
        "legal_service_org": 0, "other_org": 1, "total": 2}
    assert r.applications["results.total"]["total"] == 2
    assert not [f for f in r.findings if f.severity == "error"]


@pytest.mark.parametrize(("cell", "why"), [("", "原文空缺"), ("？", "原文无法读作数字")])
def test_derived_value_says_why_the_cell_had_no_value(cell, why):
    text = report_text({LABELS_2021[0]: ["2", cell, "0", "0", "0", "0", "2"]})
    r = gxparse.parse(text)
    path = "applications/received_new/commercial_enterprise"
    assert r.applications["received_new"]["commercial_enterprise"] == 0 and path in r.derived
    finding = next(f for f in r.findings if f.code == "derived-value" and f.where == path)
    assert finding.message.startswith(f"收到和处理政府信息公开申请情况 · 一、本年新收政府信息公开申请数量 · 商业企业：{why}，按「")
