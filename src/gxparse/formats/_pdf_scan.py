"""A look at a PDF's structure before its pages are drawn: bounds, and fonts without Unicode.

Both backends draw pages with code that cannot be interrupted from Python
(PDFium is C; pdfminer expands form XObjects recursively), so what could
make a small file take minutes or gigabytes is refused before a page is
drawn, from the objects themselves (read with pdfminer's parser, which
reads objects lazily and draws nothing):

* form XObjects that draw each other in a cycle, or so often that a page
  would draw more than :attr:`Limits.max_form_calls` of them (a form drawing
  another twice on each of 24 levels draws it 16 million times), or nested
  deeper than :attr:`Limits.max_form_depth`;
* content streams that inflate to more than :attr:`Limits.max_content_bytes`
  on one page.

The same pass classifies each page's fonts (:func:`font_mapping`): a font
with a ``/ToUnicode`` map, a standard encoding or a predefined CJK
character collection is read by the backends as it is; a font without any
of these (an embedded TrueType font with only its own codes, a CID font on
the ``Identity`` ordering) gets its text from the embedded font program's
own ``cmap`` and glyph names when they tell (fontTools); when they do not,
its glyphs are unreadable and said so, font by font.

A file that pdfminer's parser cannot read at all (damaged beyond its
repair) is not scanned: the backend then reports it, and PDFium may still
repair and read it.
"""

from __future__ import annotations

import io
import re
import zlib
from typing import Any, NamedTuple

from .._errors import ResourceLimitError

__all__ = ["UNMAPPED", "DocScan", "Limits", "PageScan", "base_font_name", "font_mapping", "may_exceed",
           "may_lack_unicode", "scan"]

#: A font whose glyphs have no Unicode mapping at all.
UNMAPPED = "unmapped"


class Limits(NamedTuple):
    """Safety bounds of the PDF adapter; each is a :class:`~gxparse.ResourceLimitError` naming the page.

    Attributes:
        max_pages: pages in the document.
        max_ops: drawing operations (glyphs, paths, images) on one page, form XObjects included.
        max_form_depth: form XObjects nested inside each other on one page.
        max_form_calls: form XObjects drawn on one page, counting each time one is drawn.
        max_content_bytes: bytes of the page's content streams and its forms' streams, inflated.
    """

    max_pages: int = 2000
    max_ops: int = 500_000
    max_form_depth: int = 24
    max_form_calls: int = 20_000
    max_content_bytes: int = 256 * 1024 * 1024


class PageScan(NamedTuple):
    """What the scan found on one page."""

    #: fonts needing more than the backends' own reading, by base font name (subset prefix removed):
    #: :data:`UNMAPPED`, or a map from character code (CID) to text recovered from the font program.
    fonts: dict[str, str | dict[int, str]]


class DocScan(NamedTuple):
    """What the scan found, page by page (empty when the file could not be scanned)."""

    pages: list[PageScan]

    def page(self, index: int) -> PageScan | None:
        return self.pages[index] if 0 <= index < len(self.pages) else None


_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![A-Za-z])")
_SUBSET = re.compile(r"^[A-Z]{6}\+")


def base_font_name(name: object) -> str:
    """A font's base name without the subset prefix (``ABCDEF+SimSun`` → ``SimSun``)."""
    text = name.decode("latin-1") if isinstance(name, bytes) else str(getattr(name, "name", name))
    return _SUBSET.sub("", text)


_IMAGE_FILTERS = (b"/DCTDecode", b"/JPXDecode", b"/CCITTFaxDecode", b"/JBIG2Decode", b"/Image")
_MARKS = re.compile(rb"/(Form|ObjStm|Filter\s*\[|FontFile|ToUnicode)")


def raw_marks(data: bytes) -> dict[bytes, int]:
    """How often the names the cheap tests look for occur in the raw bytes (one pass)."""
    out: dict[bytes, int] = {}
    for m in _MARKS.findall(data):
        key = b"Filter[" if m.startswith(b"Filter") else m
        out[key] = out.get(key, 0) + 1
    return out


def may_exceed(data: bytes, limits: Limits, marks: dict[bytes, int] | None = None) -> bool:
    """Could ``data`` hold what :func:`scan` refuses? A cheap test on the raw bytes.

    False when it has no form XObjects, no compressed object streams (which could hide them), no
    chains of filters, and no stream (other than an image) large enough to inflate past the
    content bound through one deflate filter (about 1032:1 at most). ``marks``: :func:`raw_marks`
    of ``data``, when already counted.
    """
    marks = raw_marks(data) if marks is None else marks
    if marks.get(b"Form") or marks.get(b"ObjStm") or marks.get(b"Filter["):
        return True
    smallest = limits.max_content_bytes // 1032
    if len(data) <= smallest:
        return False
    for chunk in data.split(b"endstream"):  # each chunk ends with one stream's data
        if len(chunk) <= smallest:
            continue
        start = chunk.rfind(b"stream")
        if start < 0 or (len(chunk) - start > smallest and not any(
                f in chunk[max(0, start - 400):start] for f in _IMAGE_FILTERS)):
            return True
    return False


def may_lack_unicode(data: bytes, marks: dict[bytes, int] | None = None) -> bool:
    """Could a font embedded in ``data`` have no Unicode mapping? A cheap test on the raw bytes:
    fewer ``/ToUnicode`` maps than embedded font programs, or objects hidden in compressed
    object streams."""
    marks = raw_marks(data) if marks is None else marks
    return bool(marks.get(b"ObjStm")) or marks.get(b"FontFile", 0) > marks.get(b"ToUnicode", 0)


def scan(source: bytes | Any, limits: Limits, *, fonts: bool = True) -> DocScan:
    """Check a PDF against ``limits`` and classify its fonts (see the module docstring).

    ``source`` is the file's bytes or a pdfminer ``PDFDocument`` already open (whose parsed
    objects are then shared). ``fonts=False`` checks the bounds only.
    Raises :class:`ResourceLimitError` (with ``page``) when a bound is exceeded.
    Returns an empty :class:`DocScan` when pdfminer cannot parse the file.
    """
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        doc = PDFDocument(PDFParser(io.BytesIO(source))) if isinstance(source, bytes) else source
        pages = PDFPage.create_pages(doc)
    except Exception:  # noqa: BLE001 - damaged, encrypted: the backend says what is wrong
        return DocScan([])
    out: list[PageScan] = []
    index = 0
    while True:
        try:
            page = next(pages)
        except StopIteration:
            break
        except Exception:  # noqa: BLE001 - a damaged page tree: the backend reports it
            break
        index += 1
        if index > limits.max_pages:
            break  # the adapter reports the page count
        try:
            out.append(_scan_page(page, index, limits, fonts))
        except ResourceLimitError:
            raise
        except RecursionError:
            raise ResourceLimitError(f"page {index}: its resources are nested too deeply to read",
                                     page=index) from None
        except Exception:  # noqa: BLE001 - a damaged object: the backend reports what it cannot draw
            out.append(PageScan({}))
    return DocScan(out)


def _resolve(obj: Any) -> Any:
    from pdfminer.pdftypes import resolve1

    return resolve1(obj)


def _name(obj: Any) -> str:
    obj = _resolve(obj)
    name = getattr(obj, "name", obj)
    return name.decode("latin-1") if isinstance(name, bytes) else str(name) if name is not None else ""


def _dict(obj: Any) -> dict:
    obj = _resolve(obj)
    return obj if isinstance(obj, dict) else {}


def _inflated_size(stream: Any, budget: int) -> int:
    """The stream's decoded length, counting no further than ``budget`` + 1 (deflate chains are
    inflated piecewise and stopped there; other filters are decoded by pdfminer)."""
    raw = stream.rawdata if stream.rawdata is not None else stream.data
    if raw is None:
        return 0
    filters = stream.get_filters()
    if not filters:
        return len(raw)
    if all(_name(f) in ("FlateDecode", "Fl") for f, _ in filters):
        data = raw
        for k in range(len(filters)):
            last = k == len(filters) - 1
            d = zlib.decompressobj()
            total = 0
            kept: list[bytes] = []
            chunk = data
            try:
                while chunk and total <= budget:
                    out = d.decompress(chunk, 1 << 20)
                    total += len(out)
                    if not last:
                        kept.append(out)
                    chunk = d.unconsumed_tail
            except zlib.error:
                pass
            if last or total > budget:
                return total
            data = b"".join(kept)
        return len(data)  # pragma: no cover - the loop returns
    return len(stream.get_data())


def _content(stream: Any) -> bytes:
    try:
        return stream.get_data() or b""
    except Exception:  # noqa: BLE001 - an undecodable stream draws nothing
        return b""


def _scan_page(page: Any, number: int, limits: Limits, want_fonts: bool) -> PageScan:
    from pdfminer.pdftypes import PDFStream

    resources = _dict(page.resources)
    budget = limits.max_content_bytes
    used = 0
    streams = [s for s in (_resolve(x) for x in (page.contents or [])) if isinstance(s, PDFStream)]
    for s in streams:
        used += _inflated_size(s, budget - used)
        if used > budget:
            raise ResourceLimitError(f"its content inflates to more than "
                                     f"{limits.max_content_bytes >> 20} MB", page=number)
    fonts: dict[str, str | dict[int, str]] = {}
    if want_fonts:
        _fonts(resources, fonts)
    forms = _forms(resources)
    if forms:
        calls = 0
        memo: dict[int, int] = {}
        sizes: dict[int, int] = {}
        page_calls = b"".join(_content(s) for s in streams)
        for name in _DO.findall(page_calls):
            form = forms.get(name.decode("latin-1"))
            if form is not None:
                calls += 1 + _form_calls(form, resources, number, limits, memo, [], fonts if want_fonts else None,
                                         sizes)
                if calls > limits.max_form_calls:
                    raise ResourceLimitError(
                        f"it draws form XObjects more than {limits.max_form_calls} times "
                        "(forms that draw each other over and over)", page=number)
        for size in sizes.values():
            used += size
            if used > budget:
                raise ResourceLimitError(f"its content inflates to more than "
                                         f"{limits.max_content_bytes >> 20} MB", page=number)
    return PageScan(fonts)


def _forms(resources: dict) -> dict[str, Any]:
    from pdfminer.pdftypes import PDFStream

    out = {}
    for key, value in _dict(resources.get("XObject")).items():
        obj = _resolve(value)
        if isinstance(obj, PDFStream) and _name(obj.get("Subtype")) == "Form":
            out[_name(key)] = obj
    return out


def _form_calls(form: Any, parent_resources: dict, number: int, limits: Limits, memo: dict[int, int],
                path: list[int], fonts: dict[str, str | dict[int, str]] | None, sizes: dict[int, int]) -> int:
    """How many forms drawing ``form`` draws in turn (memoised per object; a cycle is an error).

    ``sizes`` gets the inflated size of every form stream reached, once per stream.
    """
    objid = form.objid if form.objid is not None else id(form)
    if objid in path:
        raise ResourceLimitError("form XObjects draw each other in a cycle", page=number)
    if objid in memo:
        return memo[objid]
    if len(path) >= limits.max_form_depth:
        raise ResourceLimitError(f"form XObjects are nested more than {limits.max_form_depth} "
                                 "deep", page=number)
    sizes[objid] = _inflated_size(form, limits.max_content_bytes)
    res = _dict(form.get("Resources")) or parent_resources
    if fonts is not None:
        _fonts(res, fonts)
    inner = _forms(res)
    total = 0
    if inner:
        path.append(objid)
        for name in _DO.findall(_content(form)):
            child = inner.get(name.decode("latin-1"))
            if child is None:
                continue
            total += 1 + _form_calls(child, res, number, limits, memo, path, fonts, sizes)
            if total > limits.max_form_calls:
                raise ResourceLimitError(
                    f"it draws form XObjects more than {limits.max_form_calls} times "
                    "(forms that draw each other over and over)", page=number)
        path.pop()
    memo[objid] = total
    return total


def _fonts(resources: dict, out: dict[str, str | dict[int, str]]) -> None:
    for value in _dict(resources.get("Font")).values():
        spec = _dict(value)
        if not spec:
            continue
        name = base_font_name(_name(spec.get("BaseFont")) or "?")
        if name in out:
            continue
        mapping = font_mapping(spec)
        if mapping is not None:
            out[name] = mapping


# -- fonts ------------------------------------------------------------------------------------------

_PREDEFINED_ORDERINGS = {"GB1", "CNS1", "Japan1", "Korea1", "KR"}


def font_mapping(spec: dict) -> str | dict[int, str] | None:
    """How a font's glyphs get their text: ``None`` (the font says it: ToUnicode, an encoding, a
    predefined character collection), a code → text map recovered from the embedded font program,
    or :data:`UNMAPPED`."""
    if spec.get("ToUnicode") is not None:
        return None
    subtype = _name(spec.get("Subtype"))
    if subtype == "Type0":
        descendants = _resolve(spec.get("DescendantFonts"))
        desc_font = _dict(descendants[0]) if isinstance(descendants, list) and descendants else {}
        info = _dict(desc_font.get("CIDSystemInfo"))
        ordering = info.get("Ordering")
        ordering = ordering.decode("latin-1") if isinstance(ordering, bytes) else _name(ordering)
        encoding = _resolve(spec.get("Encoding"))
        if ordering in _PREDEFINED_ORDERINGS:
            return None
        if not isinstance(encoding, dict) and _name(encoding) not in ("Identity-H", "Identity-V"):
            return None  # a predefined CMap names Unicode (UniGB-UCS2-H …)
        program = _program(_dict(desc_font.get("FontDescriptor")))
        if program is None:
            return UNMAPPED
        cid_to_gid = _resolve(desc_font.get("CIDToGIDMap"))
        gid_map = None
        if cid_to_gid is not None and not isinstance(cid_to_gid, (str, bytes)) and hasattr(cid_to_gid, "get_data"):
            raw = _content(cid_to_gid)
            gid_map = {i // 2: (raw[i] << 8) | raw[i + 1] for i in range(0, len(raw) - 1, 2)}
        return _recover_cid(program, gid_map) or UNMAPPED
    if subtype not in ("TrueType", "Type1", "MMType1"):
        return None  # Type3: glyph names of its own encoding
    descriptor = _dict(spec.get("FontDescriptor"))
    if spec.get("Encoding") is not None:
        return None
    flags = descriptor.get("Flags")
    symbolic = isinstance(flags, int) and bool(flags & 4)
    if not symbolic or subtype != "TrueType":
        return None  # the standard encoding, or a Type1 program's own encoding (pdfminer reads it)
    program = _program(descriptor)
    if program is None:
        return None  # not embedded: a system font, read by its name's encoding
    return _recover_simple(program) or UNMAPPED


def _program(descriptor: dict) -> bytes | None:
    for key in ("FontFile2", "FontFile3"):
        stream = _resolve(descriptor.get(key))
        if stream is not None and hasattr(stream, "get_data"):
            data = _content(stream)
            if data:
                return data
    return None


def _font(program: bytes) -> Any:
    try:
        from fontTools.ttLib import TTFont
    except ImportError:  # pragma: no cover - fontTools is a dependency
        return None
    try:
        return TTFont(io.BytesIO(program), lazy=True, fontNumber=0)
    except Exception:  # noqa: BLE001 - a bare CFF program or a broken font: nothing to recover from
        return None


def _glyph_texts(font: Any) -> dict[str, str]:
    """Glyph name → text, from the font's Unicode cmap and its glyph names (AGL)."""
    from fontTools import agl

    out: dict[str, str] = {}
    try:
        best = font.getBestCmap() or {}
    except Exception:  # noqa: BLE001
        best = {}
    for code, glyph in sorted(best.items(), reverse=True):
        out[glyph] = chr(code)  # the lowest code point wins for a glyph shared by several
    try:
        names = font.getGlyphOrder()
    except Exception:  # noqa: BLE001
        names = []
    for glyph in names:
        if glyph not in out:
            text = agl.toUnicode(glyph)
            if text and all(not (0xE000 <= ord(ch) <= 0xF8FF) for ch in text):
                out[glyph] = text
    return out


def _recover_simple(program: bytes) -> dict[int, str] | None:
    """Code → text of a symbolic TrueType font: code → glyph by its (3,0) or (1,0) cmap, glyph → text."""
    font = _font(program)
    if font is None:
        return None
    try:
        texts = _glyph_texts(font)
        if not texts:
            return None
        out: dict[int, str] = {}
        tables = [t for t in font["cmap"].tables if (t.platformID, t.platEncID) in ((3, 0), (1, 0))]
        for code in range(256):
            for table in tables:
                glyph = table.cmap.get(code) or table.cmap.get(0xF000 + code)
                if glyph and glyph in texts:
                    out[code] = texts[glyph]
                    break
        return out or None
    except Exception:  # noqa: BLE001 - a broken font: nothing recovered
        return None


def _recover_cid(program: bytes, gid_map: dict[int, int] | None) -> dict[int, str] | None:
    """CID → text of a CID font (``Identity`` ordering): CID → glyph id → glyph name → text."""
    font = _font(program)
    if font is None:
        return None
    try:
        texts = _glyph_texts(font)
        order = font.getGlyphOrder()
        by_gid = {gid: texts[name] for gid, name in enumerate(order) if name in texts}
        if gid_map is None:
            return by_gid or None
        out = {cid: by_gid[gid] for cid, gid in gid_map.items() if gid in by_gid}
        return out or None
    except Exception:  # noqa: BLE001 - a broken font: nothing recovered
        return None
