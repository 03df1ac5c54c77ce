"""The official report form, declared once.

Everything gxparse knows about the 政府信息公开工作年度报告 form is data here,
and every other part reads it: template detection, the glued-text reader, the
mapper, the equations and the validator, :meth:`gxparse.Report.to_dict`,
``docs/schema.md`` and the test strategies.

* :class:`Template` — one edition (``"2021"``, ``"2019"``: :data:`TEMPLATES`):
  its :class:`TableSpec` tables and the header words that tell it apart.
* :class:`TableSpec` — a table: :class:`Row` rows (key, official label, group,
  :class:`Role`), :class:`Column` columns, its arithmetic as rules
  (:class:`Balance`, :class:`GrandTotal`, :class:`RowTotal`,
  :class:`GroupTotal`; :meth:`Template.equations` instantiates them), how it is
  printed (:class:`Layout`: the review table as one row of 3 × 5) and the
  anchor words that locate it in a document.
* :class:`Path` — a place ``table/row/column``; :meth:`Template.label_of`
  gives its official labels.
* :data:`SECTIONS` — the report's sections and the words of their headings.
* :data:`FINDING_CODES` — every finding code with its severity, meaning and
  message templates (:meth:`FindingCode.make`).

The form is read-only: the values are frozen.
"""

from __future__ import annotations

from ._findings import CODES, FINDING_CODES, FindingCode, by_severity, severity_rank
from ._official import (
    DEFAULT_TEMPLATE,
    SECTION_ORDER,
    SECTIONS,
    TABLE_LABELS,
    TEMPLATE_2019,
    TEMPLATE_2021,
    TEMPLATES,
)
from ._spec import (
    Balance,
    Column,
    ColumnGroup,
    Equation,
    FieldKind,
    GrandTotal,
    GroupTotal,
    Layout,
    Path,
    Role,
    Row,
    RowTotal,
    SectionKind,
    TableRule,
    TableSpec,
    Template,
)

__all__ = [
    "CODES",
    "DEFAULT_TEMPLATE",
    "FINDING_CODES",
    "SECTIONS",
    "SECTION_ORDER",
    "TABLE_LABELS",
    "TEMPLATES",
    "TEMPLATE_2019",
    "TEMPLATE_2021",
    "Balance",
    "Column",
    "ColumnGroup",
    "Equation",
    "FieldKind",
    "FindingCode",
    "GrandTotal",
    "GroupTotal",
    "Layout",
    "Path",
    "Role",
    "Row",
    "RowTotal",
    "SectionKind",
    "TableRule",
    "TableSpec",
    "Template",
    "by_severity",
    "get_template",
    "severity_rank",
]


def get_template(template_id: str) -> Template:
    """The edition with this id; raises KeyError naming the known ones."""
    try:
        return TEMPLATES[template_id]
    except KeyError:
        raise KeyError(f"unknown template {template_id!r} (known: {', '.join(TEMPLATES)})") from None
