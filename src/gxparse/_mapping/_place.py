"""Column placement: which of a row's values is which column.

By the grid (:func:`place_grid`) when the table's header cells line up with
the row's values, else in order (:func:`place_sequential`), where a row with
fewer or more values than columns is placed only as its own arithmetic
(:class:`RowSums`, from the form's row-total rule) allows. A number is never
placed on a guess.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import lru_cache

import attrs

from .._records import RCell, Record
from ..form import ColumnGroup, Layout, RowTotal, TableSpec
from ._labels import plain

__all__ = ["Fit", "Placement", "RowSums", "header_slots", "header_slots_repeated", "known_sum", "place_grid",
           "place_sequential", "unique_embedding"]

#: At most this many missing or extra values are placed by trying every placement: beyond it
#: the combinations explode and the row's one total cannot single out a placement anyway.
MAX_PLACEMENT_GAP = 3
#: A header word is looked for in runs of up to this many stacked cells.
_ZERO = Decimal(0)


class Fit(enum.Enum):
    """How a row's values fitted the columns."""

    EXACT = ""  # as many values as columns, in order
    GRID = "grid"  # by the header's grid columns
    SHORT = "short"  # fewer values; the row's total chose where the gaps are
    EXTRA = "extra"  # more values: the extra ones dropped, or (no dropped) the row left null
    AMBIGUOUS = "ambiguous"  # several placements fit the row's total: null, alternatives kept
    UNPLACEABLE = "unplaceable"  # no placement fits: null


@attrs.frozen
class Placement:
    """A row's cells by column (None: no value), how they fitted, and the rules that decided it."""

    cells: tuple[RCell | None, ...]
    fit: Fit = Fit.EXACT
    dropped: tuple[RCell, ...] = ()
    #: the dropped value is the subtotal of a column group (法人或其他组织 小计)
    subtotal: bool = False
    #: for an ambiguous row: the placements its own total allows
    alternatives: tuple[tuple[RCell | None, ...], ...] = ()
    rules: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        """No value placed: the row is null."""
        return self.fit in (Fit.AMBIGUOUS, Fit.UNPLACEABLE) or (self.fit is Fit.EXTRA and not self.dropped)


def num(c: RCell | None) -> Decimal | None:
    """The number a cell holds, if any."""
    return c.value.number if c is not None and c.value.kind == "number" else None


def known_sum(values: Iterable[Decimal | None]) -> Decimal:
    """The sum of the known values (None are skipped)."""
    total = _ZERO
    for v in values:
        if v is not None:
            total += v
    return total


@attrs.frozen
class RowSums:
    """The arithmetic within one printed row: groups of ``(member positions, total position)``.

    ``check`` tells whether known values can be completed consistently
    (unknowns being counts >= 0); ``complete`` fills what the groups determine.
    """

    groups: tuple[tuple[tuple[int, ...], int], ...]

    @classmethod
    def of(cls, table: TableSpec) -> RowSums | None:
        """The sums of one printed row of ``table``, from its row-total rule (None if it has none):
        for a one-row table, those of each of its rows side by side."""
        rule = next((r for r in table.rules if isinstance(r, RowTotal)), None)
        if rule is None:
            return None
        keys = table.column_keys
        one = (tuple(i for i, k in enumerate(keys) if k != rule.total), keys.index(rule.total))
        repeat = len(table.rows) if table.layout is Layout.ONE_ROW else 1
        n = len(keys)
        return cls(tuple((tuple(m + g * n for m in one[0]), one[1] + g * n) for g in range(repeat)))

    @classmethod
    def total_last(cls, k: int, groups: int = 1) -> RowSums:
        """``groups`` runs of ``k // groups`` columns, each run's last the total of the others."""
        size = k // groups
        return cls(tuple((tuple(range(g * size, g * size + size - 1)), g * size + size - 1) for g in range(groups)))

    def check(self, vals: Sequence[Decimal | None]) -> bool:
        """Can the unknowns (None) be filled with counts ≥ 0 so that every sum holds?"""
        for members, total_i in self.groups:
            total = vals[total_i]
            if total is None:
                continue
            known = known_sum(vals[m] for m in members)
            unknown = any(vals[m] is None for m in members)
            if (known > total) if unknown else (known != total):
                return False
        return True

    def complete(self, vals: Sequence[Decimal | None]) -> tuple[Decimal | None, ...]:
        """The values with what the sums determine filled in."""
        out = list(vals)
        for members, total_i in self.groups:
            _complete_group(out, members, total_i)
        return tuple(out)


def _complete_group(out: list[Decimal | None], members: tuple[int, ...], total_i: int) -> None:
    """Fill what one sum determines: a missing total, a single missing member, or missing members
    that must be 0 because the known ones already make the total."""
    total = out[total_i]
    unknown = [m for m in members if out[m] is None]
    known = known_sum(out[m] for m in members)
    if total is None:
        if not unknown:
            out[total_i] = known
    elif len(unknown) == 1:
        out[unknown[0]] = total - known
    elif unknown and known == total:
        for m in unknown:
            out[m] = Decimal(0)


def subtotal_position(table: TableSpec) -> tuple[int, int, int] | None:
    """``(position, first, last)`` of the subtotal column a report may print before a column group's
    members (法人或其他组织 小计 before 商业企业 … 其他), from the table's first column group."""
    if not table.column_groups:
        return None
    hit = _SUBTOTALS.get(id(table))
    if hit is None or hit[0] is not table:
        hit = _SUBTOTALS[id(table)] = (table, _subtotal_position(table))
    return hit[1]


_SUBTOTALS: dict[int, tuple[TableSpec, tuple[int, int, int]]] = {}


def _subtotal_position(table: TableSpec) -> tuple[int, int, int]:
    group: ColumnGroup = table.column_groups[0]
    keys = table.column_keys
    first, last = keys.index(group.members[0]), keys.index(group.members[-1])
    return first, first, last


def _trims(tokens: Sequence[RCell], k: int, every_way: bool) -> list[list[RCell]]:
    """The ways of dropping surplus blank tokens from the two ends of a row.

    A row may carry more cells than the template has columns because of
    merged-cell placeholders before the values or empty cells after them;
    which of the blanks are such padding and which is a blank value cannot
    be told from the blanks themselves. Every split of the surplus between
    the leading and the trailing blank run is returned (``every_way``; else
    only the one dropping leading blanks first); when the blanks cannot absorb
    the surplus, all of them are dropped (one way).
    """
    n = len(tokens)
    surplus = n - k
    if surplus <= 0:
        return [list(tokens)]
    lead, trail = _blank_runs(tokens)
    if lead == n:  # nothing but blanks
        return [list(tokens[:k])]
    ways = [list(tokens[a:n - (surplus - a)]) for a in range(min(lead, surplus) + 1) if surplus - a <= trail]
    if ways and not every_way:
        ways = ways[-1:]
    return ways or [list(tokens[lead:n - trail])]


def _blank_runs(tokens: Sequence[RCell]) -> tuple[int, int]:
    """The lengths of the leading and the trailing run of blank tokens (both ``len(tokens)`` when
    every token is blank)."""
    n = len(tokens)
    return (next((i for i, t in enumerate(tokens) if not t.is_blank), n),
            next((i for i, t in enumerate(reversed(tokens)) if not t.is_blank), n))


_Option = tuple[tuple[int, ...], tuple[RCell | None, ...], tuple[Decimal | None, ...]]


def place_sequential(tokens: Sequence[RCell], k: int, sums: RowSums | None,
                     subtotal: tuple[int, int, int] | None = None,
                     switches: frozenset[str] | None = None) -> Placement:
    """Place a row's value tokens into ``k`` columns in order.

    With as many tokens as columns, token ``i`` goes to column ``i``. With
    fewer or more, every placement (which columns are missing; which token
    is extra) is tried; only placements that the row's arithmetic ``sums``
    allows are kept, and they must all complete to the same values, else
    nothing is placed. Without sums, only the exact case is placed.

    ``subtotal``: ``(position, first, last)`` of an optional extra 小计
    token that equals the sum of the remaining tokens ``first..last``.
    ``switches``: the enabled rules (``trim-padding``, ``missing-by-row-total``,
    ``subtotal-column``, ``extra-either-way``); all when None.
    """
    on = _ALL_SEQUENTIAL if switches is None else switches
    ways = _trims(tokens, k, "trim-padding" in on)
    if len(ways) > 1:  # exactly k tokens, in several ways: the row's arithmetic must choose
        return _among_trims(ways, k, sums)
    row = ways[0]
    n = len(row)
    if n == k:
        return Placement(tuple(row))
    if sums is None or abs(n - k) > MAX_PLACEMENT_GAP:
        return Placement((None,) * k, Fit.UNPLACEABLE if n < k else Fit.EXTRA)
    if n < k:
        return _short(row, k, sums, on)
    return _long(row, k, sums, subtotal, on)


def _short(row: list[RCell], k: int, sums: RowSums, on: frozenset[str]) -> Placement:
    """Rule ``missing-by-row-total``: fewer values than columns, placed as the row's total allows."""
    if "missing-by-row-total" not in on:
        return Placement((None,) * k, Fit.UNPLACEABLE)
    return _with_rule(_choose(_short_options(row, k, sums), k, Fit.SHORT), "missing-by-row-total")


def _long(row: list[RCell], k: int, sums: RowSums, subtotal: tuple[int, int, int] | None,
          on: frozenset[str]) -> Placement:
    """Rules ``subtotal-column`` and ``extra-either-way``: more values than columns."""
    if subtotal is not None and len(row) == k + 1 and "subtotal-column" in on:
        found = _subtotal(row, subtotal, sums)
        if found is not None:
            return found
    if "extra-either-way" not in on:
        return Placement((None,) * k, Fit.EXTRA)
    return _extra(row, k)


_ALL_SEQUENTIAL = frozenset({"trim-padding", "missing-by-row-total", "subtotal-column", "extra-either-way"})


def _with_rule(p: Placement, rule: str) -> Placement:
    return Placement(p.cells, p.fit, p.dropped, p.subtotal, p.alternatives, (*p.rules, rule))


def _among_trims(ways: list[list[RCell]], k: int, sums: RowSums | None) -> Placement:
    options: list[_Option] = []
    for way in ways:
        vals = [num(c) for c in way]
        if sums is None or sums.check(vals):
            options.append(((), tuple(way), sums.complete(vals) if sums else tuple(vals)))
    if not options:  # the row breaks its arithmetic whichever blanks are padding
        options = [((), tuple(way), tuple(num(c) for c in way)) for way in ways]
    return _with_rule(_choose(options, k, Fit.EXACT), "trim-padding")


def _short_options(row: list[RCell], k: int, sums: RowSums) -> list[_Option]:
    n = len(row)
    options: list[_Option] = []
    for filled in itertools.combinations(range(k), n):
        cells: list[RCell | None] = [None] * k
        for slot, tok in zip(filled, row):
            cells[slot] = tok
        vals = [num(c) for c in cells]
        if sums.check(vals):
            missing = tuple(sorted(set(range(k)) - set(filled), reverse=True))
            options.append((missing, tuple(cells), sums.complete(vals)))
    return options


def _subtotal(row: list[RCell], subtotal: tuple[int, int, int], sums: RowSums) -> Placement | None:
    pos, first, last = subtotal
    rest = row[:pos] + row[pos + 1:]
    sub = num(row[pos])
    parts = [num(t) for t in rest[first:last + 1]]
    if sub is not None and None not in parts and known_sum(parts) == sub and sums.check([num(c) for c in rest]):
        return Placement(tuple(rest), Fit.EXTRA, (row[pos],), subtotal=True, rules=("subtotal-column",))
    return None


def _extra(row: list[RCell], k: int) -> Placement:
    """Rule ``extra-either-way``: the row without its extra values when it does not matter which
    they are (every way of leaving them out gives the same values: ``0 0 0 0 0 0 0 0``).

    The row's own total never singles the extra value out: in ``2 0 0 9 0 0 0 2``
    the 9 may be a stray cell, or the 自然人 of a row whose 总计 is misprinted;
    that is a guess, and the row is null instead.
    """
    rests: dict[tuple[Decimal | None, ...], tuple[list[RCell], list[RCell]]] = {}
    for drop in itertools.combinations(range(len(row)), len(row) - k):
        if all(row[d].value.kind == "number" for d in drop):
            rest = [t for i, t in enumerate(row) if i not in drop]
            rests.setdefault(tuple(num(c) for c in rest), (rest, [row[d] for d in drop]))
        if len(rests) > 1:
            break
    if len(rests) == 1:  # whether the row then holds is for validation to say
        rest, dropped = next(iter(rests.values()))
        return Placement(tuple(rest), Fit.EXTRA, tuple(dropped), rules=("extra-either-way",))
    return Placement((None,) * k, Fit.EXTRA)


def _choose(options: list[_Option], k: int, fit: Fit) -> Placement:
    if not options:
        return Placement((None,) * k, Fit.UNPLACEABLE)
    options.sort(key=lambda o: o[0], reverse=True)
    if len({o[2] for o in options}) == 1:
        return Placement(options[0][1], fit)
    distinct: dict[tuple[Decimal | None, ...], tuple[RCell | None, ...]] = {}
    for o in options:
        distinct.setdefault(o[2], o[1])
    return Placement((None,) * k, Fit.AMBIGUOUS, alternatives=tuple(distinct.values()))


# ---------------------------------------------------------------------------
# by the grid
# ---------------------------------------------------------------------------

def _header_cells(records: Sequence[Record], table: int, upto: int, above: int | None = None) -> list[RCell]:
    """The grid label cells of ``table`` in the records before index ``upto`` (and, ``above``, in
    the grid rows above that row only)."""
    cells: list[RCell] = []
    for rec in records:
        if rec.index >= upto:
            break
        if rec.table != table:
            continue
        cells.extend(c for c in [*rec.labels, *rec.context, *rec.tail]
                     if c.grid and c.col is not None and (above is None or c.row < above))
    return cells


def header_slots(records: Sequence[Record], table: int, upto: int, slots: Sequence[Sequence[str]],
                 stacked: bool = True, partial: bool = False,
                 spaced: bool = False) -> tuple[list[range] | None, tuple[str, ...]]:
    """Grid column ranges of the header cells naming each slot, if the header is complete.

    Looks at label cells of ``table`` in records before index ``upto``. Each
    entry of ``slots`` lists accepted labels of one slot (:func:`plain`).
    Returns the ranges in slot order, or None unless every slot is found
    once, the ranges are disjoint and increase left to right; and the rules
    that joined header words to find them: ``stacked`` (rule
    ``stacked-header-words``: a word broken over header rows, 自然 / 人) and
    ``spaced`` (rule ``spaced-header-words``: a word broken by a space within a
    header row of space-aligned text, 上一年项目 数量). ``partial`` (rule
    ``partial-header``): a slot the header does not name (cut off at the page
    edge, never printed) gets an empty range, as long as at least
    :data:`MIN_PARTIAL_HEADER` of the slots are named; the reading naming the
    most slots is taken.
    """
    best: tuple[list[range] | None, tuple[str, ...]] = (None, ())
    for rules, words in _header_readings(_header_cells(records, table, upto), stacked, spaced):
        found = _match_slots(words, slots, partial)
        if found is None:
            continue
        if all(found):
            return found, rules
        if best[0] is None or _count_named(found) > _count_named(best[0]):
            best = (found, rules)
    return best


_Words = list[tuple[str, range]]


def _header_readings(cells: Sequence[RCell], stacked: bool, spaced: bool) -> list[tuple[tuple[str, ...], _Words]]:
    """The ways to read a header's words, each with the rules that joined words for it: the cells as
    printed first, then with the words of each combination of the rules asked for in front."""
    whole = [(plain(c.text), c.cols) for c in cells]
    joins = [(rule, words_of(cells)) for asked, rule, words_of in (
        (stacked, "stacked-header-words", _stacked_words), (spaced, "spaced-header-words", _spaced_words)) if asked]
    readings: list[tuple[tuple[str, ...], _Words]] = [((), whole)]
    for k in range(1, len(joins) + 1):
        for combo in itertools.combinations(joins, k):
            extra = [w for _, words in combo for w in words]
            if extra:
                readings.append((tuple(rule for rule, _ in combo), extra + whole))
    return readings


def _count_named(found: Sequence[range]) -> int:
    """How many slots a header reading names (an unnamed slot has an empty range)."""
    return sum(1 for r in found if r)


def _in_order(ranges: Sequence[range]) -> bool:
    """Are the column ranges disjoint and increasing left to right?"""
    return all(a.stop <= b.start for a, b in itertools.pairwise(ranges))


def _stacked_words(cells: Sequence[RCell]) -> list[tuple[str, range]]:
    """A header word broken over header rows (自然 / 人, 总 / 计): the cells that cover exactly the
    same grid columns, read top to bottom, make one label."""
    columns: dict[tuple[int, int], list[str]] = {}
    for c in cells:
        columns.setdefault((c.cols.start, c.cols.stop), []).append(c.text)
    # (Only runs of cells: a spanning cell above, 申请人情况, may have been
    # written into the column's first position.)
    return [(plain("".join(texts[i:j])), range(*key))
            for key, texts in columns.items()
            for i in range(len(texts)) for j in range(i + 2, len(texts) + 1)]


#: A header word broken by spaces is looked for in runs of up to this many cells of one row.
MAX_SPACED_PARTS = 3


def _spaced_words(cells: Sequence[RCell]) -> list[tuple[str, range]]:
    """A header word broken by a space within one header row (上一年项目 数量, 处理决 定数量 in
    space-aligned text): runs of neighbouring cells of a row joined, over the columns they cover."""
    rows: dict[int, dict[int, RCell]] = {}
    for c in cells:
        if c.col is not None:
            rows.setdefault(c.row, {})[c.col] = c  # each grid cell once
    out: list[tuple[str, range]] = []
    for row in rows.values():
        ordered = [row[k] for k in sorted(row)]
        for i in range(len(ordered)):
            for j in range(i + 2, min(i + MAX_SPACED_PARTS, len(ordered)) + 1):
                run = ordered[i:j]
                out.append((plain("".join(c.text for c in run)), range(run[0].cols.start, run[-1].cols.stop)))
    return out


#: A header naming fewer columns than the form places by the grid only when it names at least
#: this share of them: one or two stray words are no header.
MIN_PARTIAL_HEADER = 0.5


def _match_slots(cells: Sequence[tuple[str, range]], slots: Sequence[Sequence[str]],
                 partial: bool = False) -> list[range] | None:
    """The column ranges of the header words naming each slot (an empty range: the slot is not named,
    only with ``partial`` and :data:`MIN_PARTIAL_HEADER` of the slots named), when the ranges named
    are disjoint and increase left to right; else None."""
    matches = _slot_matches(cells, slots)
    if not partial and any(r is None for r in matches):
        return None
    found = [range(0) if r is None else r for r in matches]
    named = [r for r in found if r]
    if partial and len(named) < MIN_PARTIAL_HEADER * len(slots):
        return None
    return found if _in_order(named) else None


def _slot_matches(cells: Sequence[tuple[str, range]], slots: Sequence[Sequence[str]]) -> list[range | None]:
    """For each slot in turn, the columns of the first header word naming it that no slot before took
    (None: no word names it)."""
    used: set[int] = set()
    out: list[range | None] = []
    for names in slots:
        match = next((k for k, (text, _) in enumerate(cells) if k not in used and text in names), None)
        if match is not None:
            used.add(match)
        out.append(None if match is None else cells[match][1])
    return out


def header_slots_repeated(records: Sequence[Record], table: int, upto: int,
                          names: Sequence[str], repeat: int, partial: bool = False,
                          above: int | None = None, groups: Sequence[str] = ()) -> list[range] | None:
    """Like :func:`header_slots` for a header whose labels repeat ``repeat`` times
    (the 行政复议/行政诉讼 groups); None unless it names every column of every group, in order.

    ``partial`` (rule ``partial-header``): a header naming fewer columns (the last 总计 cut off
    at the page edge) is enough when its names fall on the columns one way only; the columns it
    does not name get an empty range (their values absent). ``above``: only header cells in
    grid rows above this one (the value row's own record may hold the header's last row).
    ``groups``: the header words that head each group of columns (行政复议, 未经复议直接起诉,
    复议后起诉); with ``partial``, names that fit several ways are placed by the group heading over
    them (a header whose last group is cut off names the other two)."""
    header, cells = _named_cells(records, table, upto, above, names)
    ranges = [c.cols for c in cells]
    if not _in_order(ranges):
        return None
    order = [plain(c.text) for c in cells]
    full = list(names) * repeat
    if order == full:
        return ranges
    if not partial or not order or len(order) >= len(full):
        return None
    where = _partial_positions(order, full, cells, header, names, groups)
    return None if where is None else _spread(where, ranges, len(full))


def _named_cells(records: Sequence[Record], table: int, upto: int, above: int | None,
                 names: Sequence[str]) -> tuple[list[RCell], list[RCell]]:
    """The header's grid cells (:func:`_header_cells`), each once (a label-only record's cells are also
    the next record's wrapped lines), and those of them naming a column, in column order."""
    header = {(c.row, c.col): c for c in _header_cells(records, table, upto, above)}
    unique = {k: c for k, c in header.items() if plain(c.text) in names}
    return list(header.values()), sorted(unique.values(), key=lambda c: c.col or 0)  # all grid cells: col is set


def _partial_positions(order: Sequence[str], full: Sequence[str], cells: Sequence[RCell], header: Sequence[RCell],
                       names: Sequence[str], groups: Sequence[str]) -> list[int] | None:
    """Rule ``partial-header``: the positions in the full header ``full`` of the names a partial header
    prints (``order``), where they fit one way only, else by the group headings over them."""
    where = unique_embedding(order, full)
    if where is None and groups:
        where = _under_groups(cells, header, list(names), groups)
    return where


def _spread(where: Sequence[int], ranges: Sequence[range], n: int) -> list[range]:
    """``n`` column ranges with ``ranges`` at the positions ``where`` and empty ranges elsewhere."""
    out = [range(0)] * n
    for k, rng in zip(where, ranges):
        out[k] = rng
    return out


def _under_groups(cells: Sequence[RCell], header: Sequence[RCell], names: list[str],
                  groups: Sequence[str]) -> list[int] | None:
    """The positions of column-name cells (in column order) among ``len(groups)`` groups of
    ``names``, each by the one group heading above it whose columns hold its column (a heading
    without a span holds the columns up to the next cell of its row); None unless every cell is
    under one heading and the positions increase."""
    heads = _group_heads(header, groups)
    out: list[int] = []
    for c in cells:
        under = {g for g, cols in heads if c.col in cols and c.row > _row_of(header, g, groups)}
        if len(under) != 1:
            return None
        out.append(under.pop() * len(names) + names.index(plain(c.text)))
    if any(a >= b for a, b in itertools.pairwise(out)):
        return None
    return out


def _group_heads(header: Sequence[RCell], groups: Sequence[str]) -> list[tuple[int, range]]:
    """The group headings of a header: the index of each in ``groups`` and the grid columns it holds."""
    return [(groups.index(plain(c.text)), _head_columns(c, c.col, header)) for c in header
            if plain(c.text) in groups and c.col is not None]


def _head_columns(c: RCell, col: int, header: Sequence[RCell]) -> range:
    """The grid columns a heading at column ``col`` holds: its span, or without a span the columns up
    to the next cell of its row."""
    if c.col_span > 1:
        return c.cols
    after = [d.col for d in header if d.row == c.row and d.col is not None and d.col > col]
    return range(col, min(after, default=1 << 30))


def _row_of(header: Sequence[RCell], g: int, groups: Sequence[str]) -> int:
    """The grid row of group ``g``'s heading (the first, if printed more than once)."""
    return min((c.row for c in header if plain(c.text) == groups[g]), default=-1)


def unique_embedding(part: Sequence[str], whole: Sequence[str]) -> list[int] | None:
    """The positions in ``whole`` at which ``part`` is found in order, if it is found one way only
    (``part`` a subsequence of ``whole``); None when none or several."""
    ways = _embeddings(part, whole)
    if ways[0][0] != 1:
        return None
    out: list[int] = []
    j = 0
    for i in range(len(part)):
        while not (part[i] == whole[j] and ways[i + 1][j + 1] == 1):
            j += 1
        out.append(j)
        j += 1
    return out


def _embeddings(part: Sequence[str], whole: Sequence[str]) -> list[list[int]]:
    """``ways[i][j]``: the number of embeddings of ``part[i:]`` into ``whole[j:]``, capped at 2."""
    n, m = len(part), len(whole)
    ways = [[0] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        ways[n][j] = 1
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            ways[i][j] = min(2, ways[i][j + 1] + (ways[i + 1][j + 1] if part[i] == whole[j] else 0))
    return ways


@lru_cache(maxsize=64)
def _slots_of(ranges: tuple[range, ...]) -> dict[int, int]:
    """Grid column -> index of the header range holding it (the first, if ranges overlap)."""
    out: dict[int, int] = {}
    for k, rng in enumerate(ranges):
        for c in rng:
            out.setdefault(c, k)
    return out


def place_grid(values: Sequence[RCell], labels: Sequence[RCell], ranges: Sequence[range],
               rules: tuple[str, ...] = ()) -> Placement | None:
    """Place values by grid column; None if the row does not line up with the header (a label
    starting in a value column, a value off the grid or outside every column, two numbers in one
    column; a blank gives way to a number). A value goes to the range holding its first column, or
    else to the one range its columns overlap. ``rules``: the rules that found the header, kept in the placement.

    One loop, on purpose: it runs for every row of every table on a grid.
    """
    slot_of = _slots_of(tuple(ranges))
    if not values or any(lab.col is not None and lab.col in slot_of for lab in labels):
        return None  # no value, or the label starts in a value column: the row is shifted
    cells: list[RCell | None] = [None] * len(ranges)
    for v in values:
        if v.col is None:
            return None
        slot = slot_of.get(v.col)
        if slot is None:
            slot = _grid_slot(v, v.col, slot_of)
        if v.is_blank:  # a blank goes where nothing is, else gives way
            if slot is not None and cells[slot] is None:
                cells[slot] = v
            continue
        held = cells[slot] if slot is not None else None
        if slot is None or not (held is None or held.is_blank):  # a number takes nothing but a blank's place
            return None
        cells[slot] = v
    return Placement(tuple(cells), Fit.GRID, rules=rules)


def _grid_slot(v: RCell, col: int, slot_of: dict[int, int]) -> int | None:
    """The header range a value starting at grid column ``col`` goes to: the one holding that column,
    else (a cell starting left of its header: a wide number right-aligned under a narrow header in
    space-aligned text) the one column range it overlaps; None: none."""
    slot = slot_of.get(col)
    if slot is None and v.col_span > 1:
        under = {slot_of[c] for c in v.cols if c in slot_of}
        slot = under.pop() if len(under) == 1 else None
    return slot
