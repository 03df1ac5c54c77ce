"""From a Document to *records*: a label and the values that follow it.

This is the format-independent first half of the mapper. Every block of the
document becomes rows of cells (a paragraph is a one-cell row; consecutive
paragraphs form one pseudo-table, which is how text saved "one cell per
line" arrives). The rows are then cut into records: a record opens at a label
cell and collects the value cells (numbers, blanks) after it.

Rules, in order of precedence:

* A label cell that follows a value cell closes the record and opens a new one.
* A row that starts with a label opens a new record.
* A row that starts with a value continues a record that has no numbers yet
  (its label was on the row(s) above: wrapped rows, one cell per line) or a
  record built from one-cell rows; otherwise it opens an unlabelled record.
* Blank cells before the first label of a record are dropped (merged-cell
  placeholders).
* Records never cross a table boundary.

A record remembers, for each cell, its grid column and provenance, so the
column mapper can use the grid when the grid is trustworthy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import attrs

from ._model import Document, Paragraph, Provenance
from ._normalize import Value, is_labelish, norm, numbering, parse_value, split_numbers

__all__ = ["RCell", "Record", "build_records", "dump_cell", "dump_record", "rows_of"]

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.I,
)


@attrs.define(slots=True)
class RCell:
    """A cell as the mapper sees it."""

    text: str
    value: Value
    labelish: bool
    table: int  # index of the pseudo-table (block run) it came from
    row: int  # row within that table
    col: int | None  # grid column (None: no grid, e.g. a paragraph)
    col_span: int = 1
    provenance: Provenance | None = None
    grid: bool = False  # comes from a real Table (not a paragraph run)

    @property
    def is_number(self) -> bool:
        return self.value.kind == "number"

    @property
    def is_blank(self) -> bool:
        return self.value.kind == "blank"

    @property
    def cols(self) -> range:
        return range(self.col, self.col + self.col_span) if self.col is not None else range(0)


@attrs.define(slots=True)
class Record:
    """A label (one or more label cells) and the value cells after it."""

    labels: list[RCell] = attrs.field(factory=list)
    values: list[RCell] = attrs.field(factory=list)
    table: int = -1
    #: labels of label-only records just above (wrapped label lines), for matching.
    context: list[RCell] = attrs.field(factory=list)
    #: labels of label-only records just below that continue this record's label.
    tail: list[RCell] = attrs.field(factory=list)
    index: int = -1

    @property
    def numbers(self) -> list[RCell]:
        return [v for v in self.values if v.is_number]

    @property
    def has_numbers(self) -> bool:
        return any(v.is_number for v in self.values)

    @property
    def label_text(self) -> str:
        return " ".join(c.text for c in self.labels)

    @property
    def wrapped_text(self) -> str:
        """The label with its wrapped lines above and below, joined."""
        return "".join(c.text for c in [*self.context, *self.labels, *self.tail])

    @property
    def rightmost(self) -> str:
        return self.labels[-1].text if self.labels else ""

    @property
    def starts_numbered(self) -> bool:
        return any(numbering(c.text) for c in self.labels)

    def provenance(self) -> Provenance | None:
        for c in [*self.labels, *self.values]:
            if c.provenance is not None:
                return c.provenance
        return None

    def describe(self) -> str:
        vals = " ".join(v.text.strip() or "□" for v in self.values)
        return f"{self.label_text!s} | {vals}"


#: How :func:`dump_record` writes white space inside a cell (cells are separated by spaces).
SPACE_MARK = "␣"
#: How it writes an empty cell.
EMPTY_MARK = "□"
_WHITE = re.compile(r"\s")


def dump_cell(c: RCell) -> str:
    """One cell as ``inspect --stage records`` writes it: its text with white space as ``␣``
    (empty: ``□``), and, for a cell of a table's grid, ``@row.col`` (``@row.col-last`` when it
    spans columns)."""
    text = _WHITE.sub(SPACE_MARK, c.text) or EMPTY_MARK
    if not c.grid or c.col is None:
        return text
    cols = f"{c.col}-{c.col + c.col_span - 1}" if c.col_span > 1 else f"{c.col}"
    return f"{text}@{c.row}.{cols}"


def dump_record(rec: Record) -> str:
    """A record on one line, every cell kept apart (``tests/kit/mapping_fixtures.py`` reads it
    back): ``[index] t<pseudo-table> <place>: <labels> | <values>``, then the label-only lines
    wrapped above and below it, ``⟨above: …⟩ ⟨below: …⟩``."""
    prov = rec.provenance()
    loc = prov.describe() if prov is not None else ""
    labels = " ".join(dump_cell(c) for c in rec.labels)
    values = " ".join(dump_cell(c) for c in rec.values)
    line = f"[{rec.index}] t{rec.table} {loc}: {labels} | {values}".rstrip()
    if rec.context:
        line += f"   ⟨above: {' '.join(dump_cell(c) for c in rec.context)}⟩"
    if rec.tail:
        line += f"   ⟨below: {' '.join(dump_cell(c) for c in rec.tail)}⟩"
    return line


def _cell(text: str, table: int, row: int, col: int | None, span: int, prov: Provenance | None,
          grid: bool) -> RCell:
    value = parse_value(text)
    return RCell(text, value, value.kind == "text" and is_labelish(text), table, row, col, span, prov, grid)


def rows_of(doc: Document) -> Iterator[tuple[int, list[list[RCell]]]]:
    """The document as pseudo-tables of rows of cells, in reading order.

    Each real Table is one pseudo-table; each maximal run of paragraphs is
    another, one paragraph per row.
    """
    run: list[list[RCell]] = []
    tid = 0

    def flush() -> Iterator[tuple[int, list[list[RCell]]]]:
        nonlocal run, tid
        if run:
            yield tid, run
            tid += 1
            run = []

    for block in doc.blocks:
        if isinstance(block, Paragraph):
            for line in _para_lines(block):
                run.append([_cell(line, tid, len(run), None, 1, block.provenance, False)])
        else:
            yield from flush()
            rows: list[list[RCell]] = []
            for r, cells in enumerate(block.rows()):
                rows.append([_cell(c.text, tid, r, c.col, c.col_span, c.provenance or block.provenance, True)
                             for c in cells])
            yield tid, rows
            tid += 1
    yield from flush()


def _para_lines(p: Paragraph) -> Iterable[str]:
    text = p.text.strip()
    return [text] if text else []


def _split_multi(cells: list[RCell]) -> list[RCell]:
    """Split a line of running text holding several numbers (``"0 0 3"``) into one cell each.

    A cell of a table's grid is one cell as printed: several numbers in it (``10 2``) make it
    unreadable, never several cells."""
    out: list[RCell] = []
    for c in cells:
        if c.value.kind == "text" and not c.labelish:
            out += _text_cell_split(c, cells)
        else:
            out.append(c)
    return out


def _text_cell_split(c: RCell, cells: list[RCell]) -> list[RCell]:
    """What a text cell (no label) of a line becomes: one cell per number when it is running text
    holding several, nothing when it is a page number or noise between table parts (3/4 beside
    other cells of a grid is no page number), else itself."""
    parts = None if c.grid else split_numbers(c.text)
    if parts:
        return [RCell(v.raw, v, False, c.table, c.row, None, 1, c.provenance, c.grid) for v in parts]
    if not c.text.strip() or (_PAGE_NUMBER.match(norm(c.text)) and (not c.grid or _alone(c, cells))):
        return []
    return [c]


def _alone(c: RCell, cells: list[RCell]) -> bool:
    """Is ``c`` the only cell of its row with text?"""
    return all(x is c or not x.text.strip() for x in cells)


#: A record holding at least this many value cells is a row of the table even without a number
#: (a data row left wholly blank): fewer blanks are merged-cell placeholders or header padding.
MIN_BLANK_ROW = 3


def build_records(doc: Document) -> list[Record]:
    """Cut the document into records (see the module docstring); returns them in reading order,
    each with its index, and the label-only lines that wrap a record's label attached to it."""
    records: list[Record] = []
    for tid, rows in rows_of(doc):
        _Cutter(tid, all(len(r) <= 1 for r in rows), records).cut(rows)
    _attach_context(records)
    return records


class _Cutter:
    """Cuts the rows of one pseudo-table into records, appending them to ``records``."""

    def __init__(self, tid: int, single_cell_run: bool, records: list[Record]) -> None:
        self.tid = tid
        self.single_cell_run = single_cell_run
        self.records = records
        self.cur: Record | None = None
        self.numbered = False  # does cur hold a number? (kept here: asking cur each cell is quadratic)

    def cut(self, rows: Iterable[list[RCell]]) -> None:
        for row in rows:
            cells = _split_multi(row)
            if cells:
                self._row(cells)
        self._close()

    def _close(self) -> None:
        cur = self.cur
        if cur is not None and (cur.labels or any(not v.is_blank for v in cur.values)):
            cur.index = len(self.records)
            self.records.append(cur)
        self.cur = None
        self.numbered = False

    def _row(self, cells: list[RCell]) -> None:
        # A new row closes the record before it when it starts with a label, or when the
        # record already holds a row of numbers, or a row of blanks while this row brings
        # numbers: a data row left wholly blank, which a merged-cell placeholder opening
        # this row must not join to this row's label. (A header row's blanks are followed
        # by more labels, not numbers, and stay one record with them.)
        cur = self.cur
        if cells[0].labelish or (cur is not None and not self.single_cell_run and (
                self.numbered or (len(cur.values) >= MIN_BLANK_ROW and any(c.is_number for c in cells)))):
            self._close()
        for c in cells:
            if c.labelish:
                self._label(c)
            else:
                self._value(c)

    def _label(self, c: RCell) -> None:
        if self.cur is not None and (self.numbered or _next_numbered_row(self.cur, c)):
            self._close()
        if self.cur is None:
            self.cur = Record(table=self.tid)
        self.cur.values.clear()  # blanks before or between labels are merged-cell placeholders
        self.cur.labels.append(c)

    def _value(self, c: RCell) -> None:
        if self.cur is None:
            self.cur = Record(table=self.tid)
        self.cur.values.append(c)
        self.numbered = self.numbered or c.is_number


def _next_numbered_row(cur: Record, c: RCell) -> bool:
    """``c`` opens the next row of a grid, not a wrapped line of ``cur``'s label: a
    numbered label (``5.要求…``) under a numbered label of the row above in the same
    column (``4.无正当理由…``, a row whose cells were all left empty and dropped)."""
    if not cur.labels or c.col is None or any(not v.is_blank for v in cur.values):
        return False
    last = cur.labels[-1]
    return (last.col == c.col and last.row != c.row and last.table == c.table
            and numbering(c.text) is not None and numbering(last.text) is not None)


def is_value_record(rec: Record) -> bool:
    """A record that carries numbers, a row of blanks (a data row left empty), or a cell that is
    almost a number (``10 2``, ``6①``: a row whose one value is unreadable is still a row)."""
    return rec.has_numbers or len(rec.values) >= MIN_BLANK_ROW or any(v.value.problem for v in rec.values)


def _attach_context(records: list[Record]) -> None:
    """Give each value record the label-only records that wrap its label.

    Between two value records of one table, the label-only records up to the
    first one that starts with a numbering marker (``2.``, ``（三）``) belong
    to the previous record (its label wrapped below its numbers); the rest
    belong to the next one.
    """
    by_table: dict[int, list[Record]] = {}
    for rec in records:
        by_table.setdefault(rec.table, []).append(rec)
    for recs in by_table.values():
        prev: Record | None = None
        pending: list[Record] = []
        for rec in recs:
            if is_value_record(rec):
                _distribute(prev, pending, rec)
                pending, prev = [], rec
            else:
                pending.append(rec)
        _distribute(prev, pending, None)


def _distribute(prev: Record | None, pending: list[Record], nxt: Record | None) -> None:
    """Give the label-only records between two value records away: the first ones wrap the label
    of the one before (its tail), the rest lead into the one after (its context)."""
    if not pending:
        return
    split = 0 if prev is None else _tail_length(pending, last=nxt is None)
    for rec in pending[:split]:
        prev.tail.extend(rec.labels)  # type: ignore[union-attr]
    if nxt is not None:
        for rec in pending[split:]:
            nxt.context.extend(rec.labels)


def _tail_length(pending: list[Record], last: bool) -> int:
    """How many of the label-only records after a value record wrap its label: those before the
    first that starts a numbered row (or a numbering broken over two lines); after the ``last``
    value record of a table only unnumbered wrap lines."""
    split = len(pending)
    for k, rec in enumerate(pending):
        if rec.starts_numbered or _marker_broken(rec, pending[k + 1] if k + 1 < len(pending) else None):
            split = k
            break
    if last:
        # after the last value record of a table only unnumbered wrap lines belong to it
        split = min(split, _wrap_run(pending))
    return split


def _marker_broken(rec: Record, nxt: Record | None) -> bool:
    """A numbering marker broken over two lines: ``（四`` above ``）无法提``."""
    if nxt is None or len(rec.labels) != 1 or len(norm(rec.label_text)) > 3 or nxt.starts_numbered:
        return False
    return numbering(rec.label_text.strip() + nxt.label_text.strip()) is not None


def _wrap_run(pending: list[Record]) -> int:
    """How many leading label-only records look like wrapped label lines (short fragments)."""
    k = 0
    for rec in pending:
        if len(rec.labels) == 1 and len(norm(rec.labels[0].text)) <= 8:
            k += 1
        else:
            break
    return k
