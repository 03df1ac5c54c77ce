"""Validation: exact repair of blanks, then the invariants (勾稽关系).

Repair fills a value the document does not give only when the invariants
determine it exactly:

* an equation with one unknown determines it (a blank 总计 is the sum of its
  row), provided the result is a whole, non-negative count;
* an equation whose known terms already balance makes every unknown on the
  open side 0, because counts are never negative.

A value determined differently by two equations is left ``None``. Filled
values are listed in ``derived``. Then every equation whose terms are all
known is checked; each violation is an ``error`` finding that names the
row, the column, both sides and the difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

import attrs

from ._mapper import Mapped, Slot, known_sum
from ._report import Finding
from .form import TABLE_LABELS, Equation, Role, Template, by_severity
from .form._findings import (
    CODES,
    DERIVED_VALUE,
    MISSING_TABLE,
    MISSING_VALUE,
    NEGATIVE_COUNT,
    UNREADABLE,
)

__all__ = ["Validated", "validate"]

_ZERO = Decimal(0)


@attrs.define
class Validated:
    active_disclosure: dict[str, dict[str, Any]] | None
    applications: dict[str, dict[str, Any]] | None
    reviews_and_litigation: dict[str, dict[str, Any]] | None
    derived: list[str]
    findings: list[Finding]


def _paths(m: Mapped) -> list[str]:
    """Every path the report has, in canonical order, for the tables found."""
    t = m.template
    out: list[str] = []
    if "active_disclosure" in m.tables:
        for item in t.active_items:
            out.extend(f"active_disclosure/{item.key}/{f.key}" for f in item.fields)
    if "applications" in m.tables:
        for row in t.app_rows:
            if row.role is Role.HEADING:
                continue
            if row.role is Role.GROUP_TOTAL and row.key not in m.present_groups:
                continue
            out.extend(f"applications/{row.key}/{c.key}" for c in t.app_columns)
    if "reviews_and_litigation" in m.tables:
        for g in t.review_groups:
            out.extend(f"reviews_and_litigation/{g.key}/{c.key}" for c in t.review_columns)
    return out


def _equations(m: Mapped) -> list[Equation]:
    eqs = m.template.equations(frozenset(m.present_groups), m.collapsed_other)
    tables = m.tables
    return [e for e in eqs if e.where.split("/", 1)[0] in tables]


def _fmt(v: Decimal | None) -> str:
    if v is None:
        return "空"
    return format(v.normalize(), "f") if v != v.to_integral_value() else str(int(v))


def _label(t: Template, path: str) -> str:
    return t.label_of(path)


def _export(value: Decimal | None, kind: str) -> Any:
    if value is None:
        return None
    if kind == "money":
        return value
    if value == value.to_integral_value():
        return int(value)
    return value


def validate(m: Mapped) -> Validated:
    t = m.template
    findings: list[Finding] = list(m.findings)
    paths = _paths(m)
    absent = Slot(None, "absent")
    slots: dict[str, Slot] = {p: m.values.get(p, absent) for p in paths}
    values: dict[str, Decimal | None] = {p: s.value for p, s in slots.items()}
    kinds = {p: t.field_kind(p) for p in paths}

    # counts must be whole numbers
    for p, v in list(values.items()):
        if v is not None and kinds[p] != "money" and v != v.to_integral_value():
            findings.append(UNREADABLE.make(p, "not-whole", {"raw": slots[p].raw, **_loc(slots[p])},
                                            label=_label(t, p), shown=slots[p].raw.strip()))
            values[p] = None
            slots[p] = attrs.evolve(slots[p], value=None, state="unreadable")

    eqs = [e for e in _equations(m) if all(x in values for x in (*e.lhs, *e.rhs))]
    findings += _resolve_alternatives(t, m, eqs, values, slots)
    derived: dict[str, tuple[Decimal, Equation]] = {}
    conflicts: dict[str, set[Decimal]] = {}
    changed = True
    while changed:
        changed = False
        proposals: dict[str, list[tuple[Decimal, Equation]]] = {}
        for e in eqs:
            for path, val in _solve(e, values, kinds):
                if path not in conflicts:
                    proposals.setdefault(path, []).append((val, e))
        for path, props in proposals.items():
            vals = {v for v, _ in props}
            if len(vals) == 1:
                values[path] = props[0][0]
                derived[path] = props[0]
                changed = True
            else:
                conflicts[path] = vals

    # findings: derived values
    for path, (val, eq) in derived.items():
        why = _WHY_DERIVED.get(slots[path].state, "原文空缺")
        findings.append(DERIVED_VALUE.make(path, "cell",
                                           {"value": _export(val, kinds[path]), "rule": eq.code, "equation": eq.where},
                                           label=_label(t, path), why=why, description=eq.description,
                                           shown=_fmt(val)))

    # findings: invariant violations
    for e in eqs:
        terms = [*e.lhs, *e.rhs]
        if any(values[x] is None for x in terms):
            continue
        left = known_sum(values[x] for x in e.lhs)  # all known: checked above
        right = known_sum(values[x] for x in e.rhs)
        if left != right:
            findings.append(_violation(t, e, left, right, values, slots))

    # negative counts
    for p in paths:
        v = values[p]
        if v is not None and v < 0 and kinds[p] != "signed":
            findings.append(NEGATIVE_COUNT.make(p, "cell", {"value": _export(v, kinds[p]), **_loc(slots[p])},
                                                label=_label(t, p), shown=_fmt(v)))

    # missing values (grouped by row when a whole row is missing)
    findings.extend(_missing(t, paths, values, slots, conflicts, m))

    # missing tables
    for table in ("active_disclosure", "applications", "reviews_and_litigation"):
        if table not in m.tables:
            findings.append(MISSING_TABLE.make(table, "table", {}, label=TABLE_LABELS[table]))

    out_tables: dict[str, dict[str, dict[str, Any]]] = {table: {} for table in m.tables}
    for p in paths:  # in canonical order
        tb, row, col = _parts(p)
        out_tables[tb].setdefault(row, {})[col] = _export(values[p], kinds[p])
    procurement = out_tables.get("active_disclosure", {}).get("procurement")
    if procurement is not None:
        procurement["amount_unit"] = m.procurement_unit
    derived_paths = [p for p in paths if p in derived]
    return Validated(out_tables.get("active_disclosure"), out_tables.get("applications"),
                     out_tables.get("reviews_and_litigation"), derived_paths, by_severity(findings))


@lru_cache(maxsize=4096)
def _parts(path: str) -> tuple[str, str, str]:
    table, row, col = path.split("/", 2)
    return table, row, col


def _violations(eqs: list[Equation], values: dict[str, Decimal | None], cells: set[str]) -> frozenset[str]:
    """The equations touching ``cells`` whose terms are all known and that do not hold."""
    bad = set()
    for e in eqs:
        if not cells.intersection(e.lhs) and not cells.intersection(e.rhs):
            continue
        unknown_l, left = _split_known(e.lhs, values)
        if unknown_l:
            continue
        unknown_r, right = _split_known(e.rhs, values)
        if not unknown_r and left != right:
            bad.add(f"{e.code}:{e.where}")
    return frozenset(bad)


#: Try every combination of placements of ambiguous rows jointly up to this many.
MAX_JOINT_PLACEMENTS = 512


def _resolve_alternatives(t: Template, m: Mapped, eqs: list[Equation], values: dict[str, Decimal | None],
                          slots: dict[str, Slot]) -> list[Finding]:
    """Place ambiguous rows by the other invariants of the table.

    A row whose values fit its own 总计 in several ways (a value is missing
    and it is unclear from which column) is tried in each way, jointly with
    the other such rows, against the invariants that link rows (balance,
    （七）总计, group totals). A combination is taken only if the set of
    invariants it breaks is a strict subset of what every other combination
    breaks: it explains the document at least as well in every respect and
    better in one. Otherwise the rows stay None.
    """
    import itertools

    rows = list(m.alternatives)
    if not rows:
        return []
    groups = [rows] if _product(len(m.alternatives[r]) for r in rows) <= MAX_JOINT_PLACEMENTS else [[r] for r in rows]
    out: list[Finding] = []
    for group in groups:
        cells = {f"{row}/{col}" for row in group for col in m.alternatives[row][0]}
        # worked out once per group, not per combination: the equations that can judge it,
        # and each row's own 总计, which completes a placement before the comparison
        touching = [e for e in eqs if cells.intersection((*e.lhs, *e.rhs))]
        own_totals = [e for e in eqs
                      if e.code == "row-total" and any(e.where.startswith(row + "/") for row in group)]
        results = []
        for combo in itertools.product(*(m.alternatives[row] for row in group)):
            trial = dict(values)
            for row, alt in zip(group, combo):
                for col, slot in alt.items():
                    trial[f"{row}/{col}"] = slot.value
            for e in own_totals:
                for path, val in _solve(e, trial, {}):
                    trial[path] = val
            results.append((_violations(touching, trial, cells), combo, trial))
        best = [r for r in results if all(r[0] < o[0] for o in results if o is not r)]
        if len(best) != 1:
            continue
        bad, combo, trial = best[0]
        for row, alt in zip(group, combo):
            for col, slot in alt.items():
                path = f"{row}/{col}"
                slots[path] = slot
                values[path] = slot.value
            m.row_notes.pop(row, None)
            out.append(DERIVED_VALUE.make(
                f"{row}/*", "placement",
                {"placed": {c: _export(trial[f'{row}/{c}'], 'count') for c in alt},
                 "breaks": sorted(bad),
                 "alternatives_break": [sorted(r[0]) for r in results if r is not best[0]][:8]},
                label=_label(t, row)))
    return out


def _product(ns) -> int:
    p = 1
    for n in ns:
        p *= n
    return p


#: why a derived cell had no value of its own, by its slot's state
_WHY_DERIVED = {
    "blank": "原文空缺",
    "absent": "原文没有这一格",
    "unreadable": "原文无法读作数字",
    "ambiguous": "原文数值对应的列无法确定",
    "unplaceable": "原文数值对应的列无法确定",
}


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


def _solve(e: Equation, values: dict[str, Decimal | None], kinds: Mapping[str, str]) -> Iterable[tuple[str, Decimal]]:
    unknown_l, known_l = _split_known(e.lhs, values)
    unknown_r, known_r = _split_known(e.rhs, values)
    unknown = unknown_l + unknown_r
    if not unknown:
        return []
    if len(unknown) == 1:
        x = unknown[0]
        val = known_r - known_l if unknown_l else known_l - known_r
        if (val >= 0 or kinds.get(x) == "signed") and (val == val.to_integral_value() or kinds.get(x) == "money"):
            return [(x, val)]
        return []
    # several unknowns on one side, and the known terms already balance: all are 0
    if unknown_l and not unknown_r and known_l == known_r:
        return [(x, _ZERO) for x in unknown_l if kinds.get(x) != "signed"]
    if unknown_r and not unknown_l and known_l == known_r:
        return [(x, _ZERO) for x in unknown_r if kinds.get(x) != "signed"]
    return []


def _loc(slot: Slot) -> dict[str, str]:
    return {"source_location": slot.provenance.describe()} if slot.provenance is not None else {}


def _violation(t: Template, e: Equation, left: Decimal, right: Decimal, values, slots) -> Finding:
    diff = left - right
    lhs_terms = {x: _export(values[x], t.field_kind(x)) for x in e.lhs}
    rhs_terms = {x: _export(values[x], t.field_kind(x)) for x in e.rhs}
    loc = {}
    first = e.lhs[0]
    if first in slots and slots[first].provenance is not None:
        loc = _loc(slots[first])
    return CODES[e.code].make(e.where, "violation", {
        "rule": e.description,
        "left": _export(left, "count"), "right": _export(right, "count"), "difference": _export(diff, "count"),
        "left_terms": lhs_terms, "right_terms": rhs_terms, **loc,
    }, label=_label(t, e.where), left=_fmt(left), right=_fmt(right), difference=_fmt(abs(diff)))


def _missing(t: Template, paths: list[str], values, slots, conflicts, m: Mapped) -> list[Finding]:
    out: list[Finding] = []
    rows: dict[str, list[str]] = {}
    for p in paths:
        if values[p] is None:
            rows.setdefault(p.rsplit("/", 1)[0], []).append(p)
    all_cols: dict[str, int] = {}
    for p in paths:
        r = p.rsplit("/", 1)[0]
        all_cols[r] = all_cols.get(r, 0) + 1
    for row, missing in rows.items():
        states = {slots[p].state for p in missing}
        why = []
        if any(p in conflicts for p in missing):
            why.append("两条勾稽关系推出的值不一致")
        if "unreadable" in states:
            why.append("原文无法读作数字")
        if "ambiguous" in states or "unplaceable" in states:
            why.append("无法确定数值对应的列")
        if states <= {"blank"} and not why:
            why.append("原文空缺，勾稽关系不能确定")
        if "absent" in states and not why:
            why.append("原文没有给出，勾稽关系不能确定")
        note = m.row_notes.get(row)
        if note:
            why.insert(0, note["reason"])
            why = [w for w in why if w != "无法确定数值对应的列"]
        reason = "；".join(why) or "原文没有给出"
        extra = {k: v for k, v in (note or {}).items() if k != "reason"}
        if len(missing) == all_cols[row] and len(missing) > 1:
            out.append(MISSING_VALUE.make(f"{row}/*", "row", {"paths": missing, **extra},
                                          label=_label(t, row), reason=reason))
        else:
            for p in missing:
                out.append(MISSING_VALUE.make(p, "cell", {"raw": slots[p].raw, **_loc(slots[p])},
                                              label=_label(t, p), reason=reason))
    return out



