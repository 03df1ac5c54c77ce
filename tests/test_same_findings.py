"""Same report, same findings (issue 15, item 7).

The same report in every format gives the same findings wherever the format shows the same cells:
a PDF that lost the 总计 column cannot show a row-total error, but must not report the 自然人
column's ``results-total`` a second time in the 总计 column, where every value is derived; and
``check`` never says 原文为 N of a value that was derived.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import gxparse
from gxparse import Document, Paragraph, Provenance, Table
from gxparse._mapping import Slot, SlotState, map_records
from gxparse._validate import Repair, validate, violation_findings
from gxparse.form import Equation
from gxparse.testing import GeneratedReport, reports

from conftest import SAMPLES, need_shared
from kit.noise import Noise
from kit.render import _layout


def _errors(report: gxparse.Report) -> set[tuple[str, str]]:
    return {(f.code, f.where) for f in report.errors}


@pytest.mark.parametrize("name", ["s02.html", "s02.txt", "s02.docx", "s02.pdf", "s02_layout.txt"])
def test_s02_in_every_format(name):
    need_shared(SAMPLES / name)
    r = gxparse.parse(SAMPLES / name)
    natural = ("results-total", "applications/results.total/natural_person")
    # the PDF and its text layer lost the 总计 column: the row's error cannot show there
    shows_total = name not in ("s02.pdf", "s02_layout.txt")
    want = {natural, ("row-total", "applications/results.disclosed/total")} if shows_total else {natural}
    assert _errors(r) == want
    assert [f.code for f in r.errors].count("results-total") == 1


# ---------------------------------------------------------------------------
# the property: a report without its 总计 column shows the errors of its other cells, once
# ---------------------------------------------------------------------------

def _document(report: GeneratedReport, edit: dict[tuple[int, int, int], str]) -> Document:
    """The report laid out as a Document, cells at ``(block, row, col)`` given new text."""
    blocks: list[Paragraph | Table] = []
    for i, (kind, v) in enumerate(_layout(report, Noise())):
        prov = Provenance("hypothesis", lines=(i + 1, i + 1))
        if kind == "table":
            cells = [attrs.evolve(c, text=edit[(i, c.row, c.col)]) if (i, c.row, c.col) in edit else c
                     for c in v.table.cells]
            blocks.append(Table(cells, provenance=prov))
        else:
            blocks.append(Paragraph(v, prov, {"title": 1, "heading": 2}.get(kind)))
    return Document(blocks, adapter="hypothesis")


def _app_cells(report: GeneratedReport) -> dict[str, tuple[int, int, int]]:
    out = {}
    for i, (kind, v) in enumerate(_layout(report, Noise())):
        if kind == "table":
            out.update({path: (i, *pos) for pos, path in v.value_cells.items() if path.startswith("applications/")})
    return out


@st.composite
def altered(draw):
    report = draw(reports())
    cells = _app_cells(report)
    path = draw(st.sampled_from(sorted(p for p in cells if not p.endswith("/total"))))
    return report, path, cells, draw(st.integers(1, 3))


@given(altered())
def test_without_the_total_column_the_same_errors_but_row_total(case):
    report, path, cells, delta = case
    note(f"{path} +{delta}")
    changed = {cells[path]: str(report.get(path) + delta)}
    full = gxparse.map_document(_document(report, changed))
    cut = {pos: "" for p, pos in cells.items() if p.endswith("/total")}
    without = gxparse.map_document(_document(report, {**changed, **cut}))
    assert _errors(without) == {e for e in _errors(full) if e[0] != "row-total"}
    for f in without.errors:  # every 总计 is derived there: never 原文为 for one
        assert not (f.where.endswith("/total") and "原文为" in f.message), f.message


def test_a_break_of_its_own_through_a_derived_total_says_it_was_derived():
    """A total derived by one equation that breaks another, which no printed number's own error
    explains: reported, and its message says the total was derived (never 原文为)."""
    t = gxparse.form.TEMPLATES["2021"]
    total, a, b, rn = ("applications/results.total/total", "applications/results.disclosed/total",
                       "applications/results.partially_disclosed/total", "applications/received_new/total")
    grand = Equation("results-total", total, (total,), (a, b), "（七）总计 = 各项之和")
    balance = Equation("balance", "applications/*/total", (rn,), (total,), "balance")
    values = {total: Decimal(5), a: Decimal(1), b: Decimal(1), rn: Decimal(5)}
    slots = {p: Slot(v, SlotState.GIVEN) for p, v in values.items()}
    fixed = Repair({total: (Decimal(5), balance)}, frozenset())
    kinds = dict.fromkeys(values, "count")
    [f] = violation_findings(t, [balance, grand], values, slots, list(values), kinds, fixed)
    assert (f.code, f.where) == ("results-total", total)
    assert "原文为" not in f.message and "推出为 5" in f.message
    # printed, the same total says 原文为
    [g] = violation_findings(t, [balance, grand], values, slots, list(values), kinds, Repair({}, frozenset()))
    assert "原文为 5" in g.message


def test_validate_does_not_change_with_the_order_of_the_equations():
    report = gxparse.testing.zero_report("2021")
    cells = _app_cells(report)
    cut = {pos: "" for p, pos in cells.items() if p.endswith("/total")}
    doc = _document(report, {**cut, cells["applications/results.disclosed/natural_person"]: "1"})
    mapped = map_records(doc)
    codes = [(f.code, f.where) for f in validate(mapped).findings if f.severity == "error"]
    assert codes == [("results-total", "applications/results.total/natural_person")]
