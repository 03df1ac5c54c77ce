"""Golden tests: the five seed reports, every number checked by hand.

The golden files in ``tests/golden/seeds/`` were written from reading each
seed document (see each file's ``checked`` note), not from gxparse's output.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import gxparse

GOLDEN = Path(__file__).parent / "golden" / "seeds"
CASES = sorted(p.stem for p in GOLDEN.glob("*.json"))


def _golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"), parse_float=Decimal)


@pytest.fixture(scope="module", params=CASES)
def case(request, seeds_dir):
    name = request.param
    return name, _golden(name), gxparse.parse(seeds_dir / f"{name}.txt")


def test_there_is_a_golden_file_for_every_seed(seeds_dir):
    assert sorted(p.stem for p in seeds_dir.glob("*.txt")) == CASES


def test_template_format_and_meta(case):
    _name, want, report = case
    assert report.template == want["template"]
    assert report.source.format == want["format"]
    assert report.meta.to_dict() == want["meta"]


def test_every_number(case):
    name, want, report = case
    got = report.to_dict()
    for table, rows in want["numbers"].items():
        assert got[table] == rows, f"{name}: {table}"
        for row in rows.values():
            for v in row.values():
                assert v is None or (isinstance(v, (int, Decimal)) and not isinstance(v, bool))


def test_derived_cells(case):
    _name, want, report = case
    assert sorted(report.derived) == sorted(want["derived"])
    derived_findings = {f.where for f in report.findings if f.code == "derived-value"}
    assert derived_findings == set(want["derived"])


def test_findings(case):
    _name, want, report = case
    got = sorted([f.severity, f.code, f.where] for f in report.findings if f.code != "derived-value")
    assert got == sorted(want["findings"])


def test_sections(case):
    _name, want, report = case
    assert [[s.key, s.number] for s in report.sections] == want["sections"]
    assert all(s.title for s in report.sections)


def test_json_round_trip_keeps_money_exact(case):
    _name, want, report = case
    data = json.loads(report.to_json(), parse_float=Decimal)
    for table in ("active_disclosure", "applications", "reviews_and_litigation"):
        assert data[table] == want["numbers"][table]
    fees = data["active_disclosure"]["fees"]
    assert fees == want["numbers"]["active_disclosure"]["fees"]
    assert list(data) == ["source", "template", "meta", "sections", "active_disclosure", "applications",
                          "reviews_and_litigation", "derived", "findings"]
