"""Pipe-delimited text.

Two flavours:

* **cell per line**, as some word-processor and converter exports write a
  table: each cell on its own line ending in ``|`` (``规章 |``), and lines of
  bare pipes (``||||``) holding one empty cell per pipe. Rows are not marked,
  so the table comes out as one cell per row, empty cells kept;
* **row per line**: ``a | b | c`` or ``| a | b | c |``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .._model import Cell, Document, Provenance, Table
from .._registry import FormatAdapter
from .._source import Source
from ._textbase import ParagraphBuilder, decode_head, source_lines

__all__ = ["PipeAdapter"]

_ONLY_PIPES = re.compile(r"^\s*\|+\s*$")
_CELL_LINE = re.compile(r"^(?!\s*\|)(.*?)\s*\|\s*$")
_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.M)


def _is_cell_line(line: str) -> bool:
    """``text |`` with no other pipe: one cell."""
    m = _CELL_LINE.match(line)
    return m is not None and "|" not in m.group(1)


def _is_row_line(line: str) -> bool:
    s = line.strip()
    return s.count("|") >= 2 and not _ONLY_PIPES.match(s) and not _is_cell_line(line)


class PipeAdapter(FormatAdapter):
    """Pipe-delimited text: ``cell |`` one per line with ``|||`` placeholders, or ``a | b | c`` rows."""

    name = "pipe"
    priority = 20
    description = "pipe-delimited text: `cell |` per line with `|||` placeholders, or `a | b | c` rows"

    def accepts(self, head: bytes, name: str | None = None) -> float:
        text = decode_head(head)
        if not text or "|" not in text or _MD_SEPARATOR.search(text):
            return 0.0
        lines = text.splitlines()
        cells = sum(1 for line in lines if _is_cell_line(line) or _ONLY_PIPES.match(line))
        rows = sum(1 for line in lines if _is_row_line(line))
        if cells >= 10 or rows >= 5:
            return 0.85
        return 0.0

    def extract(self, source: Source) -> Document:
        lines = source_lines(source)
        b = ParagraphBuilder(self.name)
        i, n = 0, len(lines)
        plain_start = 0
        while i < n:
            line = lines[i]
            if _is_cell_line(line) or _ONLY_PIPES.match(line):
                b.plain_lines(lines, plain_start, i)
                table, i = _cell_per_line(lines, i, self.name)
                b.table(table)
                plain_start = i
            elif _is_row_line(line):
                b.plain_lines(lines, plain_start, i)
                table, i = _row_per_line(lines, i, self.name)
                b.table(table)
                plain_start = i
            else:
                i += 1
        b.plain_lines(lines, plain_start, n)
        return Document(b.blocks, adapter=self.name)


def _cell_per_line(lines: Sequence[str], i: int, adapter: str) -> tuple[Table, int]:
    cells: list[Cell] = []
    n = len(lines)
    first = i + 1
    while i < n:
        line = lines[i]
        prov = Provenance(adapter, lines=(i + 1, i + 1))
        if _ONLY_PIPES.match(line):
            for _ in range(line.count("|")):
                cells.append(Cell(len(cells), 0, "", provenance=prov))
        elif (m := _CELL_LINE.match(line)) is not None and "|" not in m.group(1):
            cells.append(Cell(len(cells), 0, m.group(1).strip(), provenance=prov))
        else:
            break
        i += 1
    return Table(cells, provenance=Provenance(adapter, lines=(first, i))), i


def _split_row(line: str, lead: bool = True, trail: bool = True) -> list[str]:
    """Cells of ``a | b | c``; ``lead``/``trail``: the line has an outer pipe on that edge to drop."""
    s = line.strip()
    if lead and s.startswith("|"):
        s = s[1:]
    if trail and s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", s)]


def _row_per_line(lines: Sequence[str], i: int, adapter: str) -> tuple[Table, int]:
    block: list[str] = []
    ranges: list[tuple[int, int]] = []
    n = len(lines)
    while i < n and _is_row_line(lines[i]):
        block.append(lines[i])
        ranges.append((i + 1, i + 1))
        i += 1
    # Outer pipes are a property of the table, not of a line: in `a | b | c` rows, a
    # row whose first (last) cell is empty starts (ends) with a pipe that is a separator.
    lead = all(line.strip().startswith("|") for line in block)
    trail = all(line.strip().endswith("|") for line in block)
    rows = [_split_row(line, lead, trail) for line in block]
    return Table.from_rows(rows, adapter=adapter, line_ranges=ranges), i
