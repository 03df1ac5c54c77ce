"""Rows printed twice: a 续表 that repeats a row, two copies of a table in one document.

After every table is aligned and placed, a record with numbers that no table took and whose
label names a row already matched — exactly, or (inside the table's region, where it would
otherwise be an unknown row) clearly — is that row printed again (rule ``repeated-rows``). It
is placed like the row and compared cell by cell: where both prints agree the value stands;
where they differ it is taken from neither (``repeated``: null, unless the invariants
determine it) and a ``repeated-row`` error names both places and both values. A cell the
first print lacks (cut off) is taken from the second.

The one-row table (行政复议/行政诉讼) printed again — a 续表 or a copy that repeats its anchor
words and header after its values — is read like the first print and compared the same way,
each of its rows on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from .._normalize import numbering
from .._records import Record
from .._report import Finding
from ..form import Layout, Role, Row, TableSpec
from ..form._findings import REPEATED_ROW
from ._columns import place_one_row, place_table_rows
from ._labels import exact_index, item_texts, label_texts, own_label, plain, row_label_score
from ._locate import one_row_again
from ._rows import clearly_best, group_item_rest
from ._state import Context, Region, RowMatch, Slot, SlotState, TraceEntry, where_of

if TYPE_CHECKING:  # the pipeline imports this module
    from ._pipeline import TableResult

__all__ = ["REPEAT_MIN_MARGIN", "REPEAT_MIN_SCORE", "repeated_rows"]

#: Inside a table's region, a record that would be an unknown row repeats a matched row when it
#: names that row at least this well …
REPEAT_MIN_SCORE = 0.9
#: … and this much better than any other row. Outside it, only a label naming a row exactly.
REPEAT_MIN_MARGIN = 0.1


def repeated_rows(ctx: Context, results: Sequence[TableResult]) -> list[TableResult]:
    """The tables' results with their rows printed twice found, compared and settled."""
    if "repeated-rows" not in ctx.switches:
        return list(results)
    used = _used(ctx, results)
    again = {id(res): _one_row_again(ctx, res) for res in results if res.table.layout is Layout.ONE_ROW}
    for region in again.values():  # a second print's records are no other table's rows
        if region is not None:
            used |= _holding(ctx, region)
    return [_settled(ctx, res, again, used) for res in results]


def _settled(ctx: Context, res: TableResult, again: Mapping[int, Region | None], used: set[int]) -> TableResult:
    """One table's result with its rows printed twice settled: the one-row table by its second print
    (``again``), any other by the records repeating its rows (added to ``used``)."""
    if res.table.layout is Layout.ONE_ROW:
        second = again[id(res)]
        return res if second is None else _settle_one_row(ctx, res, second)
    repeats = _repeats_of(ctx, res, used)
    return _settle(ctx, res, repeats) if repeats else res


def _used(ctx: Context, results: Iterable[TableResult]) -> set[int]:
    """The records some table read: its rows, and the records holding a one-row table's cells."""
    used: set[int] = set()
    for res in results:
        used |= {id(m.record) for m in res.aligned.matches}
        used |= _holding(ctx, res.region)
    return used


def _holding(ctx: Context, region: Region) -> set[int]:
    """The records holding a cell of a region's tokens (a one-row table's cells), by id."""
    tokens = {id(c) for c in region.tokens}
    if not tokens:
        return set()
    return {id(r) for r in ctx.value_records if any(id(v) in tokens for v in r.values)}


def _repeats_of(ctx: Context, res: TableResult, used: set[int]) -> list[RowMatch]:
    """The records that repeat a matched row of ``res``'s table, as matches of that row."""
    table: TableSpec = res.table
    matched = {m.row.key for m in res.aligned.matches if not m.bare}
    rows = [r for r in table.rows if r.role is not Role.HEADING]
    variants, exact = _row_names(rows)
    unknown = {id(r) for r in res.aligned.unknown}
    split = "space-split-label" in ctx.switches
    out: list[RowMatch] = []
    headers = {plain(c.label) for c in table.columns}  # 总计, 其他: a header cell above numbers, not a row
    for rec in ctx.value_records:
        if not _may_repeat(rec, own_label(rec, split), used, res.region.start, headers):
            continue
        j = _named(ctx, rec, table, rows, exact, variants, split, inside=id(rec) in unknown)
        if j is not None and rows[j].key in matched:
            out.append(RowMatch(rows[j], rec, rules=("repeated-rows",)))
            used.add(id(rec))
    return out


def _row_names(rows: Sequence[Row]) -> tuple[tuple[tuple[str, ...], ...], dict[str, int]]:
    """The rows' label variants (:func:`plain`) and the index of the labels naming each row exactly:
    its variants and its official label whole (三、本年度办理结果 （一）予以公开, a copy of the table)."""
    variants = tuple(tuple(plain(v) for v in r.variants) for r in rows)
    return variants, exact_index(tuple((*vs, plain(r.label)) for r, vs in zip(rows, variants)))


def _may_repeat(rec: Record, own: str, used: set[int], start: int, headers: set[str]) -> bool:
    """May a record (its own label ``own``) be a row printed again: read by no table, after the
    table's start, with numbers, its label no column header (（七）总计, 3.其他 are rows)?"""
    return not (id(rec) in used or rec.index <= start or not rec.has_numbers
                or (plain(own) in headers and numbering(own) is None))


def _named(ctx: Context, rec: Record, table: TableSpec, rows: Sequence[Row], exact: dict[str, int],
           variants: tuple[tuple[str, ...], ...], split: bool, inside: bool) -> int | None:
    """The row a record's label names: exactly, or inside the table's region clearly."""
    if table.rows_have_columns:
        return next((exact[t] for t, _ in item_texts(rec, ctx.records, ctx.switches) if t in exact), None)
    j = exact.get(plain(own_label(rec, split)))
    if j is not None or not inside:
        return j
    texts = label_texts(rec, ctx.switches)
    not_group = _not_group(rows, texts)
    return clearly_best(((row_label_score(texts, vs, ctx.switches)[0] if k not in not_group else 0.0, k)
                         for k, vs in enumerate(variants)), REPEAT_MIN_SCORE, REPEAT_MIN_MARGIN)


def _not_group(rows: Sequence[Row], texts: tuple[str, str, str]) -> set[int]:
    """The group rows a label is not: one with an item number after its group's label (（三）不予公开
    1.属于国家秘密) is no group row."""
    return {k for k, r in enumerate(rows) if r.role is Role.GROUP_TOTAL
            and any(t and group_item_rest(t, r) is not None for t in texts[:2])}


def _one_row_again(ctx: Context, res: TableResult) -> Region | None:
    """The one-row table's second print, if the document has one that no other table read."""
    if "repeated-rows" not in ctx.switches:
        return None
    return one_row_again(ctx, res.table, res.region)


def _settle_one_row(ctx: Context, res: TableResult, second: Region) -> TableResult:
    """Place the one-row table's second print like the first, compare each of its rows, and keep
    a value only where both prints agree."""
    assert second.first is not None
    again = place_one_row(ctx, res.table, second)
    repeats = [RowMatch(r, second.first, rules=("repeated-rows",)) for r in res.table.rows]
    values, findings = _compare(res, repeats, res.placed.values, again.values)
    aligned = attrs.evolve(res.aligned, rules=(*res.aligned.rules, "repeated-rows"))
    trace = TraceEntry(res.table.key, "*", second.first, (*second.rules, *again.trace[0].rules[1:]))
    placed = attrs.evolve(res.placed, values=values, findings=(*res.placed.findings, *findings),
                          trace=(*res.placed.trace, trace))
    return attrs.evolve(res, aligned=aligned, placed=placed)


def _compare(res: TableResult, repeats: Sequence[RowMatch], first: Mapping[str, Slot],
             second: Mapping[str, Slot]) -> tuple[dict[str, Slot], list[Finding]]:
    """The values of both prints of each repeated row, cell by cell (kept where they agree, else
    ``repeated``), and a ``repeated-row`` error for each row whose prints differ."""
    values = dict(first)
    findings: list[Finding] = []
    first_of = {m.row.key: m.record for m in res.aligned.matches}
    for m in repeats:
        paths = [f"{res.table.key}/{m.row.key}/{c.key}" for c in res.table.columns_of(m.row)]
        differ: dict[str, tuple[str, str]] = {}
        for path in paths:
            a, b = values.get(path, _ABSENT), second.get(path, _ABSENT)
            kept = _kept(a, b)
            if kept is None:
                differ[path.rsplit("/", 1)[1]] = (_shown(a), _shown(b))
                values[path] = Slot(None, SlotState.REPEATED, f"{a.raw} / {b.raw}", a.provenance or b.provenance)
            else:
                values[path] = kept
        if differ:
            findings.append(_finding(res.table, m, first_of[m.row.key], differ))
    return values, findings


def _settle(ctx: Context, res: TableResult, repeats: list[RowMatch]) -> TableResult:
    """Place each repeat like its row, compare, and keep a value only where both prints agree."""
    again = place_table_rows(ctx, res.table, repeats)
    values, findings = _compare(res, repeats, res.placed.values, again.values)
    repeated = {id(m.record) for m in repeats}
    unknown = tuple(r for r in res.aligned.unknown if id(r) not in repeated)
    rules = tuple(r for r in res.aligned.rules if unknown or r != "unknown-rows")
    aligned = attrs.evolve(res.aligned, unknown=unknown, rules=(*rules, "repeated-rows"))
    placed = attrs.evolve(res.placed, values=values, findings=(*res.placed.findings, *findings),
                          trace=(*res.placed.trace, *(TraceEntry(res.table.key, m.row.key, m.record, m.rules)
                                                      for m in repeats)))
    return attrs.evolve(res, aligned=aligned, placed=placed)


_ABSENT = Slot(None, SlotState.ABSENT)


def _kept(a: Slot, b: Slot) -> Slot | None:
    """The slot to keep of two prints of one cell, or None when they differ."""
    if b.state is SlotState.ABSENT:
        return a
    if a.state is SlotState.ABSENT:
        return b
    if a.state is SlotState.GIVEN or b.state is SlotState.GIVEN:
        return a if a.state is b.state and a.value == b.value else None
    return a  # neither printed a number: blank or unreadable both, nothing to choose between


def _shown(s: Slot) -> str:
    return s.raw.strip() or ("空" if s.state is SlotState.BLANK else "无")


def _finding(table: TableSpec, m: RowMatch, first: Record, differ: dict[str, tuple[str, str]]) -> Finding:
    """The ``repeated-row`` error, both prints in the document's order (the alignment may have read a
    row from the second copy of a table and its repeat from the first)."""
    second = m.record
    if second.index < first.index:
        first, second = second, first
        differ = {k: (b, a) for k, (a, b) in differ.items()}
    where = [where_of(first).get("source_location", "?"), where_of(second).get("source_location", "?")]
    labels = {c.key: c.label for c in table.columns_of(m.row)}
    pairs = "，".join(f"{labels[k]} {a} 与 {b}" for k, (a, b) in differ.items())
    return REPEATED_ROW.make(f"{table.key}/{m.row.key}", "row", {
        "places": where, "first": {k: a for k, (a, _) in differ.items()},
        "second": {k: b for k, (_, b) in differ.items()}}, label=m.row.label, at=" 和 ".join(where), pairs=pairs)
