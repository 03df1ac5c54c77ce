"""The mapping pipeline: named stages, run the same way for every table of the form.

``detect`` (the edition: :mod:`._detect`) → for each table of the edition, in
the form's order: ``locate`` (the records it is in: :mod:`._locate`) →
``align`` (which record is which row: :mod:`._rows`) → ``place`` (which value
is which column: :mod:`._columns`) → ``variants`` (labels that deviate from the
form: :mod:`._variants`).

The stages exchange immutable values (:class:`~._state.Region`,
:class:`~._state.Alignment`, :class:`~._state.TablePlacement`); what a stage
does for a table follows from the table's declaration in :mod:`gxparse.form`
— its layout (rows, or one row of 3 × 5), whether its rows carry columns of
their own (主动公开), its anchor words, its row-total rule, its collapsible
group — and from the rules enabled in the :class:`~._rules.Ruler` (see there
for every heuristic by name).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from .._model import Document
from .._records import Record, build_records, is_value_record
from .._report import Finding
from ..form import TEMPLATES, TableSpec
from ..form._findings import TEMPLATE_MISMATCH, UNKNOWN_ROW
from ._columns import place_table
from ._detect import Detection, detect_template, texts_of
from ._locate import locate
from ._repeats import repeated_rows
from ._rows import align_table
from ._rules import RULES, Ruler
from ._state import Alignment, Context, Mapped, Region, TablePlacement, where_of
from ._variants import label_variants

__all__ = ["TableResult", "map_records", "map_table"]


@attrs.frozen
class TableResult:
    """Everything the stages made of one table."""

    table: TableSpec
    region: Region
    aligned: Alignment
    placed: TablePlacement
    variants: tuple[Finding, ...]
    #: the rules that found the label variants
    variant_rules: tuple[str, ...] = ()

    @property
    def findings(self) -> tuple[Finding, ...]:
        """In the order the mapper lists them: the table's shape, the placement, the rows left over
        (rule ``unknown-rows``), the labels."""
        unknown = tuple(UNKNOWN_ROW.make(f"{self.table.key}/?", "row", {
            "label": rec.label_text.strip(), "values": [v.text for v in rec.values], **where_of(rec)})
            for rec in self.aligned.unknown)
        return (*self.aligned.findings, *self.placed.findings, *unknown, *self.variants)

    @property
    def rules(self) -> tuple[str, ...]:
        """The rules that located the table, shaped it and found its label variants, each once."""
        return tuple(dict.fromkeys((*self.region.rules, *self.aligned.rules, *self.variant_rules)))


def map_table(ctx: Context, table: TableSpec, after: int) -> TableResult | None:
    """The stages ``locate`` → ``align`` → ``place`` → ``variants`` for one table, after the table
    before it (``after``: the index of its last record, -1 at the start). None when the table is
    not in the document."""
    region = locate(ctx, table, after)
    if region is None:
        return None
    aligned = align_table(ctx, table, region)
    if not aligned.matches:
        return None
    placed = place_table(ctx, table, aligned, region)
    variants, rules = label_variants(ctx, table, aligned)
    return TableResult(table, region, aligned, placed, variants, rules)


def map_records(doc: Document, records: list[Record] | None = None, template: str | None = None,
                rules: Ruler = RULES) -> Mapped:
    """Map a document's records onto the form (the edition detected unless given).

    ``records``: the document's records if already built (:func:`build_records`).
    ``template``: ``"2019"`` or ``"2021"`` to force an edition (KeyError for
    another); when the tables' headers say the other edition, a ``template-mismatch``
    error says so (the values are read on the forced edition, as asked). ``rules``: the heuristics to apply (all by default). Returns the
    :class:`Mapped` report; a document that holds no table gives one with no
    ``tables`` (this raises nothing).
    """
    if records is None:
        records = build_records(doc)
    mismatch: tuple[Finding, ...] = ()
    if template is None:
        detection = detect_template(texts_of(records), rules)
    else:
        detection = Detection(TEMPLATES[template], {}, True, ())
        found = detect_template(texts_of(records), rules)
        if found.decided and found.template.id != template:  # the headers say another edition
            mismatch = (TEMPLATE_MISMATCH.make("template", "forced", {
                "forced": template, "headers": found.template.id, **found.evidence},
                words="、".join(w for w in found.template.header_words if w in "".join(texts_of(records)))),)
    ctx = Context(records, detection.template, rules, tuple(r for r in records if is_value_record(r) and r.labels),
                  rules.switches)
    results: list[TableResult] = []
    after = -1
    for table in detection.template.tables:
        result = map_table(ctx, table, after)
        if result is not None:
            results.append(result)
            after = result.aligned.last
    return _assemble(detection, repeated_rows(ctx, results), mismatch)


def _assemble(detection: Detection, results: Sequence[TableResult], findings: Sequence[Finding] = ()) -> Mapped:
    """The mapped report from what the stages made of each table (and ``findings`` about the whole)."""
    placed = TablePlacement.join([r.placed for r in results])
    return Mapped(
        template=detection.template,
        values=dict(placed.values),
        tables=frozenset(r.table.key for r in results),
        present_groups=frozenset(g for r in results for g in r.aligned.present_groups),
        collapsed_other=any(r.aligned.collapsed for r in results),
        findings=(*findings, *(f for r in results for f in r.findings)),
        units=dict(placed.units),
        row_notes=dict(placed.row_notes),
        alternatives=dict(placed.alternatives),
        trace=placed.trace,
        rules_fired=(("*", detection.rules), *((r.table.key, r.rules) for r in results)),
    )
