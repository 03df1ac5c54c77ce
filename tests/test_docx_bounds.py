"""Hostile Word files: a ZIP bomb (honest and lying sizes), tables nested 1,000 deep, 100,000
paragraphs, relationships to the outside world, XML entity attacks. Each gives a record or one
clear GxparseError, within a time bound and with bounded memory; the fixtures are made here."""

from __future__ import annotations

import io
import socket
import struct
import tracemalloc
import zipfile

import pytest

import gxparse
from gxparse import GxparseError, Source
from gxparse.formats import docx as docx_module
from gxparse.formats.docx import DocxAdapter
from gxparse.testing import call_with_timeout, zero_report

from kit.render import docx_package, render

ADAPTER = DocxAdapter()
TIMEOUT = 10.0
_DOC_OPEN = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
             'wordprocessingml/2006/main"><w:body>')
_DOC_CLOSE = "</w:body></w:document>"


def _bomb(inflated: int) -> bytes:
    """A package whose document.xml inflates to ``inflated`` bytes of white space (about 1,000:1)."""
    buf = io.BytesIO()
    base = docx_package("<w:p/>")
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info.filename, src.read(info))
        with dst.open("word/document.xml", "w") as f:
            f.write(_DOC_OPEN.encode())
            chunk = b" " * (1 << 20)
            for _ in range(inflated // len(chunk)):
                f.write(chunk)
            f.write(_DOC_CLOSE.encode())
    return buf.getvalue()


def _lie_about_sizes(data: bytes, name: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size of ``name`` in the local header and the central directory."""
    out = bytearray(data)
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = out.find(signature)
        while at >= 0:
            n = struct.unpack_from("<H", out, at + (26 if signature == b"PK\x03\x04" else 28))[0]
            if bytes(out[at + name_at:at + name_at + n]) == name:
                struct.pack_into("<I", out, at + offset, size)
            at = out.find(signature, at + 4)
    return bytes(out)


def _peak_mb(fn, *args):
    tracemalloc.start()
    try:
        try:
            result: object = call_with_timeout(fn, TIMEOUT, *args)
        except GxparseError as exc:
            result = exc
        return result, tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def test_zip_bomb_is_refused_before_it_inflates():
    data = _bomb(150 << 20)
    assert len(data) < 1 << 20  # 150 MB in under 1 MB
    result, peak = _peak_mb(gxparse.parse, Source.from_bytes(data, "bomb.docx"))
    assert isinstance(result, gxparse.ResourceLimitError), result
    assert "word/document.xml would inflate to" in str(result) and "\n" not in str(result)
    assert peak < 20, f"{peak:.0f} MB"


def test_zip_bomb_lying_about_its_size_inflates_no_further_than_it_says():
    data = _lie_about_sizes(_bomb(150 << 20), b"word/document.xml", 4096)
    result, peak = _peak_mb(gxparse.parse, Source.from_bytes(data, "liar.docx"))
    assert isinstance(result, GxparseError), result  # the XML is cut short, or the CRC does not match
    assert peak < 20, f"{peak:.0f} MB"


def test_part_that_inflates_beyond_the_bound_even_when_declared_small(monkeypatch):
    monkeypatch.setattr(docx_module, "MAX_PART_BYTES", 1 << 20)
    data = _bomb(3 << 20)
    with pytest.raises(gxparse.ResourceLimitError, match="inflate"):
        ADAPTER.extract(Source.from_bytes(data, "x.docx"))


def test_tables_nested_a_thousand_deep_are_one_clear_error():
    body = "<w:tbl><w:tr><w:tc>" * 1000 + "<w:p><w:r><w:t>底</w:t></w:r></w:p>" + "</w:tc></w:tr></w:tbl>" * 1000
    data = docx_package(body)
    with pytest.raises(gxparse.ResourceLimitError) as info:
        call_with_timeout(gxparse.parse, TIMEOUT, Source.from_bytes(data, "deep.docx"))
    assert "nested more than" in str(info.value) and str(info.value).startswith("deep.docx: ")


def test_tables_nested_sixty_deep_are_read():
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p>{}</w:tc>"
    inner = ""
    for level in range(60):
        inner = f"<w:tbl><w:tr>{cell.format(level, inner)}<w:tc><w:p/></w:tc></w:tr></w:tbl>"
    doc = call_with_timeout(ADAPTER.extract, TIMEOUT, Source.from_bytes(docx_package(inner), "n.docx"))
    assert len(doc.tables) == 60 and doc.tables[0].cells[0].text == "59"
    assert doc.tables[-1].provenance.locator == "table 60"


def test_a_hundred_thousand_paragraphs_in_bounded_time():
    body = "".join(f"<w:p><w:r><w:t>第{i}段</w:t></w:r></w:p>" for i in range(100_000))
    data = docx_package(body)
    doc = call_with_timeout(ADAPTER.extract, 30.0, Source.from_bytes(data, "long.docx"))
    assert len(doc.blocks) == 100_000 and doc.blocks[-1].provenance.locator == "paragraph 100000"
    with pytest.raises(gxparse.NotAReportError):
        call_with_timeout(gxparse.parse, 60.0, Source.from_bytes(data, "long.docx"))


def test_too_many_cells_and_blocks(monkeypatch):
    monkeypatch.setattr(docx_module, "MAX_CELLS_AND_BLOCKS", 1000)
    body = "".join(f"<w:p><w:r><w:t>{i}</w:t></w:r></w:p>" for i in range(2000))
    with pytest.raises(gxparse.ResourceLimitError, match="more than 1000 paragraphs and table cells"):
        ADAPTER.extract(Source.from_bytes(docx_package(body), "x.docx"))


def test_external_relationships_are_never_fetched(monkeypatch):
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network use in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    report = render(zero_report("2021"), "docx").data
    with zipfile.ZipFile(io.BytesIO(report)) as z:
        document = z.read("word/document.xml").decode()
    linked = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> INCLUDETEXT '
              '"http://127.0.0.1:9/evil.docx" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
              '<w:r><w:t>附件</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
              '<w:hyperlink r:id="rIdLink"><w:r><w:t>链接</w:t></w:r></w:hyperlink></w:p>'
              '<w:altChunk r:id="rIdChunk"/>')
    document = document.replace("<w:body>", "<w:body>" + linked, 1)
    data = docx_package("", parts={"word/document.xml": document.encode()}, relationships=[
        ("rIdLink", "hyperlink", "http://127.0.0.1:9/page"),
        ("rIdChunk", "aFChunk", "http://127.0.0.1:9/chunk.html"),
        ("rIdImg", "image", "http://127.0.0.1:9/image.png"),
        ("rIdTpl", "attachedTemplate", "file:///etc/passwd"),
        ("rIdSt", "styles", "http://127.0.0.1:9/styles.xml"),
    ])
    parsed = call_with_timeout(gxparse.parse, TIMEOUT, Source.from_bytes(data, "linked.docx"))
    assert parsed.applications is not None and attempts == []
    assert any(f.code == "unreadable" and "w:altChunk" in f.message for f in parsed.findings)


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml"])
def test_xml_entity_attacks_are_refused(part):
    xxe = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
           '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
           "<w:t>&xxe;&c;</w:t></w:r></w:p></w:body></w:document>")
    data = docx_package("<w:p><w:r><w:t>正文</w:t></w:r></w:p>", parts={part: xxe.encode()})
    with pytest.raises(gxparse.ExtractError) as info:
        call_with_timeout(ADAPTER.extract, TIMEOUT, Source.from_bytes(data, "xxe.docx"))
    assert f"{part} declares a DTD" in str(info.value) and "root:" not in str(info.value)


def test_damaged_and_odd_packages_are_one_clear_error():
    good = docx_package("<w:p><w:r><w:t>正文</w:t></w:r></w:p>")
    cases = {
        "truncated": good[: len(good) // 2],
        "not xml": docx_package("", parts={"word/document.xml": b"\x00\x01 not xml"}),
        "spreadsheet root": docx_package("", parts={"word/document.xml": b"<workbook/>"}),
        "no main part": docx_package("", parts={"_rels/.rels": b"<Relationships/>", "word/document.xml": b""}),
    }
    for what, data in cases.items():
        with pytest.raises(GxparseError) as info:
            call_with_timeout(ADAPTER.extract, TIMEOUT, Source.from_bytes(data, "bad.docx"))
        assert "\n" not in str(info.value) and str(info.value).startswith("bad.docx: "), what
