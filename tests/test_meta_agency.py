"""The agency a report names (issue 15, item 4): from its title at every administrative level, else
from its first sentences; the year and the statistics period also in Chinese numerals.

The rule (``_meta._agency_from_title``, documented in ``docs/usage.md``): the title without the
report's name (政府信息公开工作年度报告 …), its year (2021年, 二〇二一年度) and edge punctuation is the
agency when it ends in an organ's suffix (局, 委员会, 人民政府, 办公室 …), begins with a place name
and is four characters or more, or is a place name alone (宿迁市, 沛县: that place's people's
government reports under its name)."""

from __future__ import annotations

import pytest

from gxparse import Document, Paragraph, Provenance
from gxparse._meta import arabic_dates, extract_meta

TAIL = "政府信息公开工作年度报告"

#: (title, agency): every administrative level, the common organ suffixes, the ways titles are written.
CASES = [
    # provinces, autonomous regions, municipalities
    (f"江苏省人民政府2021年{TAIL}", "江苏省人民政府"),
    (f"广西壮族自治区2022年{TAIL}", "广西壮族自治区"),
    (f"北京市人民政府办公厅2021年{TAIL}", "北京市人民政府办公厅"),
    (f"浙江省财政厅2023年{TAIL}", "浙江省财政厅"),
    (f"河北省2021年{TAIL}", "河北省"),
    # prefecture-level: cities, autonomous prefectures, leagues, prefectures
    (f"宿迁市2025年{TAIL}", "宿迁市"),
    (f"宿迁市人民政府2025年{TAIL}", "宿迁市人民政府"),
    (f"上饶市人民政府2021年{TAIL}", "上饶市人民政府"),
    (f"通辽市2021年{TAIL}", "通辽市"),
    (f"延边朝鲜族自治州2021年{TAIL}", "延边朝鲜族自治州"),
    (f"锡林郭勒盟行政公署2021年{TAIL}", "锡林郭勒盟行政公署"),
    (f"阿里地区2021年{TAIL}", "阿里地区"),
    (f"黑河市自然资源委员会2022年{TAIL}", "黑河市自然资源委员会"),
    (f"哈尔滨市发展和改革委员会2021年{TAIL}", "哈尔滨市发展和改革委员会"),
    # county level: districts, counties, county-level cities, banners
    (f"洪泽区2023年{TAIL}", "洪泽区"),
    (f"淮安市洪泽区人民政府2023年{TAIL}", "淮安市洪泽区人民政府"),
    (f"沭阳县2021年{TAIL}", "沭阳县"),
    (f"沛县2021年{TAIL}", "沛县"),
    (f"昆山市2021年{TAIL}", "昆山市"),
    (f"鄂托克旗2021年{TAIL}", "鄂托克旗"),
    (f"长阳土家族自治县2021年{TAIL}", "长阳土家族自治县"),
    (f"南岗区城管局2021年{TAIL}", "南岗区城管局"),
    (f"大庆市让胡路区人力资源和社会保障委员会2024年{TAIL}", "大庆市让胡路区人力资源和社会保障委员会"),
    (f"让胡路区营商环境建设监督局2019年{TAIL}", "让胡路区营商环境建设监督局"),
    (f"南岗区人民法院2021年{TAIL}", "南岗区人民法院"),
    (f"南岗区市场监督管理局2021年{TAIL}", "南岗区市场监督管理局"),
    (f"泗阳县人民政府办公室2021年{TAIL}", "泗阳县人民政府办公室"),
    (f"泗阳县卫生健康委员会2021年{TAIL}", "泗阳县卫生健康委员会"),
    (f"泗阳县公共资源交易中心2021年{TAIL}", "泗阳县公共资源交易中心"),
    # towns, townships, sub-districts, special zones
    (f"众兴镇人民政府2021年{TAIL}", "众兴镇人民政府"),
    (f"卢集镇2021年{TAIL}", "卢集镇"),
    (f"裴圩乡2021年{TAIL}", "裴圩乡"),
    (f"湖滨街道办事处2021年{TAIL}", "湖滨街道办事处"),
    (f"平潭综合实验区2019年{TAIL}", "平潭综合实验区"),
    (f"平潭综合实验区管理委员会2022年{TAIL}", "平潭综合实验区管理委员会"),
    (f"苏州工业园区管理委员会2021年{TAIL}", "苏州工业园区管理委员会"),
    (f"宿迁经济技术开发区2021年{TAIL}", "宿迁经济技术开发区"),
    (f"雄安新区2021年{TAIL}", "雄安新区"),
    # years in Chinese numerals, 年度, spaces, wrapping words
    (f"南岗区城管局 二〇二一年{TAIL}", "南岗区城管局"),
    (f"南岗区城管局二○二一年度{TAIL}", "南岗区城管局"),
    ("宿迁市 人民政府 2021 年 政府信息公开 工作年度报告", "宿迁市人民政府"),
    (f"关于沭阳县2021年{TAIL}", "沭阳县"),
    (f"《洪泽区人民政府2023年{TAIL}》", "洪泽区人民政府"),
    (f"正文宿迁市人民政府2025年{TAIL}", "宿迁市人民政府"),
    (f"标题：宿迁市2021年{TAIL}", "宿迁市"),
    ("南岗区城管局2021年度政府信息公开工作报告", "南岗区城管局"),
    (f"2021年南岗区城管局{TAIL}", "南岗区城管局"),
    # the report's name around the year, not the agency's (found by a new-user trial)
    ("南京市人民政府关于2022年政府信息公开工作年度报告", "南京市人民政府"),
    ("南京市人民政府政府信息公开工作2022年度报告", "南京市人民政府"),
    ("2022年度南京市人民政府信息公开工作年度报告", "南京市人民政府"),  # 政府 shared by name and report
]


def _doc(*lines: str) -> Document:
    return Document([Paragraph(line, Provenance("t", lines=(i + 1, i + 1))) for i, line in enumerate(lines)])


def test_the_table_is_long_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("title, agency", CASES)
def test_agency_from_the_title(title, agency):
    meta = extract_meta(_doc(title, "一、总体情况", "本年度，我局认真贯彻落实《条例》。"))
    assert meta.agency == agency


def test_title_wrapped_over_two_lines():
    # space-aligned text cuts a long title where the line ends
    meta = extract_meta(_doc("大庆市让胡路区人力资源和社会", "保障局 2021 年政府信息公开工作年度报告", "一、总体情况"))
    assert meta.agency == "大庆市让胡路区人力资源和社会保障局"
    assert meta.year == 2021


def test_line_above_a_whole_title_is_not_joined():
    meta = extract_meta(_doc("首页 > 政务公开", "南岗区城管局2021年政府信息公开工作年度报告", "一、总体情况"))
    assert meta.agency == "南岗区城管局"


def test_title_after_a_line_saying_body():
    meta = extract_meta(_doc("正文", "宿迁市人民政府2025年政府信息公开工作年度报告"))
    assert (meta.agency, meta.year) == ("宿迁市人民政府", 2025)


@pytest.mark.parametrize("sentence, agency", [
    ("2021年，上饶市人民政府认真贯彻落实《条例》，主动公开政府信息。", "上饶市人民政府"),
    ("2021年，通辽市人民政府坚持以公开为常态。", "通辽市人民政府"),
    ("2021年，和田地区行政公署认真贯彻落实《条例》。", "和田地区行政公署"),
    ("2021年，本溪市人民政府认真贯彻落实《条例》。", "本溪市人民政府"),
])
def test_agency_from_the_body_keeps_the_place_whole(sentence, agency):
    meta = extract_meta(_doc("政府信息公开工作年度报告", sentence))
    assert meta.agency == agency


@pytest.mark.parametrize("text, want", [
    ("自二〇二一年一月一日起至二〇二一年十二月三十一日止", "自2021年1月1日起至2021年12月31日止"),
    ("二○二二年十月二十日", "2022年10月20日"),
    ("二〇二一年度", "2021年度"),
    ("一、总体情况", "一、总体情况"),
])
def test_dates_in_chinese_numerals(text, want):
    assert arabic_dates(text) == want


def test_year_and_period_in_chinese_numerals():
    meta = extract_meta(_doc("某局二〇二一年政府信息公开工作年度报告",
                             "本报告所列数据统计期限自二〇二一年一月一日起至二〇二一年十二月三十一日止。"))
    assert (meta.year, meta.period_start, meta.period_end) == (2021, "2021-01-01", "2021-12-31")


def test_full_width_digits_and_letters_of_a_title_are_folded():
    meta = extract_meta(_doc("某局２０２２年政府信息公开工作年度报告（ＡＢ版）", "一、总体情况"))
    assert meta.title == "某局2022年政府信息公开工作年度报告（AB版）" and meta.year == 2022


def test_a_period_wrapped_over_two_lines_is_read():
    # a PDF page or a narrow column wraps the sentence: its two halves are two lines of prose
    from gxparse._meta import period_findings

    doc = _doc("某局2019年政府信息公开工作年度报告", "本报告所列数据统计期限自2019年1月1日起",
               "至2019年12月31日止。")
    meta = extract_meta(doc)
    assert (meta.period_start, meta.period_end) == ("2019-01-01", "2019-12-31")
    assert period_findings(meta, doc) == []


def test_a_period_with_an_impossible_date_is_a_finding():
    from gxparse._meta import period_findings

    doc = _doc("某局2022年政府信息公开工作年度报告", "本报告所列数据统计期限自2022年1月1日起至2022年12月32日止。")
    meta = extract_meta(doc)
    assert meta.period_end is None
    [f] = period_findings(meta, doc)
    assert (f.code, f.where) == ("unreadable", "meta/period") and "12月32日" in f.message


def test_a_period_that_cannot_be_read_is_a_finding():
    import gxparse
    from gxparse._meta import period_findings

    doc = _doc("某局2021年政府信息公开工作年度报告", "本报告所列数据统计期限为上一自然年度。")
    meta = extract_meta(doc)
    assert meta.period_start is None
    [f] = period_findings(meta, doc)
    assert (f.code, f.where, f.severity) == ("unreadable", "meta/period", "warning")
    assert "统计期限" in f.message
    assert isinstance(f, gxparse.Finding)


def test_a_title_run_together_with_the_paragraph_below_it():
    # space-aligned text (pdftotext -layout) joins the title and the first lines below it
    meta = extract_meta(_doc("  黑河市自然资源委员会 2022 年政府信息公开工作年度报告本报告依据《中华人民共和国政府信息公开条例》"
                             "编制。本报告所列数据统计期限自 2022 年 1 月1 日起至 2022 年 12 月 31 日止。", "一、总体情况"))
    assert (meta.agency, meta.year) == ("黑河市自然资源委员会", 2022)
