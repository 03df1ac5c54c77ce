"""Compatibility: the form moved to :mod:`gxparse.form`; these names are served from there."""

from __future__ import annotations

from collections.abc import Mapping

from .form import (
    SECTIONS,
    TABLE_LABELS,
    TEMPLATE_2019,
    TEMPLATE_2021,
    TEMPLATES,
    Column,
    Equation,
    FieldKind,
    Role,
    Row,
    SectionKind,
    Template,
    get_template,
)

__all__ = [
    "ACTIVE_HEADER_MARKS",
    "SECTIONS",
    "TABLE_LABELS",
    "TEMPLATES",
    "TEMPLATE_2019",
    "TEMPLATE_2021",
    "ActiveField",
    "ActiveItem",
    "AppColumn",
    "AppRow",
    "Equation",
    "FieldKind",
    "ReviewColumn",
    "ReviewGroup",
    "Role",
    "SectionKind",
    "Template",
    "get_template",
]

ActiveItem = AppRow = ReviewGroup = Row
ActiveField = AppColumn = ReviewColumn = Column

#: Column-header words that mark the active-disclosure table of each template.
ACTIVE_HEADER_MARKS: Mapping[str, tuple[str, ...]] = {tid: t.header_words for tid, t in TEMPLATES.items()}
