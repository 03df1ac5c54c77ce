"""The core table model: construction checks name the field and the value; grids and spans."""

from __future__ import annotations

import pytest

from gxparse import Cell, Document, Paragraph, Provenance, Table


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
