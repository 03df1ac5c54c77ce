"""Helpers shared by the text-family adapters (text, pipe, markdown).

Only format knowledge lives here: lines, tabs, pipes, markdown syntax,
column gaps. Nothing here knows the report form.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from .._errors import EmptySourceError, ResourceLimitError
from .._model import Cell, Paragraph, Provenance, Table
from .._source import HEAD_SIZE, Source, _looks_binary, wide_encoding

__all__ = [
    "ParagraphBuilder",
    "decode_head",
    "heading_of",
    "is_cell_like",
    "is_number_line",
    "one_column_table",
    "source_lines",
]

_NUMBER_LINE = re.compile(r"^\s*[+\-−－]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?\s*(?:万元|元|件|条)?\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD = re.compile(r"\*\*|__")
_SENTENCE_END = ("。", "！", "？", "；", ".", "!", "?", ";")


@functools.lru_cache(maxsize=4)  # every text-family adapter sniffs the same head
def decode_head(head: bytes) -> str | None:
    """Cheap, lossy decode of the first bytes for sniffing; None for binary data and RTF (markup, not text).

    UTF-16 and UTF-32 text (a Notepad "Unicode" file), with a byte-order mark or
    without, is decoded too: its NUL bytes are not binary data.
    """
    wide = wide_encoding(head)
    if wide is not None:
        cut = len(head) - len(head) % (4 if "32" in wide else 2)
        return head[:cut].decode(wide, errors="ignore").lstrip("\ufeff")
    if not head or _looks_binary(head) or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"{\\rtf":
        return None
    for enc in ("utf-8", "gb18030"):
        try:
            return head.decode(enc)
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:  # cut inside a multi-byte character
                return head[: exc.start].decode(enc, errors="ignore")
    return head.decode("utf-8", errors="ignore")


#: The largest text file the text-family adapters read (bytes), as for HTML: a report's text
#: is well under a megabyte; beyond this it is a dump, not a report.
MAX_BYTES = 50 * 1024 * 1024


def source_lines(source: Source) -> list[str]:
    """Decoded lines of a text source.

    Raises:
        EmptySourceError: an empty source.
        ResourceLimitError: a source over :data:`MAX_BYTES`.
    """
    source.check_not_empty()
    if len(source.data) > MAX_BYTES:
        raise ResourceLimitError(f"the text is {len(source.data) / 2**20:.0f} MB, more than the text formats' limit "
                                 f"of {MAX_BYTES // 2**20} MB: a report's text is far smaller (a dump of many "
                                 "reports? split it first)", source=source.name)
    lines = source.lines()
    if not any(line.strip() for line in lines):
        raise EmptySourceError("the file holds only whitespace", source=source.name)
    return [line.replace("\f", "") for line in lines]


def is_number_line(line: str) -> bool:
    return bool(_NUMBER_LINE.match(line))


def is_cell_like(line: str, max_len: int = 60) -> bool:
    """A line short enough, and not ending a sentence, to be a table cell of its own."""
    s = line.strip()
    if not s:
        return True
    if len(s) > max_len:
        return False
    return not s.endswith(_SENTENCE_END) or is_number_line(s)


def heading_of(line: str) -> tuple[int, str] | None:
    """A markdown heading ``## title`` as ``(level, title)``, else None."""
    m = _MD_HEADING.match(line)
    if not m:
        return None
    return len(m.group(1)), strip_emphasis(m.group(2))


def strip_emphasis(text: str) -> str:
    return _BOLD.sub("", text).strip()


def one_column_table(lines: Sequence[str], first_line: int, adapter: str) -> Table:
    """One cell per line, blank lines kept as empty cells (text saved one cell per line)."""
    cells = [
        Cell(r, 0, line.strip(), provenance=Provenance(adapter, lines=(first_line + r, first_line + r)))
        for r, line in enumerate(lines)
    ]
    return Table(cells, provenance=Provenance(adapter, lines=(first_line, first_line + len(lines) - 1)))


def cell_per_line_runs(lines: Sequence[str], start: int, stop: int, *, min_numbers: int = 6) -> list[tuple[int, int]]:
    """Runs ``[a, b)`` of lines in ``[start, stop)`` that look like a table saved one cell per line.

    A run is a maximal stretch of cell-like lines (short, not ending a
    sentence; blank lines included) holding at least ``min_numbers`` lines
    that are a number alone. Leading and trailing blank lines are trimmed.
    """
    runs = []
    i = start
    while i < stop:
        if not lines[i].strip() or not is_cell_like(lines[i]):
            i += 1
            continue
        j = i
        numbers = 0
        while j < stop and is_cell_like(lines[j]):
            if is_number_line(lines[j]):
                numbers += 1
            j += 1
        end = j
        while end > i and not lines[end - 1].strip():
            end -= 1
        if numbers >= min_numbers:
            runs.append((i, end))
        i = max(j, i + 1)
    return runs


class ParagraphBuilder:
    """Collects blocks, turning plain lines into paragraphs with provenance."""

    def __init__(self, adapter: str) -> None:
        self.adapter = adapter
        self.blocks: list[Paragraph | Table] = []

    def line(self, text: str, line_no: int, *, heading: int | None = None) -> None:
        text = text.strip()
        if not text:
            return
        self.blocks.append(Paragraph(text, Provenance(self.adapter, lines=(line_no, line_no)), heading))

    def paragraph(self, text: str, first: int, last: int, *, heading: int | None = None) -> None:
        text = text.strip()
        if text:
            self.blocks.append(Paragraph(text, Provenance(self.adapter, lines=(first, last)), heading))

    def table(self, table: Table) -> None:
        if table.cells:
            self.blocks.append(table)

    def plain_lines(self, lines: Sequence[str], start: int, stop: int) -> None:
        """Lines ``[start, stop)`` (0-based) as paragraphs, with one-cell-per-line runs as tables."""
        pos = start
        for a, b in cell_per_line_runs(lines, start, stop):
            for k in range(pos, a):
                self._plain(lines[k], k + 1)
            self.table(one_column_table(lines[a:b], a + 1, self.adapter))
            pos = b
        for k in range(pos, stop):
            self._plain(lines[k], k + 1)

    def _plain(self, line: str, line_no: int) -> None:
        h = heading_of(line)
        if h:
            self.line(h[1], line_no, heading=h[0])
        else:
            self.line(strip_emphasis(line) if "**" in line else line, line_no)


__all__ += ["HEAD_SIZE", "cell_per_line_runs", "strip_emphasis"]
