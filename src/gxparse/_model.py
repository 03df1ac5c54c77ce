"""The core table model: what every format adapter produces.

A :class:`Document` is an ordered sequence of blocks. A block is either a
:class:`Paragraph` (running text or a heading) or a :class:`Table`. A table is
a set of :class:`Cell` objects placed on a grid: each cell has the row and
column of its top-left corner and a row span and column span, so HTML's
``rowspan``/``colspan`` and a PDF's merged cells are held without change.
Positions of the grid that no cell covers are allowed (a ragged row); two
cells covering the same position are not.

Every block and every cell carries a :class:`Provenance`: which adapter made
it and where in the source it came from (a line range for text formats, a
page and bounding box for PDF).

Adapters know formats, not the report form: they put in the model what the
file says, and the template mapper (:mod:`gxparse._mapping`) finds the report
in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Union

import attrs

from ._report import SEVERITIES, Severity

__all__ = ["Cell", "Document", "Note", "Paragraph", "Provenance", "Table"]


def _fail(cls: str, field: str, value: object, need: str, error: type[Exception] = ValueError) -> None:
    raise error(f"{cls}.{field} must be {need}, got {value!r}")


def _check_int(cls: str, field: str, value: object, least: int) -> None:
    if not isinstance(value, int):
        _fail(cls, field, value, f"an int >= {least}", TypeError)
    if value < least:  # type: ignore[operator]
        _fail(cls, field, value, f">= {least}")


def _tuple_of_floats(value: Sequence[float] | None) -> tuple[float, ...] | None:
    if value is None:
        return None
    if type(value) is tuple and all(type(v) is float for v in value):
        return value
    return tuple(float(v) for v in value)


def _tuple_of_ints(value: Sequence[int] | None) -> tuple[int, ...] | None:
    if value is None:
        return None
    if type(value) is tuple and len(value) == 2 and type(value[0]) is int and type(value[1]) is int:
        return value
    return tuple(int(v) for v in value)


# Validation: one __attrs_post_init__ per class that runs a few cheap checks and,
# only when one fails, finds the field to blame. Adapters build hundreds of
# thousands of cells over a corpus; per-field attrs validators cost three
# times as much for the same guarantees.


def _bad_lines(lines: tuple[int, ...] | None) -> bool:
    """Is a line range given that is not ``(first, last)`` with ``1 <= first <= last``?"""
    return lines is not None and (len(lines) != 2 or lines[0] < 1 or lines[1] < lines[0])


def _bad_bbox(bbox: tuple[float, ...] | None) -> bool:
    """Is a box given that is not ``(x0, top, x1, bottom)`` with ``x0 <= x1``, ``top <= bottom``?"""
    return bbox is not None and (len(bbox) != 4 or bbox[0] > bbox[2] or bbox[1] > bbox[3])


@attrs.frozen(slots=True)
class Provenance:
    """Where a block or cell came from.

    Attributes:
        adapter: name of the format adapter that made it (``"text"``, ``"pdf"`` …).
        lines: 1-based inclusive line range in the decoded source text, for text formats.
        page: 1-based page number, for paged formats.
        bbox: ``(x0, top, x1, bottom)`` in PDF points on ``page``.
        locator: where in a structured document, for formats whose places are
            neither lines nor pages: ``"paragraph 12"``, ``"table 2, row 5, cell 3"``
            (a Word file's body, an HTML page's tables), counted from 1.
    """

    adapter: str
    lines: tuple[int, int] | None = attrs.field(default=None, converter=_tuple_of_ints)
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = attrs.field(default=None, converter=_tuple_of_floats)
    locator: str | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.adapter, str):
            _fail("Provenance", "adapter", self.adapter, "a str", TypeError)
        if self.lines is not None and _bad_lines(self.lines):  # (guarded: a Provenance is made per cell)
            _fail("Provenance", "lines", self.lines, "(first, last) with 1 <= first <= last")
        if self.page is not None:
            _check_int("Provenance", "page", self.page, 1)
        if self.bbox is not None and _bad_bbox(self.bbox):
            _fail("Provenance", "bbox", self.bbox, "(x0, top, x1, bottom) with x0 <= x1, top <= bottom")
        if self.locator is not None and not isinstance(self.locator, str):
            _fail("Provenance", "locator", self.locator, "a str or None", TypeError)

    def describe(self) -> str:
        """A short human description: ``"line 12"``, ``"lines 12-14"``, ``"page 3"``,
        ``"table 2, row 5, cell 3"``."""
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.lines is not None:
            a, b = self.lines
            parts.append(f"line {a}" if a == b else f"lines {a}-{b}")
        if self.locator:
            parts.append(self.locator)
        return ", ".join(parts) or self.adapter


@attrs.frozen(slots=True)
class Cell:
    """One cell of a table: its text and the grid area it covers.

    ``row`` and ``col`` are the 0-based position of the top-left corner;
    the cell covers ``row_span`` rows and ``col_span`` columns from there.
    ``text`` is the cell's text as a reader sees it, with line breaks inside
    the cell kept as ``"\\n"``.
    """

    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    provenance: Provenance | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        row, col, rs, cs, prov = self.row, self.col, self.row_span, self.col_span, self.provenance
        # chained: all four are ints, row and col >= 0, both spans >= 1
        if (type(row) is type(col) is type(rs) is type(cs) is int and row >= 0 <= col and rs >= 1 <= cs
                and type(self.text) is str and (prov is None or type(prov) is Provenance)):
            return  # the common case, checked at a glance
        self._blame()

    def _blame(self) -> None:
        """Raise for the first field that is wrong."""
        row, col, rs, cs, prov = self.row, self.col, self.row_span, self.col_span, self.provenance
        _check_int("Cell", "row", row, 0)
        _check_int("Cell", "col", col, 0)
        _check_int("Cell", "row_span", rs, 1)
        _check_int("Cell", "col_span", cs, 1)
        if not isinstance(self.text, str):
            _fail("Cell", "text", self.text, "a str", TypeError)
        if prov is not None and not isinstance(prov, Provenance):
            _fail("Cell", "provenance", prov, "a Provenance or None", TypeError)

    @property
    def last_row(self) -> int:
        return self.row + self.row_span - 1

    @property
    def last_col(self) -> int:
        return self.col + self.col_span - 1

    def covers(self, row: int, col: int) -> bool:
        """True if grid position (row, col) lies inside the cell's span."""
        return self.row <= row <= self.last_row and self.col <= col <= self.last_col


def _cells_converter(cells: Sequence[Cell]) -> tuple[Cell, ...]:
    cells = tuple(cells)
    for cell in cells:
        if type(cell) is not Cell and not isinstance(cell, Cell):
            raise TypeError(f"Table.cells must hold Cell objects, got {type(cell).__name__}")
    return tuple(sorted(cells, key=lambda c: (c.row, c.col)))


def _no_overlap(instance: Table, attribute: attrs.Attribute, cells: tuple[Cell, ...]) -> None:
    seen: dict[tuple[int, int], Cell] = {}
    for cell in cells:
        if cell.row_span == 1 and cell.col_span == 1:
            positions: Iterable[tuple[int, int]] = ((cell.row, cell.col),)
        else:
            positions = [(r, c) for r in range(cell.row, cell.row + cell.row_span)
                         for c in range(cell.col, cell.col + cell.col_span)]
        for pos in positions:
            other = seen.get(pos)
            if other is not None:
                raise ValueError(
                    f"Table.cells overlap at row {pos[0]}, column {pos[1]}: "
                    f"{other.text[:20]!r} (at {other.row},{other.col}) and "
                    f"{cell.text[:20]!r} (at {cell.row},{cell.col})"
                )
            seen[pos] = cell


@attrs.frozen(slots=True)
class Table:
    """A table: cells on a grid, in row-major order.

    The grid's size is derived from the cells. Positions no cell covers are
    empty (``None`` in :meth:`grid`).
    """

    cells: tuple[Cell, ...] = attrs.field(converter=_cells_converter, validator=_no_overlap)
    provenance: Provenance | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Provenance)), eq=False
    )
    #: number of grid rows and columns, derived from the cells
    n_rows: int = attrs.field(init=False, eq=False, repr=False)
    n_cols: int = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "n_rows", max((c.row + c.row_span for c in self.cells), default=0))
        object.__setattr__(self, "n_cols", max((c.col + c.col_span for c in self.cells), default=0))

    def grid(self) -> list[list[Cell | None]]:
        """The table as a dense ``n_rows`` x ``n_cols`` grid.

        A spanning cell appears at every position it covers; uncovered
        positions are ``None``.
        """
        grid: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.row_span):
                for c in range(cell.col, cell.col + cell.col_span):
                    grid[r][c] = cell
        return grid

    def rows(self) -> list[list[Cell]]:
        """The cells grouped by the row they start in, each row ordered by column.

        Rows in which no cell starts are empty lists, so ``rows()[i]`` is row ``i``.
        """
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:  # already sorted by (row, col)
            out[cell.row].append(cell)
        return out

    def cell_at(self, row: int, col: int) -> Cell | None:
        """The cell covering grid position (row, col), if any."""
        for cell in self.cells:
            if cell.covers(row, col):
                return cell
        return None

    @classmethod
    def from_rows(
        cls,
        rows: Sequence[Sequence[str]],
        *,
        adapter: str,
        first_line: int | None = None,
        line_ranges: Sequence[tuple[int, int] | None] | None = None,
    ) -> Table:
        """Build a span-free table from rows of cell texts (ragged rows allowed).

        ``line_ranges`` gives each row's source line range; ``first_line`` is a
        shortcut for one source line per row starting at that line.
        """
        cells: list[Cell] = []
        first_range: tuple[int, int] | None = None
        last_range: tuple[int, int] | None = None
        for r, row in enumerate(rows):
            if line_ranges is not None:
                lines = line_ranges[r]
            elif first_line is not None:
                lines = (first_line + r, first_line + r)
            else:
                lines = None
            if lines is not None:
                first_range = first_range or lines
                last_range = lines
            prov = Provenance(adapter, lines=lines)
            cells.extend(Cell(r, c, text, provenance=prov) for c, text in enumerate(row))
        span = (first_range[0], last_range[1]) if first_range and last_range else None
        return cls(cells, provenance=Provenance(adapter, lines=span))


@attrs.frozen(slots=True)
class Paragraph:
    """Running text, or a heading when ``heading_level`` is set (1 = top)."""

    text: str
    provenance: Provenance | None = attrs.field(default=None, eq=False)
    heading_level: int | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.text, str):
            _fail("Paragraph", "text", self.text, "a str", TypeError)
        if self.provenance is not None and not isinstance(self.provenance, Provenance):
            _fail("Paragraph", "provenance", self.provenance, "a Provenance or None", TypeError)
        if self.heading_level is not None:
            _check_int("Paragraph", "heading_level", self.heading_level, 1)


Block = Union[Paragraph, Table]  # noqa: UP007 - a runtime alias that must work on Python 3.10


def _blocks_converter(blocks: Sequence[Block]) -> tuple[Block, ...]:
    return tuple(blocks)


#: Severities a :class:`Note` may carry, most severe first (a finding's: defined once, in _report).
NOTE_SEVERITIES = SEVERITIES


def _note_severity(instance: Note, attribute: attrs.Attribute, value: str) -> None:
    if value not in NOTE_SEVERITIES:
        _fail("Note", "severity", value, f"one of {NOTE_SEVERITIES}")


def _evidence(value: object) -> dict[str, Any]:
    return dict(value or {})  # type: ignore[call-overload]


@attrs.frozen(slots=True)
class Note:
    """Something an adapter noticed while reading, for the report's findings.

    Most notes are parts the adapter could not read (code ``unreadable``);
    an adapter also says what it left out on purpose (``hidden-text``: text
    a reader cannot see) or how it read the file (``converted``: through
    LibreOffice). Each note becomes one :class:`gxparse.Finding` with the
    same code, severity, ``where``, message and evidence.

    A plain ``(where, message)`` pair given to :class:`Document` is read as an
    ``unreadable`` warning.

    Attributes:
        where: the place in the source (``"page 3"``, ``"line 12"``, ``"table 2"``).
        message: one sentence for a person.
        code: a finding code of ``docs/schema.md``.
        severity: ``"error"``, ``"warning"`` or ``"info"``.
        evidence: data behind the note (JSON-serialisable).
    """

    where: str = attrs.field(converter=str)
    message: str = attrs.field(converter=str)
    code: str = "unreadable"
    severity: Severity = attrs.field(default="warning", validator=_note_severity)
    evidence: dict[str, Any] = attrs.field(factory=dict, converter=_evidence, eq=False, hash=False)


def _notes_converter(notes: Sequence[Note | tuple[str, str]]) -> tuple[Note, ...]:
    out = []
    for note in notes:
        if isinstance(note, Note):
            out.append(note)
        else:
            where, message = note
            out.append(Note(where, message))
    return tuple(out)


def _blocks_validator(instance: Document, attribute: attrs.Attribute, blocks: tuple[Block, ...]) -> None:
    for i, block in enumerate(blocks):
        if not isinstance(block, (Paragraph, Table)):
            raise TypeError(f"Document.blocks[{i}] must be a Paragraph or Table, got {type(block).__name__}")


def _dump_cell(cell: Cell, width: int) -> str:
    """One cell in :meth:`Document.dump`: its column, its span if any, its text cut to ``width``."""
    t = cell.text.replace("\n", "⏎")
    if len(t) > width:
        t = t[: width - 1] + "…"
    span = ""
    if cell.row_span > 1 or cell.col_span > 1:
        span = f"<{cell.row_span}x{cell.col_span}>"
    return f"{cell.col}{span}:{t}"


@attrs.frozen(slots=True)
class Document:
    """What a format adapter extracts from one source: ordered blocks.

    Attributes:
        blocks: paragraphs and tables in reading order.
        adapter: name of the adapter that made the document.
        notes: what the adapter noticed while reading, as :class:`Note` objects
            (``(where, message)`` pairs are accepted and read as ``unreadable``
            warnings, e.g. ``("page 3", "text is (cid:N) glyphs")``); each
            becomes a finding on the report.
    """

    blocks: tuple[Block, ...] = attrs.field(converter=_blocks_converter, validator=_blocks_validator)
    adapter: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    notes: tuple[Note, ...] = attrs.field(default=(), converter=_notes_converter)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def iter_text(self) -> Iterator[str]:
        """Every piece of text in reading order (paragraphs, then table cells row by row)."""
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield block.text
            else:
                for cell in block.cells:
                    yield cell.text

    def dump(self, *, width: int = 24) -> str:
        """A plain-text view of the document for debugging (``gxparse inspect``)."""
        out = []
        for i, block in enumerate(self.blocks):
            where = block.provenance.describe() if block.provenance else ""
            if isinstance(block, Paragraph):
                tag = f"H{block.heading_level}" if block.heading_level else "P"
                out.append(f"[{i}] {tag} ({where}) {block.text}")
            else:
                out.append(f"[{i}] TABLE {block.n_rows}x{block.n_cols} ({where})")
                out += [f"    r{r}: " + " | ".join(_dump_cell(cell, width) for cell in row)
                        for r, row in enumerate(block.rows())]
        return "\n".join(out)
