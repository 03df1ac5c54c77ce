"""From positioned characters and rulings to a :class:`~gxparse.Document`.

This module knows page geometry, not the report form, and it does not care
which backend read the PDF: it works on :class:`~._pdf_backends.PageData`.

Per page (:func:`analyse_page`):

0. What a reader cannot see is left out, with a ``hidden-text`` note
   (:func:`_hidden`: white on white, covered by a box drawn later, clipped
   away, invisible text over visible text); a page whose glyphs mostly run
   in another direction is turned (:func:`_turn`); glyphs painted twice are
   read once (:func:`_dedupe`).
1. Rulings are merged: parallel segments within 3 pt of each other that
   overlap or nearly meet (gaps up to 2 pt) are one line (borders drawn cell
   by cell, double lines); segments at the same position elsewhere on the
   page (columns of another table) keep their own position.
2. Rulings that touch form groups; a group with at least two horizontal and
   two vertical rulings is a ruled table. Its column boundaries are the x
   positions of its vertical rulings, its row boundaries the y positions of
   its horizontal rulings (plus the group's outer frame where a border is
   missing, e.g. the open bottom of a table that continues on the next page).
3. The grid slots are joined wherever no ruling separates them: the joined
   areas are the cells, with their row and column spans.
4. Each character goes to the cell where it starts, and a word (glyphs that
   touch) to the cell where the word starts: a number running over a rule
   stays whole. The rest of the page is read as text lines (grouped by
   baseline); on a page without ruled tables, lines of numbers under a
   header become tables by their positions (:func:`_stream_tables`).

Over the document (:func:`build_document`):

5. Page numbers and running headers/footers are recognised by position (a
   line in the top or bottom margin band, beyond every table of the page)
   and by form (``-4-``, ``— 4 —``, ``第 4 页``, ``4/9``) or repetition
   across pages, and left out.
6. A table that ends its page and a table that starts the next page (only
   page furniture between them) with the same outer edges and mostly the same
   column boundaries are one table: the parts are stitched, the union of the
   column boundaries becomes the grid. A row split by the page break is
   joined back into one row (both parts' cells line up, the first part's text
   fills its cell's width, no cell gets two numbers; or the whole row's text
   stayed above the break and the row runs on blank), and a merged cell that
   runs on over the break becomes one cell spanning the rows of both parts
   (also header cells two rows high cut between their rows while, beside
   them, the next page starts a row of finer cells under wider ones).
7. Text lines become paragraphs: a new paragraph starts after a vertical gap
   larger than the line pitch, at an indented first line, after a short line,
   or where the font size changes. Lines are joined directly (CJK) or with a
   space between two Latin letters or digits.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import pairwise
from operator import attrgetter
from typing import NamedTuple

import attrs

from .._errors import ExtractError, NeedsOCRError, page_ranges
from .._model import Block, Cell, Document, Note, Paragraph, Provenance, Table
from ._pdf_backends import SAME_COLOR, WHITE, Char, Fills, PageData, same_color

__all__ = ["PageLayout", "analyse_page", "build_document", "join_chars"]

# -- tolerances (points) -------------------------------------------------------------------

#: Parallel rulings closer than this are one line (double borders included).
SNAP = 3.0
#: Collinear rulings with a gap up to this are one line.
JOIN = 2.0
#: A ruling "touches" another within this distance.
TOUCH = 2.0
#: Grid boundaries closer than this are one boundary.
GRID = 3.0
#: Share of a slot's edge a ruling must cover to separate two slots.
COVER = 0.5
#: Outer edges of two table parts must agree within this to be stitched.
STITCH_EDGE = 3.0
#: A table part continues on the next page only if it ends below this share of its page's height …
STITCH_BOTTOM = 0.6
#: … and the next part starts above this share of its page's height.
STITCH_TOP = 0.35
#: Inner column boundaries of two parts agree within this.
STITCH_INNER = 2.5
#: Distinct rulings on one page at most; past this the page's drawings are not searched for tables.
MAX_RULINGS = 3000
#: Rows a repeated table header may have at most.
MAX_HEADER_ROWS = 6
#: Slack for cell padding when deciding whether a line was full (wrapped).
WRAP_SLACK = 12.0
#: Share of the page height (top and bottom) where running headers/footers live.
MARGIN_BAND = 0.12
#: A single-cell ruled box larger than this share of the page is a page frame, not a table.
FRAME_SHARE = 0.4
#: Two glyphs of one text and size are one (painted twice) when their origins are closer than this
#: share of the glyph's width (horizontally) and of its size (vertically) …
DUP_SHARE = 0.3
#: … or than this many points (at most half the glyph's width).
DUP_MIN = 1.0
#: Glyphs on one baseline closer than this share of their size are one word (one cell's text).
WORD_GAP = 0.15
#: A page is read turned when at least this share of its glyphs runs in one other direction.
TURN_SHARE = 0.6
#: A page mostly covered by images (at least this share) with little text is a scan.
SCAN_COVER = 0.6
#: … little text: at most this many readable glyphs (a watermark, a page number, a stamp).
SCAN_MAX_CHARS = 60


# -- small structures -----------------------------------------------------------------


class TextLine(NamedTuple):
    """A line of running text on one page."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # median glyph height


class PartCell(NamedTuple):
    """A cell of one page's part of a ruled table."""

    r0: int
    r1: int  # exclusive
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    first_w: float  # width of the first glyph of the first line
    last_w: float  # width of the last line


class TablePart(NamedTuple):
    """One page's part of a table: ruled, or (``ruled=False``) drawn without rules."""

    page: int
    xs: list[float]  # column boundaries
    ys: list[float]  # row boundaries
    cells: list[PartCell]
    top: float
    bottom: float
    x0: float
    x1: float
    ruled: bool = True

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1


class PageLayout(NamedTuple):
    """A page read into table parts and text lines, top to bottom."""

    number: int
    width: float
    height: float
    items: list[TablePart | TextLine]
    n_chars: int
    bad_glyphs: int
    bad_cells: int
    scanned: bool
    notes: list[Note]
    fonts: list[str]  # fonts of the page's unreadable glyphs, by name


# -- characters to text ----------------------------------------------------------------------

_CJK_RANGES = (
    (0x2E80, 0x303F), (0x3040, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA000, 0xA4CF),
    (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3134F),
)


@lru_cache(maxsize=16384)
def _is_wide(ch: str) -> bool:
    o = ord(ch[0]) if ch else 0
    if o < 0x2E80:
        return 0x2010 <= o <= 0x206F and o not in (0x2010, 0x2011, 0x2012)  # CJK-style punctuation “ ” — …
    for lo, hi in _CJK_RANGES:
        if lo <= o <= hi:
            return True
    return False


_X0 = attrgetter("x0")
_BASELINE = attrgetter("baseline")


def _median(values: list[float]) -> float:
    if not values:
        return 0.0
    first = values[0]
    if all(v == first for v in values):  # one font size: the common case
        return first
    s = sorted(values)
    return s[len(s) // 2]


def join_chars(chars: list[Char], size: float) -> str:
    """Characters of one visual line (any order) joined left to right.

    A space goes where the gap between two glyphs is wider than a third of
    the line's glyph height, except between two CJK characters (Chinese is
    written without spaces; a wide gap there is justification).
    """
    chars = sorted(chars, key=_X0)
    out: list[str] = []
    prev: Char | None = None
    gap_min = max(size, 1.0) * 0.33
    space = False
    for ch in chars:
        if ch.text == " ":
            space = True
            continue
        if (prev is not None and (space or ch.x0 - prev.x1 > gap_min)
                and not (_is_wide(prev.text[-1:]) and _is_wide(ch.text[:1]))):
            out.append(" ")
        out.append(ch.text)
        prev = ch
        space = False
    return "".join(out)


def _group_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into visual lines by baseline, top to bottom."""
    if not chars:
        return []
    chars = sorted(chars, key=_BASELINE)
    lines: list[list[Char]] = [[chars[0]]]
    start = chars[0].baseline
    tol = max(_median([c.size for c in chars]) * 0.3, 1.0)
    for ch in chars[1:]:
        if ch.baseline - start > tol:
            lines.append([ch])
            start = ch.baseline
        else:
            lines[-1].append(ch)
    return lines


#: A cell's text keeps at least this much room from each of its rules (pt; Word's default cell margin
#: is 5.4 pt, reportlab's 6): a line of digits with less room left than one more glyph was wrapped.
WRAP_PAD = 8.0
_DIGITISH = "0123456789０１２３４５６７８９.,，．"


def _number_wrapped(line: list[Char], nxt: list[Char], bounds: tuple[float, float] | None) -> bool:
    """Did the layout wrap a number from ``line`` onto ``nxt`` (the cell too narrow for it), rather
    than the writer break it? Only between digits, and only when the next glyph would not have fit
    on the line within the cell (``bounds``: its left and right rule)."""
    if bounds is None:
        return False
    last, first = max(line, key=lambda c: c.x1), min(nxt, key=_X0)
    if last.text not in _DIGITISH or first.text not in _DIGITISH:
        return False
    free = (bounds[1] - bounds[0]) - (last.x1 - min(c.x0 for c in line))
    return free < (first.x1 - first.x0) + 2 * WRAP_PAD


def _cell_text(chars: list[Char], bounds: tuple[float, float] | None = None) -> tuple[str, float, float]:
    """A cell's text (visual lines joined by ``\\n``, a number the cell wrapped joined back: see
    :func:`_number_wrapped`), first glyph width, last line width. ``bounds``: the cell's left and right rule."""
    if len(chars) == 1:  # one glyph: a digit, a dash
        ch = chars[0]
        if ch.text == " ":
            return "", 0.0, 0.0
        return ch.text, ch.x1 - ch.x0, ch.x1 - ch.x0
    base = chars[0].baseline
    if all(c.baseline == base for c in chars):  # one line, one baseline: the common cell
        ink = [c for c in chars if c.text != " "]
        if not ink:
            return "", 0.0, 0.0
        first = min(ink, key=_X0)
        return (join_chars(ink, _median([c.size for c in ink])), first.x1 - first.x0,
                max(c.x1 for c in ink) - first.x0)
    lines = [[c for c in line if c.text != " "] for line in _group_lines(chars)]
    lines = [line for line in lines if line]
    if not lines:
        return "", 0.0, 0.0
    texts = [join_chars(line, _median([c.size for c in line])) for line in lines]
    first = min(lines[0], key=_X0)
    last = lines[-1]
    last_w = max(c.x1 for c in last) - min(c.x0 for c in last)
    out = texts[0]
    for k in range(1, len(texts)):
        out += ("" if _number_wrapped(lines[k - 1], lines[k], bounds) else "\n") + texts[k]
    return out.strip("\n"), first.x1 - first.x0, last_w


def _dedupe(chars: list[Char]) -> list[Char]:
    """Drop glyphs painted twice at (almost) the same place (fake bold, shadows), in any drawing order.

    As pdfplumber's ``dedupe_chars``: the same text at the same size whose origins lie within
    a fraction of the glyph's width (:data:`DUP_SHARE`) horizontally and of its size vertically
    is one glyph; a real doubled letter (``11``) sits a whole advance away and is kept.
    """
    kept: dict[tuple[str, int], list[tuple[float, float, float]]] = {}  # (text, band) -> [(x0, baseline, size)] by x0
    get = kept.get
    out: list[Char] = []
    append = out.append
    band_h = _DUP_BAND
    for ch in chars:
        text = ch.text
        if text == " ":
            append(ch)
            continue
        x0, base, size = ch.x0, ch.baseline, ch.size
        band = int(base // band_h)
        width = ch.x1 - x0
        tol_x = DUP_SHARE * width
        if tol_x < DUP_MIN:
            tol_x = DUP_MIN if 0.5 * width > DUP_MIN else 0.5 * width  # a doubled letter is a whole advance away
        tol_y = DUP_SHARE * size
        if tol_y < DUP_MIN:
            tol_y = DUP_MIN
        offset = base - band * band_h
        # this glyph's band, and the band above or below when the glyph lies near its edge
        bucket = get((text, band))
        if bucket is not None and _painted(bucket, x0, base, size, tol_x, tol_y):
            continue
        if offset < tol_y:
            seen = get((text, band - 1))
            if seen is not None and _painted(seen, x0, base, size, tol_x, tol_y):
                continue
        if band_h - offset < tol_y:
            seen = get((text, band + 1))
            if seen is not None and _painted(seen, x0, base, size, tol_x, tol_y):
                continue
        if bucket is None:
            kept[(text, band)] = [(x0, base, size)]
        else:
            insort(bucket, (x0, base, size))
        append(ch)
    return out


def _painted(seen: list[tuple[float, float, float]], x0: float, base: float, size: float, tol_x: float,
             tol_y: float) -> bool:
    """Is a glyph of ``seen`` (sorted by x0) within the tolerances of this one: painted there already?"""
    k = bisect_left(seen, (x0 - tol_x,))
    n = len(seen)
    while k < n and seen[k][0] <= x0 + tol_x:
        _, b, z = seen[k]
        if -tol_y <= b - base <= tol_y and -0.1 * size <= z - size <= 0.1 * size:
            return True
        k += 1
    return False


#: Height of the baseline bands glyphs are compared in (points).
_DUP_BAND = 8.0


# -- what a reader sees ------------------------------------------------------------------------------


def _hidden(page: PageData) -> tuple[list[Char], list[tuple[Char, str]]]:
    """The page's glyphs a reader can see, and those left out with the reason.

    Left out: a glyph whose colour is that of what lies under it (white on white), a glyph
    wholly under an opaque box drawn after it, a glyph outside the clipping area in force, and
    a glyph drawn in an invisible render mode (3, 7) where visible text covers it. Invisible
    text that overlaps no visible text (the OCR layer of a scanned page) is read.
    """
    chars = page.chars
    if page.plain:
        return chars, []
    fills = Fills(page.fills)
    colors = {ch.color for ch in chars}
    invisible = bool({ch.mode for ch in chars} & {3, 7})
    clipped = any(clip is not None for clip in {ch.clip for ch in chars})
    if not (fills.fills or invisible or clipped):  # the common page: only the colour can hide a glyph
        whites = {c for c in colors if _whitish(c)}
        if not whites:
            return chars, []
        return ([ch for ch in chars if ch.color not in whites or ch.text == " "],
                [(ch, _SAME_COLOUR) for ch in chars if ch.color in whites and ch.text != " "])
    # colours that can vanish: those of the page or of a fill
    seen = [c for c in {f.color for f in fills.fills} | {WHITE} if c is not None]
    fading = {c for c in colors if c is not None and any(same_color(c, s) for s in seen)}
    last_fill = max((f.seq for f in fills.fills), default=-1)
    visible_boxes: dict[tuple[int, int], list[Char]] = {}
    if invisible:
        for ch in chars:
            if ch.mode not in (3, 7) and ch.text != " ":
                for key in _cells_of(ch):
                    visible_boxes.setdefault(key, []).append(ch)
    kept = []
    dropped: list[tuple[Char, str]] = []
    check_fills = bool(fills.fills)
    for ch in chars:
        if ch.text == " ":
            kept.append(ch)
            continue
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        reason = ""
        clip = ch.clip
        if clip is not None and not (clip[0] - 0.5 <= cx <= clip[2] + 0.5 and clip[1] - 0.5 <= cy <= clip[3] + 0.5):
            reason = "outside the clipping area"
        elif ch.mode in (3, 7):
            if _overlaps_visible(ch, visible_boxes):
                reason = "invisible (render mode 3) over visible text"
        elif ch.color in fading and (same_color(ch.color, fills.background(cx, cy, ch.seq)) if check_fills
                                     else _whitish(ch.color)):
            reason = _SAME_COLOUR
        elif ch.seq < last_fill and fills.covered(ch.x0, ch.top, ch.x1, ch.bottom, ch.seq):
            reason = "covered by a box drawn over it"
        if reason:
            dropped.append((ch, reason))
        else:
            kept.append(ch)
    return kept, dropped


_SAME_COLOUR = "the colour of the page under it"


def _whitish(color: tuple[float, float, float] | None) -> bool:
    """Is the colour that of a blank page (see :func:`same_color`)?"""
    return color is not None and color[0] >= 1 - SAME_COLOR and color[1] >= 1 - SAME_COLOR and color[2] >= 1 - SAME_COLOR


_CELL = 16.0


def _cells_of(ch: Char) -> list[tuple[int, int]]:
    return [(gx, gy) for gx in range(int(ch.x0 // _CELL), int(ch.x1 // _CELL) + 1)
            for gy in range(int(ch.top // _CELL), int(ch.bottom // _CELL) + 1)]


def _overlaps_visible(ch: Char, boxes: dict[tuple[int, int], list[Char]]) -> bool:
    area = max((ch.x1 - ch.x0) * (ch.bottom - ch.top), 1e-6)
    for key in _cells_of(ch):
        for o in boxes.get(key, ()):
            w = min(ch.x1, o.x1) - max(ch.x0, o.x0)
            h = min(ch.bottom, o.bottom) - max(ch.top, o.top)
            if w > 0 and h > 0 and w * h >= 0.3 * min(area, max((o.x1 - o.x0) * (o.bottom - o.top), 1e-6)):
                return True
    return False


def _hidden_note(dropped: list[tuple[Char, str]]) -> tuple[str, dict]:
    reasons = Counter(reason for _, reason in dropped)
    sample = "".join(ch.text for ch, _ in sorted(dropped, key=lambda d: (round(d[0].baseline), d[0].x0))[:40])
    what = "; ".join(f"{n} {reason}" for reason, n in reasons.most_common())
    msg = f"{len(dropped)} glyph(s) a reader cannot see were left out ({what}): {sample!r}"
    return msg, {"glyphs": len(dropped), "reasons": dict(reasons), "text": sample}


# -- text turned on the page ----------------------------------------------------------------------------


def _turn(page: PageData, chars: list[Char]) -> tuple[PageData, list[Char]]:
    """The page seen in the reading direction of most of its glyphs (a table printed turned by 90°).

    Glyphs, rulings and the page size are turned so that that direction reads left to right;
    a page whose glyphs mostly read upright is returned as it is.
    """
    if page.upright or not any(ch.direction for ch in chars):
        return page, chars
    counts = Counter(ch.direction for ch in chars if ch.text != " ")
    direction, n = counts.most_common(1)[0]
    if direction == 0 or n < TURN_SHARE * sum(counts.values()):
        return page, chars
    w, h = page.width, page.height
    if direction == 1:  # reads upwards: x' = h - y, y' = x
        def pt(x: float, y: float) -> tuple[float, float]:
            return h - y, x
        size = (h, w)
    elif direction == 3:  # reads downwards: x' = y, y' = w - x
        def pt(x: float, y: float) -> tuple[float, float]:
            return y, w - x
        size = (h, w)
    else:  # upside down
        def pt(x: float, y: float) -> tuple[float, float]:
            return w - x, h - y
        size = (w, h)

    def box(x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        ax, ay = pt(x0, top)
        bx, by = pt(x1, bottom)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    turned: list[Char] = []
    for ch in chars:
        x0, top, x1, bottom = box(ch.x0, ch.top, ch.x1, ch.bottom)
        ox, base = pt(ch.ox, ch.baseline)
        turned.append(ch._replace(x0=x0, x1=x1, top=top, bottom=bottom, baseline=base, ox=ox,
                                  direction=(ch.direction - direction) % 4))
    hr: list[tuple[float, float, float]] = []
    vr: list[tuple[float, float, float]] = []
    for y, a, b in page.hrules:
        x0, top, x1, bottom = box(a, y, b, y)
        (hr if bottom - top < x1 - x0 else vr).append((top, x0, x1) if bottom - top < x1 - x0 else (x0, top, bottom))
    for x, a, b in page.vrules:
        x0, top, x1, bottom = box(x, a, x, b)
        (hr if bottom - top < x1 - x0 else vr).append((top, x0, x1) if bottom - top < x1 - x0 else (x0, top, bottom))
    return page._replace(width=size[0], height=size[1], hrules=hr, vrules=vr), turned


# -- words ----------------------------------------------------------------------------------------------


def _words(chars: list[Char]) -> list[list[Char]]:
    """Glyphs that touch on one baseline (gap at most :data:`WORD_GAP` of their size), left to right.

    Such a run is read as one piece of text: it goes to the table cell where it starts.
    """
    out: list[list[Char]] = []
    for line in _group_lines(chars):
        line.sort(key=_X0)
        word: list[Char] = []
        prev: Char | None = None
        for ch in line:
            if prev is not None:
                size, psize = ch.size, prev.size
                big = size if size > psize else psize
                if (ch.text == " " or prev.text == " " or ch.x0 - prev.x1 > WORD_GAP * (big if big > 1.0 else 1.0)
                        or abs(size - psize) > 0.2 * big):
                    out.append(word)
                    word = []
            word.append(ch)
            prev = ch
        if word:
            out.append(word)
    return out


# -- rulings ---------------------------------------------------------------------------------


def _merge_rules(rules: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear segments snapped (within :data:`SNAP`) and joined (gaps up to :data:`JOIN`)."""
    if not rules:
        return []
    rules = sorted(rules)
    groups: list[list[tuple[float, float, float]]] = [[rules[0]]]
    for r in rules[1:]:
        g = groups[-1]
        if r[0] - g[-1][0] <= SNAP and r[0] - g[0][0] <= 2 * SNAP:
            g.append(r)
        else:
            groups.append([r])
    out: list[tuple[float, float, float]] = []
    for g in groups:
        # Only segments that overlap or nearly meet along their direction are one line: two rulings
        # a few points apart that lie in different places (columns of two tables, one above the
        # other) keep their own positions.
        g.sort(key=lambda r: r[1])
        run = [g[0]]
        cur_b = g[0][2]
        for r in g[1:]:
            if r[1] <= cur_b + JOIN:
                run.append(r)
                if r[2] > cur_b:
                    cur_b = r[2]
            else:
                out.append(_snap(run, cur_b))
                run = [r]
                cur_b = r[2]
        out.append(_snap(run, cur_b))
    return out


def _snap(run: list[tuple[float, float, float]], end: float) -> tuple[float, float, float]:
    """One ruling from collinear, touching segments: their length-weighted position, their extent."""
    if len(run) == 1:  # the common case, with the same arithmetic as the sums below
        p, a, b = run[0]
        w = b - a
        return (p * w / w if w > 0 else p, a, end)
    total = sum(b - a for _, a, b in run)
    pos = sum(p * (b - a) for p, a, b in run) / total if total > 0 else run[0][0]
    return (pos, run[0][1], end)


def _cluster(values: list[float], tol: float) -> list[float]:
    """Sorted centres of clusters of values (single linkage within ``tol``)."""
    if not values:
        return []
    values = sorted(values)
    out: list[list[float]] = [[values[0]]]
    for v in values[1:]:
        if v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


class _UF:
    __slots__ = ("parent",)

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        p = self.parent
        while p[i] != i:
            p[i] = p[p[i]]
            i = p[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _components(h: list[tuple[float, float, float]], v: list[tuple[float, float, float]]) -> list[tuple[list, list]]:
    """Groups of touching rulings: ``[(hrules, vrules), …]``."""
    nh = len(h)
    uf = _UF(nh + len(v))
    vs = sorted(range(len(v)), key=lambda j: v[j][0])
    vx = [v[j][0] for j in vs]
    for i, (y, x0, x1) in enumerate(h):
        lo = bisect_right(vx, x0 - TOUCH - 1e-9)
        hi = bisect_right(vx, x1 + TOUCH)
        for k in range(lo, hi):
            j = vs[k]
            _, t, b = v[j]
            if t - TOUCH <= y <= b + TOUCH:
                uf.union(i, nh + j)
    # Parallel rulings that touch end to end (a border drawn in pieces) are one group too.
    groups: dict[int, tuple[list, list]] = {}
    for i in range(nh):
        groups.setdefault(uf.find(i), ([], []))[0].append(h[i])
    for j in range(len(v)):
        groups.setdefault(uf.find(nh + j), ([], []))[1].append(v[j])
    return list(groups.values())


def _covered(intervals: list[tuple[float, float]], a: float, b: float) -> float:
    """Share of [a, b] covered by the (sorted, disjoint) intervals."""
    length = b - a
    if length <= 0:
        return 1.0
    got = 0.0
    for s, e in intervals:
        if e <= a:
            continue
        if s >= b:
            break
        got += min(e, b) - max(s, a)
    return got / length


def _intervals_at(rules: list[tuple[float, float, float]], pos: float) -> list[tuple[float, float]]:
    """The extents covered by the rulings at ``pos`` (``rules`` sorted by position), merged."""
    lo = bisect_left(rules, (pos - GRID,))
    hi = bisect_right(rules, (pos + GRID, math.inf, math.inf))
    spans = sorted((a, b) for _, a, b in rules[lo:hi])
    merged: list[tuple[float, float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1] + JOIN:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


class _Grid(NamedTuple):
    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int]]  # r0, r1, c0, c1 (exclusive ends)
    slot: list[list[int]]  # slot[r][c] -> index into cells


def _grid(h: list[tuple[float, float, float]], v: list[tuple[float, float, float]]) -> _Grid | None:
    """The cell grid of one group of rulings, or None when it does not enclose cells."""
    if len({round(y) for y, _, _ in h}) < 2 and len(h) < 2:
        return None
    if len(v) < 2 or len(h) < 2:
        return None
    xs = _cluster([x for x, _, _ in v], GRID)
    ys = _cluster([y for y, _, _ in h], GRID)
    # The outer frame where a border is missing (an open side, a table cut by the page end).
    left = min(min(a for _, a, _ in h), xs[0])
    right = max(max(b for _, _, b in h), xs[-1])
    top = min(min(a for _, a, _ in v), ys[0])
    bottom = max(max(b for _, _, b in v), ys[-1])
    if xs[0] - left > GRID:
        xs.insert(0, left)
    if right - xs[-1] > GRID:
        xs.append(right)
    if ys[0] - top > GRID:
        ys.insert(0, top)
    if bottom - ys[-1] > GRID:
        ys.append(bottom)
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1:
        return None
    vs, hs = sorted(v), sorted(h)
    vcov = [_intervals_at(vs, x) for x in xs]
    hcov = [_intervals_at(hs, y) for y in ys]
    # Which internal edges exist.
    uf = _UF(nr * nc)
    for r in range(nr):
        a, b = ys[r], ys[r + 1]
        for c in range(nc - 1):
            if _covered(vcov[c + 1], a, b) < COVER:
                uf.union(r * nc + c, r * nc + c + 1)
    for r in range(nr - 1):
        for c in range(nc):
            if _covered(hcov[r + 1], xs[c], xs[c + 1]) < COVER:
                uf.union(r * nc + c, (r + 1) * nc + c)
    regions: dict[int, list[int]] = {}
    for s in range(nr * nc):
        regions.setdefault(uf.find(s), []).append(s)
    cells: list[tuple[int, int, int, int]] = []
    slot = [[-1] * nc for _ in range(nr)]
    for members in regions.values():
        if len(members) == 1:  # a cell of one slot: the common case
            s0 = members[0]
            idx = len(cells)
            cells.append((s0 // nc, s0 // nc + 1, s0 % nc, s0 % nc + 1))
            slot[s0 // nc][s0 % nc] = idx
            continue
        rows = [s // nc for s in members]
        cols = [s % nc for s in members]
        r0, r1, c0, c1 = min(rows), max(rows) + 1, min(cols), max(cols) + 1
        if (r1 - r0) * (c1 - c0) == len(members):
            shapes = [(r0, r1, c0, c1)]
        else:  # not a rectangle (a ruling is missing): one cell per row run
            shapes = []
            by_row: dict[int, list[int]] = {}
            for rr, cc in zip(rows, cols):
                by_row.setdefault(rr, []).append(cc)
            for rr, cs in sorted(by_row.items()):
                cs.sort()
                start = prev = cs[0]
                for cc in cs[1:]:
                    if cc == prev + 1:
                        prev = cc
                        continue
                    shapes.append((rr, rr + 1, start, prev + 1))
                    start = prev = cc
                shapes.append((rr, rr + 1, start, prev + 1))
        for shape in shapes:
            idx = len(cells)
            cells.append(shape)
            for rr in range(shape[0], shape[1]):
                for cc in range(shape[2], shape[3]):
                    slot[rr][cc] = idx
    cells_sorted = sorted(range(len(cells)), key=lambda i: (cells[i][0], cells[i][2]))
    remap = {old: new for new, old in enumerate(cells_sorted)}
    cells = [cells[i] for i in cells_sorted]
    slot = [[remap[i] for i in row] for row in slot]
    return _Grid(xs, ys, cells, slot)


# -- one page ----------------------------------------------------------------------------------


def _locate(grids: list[_Grid], x: float, y: float) -> tuple[int, int] | None:
    """(grid index, cell index) of the point in the smallest grid holding it, or None."""
    for gi, g in enumerate(grids):
        xs, ys = g.xs, g.ys
        if xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]:
            c = min(bisect_right(xs, x) - 1, len(xs) - 2)
            r = min(bisect_right(ys, y) - 1, len(ys) - 2)
            return gi, g.slot[r][c]
    return None


def _close_to(sorted_values: list[float], value: float, tol: float) -> bool:
    """Is some value of the sorted list within ``tol`` of ``value``?"""
    k = bisect_left(sorted_values, value - tol)
    return k < len(sorted_values) and sorted_values[k] <= value + tol


def _anchor_y(ch: Char) -> float:
    cy = ch.baseline - 0.3 * ch.size
    return ch.top if cy < ch.top else ch.bottom if cy > ch.bottom else cy


def analyse_page(page: PageData) -> PageLayout:
    """Read one page into table parts and text lines (see the module docstring)."""
    notes: list[Note] = [Note(f"page {page.number}", n) for n in page.notes]
    seen, dropped = _hidden(page)
    if dropped:
        msg, evidence = _hidden_note(dropped)
        notes.append(Note(f"page {page.number}", msg, code="hidden-text", severity="info", evidence=evidence))
    page, seen = _turn(page, seen)
    chars = _dedupe(seen)
    bad_glyphs = sum(1 for c in chars if c.bad)
    n_chars = sum(1 for c in chars if c.text != " ")
    readable_chars = n_chars - bad_glyphs
    scanned = ((not n_chars and (page.n_images > 0 or page.image_cover > 0))
               or (page.image_cover >= SCAN_COVER and readable_chars <= SCAN_MAX_CHARS))
    grids: list[_Grid] = []
    h = _merge_rules(page.hrules)
    v = _merge_rules(page.vrules)
    if len(h) + len(v) > MAX_RULINGS:
        notes.append(Note(f"page {page.number}", f"more than {MAX_RULINGS} distinct rulings (a drawing, not a "
                          "table): the page is read as text"))
        h, v = [], []
    page_area = page.width * page.height
    for hg, vg in _components(h, v):
        grid = _grid(hg, vg)
        if grid is None:
            continue
        area = (grid.xs[-1] - grid.xs[0]) * (grid.ys[-1] - grid.ys[0])
        if len(grid.cells) == 1 and page_area > 0 and area > FRAME_SHARE * page_area:
            continue  # a frame around the page or a text box, not a table
        grids.append(grid)
    grids.sort(key=lambda g: (g.xs[-1] - g.xs[0]) * (g.ys[-1] - g.ys[0]))  # smallest first: nested tables win

    # Characters into cells, word by word: a word goes to the cell where it starts (a number whose
    # last digit runs over the cell's rule stays whole); the rest is free text.
    per_cell: list[list[list[Char]]] = [[[] for _ in g.cells] for g in grids]
    free: list[Char] = []
    if grids:
        # Most glyphs sit well inside one cell; a glyph at or over its cell's rule may belong to a
        # word that starts in the cell before: the lines holding such glyphs are read word by word.
        homes: list[tuple[int, int] | None] = []
        near: list[float] = []
        spans = [(gi, g.xs, g.ys, g.xs[0], g.xs[-1], g.ys[0], g.ys[-1], len(g.xs) - 2, len(g.ys) - 2, g.slot, g.cells)
                 for gi, g in enumerate(grids)]
        grid_cells: list[tuple[int, int, int, int]]
        for ch in chars:  # _locate, inline: this runs for every glyph
            x0, x1 = ch.x0, ch.x1
            x = (x0 + x1) / 2
            if x0 + 0.5 < x:
                x = x0 + 0.5
            y = ch.baseline - 0.3 * ch.size
            if y < ch.top:
                y = ch.top
            elif y > ch.bottom:
                y = ch.bottom
            home = None
            for gi, xs, ys, left, right, top, bottom, last_c, last_r, slot, grid_cells in spans:
                if left <= x <= right and top <= y <= bottom:
                    c = bisect_right(xs, x) - 1
                    r = bisect_right(ys, y) - 1
                    cell = slot[r if r < last_r else last_r][c if c < last_c else last_c]
                    home = (gi, cell)
                    c0, c1 = grid_cells[cell][2], grid_cells[cell][3]
                    if (x0 < xs[c0] + 0.5 or x1 > xs[c1] + 0.5) and ch.text != " ":  # at or over a rule
                        near.append(ch.baseline)
                    break
            homes.append(home)
        wordy: set[int] = set()
        if near:
            tol = max(_median([c.size for c in chars]) * 0.3, 1.0)
            near.sort()
            wordy = {k for k, ch in enumerate(chars)
                     if _close_to(near, ch.baseline, tol)}
        for k, (ch, home) in enumerate(zip(chars, homes)):
            if k in wordy:
                continue
            if home is None:
                free.append(ch)
            else:
                per_cell[home[0]][home[1]].append(ch)
        if wordy:
            for word in _words([chars[k] for k in sorted(wordy)]):
                first = word[0]
                home = _locate(grids, min(first.x0 + 0.5, (first.x0 + first.x1) / 2), _anchor_y(first))
                if home is None:
                    free.extend(word)
                else:
                    per_cell[home[0]][home[1]].extend(word)
    else:
        free = chars

    items: list[TablePart | TextLine] = []
    bad_cells = 0
    for g, cell_chars in zip(grids, per_cell):
        cells: list[PartCell] = []
        for (r0, r1, c0, c1), cc in zip(g.cells, cell_chars):
            text, first_w, last_w = "", 0.0, 0.0
            if cc:
                if any(c.bad for c in cc):
                    bad_cells += 1
                else:
                    text, first_w, last_w = _cell_text(cc, (g.xs[c0], g.xs[c1]))
            cells.append(PartCell(r0, r1, g.xs[c0], g.xs[c1], g.ys[r0], g.ys[r1], text, first_w, last_w))
        items.append(TablePart(page.number, g.xs, g.ys, cells, g.ys[0], g.ys[-1], g.xs[0], g.xs[-1]))

    readable = [c for c in free if not c.bad]
    lines: list[TextLine] = []
    for line in _group_lines(readable):
        ink = [c for c in line if c.text != " "]
        if not ink:
            continue
        size = _median([c.size for c in ink])
        text = join_chars(line, size).strip()
        lines.append(TextLine(page.number, text, min(c.x0 for c in ink), max(c.x1 for c in ink),
                              min(c.top for c in ink), max(c.bottom for c in ink), size))
    if not grids and lines:
        parts, lines = _stream_tables(page.number, _group_lines(readable), lines)
        items.extend(parts)
    items.extend(lines)
    items.sort(key=lambda it: (it.top, it.x0))
    fonts = sorted({c.font for c in chars if c.bad and c.font})
    return PageLayout(page.number, page.width, page.height, items, n_chars, bad_glyphs, bad_cells, scanned, notes,
                      fonts)


# -- tables drawn without rules ------------------------------------------------------------------

#: Provenance locator of a table whose grid was built from text positions (no rulings on the page).
UNRULED = "table drawn without rules: columns from the text positions"
#: Within a line, a gap wider than this share of the glyph size separates two pieces of text.
SEG_GAP = 0.4
#: A column header reaches this many glyph sizes beyond its text (numbers right-aligned under a
#: centred header, a header centred over two columns).
HEAD_REACH = 2.0
#: Lines of labels at most between two rows of numbers (a long label wrapped around its numbers).
MAX_WRAP_LINES = 8


class _Seg(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    numeric: bool

    @property
    def mid(self) -> float:
        return (self.x0 + self.x1) / 2


def _segments(line: list[Char]) -> list[_Seg]:
    """The pieces of text of one visual line, split at wide gaps, left to right."""
    chars = sorted(line, key=lambda c: c.x0)
    runs: list[list[Char]] = []
    prev: Char | None = None
    for ch in chars:
        if ch.text == " ":
            continue
        if prev is None or ch.x0 - prev.x1 > SEG_GAP * max(ch.size, prev.size, 1.0):
            runs.append([ch])
        else:
            runs[-1].append(ch)
        prev = ch
    out = []
    for run in runs:
        size = _median([c.size for c in run])
        text = join_chars(run, size).strip()
        if text:
            out.append(_Seg(text, min(c.x0 for c in run), max(c.x1 for c in run), min(c.top for c in run),
                            max(c.bottom for c in run), size, _numeric(text)))
    return out


def _interval_columns(segs: list[_Seg]) -> list[tuple[float, float]]:
    """Columns of numbers: the union of their overlapping x extents, left to right."""
    spans = sorted((s.x0, s.x1) for s in segs)
    out: list[list[float]] = []
    for a, b in spans:
        if out and a <= out[-1][1] + 0.5:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _stream_tables(number: int, char_lines: list[list[Char]],
                   lines: list[TextLine]) -> tuple[list[TablePart], list[TextLine]]:
    """Tables drawn without rules, found from text positions (as camelot's stream flavour does).

    A run of lines holding numbers in columns, under a header whose pieces of text lie over
    every column of numbers, is a table: its columns of numbers are where the numbers' extents
    overlap, its label columns where the labels left of them start, every line a row. The lines
    used are taken out of ``lines``.
    """
    rows = [(ln, _segments(ln)) for ln in char_lines]
    rows = [(ln, segs) for ln, segs in rows if segs]
    used: set[int] = set()
    parts: list[TablePart] = []
    i = 0
    while i < len(rows):
        segs = rows[i][1]
        if not any(s.numeric for s in segs) or (len(segs) < 2 and not segs[0].numeric):
            i += 1
            continue
        # the numbers' block, downwards: lines with numbers, and label lines between them
        end = i + 1
        while end < len(rows):
            nxt = rows[end][1]
            gap = nxt[0].top - max(s.bottom for s in rows[end - 1][1])
            size = max(s.size for s in nxt)
            if gap > 2.5 * size:
                break
            if any(s.numeric for s in nxt):
                end += 1
                continue
            # label lines between rows of numbers (a label wrapped over lines), but not a new header
            # (text over the columns of numbers) with its caption
            area = min(s.x0 for _, ss in rows[i:end] for s in ss if s.numeric) - 0.5 * size
            label_right = max((s.x1 for _, ss in rows[i:end] for s in ss if not s.numeric), default=area)
            ahead = None
            for k in range(end, min(end + 1 + MAX_WRAP_LINES, len(rows))):
                if any(s.numeric for s in rows[k][1]):
                    ahead = k
                    break
                if any(s.x1 > area or s.x0 > label_right + s.size for s in rows[k][1]):
                    break
            if ahead is None:
                break
            end = ahead
        numbers = [s for _, ss in rows[i:end] for s in ss if s.numeric]
        columns = _interval_columns(numbers)
        area = columns[0][0] - 0.5 * _median([s.size for s in numbers])
        # the header, upwards: lines close above without numbers, from the first one with text over
        # the columns of numbers (a heading or a paragraph above the table is not part of it)
        label_right = max((s.x1 for _, ss in rows[i:end] for s in ss if not s.numeric), default=area)
        start = i
        while start > 0:
            above = rows[start - 1][1]
            gap = rows[start][1][0].top - max(s.bottom for s in above)
            if gap > 2.5 * max(s.size for s in above) or any(s.numeric for s in above):
                break
            if len(above) == 1 and above[0].x0 < label_right - above[0].size and above[0].x1 > area:
                break  # running text from the labels' side into the columns
            start -= 1
        while start < i and not any(s.x1 + HEAD_REACH * s.size > area for s in rows[start][1]):
            start += 1
        header = [s for _, ss in rows[start:i] for s in ss if s.x1 + HEAD_REACH * s.size > area]
        under = sum(1 for a, b in columns if any(h.x0 - HEAD_REACH * h.size <= b and a <= h.x1 + HEAD_REACH * h.size
                                                 for h in header))
        if start == i or under < max(1, len(columns) // 2):
            i = end
            continue
        parts.append(_stream_part(number, rows[start:end], columns, area, i - start))
        used.update(range(start, end))
        i = end
    if not parts:
        return [], lines
    taken = {id(ch) for k in used for ch in rows[k][0]}
    keep = []
    for line, (chars, _) in zip(lines, [(ln, None) for ln in char_lines if any(c.text != " " for c in ln)]):
        if not any(id(ch) in taken for ch in chars):
            keep.append(line)
    return parts, keep


def _distance(sg: _Seg, col: tuple[float, float]) -> float:
    """How far a piece of text is from lying over a column: minus the overlap, or the gap."""
    a, b = col
    if sg.x0 <= b and a <= sg.x1:
        return -(min(sg.x1, b) - max(sg.x0, a))
    return min(abs(sg.x0 - b), abs(a - sg.x1))


def _wraps_into(line: list[_Seg], row: list[_Seg], is_label: Callable[[_Seg], bool]) -> bool:
    """Can a line holding only labels be the wrapped part of the label of a row of numbers?

    When the row has no label, or the line's last label starts no further left than the row's
    last label (the same item's text, or a deeper one's); a label further left (a group label
    written down a merged cell) is a row of its own.
    """
    if not all(is_label(sg) for sg in line):
        return False
    labels = [sg for sg in row if is_label(sg)]
    if not labels:
        return True
    return line[-1].x0 >= labels[-1].x0 - 0.5 * line[-1].size


def _stream_part(number: int, rows: list[tuple[list[Char], list[_Seg]]], columns: list[tuple[float, float]],
                 area: float, n_header: int) -> TablePart:
    """The grid of a table drawn without rules: label columns, number columns, one row per line.

    Below the header, lines holding only labels join the row of numbers whose label they continue
    (a label wrapped around its numbers, which are centred on the row): the row above, unless
    the line starts a numbered item (``（二）``, ``1.``), which belongs to the row below.
    """
    # labels: below the header, text whose middle lies left of the columns of numbers; in the
    # header, text that starts left of where those labels end (a column header is not)
    body_labels = [sg for _, ss in rows[n_header:] for sg in ss if not sg.numeric and sg.mid < area]
    label_right = max((sg.x1 for sg in body_labels), default=-math.inf)  # no labels: no label column
    labels = {id(sg) for sg in body_labels} | {
        id(sg) for _, ss in rows[:n_header] for sg in ss if not sg.numeric and sg.x0 < label_right - sg.size}

    def is_label(sg: _Seg) -> bool:
        return id(sg) in labels

    label_starts = _cluster([s.x0 for _, ss in rows for s in ss if is_label(s)],
                            max(_median([s.size for _, ss in rows for s in ss]), 1.0)) or [area]
    # a column header with no number under it (a column left blank): a column too, when it is one
    # of several headers on its line (a caption centred over the table is not)
    extra = [(h.x0, h.x1) for _, ss in rows if sum(1 for h in ss if not is_label(h)) >= 2 for h in ss
             if not is_label(h) and not h.numeric
             and not any(h.x0 - HEAD_REACH * h.size <= b and a <= h.x1 + HEAD_REACH * h.size for a, b in columns)]
    cols = _interval_columns([_Seg("", a, b, 0, 0, 0, True) for a, b in [*columns, *extra]])
    left = min(s.x0 for _, ss in rows for s in ss)
    right = max(max(s.x1 for _, ss in rows for s in ss), cols[-1][1]) + 2.0
    xs = [left - 2.0] + list(label_starts[1:]) + [min(area, cols[0][0])]
    xs += [(cols[k][1] + cols[k + 1][0]) / 2 for k in range(len(cols) - 1)] + [right]
    xs = sorted(set(xs))
    n_label = len(xs) - 1 - len(cols)
    # rows: header lines each a row; below, a wrapped label joins its line of numbers
    groups: list[list[list[_Seg]]] = [[ss] for _, ss in rows[:n_header]]
    body = [ss for _, ss in rows[n_header:]]
    numeric = [k for k, ss in enumerate(body) if any(sg.numeric for sg in ss)]
    joined: dict[int, list[int]] = {k: [k] for k in numeric}
    alone: list[int] = []
    target: int | None = None  # the row whose label the lines now read continue
    for k, ss in enumerate(body):
        if k in joined:
            target = k
            continue
        if _ENUMERATED.match(ss[-1].text):  # a numbered label starts: the next row's (a group's label: no row's)
            nxt = min((n for n in numeric if n > k), default=None)
            if nxt is None or not _wraps_into(ss, body[nxt], is_label):
                alone.append(k)
                continue
            target = nxt
        if target is not None and _wraps_into(ss, body[target], is_label):
            joined[target].append(k)
        else:
            alone.append(k)
    for k in sorted([*numeric, *alone]):
        groups.append([body[j] for j in sorted(joined.get(k, [k]))])
    tops = [min(sg.top for ss in g for sg in ss) for g in groups]
    bottoms = [max(sg.bottom for ss in g for sg in ss) for g in groups]
    ys = [tops[0] - 1.0] + [(bottoms[r] + tops[r + 1]) / 2 for r in range(len(groups) - 1)] + [bottoms[-1] + 1.0]
    for r in range(1, len(ys)):  # rows whose wrapped labels interleave: keep the boundaries in order
        ys[r] = max(ys[r], ys[r - 1] + 0.01)
    grid: dict[tuple[int, int], list[_Seg]] = {}
    for r, group in enumerate(groups):
        for ss in group:
            for sg in ss:
                if is_label(sg):
                    c = max(0, min(n_label - 1, bisect_right(label_starts, sg.x0 + 0.5 * sg.size) - 1))
                else:  # the column under the text, or the nearest
                    c = n_label + min(range(len(cols)), key=lambda j: _distance(sg, cols[j]))
                grid.setdefault((r, c), []).append(sg)
    cells = []
    for r in range(len(groups)):
        for c in range(len(xs) - 1):
            segs = grid.get((r, c), [])
            lines: list[str] = []
            prev_top = 0.0
            for sg in segs:  # pieces on one line joined by a space, lines by a line break
                if lines and abs(sg.top - prev_top) < 0.5 * sg.size:
                    lines[-1] += " " + sg.text
                else:
                    lines.append(sg.text)
                prev_top = sg.top
            cells.append(PartCell(r, r + 1, xs[c], xs[c + 1], ys[r], ys[r + 1], "\n".join(lines), 0.0, 0.0))
    return TablePart(number, xs, ys, cells, ys[0], ys[-1], xs[0], xs[-1], ruled=False)


# -- page furniture ---------------------------------------------------------------------------------

_PAGE_NO = re.compile(
    r"^(?:[-—–－~·•.]*[0-9]{1,4}[-—–－~·•.]*|第[0-9]{1,4}页(?:[,，]?共[0-9]{1,4}页)?|[0-9]{1,4}/[0-9]{1,4}"
    r"|page[0-9]{1,4}(?:of[0-9]{1,4})?|[-—–－]*[ivxlc]{1,6}[-—–－]*)$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"[0-9０-９]+")


def _squash(text: str) -> str:
    return "".join(text.split())


def _furniture(pages: list[PageLayout]) -> set[tuple[int, int]]:
    """``(page index, item index)`` of page numbers and running headers/footers."""
    candidates: list[tuple[int, int, str, str, float]] = []  # page idx, item idx, zone, key, top
    for pi, page in enumerate(pages):
        tables = [it for it in page.items if isinstance(it, TablePart)]
        first_table = min((t.top for t in tables), default=page.height)
        last_table = max((t.bottom for t in tables), default=0.0)
        band = MARGIN_BAND * page.height
        for ii, it in enumerate(page.items):
            if not isinstance(it, TextLine):
                continue
            if it.bottom <= band and it.bottom <= first_table + 1:
                zone = "top"
            elif it.top >= page.height - band and it.top >= last_table - 1:
                zone = "bottom"
            else:
                continue
            candidates.append((pi, ii, zone, _DIGITS.sub("#", _squash(it.text)), it.top))
    out: set[tuple[int, int]] = set()
    repeats = Counter((zone, key) for _, _, zone, key, _ in candidates)
    seen_repeat: set[tuple[str, str]] = set()
    for pi, ii, zone, key, _top in candidates:
        text = _squash(pages[pi].items[ii].text)  # type: ignore[union-attr]
        if _PAGE_NO.match(text):
            out.add((pi, ii))
        elif len(pages) > 1 and repeats[(zone, key)] >= 2:
            if pi == 0 and zone == "top" and (zone, key) not in seen_repeat:
                seen_repeat.add((zone, key))  # a running header on the first page may be the only title
                continue
            out.add((pi, ii))
    return out


# -- stitching tables -------------------------------------------------------------------------------


class _GCell:
    """A cell of a table being assembled from parts (rows global, columns by x)."""

    __slots__ = ("bottom", "first_w", "last_w", "page", "r0", "r1", "text", "top", "x0", "x1")

    def __init__(self, pc: PartCell, page: int, row_offset: int) -> None:
        self.r0 = pc.r0 + row_offset
        self.r1 = pc.r1 + row_offset
        self.x0, self.x1 = pc.x0, pc.x1
        self.top, self.bottom = pc.top, pc.bottom
        self.text = pc.text
        self.first_w, self.last_w = pc.first_w, pc.last_w
        self.page = page


def _numeric(text: str) -> bool:
    t = _squash(text).replace(",", "").replace("，", "")
    return bool(t) and bool(re.fullmatch(r"[-+−]?[0-9０-９]+(?:[.．][0-9０-９]+)?%?", t))


# The start of a numbered item: （七） (3) 四、 3. 3、 ①
_ENUMERATED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十百0-9０-９]+[)）]|[一二三四五六七八九十百]+[、.．]"
                         r"|[0-9０-９]+[.、．)）]|[①-⑳])")


def _fuzzy_equal(a: set[tuple[int, int, int, int, str]], b: set[tuple[int, int, int, int, str]]) -> bool:
    """The same cells (rows and texts), their x positions equal within the stitching tolerance."""
    if len(a) != len(b):
        return False
    sa, sb = sorted(a, key=lambda t: (t[0], t[2])), sorted(b, key=lambda t: (t[0], t[2]))
    return all(x[0] == y[0] and x[1] == y[1] and x[4] == y[4] and abs(x[2] - y[2]) <= STITCH_INNER
               and abs(x[3] - y[3]) <= STITCH_INNER for x, y in zip(sa, sb))


def _drop_rows(part: TablePart, k: int) -> TablePart:
    """The part without its first ``k`` rows (a repeated header)."""
    cells = [c._replace(r0=c.r0 - k, r1=c.r1 - k) for c in part.cells if c.r0 >= k]
    ys = part.ys[k:]
    return part._replace(cells=cells, ys=ys, top=ys[0])


def _wrapped(a: _GCell, b: PartCell) -> bool:
    """Could ``b``'s first glyph not fit on ``a``'s last line (so the text wrapped)?"""
    return a.last_w + b.first_w > (a.x1 - a.x0) - WRAP_SLACK


class _TableBuilder:
    """Stitches the parts of one table."""

    def __init__(self, part: TablePart) -> None:
        self.cells: list[_GCell] = [_GCell(pc, part.page, 0) for pc in part.cells]
        self.n_rows = part.n_rows
        self.xs = list(part.xs)
        self.page = part.page
        self.bbox = (part.x0, part.top, part.x1, part.bottom)
        self.last = part
        self.first = part

    def compatible(self, part: TablePart) -> bool:
        a, b = self.xs, part.xs
        if abs(a[0] - b[0]) > STITCH_EDGE or abs(a[-1] - b[-1]) > STITCH_EDGE:
            return False
        inner_a, inner_b = a[1:-1], b[1:-1]
        small, large = (inner_a, inner_b) if len(inner_a) <= len(inner_b) else (inner_b, inner_a)
        return all(any(abs(x - y) <= STITCH_INNER for y in large) for x in small)

    def _pairs(self, part: TablePart) -> tuple[list[tuple[_GCell, PartCell]], bool]:
        """Cells of the table's last row paired with the part's first-row cells by x extent."""
        bottom = [c for c in self.cells if c.r1 == self.n_rows]
        top = [c for c in part.cells if c.r0 == 0]
        pairs = []
        used: set[int] = set()
        for pc in top:
            match = None
            for c in bottom:
                if id(c) not in used and abs(c.x0 - pc.x0) <= STITCH_INNER and abs(c.x1 - pc.x1) <= STITCH_INNER:
                    match = c
                    break
            if match is not None:
                used.add(id(match))
                pairs.append((match, pc))
        complete = len(pairs) == len(top) == len(bottom)
        return pairs, complete

    def _row_split(self, pairs: list[tuple[_GCell, PartCell]], complete: bool) -> bool:
        """Is the part's first row the rest of the table's last row (a row split by the page break)?"""
        if not complete or not pairs:
            return False
        both = one = 0
        for a, b in pairs:
            ta, tb = a.text, b.text
            if ta and tb:
                # two numbers never share a cell; text that was cut by the break either wrapped
                # (the first part's last line is full) or goes on without starting a new numbered item
                if _numeric(ta) or _numeric(tb) or not (_wrapped(a, b) or not _ENUMERATED.match(tb)):
                    return False
                both += 1
            elif ta or tb:
                one += 1
        if not both and one and not any(b.text for _, b in pairs):
            return True  # the whole row's text stayed above the break; below it, the row runs on blank
        return both >= 1 and one >= 1

    def _cut_cells(self, pairs: list[tuple[_GCell, PartCell]], part: TablePart) -> bool:
        """Did the page break cut the paired cells while the part starts a new row under wider cells?

        A header row whose cells are merged downwards in some columns (行政复议's 结果维持 …, two rows
        high) and split into finer cells in others (未经复议直接起诉 over its five results): when the
        break falls between the two header rows, the tall cells run on over the break, their text
        cut (结 / 果维持), while under each wide cell a new row of finer cells begins. Then every
        unpaired cell of the table's last row holds at least two unpaired cells of the part's first
        row, every unpaired cell of that row lies under one of them, and each paired cell whose text
        is on both sides reads as cut text (as for :meth:`_row_split`).
        """
        if not pairs:
            return False
        paired_a = {id(a) for a, _ in pairs}
        paired_b = {id(b) for _, b in pairs}
        wide = [c for c in self.cells if c.r1 == self.n_rows and id(c) not in paired_a]
        fine = [c for c in part.cells if c.r0 == 0 and id(c) not in paired_b]
        if not wide or not fine:
            return False
        under = {id(w): 0 for w in wide}
        for f in fine:
            home = next((w for w in wide if f.x0 >= w.x0 - STITCH_INNER and f.x1 <= w.x1 + STITCH_INNER), None)
            if home is None:
                return False
            under[id(home)] += 1
        if min(under.values()) < 2:
            return False
        both = 0
        for a, b in pairs:
            if a.text and b.text:
                if _numeric(a.text) or _numeric(b.text) or not (_wrapped(a, b) or not _ENUMERATED.match(b.text)):
                    return False
                both += 1
        return both >= 1

    def _repeated_header(self, part: TablePart) -> int:
        """How many of the part's first rows repeat the table's first rows (a repeated header), or 0."""
        first = self.first

        def block(cells: list[PartCell], k: int) -> set[tuple[int, int, int, int, str]] | None:
            inside = [c for c in cells if c.r0 < k]
            if any(c.r1 > k for c in inside):
                return None  # a cell runs on below: not a closed block of rows
            return {(c.r0, c.r1, round(c.x0), round(c.x1), _squash(c.text)) for c in inside}

        best = 0
        for k in range(1, min(MAX_HEADER_ROWS, first.n_rows, part.n_rows - 1) + 1):
            a, b = block(first.cells, k), block(part.cells, k)
            if a is None or b is None:
                continue
            if (a == b or _fuzzy_equal(a, b)) and any(t for *_, t in b):
                best = k
        return best

    def add(self, part: TablePart) -> None:
        k = self._repeated_header(part)
        if k:
            part = _drop_rows(part, k)
        pairs, complete = self._pairs(part)
        split = self._row_split(pairs, complete)
        cut = not split and self._cut_cells(pairs, part)
        offset = self.n_rows - 1 if split else self.n_rows
        merged: dict[int, _GCell] = {}
        for a, b in pairs:
            if split or (cut and (a.text or b.text)):
                merged[id(b)] = a
            elif (not a.text or not b.text) and (a.r1 - a.r0 > 1 or b.r1 - b.r0 > 1):
                merged[id(b)] = a  # a merged cell running on over the page break
        for pc in part.cells:
            into = merged.get(id(pc))
            if into is None:
                self.cells.append(_GCell(pc, part.page, offset))
                continue
            into.r1 = pc.r1 + offset
            if pc.text:
                into.text = f"{into.text}\n{pc.text}" if into.text else pc.text
                into.last_w = pc.last_w
        self.n_rows = part.n_rows + offset
        self.xs = _cluster(self.xs + part.xs, GRID)
        self.last = part

    def table(self, adapter: str) -> Table:
        xs = _cluster([c.x0 for c in self.cells] + [c.x1 for c in self.cells], GRID)

        def col(x: float) -> int:
            i = bisect_right(xs, x)
            if i >= len(xs):
                return len(xs) - 1
            if i > 0 and x - xs[i - 1] <= xs[i] - x:
                return i - 1
            return i

        taken: dict[tuple[int, int], Cell] = {}
        out: list[Cell] = []
        for g in sorted(self.cells, key=lambda c: (c.r0, c.x0)):
            c0, c1 = col(g.x0), col(g.x1)
            if c1 <= c0:
                c1 = c0 + 1
            r0, r1 = g.r0, max(g.r1, g.r0 + 1)
            if (r0, c0) in taken:  # cannot happen for a sound grid; keep the text, not a broken table
                if g.text:
                    owner = taken[(r0, c0)]
                    out[out.index(owner)] = Cell(owner.row, owner.col, f"{owner.text}\n{g.text}" if owner.text
                                                 else g.text, owner.row_span, owner.col_span, owner.provenance)
                continue
            # shrink to the free area from the top-left corner
            cc = c0
            while cc < c1 and (r0, cc) not in taken:
                cc += 1
            c1 = cc
            rr = r0 + 1  # row r0 is free from c0 to c1: just checked
            while rr < r1 and all((rr, k) not in taken for k in range(c0, c1)):
                rr += 1
            r1 = rr
            prov = Provenance(adapter, page=g.page, bbox=(g.x0, g.top, g.x1, g.bottom))
            cell = Cell(r0, c0, g.text, r1 - r0, c1 - c0, prov)
            out.append(cell)
            if r1 - r0 == 1 and c1 - c0 == 1:
                taken[(r0, c0)] = cell
                continue
            for r in range(r0, r1):
                for k in range(c0, c1):
                    taken[(r, k)] = cell
        locator = None if self.first.ruled else UNRULED
        if locator:
            out = [attrs.evolve(c, provenance=attrs.evolve(c.provenance, locator=locator))
                   if c.provenance is not None else c for c in out]
        return Table(out, provenance=Provenance(adapter, page=self.page, bbox=self.bbox, locator=locator))


# -- paragraphs ---------------------------------------------------------------------------------------


def _join_lines(a: str, b: str) -> str:
    if not a:
        return b
    if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum():
        return f"{a} {b}"
    return a + b


class _Para:
    __slots__ = ("bottom", "left", "lines", "page", "size", "x0", "x1")

    def __init__(self, line: TextLine) -> None:
        self.lines = [line]
        self.page = line.page
        self.left = line.x0
        self.size = line.size
        self.x0, self.x1, self.bottom = line.x0, line.x1, line.bottom


class _Margins(NamedTuple):
    right: float  # where full lines end
    pitch: float  # baseline distance of consecutive lines inside a paragraph, at body size
    body: float  # body text size


def _right_margin(lines: list[TextLine]) -> float | None:
    """The right edge of the body text: where most long lines end (justified text), if clear."""
    ends = Counter(round(line.x1) for line in lines if len(line.text) >= 8)
    if not ends:
        return None
    best, _ = ends.most_common(1)[0]
    near = sum(n for x, n in ends.items() if abs(x - best) <= 2)
    return float(max(x for x in ends if abs(x - best) <= 2)) if near >= 3 else None


def _tight_pitch(pages: list[list[TextLine]], body: float) -> float:
    """The smallest line pitch that occurs at least twice among body-size lines (lines inside paragraphs)."""
    pitches = sorted(b.top - a.top for lines in pages for a, b in pairwise(lines)
                     if b.top > a.top and abs(a.size - body) <= 0.15 * body and abs(b.size - body) <= 0.15 * body)
    for i, p in enumerate(pitches):
        if i + 1 < len(pitches) and pitches[i + 1] - p <= 1.0:
            return p
    return 0.0


def _new_paragraph(prev: TextLine, line: TextLine, para: _Para, right_prev: float, m: _Margins) -> bool:
    """Does ``line`` start a new paragraph after ``prev``?"""
    size = max(prev.size, line.size, 1.0)
    if abs(prev.size - line.size) > 0.15 * size:
        return True
    heading = prev.size >= 1.25 * m.body and line.size >= 1.25 * m.body
    if line.page == prev.page:
        gap = line.top - prev.top
        pitch = m.pitch * size / m.body if m.pitch and m.body else 1.6 * size
        if gap > max(pitch * 1.3, size * 1.2) + 1.0 or gap < 0:
            return True
    elif not heading and prev.x1 < right_prev - 1.5 * size:
        return True
    if heading:
        return False
    if line.x0 > para.left + 1.0 * size:
        return True  # an indented first line
    # the previous line ended short: the end of its paragraph
    return prev.x1 < right_prev - 2.0 * size


# -- the document ----------------------------------------------------------------------------------------


def _pages(layouts: list[PageLayout]) -> str:
    """``page 3`` or ``pages 2, 4-6``."""
    return page_ranges(p.number for p in layouts)


def build_document(pages: Iterable[PageData], adapter: str = "pdf") -> Document:
    """Read the pages (an iterable, consumed once, page by page) into a Document."""
    layouts = [analyse_page(p) for p in pages]
    return assemble(layouts, adapter)


def assemble(layouts: list[PageLayout], adapter: str = "pdf") -> Document:
    """Stitch page layouts into a Document (see the module docstring)."""
    if not layouts:
        raise ExtractError("the PDF has no pages")
    notes: list[Note] = []
    text_pages = [p for p in layouts if p.n_chars > 0 and not p.scanned]
    scans = [p for p in layouts if p.scanned]
    if not text_pages:
        if scans:
            what = "a scanned page" if len(scans) == 1 else f"{_pages(scans)} are scanned"
            raise NeedsOCRError(f"no text layer ({what}); OCR is needed", page=scans[0].number)
        raise ExtractError("the PDF contains no text (its pages are blank or the text is drawn as outlines)")
    if all(p.bad_glyphs >= p.n_chars for p in text_pages):
        first = next(p for p in text_pages if p.bad_glyphs)
        fonts = sorted({f for p in text_pages for f in p.fonts})
        named = f" ({', '.join(fonts)})" if fonts else ""
        whose = "the text" if len(text_pages) == 1 else f"the text of {_pages(text_pages)}"
        raise NeedsOCRError(f"{whose} uses fonts with no Unicode mapping{named}: no glyph can be read; OCR is needed",
                            page=first.number)
    for p in scans:
        notes.append(Note(f"page {p.number}", "no text layer (a scanned page): its content is not read; OCR is needed",
                          evidence={"ocr_needed": "scanned, no text layer"}))
    for p in layouts:
        notes.extend(p.notes)
        if p.bad_glyphs and not p.scanned:
            named = f" ({', '.join(p.fonts)})" if p.fonts else ""
            msg = (f"{p.bad_glyphs} unreadable glyph(s): the text uses fonts with no Unicode mapping{named}; "
                   "they are left out")
            if p.bad_cells:
                msg += f", and {p.bad_cells} table cell(s) holding them are left empty"
            evidence: dict = {"glyphs": p.bad_glyphs, "fonts": p.fonts}
            if p.bad_glyphs * 2 >= p.n_chars:  # most of the page: its text cannot be read without OCR
                evidence["ocr_needed"] = "the text uses fonts with no Unicode mapping" + named
            notes.append(Note(f"page {p.number}", msg, evidence=evidence))

    furniture = _furniture(layouts)
    heights: Counter[float] = Counter()
    for p in layouts:
        for it in p.items:
            if isinstance(it, TextLine):
                heights[round(it.size, 1)] += len(it.text)
    body = heights.most_common(1)[0][0] if heights else 10.0

    kept: list[tuple[PageLayout, list[TablePart | TextLine]]] = []
    for pi, p in enumerate(layouts):
        items = [it for ii, it in enumerate(p.items) if (pi, ii) not in furniture]
        kept.append((p, items))
    page_lines = [[it for it in items if isinstance(it, TextLine)] for _, items in kept]
    all_lines = [line for lines in page_lines for line in lines]
    long_ends = [line.x1 for line in all_lines if len(line.text) >= 8] or [line.x1 for line in all_lines] or [0.0]
    # without justified lines to tell, assume the right margin mirrors the left one
    width = Counter(round(p.width) for p in layouts).most_common(1)[0][0]
    mirrored = width - min((line.x0 for line in all_lines), default=0.0)
    doc_right = _right_margin(all_lines) or max(long_ends + [mirrored])
    rights: dict[int, float] = {}
    for (p, _), lines in zip(kept, page_lines):
        right = _right_margin(lines)
        if right is None:
            own = [line.x1 for line in lines if len(line.text) >= 8] or [line.x1 for line in lines] or [p.width]
            right = doc_right if doc_right <= p.width + 1 and max(own) <= doc_right + 2 else max(own)
        rights[p.number] = right
    margins = _Margins(doc_right, _tight_pitch(page_lines, body), body)

    blocks: list[Block] = []
    builder: _TableBuilder | None = None
    builder_index = -1
    para: _Para | None = None
    prev_line: TextLine | None = None
    table_open = False  # the last item read is a table part that ends its page
    last_height = 0.0  # height of the page of the last table part

    def flush_para() -> None:
        nonlocal para
        if para is None:
            return
        text = ""
        for line in para.lines:
            text = _join_lines(text, line.text)
        lines_here = [line for line in para.lines if line.page == para.page]
        bbox = (min(x.x0 for x in lines_here), min(x.top for x in lines_here),
                max(x.x1 for x in lines_here), max(x.bottom for x in lines_here))
        level = 1 if para.size >= 1.25 * body else None
        blocks.append(Paragraph(text, Provenance(adapter, page=para.page, bbox=bbox), level))
        para = None

    def flush_table() -> None:
        nonlocal builder
        if builder is not None:
            blocks[builder_index] = builder.table(adapter)
            builder = None

    for p, items in kept:
        for idx, it in enumerate(items):
            if isinstance(it, TablePart):
                flush_para()
                prev_line = None
                if (builder is not None and table_open and idx == 0 and it.page == builder.last.page + 1
                        and builder.last.bottom >= STITCH_BOTTOM * last_height and it.top <= STITCH_TOP * p.height
                        and it.ruled and builder.first.ruled and builder.compatible(it)):
                    builder.add(it)
                else:
                    flush_table()
                    builder = _TableBuilder(it)
                    builder_index = len(blocks)
                    blocks.append(Paragraph(""))  # placeholder, replaced by flush_table
                table_open = idx == len(items) - 1
                last_height = p.height
            else:
                table_open = False
                if para is not None and prev_line is not None and not _new_paragraph(
                        prev_line, it, para, rights[prev_line.page], margins):
                    para.lines.append(it)
                    if it.page == para.page:
                        para.x0 = min(para.x0, it.x0)
                else:
                    flush_para()
                    para = _Para(it)
                prev_line = it
        if not items:
            table_open = False
    flush_para()
    flush_table()
    return Document(blocks, adapter=adapter, notes=notes)
