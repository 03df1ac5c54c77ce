"""Tables a crawler flattened into running text, cells glued together.

Some text exports of report pages run a whole table into one paragraph with
no separator between cells::

    …一、本年新收政府信息公开申请数量713000074二、上年结转政府信息公开申请数量1000001…

Here ``713000074`` is the seven cells 71, 3, 0, 0, 0, 0, 74. This module (on
the mapper's side of the wall: it knows the form's labels) finds the
report's row labels in such a paragraph and splits the digits between them
into the row's cells. Whitespace in the digits is a sure cell boundary; a
digit run is split every way that gives the row its number of cells without
leading zeros, and a split is kept only if the row's own invariant (总计 =
各列之和) allows it and every allowed split gives the same numbers. A row
whose digits cannot be split that way gets cells marked unreadable (filled
later only if the table's invariants determine them exactly) and an
``unreadable`` note.

The paragraph is replaced by the text before the table, a :class:`Table` of
the labels and split cells, and the text after it, so the ordinary mapper
reads it like any other table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import attrs

from ._mapping import RowSums, detect_template
from ._model import Cell, Document, Note, Paragraph, Provenance, Table
from ._normalize import _EXTRA, norm
from .form import TEMPLATES, Layout, Role, Row, TableSpec, Template

__all__ = ["looks_flattened", "unglue"]

#: A paragraph holding at least this many of the form's row labels followed by digits is a glued table.
MIN_GLUED_ROWS = 4
#: Give up splitting one digit run after trying this many splits.
MAX_SPLITS = 50000

_WS = re.compile(r"\s+")
_CN = "一二三四五六七八九十"


def _nfkc(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFKC", text).translate(_EXTRA))


@attrs.frozen
class _RowSpec:
    key: str
    pattern: str  # regex source for the label (with its optional numbering)
    k: int  # number of value cells
    groups: tuple[tuple[tuple[int, ...], int], ...]  # (members, total) invariants within the row
    money_last: bool = False


def _numbering_prefix(label: str, item: str) -> str:
    """Regex for the numbering printed before ``item`` in the official ``label`` (optional)."""
    head = _nfkc(label)
    pos = head.rfind(_nfkc(item)[:4])
    before = head[:pos].rstrip() if pos > 0 else ""
    m = re.search(r"(\d{1,2})\.\s*$", before)
    if m:
        return rf"(?:{m.group(1)}[.、]\s*)?"
    m = re.search(r"\(([" + _CN + r"]{1,2})\)\s*$", before)
    if m:
        return rf"(?:\({m.group(1)}\)\s*)?"
    m = re.search(r"([" + _CN + r"]{1,2})、\s*$", before)
    if m:
        return rf"(?:{m.group(1)}、\s*)?"
    return ""


def _flex(text: str) -> str:
    """Regex for a label allowing spaces between its characters."""
    return r"\s*".join(re.escape(ch) for ch in _nfkc(text).replace(" ", ""))


@lru_cache(maxsize=4)
def _specs(template_id: str) -> tuple[_RowSpec, ...]:
    """How each row of the form reads in glued text: its label's pattern, its number of cells and the
    sums within it (the form's row-total rule; a one-row table's rows side by side)."""
    t: Template = TEMPLATES[template_id]
    specs: list[_RowSpec] = []
    for table in t.tables:
        sums = RowSums.of(table)
        groups = sums.groups if sums is not None else ()
        if table.layout is Layout.ONE_ROW:
            specs.append(_one_row_spec(table, groups))
            continue
        for row in table.rows:
            if row.role is Role.HEADING:
                continue
            cols = table.columns_of(row)
            if row.columns:  # an item: its label or another spelling, numbering never printed
                names = sorted({row.label, *row.aliases}, key=len, reverse=True)
                pattern = "(?:" + "|".join(_flex(n) for n in names) + ")"
            else:
                pattern = _row_prefix(row, table) + _flex(row.item)
            specs.append(_RowSpec(f"{table.key}/{row.key}", pattern, len(cols), groups, cols[-1].kind == "money"))
    return tuple(specs)


def _row_prefix(row: Row, table: TableSpec) -> str:
    """The numbering before a row's label: optional, but required for a label that is also a column
    header of the table (a bare 其他 or 总计 is the header; the rows say 3.其他, （七）总计)."""
    prefix = _numbering_prefix(row.label, row.item)
    if prefix.endswith("?") and any(c.label == row.item for c in table.columns):
        return prefix[:-1]
    return prefix


def _one_row_spec(table: TableSpec, groups: tuple[tuple[tuple[int, ...], int], ...]) -> _RowSpec:
    """A table printed as one row: its values follow its header's last two column labels
    (… 尚未审结 总计 after 复议后起诉)."""
    before, last = table.columns[-2].label, table.columns[-1].label
    pattern = rf"(?<={re.escape(before)})\s*{re.escape(last)}(?=[\s\d])"
    return _RowSpec(table.key, pattern, len(table.rows) * len(table.columns), groups)


def _template_of(text: str) -> str:
    """The edition a glued paragraph is on (decided where every edition is: ``detect_template``)."""
    return detect_template([text]).template.id


_VALUE_RUN = re.compile(r"^\s*([0-9][0-9 .]*?)\s*(万元|元)?(?=\s*(?:[^\d\s.件条个项份次人]|$))")
#: Hits further apart than this (in characters) are not one table: prose mentions a label now and then.
MAX_GAP = 160


def _parts(run: str, money_last: bool) -> list[str] | None:
    run = run.strip()
    return run.split() if run else None


def _valid(part: str, allow_decimal: bool) -> bool:
    if "." in part:
        if not allow_decimal or part.count(".") != 1:
            return False
        whole, frac = part.split(".")
        return bool(whole) and bool(frac) and (whole == "0" or not whole.startswith("0"))
    return part == "0" or not part.startswith("0")


def _splits(groups: list[str], k: int, money_last: bool) -> Iterator[list[str]]:
    """Every way to cut the whitespace groups into exactly ``k`` numbers."""
    budget = [MAX_SPLITS]

    def cut(gi: int, pos: int, acc: list[str]) -> Iterator[list[str]]:
        if budget[0] <= 0:
            return
        if gi == len(groups):
            if len(acc) == k:
                budget[0] -= 1
                yield list(acc)
            return
        g = groups[gi]
        if pos == len(g):
            yield from cut(gi + 1, 0, acc)
            return
        remaining_digits = sum(len(x) for x in groups[gi + 1:]) + len(g) - pos
        if len(acc) >= k or remaining_digits < 1:
            return
        for end in range(pos + 1, len(g) + 1):
            part = g[pos:end]
            last_cell = len(acc) == k - 1
            if not _valid(part, money_last and last_cell):
                if part[0] == "0" and part != "0":
                    break
                continue
            acc.append(part)
            yield from cut(gi, end, acc)
            acc.pop()

    yield from cut(0, 0, [])


def _check(values: list[Decimal], groups: tuple[tuple[tuple[int, ...], int], ...]) -> bool:
    return all(sum((values[m] for m in members), Decimal(0)) == values[total] for members, total in groups)


def split_cells(run: str, spec: _RowSpec) -> list[str] | None:
    """The row's cells from a glued digit run, or None when no single split is certain."""
    groups = _parts(run, spec.money_last)
    if not groups:
        return None
    if spec.k == 1:
        joined = "".join(groups)
        return [joined] if len(groups) == 1 and _valid(joined, spec.money_last) else None
    found: list[list[str]] = []
    values_seen: set[tuple[Decimal, ...]] = set()
    for parts in _splits(groups, spec.k, spec.money_last):
        try:
            values = [Decimal(p) for p in parts]
        except InvalidOperation:  # pragma: no cover - parts are validated digits
            continue
        if spec.groups and not _check(values, spec.groups):
            continue
        key = tuple(values)
        if key not in values_seen:
            values_seen.add(key)
            found.append(parts)
        if len(found) > 1:
            return None
    return found[0] if len(found) == 1 else None


@attrs.frozen
class _Hit:
    start: int
    end: int
    spec: _RowSpec
    label: str


def _hits(text: str, specs: tuple[_RowSpec, ...]) -> list[_Hit]:
    """Label occurrences with digits after them (before the next label), left to right."""
    found: list[_Hit] = []
    for spec in specs:
        for m in re.finditer(spec.pattern, text):
            found.append(_Hit(m.start(), m.end(), spec, m.group(0)))
    found.sort(key=lambda h: (h.start, -(h.end - h.start)))
    labels: list[_Hit] = []
    for h in found:
        if labels and h.start < labels[-1].end:
            continue
        labels.append(h)
    valued: list[_Hit] = []
    for i, h in enumerate(labels):
        stop = labels[i + 1].start if i + 1 < len(labels) else len(text)
        if _VALUE_RUN.match(text[h.end:stop]):
            valued.append(h)
    # the tables are the densest run of hits; a label mentioned in the prose stands alone
    runs: list[list[_Hit]] = []
    for h in valued:
        if runs and h.start - runs[-1][-1].end <= MAX_GAP:
            runs[-1].append(h)
        else:
            runs.append([h])
    return max(runs, key=len, default=[])


def _next_label_start(text: str, h: _Hit, nxt: _Hit | None) -> int:
    """Where the digits after ``h`` must stop: at the next label, or at a numbering glued to them."""
    stop = nxt.start if nxt is not None else len(text)
    m = re.match(r"\s*[0-9][0-9 .]*", text[h.end:stop])
    return stop if m is None else min(stop, h.end + m.end() + 1)


def _unglue_paragraph(p: Paragraph, adapter: str) -> tuple[list[Paragraph | Table], list[Note]] | None:
    text = _nfkc(p.text)
    tid = _template_of(text)
    hits = _hits(text, _specs(tid))
    if len(hits) < MIN_GLUED_ROWS:
        return None
    prov = p.provenance or Provenance(adapter)
    where = prov.describe()
    rows: list[list[str]] = []
    notes: list[Note] = []
    pos = hits[0].start
    before = text[:pos].strip()
    last_end = pos
    for i, h in enumerate(hits):
        gap = text[last_end:h.start].strip()
        if gap:
            rows.append([gap])  # header text between rows
        nxt = _next_label_start(text, h, hits[i + 1] if i + 1 < len(hits) else None)
        m = _VALUE_RUN.match(text[h.end:nxt])
        assert m is not None  # _hits only keeps labels followed by digits
        run, unit = m.group(1), m.group(2) or ""
        cells = split_cells(run, h.spec)
        if cells is None:
            # cells that read as neither a number nor a blank: their values are unreadable, never guessed
            cells = [f"⟨{run.strip()}{unit}⟩"] * h.spec.k
            notes.append(Note(where, f"「{h.label.strip()}」后的数字「{run.strip()}{unit}」粘连在一起，"
                                     f"无法唯一拆成 {h.spec.k} 个单元格"))
        elif unit:
            cells[-1] += unit
        rows.append([h.label.strip(), *cells])
        last_end = h.end + m.end()
    after = text[last_end:].strip()
    blocks: list[Paragraph | Table] = []
    if before:
        blocks.append(Paragraph(before, prov))
    cells_out = [Cell(r, c, v, provenance=prov) for r, row in enumerate(rows) for c, v in enumerate(row)]
    blocks.append(Table(cells_out, provenance=prov))
    if after:
        blocks.append(Paragraph(after, prov))
    return blocks, notes


#: A glued table has row labels of the form in it; cheap to test before trying every label pattern.
_MARKS = ("申请数量", "本年度办理结果", "不予公开", "无法提供", "不予处理", "行政复议", "第二十条")
#: A paragraph shorter than this holds no glued table (the form's labels alone are longer).
MIN_GLUED_TEXT = 100
#: … and it holds at least this many of the marks above.
MIN_MARKS = 3
#: A paragraph that names this many rows of the form's applications table (in ``looks_flattened``) …
MIN_FLAT_ROWS = 3
#: … and is this long (normalised) is a table flattened into running text.
MIN_FLAT_TEXT = 200


def _flat_marks() -> tuple[str, ...]:
    """The applications table's rows outside its results (一、本年新收 …, 三、本年度办理结果, 四、结转
    下年度继续办理) and the clause that heads each 主动公开 item (第二十条第（…）项)."""
    table = TEMPLATES["2021"].table("applications")
    rows = tuple(r.item for r in table.rows if r.role in (Role.INFLOW, Role.HEADING, Role.OUTFLOW))
    return (*rows, "第二十条第")


def looks_flattened(doc: Document) -> bool:
    """Do paragraphs carry the form's row labels run together with digits (a table flattened into
    running text that could not be rebuilt)?"""
    marks = _flat_marks()
    for text in doc.iter_text():
        t = norm(text)
        if len(t) > MIN_FLAT_TEXT and sum(1 for m in marks if m in t) >= MIN_FLAT_ROWS:
            return True
    return False


def unglue(doc: Document) -> Document:
    """The document with glued tables rebuilt (the same object when there are none)."""
    out: list[Paragraph | Table] = []
    notes: list[Note | tuple[str, str]] = list(doc.notes)
    changed = False
    for block in doc.blocks:
        if (isinstance(block, Paragraph) and len(block.text) > MIN_GLUED_TEXT
                and sum(1 for m in _MARKS if m in block.text) >= MIN_MARKS and re.search(r"\d{3}", block.text)):
            result = _unglue_paragraph(block, doc.adapter)
            if result is not None:
                blocks, more = result
                out.extend(blocks)
                notes.extend(more)
                changed = True
                continue
        out.append(block)
    if not changed:
        return doc
    return Document(out, adapter=doc.adapter, notes=notes)
