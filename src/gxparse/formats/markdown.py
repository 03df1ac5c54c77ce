"""Markdown: ATX headings and GFM pipe tables.

Tables may be ragged (rows with more or fewer cells than the header row);
each row keeps the cells it has. Lines fenced by pipes on both ends
(``| a | b |``) are table rows even without a GFM delimiter row (``|---|``),
as pipe dumps and hand-written reports write them. Emphasis markers are
removed from headings and cells. Other lines become paragraphs: consecutive
lines join with the line break kept (CommonMark renders a soft line break as
a space or a line end, never as nothing), and a line that is wholly bold
(``**一、总体情况**``) is a paragraph of its own, as a heading written that way.

A cell's inline markup is rendered as CommonMark renders it, by markdown-it-py
(a well-kept CommonMark parser; the table grid itself is read here, ragged rows
and all, which CommonMark's GFM extension would refuse): emphasis and code
spans give their text (``*6*`` is 6), entities their character (``&nbsp;``),
``<br>`` a line break, ``<sup>``/``<sub>`` superscript and subscript characters
(so that the cell rules see a footnote mark, never a digit of the value), and
other inline HTML and comments nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from .._model import Document, Table
from .._normalize import subscript, superscript
from .._registry import FormatAdapter
from .._source import Source
from ._textbase import (
    ParagraphBuilder,
    decode_head,
    heading_of,
    source_lines,
    strip_emphasis,
)

__all__ = ["MarkdownAdapter"]

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_SEPARATOR_ANY = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.M)


def _is_table_line(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") or (s.count("|") >= 2 and not s.startswith("#"))


def _is_fenced_row(line: str) -> bool:
    """``| a | b |``: pipes at both ends and at least two cells (a row without a delimiter row)."""
    s = line.strip()
    return len(s) > 2 and s.startswith("|") and s.endswith("|") and not s.endswith("\\|") and \
        len(re.findall(r"(?<!\\)\|", s)) >= 3 and not _SEPARATOR.match(s)


_WHOLLY_BOLD = re.compile(r"^\s*(\*\*|__)(?=\S)(.+?)(?<=\S)\1\s*$")


def _split(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells = re.split(r"(?<!\\)\|", s)
    return [_inline(c.replace("\\|", "|")) for c in cells]


#: A cell holding none of these characters has no inline markup: it is taken as it is.
_MARKUP = re.compile(r"[*_`<&\[\\!~]")
_TAG = re.compile(r"^<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)")


def _inline(cell: str) -> str:
    """A cell's text as CommonMark renders its inline content (see the module's docstring)."""
    if not _MARKUP.search(cell):
        return cell.strip()
    out: list[str] = []
    raised: list[str] = []  # the <sup>/<sub> elements open
    for tok in _inline_parser().parseInline(cell)[0].children or ():
        text = ""
        if tok.type in ("text", "code_inline"):
            text = tok.content
        elif tok.type in ("softbreak", "hardbreak"):
            text = "\n"
        elif tok.type == "html_inline":
            m = _TAG.match(tok.content)
            name = m.group(2).lower() if m else ""
            if name == "br":
                text = "\n"
            elif name in ("sup", "sub"):
                if m and m.group(1):
                    if raised:
                        raised.pop()
                else:
                    raised.append(name)
        if text:
            if raised:
                text = superscript(text) if raised[-1] == "sup" else subscript(text)
            out.append(text)
    return strip_emphasis("".join(out)).strip()


@lru_cache(maxsize=1)
def _inline_parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


class MarkdownAdapter(FormatAdapter):
    """Markdown with GFM tables (ragged rows allowed)."""

    name = "markdown"
    priority = 30
    description = "markdown: ATX headings and GFM pipe tables, ragged rows allowed"

    def accepts(self, head: bytes, name: str | None = None) -> float:
        text = decode_head(head)
        if not text:
            return 0.0
        if _SEPARATOR_ANY.search(text):
            return 0.9
        if name and name.lower().endswith((".md", ".markdown")):
            return 0.7
        return 0.0

    def extract(self, source: Source) -> Document:
        lines = source_lines(source)
        b = ParagraphBuilder(self.name)
        i, n = 0, len(lines)
        para: list[tuple[int, str]] = []

        def flush() -> None:
            if para:
                text = "\n".join(p[1].strip() for p in para)
                b.paragraph(strip_emphasis(text), para[0][0], para[-1][0])
                para.clear()

        while i < n:
            line = lines[i]
            if _is_table_line(line) and i + 1 < n and _SEPARATOR.match(lines[i + 1]):
                flush()
                table, i = _table(lines, i, self.name)
                b.table(table)
                continue
            if _is_fenced_row(line):
                flush()
                table, i = _fenced_rows(lines, i, self.name)
                b.table(table)
                continue
            h = heading_of(line)
            if h:
                flush()
                b.line(h[1], i + 1, heading=h[0])
            elif not line.strip():
                flush()
            elif _WHOLLY_BOLD.match(line):
                flush()
                b.line(strip_emphasis(line), i + 1)
            else:
                para.append((i + 1, line))
            i += 1
        flush()
        return Document(b.blocks, adapter=self.name)


def _fenced_rows(lines: Sequence[str], i: int, adapter: str) -> tuple[Table, int]:
    """A run of ``| a | b |`` rows with no delimiter row, as one table."""
    rows, ranges = [], []
    while i < len(lines) and _is_fenced_row(lines[i]):
        rows.append(_split(lines[i]))
        ranges.append((i + 1, i + 1))
        i += 1
    return Table.from_rows(rows, adapter=adapter, line_ranges=ranges), i


def _table(lines: Sequence[str], i: int, adapter: str) -> tuple[Table, int]:
    rows = [_split(lines[i])]
    ranges = [(i + 1, i + 1)]
    i += 2  # header and separator
    n = len(lines)
    while i < n and _is_table_line(lines[i]) and lines[i].strip():
        if not _SEPARATOR.match(lines[i]):
            rows.append(_split(lines[i]))
            ranges.append((i + 1, i + 1))
        i += 1
    return Table.from_rows(rows, adapter=adapter, line_ranges=ranges), i
