"""Word: .docx read natively; .doc and .wps through LibreOffice.

A .docx is a ZIP package of XML parts. The adapter opens it with :mod:`zipfile`
and parses the main document part (and the styles and numbering parts) with
lxml, then walks the body itself. python-docx was considered and not used: its
``Paragraph.text`` reads only the runs directly in a paragraph and its
hyperlinks (the runs of inserted revisions ``w:ins``, content controls
``w:sdt``, simple fields ``w:fldSimple`` and smart tags are lost), it does not
know hidden text or field codes, its ``_Row.cells`` repeats a merged cell
instead of giving its span, and it loads every part of the package into
memory unchecked (a ZIP bomb). It is the benchmark's reference floor instead.

What is read, in reading order:

* **Paragraphs** as :class:`~gxparse.Paragraph` blocks; a heading has
  ``heading_level`` from its outline level (``w:outlineLvl``, direct or from
  its style), a heading style (``Heading 2``, ``标题 2``, ``Title``) or, when the
  styles say nothing, its numbering (``一、`` level 2, ``（一）`` level 3, on a
  short line). Automatic list numbers (``w:numPr``) are written out as Word
  shows them (``一、``, ``（一）``, ``1.``).
* **Tables** on their true grid: ``w:gridSpan`` column spans, ``w:vMerge``
  restart/continue row spans (and the legacy ``w:hMerge``), ``w:gridBefore``
  rows that start late (their first cell's column moves right) and
  ``w:gridAfter`` rows that end early. Every ``w:tc`` is one
  :class:`~gxparse.Cell`, empty ones as ``""``; a cell's paragraphs and line
  breaks are lines (``"\\n"``). A table nested in a cell is emitted as its own
  table right after the outer one (the cell keeps its own text); a table of a
  single cell (a frame around content) is read as the content itself.
* **Text boxes** (``w:txbxContent``, DrawingML or VML, one branch of
  ``mc:AlternateContent``) right after the paragraph that anchors them;
  **content controls** (``w:sdt``), **smart tags**, **custom XML** and
  **hyperlinks** as their content; **fields** as their displayed result (the
  field code between ``begin`` and ``separate`` is not text);
  **inserted revisions** (``w:ins``, ``w:moveTo``) as text.

**Raised and lowered text** (``w:vertAlign`` superscript or subscript, on the
run, in its character style or its paragraph's style) is written as Unicode
superscript or subscript characters (:func:`gxparse._normalize.superscript`,
``subscript``): ``1525`` and a raised ``1`` are ``1525¹``, never ``15251``.

What is not read: **hidden text** (``w:vanish`` on a run, in its character
style or its paragraph's style) and **text too faint to read** (a run's
colour, direct or from its styles, against its background — the run's
shading or highlight, else its paragraph's shading, else its cell's, else the
white page — below :data:`UNSEEN_CONTRAST`: white on white) — each paragraph
or cell that has some gets a ``hidden-text`` note (severity info) with the
text; table-style shading is not resolved (white text on it is dropped only
when the cell itself says white or nothing); **deleted revisions** (``w:del``,
``w:moveFrom``; a deleted paragraph mark joins the paragraph to the next);
footnotes, comments, headers and footers, images, field codes and embedded
documents (``w:altChunk``, noted). Relationships to other files or URLs are
never followed.

Every block and cell has ``Provenance(locator=…)``: ``"paragraph 12"`` (body
paragraphs counted from 1, empty ones too), ``"table 2"`` and
``"table 2, row 5, cell 3"`` (tables counted from 1 in document order, nested
ones included; the cell is the ``w:tc`` of the row, counted from 1), and
``"text box 1, paragraph 2"``.

**.doc and .wps** (Word 97-2003 and WPS Office files, OLE2 compound files)
are converted to .docx by LibreOffice (:mod:`gxparse.formats._soffice`) and
then read as above, with a ``converted`` note naming the converter and its
version. Without LibreOffice they raise :class:`~gxparse.NeedsConverterError`
saying what the file is and how to have it read.

Safety: the package is refused beyond :data:`MAX_BYTES`; a part that
inflates beyond :data:`MAX_PART_BYTES` (a ZIP bomb) raises
:class:`~gxparse.ResourceLimitError` without inflating further; XML is parsed
without DTDs, entities or network access, and a part that declares a DTD
(never valid Office Open XML: an entity attack) is refused; elements nested
deeper than libxml2's limit of 256 (tables nested 80 deep) and more than
:data:`MAX_CELLS_AND_BLOCKS` cells and blocks raise ResourceLimitError.

This module knows Word files, not the report form.
"""

from __future__ import annotations

import io
import posixpath
import re
import threading
import zipfile
from collections.abc import Iterator
from typing import Any

from .._errors import (
    EmptySourceError,
    EncryptedSourceError,
    ExtractError,
    GxparseError,
    NeedsConverterError,
    ResourceLimitError,
    UnsupportedFormatError,
)
from .._model import Block, Cell, Document, Note, Paragraph, Provenance, Severity, Table
from .._normalize import subscript, superscript
from .._office import OfficeFormat, identify, sniff
from .._registry import FormatAdapter
from .._source import Source

__all__ = ["MAX_BYTES", "MAX_CELLS_AND_BLOCKS", "MAX_COLSPAN", "MAX_GRID_AREA", "MAX_PART_BYTES", "UNSEEN_CONTRAST",
           "DocxAdapter"]

#: Files larger than this raise ResourceLimitError before they are opened.
MAX_BYTES = 200 * 1024 * 1024
#: A part of the package that inflates to more than this raises ResourceLimitError (a ZIP bomb).
MAX_PART_BYTES = 100 * 1024 * 1024
#: Cells plus blocks one document may produce.
MAX_CELLS_AND_BLOCKS = 500_000
#: Grid positions (rows x columns covered by cells) all tables of one document may cover.
MAX_GRID_AREA = 2_000_000
#: A w:gridSpan beyond this is clamped (Word's own tables have at most 63 columns).
MAX_COLSPAN = 1000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_R_TYPES_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships/"

W_P, W_R, W_T, W_TBL, W_TR, W_TC = (_W + t for t in ("p", "r", "t", "tbl", "tr", "tc"))
W_PPR, W_RPR, W_TCPR, W_TRPR = (_W + t for t in ("pPr", "rPr", "tcPr", "trPr"))
W_SDT, W_SDTCONTENT, W_CUSTOMXML = _W + "sdt", _W + "sdtContent", _W + "customXml"
W_PSTYLE, W_OUTLINELVL, W_NUMPR, W_NUMID, W_ILVL = (_W + t for t in ("pStyle", "outlineLvl", "numPr", "numId", "ilvl"))
W_DEL, W_VANISH, W_RSTYLE = _W + "del", _W + "vanish", _W + "rStyle"
W_VERTALIGN, W_COLOR, W_SHD, W_HIGHLIGHT, W_FILL = (_W + t for t in ("vertAlign", "color", "shd", "highlight", "fill"))
W_FLDCHAR, W_FLDCHARTYPE = _W + "fldChar", _W + "fldCharType"
W_GRIDSPAN, W_VMERGE, W_HMERGE, W_GRIDBEFORE = (_W + t for t in ("gridSpan", "vMerge", "hMerge", "gridBefore"))
W_TXBX = _W + "txbxContent"
W_VAL = _W + "val"
MC_ALT, MC_CHOICE, MC_FALLBACK = _MC + "AlternateContent", _MC + "Choice", _MC + "Fallback"

# Inline elements whose content is read as it stands.
_INLINE_CONTAINERS = frozenset(_W + t for t in (
    "hyperlink", "smartTag", "customXml", "ins", "moveTo", "fldSimple", "dir", "bdo", "sdtContent",
))
# Inline and block elements whose content Word does not show.
_DELETED = frozenset(_W + t for t in ("del", "moveFrom"))
# Run content that is not text.
_NOT_TEXT = frozenset(_W + t for t in (
    "rPr", "instrText", "delText", "delInstrText", "footnoteReference", "endnoteReference", "commentReference",
    "annotationRef", "footnoteRef", "endnoteRef", "separator", "continuationSeparator", "lastRenderedPageBreak",
    "sym", "softHyphen", "dayShort", "monthShort", "yearShort", "dayLong", "monthLong", "yearLong", "pgNum",
))
_LINE_BREAKS = frozenset(_W + t for t in ("br", "cr"))
_TABS = frozenset(_W + t for t in ("tab", "ptab"))
_OBJECTS = frozenset([_W + "drawing", _W + "pict", _W + "object", MC_ALT])
_FALSE = frozenset({"0", "false", "off"})

_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_CN_NUMERAL = "一二三四五六七八九十"
_NUMBERED_HEADING = re.compile(rf"^\s*(?:([{_CN_NUMERAL}]+)\s*[、.．]|[（(]\s*([{_CN_NUMERAL}]+)\s*[）)])")
_SENTENCE_END = ("。", "；", ";", "：", ":")


#: Below this contrast ratio (WCAG's, 1 to 21) between a run's colour and its background, nobody
#: can read the text: white on white is 1.0, white on F2F2F2 1.12, white on D9D9D9 1.42 (read).
UNSEEN_CONTRAST = 1.15
_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of an ``RRGGBB`` colour."""
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _unseen(colour: str | None, background: str | None) -> bool:
    """Is text of ``colour`` (``RRGGBB``; None or ``auto``: Word's automatic, always readable) on
    ``background`` (``RRGGBB``; None: the white page) too faint to read (:data:`UNSEEN_CONTRAST`)?"""
    if colour is None or not _HEX.match(colour):
        return False
    if background is not None and not _HEX.match(background):
        return False  # a background the adapter cannot tell: the text is read
    a, b = _luminance(colour), _luminance(background or "FFFFFF")
    return (max(a, b) + 0.05) / (min(a, b) + 0.05) < UNSEEN_CONTRAST


def _fill(shd: Any) -> str | None:
    """The background colour a ``w:shd`` paints (``RRGGBB``), None for none (``auto``, ``nil``, no fill);
    ``"?"`` for a pattern the adapter does not resolve (text on it is read)."""
    pattern = (shd.get(W_VAL) or "clear").lower()
    if pattern == "nil":
        return None
    if pattern != "clear":
        return "?"
    fill = shd.get(W_FILL)
    return None if fill is None or fill.lower() == "auto" else fill


_WHITE_TEXT = "text too faint to read (white on white)"

#: Word's highlight colours that are white (any other highlight is a coloured background: text on it is read).
_WHITE_HIGHLIGHT = frozenset({"white"})


def _on(el: Any) -> bool:
    """A toggle or on/off property element (``<w:vanish/>``, ``<w:vanish w:val="0"/>``)."""
    return el.get(W_VAL, "true").lower() not in _FALSE


# -- the package -------------------------------------------------------------------------


class _Package:
    """The ZIP package: parts by name, read with a size bound, parsed without DTDs or network."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise ExtractError(f"not a readable Word document: the ZIP package is damaged ({exc})") from None
        self.names: dict[str, zipfile.ZipInfo] = {}
        for info in self.zip.infolist():
            self.names.setdefault(info.filename.lstrip("/").lower(), info)

    def has(self, name: str) -> bool:
        return name.lower() in self.names

    def read(self, name: str) -> bytes:
        info = self.names[name.lower()]
        if info.file_size > MAX_PART_BYTES:
            raise ResourceLimitError(f"{info.filename} would inflate to {info.file_size} bytes "
                                     f"(more than {MAX_PART_BYTES // (1024 * 1024)} MB)")
        try:
            with self.zip.open(info) as f:
                # In pieces: one read(n) may inflate up to n bytes before it cuts them to the declared
                # size, so a part that lies about its size would inflate that far in one call.
                pieces: list[bytes] = []
                total = 0
                while total <= MAX_PART_BYTES:
                    piece = f.read(1 << 16)
                    if not piece:
                        break
                    pieces.append(piece)
                    total += len(piece)
                data = b"".join(pieces)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError,
                RuntimeError) as exc:
            # RuntimeError: an encrypted entry; NotImplementedError: an unknown compression method
            raise ExtractError(f"{info.filename} cannot be read from the package: {exc}") from None
        if len(data) > MAX_PART_BYTES:
            raise ResourceLimitError(f"{info.filename} inflates to more than {MAX_PART_BYTES // (1024 * 1024)} MB "
                                     "(a ZIP bomb?)")
        return data

    def xml(self, name: str) -> Any:
        return _parse_xml(self.read(name), name)

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """The part's internal relationships: type suffix -> (id, target part name). External ones are skipped."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels_name):
            return {}
        out: dict[str, tuple[str, str]] = {}
        try:
            root = self.xml(rels_name)
        except ExtractError:
            return {}
        for rel in root.iter(_REL + "Relationship"):
            if (rel.get("TargetMode") or "").lower() == "external":
                continue  # a URL or another file: never followed
            rtype = rel.get("Type") or ""
            kind = rtype.rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            out.setdefault(kind, (rel.get("Id") or "", name))
        return out

    def main_part(self) -> str:
        """The main document part: the package's officeDocument relationship, else ``word/document.xml``."""
        target = self.relationships("").get("officeDocument")
        if target is not None and self.has(target[1]):
            return target[1]
        for name in ("word/document.xml", "word/document2.xml"):
            if self.has(name):
                return name
        raise ExtractError("not a Word document: the package has no word/document.xml")


_PARSERS = threading.local()  # an lxml parser must not be used by two threads at once


def _parse_xml(data: bytes, name: str) -> Any:
    from lxml import etree  # type: ignore[import-untyped]  # deferred: `import gxparse` stays light

    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, remove_comments=True,
            remove_pis=True, collect_ids=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = str(exc)
        depth = re.search(r"xcessive depth in document: (\d+)", message)
        if depth:
            raise ResourceLimitError(f"{name}: elements are nested more than {depth.group(1)} deep") from None
        raise ExtractError(f"{name} is not well-formed XML: {message}") from None
    except (etree.LxmlError, ValueError) as exc:
        raise ExtractError(f"{name} cannot be parsed: {exc}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise ExtractError(f"{name} declares a DTD, which Office Open XML never does (an XML entity attack?); "
                           "refused")
    return root


# -- styles and numbering ---------------------------------------------------------------------


class _Styles:
    """What the adapter needs from ``styles.xml``: heading levels and hidden (``w:vanish``) styles."""

    def __init__(self, root: Any | None) -> None:
        self.level: dict[str, int] = {}
        self.hidden: set[str] = set()
        self.default_paragraph: str | None = None
        self.default_hidden = False
        #: a style's raised or lowered text (``superscript``/``subscript``/``baseline``) and text colour
        self.vert_align: dict[str, str] = {}
        self.colour: dict[str, str] = {}
        if root is None:
            return
        raw: dict[str, tuple[str | None, int | None, bool | None, str]] = {}
        own_align: dict[str, str] = {}
        own_colour: dict[str, str] = {}
        for style in root.iter(_W + "style"):
            sid = style.get(_W + "styleId")
            if not sid:
                continue
            based = style.find(_W + "basedOn")
            name = style.find(_W + "name")
            outline = style.find(f"{W_PPR}/{_W}outlineLvl")
            vanish = style.find(f"{W_RPR}/{_W}vanish")
            align = style.find(f"{W_RPR}/{_W}vertAlign")
            if align is not None and align.get(W_VAL):
                own_align[sid] = align.get(W_VAL)
            colour = style.find(f"{W_RPR}/{_W}color")
            if colour is not None and colour.get(W_VAL):
                own_colour[sid] = colour.get(W_VAL)
            own: int | None = None
            if outline is not None:
                lvl = _int(outline.get(W_VAL), 9)
                own = lvl + 1 if 0 <= lvl < 9 else 0  # 0: explicitly body text
            label = (name.get(W_VAL) or "") if name is not None else ""
            raw[sid] = (based.get(W_VAL) if based is not None else None, own,
                        None if vanish is None else _on(vanish), label)
            if style.get(_W + "type") == "paragraph" and (style.get(_W + "default") or "").lower() in ("1", "true", "on"):
                self.default_paragraph = sid
        for sid in raw:
            level: int | None = None
            hidden: bool | None = None
            seen: set[str] = set()
            cur: str | None = sid
            while cur is not None and cur in raw and cur not in seen:
                seen.add(cur)
                based_on, own_level, van, label = raw[cur]
                if level is None:
                    if own_level is not None:
                        level = own_level
                    else:
                        m = _HEADING_NAME.match(label.strip())
                        if m:
                            level = int(m.group(1))
                        elif label.strip().lower() in ("title", "标题"):
                            level = 1
                if hidden is None and van is not None:
                    hidden = van
                if sid not in self.vert_align and cur in own_align:
                    self.vert_align[sid] = own_align[cur]
                if sid not in self.colour and cur in own_colour:
                    self.colour[sid] = own_colour[cur]
                cur = based_on
            if level:
                self.level[sid] = level
            if hidden:
                self.hidden.add(sid)
        defaults = root.find(f"{_W}docDefaults/{_W}rPrDefault/{W_RPR}/{_W}vanish")
        self.default_hidden = defaults is not None and _on(defaults)


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(n: int) -> str:
    """一 … 九十九 … (Word's chineseCounting), for 0 < n < 10000."""
    if n <= 0 or n >= 10000:
        return str(n)
    digits = "零一二三四五六七八九"
    units = ["", "十", "百", "千"]
    out: list[str] = []
    s = str(n)
    zero = False
    for i, ch in enumerate(s):
        d = int(ch)
        pos = len(s) - 1 - i
        if d == 0:
            zero = True
            continue
        if zero and out:
            out.append("零")
        zero = False
        out.append(digits[d] + units[pos])
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text


def _number_text(n: int, fmt: str) -> str:
    """The number ``n`` in a Word numbering format (``w:numFmt``)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "taiwaneseCounting",
               "taiwaneseCountingThousand", "japaneseCounting", "ideographDigital"):
        text = _chinese(n)
        if fmt == "chineseLegalSimplified":
            text = text.translate(str.maketrans("一二三四五六七八九十百千零", "壹贰叁肆伍陆柒捌玖拾佰仟零"))
        return text
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("upperLetter", "lowerLetter"):
        if n <= 0:
            return str(n)
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        if n <= 0 or n >= 4000:
            return str(n)
        out, rest = [], n
        for value, sym in _ROMAN:
            while rest >= value:
                out.append(sym)
                rest -= value
        text = "".join(out)
        return text if fmt == "upperRoman" else text.lower()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _Numbering:
    """Automatic list numbers (``numbering.xml``), counted as Word counts them, per list."""

    _MAX_LEVELS = 9

    def __init__(self, root: Any | None) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, numFmt, lvlText)
        self.counters: dict[str, list[int]] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for a in root.iter(_W + "abstractNum"):
            aid = a.get(_W + "abstractNumId")
            if aid is not None:
                abstract[aid] = self._levels(a)
        for num in root.iter(_W + "num"):
            nid = num.get(_W + "numId")
            ref = num.find(_W + "abstractNumId")
            if nid is None or ref is None:
                continue
            levels = dict(abstract.get(ref.get(W_VAL) or "", {}))
            for override in num.iter(_W + "lvlOverride"):
                try:
                    ilvl = int(override.get(_W + "ilvl", "0"))
                except ValueError:
                    continue
                lvl = override.find(_W + "lvl")
                if lvl is not None:
                    levels.update(self._levels(override))
                start = override.find(_W + "startOverride")
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = (_int(start.get(W_VAL), old[0]), old[1], old[2])
            self.levels[nid] = levels

    @staticmethod
    def _levels(parent: Any) -> dict[int, tuple[int, str, str]]:
        out = {}
        for lvl in parent.findall(_W + "lvl"):
            try:
                ilvl = int(lvl.get(_W + "ilvl", "0"))
            except ValueError:
                continue
            if not 0 <= ilvl < _Numbering._MAX_LEVELS:
                continue
            start = lvl.find(_W + "start")
            fmt = lvl.find(_W + "numFmt")
            text = lvl.find(_W + "lvlText")
            out[ilvl] = (_int(start.get(W_VAL) if start is not None else None, 1),
                         (fmt.get(W_VAL) or "decimal") if fmt is not None else "decimal",
                         (text.get(W_VAL) or "") if text is not None else "")
        return out

    def label(self, num_id: str, ilvl: int) -> str:
        """The number text of the next paragraph of list ``num_id`` at level ``ilvl`` (advances the counter)."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * self._MAX_LEVELS)
        start, fmt, text = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, self._MAX_LEVELS):
            counters[deeper] = 0
        if fmt == "bullet":
            return ""

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            if not 0 <= k < self._MAX_LEVELS:
                return ""
            value = counters[k] or levels.get(k, (1, "", ""))[0]
            return _number_text(value, levels.get(k, (1, fmt, ""))[1] if k != ilvl else fmt)

        return re.sub(r"%([1-9])", sub, text)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# -- the walker ----------------------------------------------------------------------------------


class _Para:
    """One paragraph as read: its visible text, hidden text, level and whether its mark was deleted."""

    __slots__ = ("boxes", "fill", "hidden", "level", "mark_deleted", "numbered", "style", "text", "white")

    def __init__(self) -> None:
        self.text = ""
        self.hidden = ""
        self.white: list[str] = []  # text too faint to read (white on white), not read
        self.style: str | None = None
        self.fill: str | None = None  # the paragraph's shading
        self.level: int | None = None
        self.mark_deleted = False
        self.numbered = False
        self.boxes: list[Any] = []


class _Reader:
    """Walks the body of a Word document and collects blocks."""

    def __init__(self, adapter: str, styles: _Styles, numbering: _Numbering) -> None:
        self.adapter = adapter
        self.styles = styles
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.notes: list[Note] = []
        self.hidden_places: list[tuple[str, str, str]] = []  # (where, text, why)
        self.cell_fill: str | None = None  # the shading of the table cell being read
        self.n_paragraphs = 0
        self.n_tables = 0
        self.n_boxes = 0
        self.n_box_paragraphs = 0
        self.count = 0
        self.area = 0
        self.pending = ""  # text of paragraphs whose mark was deleted, joined to the next one

    # -- bookkeeping
    def _count(self, n: int = 1) -> None:
        self.count += n
        if self.count > MAX_CELLS_AND_BLOCKS:
            raise ResourceLimitError(f"the document has more than {MAX_CELLS_AND_BLOCKS} paragraphs and table cells")

    def _hidden(self, where: str, text: str, why: str = "hidden text (w:vanish)") -> None:
        if text.strip():
            self.hidden_places.append((where, text.strip(), why))

    def _note(self, where: str, message: str, code: str = "unreadable", severity: Severity = "warning") -> None:
        if len(self.notes) < 50:
            self.notes.append(Note(where, message, code=code, severity=severity))

    # -- block content
    def body(self, el: Any, where: str | None = None) -> None:
        """Read block content (the body, a text box, a block-level content control) in order."""
        for child in el:
            tag = child.tag
            if tag == W_P:
                self.paragraph(child, where)
            elif tag == W_TBL:
                self.table_block(child, where)
            elif tag in (W_SDT, W_CUSTOMXML):
                content = child.find(W_SDTCONTENT) if tag == W_SDT else child
                if content is not None:
                    self.body(content, where)
            elif tag in _INLINE_CONTAINERS and tag != _W + "hyperlink":  # block-level w:ins, w:moveTo
                self.body(child, where)
            elif tag == _W + "altChunk":
                self._note(self._place(where, self.n_paragraphs + 1),
                           "an embedded document (w:altChunk) is not read")
        self.flush_pending(where)

    def _place(self, prefix: str | None, n: int) -> str:
        return f"{prefix}, paragraph {n}" if prefix else f"paragraph {n}"

    def flush_pending(self, where: str | None) -> None:
        if self.pending:
            text, self.pending = self.pending, ""
            self._emit_paragraph(text, None, self._place(where, self.n_paragraphs))

    def paragraph(self, p: Any, where: str | None) -> None:
        if where is None:
            self.n_paragraphs += 1
            place = f"paragraph {self.n_paragraphs}"
        else:
            self.n_box_paragraphs += 1
            place = f"{where}, paragraph {self.n_box_paragraphs}"
        para = self.read_paragraph(p)
        self._hidden(place, para.hidden)
        self._hidden(place, "".join(para.white), _WHITE_TEXT)
        text = self.pending + para.text
        self.pending = ""
        if para.mark_deleted:
            self.pending = text
        else:
            self._emit_paragraph(text, para, place)
        for box in para.boxes:
            self.text_box(box)

    def _emit_paragraph(self, text: str, para: _Para | None, place: str) -> None:
        text = _clean(text)
        if not text:
            return
        level = para.level if para is not None else None
        if level is None and para is not None and not para.numbered:
            level = _numbered_heading(text)
        self._count()
        self.blocks.append(Paragraph(text, Provenance(self.adapter, locator=place), level))

    def text_box(self, box: Any) -> None:
        self.n_boxes += 1
        saved = self.n_box_paragraphs, self.pending
        self.n_box_paragraphs = 0
        self.pending = ""
        self.body(box, f"text box {self.n_boxes}")
        self.n_box_paragraphs, self.pending = saved

    # -- paragraphs
    def read_paragraph(self, p: Any) -> _Para:
        """Read one ``w:p``: its visible and hidden text, its heading level, its list number.

        One pass over the paragraph's children and its properties' children: lxml's
        ``find`` goes through ElementPath in Python, several times slower for this."""
        para = _Para()
        style: str | None = self.styles.default_paragraph
        para.style = style
        prefix = ""
        out: list[str] = []
        hidden: list[str] = []
        fields: list[bool] = []
        hide: bool | None = None
        for child in p:
            tag = child.tag
            if tag == W_R:
                if hide is None:
                    hide = self.styles.default_hidden or (style is not None and style in self.styles.hidden)
                self._run(child, out, hidden, fields, para, hide)
            elif tag == W_PPR:
                for prop in child:
                    ptag = prop.tag
                    if ptag == W_PSTYLE:
                        style = para.style = prop.get(W_VAL)
                    elif ptag == W_SHD:
                        para.fill = _fill(prop)
                    elif ptag == W_OUTLINELVL:
                        lvl = _int(prop.get(W_VAL), 9)
                        para.level = lvl + 1 if 0 <= lvl < 9 else 0
                    elif ptag == W_RPR:
                        for mark in prop:
                            if mark.tag == W_DEL:
                                para.mark_deleted = True
                    elif ptag == W_NUMPR:
                        nid, ilvl = None, 0
                        for item in prop:
                            if item.tag == W_NUMID:
                                nid = item.get(W_VAL)
                            elif item.tag == W_ILVL:
                                ilvl = _int(item.get(W_VAL), 0)
                        if nid and nid != "0":
                            prefix = self.numbering.label(nid, ilvl)
                            para.numbered = True
            else:
                if hide is None:
                    hide = self.styles.default_hidden or (style is not None and style in self.styles.hidden)
                self._inline_one(child, tag, out, hidden, fields, para, hide)
        if para.level is None and style is not None:
            para.level = self.styles.level.get(style)
        elif para.level == 0:  # an outline level of 9: body text, whatever the style says
            para.level = None
        text = "".join(out)
        if prefix and text.strip():
            text = prefix + text
        para.text = text
        para.hidden = "".join(hidden)
        return para

    def _inline(self, el: Any, out: list[str], hidden: list[str], fields: list[bool], para: _Para,
                hide: bool) -> None:
        for child in el:
            tag = child.tag
            if tag == W_R:
                self._run(child, out, hidden, fields, para, hide)
            else:
                self._inline_one(child, tag, out, hidden, fields, para, hide)

    def _inline_one(self, child: Any, tag: Any, out: list[str], hidden: list[str], fields: list[bool],
                    para: _Para, hide: bool) -> None:
        """Paragraph content other than a run: containers, content controls, math; deletions skipped."""
        if tag in _INLINE_CONTAINERS:
            self._inline(child, out, hidden, fields, para, hide)
        elif tag == W_SDT:
            for part in child:
                if part.tag == W_SDTCONTENT:
                    self._inline(part, out, hidden, fields, para, hide)
        elif tag == _M + "oMathPara" or tag == _M + "oMath":
            out.append("".join(t.text or "" for t in child.iter(_M + "t")))
        elif tag == MC_ALT:
            self._inline(_alternative(child), out, hidden, fields, para, hide)

    def _run(self, r: Any, out: list[str], hidden: list[str], fields: list[bool], para: _Para, hide: bool) -> None:
        """One ``w:r``: its text to ``out``; hidden text to ``hidden``; white-on-white text to ``para.white``;
        raised or lowered text (``w:vertAlign``, direct or from the run's or paragraph's style) as Unicode
        superscript or subscript characters, so that a footnote mark is no digit of a number beside it."""
        styles = self.styles
        align = styles.vert_align.get(para.style) if para.style is not None else None
        colour = styles.colour.get(para.style) if para.style is not None else None
        background = para.fill or self.cell_fill
        script: list[str] | None = None  # the run's text when it is raised or lowered
        if hide:
            sink = hidden
        elif colour is not None and _unseen(colour, background):
            sink = para.white
        elif align in ("superscript", "subscript"):
            sink = script = []
        else:
            sink = out
        for child in r:
            tag = child.tag
            if tag == W_T:
                if child.text and not (fields and False in fields):
                    sink.append(child.text)
            elif tag == W_RPR:
                for prop in child:
                    ptag = prop.tag
                    if ptag == W_VANISH:
                        hide = _on(prop)
                    elif ptag == W_RSTYLE:
                        rstyle = prop.get(W_VAL)
                        if rstyle in styles.hidden:
                            hide = True
                        align = styles.vert_align.get(rstyle, align)
                        colour = styles.colour.get(rstyle, colour)
                    elif ptag == W_VERTALIGN:
                        align = prop.get(W_VAL) or align
                    elif ptag == W_COLOR:
                        colour = prop.get(W_VAL) or colour
                    elif ptag == W_SHD:
                        background = _fill(prop) or background
                    elif ptag == W_HIGHLIGHT:
                        mark = (prop.get(W_VAL) or "none").lower()
                        if mark != "none":
                            background = "FFFFFF" if mark in _WHITE_HIGHLIGHT else "?"
                script = None
                if hide:
                    sink = hidden
                elif _unseen(colour, background):
                    sink = para.white
                elif align in ("superscript", "subscript"):
                    sink = script = []
                else:
                    sink = out
            elif tag in _NOT_TEXT:
                continue
            elif tag == W_FLDCHAR:
                kind = child.get(W_FLDCHARTYPE)
                if kind == "begin":
                    if len(fields) < 64:
                        fields.append(False)  # False: in the field code, not shown
                elif kind == "separate":
                    if fields:
                        fields[-1] = True  # the displayed result follows
                elif kind == "end" and fields:
                    fields.pop()
            elif tag in _LINE_BREAKS:
                if not (fields and False in fields):
                    sink.append("\n")
            elif tag in _TABS:
                sink.append("\t")
            elif tag == _W + "noBreakHyphen":
                sink.append("-")
            elif tag in _OBJECTS:
                para.boxes.extend(_text_boxes(child))
            elif tag in _INLINE_CONTAINERS:  # a content control or an inserted run inside a run (lenient)
                self._inline(child, sink, hidden, fields, para, hide)
        if script:
            text = "".join(script)
            out.append(superscript(text) if align == "superscript" else subscript(text))

    # -- tables
    def table_block(self, tbl: Any, where: str | None) -> None:
        self.flush_pending(where)
        deferred: list[Any] = []
        self.table(tbl, deferred, where)
        while deferred:
            inner = deferred.pop(0)
            self.table(inner, deferred, where)

    def table(self, tbl: Any, deferred: list[Any], where: str | None) -> None:
        rows = list(_through_wrappers(tbl, _ROW))
        cells_in = [list(_through_wrappers(tr, _CELL)) for tr in rows]
        n_tc = sum(len(c) for c in cells_in)
        if n_tc == 0:
            return
        if n_tc == 1:  # a frame around content: read the content itself
            tc = cells_in[0][0]
            self.body(tc, where)
            return
        self.n_tables += 1
        t = self.n_tables
        placed: list[list[Any]] = []  # [row, col, row_span, col_span, text, (r, c)]
        open_v: dict[int, int] = {}  # grid column -> index in placed of a cell merged downwards
        for r, (tr, tcs) in enumerate(zip(rows, cells_in)):
            col = 0
            if len(tr) and tr[0].tag == W_TRPR:
                for prop in tr[0]:
                    if prop.tag == W_GRIDBEFORE:
                        col = min(max(_int(prop.get(W_VAL), 0), 0), MAX_COLSPAN)
            still_open: dict[int, int] = {}
            last: list[Any] | None = None
            for c, tc in enumerate(tcs):
                span, vmerge, hmerge = 1, None, None
                if len(tc) and tc[0].tag == W_TCPR:
                    for prop in tc[0]:
                        ptag = prop.tag
                        if ptag == W_GRIDSPAN:
                            span = min(max(_int(prop.get(W_VAL), 1), 1), MAX_COLSPAN)
                        elif ptag == W_VMERGE:
                            vmerge = prop.get(W_VAL) or "continue"
                        elif ptag == W_HMERGE:
                            hmerge = prop.get(W_VAL) or "continue"
                place = f"table {t}, row {r + 1}, cell {c + 1}"
                if hmerge == "continue" and last is not None and last[1] + last[3] == col:
                    last[3] += span  # legacy horizontal merge: the cell widens the one before it
                    self._cell_text(tc, place, deferred)  # (its own content is not shown)
                    col += span
                    continue
                above = open_v.get(col)
                if vmerge == "continue" and above is not None and placed[above][3] == span:
                    placed[above][2] = r - placed[above][0] + 1
                    still_open[col] = above
                    self._cell_text(tc, place, deferred)  # a continuation shows nothing of its own
                    col += span
                    continue
                text = self._cell_text(tc, place, deferred)
                self._count()
                cell = [r, col, 1, span, text, place]
                placed.append(cell)
                last = cell
                if vmerge is not None:
                    still_open[col] = len(placed) - 1
                col += span
            open_v = still_open
        if not placed:
            return
        area = sum(p[2] * p[3] for p in placed)
        self.area += area
        if self.area > MAX_GRID_AREA:
            raise ResourceLimitError(f"the tables cover more than {MAX_GRID_AREA} grid positions (at table {t})")
        adapter = self.adapter
        cells = [Cell(row, col, text, rs, cs, Provenance(adapter, locator=place))
                 for row, col, rs, cs, text, place in placed]
        self._count()
        self.blocks.append(Table(cells, provenance=Provenance(adapter, locator=f"table {t}")))

    def _cell_text(self, tc: Any, place: str, deferred: list[Any]) -> str:
        """A cell's text: its paragraphs as lines; nested tables deferred, text boxes as more lines."""
        lines: list[str] = []
        hidden: list[str] = []
        white: list[str] = []
        pending = ""
        self.cell_fill = None
        if len(tc) and tc[0].tag == W_TCPR:
            for prop in tc[0]:
                if prop.tag == W_SHD:
                    self.cell_fill = _fill(prop)
        for p in _through_wrappers(tc, _CELL_CONTENT):
            if p.tag == W_TBL:
                deferred.append(p)
                continue
            para = self.read_paragraph(p)
            if para.hidden:
                hidden.append(para.hidden)
            white.extend(para.white)
            text = pending + para.text
            pending = ""
            if para.mark_deleted:
                pending = text
                continue
            lines.append(text)
            for box in para.boxes:
                for bp in _through_wrappers(box, _CELL_CONTENT):
                    if bp.tag == W_TBL:
                        deferred.append(bp)
                    else:
                        lines.append(self.read_paragraph(bp).text)
        if pending:
            lines.append(pending)
        self.cell_fill = None
        self._hidden(place, "".join(hidden))
        self._hidden(place, "".join(white), _WHITE_TEXT)
        return _clean_cell(lines)

    def finish(self) -> list[Note]:
        notes = list(self.notes)
        places = self.hidden_places
        for where, text, why in places[:20]:
            shown = text if len(text) <= 40 else text[:39] + "…"
            notes.append(Note(where, f"{why} not read: {shown!r}", code="hidden-text",
                              severity="info", evidence={"text": text[:500]}))
        if len(places) > 20:
            notes.append(Note(places[20][0], f"{len(places) - 20} more paragraphs or cells hold hidden text, "
                                             "not read", code="hidden-text", severity="info",
                              evidence={"places": [w for w, _, _ in places[20:220]]}))
        return notes


def _alternative(alt: Any) -> Any:
    """The one branch of ``mc:AlternateContent`` to read: the first ``mc:Choice``, else ``mc:Fallback``."""
    choice = alt.find(MC_CHOICE)
    if choice is not None:
        return choice
    fallback = alt.find(MC_FALLBACK)
    return fallback if fallback is not None else []


def _text_boxes(el: Any) -> Iterator[Any]:
    """The ``w:txbxContent`` elements in ``el`` (a drawing, a VML picture), not those nested in them."""
    stack = [el]
    while stack:
        node = stack.pop()
        if node.tag == W_TXBX:
            yield node
            continue
        if node.tag == MC_ALT:
            branch = _alternative(node)
            if not any(True for _ in _iter_tag(branch, W_TXBX)):
                fallback = node.find(MC_FALLBACK)
                branch = fallback if fallback is not None else branch
            stack.extend(reversed(list(branch)))
            continue
        stack.extend(reversed([c for c in node if isinstance(c.tag, str)]))


def _iter_tag(el: Any, tag: str) -> Iterator[Any]:
    if isinstance(el, list):
        return iter(())
    return el.iter(tag)


_WRAPPERS = frozenset([W_CUSTOMXML, _W + "ins", _W + "moveTo"])
_ROW, _CELL, _CELL_CONTENT = frozenset([W_TR]), frozenset([W_TC]), frozenset([W_P, W_TBL])


def _through_wrappers(el: Any, wanted: frozenset[str]) -> Iterator[Any]:
    """The children of ``el`` whose tag is ``wanted``, looking through content controls, custom XML
    and inserted-revision wrappers (rows of a table, cells of a row, paragraphs and tables of a cell)."""
    for child in el:
        tag = child.tag
        if tag in wanted:
            yield child
        elif tag == W_SDT:
            for part in child:
                if part.tag == W_SDTCONTENT:
                    yield from _through_wrappers(part, wanted)
        elif tag in _WRAPPERS:
            yield from _through_wrappers(child, wanted)


_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\ufeff\u2060\u00ad]")


def _clean(text: str) -> str:
    """One paragraph's text as a reader sees it: runs of blanks as one space, each line stripped."""
    if "\u200b" in text or "\ufeff" in text or "\u2060" in text or "\u00ad" in text:
        text = _INVISIBLE.sub("", text)
    if "\n" in text:
        return "\n".join(line for line in (_SPACES.sub(" ", x).strip() for x in text.split("\n")) if line)
    return _SPACES.sub(" ", text).strip()


def _clean_cell(lines: list[str]) -> str:
    if len(lines) == 1 and lines[0].isalnum():  # the common cell ("本年新制作数量", "14")
        return lines[0]
    out = [_clean(line) for line in lines]
    return "\n".join(line for line in out if line)


def _numbered_heading(text: str) -> int | None:
    """Level 2 for a short ``一、…`` line, 3 for ``（一）…``; None otherwise."""
    if len(text) > 40 or "\n" in text or text.endswith(_SENTENCE_END):
        return None
    m = _NUMBERED_HEADING.match(text)
    if not m:
        return None
    return 2 if m.group(1) else 3


# -- the adapter ---------------------------------------------------------------------------------


def _converted_version(package: _Package) -> str | None:
    """The application that wrote the package (docProps/app.xml), e.g. ``LibreOffice/7.4.7.2``."""
    if not package.has("docProps/app.xml"):
        return None
    try:
        root = package.xml("docProps/app.xml")
    except GxparseError:
        return None
    app = root.find("{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}Application")
    if app is None or not app.text:
        return None
    return app.text.split("$", 1)[0].strip() or None


class DocxAdapter(FormatAdapter):
    """Word documents: .docx natively, .doc and .wps through LibreOffice."""

    name = "docx"
    priority = 85
    description = "Word documents (.docx; .doc and .wps through LibreOffice): tables on their true grid"

    def accepts(self, head: bytes, name: str | None = None) -> float:
        """1.0 for a ZIP package with ``word/document.xml`` or an OLE2 file with a ``WordDocument``
        stream (.doc, .wps); 0.5 for a ZIP package or OLE2 file whose kind the head does not show
        (the main part or the directory lies further on); 0 for other office files and everything else."""
        try:
            kind = sniff(head)
        except Exception:  # noqa: BLE001  # pragma: no cover - a sniffer must never raise
            return 0.0
        if kind is None:
            return 0.0
        if kind.word:
            return 1.0
        if kind.key in ("zip", "ole2", "encrypted"):
            return 0.5
        return 0.0

    def extract(self, source: Source) -> Document:
        """Read a Word document into paragraphs and grid tables (see the module docstring).

        Raises:
            NeedsConverterError: a .doc or .wps file and no LibreOffice on PATH.
            EncryptedSourceError: a password-protected document.
            UnsupportedFormatError: another office file (a spreadsheet, a presentation, OFD).
            ResourceLimitError: beyond :data:`MAX_BYTES`, :data:`MAX_PART_BYTES`,
                :data:`MAX_CELLS_AND_BLOCKS`, :data:`MAX_GRID_AREA` or the XML nesting limit.
            ExtractError: a damaged package, XML that is not well-formed, a failed conversion.
            EmptySourceError: an empty file or a document without text.
        """
        try:
            return self._extract(source)
        except GxparseError as exc:
            raise exc.with_source(source.name) from None
        except RecursionError:
            raise ResourceLimitError("the document is nested too deeply", source=source.name) from None

    def _extract(self, source: Source) -> Document:
        data = source.data
        source.check_not_empty()
        if len(data) > MAX_BYTES:
            raise ResourceLimitError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
        kind = sniff(data[:65536])
        if kind is not None and kind.key in ("zip", "ole2"):  # the head does not show enough: look at it all
            kind = identify(data)
        notes: list[Note] = []
        if kind is None:
            raise ExtractError("not a Word document (neither a ZIP package nor an OLE2 compound file)")
        if kind.needs_conversion:
            data, note = self._convert(data, kind, source)
            notes.append(note)
        elif kind.key == "encrypted":
            raise EncryptedSourceError(f"the file is {kind.refusal()}")
        elif kind.key == "ole2":
            raise ExtractError("not a Word document: an OLE2 compound file without a WordDocument stream")
        elif kind.key != "docx" and kind.key != "zip":
            raise UnsupportedFormatError(f"the file is {kind.refusal()}")
        package = _Package(data)
        doc = self._read(package)
        if notes:
            version = _converted_version(package)
            note = notes[0]
            evidence = dict(note.evidence)
            if version:
                evidence["version"] = version
            notes[0] = Note(note.where, note.message + (f" ({version})" if version else ""), code=note.code,
                            severity=note.severity, evidence=evidence)
        return Document(doc.blocks, adapter=self.name, notes=[*notes, *doc.notes])

    def _convert(self, data: bytes, kind: OfficeFormat, source: Source) -> tuple[bytes, Note]:
        from ._soffice import ConverterMissing, convert_to_docx

        suffix = "wps" if kind.key in ("wps", "works") else "doc"
        try:
            converted, evidence = convert_to_docx(data, suffix)
        except ConverterMissing:
            raise NeedsConverterError(
                f"the file is {kind.name}; gxparse reads it through LibreOffice, which is not installed: "
                "install LibreOffice (soffice on PATH, e.g. apt-get install libreoffice-writer-nogui) "
                "or save the file as .docx or PDF") from None
        evidence = {"from": kind.key, **evidence}
        note = Note("document", f"{kind.name} converted to .docx by LibreOffice", code="converted",
                    severity="info", evidence=evidence)
        return converted, note

    def _read(self, package: _Package) -> Document:
        main = package.main_part()
        root = package.xml(main)
        if root.tag != _W + "document":
            raise ExtractError(f"not a Word document: {main} holds <{_local(root.tag)}>, not <w:document>")
        rels = package.relationships(main)
        styles_root = numbering_root = None
        if "styles" in rels and package.has(rels["styles"][1]):
            styles_root = package.xml(rels["styles"][1])
        if "numbering" in rels and package.has(rels["numbering"][1]):
            numbering_root = package.xml(rels["numbering"][1])
        reader = _Reader(self.name, _Styles(styles_root), _Numbering(numbering_root))
        body = root.find(_W + "body")
        if body is not None:
            reader.body(body)
        notes = reader.finish()
        if not reader.blocks:
            raise EmptySourceError("the document has no visible text")
        return Document(reader.blocks, adapter=self.name, notes=notes)


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]
