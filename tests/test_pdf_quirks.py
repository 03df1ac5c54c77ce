"""What a person reads on the page, whatever the PDF does underneath (issue 13).

Whole generated reports are drawn with one quirk each (``tests/pdf_quirks.py``: white text,
duplicated glyphs, digits running over a rule, no rules at all, invisible rules, a table turned
by 90°), in several variants; parsing them must give every number the person reads, with both
backends giving the same Document. The field cases of ``../shared/field/pdf`` are checked too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gxparse
from gxparse import Source
from gxparse.formats.pdf import PdfAdapter
from gxparse.testing import reports
from pdf_quirks import QUIRKS, report_pdf

from conftest import SHARED, need_shared
from kit.noise import Noise
from kit.oracle import compare, expected_outcome

CASES = [(q, v) for q, variants in QUIRKS.items() for v in variants]
FIELD = SHARED / "field" / "pdf"

quirk_settings = settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))


def parse_both(pdf: bytes) -> gxparse.Report:
    """Parse with both backends; their Documents must be the same. Returns the default's report."""
    docs = [PdfAdapter(b).extract(Source.from_bytes(pdf, "report.pdf")) for b in ("pypdfium2", "pdfplumber")]
    assert docs[0] == docs[1], "the backends read the PDF differently"
    return gxparse.map_document(docs[0])


def problems(report: gxparse.Report, expected) -> list[str]:
    """compare(), less the hidden-text notes (checked on their own)."""
    return [p for p in compare(report, expected) if "hidden-text" not in p]


@pytest.mark.parametrize(("quirk", "variant"), CASES, ids=[f"{q}-{v}" for q, v in CASES])
@quirk_settings
@given(data=st.data())
def test_numbers_as_a_person_reads_them(quirk, variant, data):
    report = data.draw(reports(), label="report")
    parsed = parse_both(report_pdf(report, quirk, variant))
    assert problems(parsed, expected_outcome(report)) == []
    hidden = [f for f in parsed.findings if f.code == "hidden-text"]
    if quirk == "white_text":
        # what was dropped is said, page by page, as an info finding
        assert hidden and all(f.severity == "info" and f.where.startswith("page ") for f in hidden)
        assert {f.where for f in hidden} >= {"page 2"}
    else:
        assert hidden == []


@quirk_settings
@given(data=st.data())
def test_white_text_note_names_what_was_dropped(data):
    report = data.draw(reports(template="2021"), label="report")
    parsed = parse_both(report_pdf(report, "white_text", "after"))
    notes = {f.where: f for f in parsed.findings if f.code == "hidden-text"}
    note = notes["page 2"]
    assert set(note.evidence["text"]) == {"0"} and note.evidence["reasons"] == {
        "the colour of the page under it": note.evidence["glyphs"]}


@pytest.mark.parametrize("variant", QUIRKS["borderless"])
@quirk_settings
@given(data=st.data())
def test_blank_cells_of_a_table_without_rules_keep_their_columns(variant, data):
    # a row with fewer values than columns: the values go to the columns under which they are
    report = data.draw(reports(template="2021"), label="report")
    paths = sorted(p for p in report.paths() if p.startswith("applications/") and not p.endswith("/total"))
    blanks = frozenset(data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=4, unique=True),
                                 label="blanks"))
    noise = Noise(blanks=blanks)
    parsed = parse_both(report_pdf(report, "borderless", variant, noise))
    assert problems(parsed, expected_outcome(report, noise)) == []


def test_tables_without_rules_are_marked_in_provenance():
    report = _one_report()
    doc = PdfAdapter().extract(Source.from_bytes(report_pdf(report, "borderless", "centred"), "r.pdf"))
    assert doc.tables and all("without rules" in (t.provenance.locator or "") for t in doc.tables)
    ruled = PdfAdapter().extract(Source.from_bytes(report_pdf(report), "r.pdf"))
    assert ruled.tables and all(t.provenance.locator is None for t in ruled.tables)


def _one_report():
    found = []

    @settings(max_examples=1, database=None, derandomize=True)
    @given(reports(template="2021"))
    def grab(r):
        found.append(r)

    grab()
    return found[0]


# -- the field cases -----------------------------------------------------------------------------

FIELD_CASES = ["white_text_placeholders", "far_duplicate_digits", "digit_overflows_border", "borderless",
               "white_rules_in_number_columns", "no_tounicode"]


@pytest.mark.parametrize("name", FIELD_CASES)
@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_field_case(name, backend):
    need_shared(FIELD)
    path = FIELD / f"{name}.pdf"
    expected = json.loads((FIELD / f"{name}.expected.json").read_text(encoding="utf-8"))
    if name == "no_tounicode":
        # its Chinese text uses a font with neither a Unicode map nor glyph names: not readable
        with pytest.raises(gxparse.NeedsOCRError) as info:
            gxparse.parse(path, format=PdfAdapter(backend))
        assert "uses fonts with no Unicode mapping (WenQuanYiZenHei-0)" in str(info.value)
        assert "OCR is needed" in str(info.value) and "pre-2019" not in str(info.value)
        return
    report = gxparse.parse(path, format=PdfAdapter(backend))
    got = json.loads(report.to_json())
    wrong = [f"{t}/{r}/{c}: {got[t][r][c]!r} != {v!r}" for t, rows in expected["numbers"].items()
             for r, cols in rows.items() for c, v in cols.items() if got[t][r][c] != v]
    assert wrong == []
    assert report.meta.agency == expected["meta"]["agency"] and report.meta.year == expected["meta"]["year"]
    assert not list(report.errors)


def test_field_hidden_text_is_reported():
    need_shared(FIELD)
    report = gxparse.parse(FIELD / "white_text_placeholders.pdf")
    hidden = [f for f in report.findings if f.code == "hidden-text"]
    assert hidden and {f.where for f in hidden} == {"page 2"} and hidden[0].severity == "info"


def test_field_borderless_tables_come_from_positions():
    need_shared(FIELD)
    doc = gxparse.extract(Path(FIELD / "borderless.pdf"))
    assert len(doc.tables) >= 3
    assert all("without rules" in (t.provenance.locator or "") for t in doc.tables)
