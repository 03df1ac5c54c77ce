"""PDF backends: read each page's characters, rulings and images.

Two backends produce the same :class:`PageData` for a page, so the layout
analysis in :mod:`gxparse.formats._pdf_layout` (tables, paragraphs) does not
depend on which one read the file:

* ``pypdfium2`` (the default): PDFium, Chrome's PDF engine, called through
  pypdfium2's raw ctypes bindings. Characters, their boxes and the page's path
  objects are read at C speed.
* ``pdfplumber``: pdfminer.six's interpreter (pure Python). Slower; kept as the
  reference the fast backend is checked against.

What both backends deliver, in PDF points with the origin at the page's
top-left corner (pdfplumber's convention), the page rotation applied:

* characters: text, ``x0``/``x1`` (origin and advance), ``top``/``bottom``,
  the baseline, and whether the glyph has no Unicode mapping;
* rulings: horizontal and vertical segments taken from stroked path segments
  and from thin filled rectangles (a border drawn as a 0.5 pt high box);
* images: how many there are and how much of the page they cover.

Everything is read page by page; a backend keeps one page open at a time.
Neither backend is imported before :func:`open_backend` is called.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import threading
from collections.abc import Iterator
from typing import Any, NamedTuple

from .._errors import EncryptedSourceError, ExtractError, ResourceLimitError
from ._pdf_scan import DocScan, Limits, base_font_name, may_exceed, may_lack_unicode, raw_marks, scan
from ._pdfium_calls import calls

__all__ = [
    "BACKENDS",
    "MAX_PATH_SEGMENTS",
    "Char",
    "PageData",
    "PdfBackend",
    "is_unreadable_text",
    "open_backend",
]

#: Backend names, default first.
BACKENDS = ("pypdfium2", "pdfplumber")

#: Path segments read per page at most; past this the page's drawings are
#: not read (its tables are not found) and a note says so.
MAX_PATH_SEGMENTS = 100_000
#: Characters read per page at most.
MAX_CHARS_PER_PAGE = 200_000

# White space other than the plain space is not kept; a space glyph is kept as a word separator
# (the layout also puts spaces where the gaps are).
_SKIP = frozenset(("\r", "\n", "\t", "\u3000", "\u00a0", "\ufeff", "\u200b", "\x00"))

# A filled rectangle this thin (in one direction) is a ruling, not a shaded area.
_THIN = 3.0
# Rulings shorter than this are ignored (dots, tick marks, glyph-like drawings).
_MIN_RULING = 2.0
# A path segment whose ends differ by at most this much across its direction is axis-parallel.
_AXIS_TOL = 0.5


Color = tuple[float, float, float]
Box = tuple[float, float, float, float]  # x0, top, x1, bottom

#: The page's own colour where nothing is painted.
WHITE: Color = (1.0, 1.0, 1.0)


class Char(NamedTuple):
    """One glyph on the page (top-left origin, points)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float  # y of the glyph's origin
    size: float  # font size in points (Tf size times the text matrix scale)
    bad: bool  # no Unicode mapping: (cid:N), private-use code, U+FFFD, a font without any …
    seq: int = 0  # drawing order on the page: glyphs and fills compare by it
    color: Color | None = None  # fill colour (RGB, 0..1); None when not known (a pattern, a spot colour)
    mode: int = 0  # text render mode: 3 and 7 draw nothing
    clip: Box | None = None  # the clipping area in force, as a box; None: the page
    font: str = ""  # base font name, set for glyphs without Unicode mapping
    direction: int = 0  # reading direction in quarter turns counter-clockwise: 0 upright, 1 upwards, 3 downwards
    ox: float = 0.0  # x of the glyph's origin


class Fill(NamedTuple):
    """A filled rectangle larger than a ruling: a cell's shading, a box pasted over text, a page background."""

    x0: float
    top: float
    x1: float
    bottom: float
    seq: int
    color: Color | None


class PageData(NamedTuple):
    """Everything the layout analysis needs from one page."""

    number: int  # 1-based
    width: float
    height: float
    chars: list[Char]
    hrules: list[tuple[float, float, float]]  # (y, x0, x1), visible ones only
    vrules: list[tuple[float, float, float]]  # (x, top, bottom), visible ones only
    n_images: int
    image_cover: float  # fraction of the page area covered by image boxes (capped at 1)
    notes: list[str]
    fills: tuple[Fill, ...] = ()
    #: rulings left out because they cannot be seen (white on white, degenerate)
    hidden_rules: int = 0
    #: what the backend saw while reading, to spare the layout a pass over the glyphs: ``plain``,
    #: no glyph can be hidden (no fills, no clipping, no invisible mode, no glyph the page's
    #: colour); ``upright``, every glyph reads left to right. False: not known.
    plain: bool = False
    upright: bool = False


def plain_page(chars: list[Char], fills: Any) -> tuple[bool, bool]:
    """``(plain, upright)`` of :class:`PageData` for these glyphs and fills (one pass)."""
    if fills:
        plain = False
    else:
        plain = True
        colors = {ch.color for ch in chars}
        if any(c is not None and c[0] >= 1 - SAME_COLOR and c[1] >= 1 - SAME_COLOR and c[2] >= 1 - SAME_COLOR
               for c in colors) or {ch.mode for ch in chars} - {0, 1, 2} or any(clip is not None for clip in {ch.clip for ch in chars}):
            plain = False
    return plain, not any(ch.direction for ch in chars)

def is_unreadable_text(text: str) -> bool:
    """Is ``text`` a glyph that has no real Unicode mapping?

    ``(cid:N)`` (pdfminer), U+FFFD, C0 controls other than white space, and
    private-use code points (fonts without a ToUnicode map often land there).
    """
    if not text:
        return True
    if text.startswith("(cid:"):
        return True
    for ch in text:
        o = ord(ch)
        if o == 0xFFFD or o == 0xFFFE or (o < 32 and ch not in "\t\n\r") or 0xE000 <= o <= 0xF8FF or o >= 0xF0000:
            return True
    return False


# -- geometry shared by both backends ------------------------------------------------


Matrix = tuple[float, float, float, float, float, float]


def _mul(m1: Matrix, m2: Matrix) -> Matrix:
    """The matrix applying ``m1`` first, then ``m2`` (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def page_ctm(mediabox: tuple[float, float, float, float], rotate: int) -> tuple[Matrix, float, float]:
    """User space → unrotated-display space (pdfminer's convention), and the display width/height."""
    x0, y0, x1, y1 = mediabox
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    rotate %= 360
    if rotate == 90:
        return (0, -1, 1, 0, -y0, x1), y1 - y0, x1 - x0
    if rotate == 180:
        return (-1, 0, 0, -1, x1, y1), x1 - x0, y1 - y0
    if rotate == 270:
        return (0, 1, -1, 0, y1, -x0), y1 - y0, x1 - x0
    return (1, 0, 0, 1, -x0, -y0), x1 - x0, y1 - y0


class _Rules:
    """Collects rulings and fills from subpaths (points already in top-left page space)."""

    __slots__ = ("fills", "h", "v")

    def __init__(self) -> None:
        self.h: list[tuple[float, float, float, Color | None, int]] = []
        self.v: list[tuple[float, float, float, Color | None, int]] = []
        self.fills: list[Fill] = []

    def subpath(self, pts: list[tuple[float, float]], straight: list[bool], closed: bool,
                stroke: Color | bool | None, fill: Color | bool | None, seq: int = 0) -> None:
        """Add the rulings of one subpath.

        ``pts[i]``→``pts[i+1]`` is a straight segment when ``straight[i]``;
        a closed subpath also has the segment from the last point back to
        the first. ``stroke`` and ``fill`` are False when the path is not
        stroked (filled), else the colour (None: unknown). A stroked straight
        axis-parallel segment is a ruling; a filled subpath whose box is thin
        in one direction is one ruling along its middle (a degenerate one,
        zero across, paints nothing); a filled rectangle otherwise is a fill.
        """
        n = len(pts)
        if n < 2:
            return
        if stroke is not False:
            color = stroke if stroke is not True else None
            h, v = self.h, self.v
            for i in range(n - 1 + (1 if closed else 0)):
                if i < n - 1 and not straight[i]:
                    continue
                ax, ay = pts[i]
                bx, by = pts[(i + 1) % n]
                if abs(ay - by) <= _AXIS_TOL:
                    if abs(ax - bx) >= _MIN_RULING:
                        h.append(((ay + by) / 2, min(ax, bx), max(ax, bx), color, seq))
                elif abs(ax - bx) <= _AXIS_TOL and abs(ay - by) >= _MIN_RULING:
                    v.append(((ax + bx) / 2, min(ay, by), max(ay, by), color, seq))
        elif fill is not False and n >= 3 and all(straight[: n - 1]):
            color = fill if fill is not True else None
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            w, hgt = x1 - x0, y1 - y0
            if hgt <= _THIN and w >= _MIN_RULING and w > hgt:
                if hgt > 0:
                    self.h.append(((y0 + y1) / 2, x0, x1, color, seq))
            elif w <= _THIN and hgt >= _MIN_RULING and hgt > w:
                if w > 0:
                    self.v.append(((x0 + x1) / 2, y0, y1, color, seq))
            elif w > _THIN and hgt > _THIN and _is_rectangle(pts):
                self.fills.append(Fill(x0, y0, x1, y1, seq, color))

    def visible(self) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]], int]:
        """The rulings a reader can see (colour unlike what lies under them), and how many are not."""
        fills = Fills(self.fills)
        hidden = 0
        h: list[tuple[float, float, float]] = []
        v: list[tuple[float, float, float]] = []
        for y, a, b, color, seq in self.h:
            if color is not None and same_color(color, fills.background((a + b) / 2, y, seq)):
                hidden += 1
            else:
                h.append((y, a, b))
        for x, a, b, color, seq in self.v:
            if color is not None and same_color(color, fills.background(x, (a + b) / 2, seq)):
                hidden += 1
            else:
                v.append((x, a, b))
        return h, v, hidden


def _is_rectangle(pts: list[tuple[float, float]]) -> bool:
    """Do the points trace an axis-parallel rectangle (4 corners, maybe the first repeated)?"""
    if len(pts) == 5 and abs(pts[0][0] - pts[4][0]) <= _AXIS_TOL and abs(pts[0][1] - pts[4][1]) <= _AXIS_TOL:
        pts = pts[:4]
    if len(pts) != 4:
        return False
    for i in range(4):
        (ax, ay), (bx, by) = pts[i], pts[(i + 1) % 4]
        if abs(ax - bx) > _AXIS_TOL and abs(ay - by) > _AXIS_TOL:
            return False
    return True



def rgb(components: Any) -> Color | None:
    """A colour as RGB in 0..1 from gray (1), RGB (3) or CMYK (4) components; None otherwise."""
    if isinstance(components, (int, float)):
        components = (components,)
    if not isinstance(components, (tuple, list)) or not all(isinstance(v, (int, float)) for v in components):
        return None
    vals = [min(1.0, max(0.0, float(v))) for v in components]
    if len(vals) == 1:
        return (vals[0], vals[0], vals[0])
    if len(vals) == 3:
        return (vals[0], vals[1], vals[2])
    if len(vals) == 4:
        c, m, y, k = vals
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


#: Two colours closer than this in every channel look the same on the page.
SAME_COLOR = 0.1


def same_color(a: Color | None, b: Color | None) -> bool:
    return a is not None and b is not None and all(abs(x - y) <= SAME_COLOR for x, y in zip(a, b))


class Fills:
    """The page's fills, for asking what lies under or over a point (indexed by a coarse grid)."""

    CELL = 64.0

    def __init__(self, fills: tuple[Fill, ...] | list[Fill]) -> None:
        self.fills = tuple(sorted(fills, key=lambda f: f.seq))
        self._grid: dict[tuple[int, int], list[Fill]] = {}
        step = self.CELL
        for f in self.fills:
            for gx in range(int(f.x0 // step), int(f.x1 // step) + 1):
                for gy in range(int(f.top // step), int(f.bottom // step) + 1):
                    self._grid.setdefault((gx, gy), []).append(f)
                    if len(self._grid) > 200_000:  # pragma: no cover - a page of huge fills: give up the index
                        self._grid.clear()
                        return

    def at(self, x: float, y: float) -> list[Fill]:
        """Fills containing the point, in drawing order."""
        if not self.fills:
            return []
        cand = self._grid.get((int(x // self.CELL), int(y // self.CELL)), ())
        return [f for f in cand if f.x0 <= x <= f.x1 and f.top <= y <= f.bottom]

    def background(self, x: float, y: float, seq: int) -> Color | None:
        """The colour under the point before drawing ``seq``: the last fill drawn there, or white."""
        color: Color | None = WHITE
        for f in self._grid.get((int(x // self.CELL), int(y // self.CELL)), ()):  # in drawing order
            if f.seq >= seq:
                break
            if f.x0 <= x <= f.x1 and f.top <= y <= f.bottom:
                color = f.color
        return color

    def covered(self, x0: float, top: float, x1: float, bottom: float, seq: int) -> bool:
        """Is the box wholly inside one fill drawn after ``seq`` (an opaque box pasted over it)?

        Asked for every glyph of a page with fills: the grid is read here, not through :meth:`at`.
        """
        cx, cy = (x0 + x1) / 2, (top + bottom) / 2
        for f in self._grid.get((int(cx // self.CELL), int(cy // self.CELL)), ()):
            if (f.seq > seq and f.x0 <= cx <= f.x1 and f.top <= cy <= f.bottom and f.x0 <= x0 + 0.5
                    and f.x1 >= x1 - 0.5 and f.top <= top + 0.5 and f.bottom >= bottom - 0.5):
                return True
        return False


def _intersect(a: Box | None, b: Box) -> Box:
    """The intersection of two boxes (an empty one stays empty: x1 < x0)."""
    if a is None:
        return b
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _cover(boxes: list[tuple[float, float, float, float]], width: float, height: float) -> float:
    """Fraction of the page covered by the boxes (sum of clipped areas, capped at 1)."""
    area = 0.0
    for x0, t, x1, b in boxes:
        w = min(x1, width) - max(x0, 0.0)
        h = min(b, height) - max(t, 0.0)
        if w > 0 and h > 0:
            area += w * h
    page = width * height
    return min(1.0, area / page) if page > 0 else 0.0


# -- one process, many threads ---------------------------------------------------------------

#: PDFium is not thread-safe (two threads inside it crash the process): every
#: call into it, from opening a document to closing it, is made holding this lock.
PDFIUM_LOCK = threading.RLock()

_quiet = threading.local()


class _QuietFilter(logging.Filter):
    """Drops pdfminer's log records while this thread is reading a PDF for gxparse.

    pdfminer logs what it finds odd (hundreds of ``Could not get FontBBox``
    lines on one file) as warnings, which Python prints to stderr when the
    application configured no logging. What matters of it reaches the user
    as notes or errors; outside gxparse's reading, pdfminer logs as usual.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(_quiet, "depth", 0)


_QUIET_FILTER = _QuietFilter()


def _quiet_pdfminer_loggers() -> None:
    names = [n for n in list(logging.root.manager.loggerDict) if n == "pdfminer" or n.startswith("pdfminer.")]
    for name in names:
        logger = logging.getLogger(name)
        if _QUIET_FILTER not in logger.filters:
            logger.addFilter(_QUIET_FILTER)


@contextlib.contextmanager
def quiet_pdfminer() -> Iterator[None]:
    """While inside, pdfminer's log records of this thread are dropped (see :class:`_QuietFilter`)."""
    _quiet.depth = getattr(_quiet, "depth", 0) + 1
    try:
        yield
    finally:
        _quiet.depth -= 1


# -- the backend interface -------------------------------------------------------------


class PdfBackend:
    """An open PDF, read one page at a time. Use as a context manager."""

    name = ""

    @property
    def page_count(self) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def page(self, index: int) -> PageData:  # pragma: no cover - abstract
        """Read page ``index`` (0-based) and release it."""
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def pages(self) -> Iterator[PageData]:
        for i in range(self.page_count):
            yield self.page(i)

    def __enter__(self) -> PdfBackend:  # noqa: PYI034 - Self needs Python 3.11
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_backend(name: str, data: bytes, limits: Limits | None = None) -> PdfBackend:
    """Open ``data`` with the named backend (see :data:`BACKENDS`).

    Raises :class:`EncryptedSourceError` for a file that needs a password,
    :class:`ExtractError` for bytes that are not a readable PDF and
    :class:`ResourceLimitError` for a file beyond ``limits`` (see
    :mod:`._pdf_scan`; checked before any page is drawn).
    """
    limits = limits or Limits()
    if name == "pypdfium2":
        return _PdfiumBackend(data, limits)
    if name == "pdfplumber":
        return _PlumberBackend(data, limits)
    raise ValueError(f"unknown PDF backend {name!r} (choose from {', '.join(BACKENDS)})")


def _direction(vx: float, vy: float) -> int:
    """Quarter turns (counter-clockwise, y up) of the direction vector; 0 for a degenerate one."""
    if abs(vx) >= abs(vy):
        return 0 if vx >= 0 else 2
    return 1 if vy > 0 else 3


def _ops_error(number: int, limits: Limits) -> ResourceLimitError:
    return ResourceLimitError(f"the page draws more than {limits.max_ops} objects (glyphs, paths, images)",
                              page=number)


# -- pypdfium2 ---------------------------------------------------------------------------

_PDFIUM_ERRORS = {
    1: "an unknown error",
    2: "the file cannot be opened",
    3: "the file is damaged or truncated",
    4: "the file is encrypted and needs a password",
    5: "an unsupported security scheme",
    6: "a page is damaged",
}


class _PdfiumBackend(PdfBackend):
    name = "pypdfium2"

    def __init__(self, data: bytes, limits: Limits) -> None:
        import pypdfium2 as pdfium  # type: ignore[import-untyped]
        import pypdfium2.raw as c  # type: ignore[import-untyped]

        self._c = c
        self._limits = limits
        try:
            self._pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            code = getattr(exc, "err_code", None)
            if code in (4, 5):
                raise EncryptedSourceError(
                    "the PDF is encrypted and cannot be read without a password"
                    if code == 4 else "the PDF uses an unsupported encryption scheme") from None
            what = _PDFIUM_ERRORS.get(code, "the file cannot be read") if code is not None else str(exc)
            raise ExtractError(f"not a readable PDF: {what}") from None
        self._count = len(self._pdf)
        self._data = data
        self._scan: DocScan | None = None
        marks = raw_marks(data)
        self._fonts_suspect = may_lack_unicode(data, marks)
        if self._count <= limits.max_pages and may_exceed(data, limits, marks):
            scan(data, limits, fonts=False)  # raises before PDFium draws a page it must not
        # PDFium's functions called per object, segment and glyph, and the scratch values they write
        self._x = calls(c, self._count)
        self._s = self._x.scratch()
        self._tight = [c.ctypes.c_double() for _ in range(4)]  # FPDFText_GetCharBox, through pypdfium2
        self._plumber: _PlumberBackend | None = None
        #: pages read by the pdfplumber fallback (0-based), for tests and diagnostics
        self.fallback_pages: list[int] = []

    @property
    def page_count(self) -> int:
        return self._count

    def close(self) -> None:
        pdf = getattr(self, "_pdf", None)
        if pdf is not None:
            pdf.close()
            self._pdf = None
        if self._plumber is not None:
            self._plumber.close()
            self._plumber = None

    def page(self, index: int) -> PageData:
        import pypdfium2 as pdfium  # type: ignore[import-untyped]

        try:
            page = self._pdf[index]
        except pdfium.PdfiumError:
            raise ExtractError(f"page {index + 1} cannot be read (the file is damaged or truncated)",
                               page=index + 1) from None
        try:
            data, lost = self._read(page, index)
        finally:
            page.close()
        if lost:
            return self._fallback(index, data, lost)
        if self._fonts_suspect or any(ch.bad for ch in data.chars):
            # glyphs without Unicode, or fonts that may have none: a font with no mapping of its
            # own may be behind them (PDFium then reads its codes as letters they are not);
            # pdfminer reads such pages with what the fonts say (see _pdf_scan)
            if self._scan is None:
                self._scan = scan(self._data, self._limits)
            page_scan = self._scan.page(index)
            if page_scan is not None and page_scan.fonts:
                return self._fallback(index, data, 0)
        return data

    def _fallback(self, index: int, data: PageData, lost: int) -> PageData:
        """Read a page with pdfminer instead: text PDFium's text layer dropped, or fonts without Unicode.

        PDFium leaves out text objects whose box has no width: a single glyph
        of a font that is not embedded and for which no substitute font with
        that glyph is installed (a CJK font on a server without CJK fonts).
        pdfminer needs no glyphs (it reads the encoding), so the page is read
        again with it; likewise a page whose fonts have no Unicode mapping,
        whose character codes only pdfminer gives (see :mod:`._pdf_scan`).
        """
        try:
            if self._plumber is None:
                self._plumber = _PlumberBackend(self._data, self._limits)
            page = self._plumber.page(index)
        except ExtractError:
            if not lost:
                raise
            note = (f"{lost} text object(s) could not be read: their font is not embedded and no substitute "
                    "font has their glyphs")
            return data._replace(notes=[*data.notes, note])
        self.fallback_pages.append(index)
        return page

    def _read(self, page: Any, index: int) -> tuple[PageData, int]:
        c = self._c
        raw = page.raw
        mb = page.get_mediabox()
        ctm, width, height = page_ctm(mb, page.get_rotation())
        notes: list[str] = []
        rules = _Rules()
        images: list[tuple[float, float, float, float]] = []
        budget = [MAX_PATH_SEGMENTS]
        self._seq = 0
        self._special = False  # a text object clipped, or not simply filled
        # (object address, order, matrix, clip, render mode: read while no object is special, else -1)
        self._texts: list[tuple[int, int, Matrix, Box | None, int]] = []
        n = c.FPDFPage_CountObjects(raw)
        page_ptr = self._x.ptr(c.ctypes.cast(raw, c.ctypes.c_void_p).value or 0)
        self._objects(self._x.page_object, page_ptr, n, ctm, height, rules, images, budget, 0, None, index)
        if budget[0] < 0:
            notes.append(f"more than {MAX_PATH_SEGMENTS} drawing segments: the page's rulings were not read "
                         "(its tables are read as text)")
            rules = _Rules()
        textpage = page.get_textpage()
        try:
            chars = self._chars(textpage.raw, ctm, height, index, bool(rules.fills) or self._special)
        finally:
            textpage.close()
        h, v, hidden = rules.visible()
        data = PageData(index + 1, width, height, chars, h, v, len(images), _cover(images, width, height), notes,
                        tuple(rules.fills), hidden, *plain_page(chars, rules.fills))
        return data, self._lost

    def _clip(self, obj: int, mat: Matrix, height: float, outer: Box | None) -> Box | None:
        """The object's clipping area (a box, top-left page space) intersected with ``outer``."""
        x = self._x
        clip = x.clip_path(obj)
        box = outer
        if not clip:
            return box
        fp = self._s.fpoint
        fxa, fya = self._s.fpoint_args
        a, b, cc, d, e, f = mat
        count_segments, get_segment, get_point = x.clip_segments, x.clip_segment, x.point
        for p in range(x.clip_count(clip)):
            x0 = y0 = math.inf
            x1 = y1 = -math.inf
            for k in range(count_segments(clip, p)):
                seg = get_segment(clip, p, k)
                if seg and get_point(seg, fxa, fya):
                    px, py = fp.x, fp.y
                    px, py = a * px + cc * py + e, height - (b * px + d * py + f)
                    if px < x0:
                        x0 = px
                    if px > x1:
                        x1 = px
                    if py < y0:
                        y0 = py
                    if py > y1:
                        y1 = py
            if x0 <= x1:
                box = _intersect(box, (x0, y0, x1, y1))
        return box

    def _objects(self, get_object: Any, parent: int, n: int, ctm: Matrix, height: float, rules: _Rules,
                 images: list[tuple[float, float, float, float]], budget: list[int], depth: int,
                 outer: Box | None, index: int) -> None:
        x = self._x
        m = self._s.matrix
        ma = self._s.matrix_args[0]
        if depth == 0:
            self._lost = 0
        box = self._s.box
        box_a = self._s.box_args
        texts = self._texts
        kind_of, bounds, matrix = x.kind, x.bounds, x.matrix
        get_mode, get_clip, count_clips = x.render_mode, x.clip_path, x.clip_count
        limit = self._limits.max_ops
        for i in range(n):
            obj = get_object(parent, i)
            if not obj:
                continue
            self._seq += 1
            if self._seq > limit:
                raise _ops_error(index + 1, self._limits)
            kind = kind_of(obj)
            if kind == 1:  # FPDF_PAGEOBJ_TEXT: a zero-width text object is left out of PDFium's text layer
                if bounds(obj, *box_a) and box.right - box.left < 0.01:
                    self._lost += 1
                mode = -1
                if not self._special:
                    mode = get_mode(obj)
                    if outer is not None or mode not in (0, 2):
                        self._special = True
                    else:
                        clip = get_clip(obj)  # NULL: no clipping path (PDFium would count -1 paths in it)
                        if clip and count_clips(clip) > 0:
                            self._special = True
                texts.append((obj, self._seq, ctm, outer, mode))
            elif kind == 2:  # FPDF_PAGEOBJ_PATH
                if budget[0] < 0:
                    continue
                if not matrix(obj, ma):
                    continue
                mat = _mul((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
                self._path(obj, mat, height, rules, budget)
            elif kind == 3:  # FPDF_PAGEOBJ_IMAGE
                if matrix(obj, ma):
                    a, b, cc, d, e, f = _mul((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
                    xs = (e, a + e, cc + e, a + cc + e)
                    ys = (f, b + f, d + f, b + d + f)
                    images.append((min(xs), height - max(ys), max(xs), height - min(ys)))
            elif kind == 5:  # FPDF_PAGEOBJ_FORM
                if not matrix(obj, ma):
                    continue
                inner = _mul((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
                count = x.form_count(obj)
                if count > 0:
                    clip = self._clip(obj, ctm, height, outer)
                    self._objects(x.form_object, obj, count, inner, height, rules, images, budget, depth + 1, clip,
                                  index)

    def _color(self, get: Any, obj: int) -> Color | None:
        rgba = self._s.rgba
        if not get(obj, *self._s.rgba_args):
            return None
        return (rgba.r / 255.0, rgba.g / 255.0, rgba.b / 255.0)

    def _path(self, obj: int, mat: Matrix, height: float, rules: _Rules, budget: list[int]) -> None:
        x = self._x
        modes = self._s.modes
        if not x.draw_mode(obj, *self._s.modes_args):
            return
        do_stroke: Color | bool | None = bool(modes.stroke)
        do_fill: Color | bool | None = modes.fill != 0
        if not do_stroke and not do_fill:
            return
        nseg = x.segments(obj)
        if nseg <= 0:
            return
        budget[0] -= nseg
        if budget[0] < 0:
            return
        if do_stroke:
            do_stroke = self._color(x.stroke_color, obj)
        if do_fill:
            do_fill = self._color(x.fill_color, obj)
        seq = self._seq
        a, b, cc, d, e, f = mat
        fp = self._s.fpoint
        fxa, fya = self._s.fpoint_args
        get_seg, get_point, get_type, get_close = x.segment, x.point, x.segment_kind, x.segment_close
        pts: list[tuple[float, float]] = []
        straight: list[bool] = []
        closed = False
        for i in range(nseg):
            seg = get_seg(obj, i)
            if not seg or not get_point(seg, fxa, fya):
                continue
            px, py = fp.x, fp.y
            px, py = a * px + cc * py + e, height - (b * px + d * py + f)
            kind = get_type(seg)
            if kind == 2:  # MOVETO: a new subpath
                if len(pts) >= 2:
                    rules.subpath(pts, straight, closed, do_stroke, do_fill, seq)
                pts = [(px, py)]
                straight = []
                closed = False
            else:
                if not pts:
                    pts = [(px, py)]
                    continue
                straight.append(kind == 0)  # LINETO (BEZIERTO otherwise)
                pts.append((px, py))
            if get_close(seg):
                closed = True
        if len(pts) >= 2:
            rules.subpath(pts, straight, closed, do_stroke, do_fill, seq)

    def _font_name(self, obj: int | None) -> str:
        x = self._x
        if not obj:
            return ""
        font = x.text_font(obj)
        if not font:
            return ""
        name = x.base_font_name(font)
        return base_font_name(name) if name else ""

    def _chars(self, tp: Any, ctm: Matrix, height: float, index: int, objects: bool) -> list[Char]:
        """The page's glyphs; ``objects``: look up each glyph's text object (order, mode, clip).

        What PDFium answers from a glyph's text object — the fill colour, the font size, the text
        matrix (its scale and direction), and the object's order, render mode and clip — is asked
        at the object's first glyph only: four calls a glyph (its object, loose box, origin,
        Unicode-map error), more at the first glyph of an object. Where every glyph is an object
        of its own (WPS), the size is asked again only when the glyph's loose height or baseline
        changes, as for a run of glyphs.
        """
        c = self._c
        n = c.FPDFText_CountChars(tp)
        if n <= 0:
            return []
        if n > MAX_CHARS_PER_PAGE:
            raise ResourceLimitError(f"page {index + 1} holds more than {MAX_CHARS_PER_PAGE} characters",
                                     page=index + 1)
        a, b, cc, d, e, f = ctm
        sc = self._s
        rect, origin_pt = sc.rect, sc.point
        rect_a = sc.rect_args[0]  # the structure's address: that of its first field
        ox_a, oy_a = sc.point_args
        # the calls made for every glyph take plain arguments (no conversion, see _pdfium_calls)
        x = self._x
        tpa = x.ptr(c.ctypes.cast(tp, c.ctypes.c_void_p).value or 0)
        loose, origin, unmapped, fill = x.loose, x.origin, x.unmapped, x.fill
        font_size, char_matrix, render_mode = x.font_size, x.char_matrix, x.render_mode
        is_generated = c.FPDFText_IsGenerated
        text_object = x.text_object
        rgba = sc.rgba
        r_a, g_a, b_a, a_a = sc.rgba_args
        tm = sc.matrix
        tm_a = sc.matrix_args[0]
        # per text object: (order, render mode, clip, colour, size, direction), made at its first glyph
        infos: dict[int, tuple[int, int, Box | None, Color | None, float, int]] = {}
        placed = {t[0]: t[1:] for t in self._texts} if objects else {}
        # no object clipped, none in another mode than fill (0) or fill and stroke (2): the modes were
        # read while walking the objects, and no glyph has a clip
        special = self._special
        clip_of = self._clip
        tight = self._tight
        axis = b == 0 and cc == 0
        out: list[Char] = []
        append = out.append
        codes = self._codes(tp, n)
        isfinite = math.isfinite
        sqrt = math.sqrt
        new_char = tuple.__new__  # Char(...) without the Python-level __new__ wrapper, per glyph
        lr = lg = lb = -1
        last_color: Color | None = None
        last_key: tuple[float, float] | None = None
        size = 0.0
        direction = 0
        for i in range(n):
            code = codes[i]
            text = chr(code) if 0 < code <= 0x10FFFF else ""
            if text in _SKIP or (text == " " and is_generated(tp, i)):
                continue  # PDFium adds generated spaces and line ends of its own
            if not loose(tpa, i, rect_a) or not origin(tpa, i, ox_a, oy_a):
                continue
            obj = text_object(tpa, i)
            info = infos.get(obj) if obj else None
            if info is None:
                # PDFium answers these from the glyph's text object: ask once per object
                seq, mode, clip = 0, 0, None
                where = placed.get(obj) if obj else None
                if where is not None:
                    seq = where[0]
                    if special:
                        mode = render_mode(obj)
                        clip = clip_of(obj, where[1], height, where[2])
                    else:
                        mode = where[3]
                if fill(tpa, i, r_a, g_a, b_a, a_a):
                    rv, gv, bv = rgba.r, rgba.g, rgba.b
                    if rv != lr or gv != lg or bv != lb:  # one colour object per run of one colour
                        lr, lg, lb = rv, gv, bv
                        last_color = (rv / 255.0, gv / 255.0, bv / 255.0)
                    color = last_color
                else:
                    color = None
                key = (rect.top - rect.bottom, origin_pt.y)
                if key != last_key:  # a new run (one text object a glyph, as WPS writes): ask the size
                    size = font_size(tpa, i)
                    direction = 0
                    if char_matrix(tpa, i, tm_a):
                        size *= sqrt(abs(tm.a * tm.d - tm.b * tm.c))
                        direction = _direction(tm.a * a + tm.b * cc, tm.a * b + tm.b * d)
                last_key = key
                info = (seq, mode, clip, color, size, direction)
                if obj:
                    infos[obj] = info
            else:
                seq, mode, clip, color, size, direction = info
                last_key = None
            bad = (code < 32 or 0xE000 <= code <= 0xF8FF or code >= 0xF0000 or code in (0xFFFD, 0xFFFE)
                   or bool(unmapped(tpa, i)))
            l, r, bt, tp_ = rect.left, rect.right, rect.bottom, rect.top
            if (r - l > 40 or tp_ - bt > 40) and c.FPDFText_GetCharBox(tp, i, *tight):
                # PDFium's loose box ignores the text matrix of some vertical-writing fonts
                tl, tr, tb, tt = (v.value for v in tight)
                if r - l > 4 * (tr - tl) + 6 or tp_ - bt > 4 * (tt - tb) + 12:
                    l, r, bt, tp_ = tl, tr, tb, tt
                    last_key = None
            if axis:
                x0 = a * l + e
                x1 = a * r + e
                y0 = d * bt + f
                y1 = d * tp_ + f
                bx = a * origin_pt.x + e
                by = d * origin_pt.y + f
            else:
                xs = (a * l + cc * bt + e, a * r + cc * bt + e, a * l + cc * tp_ + e, a * r + cc * tp_ + e)
                ys = (b * l + d * bt + f, b * r + d * bt + f, b * l + d * tp_ + f, b * r + d * tp_ + f)
                x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
                ox, oy = origin_pt.x, origin_pt.y
                bx = a * ox + cc * oy + e
                by = b * ox + d * oy + f
            if x0 > x1:
                x0, x1 = x1, x0
            if y0 > y1:
                y0, y1 = y1, y0
            if not isfinite(x0 + x1 + y0 + y1 + by + bx + size):
                continue
            append(new_char(Char, (text, x0, x1, height - y1, height - y0, height - by, size, bad, seq, color, mode,
                                   clip, self._font_name(obj) if bad else "", direction, bx)))
        return out

    def _codes(self, tp: Any, n: int) -> list[int]:
        """The code points of the text page's characters, read in one call (one per character index)."""
        c = self._c
        ctypes = c.ctypes
        buf = ctypes.create_string_buffer((n + 1) * 2)
        got = c.FPDFText_GetText(tp, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
        if got == n + 1:
            units = memoryview(buf.raw[: n * 2]).cast("H")
            if not any(0xD800 <= u <= 0xDFFF for u in units):  # no surrogate pairs: one unit per index
                return list(units)
        get_unicode = c.FPDFText_GetUnicode
        return [get_unicode(tp, i) for i in range(n)]


# -- pdfplumber --------------------------------------------------------------------------


class _PlumberBackend(PdfBackend):
    name = "pdfplumber"

    def __init__(self, data: bytes, limits: Limits) -> None:
        import pdfplumber

        _quiet_pdfminer_loggers()
        self._pdf: Any = None
        self._limits = limits
        try:
            self._pdf = pdfplumber.open(io.BytesIO(data))
            self._count = len(self._pdf.pages)
        except Exception as exc:  # noqa: BLE001 - pdfminer raises anything on a damaged file
            self.close()
            raise _plumber_error(exc) from None
        self._scan = scan(self._pdf.doc, limits) if self._count <= limits.max_pages else DocScan([])

    @property
    def page_count(self) -> int:
        return self._count

    def close(self) -> None:
        pdf = getattr(self, "_pdf", None)
        if pdf is not None:
            pdf.close()
            self._pdf = None

    def page(self, index: int) -> PageData:
        try:
            page = self._pdf.pages[index]
        except Exception as exc:  # noqa: BLE001 - pdfminer raises anything on a damaged file
            raise _plumber_error(exc, index + 1) from None
        try:
            return self._read(page, index)
        except (ExtractError, ResourceLimitError):
            raise
        except Exception as exc:  # noqa: BLE001 - pdfminer raises anything on a damaged file
            raise _plumber_error(exc, index + 1) from None
        finally:
            page.close()

    def _read(self, page: Any, index: int) -> PageData:
        from ._pdf_miner import Interpreter, PageDevice

        page_obj = page.page_obj
        _, width, height = page_ctm(tuple(page_obj.mediabox), int(page_obj.rotate or 0))
        page_scan = self._scan.page(index)
        device = PageDevice(self._pdf.rsrcmgr, height, index + 1, self._limits,
                            page_scan.fonts if page_scan is not None else {})
        Interpreter(self._pdf.rsrcmgr, device).process_page(page_obj)
        notes: list[str] = []
        rules = device.rules
        if device.segments > MAX_PATH_SEGMENTS:
            notes.append(f"more than {MAX_PATH_SEGMENTS} drawing segments: the page's rulings were not read "
                         "(its tables are read as text)")
            rules = _Rules()
        h, v, hidden = rules.visible()
        return PageData(index + 1, width, height, device.chars, h, v, len(device.images),
                        _cover(device.images, width, height), notes, tuple(rules.fills), hidden,
                        *plain_page(device.chars, rules.fills))


def _plumber_error(exc: BaseException, page: int | None = None) -> ExtractError:
    """Translate pdfminer/pdfplumber's exceptions into ours."""
    chain: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and len(chain) < 10:
        chain.append(e)
        e = e.__cause__ or e.__context__
    names = {type(x).__name__ for x in chain}
    if names & {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}:
        return EncryptedSourceError("the PDF is encrypted and cannot be read without a password")
    if isinstance(exc, RecursionError):
        return ExtractError("the PDF is nested too deeply to read", page=page)
    detail = next((str(x) for x in chain if str(x)), type(exc).__name__)
    where = "page cannot be read" if page else "not a readable PDF"
    return ExtractError(f"{where} (the file is damaged or truncated): {detail[:120]}", page=page)
