"""Stage ``align``: which record is which row of a table.

Records are aligned with the table's rows in order, by a monotone alignment
(:func:`~gxparse._mapping._align.align`) that maximises label similarity
(:mod:`._labels`). Item tables (short labels: 规章, 行政许可) are scored strictly;
tables of long labels are scored with their wrapped lines, typos and group
labels in front, and then get their rows printed as a label alone, their
collapsed group and their rows with numbers left over.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache

from .._normalize import _CIRCLED, dice, norm, numbering
from .._records import Record, is_value_record
from .._report import Finding
from ..form import Layout, Role, Row, TableSpec
from ..form._findings import TEMPLATE_DEVIATION
from ._align import align
from ._labels import exact_index, item_text_score, item_texts, label_texts, own_label, plain, row_label_score
from ._state import Alignment, Context, Region, RowMatch, where_of

__all__ = ["align_table", "clearly_best", "group_item_rest"]

#: A label-only row printed as its label alone must name its row at least this well …
BARE_MIN_SCORE = 0.6
#: … and this much better than any other row: a label that could be either row adds nothing.
BARE_MIN_MARGIN = 0.1

_Variants = tuple[tuple[str, ...], ...]


def align_table(ctx: Context, table: TableSpec, region: Region) -> Alignment:
    """The table's rows and the records they were read from, in the form's order (none: the table
    is not in the document)."""
    if table.layout is Layout.ONE_ROW:
        assert region.first is not None
        return Alignment(tuple(RowMatch(r, region.first) for r in table.rows))
    if table.rows_have_columns:
        return _align_items(ctx, table, region)
    return _align_rows(ctx, table, region)


def _variants(rows: Sequence[Row]) -> _Variants:
    return tuple(tuple(plain(v) for v in r.variants) for r in rows)


def _exact(ctx: Context, cands: Sequence[Record], variants: _Variants) -> list[int | None]:
    """Rule ``exact-label``: for each record, the one row its own label names exactly, if any."""
    if "exact-label" not in ctx.switches:
        return []
    index = exact_index(variants)
    split = "space-split-label" in ctx.switches
    return [index.get(plain(own_label(rec, split))) for rec in cands]


# ---------------------------------------------------------------------------
# items: short labels
# ---------------------------------------------------------------------------

def _align_items(ctx: Context, table: TableSpec, region: Region) -> Alignment:
    """Items with short labels (规章, 行政许可): exact, a long label's suffix, or similar."""
    variants = _variants(table.rows)
    cands = list(region.candidates)
    texts = {id(rec): item_texts(rec, ctx.records, ctx.switches) for rec in cands}
    suffix = "item-suffix" in ctx.switches

    def score(rec: Record, j: int) -> float:
        return max(item_text_score(t, variants[j], suffix)[0] for t, _ in texts[id(rec)])

    exact = _exact(ctx, cands, variants)
    matches = align(cands, len(table.rows), score, exact)
    pos = {id(r): i for i, r in enumerate(cands)}
    out = []
    for j, rec in sorted(matches.items()):
        rules = _item_rules(texts[id(rec)], variants[j], suffix, bool(exact) and exact[pos[id(rec)]] is not None)
        out.append(RowMatch(table.rows[j], rec, rules=rules, texts=tuple(texts[id(rec)])))
    return Alignment(tuple(out))


def _item_rules(texts: Sequence[tuple[str, str]], variants: tuple[str, ...], suffix: bool,
                exact: bool) -> tuple[str, ...]:
    """The rules that matched an item: an exact label, or the text that scored best and how."""
    if exact:
        return ("exact-label",)
    text, made_by = max(texts, key=lambda t: item_text_score(t[0], variants, suffix)[0])
    return tuple(r for r in (made_by, item_text_score(text, variants, suffix)[1]) if r)


# ---------------------------------------------------------------------------
# rows: long labels
# ---------------------------------------------------------------------------

def _align_rows(ctx: Context, table: TableSpec, region: Region) -> Alignment:
    """Rows with long labels, scored with wrapped lines, typos and group labels in front."""
    rows = [r for r in table.rows if r.role is not Role.HEADING]
    variants = _variants(rows)
    cands = list(region.candidates)
    switches = ctx.switches
    texts = {id(rec): label_texts(rec, switches) for rec in cands}
    not_group = _item_of_group(ctx, rows, cands, texts)

    def score(rec: Record, j: int) -> float:
        return _row_score(rows, variants, switches, texts, not_group, rec, j)

    exact = _exact(ctx, cands, variants)
    matches = align(cands, len(rows), score, exact)
    if not matches:
        return Alignment(())
    matched = _matched_rows(ctx, rows, variants, cands, texts, exact, matches, score)
    if "numbered-items" in switches:
        numbered = _numbered_items(ctx, rows, matches, cands)
        matches = _moved(rows, matched, {j: (rec, ("numbered-items",)) for j, rec in numbered.items()})
    if "items-any-order" in switches:
        matches = _moved(rows, matched, _items_any_order(ctx, rows, matches, cands, texts, not_group))
    bare = _bare_rows(ctx, table, rows, variants, matches, region)
    return _shape(ctx, table, rows, matched, bare, cands)


def _row_score(rows: Sequence[Row], variants: _Variants, switches: frozenset[str],
               texts: dict[int, tuple[str, str, str]], not_group: dict[int, dict[int, str]],
               rec: Record, j: int) -> float:
    """How well a record's label names row ``j``: never a group row its label shows it is an item of,
    an item of such a group scored without the group's label in front."""
    groups = not_group.get(id(rec))
    if groups:
        if j in groups:
            return 0.0
        rest = next((r for g, r in groups.items() if rows[g].key == rows[j].group), None)
        if rest is not None:  # an item of the group: scored without the group's label in front
            return row_label_score((rest, "", ""), variants[j], switches)[0]
    return row_label_score(texts[id(rec)], variants[j], switches)[0]


def _matched_rows(ctx: Context, rows: Sequence[Row], variants: _Variants, cands: Sequence[Record],
                  texts: dict[int, tuple[str, str, str]], exact: list[int | None],
                  matches: dict[int, Record], score: Callable[[Record, int], float]) -> dict[int, RowMatch]:
    """The aligned rows with the rules that matched them; an item named by its label without its
    group's in front (it scores better so than with its whole label) also by ``numbered-items``."""
    pos = {id(r): i for i, r in enumerate(cands)}
    matched = {j: RowMatch(rows[j], rec, rules=_row_rules(ctx, rec, texts[id(rec)], variants[j],
                                                          bool(exact) and exact[pos[id(rec)]] is not None))
               for j, rec in matches.items()}
    for j, m in matched.items():
        if score(m.record, j) > row_label_score(texts[id(m.record)], variants[j], ctx.switches)[0]:
            matched[j] = RowMatch(rows[j], m.record, rules=(*m.rules, "numbered-items"))
    return matched


def _moved(rows: Sequence[Row], matched: dict[int, RowMatch],
           found: dict[int, tuple[Record, tuple[str, ...]]]) -> dict[int, Record]:
    """Moves each record found for a row (row index → (record, rules)) to that row, out of the row it
    was matched to (``matched`` is changed); returns row index → record of every match."""
    for j, (rec, rules) in found.items():
        matched.pop(next((k for k, m in matched.items() if m.record is rec), -1), None)
        matched[j] = RowMatch(rows[j], rec, rules=rules)
    return {j: m.record for j, m in matched.items()}


#: An item named by its label among its group's items names it this much better than any other.
ITEM_ORDER_MARGIN = 0.1


def _groups(rows: Sequence[Row]) -> Iterator[tuple[int, Row, list[int]]]:
    """Each group row with items: its index, the row, its items' indices."""
    for gj, group in enumerate(rows):
        if group.role is Role.GROUP_TOTAL:
            items = [j for j, r in enumerate(rows) if r.group == group.key and r.role is Role.ITEM]
            if items:
                yield gj, group, items


def _items_any_order(ctx: Context, rows: Sequence[Row], matches: dict[int, Record], cands: Sequence[Record],
                     texts: dict[int, tuple[str, str, str]],
                     not_group: dict[int, dict[int, str]]) -> dict[int, tuple[Record, tuple[str, ...]]]:
    """Rule ``items-any-order``: a group's items printed in another order than the form's
    (（三）不予公开 3.危及… first, 1.属于国家秘密 third), which the alignment, keeping the form's
    order, leaves partly unread.

    The records with numbers between the rows matched before the group and after its last item
    are its items (a record printed as the group row alone stays the group row). Each is the
    item its label names clearly among the group's items, else (rule ``numbered-items``) the
    item of its number; the label decides where the two differ. Taken only when every record
    there is one item and no item two records, and more of them are read than in order.
    Returns row index → (record, rules).
    """
    found: dict[int, tuple[Record, tuple[str, ...]]] = {}
    held = {id(rec): j for j, rec in matches.items()}
    for gj, group, items in _groups(rows):
        span = _group_span(matches, held, cands, not_group, gj, items)
        if not span:
            continue
        chosen = _chosen_items(ctx, span, group, rows, items, texts)
        for rec, (j, rules) in zip(span, chosen):
            if held.get(id(rec)) != j:
                found[j] = (rec, rules)
    return found


def _group_span(matches: dict[int, Record], held: dict[int, int], cands: Sequence[Record],
                not_group: dict[int, dict[int, str]], gj: int, items: Sequence[int]) -> list[Record]:
    """The records with numbers that are the items of group row ``gj``, read partly out of order: none
    when the group's place is not known (no row read on both sides of it), when the group is not
    there or when every record there is read as an item already (so more are read reordered)."""
    lo, hi = _read_around(matches, gj, items[-1])
    if lo is None or hi is None:
        return []
    span = [rec for rec in cands if lo < rec.index < hi and rec.has_numbers
            and not (held.get(id(rec)) == gj and gj not in not_group.get(id(rec), ()))]
    read = [held.get(id(rec)) in items for rec in span]
    return span if any(read) and not all(read) else []


def _read_around(matches: dict[int, Record], gj: int, last: int) -> tuple[int | None, int | None]:
    """The indices of the records matched to the nearest rows before row ``gj`` and after row
    ``last`` (None: no row read on that side)."""
    return (max((rec.index for j, rec in matches.items() if j < gj), default=None),
            min((rec.index for j, rec in matches.items() if j > last), default=None))


def _chosen_items(ctx: Context, span: Sequence[Record], group: Row, rows: Sequence[Row], items: Sequence[int],
                  texts: dict[int, tuple[str, str, str]]) -> list[tuple[int, tuple[str, ...]]]:
    """The item of ``group`` each record of ``span`` is, with the rules that say so; none unless
    every record is one item and no item two records."""
    chosen = [_item_of(ctx, rec, group, rows, items, texts[id(rec)]) for rec in span]
    picked = [c for c in chosen if c is not None]
    return picked if len(picked) == len(span) == len({c[0] for c in picked}) else []


def _item_of(ctx: Context, rec: Record, group: Row, rows: Sequence[Row], items: Sequence[int],
             texts: tuple[str, str, str]) -> tuple[int, tuple[str, ...]] | None:
    """The item of ``group`` a record is: the one its label names clearly, else the one of its number."""
    scores = sorted(((row_label_score(texts, _variants([rows[j]])[0], ctx.switches)[0], j) for j in items),
                    reverse=True)
    (best, j), second = scores[0], scores[1][0] if len(scores) > 1 else 0.0
    if best > 0 and best - second >= ITEM_ORDER_MARGIN:
        return j, ("items-any-order",)
    return _item_by_number(ctx, rec, group, rows, items, texts)


def _item_by_number(ctx: Context, rec: Record, group: Row, rows: Sequence[Row], items: Sequence[int],
                    texts: tuple[str, str, str]) -> tuple[int, tuple[str, ...]] | None:
    """Rule ``numbered-items`` within ``items-any-order``: the item of ``group`` of a record's number,
    only when its label names no row outside the group either."""
    if "numbered-items" not in ctx.switches or any(
            row_label_score(texts, _variants([r])[0], ctx.switches)[0] > 0 for r in rows if r.group != group.key):
        return None
    k = _numbered_item(own_label(rec, "space-split-label" in ctx.switches), group, items)
    return None if k is None else (k, ("items-any-order", "numbered-items"))


def _item_of_group(ctx: Context, rows: Sequence[Row], cands: Sequence[Record],
                   texts: dict[int, tuple[str, str, str]]) -> dict[int, dict[int, str]]:
    """Rule ``numbered-items``: the group rows a record is not, because its label carries an item
    number after the group's label (（六）其他处理 1.逾期不缴费, （三）不予公开 3.危及…): it is an item
    of the group, whichever item it is, never the group row (a group row is a group row only when
    the document prints it as one). Returns id(record) → {index of the group row: the label after
    the group's (what names the item: 其他 in 其他处理 names none)}."""
    if "numbered-items" not in ctx.switches:
        return {}
    groups = [(gj, g) for gj, g in enumerate(rows) if g.role is Role.GROUP_TOTAL]
    out: dict[int, dict[int, str]] = {}
    for rec in cands:
        hit = _groups_named(texts[id(rec)], groups)
        if hit:
            out[id(rec)] = hit
    return out


def _groups_named(texts: tuple[str, str, str], groups: Sequence[tuple[int, Row]]) -> dict[int, str]:
    """The group rows (index, row) a record's label (its own, or joined with its wrapped lines) has in
    front of an item number: index of the group row → the label after the group's."""
    own, joined, _ = texts
    return {gj: rest for gj, g in groups for t in (joined, own)
            if t and (rest := group_item_rest(t, g)) is not None}


def _numbered_items(ctx: Context, rows: Sequence[Row], matches: dict[int, Record],
                    cands: Sequence[Record]) -> dict[int, Record]:
    """Rule ``numbered-items``: items of a group written short (（六）其他处理 1.逾期不补正,
    2.逾期不缴费), found by their number within the group and their place.

    Between the rows matched before a group and after its last item, a record whose label
    carries an item number (after the group's own label, if that is in front) is that item
    of the group, when the item is matched to no other record and the record to nothing
    but the group row (whose label it had in front). Returns item row index → record; none
    unless every row stays in the document's order.
    """
    split = "space-split-label" in ctx.switches
    held = {id(rec): j for j, rec in matches.items()}
    found: dict[int, Record] = {}
    for gj, group, items in _groups(rows):
        lo, hi = _read_around(matches, gj, items[-1])
        for j, rec in _numbered_records(cands, group, items, split,
                                        -1 if lo is None else lo, len(ctx.records) if hi is None else hi):
            if j not in matches and j not in found and held.get(id(rec), gj) == gj:
                found[j] = rec
    return found if found and _in_document_order(matches, found) else {}


def _numbered_records(cands: Sequence[Record], group: Row, items: Sequence[int], split: bool,
                      lo: int, hi: int) -> Iterator[tuple[int, Record]]:
    """Each record with numbers strictly between indices ``lo`` and ``hi`` whose label carries the
    number of an item of ``group``: that item's row index and the record."""
    for rec in cands:
        if lo < rec.index < hi and rec.has_numbers:
            j = _numbered_item(own_label(rec, split), group, items)
            if j is not None:
                yield j, rec


def _in_document_order(matches: dict[int, Record], found: dict[int, Record]) -> bool:
    """Do the rows, with the items found by number in place of what they were matched to, follow
    the document's order?"""
    order = sorted({**{j: r for j, r in matches.items() if r not in found.values()}, **found}.items())
    return not any(a[1].index >= b[1].index for a, b in itertools.pairwise(order))


#: An item's number in its group: 1. 1、 (1) 1) — ① is (1) after :func:`_normalize.core`'s translation.
_ITEM_NUMBER = re.compile(r"^\(?(\d{1,2})(?:[.、,:)]|\)|(?=\D))")


def _item_number(label: str, group: Row) -> int | None:
    """The number of an item within its group written in front of its label (``2.逾期不缴费`` → 2),
    after the group's numbering and label if they are in front (``（六）其他处理 1.逾期不补正`` → 1)."""
    text = norm(label.translate(_CIRCLED))
    rest = _after_prefix(text, group)
    return _number_of(rest if rest is not None else text)


def _numbered_item(label: str, group: Row, items: Sequence[int]) -> int | None:
    """The row index of the item of ``group`` whose number a label carries (:func:`_item_number`),
    or None (no number, or not one of the group's)."""
    k = _item_number(label, group)
    return items[k - 1] if k is not None and 1 <= k <= len(items) else None


def group_item_rest(label: str, group: Row) -> str | None:
    """The label after a group's label in front of it when an item number follows (``（六）其他处理
    1.逾期不补正`` → ``1.逾期不补正``): such a label is an item of the group, never the group row.
    None when the group's label is not in front or no item number follows it."""
    rest = _after_prefix(norm(label.translate(_CIRCLED)), group)
    return rest if rest is not None and _number_of(rest) is not None else None


def _after_prefix(text: str, group: Row) -> str | None:
    """``text`` (:func:`norm`) after the group's numbering and label in front of it, if they are."""
    for prefix in (norm(group.label), norm(group.item)):
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix):]
    return None


def _number_of(text: str) -> int | None:
    m = _ITEM_NUMBER.match(text)
    return int(m.group(1)) if m and len(text) > m.end() else None


def _row_rules(ctx: Context, rec: Record, texts: tuple[str, str, str], variants: tuple[str, ...],
               exact: bool) -> tuple[str, ...]:
    """The rules that matched a record to its row: an exact label, or what decided its score."""
    out: list[str] = []
    if texts[0] != rec.rightmost:
        out.append("space-split-label")
    if exact:
        return (*out, "exact-label")
    if rec.context and "numbered-label-start" in ctx.switches and numbering(texts[0]) is not None:
        out.append("numbered-label-start")
    rule = row_label_score(texts, variants, ctx.switches)[1]
    return (*out, rule) if rule else tuple(out)


def _shape(ctx: Context, table: TableSpec, rows: Sequence[Row], matched: dict[int, RowMatch],
           bare: dict[int, Record], cands: Sequence[Record]) -> Alignment:
    """The matches in the form's order, with the table's shape as printed: groups with numbers, a
    collapsed group (rule ``collapsed-group``), records with numbers left over (``unknown-rows``)."""
    by_key = {m.row.key: m.record for m in matched.values()} | {rows[j].key: rec for j, rec in bare.items()}
    collapsed = _collapsed(ctx, table, by_key)
    out = _in_form_order(rows, matched, bare)
    # a group row with numbers, or a collapsed （六） left blank
    present = frozenset(m.row.key for m in out if m.row.role is Role.GROUP_TOTAL and (not m.bare or collapsed))
    unknown = _unknown_rows(ctx, matched, cands)
    rules = ("unknown-rows",) if unknown else ()
    if not collapsed:
        return Alignment(out, unknown, False, present, (), rules)
    return Alignment(out, unknown, True, present, (_collapsed_deviation(ctx, table, by_key),),
                     ("collapsed-group", *rules))


def _in_form_order(rows: Sequence[Row], matched: dict[int, RowMatch], bare: dict[int, Record]) -> tuple[RowMatch, ...]:
    """The matched rows and the rows printed as their label alone, in the form's order."""
    return tuple(matched[j] if j in matched else RowMatch(rows[j], bare[j], bare=True, rules=("bare-rows",))
                 for j in range(len(rows)) if j in matched or j in bare)


def _collapsed_deviation(ctx: Context, table: TableSpec, by_key: dict[str, Record]) -> Finding:
    """The ``template-deviation`` for the collapsible group printed collapsed, where it is printed."""
    return TEMPLATE_DEVIATION.make(f"{table.key}/{table.collapsible}", "collapsed", {
        "template": ctx.template.id, **where_of(by_key[str(table.collapsible)])})


def _unknown_rows(ctx: Context, matched: dict[int, RowMatch], cands: Sequence[Record]) -> tuple[Record, ...]:
    """Rule ``unknown-rows``: the records with numbers matched to no row."""
    if "unknown-rows" not in ctx.switches:
        return ()
    taken = {id(m.record) for m in matched.values()}
    return tuple(r for r in cands if id(r) not in taken and r.has_numbers)


def _collapsed(ctx: Context, table: TableSpec, by_key: dict[str, Record]) -> bool:
    """Rule ``collapsed-group``: the collapsible group is printed, none of its items is."""
    group = table.collapsible
    if group is None or "collapsed-group" not in ctx.switches:
        return False
    items = [r.key for r in table.group_items(group)]
    return bool(items) and group in by_key and not any(k in by_key for k in items)


# ---------------------------------------------------------------------------
# rows printed as their label alone
# ---------------------------------------------------------------------------

def _bare_rows(ctx: Context, table: TableSpec, rows: Sequence[Row], variants: _Variants,
               matches: dict[int, Record], region: Region) -> dict[int, Record]:
    """Rule ``bare-rows``: rows printed as their label alone, every cell empty and dropped (a
    ragged markdown row, a line of space-aligned text), for the rows left unmatched.

    Only a label-only record whose own label names one item row best (or the collapsible
    group, which a report may print collapsed), lying between the rows matched on either
    side of it. Such a row adds no values (they stay absent: derived or null); it is seen
    so that its label-variant and a collapsed group are reported.
    """
    if "bare-rows" not in ctx.switches:
        return {}
    allowed = _bare_allowed(table, rows, matches)
    order = sorted(matches.items())
    split = "space-split-label" in ctx.switches
    found: dict[int, Record] = {}
    for rec in ctx.records[max(region.start, 0):min(region.stop, len(ctx.records))]:
        if is_value_record(rec) or not rec.labels:
            continue
        own = plain(own_label(rec, split))
        j = _bare_row(own, variants) if own else None
        if j is not None and j in allowed and j not in found and _between(order, j, rec.index):
            found[j] = rec
    return found


def _bare_allowed(table: TableSpec, rows: Sequence[Row], matches: dict[int, Record]) -> set[int]:
    """The rows a label alone may stand for: unmatched items, and the collapsible group when none of
    its items was matched (a collapsed group left blank)."""
    group = table.collapsible
    items = {r.key for r in table.group_items(group)} if group else set()
    collapsible = bool(items) and not any(rows[j].key in items for j in matches)
    return {j for j, row in enumerate(rows) if j not in matches
            and (row.role is Role.ITEM or (row.key == group and collapsible))}


def _between(order: Sequence[tuple[int, Record]], j: int, index: int) -> bool:
    """Does a record at ``index`` lie between the records matched to the rows around row ``j``?"""
    before = [r.index for k, r in order if k < j]
    after = [r.index for k, r in order if k > j]
    return bool(before) and before[-1] < index and not (after and after[0] <= index)


@lru_cache(maxsize=16384)
def _bare_row(own: str, variants: _Variants) -> int | None:
    """The row a label alone names clearly (whole-label similarity only: a fragment, 重复申请 in
    大量重复申请, names no row), or None. Cached: the same labels recur in nearly every report."""
    return clearly_best(((max(1.0 if own == v else dice(own, v) for v in vs), j) for j, vs in enumerate(variants)),
                        BARE_MIN_SCORE, BARE_MIN_MARGIN)


def clearly_best(scored: Iterable[tuple[float, int]], min_score: float, min_margin: float) -> int | None:
    """The index scored best of (score, index) pairs (ties: the higher index) when its score is at
    least ``min_score`` and at least ``min_margin`` above the next (0.0 when it is alone), else None."""
    scores = sorted(scored, reverse=True)
    (best, j), second = scores[0], scores[1][0] if len(scores) > 1 else 0.0
    return j if best >= min_score and best - second >= min_margin else None
