"""PDFium's functions that the pypdfium2 backend calls per object, path segment and glyph.

The PDF backend (:mod:`._pdf_backends`) asks PDFium a few questions per glyph and per path
segment — tens of thousands of calls on a report. pypdfium2's own bindings convert every
argument to a typed ``ctypes`` pointer, which costs as much as the call; these layers call the
same functions of the same library (the addresses pypdfium2 loaded) with plain arguments:

* ``cffi`` (it comes with ``pdfplumber``, through ``pdfminer.six`` and ``cryptography``; nothing
  to compile, ABI mode): the cheapest calls, about two thirds of ctypes' cost per call, but
  about 25 ms to set up once per process;
* ``ctypes`` (the standard library, always there): no set-up cost; the fallback.

A process uses ctypes for its first :data:`CFFI_AFTER_PAGES` pages and cffi after (see
:func:`calls`); ``GXPARSE_PDFIUM_CALLS=ctypes`` or ``=cffi`` chooses (read when a document is
opened). Both give the same answers: the tests read every kind of page both ways. A layer also holds the scratch values the functions
write into, as structures with named fields read the same way in both layers:
``rect.left``, ``point.x``, ``rgba.r``, ``matrix.a``, ``box.right``, ``modes.fill``.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["ENV_CALLS", "Calls", "calls"]

#: Environment variable: ``ctypes`` forces the standard-library layer (``cffi`` is the default).
ENV_CALLS = "GXPARSE_PDFIUM_CALLS"

# name: (PDFium function, result, arguments); pointers are passed as ``void *``
_SIGNATURES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "page_object": ("FPDFPage_GetObject", "void*", ("void*", "int")),
    "form_object": ("FPDFFormObj_GetObject", "void*", ("void*", "unsigned long")),
    "form_count": ("FPDFFormObj_CountObjects", "int", ("void*",)),
    "kind": ("FPDFPageObj_GetType", "int", ("void*",)),
    "bounds": ("FPDFPageObj_GetBounds", "int", ("void*", "void*", "void*", "void*", "void*")),
    "matrix": ("FPDFPageObj_GetMatrix", "int", ("void*", "void*")),
    "fill_color": ("FPDFPageObj_GetFillColor", "int", ("void*", "void*", "void*", "void*", "void*")),
    "stroke_color": ("FPDFPageObj_GetStrokeColor", "int", ("void*", "void*", "void*", "void*", "void*")),
    "render_mode": ("FPDFTextObj_GetTextRenderMode", "int", ("void*",)),
    "clip_path": ("FPDFPageObj_GetClipPath", "void*", ("void*",)),
    "clip_count": ("FPDFClipPath_CountPaths", "int", ("void*",)),  # -1: the object has no clipping path
    "clip_segments": ("FPDFClipPath_CountPathSegments", "int", ("void*", "int")),
    "clip_segment": ("FPDFClipPath_GetPathSegment", "void*", ("void*", "int", "int")),
    "draw_mode": ("FPDFPath_GetDrawMode", "int", ("void*", "void*", "void*")),
    "segments": ("FPDFPath_CountSegments", "int", ("void*",)),
    "segment": ("FPDFPath_GetPathSegment", "void*", ("void*", "int")),
    "point": ("FPDFPathSegment_GetPoint", "int", ("void*", "void*", "void*")),
    "segment_kind": ("FPDFPathSegment_GetType", "int", ("void*",)),
    "segment_close": ("FPDFPathSegment_GetClose", "int", ("void*",)),
    "text_font": ("FPDFTextObj_GetFont", "void*", ("void*",)),
    "font_name": ("FPDFFont_GetBaseFontName", "size_t", ("void*", "void*", "size_t")),
    "loose": ("FPDFText_GetLooseCharBox", "int", ("void*", "int", "void*")),
    "origin": ("FPDFText_GetCharOrigin", "int", ("void*", "int", "void*", "void*")),
    "unmapped": ("FPDFText_HasUnicodeMapError", "int", ("void*", "int")),
    "fill": ("FPDFText_GetFillColor", "int", ("void*", "int", "void*", "void*", "void*", "void*")),
    "text_object": ("FPDFText_GetTextObject", "void*", ("void*", "int")),
    "font_size": ("FPDFText_GetFontSize", "double", ("void*", "int")),
    "char_matrix": ("FPDFText_GetMatrix", "int", ("void*", "int", "void*")),
}

# the scratch structures: name -> fields (C type, name)
_STRUCTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "rect": ("float", ("left", "top", "right", "bottom")),  # FS_RECTF
    "matrix": ("float", ("a", "b", "c", "d", "e", "f")),  # FS_MATRIX
    "point": ("double", ("x", "y")),  # a glyph's origin
    "fpoint": ("float", ("x", "y")),  # a path segment's point
    "rgba": ("unsigned int", ("r", "g", "b", "a")),
    "box": ("float", ("left", "bottom", "right", "top")),  # FPDFPageObj_GetBounds
    "modes": ("int", ("fill", "stroke")),  # FPDFPath_GetDrawMode
}


class Calls:
    """One layer: the functions of :data:`_SIGNATURES` as attributes, the scratch structures of
    :data:`_STRUCTS` as attributes, and ``<struct>_args``: the addresses of its fields, in order,
    as the functions take them."""

    name = ""
    page_object: Any
    form_object: Any
    form_count: Any
    kind: Any
    bounds: Any
    matrix: Any
    fill_color: Any
    stroke_color: Any
    render_mode: Any
    clip_path: Any
    clip_count: Any
    clip_segments: Any
    clip_segment: Any
    draw_mode: Any
    segments: Any
    segment: Any
    point: Any
    segment_kind: Any
    segment_close: Any
    text_font: Any
    font_name: Any
    loose: Any
    origin: Any
    unmapped: Any
    fill: Any
    text_object: Any
    font_size: Any
    char_matrix: Any

    def ptr(self, address: int) -> Any:  # pragma: no cover - abstract
        """The argument the functions take for a raw address (a page, a text page)."""
        raise NotImplementedError

    def base_font_name(self, font: Any) -> str:  # pragma: no cover - abstract
        """The base font name of a font handle (Latin-1, as PDF names are bytes)."""
        raise NotImplementedError

    def scratch(self) -> Any:  # pragma: no cover - abstract
        """A fresh set of scratch structures for one document (attributes ``rect``, ``rect_args`` …)."""
        raise NotImplementedError


class _Scratch:
    """The scratch structures of one open document."""

    rect: Any
    matrix: Any
    point: Any
    fpoint: Any
    rgba: Any
    box: Any
    modes: Any
    rect_args: tuple[Any, ...]
    matrix_args: tuple[Any, ...]
    point_args: tuple[Any, ...]
    fpoint_args: tuple[Any, ...]
    rgba_args: tuple[Any, ...]
    box_args: tuple[Any, ...]
    modes_args: tuple[Any, ...]


def _address(c: Any, function: str) -> int:
    ct = c.ctypes
    return ct.cast(getattr(c, function), ct.c_void_p).value or 0


class _CtypesCalls(Calls):
    name = "ctypes"

    def __init__(self, c: Any) -> None:
        ct = c.ctypes
        self._ct = ct
        types = {"void*": ct.c_void_p, "int": ct.c_int, "unsigned long": ct.c_ulong, "size_t": ct.c_size_t,
                 "double": ct.c_double}
        for name, (function, result, args) in _SIGNATURES.items():
            proto = ct.CFUNCTYPE(types[result], *(types[a] for a in args))
            setattr(self, name, proto(_address(c, function)))
        c_types = {"float": ct.c_float, "double": ct.c_double, "int": ct.c_int, "unsigned int": ct.c_uint}
        self._structs = {name: type(name, (ct.Structure,), {"_fields_": [(f, c_types[kind]) for f in fields]})
                         for name, (kind, fields) in _STRUCTS.items()}

    def ptr(self, address: int) -> int:
        return address

    def base_font_name(self, font: Any) -> str:
        ct = self._ct
        buf = ct.create_string_buffer(256)
        n = self.font_name(font, ct.addressof(buf), 256)
        return buf.value.decode("latin-1", "replace") if n else ""

    def scratch(self) -> _Scratch:
        out = _Scratch()
        for name, struct in self._structs.items():
            value = struct()
            base = self._ct.addressof(value)
            setattr(out, name, value)
            setattr(out, f"{name}_args", tuple(base + getattr(struct, f).offset for f in _STRUCTS[name][1]))
        return out


class _CffiCalls(Calls):
    name = "cffi"

    def __init__(self, c: Any) -> None:
        import cffi  # type: ignore[import-untyped]

        ffi = self._ffi = cffi.FFI()
        ffi.cdef("\n".join(f"typedef struct {{ {kind} {', '.join(fields)}; }} gx_{name};"
                           for name, (kind, fields) in _STRUCTS.items()))
        for name, (function, result, args) in _SIGNATURES.items():
            setattr(self, name, ffi.cast(f"{result} (*)({', '.join(args)})", _address(c, function)))

    def ptr(self, address: int) -> Any:
        return self._ffi.cast("void *", address)

    def base_font_name(self, font: Any) -> str:
        buf = self._ffi.new("char[256]")
        n = self.font_name(font, buf, 256)
        return self._ffi.string(buf).decode("latin-1", "replace") if n else ""

    def scratch(self) -> _Scratch:
        ffi = self._ffi
        out = _Scratch()
        for name, (_, fields) in _STRUCTS.items():
            value = ffi.new(f"gx_{name} *")
            setattr(out, name, value)
            setattr(out, f"{name}_args", tuple(ffi.addressof(value, f) for f in fields))
        return out


_LAYERS: dict[str, Calls] = {}

#: Pages a process reads through ctypes before it builds the cffi layer: building it costs about
#: 25 ms of CPU (cffi parses the declarations with pycparser), and each page read through it then
#: saves 0.2-0.5 ms. One report read by the command line stays on ctypes; a batch worker, or one
#: long document, moves to cffi.
CFFI_AFTER_PAGES = 64

_pages_asked = [0]


def calls(c: Any, pages: int = 0) -> Calls:
    """The call layer for pypdfium2's raw module ``c``, for a document of ``pages`` pages.

    ``GXPARSE_PDFIUM_CALLS`` (:data:`ENV_CALLS`) set to ``ctypes`` or ``cffi`` chooses; unset,
    ctypes until the process has been asked for :data:`CFFI_AFTER_PAGES` pages, cffi from then
    on. cffi falls back to ctypes when it cannot be imported or loaded. Each layer is made once
    per process. Both give the same answers (the tests read every kind of page both ways).
    """
    _pages_asked[0] += max(pages, 0)
    env = os.environ.get(ENV_CALLS, "").strip().lower()
    if env in ("ctypes", "cffi"):
        want = env
    else:
        want = "cffi" if "cffi" in _LAYERS or _pages_asked[0] >= CFFI_AFTER_PAGES else "ctypes"
    layer = _LAYERS.get(want)
    if layer is None:
        if want == "cffi":
            try:
                layer = _CffiCalls(c)
            except Exception:  # noqa: BLE001 - no cffi, or one that cannot load: the standard library's
                layer = _LAYERS.get("ctypes") or _CtypesCalls(c)
        else:
            layer = _CtypesCalls(c)
        _LAYERS[want] = layer
    return layer
