"""The values the mapping stages exchange: slots, the mapped report, the trace (all immutable)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs

from .._model import Provenance
from .._records import RCell, Record
from .._report import Finding
from ..form import Template

__all__ = ["Mapped", "RowNote", "Slot", "SlotState", "TraceEntry"]


class SlotState(enum.Enum):
    """Where a value of the report stands after mapping."""

    #: a number printed in its cell
    GIVEN = "given"
    #: the cell is printed empty, or with a blank placeholder (—, /, 无)
    BLANK = "blank"
    #: the cell is printed, but does not read as one number
    UNREADABLE = "unreadable"
    #: the document has no cell for it (a row not printed, a column cut off)
    ABSENT = "absent"
    #: the row has values, but several placements fit its own total
    AMBIGUOUS = "ambiguous"
    #: the row has values, but no placement fits (or there are more values than columns)
    UNPLACEABLE = "unplaceable"
    #: the one-row table has more values than columns, and which are extra is unknown
    EXTRA = "extra"


class Slot(NamedTuple):
    """One value of the report as read from the document (immutable)."""

    value: Decimal | None
    state: SlotState
    raw: str = ""
    provenance: Provenance | None = None
    unit: str | None = None

    @classmethod
    def of(cls, cell: RCell | None, absent: SlotState = SlotState.ABSENT) -> Slot:
        """The slot a placed cell (None: no cell) gives."""
        if cell is None:
            return cls(None, absent)
        kind = cell.value.kind
        if kind == "number":
            return cls(cell.value.number, SlotState.GIVEN, cell.text, cell.provenance, cell.value.unit)
        if kind == "blank":
            return cls(None, SlotState.BLANK, cell.text, cell.provenance)
        return cls(None, SlotState.UNREADABLE, cell.text, cell.provenance)


@attrs.frozen
class RowNote:
    """Why a row's values could not be placed, and the evidence (its values, where it is)."""

    reason: str
    evidence: Mapping[str, Any] = attrs.field(factory=dict, converter=lambda d: MappingProxyType(dict(d)))


@attrs.frozen
class TraceEntry:
    """Which record a row of the form was mapped from, and the rules that decided it."""

    table: str
    row: str
    record: Record = attrs.field(eq=False)
    rules: tuple[str, ...] = ()


def _strings(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _findings(value: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(value)


def _trace(value: Iterable[TraceEntry]) -> tuple[TraceEntry, ...]:
    return tuple(value)


def _frozen_map(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


def _alternatives(value: Mapping[str, Iterable[Mapping[str, Slot]]] | None) -> Mapping[str, tuple[Mapping[str, Slot], ...]]:
    return MappingProxyType({k: tuple(MappingProxyType(dict(a)) for a in v) for k, v in (value or {}).items()})


def _row_notes(value: Mapping[str, RowNote | Mapping[str, Any]] | None) -> Mapping[str, RowNote]:
    out: dict[str, RowNote] = {}
    for k, v in (value or {}).items():
        if isinstance(v, RowNote):
            out[k] = v
        else:
            out[k] = RowNote(v["reason"], {x: y for x, y in v.items() if x != "reason"})
    return MappingProxyType(out)


@attrs.frozen
class Mapped:
    """A document mapped onto a template: raw values by path, and what the mapping noticed.

    ``values``: path → :class:`Slot`. ``tables``: the tables found.
    ``present_groups``: group rows printed with numbers. ``collapsed_other``:
    the collapsible group printed as one row. ``findings``: label variants,
    unknown rows, extra cells, template deviations. ``units``: the printed unit
    of a money value whose label names none (``active_disclosure/procurement/amount``
    → ``"元"``). ``row_notes``: why a row's values could not be placed.
    ``alternatives``: for an ambiguous row, the placements its own total allows
    (column key → Slot). ``trace``: which record each row came from and the
    rules that fired, for ``gxparse inspect --stage mapping``.
    """

    template: Template
    values: Mapping[str, Slot] = attrs.field(converter=_frozen_map)
    tables: frozenset[str] = attrs.field(converter=_strings)
    present_groups: frozenset[str] = attrs.field(converter=_strings)
    collapsed_other: bool
    findings: tuple[Finding, ...] = attrs.field(converter=_findings)
    units: Mapping[str, str | None] = attrs.field(factory=dict, converter=_frozen_map)
    row_notes: Mapping[str, RowNote] = attrs.field(factory=dict, converter=_row_notes)
    alternatives: Mapping[str, tuple[Mapping[str, Slot], ...]] = attrs.field(factory=dict, converter=_alternatives)
    trace: tuple[TraceEntry, ...] = attrs.field(default=(), converter=_trace)
    #: the rules that fired per table and stage (for the trace): (table, rule names)
    rules_fired: tuple[tuple[str, tuple[str, ...]], ...] = ()
