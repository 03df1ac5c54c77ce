"""The realistic samples saved by an office suite as Word 2007+ (``sNN.docx``) and Word 97-2003
(``sNN.doc``), against ``sNN.expected.json``: every number, the template, agency, year,
phone and the error findings. The .doc files are read through LibreOffice; without it
those tests skip, naming what is missing."""

from __future__ import annotations

import pytest

import gxparse
from gxparse.formats._soffice import find_soffice

from _expect import compare, load_expected

SAMPLES = [f"s0{i}" for i in range(6)]
NO_SOFFICE = "LibreOffice (soffice) is not on PATH: .doc files cannot be converted (apt-get install " \
             "libreoffice-writer-nogui)"


@pytest.mark.parametrize("stem", SAMPLES)
def test_docx_sample(samples_dir, stem):
    report = gxparse.parse(samples_dir / f"{stem}.docx")
    assert report.source.format == "docx"
    assert compare(report, load_expected(samples_dir / f"{stem}.expected.json")) == []
    assert not [f for f in report.findings if f.code in ("unreadable", "hidden-text", "converted")]


@pytest.mark.parametrize("stem", SAMPLES)
def test_docx_and_html_give_the_same_record(samples_dir, stem):
    """Beyond the expected numbers: the Word file and the web page of the same report give the
    same record, findings included (their places aside: table cells against lines)."""
    word = gxparse.parse(samples_dir / f"{stem}.docx").to_dict()
    page = gxparse.parse(samples_dir / f"{stem}.html").to_dict()
    for key in ("template", "active_disclosure", "applications", "reviews_and_litigation", "derived"):
        assert word[key] == page[key], key
    assert word["meta"]["agency"] == page["meta"]["agency"] and word["meta"]["year"] == page["meta"]["year"]
    assert [(f["code"], f["where"]) for f in word["findings"]] == [(f["code"], f["where"]) for f in page["findings"]]


@pytest.mark.parametrize("stem", SAMPLES)
def test_doc_sample_through_libreoffice(samples_dir, stem):
    if find_soffice() is None:
        pytest.skip(NO_SOFFICE)
    report = gxparse.parse(samples_dir / f"{stem}.doc")
    assert compare(report, load_expected(samples_dir / f"{stem}.expected.json")) == []
    (converted,) = [f for f in report.findings if f.code == "converted"]
    assert converted.severity == "info" and converted.evidence["converter"] == "soffice"
    assert converted.evidence["version"].startswith("LibreOffice")
    assert "Word 97-2003" in converted.message


def test_doc_conversions_in_parallel_do_not_collide(samples_dir):
    """Each conversion has its own LibreOffice profile: two at once both succeed."""
    if find_soffice() is None:
        pytest.skip(NO_SOFFICE)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(gxparse.parse, [samples_dir / "s00.doc", samples_dir / "s01.doc"]))
    for stem, report in zip(("s00", "s01"), reports):
        assert compare(report, load_expected(samples_dir / f"{stem}.expected.json")) == []


def test_a_damaged_doc_is_one_clear_error(samples_dir):
    if find_soffice() is None:
        pytest.skip(NO_SOFFICE)
    data = (samples_dir / "s00.doc").read_bytes()
    damaged = data[:512] + bytes(len(data) - 512)  # the header alone: no FAT, no directory
    with pytest.raises(gxparse.GxparseError) as info:
        gxparse.parse(gxparse.Source.from_bytes(damaged, "damaged.doc"))
    assert "\n" not in str(info.value) and str(info.value).startswith("damaged.doc: ")


def test_conversion_time_limit(samples_dir, monkeypatch):
    if find_soffice() is None:
        pytest.skip(NO_SOFFICE)
    monkeypatch.setenv("GXPARSE_SOFFICE_TIMEOUT", "0.05")
    with pytest.raises(gxparse.ExtractError, match=r"did not finish converting the file within 0\.05 s"):
        gxparse.parse(samples_dir / "s00.doc")
