"""Stage ``locate``: the records a table of the form is in.

A table without anchor words (主动公开, first in the form) may have its rows
anywhere; a table of rows with anchor words (收到和处理申请) starts at its
anchor and ends where the next one-row table starts; a one-row table
(行政复议/行政诉讼) starts at its anchor and holds the value cells from its
first number until it has one for every column of every row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .._normalize import norm
from .._records import RCell, Record
from ..form import Layout, TableSpec
from ._labels import plain
from ._state import Context, Region

__all__ = ["locate", "one_row_again"]

#: A label line this long (normalised) is prose: the one-row table's values have ended.
PROSE_LENGTH = 40


def locate(ctx: Context, table: TableSpec, after: int) -> Region | None:
    """The region of ``table``, after the table before it (``after``: the index of its last row,
    -1 at the start). None when a one-row table has no anchor or no values."""
    if table.layout is Layout.ONE_ROW:
        return _one_row(ctx, table, after)
    if not table.anchors:
        return _anywhere(ctx, table)
    return _anchored_rows(ctx, table, after)


def _anchored(rec: Record, anchors: Sequence[str], wrapped: bool = False) -> bool:
    cells = [*rec.labels, *rec.context] if wrapped else rec.labels
    return any(a in norm(c.text) for c in cells for a in anchors)


def _after_numbers(ctx: Context, table: TableSpec, start: int) -> int | None:
    """Rule ``one-row-anchor-words``: the first record from ``start`` on, after one with numbers,
    whose label or wrapped lines hold one of the table's anchor words."""
    if "one-row-anchor-words" not in ctx.switches:
        return None
    seen_numbers = False
    for rec in ctx.records[max(start, 0):]:
        seen_numbers = seen_numbers or rec.has_numbers
        if seen_numbers and _anchored(rec, table.anchors, wrapped=True):
            return rec.index
    return None


def _anchor_words(ctx: Context, table: TableSpec, after: int) -> int | None:
    """Rule ``anchor-words``: the first record after ``after`` whose label holds an anchor word."""
    if "anchor-words" not in ctx.switches:
        return None
    return next((r.index for r in ctx.records if r.index > after and _anchored(r, table.anchors)), None)


def _one_row_tables(ctx: Context, after: TableSpec | None = None) -> list[TableSpec]:
    tables = ctx.template.tables
    later = tables[tables.index(after) + 1:] if after is not None else tables
    return [t for t in later if t.layout is Layout.ONE_ROW and t.anchors]


def _anywhere(ctx: Context, table: TableSpec) -> Region:
    """A table without anchors: any row with a label may be its (rules ``item-number-count``,
    ``one-row-anchor-not-item`` leave out rows that are another table's)."""
    on = ctx.switches
    most = max(len(r.columns) for r in table.rows) + 1 if "item-number-count" in on else None
    anchors = tuple(a for t in _one_row_tables(ctx) for a in t.anchors) if "one-row-anchor-not-item" in on else ()
    cands: list[Record] = []
    rules: dict[str, None] = {}
    for r in ctx.value_records:
        rule = _left_out(r, most, anchors)
        if rule is None:
            cands.append(r)
        else:
            rules[rule] = None
    return Region(0, len(ctx.records), tuple(cands), tuple(rules))


def _left_out(r: Record, most: int | None, anchors: Sequence[str]) -> str | None:
    """The rule that leaves a record out of a table without anchors, if one does: ``item-number-count``
    (more than ``most`` numbers), ``one-row-anchor-not-item`` (a one-row table's anchor words)."""
    if most is not None and len(r.numbers) > most:
        return "item-number-count"
    if anchors and _anchored(r, anchors):
        return "one-row-anchor-not-item"
    return None


def _anchored_rows(ctx: Context, table: TableSpec, after: int) -> Region:
    """A table of rows with anchor words: from its anchor (else right after the table before) to
    the next one-row table's anchor."""
    start = _anchor_words(ctx, table, after)
    rules = ("anchor-words",) if start is not None else ()
    start = start if start is not None else after + 1
    nxt = _one_row_tables(ctx, table)
    stop = _after_numbers(ctx, nxt[0], start) if nxt else None
    stop = stop if stop is not None else len(ctx.records) + 1
    cands = tuple(r for r in ctx.value_records if start <= r.index < stop)
    return Region(start, stop, cands, rules)


def _one_row(ctx: Context, table: TableSpec, after: int) -> Region | None:
    """A table printed as one row: from its anchor, its value cells."""
    start, rule = _after_numbers(ctx, table, max(after, 0)), "one-row-anchor-words"
    if start is None:
        start, rule = _anchor_words(ctx, table, after), "anchor-words"
    if start is None:
        return None
    records, ended = _one_row_records(ctx, table, start)
    if not records:
        return None
    return _print_region(ctx, start, (rule, "section-end") if ended else (rule,), records)


def _print_region(ctx: Context, start: int, rules: tuple[str, ...], records: Sequence[Record]) -> Region:
    """The region of a one-row table's print from record ``start``, its values in ``records`` (not
    empty): their value cells, the first of them, the first on a grid with numbers."""
    tokens: tuple[RCell, ...] = tuple(v for rec in records for v in rec.values)
    grid = next((rec for rec in records if rec.has_numbers and rec.values[0].grid), None)
    return Region(start, len(ctx.records), (), rules, tokens, records[0], grid)


def one_row_again(ctx: Context, table: TableSpec, region: Region) -> Region | None:
    """A second print of a one-row table after its first (``region``): a 续表, a copy of the table.

    It starts at the next record after the first print's values whose label or wrapped lines hold
    one of the table's anchor words, and is a print of the table only when the label cells from
    there to its first number name at least :data:`MIN_COPY_HEADER` of the table's columns (prose
    after the table that mentions 行政复议 is none). None when there is no such print."""
    start = _anchor_after(ctx, table, region)
    if start is None:
        return None
    records, _ = _one_row_records(ctx, table, start)
    if not records or not _names_columns(ctx, table, start, records[0].index):
        return None
    return _print_region(ctx, start, ("repeated-rows",), records)


def _anchor_after(ctx: Context, table: TableSpec, region: Region) -> int | None:
    """The first record after the last one holding the region's values whose label or wrapped lines
    hold one of the table's anchor words (None: no values, or no such record)."""
    tokens = {id(v) for v in region.tokens}
    last = max((r.index for r in ctx.records if any(id(v) in tokens for v in r.values)), default=None)
    if last is None:
        return None
    return next((r.index for r in ctx.records[last + 1:] if _anchored(r, table.anchors, wrapped=True)), None)


def _names_columns(ctx: Context, table: TableSpec, start: int, first: int) -> bool:
    """Do the label cells of the records from ``start`` to ``first`` (the first with values) name at
    least :data:`MIN_COPY_HEADER` of the table's columns?"""
    names = {plain(c.label) for c in table.columns}
    header = {plain(c.text) for r in ctx.records[start:first + 1] for c in [*r.labels, *r.context]}
    return len(names & header) >= MIN_COPY_HEADER * len(names)


#: A second print of a one-row table names at least this share of its columns in its header.
MIN_COPY_HEADER = 0.6


def _one_row_records(ctx: Context, table: TableSpec, start: int) -> tuple[list[Record], bool]:
    """The records holding the one-row table's values, from its first number on, until it has a
    number for every column of every row or (rule ``section-end``: then True) the next section
    begins."""
    wanted = len(table.rows) * len(table.columns)
    ends_at = _section_end(ctx, table)
    numbers = 0
    out: list[Record] = []
    for rec in ctx.records[start:]:
        if not rec.values:
            if numbers and ends_at is not None and _ends(rec, ends_at):
                return out, True
        elif numbers or rec.has_numbers:
            out.append(rec)
            numbers += sum(1 for v in rec.values if v.is_number)
            if numbers >= wanted:
                break
    return out, False


def _section_end(ctx: Context, table: TableSpec) -> re.Pattern[str] | None:
    """Rule ``section-end``: the pattern of the heading of the section after the one-row table, if any."""
    return re.compile(table.ends_at) if table.ends_at and "section-end" in ctx.switches else None


def _ends(rec: Record, ends_at: re.Pattern[str]) -> bool:
    """A label-only record that is the next section's heading, or prose."""
    return any(ends_at.match(plain(c.text)) or len(norm(c.text)) > PROSE_LENGTH for c in rec.labels)
