"""The core table model: construction checks name the field and the value; grids and spans."""

from __future__ import annotations

import pytest

from gxparse import Cell, Document, Note, Paragraph, Provenance, Table


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"row": -1, "col": 0, "text": "x"}, ValueError, "Cell.row"),
        ({"row": 0, "col": -2, "text": "x"}, ValueError, "Cell.col"),
        ({"row": 0, "col": 0, "text": "x", "row_span": 0}, ValueError, "Cell.row_span"),
        ({"row": 0, "col": 0, "text": "x", "col_span": 0}, ValueError, "Cell.col_span"),
        ({"row": "0", "col": 0, "text": "x"}, TypeError, "Cell.row"),
        ({"row": 0, "col": 1.0, "text": "x"}, TypeError, "Cell.col"),
        ({"row": 0, "col": 0, "text": 5}, TypeError, "Cell.text"),
        ({"row": 0, "col": 0, "text": "x", "provenance": "line 3"}, TypeError, "Cell.provenance"),
    ],
)
def test_cell_checks_name_field_and_value(kwargs, error, field):
    with pytest.raises(error) as info:
        Cell(**kwargs)
    message = str(info.value)
    assert field in message
    bad = next(v for k, v in kwargs.items() if field.endswith("." + k))
    assert repr(bad) in message


def test_valid_cells_and_subclasses_of_the_builtins_are_accepted():
    class Text(str):
        pass

    cell = Cell(2, 3, Text("甲"), 2, 1, Provenance("text", lines=(4, 5)))
    assert (cell.last_row, cell.last_col) == (3, 3)
    assert cell.covers(3, 3) and not cell.covers(4, 3)
    assert Cell(True, 0, "x").row == 1  # bool is an int, as attrs' instance_of(int) allowed


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"adapter": 3}, TypeError, "Provenance.adapter"),
        ({"adapter": "text", "lines": (0, 2)}, ValueError, "Provenance.lines"),
        ({"adapter": "text", "lines": (5, 4)}, ValueError, "Provenance.lines"),
        ({"adapter": "pdf", "page": 0}, ValueError, "Provenance.page"),
        ({"adapter": "pdf", "page": "1"}, TypeError, "Provenance.page"),
        ({"adapter": "pdf", "bbox": (10, 0, 5, 3)}, ValueError, "Provenance.bbox"),
        ({"adapter": "pdf", "bbox": (0, 0, 1)}, ValueError, "Provenance.bbox"),
    ],
)
def test_provenance_checks(kwargs, error, field):
    with pytest.raises(error, match=field.replace(".", r"\.")):
        Provenance(**kwargs)


def test_provenance_converts_sequences_and_describes_itself():
    p = Provenance("pdf", lines=[3, 3], page=2, bbox=[1, 2, 3, 4])
    assert p.lines == (3, 3) and p.bbox == (1.0, 2.0, 3.0, 4.0)
    assert all(type(v) is float for v in p.bbox)
    assert p.describe() == "page 2, line 3"
    assert Provenance("text", lines=(3, 7)).describe() == "lines 3-7"


def test_paragraph_checks():
    with pytest.raises(ValueError, match=r"Paragraph\.heading_level"):
        Paragraph("标题", heading_level=0)
    with pytest.raises(TypeError, match=r"Paragraph\.text"):
        Paragraph(None)  # type: ignore[arg-type]


def test_table_grid_spans_and_overlap():
    t = Table([Cell(0, 0, "a", 2, 1), Cell(0, 1, "b"), Cell(1, 1, "c"), Cell(2, 0, "d", 1, 2)])
    assert (t.n_rows, t.n_cols) == (3, 2)
    grid = t.grid()
    assert [[c.text for c in row] for row in grid] == [["a", "b"], ["a", "c"], ["d", "d"]]
    assert t.cell_at(1, 0).text == "a" and t.cell_at(5, 5) is None
    with pytest.raises(ValueError, match="overlap at row 1, column 0"):
        Table([Cell(0, 0, "a", 2, 1), Cell(1, 0, "b")])
    with pytest.raises(ValueError, match="overlap at row 0, column 1"):
        Table([Cell(0, 1, "a"), Cell(0, 0, "b", 1, 2)])
    with pytest.raises(TypeError, match="Cell objects"):
        Table(["a"])  # type: ignore[list-item]


def test_document_refuses_foreign_blocks():
    with pytest.raises(TypeError, match=r"Document\.blocks\[1\]"):
        Document([Paragraph("x"), "y"])  # type: ignore[list-item]


def test_a_note_pair_is_an_unreadable_warning_and_a_note_keeps_its_code():
    doc = Document([], notes=[("page 2", "glyphs without a Unicode map"),
                              Note("page 3", "white text dropped", code="hidden-text", severity="info",
                                   evidence={"chars": 4})])
    assert [(n.code, n.severity, n.where) for n in doc.notes] == [
        ("unreadable", "warning", "page 2"), ("hidden-text", "info", "page 3")]
    assert doc.notes[1].evidence == {"chars": 4}
    with pytest.raises(ValueError, match=r"Note\.severity"):
        Note("page 1", "x", severity="fatal")


def test_an_adapter_note_becomes_a_finding_with_its_code():
    table = Table.from_rows([["x"]], adapter="t")
    doc = Document([Paragraph("正文"), table], adapter="t",
                   notes=[Note("part 1", "hidden run dropped", code="hidden-text", severity="info")])
    import gxparse
    rep = gxparse.map_document(doc, require_tables=False)
    assert [(f.code, f.severity, f.where) for f in rep.findings if f.code == "hidden-text"] == [
        ("hidden-text", "info", "part 1")]


def test_provenance_locator_is_described():
    p = Provenance("docx", locator="table 2, row 5, cell 3")
    assert p.describe() == "table 2, row 5, cell 3"
    assert Provenance("pdf", page=3, locator="table 1").describe() == "page 3, table 1"
    with pytest.raises(TypeError, match=r"Provenance\.locator"):
        Provenance("docx", locator=12)  # type: ignore[arg-type]
