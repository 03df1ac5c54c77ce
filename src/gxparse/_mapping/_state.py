"""The values the mapping stages exchange: slots, the mapped report, the trace (all immutable)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs

from .._model import Provenance
from .._records import RCell, Record
from .._report import Finding
from ..form import Row, Template
from ._rules import Ruler

__all__ = ["Alignment", "Context", "Mapped", "Region", "RowMatch", "RowNote", "Slot", "SlotState", "TablePlacement",
           "TraceEntry", "where_of"]


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
    #: the row is printed twice (a 续表, a second copy of the table) with different values here
    REPEATED = "repeated"


class Slot(NamedTuple):
    """One value of the report as read from the document (immutable)."""

    value: Decimal | None
    state: SlotState
    raw: str = ""
    provenance: Provenance | None = None
    unit: str | None = None

    @classmethod
    def of(cls, cell: RCell | None, absent: SlotState = SlotState.ABSENT, marks: bool = True) -> Slot:
        """The slot a placed cell (None: no cell) gives. ``marks``: a number with a superscript
        footnote mark (``6¹``) is the number (rule ``footnote-mark``); else it is unreadable."""
        if cell is None:
            return cls(None, absent)
        kind = cell.value.kind
        if kind == "number" and (marks or not cell.value.mark):
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


# ---------------------------------------------------------------------------
# what the stages of one table exchange
# ---------------------------------------------------------------------------

@attrs.frozen
class Context:
    """What every stage of one document reads: its records, the edition, the rules."""

    records: Sequence[Record]
    template: Template
    rules: Ruler
    #: the records with numbers (or a row of blanks) and a label: the rows a table may have
    value_records: tuple[Record, ...]
    #: the enabled rules
    switches: frozenset[str]
    #: header column ranges by (pseudo-table, column names): a cache, filled as rows are placed
    headers: dict[tuple[Any, ...], tuple[list[range] | None, tuple[str, ...]]] = attrs.field(factory=dict, eq=False)


@attrs.frozen
class Region:
    """Stage ``locate``: where a table is. ``candidates``: the records that may be its rows;
    ``rules``: those that located it. For a one-row table, its value cells (``tokens``), the
    first record holding them, and the first such record on a grid."""

    start: int
    stop: int
    candidates: tuple[Record, ...] = ()
    rules: tuple[str, ...] = ()
    tokens: tuple[RCell, ...] = ()
    first: Record | None = None
    grid: Record | None = None


@attrs.frozen
class RowMatch:
    """A row of the form and the record it was read from. ``bare``: the row is printed as its label
    alone (its values stay absent). ``texts``: for an item row, the texts its label was read as,
    each with the rule that made it."""

    row: Row
    record: Record = attrs.field(eq=False)
    bare: bool = False
    rules: tuple[str, ...] = ()
    texts: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class Alignment:
    """Stage ``align``: which record is which row of a table (in the form's order), the records
    with numbers left over, and the table's shape as printed."""

    matches: tuple[RowMatch, ...]
    unknown: tuple[Record, ...] = ()
    collapsed: bool = False
    present_groups: frozenset[str] = frozenset()
    findings: tuple[Finding, ...] = ()
    rules: tuple[str, ...] = ()

    @property
    def last(self) -> int:
        """The index of the last record read as a row (not a bare label), or -1."""
        return max((m.record.index for m in self.matches if not m.bare), default=-1)


@attrs.frozen
class TablePlacement:
    """Stage ``place``: a table's values by path, and what placing them noticed."""

    values: Mapping[str, Slot] = attrs.field(converter=_frozen_map)
    findings: tuple[Finding, ...] = ()
    row_notes: tuple[tuple[str, RowNote], ...] = ()
    alternatives: tuple[tuple[str, tuple[dict[str, Slot], ...]], ...] = ()
    units: tuple[tuple[str, str | None], ...] = ()
    trace: tuple[TraceEntry, ...] = ()

    @classmethod
    def join(cls, parts: Sequence[TablePlacement]) -> TablePlacement:
        """The placements of several tables as one."""
        def each(name: str) -> tuple[Any, ...]:
            return tuple(x for p in parts for x in getattr(p, name))

        return cls({k: v for p in parts for k, v in p.values.items()}, each("findings"), each("row_notes"),
                   each("alternatives"), each("units"), each("trace"))


def where_of(rec: Record) -> dict[str, str]:
    """``{"source_location": …}`` for a finding about a record (empty if its place is unknown)."""
    prov = rec.provenance()
    return {"source_location": prov.describe()} if prov is not None else {}
