"""Validation: the form's arithmetic (勾稽关系) applied to a mapped report, in four steps.

:func:`validate` runs them in order on a :class:`~gxparse._mapping.Mapped`
report, which it does not change:

1. :func:`place_jointly` — rows whose values fit their own total in several
   ways are tried jointly against the equations that link rows; a placement
   is chosen only when it breaks strictly less than every other.
2. :func:`repair` — exact repair of blanks, to a fixpoint: an equation with
   one unknown determines it (a whole, non-negative count); an equation whose
   known terms already balance makes every unknown on the open side 0 (counts
   are never negative). A value two equations determine differently is left
   ``None``. Filled values are listed in ``derived``.
3. :func:`violation_findings` — every equation whose terms are all known and
   that does not hold is an ``error`` naming the row, the column, both sides
   and the difference; so is a negative count.
4. :func:`missing_findings` — every value still ``None`` is a
   ``missing-value`` warning saying why (a whole row at once), and every table
   not found a ``missing-table`` error.

Findings are listed most severe first (:func:`gxparse.form.by_severity`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

import attrs

from ._mapping import Mapped, RowNote, Slot, SlotState, known_sum
from ._report import Finding
from .form import TABLE_LABELS, Equation, Template, by_severity
from .form._findings import (
    CODES,
    DERIVED_VALUE,
    MISSING_TABLE,
    MISSING_VALUE,
    NEGATIVE_COUNT,
    UNREADABLE,
)

__all__ = ["Choice", "Repair", "Validated", "missing_findings", "place_jointly", "repair", "validate",
           "violation_findings"]

_ZERO = Decimal(0)
_ABSENT = Slot(None, SlotState.ABSENT)

#: Placements of ambiguous rows are tried jointly up to this many combinations; beyond it,
#: each row on its own (the product of a few rows' alternatives explodes).
MAX_JOINT_PLACEMENTS = 512
#: At most this many other placements are listed in a chosen placement's evidence.
MAX_LISTED_ALTERNATIVES = 8

#: Why a derived cell had no value of its own, by its slot's state.
_WHY_DERIVED = {
    SlotState.BLANK: "原文空缺",
    SlotState.ABSENT: "原文没有这一格",
    SlotState.UNREADABLE: "原文无法读作数字",
    SlotState.AMBIGUOUS: "原文数值对应的列无法确定",
    SlotState.UNPLACEABLE: "原文数值对应的列无法确定",
    SlotState.REPEATED: "原文印了两次、两处数值不同",
}


@attrs.frozen
class Validated:
    """The tables as ``{row: {column: value}}`` (None: not found), the derived paths in canonical
    order, and every finding about the report, most severe first."""

    active_disclosure: dict[str, dict[str, Any]] | None
    applications: dict[str, dict[str, Any]] | None
    reviews_and_litigation: dict[str, dict[str, Any]] | None
    derived: list[str]
    findings: list[Finding]


@attrs.frozen
class Choice:
    """An ambiguous row's placement chosen by the other equations: its slots by column, and the
    ``derived-value`` finding that says so."""

    row: str
    slots: Mapping[str, Slot]
    finding: Finding


@attrs.frozen
class Repair:
    """What exact repair filled: path → (value, the equation that determined it), in the order
    found; the paths two equations determined differently; and the paths filled as 0 because the
    known terms of their equation already balance (``zeroed``: counts are never negative — not a
    linear consequence of the equation, unlike a single unknown)."""

    derived: Mapping[str, tuple[Decimal, Equation]]
    conflicts: frozenset[str]
    zeroed: frozenset[str] = frozenset()


def _fmt(v: Decimal | None) -> str:
    if v is None:
        return "空"
    return format(v.normalize(), "f") if v != v.to_integral_value() else str(int(v))


def _export(value: Decimal | None, kind: str) -> Any:
    if value is None:
        return None
    if kind == "money":
        return value
    if value == value.to_integral_value():
        return int(value)
    return value


def _loc(slot: Slot) -> dict[str, str]:
    return {"source_location": slot.provenance.describe()} if slot.provenance is not None else {}


@lru_cache(maxsize=4096)
def _row_of(path: str) -> str:
    return path.rsplit("/", 1)[0]


# ---------------------------------------------------------------------------
# the report's cells and equations
# ---------------------------------------------------------------------------

def _paths(m: Mapped) -> list[str]:
    """Every path the report has, in canonical order, for the tables found."""
    return [p for table in m.template.tables if table.key in m.tables for p in table.paths(m.present_groups)]


def _equations(m: Mapped, values: Mapping[str, Decimal | None]) -> list[Equation]:
    """The equations of the tables found whose every term is a cell of the report."""
    eqs = m.template.equations(frozenset(m.present_groups), m.collapsed_other)
    return [e for e in eqs if e.where.split("/", 1)[0] in m.tables and all(x in values for x in (*e.lhs, *e.rhs))]


def _whole_counts(t: Template, slots: dict[str, Slot], kinds: Mapping[str, str]) -> list[Finding]:
    """Counts must be whole numbers: a count with decimals is unreadable (its slot made so)."""
    out: list[Finding] = []
    for p, slot in list(slots.items()):
        v = slot.value
        if v is not None and kinds[p] != "money" and v != v.to_integral_value():
            out.append(UNREADABLE.make(p, "not-whole", {"raw": slot.raw, **_loc(slot)},
                                       label=t.label_of(p), shown=slot.raw.strip()))
            slots[p] = slot._replace(value=None, state=SlotState.UNREADABLE)
    return out


def validate(m: Mapped) -> Validated:
    """The validated report: :func:`place_jointly`, :func:`repair`, :func:`violation_findings`,
    :func:`missing_findings` in order, with the mapper's findings first. ``m`` is not changed.

    Returns the tables as plain data (values exported: counts as ``int``, money
    as ``Decimal``), the derived paths and the findings sorted by severity.
    """
    t = m.template
    paths = _paths(m)
    slots: dict[str, Slot] = {p: m.values.get(p, _ABSENT) for p in paths}
    kinds = {p: t.field_kind(p) for p in paths}
    findings: list[Finding] = [*m.findings, *_whole_counts(t, slots, kinds)]
    values: dict[str, Decimal | None] = {p: s.value for p, s in slots.items()}
    eqs = _equations(m, values)
    notes = dict(m.row_notes)
    for choice in place_jointly(t, m.alternatives, eqs, values):
        for col, slot in choice.slots.items():
            slots[f"{choice.row}/{col}"] = slot
            values[f"{choice.row}/{col}"] = slot.value
        notes.pop(choice.row, None)
        findings.append(choice.finding)
    fixed = repair(eqs, values, kinds)
    values.update({p: v for p, (v, _) in fixed.derived.items()})
    findings += _derived_findings(t, fixed, slots, kinds)
    findings += violation_findings(t, eqs, values, slots, paths, kinds, fixed)
    findings += missing_findings(t, m, paths, values, slots, fixed.conflicts, notes)
    tables = _tables(m, paths, values, kinds)
    return Validated(tables.get("active_disclosure"), tables.get("applications"),
                     tables.get("reviews_and_litigation"), [p for p in paths if p in fixed.derived],
                     by_severity(findings))


def _tables(m: Mapped, paths: Sequence[str], values: Mapping[str, Decimal | None],
            kinds: Mapping[str, str]) -> dict[str, dict[str, dict[str, Any]]]:
    """The tables found as ``{row: {column: value}}``, in canonical order, with printed units."""
    out: dict[str, dict[str, dict[str, Any]]] = {table: {} for table in m.tables}
    for p in paths:
        tb, row, col = _parts(p)
        out[tb].setdefault(row, {})[col] = _export(values[p], kinds[p])
    for table in m.template.tables:
        if table.key in m.tables:
            for path in table.unit_paths:
                tb, row, col = _parts(path)
                out[tb][row][f"{col}_unit"] = m.units.get(path)
    return out


@lru_cache(maxsize=4096)
def _parts(path: str) -> tuple[str, str, str]:
    table, row, col = path.split("/", 2)
    return table, row, col


# ---------------------------------------------------------------------------
# step 1: joint placement of ambiguous rows
# ---------------------------------------------------------------------------

def place_jointly(t: Template, alternatives: Mapping[str, Sequence[Mapping[str, Slot]]], eqs: Sequence[Equation],
                  values: Mapping[str, Decimal | None]) -> list[Choice]:
    """Place ambiguous rows by the other equations of the table.

    A row whose values fit its own 总计 in several ways (a value is missing
    and it is unclear from which column) is tried in each way, jointly with
    the other such rows, against the equations that link rows (balance,
    （七）总计, group totals). A combination is taken only if the set of
    equations it breaks is a strict subset of what every other combination
    breaks: it explains the document at least as well in every respect and
    better in one. Otherwise the rows stay None.

    ``alternatives``: row path → its placements (column key → Slot).
    Returns the choices made (none changes ``values``).
    """
    rows = list(alternatives)
    if not rows:
        return []
    joint = math.prod(len(alternatives[r]) for r in rows) <= MAX_JOINT_PLACEMENTS
    groups = [rows] if joint else [[r] for r in rows]
    out: list[Choice] = []
    for group in groups:
        out += _place_group(t, group, alternatives, eqs, values)
    return out


def _place_group(t: Template, group: list[str], alternatives: Mapping[str, Sequence[Mapping[str, Slot]]],
                 eqs: Sequence[Equation], values: Mapping[str, Decimal | None]) -> list[Choice]:
    """The one combination of the group's placements that breaks strictly less than every other,
    as choices (none if there is no such combination)."""
    results = list(_trials(group, alternatives, eqs, values))
    best = [r for r in results if all(r.broken < o.broken for o in results if o is not r)]
    if len(best) != 1:
        return []
    chosen = best[0]
    others = [sorted(r.broken) for r in results if r is not chosen][:MAX_LISTED_ALTERNATIVES]
    return [Choice(row, dict(alt), DERIVED_VALUE.make(
        f"{row}/*", "placement",
        {"placed": {c: _export(chosen.values[f'{row}/{c}'], 'count') for c in alt}, "breaks": sorted(chosen.broken),
         "alternatives_break": others},
        label=t.label_of(row))) for row, alt in zip(group, chosen.combo)]


@attrs.frozen
class _Trial:
    """One combination of placements, the values it sets (its rows' cells, each row completed by its
    own total: only these, not the report's other values), and the equations it breaks."""

    combo: tuple[Mapping[str, Slot], ...]
    values: Mapping[str, Decimal | None]
    broken: frozenset[str]


def _trials(group: list[str], alternatives: Mapping[str, Sequence[Mapping[str, Slot]]], eqs: Sequence[Equation],
            values: Mapping[str, Decimal | None]) -> Iterator[_Trial]:
    """Every combination of the group's placements, tried."""
    # worked out once per group, not per combination: the equations that can judge it,
    # and each row's own 总计, which completes a placement before the comparison
    own_totals = [e for e in eqs if e.code == "row-total" and any(e.where.startswith(row + "/") for row in group)]
    touching = _judging(group, alternatives, eqs, values, own_totals)
    # one copy of the report's values: each combination writes what it sets and puts back what was there
    trial = dict(values)
    for combo in itertools.product(*(alternatives[row] for row in group)):
        changed = _place(trial, group, combo, own_totals)
        yield _Trial(combo, changed, _broken(touching, trial))
        _restore(trial, changed, values)


def _judging(group: list[str], alternatives: Mapping[str, Sequence[Mapping[str, Slot]]], eqs: Sequence[Equation],
             values: Mapping[str, Decimal | None], own_totals: Sequence[Equation]) -> list[Equation]:
    """The equations that can judge the group's placements: those touching its cells, less those
    with a term no combination sets and that has no value (never judged)."""
    cells = {f"{row}/{col}" for row in group for col in alternatives[row][0]}
    touching = [e for e in eqs if cells.intersection((*e.lhs, *e.rhs))]
    settable = set(cells).union(*((*e.lhs, *e.rhs) for e in own_totals))
    return [e for e in touching if all(x in settable or values[x] is not None for x in (*e.lhs, *e.rhs))]


def _place(trial: dict[str, Decimal | None], group: list[str], combo: tuple[Mapping[str, Slot], ...],
           own_totals: Sequence[Equation]) -> dict[str, Decimal | None]:
    """Write one combination's cells into ``trial``, each row completed by its own total; returns
    what was written."""
    changed: dict[str, Decimal | None] = {}
    for row, alt in zip(group, combo):
        for col, slot in alt.items():
            changed[f"{row}/{col}"] = slot.value
    trial.update(changed)
    for e in own_totals:
        solved = _solve(e, trial, {})
        trial.update(solved)
        changed.update(solved)
    return changed


def _restore(trial: dict[str, Decimal | None], changed: Mapping[str, Decimal | None],
             values: Mapping[str, Decimal | None]) -> None:
    """Put back in ``trial`` what the report had where a combination wrote."""
    for path in changed:
        if path in values:
            trial[path] = values[path]
        else:
            del trial[path]


def _broken(eqs: Sequence[Equation], values: Mapping[str, Decimal | None]) -> frozenset[str]:
    """The equations (those that touch the cells tried) whose terms are all known and that do not hold."""
    bad = set()
    for e in eqs:
        unknown_l, left = _split_known(e.lhs, values)
        if unknown_l:
            continue
        unknown_r, right = _split_known(e.rhs, values)
        if not unknown_r and left != right:
            bad.add(f"{e.code}:{e.where}")
    return frozenset(bad)


# ---------------------------------------------------------------------------
# step 2: exact repair
# ---------------------------------------------------------------------------

def repair(eqs: Sequence[Equation], values: Mapping[str, Decimal | None], kinds: Mapping[str, str]) -> Repair:
    """The values the equations determine exactly, repeated until nothing changes.

    ``values``: path → value (None: unknown); not changed. ``kinds``: path →
    ``"count"``, ``"signed"`` or ``"money"`` (a count must come out whole and
    ≥ 0). Returns what was filled and the paths determined two ways.
    """
    known = dict(values)
    derived: dict[str, tuple[Decimal, Equation]] = {}
    conflicts: set[str] = set()
    # Rounds: every equation proposes against what was known when the round began. An equation
    # none of whose terms changed in the last round proposes what it proposed then (for paths now
    # filled or in conflict: nothing new), so each round after the first asks only the equations
    # that touch a path the last round filled, in their order.
    zeroed: set[str] = set()
    touching = _equations_by_term(eqs)
    ask: Iterable[int] = range(len(eqs))
    while True:
        filled: set[int] = set()
        for path, props in _proposals(eqs, ask, known, kinds, conflicts).items():
            if len({v for v, _, _ in props}) == 1:
                known[path] = props[0][0]
                derived[path] = props[0][:2]
                if all(z for _, _, z in props):
                    zeroed.add(path)
                filled.update(touching.get(path, ()))
            else:
                conflicts.add(path)
        if not filled:
            return Repair(derived, frozenset(conflicts), frozenset(zeroed))
        ask = sorted(filled)


def _equations_by_term(eqs: Sequence[Equation]) -> dict[str, list[int]]:
    """For each path, the indexes of the equations it is a term of."""
    touching: dict[str, list[int]] = {}
    for k, e in enumerate(eqs):
        for x in (*e.lhs, *e.rhs):
            touching.setdefault(x, []).append(k)
    return touching


def _proposals(eqs: Sequence[Equation], ask: Iterable[int], known: Mapping[str, Decimal | None],
               kinds: Mapping[str, str], conflicts: set[str]) -> dict[str, list[tuple[Decimal, Equation, bool]]]:
    """What the asked equations determine, by path (paths in conflict left out): each value with
    its equation and whether it was one of several unknowns set to 0."""
    proposals: dict[str, list[tuple[Decimal, Equation, bool]]] = {}
    for k in ask:
        e = eqs[k]
        solved = _solve(e, known, kinds)
        for path, val in solved:
            if path not in conflicts:
                proposals.setdefault(path, []).append((val, e, len(solved) > 1))
    return proposals


def _split_known(terms: Sequence[str], values: Mapping[str, Decimal | None]) -> tuple[list[str], Decimal]:
    """The unknown terms, and the sum of the known ones."""
    unknown: list[str] = []
    known = _ZERO
    for x in terms:
        v = values[x]
        if v is None:
            unknown.append(x)
        else:
            known += v
    return unknown, known


def _solve(e: Equation, values: Mapping[str, Decimal | None],
           kinds: Mapping[str, str]) -> Sequence[tuple[str, Decimal]]:
    """What one equation determines: its one unknown, or its unknowns on one side as 0."""
    unknown_l, known_l = _split_known(e.lhs, values)
    unknown_r, known_r = _split_known(e.rhs, values)
    unknown = unknown_l + unknown_r
    if not unknown:
        return []
    if len(unknown) == 1:
        return _one_unknown(unknown[0], known_r - known_l if unknown_l else known_l - known_r, kinds)
    # several unknowns on one side, and the known terms already balance: all are 0
    if known_l == known_r and (not unknown_r or not unknown_l):
        return [(x, _ZERO) for x in unknown if kinds.get(x) != "signed"]
    return []


def _one_unknown(x: str, val: Decimal, kinds: Mapping[str, str]) -> list[tuple[str, Decimal]]:
    kind = kinds.get(x)
    if (val >= 0 or kind == "signed") and (val == val.to_integral_value() or kind == "money"):
        return [(x, val)]
    return []


def _derived_findings(t: Template, fixed: Repair, slots: Mapping[str, Slot],
                      kinds: Mapping[str, str]) -> list[Finding]:
    """A ``derived-value`` info per filled value: why the cell had none, and by which equation."""
    return [DERIVED_VALUE.make(path, "cell", {"value": _export(val, kinds[path]), "rule": eq.code,
                                              "equation": eq.where},
                               label=t.label_of(path), why=_WHY_DERIVED.get(slots[path].state, "原文空缺"),
                               description=eq.description, shown=_fmt(val))
            for path, (val, eq) in fixed.derived.items()]


# ---------------------------------------------------------------------------
# step 3: violations
# ---------------------------------------------------------------------------

def violation_findings(t: Template, eqs: Sequence[Equation], values: Mapping[str, Decimal | None],
                       slots: Mapping[str, Slot], paths: Sequence[str], kinds: Mapping[str, str],
                       fixed: Repair | None = None) -> list[Finding]:
    """An ``error`` for every equation with all terms known that does not hold (in the equations'
    order), then for every negative count (``signed`` values excepted), in path order.

    ``fixed``: what repair derived. An equation broken only through derived values is reported
    only when the printed numbers' other errors do not already explain it (:class:`_Explained`):
    a PDF that lost its 总计 column derives every row's 总计, and the 自然人 column's
    ``results-total`` error would come back as a second one in the 总计 column.
    """
    known = [e for e in eqs if all(values[x] is not None for x in (*e.lhs, *e.rhs))]
    broken = _broken_sums(known, values)
    linear = _linear_derived(fixed)
    explained = _explainer(known, broken, linear)
    out = [_violation(t, e, *broken[id(e)], values, slots, derived=_lhs_derived(e, fixed))
           for e in known if id(e) in broken and not _explained(e, linear, explained)]
    return out + _negative_counts(t, values, slots, paths, kinds)


def _broken_sums(known: Sequence[Equation], values: Mapping[str, Decimal | None]) -> dict[int, tuple[Decimal, Decimal]]:
    """The equations (all terms known) that do not hold, by ``id``: their two sides' sums."""
    sums = {id(e): (known_sum(values[x] for x in e.lhs), known_sum(values[x] for x in e.rhs)) for e in known}
    return {k: lr for k, lr in sums.items() if lr[0] != lr[1]}


def _linear_derived(fixed: Repair | None) -> dict[str, Equation]:
    """The values repair derived as an equation's one unknown (not those set to 0 together), by
    path, with the equation."""
    if fixed is None:
        return {}
    return {p: eq for p, (_, eq) in fixed.derived.items() if p not in fixed.zeroed}


def _explainer(known: Sequence[Equation], broken: Mapping[int, tuple[Decimal, Decimal]],
               linear: Mapping[str, Equation]) -> _Explained | None:
    """What the printed numbers' errors explain (None: no broken equation touches a derived value)."""
    if not (linear and any(_touches(e, linear) for e in known if id(e) in broken)):
        return None
    return _Explained(linear, [e for e in known if id(e) not in broken or not _touches(e, linear)])


def _explained(e: Equation, linear: Mapping[str, Equation], explained: _Explained | None) -> bool:
    """Is a broken equation broken only through derived values, by errors reported already?"""
    return explained is not None and _touches(e, linear) and explained.covers(e)


def _lhs_derived(e: Equation, fixed: Repair | None) -> bool:
    """Is the equation's first left-hand term a derived value (its error not the printed numbers')?"""
    return fixed is not None and bool(e.lhs) and e.lhs[0] in fixed.derived


def _touches(e: Equation, derived: Mapping[str, Equation]) -> bool:
    return any(x in derived for x in (*e.lhs, *e.rhs))


class _Explained:
    """Is an equation broken through derived values the same break as a reported one?

    Every derived value is what its equation makes of other values, so an equation with derived
    terms is, over the printed cells, another equation (:meth:`vector`): the 总计 column's
    ``results-total`` of a PDF that lost its 总计 column is, with every 总计 derived from its
    row, the sum of the other columns' ``results-total``. Its break is the break of a reported
    equation when that vector is a sum of equations that hold and of reported ones, all of them
    on cells it rests on itself (an equation's break is never blamed on a cell it does not hold:
    a 自然人 column's ``results-total`` is not the break of a row's ``row-total``, though the
    form's equations, being dependent, sum to each other). Exact rational arithmetic.
    """

    def __init__(self, derived: Mapping[str, Equation], base: Sequence[Equation]) -> None:
        self.derived = derived
        # a derived value's own equation is, over the printed cells, 0 = 0: no help
        used = {id(e) for e in derived.values()}
        self.base = [e for e in base if id(e) not in used]
        self._expanded: dict[str, dict[str, int]] = {}
        self._vectors: dict[int, dict[str, int]] = {}

    @staticmethod
    def _of(e: Equation) -> dict[str, int]:
        v: dict[str, int] = {}
        for x in e.lhs:
            v[x] = v.get(x, 0) + 1
        for x in e.rhs:
            v[x] = v.get(x, 0) - 1
        return {x: c for x, c in v.items() if c}

    def _expand(self, x: str) -> dict[str, int]:
        """A derived value over the printed cells: what its equation makes of the values known before
        it, each of those expanded in turn (memoised: every derived value is expanded once). The
        form's equations hold each cell once, so the coefficients stay whole."""
        got = self._expanded.get(x)
        if got is None:
            d = self._of(self.derived[x])
            cx = d.pop(x)  # ±1: x = -cx · (the rest)
            got = {}
            for y, c in d.items():
                _axpy(got, -c * cx, self._expand(y) if y in self.derived else {y: 1})
            self._expanded[x] = got
        return got

    def vector(self, e: Equation) -> dict[str, int]:
        """``e`` over the printed cells: each derived term replaced by what its equation makes of it."""
        v: dict[str, int] = {}
        for x, c in self._of(e).items():
            _axpy(v, c, self._expand(x) if x in self.derived else {x: 1})
        return v

    def _base_vector(self, e: Equation) -> dict[str, int]:
        v = self._vectors.get(id(e))
        if v is None:
            v = self._vectors[id(e)] = self.vector(e)
        return v

    def covers(self, e: Equation) -> bool:
        """Is ``e`` (over the printed cells) a sum of the reported and holding equations on its cells?"""
        v = self.vector(e)
        cells = v.keys()
        basis: dict[str, dict[str, Fraction]] = {}  # pivot -> row, reduced
        for other in self.base:
            # its printed cells must be the tested one's (substitution only replaces derived ones)
            if all(x in cells or x in self.derived for x in (*other.lhs, *other.rhs)):
                b = self._base_vector(other)
                if b and b.keys() <= cells:
                    _insert(basis, b)
        return not _reduce(basis, v)


def _axpy(v: dict[str, Any], a: Any, w: Mapping[str, Any]) -> None:
    """``v += a·w`` in place (int or Fraction coefficients), dropping zeros."""
    for y, c in w.items():
        r = v.get(y, 0) + a * c
        if r:
            v[y] = r
        else:
            v.pop(y, None)


def _reduce(basis: Mapping[str, Mapping[str, Fraction]], v: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(v)
    for pivot, row in basis.items():
        c = out.get(pivot)
        if c:
            _axpy(out, -c, row)
    return out


def _insert(basis: dict[str, dict[str, Fraction]], v: Mapping[str, Any]) -> None:
    """Add ``v`` to a reduced row-echelon basis (pivot → row with 1 at the pivot, 0 at the others)."""
    r = _reduce(basis, v)
    if not r:
        return
    pivot = min(r)
    row = {y: Fraction(c) / r[pivot] for y, c in r.items()}
    for other in basis.values():
        c = other.get(pivot)
        if c:
            _axpy(other, -c, row)
    basis[pivot] = row


def _negative_counts(t: Template, values: Mapping[str, Decimal | None], slots: Mapping[str, Slot],
                     paths: Sequence[str], kinds: Mapping[str, str]) -> list[Finding]:
    out: list[Finding] = []
    for p in paths:
        v = values[p]
        if v is not None and v < 0 and kinds[p] != "signed":
            out.append(NEGATIVE_COUNT.make(p, "cell", {"value": _export(v, kinds[p]), **_loc(slots[p])},
                                           label=t.label_of(p), shown=_fmt(v)))
    return out


def _violation(t: Template, e: Equation, left: Decimal, right: Decimal, values: Mapping[str, Decimal | None],
               slots: Mapping[str, Slot], derived: bool = False) -> Finding:
    diff = left - right
    lhs_terms = {x: _export(values[x], t.field_kind(x)) for x in e.lhs}
    rhs_terms = {x: _export(values[x], t.field_kind(x)) for x in e.rhs}
    first = e.lhs[0]
    loc = _loc(slots[first]) if first in slots and slots[first].provenance is not None else {}
    code = CODES[e.code]
    message = "violation-derived" if derived and "violation-derived" in code.messages else "violation"
    return code.make(e.where, message, {
        "rule": e.description,
        "left": _export(left, "count"), "right": _export(right, "count"), "difference": _export(diff, "count"),
        "left_terms": lhs_terms, "right_terms": rhs_terms, **loc,
    }, label=t.label_of(e.where), left=_fmt(left), right=_fmt(right), difference=_fmt(abs(diff)))


# ---------------------------------------------------------------------------
# step 4: missing values and tables
# ---------------------------------------------------------------------------

def missing_findings(t: Template, m: Mapped, paths: Sequence[str], values: Mapping[str, Decimal | None],
                     slots: Mapping[str, Slot], conflicts: frozenset[str],
                     notes: Mapping[str, RowNote]) -> list[Finding]:
    """A ``missing-value`` warning for each value still None (one per row when the whole row is),
    saying why; then a ``missing-table`` error for each table not found."""
    out: list[Finding] = []
    rows, size = _missing_by_row(paths, values)
    for row, missing in rows.items():
        out += _row_missing(t, row, missing, size[row], slots, conflicts, notes.get(row))
    out += [MISSING_TABLE.make(table.key, "table", {}, label=TABLE_LABELS[table.key])
            for table in t.tables if table.key not in m.tables]
    return out


def _missing_by_row(paths: Sequence[str], values: Mapping[str, Decimal | None]) -> tuple[dict[str, list[str]],
                                                                                          dict[str, int]]:
    """The paths with no value, by row (rows in path order), and each row's number of paths."""
    rows: dict[str, list[str]] = {}
    size: dict[str, int] = {}
    for p in paths:
        r = _row_of(p)
        size[r] = size.get(r, 0) + 1
        if values[p] is None:
            rows.setdefault(r, []).append(p)
    return rows, size


def _row_missing(t: Template, row: str, missing: list[str], size: int, slots: Mapping[str, Slot],
                 conflicts: frozenset[str], note: RowNote | None) -> list[Finding]:
    """The ``missing-value`` warnings of one row: one for the row when all its several values are
    missing, else one per cell."""
    reason = _reason(missing, slots, conflicts, note)
    if len(missing) == size and len(missing) > 1:
        extra = dict(note.evidence) if note else {}
        return [MISSING_VALUE.make(f"{row}/*", "row", {"paths": missing, **extra},
                                   label=t.label_of(row), reason=reason)]
    return [MISSING_VALUE.make(p, "cell", {"raw": slots[p].raw, **_loc(slots[p])},
                               label=t.label_of(p), reason=reason) for p in missing]


def _reason(missing: Sequence[str], slots: Mapping[str, Slot], conflicts: frozenset[str],
            note: RowNote | None) -> str:
    """Why the values of a row are missing, as the finding says it."""
    states = {slots[p].state for p in missing}
    why = [text for text, holds in (
        ("两条勾稽关系推出的值不一致", any(p in conflicts for p in missing)),
        ("原文无法读作数字", SlotState.UNREADABLE in states),
        (_WHY_DERIVED[SlotState.REPEATED], SlotState.REPEATED in states),
        (_UNPLACED, bool(states & {SlotState.AMBIGUOUS, SlotState.UNPLACEABLE})),
    ) if holds]
    if not why:
        why = _undetermined(states)
    if note:
        why = [note.reason, *(w for w in why if w != _UNPLACED)]
    return "；".join(why) or "原文没有给出"


_UNPLACED = "无法确定数值对应的列"


def _undetermined(states: set[SlotState]) -> list[str]:
    """Why values with no other reason are missing: blank in the source, or not given, and the
    equations cannot determine them (empty: neither)."""
    if states <= {SlotState.BLANK}:
        return ["原文空缺，勾稽关系不能确定"]
    if SlotState.ABSENT in states:
        return ["原文没有给出，勾稽关系不能确定"]
    return []
