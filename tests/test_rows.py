"""Rows as real documents print them (issue 15, item 2): values under the header they are printed
beneath (space-aligned text counted in display columns; a header naming fewer columns than the
form), rows printed twice, abbreviated labels within their group, a forced template that the
headers contradict."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest

import gxparse
from gxparse.testing import zero_report

from kit.noise import Noise
from kit.render import render

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


