"""gxparse: read 政府信息公开工作年度报告 into typed, validated records.

    >>> import gxparse
    >>> report = gxparse.parse("report.pdf")            # doctest: +SKIP
    >>> report.applications["received_new"]["total"]     # doctest: +SKIP
    3
    >>> [f.code for f in report.findings if f.severity == "error"]  # doctest: +SKIP
    ['balance']

The pipeline, each stage public and inspectable::

    bytes ─▶ detect ─▶ FormatAdapter.extract ─▶ Document ─▶ map onto a template ─▶ Report ─▶ validate

``import gxparse`` is light: format adapters import lxml and pdfplumber only
when they extract.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import (
    EmptySourceError,
    EncryptedSourceError,
    ExtractError,
    GxparseError,
    MissingExtraError,
    MultipleReportsError,
    NeedsConverterError,
    NeedsOCRError,
    NotAReportError,
    ParseTimeoutError,
    RegistrationError,
    ResourceLimitError,
    SchedulerError,
    SinkError,
    SourceError,
    SourceNotFoundError,
    UndecodableError,
    UnknownFormatError,
    UnsupportedFormatError,
    WorkerCrashedError,
)
from ._model import Cell, Document, Note, Paragraph, Provenance, Table
from ._registry import FormatAdapter, Registry, default_registry, register_format
from ._source import Source

__version__ = "0.1.0"

__all__ = [
    "CORPUS_TABLES",
    "TEMPLATES",
    "BatchSummary",
    "Cell",
    "Document",
    "EmptySourceError",
    "EncryptedSourceError",
    "ExtractError",
    "Failure",
    "Finding",
    "FormatAdapter",
    "GxparseError",
    "Meta",
    "MissingExtraError",
    "MultipleReportsError",
    "NeedsConverterError",
    "NeedsOCRError",
    "NotAReportError",
    "Note",
    "Paragraph",
    "ParseTimeoutError",
    "Provenance",
    "RegistrationError",
    "Registry",
    "Report",
    "ResourceLimitError",
    "SchedulerError",
    "Section",
    "SinkError",
    "Source",
    "SourceError",
    "SourceInfo",
    "SourceNotFoundError",
    "Table",
    "Template",
    "UndecodableError",
    "UnknownFormatError",
    "UnsupportedFormatError",
    "WorkerCrashedError",
    "__version__",
    "agency_key",
    "corpus_check",
    "default_registry",
    "extract",
    "list_formats",
    "map_document",
    "parse",
    "parse_all",
    "parse_many",
    "read_corpus",
    "register_format",
    "run_batch",
    "to_frame",
]

# Names served lazily from private modules, so that `import gxparse` does not
# load the mapper and templates until they are used.
_LAZY = {
    "parse": "._api",
    "parse_all": "._api",
    "parse_many": "._batch",
    "run_batch": "._batch",
    "Failure": "._batch",
    "BatchSummary": "._batch",
    "CORPUS_TABLES": "._corpus",
    "read_corpus": "._sinks",
    "corpus_check": "._checks",
    "agency_key": "._checks",
    "to_frame": "._frames",
    "extract": "._api",
    "map_document": "._api",
    "list_formats": "._api",
    "Report": "._report",
    "Finding": "._report",
    "Meta": "._report",
    "Section": "._report",
    "SourceInfo": "._report",
    "Template": ".form",
    "TEMPLATES": ".form",
}

if TYPE_CHECKING:
    from ._api import extract, list_formats, map_document, parse, parse_all
    from ._batch import BatchSummary, Failure, parse_many, run_batch
    from ._checks import agency_key, corpus_check
    from ._corpus import CORPUS_TABLES
    from ._frames import to_frame
    from ._report import Finding, Meta, Report, Section, SourceInfo
    from ._sinks import read_corpus
    from .form import TEMPLATES, Template


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gxparse' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
