"""The oracle states the form's arithmetic on its own (tests/kit/oracle.py), so a wrong equation
in gxparse.form is caught: the validator and the oracle then disagree."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

import gxparse
from gxparse.form import TEMPLATES, GrandTotal
from gxparse.form import _spec as form_spec
from gxparse.testing import GeneratedReport, zero_report

from kit.oracle import GROUP_ITEMS, equations_for, violations
from kit.render import to_document


def _as_sets(eqs) -> set[tuple[str, str, frozenset[str], frozenset[str]]]:
    return {(e.code, e.where, frozenset(e.lhs), frozenset(e.rhs)) for e in eqs}


@pytest.mark.parametrize("template", ["2021", "2019"])
def test_the_oracle_and_the_form_state_the_same_arithmetic(template):
    groups = [g for g in GROUP_ITEMS if g != "results.other" or template == "2021"]
    for n in range(len(groups) + 1):
        for present in itertools.combinations(groups, n):
            for collapsed in ([False, True] if template == "2021" else [False]):
                form = TEMPLATES[template].equations(frozenset(present), collapsed)
                oracle = equations_for(template, groups=present, collapsed_other=collapsed)
                assert _as_sets(form) == _as_sets(oracle), (present, collapsed)


def _disclosed_once() -> GeneratedReport:
    """A valid report: one application from a natural person, disclosed."""
    report = zero_report("2021")
    for row in ("received_new", "results.disclosed", "results.total"):
        for col in ("natural_person", "total"):
            report = report.with_value(f"applications/{row}/{col}", 1)
    return report


def _errors(parsed: gxparse.Report) -> set[tuple[str, str]]:
    return {(f.code, f.where) for f in parsed.errors}


_GRAND_TOTAL = GrandTotal.equations


def _wrong_grand_total(self, table, view):
    """（七）总计 as the sum of the items but the first: a wrong equation."""
    for e in _GRAND_TOTAL(self, table, view):
        yield form_spec.Equation(e.code, e.where, e.lhs, e.rhs[1:], e.description)


def test_a_wrong_equation_in_the_form_fails_against_the_oracle(monkeypatch):
    report = _disclosed_once()
    assert _errors(gxparse.map_document(to_document(report))) == violations(report) == set()

    monkeypatch.setattr(GrandTotal, "equations", _wrong_grand_total)
    monkeypatch.setattr(form_spec, "_EQUATIONS", {})
    parsed = gxparse.map_document(to_document(report))
    # the validator, with the wrong equation, finds an error where there is none ...
    assert ("results-total", "applications/results.total/natural_person") in _errors(parsed)
    # ... which the oracle, with its own arithmetic, does not: the property test fails
    assert _errors(parsed) != violations(report)
    # an oracle that read the form's equations would have agreed with the wrong one
    shared = {(e.code, e.where) for e in TEMPLATES["2021"].equations()
              if sum((Decimal(report.get(p) or 0) for p in e.lhs), Decimal(0))
              != sum((Decimal(report.get(p) or 0) for p in e.rhs), Decimal(0))}
    assert shared == _errors(parsed)
