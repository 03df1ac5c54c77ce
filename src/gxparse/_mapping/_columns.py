"""Stage ``place``: every matched row's values in the table's columns.

A row on a grid is placed by the header cells that name its columns (the
header block just above an item, the table's header, a header without its
total column; the one-row table's header repeated per row); otherwise its
values are placed in order, as the row's own total allows (:mod:`._place`).
What the placement could not decide is said: extra cells, why a row is null,
the placements an ambiguous row allows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from .._normalize import AMBIGUOUS_MARK
from .._records import RCell, Record
from .._report import Finding
from ..form import Layout, Row, TableSpec
from ..form._findings import EXTRA_CELLS, FOOTNOTE_MARK, REASONS, UNREADABLE
from ._labels import plain
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
from ._state import Alignment, Context, Region, RowMatch, RowNote, Slot, SlotState, TablePlacement, TraceEntry, where_of

__all__ = ["place_one_row", "place_table", "place_table_rows"]

_Names = tuple[tuple[str, ...], ...]
_Ranges = tuple[list[range] | None, tuple[str, ...]]


def place_table(ctx: Context, table: TableSpec, aligned: Alignment, region: Region) -> TablePlacement:
    """Every matched row's values by column, and what placing them noticed."""
    if table.layout is Layout.ONE_ROW:
        return place_one_row(ctx, table, region)
    return place_table_rows(ctx, table, aligned.matches)


def place_table_rows(ctx: Context, table: TableSpec, matches: Sequence[RowMatch]) -> TablePlacement:
    """The values of these matched rows of a table of rows, and what placing them noticed."""
    out = _Placed()
    for m in matches:
        _place_row(ctx, table, m, out)
    return out.done()


class _Placed:
    """What placing a table's rows gives, gathered row by row (then frozen: :meth:`done`)."""

    def __init__(self) -> None:
        self.values: dict[str, Slot] = {}
        self.findings: list[Finding] = []
        self.notes: list[tuple[str, RowNote]] = []
        self.alternatives: list[tuple[str, tuple[dict[str, Slot], ...]]] = []
        self.units: list[tuple[str, str | None]] = []
        self.trace: list[TraceEntry] = []

    def done(self) -> TablePlacement:
        return TablePlacement(self.values, tuple(self.findings), tuple(self.notes), tuple(self.alternatives),
                              tuple(self.units), tuple(self.trace))


def _absent_state(fit: Fit, table: TableSpec, sums: RowSums | None) -> SlotState:
    """The state of a column the placement left without a cell."""
    if fit is Fit.EXTRA:
        return SlotState.EXTRA if table.layout is Layout.ONE_ROW else SlotState.UNPLACEABLE
    if fit is Fit.UNPLACEABLE:
        return SlotState.UNPLACEABLE
    if fit is Fit.AMBIGUOUS and sums is not None:  # several placements fit the row's total
        return SlotState.AMBIGUOUS
    return SlotState.ABSENT


_NAMES: dict[tuple[int, str], tuple[TableSpec, _Names, tuple[str, ...]]] = {}
_SUMS: dict[int, tuple[TableSpec, RowSums | None]] = {}


def _column_names(table: TableSpec, row: Row) -> tuple[_Names, tuple[str, ...]]:
    """The header texts (:func:`plain`) that name each column of a row, and the columns' paths
    (memo: tables are immutable)."""
    hit = _NAMES.get((id(table), row.key))
    if hit is None or hit[0] is not table:
        names = tuple((plain(c.label), *(plain(a) for a in c.aliases)) for c in table.columns_of(row))
        paths = tuple(f"{table.key}/{row.key}/{c.key}" for c in table.columns_of(row))
        hit = _NAMES[(id(table), row.key)] = (table, names, paths)
    return hit[1], hit[2]


def _sums(table: TableSpec) -> RowSums | None:
    """The arithmetic of one printed row of the table (memo: tables are immutable)."""
    hit = _SUMS.get(id(table))
    if hit is None or hit[0] is not table:
        hit = _SUMS[id(table)] = (table, RowSums.of(table))
    return hit[1]


def _place_row(ctx: Context, table: TableSpec, match: RowMatch, out: _Placed) -> None:
    row, rec = match.row, match.record
    if match.bare:  # a row printed as its label alone: its values stay absent (derived or null)
        out.trace.append(TraceEntry(table.key, row.key, rec, match.rules))
        return
    names, paths = _column_names(table, row)
    sums = _sums(table)
    placement = _by_grid(ctx, rec, names, table)
    if placement is None:
        placement = place_sequential(rec.values, len(paths), sums, subtotal_position(table), ctx.switches)
    state = _absent_state(placement.fit, table, sums)
    marks = "footnote-mark" in ctx.switches
    for path, cell in zip(paths, placement.cells):
        out.values[path] = Slot.of(cell, state, marks)
    cell_findings, cell_rules = _cell_findings(ctx, paths, placement.cells)
    out.findings += cell_findings
    rules = (*match.rules, *placement.rules, *cell_rules)
    if table.unit_paths:
        units = _printed_units(ctx, table, row, rec, placement)
        out.units += units
        rules += ("printed-unit",) if any(u for _, u in units) else ()
    out.trace.append(TraceEntry(table.key, row.key, rec, rules))
    if placement.fit not in _QUIET:
        findings, notes, alternatives = _row_fit(table, row, rec, placement, sums)
        out.findings += findings
        out.notes += notes
        out.alternatives += alternatives


# ---------------------------------------------------------------------------
# by the header's grid
# ---------------------------------------------------------------------------

def _by_grid(ctx: Context, rec: Record, names: _Names, table: TableSpec) -> Placement | None:
    """The row placed by its table's header grid, or None (not on a grid, no header found, or the
    row does not line up with it)."""
    if not (rec.values and rec.values[0].grid):
        return None
    for rule, applies, find in _HEADER_RULES:
        if rule in ctx.switches and applies(table):
            ranges, joined = find(ctx, rec, names)
            if ranges:
                return place_grid(rec.values, rec.labels, ranges, (rule, *joined))
    return None


def _header(ctx: Context, rec: Record, names: _Names, partial: bool = False) -> _Ranges:
    """Rule ``table-header``: column ranges from the label cells above the table's first data row."""
    key = (rec.table, names, partial)
    if key not in ctx.headers:
        # the header ends at the first row with a number: a row of blank cells above it
        # is a caption or a header row padded with empty cells, not data
        first = next((r.index for r in ctx.records if r.table == rec.table and r.has_numbers), rec.index)
        ctx.headers[key] = header_slots(ctx.records, rec.table, max(first, 0) + 1, names,
                                        "stacked-header-words" in ctx.switches, partial,
                                        "spaced-header-words" in ctx.switches)
    return ctx.headers[key]


def _partial_rows(ctx: Context, rec: Record, names: _Names) -> _Ranges:
    """Rule ``partial-header``: a header that names some of the columns, not all (one cut off at the
    page edge, or never printed), places the values by the columns it names, in every table (here:
    the table's header); the columns it does not name get an empty range and their values stay
    absent (the row's own arithmetic derives them, or they are null)."""
    return _only_partial(_header(ctx, rec, names, partial=True))


def _partial_items(ctx: Context, rec: Record, names: _Names) -> _Ranges:
    """Rule ``partial-header`` for an item: its header block, else the table's header."""
    if len(names) < 2:
        return None, ()
    ranges, joined = _item_header(ctx, rec, names, partial=True)
    return _only_partial((ranges, joined) if ranges is not None else _header(ctx, rec, names, partial=True))


def _only_partial(found: _Ranges) -> _Ranges:
    """A header naming every column is the other header rules' to place by, not this one's."""
    ranges, _ = found
    return (None, ()) if ranges is not None and all(ranges) else found


def _item_header(ctx: Context, rec: Record, names: _Names, partial: bool = False) -> _Ranges:
    """Rule ``item-header-block`` (memoised per row: the rules above and ``partial-header`` ask)."""
    key = ("item", rec.index, names, partial)
    if key not in ctx.headers:
        ctx.headers[key] = _item_header_block(ctx, rec, names, partial)
    return ctx.headers[key]


def _item_header_block(ctx: Context, rec: Record, names: _Names, partial: bool) -> _Ranges:
    """Rule ``item-header-block``: header columns from the header block just above an item row.

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
        return None, ()
    window.reverse()
    return header_slots([*window, rec], rec.table, rec.index + 1, names, "stacked-header-words" in ctx.switches,
                        partial, "spaced-header-words" in ctx.switches)


#: The header rules of a table of rows, tried in order: (rule, the tables it applies to, finder).
_HEADER_RULES: tuple[tuple[str, Callable[[TableSpec], bool], Callable[[Context, Record, _Names], _Ranges]], ...] = (
    ("item-header-block", lambda t: t.rows_have_columns, _item_header),
    ("table-header", lambda t: True, _header),
    ("partial-header", lambda t: t.rows_have_columns, _partial_items),
    ("partial-header", lambda t: not t.rows_have_columns, _partial_rows),
)


# ---------------------------------------------------------------------------
# what the placement tells
# ---------------------------------------------------------------------------

def _cell_findings(ctx: Context, paths: Sequence[str],
                   cells: Sequence[RCell | None]) -> tuple[list[Finding], tuple[str, ...]]:
    """What the placed cells' own text tells: a superscript footnote mark set apart from a number
    (rule ``footnote-mark``: ``footnote-mark``; off: the cell is ``unreadable``), a cell that holds
    several numbers or a mark that may be a digit (``unreadable``); and the rules that fired."""
    out: list[Finding] = []
    fired: tuple[str, ...] = ()
    marks = "footnote-mark" in ctx.switches
    for path, cell in zip(paths, cells):
        if cell is None:
            continue
        v = cell.value
        if not (v.mark or v.problem):
            continue
        where = {"raw": cell.text, **({"source_location": cell.provenance.describe()} if cell.provenance else {})}
        label, shown = ctx.template.label_of(path), cell.text.strip()
        if v.kind == "number" and marks:
            out.append(FOOTNOTE_MARK.make(path, "cell", {**where, "mark": v.mark, "value": _plain(v.number)},
                                          label=label, shown=shown, number=_plain(v.number)))
            fired = ("footnote-mark",)
        else:
            out.append(UNREADABLE.make(path, v.problem or AMBIGUOUS_MARK, where, label=label, shown=shown))
    return out, fired


def _plain(number: Decimal | None) -> str:
    """A number as printed, without exponent or trailing zeros (``6``, ``1944.0495``)."""
    return "" if number is None else format(number.normalize(), "f")


def _printed_units(ctx: Context, table: TableSpec, row: Row,
                   rec: Record, placement: Placement) -> tuple[tuple[str, str | None], ...]:
    """Rule ``printed-unit``: the unit printed in a money cell whose label names none."""
    if "printed-unit" not in ctx.switches:
        return ()
    out: list[tuple[str, str | None]] = []
    for col, cell in zip(table.columns_of(row), placement.cells):
        if col.unit_printed:
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
    evidence = {"values": [v.text for v in rec.values], **where_of(rec)}
    if sums is None:  # an item row: no arithmetic to place a short or long row by
        return _item_fit(table, row, rec, placement, evidence)
    path = f"{table.key}/{row.key}"
    if placement.fit is Fit.AMBIGUOUS:
        columns = table.columns_of(row)
        alternatives = tuple({c.key: Slot.of(cell) for c, cell in zip(columns, alt)} for alt in placement.alternatives)
        return (), ((path, RowNote(REASONS["ambiguous"], evidence)),), ((path, alternatives),)
    if placement.fit is Fit.UNPLACEABLE:
        return (), ((path, RowNote(REASONS["unplaceable"], evidence)),), ()
    return _extra_fit(table, row, placement, path, evidence)


def _extra_fit(table: TableSpec, row: Row, placement: Placement, path: str, evidence: dict[str, Any]) -> _Fitted:
    """A row of sums with more values than columns: the values dropped (a subtotal, or extra), or the
    row's extra cells when none was dropped."""
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


# ---------------------------------------------------------------------------
# the one-row table
# ---------------------------------------------------------------------------

def place_one_row(ctx: Context, table: TableSpec, region: Region) -> TablePlacement:
    """The one-row table: by its repeated header's grid (rule ``repeated-header``), else its value
    cells in order as each row's total allows."""
    assert region.first is not None
    k = len(table.rows) * len(table.columns)
    placement = _one_row_grid(ctx, table, region)
    if placement is None:
        placement = place_sequential(list(region.tokens), k, _sums(table), None, ctx.switches)
    trace = (TraceEntry(table.key, "*", region.first, (*region.rules, *placement.rules)),)
    state = _absent_state(placement.fit, table, _sums(table)) if placement.failed else SlotState.ABSENT
    paths = [f"{table.key}/{r.key}/{c.key}" for r in table.rows for c in table.columns]
    marks = "footnote-mark" in ctx.switches
    values = {path: Slot.of(cell, state, marks) for path, cell in zip(paths, placement.cells)}
    findings, notes = _table_fit(table, region, placement, k)
    cell_findings, cell_rules = _cell_findings(ctx, paths, placement.cells)
    if cell_rules:
        trace = (TraceEntry(table.key, "*", region.first, (*trace[0].rules, *cell_rules)),)
    return TablePlacement(values, (*findings, *cell_findings), notes, trace=trace)


def _one_row_grid(ctx: Context, table: TableSpec, region: Region) -> Placement | None:
    grid = region.grid
    if grid is None or "repeated-header" not in ctx.switches:
        return None
    names = [plain(c.label) for c in table.columns]
    # the header's last row may be in the value row's own record (a value row without a label
    # continues the label-only row above it): header cells are those on the grid rows above
    row = grid.values[0].row
    partial = "partial-header" in ctx.switches
    groups = [plain(r.label.split("·")[-1]) for r in table.rows]  # 行政复议, 未经复议直接起诉, 复议后起诉
    ranges = header_slots_repeated(ctx.records, grid.table, grid.index + 1, names, len(table.rows), partial, row,
                                   groups)
    if ranges is None:
        return None
    rules: tuple[str, ...] = ("repeated-header",) if all(ranges) else ("repeated-header", "partial-header")
    return place_grid(grid.values, [c for c in grid.labels if c.row == row], ranges, rules)


def _table_fit(table: TableSpec, region: Region, placement: Placement,
               k: int) -> tuple[tuple[Finding, ...], tuple[tuple[str, RowNote], ...]]:
    """What the one-row table's placement tells: values dropped, or the table null and why."""
    assert region.first is not None
    tokens = [v.text for v in region.tokens]
    where = where_of(region.first)
    n = sum(1 for v in region.tokens if not v.is_blank)
    findings = [_dropped(table, placement, tokens, where, n)] if placement.dropped else []
    if not placement.failed:
        return tuple(findings), ()
    if placement.fit is Fit.EXTRA:
        findings.append(EXTRA_CELLS.make(table.key, "table", {"values": tokens, **where}, label=table.short_label,
                                         n=n, k=k))
    note = RowNote(REASONS["table"].format(n=n, k=k), {"values": tokens, **where})
    return tuple(findings), tuple((f"{table.key}/{r.key}", note) for r in table.rows)


def _dropped(table: TableSpec, placement: Placement, tokens: list[str], where: dict[str, Any], n: int) -> Finding:
    """The ``extra-cells`` error for the one-row table's values dropped from its placement."""
    return EXTRA_CELLS.make(
        table.key, "table-dropped", {"values": tokens, "dropped": [d.text for d in placement.dropped], **where},
        label=table.short_label, n=n, m=len(placement.dropped),
        shown="、".join(d.text.strip() for d in placement.dropped))
