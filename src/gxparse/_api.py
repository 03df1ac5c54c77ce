"""The public entry points: :func:`parse`, :func:`extract`, :func:`map_document`."""

from __future__ import annotations

import os
import re
from typing import Union

from ._errors import ExtractError, GxparseError, NeedsOCRError, NotAReportError, ResourceLimitError, page_ranges
from ._model import Document, Table
from ._registry import FormatAdapter, Registration, Registry, default_registry
from ._report import Report, SourceInfo
from ._source import Source

__all__ = ["SourceLike", "extract", "list_formats", "map_document", "open_source", "parse", "prepare"]

SourceLike = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, Source]


def open_source(source: SourceLike, *, name: str | None = None) -> Source:
    """A :class:`Source` from a path, bytes, text or a Source.

    A ``str`` is a path, unless it contains a line break (then it is the
    document's text); use :meth:`Source.from_text` to be explicit.
    """
    if isinstance(source, Source):
        return source
    if isinstance(source, (bytes, bytearray, memoryview)):
        return Source.from_bytes(bytes(source), name or "<bytes>")
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        return Source.from_text(source, name or "<string>")
    if isinstance(source, (str, os.PathLike)):
        src = Source.from_path(source)
        if name:
            src.name = name
        return src
    raise TypeError(f"parse() takes a path, bytes, str or Source, not {type(source).__name__}")


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
    """
    src = open_source(source)
    return _extract(src, format, registry or default_registry())


def _extract(src: Source, format, registry: Registry) -> Document:
    src.check_not_empty()
    try:
        adapter = _adapter(src, format, registry)
    except GxparseError as exc:
        raise exc.with_source(src.name)
    try:
        doc = adapter.extract(src)
    except GxparseError as exc:
        raise exc.with_source(src.name)
    except RecursionError:
        raise ExtractError("the document is nested too deeply to read", source=src.name) from None
    except MemoryError:
        raise ResourceLimitError("the document is too large to read in memory", source=src.name) from None
    except Exception as exc:  # an adapter bug must not become a traceback for the user
        raise ExtractError(f"the {adapter.name!r} adapter failed: {type(exc).__name__}: {exc}",
                           source=src.name) from exc
    if not isinstance(doc, Document):
        raise ExtractError(f"the {adapter.name!r} adapter returned {type(doc).__name__}, not a Document",
                           source=src.name)
    if not doc.adapter:
        doc = Document(doc.blocks, adapter=adapter.name, notes=doc.notes)
    return doc


def map_document(doc: Document, *, source: SourceInfo | None = None, template: str | None = None,
                 require_tables: bool = True) -> Report:
    """Stages 2-3: map a :class:`Document` onto the report template and validate it.

    ``template`` forces ``"2019"`` or ``"2021"`` instead of detecting it.
    Raises :class:`NotAReportError` when none of the three tables is found
    (unless ``require_tables=False``).
    """
    from ._mapper import map_records
    from ._meta import (
        extract_meta,
        extract_sections,
        narrative_findings,
        period_findings,
    )
    from ._records import build_records
    from ._report import Finding
    from ._validate import validate

    doc = prepare(doc)
    records = build_records(doc)
    mapped = map_records(doc, records, template)
    if require_tables and not mapped.tables:
        ocr = _needs_ocr(doc)
        if ocr is not None:
            raise ocr.with_source(source.path) if source and source.path else ocr
        if _glued_tables(doc):  # labels run together with digits, but too few rows could be read
            reason = ("the report's tables are flattened into running text with the cells glued together "
                      "(e.g. a crawler's text export); gxparse cannot split glued table cells")
        else:
            reason = ("no table of the official report form (主动公开 / 收到和处理申请 / 行政复议诉讼) was found: "
                      "not a 政府信息公开工作年度报告 on the 2019 or 2021 form (a pre-2019 report?)")
        raise NotAReportError(reason, source=source.path if source else None)
    checked = validate(mapped)
    meta = extract_meta(doc)
    table_blocks = {i for i, b in enumerate(doc.blocks) if isinstance(b, Table)}
    sections = extract_sections(doc, table_blocks)
    findings = list(checked.findings)
    findings += [Finding(n.code, n.severity, n.where, n.message, n.evidence) for n in doc.notes]
    findings += period_findings(meta)
    findings += narrative_findings(doc, checked.applications)
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: order[f.severity])
    info = source or SourceInfo(None, doc.adapter, "")
    return Report(info, mapped.template.id if mapped.tables else None, meta, tuple(sections),
                  checked.active_disclosure, checked.applications, checked.reviews_and_litigation,
                  tuple(checked.derived), tuple(findings))


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
    """The document as the mapper reads it: tables flattened into running text rebuilt."""
    from ._glued import unglue

    return unglue(doc)


_GLUED_MARKS = ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "本年度办理结果", "结转下年度继续办理",
                "第二十条第")


def _glued_tables(doc: Document) -> bool:
    """Do paragraphs carry the form's row labels run together with digits?"""
    from ._normalize import norm

    for text in doc.iter_text():
        t = norm(text)
        if len(t) > 200 and sum(1 for m in _GLUED_MARKS if m in t) >= 3:
            return True
    return False


def parse(source: SourceLike, *, format: str | FormatAdapter | None = None, template: str | None = None,
          registry: Registry | None = None) -> Report:
    """Read one report: ``bytes → detect → adapter → Document → template → Report``.

    Args:
        source: a path (``str`` or ``PathLike``), the file's ``bytes``, the
            document's text (a ``str`` containing a line break), or a
            :class:`Source`.
        format: the adapter to use (a registered name or an instance);
            detected from the content by default.
        template: force ``"2019"`` or ``"2021"``; detected from the tables by default.

    Raises:
        GxparseError: a subclass naming the file and why, when the input
            cannot be read (:class:`SourceNotFoundError`,
            :class:`EmptySourceError`, :class:`UnsupportedFormatError`,
            :class:`ExtractError` …) or holds no report
            (:class:`NotAReportError`). Problems in the data are findings on
            the report, not exceptions.
    """
    src = open_source(source)
    doc = _extract(src, format, registry or default_registry())
    path = str(src.path) if src.path is not None else (src.name if not src.name.startswith("<") else None)
    info = SourceInfo(path, doc.adapter, src.sha256)
    try:
        return map_document(doc, source=info, template=template)
    except GxparseError as exc:
        raise exc.with_source(src.name)
    except MemoryError:
        raise ResourceLimitError("the document is too large to read in memory", source=src.name) from None


def list_formats(registry: Registry | None = None) -> list[Registration]:
    """The registered format adapters, highest priority first."""
    return (registry or default_registry()).registrations()
