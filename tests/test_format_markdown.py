"""The markdown adapter: soft line breaks, pipe rows without a delimiter row, bold headings
(issue 15, item 5), and the field cases."""

from __future__ import annotations

import pytest

import gxparse
from gxparse import Paragraph, Source, Table
from gxparse.formats.markdown import MarkdownAdapter

from conftest import SHARED, need_shared

ADAPTER = MarkdownAdapter()


def _doc(text: str) -> gxparse.Document:
    return ADAPTER.extract(Source.from_text(text, "t.md"))


def test_a_soft_line_break_separates_text():
    doc = _doc("正文\n宿迁市人民政府2025年政府信息公开工作年度报告\n\n下一段")
    assert [b.text for b in doc.blocks] == ["正文\n宿迁市人民政府2025年政府信息公开工作年度报告", "下一段"]
    assert doc.blocks[0].provenance.lines == (1, 2)


@pytest.mark.parametrize("rows", [
    ["| 一、本年新收政府信息公开申请数量 | 3746 | 63 | 0 | 0 | 19 | 2 | 3830 |"],
    ["| 119 | 25 | 91 | 24 | 259 |", "| 7 | 0 | 15 | 6 | 28 |"],
    ["|a|b|", "| c | d |", "|e|f|"],
])
def test_pipe_rows_without_a_delimiter_row_are_a_table(rows):
    doc = _doc("前言\n\n" + "\n".join(rows) + "\n\n后记")
    [table] = [b for b in doc.blocks if isinstance(b, Table)]
    assert table.n_rows == len(rows)
    assert [c.text for c in table.rows()[0]] == [x.strip() for x in rows[0].strip("|").split("|")]
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["前言", "后记"]


@pytest.mark.parametrize("line", ["a | b | c", "| just one |", "|---|---|", "结论：甲|乙"])
def test_lines_that_are_not_fenced_rows_stay_text(line):
    assert not [b for b in _doc(line + "\n").blocks if isinstance(b, Table)]


def test_a_delimiter_table_still_reads_as_before():
    doc = _doc("| h1 | h2 |\n|---|---|\n| 1 | 2 |\n")
    [table] = doc.tables
    assert [[c.text for c in r] for r in table.rows()] == [["h1", "h2"], ["1", "2"]]


def test_a_wholly_bold_line_is_a_paragraph_of_its_own():
    doc = _doc("**一、总体情况**\n本年度，本机关……\n")
    assert [b.text for b in doc.blocks] == ["一、总体情况", "本年度，本机关……"]


@pytest.mark.parametrize("name, agency", [("markdown_soft_line_break.md", "宿迁市人民政府")])
def test_field_case_soft_line_break(name, agency):
    path = SHARED / "field" / "text" / name
    need_shared(path)
    assert gxparse.parse(path).meta.agency == agency


def test_field_case_rows_without_delimiter():
    path = SHARED / "field" / "text" / "markdown_rows_without_delimiter.md"
    need_shared(path)
    r = gxparse.parse(path)
    assert list(r.applications["received_new"].values()) == [3746, 63, 0, 0, 19, 2, 3830]
    assert [list(g.values()) for g in r.reviews_and_litigation.values()] == [
        [119, 25, 91, 24, 259], [7, 0, 15, 6, 28], [21, 1, 7, 9, 38]]


@pytest.mark.parametrize("cell, text", [
    ("*6*", "6"), ("**6**", "6"), ("`6`", "6"), ("6<!-- note -->", "6"), ("6&nbsp;2", "6\u00a02"),
    ("6<br>2", "6\n2"), ("6<br/>2", "6\n2"), ("6<sup>1</sup>", "6¹"), ("6<sub>1</sub>", "6₁"),
    ("[6](#n)", "6"), ("6\\*", "6*"), ("6*", "6*"), ("12", "12"), (" 3 ", "3"),
])
def test_a_cell_reads_as_commonmark_renders_it(cell, text):
    doc = MarkdownAdapter().extract(Source.from_bytes(f"| a | b |\n|---|---|\n| 行政许可 | {cell} |\n".encode()))
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert table.cell_at(1, 1).text == text


def test_inline_markup_in_a_report_is_the_number_or_a_finding():
    from gxparse.testing import zero_report

    from kit.render import render

    md = render(zero_report("2021", agency="某局", year=2021).with_value(
        "active_disclosure/normative_documents/issued", 6), "markdown").data.decode("utf-8")
    row = next(line for line in md.splitlines() if line.startswith("|") and "行政规范性文件" in line)
    for cell, want, code in (("*6*", 6, None), ("6<sup>1</sup>", 6, "footnote-mark"), ("6<sub>1</sub>", None, "unreadable")):
        r = gxparse.parse(md.replace(row, row.replace("| 6 |", f"| {cell} |", 1), 1).encode("utf-8"))
        assert r.active_disclosure["normative_documents"]["issued"] == want, cell
        assert code is None or any(f.code == code for f in r.findings), cell
