"""The record gxparse returns: :class:`Report` and its parts.

``Report.to_dict()`` and ``Report.to_json()`` follow the contract in
``report-schema.md`` exactly: the same keys, in the same order. Money is a
:class:`decimal.Decimal` in Python and a JSON number (never a string) in JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs

__all__ = ["Finding", "Meta", "Number", "Report", "Section", "SourceInfo", "dumps"]

Number = int | Decimal
Severity = Literal["error", "warning", "info"]
SEVERITIES = ("error", "warning", "info")


def _strings(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(items)


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return dict(value or {})


@attrs.frozen(slots=True)
class SourceInfo:
    """Where a report came from: its path (None for bytes or text), the adapter that read it, and
    the SHA-256 of its bytes."""

    path: str | None
    format: str
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        """``{"path", "format", "sha256"}`` as in the schema."""
        return {"path": self.path, "format": self.format, "sha256": self.sha256}


@attrs.frozen(slots=True)
class Meta:
    """The report's title, agency, year, statistics period (ISO dates) and contacts; None or empty
    where the text does not say them."""

    title: str | None = None
    agency: str | None = None
    year: int | None = None
    period_start: str | None = None
    period_end: str | None = None
    phones: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    emails: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    urls: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    address: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The metadata as in the schema (tuples as lists)."""
        return {
            "title": self.title, "agency": self.agency, "year": self.year,
            "period_start": self.period_start, "period_end": self.period_end,
            "phones": list(self.phones), "emails": list(self.emails), "urls": list(self.urls),
            "address": self.address,
        }


@attrs.frozen(slots=True)
class Section:
    """A section of the report's text: its key by meaning (None if unclassified), its number
    (一, 二 … or None), its title and its text."""

    key: str | None
    number: str | None
    title: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        """``{"key", "number", "title", "text"}`` as in the schema."""
        return {"key": self.key, "number": self.number, "title": self.title, "text": self.text}


def _severity(instance: Finding, attribute: attrs.Attribute, value: str) -> None:
    if value not in SEVERITIES:
        raise ValueError(f"Finding.severity must be one of {SEVERITIES}, got {value!r}")


@attrs.frozen(slots=True)
class Finding:
    """Something gxparse noticed about a report.

    Attributes:
        code: what kind (``balance``, ``row-total``, ``missing-value`` …; see the schema).
        severity: ``"error"`` (the report is wrong), ``"warning"`` or ``"info"``.
        where: the path it concerns, ``table/row/column`` (``*`` for "every").
        message: one sentence for a person, with the official labels.
        evidence: the numbers behind it (both sides and the difference for an
            invariant), and the place in the source where known.
    """

    code: str
    severity: Severity = attrs.field(validator=_severity)
    where: str
    message: str
    evidence: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_mapping, eq=False)

    def to_dict(self) -> dict[str, Any]:
        """``{"code", "severity", "where", "message", "evidence"}`` as in the schema."""
        return {"code": self.code, "severity": self.severity, "where": self.where,
                "message": self.message, "evidence": dict(self.evidence)}


TableValues = Mapping[str, Mapping[str, Any]]


@attrs.frozen(slots=True)
class Report:
    """One report, read and validated.

    ``active_disclosure``, ``applications`` and ``reviews_and_litigation``
    map row keys to ``{column key: number or None}``; a table that was not
    found is ``None`` (with a ``missing-table`` finding). ``derived`` lists
    the paths of values that the document left blank and the invariants
    determined exactly.
    """

    source: SourceInfo
    template: str | None
    meta: Meta
    sections: tuple[Section, ...]
    active_disclosure: TableValues | None
    applications: TableValues | None
    reviews_and_litigation: TableValues | None
    derived: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()

    # -- convenience ----------------------------------------------------------
    def get(self, path: str) -> Any:
        """The value at ``table/row/column`` (``None`` if absent)."""
        table, row, col = path.split("/", 2)
        data = getattr(self, table, None)
        if not data:
            return None
        return data.get(row, {}).get(col)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not self.errors

    def findings_by_code(self, code: str) -> tuple[Finding, ...]:
        """The findings with this code, in order."""
        return tuple(f for f in self.findings if f.code == code)

    # -- serialisation --------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The record as plain Python data, keys and order as in the schema (the tables in the
        form's order, :data:`gxparse.form.TABLE_LABELS`)."""
        from .form import TABLE_LABELS  # here: gxparse.form imports this module

        def table(data: TableValues | None) -> dict[str, Any] | None:
            return None if data is None else {k: dict(v) for k, v in data.items()}

        return {
            "source": self.source.to_dict(),
            "template": self.template,
            "meta": self.meta.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            **{key: table(getattr(self, key)) for key in TABLE_LABELS},
            "derived": list(self.derived),
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_json(self, *, indent: int | None = 1) -> str:
        """The record as JSON; money stays exact (``1944.0495``, never a string)."""
        return dumps(self.to_dict(), indent=indent)


def _encode(obj: Any, indent: int | None, level: int) -> str:
    if isinstance(obj, Decimal):
        if not obj.is_finite():
            return "null"
        text = format(obj, "f")
        return text
    if isinstance(obj, bool) or obj is None or isinstance(obj, (int, float, str)):
        return json.dumps(obj, ensure_ascii=False)
    pad = "" if indent is None else "\n" + " " * (indent * (level + 1))
    end = "" if indent is None else "\n" + " " * (indent * level)
    sep = ","
    colon = ":" if indent is None else ": "
    if isinstance(obj, Mapping):
        if not obj:
            return "{}"
        items = [f"{pad}{json.dumps(str(k), ensure_ascii=False)}{colon}{_encode(v, indent, level + 1)}"
                 for k, v in obj.items()]
        return "{" + sep.join(items) + end + "}"
    if isinstance(obj, (list, tuple)):
        if not obj:
            return "[]"
        return "[" + sep.join(f"{pad}{_encode(v, indent, level + 1)}" for v in obj) + end + "]"
    return json.dumps(str(obj), ensure_ascii=False)


def dumps(obj: Any, *, indent: int | None = 1) -> str:
    """JSON text of ``obj`` with :class:`~decimal.Decimal` written as an exact number."""
    return _encode(obj, indent, 0)
