"""Make PDFs with known content, for the PDF adapter's tests and benchmarks.

Everything is drawn with reportlab's built-in CID font ``STSong-Light`` (no
font files needed). The table model is HTML's: rows of cells placed left to
right, skipping grid slots that a rowspan from above already covers, so a
:class:`TableSpec` says exactly which grid the PDF must yield
(:meth:`TableSpec.expected_grid`). A property-based suite can generate specs,
render them with :func:`render` and compare.

Layout features, each switchable, imitate what office suites do:

* rulings as stroked lines, as thin filled rectangles, or as one stroked
  rectangle per cell (``ruling=``);
* tables crossing page breaks, with or without repeated header rows
  (``repeat_header=``), closed by a border at the page end or left open
  (``close_at_break=``, WPS leaves it open);
* a row split by the page break (``TableSpec.split_row``): its first text
  line on one page, the rest on the next; a merged cell cut by the break
  likewise (``TableSpec.flow_cut_cells``);
* a page number footer such as ``-4-`` (``footer=``);
* cell text over several lines (``"\\n"`` in a cell's text), vertical
  one-character-per-line headers.

Other helpers: :func:`scanned_pdf` (image-only pages), :func:`encrypted_pdf`,
:func:`unmapped_glyphs_pdf` (``(cid:N)`` and private-use glyphs), :func:`raw_pdf` (pages from
content-stream operators, with pikepdf).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "A4",
    "PageBreak",
    "Para",
    "Spacer",
    "TCell",
    "TableSpec",
    "encrypted_pdf",
    "font_pdf",
    "long_report_pdf",
    "raw_pdf",
    "render",
    "scanned_pdf",
    "unmapped_glyphs_pdf",
]

A4 = (595.28, 841.89)
FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


@dataclass
class TCell:
    """A table cell: text (``"\\n"`` between lines) and its spans."""

    text: str = ""
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Para:
    """A paragraph of running text (explicit lines separated by ``"\\n"``)."""

    text: str
    size: float = 12.0
    indent: float = 0.0


@dataclass
class PageBreak:
    """Start a new page."""


@dataclass
class Spacer:
    """Vertical white space (points), e.g. to bring a table near the end of a page."""

    height: float


@dataclass
class TableSpec:
    """A ruled table.

    Attributes:
        widths: column widths in points.
        rows: rows of cells (a plain ``str`` is a 1x1 cell).
        row_height: height of a row in points (or one per row).
        header_rows: rows repeated on every page when ``repeat_header`` is on.
        split_row: a row that the page break splits after its first text line
            (the table then breaks there, whatever space is left).
        break_before: a row that starts a new page (forces the table across a break).
        flow_cut_cells: a merged cell that a page break cuts shows its first text line above the
            break and the rest below it (LibreOffice flows the text of a cut cell so); otherwise
            all its text is drawn above the break.
        font_size: cell text size.
    """

    widths: list[float]
    rows: list[list[TCell | str]]
    row_height: float | list[float] = 22.0
    header_rows: int = 0
    split_row: int | None = None
    break_before: int | None = None
    flow_cut_cells: bool = False
    font_size: float = 9.0
    placed: list[tuple[int, int, TCell]] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        self.rows = [[c if isinstance(c, TCell) else TCell(c) for c in row] for row in self.rows]
        self.placed = self._place()

    def _place(self) -> list[tuple[int, int, TCell]]:
        taken: set[tuple[int, int]] = set()
        out = []
        n_cols = len(self.widths)
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                if c + cell.colspan > n_cols:
                    raise ValueError(f"row {r}: cells overflow the {n_cols} columns")
                out.append((r, c, cell))
                for rr in range(r, r + cell.rowspan):
                    for cc in range(c, c + cell.colspan):
                        taken.add((rr, cc))
                c += cell.colspan
        return out

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def height(self, r: int) -> float:
        return self.row_height[r] if isinstance(self.row_height, list) else self.row_height

    def expected_grid(self) -> list[tuple[int, int, int, int, str]]:
        """``(row, col, row_span, col_span, text)`` of every cell, as the PDF adapter must read it."""
        return sorted((r, c, cell.rowspan, cell.colspan, cell.text) for r, c, cell in self.placed)


# -- rendering -----------------------------------------------------------------------------


class _Ruler:
    def __init__(self, canvas, style: str) -> None:
        self.c = canvas
        self.style = style

    def h(self, y: float, x0: float, x1: float) -> None:
        if self.style == "thin_rects":
            self.c.rect(x0, y - 0.25, x1 - x0, 0.5, stroke=0, fill=1)
        else:
            self.c.line(x0, y, x1, y)

    def v(self, x: float, y0: float, y1: float) -> None:
        if self.style == "thin_rects":
            self.c.rect(x - 0.25, min(y0, y1), 0.5, abs(y1 - y0), stroke=0, fill=1)
        else:
            self.c.line(x, y0, x, y1)


class _Writer:
    """Flows paragraphs and tables down A4 pages (reportlab's y axis points up)."""

    def __init__(self, *, footer: str | None, ruling: str, repeat_header: bool, close_at_break: bool,
                 margin_top: float, margin_bottom: float, left: float, pad_single: bool) -> None:
        from reportlab.pdfgen.canvas import Canvas

        self.buf = io.BytesIO()
        self.c = Canvas(self.buf, pagesize=A4, pageCompression=0)
        self.footer = footer
        self.ruling = ruling
        self.repeat_header = repeat_header
        self.close_at_break = close_at_break
        self.top = A4[1] - margin_top
        self.bottom = margin_bottom
        self.left = left
        self.page = 1
        self.y = self.top
        self.rule = _Ruler(self.c, ruling)
        self.pad_single = pad_single

    def text(self, s: str) -> str:
        """A one-glyph string gets a trailing space (see ``render``'s ``pad_single``)."""
        return s + " " if self.pad_single and len(s) == 1 else s

    def new_page(self) -> None:
        self._footer()
        self.c.showPage()
        self.page += 1
        self.y = self.top

    def _footer(self) -> None:
        if self.footer:
            self.c.setFont(_font(), 10)
            self.c.drawCentredString(A4[0] / 2, 30, self.footer.format(n=self.page))

    def para(self, p: Para) -> None:
        lead = p.size * 1.6
        for i, line in enumerate(p.text.split("\n")):
            if self.y - lead < self.bottom:
                self.new_page()
            self.y -= lead
            self.c.setFont(_font(), p.size)
            self.c.drawString(self.left + (p.indent if i == 0 else 0), self.y + 0.3 * p.size, self.text(line))
        self.y -= p.size * 0.6

    # -- tables
    def table(self, t: TableSpec) -> None:
        xs = [self.left]
        for w in t.widths:
            xs.append(xs[-1] + w)
        if t.n_rows and self.y - t.height(0) < self.bottom:
            self.new_page()
        r = 0
        chunk_rows: list[int] = []
        split_lines: dict[int, int] = {}
        while r < t.n_rows:
            h = t.height(r)
            used = sum(t.height(k) for k in chunk_rows)
            must_break = chunk_rows and (t.break_before == r or self.y - used - h < self.bottom)
            if t.split_row == r and chunk_rows:
                # the first line of the row on this page, the rest on the next
                chunk_rows.append(r)
                split_lines[r] = 1
                self._draw_chunk(t, xs, chunk_rows, split_lines, part="head")
                self._next_table_page(t, xs)
                chunk_rows = [r]
                split_lines = {r: -1}
                r += 1
                continue
            if must_break:
                self._draw_chunk(t, xs, chunk_rows, split_lines, part="")
                self._next_table_page(t, xs)
                chunk_rows, split_lines = [], {}
            chunk_rows.append(r)
            r += 1
        if chunk_rows:
            self._draw_chunk(t, xs, chunk_rows, split_lines, part="")
        self.y -= 8

    def _next_table_page(self, t: TableSpec, xs: list[float]) -> None:
        self.new_page()
        if self.repeat_header and t.header_rows:
            self._draw_chunk(t, xs, list(range(t.header_rows)), {}, part="", repeated=True)

    def _draw_chunk(self, t: TableSpec, xs: list[float], rows: list[int], split: dict[int, int], part: str,
                    repeated: bool = False) -> None:
        """Draw rows ``rows`` (consecutive) from the current y; update y."""
        c = self.c
        tops: dict[int, float] = {}
        y = self.y
        for r in rows:
            tops[r] = y
            h = t.height(r)
            if split.get(r) == 1:
                h = max(t.font_size * 1.6 + 4, h / 2)
            elif split.get(r) == -1:
                h = max(t.font_size * 1.6 * 2 + 4, h / 2)
            y -= h
        ys_bottom = y
        first, last = rows[0], rows[-1]
        bottoms = {r: (tops[rows[i + 1]] if i + 1 < len(rows) else ys_bottom) for i, r in enumerate(rows)}
        c.setLineWidth(0.5)
        for r0, c0, cell in t.placed:
            r1 = r0 + cell.rowspan - 1
            if r1 < first or r0 > last:
                continue
            vis0, vis1 = max(r0, first), min(r1, last)
            top_y, bot_y = tops[vis0], bottoms[vis1]
            x0, x1 = xs[c0], xs[c0 + cell.colspan]
            starts_here = r0 >= first
            ends_here = r1 <= last
            if self.ruling == "cell_rects":
                c.rect(x0, bot_y, x1 - x0, top_y - bot_y, stroke=1, fill=0)
            else:
                if starts_here or self.close_at_break:
                    self.rule.h(top_y, x0, x1)
                if ends_here or self.close_at_break:
                    self.rule.h(bot_y, x0, x1)
                self.rule.v(x0, bot_y, top_y)
                self.rule.v(x1, bot_y, top_y)
            # text: a split row's first line (and single-line cells) on the first part, the rest on the second
            all_lines = cell.text.split("\n") if cell.text else []
            mode = split.get(r0)  # a cell starting in a split row: its first line above the break
            if t.flow_cut_cells and cell.rowspan > 1 and not repeated and not (starts_here and ends_here):
                mode = 1 if starts_here else -1 if ends_here else None
            if mode == 1:
                lines = all_lines[:1]
            elif mode == -1:
                lines = all_lines[1:]
            elif not starts_here and not repeated:
                lines = []  # a merged cell's text is drawn in its first part
            else:
                lines = all_lines
            if lines:
                size = t.font_size
                c.setFont(_font(), size)
                lead = size * 1.5
                block = lead * len(lines)
                ytext = (top_y + bot_y) / 2 + block / 2 - lead + (lead - size) / 2 + 0.15 * size
                for i, line in enumerate(lines):
                    c.drawCentredString((x0 + x1) / 2, ytext - i * lead, self.text(line))
        self.y = ys_bottom

    def finish(self) -> bytes:
        self._footer()
        self.c.save()
        return self.buf.getvalue()


def render(blocks: Sequence[Para | TableSpec | PageBreak | Spacer], *, footer: str | None = None, ruling: str = "lines",
           repeat_header: bool = False, close_at_break: bool = True, margin_top: float = 56.0,
           margin_bottom: float = 72.0, left: float = 56.0, pad_single: bool = True) -> bytes:
    """Render paragraphs and tables onto A4 pages; return the PDF bytes.

    ``footer`` is a page footer template such as ``"-{n}-"`` or
    ``"第 {n} 页"``. ``ruling`` is ``"lines"`` (stroked segments),
    ``"thin_rects"`` (0.5 pt filled rectangles) or ``"cell_rects"`` (a stroked
    rectangle around each cell).

    ``pad_single`` draws a one-character string with a trailing space. PDFium
    leaves a one-glyph text object out of its text layer when the font is not
    embedded and no installed font has the glyph (STSong-Light on a machine
    without CJK fonts); the adapter then re-reads the page with pdfminer. The
    padding keeps such PDFs on PDFium's own path; ``pad_single=False`` tests
    the re-reading.
    """
    w = _Writer(footer=footer, ruling=ruling, repeat_header=repeat_header, close_at_break=close_at_break,
                margin_top=margin_top, margin_bottom=margin_bottom, left=left, pad_single=pad_single)
    for block in blocks:
        if isinstance(block, Para):
            w.para(block)
        elif isinstance(block, TableSpec):
            w.table(block)
        elif isinstance(block, PageBreak):
            w.new_page()
        elif isinstance(block, Spacer):
            w.y -= block.height
        else:  # pragma: no cover
            raise TypeError(block)
    return w.finish()


# -- other kinds of PDF ----------------------------------------------------------------------------


def scanned_pdf(pages: Sequence[str | None] = (None,)) -> bytes:
    """One page per item: ``None`` is a scanned page (an image, no text); a string is a text page."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4)
    img = Image.new("L", (200, 280), 235)
    for x in range(20, 180):
        for y in range(30, 34):
            img.putpixel((x, y), 20)
    for item in pages:
        if item is None:
            c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
        else:
            c.setFont(_font(), 12)
            for i, line in enumerate(item.split("\n")):
                c.drawString(56, A4[1] - 80 - 20 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(user_password: str = "secret") -> bytes:
    """A one-page PDF that needs ``user_password`` to be opened."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, encrypt=StandardEncryption(user_password, "owner-" + user_password))
    c.setFont(_font(), 12)
    c.drawString(56, 700, "加密的文件")
    c.showPage()
    c.save()
    return buf.getvalue()


def unmapped_glyphs_pdf(readable: bool = True) -> bytes:
    """A hand-written PDF: a ruled 2x2 table whose header cells use glyphs without Unicode.

    The left column uses a Type0 font with Identity-H encoding and no
    ToUnicode map (pdfminer reads ``(cid:N)``); the paragraph above the table
    uses a font whose ToUnicode maps to private-use code points. The right
    column holds readable digits (Helvetica), and a readable heading is on
    top; ``readable=False`` leaves those out (no glyph can be read).
    """
    objs: list[bytes] = []

    def add(body: str | bytes) -> int:
        objs.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(objs)

    readable_ops = ["BT /F2 12 Tf 340 655 Td (12) Tj ET", "BT /F2 12 Tf 340 615 Td (34) Tj ET",
                    "BT /F2 12 Tf 100 760 Td (Readable heading) Tj ET"]
    content = "\n".join([
        "0.5 w",
        # a 2x2 grid: x 100..300..400, y 600..640..680
        "100 680 m 400 680 l S", "100 640 m 400 640 l S", "100 600 m 400 600 l S",
        "100 600 m 100 680 l S", "300 600 m 300 680 l S", "400 600 m 400 680 l S",
        "BT /F1 12 Tf 110 655 Td <00410042> Tj ET",
        "BT /F1 12 Tf 110 615 Td <00430044> Tj ET",
        "BT /F3 12 Tf 100 720 Td (ab) Tj ET",
        *(readable_ops if readable else []),
    ]).encode("latin-1")
    catalog = add("<< /Type /Catalog /Pages 2 0 R >>")
    assert catalog == 1
    add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R /F2 7 0 R /F3 8 0 R >> >> >>")
    add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    add("<< /Type /Font /Subtype /Type0 /BaseFont /NoMapCID /Encoding /Identity-H /DescendantFonts [6 0 R] >>")
    add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMapCID "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        "/FontDescriptor 10 0 R /DW 1000 /CIDToGIDMap /Identity >>")
    add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 9 0 R >>")
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /PUA def "
            b"1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfchar <61> <E001> <62> <E002> endbfchar "
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    add("<< /Type /FontDescriptor /FontName /NoMapCID /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
        "/Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def _cjk_number(n: int) -> str:
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))


def long_report_pdf(pages: int = 300) -> bytes:
    """A long document for memory and speed measurements: ``pages`` pages of text and a table each.

    Every page has its own wording (a real report repeats no body text at the top of its pages,
    which is how running headers are told apart), a 13 x 6 ruled table and a page number footer.
    """
    blocks: list[Para | TableSpec | PageBreak | Spacer] = []
    for i in range(pages):
        n = _cjk_number(i + 1)
        table = TableSpec(
            widths=[150, 60, 60, 60, 60, 60],
            rows=[["项目", "甲", "乙", "丙", "丁", "合计"]]
            + [[f"第{n}部分第{k}项", "1", "2", "3", str(k), str(6 + k)] for k in range(12)],
        )
        blocks += [
            Para(f"第{n}部分。本报告依据《中华人民共和国政府信息公开条例》编制，所列数据统计期限\n"
                 "自2023年1月1日起至2023年12月31日止。如对本报告有疑问，请与本机关联系。", indent=24),
            table,
            Para(f"以上是第{n}部分的数据。", indent=24),
            PageBreak(),
        ]
    return render(blocks[:-1], footer="-{n}-")


def raw_pdf(pages: Sequence[str | bytes], *, fonts: dict[str, dict] | None = None,
            forms: dict[str, tuple[bytes, dict[str, str]]] | None = None, size: tuple[float, float] = (595, 842),
            compress: bool = False) -> bytes:
    """A PDF whose pages are the given content streams (PDF operators), built with pikepdf.

    ``fonts`` maps a resource name to a font dictionary (Python values: ``"/Name"`` strings are
    names, nested dicts are dictionaries); every page gets them, with Helvetica as ``/F1`` unless
    given. ``forms`` maps a resource name to ``(content, {name: other form's name})``: form
    XObjects that may draw each other (every page and form gets all of them by their names).
    """
    import pikepdf

    pdf = pikepdf.new()

    def value(v: object) -> object:
        if isinstance(v, str) and v.startswith("/"):
            return pikepdf.Name(v)
        if isinstance(v, dict):
            return pikepdf.Dictionary({f"/{k}": value(x) for k, x in v.items()})
        if isinstance(v, (list, tuple)):
            return pikepdf.Array([value(x) for x in v])
        if isinstance(v, bytes):
            return pdf.make_indirect(pikepdf.Stream(pdf, v))
        return v

    font_dicts = {"F1": {"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica"}, **(fonts or {})}
    font_res = pikepdf.Dictionary({f"/{k}": pdf.make_indirect(value(v)) for k, v in font_dicts.items()})
    xobjects = pikepdf.Dictionary()
    made = {}
    for name, (content, _) in (forms or {}).items():
        form = pikepdf.Stream(pdf, content)
        form.Type = pikepdf.Name.XObject
        form.Subtype = pikepdf.Name.Form
        form.BBox = [0, 0, size[0], size[1]]
        made[name] = pdf.make_indirect(form)
        xobjects[f"/{name}"] = made[name]
    for name, form in made.items():
        form.Resources = pikepdf.Dictionary(Font=font_res, XObject=pikepdf.Dictionary(
            {f"/{k}": made[v] for k, v in (forms or {})[name][1].items()}))
    for content in pages:
        page = pdf.add_blank_page(page_size=size)
        data = content.encode("latin-1") if isinstance(content, str) else content
        page.Contents = pdf.make_indirect(pikepdf.Stream(pdf, data))
        page.Resources = pikepdf.Dictionary(Font=font_res, XObject=xobjects)
    buf = io.BytesIO()
    pdf.save(buf, compress_streams=compress)
    return buf.getvalue()


def _vera() -> bytes:
    import reportlab

    return (Path(reportlab.__file__).parent / "fonts" / "Vera.ttf").read_bytes()


def _nameless(program: bytes) -> bytes:
    """The font with no Unicode cmap and no glyph names: its glyphs say nothing about their text."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(program))
    font["cmap"].tables = [t for t in font["cmap"].tables if (t.platformID, t.platEncID) == (1, 0)]
    font["post"].formatType = 3.0
    order = font.getGlyphOrder()
    font.setGlyphOrder([".notdef"] + [f"glyph{i:05d}" for i in range(1, len(order))])
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def font_pdf(kind: str, lines: Sequence[str] = ("Table 2024", "Total 42")) -> bytes:
    """A page whose text uses an embedded TrueType font (Bitstream Vera) with no /ToUnicode map.

    ``kind``: ``"cid"`` a Type0 font, Identity-H, glyph ids as codes (its text comes from the
    font's own cmap, read backwards); ``"simple"`` a symbolic simple TrueType font, byte codes
    through the font's (1,0) cmap; ``"nameless"`` the simple font with no Unicode cmap and no glyph
    names (its text cannot be known); ``"mixed"``: the nameless font for the first line, Helvetica
    (readable) for the others.
    """
    from fontTools.ttLib import TTFont

    program = _vera()
    if kind in ("nameless", "mixed"):
        program = _nameless(program)
    ttf = TTFont(io.BytesIO(_vera()))
    gids = {ch: ttf.getGlyphID(name) for ch, name in ttf.getBestCmap().items()}
    descriptor = {"Type": "/FontDescriptor", "FontName": "/Vera", "Flags": 4, "FontBBox": [-183, -236, 1287, 928],
                  "ItalicAngle": 0, "Ascent": 928, "Descent": -236, "CapHeight": 700, "StemV": 80,
                  "FontFile2": program}
    if kind == "cid":
        font = {"Type": "/Font", "Subtype": "/Type0", "BaseFont": "/Vera", "Encoding": "/Identity-H",
                "DescendantFonts": [{"Type": "/Font", "Subtype": "/CIDFontType2", "BaseFont": "/Vera",
                                     "CIDSystemInfo": {"Registry": "Adobe", "Ordering": "Identity",
                                                       "Supplement": 0},
                                     "FontDescriptor": descriptor, "DW": 600, "CIDToGIDMap": "/Identity"}]}

        def encode(s: str) -> str:
            return "<" + "".join(f"{gids[ord(c)]:04X}" for c in s) + ">"
    else:
        font = {"Type": "/Font", "Subtype": "/TrueType", "BaseFont": "/ABCDEF+Vera", "FirstChar": 32,
                "LastChar": 126, "Widths": [600] * 95, "FontDescriptor": descriptor}

        def encode(s: str) -> str:
            return "<" + s.encode("latin-1").hex().upper() + ">"
    ops = []
    for i, line in enumerate(lines):
        name = "F1" if kind == "mixed" and i else "F2"
        text = f"({line})" if name == "F1" else encode(line)
        ops.append(f"BT /{name} 14 Tf 72 {720 - 24 * i} Td {text} Tj ET")
    return raw_pdf(["\n".join(ops)], fonts={"F2": font})
