"""Render a :class:`gxparse.Table` as the HTML a CMS editor or an office suite would write.

Used by the HTML adapter's property tests, and meant to be reused by any
property-based suite that needs HTML pages with a known grid::

    from _html_render import render_html_table, render_html_page, canonical_cells

    html = render_html_page([render_html_table(table, random.Random(3))])
    doc = HtmlAdapter().extract(Source.from_bytes(html.encode("utf-8")))
    assert canonical_cells(doc.tables[0]) == canonical_cells(table)

The rendering is faithful: a browser (and the HTML adapter) shows exactly
``table``'s grid and texts. Noise is drawn from ``rnd``: ``<p>`` per line or
``<br>`` between lines, text split over ``<span>``/``<font>``/``<o:p>``,
``&nbsp;`` and source line breaks as padding, ``<th>`` for some cells,
``colspan="1"`` written out or not, quoted or bare attribute values, style
attributes, blank ``<p>&nbsp;</p>`` lines, an optional ``<tbody>``, and entity
escapes for ``& < > "``.

Requirements on ``table`` (checked by :func:`check_renderable`): every row of
its grid from 0 to ``n_rows - 1`` holds its cells left to right with no gap
before a cell (HTML cannot leave a slot empty in the middle of a row); cell
texts are lines without leading/trailing white space, runs of white space or
blank lines (what a reader sees).
"""

from __future__ import annotations

import html
import random
from collections.abc import Sequence

from gxparse import Cell, Table

__all__ = ["canonical_cells", "check_renderable", "render_html_page", "render_html_table"]


def canonical_cells(table: Table) -> list[tuple[int, int, int, int, str]]:
    """``(row, col, row_span, col_span, text)`` for every cell, in row-major order."""
    return [(c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells]


def check_renderable(table: Table) -> None:
    """Raise ``ValueError`` if HTML cannot express ``table`` exactly (see the module docstring)."""
    grid = table.grid()
    for r, row in enumerate(table.rows()):
        for cell in row:
            for c in range(cell.col):
                if grid[r][c] is None:
                    raise ValueError(f"row {r}: empty slot at column {c} before the cell at column {cell.col}")
        for cell in row:
            for line in cell.text.split("\n") if cell.text else []:
                if not line or line != line.strip() or "  " in line or "\t" in line:
                    raise ValueError(f"cell ({cell.row},{cell.col}): text {cell.text!r} is not as a reader sees it")
    if table.n_cols and not any(c.col == table.n_cols - 1 for c in table.cells):
        raise ValueError("no cell starts in the last column (the adapter trims such a column)")


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _attr(name: str, value: int, rnd: random.Random) -> str:
    form = rnd.randrange(4)
    if form == 0:
        return f' {name}="{value}"'
    if form == 1:
        return f" {name}={value}"
    if form == 2:
        return f" {name}='{value}'"
    return f' {name}=" {value} "'


def _render_line(line: str, rnd: random.Random) -> str:
    """One line of text, split over inline wrappers at random points."""
    if len(line) > 1 and rnd.random() < 0.5:
        cut = rnd.randrange(1, len(line))  # inline wrappers do not change the text, wherever they cut
        left, right = line[:cut], line[cut:]
        wrap = rnd.choice(["<span>{}</span>", "<font face=\"仿宋_GB2312\">{}</font>", "<b>{}</b>", "{}"])
        return wrap.format(_escape(left)) + rnd.choice(["<span>{}</span>", "{}"]).format(_escape(right))
    return rnd.choice(["{}", "<span style=\"font-size:10.5pt\">{}</span>", "{}<o:p></o:p>"]).format(_escape(line))


def _pad(rnd: random.Random) -> str:
    return rnd.choice(["", "", " ", "&nbsp;", "\n   ", " &nbsp; &nbsp;", "\n&nbsp;&nbsp;\n"])


def _render_text(text: str, rnd: random.Random) -> str:
    lines = text.split("\n") if text else []
    if not lines:
        return rnd.choice(["", "&nbsp;", "<p>&nbsp;</p>", "<p><o:p></o:p></p>", "\n"])
    style = rnd.randrange(3)
    parts = []
    if style == 0:  # one <p> per line, maybe blank paragraphs in between
        for line in lines:
            parts.append(f"<p>{_pad(rnd)}{_render_line(line, rnd)}{_pad(rnd)}</p>")
            if rnd.random() < 0.15:
                parts.append("<p>&nbsp;</p>")
        return rnd.choice(["", "\n"]).join(parts)
    if style == 1:  # <br> between lines, inside one <p> or bare
        sep = rnd.choice(["<br>", "<br/>", "<br />\n", "<br>&nbsp;"])
        body = sep.join(_render_line(line, rnd) for line in lines)
        return f"<p>{body}</p>" if rnd.random() < 0.5 else _pad(rnd) + body + _pad(rnd)
    # <div> per line
    return "".join(f"<div>{_render_line(line, rnd)}</div>" for line in lines)


def render_html_table(table: Table, rnd: random.Random | None = None) -> str:
    """``table`` as an HTML ``<table>`` with the noise described in the module docstring."""
    rnd = rnd or random.Random(0)
    rows: Sequence[Sequence[Cell]] = table.rows()
    out = ['<table border="1" cellspacing="0" style="border-collapse:collapse">']
    tbody = rnd.random() < 0.5
    if tbody:
        out.append("<tbody>")
    for row in rows:
        tr = rnd.choice(["<tr>", '<tr style="height:20pt">', "<tr class=\"row\">"])
        cells = []
        for cell in row:
            tag = "th" if rnd.random() < 0.2 else "td"
            attrs = ""
            if cell.row_span > 1 or rnd.random() < 0.1:
                attrs += _attr("rowspan", cell.row_span, rnd)
            if cell.col_span > 1 or rnd.random() < 0.1:
                attrs += _attr("colspan", cell.col_span, rnd)
            if rnd.random() < 0.3:
                attrs += ' valign="center" style="border:1px solid #000;padding:2px"'
            cells.append(f"<{tag}{attrs}>{_render_text(cell.text, rnd)}</{tag}>")
        out.append(tr + rnd.choice(["", "\n", "\n  "]).join(cells) + "</tr>")
    if tbody:
        out.append("</tbody>")
    out.append("</table>")
    return rnd.choice(["\n", ""]).join(out)


def render_html_page(bodies: Sequence[str], *, title: str = "", charset: str = "utf-8") -> str:
    """A whole page around rendered fragments."""
    head = f'<meta charset="{charset}">' + (f"<title>{_escape(title)}</title>" if title else "")
    return f"<!DOCTYPE html>\n<html><head>{head}</head><body>\n" + "\n".join(bodies) + "\n</body></html>\n"
