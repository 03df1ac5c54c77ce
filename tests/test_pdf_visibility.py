"""Small hand-made pages for what a reader sees, fonts without Unicode, and the scans that need OCR.

Each page is written operator by operator (``pdf_factory.raw_pdf``, pikepdf), so that one thing
differs from a plain page; both backends must read it alike.
"""

from __future__ import annotations

import pytest

import gxparse
from gxparse import Document, Source
from gxparse.formats._pdf_scan import UNMAPPED, Limits, font_mapping, scan
from gxparse.formats.pdf import PdfAdapter

from pdf_factory import font_pdf, raw_pdf, scanned_pdf

BACKENDS = ["pypdfium2", "pdfplumber"]


def read(pdf: bytes, backend: str) -> Document:
    return PdfAdapter(backend).extract(Source.from_bytes(pdf, "t.pdf"))


def texts(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks]


def hidden(doc: Document) -> list:
    return [n for n in doc.notes if n.code == "hidden-text"]


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


def line(text: str, y: float, *, x: float = 72, color: str = "0 g", mode: int = 0) -> str:
    return f"q {color} BT {mode} Tr /F1 12 Tf {x} {y} Td ({text}) Tj ET Q"


# -- visibility -------------------------------------------------------------------------------------


@pytest.mark.parametrize("color", ["1 g", "1 1 1 rg", "0 0 0 0 k", "0.97 g"])
def test_text_the_colour_of_the_page_is_not_read(backend, color):
    doc = read(raw_pdf([line("Visible 12", 700) + line("Hidden 34", 680, color=color)]), backend)
    assert texts(doc) == ["Visible 12"]
    (note,) = hidden(doc)
    assert note.where == "page 1" and note.severity == "info" and "Hidden34" in note.message.replace(" ", "")


def test_white_text_on_a_dark_box_is_read(backend):
    page = "q 0 0 0.5 rg 60 660 300 40 re f Q" + line("Light on dark 56", 676, color="1 g")
    assert texts(read(raw_pdf([page]), backend)) == ["Light on dark 56"]


def test_grey_text_is_read(backend):
    assert texts(read(raw_pdf([line("Grey 78", 700, color="0.6 g")]), backend)) == ["Grey 78"]


def test_text_under_a_box_drawn_later_is_not_read_but_text_on_top_is(backend):
    # an old number covered by a white box, the new number drawn on it
    page = line("Old 999", 700) + "q 1 g 60 690 200 30 re f Q" + line("New 123", 700)
    doc = read(raw_pdf([page]), backend)
    assert texts(doc) == ["New 123"]
    assert "covered" in hidden(doc)[0].message


def test_a_thin_rule_over_text_does_not_hide_it(backend):
    # a strike-through line or an underline drawn after the text
    page = line("Struck 77", 700) + "q 0 g 70 703 80 1 re f Q"
    assert texts(read(raw_pdf([page]), backend)) == ["Struck 77"]


def test_clipped_text_is_not_read(backend):
    page = line("Shown 1", 700) + "q 0 0 50 50 re W n " + line("Clipped 2", 680) + " Q"
    doc = read(raw_pdf([page]), backend)
    assert texts(doc) == ["Shown 1"]
    assert "clipping" in hidden(doc)[0].message


def test_clipped_text_inside_a_form_is_not_read(backend):
    form = b"q 0 0 50 50 re W n BT /F1 12 Tf 72 680 Td (Clipped 2) Tj ET Q BT /F1 12 Tf 72 650 Td (Form 3) Tj ET"
    page = line("Shown 1", 700) + " q /X Do Q"
    doc = read(raw_pdf([page], forms={"X": (form, {})}), backend)
    assert texts(doc) == ["Shown 1", "Form 3"]


def test_invisible_text_over_visible_text_is_not_read(backend):
    page = line("Real 12", 700) + line("Fake 99", 700, mode=3)
    doc = read(raw_pdf([page]), backend)
    assert texts(doc) == ["Real 12"]
    assert "render mode 3" in hidden(doc)[0].message


def test_invisible_text_alone_is_read_as_the_ocr_layer_of_a_scan(backend):
    page = line("Scanned line 1", 700, mode=3) + line("Scanned line 2", 680, mode=3)
    doc = read(raw_pdf([page]), backend)
    assert texts(doc) == ["Scanned line 1", "Scanned line 2"] and hidden(doc) == []


def test_invisible_text_beside_visible_text_is_read(backend):
    page = line("Header 1", 760) + line("OCR body 2", 600, mode=3)
    assert texts(read(raw_pdf([page]), backend)) == ["Header 1", "OCR body 2"]


def _grid(extra: str = "") -> str:
    """A 2 x 3 ruled table (x 100..180..260..340, y 700..680..660) holding numbers."""
    rules = " ".join([f"100 {y} m 340 {y} l S" for y in (700, 680, 660)]
                     + [f"{x} 660 m {x} 700 l S" for x in (100, 180, 260, 340)])
    cells = "".join(line(t, y, x=x) for t, x, y in [("Item", 105, 686), ("12", 185, 686), ("34", 265, 686),
                                                     ("Other", 105, 666), ("5", 185, 666), ("6", 265, 666)])
    return "0.5 w 0 G " + rules + " " + extra + cells


@pytest.mark.parametrize("extra", [
    "q 1 G 220 660 m 220 700 l S Q",  # a white stroked rule
    "q 1 g 219.8 660 0.4 40 re f Q",  # a white thin box
    "q 0 g 220 660 0 40 re f Q",  # a box of no width
    "q 0 G 220 660 m 220 700 l n Q",  # a path neither stroked nor filled
])
def test_invisible_rulings_are_not_grid_lines(backend, extra):
    doc = read(raw_pdf([_grid(extra)]), backend)
    (table,) = doc.tables
    assert table.n_cols == 3
    assert [[c.text for c in table.cells if c.row == r] for r in range(2)] == [["Item", "12", "34"],
                                                                             ["Other", "5", "6"]]


def test_a_visible_extra_ruling_is_a_grid_line(backend):
    doc = read(raw_pdf([_grid("q 0 G 220 660 m 220 700 l S Q")]), backend)
    assert doc.tables[0].n_cols == 4


# -- duplicated glyphs, words over rules, turned text ------------------------------------------------


@pytest.mark.parametrize("dx", [0.2, 0.5, 0.8])
def test_glyphs_drawn_twice_far_apart_in_the_stream_are_read_once(backend, dx):
    page = line("Total 62", 700) + line("Other text", 600) + line("Total 62", 700, x=72 + dx)
    assert texts(read(raw_pdf([page]), backend)) == ["Total 62", "Other text"]


def test_a_real_double_digit_is_kept(backend):
    assert texts(read(raw_pdf([line("11 111", 700)]), backend)) == ["11 111"]


@pytest.mark.parametrize("over", [0.5, 2.0, 3.0])
def test_a_number_over_the_right_rule_stays_in_its_cell(backend, over):
    # "104" right-aligned in the middle cell so that its last digit runs `over` points past the
    # rule at x = 260 (into the cell holding 34)
    width = 3 * 6.672  # Helvetica digits at 12 pt
    extra = line("104", 686, x=260 + over - width)
    page = _grid().replace(line("12", 686, x=185), extra)
    (table,) = read(raw_pdf([page]), backend).tables
    assert [c.text for c in table.cells if c.row == 0] == ["Item", "104", "34"]


@pytest.mark.parametrize("angle", [90, 270])
def test_text_turned_on_an_upright_page_reads_in_its_direction(backend, angle):
    m = "0 1 -1 0 300 200" if angle == 90 else "0 -1 1 0 300 600"
    page = "".join(f"BT /F1 12 Tf {m} Tm 0 {-20 * i} Td ({t}) Tj ET" for i, t in
                   enumerate(["First line 1", "Second line 22", "Third line 333"]))
    doc = read(raw_pdf([page]), backend)
    assert " ".join(texts(doc)) == "First line 1 Second line 22 Third line 333"


# -- fonts without a Unicode map -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["cid", "simple"])
def test_text_recovered_from_the_fonts_own_cmap(backend, kind):
    assert texts(read(font_pdf(kind), backend)) == ["Table 2024", "Total 42"]


def test_font_mapping_tells_what_the_font_program_says():
    pdf = scan(font_pdf("cid"), Limits())
    (mapping,) = pdf.pages[0].fonts.values()
    assert isinstance(mapping, dict) and "T" in mapping.values()
    assert scan(font_pdf("nameless"), Limits()).pages[0].fonts == {"Vera": UNMAPPED}
    assert font_mapping({"Type": "/Font", "ToUnicode": object()}) is None


def test_a_font_with_nothing_to_read_by_is_unreadable_and_named(backend):
    doc = read(font_pdf("mixed"), backend)
    assert texts(doc) == ["Total 42"]
    (note,) = doc.notes
    assert note.code == "unreadable" and note.where == "page 1" and "(Vera)" in note.message


def test_a_pdf_in_such_fonts_only_needs_ocr_and_says_why(backend):
    with pytest.raises(gxparse.NeedsOCRError) as info:
        read(font_pdf("nameless"), backend)
    assert str(info.value) == ("t.pdf: page 1: the text uses fonts with no Unicode mapping (Vera): no glyph can be "
                               "read; OCR is needed")


# -- scans ---------------------------------------------------------------------------------------------


def _watermarked_scan(pages: int = 2) -> bytes:
    import io

    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from pdf_factory import A4, _font

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4)
    img = Image.new("L", (200, 280), 235)
    for _ in range(pages):
        c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
        c.setFont(_font(), 9)
        c.drawString(200, 20, "本文件仅供内部使用 扫描件")
        c.showPage()
    c.save()
    return buf.getvalue()


def test_a_scan_with_a_watermark_line_needs_ocr(backend):
    with pytest.raises(gxparse.NeedsOCRError) as info:
        read(_watermarked_scan(3), backend)
    assert str(info.value) == "t.pdf: page 1: no text layer (pages 1-3 are scanned); OCR is needed"


def test_a_text_cover_page_before_scans_needs_ocr_naming_the_pages():
    pdf = scanned_pdf(["某某局2023年政府信息公开工作年度报告", None, None, None])
    doc = read(pdf, "pypdfium2")
    assert [n.where for n in doc.notes] == ["page 2", "page 3", "page 4"]
    with pytest.raises(gxparse.NeedsOCRError) as info:
        gxparse.parse(pdf)
    assert str(info.value) == "<bytes>: pages 2-4: scanned, no text layer; OCR is needed"


def test_one_page_of_unreadable_fonts_in_a_report_names_the_page():
    doc = Document([gxparse.Paragraph("封面")], notes=[gxparse.Note(
        "page 2", "x", evidence={"ocr_needed": "the text uses fonts with no Unicode mapping (SimSun)"})])
    with pytest.raises(gxparse.NeedsOCRError) as info:
        gxparse.map_document(doc)
    assert str(info.value) == "page 2: the text uses fonts with no Unicode mapping (SimSun); OCR is needed"
    assert info.value.page == 2
