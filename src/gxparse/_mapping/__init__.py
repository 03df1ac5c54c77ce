"""The mapper: a Document's records onto the official form, in named stages.

The mapper knows the official form (:mod:`gxparse.form`) and nothing about
file formats. It reads records (:mod:`gxparse._records`: a label and the value
cells after it) and runs :func:`map_records`:

1. ``detect`` — the edition (2021 or 2019), from the 主动公开 column headers,
   failing those from the rows only one edition has (:mod:`._detect`);
2. for every table of the form, the same stages (:mod:`._pipeline`):
   ``locate`` its records, ``align`` them with its rows (a monotone alignment,
   like a diff, scoring label similarity: :mod:`._labels`, :mod:`._align`),
   ``place`` each row's values in the columns (by the header grid, else in
   order as the row's own total allows: :mod:`._place`), and report labels that
   deviate from the form (``variants``: :mod:`._variants`).

Every heuristic is a named rule with a switch (:mod:`._rules`); the result is an
immutable :class:`Mapped` with the rules that fired in its trace. A number is
never placed on a guess. Validation and exact repair follow in
:mod:`gxparse._validate`.
"""

from __future__ import annotations

from ._detect import Detection, detect_template, texts_of
from ._pipeline import map_records
from ._place import Fit, Placement, RowSums, known_sum, place_grid, place_sequential
from ._rules import RULES, STAGES, Rule, Ruler
from ._state import Mapped, RowNote, Slot, SlotState, TraceEntry

__all__ = [
    "RULES",
    "STAGES",
    "Detection",
    "Fit",
    "Mapped",
    "Placement",
    "RowNote",
    "RowSums",
    "Rule",
    "Ruler",
    "Slot",
    "SlotState",
    "TraceEntry",
    "detect_template",
    "known_sum",
    "map_records",
    "place_grid",
    "place_sequential",
    "texts_of",
]
