"""Stage ``variants``: labels that deviate from the form's wording (typos, other words), for
``label-variant``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache

from .._normalize import dice
from .._records import RCell, Record
from .._report import Finding
from ..form import Column, Layout, TableSpec
from ..form._findings import LABEL_VARIANT
from ._labels import item_text_score, own_label, plain, strip_ancestors
from ._state import Alignment, Context, where_of

__all__ = ["deviant_headers", "is_abbreviated", "is_variant", "label_variants", "unofficial_runs", "variant_text"]

#: A wrapped label is rebuilt from at most this many label-only lines above its numbers' line.
MAX_WRAP_LINES = 8
#: A rebuilt wrapped label this similar to the official one (and about as long) is a variant
#: of it, not a different text: one or two wrong characters in a long label.
WRAPPED_VARIANT_DICE = 0.7
#: A header is looked for in runs of up to this many adjacent cells of one line (a space inside
#: a header splits it into cells in space-aligned text: 上一 | 年项目数量).
MAX_HEADER_CELLS = 4
#: Texts shorter than this name no header (a fragment), longer ones are prose, not a header.
HEADER_LENGTH = (3, 16)
#: Official headers shorter than this are not checked for deviant spellings: too many texts
#: resemble a short header.
MIN_CHECKED_HEADER = 5
#: A header text this similar to an official header (and not a fragment or an extension of it)
#: is a deviant spelling of it (本年度止件数 → 本年废止件数).
HEADER_VARIANT_DICE = 0.6


def variant_text(rec: Record, official: str, ancestors: Sequence[str],
                 switches: frozenset[str]) -> tuple[str, str] | None:
    """The record's label as printed when it deviates from ``official`` (and the rule that saw it),
    else None.

    Like :func:`is_variant`; when the row's own cell is only the end of a label
    wrapped before its numbers (请 after 4.无正当理由大量重复申), the lines just
    above are joined to it (rule ``wrapped-label-variant``), so that a typo in
    the part above is still seen.
    """
    own = own_label(rec, "space-split-label" in switches)
    plain_own, off = plain(own), plain(official)
    if rec.context and plain_own != off and plain_own in off and "wrapped-label-variant" in switches:
        whole = _wrapped_variant(rec, own, off, ancestors)
        return (whole, "wrapped-label-variant") if whole is not None else None
    if is_variant(plain_own, official, ancestors) or (not (rec.context or rec.tail)
                                                      and is_abbreviated(plain_own, official, ancestors)):
        return own.strip(), "row-label-variant"
    return None


def is_abbreviated(own: str, official: str, ancestors: Sequence[str]) -> bool:
    """True when a row's own label (:func:`plain`), on a line of its own (no wrapped lines around
    it), is a part of the official label: written short (5.内部事务 for 5.属于三类内部事务信息),
    not wrapped."""
    stripped, off = strip_ancestors(own, ancestors), strip_ancestors(plain(official), ())
    return bool(stripped) and stripped != off and stripped in off


def _wrapped_variant(rec: Record, own: str, off: str, ancestors: Sequence[str]) -> str | None:
    """The label rebuilt from the lines above its own cell, one more at a time, until it is the
    official one (no variant), or long and similar enough to be a misspelling of it."""
    want = strip_ancestors(off, ())
    for k in range(1, min(MAX_WRAP_LINES, len(rec.context)) + 1):
        whole = "".join(c.text.strip() for c in rec.context[-k:]) + own.strip()
        w = plain(whole)
        stripped = strip_ancestors(w, ancestors)
        if off in w or stripped == want or stripped.endswith(want):
            return None
        if stripped not in want and len(stripped) >= len(want) - 1 and dice(stripped, want) >= WRAPPED_VARIANT_DICE:
            return whole
    return None


def is_variant(own: str, official: str, ancestors: Sequence[str]) -> bool:
    """True when a row's own label (:func:`plain`) deviates from the official one.

    A label that is the official one with its group's label or numbering in
    front, or a fragment of it (a label wrapped over several lines), is not
    a variant; a label with characters the official one lacks or misorders is.
    """
    off = plain(official)
    if own == off or (off in own and strip_ancestors(own.replace(off, ""), ancestors) == ""):
        return False
    if own in off:  # a fragment of a wrapped label
        return False
    stripped = strip_ancestors(own, ancestors)
    return stripped != off and not (stripped and stripped in off)


@lru_cache(maxsize=4096)
def deviant_headers(run: tuple[str, ...], labels: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """``(field key, text, shown)`` for each official header (``labels``: key and plain
    label) that a run of header cells, or part of it, spells deviantly; the best match
    per field. Cached: the same header lines recur in nearly every report."""
    best: dict[str, tuple[float, str, str]] = {}
    for txt, shown in _header_texts(run):
        for key, off in labels:
            score = _deviance(txt, off)
            if score > best.get(key, (0.0, "", ""))[0]:
                best[key] = (score, txt, shown)
    return tuple((key, txt, shown) for key, (_, txt, shown) in best.items())


def _header_texts(run: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """Each run of up to :data:`MAX_HEADER_CELLS` adjacent cells as one text (:func:`plain`, and as
    printed), if it is as long as a header."""
    shortest, longest = HEADER_LENGTH
    for i in range(len(run)):
        for j in range(i + 1, min(len(run), i + MAX_HEADER_CELLS) + 1):
            txt = plain("".join(run[i:j]))
            if shortest <= len(txt) <= longest:
                yield txt, "".join(t.strip() for t in run[i:j])


def _deviance(txt: str, off: str) -> float:
    """How surely ``txt`` is a deviant spelling of the official header ``off`` (0: it is not; a
    fragment or an extension of it is not a deviant spelling)."""
    if len(off) < MIN_CHECKED_HEADER or txt in off or off in txt:
        return 0.0
    score = dice(txt, off)
    return score if score >= HEADER_VARIANT_DICE else 0.0


def unofficial_runs(cells: Sequence[RCell], official: set[str]) -> list[list[RCell]]:
    """Runs of adjacent header cells of one line that do not spell an official header.

    In space-aligned text a space inside a header splits it into cells (上一 | 年项目数量,
    现行有 | 效件数): runs of up to four cells that join into an official header are taken
    out first, longest first, so that their pieces are not read as other headers.
    """
    taken = _official_cells(cells, official)
    runs: list[list[RCell]] = []
    for k, c in enumerate(cells):
        if taken[k]:
            continue
        if runs and not taken[k - 1] and k > 0 and cells[k - 1].row == c.row and runs[-1][-1] is cells[k - 1]:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _official_cells(cells: Sequence[RCell], official: set[str]) -> list[bool]:
    n = len(cells)
    taken = [False] * n
    k = 0
    while k < n:
        for m in range(min(n, k + MAX_HEADER_CELLS), k, -1):
            if all(cells[x].row == cells[k].row for x in range(k, m)) \
                    and plain("".join(c.text for c in cells[k:m])) in official:
                for x in range(k, m):
                    taken[x] = True
                k = m
                break
        else:
            k += 1
    return taken


# ---------------------------------------------------------------------------
# the stage
# ---------------------------------------------------------------------------

def label_variants(ctx: Context, table: TableSpec, aligned: Alignment) -> tuple[tuple[Finding, ...], tuple[str, ...]]:
    """Stage ``variants``: ``label-variant`` findings for the labels of matched rows (and, for
    item tables, the column headers) that deviate from the form's wording; and the rules that
    found them."""
    if table.layout is Layout.ONE_ROW:
        return (), ()
    if table.rows_have_columns:
        items = _item_variants(ctx, table, aligned)
        headers = _header_variants(ctx, table, aligned)
        rules = (*(("item-label-variant",) if items else ()), *(("header-variant",) if headers else ()))
        return (*items, *headers), rules
    found = _row_variants(ctx, table, aligned)
    return tuple(f for f, _ in found), tuple(dict.fromkeys(rule for _, rule in found))


def _row_variants(ctx: Context, table: TableSpec, aligned: Alignment) -> list[tuple[Finding, str]]:
    """Rule ``row-label-variant`` (with ``wrapped-label-variant``): each finding, and the rule that
    found it."""
    if "row-label-variant" not in ctx.switches:
        return []
    out: list[tuple[Finding, str]] = []
    for m in aligned.matches:
        ancestors = [plain(a.item) for a in table.ancestors(m.row)][:2]
        if plain(own_label(m.record, "space-split-label" in ctx.switches)) in _aliases(m.row.aliases):
            continue  # a short form the form itself names (（二）部分公开)
        found = variant_text(m.record, m.row.item, ancestors, ctx.switches)
        if found is None and "numbered-items" in m.rules:  # read by its number: short of the official label
            own = own_label(m.record, "space-split-label" in ctx.switches).strip()
            if strip_ancestors(plain(own), ancestors) != plain(m.row.item):
                found = (own, "row-label-variant")
        if found is not None:
            out.append((LABEL_VARIANT.make(f"{table.key}/{m.row.key}", "row", {
                "found": found[0], "official": m.row.label, **where_of(m.record)}), found[1]))
    return out


@lru_cache(maxsize=256)
def _aliases(aliases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(plain(a) for a in aliases)


def _item_variants(ctx: Context, table: TableSpec, aligned: Alignment) -> tuple[Finding, ...]:
    """Rule ``item-label-variant``: the item's label as printed (the text that named it best)."""
    if "item-label-variant" not in ctx.switches:
        return ()
    suffix = "item-suffix" in ctx.switches
    out: list[Finding] = []
    for m in aligned.matches:
        rec, row = m.record, m.row
        variants = tuple(plain(v) for v in row.variants)
        texts = [t for t, _ in m.texts]
        if plain(row.label) in texts:
            continue
        own = max(texts, key=lambda text: item_text_score(text, variants, suffix)[0])
        found = rec.rightmost.strip() if own == plain(rec.rightmost) else own
        out.append(LABEL_VARIANT.make(f"{table.key}/{row.key}", "row", {
            "found": found, "official": row.label, **where_of(rec)}))
    return tuple(out)


def _header_variants(ctx: Context, table: TableSpec, aligned: Alignment) -> tuple[Finding, ...]:
    """Rule ``header-variant``: deviant column headers (本年度止件数 → 本年废止件数) in the
    pseudo-tables the item rows were read from, each text once."""
    if "header-variant" not in ctx.switches or not aligned.matches:
        return ()
    fields = _fields(table)
    official = {plain(f.label) for f in fields.values()}
    labels = tuple((f.key, plain(f.label)) for f in fields.values())
    tables = {m.record.table for m in aligned.matches}
    seen: set[str] = set()
    out: list[Finding] = []
    for rec in ctx.records:
        if rec.table not in tables or rec.has_numbers:
            continue
        for key, txt, shown in _deviant_in(rec, official, labels):
            if txt not in seen:
                seen.add(txt)
                out.append(LABEL_VARIANT.make(f"{table.key}/*/{key}", "header", {
                    "found": shown, "official": fields[key].label, **where_of(rec)}))
    return tuple(out)


def _fields(table: TableSpec) -> dict[str, Column]:
    """The item tables' columns by key (the first of each key)."""
    fields: dict[str, Column] = {}
    for row in table.rows:
        for f in row.columns:
            fields.setdefault(f.key, f)
    return fields


def _deviant_in(rec: Record, official: set[str],
                labels: tuple[tuple[str, str], ...]) -> Iterator[tuple[str, str, str]]:
    """``(field key, text, shown)`` for each deviant header in a header record's label cells."""
    for run in unofficial_runs(rec.labels, official):
        yield from deviant_headers(tuple(c.text for c in run), labels)
