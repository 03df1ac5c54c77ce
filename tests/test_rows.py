"""Rows as real documents print them (issue 15, item 2): values under the header they are printed
beneath (space-aligned text counted in display columns; a header naming fewer columns than the
form), rows printed twice, abbreviated labels within their group, a forced template that the
headers contradict."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import attrs
import pytest

import gxparse
from gxparse import Document, Table
from gxparse.testing import zero_report

from kit.noise import Noise
from kit.render import render, to_document

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _layout_with(row_of: Callable[[dict[str, tuple[int, int]]], str]) -> gxparse.Report:
    """A 2021 report in space-aligned text whose 规章 line is ``row_of(columns)``; ``columns``: the
    display columns ``(first, end)`` of each header word of the 主动公开 table's first header."""
    text = render(zero_report("2021"), "text-layout", Noise(seed=1)).text()
    lines = text.split("\n")
    k = next(i for i, ln in enumerate(lines) if "本年制发件数" in ln)
    head = lines[k]
    columns = {}
    for word in ("本年制发件数", "本年废止件数", "现行有效件数"):
        first = _width(head[:head.index(word)])
        columns[word] = (first, first + _width(word))
    j = next(i for i, ln in enumerate(lines) if ln.strip().startswith("规章"))
    lines[j] = row_of(columns)
    return gxparse.parse("\n".join(lines), format="text")


def _at(pieces: list[tuple[int, str]]) -> str:
    line = ""
    for x, t in pieces:
        line += " " * (x - _width(line)) + t
    return line


@pytest.mark.parametrize("where, want", [
    # each value in display columns under its header (CJK characters two wide)
    ({"现行有效件数": 7}, {"issued": None, "repealed": None, "in_force": 7}),
    ({"本年废止件数": 4}, {"issued": None, "repealed": 4, "in_force": None}),
    ({"本年制发件数": 2, "本年废止件数": 5}, {"issued": 2, "repealed": 5, "in_force": None}),
])
def test_layout_value_under_its_header_in_display_columns(where, want):
    def row(columns):
        return _at([(2, "规章"), *((columns[w][1] - len(str(v)), str(v)) for w, v in where.items())])

    r = _layout_with(row)
    assert r.active_disclosure["regulations"] == want


def test_layout_value_right_aligned_under_a_narrower_header():
    # a wide number starting left of its header's text, reaching into it: under that header only
    def row(columns):
        first, end = columns["现行有效件数"]
        return _at([(2, "规章"), (first - 2, "123456")])

    assert _layout_with(row).active_disclosure["regulations"]["in_force"] == 123456


def test_layout_value_between_two_headers_is_not_placed_by_position():
    # under no header's text: by order only, and one value for three columns is not placed
    def row(columns):
        return _at([(2, "规章"), (columns["本年制发件数"][1] + 1, "1")])

    r = _layout_with(row)
    assert r.active_disclosure["regulations"] == {"issued": None, "repealed": None, "in_force": None}
    assert any(f.where.startswith("active_disclosure/regulations") for f in r.findings)




# ---------------------------------------------------------------------------
# a header naming fewer columns than the form
# ---------------------------------------------------------------------------

def _without_last_column(doc: Document, word: str) -> Document:
    """``doc`` with the last grid column of the table holding ``word`` cut off (the page edge)."""
    blocks = []
    for b in doc.blocks:
        if isinstance(b, Table) and any(word in c.text for c in b.cells):
            last = b.n_cols - 1
            cells = [attrs.evolve(c, col_span=min(c.col_span, last - c.col)) for c in b.cells if c.col != last]
            b = Table(cells, provenance=b.provenance)
        blocks.append(b)
    return Document(blocks, adapter=doc.adapter)


def test_review_table_whose_last_total_is_cut_off():
    # 1 0 0 1 | (2) fits its group two ways in sequence (总计 missing, or 结果维持 missing and 总计 1):
    # the header names the 14 columns that are there
    report = zero_report("2021")
    for path, v in {"litigation_after_review/upheld": 1, "litigation_after_review/pending": 1,
                    "litigation_after_review/total": 2, "administrative_review/corrected": 3,
                    "administrative_review/total": 3}.items():
        report = report.with_value(f"reviews_and_litigation/{path}", v)
    doc = _without_last_column(to_document(report), "结果维持")
    r = gxparse.map_document(doc)
    assert r.reviews_and_litigation == report.reviews_and_litigation
    assert r.derived == ("reviews_and_litigation/litigation_after_review/total",)
    rules = gxparse._mapping.map_records(doc).rules_fired
    assert "partial-header" in dict(rules)["reviews_and_litigation"] or any(
        "partial-header" in e.rules for e in gxparse._mapping.map_records(doc).trace)


def test_review_header_that_fits_several_ways_is_not_used():
    # the five names once, for three groups: which group they head is unknown
    from gxparse._mapping._place import unique_embedding

    names = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert unique_embedding(names, names * 3) is None
    assert unique_embedding(names * 3, names * 3) == list(range(15))
    assert unique_embedding((names * 3)[:-1], names * 3) == list(range(14))
    assert unique_embedding(names[1:] + names * 2, names * 3) == list(range(1, 15))


def test_item_header_without_its_last_column():
    report = zero_report("2021").with_value("active_disclosure/regulations/issued", 4) \
        .with_value("active_disclosure/regulations/repealed", 1).with_value("active_disclosure/regulations/in_force", 9)
    doc = _without_last_column(to_document(report), "本年制发件数")
    r = gxparse.map_document(doc)
    assert r.active_disclosure["regulations"] == {"issued": 4, "repealed": 1, "in_force": None}
    assert r.active_disclosure["normative_documents"] == {"issued": 0, "repealed": 0, "in_force": None}
