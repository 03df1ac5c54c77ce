"""Tables a crawler flattened into running text, cells glued together.

Some text exports of report pages run a whole table into one paragraph with
no separator between cells::

    …一、本年新收政府信息公开申请数量713000074二、上年结转政府信息公开申请数量1000001…

Here ``713000074`` is the seven cells 71, 3, 0, 0, 0, 0, 74. This module (on
the mapper's side of the wall: it knows the form's labels) finds the
report's row labels in such a paragraph and splits the digits between them
into the row's cells. Whitespace in the digits is a sure cell boundary; a
digit run is split every way that gives the row its number of cells without
leading zeros, a sign only where the form allows a negative number (本年增/减:
``行政事业性收费35-15`` is 35 and −15, never 3 and 5) and decimals only where it
allows money; a split is kept only if the row's own invariant (总计 = 各列之和)
allows it. A row left with several splits is then decided over the whole
table, as a constraint problem: every combination of the undecided rows'
splits is checked against the form's equations (row totals, column totals,
group totals, the balance 上年结转 + 本年新收 = 办理结果 + 结转下年度) where all
their terms are known, and a row takes the numbers that every consistent
combination gives it (an ``unreadable`` note of severity info says that the
table's invariants chose the split, with the candidates in its evidence). A row still undecided gets cells marked unreadable (filled
later only if the table's invariants determine them exactly) and an
``unreadable`` note whose evidence lists the candidate splits.

The paragraph is replaced by the text before the table, a :class:`Table` of
the labels and split cells, and the text after it, so the ordinary mapper
reads it like any other table.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import attrs

from ._mapping import RowSums, detect_template, known_sum
from ._model import Cell, Document, Note, Paragraph, Provenance, Table
from ._normalize import _EXTRA, _SUBSCRIPT_CHARS, _SUPERSCRIPT_CHARS, norm
from .form import TEMPLATES, Equation, Layout, Role, Row, TableSpec, Template

__all__ = ["looks_flattened", "unglue"]

#: A paragraph holding at least this many of the form's row labels followed by digits is a glued table.
MIN_GLUED_ROWS = 4
#: Give up splitting one digit run after trying this many splits.
MAX_SPLITS = 50000

_WS = re.compile(r"\s+")
_CN = "一二三四五六七八九十"


#: Superscript and subscript characters (those the cell rules know): a mark beside a number, never
#: digits or a sign of it (NFKC would make ``2113¹`` read 21131); kept as a character that ends a
#: run of digits.
_RAISED = str.maketrans(dict.fromkeys(_SUPERSCRIPT_CHARS + _SUBSCRIPT_CHARS, "※"))


def _nfkc(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFKC", text.translate(_RAISED)).translate(_EXTRA))


@attrs.frozen
class _RowSpec:
    key: str
    pattern: str  # regex source for the label (with its optional numbering)
    k: int  # number of value cells
    groups: tuple[tuple[tuple[int, ...], int], ...]  # (members, total) invariants within the row
    money_last: bool = False
    paths: tuple[str, ...] = ()  # the form's path of each cell, in order
    signed: frozenset[int] = frozenset()  # cells that may be negative (本年增/减)


def _numbering_prefix(label: str, item: str) -> str:
    """Regex for the numbering printed before ``item`` in the official ``label`` (optional)."""
    head = _nfkc(label)
    pos = head.rfind(_nfkc(item)[:4])
    before = head[:pos].rstrip() if pos > 0 else ""
    m = re.search(r"(\d{1,2})\.\s*$", before)
    if m:
        return rf"(?:{m.group(1)}[.、]\s*)?"
    m = re.search(r"\(([" + _CN + r"]{1,2})\)\s*$", before)
    if m:
        return rf"(?:\({m.group(1)}\)\s*)?"
    m = re.search(r"([" + _CN + r"]{1,2})、\s*$", before)
    if m:
        return rf"(?:{m.group(1)}、\s*)?"
    return ""


def _flex(text: str) -> str:
    """Regex for a label allowing spaces between its characters."""
    return r"\s*".join(re.escape(ch) for ch in _nfkc(text).replace(" ", ""))


@lru_cache(maxsize=4)
def _specs(template_id: str) -> tuple[_RowSpec, ...]:
    """How each row of the form reads in glued text: its label's pattern, its number of cells and the
    sums within it (the form's row-total rule; a one-row table's rows side by side)."""
    t: Template = TEMPLATES[template_id]
    specs: list[_RowSpec] = []
    for table in t.tables:
        sums = RowSums.of(table)
        groups = sums.groups if sums is not None else ()
        if table.layout is Layout.ONE_ROW:
            specs.append(_one_row_spec(t, table, groups))
            continue
        specs += [_row_spec(table, row, groups) for row in table.rows if row.role is not Role.HEADING]
    return tuple(specs)


def _row_spec(table: TableSpec, row: Row, groups: tuple[tuple[tuple[int, ...], int], ...]) -> _RowSpec:
    """How one row (not a heading) reads in glued text."""
    cols = table.columns_of(row)
    if row.columns:  # an item: its label or another spelling, numbering never printed
        names = sorted({row.label, *row.aliases}, key=len, reverse=True)
        pattern = "(?:" + "|".join(_flex(n) for n in names) + ")"
    else:
        pattern = _row_prefix(row, table) + _flex(row.item)
    paths = tuple(f"{table.key}/{row.key}/{c.key}" for c in cols)
    return _RowSpec(f"{table.key}/{row.key}", pattern, len(cols), groups, cols[-1].kind == "money",
                    paths, frozenset(i for i, c in enumerate(cols) if c.kind == "signed"))


def _row_prefix(row: Row, table: TableSpec) -> str:
    """The numbering before a row's label: optional, but required for a label that is also a column
    header of the table (a bare 其他 or 总计 is the header; the rows say 3.其他, （七）总计)."""
    prefix = _numbering_prefix(row.label, row.item)
    if prefix.endswith("?") and any(c.label == row.item for c in table.columns):
        return prefix[:-1]
    return prefix


def _one_row_spec(t: Template, table: TableSpec, groups: tuple[tuple[tuple[int, ...], int], ...]) -> _RowSpec:
    """A table printed as one row: its values follow its header's last two column labels
    (… 尚未审结 总计 after 复议后起诉)."""
    before, last = table.columns[-2].label, table.columns[-1].label
    pattern = rf"(?<={re.escape(before)})\s*{re.escape(last)}(?=[\s\d])"
    paths = tuple(f"{table.key}/{r.key}/{c.key}" for r in table.rows for c in table.columns)
    signed = frozenset(i for i, x in enumerate(paths) if t.field_kind(x) == "signed")
    return _RowSpec(table.key, pattern, len(table.rows) * len(table.columns), groups, False, paths, signed)


def _template_of(text: str) -> str:
    """The edition a glued paragraph is on (decided where every edition is: ``detect_template``)."""
    return detect_template([text]).template.id


#: The digits after a label: digits, spaces, decimal points, thousands commas and signs (本年增/减
#: may be −15).
_DIGITS = r"[-+]?[0-9][0-9 .+,-]*"
#: … then a unit, before what is not a digit nor a unit of a count.
_VALUE_RUN = re.compile(rf"^\s*({_DIGITS}?)\s*(万元|元)?(?=\s*(?:[^\d\s.+,\-件条个项份次人]|$))")
#: A number grouped in thousands by commas (NFKC has made ，a comma).
_THOUSANDS = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")
#: What may follow a row's digits: the next label, or text (a CJK character, a numbering such as (二)).
_CLEAN_END = re.compile(r"^\s*(?:$|[\u3400-\u9fff]|\([一二三四五六七八九十]{1,2}\)|[0-9]{1,2}[.、]\s*[\u3400-\u9fff])")


def _thousands(run: str, spec: _RowSpec) -> str:
    """A one-cell row's number grouped by commas (``行政处罚2,113``) without them; any other
    run as it is (a comma in a run of several cells is left to make the row unreadable)."""
    return run.replace(",", "") if spec.k == 1 and _THOUSANDS.match(run) else run


def _trailing(run: str, rest: str) -> str:
    """What follows a row's digits when it is neither text nor the next label — a dash, a
    slash, a star, a superscript, a letter (``35—15``, ``123/4``, ``2113¹``, ``1069O``) —
    or a comma left in the digits: the digits are then not the row's numbers as printed
    (empty when all is well)."""
    if "," in run:
        return run[run.index(","):] + rest
    if run.endswith(("-", "+")):
        return run[-1] + rest
    return "" if _CLEAN_END.match(rest) else rest.strip()


#: Hits further apart than this (in characters) are not one table: prose mentions a label now and then.
MAX_GAP = 160


def _parts(run: str, money_last: bool) -> list[str] | None:
    run = run.strip()
    return run.split() if run else None


def _valid(part: str, allow_decimal: bool, signed: bool = False) -> bool:
    """Is ``part`` one number as the form prints it: no leading zero, a decimal point only
    in money, a sign only where the form allows a negative number."""
    if part[:1] in "+-":
        if not signed or len(part) == 1:
            return False
        part = part[1:]
    if "+" in part or "-" in part:
        return False
    if "." in part:
        return allow_decimal and _valid_decimal(part)
    return part == "0" or not part.startswith("0")


def _valid_decimal(part: str) -> bool:
    """Is an unsigned ``part`` with a decimal point one decimal number: one point, digits on
    both sides, no leading zero?"""
    if part.count(".") != 1:
        return False
    whole, frac = part.split(".")
    return bool(whole) and bool(frac) and (whole == "0" or not whole.startswith("0"))


def _splits(groups: list[str], k: int, money_last: bool,
            signed: frozenset[int] = frozenset()) -> Iterator[list[str]]:
    """Every way to cut the whitespace groups into exactly ``k`` numbers."""
    budget = [MAX_SPLITS]

    def cut(gi: int, pos: int, acc: list[str]) -> Iterator[list[str]]:
        if budget[0] <= 0:
            return
        if gi == len(groups):
            if len(acc) == k:
                budget[0] -= 1
                yield list(acc)
            return
        g = groups[gi]
        if pos == len(g):
            yield from cut(gi + 1, 0, acc)
            return
        remaining_digits = sum(len(x) for x in groups[gi + 1:]) + len(g) - pos
        if len(acc) >= k or remaining_digits < 1:
            return
        for end in range(pos + 1, len(g) + 1):
            part = g[pos:end]
            last_cell = len(acc) == k - 1
            if not _valid(part, money_last and last_cell, len(acc) in signed):
                if part[0] == "0" and part != "0":
                    break
                continue
            acc.append(part)
            yield from cut(gi, end, acc)
            acc.pop()

    yield from cut(0, 0, [])


def _check(values: list[Decimal], groups: tuple[tuple[tuple[int, ...], int], ...]) -> bool:
    return all(sum((values[m] for m in members), Decimal(0)) == values[total] for members, total in groups)


#: A row with more splits than this that its own invariant allows is not decided over the table.
MAX_CANDIDATES = 24
#: Give up deciding the undecided rows of one table together past this many combinations.
MAX_COMBINATIONS = 20000


def candidate_splits(run: str, spec: _RowSpec, limit: int = MAX_CANDIDATES) -> list[list[str]]:
    """The distinct splits of a glued digit run into the row's cells that the form allows
    (no leading zeros, signs and decimals only where allowed, the row's own sums), at most
    ``limit + 1`` of them (more: too many to decide)."""
    groups = _parts(run, spec.money_last)
    if not groups:
        return []
    if spec.k == 1:
        joined = "".join(groups)
        return [[joined]] if len(groups) == 1 and _valid(joined, spec.money_last, 0 in spec.signed) else []
    return _distinct_splits(groups, spec, limit)


def _distinct_splits(groups: list[str], spec: _RowSpec, limit: int) -> list[list[str]]:
    """The splits of the whitespace groups into the row's several cells that keep the row's own
    sums, one per distinct list of numbers, at most ``limit + 1``."""
    found: list[list[str]] = []
    values_seen: set[tuple[Decimal, ...]] = set()
    for parts in _splits(groups, spec.k, spec.money_last, spec.signed):
        try:
            values = [Decimal(p) for p in parts]
        except InvalidOperation:  # pragma: no cover - parts are validated numbers
            continue
        if spec.groups and not _check(values, spec.groups):
            continue
        key = tuple(values)
        if key not in values_seen:
            values_seen.add(key)
            found.append(parts)
        if len(found) > limit:
            break
    return found


def split_cells(run: str, spec: _RowSpec) -> list[str] | None:
    """The row's cells from a glued digit run, or None when no single split is certain
    from the row alone (see :func:`decide_jointly` for the whole table)."""
    found = candidate_splits(run, spec, limit=1)
    return found[0] if len(found) == 1 else None


def decide_jointly(template_id: str, rows: list[list[list[str]]],
                   specs: list[_RowSpec]) -> list[list[str | None]]:
    """Each row's cells decided over the whole table: ``rows[i]`` the candidate splits of row
    ``i`` (one: decided already; none: unreadable). Returns, per row, each cell's text or
    None where it is not certain.

    Every combination of the undecided rows' candidates is checked against the form's
    equations whose terms are all known; a cell takes the number that every consistent
    combination gives it. When no combination is consistent (the report's own numbers
    disagree), or the equations decide nothing, or past :data:`MAX_COMBINATIONS`, a cell
    takes the number that every candidate of its row gives it (``111000012`` split into
    seven cells ends ``0 0 0 12`` whichever way: its 总计 is printed, whatever else is not).
    """
    out: list[list[str | None]] = [list(c[0]) if len(c) == 1 else [None] * specs[i].k for i, c in enumerate(rows)]
    open_rows = [i for i, c in enumerate(rows) if 1 < len(c) <= MAX_CANDIDATES]
    if not open_rows:
        return out
    for i, options in _still_possible(template_id, rows, specs, open_rows).items():
        out[i] = [_agreed([o[j] for o in options]) for j in range(specs[i].k)]
    return out


def _still_possible(template_id: str, rows: list[list[list[str]]], specs: list[_RowSpec],
                    open_rows: list[int]) -> dict[int, list[list[str]]]:
    """For each undecided row, the candidates still possible: those the table's equations allow
    when they decide anything (and the combinations are few enough to try), else all of them."""
    if math.prod(len(rows[i]) for i in open_rows) <= MAX_COMBINATIONS:
        consistent = _consistent(template_id, rows, specs, open_rows)
        if consistent:
            return consistent
    return {i: rows[i] for i in open_rows}


def _known_values(rows: list[list[list[str]]], specs: list[_RowSpec]) -> dict[str, Decimal]:
    """The numbers of the rows decided already, by path."""
    known: dict[str, Decimal] = {}
    for i, c in enumerate(rows):
        if len(c) == 1:
            known.update(zip(specs[i].paths, map(Decimal, c[0]), strict=False))
    return known


def _equations_to_check(template_id: str, known: dict[str, Decimal], open_paths: set[str]) -> list[Equation]:
    """The form's equations that involve an undecided cell and whose every term is known or
    undecided."""
    return [e for e in TEMPLATES[template_id].equations() if _usable(e, known, open_paths)]


def _usable(e: Equation, known: dict[str, Decimal], open_paths: set[str]) -> bool:
    """Does the equation involve an undecided cell, with every term known or undecided?"""
    terms = (*e.lhs, *e.rhs)
    return any(x in open_paths for x in terms) and all(x in known or x in open_paths for x in terms)


def _holds(e: Equation, values: dict[str, Decimal]) -> bool:
    """Does the equation hold for these numbers?"""
    return known_sum(values[x] for x in e.lhs) == known_sum(values[x] for x in e.rhs)


def _consistent(template_id: str, rows: list[list[list[str]]], specs: list[_RowSpec],
                open_rows: list[int]) -> dict[int, list[list[str]]]:
    """For each undecided row, its candidates that take part in a combination satisfying every
    equation whose terms are all known (empty: no equation applies, or none is satisfied)."""
    known = _known_values(rows, specs)
    eqs = _equations_to_check(template_id, known, {x for i in open_rows for x in specs[i].paths})
    if not eqs:
        return {}
    found: dict[int, list[list[str]]] = {}
    for combo in itertools.product(*(rows[i] for i in open_rows)):
        values = dict(known)
        for i, cells in zip(open_rows, combo, strict=True):
            values.update(zip(specs[i].paths, map(Decimal, cells), strict=False))
        if not all(_holds(e, values) for e in eqs):
            continue
        for i, cells in zip(open_rows, combo, strict=True):
            if cells not in found.setdefault(i, []):
                found[i].append(cells)
    return found


def _agreed(texts: list[str]) -> str | None:
    """The one number all the texts give, or None."""
    return texts[0] if len({Decimal(t) for t in texts}) == 1 else None


@attrs.frozen
class _Hit:
    start: int
    end: int
    spec: _RowSpec
    label: str


def _hits(text: str, specs: tuple[_RowSpec, ...]) -> list[_Hit]:
    """Label occurrences with digits after them (before the next label), left to right."""
    found: list[_Hit] = []
    for spec in specs:
        for m in re.finditer(spec.pattern, text):
            found.append(_Hit(m.start(), m.end(), spec, m.group(0)))
    found.sort(key=lambda h: (h.start, -(h.end - h.start)))
    return _densest_run(_valued(text, _not_overlapping(found)))


def _not_overlapping(found: list[_Hit]) -> list[_Hit]:
    """The hits (sorted by start, longest first) that do not overlap one kept before them."""
    labels: list[_Hit] = []
    for h in found:
        if labels and h.start < labels[-1].end:
            continue
        labels.append(h)
    return labels


def _valued(text: str, labels: list[_Hit]) -> list[_Hit]:
    """The labels followed by digits before the next label."""
    valued: list[_Hit] = []
    for i, h in enumerate(labels):
        stop = labels[i + 1].start if i + 1 < len(labels) else len(text)
        if _VALUE_RUN.match(text[h.end:stop]):
            valued.append(h)
    return valued


def _densest_run(valued: list[_Hit]) -> list[_Hit]:
    """The longest run of hits each at most :data:`MAX_GAP` after the one before: the tables are
    the densest run of hits; a label mentioned in the prose stands alone."""
    runs: list[list[_Hit]] = []
    for h in valued:
        if runs and h.start - runs[-1][-1].end <= MAX_GAP:
            runs[-1].append(h)
        else:
            runs.append([h])
    return max(runs, key=len, default=[])


def _next_label_start(text: str, h: _Hit, nxt: _Hit | None) -> int:
    """Where the digits after ``h`` must stop: at the next label, or at a numbering glued to them."""
    stop = nxt.start if nxt is not None else len(text)
    m = re.match(r"\s*" + _DIGITS, text[h.end:stop])
    return stop if m is None else min(stop, h.end + m.end() + 1)


#: One glued row as read: (index in rows, hit, digits, unit, what follows the digits).
_Found = tuple[int, _Hit, str, str, str]


def _read_rows(text: str, hits: list[_Hit]) -> tuple[list[list[str]], list[_Found], int]:
    """The rows the hits give (header text between them as rows of one cell, each hit a row
    holding its label), each hit's digit run, and where the last run ends in ``text``."""
    rows: list[list[str]] = []
    found: list[_Found] = []
    last_end = hits[0].start
    for i, h in enumerate(hits):
        gap = text[last_end:h.start].strip()
        if gap:
            rows.append([gap])  # header text between rows
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        m = _VALUE_RUN.match(text[h.end:_next_label_start(text, h, nxt)])
        assert m is not None  # _hits only keeps labels followed by digits
        run, unit = _thousands(m.group(1).strip(), h.spec), m.group(2) or ""
        stop = nxt.start if nxt is not None else len(text)
        found.append((len(rows), h, run, unit, _trailing(run, text[h.end + m.end():stop])))
        rows.append([h.label.strip()])
        last_end = h.end + m.end()
    return rows, found, last_end


def _undecided_note(where: str, row: _Found, options: list[list[str]], got: list[str | None]) -> Note:
    """The warning for a run that cannot be split into its cells in exactly one way."""
    _, h, run, unit, _ = row
    read = [c for c in got if c is not None]
    return Note(where, f"「{h.label.strip()}」后的数字「{run}{unit}」粘连在一起，无法唯一拆成 {h.spec.k} 个单元格"
                + (f"（{len(options)} 种拆法都可能）" if len(options) > 1 else "")
                + (f"；各种拆法一致的 {len(read)} 格照读" if read else ""),
                evidence={"digits": run + unit, "row": h.spec.key, "cells": got,
                          "candidates": options if len(options) <= MAX_CANDIDATES else [],
                          "too_many": len(options) > MAX_CANDIDATES})


def _split_note(where: str, row: _Found, options: list[list[str]], got: list[str | None],
                cells: list[str]) -> Note | None:
    """What a reader is told about how a glued run was split: a warning when digits run into
    text or the split is not certain, a remark when the table's equations chose among splits,
    nothing when the run splits one way only."""
    _, h, run, unit, trailing = row
    if trailing:
        return Note(where, f"「{h.label.strip()}」后的数字「{run}{unit}」之后紧跟「{trailing[:12]}」，"
                           "不能确定哪些是数值，作空值",
                    evidence={"digits": run + unit, "followed_by": trailing[:40], "row": h.spec.key})
    if None in got:
        return _undecided_note(where, row, options, got)
    if len(options) > 1:
        return Note(where, f"「{h.label.strip()}」后的数字「{run}{unit}」粘连在一起，有 {len(options)} 种拆法；"
                           f"按表内勾稽关系只有「{' '.join(cells)}」成立",
                    severity="info",
                    evidence={"digits": run + unit, "row": h.spec.key, "cells": cells,
                              "candidates": options})
    return None


def _row_cells(row: _Found, got: list[str | None]) -> list[str]:
    """A row's cells as decided; a cell not certain reads as neither a number nor a blank
    (unreadable, never guessed)."""
    _, _, run, unit, trailing = row
    return [c if c is not None else f"⟨{run}{unit}{trailing}⟩" for c in got]


def _rebuilt_blocks(before: str, rows: list[list[str]], after: str,
                    prov: Provenance) -> list[Paragraph | Table]:
    """The text before the table, the table, the text after (empty texts left out)."""
    blocks: list[Paragraph | Table] = []
    if before:
        blocks.append(Paragraph(before, prov))
    cells_out = [Cell(r, c, v, provenance=prov) for r, row in enumerate(rows) for c, v in enumerate(row)]
    blocks.append(Table(cells_out, provenance=prov))
    if after:
        blocks.append(Paragraph(after, prov))
    return blocks


def _unglue_paragraph(p: Paragraph, adapter: str) -> tuple[list[Paragraph | Table], list[Note]] | None:
    """The blocks a paragraph holding a glued table becomes, and what was noticed (None: it
    holds too few of the form's rows to be one)."""
    text = _nfkc(p.text)
    tid = _template_of(text)
    hits = _hits(text, _specs(tid))
    if len(hits) < MIN_GLUED_ROWS:
        return None
    prov = p.provenance or Provenance(adapter)
    where = prov.describe()
    rows, found, last_end = _read_rows(text, hits)
    candidates = [candidate_splits(run, h.spec) if not trailing else [] for _, h, run, _, trailing in found]
    decided = decide_jointly(tid, candidates, [h.spec for _, h, _, _, _ in found])
    notes: list[Note] = []
    for row, options, got in zip(found, candidates, decided, strict=True):
        cells = _row_cells(row, got)
        note = _split_note(where, row, options, got, cells)
        if note is not None:
            notes.append(note)
        if row[3] and got[-1] is not None:
            cells[-1] += row[3]
        rows[row[0]].extend(cells)
    return _rebuilt_blocks(text[:hits[0].start].strip(), rows, text[last_end:].strip(), prov), notes


#: A glued table has row labels of the form in it; cheap to test before trying every label pattern.
_MARKS = ("申请数量", "本年度办理结果", "不予公开", "无法提供", "不予处理", "行政复议", "第二十条")
#: A paragraph shorter than this holds no glued table (the form's labels alone are longer).
MIN_GLUED_TEXT = 100
#: … and it holds at least this many of the marks above.
MIN_MARKS = 3
#: A paragraph that names this many rows of the form's applications table (in ``looks_flattened``) …
MIN_FLAT_ROWS = 3
#: … and is this long (normalised) is a table flattened into running text.
MIN_FLAT_TEXT = 200


def _flat_marks() -> tuple[str, ...]:
    """The applications table's rows outside its results (一、本年新收 …, 三、本年度办理结果, 四、结转
    下年度继续办理) and the clause that heads each 主动公开 item (第二十条第（…）项)."""
    table = TEMPLATES["2021"].table("applications")
    rows = tuple(r.item for r in table.rows if r.role in (Role.INFLOW, Role.HEADING, Role.OUTFLOW))
    return (*rows, "第二十条第")


def looks_flattened(doc: Document) -> bool:
    """Do paragraphs carry the form's row labels run together with digits (a table flattened into
    running text that could not be rebuilt)?"""
    marks = _flat_marks()
    for text in doc.iter_text():
        t = norm(text)
        if len(t) > MIN_FLAT_TEXT and sum(1 for m in marks if m in t) >= MIN_FLAT_ROWS:
            return True
    return False


def _may_be_glued(text: str) -> bool:
    """Can a paragraph's text hold a glued table (cheap tests before the label patterns): long
    enough, with enough of the form's row labels and a run of digits?"""
    return (len(text) > MIN_GLUED_TEXT and sum(1 for m in _MARKS if m in text) >= MIN_MARKS
            and re.search(r"\d{3}", text) is not None)


def unglue(doc: Document) -> Document:
    """The document with glued tables rebuilt (the same object when there are none)."""
    out: list[Paragraph | Table] = []
    notes: list[Note | tuple[str, str]] = list(doc.notes)
    changed = False
    for block in doc.blocks:
        if isinstance(block, Paragraph) and _may_be_glued(block.text):
            result = _unglue_paragraph(block, doc.adapter)
            if result is not None:
                blocks, more = result
                out.extend(blocks)
                notes.extend(more)
                changed = True
                continue
        out.append(block)
    if not changed:
        return doc
    return Document(out, adapter=doc.adapter, notes=notes)
