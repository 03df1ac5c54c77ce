"""Plain text in its common flavours.

* **one cell per line** as a word processor saves a table as text; with the
  cells tab-indented and rows separated by blank lines (a cell's own line
  breaks follow it as short unindented lines), or bare (blank lines are
  empty cells);
* **tab-separated rows**, one table row per line, single blank lines allowed
  inside a table;
* **space-aligned columns** as ``pdftotext -layout`` prints a PDF: cells are
  separated by runs of two or more spaces; a cell's grid columns are the display
  columns it covers (CJK and full-width characters two wide).

Markdown headings (``# title``) are read as headings, because word
processors' markdown exports often end up saved as ``.txt``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from .._model import Cell, Document, Paragraph, Provenance, Table
from .._registry import FormatAdapter
from .._source import Source
from ._textbase import ParagraphBuilder, decode_head, is_number_line, source_lines

__all__ = ["TextAdapter"]

_GAP = re.compile(r" {2,}|\t")
_WORD = re.compile(r"\S+")
_TOKEN = re.compile(r"\S+(?: \S+)*")
_NUM_TOKEN = re.compile(r"^[+\-−]?\d[\d,]*(?:\.\d+)?(?:元|万元|件|条)?$")


#: The start of a JSON object or array: ``{"``, ``[{``, ``[]`` … (no report's text begins so).
_JSON_START = re.compile(r'^\ufeff?\s*(?:\{\s*(?:"|\})|\[\s*(?:[{\["\]]|-?\d+(?:\.\d+)?\s*[,\]]))')


def _is_json(text: str) -> bool:
    """Is ``text`` (maybe only a file's head) one JSON value and nothing after it?"""
    import json

    body = text.lstrip("\ufeff \t\r\n")
    try:
        _, end = json.JSONDecoder().raw_decode(body)
    except json.JSONDecodeError as exc:
        return exc.pos >= len(body) - 16  # cut off by the end of the head: JSON so far
    return not body[end:].strip()


class TextAdapter(FormatAdapter):
    """Plain text: one cell per line, tab-separated rows, or space-aligned columns."""

    name = "text"
    priority = 10
    description = "plain text: one cell per line, tab-separated rows, pdftotext -layout columns"

    def accepts(self, head: bytes, name: str | None = None) -> float:
        text = decode_head(head)
        if text is None or not text.strip():
            return 0.0
        if _JSON_START.match(text) and _is_json(text):
            return 0.0  # JSON (a saved record, an expected-numbers file) is data, not a report's text
        return 0.5  # any text; more specific text formats outbid this

    def extract(self, source: Source) -> Document:
        lines = source_lines(source)
        if _is_layout(lines):
            return Document(_layout_blocks(lines, self.name), adapter=self.name)
        b = ParagraphBuilder(self.name)
        i, n = 0, len(lines)
        plain_start = 0
        while i < n:
            line = lines[i]
            if "\t" in line and line.strip():
                b.plain_lines(lines, plain_start, i)
                if _is_tab_cell(line) and _next_tab_line_is_cell(lines, i):
                    table, i = _tab_cells(lines, i, self.name)
                else:
                    table, i = _tab_rows(lines, i, self.name)
                b.table(table)
                plain_start = i
            else:
                i += 1
        b.plain_lines(lines, plain_start, n)
        return Document(b.blocks, adapter=self.name)


# -- tab-indented cells (one cell per line, rows separated by blank lines) -----

def _is_tab_cell(line: str) -> bool:
    return line.startswith("\t") and "\t" not in line[1:]


def _next_tab_line_is_cell(lines: Sequence[str], i: int) -> bool:
    for line in lines[i + 1: i + 12]:
        if "\t" in line:
            return _is_tab_cell(line)
    return True


def _tab_cells(lines: Sequence[str], i: int, adapter: str) -> tuple[Table, int]:
    """Parse a table saved as tab-indented cells; return it and the index after it.

    A tab-indented line starts a cell; a blank line before it starts a new
    row. A short unindented line at most one blank line after a cell
    continues that cell (a line break inside the cell). Anything else ends
    the table.
    """
    rows: list[list[list]] = []  # [text, first_line, last_line]
    row: list[list] = []
    blank_run = 0
    n = len(lines)
    end = i
    while i < n:
        line = lines[i]
        if line.startswith("\t") and "\t" not in line[1:]:
            if blank_run and row:
                rows.append(row)
                row = []
            row.append([line[1:].strip(), i + 1, i + 1])
            blank_run = 0
            end = i + 1
        elif "\t" in line and line.strip():
            break  # a tab-separated row: another flavour starts
        elif not line.strip():
            blank_run += 1
        elif row and blank_run <= 1 and len(line.strip()) <= 6:
            row[-1][0] += "\n" + line.strip()
            row[-1][2] = i + 1
            blank_run = 0
            end = i + 1
        else:
            break
        i += 1
    if row:
        rows.append(row)
    cells = [
        Cell(r, c, text, provenance=Provenance(adapter, lines=(a, z)))
        for r, row_cells in enumerate(rows)
        for c, (text, a, z) in enumerate(row_cells)
    ]
    first = rows[0][0][1] if rows else end
    return Table(cells, provenance=Provenance(adapter, lines=(first, max(first, end)))), end


# -- tab-separated rows ----------------------------------------------------------

def _tab_rows(lines: Sequence[str], i: int, adapter: str) -> tuple[Table, int]:
    """Consecutive lines holding tabs, one row each; single blank lines allowed inside."""
    rows: list[list[str]] = []
    ranges: list[tuple[int, int]] = []
    n = len(lines)
    end = i
    while i < n:
        line = lines[i]
        if "\t" in line and line.strip():
            rows.append([c.strip() for c in line.split("\t")])
            ranges.append((i + 1, i + 1))
            end = i + 1
            i += 1
        elif not line.strip() and i + 1 < n and "\t" in lines[i + 1] and lines[i + 1].strip():
            i += 1
        else:
            break
    return Table.from_rows(rows, adapter=adapter, line_ranges=ranges), end


# -- space-aligned columns (pdftotext -layout) -----------------------------------

@lru_cache(maxsize=4096)
def _width(ch: str) -> int:
    """Display width of a character in a monospaced rendering: 2 for East Asian wide and
    full-width characters (CJK, full-width digits and punctuation), 0 for combining marks, else 1.

    From the standard library's Unicode database (``unicodedata.east_asian_width``, UAX #11),
    not the ``wcwidth`` package: report text is CJK, ASCII and full-width forms, whose widths
    UAX #11 gives exactly; emoji and zero-width joiner sequences, where the two differ, are not
    in it. ``pdftotext -layout`` and a reader's monospaced editor set CJK characters two columns
    wide, so a value under its header lines up in display columns, not in characters.
    """
    if ch.isascii():
        return 1
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _tokens(line: str) -> list[tuple[int, str, int]]:
    """Cells of a layout line, ``(display column, text, display width)``: runs separated by
    2+ spaces, then split at single spaces between numbers, and between words of a label
    (columns set one space apart; inside tables every single-space-separated word is its own
    cell)."""
    line = line.replace("\t", "  ")
    out: list[tuple[int, str, int]] = []
    at = col = 0  # display column of character ``at``
    for m in _TOKEN.finditer(line):
        for part in _WORD.finditer(m.group(0)):
            a, text = m.start() + part.start(), part.group(0)
            col += a - at if line.isascii() else sum(map(_width, line[at:a]))
            w = len(text) if text.isascii() else sum(map(_width, text))
            out.append((col, text, max(1, w)))
            at, col = a + len(text), col + w
    return out


def _is_tableish(line: str) -> bool:
    s = line.strip()
    if not s:
        return False
    if _GAP.search(s) is not None:
        return True
    return bool(_NUM_TOKEN.match(s))


def _is_layout(lines: Sequence[str]) -> bool:
    """Space-aligned columns: many lines with several numbers set apart by runs of spaces."""
    hits = 0
    for line in lines:
        if "\t" in line:
            return False
        parts = [p for p in _GAP.split(line.strip()) if p]
        if len(parts) >= 3 and sum(1 for p in parts if _NUM_TOKEN.match(p)) >= 2:
            hits += 1
    return hits >= 5


def _layout_blocks(lines: Sequence[str], adapter: str) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = []
    n = len(lines)
    i = 0
    para: list[tuple[int, str]] = []

    def flush_para() -> None:
        if not para:
            return
        text = para[0][1].strip()
        for _, nxt in para[1:]:
            nxt = nxt.strip()
            if text and nxt and text[-1].isascii() and text[-1].isalnum() and nxt[0].isascii() and nxt[0].isalnum():
                text += " " + nxt
            else:
                text += nxt
        blocks.append(Paragraph(text, Provenance(adapter, lines=(para[0][0], para[-1][0]))))
        para.clear()

    while i < n:
        line = lines[i]
        if _starts_table(lines, i):
            flush_para()
            j = i
            rows: list[list[Cell]] = []
            last = i
            while j < n:
                cur = lines[j]
                if not cur.strip():
                    j += 1
                    continue
                if _ends_table(cur):
                    break
                r = len(rows)
                prov = Provenance(adapter, lines=(j + 1, j + 1))
                # The columns of a cell are where it stands on the line, not its rank: a
                # blank cell leaves no token behind, so ranks would shift every cell
                # after it under the wrong header. A cell spans its display columns (CJK
                # two wide), so a value lies under the header it is printed beneath.
                # Positions line up only where the text is really aligned, and the mapper
                # places the rest by their order and the invariants.
                rows.append([Cell(r, x, text, col_span=w, provenance=prov) for x, text, w in _tokens(cur)])
                last = j
                j += 1
            cells = [c for row in rows for c in row]
            blocks.append(Table(cells, provenance=Provenance(adapter, lines=(i + 1, last + 1))))
            i = last + 1
            continue
        if not line.strip():
            flush_para()
        else:
            if para and (_is_heading_line(para[-1][1]) or _is_heading_line(line)):
                flush_para()
            para.append((i + 1, line))
        i += 1
    flush_para()
    return blocks


def _is_fragment(line: str) -> bool:
    """A short single run: a wrapped piece of a cell's label."""
    s = line.strip()
    return bool(s) and len(s) <= 12 and not s.endswith("。")


_SECTION_HEADING = re.compile(r"^\s{0,3}[一二三四五六七八九十]{1,2}、\S{4,}(?:情况|事项|措施)$")


def _ends_table(line: str) -> bool:
    """A line that cannot be inside a table: prose or a section heading."""
    if _is_tableish(line):
        return False
    s = line.strip()
    return s.endswith(("。", "；")) or len(s) > 40 or bool(_SECTION_HEADING.match(line))


def _starts_table(lines: Sequence[str], i: int) -> bool:
    """A table starts at a table-ish line followed (within a few lines) by a line of numbers."""
    if not _is_tableish(lines[i]) and not (_is_fragment(lines[i]) and lines[i].startswith(" ")):
        return False
    seen = 0
    for line in lines[i:]:
        if not line.strip():
            continue
        seen += 1
        if seen > 10:
            return False
        parts = [p for p in _GAP.split(line.strip()) if p]
        if any(_NUM_TOKEN.match(p) for p in parts) and (len(parts) >= 2 or is_number_line(line)):
            return True
        if _ends_table(line):
            return False
    return False


def _is_heading_line(line: str) -> bool:
    return bool(re.match(r"^\s*[一二三四五六七八九十]{1,3}、", line))
