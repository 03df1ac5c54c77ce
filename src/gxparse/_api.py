"""The public entry points: :func:`parse`, :func:`extract`, :func:`map_document`."""

from __future__ import annotations

import os
import re
from typing import IO, TYPE_CHECKING, Any, Union

from ._errors import (
    ExtractError,
    GxparseError,
    MultipleReportsError,
    NeedsOCRError,
    NotAReportError,
    ResourceLimitError,
    page_ranges,
)
from ._model import Document, Note, Table
from ._registry import FormatAdapter, Registration, Registry, default_registry
from ._report import Report, SourceInfo
from ._source import Source, printable_path

if TYPE_CHECKING:
    from ._mapping import Mapped
    from ._report import Finding, Meta
    from ._validate import Validated

__all__ = ["SourceLike", "extract", "list_formats", "map_document", "open_source", "parse", "parse_all", "prepare"]

#: What :func:`parse` reads: a path, the file's bytes, the document's text, a
#: :class:`Source`, a binary or text file object (anything with ``read()``), or an
#: already parsed HTML tree (a ``bs4.BeautifulSoup`` or an lxml element).
SourceLike = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, Source, IO[bytes], IO[str], Any]


def open_source(source: SourceLike, *, name: str | None = None) -> Source:
    """A :class:`Source` from anything :func:`parse` accepts.

    A ``str`` is a path, unless it contains a line break (then it is the
    document's text); use :meth:`Source.from_text` to be explicit. A file
    object is read to its end (its ``name`` names the source). A
    ``bs4.BeautifulSoup`` or lxml element is serialised back to HTML, so
    crawler pipelines can pass the tree they already hold.

    Raises:
        TypeError: ``source`` is none of these.
        SourceNotFoundError: a path that does not exist or cannot be read.
    """
    if isinstance(source, Source):
        return source
    if isinstance(source, (bytes, bytearray, memoryview)):
        return Source.from_bytes(bytes(source), name or "<bytes>")
    if isinstance(source, (str, os.PathLike)):
        return _from_str(source, name)
    if callable(getattr(source, "read", None)):
        return _from_file_object(source, name)
    html = _html_tree_bytes(source)
    if html is not None:
        return Source.from_bytes(html, name or "<html tree>")
    raise TypeError("parse() takes a path, bytes, str, file object, Source or HTML tree (bs4 / lxml), "
                    f"not {type(source).__name__}")


def _from_str(source: str | os.PathLike[str], name: str | None) -> Source:
    """A :class:`Source` from a document's text (a ``str`` with a line break) or a path."""
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        return Source.from_text(source, name or "<string>")
    src = Source.from_path(source)
    if name:
        src.name = name
    return src


def _from_file_object(fileobj: Any, name: str | None) -> Source:
    label = name or getattr(fileobj, "name", None)
    label = label if isinstance(label, str) else "<stream>"
    data = fileobj.read()
    if isinstance(data, str):
        return Source.from_text(data, label)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"the file object's read() returned {type(data).__name__}, not bytes or str")
    return Source.from_bytes(bytes(data), label)


def _html_tree_bytes(obj: Any) -> bytes | None:
    """UTF-8 HTML for a ``bs4`` object or an lxml element, else ``None``. Neither library is imported
    here: an object of theirs can only exist when the caller has imported it."""
    module = type(obj).__module__ or ""
    if module.startswith("bs4"):
        markup = obj.decode() if hasattr(obj, "decode") else str(obj)
        return _with_charset(markup)
    if module.startswith("lxml"):
        from lxml import etree

        markup = etree.tostring(obj, encoding="unicode", method="html")
        return _with_charset(markup)
    return None


def _with_charset(markup: str) -> bytes:
    # the tree is text already: say so, so that a <meta charset=gbk> left in it is not believed
    return ('<meta charset="utf-8">' + markup).encode("utf-8")


def _adapter(src: Source, format: str | FormatAdapter | None, registry: Registry) -> FormatAdapter:
    if isinstance(format, FormatAdapter):
        return format
    if format:
        return registry.get(format)
    return registry.detect(src)


def extract(source: SourceLike, *, format: str | FormatAdapter | None = None,
            registry: Registry | None = None) -> Document:
    """Stage 1: read ``source`` with its format adapter into a :class:`Document`.

    ``format`` names a registered adapter (``"pdf"``, ``"html"``, ``"text"`` …)
    or is an adapter instance; by default the adapter is chosen by content.
    Returns the :class:`Document`; raises a :class:`GxparseError` subclass naming
    the file when it cannot be read (as :func:`parse` does).
    """
    src = open_source(source)
    return _extract(src, format, registry or default_registry())


def _extract(src: Source, format, registry: Registry) -> Document:
    src.check_not_empty()
    try:
        adapter = _adapter(src, format, registry)
    except GxparseError as exc:
        raise exc.with_source(src.name) from None
    doc = _run_adapter(adapter, src)
    if not isinstance(doc, Document):
        raise ExtractError(f"the {adapter.name!r} adapter returned {type(doc).__name__}, not a Document",
                           source=src.name)
    if not doc.adapter or src.notes:
        # what decoding the text had to do (bytes replaced, a declared encoding overruled)
        # is said once here for every text-reading adapter
        decoding = [Note(where, message, code, severity, evidence)  # type: ignore[arg-type]
                    for where, code, severity, message, evidence in src.notes]
        doc = Document(doc.blocks, adapter=doc.adapter or adapter.name, notes=[*doc.notes, *decoding])
    return doc


def _run_adapter(adapter: FormatAdapter, src: Source) -> object:
    """What the adapter's ``extract`` returns; whatever it raises becomes a :class:`GxparseError`
    naming the source (an adapter bug must not become a traceback for the user)."""
    try:
        return adapter.extract(src)
    except GxparseError as exc:
        raise exc.with_source(src.name) from None
    except RecursionError:
        raise ExtractError("the document is nested too deeply to read", source=src.name) from None
    except MemoryError:
        raise ResourceLimitError("the document is too large to read in memory", source=src.name) from None
    except Exception as exc:  # an adapter bug must not become a traceback for the user
        raise ExtractError(f"the {adapter.name!r} adapter failed: {type(exc).__name__}: {exc}",
                           source=src.name) from exc


def map_document(doc: Document, *, source: SourceInfo | None = None, template: str | None = None,
                 require_tables: bool = True) -> Report:
    """Stages 2-3: map a :class:`Document` onto the report template and validate it.

    ``template`` forces ``"2019"`` or ``"2021"`` instead of detecting it.
    Raises :class:`NotAReportError` when none of the three tables is found
    (unless ``require_tables=False``).
    """
    from ._mapping import map_records
    from ._meta import extract_meta, extract_sections
    from ._records import build_records
    from ._validate import validate

    doc = prepare(doc)
    records = build_records(doc)
    mapped = map_records(doc, records, template)
    if require_tables and not mapped.tables:
        raise _no_tables_error(doc, source)
    checked = validate(mapped)
    meta = extract_meta(doc)
    table_blocks = {i for i, b in enumerate(doc.blocks) if isinstance(b, Table)}
    sections = extract_sections(doc, table_blocks)
    findings = _all_findings(doc, checked, meta)
    info = source or SourceInfo(None, doc.adapter, "")
    return Report(info, mapped.template.id if mapped.tables else None, meta, tuple(sections),
                  checked.active_disclosure, checked.applications, checked.reviews_and_litigation,
                  tuple(checked.derived), tuple(findings), _locations(mapped))


def _no_tables_error(doc: Document, source: SourceInfo | None) -> GxparseError:
    """The error for a document in which none of the form's tables was found: it needs OCR, its
    tables are flattened into running text, or it is no report on the form."""
    from ._glued import looks_flattened

    ocr = _needs_ocr(doc)
    if ocr is not None:
        return ocr.with_source(source.path) if source and source.path else ocr
    if looks_flattened(doc):  # labels run together with digits, but too few rows could be read
        reason = ("the report's tables are flattened into running text with the cells glued together "
                  "(e.g. a crawler's text export); gxparse cannot split glued table cells")
    else:
        reason = ("no table of the official report form (主动公开 / 收到和处理申请 / 行政复议诉讼) was found: "
                  "not a 政府信息公开工作年度报告 on the 2019 or 2021 form (a pre-2019 report?)")
    return NotAReportError(reason, source=source.path if source else None)


def _all_findings(doc: Document, checked: Validated, meta: Meta) -> list[Finding]:
    """The report's findings, most severe first: validation's, the adapter's notes, the period's
    and the narrative's."""
    from ._meta import narrative_findings, period_findings
    from ._report import Finding
    from .form import by_severity

    findings = list(checked.findings)
    findings += [Finding(n.code, n.severity, n.where, n.message, n.evidence)  # type: ignore[arg-type]
                 for n in doc.notes]
    findings += period_findings(meta, doc)
    findings += narrative_findings(doc, checked.applications)
    return by_severity(findings)


def _locations(mapped: Mapped) -> dict[str, str]:
    """Where each mapped row was read, by ``table/row`` (the first record's place)."""
    locations: dict[str, str] = {}
    for entry in mapped.trace:
        prov = entry.record.provenance()
        if prov is not None:
            locations.setdefault(f"{entry.table}/{entry.row}", prov.describe())
    return locations


def _needs_ocr(doc: Document) -> NeedsOCRError | None:
    """The error for a document whose tables could not be read because parts of it need OCR.

    An adapter marks such parts with an ``unreadable`` note whose evidence has ``ocr_needed``
    (the reason: scanned pages, fonts without Unicode mapping); the error names the places.
    """
    marked = [n for n in doc.notes if n.code == "unreadable" and n.evidence.get("ocr_needed")]
    if not marked:
        return None
    reasons: dict[str, list[str]] = {}
    for note in marked:
        reasons.setdefault(str(note.evidence["ocr_needed"]), []).append(note.where)
    if len(reasons) == 1 and len(marked) == 1 and re.fullmatch(r"page \d+", marked[0].where):
        reason = next(iter(reasons))
        return NeedsOCRError(f"{reason}; OCR is needed", page=int(marked[0].where.split()[1]))
    parts = [f"{_places(places)}: {reason}" for reason, places in reasons.items()]
    return NeedsOCRError(f"{'; '.join(parts)}; OCR is needed")


def _places(wheres: list[str]) -> str:
    """``page 2, page 3, page 5`` as ``pages 2-3, 5``; other places as they are."""
    if all(re.fullmatch(r"page \d+", w) for w in wheres):
        return page_ranges(int(w.split()[1]) for w in wheres)
    return ", ".join(wheres)


def prepare(doc: Document) -> Document:
    """The document as the mapper reads it: tables flattened into running text rebuilt (the same
    object when there are none). Raises nothing."""
    from ._glued import unglue

    return unglue(doc)


def parse(source: SourceLike, *, format: str | FormatAdapter | None = None, template: str | None = None,
          registry: Registry | None = None) -> Report:
    """Read one report: ``bytes → detect → adapter → Document → template → Report``.

    Args:
        source: a path (``str`` or ``PathLike``), the file's ``bytes``, the
            document's text (a ``str`` containing a line break), a file object,
            an HTML tree (``bs4.BeautifulSoup`` or an lxml element), or a
            :class:`Source`.
        format: the adapter to use (a registered name or an instance);
            detected from the content by default.
        template: force ``"2019"`` or ``"2021"``; detected from the tables by default.

    Raises:
        GxparseError: a subclass naming the file and why, when the input
            cannot be read (:class:`SourceNotFoundError`,
            :class:`EmptySourceError`, :class:`UnsupportedFormatError`,
            :class:`ExtractError` …) or holds no report
            (:class:`NotAReportError`), or holds several
            (:class:`MultipleReportsError`: read it with :func:`parse_all`).
            Problems in the data are findings on the report, not exceptions.
    """
    src = open_source(source)
    doc = _extract(src, format, registry or default_registry())
    from ._compilation import split_reports

    parts = split_reports(doc)
    if len(parts) > 1:
        raise MultipleReportsError(
            f"the document holds {len(parts)} reports one after another (a compilation: "
            f"{', '.join(p.where or '?' for p in parts[:3])}{' …' if len(parts) > 3 else ''}); "
            "read it with gxparse.parse_all() or `gxparse batch`", count=len(parts), source=src.name)
    return _map_part(src, doc, None, template)


def parse_all(source: SourceLike, *, format: str | FormatAdapter | None = None, template: str | None = None,
              registry: Registry | None = None) -> list[Report]:
    """Read every report of a document: one :class:`Report` for a single report, one per
    report for a compilation (a 汇编 of several departments' reports in one file).

    Each report of a compilation has ``report.source.part`` saying where it lies
    (``"pages 3-7"``, ``"lines 120-480"``). How reports are told apart is in
    ``docs/usage.md`` ("Compilations"); a document whose tables repeat with no
    report title between them is read as one report.

    Arguments and errors as for :func:`parse` (never :class:`MultipleReportsError`).
    """
    from ._compilation import split_reports

    src = open_source(source)
    doc = _extract(src, format, registry or default_registry())
    parts = split_reports(doc)
    return [_map_part(src, p.document, p.where if len(parts) > 1 else None, template) for p in parts]


def _map_part(src: Source, doc: Document, part: str | None, template: str | None) -> Report:
    path = printable_path(str(src.path)) if src.path is not None else (
        src.name if not src.name.startswith("<") else None)
    info = SourceInfo(path, doc.adapter, src.sha256, part)
    where = src.name if part is None else f"{src.name} ({part})"
    try:
        return map_document(doc, source=info, template=template)
    except GxparseError as exc:
        raise exc.with_source(where) from None
    except MemoryError:
        raise ResourceLimitError("the document is too large to map in memory", source=where) from None
    except RecursionError:
        raise ResourceLimitError("the document is nested too deeply to map", source=where) from None


def list_formats(registry: Registry | None = None) -> list[Registration]:
    """The registered format adapters, highest priority first."""
    return (registry or default_registry()).registrations()
