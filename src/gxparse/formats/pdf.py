"""PDF: ruled tables on their visual grid, stitched over page breaks; running text as paragraphs.

Two backends read the PDF (see :mod:`gxparse.formats._pdf_backends`):

* ``"pypdfium2"`` (default): PDFium through pypdfium2, characters and path
  objects read at C speed;
* ``"pdfplumber"``: pdfminer.six, pure Python, the slower reference.

Choose with ``PdfAdapter(backend="pdfplumber")`` or the environment variable
``GXPARSE_PDF_BACKEND=pdfplumber`` (read at each extraction). Both give the
same Document; the layout analysis (:mod:`gxparse.formats._pdf_layout`) is
shared.

What a person cannot see on the page (white on white, covered, clipped,
invisible text over visible text) is not read, and is reported as a
``hidden-text`` note; see ``docs/formats/pdf.md``.

What cannot be read is said plainly: a PDF whose pages have no text layer
(scans) raises :class:`~gxparse.NeedsOCRError` naming the first such page; in
a PDF where only some pages are scans, each of those pages gets a
``Document.notes`` entry and the rest is read. Glyphs without a Unicode
mapping (``(cid:N)``, private-use codes) are left out, the table cells that
hold them are left empty, and a note names the page; when no glyph at all can
be read, :class:`~gxparse.NeedsOCRError` names the first page. An encrypted PDF raises
:class:`~gxparse.EncryptedSourceError`; damaged or truncated bytes raise
:class:`~gxparse.ExtractError`; a file beyond the :class:`Limits` (pages,
drawing operations, form XObject nesting and calls, inflated content) raises
:class:`~gxparse.ResourceLimitError` naming the page. PDFium is called under a
process-wide lock: threads may parse PDFs at once.

This module knows PDF, not the report form.
"""

from __future__ import annotations

import contextlib
import os

from .._errors import EmptySourceError, ExtractError, GxparseError, ResourceLimitError
from .._model import Document
from .._registry import FormatAdapter
from .._source import Source
from ._pdf_scan import Limits

__all__ = ["BACKENDS", "DEFAULT_BACKEND", "ENV_BACKEND", "MAX_BYTES", "MAX_PAGES", "Limits", "PdfAdapter"]

#: Backend names; the first is the default.
BACKENDS = ("pypdfium2", "pdfplumber")
DEFAULT_BACKEND = BACKENDS[0]
#: Environment variable that selects the backend when the adapter was made without one.
ENV_BACKEND = "GXPARSE_PDF_BACKEND"
#: Documents with more pages than this raise ResourceLimitError.
MAX_PAGES = Limits().max_pages
#: Files larger than this raise ResourceLimitError before they are opened.
MAX_BYTES = 500 * 1024 * 1024

_ALIASES = {"pdfium": "pypdfium2", "pypdfium2": "pypdfium2", "fast": "pypdfium2",
            "pdfplumber": "pdfplumber", "plumber": "pdfplumber", "pdfminer": "pdfplumber", "reference": "pdfplumber"}


def _backend_name(name: str) -> str:
    key = name.strip().lower()
    if key not in _ALIASES:
        raise ValueError(f"unknown PDF backend {name!r}: choose {' or '.join(BACKENDS)}")
    return _ALIASES[key]


class PdfAdapter(FormatAdapter):
    """PDF files: ruled tables (merged cells, tables crossing pages) and running text.

    Args:
        backend: ``"pypdfium2"`` (default, fast) or ``"pdfplumber"`` (the
            reference). ``None`` reads :data:`ENV_BACKEND` at each
            extraction and falls back to the default.
        max_pages: page limit (default :data:`MAX_PAGES`).
        limits: the safety bounds (:class:`Limits`: pages, drawing operations per page, form
            XObject nesting and calls, inflated content per page); ``max_pages`` overrides its page
            limit. Exceeding one raises :class:`~gxparse.ResourceLimitError` naming the page.
    """

    name = "pdf"
    priority = 90
    description = "PDF files: ruled tables on their visual grid, stitched over page breaks (pypdfium2/pdfplumber)"

    def __init__(self, backend: str | None = None, *, max_pages: int = MAX_PAGES, limits: Limits | None = None) -> None:
        self._backend = _backend_name(backend) if backend is not None else None
        base = limits or Limits()
        self.limits = base._replace(max_pages=max_pages) if max_pages != MAX_PAGES or limits is None else base

    @property
    def max_pages(self) -> int:
        """The page limit (:attr:`Limits.max_pages`)."""
        return self.limits.max_pages

    @max_pages.setter
    def max_pages(self, value: int) -> None:
        self.limits = self.limits._replace(max_pages=value)

    @property
    def backend(self) -> str:
        """The backend the next extraction uses."""
        if self._backend is not None:
            return self._backend
        env = os.environ.get(ENV_BACKEND, "").strip()
        if env:
            try:
                return _backend_name(env)
            except ValueError:
                raise ExtractError(f"{ENV_BACKEND}={env!r} names no PDF backend "
                                   f"(choose {' or '.join(BACKENDS)})") from None
        return DEFAULT_BACKEND

    def accepts(self, head: bytes, name: str | None = None) -> float:
        """1.0 when ``%PDF-`` occurs in the first 1024 bytes; 0.3 for a ``.pdf`` name alone; else 0."""
        try:
            if b"%PDF-" in head[:1024]:
                return 1.0
            if name and name.lower().endswith(".pdf"):
                return 0.3
        except Exception:  # noqa: BLE001  # pragma: no cover - a sniffer must never raise
            return 0.0
        return 0.0

    def extract(self, source: Source) -> Document:
        """Read the PDF page by page into a Document (see the module docstring).

        Raises only :class:`~gxparse.GxparseError` subclasses.
        """
        try:
            return self._extract(source)
        except GxparseError as exc:
            raise exc.with_source(source.name) from None
        except RecursionError:
            raise ExtractError("the PDF is nested too deeply to read", source=source.name) from None
        except MemoryError:
            raise ResourceLimitError("the PDF is too large to read in memory", source=source.name) from None
        except Exception as exc:  # noqa: BLE001 - nothing but a GxparseError may leave extract()
            raise ExtractError(f"the PDF cannot be read ({self.backend}: {type(exc).__name__}: {exc})"[:300],
                               source=source.name) from None

    def _extract(self, source: Source) -> Document:
        from ._pdf_backends import PDFIUM_LOCK, quiet_pdfminer

        backend = self.backend
        with quiet_pdfminer(), (PDFIUM_LOCK if backend == "pypdfium2" else contextlib.nullcontext()):
            return self._read(source, backend)

    def _read(self, source: Source, backend: str) -> Document:
        from ._pdf_backends import open_backend
        from ._pdf_layout import analyse_page, assemble

        data = source.data
        if not data.strip():
            raise EmptySourceError("the file is empty")
        if len(data) > MAX_BYTES:
            raise ResourceLimitError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
        if b"%PDF-" not in data[:1024]:
            from .._office import sniff

            office = sniff(data[:65536])
            if office is not None and office.key not in ("zip", "ole2"):
                raise ExtractError(f"not a PDF: the file is {office.name}")
            raise ExtractError("not a PDF: the %PDF- header is missing")
        with open_backend(backend, data, self.limits) as pdf:
            n = pdf.page_count
            if n > self.max_pages:
                raise ResourceLimitError(f"the PDF has {n} pages, more than the limit of {self.max_pages}")
            if n <= 0:
                raise ExtractError("the PDF has no pages (it is damaged or truncated)")
            layouts = [analyse_page(pdf.page(i)) for i in range(n)]
        return assemble(layouts, self.name)
