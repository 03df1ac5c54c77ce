"""The two ways the pypdfium2 backend calls PDFium (cffi, and the standard library's ctypes as the
fallback) read every page the same: the same glyphs, rulings, fills and notes, to the last bit."""

from __future__ import annotations

import pypdfium2.raw as pdfium_c
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxparse.formats import _pdfium_calls
from gxparse.formats._pdf_backends import open_backend
from gxparse.formats._pdf_scan import Limits
from gxparse.testing import reports
from pdf_quirks import QUIRKS, report_pdf

from conftest import SHARED, need_shared
from pdf_factory import font_pdf, long_report_pdf, unmapped_glyphs_pdf


def pages(pdf: bytes, layer: str, monkeypatch: pytest.MonkeyPatch) -> list:
    """Every page's PageData, read with the named call layer."""
    monkeypatch.setenv(_pdfium_calls.ENV_CALLS, layer)
    with open_backend("pypdfium2", pdf, Limits()) as doc:
        assert doc._x.name == layer  # type: ignore[attr-defined]
        return [doc.page(i) for i in range(doc.page_count)]


def same_both_ways(pdf: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = pages(pdf, "cffi", monkeypatch), pages(pdf, "ctypes", monkeypatch)
    assert len(a) == len(b)
    for pa, pb in zip(a, b):
        assert pa == pb, f"page {pa.number} differs"


CASES = [(q, v) for q, variants in QUIRKS.items() for v in variants]


@pytest.mark.parametrize(("quirk", "variant"), CASES, ids=[f"{q}-{v}" for q, v in CASES])
@settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_both_layers_read_a_quirky_report_the_same(quirk, variant, data, monkeypatch):
    # clipped and covered text, white rules, turned tables, glyphs painted twice: every path of the reader
    same_both_ways(report_pdf(data.draw(reports(), label="report"), quirk, variant), monkeypatch)


@pytest.mark.parametrize("kind", ["cid", "nameless", "mixed"])
def test_both_layers_read_fonts_without_unicode_the_same(kind, monkeypatch):
    same_both_ways(font_pdf(kind), monkeypatch)


def test_both_layers_read_unmapped_glyphs_and_long_files_the_same(monkeypatch):
    same_both_ways(unmapped_glyphs_pdf(), monkeypatch)
    same_both_ways(long_report_pdf(3), monkeypatch)


@pytest.mark.parametrize("name", ["samples/s00.pdf", "corpus/kiro_hzq_1.pdf", "field/pdf/white_text_placeholders.pdf"])
def test_both_layers_read_real_reports_the_same(name, monkeypatch):
    path = SHARED / name
    need_shared(path)
    same_both_ways(path.read_bytes(), monkeypatch)


def test_without_cffi_the_standard_library_calls_pdfium(monkeypatch):
    def no_cffi(self, c):
        raise ImportError("No module named 'cffi'")

    monkeypatch.setattr(_pdfium_calls, "_LAYERS", {})
    monkeypatch.setattr(_pdfium_calls._CffiCalls, "__init__", no_cffi)
    monkeypatch.setenv(_pdfium_calls.ENV_CALLS, "cffi")
    layer = _pdfium_calls.calls(pdfium_c)
    assert layer.name == "ctypes"  # asked for cffi, which cannot be had
    with open_backend("pypdfium2", long_report_pdf(1), Limits()) as doc:
        assert doc._x is layer  # type: ignore[attr-defined]
        assert doc.page(0).chars


def test_the_environment_chooses_the_layer(monkeypatch):
    monkeypatch.setenv(_pdfium_calls.ENV_CALLS, "cffi")
    assert _pdfium_calls.calls(pdfium_c).name == "cffi"
    monkeypatch.setenv(_pdfium_calls.ENV_CALLS, "ctypes")
    assert _pdfium_calls.calls(pdfium_c).name == "ctypes"


def test_a_process_moves_to_cffi_once_it_has_many_pages_to_read(monkeypatch):
    # one short report (the command line) stays on ctypes, which costs nothing to set up
    monkeypatch.delenv(_pdfium_calls.ENV_CALLS, raising=False)
    monkeypatch.setattr(_pdfium_calls, "_LAYERS", {})
    monkeypatch.setattr(_pdfium_calls, "_pages_asked", [0])
    limit = _pdfium_calls.CFFI_AFTER_PAGES
    assert _pdfium_calls.calls(pdfium_c, 5).name == "ctypes"
    assert _pdfium_calls.calls(pdfium_c, limit - 10).name == "ctypes"
    assert _pdfium_calls.calls(pdfium_c, 5).name == "cffi"  # the pages asked for reach the limit
    assert _pdfium_calls.calls(pdfium_c, 1).name == "cffi"  # and it stays
    monkeypatch.setattr(_pdfium_calls, "_pages_asked", [0])
    assert _pdfium_calls.calls(pdfium_c, limit).name == "cffi"  # one long document: at once
