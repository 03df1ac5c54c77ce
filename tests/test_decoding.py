"""Text as Windows tools and real servers write it: UTF-16/32 with or without a byte-order
mark in every text flavour, a few invalid bytes, a declared charset the bytes contradict."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gxparse
from _corpus_fixture import sample_report
from gxparse import UndecodableError
from gxparse._source import decode

from conftest import SHARED, need_shared
from kit.render import render

FLAVOURS = ("text-cells", "text-tab-cells", "text-tab-rows", "text-layout", "pipe-cells", "pipe-rows", "markdown",
            "html")
WIDE = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}
REPORT = sample_report(4)


def _numbers(report: gxparse.Report) -> tuple:
    return report.template, report.meta.agency, report.applications, report.active_disclosure, \
        report.reviews_and_litigation


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("encoding", list(WIDE))
@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
def test_utf16_and_utf32_read_like_utf8(flavour, encoding, bom):
    out = render(REPORT, flavour)
    text = out.data.decode("utf-8")
    if flavour == "html":
        text = text.replace('charset="utf-8"', f'charset="{encoding}"')
    data = (WIDE[encoding] if bom else b"") + text.encode(encoding)
    want = gxparse.parse(out.data)
    got = gxparse.parse(data)
    assert _numbers(got) == _numbers(want)
    assert got.source.format == want.source.format
    assert not [f for f in got.findings if f.code in ("unreadable", "converted")]


def test_the_field_case_utf16_with_bom():
    path = SHARED / "field" / "text" / "utf16_with_bom.txt"
    seed = SHARED / "seeds" / "002_15d564b43078fcdc.txt"
    need_shared(path, seed)
    assert gxparse.parse(path).to_dict()["applications"] == gxparse.parse(seed).to_dict()["applications"]


def _with_bad_bytes(data: bytes, offsets: list[int], bad: bytes = b"\xff") -> bytes:
    buf = bytearray(data)
    for off in sorted(offsets, reverse=True):
        buf[off:off] = bad
    return bytes(buf)


@pytest.mark.parametrize("flavour", ["text-cells", "text-layout", "markdown", "html"])
def test_a_few_invalid_bytes_are_replaced_and_named_by_line(flavour):
    data = render(REPORT, flavour).data
    # after the first line break: inside the text, between whole characters
    first = data.index(b"\n") + 1
    second = data.index(b"\n", data.index(b"\n", first) + 1) + 1
    bad = _with_bad_bytes(data, [first, second])
    report = gxparse.parse(bad)
    notes = [f for f in report.findings if f.code == "unreadable"]
    assert [f.where for f in notes] == ["line 2", "line 4"] if flavour != "html" else len(notes) == 2
    assert all("ff" in f.message and f.severity == "warning" for f in notes)
    assert _numbers(report)[2:] == _numbers(gxparse.parse(data))[2:]


def test_an_invalid_utf8_byte_after_a_bom_is_replaced_not_refused():
    data = codecs.BOM_UTF8 + _with_bad_bytes(render(REPORT, "text-cells").data, [10 * 3])
    report = gxparse.parse(data)
    assert [f.code for f in report.findings if f.code == "unreadable"] == ["unreadable"]


def test_the_field_case_one_invalid_byte():
    path = SHARED / "field" / "text" / "one_invalid_byte.txt"
    need_shared(path)
    report = gxparse.parse(path)
    [note] = [f for f in report.findings if f.code == "unreadable"]
    assert note.where.startswith("line ") and note.evidence["source_location"] == note.where
    assert report.meta.agency == "黑河市自然资源委员会"


def test_many_invalid_bytes_are_another_encoding_not_utf8_with_holes():
    text = "黑河市自然资源委员会2022年政府信息公开工作年度报告\n" * 20
    gbk = text.encode("gbk")
    d = decode(gbk)
    assert d.encoding == "gb18030" and d.text == text and d.notes == ()
    with pytest.raises(UndecodableError):
        decode(bytes(range(256)) * 50)


def test_a_declared_charset_the_bytes_contradict_is_overruled_with_a_note():
    html = REPORT and render(REPORT, "html").data.decode("utf-8")
    gbk = html.replace('charset="utf-8"', 'charset="utf-8"').encode("gb18030")
    report = gxparse.parse(gbk)
    [note] = [f for f in report.findings if f.code == "converted"]
    assert note.severity == "info" and note.evidence == {
        "declared": "utf-8", "decoded_as": "gb18030", "converter": "gxparse encoding detection"}
    assert _numbers(report) == _numbers(gxparse.parse(render(REPORT, "html").data))


def test_the_field_case_gbk_page_declared_utf8():
    path = SHARED / "field" / "text" / "gbk_page_declared_utf8.html"
    need_shared(path)
    report = gxparse.parse(path)
    assert report.meta.agency == "黑河市自然资源委员会" and report.applications is not None
    assert [f.code for f in report.findings if f.code == "converted"] == ["converted"]


@settings(max_examples=30)
@given(st.sampled_from(["text-cells", "text-layout", "pipe-rows", "markdown"]),
       st.lists(st.floats(0, 1), min_size=1, max_size=3), st.sampled_from([b"\xff", b"\xc3", b"\x80", b"\xed\xa0"]))
def test_invalid_bytes_anywhere_never_change_a_number(flavour, where, bad):
    """Bytes that are not UTF-8, inserted anywhere (even inside a number or a label), are read
    as U+FFFD with a finding: a value may become null, never a different number."""
    data = render(REPORT, flavour).data
    # insert at character boundaries only: a byte inside a character would make two bad places
    text = data.decode("utf-8")
    cuts = sorted({int(f * len(text)) for f in where})
    pieces, last = [], 0
    for c in cuts:
        pieces.append(text[last:c].encode("utf-8"))
        last = c
    pieces.append(text[last:].encode("utf-8"))
    report = gxparse.parse(bad.join(pieces))
    assert any(f.code == "unreadable" for f in report.findings)
    truth = REPORT.to_dict()
    for table in ("applications", "reviews_and_litigation"):
        got = getattr(report, table) or {}
        for row, cols in got.items():
            for col, value in cols.items():
                want = truth[table].get(row, {}).get(col)
                assert value is None or want is None or value == want, (table, row, col, value, want)
