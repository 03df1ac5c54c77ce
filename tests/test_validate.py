"""Validation: every invariant, exact repair of blanks, and nothing else."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxparse._mapping import Mapped, Slot, SlotState
from gxparse._validate import validate
from gxparse.form import TEMPLATES
from gxparse.testing import reports

T21 = TEMPLATES["2021"]
T19 = TEMPLATES["2019"]
COLS = [c.key for c in T21.app_columns]


def mapped(template=T21, values=None, *, groups=(), collapsed=False, blanks=(), tables=None):
    """A Mapped report: every cell 0 (consistent), then ``values`` set and ``blanks`` left blank."""
    vals = {}
    for path in template.iter_paths():
        vals[path] = Slot(Decimal(0), SlotState.GIVEN, "0")
    for g in groups:
        for c in COLS:
            vals[f"applications/{g}/{c}"] = Slot(Decimal(0), SlotState.GIVEN, "0")
    if collapsed:
        for r in template.group_items("results.other"):
            for c in COLS:
                del vals[f"applications/{r.key}/{c}"]
        for c in COLS:
            vals[f"applications/results.other/{c}"] = Slot(Decimal(0), SlotState.GIVEN, "0")
    for path, v in (values or {}).items():
        vals[path] = Slot(Decimal(str(v)), SlotState.GIVEN, str(v))
    for path in blanks:
        vals[path] = Slot(None, SlotState.BLANK, "")
    present = set(groups) | ({"results.other"} if collapsed else set())
    return Mapped(template, vals, set(tables or ("active_disclosure", "applications", "reviews_and_litigation")),
                  present, collapsed, [])


def row(key, nums):
    return {f"applications/{key}/{c}": n for c, n in zip(COLS, nums)}


def codes(result, severity="error"):
    return sorted((f.code, f.where) for f in result.findings if f.severity == severity)


def test_consistent_report_has_no_findings():
    r = validate(mapped())
    assert codes(r) == [] and codes(r, "warning") == [] and r.derived == []


def test_balance():
    # 新收 3 + 结转 0 = 3, but 总计 2 + 结转下年 0 = 2 (rows and results consistent otherwise)
    v = {**row("received_new", [3, 0, 0, 0, 0, 0, 3]), **row("results.disclosed", [2, 0, 0, 0, 0, 0, 2]),
         **row("results.total", [2, 0, 0, 0, 0, 0, 2])}
    r = validate(mapped(values=v))
    assert codes(r) == [("balance", "applications/*/natural_person"), ("balance", "applications/*/total")]
    f = next(f for f in r.findings if f.where == "applications/*/natural_person")
    assert (f.evidence["left"], f.evidence["right"], f.evidence["difference"]) == (3, 2, 1)
    assert "自然人" in f.message and "3" in f.message and "2" in f.message


def test_results_total():
    v = {**row("received_new", [3, 0, 0, 0, 0, 0, 3]), **row("results.disclosed", [2, 0, 0, 0, 0, 0, 2]),
         **row("results.total", [3, 0, 0, 0, 0, 0, 3])}
    r = validate(mapped(values=v))
    assert codes(r) == [("results-total", "applications/results.total/natural_person"),
                        ("results-total", "applications/results.total/total")]


def test_row_total_names_row_and_both_sides():
    v = {**row("received_new", [3, 0, 0, 0, 0, 0, 4])}
    r = validate(mapped(values=v))
    assert ("row-total", "applications/received_new/total") in codes(r)
    f = next(f for f in r.findings if f.code == "row-total")
    assert f.evidence["left"] == 4 and f.evidence["right"] == 3 and f.evidence["difference"] == 1
    assert "一、本年新收政府信息公开申请数量" in f.message and "总计" in f.message


def test_review_total():
    r = validate(mapped(values={"reviews_and_litigation/litigation_direct/corrected": 2}))
    assert codes(r) == [("review-total", "reviews_and_litigation/litigation_direct/total")]


def test_negative_count_but_not_change():
    r = validate(mapped(T19, values={"active_disclosure/penalty/change": -3,
                                      "active_disclosure/licensing/decisions": -1}))
    assert codes(r) == [("negative-count", "active_disclosure/licensing/decisions")]
    assert r.active_disclosure["penalty"]["change"] == -3


def test_group_total_checked_when_group_row_has_numbers():
    v = {**row("results.withheld", [1, 0, 0, 0, 0, 0, 1])}
    r = validate(mapped(values=v, groups=["results.withheld"]))
    assert ("group-total", "applications/results.withheld/natural_person") in codes(r)
    # a group row is a subtotal, never a leaf: results-total still holds
    assert not any(c == "results-total" for c, _ in codes(r))
    assert list(r.applications).index("results.withheld") < list(r.applications).index(
        "results.withheld.state_secret")


def test_blank_total_is_derived():
    v = row("received_new", [3, 0, 1, 0, 0, 0, 0])
    v.update(row("results.disclosed", [3, 0, 1, 0, 0, 0, 4]))
    v.update(row("results.total", [3, 0, 1, 0, 0, 0, 4]))
    r = validate(mapped(values=v, blanks=["applications/received_new/total"]))
    assert r.applications["received_new"]["total"] == 4
    assert r.derived == ["applications/received_new/total"]
    assert codes(r) == []
    assert [f.where for f in r.findings if f.code == "derived-value"] == ["applications/received_new/total"]


def test_blanks_whose_neighbours_add_up_are_zero():
    blanks = [f"applications/results.not_processed.publication/{c}" for c in COLS]
    r = validate(mapped(blanks=blanks))
    assert sorted(r.derived) == sorted(blanks)
    assert all(r.applications["results.not_processed.publication"][c] == 0 for c in COLS)


def test_undetermined_blank_stays_null_with_finding():
    # two unknown cells in one row and the column sums open: not determined
    v = {**row("received_new", [2, 1, 0, 0, 0, 0, 3]), **row("results.disclosed", [2, 1, 0, 0, 0, 0, 3]),
         **row("results.total", [2, 1, 0, 0, 0, 0, 3])}
    blanks = ["applications/results.disclosed/natural_person", "applications/results.disclosed/commercial_enterprise",
              "applications/results.total/natural_person", "applications/results.total/commercial_enterprise"]
    r = validate(mapped(values=v, blanks=blanks))
    # received_new + carried_over determine results.total per column (balance), then results.disclosed
    assert r.applications["results.total"]["natural_person"] == 2
    assert r.applications["results.disclosed"]["commercial_enterprise"] == 1
    assert codes(r) == []


def test_truly_undetermined_value_is_null():
    blanks = ["active_disclosure/licensing/decisions"]
    r = validate(mapped(blanks=blanks))
    assert r.active_disclosure["licensing"]["decisions"] is None
    assert ("missing-value", "active_disclosure/licensing/decisions") in codes(r, "warning")
    assert r.derived == []


def test_negative_solution_is_not_filled():
    # 总计 1 but 结果纠正 alone is 3: the blank 结果维持 would be -2, which no count can be
    v = {"reviews_and_litigation/administrative_review/corrected": 3,
         "reviews_and_litigation/administrative_review/total": 1}
    r = validate(mapped(values=v, blanks=["reviews_and_litigation/administrative_review/upheld"]))
    assert r.reviews_and_litigation["administrative_review"]["upheld"] is None
    assert r.derived == []
    assert ("missing-value", "reviews_and_litigation/administrative_review/upheld") in codes(r, "warning")


def test_conflicting_determinations_leave_null():
    # the blank 总计 of 予以公开 is 3 by its row, but 2 by the total column (results-total)
    v = {**row("received_new", [3, 0, 0, 0, 0, 0, 2]), **row("results.disclosed", [3, 0, 0, 0, 0, 0, 0]),
         **row("results.total", [3, 0, 0, 0, 0, 0, 2])}
    r = validate(mapped(values=v, blanks=["applications/results.disclosed/total"]))
    assert r.applications["results.disclosed"]["total"] is None
    f = [f for f in r.findings if f.code == "missing-value"]
    assert f and "不一致" in f[0].message


def test_collapsed_other_sub_items_zero_when_other_is_zero():
    r = validate(mapped(collapsed=True))
    assert r.applications["results.other"]["total"] == 0
    for key in ("results.other.overdue_correction", "results.other.overdue_fee", "results.other.other"):
        assert r.applications[key] == dict.fromkeys(COLS, 0)
        assert f"applications/{key}/total" in r.derived


def test_collapsed_other_sub_items_unknown_when_other_nonzero():
    v = {**row("received_new", [2, 0, 0, 0, 0, 0, 2]), **row("results.other", [2, 0, 0, 0, 0, 0, 2]),
         **row("results.total", [2, 0, 0, 0, 0, 0, 2])}
    r = validate(mapped(values=v, collapsed=True))
    assert codes(r) == []
    assert r.applications["results.other.overdue_fee"]["natural_person"] is None
    assert r.applications["results.other.overdue_fee"]["commercial_enterprise"] == 0
    assert any(f.code == "missing-value" for f in r.findings)


def test_missing_table():
    r = validate(mapped(tables=("applications", "reviews_and_litigation")))
    assert r.active_disclosure is None
    assert ("missing-table", "active_disclosure") in codes(r)


def test_money_stays_decimal_and_counts_int():
    r = validate(mapped(values={"active_disclosure/fees/amount_10k_yuan": "1944.0495"}))
    assert r.active_disclosure["fees"]["amount_10k_yuan"] == Decimal("1944.0495")
    assert type(r.applications["received_new"]["total"]) is int


def test_fractional_count_is_not_a_count():
    r = validate(mapped(values={"active_disclosure/licensing/decisions": "2.5"}))
    assert r.active_disclosure["licensing"]["decisions"] is None
    assert any(f.code == "unreadable" for f in r.findings)


@pytest.mark.parametrize("template", [T21, T19])
def test_every_equation_is_violable(template):
    """Each invariant instance, broken alone, raises its own code at its own place."""
    for eq in template.equations():
        path = eq.lhs[0]
        r = validate(mapped(template, {path: 1}))
        assert (eq.code, eq.where) in codes(r), (eq.code, eq.where)


# -- repair asks only the equations a round touched: the same as asking all of them -----------------


def _repair_every_equation_every_round(eqs, values, kinds):
    """Exact repair as the spec states it: every round, every equation against the values known
    when the round began, until a round fills nothing (the reference for :func:`repair`)."""
    from gxparse._validate import _solve

    known, derived, conflicts = dict(values), {}, set()
    changed = True
    while changed:
        changed = False
        proposals = {}
        for e in eqs:
            for path, val in _solve(e, known, kinds):
                if path not in conflicts:
                    proposals.setdefault(path, []).append((val, e))
        for path, props in proposals.items():
            if len({v for v, _ in props}) == 1:
                known[path] = props[0][0]
                derived[path] = props[0]
                changed = True
            else:
                conflicts.add(path)
    return derived, frozenset(conflicts)


@pytest.mark.parametrize("template", [T21, T19], ids=["2021", "2019"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_repair_asks_only_touched_equations_and_finds_the_same(template, data):
    from gxparse._validate import repair

    report = data.draw(reports(template=template.id), label="report")
    paths = report.paths()
    kinds = {p: template.field_kind(p) for p in paths}
    values = {p: (None if report.get(p) is None else Decimal(str(report.get(p)))) for p in paths}
    for p in data.draw(st.lists(st.sampled_from(paths), max_size=40), label="blanks"):
        values[p] = None
    for p in data.draw(st.lists(st.sampled_from(paths), max_size=4), label="changed"):
        values[p] = Decimal(data.draw(st.integers(0, 50), label=p))
    eqs = [e for e in template.equations(frozenset(report.subtotals), False)
           if all(x in values for x in (*e.lhs, *e.rhs))]
    fixed = repair(eqs, values, kinds)
    derived, conflicts = _repair_every_equation_every_round(eqs, values, kinds)
    assert list(fixed.derived.items()) == list(derived.items())  # the same values, equations and order
    assert fixed.conflicts == conflicts
