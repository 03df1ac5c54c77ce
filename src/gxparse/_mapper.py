"""Map a Document onto a report template.

The mapper knows the official form and nothing about file formats. It works
on records (:mod:`gxparse._records`): a label and the value cells after it.

1. **Template.** Decide 2021 or 2019 from the 主动公开 column headers and the
   shape of （六）其他处理.
2. **Rows.** Align the records with the template's rows in order (a
   monotone alignment, like a diff), scoring each pair by how well the
   record's label matches the row's label. Order makes the match robust to
   typos, wrapped labels, missing rows and misnumbered sections.
3. **Columns.** Put each record's values into the template's columns: by
   the grid when the table's header cells line up with the data (HTML,
   PDF, well-formed tables), else in sequence. When a row has fewer or more
   values than the template has columns, every placement is tried and only
   placements the row's own invariant (总计 = 各列之和) allows are kept; if
   they disagree, the row's values are left ``None``. A number is never
   placed on a guess.

The result is a :class:`Mapped`: raw values by path, with provenance, plus
findings about the mapping (label variants, unknown rows, extra cells,
template deviations). Validation and exact repair follow in
:mod:`gxparse._validate`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import lru_cache

import attrs

from ._model import Document, Provenance
from ._normalize import bigrams, core, dice, norm, numbering
from ._records import RCell, Record, build_records, is_value_record
from ._report import Finding
from .form import TEMPLATES, Role, Template
from .form._findings import EXTRA_CELLS, LABEL_VARIANT, TEMPLATE_DEVIATION, UNKNOWN_ROW
from .form import Column as ActiveField
from .form import Row as ActiveItem
from .form import Row as AppRow

__all__ = ["Mapped", "Slot", "map_records"]

SlotState = str  # "given" | "blank" | "unreadable" | "ambiguous" | "absent"


@attrs.define(slots=True)
class Slot:
    """One value of the report as read from the document."""

    value: Decimal | None
    state: SlotState
    raw: str = ""
    provenance: Provenance | None = None
    unit: str | None = None


@attrs.define
class Mapped:
    template: Template
    values: dict[str, Slot]
    tables: set[str]
    present_groups: set[str]
    collapsed_other: bool
    findings: list[Finding]
    procurement_unit: str | None = None
    #: why a row's values could not be placed: row path -> evidence
    row_notes: dict[str, dict] = attrs.field(factory=dict)
    #: ambiguous rows: row path -> the placements (column key -> Slot) the row's invariant allows
    alternatives: dict[str, list[dict[str, Slot]]] = attrs.field(factory=dict)
    #: per table, for ``gxparse inspect``: which record each row was mapped from
    #: (table, template row, the record mapped onto it), for ``gxparse inspect --stage mapping``
    trace: list[tuple[str, str, Record]] = attrs.field(factory=list)


# ---------------------------------------------------------------------------
# label similarity
# ---------------------------------------------------------------------------

_QUOTES = re.compile(r"[\"'“”‘’「」『』]")
_INNER_NUMBERING = re.compile(r"\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、|(?<![\d.])\d{1,2}[.、](?!\d)")


@lru_cache(maxsize=65536)
def _plain(text: str) -> str:
    return _QUOTES.sub("", core(text))


def _sim(a: str, v: str) -> float:
    """Similarity of a record's label ``a`` to a template label ``v`` (both core-normalised)."""
    if not a or not v:
        return 0.0
    if a == v:
        return 1.0
    best = dice(a, v)
    if v in a:
        best = max(best, 0.85 + 0.15 * len(v) / len(a))
    elif a in v and len(a) >= 2:
        best = max(best, 0.45 + 0.45 * len(a) / len(v))
    return best


def _coverage(ctx: str, v: str) -> float:
    bv = bigrams(v)
    if not bv:
        return 0.0
    return len(bv & bigrams(ctx)) / len(bv)


def own_label(rec: Record) -> str:
    """The label of the row itself: its last label cell, or the last two joined when a
    space split the label (``4.无正当理由大量 | 重复申请`` in space-aligned text: two
    cells of one line, the last without a numbering marker, the one before with one)."""
    if len(rec.labels) < 2:
        return rec.rightmost
    prev, last = rec.labels[-2], rec.labels[-1]
    if prev.row != last.row or prev.table != last.table:  # a line of its own: not a split label
        return last.text
    return _own_of(prev.text, last.text)


@lru_cache(maxsize=65536)
def _own_of(prev: str, last: str) -> str:
    if numbering(last) is None and numbering(prev) is not None:
        return prev.strip() + last.strip()
    return last


def _label_score(rec: Record, variants: Sequence[str], threshold: float) -> float:
    joined = "".join(c.text for c in rec.labels) if len(rec.labels) > 1 else ""
    own = own_label(rec)
    if rec.context and numbering(own) is not None:
        # a label starts at its numbering marker: the lines above it are not part of it (a
        # heading, or the label of a row printed without cells: | | 3.要求提供公开出版物 |)
        ctx = "".join(c.text for c in [*rec.labels, *rec.tail]) if rec.tail else ""
    else:
        ctx = rec.wrapped_text if (rec.context or rec.tail) else ""
    return _text_score(own, joined, ctx, tuple(variants), threshold)


@lru_cache(maxsize=262144)
def _text_score(rightmost: str, joined: str, ctx: str, variants: tuple[str, ...], threshold: float) -> float:
    """Score of a record's label (own cell, all label cells, with wrapped lines) against a row's labels.

    Cached: across a corpus the same labels recur in nearly every report.
    """
    own = _plain(rightmost)
    score = max(_sim(own, v) for v in variants)
    if score < 1.0 and joined:
        j = _plain(joined)
        score = max(score, 0.95 * max(_sim(j, v) for v in variants))
    if score < 0.9 and ctx:
        c = _plain(ctx)
        if c in variants:  # a short label wrapped whole: （七）总 / 计
            return 0.95
        long_variants = [v for v in variants if len(v) >= 3]
        cov = max((_coverage(c, v) for v in long_variants), default=0.0)
        score = max(score, 0.9 * cov if cov >= 0.75 else 0.0)
    return score if score >= threshold else 0.0


def _exact_index(variants: Sequence[Sequence[str]]) -> dict[str, int]:
    """Label → row for labels that name exactly one row."""
    seen: dict[str, set[int]] = {}
    for j, vs in enumerate(variants):
        for v in vs:
            seen.setdefault(v, set()).add(j)
    return {v: next(iter(js)) for v, js in seen.items() if len(js) == 1}


def _variant_text(rec: Record, official: str, ancestors: Sequence[str]) -> str | None:
    """The record's label as printed when it deviates from ``official``, else None.

    Like :func:`_is_variant`; when the row's own cell is only the end of a label
    wrapped before its numbers (请 after 4.无正当理由大量重复申), the lines just above are
    joined to it, so that a typo in the part above is still seen.
    """
    own = own_label(rec)
    plain_own, off = _plain(own), _plain(official)
    if not (rec.context and plain_own != off and plain_own in off):
        return own.strip() if _is_variant(rec, official, ancestors) else None
    want = _strip_ancestors(off, ())
    for k in range(1, min(8, len(rec.context)) + 1):
        whole = "".join(c.text.strip() for c in rec.context[-k:]) + own.strip()
        w = _plain(whole)
        stripped = _strip_ancestors(w, ancestors)
        if off in w or stripped == want or stripped.endswith(want):
            return None
        if stripped in want:  # still a fragment: take one more line
            continue
        if len(stripped) >= len(want) - 1 and dice(stripped, want) >= 0.7:
            return whole
    return None


def _is_variant(rec: Record, official: str, ancestors: Sequence[str]) -> bool:
    """True when the record's own label deviates from the official one.

    A label that is the official one with its group's label or numbering in
    front, or a fragment of it (a label wrapped over several lines), is not
    a variant; a label with characters the official one lacks or misorders is.
    """
    own = _plain(own_label(rec))
    off = _plain(official)
    if own == off or off in own and _strip_ancestors(own.replace(off, ""), ancestors) == "":
        return False
    if own in off:  # a fragment of a wrapped label
        return False
    stripped = _strip_ancestors(own, ancestors)
    return stripped != off and not (stripped and stripped in off)


@lru_cache(maxsize=4096)
def _deviant_headers(run: tuple[str, ...], labels: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """``(field key, text, shown)`` for each official header (``labels``: key and plain
    label) that a run of header cells, or part of it, spells deviantly; the best match
    per field. Cached: the same header lines recur in nearly every report."""
    best: dict[str, tuple[float, str, str]] = {}
    for i in range(len(run)):
        for j in range(i + 1, min(len(run), i + 4) + 1):
            txt = _plain("".join(run[i:j]))
            if not 3 <= len(txt) <= 16:
                continue
            for key, off in labels:
                # a deviant spelling, not a fragment or an extension of the official header
                if len(off) < 5 or txt in off or off in txt:
                    continue
                score = dice(txt, off)
                if score >= 0.6 and score > best.get(key, (0.0, "", ""))[0]:
                    best[key] = (score, txt, "".join(t.strip() for t in run[i:j]))
    return tuple((key, txt, shown) for key, (_, txt, shown) in best.items())


def _unofficial_runs(cells: Sequence[RCell], official: set[str]) -> list[list[RCell]]:
    """Runs of adjacent header cells of one line that do not spell an official header.

    In space-aligned text a space inside a header splits it into cells (上一 | 年项目数量,
    现行有 | 效件数): runs of up to four cells that join into an official header are taken
    out first, longest first, so that their pieces are not read as other headers.
    """
    n = len(cells)
    taken = [False] * n
    k = 0
    while k < n:
        for m in range(min(n, k + 4), k, -1):
            if all(cells[x].row == cells[k].row for x in range(k, m)) and _plain("".join(c.text for c in cells[k:m])) in official:
                for x in range(k, m):
                    taken[x] = True
                k = m
                break
        else:
            k += 1
    runs: list[list[RCell]] = []
    for k, c in enumerate(cells):
        if taken[k]:
            continue
        if runs and not taken[k - 1] and k > 0 and cells[k - 1].row == c.row and runs[-1][-1] is cells[k - 1]:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _strip_ancestors(text: str, ancestors: Sequence[str]) -> str:
    for a in ancestors:
        if a:
            text = text.replace(a, "")
    return _INNER_NUMBERING.sub("", text).strip("()、.,:")


def _align(records: Sequence[Record], n_rows: int, score: Callable[[Record, int], float],
           exact: dict[str, int] | None = None) -> dict[int, Record]:
    """Monotone alignment of records to template rows maximising the total score.

    ``exact`` maps a record's own label (``_plain`` form) to the one row it
    names exactly; such a record is scored against that row only.
    """
    n = len(records)
    if n == 0 or n_rows == 0:
        return {}
    s = []
    for rec in records:
        j = exact.get(_plain(own_label(rec))) if exact else None
        if j is not None:
            row = [0.0] * n_rows
            row[j] = 1.0
            s.append(row)
        else:
            s.append([score(rec, j) for j in range(n_rows)])
    best = [[0.0] * (n_rows + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        si = s[i - 1]
        bi, bp = best[i], best[i - 1]
        for j in range(1, n_rows + 1):
            v = max(bp[j], bi[j - 1])
            if si[j - 1] > 0:
                d = bp[j - 1] + si[j - 1]
                v = max(v, d)
            bi[j] = v
    out: dict[int, Record] = {}
    i, j = n, n_rows
    while i > 0 and j > 0:
        sc = s[i - 1][j - 1]
        if sc > 0 and abs(best[i][j] - (best[i - 1][j - 1] + sc)) < 1e-9:
            out[j - 1] = records[i - 1]
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return out


# ---------------------------------------------------------------------------
# template detection
# ---------------------------------------------------------------------------

def detect_template(records: Sequence[Record]) -> tuple[Template, dict]:
    ordered: list[str] = []
    for rec in records:
        ordered.extend(norm(c.text) for c in [*rec.context, *rec.labels, *rec.tail])
    texts = set(ordered)
    # each label cell on its own, and all of them run together: a header word broken
    # over lines or cells (本年新制 / 作数量) is found across the break
    blob = "\u0001".join(ordered) + "\u0001" + "".join(ordered)
    hits = {tid: sum(1 for mark in t.header_words if norm(mark) in blob) for tid, t in TEMPLATES.items()}
    sub_items = [r for r in TEMPLATES["2021"].group_items("results.other") if r.key != "results.other.other"]
    other_shape = sum(1 for r in sub_items if any(_sim(_plain(t), _plain(r.item)) >= 0.8 for t in texts))
    evidence = {"active_headers": hits, "other_sub_items": other_shape}
    if hits["2021"] > hits["2019"]:
        return TEMPLATES["2021"], evidence
    if hits["2019"] > hits["2021"]:
        return TEMPLATES["2019"], evidence
    if other_shape:
        return TEMPLATES["2021"], evidence
    evidence["undecided"] = True
    return TEMPLATES["2021"], evidence


# ---------------------------------------------------------------------------
# column assignment
# ---------------------------------------------------------------------------

@attrs.define
class Placement:
    cells: list[RCell | None]
    note: str = ""  # "", "grid", "short", "extra", "ambiguous", "unplaceable"
    dropped: list[RCell] = attrs.field(factory=list)
    why: str = ""  # "subtotal" when the dropped value is a 法人或其他组织 小计
    #: for an ambiguous row: the placements its own invariant allows
    alternatives: list[list[RCell | None]] = attrs.field(factory=list)


def _num(c: RCell | None) -> Decimal | None:
    return c.value.number if c is not None and c.value.kind == "number" else None


@attrs.frozen
class RowRule:
    """The invariant of one row of values: groups of ``(member columns, total column)``.

    ``check`` tells whether known values can be completed consistently
    (unknowns being counts >= 0); ``complete`` fills what the groups determine.
    """

    groups: tuple[tuple[tuple[int, ...], int], ...]

    @classmethod
    def total_last(cls, k: int, groups: int = 1) -> RowRule:
        size = k // groups
        return cls(tuple((tuple(range(g * size, g * size + size - 1)), g * size + size - 1) for g in range(groups)))

    def check(self, vals: Sequence[Decimal | None]) -> bool:
        for members, total_i in self.groups:
            total = vals[total_i]
            known = known_sum(vals[m] for m in members)
            unknown = sum(1 for m in members if vals[m] is None)
            if total is None:
                continue
            if (known > total) if unknown else (known != total):
                return False
        return True

    def complete(self, vals: Sequence[Decimal | None]) -> tuple[Decimal | None, ...]:
        out = list(vals)
        for members, total_i in self.groups:
            total = out[total_i]
            unknown = [m for m in members if out[m] is None]
            known = known_sum(out[m] for m in members)
            if total is None and not unknown:
                out[total_i] = known
            elif total is not None and len(unknown) == 1:
                out[unknown[0]] = total - known
            elif total is not None and unknown and known == total:
                for m in unknown:
                    out[m] = Decimal(0)
        return tuple(out)


def _trims(tokens: list[RCell], k: int) -> list[list[RCell]]:
    """The ways of dropping surplus blank tokens from the two ends of a row.

    A row may carry more cells than the template has columns because of
    merged-cell placeholders before the values or empty cells after them;
    which of the blanks are such padding and which is a blank value cannot
    be told from the blanks themselves. Every split of the surplus between
    the leading and the trailing blank run is returned; when the blanks
    cannot absorb the surplus, all of them are dropped (one way).
    """
    n = len(tokens)
    surplus = n - k
    if surplus <= 0:
        return [list(tokens)]
    lead = next((i for i, t in enumerate(tokens) if not t.is_blank), n)
    trail = next((i for i, t in enumerate(reversed(tokens)) if not t.is_blank), n)
    if lead == n:  # nothing but blanks
        return [list(tokens[:k])]
    ways = [tokens[a:n - (surplus - a)] for a in range(min(lead, surplus) + 1) if surplus - a <= trail]
    return ways or [list(tokens[lead:n - trail])]


#: At most this many missing or extra values are placed by trying every placement.
MAX_PLACEMENT_GAP = 3


def place_sequential(tokens: list[RCell], k: int, rule: RowRule | None,
                     subtotal: tuple[int, int, int] | None = None) -> Placement:
    """Place a row's value tokens into ``k`` columns in order.

    With as many tokens as columns, token ``i`` goes to column ``i``. With
    fewer or more, every placement (which columns are missing; which token
    is extra) is tried; only placements that the row's invariant ``rule``
    allows are kept, and they must all complete to the same values, else
    nothing is placed. Without a rule, only the exact case is placed.

    ``subtotal``: ``(position, first, last)`` of an optional extra 小计
    token that equals the sum of the remaining tokens ``first..last``.
    """
    ways = _trims(tokens, k)
    options: list[tuple[tuple[int, ...], list[RCell | None], tuple[Decimal | None, ...]]]
    if len(ways) > 1:  # exactly k tokens, in several ways: the row's invariant must choose
        options = []
        for way in ways:
            vals = [_num(c) for c in way]
            if rule is None or rule.check(vals):
                options.append(((), list[RCell | None](way), rule.complete(vals) if rule else tuple(vals)))
        if not options:  # the row breaks its invariant whichever blanks are padding
            options = [((), list[RCell | None](way), tuple(_num(c) for c in way)) for way in ways]
        return _choose(options, k, "")
    tokens = ways[0]
    n = len(tokens)
    if n == k:
        return Placement(list(tokens))
    if rule is None or abs(n - k) > MAX_PLACEMENT_GAP:
        return Placement([None] * k, "unplaceable" if n < k else "extra")
    if n < k:
        options = []
        for filled in itertools.combinations(range(k), n):
            cells: list[RCell | None] = [None] * k
            for slot, tok in zip(filled, tokens):
                cells[slot] = tok
            vals = [_num(c) for c in cells]
            if rule.check(vals):
                missing = tuple(sorted(set(range(k)) - set(filled), reverse=True))
                options.append((missing, cells, rule.complete(vals)))
        return _choose(options, k, "short")
    if subtotal is not None and n == k + 1:
        pos, first, last = subtotal
        rest = tokens[:pos] + tokens[pos + 1:]
        sub = _num(tokens[pos])
        parts = [_num(t) for t in rest[first:last + 1]]
        if sub is not None and None not in parts and known_sum(parts) == sub \
                and rule.check([_num(c) for c in rest]):
            return Placement(list(rest), "extra", [tokens[pos]], "subtotal")
    extra: list[tuple[list[RCell], tuple[Decimal | None, ...], list[RCell]]] = []
    for drop in itertools.combinations(range(n), n - k):
        if any(tokens[d].value.kind != "number" for d in drop):
            continue
        rest = [t for i, t in enumerate(tokens) if i not in drop]
        vals = [_num(c) for c in rest]
        if rule.check(vals):
            extra.append((rest, rule.complete(vals), [tokens[d] for d in drop]))
    if extra and len({o[1] for o in extra}) == 1:
        return Placement(list(extra[0][0]), "extra", extra[0][2])
    return Placement([None] * k, "extra")


def known_sum(values: Iterable[Decimal | None]) -> Decimal:
    """The sum of the known values (None are skipped)."""
    total = _ZERO
    for v in values:
        if v is not None:
            total += v
    return total


_ZERO = Decimal(0)


def _choose(options: list, k: int, note: str) -> Placement:
    if not options:
        return Placement([None] * k, "unplaceable")
    options.sort(key=lambda o: o[0], reverse=True)
    if len({o[2] for o in options}) == 1:
        return Placement(list(options[0][1]), note)
    distinct: dict[tuple[Decimal | None, ...], list[RCell | None]] = {}
    for o in options:
        distinct.setdefault(o[2], o[1])
    return Placement([None] * k, "ambiguous", alternatives=list(distinct.values()))


def header_slots(records: Sequence[Record], table: int, upto: int,
                 slots: Sequence[Sequence[str]]) -> list[range] | None:
    """Grid column ranges of the header cells naming each slot, if the header is complete.

    Looks at label cells of ``table`` in records before index ``upto``. Each
    entry of ``slots`` lists accepted labels of one slot (core-normalised).
    Returns ranges in slot order, or None unless every slot is found once,
    the ranges are disjoint and increase left to right.
    """
    cells: list[RCell] = []
    for rec in records:
        if rec.index >= upto:
            break
        if rec.table != table:
            continue
        cells.extend(c for c in [*rec.labels, *rec.context, *rec.tail] if c.grid and c.col is not None)
    whole = [(_plain(c.text), c.cols) for c in cells]
    found = _match_slots(whole, slots)
    if found is None:
        # A header word broken over header rows (自然 / 人, 总 / 计): the cells that
        # cover exactly the same grid columns, read top to bottom, make one label.
        stacked: dict[tuple[int, int], list[str]] = {}
        for c in cells:
            stacked.setdefault((c.cols.start, c.cols.stop), []).append(c.text)
        # (Only runs of cells: a spanning cell above, 申请人情况, may have been
        # written into the column's first position.)
        joined = [(_plain("".join(texts[i:j])), range(*key))
                  for key, texts in stacked.items()
                  for i in range(len(texts)) for j in range(i + 2, len(texts) + 1)]
        if joined:
            found = _match_slots(joined + whole, slots)
    return found


def _match_slots(cells: Sequence[tuple[str, range]], slots: Sequence[Sequence[str]]) -> list[range] | None:
    found: list[range] = []
    used: set[int] = set()
    for names in slots:
        match = next((k for k, (text, _) in enumerate(cells) if k not in used and text in names), None)
        if match is None:
            return None
        used.add(match)
        found.append(cells[match][1])
    for a, b in zip(found, found[1:]):
        if a.stop > b.start:
            return None
    return found


def header_slots_repeated(records: Sequence[Record], table: int, upto: int,
                          names: Sequence[str], repeat: int) -> list[range] | None:
    """Like :func:`header_slots` for a header whose labels repeat (行政复议/诉讼 groups)."""
    cells = []
    for rec in records:
        if rec.index >= upto:
            break
        if rec.table != table:
            continue
        for c in [*rec.labels, *rec.context, *rec.tail]:
            if c.grid and c.col is not None and _plain(c.text) in names:
                cells.append(c)
    cells.sort(key=lambda c: c.col or 0)  # all grid cells: col is set
    if len(cells) != len(names) * repeat:
        return None
    ranges = [c.cols for c in cells]
    for a, b in zip(ranges, ranges[1:]):
        if a.stop > b.start:
            return None
    order = [_plain(c.text) for c in cells]
    if order != list(names) * repeat:
        return None
    return ranges


@lru_cache(maxsize=64)
def _slots_of(ranges: tuple[range, ...]) -> dict[int, int]:
    """Grid column -> index of the header range holding it (the first, if ranges overlap)."""
    out: dict[int, int] = {}
    for k, rng in enumerate(ranges):
        for c in rng:
            out.setdefault(c, k)
    return out


def place_grid(values: Sequence[RCell], labels: Sequence[RCell], ranges: Sequence[range]) -> Placement | None:
    """Place values by grid column; None if the row does not line up with the header."""
    slot_of = _slots_of(tuple(ranges))
    for lab in labels:
        if lab.col is not None and any(col in slot_of for col in lab.cols):
            return None  # the label sits in a value column: the row is shifted
    cells: list[RCell | None] = [None] * len(ranges)
    for v in values:
        if v.col is None:
            return None
        slot = slot_of.get(v.col)
        if slot is None:
            if v.is_blank:
                continue
            return None
        if cells[slot] is not None:
            if v.is_blank:
                continue
            if cells[slot].is_blank:  # type: ignore[union-attr]
                cells[slot] = v
                continue
            return None
        cells[slot] = v
    if not any(c is not None and not c.is_blank for c in cells) and not values:
        return None
    return Placement(cells, "grid")


# ---------------------------------------------------------------------------
# the mapper
# ---------------------------------------------------------------------------

#: how the review table is named in a message about it as a whole
_REVIEW_TABLE = "行政复议、行政诉讼表"
_REVIEW_ANCHOR = re.compile(r"行政复议|复议后起诉")
_APP_ANCHOR = ("申请人情况", "自然人", "勾稽关系", "本年新收")
_SECTION_END = re.compile(r"^(?:[五六七八]、|存在的主要问题|其他需要报告|主要问题)")


class _Mapper:
    def __init__(self, doc: Document, records: list[Record], template: Template, evidence: dict) -> None:
        self.doc = doc
        self.records = records
        self.t = template
        self.evidence = evidence
        self.values: dict[str, Slot] = {}
        self.findings: list[Finding] = []
        self.tables: set[str] = set()
        self.present_groups: set[str] = set()
        self.collapsed_other = False
        self.procurement_unit: str | None = None
        self.trace: list[tuple[str, str, Record]] = []
        self.row_notes: dict[str, dict] = {}
        self.alternatives: dict[str, list[dict[str, Slot]]] = {}
        self._header_cache: dict[tuple, list[range] | None] = {}
        self.value_records = [r for r in records if is_value_record(r) and r.labels]

    # -- helpers ----------------------------------------------------------
    @staticmethod
    def _slot(cell: RCell | None, absent_state: str = "absent") -> Slot:
        if cell is None:
            return Slot(None, absent_state)
        if cell.value.kind == "number":
            return Slot(cell.value.number, "given", cell.text, cell.provenance, cell.value.unit)
        if cell.value.kind == "blank":
            return Slot(None, "blank", cell.text, cell.provenance)
        return Slot(None, "unreadable", cell.text, cell.provenance)

    def put(self, path: str, cell: RCell | None, *, absent_state: str = "absent") -> None:
        self.values[path] = self._slot(cell, absent_state)

    # -- active disclosure ------------------------------------------------
    def map_active(self) -> int:
        items = self.t.active_items
        variants = [[_plain(v) for v in (it.label, *it.aliases)] for it in items]
        most = max(len(it.fields) for it in items) + 1  # an applications row (7 numbers) is not an item row
        candidates = [r for r in self.value_records
                      if len(r.numbers) <= most and not self._mentions_review(r)]

        def score_text(own: str, j: int) -> float:
            best = max((1.0 if own == v else (0.9 if own.endswith(v) and len(v) >= 4 else 0.0)) for v in variants[j])
            if best == 0.0:
                best = max(dice(own, v) for v in variants[j])
                best = best if best >= 0.75 else 0.0
            return best

        def score(rec: Record, j: int) -> float:
            return max(score_text(own, j) for own in self._item_labels(rec))

        matches = _align(candidates, len(items), score, _exact_index(variants))
        last = -1
        for j, item in enumerate(items):
            rec = matches.get(j)
            if rec is None:
                continue
            self.tables.add("active_disclosure")
            last = max(last, rec.index)
            self._map_active_item(item, rec)
            texts = self._item_labels(rec)
            own = max(texts, key=lambda text: score_text(text, j))
            if _plain(item.label) not in texts:
                found = rec.rightmost.strip() if own == _plain(rec.rightmost) else own
                self.findings.append(LABEL_VARIANT.make(f"active_disclosure/{item.key}", "row", {
                    "found": found, "official": item.label, **self._where(rec)}))
        if "active_disclosure" in self.tables:
            self._active_header_variants({rec.table for rec in matches.values()})
        return last

    def _item_labels(self, rec: Record) -> list[str]:
        """The texts a 主动公开 row's label may be: its last label cell, all its label
        cells joined, and the last cell joined to the label-only lines just above it
        (a label wrapped before its numbers, one cell per line: 规范性文 / 件)."""
        texts = [_plain(rec.rightmost)]
        if len(rec.labels) > 1:
            # a space inside the label split it into cells (行政　处罚 in space-aligned text)
            texts.append(_plain("".join(c.text for c in rec.labels)))
        joined = rec.rightmost
        k = rec.index - 1
        while k >= 0 and len(texts) < 4:
            prev = self.records[k]
            if prev.table != rec.table or is_value_record(prev) or len(prev.labels) != 1:
                break
            joined = prev.labels[0].text + joined
            texts.append(_plain(joined))
            k -= 1
        return texts

    def _item_header(self, rec: Record, names: list[list[str]]) -> list[range] | None:
        """Header columns from the header block just above a 主动公开 row.

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
            prev = self.records[k]
            if prev.table != rec.table:
                break
            if prev.has_numbers:
                if seen_header:
                    break
            else:
                seen_header = True
            window.append(prev)
            k -= 1
        if not seen_header:
            return None
        window.reverse()
        return header_slots([*window, rec], rec.table, rec.index + 1, names)

    def _map_active_item(self, item: ActiveItem, rec: Record) -> None:
        k = len(item.fields)
        placement = None
        names = [[_plain(f.label), *(_plain(a) for a in f.aliases)] for f in item.fields]
        ranges = None
        if rec.values and rec.values[0].grid:
            ranges = self._item_header(rec, names) or self._header(rec, names)
        if ranges is not None:
            placement = place_grid(rec.values, rec.labels, ranges)
        if placement is None:
            placement = place_sequential(list(rec.values), k, None)
        self.trace.append(("active_disclosure", item.key, rec))
        for f, cell in zip(item.fields, placement.cells):
            path = f"active_disclosure/{item.key}/{f.key}"
            self.put(path, cell, absent_state="unplaceable" if placement.note in ("unplaceable", "extra") else "absent")
            if item.key == "procurement" and f.key == "amount" and cell is not None and cell.value.unit:
                self.procurement_unit = cell.value.unit
        if item.key == "procurement" and self.procurement_unit is None:
            # the amount's place in the row is unknown, but only the amount is written in 元
            money = {v.value.unit for v in rec.values if v.value.unit in ("元", "万元")}
            if len(money) == 1:
                self.procurement_unit = money.pop()
        if placement.note == "extra":
            self.findings.append(EXTRA_CELLS.make(
                f"active_disclosure/{item.key}", "item", {"values": [v.text for v in rec.values], **self._where(rec)},
                label=item.label, n=len([v for v in rec.values if not v.is_blank]), k=k))
        elif placement.note == "unplaceable":
            self.row_notes[f"active_disclosure/{item.key}"] = {
                "reason": f"一行只有 {len([v for v in rec.values if not v.is_blank])} 个数值，模板有 {k} 列，无法确定缺了哪一列",
                "values": [v.text for v in rec.values], **self._where(rec)}

    def _active_header_variants(self, tables: set[int]) -> None:
        """label-variant for deviant field headers (本年度止件数 → 本年废止件数) in the active tables."""
        fields: dict[str, ActiveField] = {}
        for item in self.t.active_items:
            for f in item.fields:
                fields.setdefault(f.key, f)
        official = {_plain(f.label) for f in fields.values()}
        labels = tuple((f.key, _plain(f.label)) for f in fields.values())
        seen: set[str] = set()
        for rec in self.records:
            if rec.table not in tables or rec.has_numbers:
                continue
            for run in _unofficial_runs(rec.labels, official):
                best = _deviant_headers(tuple(c.text for c in run), labels)
                for key, txt, shown in best:
                    if txt in seen:
                        continue
                    seen.add(txt)
                    f = fields[key]
                    self.findings.append(LABEL_VARIANT.make(f"active_disclosure/*/{f.key}", "header", {
                        "found": shown, "official": f.label, **self._where(rec)}))

    # -- applications -----------------------------------------------------------
    def _mentions_review(self, rec: Record) -> bool:
        return any(_REVIEW_ANCHOR.search(norm(c.text)) for c in rec.labels)

    def map_applications(self, after: int) -> int:
        t = self.t
        rows = [r for r in t.app_rows if r.role is not Role.HEADING]
        start = self._app_start(after)
        rev = self._review_start(start)
        stop = rev if rev is not None else len(self.records) + 1
        cands = [r for r in self.value_records if start <= r.index < stop]
        variants = [tuple(_plain(v) for v in row.variants) for row in rows]

        def score(rec: Record, j: int) -> float:
            return _label_score(rec, variants[j], 0.5)

        matches = _align(cands, len(rows), score, _exact_index(variants))
        if not matches:
            return start
        self.tables.add("applications")
        matched_ids = {id(r) for r in matches.values()}
        col_names = [[_plain(c.label), *(_plain(a) for a in c.aliases)] for c in t.app_columns]
        cols = t.app_columns
        total_index = len(cols) - 1
        bare = self._bare_rows(rows, variants, matches, start, stop)
        by_key = {rows[j].key: rec for j, rec in [*matches.items(), *bare.items()]}
        # （六）其他处理: collapsed into one row on a 2021 form?
        other_items = [r.key for r in t.group_items("results.other")]
        if other_items and "results.other" in by_key and not any(k in by_key for k in other_items):
            self.collapsed_other = True
            self.findings.append(TEMPLATE_DEVIATION.make("applications/results.other", "collapsed", {
                "template": t.id, **self._where(by_key["results.other"])}))
        for j, row in enumerate(rows):
            rec = matches.get(j)
            if rec is None:
                rec = bare.get(j)
                if rec is None:
                    continue
                # a row printed as its label alone: its values stay absent (derived or null)
                if row.role is Role.GROUP_TOTAL and self.collapsed_other:  # （六）其他处理 collapsed, left blank
                    self.present_groups.add(row.key)
                self.trace.append(("applications", row.key, rec))
            else:
                if row.role is Role.GROUP_TOTAL:
                    self.present_groups.add(row.key)
                self._place_app_row(row, rec, col_names, total_index)
            ancestors = []
            if row.group:
                parent = t.app_row(row.group)
                ancestors.append(_plain(parent.item))
                if parent.group:
                    ancestors.append(_plain(t.app_row(parent.group).item))
            found = _variant_text(rec, row.item, ancestors)
            if found is not None:
                self.findings.append(LABEL_VARIANT.make(f"applications/{row.key}", "row", {
                    "found": found, "official": row.label, **self._where(rec)}))
        for rec in cands:
            if id(rec) not in matched_ids and rec.has_numbers:
                self.findings.append(UNKNOWN_ROW.make("applications/?", "row", {
                    "label": rec.label_text.strip(), "values": [v.text for v in rec.values], **self._where(rec)}))
        return max(r.index for r in matches.values())

    def _bare_rows(self, rows: Sequence[AppRow], variants: Sequence[tuple[str, ...]], matches: dict[int, Record],
                   start: int, stop: int) -> dict[int, Record]:
        """Rows printed as their label alone, every cell empty and dropped (a ragged
        markdown row, a line of space-aligned text), for the rows left unmatched.

        Only a label-only record whose own label names one leaf row best (or （六）其他处理,
        which a 2021 report may print collapsed), lying between the rows matched on
        either side of it. Such a row adds no values (they stay absent: derived or
        null); it is seen so that its label-variant and a collapsed （六） are reported.
        """
        order = sorted(matches.items())
        other_items = {r.key for r in self.t.group_items("results.other")}
        # （六）其他处理 alone may stand for a collapsed row: it has items, and none was matched
        collapsible = bool(other_items) and not any(rows[j].key in other_items for j in matches)
        found: dict[int, Record] = {}
        for rec in self.records[max(start, 0):min(stop, len(self.records))]:
            if is_value_record(rec) or not rec.labels:
                continue
            own = _plain(own_label(rec))
            if not own:
                continue
            # whole-label similarity only: a fragment (重复申请 in 大量重复申请) names no row
            scores = sorted(((max(1.0 if own == v else dice(own, v) for v in vs), j)
                             for j, vs in enumerate(variants)), reverse=True)
            (best, j), second = scores[0], scores[1][0] if len(scores) > 1 else 0.0
            row = rows[j]
            if best < 0.6 or best - second < 0.1 or j in matches or j in found:
                continue
            if row.role is not Role.ITEM and not (row.key == "results.other" and collapsible):
                continue
            before = [r.index for k, r in order if k < j]
            after = [r.index for k, r in order if k > j]
            if not before or before[-1] >= rec.index or (after and after[0] <= rec.index):
                continue
            found[j] = rec
        return found

    def _app_start(self, after: int) -> int:
        for rec in self.records:
            if rec.index <= after:
                continue
            if any(a in norm(c.text) for c in rec.labels for a in _APP_ANCHOR):
                return rec.index
        return after + 1

    def _review_start(self, start: int) -> int | None:
        seen_numbers = False
        for rec in self.records:
            if rec.index < start:
                continue
            if rec.has_numbers:
                seen_numbers = True
            if seen_numbers and any(_REVIEW_ANCHOR.search(norm(c.text)) for c in [*rec.labels, *rec.context]):
                return rec.index
        return None

    def _place_app_row(self, row: AppRow, rec: Record, col_names: list[list[str]], total_index: int) -> None:
        k = len(col_names)
        placement = None
        if rec.values and rec.values[0].grid:
            ranges = self._header(rec, col_names)
            if ranges is None:
                # A header with every column but 总计 (cut off the page, or never printed): place
                # by the grid, and leave 总计 to the row's own total (an empty range holds nothing).
                ranges = self._header(rec, col_names[:-1])
                if ranges is not None:
                    ranges = [*ranges, range(0)]
            if ranges is not None:
                placement = place_grid(rec.values, rec.labels, ranges)
        if placement is None:
            placement = place_sequential(list(rec.values), k, RowRule.total_last(k), subtotal=(1, 1, 5))
        self.trace.append(("applications", row.key, rec))
        state = {"ambiguous": "ambiguous", "unplaceable": "unplaceable", "extra": "unplaceable"}.get(placement.note,
                                                                                                      "absent")
        for col, cell in zip(self.t.app_columns, placement.cells):
            self.put(f"applications/{row.key}/{col.key}", cell, absent_state=state)
        values_txt = [v.text for v in rec.values]
        if placement.note == "extra":
            if placement.dropped:
                self.findings.append(EXTRA_CELLS.make(
                    f"applications/{row.key}", "subtotal" if placement.why == "subtotal" else "dropped",
                    {"values": values_txt, "dropped": [d.text for d in placement.dropped], **self._where(rec)},
                    label=row.label, n=k + 1, first=placement.dropped[0].text.strip()))
            else:
                self.findings.append(EXTRA_CELLS.make(f"applications/{row.key}", "row",
                                                      {"values": values_txt, **self._where(rec)}, label=row.label))
        elif placement.note == "ambiguous":
            self.alternatives[f"applications/{row.key}"] = [
                {col.key: self._slot(cell) for col, cell in zip(self.t.app_columns, alt)}
                for alt in placement.alternatives]
            self.row_notes[f"applications/{row.key}"] = {
                "reason": "一行少了数值，几种放法都与本行总计相符，无法确定缺的是哪一列",
                "values": values_txt, **self._where(rec)}
        elif placement.note == "unplaceable":
            self.row_notes[f"applications/{row.key}"] = {
                "reason": "一行少了数值，没有一种放法与本行总计相符",
                "values": values_txt, **self._where(rec)}

    # -- reviews ----------------------------------------------------------------
    def map_reviews(self, after: int) -> None:
        t = self.t
        start = self._review_start(max(after, 0))
        if start is None:
            start = next((r.index for r in self.records if r.index > after and self._mentions_review(r)), None)
        if start is None:
            return
        tokens: list[RCell] = []
        first_rec: Record | None = None
        numbers = 0
        grid_rec: Record | None = None
        for rec in self.records[start:]:
            if numbers and not rec.values and any(_SECTION_END.match(_plain(c.text)) or len(norm(c.text)) > 40
                                                  for c in rec.labels):
                break
            if not rec.values:
                continue
            if not rec.has_numbers and numbers == 0:
                continue
            if first_rec is None:
                first_rec = rec
            if grid_rec is None and rec.has_numbers and rec.values[0].grid:
                grid_rec = rec
            tokens.extend(rec.values)
            numbers = sum(1 for v in tokens if v.is_number)
            if numbers >= 15:
                break
        if first_rec is None:
            return
        self.tables.add("reviews_and_litigation")
        k = len(t.review_groups) * len(t.review_columns)
        placement = None
        if grid_rec is not None:
            names = [_plain(c.label) for c in t.review_columns]
            ranges = header_slots_repeated(self.records, grid_rec.table, grid_rec.index, names, len(t.review_groups))
            if ranges is not None:
                placement = place_grid(grid_rec.values, grid_rec.labels, ranges)
        if placement is None:
            placement = place_sequential(tokens, k, RowRule.total_last(k, len(t.review_groups)))
        self.trace.append(("reviews_and_litigation", "*", first_rec))
        cells = iter(placement.cells)
        failed = placement.note in ("extra", "unplaceable", "ambiguous") and not placement.dropped
        state = placement.note if failed else "absent"
        for g in t.review_groups:
            for c in t.review_columns:
                self.put(f"reviews_and_litigation/{g.key}/{c.key}", next(cells), absent_state=state)
        n = sum(1 for v in tokens if not v.is_blank)
        if placement.dropped:
            self.findings.append(EXTRA_CELLS.make(
                "reviews_and_litigation", "table-dropped",
                {"values": [v.text for v in tokens], "dropped": [d.text for d in placement.dropped],
                 **self._where(first_rec)},
                label=_REVIEW_TABLE, n=n, m=len(placement.dropped),
                shown="、".join(d.text.strip() for d in placement.dropped)))
        if failed:
            if placement.note == "extra":
                self.findings.append(EXTRA_CELLS.make(
                    "reviews_and_litigation", "table", {"values": [v.text for v in tokens], **self._where(first_rec)},
                    label=_REVIEW_TABLE, n=n, k=k))
            for g in t.review_groups:
                self.row_notes[f"reviews_and_litigation/{g.key}"] = {
                    "reason": f"表中有 {n} 个数值，模板有 {k} 列，无法确定对应关系",
                    "values": [v.text for v in tokens], **self._where(first_rec)}

    # -- misc -------------------------------------------------------------------
    def _header(self, rec: Record, names: list[list[str]]) -> list[range] | None:
        """Header column ranges for ``rec``'s table, from the label cells above its first data row."""
        key = (rec.table, tuple(map(tuple, names)))
        if key not in self._header_cache:
            # the header ends at the first row with a number: a row of blank cells above it
            # is a caption or a header row padded with empty cells, not data
            first = next((r.index for r in self.records if r.table == rec.table and r.has_numbers), rec.index)
            self._header_cache[key] = header_slots(self.records, rec.table, max(first, 0) + 1, names)
        return self._header_cache[key]

    @staticmethod
    def _where(rec: Record) -> dict:
        prov = rec.provenance()
        return {"source_location": prov.describe()} if prov is not None else {}


def map_records(doc: Document, records: list[Record] | None = None, template: str | None = None) -> Mapped:
    """Map a document's records onto a template (detected unless given)."""
    if records is None:
        records = build_records(doc)
    if template is None:
        tmpl, evidence = detect_template(records)
    else:
        tmpl, evidence = TEMPLATES[template], {"forced": template}
    m = _Mapper(doc, records, tmpl, evidence)
    last_active = m.map_active()
    last_app = m.map_applications(last_active)
    m.map_reviews(last_app if "applications" in m.tables else last_active)
    return Mapped(tmpl, m.values, m.tables, m.present_groups, m.collapsed_other, m.findings,
                  m.procurement_unit, m.row_notes, m.alternatives, m.trace)
