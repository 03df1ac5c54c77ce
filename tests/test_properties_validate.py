"""Validation: sound, complete, and exact in its repair of blanks.

The reports are fed to :func:`gxparse.map_document` as core-model documents
(:func:`gxparse.testing.to_document`, the official grid with no file format in
between), so these properties are about the mapper's placement and the validator
only. The oracles, :func:`gxparse.testing.violations` and
:func:`gxparse.testing.determined`, implement the spec's invariants independently
of ``gxparse._validate``.

* soundness: a valid report raises no error finding;
* completeness: a report with one cell changed raises a finding naming that
  cell's row or column, and the error findings are exactly the violated
  invariants;
* exact repair: blank cells the invariants determine come back and are listed in
  ``derived``; a blank cell they do not determine is ``null`` with a
  ``missing-value`` finding.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, assume, example, given, note, settings
from hypothesis import strategies as st

import gxparse
from gxparse.testing import GeneratedReport, reports, zero_report

from kit.noise import Noise
from kit.oracle import (
    BROKEN_KINDS,
    broken_reports,
    compare,
    determined,
    equations_for,
    expected_outcome,
    kind_of,
    violations,
)
from kit.render import to_document


def scaled(fraction: float, floor: int = 10) -> settings:
    return settings(settings.default, max_examples=max(floor, int(settings.default.max_examples * fraction)),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def parse(report: GeneratedReport, noise: Noise | None = None) -> gxparse.Report:
    return gxparse.map_document(to_document(report, noise))


def errors(parsed: gxparse.Report) -> set[tuple[str, str]]:
    return {(f.code, f.where) for f in parsed.findings if f.severity == "error"}


def _kinds(report: GeneratedReport) -> dict[str, str]:
    return {p: kind_of(p) for p in report.paths()}


# -- the generators and oracles themselves -------------------------------------------

@given(reports())
@scaled(1)
def test_generated_reports_satisfy_every_invariant(report):
    assert violations(report) == set()
    values = {p: report.get(p) for p in report.paths()}
    eqs = equations_for(report.form, groups=report.subtotals)
    assert determined(values, eqs, _kinds(report)) == {}  # nothing unknown, nothing to determine


@given(broken_reports())
@scaled(1)
def test_broken_reports_break_what_they_say(broken):
    assert (broken.code, broken.where) in violations(broken.report)
    for path in broken.changed:
        assert path in broken.report.paths()


# -- soundness -----------------------------------------------------------------------------

@given(reports())
@example(zero_report("2019"))
@example(zero_report("2021"))
@scaled(1)
def test_a_valid_report_raises_no_error(report):
    parsed = parse(report)
    assert errors(parsed) == set(), [f.message for f in parsed.findings if f.severity == "error"]
    assert compare(parsed, expected_outcome(report)) == []


# -- completeness ----------------------------------------------------------------------------

@given(broken_reports(kinds=("cell",)))
@scaled(1)
def test_one_cell_changed_raises_a_finding_naming_its_row_or_column(broken):
    (path,) = broken.changed
    table, row, col = path.split("/")
    parsed = parse(broken.report)
    found = errors(parsed)
    note(f"changed {path}: {broken.report.get(path)}; errors {sorted(found)}")
    assert any(where.startswith(f"{table}/{row}/") or where.endswith(f"/{col}") for _, where in found)
    assert (broken.code, broken.where) in found
    assert found == violations(broken.report)


@given(broken_reports(kinds=BROKEN_KINDS))
@scaled(1)
def test_error_findings_are_exactly_the_violated_invariants(broken):
    parsed = parse(broken.report)
    assert (broken.code, broken.where) in errors(parsed)
    assert errors(parsed) == violations(broken.report)
    assert compare(parsed, expected_outcome(broken.report)) == []  # numbers reported as printed


@st.composite
def perturbed(draw) -> GeneratedReport:
    """A valid report with one to three values of the applications or reviews tables replaced."""
    report = draw(reports())
    paths = [p for p in report.paths() if not p.startswith("active_disclosure/")]
    for path in draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3, unique=True)):
        report = report.with_value(path, draw(st.integers(-50, 10**5)))
    return report


@given(perturbed())
@scaled(1)
def test_validator_is_sound_and_complete_on_any_changed_numbers(report):
    parsed = parse(report)
    assert errors(parsed) == violations(report)


# -- exact repair ---------------------------------------------------------------------------------

@st.composite
def blanked(draw, *, undetermined: bool) -> tuple[GeneratedReport, Noise]:
    """A valid report and blank cells: with ``undetermined``, at least one the invariants
    cannot determine (a 主动公开 value, or two leaves in each of two columns)."""
    report = draw(reports())
    t = report.form
    paths = report.paths()
    blanks = set(draw(st.lists(st.sampled_from(paths), max_size=8)))
    if undetermined:
        if draw(st.booleans()):
            blanks.add(draw(st.sampled_from([p for p in paths if p.startswith("active_disclosure/")])))
        else:
            rows = draw(st.lists(st.sampled_from([r.key for r in t.leaf_rows]), min_size=2, max_size=2, unique=True))
            cols = draw(st.lists(st.sampled_from([c.key for c in t.app_columns[:-1]]), min_size=2, max_size=2,
                                 unique=True))
            for r in rows:
                report = _nonzero(report, r, cols)
                blanks |= {f"applications/{r}/{c}" for c in cols}
    mark = draw(st.sampled_from(["", "—", "-", "/"]))
    return report, Noise(blanks=frozenset(blanks), blank_mark=mark)


def _nonzero(report: GeneratedReport, row: str, cols: list[str]) -> GeneratedReport:
    """Add 1 to ``row`` in ``cols`` and keep every invariant (totals, 新收)."""
    for c in cols:
        for p in (f"applications/{row}/{c}", f"applications/{row}/total", f"applications/results.total/{c}",
                  "applications/results.total/total", f"applications/received_new/{c}",
                  "applications/received_new/total"):
            report = report.with_value(p, report.get(p) + 1)  # type: ignore[operator]
        group = report.form.app_row(row).group
        while group is not None and group in report.subtotals:
            for p in (f"applications/{group}/{c}", f"applications/{group}/total"):
                report = report.with_value(p, report.get(p) + 1)  # type: ignore[operator]
            group = report.form.app_row(group).group
    return report


def _determined(report: GeneratedReport, blanks: frozenset[str]) -> dict[str, Decimal]:
    values = {p: (None if p in blanks else report.get(p)) for p in report.paths()}
    return determined(values, equations_for(report.form, groups=report.subtotals), _kinds(report))


@given(blanked(undetermined=False))
@scaled(1)
def test_determined_blanks_come_back_exactly_and_are_listed_in_derived(case):
    report, noise = case
    # keep only the blanks the invariants determine: blanked alone, they still are
    # (for a valid report every determination gives the true value, so fewer unknowns
    # can only determine more)
    keep = frozenset(_determined(report, noise.blanks))
    assert frozenset(_determined(report, keep)) == keep
    noise = Noise(blanks=keep, blank_mark=noise.blank_mark)
    parsed = parse(report, noise)
    assert set(parsed.derived) == keep
    for path in keep:
        table, row, col = path.split("/", 2)
        assert getattr(parsed, table)[row][col] == report.get(path), path
    assert {f.where for f in parsed.findings if f.code == "derived-value"} == keep
    assert errors(parsed) == set()


@given(blanked(undetermined=True))
@scaled(1)
def test_undetermined_blanks_are_null_with_a_finding(case):
    report, noise = case
    found = _determined(report, noise.blanks)
    open_ = noise.blanks - set(found)
    assume(open_)
    parsed = parse(report, noise)
    missing = {f.where for f in parsed.findings if f.code == "missing-value"}
    for path in open_:
        table, row, col = path.split("/", 2)
        assert getattr(parsed, table)[row][col] is None, path
        assert path in missing or f"{table}/{row}/*" in missing, path
    assert set(parsed.derived) == set(found)
    assert errors(parsed) == set()
    assert compare(parsed, expected_outcome(report, noise)) == []


def test_a_blank_total_is_the_sum_of_its_row():
    report = zero_report("2021")
    for p, v in {"received_new/natural_person": 2, "received_new/other_org": 3, "received_new/total": 5,
                 "carried_forward/natural_person": 2, "carried_forward/other_org": 3,
                 "carried_forward/total": 5}.items():
        report = report.with_value(f"applications/{p}", v)
    parsed = parse(report, Noise(blanks=frozenset({"applications/received_new/total"})))
    assert parsed.applications["received_new"]["total"] == 5
    assert parsed.derived == ("applications/received_new/total",)


def test_two_blanks_in_one_row_and_column_are_not_guessed():
    report = _nonzero(zero_report("2019"), "results.disclosed", ["natural_person", "other_org"])
    report = _nonzero(report, "results.partially_disclosed", ["natural_person", "other_org"])
    blanks = frozenset(f"applications/{r}/{c}" for r in ("results.disclosed", "results.partially_disclosed")
                       for c in ("natural_person", "other_org"))
    parsed = parse(report, Noise(blanks=blanks))
    assert parsed.applications["results.disclosed"]["natural_person"] is None
    assert parsed.derived == ()
