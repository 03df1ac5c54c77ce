"""The reference backend's page reading: pdfminer's interpreter, with what a reader sees.

pdfminer (under pdfplumber) interprets the content stream; this module's
device takes its glyphs and paths as they are drawn, in drawing order, with
what decides whether a person sees them: the fill colour, the text render
mode and the clipping area in force (pdfminer itself ignores clipping, and
starts a form XObject with a fresh graphics state instead of the one it is
drawn with; the interpreter here keeps both). Glyph boxes are pdfminer's own
(``LTChar``), the same as pdfplumber's ``page.chars``.

Imported only when the pdfplumber backend reads a page.
"""

from __future__ import annotations

from typing import Any

from pdfminer.layout import LTChar
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.utils import apply_matrix_pt, mult_matrix

from .._errors import ResourceLimitError
from ._pdf_backends import (
    _SKIP,
    MAX_CHARS_PER_PAGE,
    MAX_PATH_SEGMENTS,
    Box,
    Char,
    _direction,
    _intersect,
    _ops_error,
    _Rules,
    is_unreadable_text,
    rgb,
)
from ._pdf_scan import UNMAPPED, Limits, base_font_name

__all__ = ["Interpreter", "PageDevice"]


class PageDevice(PDFTextDevice):
    """Collects one page's glyphs, rulings, fills and image boxes, in drawing order."""

    def __init__(self, rsrcmgr: Any, height: float, number: int, limits: Limits,
                 fonts: dict[str, str | dict[int, str]]) -> None:
        super().__init__(rsrcmgr)
        self.height = height
        self.number = number
        self.limits = limits
        self.fonts = fonts
        self.chars: list[Char] = []
        self.rules = _Rules()
        self.images: list[tuple[float, float, float, float]] = []
        self.segments = 0
        self.seq = 0
        self.interp: Interpreter | None = None  # set by the interpreter drawing now
        self._mode = 0
        self._figures: list[tuple[Any, Any]] = []

    def _count(self) -> int:
        self.seq += 1
        if self.seq > self.limits.max_ops:
            raise _ops_error(self.number, self.limits)
        return self.seq

    def _clip(self) -> Box | None:
        interp = self.interp
        if interp is None or interp.clip is None:
            return None
        x0, y0, x1, y1 = interp.clip
        return (x0, self.height - y1, x1, self.height - y0)

    # -- figures and images
    def begin_figure(self, name: str, bbox: Any, matrix: Any) -> None:
        self._figures.append((bbox, mult_matrix(matrix, self.ctm or (1, 0, 0, 1, 0, 0))))

    def end_figure(self, name: str) -> None:
        if self._figures:
            self._figures.pop()

    def render_image(self, name: str, stream: Any) -> None:
        self._count()
        if not self._figures:
            return
        (x0, y0, x1, y1), m = self._figures[-1]
        pts = [apply_matrix_pt(m, p) for p in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        self.images.append((min(xs), self.height - max(ys), max(xs), self.height - min(ys)))

    # -- paths
    def paint_path(self, gstate: Any, stroke: bool, fill: bool, evenodd: bool, path: Any) -> None:
        seq = self._count()
        if not stroke and not fill:
            return
        self.segments += len(path)
        if self.segments > MAX_PATH_SEGMENTS:
            return
        scolor = rgb(gstate.scolor) if stroke else False
        ncolor = rgb(gstate.ncolor) if fill else False
        ctm = self.ctm or (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        height = self.height
        pts: list[tuple[float, float]] = []
        straight: list[bool] = []
        closed = False
        for op in path:
            cmd = op[0]
            if cmd == "h":
                closed = True
                continue
            if len(op) < 3:
                continue
            x, y = apply_matrix_pt(ctm, (op[-2], op[-1]))
            point = (x, height - y)
            if cmd == "m":
                if len(pts) >= 2:
                    self.rules.subpath(pts, straight, closed, scolor, ncolor, seq)
                pts, straight, closed = [point], [], False
            elif not pts:
                pts = [point]
            else:
                straight.append(cmd == "l")
                pts.append(point)
        if len(pts) >= 2:
            self.rules.subpath(pts, straight, closed, scolor, ncolor, seq)

    # -- text
    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        self._mode = textstate.render
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_char(self, matrix: Any, font: Any, fontsize: float, scaling: float, rise: float, cid: int,
                    ncs: Any, graphicstate: Any) -> float:
        seq = self._count()
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = f"(cid:{cid})"
        item = LTChar(matrix, font, fontsize, scaling, rise, text, font.char_width(cid), font.char_disp(cid),
                      ncs, graphicstate)
        if len(self.chars) >= MAX_CHARS_PER_PAGE:
            raise ResourceLimitError(f"page {self.number} holds more than {MAX_CHARS_PER_PAGE} characters",
                                     page=self.number)
        name = base_font_name(getattr(font, "fontname", "") or "")
        mapping = self.fonts.get(name) if self.fonts else None
        if mapping == UNMAPPED:
            bad = True
        elif isinstance(mapping, dict):
            recovered = mapping.get(cid)
            bad = recovered is None
            text = recovered if recovered is not None else f"(cid:{cid})"
        else:
            bad = is_unreadable_text(text)
        if text in _SKIP:
            return float(item.adv)
        a, b, _, _, e, f = item.matrix
        height = self.height
        color = None
        if getattr(ncs, "name", "DeviceGray") not in ("Pattern", "Separation", "DeviceN", "Indexed"):
            color = rgb(graphicstate.ncolor)
        self.chars.append(Char(text, float(item.x0), float(item.x1), height - float(item.y1),
                               height - float(item.y0), height - float(f), float(item.size), bad, seq, color,
                               self._mode, self._clip(), name if bad else "", _direction(a, b), float(e)))
        return float(item.adv)


class Interpreter(PDFPageInterpreter):
    """pdfminer's interpreter, keeping the clipping area (as a box) and a form's inherited state."""

    def __init__(self, rsrcmgr: Any, device: PageDevice, clip: tuple[float, float, float, float] | None = None,
                 inherited: Any = None) -> None:
        super().__init__(rsrcmgr, device)
        self.clip = clip
        self._inherited = inherited
        self._clips: list[tuple[float, float, float, float] | None] = []
        self._pending = False

    def dup(self) -> Interpreter:
        assert isinstance(self.device, PageDevice)
        return type(self)(self.rsrcmgr, self.device, self.clip, self.graphicstate)

    def init_state(self, ctm: Any) -> None:
        super().init_state(ctm)
        if self._inherited is not None:  # a form XObject starts with the state it is drawn with
            self.graphicstate = self._inherited.copy()

    def render_contents(self, resources: Any, streams: Any, ctm: Any = (1, 0, 0, 1, 0, 0)) -> None:
        device = self.device
        assert isinstance(device, PageDevice)
        outer = device.interp
        device.interp = self
        try:
            super().render_contents(resources, streams, ctm=ctm)
        finally:
            device.interp = outer

    def do_q(self) -> None:
        self._clips.append(self.clip)
        super().do_q()

    def do_Q(self) -> None:
        if self._clips:
            self.clip = self._clips.pop()
        super().do_Q()

    def do_W(self) -> None:
        self._pending = True

    def do_W_a(self) -> None:
        self._pending = True

    def _apply_clip(self) -> None:
        if not self._pending:
            return
        self._pending = False
        xs: list[float] = []
        ys: list[float] = []
        for seg in self.curpath:
            coords = seg[1:]
            for k in range(0, len(coords) - 1, 2):
                x, y = apply_matrix_pt(self.ctm, (coords[k], coords[k + 1]))
                xs.append(x)
                ys.append(y)
        if xs:
            self.clip = _intersect(self.clip, (min(xs), min(ys), max(xs), max(ys)))


def _clipping(name: str) -> Any:
    """The path-painting operator ``name`` that first applies a pending clip (``W n``, ``W f`` …)."""
    paint = getattr(PDFPageInterpreter, name)

    def operator(self: Interpreter) -> None:
        self._apply_clip()
        paint(self)

    operator.__name__ = name
    return operator


for _name in ("do_n", "do_S", "do_f", "do_F", "do_f_a", "do_B", "do_B_a"):  # do_s, do_b … call these
    setattr(Interpreter, _name, _clipping(_name))
