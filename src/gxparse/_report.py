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
    """Where a report was read from.

    Attributes:
        path: the file's path as given (``None`` for bytes or text).
        format: the format adapter that read it (``"pdf"``, ``"html"`` …).
        sha256: hex digest of the file's bytes.
        part: where in the file the report lies when the file is a compilation
            of several reports (``"pages 3-7"``, ``"lines 120-480"``); ``None``
            for a file that is one report. Serialised only when set, so the
            record of a single report has exactly the schema's keys.
    """

    path: str | None
    format: str
    sha256: str
    part: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "format": self.format, "sha256": self.sha256}
        if self.part is not None:
            out["part"] = self.part
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SourceInfo:
        return cls(data.get("path"), data.get("format") or "", data.get("sha256") or "", data.get("part"))


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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Meta:
        return cls(**{f.name: data.get(f.name, f.default if f.default is not attrs.NOTHING else None)
                      for f in attrs.fields(cls)})


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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Section:
        return cls(data.get("key"), data.get("number"), data.get("title") or "", data.get("text") or "")


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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(data["code"], data["severity"], data.get("where") or "", data.get("message") or "",
                   data.get("evidence") or {})


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
    #: Where each row of the form was read, ``{"table/row": "page 3"}`` (``"table/*"``
    #: for a table read as one row); used by the corpus tables' ``location`` column.
    #: Not part of the JSON record, so not restored by :meth:`from_dict`, and not
    #: compared by ``==``.
    locations: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_mapping, eq=False, repr=False)

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

    def location_of(self, path: str) -> str | None:
        """Where the row holding ``table/row/column`` was read (``"page 3"``, ``"lines 40-41"``), if known."""
        table, _, rest = path.partition("/")
        row = rest.partition("/")[0]
        return self.locations.get(f"{table}/{row}") or self.locations.get(f"{table}/*")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """The report a :meth:`to_dict` record describes: ``Report.from_dict(r.to_dict()) == r``.

        Money (``amount_10k_yuan``, ``amount``) comes back as :class:`~decimal.Decimal`
        whatever number type the record holds; every other number as ``int``.

        Raises:
            ValueError: the record lacks a key of the schema or holds a value of
                the wrong kind (a string where a number belongs).
        """
        try:
            tables = {name: _load_table(name, data.get(name)) for name in _TABLES}
            return cls(
                SourceInfo.from_dict(data["source"]),
                data.get("template"),
                Meta.from_dict(data.get("meta") or {}),
                tuple(Section.from_dict(s) for s in data.get("sections") or ()),
                tables["active_disclosure"], tables["applications"], tables["reviews_and_litigation"],
                tuple(data.get("derived") or ()),
                tuple(Finding.from_dict(f) for f in data.get("findings") or ()),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a gxparse report record: {type(exc).__name__}: {exc}") from None

    @classmethod
    def from_json(cls, text: str | bytes) -> Report:
        """The report a :meth:`to_json` text describes (money read exactly, never via float).

        Raises:
            ValueError: the text is not JSON or not a report record.
        """
        return cls.from_dict(json.loads(text, parse_float=Decimal))


_TABLES = ("active_disclosure", "applications", "reviews_and_litigation")
#: Columns that hold money (exact decimals); every other number of the form is a count.
MONEY_COLUMNS = frozenset({"amount_10k_yuan", "amount"})


def _number(table: str, row: str, column: str, value: Any) -> Any:
    if value is None or (column == "amount_unit" and isinstance(value, str)):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
        raise TypeError(f"{table}/{row}/{column} holds {value!r}, not a number")
    if column in MONEY_COLUMNS:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    if isinstance(value, int):
        return value
    if value != int(value):
        raise TypeError(f"{table}/{row}/{column} holds {value!r}, not a whole count")
    return int(value)


def _load_table(name: str, data: Any) -> dict[str, dict[str, Any]] | None:
    if data is None:
        return None
    return {row: {col: _number(name, row, col, v) for col, v in cols.items()} for row, cols in data.items()}


def _encode(obj: Any, indent: int | None, level: int) -> str:
    """JSON text of ``obj`` nested ``level`` deep (``indent`` None: on one line)."""
    if isinstance(obj, Decimal):
        return format(obj, "f") if obj.is_finite() else "null"
    if isinstance(obj, bool) or obj is None or isinstance(obj, (int, float, str)):
        return json.dumps(obj, ensure_ascii=False)
    if isinstance(obj, Mapping):
        return _encode_object(obj, indent, level)
    if isinstance(obj, (list, tuple)):
        return _encode_array(obj, indent, level)
    return json.dumps(str(obj), ensure_ascii=False)


def _layout(indent: int | None, level: int) -> tuple[str, str]:
    """What goes before each member of a container nested ``level`` deep, and before its closing
    bracket (both empty on one line)."""
    if indent is None:
        return "", ""
    return "\n" + " " * (indent * (level + 1)), "\n" + " " * (indent * level)


def _encode_object(obj: Mapping[Any, Any], indent: int | None, level: int) -> str:
    """JSON text of a mapping, its keys as strings."""
    if not obj:
        return "{}"
    pad, end = _layout(indent, level)
    colon = ":" if indent is None else ": "
    items = [f"{pad}{json.dumps(str(k), ensure_ascii=False)}{colon}{_encode(v, indent, level + 1)}"
             for k, v in obj.items()]
    return "{" + ",".join(items) + end + "}"


def _encode_array(obj: list[Any] | tuple[Any, ...], indent: int | None, level: int) -> str:
    """JSON text of a list or tuple."""
    if not obj:
        return "[]"
    pad, end = _layout(indent, level)
    return "[" + ",".join(f"{pad}{_encode(v, indent, level + 1)}" for v in obj) + end + "]"


def dumps(obj: Any, *, indent: int | None = 1) -> str:
    """JSON text of ``obj`` with :class:`~decimal.Decimal` written as an exact number."""
    return _encode(obj, indent, 0)
