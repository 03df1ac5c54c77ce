"""HTML: web pages, CMS article fragments and Word's "Save as Web Page" output.

The adapter parses the page with lxml's libxml2 HTML parser (no network, no
DTD, no entity expansion) and walks the tree itself:

* Tables become :class:`~gxparse.Table` objects on their true grid: rowspan
  and colspan are resolved with the HTML table model (slots occupied by
  earlier rowspans are skipped), so a number's column is its header's column.
  Every visible ``<td>``/``<th>`` becomes a :class:`~gxparse.Cell`, empty ones
  as ``""``. Absurd spans are clamped (colspan to 1000, rowspan to the rows
  left in its row group, a colspan reaching beyond the last column in which
  any cell starts to that column).
* Cell and paragraph text is the text a reader sees: CSS white-space
  collapsing (a source line break between two CJK characters vanishes),
  ``&nbsp;`` as a space, ``<p>``/``<div>``/``<br>`` inside a cell as ``"\\n"``,
  each line stripped, blank lines dropped. Text in ``<sup>`` (or ``vertical-align:super``)
  is written as Unicode superscript characters (``6<sup>1</sup>`` → ``6¹``; what has no
  superscript form in ``⁽ ⁾``), text in ``<sub>`` as subscript characters (``6₁``; else
  in ``₍ ₎``), so that a footnote mark stays apart from the digits of a number.
* Text a reader cannot see is not read, with a ``hidden-text`` note naming its line:
  zero-size text and white text on no background but white (inline styles, ``bgcolor`` and
  ``<font color>``; a page whose style sheets set a coloured background keeps its white
  text), and, inside a table cell, hidden elements (noted; elsewhere dropped silently).
* Everything else becomes :class:`~gxparse.Paragraph` blocks in reading order,
  ``<h1>``…``<h6>`` with ``heading_level``. The page ``<title>`` is the first
  paragraph (heading level 1) unless the body already starts with it.
* Scripts, styles, templates, form controls, comments (including Word's
  conditional comments), the ``<head>``, hidden elements and page chrome
  (``<nav>``, ``<aside>``, page-level ``<header>``/``<footer>``, ARIA
  landmarks and ``class``/``id`` tokens such as ``footer`` or ``breadcrumb``,
  as long as they hold no table and not most of the page's text) are dropped.
* Layout tables (``role=presentation``, a single cell, or a table whose nested
  tables hold at least as many cells as itself) are read as running text, so
  the tables nested in them come out as tables of their own. A small table
  nested in a cell of a data table is emitted as its own table right after
  the outer one; the outer cell keeps only its own text.

This module knows HTML, not the report form.
"""

from __future__ import annotations

import re
from bisect import insort
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from .._errors import EmptySourceError, ExtractError, GxparseError, ResourceLimitError
from .._model import Block, Cell, Document, Note, Paragraph, Provenance, Table
from .._normalize import subscript, superscript
from .._registry import FormatAdapter
from .._source import Source, _looks_binary, wide_encoding

__all__ = [
    "MAX_ATTRIBUTES",
    "MAX_BYTES",
    "MAX_CELLS_AND_BLOCKS",
    "MAX_COLSPAN",
    "MAX_DEPTH",
    "MAX_GRID_AREA",
    "MAX_ROWSPAN",
    "MAX_TAGS",
    "HtmlAdapter",
    "clean_line",
    "declared_encoding",
    "parse_span",
    "sniff_html",
]

#: Inputs larger than this raise :class:`ResourceLimitError` before parsing.
MAX_BYTES = 50 * 1024 * 1024
#: More ``<`` characters than this (a proxy for the number of tags) is refused before parsing.
MAX_TAGS = 1_000_000
#: A tag with more attributes than this is refused (libxml2's duplicate-attribute check is quadratic).
MAX_ATTRIBUTES = 10_000
#: Element nesting deeper than this is refused (the walk is recursive; Python's own limit is 1000 frames).
MAX_DEPTH = 400
#: Cells plus blocks one document may produce.
MAX_CELLS_AND_BLOCKS = 500_000
#: Grid positions (rows x columns covered by cells, after clamping) all tables of one page may cover.
MAX_GRID_AREA = 1_000_000
#: The HTML standard's clamps.
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534

# libxml2 reports line numbers up to 65535 and saturates there.
_LINE_CAP = 65535

# -- sniffing ------------------------------------------------------------------

_STRONG_TAGS = frozenset({"html", "head", "body"})
_HTML_TAGS = frozenset(
    "a abbr address article aside b base basefont big blockquote br caption center cite code col colgroup dd del "
    "dfn dir div dl dt em fieldset figure font footer form frame frameset h1 h2 h3 h4 h5 h6 header hr i iframe img "
    "ins kbd label legend li link main map menu meta nav noscript object ol p pre q s samp script section small "
    "span strike strong style sub sup table tbody td template textarea tfoot th thead title tr tt u ul var".split()
)
_LEAD_TAG = re.compile(rb"<(!doctype\s+html|[a-z][a-z0-9]*)(?::[a-z0-9_\-]+)?(?=[\s/>])", re.IGNORECASE)
_ANY_TAG = re.compile(rb"</?[a-z][a-z0-9:]*(?:\s[^<>]{0,400})?/?>|<!--", re.IGNORECASE)
_HTML_SUFFIXES = (".htm", ".html", ".xhtml", ".shtml", ".shtm")


def _sniff_text(head: bytes) -> bytes:
    """The head as ASCII-compatible bytes (a BOM dropped, UTF-16/32 re-encoded as UTF-8)."""
    wide = wide_encoding(head) or ("utf-16-le" if head[:2] == b"<\x00" else
                                   "utf-16-be" if head[:2] == b"\x00<" else None)
    if wide is not None:
        body = head[: len(head) - len(head) % (4 if "32" in wide else 2)]
        return body.decode(wide, errors="ignore").lstrip("\ufeff").encode("utf-8", errors="ignore")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head


def _skip_prolog(text: bytes) -> bytes:
    """Drop leading whitespace, comments and an XML declaration."""
    for _ in range(1000):
        text = text.lstrip()
        if text.startswith(b"<!--"):
            end = text.find(b"-->", 4)
            if end < 0:
                return b""
            text = text[end + 3:]
        elif text.startswith(b"<?"):
            end = text.find(b">", 2)
            if end < 0:
                return b""
            text = text[end + 1:]
        else:
            return text
    return text


def sniff_html(head: bytes, name: str | None = None) -> float:
    """How sure we are that ``head`` (the first bytes of a file) is HTML.

    1.0 (certain) when the text (after a BOM, whitespace, comments and an
    XML declaration) starts with ``<!doctype html`` or ``<html``; 0.95 for
    another doctype, ``<head`` or ``<body``; 0.9 when it starts with another HTML tag (``<table``, ``<div``,
    ``<p`` …); 0.6 for an ``.htm``/``.html``/``.xhtml`` name or text in which
    markup dominates; otherwise 0. UTF-16 input is recognised.
    """
    text = _sniff_text(head)
    body = _skip_prolog(text)
    m = _LEAD_TAG.match(body)
    if m and not _looks_binary(body[:2048]):  # a cheap look first; the whole head only when in doubt
        tag = m.group(1).lower()
        if tag.startswith(b"!doctype html") or tag == b"html":
            return 1.0  # certain: detection asks no other adapter
        if tag.startswith(b"!doctype") or tag.decode("ascii") in _STRONG_TAGS:
            return 0.95
        if tag.decode("ascii") in _HTML_TAGS or m.group(0).find(b":") > 0:
            return 0.9
    if _looks_binary(text):
        return 0.0
    if name and name.lower().endswith(_HTML_SUFFIXES) and body.strip():
        return 0.6
    # Markup dominates: many tags, and tags make up a good share of the text.
    sample = body[:16384]
    tags = _ANY_TAG.findall(sample)
    if len(tags) >= 5:
        visible = len(sample) - sum(map(len, tags)) - sum(sample.count(w) for w in (b" ", b"\n", b"\t", b"\r"))
        if sum(map(len, tags)) >= max(visible, 1) * 0.5:
            return 0.6
    return 0.0


# -- encodings -------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_\-.:]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([a-z0-9_\-.:]+)""", re.IGNORECASE)
_SINGLE_BYTE_WESTERN = frozenset({"iso8859-1", "cp1252", "ascii", "iso8859-15"})  # codecs.lookup() names


def declared_encoding(data: bytes) -> str | None:
    """The encoding a page declares (or that its bytes show), for :func:`decode_bytes`.

    UTF-16 without a BOM is recognised from its NUL bytes. Otherwise the
    first ``<meta charset>``/``<meta http-equiv=Content-Type>`` in the first
    64 KiB, or an XML declaration, is used. As in browsers, a ``<meta>`` that
    claims UTF-16/32 means UTF-8 (the bytes could not have been read to find
    it otherwise). A single-byte Western declaration (ISO-8859-1, windows-1252,
    ASCII) on bytes that are not ASCII is ignored: on Chinese pages it is
    always a wrong server default, so the bytes are detected instead.
    """
    import codecs

    if data[:2] == b"<\x00":
        return "utf-16-le"
    if data[:2] == b"\x00<":
        return "utf-16-be"
    wide = wide_encoding(data[:4096])
    if wide is not None:
        return wide
    head = data[: 64 * 1024]
    m = _META_CHARSET.search(head) or _XML_ENCODING.match(head)
    if not m:
        return None
    label = m.group(1).decode("ascii", errors="ignore").strip().lower()
    if label == "x-user-defined":
        label = "windows-1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
        return "utf-8"
    if name in _SINGLE_BYTE_WESTERN and not data[:65536].isascii():
        return None
    return name


# -- text ------------------------------------------------------------------------

_CJK = "\u2e80-\u303e\u3040-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
_SPACES = re.compile(r"[ \t\n\r\f\u00a0]+")
_INVISIBLE = re.compile(r"[\u200b\ufeff\u2060\u00ad]")


@lru_cache(maxsize=1)
def _cjk_break() -> re.Pattern[str]:
    """CSS Text 3 segment-break transformation: a source line break between two East Asian wide
    characters is removed, not turned into a space. Compiled at its first use: its character
    classes take ~3 ms to compile, which every ``gxparse`` command would pay on start (the
    registry imports every adapter)."""
    return re.compile(rf"(?<=[{_CJK}])[ \t\r\f]*\n[ \t\r\n\f]*(?=[{_CJK}])")


def clean_line(text: str) -> str:
    """One line of text as a browser shows it: white space collapsed, ``&nbsp;`` a space, stripped."""
    if text.isalnum():  # the common cell ("本年新制作数量", "14"): no space, nothing invisible, nothing to do
        return text
    if "\n" in text:
        text = _cjk_break().sub("", text)
    text = _SPACES.sub(" ", text)
    if "\u200b" in text or "\ufeff" in text or "\u2060" in text or "\u00ad" in text:
        text = _INVISIBLE.sub("", text)
    return text.strip()


class _Text:
    """Accumulates text pieces and hard line breaks, with their source lines."""

    __slots__ = ("first", "last", "lines")

    def __init__(self) -> None:
        self.lines: list[list[str]] = [[]]
        self.first: int | None = None
        self.last: int | None = None

    def add(self, text: str, line: int | None) -> None:
        self.lines[-1].append(text)
        if line is None or text.isspace():
            return
        if "\n" in text:
            first = line + text.count("\n", 0, len(text) - len(text.lstrip()))
            last = line + text.count("\n", 0, len(text.rstrip()))
        else:
            first = last = line
        if self.first is None or first < self.first:
            self.first = first
        if self.last is None or last > self.last:
            self.last = last

    def touch(self, line: int | None) -> None:
        if line is not None:
            if self.first is None or line < self.first:
                self.first = line
            if self.last is None or line > self.last:
                self.last = line

    def brk(self) -> None:
        if self.lines[-1]:
            self.lines.append([])

    def text(self) -> str:
        out = []
        for pieces in self.lines:
            if pieces:
                line = clean_line("".join(pieces))
                if line:
                    out.append(line)
        return "\n".join(out)


# -- tree helpers -------------------------------------------------------------------

# Elements whose content is never shown as text.
_DROP = frozenset(
    "script style noscript template head title meta link base iframe frame frameset noframes object embed applet "
    "svg canvas audio video source track param img picture map area select option optgroup datalist button input "
    "textarea xml dialog colgroup col".split()
)
# Elements that break the flow: they start and end a paragraph (a line inside a cell).
_BLOCK = frozenset(
    "address article aside blockquote body center dd details dir div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr html legend li listing main menu nav ol p plaintext pre section summary ul "
    "xmp caption table tr td th thead tbody tfoot".split()
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SECTIONING = frozenset({"article", "main", "section", "aside", "nav"})
_CHROME_TAGS = frozenset({"nav", "aside", "header", "footer"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menubar"})
_CHROME_TOKENS = frozenset(
    "nav navbar navigation menu mainmenu breadcrumb breadcrumbs crumb crumbs sidebar header footer foot bottom "
    "copyright toolbar site-header site-footer site-nav".split()
)
_HIDDEN_STYLE = re.compile(r"(?<![\w-])(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|mso-hide\s*:\s*all)")
# Words without which no element of a page can be hidden (display:none, visibility, hidden, mso-hide).
_HIDING_WORDS = (b"none", b"hidden", b"visibility", b"mso-hide")


def _may_hide(data: bytes, low: bytes | None = None) -> bool:
    """Cheap test on the whole page (``low``: the page lower-cased, if at hand): can any element be hidden
    at all? (Skips the per-element checks.)"""
    if low is None:
        low = data.lower()  # ASCII only, at C speed
    return any(word in low for word in _HIDING_WORDS)
# Elements that take a cell off the fast path (see _Walker._simple_cell).
_NOT_SIMPLE = _DROP | {"br", "table", "pre", "sup", "sub"}
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_CELLS = frozenset({"td", "th"})
_TABLE_PARTS = frozenset({"tr", "td", "th", "thead", "tbody", "tfoot"})

_Row = tuple[Any, list[Any]]  # (<tr> element, or None for an implied row; its cell elements)
_Stray = Any  # content of a table outside its cells: an element, or bare text (a str)

def _line(el: Any) -> int | None:
    """The element's 1-based source line, or None where libxml2 does not know it (it saturates at 65535)."""
    line = el.sourceline
    if line is None or line < 1 or line >= _LINE_CAP:
        return None
    return int(line)


def _hidden(el: Any) -> bool:
    """``hidden``, ``aria-hidden="true"``, or an inline style that hides the element."""
    keys = el.keys()
    if not keys:
        return False
    if "hidden" in keys:
        return True
    if "aria-hidden" in keys and el.get("aria-hidden", "").strip().lower() == "true":
        return True
    if "style" not in keys:
        return False
    style = el.get("style", "")
    return _short_style_hides(style) if len(style) <= 512 else _style_hides(style)


def _style_hides(style: str) -> bool:
    """Does an inline style hide its element?"""
    style = style.lower()
    if "none" in style or "hid" in style or "collapse" in style:
        return _HIDDEN_STYLE.search(style) is not None
    return False


# Word gives the cells of a table the same few styles (with "border-top:none" in them): cache the answer for
# styles of ordinary length (at most 1024 x 512 characters kept).
_short_style_hides = lru_cache(maxsize=1024)(_style_hides)

# -- raised, lowered and invisible text
#
# Text set as superscript or subscript (<sup>, <sub>, vertical-align) goes in as Unicode superscript or
# subscript characters, so that a footnote mark is never read as a digit of the number beside it. Text no
# reader can see is not read: zero-size text, and white text on no explicit background but white (inline
# styles, bgcolor). A page whose style sheets set a background other than white may show white text on it,
# so white text there is read as before (the adapter does not apply style sheets).

_VALIGN = re.compile(r"(?<![\w-])vertical-align\s*:\s*(super|sub)\b")
_COLOR = re.compile(r"(?<![\w-])color\s*:\s*([^;!]+)")
_ZERO_SIZE = re.compile(r"(?<![\w-])font-size\s*:\s*(?:0+(?:\.0*)?|\.0+)(?:px|pt|em|rem|ex|%)?\s*(?:[;!]|$)")
_BACKGROUND = re.compile(r"(?<![\w-])background(?:-color)?\s*:\s*([^;!}]+)")
_WHITE = frozenset({"white", "#fff", "#ffffff", "#ffff", "#ffffffff", "rgb(255,255,255)", "rgba(255,255,255,1)",
                    "rgba(255,255,255,1.0)"})
_NO_BACKGROUND = frozenset({"transparent", "none", "inherit", "initial", "unset"})
# Without one of these (in the lower-cased page) no text of it is raised, lowered or white ...
_STYLE_WORDS = (b"<sup", b"<sub", b"vertical-align", b"white", b"#fff", b"255")
# ... or of zero size.
_ZERO_SIZE_BYTES = re.compile(rb"font-size\s*:\s*\.?0(?![.\d])")


def _may_style(low: bytes) -> bool:
    """Cheap test on the whole (lower-cased) page: can any text be raised, lowered, white or of zero size?"""
    return any(word in low for word in _STYLE_WORDS) or (b"font-size" in low and
                                                          _ZERO_SIZE_BYTES.search(low) is not None)


def _is_white(value: str) -> bool:
    """Is a CSS or HTML colour value white (``white``, ``#fff``, ``#FFFFFF``, ``rgb(255, 255, 255)``)?"""
    return "".join(value.split()).strip("'\"").lower() in _WHITE


@lru_cache(maxsize=1024)
def _style_effect(style: str) -> str | None:
    """What an inline style does to its text: ``"invisible"`` (zero size), ``"white"`` (white text),
    ``"super"``/``"sub"`` (raised or lowered), or None."""
    low = style.lower()
    if "font-size" in low and _ZERO_SIZE.search(low):
        return "invisible"
    if "color" in low:
        colors = _COLOR.findall(low)
        if colors and _is_white(colors[-1]):  # the last declaration wins
            return "white"
    if "vertical-align" in low:
        m = _VALIGN.search(low)
        if m:
            return m.group(1)
    return None


def _text_effect(el: Any) -> str | None:
    """``"super"``, ``"sub"``, ``"invisible"``, ``"white"`` or None for an element (see :func:`_style_effect`)."""
    tag = el.tag
    effect = None
    if el.keys():
        style = el.get("style")
        if style:
            effect = _style_effect(style) if len(style) <= 512 else _style_effect.__wrapped__(style)
        if effect is None and tag == "font" and _is_white(el.get("color") or ""):
            effect = "white"
    if effect in ("invisible", "white"):
        return effect
    if tag == "sup":
        return "super"
    if tag == "sub":
        return "sub"
    return effect


def _white_unseen(el: Any, css_background: bool) -> bool:
    """Is white text in ``el`` unseen: no background but white on it or its ancestors, no style sheet that
    may set one, and no element inside it that sets a colour of its own?"""
    if css_background:
        return False
    for inner in el.iterdescendants():
        if isinstance(inner.tag, str) and (inner.get("color") or "color" in (inner.get("style") or "").lower()):
            return False
    node = el
    while node is not None:
        bg = node.get("bgcolor")
        if bg and not _is_white(bg):
            return False
        style = node.get("style")
        if style and "background" in style.lower():
            for value in _BACKGROUND.findall(style.lower()):
                value = value.strip()
                if not (_is_white(value) or value in _NO_BACKGROUND):
                    return False
        node = node.getparent()
    return True


def _css_background(root: Any) -> bool:
    """Does a style sheet of the page set a background other than white (white text may show on it)?"""
    for el in root.iter("style"):
        for value in _BACKGROUND.findall((el.text or "").lower()):
            value = value.strip()
            if not (_is_white(value) or value in _NO_BACKGROUND):
                return True
    return False


def parse_span(value: str | None, *, zero_ok: bool) -> int:
    """HTML's "rules for parsing non-negative integers" for rowspan/colspan.

    Leading white space and a ``+`` are skipped, trailing garbage is ignored
    (``"2px"`` is 2). Missing or invalid values give 1; 0 gives 0 when
    ``zero_ok`` (``rowspan=0``: to the end of the row group), else 1.
    """
    if not value:
        return 1
    s = value.lstrip(" \t\n\r\f")
    s = s.removeprefix("+")
    n = 0
    while n < len(s) and "0" <= s[n] <= "9":
        n += 1
    if n == 0:
        return 1
    number = int(s[: min(n, 12)])  # enough digits for any clamp
    if number == 0:
        return 0 if zero_ok else 1
    return number


def _end_line(el: Any) -> int | None:
    """Best estimate of the line on which ``el`` ends (for subtrees that are skipped)."""
    end = _line(el)
    for sub in el.iter():
        line = _line(sub)
        if line is not None:
            text = sub.text
            if isinstance(text, str):
                line += text.count("\n")
            if end is None or line > end:
                end = line
    return end


def _transparent(el: Any) -> bool:
    """A non-table element that wraps table parts (a ``<form>`` around rows, say)."""
    return any(c.tag in _TABLE_PARTS for c in el if isinstance(c.tag, str))


def _parts(parent: Any, stray: list[_Stray]) -> Iterator[Any]:
    """Element children of a table, row group or row, looking through wrappers of table parts.

    Dropped and hidden wrappers are skipped; other content (elements, and
    text that is not white space) goes to ``stray``: a browser moves it
    before the table.
    """
    text = parent.text
    if text and not text.isspace():
        stray.append(text)
    for child in parent:
        tag = child.tag
        if isinstance(tag, str):
            if tag in _TABLE_PARTS or tag == "caption":
                yield child
            elif tag in _DROP or _hidden(child):
                pass
            elif _transparent(child):
                yield from _parts(child, stray)
            else:
                stray.append(child)
        tail = child.tail
        if tail and not tail.isspace():
            stray.append(tail)


def _rows(elements: Iterable[Any], stray: list[_Stray]) -> list[_Row]:
    """Rows from a sequence of ``<tr>`` and loose ``<td>`` elements (a run of loose cells is one row)."""
    rows: list[_Row] = []
    loose: list[Any] | None = None
    for child in elements:
        tag = child.tag
        if tag == "tr":
            loose = None
            if not _hidden(child):
                rows.append((child, _row_cells(child, stray)))
        elif tag in _CELLS:
            if loose is None:
                loose = []
                rows.append((None, loose))
            loose.append(child)
        else:
            stray.append(child)
    return [row for row in rows if not _is_ghost_row(row)]


def _row_cells(tr: Any, stray: list[_Stray]) -> list[Any]:
    """The cells among the :func:`_parts` of row ``tr``; its other parts go to ``stray``.

    The same as sorting ``_parts(tr, stray)``, with the loop over the row's
    children written out: this runs for every row of the page.
    """
    cells: list[Any] = []
    text = tr.text
    if text and not text.isspace():
        stray.append(text)
    for child in tr:
        tag = child.tag
        if tag == "td" or tag == "th":
            cells.append(child)
        elif isinstance(tag, str):
            if tag in _TABLE_PARTS or tag == "caption":
                stray.append(child)  # a row or row group inside a row
            elif tag in _DROP or _hidden(child):
                pass
            elif _transparent(child):
                for part in _parts(child, stray):
                    (cells if part.tag in _CELLS else stray).append(part)
            else:
                stray.append(child)
        tail = child.tail
        if tail and not tail.isspace():
            stray.append(tail)
    return cells


def _row_groups(table: Any, stray: list[_Stray], captions: list[Any]) -> list[list[_Row]]:
    """The table's rows by row group, in the HTML table model's order (``<tfoot>`` last).

    ``<tr>`` directly in the table and ``<td>`` directly in a table or row
    group form implied row groups and rows, as a browser's parser inserts
    them.
    """
    groups: list[list[_Row]] = []
    footers: list[list[_Row]] = []
    pending: list[Any] = []
    for child in _parts(table, stray):
        tag = child.tag
        if tag == "caption":
            captions.append(child)
        elif tag in _ROW_GROUPS:
            if pending:
                groups.append(_rows(pending, stray))
                pending = []
            if not _hidden(child):
                (footers if tag == "tfoot" else groups).append(_rows(_parts(child, stray), stray))
        else:
            pending.append(child)
    if pending:
        groups.append(_rows(pending, stray))
    return groups + footers


def _is_ghost_row(row: _Row) -> bool:
    """Word's ``<tr height=0>`` of empty cells that only fixes column widths."""
    tr, cells = row
    if tr is None or (tr.get("height") or "").strip() != "0":
        return False
    return all(not "".join(td.itertext()).strip() for td in cells)


def _is_layout_table(table: Any, own_cells: int) -> bool:
    """A table used to lay out a page rather than to hold data.

    ``role="presentation"``/``"none"``; a table with at most one cell of its
    own (a box around content); or one whose nested tables hold at least as
    many cells as itself (the page's grid, with the data tables inside).
    """
    if own_cells <= 1:
        return True
    role = table.get("role")
    if role and role.strip().lower() in ("presentation", "none"):
        return True
    nested = sum(1 for _ in table.iter("td", "th")) - own_cells
    return nested >= own_cells


class _Placer:
    """The HTML table model's slot allocation, with clamping.

    Cells are placed row by row; a cell goes to the first column of its row
    not covered by a rowspan from above. Rowspans are clipped to the rows
    left in their row group (``rowspan=0`` means "to the end of the group").
    A colspan that would run into a slot covered from above is cut there (a
    table-model error; browsers draw the cells overlapping). :meth:`finish`
    cuts a colspan that runs beyond the last column in which any cell starts.
    """

    __slots__ = ("active", "budget", "col", "group_end", "k", "new", "notes", "placed", "row", "row_extent", "table_no")

    def __init__(self, table_no: int, budget: int) -> None:
        self.table_no = table_no
        self.budget = budget  # grid positions this table may still cover
        self.row = -1
        self.group_end = 0
        self.col = 0
        self.active: list[tuple[int, int, int]] = []  # (first col, end col, last row) of rowspans, sorted
        self.k = 0
        self.new: list[tuple[int, int, int]] = []
        self.placed: list[tuple[int, int, int, int]] = []  # (row, col, row_span, col_span)
        self.row_extent = 0
        self.notes: list[tuple[str, str]] = []

    def start_group(self, n_rows: int) -> None:
        self.active = []
        self.group_end = self.row + 1 + n_rows  # exclusive

    def start_row(self) -> None:
        self.row += 1
        self.col = 0
        self.k = 0
        row = self.row
        if self.active:
            self.active = [a for a in self.active if a[2] >= row]
        self.new = []

    def _note(self, message: str) -> None:
        if len(self.notes) < 20:
            self.notes.append((f"table {self.table_no}", message))

    def place(self, row_span: int, col_span: int) -> None:
        """Place the next cell of the current row."""
        row = self.row
        col = self.col
        occ = self.active
        k = n = 0
        if occ:  # skip the slots covered by rowspans from above
            k = self.k
            n = len(occ)
            while k < n and occ[k][1] <= col:
                k += 1
            while k < n and occ[k][0] <= col:
                col = occ[k][1]
                k += 1
            self.k = k
        if row_span != 1:  # (a rowspan of 1 is never clamped)
            left = self.group_end - row
            if row_span == 0:
                row_span = left
            elif row_span > MAX_ROWSPAN:
                self._note(f"row {row + 1}: rowspan={row_span} clamped to the table")
            row_span = max(1, min(row_span, left))
        if col_span > MAX_COLSPAN:
            self._note(f"row {row + 1}: colspan={col_span} clamped to {MAX_COLSPAN}")
            col_span = MAX_COLSPAN
        if k < n and col + col_span > occ[k][0]:
            self._note(f"row {row + 1}, column {col + 1}: colspan={col_span} runs into a cell that spans "
                       f"down from a row above; cut to {occ[k][0] - col}")
            col_span = occ[k][0] - col
        self.row_extent += row_span
        if self.row_extent > self.budget:
            raise ResourceLimitError(f"the tables cover more than {MAX_GRID_AREA} grid positions (at table "
                                     f"{self.table_no})")
        if row_span > 1:
            self.new.append((col, col + col_span, row + row_span - 1))
        self.col = col + col_span
        self.placed.append((row, col, row_span, col_span))

    def end_row(self) -> None:
        for item in self.new:
            insort(self.active, item)

    def finish(self) -> tuple[list[tuple[int, int, int, int]], int]:
        """Every placed cell's final ``(row, col, row_span, col_span)`` (colspans cut to the real width),
        and the number of grid positions they cover."""
        if not self.placed:
            return [], 0
        width = max(p[1] for p in self.placed) + 1
        out = []
        area = 0
        for row, col, rs, cs in self.placed:
            if col + cs > width:
                cs = width - col
            area += rs * cs
            out.append((row, col, rs, cs))
        if area > self.budget:
            raise ResourceLimitError(f"the tables cover more than {MAX_GRID_AREA} grid positions (at table "
                                     f"{self.table_no})")
        return out, area


# -- the walker ----------------------------------------------------------------------


class _Walker:
    """Walks an lxml HTML tree in document order and collects blocks."""

    def __init__(self, adapter: str, body: Any, may_hide: bool, may_style: bool = True,
                 css_background: bool = False) -> None:
        self.adapter = adapter
        self.may_style = may_style
        self.css_background = css_background
        self.unseen: list[tuple[str, str]] = []  # (where, text) of text a reader cannot see, not read
        self.blocks: list[Block] = []
        self.notes: list[tuple[str, str]] = []
        self.sink = _Text()
        self.in_cell = 0
        self.pre = 0
        self.heading: int | None = None
        self.sectioning = 0
        self.items = 0
        self.body = body
        self._page_text_len: int | None = None
        self.may_hide = may_hide
        self.deferred: list[list[Any]] = []  # per open data table: data tables nested in its cells
        self.n_tables = 0
        self.area = 0  # grid positions covered by the tables so far
        self.pos: int | None = 1  # source line of the text being read (None past libxml2's line cap)
        self.capped = False
        self._provenances: dict[tuple[int, int] | None, Provenance] = {}

    def provenance(self, lines: tuple[int, int] | None) -> Provenance:
        """A shared Provenance for ``lines`` (they are immutable, and many cells share a line)."""
        prov = self._provenances.get(lines)
        if prov is None:
            prov = self._provenances[lines] = Provenance(self.adapter, lines=lines)
        return prov

    # -- output
    def _count(self) -> None:
        self.items += 1
        if self.items > MAX_CELLS_AND_BLOCKS:
            raise ResourceLimitError(f"the page has more than {MAX_CELLS_AND_BLOCKS} cells and paragraphs")

    def flush(self) -> None:
        """End the current paragraph (inside a cell: start a new line)."""
        if self.in_cell:
            self.sink.brk()
            return
        sink = self.sink
        if len(sink.lines) == 1 and not sink.lines[0]:
            return
        text = sink.text()
        if text:
            self._count()
            lines = (sink.first, sink.last) if sink.first is not None and sink.last is not None else None
            self.blocks.append(Paragraph(text, self.provenance(lines), self.heading))
        self.sink = _Text()

    def _add(self, text: str) -> None:
        pos = self.pos
        if self.pre and "\n" in text:
            for i, part in enumerate(text.split("\n")):
                if i:
                    self.sink.brk()
                if part:
                    self.sink.add(part, None if pos is None else pos + i)
        else:
            self.sink.add(text, pos)
        if pos is not None:
            self.pos = pos + text.count("\n")

    def _at(self, line: int | None) -> None:
        """An element starts on ``line`` (as libxml2 reports it)."""
        if line is None or self.capped:
            return
        if line >= _LINE_CAP:
            self.capped = True
            self.pos = None
        elif line > 0:
            self.pos = line

    # -- what to skip
    def _skip(self, el: Any, tag: str) -> bool:
        if tag in _DROP:
            return True
        if self.in_cell:
            return self.may_hide and _hidden(el)
        chrome_tag = tag in _CHROME_TAGS
        keys = el.keys()
        if not keys and not chrome_tag:
            return False
        if self.may_hide and keys and _hidden(el):
            return True
        if chrome_tag:
            chrome = tag in ("nav", "aside") or self.sectioning == 0
        elif "role" in keys and el.get("role", "").strip().lower() in _CHROME_ROLES:
            chrome = True
        else:
            chrome = any(key in keys and not _CHROME_TOKENS.isdisjoint(el.get(key, "").lower().split())
                         for key in ("class", "id"))
        if not chrome or el.find(".//table") is not None:
            return False  # a table is content, whatever its container is called
        return sum(len(t) for t in el.itertext()) * 2 < self.page_text_len()  # nor is most of the page

    def page_text_len(self) -> int:
        """Characters of text on the page, scripts and styles excluded (computed when first needed)."""
        if self._page_text_len is None:
            self._page_text_len = _visible_text_len(self.body)
        return self._page_text_len

    # -- the walk
    def walk(self, el: Any, depth: int = 0, *, layout: bool = False) -> None:
        """Read element ``el`` and its content (not its tail) into the current sink / blocks.

        ``layout`` says that ``el`` is a table already found to be a layout table.
        """
        if depth > MAX_DEPTH:
            raise ResourceLimitError(f"elements are nested more than {MAX_DEPTH} deep")
        tag = el.tag
        line = el.sourceline
        if line is not None and not self.capped:
            self._at(line)
        if tag in _DROP or self._skip(el, tag):
            self._at(_end_line(el))
            return
        if tag == "br":
            self.sink.brk()
            return
        if self.may_style and self._styled_text(el):
            self._at(_end_line(el))
            return
        if tag == "table" and not layout and self.table(el, depth):
            self.flush()
            return
        block = tag in _BLOCK
        if block:
            self.flush()
            saved_heading = self.heading
            level = _HEADINGS.get(tag)
            if level is not None and not self.in_cell:
                self.heading = level
            sectioning = tag in _SECTIONING
            if sectioning:
                self.sectioning += 1
            if tag == "pre":
                self.pre += 1
        text = el.text
        if text:
            self._add(text)
        depth += 1
        for child in el:
            if isinstance(child.tag, str):
                self.walk(child, depth)
            tail = child.tail
            if tail:
                self._add(tail)
        if block:
            self.flush()
            self.heading = saved_heading
            if sectioning:
                self.sectioning -= 1
            if tag == "pre":
                self.pre -= 1

    def _cell_content(self, el: Any, depth: int) -> None:
        """Read the content of ``el`` in a cell: :meth:`walk` without headings, chrome or flushing."""
        if depth > MAX_DEPTH:
            raise ResourceLimitError(f"elements are nested more than {MAX_DEPTH} deep")
        sink = self.sink
        text = el.text
        if text:
            self._add(text)
        for child in el:
            tag = child.tag
            if isinstance(tag, str):
                line = child.sourceline
                if line is not None and not self.capped:
                    self._at(line)
                if tag in _DROP:
                    self._at(_end_line(child))
                elif self.may_hide and _hidden(child):
                    self._unseen(child, "hidden (display:none, visibility:hidden or hidden)")
                    self._at(_end_line(child))
                elif tag == "br":
                    sink.brk()
                elif self.may_style and self._styled_text(child):
                    self._at(_end_line(child))
                elif tag == "table" or tag == "pre":
                    self.walk(child, depth + 1)
                elif tag in _BLOCK:
                    sink.brk()
                    self._cell_content(child, depth + 1)
                    sink.brk()
                else:
                    self._cell_content(child, depth + 1)
            tail = child.tail
            if tail:
                self._add(tail)

    def _styled_text(self, el: Any) -> bool:
        """Read raised or lowered text as superscript or subscript characters, leave out text a reader
        cannot see (with a note); True when ``el`` was so handled."""
        if self.pre:
            return False
        effect = _text_effect(el)
        if effect is None:
            return False
        if effect == "invisible" or (effect == "white" and _white_unseen(el, self.css_background)):
            self._unseen(el, "zero size" if effect == "invisible" else "white on white")
            return True
        if effect == "super":  # raised text: a footnote mark, m²
            self._add(superscript("".join(el.itertext())))
            return True
        if effect == "sub":
            self._add(subscript("".join(el.itertext())))
            return True
        return False

    def _unseen(self, el: Any, why: str) -> None:
        """Note text a reader cannot see that is not read (nothing when it holds no text)."""
        text = " ".join("".join(el.itertext()).split())
        if text:
            line = _line(el)
            self.unseen.append((f"line {line}" if line is not None else "page", f"{why}: {text}"))

    def notes_unseen(self) -> list[Note]:
        """One ``hidden-text`` note per place (the first 20), then one for the rest."""
        notes = []
        for where, text in self.unseen[:20]:
            shown = text if len(text) <= 60 else text[:59] + "…"
            notes.append(Note(where, f"text a reader cannot see, not read ({shown})", code="hidden-text",
                              severity="info", evidence={"text": text[:500]}))
        if len(self.unseen) > 20:
            notes.append(Note(self.unseen[20][0], f"{len(self.unseen) - 20} more places hold text a reader cannot "
                                                  "see, not read", code="hidden-text", severity="info",
                              evidence={"places": [w for w, _ in self.unseen[20:220]]}))
        return notes

    def block(self, el: Any, depth: int) -> None:
        """Read ``el`` as a paragraph of its own (captions, content a browser moves out of a table)."""
        if isinstance(el, str):
            self.flush()
            self.sink.add(el, None)
        elif el.tag == "table":
            self.table_block(el, depth)
        else:
            self.flush()
            self.walk(el, depth)
        self.flush()

    # -- tables
    def table_block(self, el: Any, depth: int) -> None:
        """A table met outside the walk: a data table, or a layout table read as running text."""
        if not self.table(el, depth):
            self.flush()
            self.walk(el, depth, layout=True)
            self.flush()

    def table(self, el: Any, depth: int) -> bool:
        """Emit a data table (inside a cell: keep it for after the outer table). False for a layout table."""
        stray: list[_Stray] = []
        captions: list[Any] = []
        groups = _row_groups(el, stray, captions)
        own = sum(len(cells) for rows in groups for _, cells in rows)
        if _is_layout_table(el, own):
            return False
        if self.in_cell:
            self.sink.brk()
            self.deferred[-1].append(el)
            return True
        self.flush()
        self.deferred.append([])
        try:
            end = self._data_table(el, groups, stray, captions, depth)
        finally:
            nested = self.deferred.pop()
        for inner in nested:
            self.table_block(inner, depth + 3)  # it was at least table > tr > td deeper
        self._at(end)
        return True

    def _data_table(self, el: Any, groups: list[list[_Row]], stray: list[_Stray], captions: list[Any],
                    depth: int) -> int | None:
        self.n_tables += 1
        placer = _Placer(self.n_tables, MAX_GRID_AREA - self.area)
        for part in stray + captions:  # a browser shows these before the table's grid
            self.block(part, depth + 1)
        texts: list[tuple[str, tuple[int, int] | None]] = []
        first = _line(el)
        end = first
        # This loop runs for every cell of the page: the lookups are hoisted out of it.
        may_hide, simple_cell, place = self.may_hide, self._simple_cell, placer.place
        cell_depth = depth + 2
        for rows in groups:
            placer.start_group(len(rows))
            for _tr, cells in rows:
                placer.start_row()
                for td in cells:
                    if may_hide and _hidden(td):
                        continue
                    cell = simple_cell(td, MAX_DEPTH - cell_depth)
                    if cell is None:
                        cell = self._cell_text_walked(td, cell_depth)
                    self._count()
                    rowspan, colspan = td.get("rowspan"), td.get("colspan")
                    place(parse_span(rowspan, zero_ok=True) if rowspan else 1,
                          parse_span(colspan, zero_ok=False) if colspan else 1)
                    texts.append(cell)
                    lines = cell[1]
                    if lines is not None and (end is None or lines[1] > end):
                        end = lines[1]
                placer.end_row()
        self.notes.extend(placer.notes)
        if not texts:
            return end
        placed, area = placer.finish()
        self.area += area
        known, prov = self._provenances.get, self.provenance  # a Provenance is never falsy
        cells_out = [Cell(row, col, text, rs, cs, known(lines) or prov(lines))
                     for (row, col, rs, cs), (text, lines) in zip(placed, texts)]
        if first is None:
            first = min((lines[0] for _, lines in texts if lines is not None), default=None)
        span = (first, end) if first is not None and end is not None and end >= first else None
        self._count()
        self.blocks.append(Table(cells_out, provenance=self.provenance(span)))
        return end

    def _simple_cell(self, td: Any, max_chain: int = MAX_DEPTH) -> tuple[str, tuple[int, int] | None] | None:
        """Fast path for the common cell, one chain of single children (``<td><p><span>42</span></p></td>``).

        Gives exactly what :meth:`_cell_text_walked` gives, or None when the
        cell is not such a chain (or a chain longer than ``max_chain``, for the
        walk to refuse).
        """
        if self.pre:
            return None
        td_line = td.sourceline  # as _line(td), inline: this runs for every cell of the page
        if td_line is None or td_line < 1 or td_line >= _LINE_CAP:
            return None
        may_hide, may_style = self.may_hide, self.may_style
        if may_style and _text_effect(td) is not None:
            return None
        el = td
        n = len(el)
        while n:
            max_chain -= 1
            if n > 1 or max_chain < 0:
                return None
            text = el.text
            if text and not text.isspace():
                return None
            child = el[0]
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_SIMPLE or (may_hide and _hidden(child)):
                return None
            if may_style and _text_effect(child) is not None:
                return None
            tail = child.tail
            if tail and not tail.isspace():
                return None
            el = child
            n = len(el)
        text = el.text
        if not text or text.isspace():
            return "", (td_line, td_line)
        leaf_line = el.sourceline if el is not td else td_line
        if leaf_line is None or leaf_line < 1 or leaf_line >= _LINE_CAP:
            return None
        if "\n" in text:
            last = leaf_line + text.count("\n", 0, len(text.rstrip()))
            self.pos = leaf_line + text.count("\n")
        else:
            last = self.pos = leaf_line
        return clean_line(text), (td_line, max(td_line, last))

    def _cell_text_walked(self, td: Any, depth: int) -> tuple[str, tuple[int, int] | None]:
        saved_sink, saved_heading, saved_pre = self.sink, self.heading, self.pre
        sink = self.sink = _Text()
        self.in_cell += 1
        try:
            line = _line(td)
            sink.touch(line)
            self._at(line)
            if not (self.may_style and self._styled_text(td)):
                self._cell_content(td, depth + 1)
            text = sink.text()
        finally:
            self.in_cell -= 1
            self.sink, self.heading, self.pre = saved_sink, saved_heading, saved_pre
        lines = (sink.first, sink.last) if sink.first is not None and sink.last is not None else None
        return text, lines


# -- the adapter ----------------------------------------------------------------------


def _squash(text: str) -> str:
    return "".join(text.split())


def _title_paragraph(root: Any, adapter: str) -> Paragraph | None:
    """The page's ``<title>`` as a level-1 heading paragraph."""
    title = root.find("head/title")
    if title is None:
        title = root.find(".//title")
    if title is None:
        return None
    text = clean_line(" ".join(title.itertext()))
    if not text:
        return None
    line = _line(title)
    return Paragraph(text, Provenance(adapter, lines=(line, line) if line else None), 1)


# One attribute as the HTML tokenizer reads it (separated by white space or "/", value quoted or not),
# matched atomically (the lookahead-and-backreference idiom), so a failed search cannot backtrack.
_ONE_ATTRIBUTE = rb"""(?=([\s/]+[^\s/>=]+(?:\s*=\s*(?:"[^"]*(?:"|\Z)|'[^']*(?:'|\Z)|[^\s>]*))?))\%d"""
_MANY_ATTRIBUTES = re.compile(rb"<[A-Za-z][^\s/>]*(?:" + _ONE_ATTRIBUTE % 1 + rb"){%d}" % MAX_ATTRIBUTES)
_SEPARATORS = b" \n\t/\r\f"


def _check_attributes(data: bytes) -> None:
    """Refuse a tag with absurdly many attributes before libxml2 spends quadratic time on it.

    A page with fewer separator characters than :data:`MAX_ATTRIBUTES` cannot
    hold such a tag, so ordinary pages skip the search.
    """
    if len(data) - len(data.translate(None, _SEPARATORS)) < MAX_ATTRIBUTES:  # one pass counts them all
        return
    m = _MANY_ATTRIBUTES.search(data)
    if m is not None:
        line = data.count(b"\n", 0, m.start()) + 1
        raise ResourceLimitError(f"a tag has more than {MAX_ATTRIBUTES} attributes", line=line)


def _parse(data: bytes) -> Any:
    """Parse UTF-8 bytes with libxml2's HTML parser: no network, no DTD, no entity expansion."""
    from lxml import etree  # type: ignore[import-untyped]  # deferred: `import gxparse` stays light

    parser = etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        recover=True,
        huge_tree=True,  # our own bounds (MAX_BYTES, MAX_DEPTH …) apply instead of libxml2's 256 levels
        compact=True,
        default_doctype=False,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError) as exc:
        raise ExtractError(f"the HTML parser failed: {exc}") from None
    for entry in parser.error_log.filter_from_fatals():
        message = entry.message or ""
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "xcessive depth" in message:
            depth = re.search(r"xcessive depth in document: (\d+)", message)
            if depth:
                reason = f"elements are nested more than {depth.group(1)} deep"
            else:  # libxml2's own words, without its hint about parser options
                reason = "the page exceeds an HTML parser limit: " + re.split(r",? (?:use|try) XML_PARSE_HUGE",
                                                                              message)[0].strip().rstrip(":")
            raise ResourceLimitError(reason, line=entry.line if entry.line and entry.line > 0 else None)
    return root


def _visible_text_len(body: Any) -> int:
    total = sum(len(t) for t in body.itertext())
    for el in body.iter("script", "style"):
        total -= len(el.text or "")
    return max(total, 0)


class HtmlAdapter(FormatAdapter):
    """Web pages: CMS article pages and fragments, and Word's "Save as Web Page" HTML."""

    name = "html"
    priority = 80
    description = "web pages (HTML, XHTML, Word 'Save as Web Page'): tables on their true grid"

    def accepts(self, head: bytes, name: str | None = None) -> float:
        """How sure the adapter is that ``head`` starts an HTML page (see :func:`sniff_html`)."""
        try:
            return sniff_html(head, name)
        except Exception:  # noqa: BLE001  # pragma: no cover - a sniffer must never raise
            return 0.0

    def extract(self, source: Source) -> Document:
        """Read the page into paragraphs and grid tables (see the module docstring).

        Raises :class:`ResourceLimitError` for pages beyond the safety bounds
        (:data:`MAX_BYTES`, :data:`MAX_TAGS`, :data:`MAX_DEPTH`,
        :data:`MAX_CELLS_AND_BLOCKS`, :data:`MAX_GRID_AREA`),
        :class:`EmptySourceError` for a page without visible text and
        :class:`UndecodableError` for bytes that are not text.
        """
        try:
            return self._extract(source)
        except GxparseError as exc:
            raise exc.with_source(source.name) from None
        except RecursionError:
            raise ResourceLimitError("elements are nested too deeply", source=source.name) from None
        except (UnicodeError, LookupError) as exc:
            raise ExtractError(f"the page cannot be decoded: {exc}", source=source.name) from None

    def _extract(self, source: Source) -> Document:
        data = source.data
        if len(data) > MAX_BYTES:
            raise ResourceLimitError(f"the page is larger than {MAX_BYTES // (1024 * 1024)} MB")
        source.check_not_empty()
        if len(data) > MAX_TAGS and data.count(b"<") > MAX_TAGS:
            raise ResourceLimitError(f"the page has more than {MAX_TAGS} tags")
        text = source.text(declared_encoding(data))
        if not text or text.isspace():
            raise EmptySourceError("the file holds only whitespace")
        if source.encoding == "utf-8" and b"\r" not in data:
            utf8 = data  # the decoded text is exactly these bytes: no need to encode it again
        else:
            utf8 = text.encode("utf-8", errors="replace")
        _check_attributes(utf8)
        root = _parse(utf8)
        if root is None:
            raise EmptySourceError("the page has no content, only comments or declarations")
        body = root.find("body")
        if body is None:
            body = root
        low = utf8.lower()
        may_style = _may_style(low)
        walker = _Walker(self.name, body, _may_hide(utf8, low), may_style, may_style and _css_background(root))
        walker.walk(body)
        walker.flush()
        blocks = walker.blocks
        title = _title_paragraph(root, self.name)
        if title is not None:
            t = _squash(title.text)
            lead = [_squash(b.text) for b in blocks[:3] if isinstance(b, Paragraph)]
            if not any(t == p or (len(p) >= 4 and p in t) or t in p for p in lead):
                blocks.insert(0, title)
        if not blocks:
            raise EmptySourceError("the page has no visible text")
        return Document(blocks, adapter=self.name, notes=[*walker.notes, *walker.notes_unseen()])
