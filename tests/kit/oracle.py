"""The oracle: what gxparse must return for a rendered report, from the spec's arithmetic stated
here on its own.

The equations (勾稽关系) below are written out from ``../shared/spec/report-schema.md``, not
derived from :mod:`gxparse.form`: if an equation of the form is wrong, the validator and this
oracle disagree and the property tests fail (``tests/test_oracle.py`` shows it). Only the
rows' and columns' keys are shared with the form — they are the schema's names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from gxparse import Report
from gxparse.form import TEMPLATES, Role, Template
from gxparse.testing import GeneratedReport, Number, _freeze, reports

from kit.noise import Noise, _collapsed, _value_of, rendered_paths

__all__ = ["BROKEN_KINDS", "BrokenReport", "Expectation", "Sum", "broken_reports", "compare", "determined",
           "equations_for", "expected_outcome", "kind_of", "violations"]

# ---------------------------------------------------------------------------
# the form's arithmetic, as the spec states it (not read from gxparse.form)
# ---------------------------------------------------------------------------

#: 申请人情况: 自然人, the five 法人或其他组织 columns, 总计.
APP_COLUMNS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
               "legal_service_org", "other_org", "total")
#: 行政复议 and the two 行政诉讼 groups, each 结果维持 / 结果纠正 / 其他结果 / 尚未审结 / 总计.
REVIEW_GROUPS = ("administrative_review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
#: 三、本年度办理结果: its groups and their items.
GROUP_ITEMS = {
    "results.withheld": ("results.withheld.state_secret", "results.withheld.prohibited_by_law",
                         "results.withheld.security_stability", "results.withheld.third_party_rights",
                         "results.withheld.internal_affairs", "results.withheld.process_information",
                         "results.withheld.enforcement_case_files", "results.withheld.administrative_query"),
    "results.unavailable": ("results.unavailable.not_held", "results.unavailable.needs_creation",
                            "results.unavailable.unclear_after_correction"),
    "results.not_processed": ("results.not_processed.petition_complaint", "results.not_processed.duplicate",
                              "results.not_processed.publication", "results.not_processed.excessive_repeated",
                              "results.not_processed.confirm_or_reissue"),
    # 2021 only: on the 2019 form （六）其他处理 is one row
    "results.other": ("results.other.overdue_correction", "results.other.overdue_fee", "results.other.other"),
}
#: Fields that may be negative (本年增/减) and fields that are money; every other value is a count.
SIGNED = frozenset({"change"})
MONEY = frozenset({"amount_10k_yuan", "amount"})


@attrs.frozen
class Sum:
    """One instance of the arithmetic: ``sum(lhs) == sum(rhs)``; a violation is the finding
    ``(code, where)``."""

    code: str
    where: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]


def _results(template: str, collapsed: bool) -> tuple[str, ...]:
    """The items of 三、本年度办理结果, each counted once in （七）总计."""
    other = GROUP_ITEMS["results.other"] if template == "2021" and not collapsed else ("results.other",)
    return ("results.disclosed", "results.partially_disclosed", *GROUP_ITEMS["results.withheld"],
            *GROUP_ITEMS["results.unavailable"], *GROUP_ITEMS["results.not_processed"], *other)


def equations_for(template: Template | str, *, groups: Iterable[str] = (), collapsed_other: bool = False) -> list[Sum]:
    """The arithmetic a document on ``template`` must satisfy.

    ``groups``: group rows printed with numbers (each equals the sum of its items).
    ``collapsed_other``: a 2021 report giving （六）其他处理 as one row, which then
    stands for its three items in （七）总计 and equals their sum.
    """
    tid = template if isinstance(template, str) else template.id
    present = set(groups) | ({"results.other"} if collapsed_other else set())
    items = _results(tid, collapsed_other)
    rows = ("received_new", "carried_over", *items, "results.total", "carried_forward", *sorted(present))
    app = [Sum("balance", f"applications/*/{c}", (f"applications/received_new/{c}", f"applications/carried_over/{c}"),
               (f"applications/results.total/{c}", f"applications/carried_forward/{c}")) for c in APP_COLUMNS]
    app += [Sum("results-total", f"applications/results.total/{c}", (f"applications/results.total/{c}",),
                tuple(f"applications/{r}/{c}" for r in items)) for c in APP_COLUMNS]
    app += [Sum("row-total", f"applications/{r}/total", (f"applications/{r}/total",),
                tuple(f"applications/{r}/{c}" for c in APP_COLUMNS[:-1])) for r in dict.fromkeys(rows)]
    for g in sorted(present):
        if g in GROUP_ITEMS and (g != "results.other" or tid == "2021"):
            app += [Sum("group-total", f"applications/{g}/{c}", (f"applications/{g}/{c}",),
                        tuple(f"applications/{r}/{c}" for r in GROUP_ITEMS[g])) for c in APP_COLUMNS]
    return app + [Sum("review-total", f"reviews_and_litigation/{g}/total", (f"reviews_and_litigation/{g}/total",),
                      tuple(f"reviews_and_litigation/{g}/{c}" for c in REVIEW_COLUMNS[:-1])) for g in REVIEW_GROUPS]


def kind_of(path: str) -> str:
    """``"signed"``, ``"money"`` or ``"count"``, by the field's key."""
    field = path.rsplit("/", 1)[-1]
    return "signed" if field in SIGNED else "money" if field in MONEY else "count"


def violations(report: GeneratedReport) -> set[tuple[str, str]]:
    """The error findings ``(code, where)`` the spec requires for ``report``.

    Every instance of the arithmetic that does not hold, and every count below zero
    (``change`` excepted).
    """
    out: set[tuple[str, str]] = set()
    for e in equations_for(report.template, groups=report.subtotals):
        vals = [report.get(p) for p in (*e.lhs, *e.rhs)]
        if any(v is None for v in vals):
            continue
        left = sum((Decimal(report.get(p)) for p in e.lhs), Decimal(0))  # type: ignore[arg-type]
        right = sum((Decimal(report.get(p)) for p in e.rhs), Decimal(0))  # type: ignore[arg-type]
        if left != right:
            out.add((e.code, e.where))
    for p in report.paths():
        v = report.get(p)
        if v is not None and v < 0 and kind_of(p) != "signed":
            out.add(("negative-count", p))
    return out


def determined(values: Mapping[str, Number | None], eqs: Sequence[Sum],
               kinds: Mapping[str, str] | None = None) -> dict[str, Decimal]:
    """The unknown values (``None``) that the arithmetic determines exactly, as the spec defines it.

    Repeatedly: an equation with one unknown determines it, if the result is
    a whole count ≥ 0 (any number for money, any sign for ``signed``); an
    equation whose known terms already balance, with all its unknowns on one
    side, makes them 0 (counts are never negative). A value two equations
    determine differently is not determined. Equations that mention a path
    not in ``values`` are ignored.
    """
    kinds = kinds or {}
    vals: dict[str, Decimal | None] = {p: (None if v is None else Decimal(v)) for p, v in values.items()}
    eqs = [e for e in eqs if all(p in vals for p in (*e.lhs, *e.rhs))]
    found: dict[str, Decimal] = {}
    bad: set[str] = set()
    changed = True
    while changed:
        changed = False
        proposals: dict[str, set[Decimal]] = {}
        for e in eqs:
            ul = [p for p in e.lhs if vals[p] is None]
            ur = [p for p in e.rhs if vals[p] is None]
            kl = sum((v for p in e.lhs if (v := vals[p]) is not None), Decimal(0))
            kr = sum((v for p in e.rhs if (v := vals[p]) is not None), Decimal(0))
            if len(ul) + len(ur) == 1:
                p = (ul + ur)[0]
                v = kr - kl if ul else kl - kr
                kind = kinds.get(p, "count")
                if (v >= 0 or kind == "signed") and (kind == "money" or v == v.to_integral_value()):
                    proposals.setdefault(p, set()).add(v)
            elif ((ul and not ur) or (ur and not ul)) and kl == kr:
                for p in ul + ur:
                    if kinds.get(p, "count") != "signed":
                        proposals.setdefault(p, set()).add(Decimal(0))
        for p, vs in proposals.items():
            if p in bad:
                continue
            if len(vs) == 1:
                vals[p] = next(iter(vs))
                found[p] = vals[p]  # type: ignore[assignment]
                changed = True
            else:
                bad.add(p)
    return found


@attrs.frozen(hash=False)
class BrokenReport:
    """A report with one invariant broken on purpose.

    Attributes:
        report: the report (every other number as valid as before).
        code: the finding code that must be raised (``balance``, ``row-total`` …).
        where: the path the finding must name.
        changed: the paths whose values were changed.
    """

    report: GeneratedReport
    code: str
    where: str
    changed: tuple[str, ...]

    @property
    def expected_errors(self) -> set[tuple[str, str]]:
        """Every error finding ``(code, where)`` the broken report must raise (from :func:`violations`)."""
        return violations(self.report)


BROKEN_KINDS = ("balance", "results-total", "row-total", "review-total", "negative-count", "group-total", "cell")


@st.composite
def broken_reports(draw: Callable[[st.SearchStrategy[Any]], Any], template: str | None = None,
                   kinds: Sequence[str] = BROKEN_KINDS) -> BrokenReport:
    """Reports with one invariant broken, paired with the finding ``(code, where)`` it must raise.

    Kinds: ``balance`` (新收 changed, its row still adding up),
    ``results-total`` (（七）总计 and 结转下年 changed so that only the
    （七）总计 sum breaks), ``row-total`` (a 总计 cell), ``review-total``,
    ``negative-count``, ``group-total`` (a subtotal row) and ``cell`` (any one
    count of the applications or reviews table: its row's or group's total
    breaks).
    """
    r: GeneratedReport = draw(reports(template))
    t = r.form
    kind = draw(st.sampled_from(list(kinds)))
    cols = [c.key for c in t.app_columns]
    d = draw(st.integers(1, 50)) * draw(st.sampled_from([1, -1]))
    col = draw(st.sampled_from(cols[:-1]))

    def bump(rep: GeneratedReport, path: str, delta: int) -> GeneratedReport:
        return rep.with_value(path, rep.get(path) + delta)  # type: ignore[operator]

    if kind == "balance":
        paths: tuple[str, ...] = (f"applications/received_new/{col}", "applications/received_new/total")
        d = abs(d) if r.get(paths[0]) < abs(d) else d  # type: ignore[operator]
        for p in paths:
            r = bump(r, p, d)
        return BrokenReport(r, "balance", f"applications/*/{col}", paths)
    if kind == "results-total":
        # （七）总计 up by d, and 新收 up by d so that the balance still holds: only the
        # sum of the 办理结果 leaves breaks (no count goes below 0)
        d = abs(d)
        paths = (f"applications/results.total/{col}", "applications/results.total/total",
                 f"applications/received_new/{col}", "applications/received_new/total")
        for p in paths:
            r = bump(r, p, d)
        return BrokenReport(r, "results-total", f"applications/results.total/{col}", paths)
    if kind == "row-total":
        row = draw(st.sampled_from([row.key for row in t.data_rows]))
        path = f"applications/{row}/total"
        d = abs(d) if r.get(path) < abs(d) else d  # type: ignore[operator]
        return BrokenReport(bump(r, path, d), "row-total", path, (path,))
    if kind == "review-total":
        g = draw(st.sampled_from([g.key for g in t.review_groups]))
        c = draw(st.sampled_from([c.key for c in t.review_columns]))
        path = f"reviews_and_litigation/{g}/{c}"
        d = abs(d) if r.get(path) < abs(d) else d  # type: ignore[operator]
        return BrokenReport(bump(r, path, d), "review-total", f"reviews_and_litigation/{g}/total", (path,))
    if kind == "negative-count":
        path = draw(st.sampled_from([p for p in r.paths() if kind_of(p) == "count"]))
        value = -draw(st.integers(1, 99))
        return BrokenReport(r.with_value(path, value), "negative-count", path, (path,))
    if kind == "group-total":
        groups = [row.key for row in t.app_rows if row.role is Role.GROUP_TOTAL] or ["results.withheld"]
        g = draw(st.sampled_from(groups))
        if g not in r.subtotals:
            values = {c: sum(r.applications[i.key][c] for i in t.group_items(g)) for c in cols}
            apps = _freeze(r.applications)
            apps[g] = values
            apps = {row.key: apps[row.key] for row in t.app_rows if row.key in apps}
            r = attrs.evolve(r, applications=apps, subtotals=(*r.subtotals, g))
        paths = (f"applications/{g}/{col}", f"applications/{g}/total")
        d = abs(d) if r.get(paths[0]) < abs(d) else d  # type: ignore[operator]
        for p in paths:
            r = bump(r, p, d)
        return BrokenReport(r, "group-total", paths[0], paths)
    # "cell": one count changed, nothing compensated
    path = draw(st.sampled_from([p for p in r.paths()
                                 if not p.startswith("active_disclosure/") and not p.endswith("/total")]))
    d = abs(d) if r.get(path) < abs(d) else d  # type: ignore[operator]
    table, row, _ = path.split("/")
    code = "review-total" if table == "reviews_and_litigation" else "row-total"
    return BrokenReport(bump(r, path, d), code, f"{table}/{row}/total", (path,))


# ---------------------------------------------------------------------------
# what parse must return
# ---------------------------------------------------------------------------


@attrs.frozen(hash=False)
class Expectation:
    """What :func:`gxparse.parse` must return for a rendered report.

    Attributes:
        template, agency, year: as generated.
        values: every path of the report's three tables and the value it must
            have (``None``: blank and not determined).
        derived: the paths that must be listed in ``Report.derived``.
        findings: ``(code, where)`` pairs that must be among the findings.
        procurement_unit: the 2019 ``procurement.amount_unit``.
        errors: the error findings ``(code, where)`` that must be raised, and no other.
        weak_rows: rows whose values may be ``None`` instead (see :class:`Rendered`).
        truth: every value as generated (what a weak row's values must be when not ``None``).
    """

    template: str
    agency: str
    year: int
    values: Mapping[str, Number | None]
    derived: frozenset[str]
    findings: frozenset[tuple[str, str]]
    procurement_unit: str | None = None
    errors: frozenset[tuple[str, str]] = frozenset()
    weak_rows: frozenset[str] = frozenset()
    truth: Mapping[str, Number] = attrs.field(factory=dict)


def expected_outcome(report: GeneratedReport, noise: Noise | None = None,
                     weak_rows: Iterable[str] = (), findings: Iterable[tuple[str, str]] = ()) -> Expectation:
    """What parsing ``render(report, flavour, noise)`` must give.

    Blank cells that the invariants determine come back with their value and
    are listed in ``derived``; the others are ``None`` with a
    ``missing-value`` finding. Typos raise ``label-variant``; a collapsed
    （六）其他处理 raises ``template-deviation`` and leaves its sub-items
    ``None`` unless determined (each with ``missing-value``). ``weak_rows``
    and ``findings`` are the rendering's own (``Rendered.weak_rows``,
    ``Rendered.findings``): the findings must be raised, and are allowed.
    """
    noise = noise or Noise()
    rendering_findings = set(findings)
    t = report.form
    collapsed = _collapsed(report, noise)
    printed = rendered_paths(report, noise)
    values: dict[str, Number | None] = {}
    for p in printed:
        values[p] = None if p in noise.blanks else _value_of(report, p, collapsed)
    # sub-items of a collapsed row: in the output, not in the document
    truth: dict[str, Number] = {p: _value_of(report, p, collapsed) for p in printed}
    if collapsed:
        for r in t.group_items("results.other"):
            for c in t.app_columns:
                path = f"applications/{r.key}/{c.key}"
                values[path] = None
                truth[path] = report.get(path)  # type: ignore[assignment]
    groups = set(report.subtotals) | ({"results.other"} if collapsed else set())
    eqs = equations_for(t, groups=groups, collapsed_other=collapsed)
    kinds = {p: kind_of(p) for p in values}
    found = determined(values, eqs, kinds)
    derived = frozenset(found)
    for p, v in found.items():
        values[p] = v
    findings = {("label-variant", ty.where) for ty in noise.typos} | rendering_findings
    if collapsed:
        findings.add(("template-deviation", "applications/results.other"))
    errors = frozenset(violations(report))
    weak = set(weak_rows)
    if collapsed and "applications/results.other" in weak:
        # the sub-items are known only through the collapsed row: as weak as it is
        weak |= {f"applications/{r.key}" for r in t.group_items("results.other")}
    return Expectation(report.template, report.agency, report.year, values, derived, frozenset(findings),
                       report.procurement_unit, errors, frozenset(weak), truth)


_GROUP_ROWS = frozenset(r.key for t in TEMPLATES.values() for r in t.app_rows if r.role is Role.GROUP_TOTAL)


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    return Decimal(a) == Decimal(b)


def compare(report: Report, expected: Expectation) -> list[str]:
    """The differences between a parsed :class:`~gxparse.Report` and an :class:`Expectation` (``[]``: none).

    Checks the template, agency and year; every value (a ``None`` must carry
    a ``missing-value`` finding naming its path or its row); ``derived``
    exactly; the required findings; the error findings exactly; and that no
    other warning is raised. In a weak row a value may be ``None`` or derived
    instead of exact, never different.
    """
    problems: list[str] = []
    if report.template != expected.template:
        problems.append(f"template {report.template!r}, expected {expected.template!r}")
    if report.meta.agency != expected.agency:
        problems.append(f"agency {report.meta.agency!r}, expected {expected.agency!r}")
    if report.meta.year != expected.year:
        problems.append(f"year {report.meta.year!r}, expected {expected.year!r}")
    missing = {f.where for f in report.findings if f.code == "missing-value"}

    def weak(path: str) -> bool:
        return path.rsplit("/", 1)[0] in expected.weak_rows

    seen_rows: set[str] = set()
    for path, want in expected.values.items():
        table, row, col = path.split("/", 2)
        data = getattr(report, table)
        if data is None:
            problems.append(f"{table}: table not found")
            continue
        if row not in data or col not in data[row]:
            if weak(path) and row in _GROUP_ROWS and row not in data:
                continue  # a subtotal row whose numbers were all left out reads as a heading
            problems.append(f"{path}: absent from the report")
            continue
        seen_rows.add(f"{table}/{row}")
        have = data[row][col]
        if have is not None and (isinstance(have, bool) or not isinstance(have, (int, Decimal))):
            problems.append(f"{path}: {have!r} is not a number")
        elif have is None:
            if path not in missing and f"{table}/{row}/*" not in missing:
                problems.append(f"{path}: None without a missing-value finding")
            elif want is not None and not weak(path):
                problems.append(f"{path}: None, expected {want!r}")
        elif want is None:
            if not (weak(path) and _same(have, expected.truth.get(path))):
                problems.append(f"{path}: {have!r}, expected None (blank and not determined; "
                                f"true value {expected.truth.get(path)!r})")
        elif not _same(have, want):
            problems.append(f"{path}: {have!r}, expected {want!r}")
    for table in ("active_disclosure", "applications", "reviews_and_litigation"):
        data = getattr(report, table) or {}
        for row in data:
            if f"{table}/{row}" not in seen_rows:
                problems.append(f"{table}/{row}: unexpected row {dict(data[row])!r}")
    if report.active_disclosure and "procurement" in report.active_disclosure and expected.template == "2019":
        unit = report.active_disclosure["procurement"].get("amount_unit")
        if unit != expected.procurement_unit and expected.values.get("active_disclosure/procurement/amount") \
                is not None:
            problems.append(f"procurement amount_unit {unit!r}, expected {expected.procurement_unit!r}")
    derived = set(report.derived)
    want_derived = set(expected.derived)
    for p in sorted(want_derived - derived):
        if not weak(p):
            problems.append(f"{p}: not listed in derived")
    for p in sorted(derived - want_derived):
        if not weak(p):
            problems.append(f"{p}: listed in derived, but the document gives it or it is not determined")
    have_findings = {(f.code, f.where) for f in report.findings}
    for code, where in sorted(expected.findings - have_findings):
        problems.append(f"finding ({code}, {where}) not raised")
    errors = {(f.code, f.where) for f in report.findings if f.severity == "error"}
    for code, where in sorted(errors - expected.errors):
        msg = next(f.message for f in report.findings if (f.code, f.where) == (code, where))
        problems.append(f"unexpected error ({code}, {where}): {msg}")
    for code, where in sorted(expected.errors - errors):
        problems.append(f"error ({code}, {where}) not raised")
    allowed = {"missing-value", "label-variant", "derived-value", "template-deviation"}
    for f in report.findings:
        if f.severity == "error":
            continue
        if f.code == "label-variant" and (f.code, f.where) not in expected.findings:
            problems.append(f"unexpected label-variant at {f.where}: {f.message}")
        elif f.code == "template-deviation" and (f.code, f.where) not in expected.findings:
            problems.append(f"unexpected template-deviation at {f.where}: {f.message}")
        elif f.code not in allowed and (f.code, f.where) not in expected.findings \
                and not (f.code in ("extra-cells", "unknown-row") and expected.weak_rows):
            problems.append(f"unexpected {f.severity} {f.code} at {f.where}: {f.message}")
    return problems


