"""The mapping pipeline: named stages, run the same way for every table of the form.

``detect`` (the edition) → for each table: ``locate`` (the region of the
records it is in) → ``align`` (which record is which row) → ``place`` (which
value is which column) → ``variants`` (labels that deviate from the form).

The stages exchange immutable values (:class:`Region`, :class:`Alignment`,
:class:`TablePlacement`); what a stage does for a table follows from the
table's declaration in :mod:`gxparse.form` — its layout (rows, or one row of
3 × 5), whether its rows carry columns of their own (主动公开), its anchor
words, its row-total rule, its collapsible group — and from the rules enabled
in the :class:`~gxparse._mapping._rules.Ruler` (see there for every heuristic
by name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

import attrs

from .._model import Document
from .._normalize import dice, norm, numbering
from .._records import RCell, Record, build_records, is_value_record
from .._report import Finding
from ..form import TEMPLATES, Column, Layout, Role, Row, TableSpec, Template
from ..form._findings import EXTRA_CELLS, LABEL_VARIANT, REASONS, TEMPLATE_DEVIATION, UNKNOWN_ROW
from ._align import align
from ._detect import Detection, detect_template, texts_of
from ._labels import exact_index, item_text_score, item_texts, label_texts, own_label, plain, row_label_score
from ._place import (
    Fit,
    Placement,
    RowSums,
    header_slots,
    header_slots_repeated,
    place_grid,
    place_sequential,
    subtotal_position,
)
from ._rules import RULES, Ruler
from ._state import Mapped, RowNote, Slot, SlotState, TraceEntry
from ._variants import deviant_headers, unofficial_runs, variant_text

__all__ = ["map_records"]

#: A label-only row printed as its label alone must name its row at least this well …
BARE_MIN_SCORE = 0.6
#: … and this much better than any other row: a label that could be either row adds nothing.
BARE_MIN_MARGIN = 0.1
#: A label line this long (normalised) is prose: the one-row table's values have ended.
PROSE_LENGTH = 40
#: A one-row table is named this way in a message about it as a whole.
_ONE_ROW_NAME = {"reviews_and_litigation": "行政复议、行政诉讼表"}


# ---------------------------------------------------------------------------
# the values the stages exchange
# ---------------------------------------------------------------------------

@attrs.frozen
class Context:
    """What every stage of one document reads: its records, the edition, the rules."""

    records: Sequence[Record]
    template: Template
    rules: Ruler
    value_records: tuple[Record, ...]
    #: the enabled rules
    switches: frozenset[str]
    #: header column ranges by (pseudo-table, column names): a cache, filled as rows are placed
    headers: dict[tuple[Any, ...], tuple[list[range] | None, bool]] = attrs.field(factory=dict, eq=False)


@attrs.frozen
class Region:
    """Where a table is: its records (``candidates``: those that may be its rows), and the rules
    that located it. For a one-row table, its value cells (``tokens``), the first record holding
    them, and the first such record on a grid."""

    start: int
    stop: int
    candidates: tuple[Record, ...] = ()
    rules: tuple[str, ...] = ()
    tokens: tuple[RCell, ...] = ()
    first: Record | None = None
    grid: Record | None = None


@attrs.frozen
class RowMatch:
    """A row of the form and the record it was read from. ``bare``: the row is printed as its label
    alone (its values stay absent)."""

    row: Row
    record: Record = attrs.field(eq=False)
    bare: bool = False
    rules: tuple[str, ...] = ()
    #: for an item row: the texts its label was read as, each with the rule that made it
    texts: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class Alignment:
    """Which record is which row of a table (in the form's order), the records with numbers left
    over, and the table's shape as printed."""

    matches: tuple[RowMatch, ...]
    unknown: tuple[Record, ...] = ()
    collapsed: bool = False
    present_groups: frozenset[str] = frozenset()
    findings: tuple[Finding, ...] = ()
    rules: tuple[str, ...] = ()

    @property
    def last(self) -> int:
        """The index of the last record read as a row (not a bare label), or -1."""
        return max((m.record.index for m in self.matches if not m.bare), default=-1)


@attrs.frozen
class TablePlacement:
    """A table's values by path, and what placing them noticed."""

    values: tuple[tuple[str, Slot], ...]
    findings: tuple[Finding, ...] = ()
    row_notes: tuple[tuple[str, RowNote], ...] = ()
    alternatives: tuple[tuple[str, tuple[dict[str, Slot], ...]], ...] = ()
    units: tuple[tuple[str, str | None], ...] = ()
    trace: tuple[TraceEntry, ...] = ()


def _where(rec: Record) -> dict[str, str]:
    prov = rec.provenance()
    return {"source_location": prov.describe()} if prov is not None else {}


def _item_table(table: TableSpec) -> bool:
    """A table whose rows carry columns of their own (主动公开)."""
    return table.rows_have_columns


# ---------------------------------------------------------------------------
# stage: locate
# ---------------------------------------------------------------------------

def _anchored(rec: Record, anchors: Sequence[str], wrapped: bool = False) -> bool:
    cells = [*rec.labels, *rec.context] if wrapped else rec.labels
    return any(a in norm(c.text) for c in cells for a in anchors)


def _one_row_start(ctx: Context, table: TableSpec, start: int) -> int | None:
    """Rule ``one-row-anchor-words``: the first record from ``start`` on, after one with numbers,
    whose label or wrapped lines hold one of the table's anchor words."""
    seen_numbers = False
    for rec in ctx.records:
        if rec.index < start:
            continue
        if rec.has_numbers:
            seen_numbers = True
        if seen_numbers and _anchored(rec, table.anchors, wrapped=True):
            return rec.index
    return None


def _anchor_start(ctx: Context, table: TableSpec, after: int) -> int | None:
    """Rule ``anchor-words``: the first record after ``after`` whose label holds an anchor word."""
    return next((r.index for r in ctx.records if r.index > after and _anchored(r, table.anchors)), None)


def _next_one_row(ctx: Context, table: TableSpec) -> TableSpec | None:
    tables = ctx.template.tables
    later = tables[tables.index(table) + 1:]
    return next((t for t in later if t.layout is Layout.ONE_ROW and t.anchors), None)


def locate(ctx: Context, table: TableSpec, after: int) -> Region | None:
    """Stage ``locate``: the records a table is in, after the table before it (``after``: the
    index of its last row, -1 at the start). None when a table that needs its anchor has none."""
    if table.layout is Layout.ONE_ROW:
        return _locate_one_row(ctx, table, after)
    if not table.anchors:
        return _locate_items(ctx, table)
    return _locate_rows(ctx, table, after)


def _locate_items(ctx: Context, table: TableSpec) -> Region:
    """A table without anchors (主动公开, first in the form): any row of the document may be its."""
    on = ctx.switches
    most = max(len(r.columns) for r in table.rows) + 1 if "item-number-count" in on else None
    one_row = [t for t in ctx.template.tables if t.layout is Layout.ONE_ROW and t.anchors]
    anchors = tuple(a for t in one_row for a in t.anchors) if "one-row-anchor-not-item" in on else ()
    cands = tuple(r for r in ctx.value_records
                  if (most is None or len(r.numbers) <= most) and not (anchors and _anchored(r, anchors)))
    return Region(0, len(ctx.records), cands)


def _locate_rows(ctx: Context, table: TableSpec, after: int) -> Region:
    """A table of rows with anchor words: from its anchor to the next one-row table's."""
    rules: list[str] = []
    start = _anchor_start(ctx, table, after) if "anchor-words" in ctx.switches else None
    if start is None:
        start = after + 1
    else:
        rules.append("anchor-words")
    nxt = _next_one_row(ctx, table)
    stop = None
    if nxt is not None and "one-row-anchor-words" in ctx.switches:
        stop = _one_row_start(ctx, nxt, start)
    stop = stop if stop is not None else len(ctx.records) + 1
    cands = tuple(r for r in ctx.value_records if start <= r.index < stop)
    return Region(start, stop, cands, tuple(rules))


def _locate_one_row(ctx: Context, table: TableSpec, after: int) -> Region | None:
    """A table printed as one row: from its anchor, its value cells until it has a number for every
    column of every row (or the next section begins)."""
    rule = "one-row-anchor-words"
    start = _one_row_start(ctx, table, max(after, 0)) if rule in ctx.switches else None
    if start is None:
        rule = "anchor-words"
        start = _anchor_start(ctx, table, after)
    if start is None:
        return None
    tokens: list[RCell] = []
    first: Record | None = None
    grid: Record | None = None
    for rec in _one_row_records(ctx, table, start):
        first = first or rec
        if grid is None and rec.has_numbers and rec.values[0].grid:
            grid = rec
        tokens.extend(rec.values)
    if first is None:
        return None
    return Region(start, len(ctx.records), (), (rule,), tuple(tokens), first, grid)


def _one_row_records(ctx: Context, table: TableSpec, start: int) -> Iterator[Record]:
    """The records holding the one-row table's values, from its first number on."""
    wanted = len(table.rows) * len(table.columns)
    ends_at = re.compile(table.ends_at) if table.ends_at and "section-end" in ctx.switches else None
    numbers = 0
    for rec in ctx.records[start:]:
        if numbers and not rec.values and ends_at is not None \
                and any(ends_at.match(plain(c.text)) or len(norm(c.text)) > PROSE_LENGTH for c in rec.labels):
            return
        if not rec.values or (not rec.has_numbers and numbers == 0):
            continue
        yield rec
        numbers += sum(1 for v in rec.values if v.is_number)
        if numbers >= wanted:
            return


# ---------------------------------------------------------------------------
# stage: align
# ---------------------------------------------------------------------------

def align_table(ctx: Context, table: TableSpec, region: Region) -> Alignment:
    """Stage ``align``: which record is which row of the table."""
    if table.layout is Layout.ONE_ROW:
        assert region.first is not None
        rows = tuple(RowMatch(r, region.first) for r in table.rows)
        return Alignment(rows)
    if _item_table(table):
        return _align_items(ctx, table, region)
    return _align_rows(ctx, table, region)


def _exact(ctx: Context, cands: Sequence[Record], variants: Sequence[Sequence[str]]) -> list[int | None]:
    if "exact-label" not in ctx.switches:
        return []
    index = exact_index(variants)
    split = "space-split-label" in ctx.switches
    return [index.get(plain(own_label(rec, split))) for rec in cands]


def _align_items(ctx: Context, table: TableSpec, region: Region) -> Alignment:
    """Items with short labels (规章, 行政许可): exact, a long label's suffix, or similar (dice)."""
    rows = table.rows
    variants = [tuple(plain(v) for v in r.variants) for r in rows]
    cands = list(region.candidates)
    texts = {id(rec): item_texts(rec, ctx.records, ctx.switches) for rec in cands}
    suffix = "item-suffix" in ctx.switches

    def score(rec: Record, j: int) -> float:
        return max(item_text_score(t, variants[j], suffix)[0] for t, _ in texts[id(rec)])

    exact = _exact(ctx, cands, variants)
    matches = align(cands, len(rows), score, exact)
    out = []
    for j, row in enumerate(rows):
        rec = matches.get(j)
        if rec is not None:
            best = max(texts[id(rec)], key=lambda t: item_text_score(t[0], variants[j], suffix)[0])
            rules = (*_exact_rule(exact, cands, rec), *(r for r in (best[1], item_text_score(best[0], variants[j],
                                                                                           suffix)[1]) if r))
            out.append(RowMatch(row, rec, rules=rules, texts=tuple(texts[id(rec)])))
    return Alignment(tuple(out))


def _exact_rule(exact: Sequence[int | None], cands: Sequence[Record], rec: Record) -> tuple[str, ...]:
    if not exact:
        return ()
    i = next(k for k, c in enumerate(cands) if c is rec)
    return ("exact-label",) if exact[i] is not None else ()


def _row_rules(ctx: Context, rec: Record, texts: tuple[str, str, str], variants: tuple[str, ...],
               exact: Sequence[int | None], i: int) -> tuple[str, ...]:
    """The rules that matched a record to its row: an exact label, or what decided its score."""
    out: list[str] = []
    if texts[0] != rec.rightmost:
        out.append("space-split-label")
    if exact and exact[i] is not None:
        return (*out, "exact-label")
    if rec.context and "numbered-label-start" in ctx.switches and numbering(texts[0]) is not None:
        out.append("numbered-label-start")
    rule = row_label_score(texts, variants, ctx.switches)[1]
    return (*out, rule) if rule else tuple(out)


def _align_rows(ctx: Context, table: TableSpec, region: Region) -> Alignment:
    """Rows with long labels: scored with wrapped lines, typos and group labels in front; then rows
    printed as their label alone, the collapsed group, and rows with numbers left over."""
    rows = [r for r in table.rows if r.role is not Role.HEADING]
    variants = tuple(tuple(plain(v) for v in r.variants) for r in rows)
    cands = list(region.candidates)
    switches = ctx.switches
    texts = {id(rec): label_texts(rec, switches) for rec in cands}

    def score(rec: Record, j: int) -> float:
        return row_label_score(texts[id(rec)], variants[j], switches)[0]

    exact = _exact(ctx, cands, variants)
    matches = align(cands, len(rows), score, exact)
    if not matches:
        return Alignment(())
    bare = _bare_rows(ctx, table, rows, variants, matches, region) if "bare-rows" in switches else {}
    by_key = {rows[j].key: rec for j, rec in [*matches.items(), *bare.items()]}
    collapsed = _collapsed(ctx, table, by_key)
    pos = {id(r): i for i, r in enumerate(cands)}
    out: list[RowMatch] = []
    present: set[str] = set()
    for j, row in enumerate(rows):
        rec = matches.get(j)
        if rec is not None:
            out.append(RowMatch(row, rec, rules=_row_rules(ctx, rec, texts[id(rec)], variants[j], exact,
                                                           pos[id(rec)])))
            if row.role is Role.GROUP_TOTAL:
                present.add(row.key)
        elif j in bare:
            out.append(RowMatch(row, bare[j], bare=True, rules=("bare-rows",)))
            if row.role is Role.GROUP_TOTAL and collapsed:  # （六）其他处理 collapsed, left blank
                present.add(row.key)
    matched = {id(r) for r in matches.values()}
    unknown = tuple(r for r in cands if id(r) not in matched and r.has_numbers) if "unknown-rows" in switches else ()
    findings: tuple[Finding, ...] = ()
    if collapsed:
        findings = (TEMPLATE_DEVIATION.make(f"{table.key}/{table.collapsible}", "collapsed", {
            "template": ctx.template.id, **_where(by_key[str(table.collapsible)])}),)
    return Alignment(tuple(out), unknown, collapsed, frozenset(present), findings,
                     ("collapsed-group",) if collapsed else ())


def _collapsed(ctx: Context, table: TableSpec, by_key: dict[str, Record]) -> bool:
    """Rule ``collapsed-group``: the collapsible group is printed, none of its items is."""
    group = table.collapsible
    if group is None or "collapsed-group" not in ctx.switches:
        return False
    items = [r.key for r in table.group_items(group)]
    return bool(items) and group in by_key and not any(k in by_key for k in items)


def _bare_rows(ctx: Context, table: TableSpec, rows: Sequence[Row], variants: tuple[tuple[str, ...], ...],
               matches: dict[int, Record], region: Region) -> dict[int, Record]:
    """Rule ``bare-rows``: rows printed as their label alone, every cell empty and dropped (a
    ragged markdown row, a line of space-aligned text), for the rows left unmatched.

    Only a label-only record whose own label names one item row best (or the collapsible
    group, which a report may print collapsed), lying between the rows matched on either
    side of it. Such a row adds no values (they stay absent: derived or null); it is seen
    so that its label-variant and a collapsed group are reported.
    """
    order = sorted(matches.items())
    group = table.collapsible
    items = {r.key for r in table.group_items(group)} if group else set()
    # the group alone may stand for a collapsed row: it has items, and none was matched
    collapsible = bool(items) and not any(rows[j].key in items for j in matches)
    split = "space-split-label" in ctx.switches
    found: dict[int, Record] = {}
    for rec in ctx.records[max(region.start, 0):min(region.stop, len(ctx.records))]:
        if is_value_record(rec) or not rec.labels:
            continue
        own = plain(own_label(rec, split))
        j = _bare_row(own, variants) if own else None
        if j is None or j in matches or j in found:
            continue
        row = rows[j]
        if row.role is not Role.ITEM and not (row.key == group and collapsible):
            continue
        before = [r.index for k, r in order if k < j]
        after = [r.index for k, r in order if k > j]
        if not before or before[-1] >= rec.index or (after and after[0] <= rec.index):
            continue
        found[j] = rec
    return found


@lru_cache(maxsize=16384)
def _bare_row(own: str, variants: tuple[tuple[str, ...], ...]) -> int | None:
    """The row a label alone names clearly (whole-label similarity only: a fragment, 重复申请 in
    大量重复申请, names no row), or None. Cached: the same labels recur in nearly every report."""
    scores = sorted(((max(1.0 if own == v else dice(own, v) for v in vs), j) for j, vs in enumerate(variants)),
                    reverse=True)
    (best, j), second = scores[0], scores[1][0] if len(scores) > 1 else 0.0
    if best < BARE_MIN_SCORE or best - second < BARE_MIN_MARGIN:
        return None
    return j


# ---------------------------------------------------------------------------
# stage: place
# ---------------------------------------------------------------------------

def _absent_state(fit: Fit, table: TableSpec, sums: RowSums | None) -> SlotState:
    """The state of a column the placement left without a cell."""
    if fit is Fit.EXTRA:
        return SlotState.EXTRA if table.layout is Layout.ONE_ROW else SlotState.UNPLACEABLE
    if fit is Fit.UNPLACEABLE:
        return SlotState.UNPLACEABLE
    if fit is Fit.AMBIGUOUS and sums is not None:  # several placements fit the row's total
        return SlotState.AMBIGUOUS
    return SlotState.ABSENT


def place_table(ctx: Context, table: TableSpec, aligned: Alignment, region: Region) -> TablePlacement:
    """Stage ``place``: every matched row's values by column."""
    if table.layout is Layout.ONE_ROW:
        return _place_one_row(ctx, table, region)
    parts = [_place_row(ctx, table, m) for m in aligned.matches]
    return TablePlacement(
        values=tuple(v for p in parts for v in p.values),
        findings=tuple(f for p in parts for f in p.findings),
        row_notes=tuple(n for p in parts for n in p.row_notes),
        alternatives=tuple(a for p in parts for a in p.alternatives),
        units=tuple(u for p in parts for u in p.units),
        trace=tuple(t for p in parts for t in p.trace))


_Names = tuple[tuple[str, ...], ...]
_NAMES: dict[tuple[int, str], tuple[TableSpec, _Names]] = {}


def _column_names(table: TableSpec, row: Row) -> _Names:
    """The header texts (:func:`plain`) that name each column of a row (memo: tables are immutable)."""
    hit = _NAMES.get((id(table), row.key))
    if hit is None or hit[0] is not table:
        names = tuple((plain(c.label), *(plain(a) for a in c.aliases)) for c in table.columns_of(row))
        hit = _NAMES[(id(table), row.key)] = (table, names)
    return hit[1]


_SUMS: dict[int, tuple[TableSpec, RowSums | None]] = {}


def _sums(table: TableSpec) -> RowSums | None:
    """The arithmetic of one printed row of the table (memo: tables are immutable)."""
    hit = _SUMS.get(id(table))
    if hit is None or hit[0] is not table:
        hit = _SUMS[id(table)] = (table, RowSums.of(table))
    return hit[1]


def _place_row(ctx: Context, table: TableSpec, match: RowMatch) -> TablePlacement:
    row, rec = match.row, match.record
    if match.bare:  # a row printed as its label alone: its values stay absent (derived or null)
        return TablePlacement((), trace=(TraceEntry(table.key, row.key, rec, match.rules),))
    columns = table.columns_of(row)
    sums = _sums(table)
    placement = _by_grid(ctx, table, row, rec)
    if placement is None:
        subtotal = subtotal_position(table)
        placement = place_sequential(list(rec.values), len(columns), sums, subtotal, ctx.switches)
    state = _absent_state(placement.fit, table, sums)
    path = f"{table.key}/{row.key}"
    values = tuple((f"{path}/{c.key}", Slot.of(cell, state)) for c, cell in zip(columns, placement.cells))
    trace = (TraceEntry(table.key, row.key, rec, (*match.rules, *placement.rules)),)
    units = _printed_units(ctx, table, row, rec, placement) if table.unit_paths else ()
    findings, notes, alternatives = _row_fit(table, row, rec, placement, sums)
    return TablePlacement(values, findings, notes, alternatives, units, trace)


def _by_grid(ctx: Context, table: TableSpec, row: Row, rec: Record) -> Placement | None:
    """The row placed by its table's header grid (rules ``item-header-block``, ``table-header``,
    ``header-without-total``), or None."""
    if not (rec.values and rec.values[0].grid):
        return None
    names = _column_names(table, row)
    found = _header_ranges(ctx, table, rec, names)
    if found is None:
        return None
    ranges, rules = found
    return place_grid(rec.values, rec.labels, ranges, rules)


def _header_ranges(ctx: Context, table: TableSpec, rec: Record,
                   names: _Names) -> tuple[list[range], tuple[str, ...]] | None:
    on = ctx.switches
    if row_columns := _item_table(table):
        if "item-header-block" in on:
            ranges, stacked = _item_header(ctx, rec, names)
            if ranges:
                return ranges, ("item-header-block", *(("stacked-header-words",) if stacked else ()))
    if "table-header" in on:
        ranges, stacked = _header(ctx, rec, names)
        if ranges is not None:
            return ranges, ("table-header", *(("stacked-header-words",) if stacked else ()))
    if not row_columns and _sums(table) is not None and "header-without-total" in on:
        # A header with every column but the total (cut off the page, or never printed): place
        # by the grid, and leave the total to the row's own arithmetic (an empty range holds nothing).
        ranges, stacked = _header(ctx, rec, names[:-1])
        if ranges is not None:
            return [*ranges, range(0)], ("header-without-total", *(("stacked-header-words",) if stacked else ()))
    return None


def _header(ctx: Context, rec: Record, names: _Names) -> tuple[list[range] | None, bool]:
    """Header column ranges for ``rec``'s table, from the label cells above its first data row."""
    key = (rec.table, names)
    if key not in ctx.headers:
        # the header ends at the first row with a number: a row of blank cells above it
        # is a caption or a header row padded with empty cells, not data
        first = next((r.index for r in ctx.records if r.table == rec.table and r.has_numbers), rec.index)
        ctx.headers[key] = header_slots(ctx.records, rec.table, max(first, 0) + 1, names,
                                        "stacked-header-words" in ctx.switches)
    return ctx.headers[key]


def _item_header(ctx: Context, rec: Record, names: _Names) -> tuple[list[range] | None, bool]:
    """Header columns from the header block just above an item row.

    The 主动公开 table repeats a header for each 第二十条 item (the 2019 form: 上一年
    项目数量 / 本年增/减 / 处理决定数量 under （五）, again under （六）, …), so
    the header of the table's first rows does not name these columns. Looks
    back past the rows of the same block to the first label-only rows above
    them, and no further than the data rows before those.
    """
    window: list[Record] = []
    seen_header = False
    k = rec.index - 1
    while k >= 0:
        prev = ctx.records[k]
        if prev.table != rec.table or (prev.has_numbers and seen_header):
            break
        seen_header = seen_header or not prev.has_numbers
        window.append(prev)
        k -= 1
    if not seen_header:
        return None, False
    window.reverse()
    return header_slots([*window, rec], rec.table, rec.index + 1, names, "stacked-header-words" in ctx.switches)


def _printed_units(ctx: Context, table: TableSpec, row: Row,
                   rec: Record, placement: Placement) -> tuple[tuple[str, str | None], ...]:
    """Rule ``printed-unit``: the unit printed in a money cell whose label names none."""
    out: list[tuple[str, str | None]] = []
    for col, cell in zip(table.columns_of(row), placement.cells):
        if not col.unit_printed:
            continue
        if "printed-unit" not in ctx.switches:
            continue
        unit = cell.value.unit if cell is not None and cell.value.unit else None
        if unit is None:
            # the amount's place in the row is unknown, but only the amount is written in 元
            money = {v.value.unit for v in rec.values if v.value.unit in ("元", "万元")}
            unit = money.pop() if len(money) == 1 else None
        out.append((f"{table.key}/{row.key}/{col.key}", unit))
    return tuple(out)


_Fitted = tuple[tuple[Finding, ...], tuple[tuple[str, RowNote], ...],
                tuple[tuple[str, tuple[dict[str, Slot], ...]], ...]]
_NOTHING: _Fitted = ((), (), ())
#: fits that leave nothing to say about a row
_QUIET = frozenset({Fit.EXACT, Fit.GRID, Fit.SHORT})


def _row_fit(table: TableSpec, row: Row, rec: Record, placement: Placement, sums: RowSums | None) -> _Fitted:
    """What a row's placement tells: extra cells, why it is null, its alternatives."""
    if placement.fit in _QUIET:
        return _NOTHING
    evidence = {"values": [v.text for v in rec.values], **_where(rec)}
    if sums is None:  # an item row: no arithmetic to place a short or long row by
        return _item_fit(table, row, rec, placement, evidence)
    path = f"{table.key}/{row.key}"
    if placement.fit is Fit.AMBIGUOUS:
        columns = table.columns_of(row)
        alternatives = tuple({c.key: Slot.of(cell) for c, cell in zip(columns, alt)} for alt in placement.alternatives)
        return (), ((path, RowNote(REASONS["ambiguous"], evidence)),), ((path, alternatives),)
    if placement.fit is Fit.UNPLACEABLE:
        return (), ((path, RowNote(REASONS["unplaceable"], evidence)),), ()
    if not placement.dropped:
        return (EXTRA_CELLS.make(path, "row", evidence, label=row.label),), (), ()
    message = "subtotal" if placement.subtotal else "dropped"
    evidence = {"values": evidence.pop("values"), "dropped": [d.text for d in placement.dropped], **evidence}
    return (EXTRA_CELLS.make(path, message, evidence, label=row.label, n=len(table.columns_of(row)) + 1,
                             first=placement.dropped[0].text.strip()),), (), ()


def _item_fit(table: TableSpec, row: Row, rec: Record, placement: Placement, evidence: dict[str, Any]) -> _Fitted:
    """An item row with more values than columns, or fewer and no way to tell which are missing."""
    path = f"{table.key}/{row.key}"
    n = len([v for v in rec.values if not v.is_blank])
    k = len(table.columns_of(row))
    if placement.fit is Fit.EXTRA:
        return (EXTRA_CELLS.make(path, "item", evidence, label=row.label, n=n, k=k),), (), ()
    if placement.fit is Fit.UNPLACEABLE:
        return (), ((path, RowNote(REASONS["item-short"].format(n=n, k=k), evidence)),), ()
    return _NOTHING


def _place_one_row(ctx: Context, table: TableSpec, region: Region) -> TablePlacement:
    """The one-row table: by its repeated header's grid, else its value cells in order."""
    first = region.first
    assert first is not None
    k = len(table.rows) * len(table.columns)
    placement = None
    rules: tuple[str, ...] = ()
    grid = region.grid
    if grid is not None and "repeated-header" in ctx.switches:
        names = [plain(c.label) for c in table.columns]
        ranges = header_slots_repeated(ctx.records, grid.table, grid.index, names, len(table.rows))
        if ranges is not None:
            placement = place_grid(grid.values, grid.labels, ranges)
            rules = ("repeated-header",)
    if placement is None:
        placement = place_sequential(list(region.tokens), k, _sums(table), None, ctx.switches)
        rules = placement.rules
    trace = (TraceEntry(table.key, "*", first, (*region.rules, *rules)),)
    state = _absent_state(placement.fit, table, _sums(table)) if placement.failed else SlotState.ABSENT
    cells = iter(placement.cells)
    values = tuple((f"{table.key}/{r.key}/{c.key}", Slot.of(next(cells), state))
                   for r in table.rows for c in table.columns)
    findings, notes = _table_fit(table, region, placement, k)
    return TablePlacement(values, findings, notes, trace=trace)


def _table_fit(table: TableSpec, region: Region, placement: Placement,
               k: int) -> tuple[tuple[Finding, ...], tuple[tuple[str, RowNote], ...]]:
    """What the one-row table's placement tells: values dropped, or the table null and why."""
    assert region.first is not None
    tokens = [v.text for v in region.tokens]
    where = _where(region.first)
    n = sum(1 for v in region.tokens if not v.is_blank)
    name = _ONE_ROW_NAME.get(table.key, table.label)
    findings: list[Finding] = []
    if placement.dropped:
        findings.append(EXTRA_CELLS.make(
            table.key, "table-dropped", {"values": tokens, "dropped": [d.text for d in placement.dropped], **where},
            label=name, n=n, m=len(placement.dropped), shown="、".join(d.text.strip() for d in placement.dropped)))
    if not placement.failed:
        return tuple(findings), ()
    if placement.fit is Fit.EXTRA:
        findings.append(EXTRA_CELLS.make(table.key, "table", {"values": tokens, **where}, label=name, n=n, k=k))
    note = RowNote(REASONS["table"].format(n=n, k=k), {"values": tokens, **where})
    return tuple(findings), tuple((f"{table.key}/{r.key}", note) for r in table.rows)


# ---------------------------------------------------------------------------
# stage: variants
# ---------------------------------------------------------------------------

def label_variants(ctx: Context, table: TableSpec, aligned: Alignment) -> tuple[Finding, ...]:
    """Stage ``variants``: labels of matched rows (and, for item tables, column headers) that
    deviate from the form's wording."""
    if table.layout is Layout.ONE_ROW:
        return ()
    if _item_table(table):
        return (*_item_variants(ctx, table, aligned), *_header_variants(ctx, table, aligned))
    return _row_variants(ctx, table, aligned)


def _row_variants(ctx: Context, table: TableSpec, aligned: Alignment) -> tuple[Finding, ...]:
    """Rule ``row-label-variant`` (with ``wrapped-label-variant``)."""
    if "row-label-variant" not in ctx.switches:
        return ()
    out: list[Finding] = []
    for m in aligned.matches:
        ancestors = [plain(a.item) for a in table.ancestors(m.row)][:2]
        found = variant_text(m.record, m.row.item, ancestors, ctx.switches)
        if found is not None:
            out.append(LABEL_VARIANT.make(f"{table.key}/{m.row.key}", "row", {
                "found": found, "official": m.row.label, **_where(m.record)}))
    return tuple(out)


def _item_variants(ctx: Context, table: TableSpec, aligned: Alignment) -> tuple[Finding, ...]:
    """Rule ``item-label-variant``."""
    if "item-label-variant" not in ctx.switches:
        return ()
    suffix = "item-suffix" in ctx.switches
    out: list[Finding] = []
    for m in aligned.matches:
        rec, row = m.record, m.row
        variants = tuple(plain(v) for v in row.variants)
        texts = [t for t, _ in m.texts]
        own = max(texts, key=lambda text: item_text_score(text, variants, suffix)[0])
        if plain(row.label) not in texts:
            found = rec.rightmost.strip() if own == plain(rec.rightmost) else own
            out.append(LABEL_VARIANT.make(f"{table.key}/{row.key}", "row", {
                "found": found, "official": row.label, **_where(rec)}))
    return tuple(out)


def _header_variants(ctx: Context, table: TableSpec, aligned: Alignment) -> tuple[Finding, ...]:
    """Rule ``header-variant``: deviant column headers (本年度止件数 → 本年废止件数) in the pseudo-tables
    the item rows were read from."""
    if "header-variant" not in ctx.switches or not aligned.matches:
        return ()
    fields: dict[str, Column] = {}
    for row in table.rows:
        for f in row.columns:
            fields.setdefault(f.key, f)
    official = {plain(f.label) for f in fields.values()}
    labels = tuple((f.key, plain(f.label)) for f in fields.values())
    tables = {m.record.table for m in aligned.matches}
    seen: set[str] = set()
    out: list[Finding] = []
    for rec in ctx.records:
        if rec.table not in tables or rec.has_numbers:
            continue
        for run in unofficial_runs(rec.labels, official):
            for key, txt, shown in deviant_headers(tuple(c.text for c in run), labels):
                if txt in seen:
                    continue
                seen.add(txt)
                f = fields[key]
                out.append(LABEL_VARIANT.make(f"{table.key}/*/{f.key}", "header", {
                    "found": shown, "official": f.label, **_where(rec)}))
    return tuple(out)


def _unknown_rows(table: TableSpec, aligned: Alignment) -> tuple[Finding, ...]:
    """Rule ``unknown-rows``: records with numbers in the table's region that match no row."""
    return tuple(UNKNOWN_ROW.make(f"{table.key}/?", "row", {
        "label": rec.label_text.strip(), "values": [v.text for v in rec.values], **_where(rec)})
        for rec in aligned.unknown)


# ---------------------------------------------------------------------------
# the pipeline
# ---------------------------------------------------------------------------

@attrs.frozen
class TableResult:
    """Everything the stages made of one table."""

    table: TableSpec
    region: Region
    aligned: Alignment
    placed: TablePlacement
    variants: tuple[Finding, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """In the order the mapper has always listed them: the table's shape, placement, rows left
        over, labels."""
        return (*self.aligned.findings, *self.placed.findings, *_unknown_rows(self.table, self.aligned),
                *self.variants)


def map_table(ctx: Context, table: TableSpec, after: int) -> TableResult | None:
    """The stages ``locate`` → ``align`` → ``place`` → ``variants`` for one table; None when the
    table is not found."""
    region = locate(ctx, table, after)
    if region is None:
        return None
    aligned = align_table(ctx, table, region)
    if not aligned.matches:
        return None
    placed = place_table(ctx, table, aligned, region)
    return TableResult(table, region, aligned, placed, label_variants(ctx, table, aligned))


def map_records(doc: Document, records: list[Record] | None = None, template: str | None = None,
                rules: Ruler = RULES) -> Mapped:
    """Map a document's records onto a template (detected unless given).

    ``records``: the document's records if already built (:func:`build_records`).
    ``template``: ``"2019"`` or ``"2021"`` to force an edition (KeyError for
    another). ``rules``: the heuristics to apply (all by default). Returns the
    :class:`Mapped` report; raises nothing for a document that holds no table
    (its ``tables`` is empty).
    """
    if records is None:
        records = build_records(doc)
    if template is None:
        detection = detect_template(texts_of(records), rules)
    else:
        detection = Detection(TEMPLATES[template], {}, 0, True, ())
    ctx = Context(records, detection.template, rules, tuple(r for r in records if is_value_record(r) and r.labels),
                  rules.switches)
    results: list[TableResult] = []
    after = -1
    for table in detection.template.tables:
        result = map_table(ctx, table, after)
        if result is not None:
            results.append(result)
            after = result.aligned.last
    return _assemble(detection, results)


def _assemble(detection: Detection, results: Sequence[TableResult]) -> Mapped:
    values: dict[str, Slot] = {}
    units: dict[str, str | None] = {}
    for r in results:
        values.update(r.placed.values)
        units.update(r.placed.units)
    collapsed = any(r.aligned.collapsed for r in results)
    return Mapped(
        template=detection.template,
        values=values,
        tables=frozenset(r.table.key for r in results),
        present_groups=frozenset(g for r in results for g in r.aligned.present_groups),
        collapsed_other=collapsed,
        findings=tuple(f for r in results for f in r.findings),
        units=units,
        row_notes=dict(n for r in results for n in r.placed.row_notes),
        alternatives=dict(a for r in results for a in r.placed.alternatives),
        trace=tuple(t for r in results for t in r.placed.trace),
        rules_fired=(("*", detection.rules),) + tuple(
            (r.table.key, tuple(dict.fromkeys((*r.region.rules, *r.aligned.rules)))) for r in results),
    )
