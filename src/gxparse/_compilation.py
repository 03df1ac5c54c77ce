"""Compilations: one document holding several reports one after another.

Some agencies publish one PDF or page with every department's report of a
city (a 汇编). Read as one report it would give a single record with one
department's numbers and no finding, so such a document is split into its
reports before mapping.

The rule (documented in ``docs/usage.md``):

1. A report has exactly one 收到和处理政府信息公开申请 table, found by its
   first row label 本年新收… (an *anchor*). A document with fewer than two
   anchors is one report and is returned untouched.
2. Between two consecutive anchors the next report's title must stand: a line
   ``……YYYY年（度）政府信息公开工作年度报告`` that is not a citation (not inside
   《》) and not a compilation's own title (…汇编, 目录). The last such title in
   the stretch starts the next report; the first report starts at the first
   title before its anchor (what precedes it — a cover, a table of contents —
   is not part of any report).
3. If a title is missing between any two anchors, the document is not split:
   the tables may be one report's 续表 or a copy (the mapper reports the
   repeated rows); :func:`split_reports` says so by returning one part.

A title found inside a paragraph (space-aligned text often runs the last line
of one report into the next report's title) splits that paragraph after the
sentence before the title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from ._model import Block, Document, Note, Paragraph, Provenance, Table

__all__ = ["Part", "count_anchors", "split_reports"]

#: The first row label of the applications table; whitespace may break it anywhere.
_ANCHOR = re.compile(r"本\s*年\s*新\s*收")
_YEAR = r"(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})"
#: A report's title: the year, then 政府信息公开（工作）年度报告; spaces anywhere.
_TITLE = re.compile(_YEAR + r"\s*年\s*度?\s*(?:政\s*府\s*)?(?:信\s*息\s*公\s*开|政\s*务\s*公\s*开)\s*(?:工\s*作\s*)?"
                    r"(?:年\s*度\s*)?报\s*告(?!\s*[》〉>」”汇目])")
#: Where a title that shares a paragraph with the text before it begins.
_SENTENCE_END = re.compile(r"[。！？；!?;\n\ufeff]")


@attrs.frozen
class Part:
    """One report of a document: its blocks as a :class:`Document`, and where it lies.

    ``where`` is ``"pages 3-7"`` / ``"lines 120-480"`` for a part of a
    compilation, ``None`` when the document is one report.
    """

    document: Document
    where: str | None = None


def _texts(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [block.text]
    return [c.text for c in block.cells]


def count_anchors(doc: Document) -> int:
    """How many 本年新收… row labels (one per applications table) the document holds."""
    return sum(len(_ANCHOR.findall(t)) for block in doc.blocks for t in _texts(block))


def _title_in(block: Block) -> re.Match[str] | None:
    """The last title-like match in a block (paragraphs and one-column tables only)."""
    if isinstance(block, Table) and block.n_cols != 1:
        return None
    last = None
    for text in _texts(block):
        for m in _TITLE.finditer(text):
            if "《" not in text[max(0, m.start() - 40):m.start()]:
                last = m
    return last


def _title_start(text: str, match: re.Match[str]) -> int:
    """Offset where the title containing ``match`` begins: after the sentence before it."""
    cut = 0
    for m in _SENTENCE_END.finditer(text, 0, match.start()):
        cut = m.end()
    return cut


def _pages(blocks: Sequence[Block]) -> list[int]:
    """The page numbers the blocks' provenance gives (blocks without one left out)."""
    return [b.provenance.page for b in blocks if b.provenance and b.provenance.page]


def _line_ranges(blocks: Sequence[Block]) -> list[tuple[int, int]]:
    """The ``(first, last)`` line ranges the blocks' provenance gives (blocks without one left out)."""
    return [b.provenance.lines for b in blocks if b.provenance and b.provenance.lines]


def _span(blocks: Sequence[Block]) -> str | None:
    pages = _pages(blocks)
    if pages:
        a, b = min(pages), max(pages)
        return f"page {a}" if a == b else f"pages {a}-{b}"
    lines = _line_ranges(blocks)
    if lines:
        a, b = min(r[0] for r in lines), max(r[1] for r in lines)
        return f"line {a}" if a == b else f"lines {a}-{b}"
    return None


_PLACE = re.compile(r"\b(page|line|lines)\s+(\d+)")


def _notes_for(notes: Sequence[Note], blocks: Sequence[Block]) -> list[Note]:
    """The notes that concern a part: those naming one of its pages or lines, and
    every note that names no page or line (it may concern any part)."""
    pages = set(_pages(blocks))
    ranges = _line_ranges(blocks)
    return [note for note in notes if _concerns(note, pages, ranges)]


def _concerns(note: Note, pages: set[int], ranges: Sequence[tuple[int, int]]) -> bool:
    """Whether ``note`` concerns a part with these pages and line ranges: it names one of them,
    or it names no page or line at all."""
    m = _PLACE.search(note.where)
    if m is None:
        return True
    n = int(m.group(2))
    if m.group(1) == "page":
        return n in pages
    return any(a <= n <= b for a, b in ranges)


def _split_paragraph(block: Paragraph, at: int) -> tuple[Paragraph | None, Paragraph]:
    head, tail = block.text[:at].strip(), block.text[at:].strip()
    prov: Provenance | None = block.provenance
    first = Paragraph(head, prov, block.heading_level) if head else None
    return first, Paragraph(tail.lstrip("\ufeff"), prov, block.heading_level)


def split_reports(doc: Document) -> list[Part]:
    """The reports of ``doc``: one :class:`Part` per report, in order.

    A document that is one report (fewer than two applications tables, or
    tables with no report title between them) comes back whole as one part
    with ``where=None``. See the module docstring for the rule.
    """
    n = count_anchors(doc)
    if n < 2:
        return [Part(doc)]
    anchors = [i for i, b in enumerate(doc.blocks) if any(_ANCHOR.search(t) for t in _texts(b))]
    if len(anchors) != n:  # two anchors in one block: the block cannot be cut
        return [Part(doc)]
    starts = _report_starts(doc.blocks, anchors)
    if starts is None:
        return [Part(doc)]
    chunks = _cut(list(doc.blocks), starts)
    return [Part(Document(chunk, adapter=doc.adapter, notes=_notes_for(doc.notes, chunk)), _span(chunk))
            for chunk in chunks]


def _report_starts(blocks: Sequence[Block], anchors: list[int]) -> list[tuple[int, int]] | None:
    """Where each report begins, ``(block, offset of its title in a paragraph)``: the first
    title before the first anchor, the last one between two anchors; ``None`` when a title
    is missing between two anchors (not a compilation)."""
    starts: list[tuple[int, int]] = []
    for k, anchor in enumerate(anchors):
        region = range(anchor) if k == 0 else range(anchors[k - 1] + 1, anchor)
        hits = [(i, m) for i in region if (m := _title_in(blocks[i])) is not None]
        if not hits:
            if k > 0:
                return None
            starts.append((0, 0))  # the first report may have no title of its own
            continue
        i, m = hits[0] if k == 0 else hits[-1]
        block = blocks[i]
        starts.append((i, _title_start(block.text, m) if isinstance(block, Paragraph) else 0))
    return starts


def _cut(blocks: list[Block], starts: list[tuple[int, int]]) -> list[list[Block]]:
    """The blocks of each report, a paragraph holding the end of one report and the title of
    the next split between them."""
    chunks: list[list[Block]] = []
    for k, (i, offset) in enumerate(starts):
        end_i, end_off = starts[k + 1] if k + 1 < len(starts) else (len(blocks), 0)
        first = blocks[i]
        chunk: list[Block] = [_split_paragraph(first, offset)[1] if isinstance(first, Paragraph) and offset
                              else first]
        chunk.extend(blocks[i + 1:end_i])
        if end_i < len(blocks) and end_off:
            before = blocks[end_i]
            assert isinstance(before, Paragraph)
            head = _split_paragraph(before, end_off)[0]
            if head is not None:
                chunk.append(head)
        chunks.append(chunk)
    return chunks
