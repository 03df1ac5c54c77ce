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
    NeedsOCRError,
    NotAReportError,
    RegistrationError,
    ResourceLimitError,
    SourceError,
    SourceNotFoundError,
    UndecodableError,
    UnknownFormatError,
    UnsupportedFormatError,
)
from ._model import Cell, Document, Note, Paragraph, Provenance, Table
from ._registry import FormatAdapter, Registry, default_registry, register_format
from ._source import Source

__version__ = "0.1.0"

__all__ = [
    "TEMPLATES",
    "Cell",
    "Document",
    "EmptySourceError",
    "EncryptedSourceError",
    "ExtractError",
    "Finding",
    "FormatAdapter",
    "GxparseError",
    "Meta",
    "NeedsOCRError",
    "NotAReportError",
    "Note",
    "Paragraph",
    "Provenance",
    "RegistrationError",
    "Registry",
    "Report",
    "ResourceLimitError",
    "Section",
    "Source",
    "SourceError",
    "SourceInfo",
    "SourceNotFoundError",
    "Table",
    "Template",
    "UndecodableError",
    "UnknownFormatError",
    "UnsupportedFormatError",
    "__version__",
    "default_registry",
    "extract",
    "list_formats",
    "map_document",
    "parse",
    "register_format",
]

# Names served lazily from private modules, so that `import gxparse` does not
# load the mapper and templates until they are used.
_LAZY = {
    "parse": "._api",
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
    from ._api import extract, list_formats, map_document, parse
    from ._report import Finding, Meta, Report, Section, SourceInfo
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
