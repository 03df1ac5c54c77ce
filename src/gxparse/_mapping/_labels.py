"""Label similarity: how well a record's label names a row of the form.

Scores are in [0, 1]; 1 is the official wording (after normalising: width,
spaces, numbering, quotes). Every threshold is a named constant saying what it
protects against. The scorers return the name of the rule that decided the
score as well (``""``: the row's own label decided it), for the trace.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .._normalize import _UNITS, bigrams, core, dice, numbering
from .._records import Record, is_value_record

__all__ = ["exact_index", "item_texts", "label_texts", "own_label", "plain", "row_label_score", "sim"]

_QUOTES = re.compile(r"[\"'“”‘’「」『』]")
_INNER_NUMBERING = re.compile(r"\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、|(?<![\d.])\d{1,2}[.、](?!\d)")

#: A label holding the official one with words around it (its numbering, its group's label)
#: scores at least this, more the less there is around it: never a sure 1.0.
CONTAINS_BASE, CONTAINS_SPAN = 0.85, 0.15
#: A fragment of an official label (one line of a wrapped label) scores from this up, by the
#: share of the label it holds: below a whole label, so that the whole one wins the row.
FRAGMENT_BASE, FRAGMENT_SPAN = 0.45, 0.45
#: A one-character fragment names nothing (其 is in half the labels).
MIN_FRAGMENT = 2
#: All label cells joined are a little less sure than the row's own cell: a group's label in
#: front of an item must not outscore the item's own row.
JOINED_FACTOR = 0.95
#: The wrapped lines are consulted only when the row's own label is not already this sure:
#: otherwise a neighbour's lines could outscore a row's own label.
WRAP_BELOW = 0.9
#: A label broken over lines (（七）总 / 计) that joins into the row's label exactly.
WHOLE_WRAP_SCORE = 0.95
#: Coverage by wrapped lines is measured only against labels of this many characters or more:
#: a two-character label (总计) has a single bigram, which any text may hold.
MIN_COVERED_LABEL = 3
#: The wrapped lines must hold this share of a label's bigrams to name it (a typo or a
#: lost character in a long label still passes; a label sharing a few words does not).
MIN_COVERAGE = 0.75
#: A label named by its wrapped lines scores this share of its coverage: below a label read
#: on the numbers' own line.
COVERAGE_FACTOR = 0.9
#: Below this a label is not the row's: a short fragment shared with another row scores 0.45.
ROW_MATCH_THRESHOLD = 0.5

#: An item label ending with an item's official label of this many characters or more names
#: it (第二十条第（一）项行政规范性文件); shorter labels (规章) would end too many texts.
MIN_ITEM_SUFFIX = 4
#: Score of an item label that ends with the official one.
ITEM_SUFFIX_SCORE = 0.9
#: Item labels are short: below this similarity a label is another item's (行政许可 / 行政处罚
#: share half their bigrams).
ITEM_MIN_DICE = 0.75
#: At most this many texts are tried for an item's label: its own cell, its cells joined, and
#: the label-only lines just above it joined on (a label wrapped before its numbers).
MAX_ITEM_TEXTS = 4


@lru_cache(maxsize=65536)
def plain(text: str) -> str:
    """``core`` of a label without quotes: the form a label is compared in."""
    return _QUOTES.sub("", core(text))


def sim(a: str, v: str) -> float:
    """Similarity of a record's label ``a`` to a form's label ``v`` (both :func:`plain`)."""
    if not a or not v:
        return 0.0
    if a == v:
        return 1.0
    best = dice(a, v)
    if v in a:
        best = max(best, CONTAINS_BASE + CONTAINS_SPAN * len(v) / len(a))
    elif a in v and len(a) >= MIN_FRAGMENT:
        best = max(best, FRAGMENT_BASE + FRAGMENT_SPAN * len(a) / len(v))
    return best


def coverage(ctx: str, v: str) -> float:
    """The share of ``v``'s bigrams that ``ctx`` holds."""
    bv = bigrams(v)
    if not bv:
        return 0.0
    return len(bv & bigrams(ctx)) / len(bv)


def own_label(rec: Record, split: bool = True) -> str:
    """The label of the row itself: its last label cell, or (``split``: rule
    ``space-split-label``) the last two joined when a space split the label
    (``4.无正当理由大量 | 重复申请`` in space-aligned text: two cells of one line,
    the last without a numbering marker, the one before with one)."""
    if len(rec.labels) < 2 or not split:
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


def label_texts(rec: Record, switches: frozenset[str]) -> tuple[str, str, str]:
    """The texts a record's label is scored on: its own label, all its label cells joined (""
    for one cell), and its wrapped lines joined with it ("" for none)."""
    joined = "".join(c.text for c in rec.labels) if len(rec.labels) > 1 else ""
    own = own_label(rec, "space-split-label" in switches)
    if rec.context and numbering(own) is not None and "numbered-label-start" in switches:
        # a label starts at its numbering marker: the lines above it are not part of it (a
        # heading, or the label of a row printed without cells: | | 3.要求提供公开出版物 |)
        ctx = "".join(c.text for c in [*rec.labels, *rec.tail]) if rec.tail else ""
    else:
        ctx = rec.wrapped_text if (rec.context or rec.tail) else ""
    return own, joined, ctx


def row_label_score(texts: tuple[str, str, str], variants: tuple[str, ...],
                    switches: frozenset[str]) -> tuple[float, str]:
    """Score of a record's label (its :func:`label_texts`) against a row's labels (:func:`plain`
    forms), and the rule that decided it ("" when the record's own label did). 0 below
    :data:`ROW_MATCH_THRESHOLD`."""
    return _text_score(*texts, variants, switches)


@lru_cache(maxsize=262144)
def _text_score(own_text: str, joined: str, ctx: str, variants: tuple[str, ...],
                switches: frozenset[str]) -> tuple[float, str]:
    """Score of a record's label (own cell, all label cells, with wrapped lines) against a row's labels.

    Cached: across a corpus the same labels recur in nearly every report.
    """
    own = plain(own_text)
    score, rule = max(sim(own, v) for v in variants), ""
    if score < 1.0 and joined and "joined-label-cells" in switches:
        j = plain(joined)
        score, rule = _better(score, rule, JOINED_FACTOR * max(sim(j, v) for v in variants), "joined-label-cells")
    if score < WRAP_BELOW and ctx:
        score, rule = _wrapped_score(score, rule, plain(ctx), variants, switches)
    return (score, rule) if score >= ROW_MATCH_THRESHOLD else (0.0, "")


def _wrapped_score(score: float, rule: str, ctx: str, variants: tuple[str, ...],
                   switches: frozenset[str]) -> tuple[float, str]:
    """The score with a label's wrapped lines (:func:`plain`, joined) taken into account."""
    if ctx in variants and "wrapped-label-whole" in switches:  # a label wrapped whole: （七）总 / 计
        return WHOLE_WRAP_SCORE, "wrapped-label-whole"
    if "wrapped-label" not in switches:
        return score, rule
    cov = max((coverage(ctx, v) for v in variants if len(v) >= MIN_COVERED_LABEL), default=0.0)
    return _better(score, rule, COVERAGE_FACTOR * cov if cov >= MIN_COVERAGE else 0.0, "wrapped-label")


def _better(score: float, rule: str, other: float, other_rule: str) -> tuple[float, str]:
    return (other, other_rule) if other > score else (score, rule)


def item_text_score(text: str, variants: tuple[str, ...], suffix: bool) -> tuple[float, str]:
    """Score of one text of an item row's label against an item's labels: exact, ending with a long
    label (``suffix``: rule ``item-suffix``), else similar enough; and the rule that decided it."""
    best, rule = 0.0, ""
    for v in variants:
        if text == v:
            return 1.0, ""
        if suffix and len(v) >= MIN_ITEM_SUFFIX and text.endswith(v):
            best, rule = ITEM_SUFFIX_SCORE, "item-suffix"
    if best == 0.0:
        best = max(dice(text, v) for v in variants)
        best = best if best >= ITEM_MIN_DICE else 0.0
    return best, rule


def item_texts(rec: Record, records: Sequence[Record], switches: frozenset[str]) -> list[tuple[str, str]]:
    """The texts an item row's label may be, each with the rule that made it: its last label cell,
    all its label cells joined (``joined-label-cells``: a space inside the label split it in
    space-aligned text, 行政　处罚), the last cell joined to the label-only lines just above it
    (``item-lines-above``: a label wrapped before its numbers, one cell per line: 规范性文 / 件),
    and each of these without a unit in brackets after it (``item-unit-suffix``: 规章（件）)."""
    texts = [(plain(rec.rightmost), "")]
    if len(rec.labels) > 1 and "joined-label-cells" in switches:
        texts.append((plain("".join(c.text for c in rec.labels)), "joined-label-cells"))
    if "item-lines-above" in switches:
        joined = rec.rightmost
        k = rec.index - 1
        while k >= 0 and len(texts) < MAX_ITEM_TEXTS:
            prev = records[k]
            if prev.table != rec.table or is_value_record(prev) or len(prev.labels) != 1:
                break
            joined = prev.labels[0].text + joined
            texts.append((plain(joined), "item-lines-above"))
            k -= 1
    if "item-unit-suffix" in switches:
        texts += [(m.group(1), "item-unit-suffix") for t, _ in list(texts) if (m := _UNIT_SUFFIX.match(t))]
    return texts


#: An item label followed by its unit in brackets, as :func:`plain` writes it: 规章(件), 行政事业性收费(万元).
_UNIT_SUFFIX = re.compile(r"^(.+?)\((?:单位:?)?(?:" + "|".join(_UNITS) + r")\)$")


def exact_index(variants: Sequence[Sequence[str]]) -> dict[str, int]:
    """Label → row for labels that name exactly one row."""
    seen: dict[str, set[int]] = {}
    for j, vs in enumerate(variants):
        for v in vs:
            seen.setdefault(v, set()).add(j)
    return {v: next(iter(js)) for v, js in seen.items() if len(js) == 1}


def strip_ancestors(text: str, ancestors: Sequence[str]) -> str:
    """``text`` without its groups' labels and inner numbering (and edge punctuation)."""
    for a in ancestors:
        if a:
            text = text.replace(a, "")
    return _INNER_NUMBERING.sub("", text).strip("()、.,:")
