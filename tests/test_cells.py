"""A cell's text becomes a number only when it is one number as printed (issue 15, item 1).

Footnote marks are no digits of the value: a superscript mark (what an adapter writes for
HTML's ``<sup>``) is set apart with a ``footnote-mark`` finding; a mark that could be a digit
(①, *, [1], 注1) and a second number in the cell (``10 2``, ``6<br>2``, ``3/4``) make the cell
``unreadable``, null, the cell named. Digits grouped by spaces in threes are one number.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import gxparse
from gxparse import Document, Paragraph, Provenance, Table
from gxparse._normalize import AMBIGUOUS_MARK, SEVERAL_NUMBERS, is_labelish, parse_value, subscript, superscript
from gxparse.testing import GeneratedReport, reports

from kit.noise import Noise
from kit.render import _layout


@pytest.mark.parametrize("text, number, mark", [
    ("6¹", 6, "¹"),
    ("6 ¹", 6, "¹"),
    ("12³", 12, "³"),            # never 123
    ("6⁽*⁾", 6, "⁽*⁾"),          # <sup>*</sup>
    ("6⁽注1⁾", 6, "⁽注1⁾"),
    ("1,234²", 1234, "²"),
    ("-3¹", -3, "¹"),
    ("１９４４．０４９５¹", Decimal("1944.0495"), "¹"),
    ("¹6", 6, "¹"),              # a mark before the number: never 16
    ("⁽*⁾ 6", 6, "⁽*⁾"),
    ("6¹件", 6, "¹"),            # a mark between the number and its unit: never 61
    ("6 ¹ 件", 6, "¹"),
])
def test_superscript_mark_is_set_apart(text, number, mark):
    v = parse_value(text)
    assert (v.kind, v.number, v.mark, v.problem) == ("number", number, mark, "")


@pytest.mark.parametrize("text", ["6①", "6⑴", "6⒈", "6*", "*6", "6**", "6※", "6[1]", "6［1］", "6注1", "6 注",
                                  "6（注1）", "6#", "¹"])
def test_a_mark_that_may_be_a_digit_makes_the_cell_unreadable(text):
    v = parse_value(text)
    assert (v.kind, v.problem) == ("text", AMBIGUOUS_MARK), text
    assert not is_labelish(text)  # a value cell, not a label (注 is CJK)


@pytest.mark.parametrize("text", ["6₁", "₁6", "6₍a₎", "6₁件", "₁", "1¹5", "6.¹", "6,¹²³", "¹²", "6₁¹"])
def test_subscript_or_raised_text_inside_a_number_makes_the_cell_unreadable(text):
    # NFKC makes ₁ and ¹ digits: 6₁ would be 61, 6.¹ 6.1, 6,¹²³ 6123
    v = parse_value(text)
    assert (v.kind, v.problem) == ("text", AMBIGUOUS_MARK), text


@pytest.mark.parametrize("text", ["m²", "CO₂", "H₂O"])
def test_raised_or_lowered_text_in_words_is_text(text):
    v = parse_value(text)
    assert (v.kind, v.problem) == ("text", ""), text


@pytest.mark.parametrize("text", ["10 2", "6\n2", "3/4", "3、4", "0 0 3", "1\u30002", "12 34", "2\n217", "1 2345"])
def test_two_numbers_in_one_cell_are_unreadable(text):
    v = parse_value(text)
    assert (v.kind, v.problem) == ("text", SEVERAL_NUMBERS), text


@pytest.mark.parametrize("text, number", [
    ("2 217", 2217), ("1 234 567", 1234567), ("1\u00a0944.0495", Decimal("1944.0495")), ("12 345", 12345),
    ("3 件", 3), ("- 3", -3), ("\u3000 0", 0), ("251 000元", 251000),
])
def test_spaces_between_groups_of_three_digits_are_a_thousands_separator(text, number):
    v = parse_value(text)
    assert (v.kind, v.number) == ("number", number), text


@pytest.mark.parametrize("text, sup", [("1", "¹"), ("12", "¹²"), ("(3)", "⁽³⁾"), ("*", "⁽*⁾"), ("注1", "⁽注1⁾"),
                                       (" a ", "⁽a⁾"), ("", "")])
def test_superscript(text, sup):
    assert superscript(text) == sup


@pytest.mark.parametrize("text, sub", [("1", "₁"), ("12", "₁₂"), ("(3)", "₍₃₎"), ("a", "₍a₎"), ("注", "₍注₎"), ("", "")])
def test_subscript(text, sub):
    assert subscript(text) == sub


# ---------------------------------------------------------------------------
# end to end: HTML <sup>, <br>, text one cell per line
# ---------------------------------------------------------------------------

_HTML = """<html><body><h1>某区某局2023年政府信息公开工作年度报告</h1>
<p>二、主动公开政府信息情况</p>
<table>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>{a}</td><td>{b}</td><td>{c}</td></tr>
<tr><td>行政规范性文件</td><td>5</td><td>0</td><td>12</td></tr>
</table></body></html>"""


def _active(html: str) -> gxparse.Report:
    return gxparse.parse(html.encode("utf-8"), format="html")


@pytest.mark.parametrize("cell", ["6<sup>1</sup>", "<span>6</span><sup>1</sup>", "6<sup> * </sup>",
                                  "6<sup><a href='#n1'>[1]</a></sup>", "<p>6<sup>注</sup></p>"])
def test_html_sup_footnote_is_no_digit(cell):
    r = _active(_HTML.format(a=cell, b="0", c="3"))
    assert r.active_disclosure["regulations"]["issued"] == 6
    marks = [f for f in r.findings if f.code == "footnote-mark"]
    assert [f.where for f in marks] == ["active_disclosure/regulations/issued"]
    assert marks[0].severity == "info" and "读作 6" in marks[0].message


@pytest.mark.parametrize("cell", ["<sup>1</sup>6", "6<sup>1</sup>件", "<p><span><sup>1</sup>6</span></p>",
                                  "6<span style='vertical-align:super'>1</span>",
                                  "6<span style='font-size:9pt; vertical-align: super'>*</span>"])
def test_html_raised_mark_before_the_number_or_its_unit_is_no_digit(cell):
    # a mark before the number, or between it and its unit: 6, never 16 or 61
    r = _active(_HTML.format(a=cell, b="0", c="3"))
    assert r.active_disclosure["regulations"]["issued"] == 6
    assert [f.where for f in r.findings if f.code == "footnote-mark"] == ["active_disclosure/regulations/issued"]


@pytest.mark.parametrize("cell", ["6<sub>1</sub>", "<sub>1</sub>6", "6<span style='vertical-align:sub'>1</span>",
                                  "<p>6<sub>a</sub></p>"])
def test_html_lowered_text_beside_a_number_makes_the_cell_unreadable(cell):
    r = _active(_HTML.format(a=cell, b="0", c="3"))
    assert r.active_disclosure["regulations"]["issued"] is None
    assert [f.where for f in r.findings if f.code == "unreadable"] == ["active_disclosure/regulations/issued"]


@pytest.mark.parametrize("cell", ["6<font color=white>9</font>", "6<font color='#FFFFFF'>9</font>",
                                  "6<span style='color: rgb(255, 255, 255)'>9</span>",
                                  "6<span style='color:#fff; background-color: white'>9</span>",
                                  "6<span style='font-size:0'>9</span>", "6<span style='font-size: 0px;'>9</span>",
                                  "6<span style='display:none'>9</span>", "6<span style='visibility:hidden'>9</span>",
                                  "<p><span>6</span><span style='font-size:0pt'>9</span></p>"])
def test_html_text_a_reader_cannot_see_is_not_read(cell):
    r = _active(_HTML.format(a=cell, b="0", c="3"))
    assert r.active_disclosure["regulations"]["issued"] == 6
    hidden = [f for f in r.findings if f.code == "hidden-text"]
    assert len(hidden) == 1 and hidden[0].severity == "info" and "9" in hidden[0].message


@pytest.mark.parametrize("cell", ["<span style='font-size:0'>9</span>", "<font color=white>9</font>"])
def test_html_cell_wholly_invisible_is_not_read(cell):
    r = _active(_HTML.format(a=cell, b="0", c="3"))
    assert r.active_disclosure["regulations"]["issued"] != 9
    assert [f.code for f in r.findings if f.code == "hidden-text"] == ["hidden-text"]


@pytest.mark.parametrize("html", [
    _HTML.format(a="6<span style='color:#fff;background:#333'>9</span>", b="0", c="3"),
    _HTML.format(a="6<font color=white>9</font>", b="0", c="3").replace("<table>", "<table bgcolor=navy>"),
    _HTML.format(a="6<font color=white>9</font>", b="0", c="3").replace("<body>", "<body style='background:#000'>"),
    _HTML.format(a="6<font color=white>9</font>", b="0", c="3").replace(
        "<html>", "<html><head><style>td {background: #1f3864}</style></head>"),
    _HTML.format(a="6<span style='color:#fff'><b style='color:red'>9</b></span>", b="0", c="3"),
    _HTML.format(a="6<font color=white size=0>9</font>", b="0", c="3").replace("white", "#fefefe"),
    _HTML.format(a="6<span style='font-size:0.5pt'>9</span>", b="0", c="3"),
])
def test_html_white_text_that_may_show_is_read(html):
    # white on an explicit dark background (or one a style sheet may set), a coloured part, near-white: shown
    r = _active(html)
    assert r.active_disclosure["regulations"]["issued"] == 69
    assert not [f for f in r.findings if f.code == "hidden-text"]


@pytest.mark.parametrize("cell, problem", [("6<br>2", "不止一个数"), ("10 2", "不止一个数"), ("3/4", "不止一个数"),
                                           ("6①", "注记"), ("6[1]", "注记"), ("6注1", "注记")])
def test_html_cell_that_is_not_one_number_is_null_and_named(cell, problem):
    r = _active(_HTML.format(a=cell, b="0", c="3"))
    assert r.active_disclosure["regulations"]["issued"] is None
    bad = [f for f in r.findings if f.code == "unreadable"]
    assert [f.where for f in bad] == ["active_disclosure/regulations/issued"]
    assert problem in bad[0].message and bad[0].evidence["raw"]


_MD = """# 某区某局2023年政府信息公开工作年度报告

二、主动公开政府信息情况

| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| --- | --- | --- | --- |
| 规章 | {a} | 0 | 3 |
| 行政规范性文件 | 5 | 0 | 12 |
"""


def _small_report(fmt: str, cell: str) -> str:
    """The report of :data:`_MD` with ``cell`` as 规章 本年制发件数, as markdown or tab-separated text."""
    md = _MD.format(a=cell)
    if fmt == "markdown":
        return md
    rows = ["\t".join(c.strip() for c in line.strip("|").split("|")) for line in md.splitlines()
            if not line.startswith("| ---")]
    return "\n".join(rows).replace("# ", "")


@pytest.mark.parametrize("fmt", ["markdown", "text"])
@pytest.mark.parametrize("cell", ["¹6", "6¹件", "⁽*⁾6", "6 ¹"])
def test_superscript_before_the_number_or_its_unit_is_a_mark(fmt, cell):
    # a mark before the number or before its unit: 6, never 16 or 61 (text: tab-separated cells)
    r = gxparse.parse(_small_report(fmt, cell), format=fmt)
    assert r.active_disclosure["regulations"]["issued"] == 6
    assert [f.where for f in r.findings if f.code == "footnote-mark"] == ["active_disclosure/regulations/issued"]


@pytest.mark.parametrize("fmt", ["markdown", "text"])
@pytest.mark.parametrize("cell", ["6₁", "₁6", "1¹6"])
def test_subscript_or_raised_text_inside_the_number_is_unreadable(fmt, cell):
    r = gxparse.parse(_small_report(fmt, cell), format=fmt)
    assert r.active_disclosure["regulations"]["issued"] is None
    assert [f.where for f in r.findings if f.code == "unreadable"] == ["active_disclosure/regulations/issued"]


def test_html_thousands_separated_by_a_space():
    r = _active(_HTML.format(a="2 217", b="0", c="3"))
    assert r.active_disclosure["regulations"]["issued"] == 2217
    assert not [f for f in r.findings if f.code in ("unreadable", "footnote-mark")]


def test_footnote_rule_off_leaves_the_cell_unreadable():
    doc = gxparse.extract(_HTML.format(a="6<sup>1</sup>", b="0", c="3").encode(), format="html")
    mapped = gxparse._mapping.map_records(doc, rules=gxparse._mapping.RULES.disable("footnote-mark"))
    slot = mapped.values["active_disclosure/regulations/issued"]
    assert slot.value is None and slot.state.value == "unreadable"
    assert [f.code for f in mapped.findings] == ["unreadable"]


def test_text_one_cell_per_line_with_two_numbers():
    # Word's "save as text": a table's cells tab-indented, one per line, rows apart
    rows = [["第二十条第（一）项"], ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
            ["规章", "7", "0", "5"], ["规范性文件", "218", "10 2", "0"]]
    table = "\n\n".join("\n".join("\t" + c for c in row) for row in rows)
    text = f"某区某局2019年政府信息公开工作年度报告\n二、主动公开政府信息情况\n{table}\n"
    r = gxparse.parse(text, format="text")
    assert r.active_disclosure["normative_documents"] == {"made": 218, "published": None, "total_published": 0}
    assert [(f.code, f.where) for f in r.findings if f.code == "unreadable"] == [
        ("unreadable", "active_disclosure/normative_documents/published")]


def test_running_text_line_of_numbers_is_still_several_cells():
    # a paragraph line is no cell of a grid: "0 0 3" there is three cells, as before
    from gxparse._records import build_records

    doc = Document([Paragraph("规章", Provenance("t", lines=(1, 1))), Paragraph("0 0 3", Provenance("t", lines=(2, 2)))])
    recs = build_records(doc)
    assert [v.text for v in recs[0].values] == ["0", "0", "3"]


# ---------------------------------------------------------------------------
# the property: a mark or a second number in any cell never gives a different number silently
# ---------------------------------------------------------------------------

#: What an adapter writes for a footnote set in superscript (<sup>1</sup>, <sup>*</sup>).
SUPERSCRIPT_MARKS = ["¹", "²", "¹²", "⁽*⁾", "⁽注1⁾", "⁽a⁾"]
#: Marks that may be a digit of the value: the cell is unreadable.
#: Where a superscript mark goes (before: ¹6; after: 6¹).
SUPERSCRIPT_PLACES = ["before", "after"]
AMBIGUOUS = [("", "₁"), ("₁", ""), ("", "₍a₎"), ("", "①"), ("", "⑵"), ("", "*"), ("*", ""), ("", "[1]"), ("", "注1"),
             ("", "※"), ("", "（注）")]
#: A second number: never groups of three digits after a space (that is a thousands separator).
SECOND = st.tuples(st.sampled_from([" ", "\n", "/", "、", "\u3000", "  "]), st.integers(0, 99))


def _value_cells(report: GeneratedReport, noise: Noise) -> list[tuple[int, tuple[int, int], str]]:
    """(block index, grid position, path) of every value cell of the laid-out report."""
    out = []
    for i, (kind, v) in enumerate(_layout(report, noise)):
        if kind == "table":
            out += [(i, pos, path) for pos, path in v.value_cells.items()]
    return out


def _document(report: GeneratedReport, noise: Noise, where: tuple[int, tuple[int, int]], edit) -> Document:
    """The report as a Document (as :func:`kit.render.to_document`), one value cell's text edited."""
    blocks: list[Paragraph | Table] = []
    for i, (kind, v) in enumerate(_layout(report, noise)):
        prov = Provenance("hypothesis", lines=(i + 1, i + 1))
        if kind == "table":
            cells = [attrs.evolve(c, text=edit(c.text)) if (i, (c.row, c.col)) == where else c for c in v.table.cells]
            blocks.append(Table(cells, provenance=prov))
        else:
            blocks.append(Paragraph(v, prov, {"title": 1, "heading": 2}.get(kind)))
    return Document(blocks, adapter="hypothesis")


def _values(report: gxparse.Report) -> dict[str, object]:
    out = {}
    for table in ("active_disclosure", "applications", "reviews_and_litigation"):
        for row, cols in (getattr(report, table) or {}).items():
            for col, v in cols.items():
                if not col.endswith("_unit"):
                    out[f"{table}/{row}/{col}"] = v
    return out


@st.composite
def edited(draw):
    report = draw(reports())
    noise = Noise(full_width_digits=draw(st.booleans()))
    cells = _value_cells(report, noise)
    block, pos, path = draw(st.sampled_from(cells))
    kind = draw(st.sampled_from(["superscript", "ambiguous", "second"]))
    if kind == "superscript":
        mark = draw(st.sampled_from(SUPERSCRIPT_MARKS))
        edit = (mark, "") if draw(st.sampled_from(SUPERSCRIPT_PLACES)) == "before" else ("", mark)
    elif kind == "ambiguous":
        edit = draw(st.sampled_from(AMBIGUOUS))
    else:
        sep, n = draw(SECOND)
        edit = ("", sep + str(n))
    return report, noise, (block, pos), path, kind, edit


@given(edited())
def test_a_mark_or_a_second_number_never_gives_a_different_number_silently(case):
    report, noise, where, path, kind, edit = case
    before, after = edit
    note(f"{path} {kind} {before}<v>{after!r}")
    parsed = gxparse.map_document(_document(report, noise, where, lambda t: before + t + after))
    truth = {p: report.get(p) for p in report.paths()}
    got = _values(parsed)
    for p, want in truth.items():
        assert got.get(p) in (None, want), f"{p}: {got.get(p)!r}, printed {want!r}"
    codes = {(f.code, f.where) for f in parsed.findings}
    if kind == "superscript":
        assert got[path] == truth[path]
        assert ("footnote-mark", path) in codes
    else:
        assert ("unreadable", path) in codes
    assert not parsed.errors, [f.message for f in parsed.errors]
