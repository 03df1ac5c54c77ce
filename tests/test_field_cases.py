"""The field cases (``../shared/field/text/``): each file gives the result ``../shared/field/README.md``
states (issue 15). The markdown and decoding cases are in ``test_format_markdown.py`` and
``test_decoding.py``; variants of each kind are in the tests of the kind (``test_cells.py``,
``test_rows.py``, ``test_meta_agency.py``)."""

from __future__ import annotations

import gxparse

from conftest import SHARED, need_shared

FIELD = SHARED / "field" / "text"


def _parse(name: str) -> gxparse.Report:
    need_shared(FIELD / name)
    return gxparse.parse(FIELD / name)


def _codes(r: gxparse.Report, path: str) -> set[str]:
    return {f.code for f in r.findings if f.where == path}


def test_footnote_mark_in_cell():
    r = _parse("footnote_mark_in_cell.html")
    path = "active_disclosure/normative_documents/issued"
    assert r.active_disclosure["normative_documents"]["issued"] == 6  # never 61
    assert "footnote-mark" in _codes(r, path)


def test_two_numbers_in_one_cell():
    r = _parse("two_numbers_in_one_cell.txt")
    path = "active_disclosure/normative_documents/published"
    assert r.active_disclosure["normative_documents"]["published"] is None  # never 102
    [f] = [f for f in r.findings if f.code == "unreadable" and f.where == path]
    assert "10 2" in f.message and f.evidence["source_location"]


def test_layout_blank_beside_value():
    r = _parse("layout_blank_beside_value.txt")
    assert r.template == "2019"
    assert r.active_disclosure["fees"] == {"previous_items": 1, "change": None}
    assert "missing-value" in _codes(r, "active_disclosure/fees/change")


def test_abbreviated_other_labels():
    r = _parse("abbreviated_other_labels.md")
    got = {k: r.applications[f"results.other.{k}"]["natural_person"] for k in ("overdue_correction", "overdue_fee",
                                                                                  "other")}
    assert got == {"overdue_correction": 2, "overdue_fee": 0, "other": 1}
    assert "label-variant" in _codes(r, "applications/results.other.overdue_correction")
    assert "label-variant" in _codes(r, "applications/results.other.overdue_fee")
    assert not [f for f in r.findings if f.code == "unknown-row"]


def test_repeated_row():
    r = _parse("repeated_row.md")
    [f] = [f for f in r.findings if f.code == "repeated-row"]
    assert f.severity == "error" and f.where == "applications/received_new"
    assert f.evidence["first"]["natural_person"] == "10" and f.evidence["second"]["natural_person"] == "99"
    assert f.evidence["places"] == ["line 7", "line 37"]
    # the value is taken from neither print: derived from the invariants (listed), never 99
    row = r.applications["received_new"]
    assert row["natural_person"] in (None, 10) and row["total"] in (None, 11)
    assert all(f"applications/received_new/{c}" in r.derived for c in ("natural_person", "total")
               if row[c] is not None)


def test_agency_short_place_name():
    assert _parse("agency_short_place_name.md").meta.agency == "宿迁市"


def test_chinese_numeral_year_in_title():
    r = _parse("chinese_numeral_year_in_title.txt")
    assert (r.meta.agency, r.meta.year) == ("南岗区城管局", 2021)
