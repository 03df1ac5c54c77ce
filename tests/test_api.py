"""The public API surface: parse() inputs, Report serialisation, a light import."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

import gxparse


def test_import_is_light():
    code = ("import sys, gxparse; heavy = [m for m in ('pdfplumber', 'pdfminer', 'lxml', 'bs4', 'pypdfium2', "
            "'charset_normalizer', 'hypothesis') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_public_names():
    for name in gxparse.__all__:
        assert getattr(gxparse, name) is not None
    with pytest.raises(AttributeError):
        gxparse.no_such_name  # noqa: B018


def test_parse_path_bytes_text_source(seeds_dir):
    path = next(seeds_dir.glob("002_*.txt"))
    by_path = gxparse.parse(path)
    by_str_path = gxparse.parse(str(path))
    by_bytes = gxparse.parse(path.read_bytes())
    by_text = gxparse.parse(path.read_text(encoding="utf-8"))
    by_source = gxparse.parse(gxparse.Source.from_path(path))
    for r in (by_str_path, by_bytes, by_text, by_source):
        assert r.applications == by_path.applications
        assert r.source.sha256 == by_path.source.sha256 or r is by_text
    assert by_path.source.path == str(path)
    assert by_bytes.source.path is None


def test_gbk_bytes_decode(seeds_dir):
    path = next(seeds_dir.glob("002_*.txt"))
    text = path.read_text(encoding="utf-8")
    report = gxparse.parse(text.encode("gb18030"))
    assert report.active_disclosure["fees"]["amount_10k_yuan"] == Decimal("1944.0495")


def test_report_helpers(seeds_dir):
    r = gxparse.parse(next(seeds_dir.glob("002_*.txt")))
    assert r.get("applications/received_new/total") == 3
    assert r.get("applications/nope/total") is None
    assert r.ok and r.errors == ()
    assert all(f.code == "label-variant" for f in r.findings_by_code("label-variant"))


def test_to_json_is_valid_and_exact(seeds_dir):
    r = gxparse.parse(next(seeds_dir.glob("002_*.txt")))
    text = r.to_json()
    data = json.loads(text, parse_float=Decimal)
    assert data["active_disclosure"]["fees"]["amount_10k_yuan"] == Decimal("1944.0495")
    assert '"amount_10k_yuan": 1944.0495' in text
    assert json.loads(r.to_json(indent=None)) == json.loads(text)
    assert "\n" not in r.to_json(indent=None)


def test_stages_are_public(seeds_dir):
    path = next(seeds_dir.glob("004_*.txt"))
    doc = gxparse.extract(path)
    assert isinstance(doc, gxparse.Document) and doc.adapter == "markdown"
    assert len(doc.tables) == 3
    report = gxparse.map_document(doc)
    assert report.applications == gxparse.parse(path).applications
    with pytest.raises(gxparse.NotAReportError):
        gxparse.map_document(gxparse.Document([gxparse.Paragraph("无表格")]))
