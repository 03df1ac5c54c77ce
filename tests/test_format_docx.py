"""The Word adapter: the grid of a table (gridSpan, vMerge, gridBefore/gridAfter), what is
read (text boxes, content controls, field results, inserted revisions, line breaks in
cells, automatic numbering, headings) and what is not (hidden text, deleted revisions,
field codes), provenance, detection, the .doc/.wps path and the errors for other office
files. Documents are written in the test with :func:`kit.render.docx_package`."""

from __future__ import annotations

import io
import zipfile

import pytest

import gxparse
from gxparse import Source
from gxparse._office import identify, sniff
from gxparse.formats.docx import DocxAdapter

from kit.render import docx_package

ADAPTER = DocxAdapter()


def p(text: str = "", ppr: str = "", rpr: str = "") -> str:
    """A paragraph of one run."""
    pp = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    rp = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    run = f'<w:r>{rp}<w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f"<w:p>{pp}{run}</w:p>"


def tc(content: str = "", props: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{content or '<w:p/>'}</w:tc>"


def tr(*cells: str, props: str = "") -> str:
    return f"<w:tr>{f'<w:trPr>{props}</w:trPr>' if props else ''}{''.join(cells)}</w:tr>"


def tbl(*rows: str) -> str:
    return f"<w:tbl><w:tblPr/><w:tblGrid/>{''.join(rows)}</w:tbl>"


def extract(body: str, **kw) -> gxparse.Document:
    return ADAPTER.extract(Source.from_bytes(docx_package(body, **kw), "t.docx"))


def grid(table: gxparse.Table) -> list[tuple[int, int, int, int, str]]:
    return [(c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells]


# -- tables ----------------------------------------------------------------------------------------


def test_grid_span_and_vertical_merges_make_the_true_grid():
    body = tbl(
        tr(tc(p("申请人"), '<w:vMerge w:val="restart"/>'), tc(p("法人"), '<w:gridSpan w:val="2"/>'), tc(p("总计"))),
        tr(tc(props="<w:vMerge/>"), tc(p("商业")), tc(p("科研")), tc(p("3"))),
        tr(tc(p("x")), tc(p("1")), tc(p("2")), tc(p("3"))),
    )
    (table,) = extract(body).tables
    assert grid(table) == [(0, 0, 2, 1, "申请人"), (0, 1, 1, 2, "法人"), (0, 3, 1, 1, "总计"),
                           (1, 1, 1, 1, "商业"), (1, 2, 1, 1, "科研"), (1, 3, 1, 1, "3"),
                           (2, 0, 1, 1, "x"), (2, 1, 1, 1, "1"), (2, 2, 1, 1, "2"), (2, 3, 1, 1, "3")]


def test_vmerge_continue_val_and_a_merge_three_rows_down_spanning_two_columns():
    merged = '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>'
    body = tbl(tr(tc(p("头"), merged), tc(p("a"))),
               tr(tc(props='<w:gridSpan w:val="2"/><w:vMerge w:val="continue"/>'), tc(p("b"))),
               tr(tc(props='<w:gridSpan w:val="2"/><w:vMerge/>'), tc(p("c"))),
               tr(tc(p("1")), tc(p("2")), tc(p("3"))))
    (table,) = extract(body).tables
    assert grid(table)[0] == (0, 0, 3, 2, "头")
    assert [c.text for c in table.rows()[3]] == ["1", "2", "3"]


def test_grid_before_moves_a_row_right_and_grid_after_ends_it_early():
    body = tbl(tr(tc(p("a")), tc(p("b")), tc(p("c"))),
               tr(tc(p("y")), tc(p("z")), props='<w:gridBefore w:val="1"/>'),
               tr(tc(p("1")), props='<w:gridAfter w:val="2"/>'))
    (table,) = extract(body).tables
    assert grid(table)[3:] == [(1, 1, 1, 1, "y"), (1, 2, 1, 1, "z"), (2, 0, 1, 1, "1")]


def test_continuation_without_a_restart_above_is_a_cell_of_its_own():
    body = tbl(tr(tc(p("a")), tc(p("b"))), tr(tc(p("c"), "<w:vMerge/>"), tc(p("d"))))
    (table,) = extract(body).tables
    assert grid(table) == [(0, 0, 1, 1, "a"), (0, 1, 1, 1, "b"), (1, 0, 1, 1, "c"), (1, 1, 1, 1, "d")]


def test_vmerge_breaks_when_a_row_has_no_continuation_there():
    body = tbl(tr(tc(p("a"), '<w:vMerge w:val="restart"/>'), tc(p("b"))),
               tr(tc(p("c")), tc(p("d"))),
               tr(tc(props="<w:vMerge/>"), tc(p("e"))))
    cells = grid(extract(body).tables[0])
    assert cells[0] == (0, 0, 1, 1, "a") and (2, 0, 1, 1, "") in cells


def test_absurd_grid_span_is_clamped():
    body = tbl(tr(tc(p("a"), '<w:gridSpan w:val="99999999"/>'), tc(p("b"))))
    (table,) = extract(body).tables
    assert table.cells[0].col_span == 1000 and table.cells[1].col == 1000


def test_line_breaks_and_paragraphs_in_a_cell_are_lines():
    cell = ('<w:p><w:r><w:t>本年</w:t><w:br/><w:t>新收</w:t></w:r></w:p>'
            '<w:p><w:r><w:t xml:space="preserve">  数量 </w:t><w:cr/><w:t>（件）</w:t></w:r></w:p><w:p/>')
    (table,) = extract(tbl(tr(tc(cell), tc(p("1"))))).tables
    assert table.cells[0].text == "本年\n新收\n数量\n（件）"


def test_nested_table_comes_after_the_outer_table_and_a_one_cell_frame_is_its_content():
    inner = tbl(tr(tc(p("内1")), tc(p("内2"))))
    outer = tbl(tr(tc(p("外") + inner), tc(p("B"))), tr(tc(p("C")), tc(p("D"))))
    frame = tbl(tr(tc(p("标题") + outer)))
    doc = extract(frame)
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Table", "Table"]
    assert doc.blocks[0].text == "标题"
    assert [c.text for c in doc.tables[0].cells] == ["外", "B", "C", "D"]
    assert [c.text for c in doc.tables[1].cells] == ["内1", "内2"]
    assert doc.tables[1].provenance.locator == "table 2"


def test_rows_and_cells_inside_content_controls_are_read():
    body = tbl(f"<w:sdt><w:sdtContent>{tr(tc(p('a')), tc(p('b')))}</w:sdtContent></w:sdt>",
               tr(f"<w:sdt><w:sdtContent>{tc(p('c'))}</w:sdtContent></w:sdt>", tc(p("d"))))
    assert grid(extract(body).tables[0]) == [(0, 0, 1, 1, "a"), (0, 1, 1, 1, "b"),
                                             (1, 0, 1, 1, "c"), (1, 1, 1, 1, "d")]


# -- text -------------------------------------------------------------------------------------------


def test_hidden_text_is_not_read_and_is_noted_where_it_is():
    styles = ('<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
              '<w:style w:type="character" w:styleId="H"><w:rPr><w:vanish/></w:rPr></w:style>'
              '<w:style w:type="character" w:styleId="H2"><w:basedOn w:val="H"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="HP"><w:rPr><w:vanish/></w:rPr></w:style></w:styles>')
    body = ('<w:p><w:r><w:t>共</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>99</w:t></w:r>'
            '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>3</w:t></w:r><w:r><w:t>件</w:t></w:r></w:p>'
            + p("秘密", rpr='<w:rStyle w:val="H2"/>') + p("也是秘密", ppr='<w:pStyle w:val="HP"/>')
            + tbl(tr(tc('<w:p><w:r><w:t>1</w:t></w:r><w:r><w:rPr><w:rStyle w:val="H"/></w:rPr><w:t>7</w:t>'
                        '</w:r></w:p>'), tc(p("2")))))
    doc = extract(body, styles=styles)
    assert [b.text for b in doc.paragraphs] == ["共3件"]
    assert [c.text for c in doc.tables[0].cells] == ["1", "2"]
    hidden = [(n.where, n.code, n.severity, n.evidence["text"]) for n in doc.notes]
    assert hidden == [("paragraph 1", "hidden-text", "info", "99"), ("paragraph 2", "hidden-text", "info", "秘密"),
                      ("paragraph 3", "hidden-text", "info", "也是秘密"),
                      ("table 1, row 1, cell 1", "hidden-text", "info", "7")]


def test_hidden_text_notes_are_capped():
    body = "".join(p("x", rpr="<w:vanish/>") + p("y") for _ in range(30))
    notes = extract(body).notes
    assert len(notes) == 21 and "10 more" in notes[-1].message


def test_deleted_revisions_are_not_read_inserted_ones_are():
    body = ('<w:p><w:r><w:t>受理</w:t></w:r><w:del><w:r><w:delText>8</w:delText></w:r></w:del>'
            '<w:ins><w:r><w:t>5</w:t></w:r></w:ins><w:moveFrom><w:r><w:t>旧</w:t></w:r></w:moveFrom>'
            '<w:moveTo><w:r><w:t>件</w:t></w:r></w:moveTo></w:p>')
    assert [b.text for b in extract(body).paragraphs] == ["受理5件"]


def test_a_deleted_paragraph_mark_joins_the_paragraph_to_the_next():
    body = ('<w:p><w:pPr><w:rPr><w:del/></w:rPr></w:pPr><w:r><w:t>一、总体</w:t></w:r></w:p>' + p("情况")
            + tbl(tr(tc('<w:p><w:pPr><w:rPr><w:del/></w:rPr></w:pPr><w:r><w:t>予以</w:t></w:r></w:p>' + p("公开")),
                     tc(p("1")))))
    doc = extract(body)
    assert [b.text for b in doc.paragraphs] == ["一、总体情况"]
    assert doc.tables[0].cells[0].text == "予以公开"


def test_fields_show_their_result_not_their_code():
    body = ('<w:p><w:r><w:t>合计</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText> =SUM(ABOVE) </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:t>12</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
            '<w:fldSimple w:instr=" PAGE "><w:r><w:t>/3</w:t></w:r></w:fldSimple></w:p>'
            # a field without a result shows nothing, text in its code part neither
            '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:t>code</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>后</w:t></w:r></w:p>')
    assert [b.text for b in extract(body).paragraphs] == ["合计12/3", "后"]


def test_text_boxes_are_read_once_after_their_paragraph():
    box = f"<w:txbxContent>{p('框内文字')}</w:txbxContent>"
    body = (p("前") + '<w:p><w:r><w:t>锚</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict>"
            f"<v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>"
            "</w:r></w:p>" + p("后"))
    doc = extract(body)
    assert [(b.text, b.provenance.locator) for b in doc.paragraphs] == [
        ("前", "paragraph 1"), ("锚", "paragraph 2"), ("框内文字", "text box 1, paragraph 1"), ("后", "paragraph 3")]


def test_content_controls_smart_tags_and_hyperlinks_are_their_content():
    body = ('<w:sdt><w:sdtPr/><w:sdtContent>' + p("块控件") + '</w:sdtContent></w:sdt>'
            '<w:p><w:sdt><w:sdtContent><w:r><w:t>行内</w:t></w:r></w:sdtContent></w:sdt>'
            '<w:smartTag><w:r><w:t>标记</w:t></w:r></w:smartTag>'
            '<w:hyperlink r:id="rIdX"><w:r><w:t>链接</w:t></w:r></w:hyperlink></w:p>')
    assert [b.text for b in extract(body).paragraphs] == ["块控件", "行内标记链接"]


def test_headings_from_outline_levels_styles_and_numbering():
    styles = ('<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
              '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="标题 3"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Mine"><w:basedOn w:val="a5"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Body"><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>'
              '</w:styles>')
    body = (p("报告", '<w:pStyle w:val="1"/>') + p("小节", '<w:pStyle w:val="Mine"/>')
            + p("大纲", '<w:outlineLvl w:val="1"/>') + p("一、总体情况") + p("（二）部分公开情况")
            + p("一、这是一句很长的正文，说明本年度的工作情况，有句号。") + p("二、正文", '<w:pStyle w:val="Body"/>'))
    levels = [(b.text, b.heading_level) for b in extract(body, styles=styles).paragraphs]
    assert levels == [("报告", 1), ("小节", 3), ("大纲", 2), ("一、总体情况", 2), ("（二）部分公开情况", 3),
                      ("一、这是一句很长的正文，说明本年度的工作情况，有句号。", None), ("二、正文", 2)]


def test_automatic_numbering_is_written_out():
    numbering = ('<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                 '<w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                 '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
                 '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
                 '<w:lvlText w:val="（%2）"/></w:lvl><w:lvl w:ilvl="2"><w:numFmt w:val="decimal"/>'
                 '<w:lvlText w:val="%3."/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num>'
                 '<w:num w:numId="8"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0">'
                 '<w:startOverride w:val="11"/></w:lvlOverride></w:num></w:numbering>')

    def item(text: str, ilvl: int, num: int = 7) -> str:
        return p(text, f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>')

    body = (item("总体情况", 0) + item("主动公开", 0) + item("予以公开", 1) + item("部分公开", 1)
            + item("国家秘密", 2) + item("其他", 2) + item("不予处理", 1) + item("申请", 0) + item("十一", 0, 8))
    texts = [b.text for b in extract(body, numbering=numbering).paragraphs]
    assert texts == ["一、总体情况", "二、主动公开", "（一）予以公开", "（二）部分公开", "1.国家秘密", "2.其他",
                     "（三）不予处理", "三、申请", "十一、十一"]


def test_chinese_numbers():
    from gxparse.formats.docx import _chinese

    assert [_chinese(n) for n in (1, 10, 11, 20, 21, 100, 101, 110, 1005)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百零一", "一百一十", "一千零五"]


def test_provenance_locates_paragraphs_tables_and_cells():
    body = p("甲") + p() + tbl(tr(tc(p("a")), tc(p("b"))), tr(tc(p("c")), tc(p("d")))) + p("乙")
    doc = extract(body)
    assert [b.provenance.locator for b in doc.blocks] == ["paragraph 1", "table 1", "paragraph 3"]
    assert [c.provenance.locator for c in doc.tables[0].cells] == [
        "table 1, row 1, cell 1", "table 1, row 1, cell 2", "table 1, row 2, cell 1", "table 1, row 2, cell 2"]
    assert doc.tables[0].cells[3].provenance.describe() == "table 1, row 2, cell 2"


def test_empty_document_is_an_empty_source_error():
    with pytest.raises(gxparse.EmptySourceError, match="no visible text"):
        extract(p() + p("隐藏", rpr="<w:vanish/>"))


# -- detection and the file as a whole ---------------------------------------------------------------


def test_detected_from_content_not_from_the_name():
    data = docx_package(p("x"))
    reg = gxparse.default_registry()
    assert reg.detect(Source.from_bytes(data, "download.bin")).name == "docx"
    assert reg.detect(Source.from_bytes(data)).name == "docx"
    assert reg.detect(Source.from_bytes("一、总体情况\n".encode(), "report.docx")).name != "docx"
    assert ADAPTER.accepts(data[:65536]) == 1.0


def test_main_part_found_through_the_package_relationship():
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_package(p("正文")))) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                dst.writestr("word/main.xml", data)
            elif info.filename == "_rels/.rels":
                dst.writestr(info, data.replace(b"word/document.xml", b"word/main.xml"))
            elif info.filename == "word/_rels/document.xml.rels":
                dst.writestr("word/_rels/main.xml.rels", data)
            else:
                dst.writestr(info, data)
    big_media = b"\0" * 100_000  # the main part's header lies beyond the 64 KiB head
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        entries = [(i, z.read(i)) for i in z.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        dst.writestr("word/media/image1.png", big_media)
        for info, data in entries:
            dst.writestr(info, data)
    doc = gxparse.extract(Source.from_bytes(out.getvalue(), "x.docx"))
    assert doc.adapter == "docx" and doc.paragraphs[0].text == "正文"


def test_sample_docx_reads_like_the_html(samples_dir):
    """The same report saved as Word and as HTML: the same tables cell for cell (the office
    suite filled the HTML's ragged rows with empty cells: the only difference)."""
    for stem in ("s00", "s03"):
        word = gxparse.extract(samples_dir / f"{stem}.docx")
        page = gxparse.extract(samples_dir / f"{stem}.html")
        assert len(word.tables) == len(page.tables) == 3
        for w, h in zip(word.tables, page.tables):
            extra = set(grid(w)) - set(grid(h))
            assert set(grid(h)) <= set(grid(w)) and all(cell[4] == "" for cell in extra)


# -- other office files, .doc and .wps -----------------------------------------------------------------


def _zip(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            zf.writestr(name, "<x/>")
    return buf.getvalue()


def _ole2(*names: str, extra: bytes = b"") -> bytes:
    """An OLE2 header and a directory sector holding entries with these names (enough to sniff)."""
    data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    for name in ("Root Entry", *names):
        entry = bytearray(128)
        raw = name.encode("utf-16-le")
        entry[:len(raw)] = raw
        entry[64:66] = (len(raw) + 2).to_bytes(2, "little")
        entry[66] = 2
        data += entry
    return bytes(data + extra)


OTHER_OFFICE_FILES = {
    "xlsx": (_zip("[Content_Types].xml", "xl/workbook.xml"), "an Excel workbook (.xlsx)"),
    "xls": (_ole2("Workbook", "\x05SummaryInformation"), "an Excel 97-2003 workbook (.xls)"),
    "et": (_ole2("Workbook", "WpsCustomData"), "a WPS Office spreadsheet (.et)"),
    "et-kso": (_ole2("Workbook", "\x05DocumentSummaryInformation", extra=b"KSOProductBuildVer"),
               "a WPS Office spreadsheet (.et)"),
    "ofd": (_zip("OFD.xml", "Doc_0/Document.xml"), "an OFD document (.ofd"),
    "rtf": ("{\\rtf1\\ansi\\ansicpg936 {\\fonttbl} 政府信息公开}".encode(), "an RTF document (.rtf)"),
    "pptx": (_zip("ppt/presentation.xml"), "a PowerPoint presentation (.pptx)"),
    "ppt": (_ole2("PowerPoint Document"), "a PowerPoint 97-2003 presentation (.ppt)"),
    "odt": (b"PK\x03\x04" + bytes(26) + b"mimetypeapplication/vnd.oasis.opendocument.text", "OpenDocument text"),
}


@pytest.mark.parametrize("kind", sorted(OTHER_OFFICE_FILES))
def test_other_office_files_get_one_line_naming_the_format(kind):
    data, name = OTHER_OFFICE_FILES[kind]
    with pytest.raises(gxparse.UnsupportedFormatError) as info:
        gxparse.parse(Source.from_bytes(data, f"report.{kind}"))
    message = str(info.value)
    assert "\n" not in message and name in message and "binary" not in message
    assert message.startswith(f"report.{kind}: the file is ")
    # forcing a text format names the format too, instead of "binary data"
    if kind != "rtf":
        with pytest.raises(gxparse.UndecodableError, match=name.replace("(", r"\(").replace(")", r"\)")):
            gxparse.parse(Source.from_bytes(data, "x"), format="text")
        with pytest.raises(gxparse.ExtractError, match="not a PDF: the file is"):
            gxparse.parse(Source.from_bytes(data, "x"), format="pdf")


def test_the_docx_adapter_refuses_other_office_files_it_is_handed():
    for kind in ("xlsx", "ofd", "pptx"):
        data, _name = OTHER_OFFICE_FILES[kind]
        with pytest.raises(gxparse.UnsupportedFormatError, match="which gxparse does not read"):
            ADAPTER.extract(Source.from_bytes(data, "x"))


def test_password_protected_document():
    data = _ole2("\x06DataSpaces", "EncryptionInfo", "EncryptedPackage")
    with pytest.raises(gxparse.EncryptedSourceError, match="protected with a password"):
        gxparse.parse(Source.from_bytes(data, "secret.docx"))


def test_sniffing_tells_word_wps_works_and_others_apart():
    assert sniff(_ole2("WordDocument", "1Table")).key == "doc"
    assert sniff(_ole2("WordDocument", "WpsCustomData")).key == "wps"
    assert sniff(_ole2("WordDocument", extra="KSOProductBuildVer".encode("utf-16-le"))).key == "wps"
    assert sniff(_ole2("CONTENTS", extra=b"CHNKWKS")).key == "works"
    assert sniff(_ole2("SomethingElse")).key == "ole2"
    # a stream's content that spells a directory name does not count: not at an entry's place
    assert sniff(_ole2("Data", extra=b"x" + "WordDocument".encode("utf-16-le"))).key == "ole2"
    assert sniff(b"PK\x03\x04" + bytes(26) + b"word/document.xml").key == "docx"
    assert sniff(b"plain text") is None and identify(b"") is None


@pytest.fixture
def no_soffice(monkeypatch):
    monkeypatch.setenv("GXPARSE_SOFFICE", "/nonexistent/soffice")


@pytest.mark.parametrize("kind, what", [("doc", "a Word 97-2003 document (.doc)"),
                                        ("wps", "a WPS Office document (.wps)")])
def test_doc_and_wps_without_libreoffice_say_what_to_do(no_soffice, kind, what, capsys, tmp_path):
    names = ("WordDocument", "1Table") if kind == "doc" else ("WordDocument", "WpsCustomData")
    path = tmp_path / f"report.{kind}"
    path.write_bytes(_ole2(*names))
    with pytest.raises(gxparse.NeedsConverterError) as info:
        gxparse.parse(path)
    message = str(info.value)
    assert what in message and "install LibreOffice" in message and "save the file as .docx or PDF" in message
    from gxparse._cli import main

    assert main(["parse", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and what in err[0]


# -- raised, lowered and white text (issue 15: never digits of the number beside them) --------------

_STYLES = ('<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:style w:type="character" w:styleId="Sup"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
           '<w:style w:type="character" w:styleId="Note"><w:basedOn w:val="Sup"/></w:style>'
           '<w:style w:type="character" w:styleId="Ghost"><w:rPr><w:color w:val="FFFFFF"/></w:rPr></w:style>'
           '<w:style w:type="paragraph" w:styleId="Raised"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
           '</w:style></w:styles>')


def _runs(*runs: tuple[str, str], ppr: str = "") -> str:
    """A paragraph of runs, each (text, run properties)."""
    body = "".join(f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{t}</w:t></w:r>'
                   for t, rpr in runs)
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{body}</w:p>"


SUP, SUB = '<w:vertAlign w:val="superscript"/>', '<w:vertAlign w:val="subscript"/>'


@pytest.mark.parametrize("para, text", [
    (_runs(("1525", ""), ("1", SUP)), "1525¹"),
    (_runs(("1", SUP), ("1525", "")), "¹1525"),
    (_runs(("1525", ""), ("1", SUB)), "1525₁"),
    (_runs(("6", ""), ("*", SUP)), "6⁽*⁾"),
    (_runs(("6", ""), ("1", '<w:rStyle w:val="Note"/>')), "6¹"),         # through a character style's basedOn
    (_runs(("6", ""), ("1", '<w:rStyle w:val="Note"/><w:vertAlign w:val="baseline"/>')), "61"),  # direct wins
    (_runs(("6", ""), ("1", ""), ppr='<w:pStyle w:val="Raised"/>'), "⁶¹"),  # the paragraph style raises all
    (_runs(("6", ""), ("1", '<w:vertAlign w:val="baseline"/>')), "61"),
])
def test_raised_and_lowered_runs_are_superscript_and_subscript_characters(para, text):
    doc = extract(tbl(tr(tc(para), tc(p("2")))), styles=_STYLES)
    assert doc.tables[0].cells[0].text == text
    assert not doc.notes


WHITE = '<w:color w:val="FFFFFF"/>'


@pytest.mark.parametrize("para, props", [
    (_runs(("1525", ""), ("9", WHITE)), ""),
    (_runs(("1525", ""), ("9", '<w:color w:val="fafafa"/>')), ""),                  # near white
    (_runs(("1525", ""), ("9", '<w:rStyle w:val="Ghost"/>')), ""),                   # from a character style
    (_runs(("1525", ""), ("9", WHITE), ppr='<w:shd w:val="clear" w:fill="F2F2F2"/>'), ""),  # a very light fill
    (_runs(("1525", ""), ("9", WHITE)), '<w:shd w:val="clear" w:color="auto" w:fill="auto"/>'),
    (_runs(("1525", ""), ("9", WHITE + '<w:highlight w:val="white"/>')), ""),
])
def test_white_text_on_white_is_not_read_and_is_noted(para, props):
    doc = extract(tbl(tr(tc(para, props), tc(p("2")))), styles=_STYLES)
    assert doc.tables[0].cells[0].text == "1525"
    assert [(n.where, n.code, n.severity, n.evidence["text"]) for n in doc.notes] == [
        ("table 1, row 1, cell 1", "hidden-text", "info", "9")]
    assert "white on white" in doc.notes[0].message


@pytest.mark.parametrize("para, props", [
    (_runs(("1525", ""), ("9", WHITE)), '<w:shd w:val="clear" w:color="auto" w:fill="1F3864"/>'),  # dark cell
    (_runs(("1525", ""), ("9", WHITE + '<w:shd w:val="clear" w:fill="000000"/>')), ""),
    (_runs(("1525", ""), ("9", WHITE + '<w:highlight w:val="darkBlue"/>')), ""),
    (_runs(("1525", ""), ("9", WHITE), ppr='<w:shd w:val="clear" w:fill="808080"/>'), ""),
    (_runs(("1525", ""), ("9", WHITE)), '<w:shd w:val="pct50" w:color="000000" w:fill="FFFFFF"/>'),  # a pattern
    (_runs(("1525", ""), ("9", '<w:color w:val="auto"/>')), ""),
    (_runs(("1525", ""), ("9", '<w:color w:val="D9D9D9"/>')), ""),                  # light grey: readable
])
def test_white_text_on_a_background_that_shows_it_is_read(para, props):
    doc = extract(tbl(tr(tc(para, props), tc(p("2")))), styles=_STYLES)
    assert doc.tables[0].cells[0].text == "15259"
    assert not doc.notes


def test_white_text_in_a_paragraph_is_not_read():
    doc = extract(_runs(("共", ""), ("99", WHITE), ("3件", "")))
    assert [b.text for b in doc.paragraphs] == ["共3件"]
    assert [(n.where, n.evidence["text"]) for n in doc.notes] == [("paragraph 1", "99")]


def _report(cell: str) -> bytes:
    """A small report whose 行政处罚 本年处理决定数量 cell is ``cell`` (a paragraph)."""
    head = tr(tc(p("信息内容")), tc(p("本年处理决定数量")))
    rows = [tr(tc(p("行政许可")), tc(p("0"))), tr(tc(p("行政处罚")), tc(cell)), tr(tc(p("行政强制")), tc(p("0")))]
    return docx_package(p("某区某局2023年政府信息公开工作年度报告") + p("二、主动公开政府信息情况")
                        + tbl(head, *rows), styles=_STYLES)


@pytest.mark.parametrize("cell", [_runs(("1525", ""), ("1", SUP)), _runs(("1", SUP), ("1525", "")),
                                  _runs(("1525", ""), ("1", '<w:rStyle w:val="Sup"/>'))])
def test_a_raised_footnote_mark_is_no_digit_of_the_number(cell):
    r = gxparse.parse(_report(cell), format="docx")
    assert r.active_disclosure["penalty"]["decisions"] == 1525
    assert [f.where for f in r.findings if f.code == "footnote-mark"] == ["active_disclosure/penalty/decisions"]


def test_a_lowered_digit_makes_the_number_unreadable():
    r = gxparse.parse(_report(_runs(("1525", ""), ("1", SUB))), format="docx")
    assert r.active_disclosure["penalty"]["decisions"] is None
    assert [f.where for f in r.findings if f.code == "unreadable"] == ["active_disclosure/penalty/decisions"]


def test_a_white_digit_is_not_read():
    r = gxparse.parse(_report(_runs(("1525", ""), ("9", WHITE))), format="docx")
    assert r.active_disclosure["penalty"]["decisions"] == 1525
    assert [f.code for f in r.findings if f.code == "hidden-text"] == ["hidden-text"]
