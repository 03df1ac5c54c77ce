"""gxparse's own renderers: a generated report written in every built-in format and flavour,
with noise (the round-trip property's documents; not part of the public kit)."""

from __future__ import annotations

import copy
import html as _html
import io
import itertools
import random
import threading
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from gxparse import Cell, Document, Paragraph, Provenance, Table
from gxparse.form import SECTIONS, Role, Template
from gxparse.form import Row as AppRow
from gxparse.testing import GeneratedReport, Number

from kit.noise import _COMMON_NOISE, TYPOS, Noise, _collapsed, _Labeler, _value_of, _widen, rendered_paths

__all__ = ["FLAVOURS", "Flavour", "Rendered", "docx_package", "noises", "render", "to_document"]

# ---------------------------------------------------------------------------
# flavours
# ---------------------------------------------------------------------------


@attrs.frozen
class Rendered:
    """A rendered document.

    Attributes:
        data: the file's bytes.
        flavour: the :data:`FLAVOURS` key it was rendered in.
        adapter: the built-in adapter that must read it.
        name: a file name for it (``report.md``).
        weak_rows: rows (``table/row``) whose blank cells lost their position
            in this flavour (a blank left out of space-aligned text): their
            values may come back ``None`` (with a finding) instead of exact,
            but never wrong; a weak subtotal row may be absent (with none of
            its numbers printed it reads as a heading). Also rows that cells
            written one per line make ambiguous (:func:`_lead_blank_rows`).
        findings: the findings the rendering itself calls for.
    """

    data: bytes
    flavour: str
    adapter: str
    name: str
    weak_rows: frozenset[str] = frozenset()
    #: ``(code, where)`` of the findings the rendering itself calls for (a Word file's hidden
    #: text: ``("hidden-text", "table 2, row 5, cell 3")``); pass them to ``expected_outcome``.
    findings: frozenset[tuple[str, str]] = frozenset()

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


@attrs.frozen
class Flavour:
    """One way a report is published: a renderer and the adapter that reads it.

    ``noise`` names the :class:`Noise` fields that make sense for it.
    """

    name: str
    adapter: str
    suffix: str
    description: str
    noise: frozenset[str]
    renderer: Callable[[GeneratedReport, Noise], Rendered] = attrs.field(repr=False)



@attrs.frozen
class _FormTable:
    """One of the three tables of the form, laid out as the official grid."""

    key: str
    caption: str
    table: Table
    #: grid row -> row path (``applications/received_new``) for data rows
    data_rows: Mapping[int, str]
    #: grid row -> value cells' grid columns -> path
    value_cells: Mapping[tuple[int, int], str]
    #: first grid column holding values (columns before it hold labels)
    first_value_col: int


class _Grid:
    """Builds a Table row by row: ``add(row, col, text, row_span, col_span)``."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []

    def add(self, row: int, col: int, text: str, rs: int = 1, cs: int = 1) -> None:
        self.cells.append(Cell(row, col, text, rs, cs))

    def table(self) -> Table:
        return Table(self.cells)


def _num_text(value: Number, noise: Noise, unit: str | None = None) -> str:
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    if noise.full_width_digits:
        text = _widen(text)
    return text + (unit or "")


def _own_label(t: Template, row: AppRow) -> str:
    """A row's label without the labels of its group and heading (what its own cell says)."""
    text = row.label
    parents = []
    g = row.group
    while g:
        parents.append(t.app_row(g).label)
        g = t.app_row(g).group
    for parent in parents:
        if text.startswith(parent) and text != parent:
            text = text[len(parent):].strip()
    return text


def _form_tables(report: GeneratedReport, noise: Noise) -> list[_FormTable]:
    t = report.form
    lab = _Labeler(noise)
    typo_rows = {ty.key: ty for ty in noise.typos if ty.kind == "row"}
    typo_fields = {ty.key: ty for ty in noise.typos if ty.kind == "field"}
    collapsed = _collapsed(report, noise)

    def value(path: str) -> str:
        if path in noise.blanks:
            return noise.blank_mark
        v = _value_of(report, path, collapsed)
        unit = report.procurement_unit if path == "active_disclosure/procurement/amount" else None
        return _num_text(v, noise, unit)

    out: list[_FormTable] = []
    # -- 主动公开 ---------------------------------------------------------------
    g = _Grid()
    width = 1 + max(len(i.fields) for i in t.active_items)
    data_rows: dict[int, str] = {}
    cells: dict[tuple[int, int], str] = {}
    r = 0
    clauses: list[tuple[str, list[Any]]] = []
    for item in t.active_items:
        if not clauses or clauses[-1][0] != item.clause:
            clauses.append((item.clause, []))
        clauses[-1][1].append(item)
    for clause, items in clauses:
        g.add(r, 0, lab(f"第二十条第{clause}项", breakable=False), cs=width)
        r += 1
        fields = items[0].fields
        spans = [1] * len(fields)
        spans[-1] += width - 1 - len(fields)
        g.add(r, 0, "信息内容")
        c = 1
        for f, span in zip(fields, spans):
            text = f.label
            ty = typo_fields.get(f.key)
            if ty is not None:
                text = text.replace(ty.old, ty.new)
            g.add(r, c, lab(text), cs=span)
            c += span
        r += 1
        for item in items:
            g.add(r, 0, lab(item.label))
            c = 1
            for f, span in zip(item.fields, spans):
                path = f"active_disclosure/{item.key}/{f.key}"
                g.add(r, c, value(path), cs=span)
                cells[(r, c)] = path
                c += span
            data_rows[r] = f"active_disclosure/{item.key}"
            r += 1
    out.append(_FormTable("active_disclosure", _section_title("active_disclosure"), g.table(), data_rows, cells, 1))

    # -- 收到和处理政府信息公开申请 ------------------------------------------------------
    g = _Grid()
    cols = t.app_columns
    n_label = 3
    g.add(0, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rs=3, cs=n_label)
    g.add(0, n_label, "申请人情况", cs=len(cols))
    g.add(1, n_label, lab(cols[0].label), rs=2)
    g.add(1, n_label + 1, "法人或其他组织", cs=len(cols) - 2)
    g.add(1, n_label + len(cols) - 1, lab(cols[-1].label), rs=2)
    for k, col in enumerate(cols[1:-1]):
        g.add(2, n_label + 1 + k, lab(col.label))
    header_rows = 3
    data_rows = {}
    cells = {}
    rows = _printed_rows(report, noise)
    r = header_rows
    heading = next((row for row in t.app_rows if row.role is Role.HEADING), None)
    results_rows = [row for row in rows if row.group is not None]
    for row in rows:
        label = _own_label(t, row)
        ty = typo_rows.get(row.key)
        if ty is not None:
            label = label.replace(ty.old, ty.new)
        label = lab(label)
        if row.group is None:
            g.add(r, 0, label, cs=n_label)
        else:
            if heading is not None and row is results_rows[0]:
                g.add(r, 0, lab(heading.label), rs=len(results_rows))
            parent = t.app_row(row.group)
            in_group = parent.role is Role.GROUP_TOTAL and parent.key not in report.subtotals \
                and not (collapsed and parent.key == "results.other")
            if in_group:
                siblings = [x for x in results_rows if x.group == parent.key]
                if row is siblings[0]:
                    g.add(r, 1, lab(parent.label), rs=len(siblings))
                g.add(r, 2, label)
            else:
                g.add(r, 1, label, cs=2)
        for k, col in enumerate(cols):
            path = f"applications/{row.key}/{col.key}"
            g.add(r, n_label + k, value(path))
            cells[(r, n_label + k)] = path
        data_rows[r] = f"applications/{row.key}"
        r += 1
    out.append(_FormTable("applications", _section_title("applications"), g.table(), data_rows, cells, n_label))

    # -- 行政复议、行政诉讼 -----------------------------------------------------------
    g = _Grid()
    rcols = t.review_columns
    parents: list[tuple[str, list[Any]]] = []
    for grp in t.review_groups:
        top = grp.label.split("·")[0]
        if not parents or parents[-1][0] != top:
            parents.append((top, []))
        parents[-1][1].append(grp)
    c = 0
    cells = {}
    for top, groups in parents:
        g.add(0, c, lab(top), cs=len(rcols) * len(groups))
        for grp in groups:
            sub = grp.label.split("·")[1] if "·" in grp.label else None
            if sub is None:
                for k, rc in enumerate(rcols):
                    g.add(1, c + k, lab(rc.label), rs=2)
            else:
                g.add(1, c, lab(sub), cs=len(rcols))
                for k, rc in enumerate(rcols):
                    g.add(2, c + k, lab(rc.label))
            for k, rc in enumerate(rcols):
                path = f"reviews_and_litigation/{grp.key}/{rc.key}"
                g.add(3, c + k, value(path))
                cells[(3, c + k)] = path
            c += len(rcols)
    review_rows = {3: "reviews_and_litigation/*"}
    out.append(_FormTable("reviews_and_litigation", _section_title("reviews_and_litigation"), g.table(),
                          review_rows, cells, 0))

    if noise.split_header:
        out = [_split_header(ft, lab) if ft.key != "active_disclosure" else ft for ft in out]
    if noise.extra_cells:
        out = [_extra_column(ft) for ft in out]
    if noise.caption:
        out = [_with_caption(ft) for ft in out]
    return out




def _printed_rows(report: GeneratedReport, noise: Noise) -> list[AppRow]:
    """The applications rows a document prints, in order (no heading rows)."""
    t = report.form
    collapsed = _collapsed(report, noise)
    out = []
    for row in t.app_rows:
        if row.role is Role.HEADING:
            continue
        if collapsed and row.group == "results.other":
            continue
        if row.role is Role.GROUP_TOTAL and row.key not in report.subtotals and not (collapsed and row.key == "results.other"):
            continue
        out.append(row)
    return out


def _section_title(key: str) -> str:
    return next(s.title for s in SECTIONS if s.key == key)


def _split_header(ft: _FormTable, lab: _Labeler) -> _FormTable:
    """Break the header cells on the header's last row in two: the second halves on a new row."""
    tbl = ft.table
    first_data = min(ft.data_rows)
    last = first_data - 1
    cells: list[Cell] = []
    for cell in tbl.cells:
        if cell.row >= first_data:
            cells.append(attrs.evolve(cell, row=cell.row + 1))
        elif cell.last_row == last and len(cell.text) >= 2 and cell.col >= ft.first_value_col:
            half = (len(cell.text) + 1) // 2
            cells.append(attrs.evolve(cell, text=cell.text[:half]))
            cells.append(Cell(last + 1, cell.col, cell.text[half:], 1, cell.col_span))
        elif cell.last_row == last:
            cells.append(attrs.evolve(cell, row_span=cell.row_span + 1))
        else:
            cells.append(cell)
    return attrs.evolve(ft, table=Table(cells), data_rows={r + 1: p for r, p in ft.data_rows.items()},
                        value_cells={(r + 1, c): p for (r, c), p in ft.value_cells.items()})


def _extra_column(ft: _FormTable) -> _FormTable:
    tbl = ft.table
    n = tbl.n_cols
    cells = list(tbl.cells) + [Cell(r, n, "") for r in range(tbl.n_rows)]
    return attrs.evolve(ft, table=Table(cells))


def _with_caption(ft: _FormTable) -> _FormTable:
    tbl = ft.table
    cells = [attrs.evolve(c, row=c.row + 1) for c in tbl.cells] + [Cell(0, 0, ft.caption, 1, tbl.n_cols)]
    return attrs.evolve(ft, table=Table(cells), data_rows={r + 1: p for r, p in ft.data_rows.items()},
                        value_cells={(r + 1, c): p for (r, c), p in ft.value_cells.items()})


def _dense(table: Table) -> list[list[Cell | None]]:
    return table.grid()


def _expanded_rows(table: Table) -> list[list[str]]:
    """Every grid position, a merged cell's text at its top-left and ``""`` where it spans."""
    rows: list[list[str]] = []
    for r, line in enumerate(_dense(table)):
        rows.append(["" if c is None or (c.row, c.col) != (r, k) else c.text for k, c in enumerate(line)])
    return rows


def _word_rows(table: Table) -> list[list[str]]:
    """Cells as a word processor saves a table as text: each cell once, a vertically merged
    cell's continuation as an empty cell, a horizontally merged one not repeated."""
    rows: list[list[str]] = []
    for r, line in enumerate(_dense(table)):
        out: list[str] = []
        for k, c in enumerate(line):
            if c is None:
                out.append("")
            elif (c.row, c.col) == (r, k):
                out.append(c.text)
            elif c.col == k:
                out.append("")
        rows.append(out)
    return rows


# ---------------------------------------------------------------------------
# the document around the tables
# ---------------------------------------------------------------------------

_CN = "一二三四五六七八九十"


def _prose(report: GeneratedReport) -> list[tuple[str, Any]]:
    """The document as ("title"|"para"|"heading"|"table", content) in reading order."""
    y, a = report.year, report.agency
    received = report.applications["received_new"]["total"]
    blocks: list[tuple[str, Any]] = [
        ("title", f"{a}{y}年政府信息公开工作年度报告"),
        ("para", f"本报告依据《中华人民共和国政府信息公开条例》编制。本报告所列数据统计期限自{y}年1月1日起至{y}年12月31日止。"
                 f"如对本报告有疑问，请联系{a}办公室，电话：0451-5367{5221 + y % 7}。"),
    ]
    sections = [s for s in SECTIONS if s.key != "key_work"]
    for n, s in enumerate(sections):
        blocks.append(("heading", f"{_CN[n]}、{s.title}"))
        if s.key in ("active_disclosure", "applications", "reviews_and_litigation"):
            blocks.append(("table", s.key))
        elif s.key == "overview":
            blocks.append(("para", f"{y}年，{a}认真贯彻落实《条例》，本年度共收到政府信息公开申请{received}件，均已按时办结。"))
        elif s.key == "problems":
            blocks.append(("para", "信息公开的及时性有待提高，部分栏目更新不够及时。下一步将加强培训，完善审核机制。"))
        else:
            blocks.append(("para", "本年度未收取信息处理费。"))
    return blocks


def _layout(report: GeneratedReport, noise: Noise) -> list[tuple[str, Any]]:
    tables = {ft.key: ft for ft in _form_tables(report, noise)}
    return [(kind, tables[v] if kind == "table" else v) for kind, v in _prose(report)]


# ---------------------------------------------------------------------------
# renderers
# ---------------------------------------------------------------------------


def _lines_of(text: str) -> list[str]:
    return text.split("\n")


def _lead_blank_rows(report: GeneratedReport, noise: Noise, *, merged_runs: bool = False) -> frozenset[str]:
    """Rows made ambiguous by a flavour that writes cells one per line.

    A row whose first value is blank, followed by blank cells that are not values
    (the extra empty cell ending every row; in ``text-cells`` and ``pipe-cells``
    also the next row's merged-cell placeholders, blank lines or the same ``|||``
    run, with nothing between the rows), has more value
    positions than fields and nothing tells the blank value from the padding: no
    column positions. The mapper then leaves the row ``None`` or derives it from
    the invariants, which is right, never wrong.
    """
    if not (noise.extra_cells or merged_runs):
        return frozenset()
    t = report.form
    rows = {f"active_disclosure/{item.key}" for item in t.active_items
            if len(item.fields) > 1 and f"active_disclosure/{item.key}/{item.fields[0].key}" in noise.blanks}
    first = t.app_columns[0].key
    rows |= {f"applications/{row.key}" for row in t.app_rows if f"applications/{row.key}/{first}" in noise.blanks}
    review = f"reviews_and_litigation/{t.review_groups[0].key}/{t.review_columns[0].key}"
    if review in noise.blanks:
        rows.add("reviews_and_litigation/*")
    return _expand_weak(report, rows)


def _render_text_cells(report: GeneratedReport, noise: Noise) -> Rendered:
    """Bare one cell per line (``samples/sNN.txt``): blank lines are empty cells."""
    out: list[str] = []
    for kind, v in _layout(report, noise):
        if kind == "table":
            for row in _word_rows(v.table):
                for text in row:
                    out.extend(_lines_of(text))
        else:
            out.append(v)
    return Rendered(("\n".join(out) + "\n").encode("utf-8"), "text-cells", "text", "report.txt",
                    _lead_blank_rows(report, noise, merged_runs=True))


def _render_text_tab_cells(report: GeneratedReport, noise: Noise) -> Rendered:
    """Tab-indented cells, rows separated by blank lines (seed 000); a cell's line breaks
    follow it as short unindented lines."""
    out: list[str] = []
    for kind, v in _layout(report, noise):
        if kind == "table":
            out.append("")
            for row in _word_rows(v.table):
                for text in row:
                    first, *rest = _lines_of(text)
                    out.append("\t" + first)
                    out.extend(rest)
                out.append("")
            out.append("")
        else:
            out.extend([v, ""])
    return Rendered(("\n".join(out) + "\n").encode("utf-8"), "text-tab-cells", "text", "report.txt",
                    _lead_blank_rows(report, noise))


def _one_line(text: str) -> str:
    return text.replace("\n", "")


def _render_text_tab_rows(report: GeneratedReport, noise: Noise) -> Rendered:
    """One table row per line, cells separated by tabs (seeds 002, 003)."""
    out: list[str] = []
    for kind, v in _layout(report, noise):
        if kind == "table":
            out.append("")
            out.extend("\t".join(_one_line(c) for c in row) for row in _expanded_rows(v.table))
            out.append("")
        else:
            out.append(v)
    return Rendered(("\n".join(out) + "\n").encode("utf-8"), "text-tab-rows", "text", "report.txt")


def _render_pipe_cells(report: GeneratedReport, noise: Noise) -> Rendered:
    """``cell |`` one per line, runs of empty cells as ``|||`` (seed 001)."""
    out: list[str] = []
    for kind, v in _layout(report, noise):
        if kind != "table":
            out.append(v)
            continue
        empties = 0
        for row in _word_rows(v.table):
            for text in row:
                text = _one_line(text).strip()
                if not text:
                    empties += 1
                    continue
                if empties:
                    out.append("|" * empties)
                    empties = 0
                out.append(f"{text} |")
        if empties:
            out.append("|" * empties)
    return Rendered(("\n".join(out) + "\n").encode("utf-8"), "pipe-cells", "pipe", "report.txt",
                    _lead_blank_rows(report, noise, merged_runs=True))


def _render_pipe_rows(report: GeneratedReport, noise: Noise) -> Rendered:
    """``| a | b | c |`` one table row per line, no markdown separator."""
    rng = random.Random(noise.seed)
    outer = rng.random() < 0.5
    out: list[str] = []
    for kind, v in _layout(report, noise):
        if kind != "table":
            out.append(v)
            continue
        for row in _expanded_rows(v.table):
            line = " | ".join(_one_line(c) for c in row)
            out.append(f"| {line} |" if outer else line)
    return Rendered(("\n".join(out) + "\n").encode("utf-8"), "pipe-rows", "pipe", "report.txt")


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _render_markdown(report: GeneratedReport, noise: Noise) -> Rendered:
    """GFM (seed 004): ``#`` headings, pipe tables; ragged rows drop their trailing empty cells."""
    rng = random.Random(noise.seed)
    ragged = rng.random() < 0.5
    weak: set[str] = set()
    out: list[str] = []
    for kind, v in _layout(report, noise):
        if kind == "title":
            out += [f"# {v}", ""]
        elif kind == "heading":
            out += [f"## **{v}**" if rng.random() < 0.3 else f"## {v}", ""]
        elif kind == "para":
            out += [v, ""]
        else:
            rows = _expanded_rows(v.table)
            for i, row in enumerate(rows):
                cells = [_md_cell(c) for c in row]
                if ragged and i > 0:
                    keep = len(cells)
                    while keep > 1 and not cells[keep - 1].strip():
                        keep -= 1
                    dropped = [(i, k) for k in range(keep, len(cells)) if (i, k) in v.value_cells]
                    if dropped:
                        weak.add(v.data_rows.get(i, ""))
                    cells = cells[:keep]
                out.append("| " + " | ".join(cells) + " |")
                if i == 0:
                    out.append("|" + "|".join("---" for _ in row) + "|")
            out.append("")
    weak.discard("")
    return Rendered("\n".join(out).encode("utf-8"), "markdown", "markdown", "report.md",
                    _expand_weak(report, weak))


def _expand_weak(report: GeneratedReport, weak: set[str]) -> frozenset[str]:
    out = set()
    for w in weak:
        if w == "reviews_and_litigation/*":
            out |= {f"reviews_and_litigation/{g.key}" for g in report.form.review_groups}
        else:
            out.add(w)
    return frozenset(out)


def _display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced rendering (CJK and full-width forms two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _place_pieces(pieces: list[tuple[int, str]]) -> str:
    """A line with each text at its display column (moved right, two spaces apart, if the one
    before it runs into it)."""
    line, at = "", 0
    for x, text in sorted(pieces):
        pad = x - at if not line else max(x - at, 2)
        line += " " * pad + text
        at += pad + _display_width(text)
    return line


def _render_layout(report: GeneratedReport, noise: Noise) -> Rendered:
    """Space-aligned columns as ``pdftotext -layout`` prints a PDF (``samples/sNN_layout.txt``).

    Every cell stands at its column's place on the line, counted in display columns
    (CJK characters two wide), as the PDF's text layer puts it where it is drawn: labels
    left-aligned, headers centred over the columns they span, numbers centred or
    right-aligned in theirs (drawn per table), columns two to four spaces apart. A blank
    cell is left out (as in a PDF's text layer) unless the noise gives it a placeholder;
    long labels wrap onto the lines after the numbers.
    """
    rng = random.Random(noise.seed)
    weak: set[str] = set()
    out: list[str] = []
    for kind, v in _layout(report, noise):
        if kind != "table":
            out.extend([v, ""])
            continue
        tbl = v.table
        texts = {(c.row, c.col): _one_line(c.text).strip() for c in tbl.cells}
        n = tbl.n_cols
        width = [1] * n
        for c in tbl.cells:
            if c.col_span == 1:
                width[c.col] = max(width[c.col], _display_width(texts[c.row, c.col]))
        gaps = [rng.randrange(2, 5) for _ in range(n)]
        for c in sorted(tbl.cells, key=lambda c: c.col_span):  # a spanning cell widens its last column
            if c.col_span > 1:
                have = sum(width[c.col:c.col + c.col_span]) + sum(gaps[c.col:c.col + c.col_span - 1])
                width[c.col + c.col_span - 1] += max(0, _display_width(texts[c.row, c.col]) - have)
        x = [rng.randrange(0, 4)]
        for k in range(n):
            x.append(x[k] + width[k] + gaps[k])
        right = rng.random() < 0.5
        grid = _dense(tbl)
        wrap = noise.label_breaks
        for r, line in enumerate(grid):
            pieces: list[tuple[int, str]] = []
            tail: list[tuple[int, str]] = []
            has_values = any((r, k) in v.value_cells for k in range(n))
            for k, c in enumerate(line):
                if c is None or (c.row, c.col) != (r, k):
                    continue
                text = texts[r, k]
                if (r, k) in v.value_cells and not text:
                    weak.add(v.data_rows.get(r, ""))
                if not text:
                    continue
                span = x[k + c.col_span] - gaps[k + c.col_span - 1] - x[k]
                free = span - _display_width(text)
                if (r, k) in v.value_cells:
                    pieces.append((x[k] + (free if right else free // 2), text))
                elif not has_values and k >= v.first_value_col:  # a column header
                    pieces.append((x[k] + free // 2, text))
                elif wrap and has_values and len(text) > wrap:  # a long label wraps after its numbers
                    pieces.append((x[k], text[:wrap]))
                    tail += [(x[k], text[i:i + wrap]) for i in range(wrap, len(text), wrap)]
                else:
                    pieces.append((x[k], text))
            if pieces:
                out.append(_place_pieces(pieces).rstrip())
            out.extend(_place_pieces([t]).rstrip() for t in tail)
            if rng.random() < 0.5:
                out.append("")
        out.append("")
    weak.discard("")
    return Rendered("\n".join(out).encode("utf-8"), "text-layout", "text", "report.txt", _expand_weak(report, weak))


def _html_text(text: str, wrap: bool) -> str:
    body = "<br/>".join(_html.escape(part) for part in text.split("\n"))
    return f'<p><span style="font-family:仿宋_GB2312">{body}</span></p>' if wrap else body


def _render_html(report: GeneratedReport, noise: Noise) -> Rendered:
    """A CMS page: ``<table border=1>`` with rowspan/colspan, ``<p><span>`` in cells, optionally GB18030."""
    rng = random.Random(noise.seed)
    wrap = rng.random() < 0.5
    gb = rng.random() < 0.25
    charset = "gb18030" if gb else "utf-8"
    out = [f'<html><head><meta charset="{charset}"><title>{_html.escape(report.agency)}{report.year}年政府信息公开'
           f"工作年度报告</title></head><body>"]
    for kind, v in _layout(report, noise):
        if kind == "title":
            out.append(f'<h2 style="text-align:center">{_html.escape(v)}</h2>')
        elif kind == "heading":
            out.append(f"<p><strong>{_html.escape(v)}</strong></p>")
        elif kind == "para":
            out.append(f"<p>{_html.escape(v)}</p>")
        else:
            out.append('<table border="1" cellspacing="0" style="border-collapse:collapse">')
            for row in v.table.rows():
                tds = []
                for c in row:
                    attrs_ = ""
                    if c.row_span > 1:
                        attrs_ += f' rowspan="{c.row_span}"'
                    if c.col_span > 1:
                        attrs_ += f' colspan="{c.col_span}"'
                    tds.append(f"<td{attrs_}>{_html_text(c.text, wrap)}</td>")
                out.append("<tr>" + "".join(tds) + "</tr>")
            out.append("</table>")
    out.append("</body></html>")
    text = "\n".join(out)
    return Rendered(text.encode(charset), "html", "html", "report.html")


_PDF_LOCK = threading.Lock()


def _render_pdf(report: GeneratedReport, noise: Noise) -> Rendered:
    """A ruled PDF (reportlab, CID font STSong-Light): merged cells as spans, wrapped labels."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph as RLParagraph
    from reportlab.platypus import SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus.doctemplate import LayoutError

    font = "STSong-Light"
    with _PDF_LOCK:
        if font not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=12, leading=18)
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=22, alignment=1)
    cell = ParagraphStyle("cell", fontName=font, fontSize=7, leading=8.5, wordWrap="CJK", alignment=1)

    def para(text: str, style: ParagraphStyle) -> RLParagraph:
        return RLParagraph("<br/>".join(_html.escape(p) for p in text.split("\n")), style)

    page_w = A4[0] - 2 * 40
    story: list[Any] = []
    for kind, v in _layout(report, noise):
        if kind == "title":
            story.append(para(v, title))
        elif kind == "heading":
            story.append(para(v, head))
        elif kind == "para":
            story.append(para(v, body))
        else:
            tbl = v.table
            n_label = v.first_value_col
            n_val = tbl.n_cols - n_label
            value_w = min(40.0, page_w / n_val) if v.key != "active_disclosure" else (page_w - 150) / n_val
            shares = {3: [0.22, 0.32, 0.46], 1: [1.0]}.get(n_label, [1.0 / max(1, n_label)] * n_label)
            widths = [s * (page_w - value_w * n_val) for s in shares] + [value_w] * n_val
            data: list[list[Any]] = [["" for _ in range(tbl.n_cols)] for _ in range(tbl.n_rows)]
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            for c in tbl.cells:
                data[c.row][c.col] = para(c.text, cell) if c.text else ""
                if c.row_span > 1 or c.col_span > 1:
                    style.append(("SPAN", (c.col, c.row), (c.last_col, c.last_row)))
            story.append(RLTable(data, colWidths=widths, style=TableStyle(style)))
            story.append(Spacer(1, 8))
    # A4; a table whose merged cells cannot be split across pages and do not fit on
    # one (a 三、本年度办理结果 cell spanning 25 tall rows) gets a taller page instead.
    height = A4[1]
    for _ in range(4):
        buf = io.BytesIO()
        doc = SimpleDocTemplate(buf, pagesize=(A4[0], height), leftMargin=40, rightMargin=40, topMargin=40,
                                bottomMargin=40, title=f"{report.agency}{report.year}年政府信息公开工作年度报告",
                                invariant=1)
        try:
            doc.build(copy.deepcopy(story))
        except LayoutError:
            height *= 2
            continue
        return Rendered(buf.getvalue(), "pdf", "pdf", "report.pdf")
    raise RuntimeError("gxparse.testing: the report does not fit on a page 8 times as tall as A4")


# ---------------------------------------------------------------------------
# Word (.docx)
# ---------------------------------------------------------------------------

_WORD_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"'
)
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_WORD_STYLES = (
    '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>'
    '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="标题 2"/><w:basedOn w:val="Normal"/></w:style>'
    '<w:style w:type="character" w:styleId="Secret"><w:name w:val="Secret"/><w:rPr><w:vanish/></w:rPr></w:style>'
    '</w:styles>'
)
_WORD_NUMBERING = (
    '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="%1、"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '</w:numbering>'
)


def docx_package(body: str, *, styles: str | None = _WORD_STYLES, numbering: str | None = None,
                 parts: Mapping[str, bytes] | None = None,
                 relationships: Sequence[tuple[str, str, str]] = ()) -> bytes:
    """A .docx package around ``body`` (the WordprocessingML inside ``<w:body>``).

    ``styles`` and ``numbering`` are the parts' XML (None leaves the part out);
    ``parts`` adds more parts by name, or replaces the ones written here
    (``word/document.xml`` itself); ``relationships`` adds document
    relationships ``(id, type, target)`` (a target starting ``http`` is
    written ``TargetMode="External"``). For tests of Word readers.
    """
    import zipfile

    rels = []
    overrides = ['<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                 'officedocument.wordprocessingml.document.main+xml"/>']
    if styles is not None:
        rels.append(f'<Relationship Id="rIdS" Type="{_REL_TYPE}styles" Target="styles.xml"/>')
    if numbering is not None:
        rels.append(f'<Relationship Id="rIdN" Type="{_REL_TYPE}numbering" Target="numbering.xml"/>')
    for rid, rtype, target in relationships:
        mode = ' TargetMode="External"' if target.startswith(("http:", "https:", "file:")) else ""
        rels.append(f'<Relationship Id="{rid}" Type="{_REL_TYPE}{rtype}" Target="{_html.escape(target)}"{mode}/>')
    rel_ns = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
    parts = dict(parts or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        def write(name: str, data: str | bytes) -> None:
            zf.writestr(name, parts.pop(name, data))

        write("[Content_Types].xml",
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.'
                    'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType='
                    '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                    'ContentType="application/xml"/>' + "".join(overrides) + "</Types>")
        write("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships {rel_ns}>'
                    f'<Relationship Id="rId1" Type="{_REL_TYPE}officeDocument" Target="word/document.xml"/>'
                    "</Relationships>")
        write("word/document.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    f"<w:document {_WORD_NAMESPACES}><w:body>{body}<w:sectPr/></w:body></w:document>")
        write("word/_rels/document.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?>'
                    f'<Relationships {rel_ns}>{"".join(rels)}</Relationships>')
        if styles is not None:
            write("word/styles.xml", styles)
        if numbering is not None:
            write("word/numbering.xml", numbering)
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _w_text(text: str) -> str:
    return f'<w:t xml:space="preserve">{_html.escape(text, quote=False)}</w:t>'


class _WordWriter:
    """Writes runs the ways Word documents carry text: split runs, hidden runs, revisions, fields,
    content controls. Every choice comes from ``rng``; nothing it adds changes the visible text."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.hidden = 0  # places holding hidden text (the reader notes at most 20 of them one by one)

    def runs(self, text: str, *, allow_hidden: bool = True) -> tuple[str, bool]:
        """WordprocessingML runs showing ``text`` (line breaks as ``<w:br/>``); and whether hidden text was added."""
        rng = self.rng
        out: list[str] = []
        hid = False
        pieces = text.split("\n")
        for k, piece in enumerate(pieces):
            if k:
                out.append("<w:r><w:br/></w:r>")
            cut = sorted({rng.randrange(len(piece) + 1) for _ in range(rng.randrange(3))}) if piece else []
            bounds = [0, *cut, len(piece)]
            for a, b in itertools.pairwise(bounds):
                if a == b:
                    continue
                part = piece[a:b]
                roll = rng.random()
                if roll < 0.08 and part.strip().isdigit():  # a field whose result is the number
                    out.append('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space='
                               f'"preserve"> = {int(part) + 5} - 5 </w:instrText></w:r><w:r><w:fldChar '
                               f'w:fldCharType="separate"/></w:r><w:r>{_w_text(part)}</w:r><w:r><w:fldChar '
                               'w:fldCharType="end"/></w:r>')
                elif roll < 0.14:
                    out.append(f'<w:fldSimple w:instr=" QUOTE {len(part)} "><w:r>{_w_text(part)}</w:r></w:fldSimple>')
                elif roll < 0.24:  # an inserted revision, next to a deleted one
                    out.append(f'<w:del w:id="1" w:author="审核"><w:r><w:delText>{rng.randrange(10)}</w:delText>'
                               f'</w:r></w:del><w:ins w:id="2" w:author="审核"><w:r>{_w_text(part)}</w:r></w:ins>')
                elif roll < 0.30:
                    out.append(f"<w:sdt><w:sdtPr/><w:sdtContent><w:r>{_w_text(part)}</w:r></w:sdtContent></w:sdt>")
                else:
                    out.append(f"<w:r><w:rPr><w:sz w:val=\"21\"/></w:rPr>{_w_text(part)}</w:r>")
            if allow_hidden and self.hidden < 20 and rng.random() < 0.04:
                how = '<w:vanish/>' if rng.random() < 0.5 else '<w:rStyle w:val="Secret"/>'
                out.insert(rng.randrange(len(out) + 1),
                           f"<w:r><w:rPr>{how}</w:rPr>{_w_text(str(rng.randrange(1, 10)))}</w:r>")
                self.hidden += 1
                hid = True
        return "".join(out), hid

    def paragraph(self, text: str, ppr: str = "", *, allow_hidden: bool = True) -> tuple[str, bool]:
        runs, hid = self.runs(text, allow_hidden=allow_hidden)
        return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>", hid


def _render_docx(report: GeneratedReport, noise: Noise) -> Rendered:
    """A Word document: tables with gridSpan/vMerge spans, runs split at random, hidden runs
    (``w:vanish``, a hidden character style), revisions (``w:del``/``w:ins``), fields, content
    controls, headings by style or by automatic 一、 numbering, the title in a text box."""
    rng = random.Random(noise.seed)
    writer = _WordWriter(rng)
    body: list[str] = []
    findings: set[tuple[str, str]] = set()
    n_par = n_tbl = 0
    numbered = rng.random() < 0.3
    for kind, v in _layout(report, noise):
        if kind == "table":
            n_tbl += 1
            body.append(_docx_table(v.table, writer, n_tbl, findings))
            if rng.random() < 0.5:  # the empty paragraph Word keeps after a table
                body.append("<w:p/>")
                n_par += 1
            continue
        n_par += 1
        if kind == "title":
            style = rng.choice(["Title", "Heading2", ""])
            ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
            if rng.random() < 0.3:  # in a text box (DrawingML, with the VML fallback Word writes too)
                inner, _ = writer.paragraph(v, allow_hidden=False)
                box = f"<w:txbxContent>{inner}</w:txbxContent>"
                body.append(f'<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
                            f'<a:graphic><a:graphicData><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp>'
                            f'</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback>'
                            f'<w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>'
                            f'</mc:AlternateContent></w:r></w:p>')
                continue
            xml, hid = writer.paragraph(v, ppr)
        elif kind == "heading":
            if numbered and "、" in v:
                xml, hid = writer.paragraph(v.split("、", 1)[1], '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/>'
                                                                '</w:numPr>')
            else:
                style = rng.choice(["Heading2", "a3", ""])
                xml, hid = writer.paragraph(v, f'<w:pStyle w:val="{style}"/>' if style else "")
        else:
            xml, hid = writer.paragraph(v)
        body.append(xml)
        if hid:
            findings.add(("hidden-text", f"paragraph {n_par}"))
    data = docx_package("".join(body), numbering=_WORD_NUMBERING if numbered else None)
    return Rendered(data, "docx", "docx", "report.docx", findings=frozenset(findings))


def _docx_table(table: Table, writer: _WordWriter, number: int, findings: set[tuple[str, str]]) -> str:
    """A table on the grid of ``table``: gridSpan for column spans, vMerge restart/continue for row spans."""
    rng = writer.rng
    grid = table.grid()
    out = ['<w:tbl><w:tblPr><w:tblBorders><w:insideH w:val="single"/></w:tblBorders></w:tblPr><w:tblGrid>',
           '<w:gridCol w:w="900"/>' * table.n_cols, "</w:tblGrid>"]
    for r, line in enumerate(grid):
        out.append("<w:tr>")
        k = c = 0
        while c < table.n_cols:
            cell = line[c]
            k += 1
            if cell is None:
                out.append("<w:tc><w:p/></w:tc>")
                c += 1
                continue
            props = f'<w:gridSpan w:val="{cell.col_span}"/>' if cell.col_span > 1 else ""
            if cell.row_span > 1:
                props += '<w:vMerge w:val="restart"/>' if cell.row == r else "<w:vMerge/>"
            tcpr = f"<w:tcPr>{props}</w:tcPr>" if props else ""
            if cell.row != r:
                out.append(f"<w:tc>{tcpr}<w:p/></w:tc>")
            elif "\n" in cell.text and rng.random() < 0.5:  # a line break as paragraphs of the cell
                paras = []
                hid_any = False
                for part in cell.text.split("\n"):
                    xml, hid = writer.paragraph(part)
                    paras.append(xml)
                    hid_any |= hid
                out.append(f"<w:tc>{tcpr}{''.join(paras)}</w:tc>")
                if hid_any:
                    findings.add(("hidden-text", f"table {number}, row {r + 1}, cell {k}"))
            else:
                xml, hid = writer.paragraph(cell.text)
                if rng.random() < 0.05:  # a cell-level content control
                    xml = f"<w:sdt><w:sdtContent><w:tc>{tcpr}{xml}</w:tc></w:sdtContent></w:sdt>"
                    out.append(xml)
                else:
                    out.append(f"<w:tc>{tcpr}{xml}</w:tc>")
                if hid:
                    findings.add(("hidden-text", f"table {number}, row {r + 1}, cell {k}"))
            c += cell.col_span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    xml = "".join(out)
    if rng.random() < 0.15:  # the whole table in a block-level content control
        xml = f"<w:sdt><w:sdtPr/><w:sdtContent>{xml}</w:sdtContent></w:sdt>"
    return xml


_TEXT_NOISE = _COMMON_NOISE

#: Every built-in format and flavour a report is published in.
FLAVOURS: Mapping[str, Flavour] = {f.name: f for f in (
    Flavour("text-cells", "text", "txt", "one cell per line, blank lines are empty cells (samples/sNN.txt)",
            _TEXT_NOISE | {"label_breaks"}, _render_text_cells),
    Flavour("text-tab-cells", "text", "txt", "tab-indented cells, rows separated by blank lines (seed 000)",
            _TEXT_NOISE | {"caption"}, _render_text_tab_cells),
    Flavour("text-tab-rows", "text", "txt", "tab-separated rows (seeds 002, 003)",
            _TEXT_NOISE | {"caption"}, _render_text_tab_rows),
    Flavour("text-layout", "text", "txt", "space-aligned columns like pdftotext -layout (samples/sNN_layout.txt)",
            _TEXT_NOISE | {"label_breaks"}, _render_layout),
    Flavour("pipe-cells", "pipe", "txt", "`cell |` per line with `|||` placeholders (seed 001)",
            _TEXT_NOISE | {"caption"}, _render_pipe_cells),
    Flavour("pipe-rows", "pipe", "txt", "`| a | b | c |` rows without a markdown separator",
            _TEXT_NOISE, _render_pipe_rows),
    Flavour("markdown", "markdown", "md", "GFM tables, ragged rows (seed 004)",
            _TEXT_NOISE | {"caption", "label_breaks"}, _render_markdown),
    Flavour("html", "html", "html", "HTML tables with rowspan/colspan (samples/sNN.html)",
            _TEXT_NOISE | {"caption", "label_breaks"}, _render_html),
    Flavour("docx", "docx", "docx", "a Word document: gridSpan/vMerge spans, split runs, hidden text, revisions, "
            "fields, content controls (samples/sNN.docx)", _TEXT_NOISE | {"caption", "label_breaks"}, _render_docx),
    Flavour("pdf", "pdf", "pdf", "a ruled PDF with merged cells (reportlab)",
            _TEXT_NOISE | {"label_breaks"}, _render_pdf),
)}


def render(report: GeneratedReport, flavour: str, noise: Noise | None = None) -> Rendered:
    """Write ``report`` as a document in ``flavour`` (a key of :data:`FLAVOURS`)."""
    try:
        fl = FLAVOURS[flavour]
    except KeyError:
        raise KeyError(f"unknown flavour {flavour!r} (known: {', '.join(FLAVOURS)})") from None
    noise = noise or Noise()
    out = fl.renderer(report, noise)
    reviews = _ambiguous_reviews(report, noise)
    if reviews - out.weak_rows:
        out = attrs.evolve(out, weak_rows=out.weak_rows | reviews)
    return out


def _ambiguous_reviews(report: GeneratedReport, noise: Noise) -> frozenset[str]:
    """The 行政复议/诉讼 values, when a blank at one end meets the extra empty cells.

    When the header's words are not matched cell by cell, the values are placed in
    order, and the header row's empty extra cell reads as a leading blank: with the
    first or last value blank, two placements differ by one column. The invariants
    choose between them unless all the numbers are equal (a report of zeros): then
    both give the same numbers and only which cell counts as derived differs.
    """
    if not noise.extra_cells:
        return frozenset()
    t = report.form
    ends = (f"reviews_and_litigation/{t.review_groups[0].key}/{t.review_columns[0].key}",
            f"reviews_and_litigation/{t.review_groups[-1].key}/{t.review_columns[-1].key}")
    return _expand_weak(report, {"reviews_and_litigation/*"}) if any(p in noise.blanks for p in ends) \
        else frozenset()


def to_document(report: GeneratedReport, noise: Noise | None = None, adapter: str = "hypothesis") -> Document:
    """The report as a core-model :class:`~gxparse.Document`, with no file format in between.

    The tables are the official grid (with the noise's labels, blanks, split
    headers, extra cells and captions; merged cells as spans), everything else
    paragraphs and headings. Feed it to :func:`gxparse.map_document` to test the
    mapper and the validator alone, or compare it with what an adapter made of
    a rendering.
    """
    blocks: list[Paragraph | Table] = []
    for i, (kind, v) in enumerate(_layout(report, noise or Noise())):
        prov = Provenance(adapter, lines=(i + 1, i + 1))
        if kind == "table":
            blocks.append(Table(v.table.cells, provenance=prov))
        else:
            level = {"title": 1, "heading": 2}.get(kind)
            blocks.append(Paragraph(v, prov, level))
    return Document(blocks, adapter=adapter)


# ---------------------------------------------------------------------------
# strategies: noise for a flavour
# ---------------------------------------------------------------------------

@st.composite
def noises(draw: Callable[[st.SearchStrategy[Any]], Any], report: GeneratedReport,
           flavour: str | Flavour | None = None, *, blanks: bool = True, typos: bool = True) -> Noise:
    """Noise for ``report`` as ``flavour`` can carry it (all kinds when ``flavour`` is None).

    ``blanks=False`` or ``typos=False`` leave those out (e.g. for a broken
    report, whose blank cells would not be determined the usual way).
    """
    kinds = _COMMON_NOISE | {"label_breaks", "caption"}
    if flavour is not None:
        kinds = (FLAVOURS[flavour] if isinstance(flavour, str) else flavour).noise
    t = report.form
    n: dict[str, Any] = {}
    if "width" in kinds:
        n["width"] = draw(st.sampled_from(["official", "half", "full"]))
    if "full_width_digits" in kinds:
        n["full_width_digits"] = draw(st.integers(0, 4)) == 4
    if "label_spaces" in kinds:
        n["label_spaces"] = draw(st.booleans())
    if "label_breaks" in kinds and draw(st.booleans()):
        n["label_breaks"] = 12 - draw(st.integers(0, 8))  # shrinks to the widest lines
    collapse = "collapse_other" in kinds and bool(t.group_items("results.other")) and draw(st.integers(0, 3)) == 3
    n["collapse_other"] = collapse
    if typos and "typos" in kinds:
        usable = [ty for ty in TYPOS if ty.applies_to(t)
                  and not (collapse and ty.kind == "row" and t.app_row(ty.key).group == "results.other")]
        n["typos"] = tuple(ty for ty in usable if draw(st.integers(0, 3)) == 3)
    if blanks and "blanks" in kinds:
        n["blanks"] = draw(_blank_sets(report, Noise(collapse_other=collapse)))
    if "blank_mark" in kinds:
        n["blank_mark"] = draw(st.sampled_from(["", "", "—", "-", "/"]))
    for flag in ("split_header", "extra_cells", "caption"):
        if flag in kinds:
            n[flag] = draw(st.integers(0, 2)) == 2
    n["seed"] = draw(st.integers(0, 2**16))
    return Noise(**n)


def _blank_sets(report: GeneratedReport, noise: Noise) -> st.SearchStrategy[frozenset[str]]:
    paths = rendered_paths(report, noise)
    totals = [p for p in paths if p.endswith("/total")]
    rows = sorted({p.rsplit("/", 1)[0] for p in paths if p.startswith("applications/")})

    @st.composite
    def blank_set(draw: Callable[[st.SearchStrategy[Any]], Any]) -> frozenset[str]:
        mode = draw(st.integers(0, 5))
        if mode <= 1:
            return frozenset()
        if mode == 2:  # blank 总计 cells
            return frozenset(draw(st.lists(st.sampled_from(totals), min_size=1, max_size=4)))
        if mode == 3:  # a whole row left blank
            row = draw(st.sampled_from(rows))
            return frozenset(p for p in paths if p.rsplit("/", 1)[0] == row)
        return frozenset(draw(st.lists(st.sampled_from(paths), min_size=1, max_size=5)))

    return blank_set()
