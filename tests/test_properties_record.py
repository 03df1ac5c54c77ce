"""The record round trip: ``Report.from_dict(r.to_dict()) == r`` and ``from_json(to_json)``,
for every report the strategies draw (valid and broken, both templates, with noise)."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

import gxparse
from gxparse import Report, SourceInfo
from gxparse.testing import reports

from kit.oracle import broken_reports
from kit.render import noises, to_document


@st.composite
def parsed_reports(draw) -> Report:
    report = draw(st.one_of(reports(), broken_reports().map(lambda b: b.report)))
    noise = draw(noises(report))
    part = draw(st.sampled_from([None, "pages 3-7", "lines 10-200"]))
    source = SourceInfo(draw(st.sampled_from([None, "a/b.pdf", "报告 2021.html"])), "hypothesis", "ab" * 32, part)
    return gxparse.map_document(to_document(report, noise), source=source)


@given(parsed_reports())
def test_from_dict_of_to_dict_is_the_report(report):
    again = Report.from_dict(report.to_dict())
    assert again == report
    assert again.to_dict() == report.to_dict()


@given(parsed_reports())
def test_from_json_of_to_json_is_the_report_with_money_exact(report):
    for indent in (None, 1):
        again = Report.from_json(report.to_json(indent=indent))
        assert again == report and again.to_json() == report.to_json()
    money = [again.get(p) for p in ("active_disclosure/fees/amount_10k_yuan", "active_disclosure/procurement/amount")]
    assert all(v is None or isinstance(v, Decimal) for v in money)


@given(parsed_reports())
def test_a_record_read_by_the_json_module_loads_too(report):
    """A record that went through plain ``json`` (what another program gives back: money as a
    float) still loads; counts, findings and derived paths are the same, money a Decimal."""
    data = json.loads(report.to_json())
    again = Report.from_dict(data)
    assert again.applications == report.applications
    assert again.findings == report.findings and again.derived == report.derived
    fees = again.get("active_disclosure/fees/amount_10k_yuan")
    assert fees is None or isinstance(fees, Decimal)
