"""Whole 2021/2019-form reports drawn as PDFs with one quirk each, for the PDF adapter's tests.

Each report is a generated :class:`gxparse.testing.GeneratedReport`, laid out as
:func:`kit.render.to_document` gives it (the official grid, merged cells as spans), and drawn
glyph by glyph with reportlab's canvas (built-in CID font ``STSong-Light``): page 1 the title, the
prose and the 主动公开 table, page 2 the applications table, page 3 the reviews table and the rest.
The quirks are the kinds people report to pdfplumber, camelot and PyMuPDF; each has variants:

``white_text``
    ``after``: a white ``0`` right after every number (100 reads 1000); ``before``: a white digit
    before it; ``covered``: a wrong number drawn first, an opaque white box pasted over the cell,
    then the right number on top; ``clipped``: a wrong number drawn outside the clipping area in
    force; ``invisible``: a wrong number in render mode 3 over the visible one.
``duplicates``
    every digit drawn again, ``dx`` points off, at the end of the page (``late``) or at its
    start (``early``), or every number twice in a row (``adjacent``).
``overflow``
    numbers right-aligned so that their last digit runs ``dx`` points past the cell's right rule.
``borderless``
    no rules at all; numbers ``centred`` or ``right``-aligned in their columns.
``white_rules``
    invisible vertical rules inside every number column: ``stroked`` white lines, ``filled`` white
    thin boxes, or ``degenerate`` black boxes of no width.
``rotated``
    the applications table drawn turned by 90° (``up``: text reads bottom to top) or 270° (``down``)
    on an upright page.

A person reading the rendered page sees exactly the report's numbers in every variant.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from gxparse import Table
from gxparse._normalize import parse_value
from gxparse.testing import GeneratedReport

from kit.noise import Noise
from kit.render import to_document
from pdf_factory import _font

__all__ = ["QUIRKS", "report_pdf"]

#: The quirks and their variants.
QUIRKS: dict[str, tuple[str, ...]] = {
    "white_text": ("after", "before", "covered", "clipped", "invisible"),
    "duplicates": ("late", "early", "adjacent"),
    "overflow": ("1.5", "2.5", "3"),
    "borderless": ("centred", "right"),
    "white_rules": ("stroked", "filled", "degenerate"),
    "rotated": ("up", "down"),
}

SIZE = 8.0  # cell text size
LABEL_W = 240.0
VALUE_W = 34.0


@dataclass
class _Box:
    x0: float
    y0: float  # bottom (reportlab's y axis points up)
    x1: float
    y1: float


def _is_number(text: str) -> bool:
    v = parse_value(text)
    return text.strip() != "" and v.kind == "number"


def _value_columns(table: Table) -> int:
    """Index of the first column holding numbers."""
    cols = [c.col for c in table.cells if c.col_span == 1 and _is_number(c.text)]
    return min(cols) if cols else table.n_cols


def _wrap(text: str, width: float) -> list[str]:
    per_line = max(1, int((width - 4) // SIZE))
    out: list[str] = []
    for part in text.split("\n"):
        part = part.strip()
        while len(part) > per_line:
            out.append(part[:per_line])
            part = part[per_line:]
        if part:
            out.append(part)
    return out


class _Page:
    def __init__(self, canvas, quirk: str | None, variant: str) -> None:
        self.c = canvas
        self.quirk = quirk
        self.variant = variant
        self.late: list[tuple[float, float, str]] = []  # digits to draw again at the end

    def text(self, x: float, y: float, s: str, size: float = SIZE, *, white: bool = False, mode: int = 0) -> None:
        c = self.c
        c.saveState()  # the colour and the render mode last beyond the text object
        t = c.beginText(x, y)
        t.setFont(_font(), size)
        if mode:
            t.setTextRenderMode(mode)
        c.setFillColorRGB(1, 1, 1) if white else c.setFillColorRGB(0, 0, 0)
        t.textOut(s)
        c.drawText(t)
        c.restoreState()

    def number(self, box: _Box, s: str) -> None:
        """Draw a number in its cell, with the quirk."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        quirk, variant = self.quirk, self.variant
        digit = stringWidth("0", _font(), SIZE)
        width = stringWidth(s, _font(), SIZE)
        y = (box.y0 + box.y1) / 2 - SIZE * 0.35
        if quirk == "overflow":
            x = box.x1 + float(variant) - width
        elif (quirk == "borderless" and variant == "centred") or quirk == "rotated":
            x = (box.x0 + box.x1 - width) / 2
        else:
            x = box.x1 - 3 - width
        if quirk == "white_text":
            wrong = "9" if s != "9" else "8"
            if variant == "after":
                self.text(x, y, s)
                self.text(x + width, y, "0", white=True)
                return
            if variant == "before":
                self.text(x - digit, y, "1", white=True)
            elif variant == "covered":
                self.text(x, y, wrong)
                self.c.setFillColorRGB(1, 1, 1)
                self.c.rect(box.x0 + 0.8, box.y0 + 0.8, box.x1 - box.x0 - 1.6, box.y1 - box.y0 - 1.6, stroke=0, fill=1)
                self.c.setFillColorRGB(0, 0, 0)
            elif variant == "clipped":
                self.c.saveState()
                path = self.c.beginPath()
                path.rect(0, 0, 10, 10)  # the page's corner, far from the cell
                self.c.clipPath(path, stroke=0, fill=0)
                self.text(x - digit, y, wrong)
                self.c.restoreState()
            elif variant == "invisible":
                self.text(x, y, wrong * len(s), mode=3)
        if quirk == "duplicates":
            dx = 0.3
            if variant == "adjacent":
                self.text(x, y, s)
                self.text(x + dx, y, s)
                return
            for k, ch in enumerate(s):
                self.late.append((x + stringWidth(s[:k], _font(), SIZE) + dx, y, ch))
        self.text(x, y, s)

    def label(self, box: _Box, text: str) -> None:
        lines = _wrap(text, box.x1 - box.x0)
        lead = SIZE * 1.25
        top = (box.y0 + box.y1) / 2 + lead * len(lines) / 2 - SIZE
        for i, line in enumerate(lines):
            w = SIZE * len(line)
            self.text((box.x0 + box.x1 - w) / 2, top - i * lead, line)

    def rules(self, box: _Box) -> None:
        if self.quirk == "borderless":
            return
        self.c.setLineWidth(0.5)
        self.c.rect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0, stroke=1, fill=0)

    def invisible_rule(self, x: float, y0: float, y1: float) -> None:
        c = self.c
        if self.variant == "stroked":
            c.setStrokeColorRGB(1, 1, 1)
            c.line(x, y0, x, y1)
            c.setStrokeColorRGB(0, 0, 0)
        elif self.variant == "filled":
            c.setFillColorRGB(1, 1, 1)
            c.rect(x - 0.25, y0, 0.5, y1 - y0, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
        else:
            c.rect(x, y0, 0, y1 - y0, stroke=0, fill=1)


def _draw_table(page: _Page, table: Table, left: float, top: float) -> float:
    """Draw ``table`` with its top-left corner at (left, top); return its bottom y."""
    first_value = _value_columns(table)
    n_label = max(first_value, 1)
    widths = [LABEL_W / n_label] * n_label + [VALUE_W] * (table.n_cols - n_label)
    if table.n_cols - n_label > 10:  # the reviews table: narrower columns
        widths = [LABEL_W / 4 / n_label] * n_label + [28.0] * (table.n_cols - n_label)
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    heights = [16.0] * table.n_rows
    for cell in table.cells:
        if cell.row_span == 1 and not _is_number(cell.text):
            lines = len(_wrap(cell.text, xs[cell.col + cell.col_span] - xs[cell.col]))
            heights[cell.row] = max(heights[cell.row], lines * SIZE * 1.25 + 6)
    ys = [top]
    for h in heights:
        ys.append(ys[-1] - h)
    for cell in table.cells:
        box = _Box(xs[cell.col], ys[cell.row + cell.row_span], xs[cell.col + cell.col_span], ys[cell.row])
        page.rules(box)
        if not cell.text:
            continue
        if _is_number(cell.text) and cell.col >= first_value:
            page.number(box, cell.text.strip())
        else:
            page.label(box, cell.text)
    if page.quirk == "white_rules":
        for k in range(first_value, table.n_cols):
            page.invisible_rule((xs[k] + xs[k + 1]) / 2, ys[-1], ys[0])
    return ys[-1]


def report_pdf(report: GeneratedReport, quirk: str | None = None, variant: str = "",
               noise: Noise | None = None) -> bytes:
    """The report drawn as a PDF with ``quirk`` (see the module docstring), as bytes.

    ``noise`` is applied as :func:`kit.render.to_document` applies it (blank cells are
    drawn as nothing at all).
    """
    doc = to_document(report, noise)
    blocks = list(doc.blocks)
    tables = [i for i, b in enumerate(blocks) if isinstance(b, Table)]
    app = next((i for i in tables if blocks[i].n_rows > 20), tables[len(tables) // 2])
    pages = [blocks[:app], [blocks[app]], blocks[app + 1:]]
    early: list[list[tuple[float, float, str]]] = [[] for _ in pages]
    if quirk == "duplicates" and variant == "early":  # a first pass finds where the copies go
        early = [p.late for p in _draw_pages(pages, quirk, variant, [[] for _ in pages])[1]]
    data, _ = _draw_pages(pages, quirk, variant, early)
    return data


def _draw_pages(pages: list[list], quirk: str | None, variant: str,
                early: list[list[tuple[float, float, str]]]) -> tuple[bytes, list[_Page]]:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    width = 595.0
    canvas = Canvas(buf, pagesize=(width, 842.0), pageCompression=0)
    drawn = []
    for n, page_blocks in enumerate(pages):
        rotated = quirk == "rotated" and n == 1
        height = _height(page_blocks) if not rotated else 842.0
        canvas.setPageSize((width, height))
        page = _Page(canvas, quirk, variant)
        for x, y, ch in early[n]:  # copies drawn before their originals
            page.text(x, y, ch)
        if rotated:
            canvas.saveState()
            if variant == "up":  # text reads bottom to top
                canvas.translate(width - 30, 30)
                canvas.rotate(90)
            else:
                canvas.translate(30, height - 30)
                canvas.rotate(-90)
            _draw_blocks(page, page_blocks, 20.0, width - 60)
            canvas.restoreState()
        else:
            _draw_blocks(page, page_blocks, 40.0, height - 50)
        if quirk == "duplicates" and variant == "late":
            for x, y, ch in page.late:
                page.text(x, y, ch)
        drawn.append(page)
        canvas.showPage()
    canvas.save()
    return buf.getvalue(), drawn


def _height(blocks: list) -> float:
    total = 100.0
    for b in blocks:
        total += b.n_rows * 40 + 30 if isinstance(b, Table) else 24 * (1 + len(b.text) // 60)
    return max(842.0, math.ceil(total))


def _draw_blocks(page: _Page, blocks: list, left: float, y: float) -> None:
    for b in blocks:
        if isinstance(b, Table):
            y = _draw_table(page, b, left, y - 6) - 14
        else:
            size = 14.0 if b.heading_level == 1 else 10.5
            per_line = int(500 // size)
            for k in range(0, max(len(b.text), 1), per_line):
                y -= size * 1.6
                page.text(left, y, b.text[k:k + per_line], size)
            y -= 4
