"""The one exception tree of gxparse.

Every error that gxparse raises because of its input derives from
:class:`GxparseError`, and also from the builtin exception a caller would
already catch for that kind of failure (``FileNotFoundError``, ``ValueError``,
``LookupError``)::

    GxparseError
    ├── SourceError                 the input cannot be read as a document at all
    │   ├── SourceNotFoundError     (also FileNotFoundError) no such file
    │   ├── EmptySourceError        (also ValueError) zero bytes / only whitespace
    │   ├── UndecodableError        (also ValueError) binary data or no text encoding fits
    │   └── UnsupportedFormatError  (also ValueError) no registered adapter accepts it
    ├── ExtractError                (also ValueError) an adapter could not read the content
    │   ├── EncryptedSourceError    the file is encrypted
    │   ├── NeedsOCRError           a page has no text layer (a scan)
    │   ├── NeedsConverterError     a .doc/.wps file and no LibreOffice to convert it
    │   └── ResourceLimitError      the input exceeds a safety bound (size, depth, pages)
    ├── NotAReportError             (also ValueError) none of the three report tables is there
    │   └── MultipleReportsError    the document is a compilation of several reports
    ├── UnknownFormatError          (also LookupError) ``format=`` names no registered adapter
    ├── RegistrationError           (also ValueError) an adapter cannot be registered
    ├── ParseTimeoutError           (also TimeoutError) a batch worker gave up on one file
    ├── WorkerCrashedError          (also RuntimeError) a batch worker process died on one file
    ├── SchedulerError              (also ConnectionError) a Dask scheduler cannot be reached or was lost
    ├── MissingExtraError           (also ImportError) an optional dependency is not installed
    └── SinkError                   (also OSError) a batch output cannot be opened or written

Problems in the *data* of a readable report (a row that does not add up, a
blank cell) are never exceptions: they are :class:`gxparse.Finding` objects
on the returned :class:`gxparse.Report`.

Every error names the source and, where known, the place in it: ``str(err)``
is one line such as ``report.pdf: page 3: no text layer (a scanned page); OCR
is needed``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = [
    "EmptySourceError",
    "EncryptedSourceError",
    "ExtractError",
    "GxparseError",
    "MissingExtraError",
    "MultipleReportsError",
    "NeedsConverterError",
    "NeedsOCRError",
    "NotAReportError",
    "ParseTimeoutError",
    "RegistrationError",
    "ResourceLimitError",
    "SchedulerError",
    "SinkError",
    "SourceError",
    "SourceNotFoundError",
    "UndecodableError",
    "UnknownFormatError",
    "UnsupportedFormatError",
    "WorkerCrashedError",
]


class GxparseError(Exception):
    """Base class of every error gxparse raises on bad input.

    Attributes:
        reason: what went wrong, in one sentence.
        source: the file name (or ``"<bytes>"``/``"<string>"``) it happened in.
        line: 1-based line number, where the error has one.
        page: 1-based page number (PDF), where the error has one.
    """

    def __init__(
        self,
        reason: str,
        *,
        source: str | None = None,
        line: int | None = None,
        page: int | None = None,
    ) -> None:
        self.reason = reason
        self.source = source
        self.line = line
        self.page = page
        super().__init__(reason)

    def with_source(self, source: str) -> GxparseError:
        """Fill in the source name if the raiser did not know it; returns self."""
        if self.source is None:
            self.source = source
        return self

    @property
    def where(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return ", ".join(parts)

    def __str__(self) -> str:
        head = [p for p in (self.source, self.where) if p]
        return ": ".join([*head, self.reason])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self):  # keep pickling (multiprocessing) working with kw-only args
        return (_rebuild, (type(self), self.reason, self.source, self.line, self.page))


def _rebuild(cls, reason, source, line, page):  # pragma: no cover - exercised via pickle
    return cls(reason, source=source, line=line, page=page)


class SourceError(GxparseError):
    """The input cannot be read as a document at all."""


class SourceNotFoundError(SourceError, FileNotFoundError):
    """The path does not exist or is not a readable file."""


class EmptySourceError(SourceError, ValueError):
    """The input has no content (zero bytes or whitespace only)."""


class UndecodableError(SourceError, ValueError):
    """The bytes are binary data or fit no text encoding."""


class UnsupportedFormatError(SourceError, ValueError):
    """No registered format adapter accepts the input."""


class ExtractError(GxparseError, ValueError):
    """A format adapter could not read the content of the input."""


class EncryptedSourceError(ExtractError):
    """The file is encrypted and cannot be read without a password."""


class NeedsOCRError(ExtractError):
    """A page carries no text layer (it is a scanned image); OCR is needed."""


class NeedsConverterError(ExtractError):
    """The file is in a format gxparse reads only through a converter that is not installed
    (a Word 97-2003 .doc or WPS .wps file without LibreOffice)."""


class ResourceLimitError(ExtractError):
    """The input exceeds one of gxparse's safety bounds (size, nesting, pages)."""


class NotAReportError(GxparseError, ValueError):
    """The document holds none of the three tables of the official report form."""


class UnknownFormatError(GxparseError, LookupError):
    """``format=`` names an adapter that is not registered."""


class RegistrationError(GxparseError, ValueError):
    """A format adapter cannot be registered (duplicate name, bad contract)."""


class MultipleReportsError(NotAReportError):
    """The document holds several reports one after another (a compilation).

    :func:`gxparse.parse` raises it, naming how many reports were found; read
    such a document with :func:`gxparse.parse_all` (one :class:`~gxparse.Report`
    per report) or ``gxparse batch``. :func:`gxparse.parse_all` raises it when
    the reports cannot be told apart surely.

    Attributes:
        count: how many reports the document appears to hold.
    """

    def __init__(self, reason: str, *, count: int = 0, **kwargs: Any) -> None:
        super().__init__(reason, **kwargs)
        self.count = count

    def __reduce__(self):
        return (_rebuild_multiple, (self.reason, self.source, self.line, self.page, self.count))


def _rebuild_multiple(reason, source, line, page, count):  # pragma: no cover - exercised via pickle
    return MultipleReportsError(reason, source=source, line=line, page=page, count=count)


class ParseTimeoutError(GxparseError, TimeoutError):
    """A batch worker took longer than the per-file timeout; the file was given up."""


class WorkerCrashedError(GxparseError, RuntimeError):
    """A batch worker process died while reading the file (a crash in a native library)."""


class SchedulerError(GxparseError, ConnectionError):
    """The Dask scheduler of a cluster run (``--scheduler``) cannot be reached, or the run lost it."""


class MissingExtraError(GxparseError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""


class SinkError(GxparseError, OSError):
    """A batch output (SQLite, JSONL, CSV or Parquet) cannot be opened, read or written."""


def page_ranges(numbers: Iterable[int]) -> str:
    """Page numbers for a message: ``page 3``, ``pages 2-4, 7``."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    text = ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
    return f"page {text}" if sum(len(r) for r in runs) == 1 else f"pages {text}"
