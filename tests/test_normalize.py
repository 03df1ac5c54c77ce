"""Normalisation of labels and numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gxparse._normalize import (
    core,
    dice,
    is_labelish,
    norm,
    numbering,
    parse_value,
    split_numbers,
)


@pytest.mark.parametrize("raw, want", [
    ("（一）予以公开", "(一)予以公开"),
    ("(一) 予以公开", "(一)予以公开"),
    ("第二十条第（ 一 ）项", "第二十条第(一)项"),
    ("社会\n公益\n组织", "社会公益组织"),
    ("本年收费金额（单位：万元）", "本年收费金额(单位:万元)"),
    ("危及“三安全一稳定”", '危及"三安全一稳定"'),
    ("\u3000\u3000一、总体情况", "一、总体情况"),
    ("结\u00a0果\u200b维持", "结果维持"),
])
def test_norm(raw, want):
    assert norm(raw) == want


@pytest.mark.parametrize("raw, want", [
    ("（一）予以公开", "予以公开"),
    ("(二) 部分公开", "部分公开"),
    ("1.属于国家秘密", "属于国家秘密"),
    ("1. 属于国家秘密", "属于国家秘密"),
    ("3、其他", "其他"),
    ("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"),
    ("（七）总计", "总计"),
    ("第二十条第（一）项", "第二十条第(一)项"),
    ("2021年", "2021年"),
    ("1944.0495", "1944.0495"),
])
def test_core_strips_numbering_only(raw, want):
    assert core(raw) == want


def test_numbering():
    assert numbering("（三）不予公开") == "(三)"
    assert numbering("2.重复申请") == "2"
    assert numbering("规章") is None


@pytest.mark.parametrize("raw, kind, number, unit", [
    ("0", "number", Decimal(0), None),
    ("1,234", "number", Decimal(1234), None),
    ("1944.0495", "number", Decimal("1944.0495"), None),
    ("１２３", "number", Decimal(123), None),  # full-width digits
    ("\u3000 0", "number", Decimal(0), None),
    ("-3", "number", Decimal(-3), None),
    ("－3", "number", Decimal(-3), None),
    ("\u22123", "number", Decimal(-3), None),
    ("251000元", "number", Decimal(251000), "元"),
    ("12.5万元", "number", Decimal("12.5"), "万元"),
    ("3件", "number", Decimal(3), "件"),
    ("", "blank", None, None),
    ("—", "blank", None, None),
    ("-", "blank", None, None),
    ("/", "blank", None, None),
    ("无", "blank", None, None),
    ("------", "blank", None, None),
    ("规章", "text", None, None),
    ("1,23", "text", None, None),
    ("O", "text", None, None),
])
def test_parse_value(raw, kind, number, unit):
    v = parse_value(raw)
    assert (v.kind, v.number, v.unit) == (kind, number, unit)


def test_split_numbers():
    assert [v.number for v in split_numbers("0 0  3")] == [0, 0, 3]
    assert split_numbers("3") is None
    assert split_numbers("行政 许可") is None


def test_labelish():
    assert is_labelish("规章")
    assert is_labelish("(一)予以公开")
    assert not is_labelish("0")
    assert not is_labelish("")
    assert not is_labelish("-4-")


def test_dice():
    assert dice("无正当理由大量反复申请", "无正当理由大量反复申请") == 1.0
    assert 0.7 < dice("无正当理由大量重复申请", "无正当理由大量反复申请") < 1.0
    assert dice("规章", "行政许可") == 0.0


_WIDTH = str.maketrans("0123456789()", "０１２３４５６７８９（）")


@given(st.text(alphabet="一二三四五六七八九十予以公开不处理其他总计0123456789()、. ", max_size=30))
def test_norm_is_idempotent_and_blind_to_width_and_spaces(text):
    assert norm(norm(text)) == norm(text)
    assert norm(text.translate(_WIDTH)) == norm(text)
    assert norm(" ".join(text)) == norm(text)
    assert norm(text.replace(" ", "\u3000")) == norm(text)
    assert core(core(text)) == core(text)
    assert core(" ".join(text).translate(_WIDTH)) == core(text)


@given(st.integers(min_value=-10**9, max_value=10**12))
def test_integers_read_back(n):
    assert parse_value(str(n)).number == n
    assert parse_value(f"{n:,}").number == n
    assert parse_value(str(n).translate(_WIDTH)).number == n
