"""Compatibility: the mapper moved to :mod:`gxparse._mapping`; these names are served from there."""

from __future__ import annotations

from ._mapping import (
    RULES,
    Fit,
    Mapped,
    Placement,
    RowNote,
    RowSums,
    Slot,
    SlotState,
    detect_template,
    known_sum,
    map_records,
    place_grid,
    place_sequential,
)

__all__ = ["RULES", "Fit", "Mapped", "Placement", "RowNote", "RowSums", "Slot", "SlotState", "detect_template",
           "known_sum", "map_records", "place_grid", "place_sequential"]
