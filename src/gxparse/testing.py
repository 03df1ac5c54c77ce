"""Property-based testing support: generated reports, renderers, oracles, and an adapter contract.

This module is public. gxparse's own test suite uses it, and so can the tests of
a third-party format adapter::

    from gxparse.testing import AdapterContract

    class TestDocxAdapter(AdapterContract):
        adapter = DocxAdapter()
        samples = [Path("tests/data/report.docx").read_bytes()]

It needs `hypothesis <https://hypothesis.readthedocs.io>`_ (``pip install
'gxparse[test]'``); ``import gxparse`` never imports it, ``import
gxparse.testing`` does. The PDF renderer also needs ``reportlab`` (imported
when a PDF is rendered).

What is here:

* **Strategies.** :func:`reports` draws a :class:`GeneratedReport`: a valid
  report on the 2019 or 2021 form that satisfies every invariant, with
  realistic numbers (mostly zeros, a few large counts, money with up to six
  decimals, negative 本年增/减). :func:`broken_reports` breaks one invariant on
  purpose and names the finding it must raise. :func:`noises` draws the
  deviations real documents carry (width, spaces and line breaks in labels,
  typos, blank cells, split headers, a collapsed （六）其他处理, extra empty
  cells). :func:`tables` draws core-model :class:`~gxparse.Table` objects
  whose spans tile the grid exactly.
* **Renderers.** :func:`render` writes a generated report in every built-in
  format and flavour (:data:`FLAVOURS`): text one cell per line (bare and
  tab-indented), tab-separated rows, ``pdftotext -layout``-like columns, pipe
  cell-per-line and row-per-line, GFM markdown, HTML with rowspan/colspan and
  a ruled PDF; :func:`to_document` gives the same as a core-model
  :class:`~gxparse.Document`, with no format in between.
* **Oracles.** :func:`expected_outcome` says what :func:`gxparse.parse` must
  return for a rendered report (every number, ``derived``, the findings the
  noise calls for); :func:`compare` lists the differences. :func:`violations`
  and :func:`determined` implement the invariants of the spec independently
  of the validator.
* **The adapter contract.** :class:`AdapterContract` is a test base class
  checking what every adapter owes gxparse (clean registration, a cheap and
  pure ``accepts``, valid documents, provenance inside the source, only
  :class:`~gxparse.GxparseError` on bad input, within a time bound).

The form itself (keys, labels, order, invariants) is read from
:mod:`gxparse._templates`; nothing here restates it.
"""

from __future__ import annotations

import copy
import html as _html
import io
import random
import re
import signal
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ._errors import GxparseError
from ._model import Cell, Document, Paragraph, Provenance, Table
from ._registry import FormatAdapter, Registry
from ._report import Report
from ._source import HEAD_SIZE, Source
from .form import SECTIONS, TEMPLATES, Equation, Role, Template
from .form import Row as AppRow

__all__ = [
    "FLAVOURS",
    "TYPOS",
    "AdapterContract",
    "BrokenReport",
    "Expectation",
    "Flavour",
    "GeneratedReport",
    "Noise",
    "Rendered",
    "Typo",
    "broken_reports",
    "call_with_timeout",
    "compare",
    "determined",
    "equations_for",
    "expected_outcome",
    "noises",
    "render",
    "reports",
    "tables",
    "to_document",
    "violations",
    "zero_report",
]

Number = int | Decimal
T = TypeVar("T")

# ---------------------------------------------------------------------------
# the generated report
# ---------------------------------------------------------------------------


def _freeze(table: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row: dict(cols) for row, cols in table.items()}


@attrs.frozen(eq=True, hash=False)
class GeneratedReport:
    """A report as the hypothesis strategies draw it: what a document should say.

    The three tables use the keys of :meth:`gxparse.Report.to_dict`:
    ``active_disclosure[item][field]``, ``applications[row][column]`` and
    ``reviews_and_litigation[group][column]``. ``applications`` holds every
    data row of the template (inputs, leaves, （七）总计, output) and the group
    rows listed in :attr:`subtotals`, which the document prints with numbers of
    their own.

    Attributes:
        template: ``"2019"`` or ``"2021"``.
        agency: the agency's name, as in the title.
        year: the report year.
        procurement_unit: unit printed after the 2019 政府集中采购 amount
            (``"元"``, ``"万元"`` or ``None``).
        subtotals: group rows (``results.withheld`` …) printed as subtotal rows.
    """

    template: str
    agency: str
    year: int
    active_disclosure: dict[str, dict[str, Number]] = attrs.field(converter=_freeze)
    applications: dict[str, dict[str, int]] = attrs.field(converter=_freeze)
    reviews_and_litigation: dict[str, dict[str, int]] = attrs.field(converter=_freeze)
    procurement_unit: str | None = None
    subtotals: tuple[str, ...] = ()

    @property
    def form(self) -> Template:
        """The :class:`~gxparse.Template` the report is on."""
        return TEMPLATES[self.template]

    def get(self, path: str) -> Number | None:
        """The value at ``table/row/column``."""
        table, row, col = path.split("/", 2)
        return getattr(self, table).get(row, {}).get(col)

    def paths(self) -> list[str]:
        """Every value path of the report, in the template's order (subtotal rows after the leaves)."""
        out = list(self.form.iter_paths())
        for g in self.subtotals:
            out += [f"applications/{g}/{c.key}" for c in self.form.app_columns]
        return out

    def with_value(self, path: str, value: Number) -> GeneratedReport:
        """A copy with one value changed (nothing else is adjusted)."""
        table, row, col = path.split("/", 2)
        data = _freeze(getattr(self, table))
        data.setdefault(row, {})[col] = value
        return attrs.evolve(self, **{table: data})  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        """The report in the shape of :meth:`gxparse.Report.to_dict` (template, meta, three tables)."""
        active = _freeze(self.active_disclosure)
        if "procurement" in active:
            active["procurement"]["amount_unit"] = self.procurement_unit
        return {
            "template": self.template,
            "meta": {"agency": self.agency, "year": self.year},
            "active_disclosure": active,
            "applications": _freeze(self.applications),
            "reviews_and_litigation": _freeze(self.reviews_and_litigation),
        }


# ---------------------------------------------------------------------------
# invariants (an oracle written from the spec, independent of _validate)
# ---------------------------------------------------------------------------


def equations_for(template: Template, *, groups: Iterable[str] = (), collapsed_other: bool = False) -> list[Equation]:
    """The invariants a document on ``template`` must satisfy.

    ``groups``: group rows that carry numbers (their ``group-total`` holds).
    ``collapsed_other``: a 2021 report giving （六）其他处理 as one row, which
    then stands for its three sub-items (``results-total``) and equals their
    sum (``group-total``).
    """
    return template.equations(frozenset(groups), collapsed_other)


def _kind(template: Template, path: str) -> str:
    return template.field_kind(path)


def violations(report: GeneratedReport) -> set[tuple[str, str]]:
    """The error findings ``(code, where)`` the spec requires for ``report``.

    Every invariant instance that does not hold, and every count below zero
    (``change`` excepted).
    """
    t = report.form
    out: set[tuple[str, str]] = set()
    for e in equations_for(t, groups=report.subtotals):
        terms = [*e.lhs, *e.rhs]
        vals = [report.get(p) for p in terms]
        if any(v is None for v in vals):
            continue
        left = sum((Decimal(report.get(p)) for p in e.lhs), Decimal(0))  # type: ignore[arg-type]
        right = sum((Decimal(report.get(p)) for p in e.rhs), Decimal(0))  # type: ignore[arg-type]
        if left != right:
            out.add((e.code, e.where))
    for p in report.paths():
        v = report.get(p)
        if v is not None and v < 0 and _kind(t, p) != "signed":
            out.add(("negative-count", p))
    return out


def determined(values: Mapping[str, Number | None], eqs: Sequence[Equation],
               kinds: Mapping[str, str] | None = None) -> dict[str, Decimal]:
    """The unknown values (``None``) that the invariants determine exactly, as the spec defines it.

    Repeatedly: an equation with one unknown determines it, if the result is
    a whole count ≥ 0 (any number for money, any sign for ``signed``); an
    equation whose known terms already balance, with all its unknowns on one
    side, makes them 0 (counts are never negative). A value two equations
    determine differently is not determined. Equations that mention a path
    not in ``values`` are ignored.
    """
    kinds = kinds or {}
    vals: dict[str, Decimal | None] = {p: (None if v is None else Decimal(v)) for p, v in values.items()}
    eqs = [e for e in eqs if all(p in vals for p in (*e.lhs, *e.rhs))]
    found: dict[str, Decimal] = {}
    bad: set[str] = set()
    changed = True
    while changed:
        changed = False
        proposals: dict[str, set[Decimal]] = {}
        for e in eqs:
            ul = [p for p in e.lhs if vals[p] is None]
            ur = [p for p in e.rhs if vals[p] is None]
            kl = sum((v for p in e.lhs if (v := vals[p]) is not None), Decimal(0))
            kr = sum((v for p in e.rhs if (v := vals[p]) is not None), Decimal(0))
            if len(ul) + len(ur) == 1:
                p = (ul + ur)[0]
                v = kr - kl if ul else kl - kr
                kind = kinds.get(p, "count")
                if (v >= 0 or kind == "signed") and (kind == "money" or v == v.to_integral_value()):
                    proposals.setdefault(p, set()).add(v)
            elif (ul and not ur or ur and not ul) and kl == kr:
                for p in ul + ur:
                    if kinds.get(p, "count") != "signed":
                        proposals.setdefault(p, set()).add(Decimal(0))
        for p, vs in proposals.items():
            if p in bad:
                continue
            if len(vs) == 1:
                vals[p] = next(iter(vs))
                found[p] = vals[p]  # type: ignore[assignment]
                changed = True
            else:
                bad.add(p)
    return found


# ---------------------------------------------------------------------------
# strategies: reports
# ---------------------------------------------------------------------------

_PLACES = ("南岗区", "尚志市", "绥芬河县", "让胡路区", "前进区", "鹤岗市", "洪泽区", "道里区", "宾县", "大庆市")
_OFFICES = ("城市管理局", "市场监督管理局", "人力资源和社会保障局", "营商环境建设监督局", "人民政府办公室", "财政局",
            "教育局", "卫生健康局", "民政局", "自然资源局")


Draw = Callable[[st.SearchStrategy[Any]], Any]


def _count(draw: Draw, *, busy: bool = True) -> int:
    """A realistic count: mostly 0, some small, a few large."""
    k = draw(st.integers(0, 9))
    if k <= 5 or not busy:
        return 0
    if k <= 7:
        return draw(st.integers(1, 9))
    if k == 8:
        return draw(st.integers(10, 999))
    return draw(st.integers(1000, 99999))


def _money(draw: Draw) -> Decimal:
    """Money with up to six decimals (万元 or 元), often 0."""
    if draw(st.integers(0, 2)) == 0:
        return Decimal(0)
    places = draw(st.integers(0, 6))
    units = draw(st.integers(0, 10**9))
    return Decimal(units).scaleb(-places)


@st.composite
def reports(draw: Callable[[st.SearchStrategy[Any]], Any], template: str | None = None) -> GeneratedReport:
    """Valid reports: every invariant holds, numbers as real reports have them.

    Args:
        template: ``"2019"``, ``"2021"``, or ``None`` for either.
    """
    tid = template or draw(st.sampled_from(sorted(TEMPLATES)))
    t = TEMPLATES[tid]
    year = draw(st.integers(2021, 2025) if tid == "2021" else st.integers(2019, 2020))
    agency = draw(st.sampled_from(_PLACES)) + draw(st.sampled_from(_OFFICES))

    active: dict[str, dict[str, Number]] = {}
    for item in t.active_items:
        row: dict[str, Number] = {}
        for f in item.fields:
            if f.kind == "money":
                row[f.key] = _money(draw)
            elif f.kind == "signed":
                row[f.key] = draw(st.integers(-200, 200)) if draw(st.integers(0, 2)) == 2 else 0
            else:
                row[f.key] = _count(draw)
        active[item.key] = row
    unit = draw(st.sampled_from([None, "元", "万元"])) if "procurement" in active else None

    cols = [c.key for c in t.app_columns]
    value_cols, total_col = cols[:-1], cols[-1]
    leaves = [r.key for r in t.leaf_rows]
    apps: dict[str, dict[str, int]] = {r.key: {} for r in t.data_rows}
    for i, c in enumerate(value_cols):
        busy = draw(st.integers(0, 3)) >= (1 if i == 0 else 3)  # natural persons apply most
        for leaf in leaves:
            apps[leaf][c] = _count(draw, busy=busy)
        done = sum(apps[leaf][c] for leaf in leaves)
        apps["results.total"][c] = done
        forward = _count(draw, busy=busy)
        apps["carried_forward"][c] = forward
        carried = draw(st.integers(0, done + forward)) if busy and draw(st.booleans()) else 0
        apps["carried_over"][c] = carried
        apps["received_new"][c] = done + forward - carried
    subtotals = tuple(g for g in (r.key for r in t.app_rows if r.role is Role.GROUP_TOTAL)
                      if draw(st.integers(0, 7)) == 7)
    for g in subtotals:
        apps[g] = {c: sum(apps[r.key][c] for r in t.group_items(g)) for c in value_cols}
    for row_values in apps.values():
        row_values[total_col] = sum(row_values[c] for c in value_cols)
    ordered = {r.key: apps[r.key] for r in t.app_rows if r.key in apps}

    reviews: dict[str, dict[str, int]] = {}
    rcols = [c.key for c in t.review_columns]
    for group in t.review_groups:
        vals = {c: _count(draw, busy=draw(st.integers(0, 3)) == 3) for c in rcols[:-1]}
        vals[rcols[-1]] = sum(vals.values())
        reviews[group.key] = vals
    return GeneratedReport(tid, agency, year, active, ordered, reviews, unit, subtotals)


def zero_report(template: str = "2021", agency: str = "南岗区城市管理局", year: int | None = None) -> GeneratedReport:
    """The valid report with every number 0 (what :func:`reports` shrinks to): a start
    for explicit examples, ``zero_report("2019").with_value("applications/received_new/total", 3)``
    (``with_value`` adjusts nothing else: keep the invariants yourself)."""
    t = TEMPLATES[template]
    active: dict[str, dict[str, Number]] = {
        i.key: {f.key: (Decimal(0) if f.kind == "money" else 0) for f in i.fields} for i in t.active_items}
    apps = {r.key: {c.key: 0 for c in t.app_columns} for r in t.data_rows}
    reviews = {g.key: {c.key: 0 for c in t.review_columns} for g in t.review_groups}
    return GeneratedReport(template, agency, year or (2021 if template == "2021" else 2019), active, apps, reviews)


@attrs.frozen(hash=False)
class BrokenReport:
    """A report with one invariant broken on purpose.

    Attributes:
        report: the report (every other number as valid as before).
        code: the finding code that must be raised (``balance``, ``row-total`` …).
        where: the path the finding must name.
        changed: the paths whose values were changed.
    """

    report: GeneratedReport
    code: str
    where: str
    changed: tuple[str, ...]

    @property
    def expected_errors(self) -> set[tuple[str, str]]:
        """Every error finding ``(code, where)`` the broken report must raise (from :func:`violations`)."""
        return violations(self.report)


BROKEN_KINDS = ("balance", "results-total", "row-total", "review-total", "negative-count", "group-total", "cell")


@st.composite
def broken_reports(draw: Callable[[st.SearchStrategy[Any]], Any], template: str | None = None,
                   kinds: Sequence[str] = BROKEN_KINDS) -> BrokenReport:
    """Reports with one invariant broken, paired with the finding ``(code, where)`` it must raise.

    Kinds: ``balance`` (新收 changed, its row still adding up),
    ``results-total`` (（七）总计 and 结转下年 changed so that only the
    （七）总计 sum breaks), ``row-total`` (a 总计 cell), ``review-total``,
    ``negative-count``, ``group-total`` (a subtotal row) and ``cell`` (any one
    count of the applications or reviews table: its row's or group's total
    breaks).
    """
    r: GeneratedReport = draw(reports(template))
    t = r.form
    kind = draw(st.sampled_from(list(kinds)))
    cols = [c.key for c in t.app_columns]
    d = draw(st.integers(1, 50)) * draw(st.sampled_from([1, -1]))
    col = draw(st.sampled_from(cols[:-1]))

    def bump(rep: GeneratedReport, path: str, delta: int) -> GeneratedReport:
        return rep.with_value(path, rep.get(path) + delta)  # type: ignore[operator]

    if kind == "balance":
        paths: tuple[str, ...] = (f"applications/received_new/{col}", "applications/received_new/total")
        d = abs(d) if r.get(paths[0]) < abs(d) else d  # type: ignore[operator]
        for p in paths:
            r = bump(r, p, d)
        return BrokenReport(r, "balance", f"applications/*/{col}", paths)
    if kind == "results-total":
        # （七）总计 up by d, and 新收 up by d so that the balance still holds: only the
        # sum of the 办理结果 leaves breaks (no count goes below 0)
        d = abs(d)
        paths = (f"applications/results.total/{col}", "applications/results.total/total",
                 f"applications/received_new/{col}", "applications/received_new/total")
        for p in paths:
            r = bump(r, p, d)
        return BrokenReport(r, "results-total", f"applications/results.total/{col}", paths)
    if kind == "row-total":
        row = draw(st.sampled_from([row.key for row in t.data_rows]))
        path = f"applications/{row}/total"
        d = abs(d) if r.get(path) < abs(d) else d  # type: ignore[operator]
        return BrokenReport(bump(r, path, d), "row-total", path, (path,))
    if kind == "review-total":
        g = draw(st.sampled_from([g.key for g in t.review_groups]))
        c = draw(st.sampled_from([c.key for c in t.review_columns]))
        path = f"reviews_and_litigation/{g}/{c}"
        d = abs(d) if r.get(path) < abs(d) else d  # type: ignore[operator]
        return BrokenReport(bump(r, path, d), "review-total", f"reviews_and_litigation/{g}/total", (path,))
    if kind == "negative-count":
        path = draw(st.sampled_from([p for p in r.paths() if _kind(t, p) == "count"]))
        value = -draw(st.integers(1, 99))
        return BrokenReport(r.with_value(path, value), "negative-count", path, (path,))
    if kind == "group-total":
        groups = [row.key for row in t.app_rows if row.role is Role.GROUP_TOTAL] or ["results.withheld"]
        g = draw(st.sampled_from(groups))
        if g not in r.subtotals:
            values = {c: sum(r.applications[i.key][c] for i in t.group_items(g)) for c in cols}
            apps = _freeze(r.applications)
            apps[g] = values
            apps = {row.key: apps[row.key] for row in t.app_rows if row.key in apps}
            r = attrs.evolve(r, applications=apps, subtotals=(*r.subtotals, g))
        paths = (f"applications/{g}/{col}", f"applications/{g}/total")
        d = abs(d) if r.get(paths[0]) < abs(d) else d  # type: ignore[operator]
        for p in paths:
            r = bump(r, p, d)
        return BrokenReport(r, "group-total", paths[0], paths)
    # "cell": one count changed, nothing compensated
    path = draw(st.sampled_from([p for p in r.paths()
                                 if not p.startswith("active_disclosure/") and not p.endswith("/total")]))
    d = abs(d) if r.get(path) < abs(d) else d  # type: ignore[operator]
    table, row, _ = path.split("/")
    code = "review-total" if table == "reviews_and_litigation" else "row-total"
    return BrokenReport(bump(r, path, d), code, f"{table}/{row}/total", (path,))


# ---------------------------------------------------------------------------
# strategies: noise
# ---------------------------------------------------------------------------


@attrs.frozen
class Typo:
    """A label typo real reports carry: ``old`` replaced by ``new`` in the label of ``key``.

    ``kind`` is ``"row"`` (an applications row key) or ``"field"`` (an active
    disclosure field key, in the table's header); ``where`` is the path of the
    ``label-variant`` finding it must raise.
    """

    kind: str
    key: str
    old: str
    new: str

    @property
    def where(self) -> str:
        return f"applications/{self.key}" if self.kind == "row" else f"active_disclosure/*/{self.key}"

    def applies_to(self, template: Template) -> bool:
        """Whether the template has the label and the label has ``old``."""
        if self.kind == "row":
            try:
                return self.old in template.app_row(self.key).label
            except KeyError:
                return False
        return any(f.key == self.key and self.old in f.label for i in template.active_items for f in i.fields)


#: The typos of real reports (see the spec and the corpus). Each must apply to at
#: least one template: checked at import.
TYPOS: tuple[Typo, ...] = (
    Typo("field", "repealed", "废止", "度止"),  # 本年度止件数
    Typo("field", "issued", "制发", "制作"),  # 本年制作件数
    Typo("row", "results.partially_disclosed", "只计", "只记"),
    Typo("row", "results.other.overdue_correction", "不再处理", "不在处理"),
    Typo("row", "results.other.overdue_fee", "不再处理", "不在处理"),
    Typo("row", "results.not_processed.excessive_repeated", "大量反复", "大量重复"),
    Typo("row", "results.withheld.prohibited_by_law", "法规禁止", "止"),  # 其他法律行政止公开
)
for _typo in TYPOS:
    if not any(_typo.applies_to(t) for t in TEMPLATES.values()):  # pragma: no cover - a template changed
        raise RuntimeError(f"gxparse.testing: typo {_typo} no longer matches the templates")


@attrs.frozen
class Noise:
    """How a rendered document deviates from the clean form. The default is no noise.

    Attributes:
        width: labels as the form prints them (``"official"``), or with
            half-width (``(一)``) or full-width (``（一）``, ``１.``) brackets,
            digits and punctuation.
        full_width_digits: numbers in full-width digits (``１２３``).
        label_spaces: spaces inside some labels (``(一) 予以 公开``).
        label_breaks: line breaks inside labels every so many characters
            (0: none), where the format can hold a line break in a cell.
        typos: the :data:`TYPOS` applied.
        blanks: value paths left blank.
        blank_mark: what a blank cell holds: ``""``, ``"—"``, ``"-"`` or ``"/"``.
        collapse_other: a 2021 form with （六）其他处理 as one row.
        split_header: column headers broken over two rows (applications, reviews).
        extra_cells: an empty column after every table's last column.
        caption: each table starts with a caption row (``收到和处理政府信息公开申请情况``).
        seed: drives the small random choices (where spaces go).
    """

    width: str = "official"
    full_width_digits: bool = False
    label_spaces: bool = False
    label_breaks: int = 0
    typos: tuple[Typo, ...] = ()
    blanks: frozenset[str] = frozenset()
    blank_mark: str = ""
    collapse_other: bool = False
    split_header: bool = False
    extra_cells: bool = False
    caption: bool = False
    seed: int = 0


def rendered_paths(report: GeneratedReport, noise: Noise = Noise()) -> list[str]:
    """The value paths a rendered document prints (the collapsed （六） replaces its sub-items)."""
    t = report.form
    sub = {f"applications/{r.key}/" for r in t.group_items("results.other")} if _collapsed(report, noise) else set()
    out = [p for p in report.paths() if not any(p.startswith(s) for s in sub)]
    if _collapsed(report, noise) and "results.other" not in report.subtotals:
        out += [f"applications/results.other/{c.key}" for c in t.app_columns]
    return out


def _collapsed(report: GeneratedReport, noise: Noise) -> bool:
    return noise.collapse_other and bool(report.form.group_items("results.other"))


# ---------------------------------------------------------------------------
# flavours
# ---------------------------------------------------------------------------


@attrs.frozen
class Rendered:
    """A rendered document.

    Attributes:
        data: the file's bytes.
        flavour: the :data:`FLAVOURS` key it was rendered in.
        adapter: the built-in adapter that must read it.
        name: a file name for it (``report.md``).
        weak_rows: rows (``table/row``) whose blank cells lost their position
            in this flavour (a blank left out of space-aligned text): their
            values may come back ``None`` (with a finding) instead of exact,
            but never wrong; a weak subtotal row may be absent (with none of
            its numbers printed it reads as a heading). Also rows that cells
            written one per line make ambiguous (:func:`_lead_blank_rows`).
    """

    data: bytes
    flavour: str
    adapter: str
    name: str
    weak_rows: frozenset[str] = frozenset()

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


@attrs.frozen
class Flavour:
    """One way a report is published: a renderer and the adapter that reads it.

    ``noise`` names the :class:`Noise` fields that make sense for it.
    """

    name: str
    adapter: str
    suffix: str
    description: str
    noise: frozenset[str]
    renderer: Callable[[GeneratedReport, Noise], Rendered] = attrs.field(repr=False)


_COMMON_NOISE = frozenset({"width", "full_width_digits", "label_spaces", "typos", "blanks", "blank_mark",
                           "collapse_other", "split_header", "extra_cells", "seed"})


@st.composite
def noises(draw: Callable[[st.SearchStrategy[Any]], Any], report: GeneratedReport,
           flavour: str | Flavour | None = None, *, blanks: bool = True, typos: bool = True) -> Noise:
    """Noise for ``report`` as ``flavour`` can carry it (all kinds when ``flavour`` is None).

    ``blanks=False`` or ``typos=False`` leave those out (e.g. for a broken
    report, whose blank cells would not be determined the usual way).
    """
    kinds = _COMMON_NOISE | {"label_breaks", "caption"}
    if flavour is not None:
        kinds = (FLAVOURS[flavour] if isinstance(flavour, str) else flavour).noise
    t = report.form
    n: dict[str, Any] = {}
    if "width" in kinds:
        n["width"] = draw(st.sampled_from(["official", "half", "full"]))
    if "full_width_digits" in kinds:
        n["full_width_digits"] = draw(st.integers(0, 4)) == 4
    if "label_spaces" in kinds:
        n["label_spaces"] = draw(st.booleans())
    if "label_breaks" in kinds and draw(st.booleans()):
        n["label_breaks"] = 12 - draw(st.integers(0, 8))  # shrinks to the widest lines
    collapse = "collapse_other" in kinds and bool(t.group_items("results.other")) and draw(st.integers(0, 3)) == 3
    n["collapse_other"] = collapse
    if typos and "typos" in kinds:
        usable = [ty for ty in TYPOS if ty.applies_to(t)
                  and not (collapse and ty.kind == "row" and t.app_row(ty.key).group == "results.other")]
        n["typos"] = tuple(ty for ty in usable if draw(st.integers(0, 3)) == 3)
    if blanks and "blanks" in kinds:
        n["blanks"] = draw(_blank_sets(report, Noise(collapse_other=collapse)))
    if "blank_mark" in kinds:
        n["blank_mark"] = draw(st.sampled_from(["", "", "—", "-", "/"]))
    for flag in ("split_header", "extra_cells", "caption"):
        if flag in kinds:
            n[flag] = draw(st.integers(0, 2)) == 2
    n["seed"] = draw(st.integers(0, 2**16))
    return Noise(**n)


def _blank_sets(report: GeneratedReport, noise: Noise) -> st.SearchStrategy[frozenset[str]]:
    paths = rendered_paths(report, noise)
    totals = [p for p in paths if p.endswith("/total")]
    rows = sorted({p.rsplit("/", 1)[0] for p in paths if p.startswith("applications/")})

    @st.composite
    def blank_set(draw: Callable[[st.SearchStrategy[Any]], Any]) -> frozenset[str]:
        mode = draw(st.integers(0, 5))
        if mode <= 1:
            return frozenset()
        if mode == 2:  # blank 总计 cells
            return frozenset(draw(st.lists(st.sampled_from(totals), min_size=1, max_size=4)))
        if mode == 3:  # a whole row left blank
            row = draw(st.sampled_from(rows))
            return frozenset(p for p in paths if p.rsplit("/", 1)[0] == row)
        return frozenset(draw(st.lists(st.sampled_from(paths), min_size=1, max_size=5)))

    return blank_set()


# ---------------------------------------------------------------------------
# the form as a grid (shared by every renderer)
# ---------------------------------------------------------------------------

_FULL = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.、])")


def _widen(text: str) -> str:
    return "".join(_FULL.get(ch, ch) for ch in text)


class _Labeler:
    """Applies label noise (width, spaces, breaks) deterministically from the noise's seed."""

    def __init__(self, noise: Noise) -> None:
        self.noise = noise
        self.rng = random.Random(noise.seed)

    def __call__(self, text: str, *, breakable: bool = True) -> str:
        n = self.noise
        if n.width == "half":
            text = unicodedata.normalize("NFKC", text)
        elif n.width == "full":
            text = _widen(unicodedata.normalize("NFKC", text))
        if n.label_spaces and self.rng.random() < 0.5:
            m = _NUMBERING.match(unicodedata.normalize("NFKC", text))
            if m and self.rng.random() < 0.5:
                cut = len(m.group(0))
                text = text[:cut] + " " + text[cut:]
            elif len(text) >= 4:
                k = self.rng.randrange(2, len(text) - 1)
                if not text[k - 1].isspace() and not text[k].isspace():
                    text = text[:k] + self.rng.choice([" ", "  ", "\u3000"]) + text[k:]
        if breakable and n.label_breaks and len(text) > n.label_breaks:
            w = n.label_breaks
            text = "\n".join(text[i:i + w] for i in range(0, len(text), w))
        return text


@attrs.frozen
class _FormTable:
    """One of the three tables of the form, laid out as the official grid."""

    key: str
    caption: str
    table: Table
    #: grid row -> row path (``applications/received_new``) for data rows
    data_rows: Mapping[int, str]
    #: grid row -> value cells' grid columns -> path
    value_cells: Mapping[tuple[int, int], str]
    #: first grid column holding values (columns before it hold labels)
    first_value_col: int


class _Grid:
    """Builds a Table row by row: ``add(row, col, text, row_span, col_span)``."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []

    def add(self, row: int, col: int, text: str, rs: int = 1, cs: int = 1) -> None:
        self.cells.append(Cell(row, col, text, rs, cs))

    def table(self) -> Table:
        return Table(self.cells)


def _num_text(value: Number, noise: Noise, unit: str | None = None) -> str:
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    if noise.full_width_digits:
        text = _widen(text)
    return text + (unit or "")


def _own_label(t: Template, row: AppRow) -> str:
    """A row's label without the labels of its group and heading (what its own cell says)."""
    text = row.label
    parents = []
    g = row.group
    while g:
        parents.append(t.app_row(g).label)
        g = t.app_row(g).group
    for parent in parents:
        if text.startswith(parent) and text != parent:
            text = text[len(parent):].strip()
    return text


def _form_tables(report: GeneratedReport, noise: Noise) -> list[_FormTable]:
    t = report.form
    lab = _Labeler(noise)
    typo_rows = {ty.key: ty for ty in noise.typos if ty.kind == "row"}
    typo_fields = {ty.key: ty for ty in noise.typos if ty.kind == "field"}
    collapsed = _collapsed(report, noise)

    def value(path: str) -> str:
        if path in noise.blanks:
            return noise.blank_mark
        v = _value_of(report, path, collapsed)
        unit = report.procurement_unit if path == "active_disclosure/procurement/amount" else None
        return _num_text(v, noise, unit)

    out: list[_FormTable] = []
    # -- 主动公开 ---------------------------------------------------------------
    g = _Grid()
    width = 1 + max(len(i.fields) for i in t.active_items)
    data_rows: dict[int, str] = {}
    cells: dict[tuple[int, int], str] = {}
    r = 0
    clauses: list[tuple[str, list[Any]]] = []
    for item in t.active_items:
        if not clauses or clauses[-1][0] != item.clause:
            clauses.append((item.clause, []))
        clauses[-1][1].append(item)
    for clause, items in clauses:
        g.add(r, 0, lab(f"第二十条第{clause}项", breakable=False), cs=width)
        r += 1
        fields = items[0].fields
        spans = [1] * len(fields)
        spans[-1] += width - 1 - len(fields)
        g.add(r, 0, "信息内容")
        c = 1
        for f, span in zip(fields, spans):
            text = f.label
            ty = typo_fields.get(f.key)
            if ty is not None:
                text = text.replace(ty.old, ty.new)
            g.add(r, c, lab(text), cs=span)
            c += span
        r += 1
        for item in items:
            g.add(r, 0, lab(item.label))
            c = 1
            for f, span in zip(item.fields, spans):
                path = f"active_disclosure/{item.key}/{f.key}"
                g.add(r, c, value(path), cs=span)
                cells[(r, c)] = path
                c += span
            data_rows[r] = f"active_disclosure/{item.key}"
            r += 1
    out.append(_FormTable("active_disclosure", _section_title("active_disclosure"), g.table(), data_rows, cells, 1))

    # -- 收到和处理政府信息公开申请 ------------------------------------------------------
    g = _Grid()
    cols = t.app_columns
    n_label = 3
    g.add(0, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rs=3, cs=n_label)
    g.add(0, n_label, "申请人情况", cs=len(cols))
    g.add(1, n_label, lab(cols[0].label), rs=2)
    g.add(1, n_label + 1, "法人或其他组织", cs=len(cols) - 2)
    g.add(1, n_label + len(cols) - 1, lab(cols[-1].label), rs=2)
    for k, col in enumerate(cols[1:-1]):
        g.add(2, n_label + 1 + k, lab(col.label))
    header_rows = 3
    data_rows = {}
    cells = {}
    rows = _printed_rows(report, noise)
    r = header_rows
    heading = next((row for row in t.app_rows if row.role is Role.HEADING), None)
    results_rows = [row for row in rows if row.group is not None]
    for row in rows:
        label = _own_label(t, row)
        ty = typo_rows.get(row.key)
        if ty is not None:
            label = label.replace(ty.old, ty.new)
        label = lab(label)
        if row.group is None:
            g.add(r, 0, label, cs=n_label)
        else:
            if heading is not None and row is results_rows[0]:
                g.add(r, 0, lab(heading.label), rs=len(results_rows))
            parent = t.app_row(row.group)
            in_group = parent.role is Role.GROUP_TOTAL and parent.key not in report.subtotals \
                and not (collapsed and parent.key == "results.other")
            if in_group:
                siblings = [x for x in results_rows if x.group == parent.key]
                if row is siblings[0]:
                    g.add(r, 1, lab(parent.label), rs=len(siblings))
                g.add(r, 2, label)
            else:
                g.add(r, 1, label, cs=2)
        for k, col in enumerate(cols):
            path = f"applications/{row.key}/{col.key}"
            g.add(r, n_label + k, value(path))
            cells[(r, n_label + k)] = path
        data_rows[r] = f"applications/{row.key}"
        r += 1
    out.append(_FormTable("applications", _section_title("applications"), g.table(), data_rows, cells, n_label))

    # -- 行政复议、行政诉讼 -----------------------------------------------------------
    g = _Grid()
    rcols = t.review_columns
    parents: list[tuple[str, list[Any]]] = []
    for grp in t.review_groups:
        top = grp.label.split("·")[0]
        if not parents or parents[-1][0] != top:
            parents.append((top, []))
        parents[-1][1].append(grp)
    c = 0
    cells = {}
    for top, groups in parents:
        g.add(0, c, lab(top), cs=len(rcols) * len(groups))
        for grp in groups:
            sub = grp.label.split("·")[1] if "·" in grp.label else None
            if sub is None:
                for k, rc in enumerate(rcols):
                    g.add(1, c + k, lab(rc.label), rs=2)
            else:
                g.add(1, c, lab(sub), cs=len(rcols))
                for k, rc in enumerate(rcols):
                    g.add(2, c + k, lab(rc.label))
            for k, rc in enumerate(rcols):
                path = f"reviews_and_litigation/{grp.key}/{rc.key}"
                g.add(3, c + k, value(path))
                cells[(3, c + k)] = path
            c += len(rcols)
    review_rows = {3: "reviews_and_litigation/*"}
    out.append(_FormTable("reviews_and_litigation", _section_title("reviews_and_litigation"), g.table(),
                          review_rows, cells, 0))

    if noise.split_header:
        out = [_split_header(ft, lab) if ft.key != "active_disclosure" else ft for ft in out]
    if noise.extra_cells:
        out = [_extra_column(ft) for ft in out]
    if noise.caption:
        out = [_with_caption(ft) for ft in out]
    return out


def _value_of(report: GeneratedReport, path: str, collapsed: bool) -> Number:
    v = report.get(path)
    if v is None and collapsed and path.startswith("applications/results.other/"):
        col = path.rsplit("/", 1)[1]
        v = sum(report.applications[r.key][col] for r in report.form.group_items("results.other"))
    if v is None:
        raise KeyError(path)
    return v


def _printed_rows(report: GeneratedReport, noise: Noise) -> list[AppRow]:
    """The applications rows a document prints, in order (no heading rows)."""
    t = report.form
    collapsed = _collapsed(report, noise)
    out = []
    for row in t.app_rows:
        if row.role is Role.HEADING:
            continue
        if collapsed and row.group == "results.other":
            continue
        if row.role is Role.GROUP_TOTAL and row.key not in report.subtotals and not (collapsed and row.key == "results.other"):
            continue
        out.append(row)
    return out


def _section_title(key: str) -> str:
    return next(s.title for s in SECTIONS if s.key == key)


def _split_header(ft: _FormTable, lab: _Labeler) -> _FormTable:
    """Break the header cells on the header's last row in two: the second halves on a new row."""
    tbl = ft.table
    first_data = min(ft.data_rows)
    last = first_data - 1
    cells: list[Cell] = []
    for cell in tbl.cells:
        if cell.row >= first_data:
            cells.append(attrs.evolve(cell, row=cell.row + 1))
        elif cell.last_row == last and len(cell.text) >= 2 and cell.col >= ft.first_value_col:
            half = (len(cell.text) + 1) // 2
            cells.append(attrs.evolve(cell, text=cell.text[:half]))
            cells.append(Cell(last + 1, cell.col, cell.text[half:], 1, cell.col_span))
        elif cell.last_row == last:
            cells.append(attrs.evolve(cell, row_span=cell.row_span + 1))
        else:
            cells.append(cell)
    return attrs.evolve(ft, table=Table(cells), data_rows={r + 1: p for r, p in ft.data_rows.items()},
                        value_cells={(r + 1, c): p for (r, c), p in ft.value_cells.items()})


def _extra_column(ft: _FormTable) -> _FormTable:
    tbl = ft.table
    n = tbl.n_cols
    cells = list(tbl.cells) + [Cell(r, n, "") for r in range(tbl.n_rows)]
    return attrs.evolve(ft, table=Table(cells))


def _with_caption(ft: _FormTable) -> _FormTable:
    tbl = ft.table
    cells = [attrs.evolve(c, row=c.row + 1) for c in tbl.cells] + [Cell(0, 0, ft.caption, 1, tbl.n_cols)]
    return attrs.evolve(ft, table=Table(cells), data_rows={r + 1: p for r, p in ft.data_rows.items()},
                        value_cells={(r + 1, c): p for (r, c), p in ft.value_cells.items()})


def _dense(table: Table) -> list[list[Cell | None]]:
    return table.grid()


def _expanded_rows(table: Table) -> list[list[str]]:
    """Every grid position, a merged cell's text at its top-left and ``""`` where it spans."""
    rows: list[list[str]] = []
    for r, line in enumerate(_dense(table)):
        rows.append(["" if c is None or (c.row, c.col) != (r, k) else c.text for k, c in enumerate(line)])
    return rows


def _word_rows(table: Table) -> list[list[str]]:
    """Cells as a word processor saves a table as text: each cell once, a vertically merged
    cell's continuation as an empty cell, a horizontally merged one not repeated."""
    rows: list[list[str]] = []
    for r, line in enumerate(_dense(table)):
        out: list[str] = []
        for k, c in enumerate(line):
            if c is None:
                out.append("")
            elif (c.row, c.col) == (r, k):
                out.append(c.text)
            elif c.col == k:
                out.append("")
        rows.append(out)
    return rows


# ---------------------------------------------------------------------------
# the document around the tables
# ---------------------------------------------------------------------------

_CN = "一二三四五六七八九十"


def _prose(report: GeneratedReport) -> list[tuple[str, Any]]:
    """The document as ("title"|"para"|"heading"|"table", content) in reading order."""
    y, a = report.year, report.agency
    received = report.applications["received_new"]["total"]
    blocks: list[tuple[str, Any]] = [
        ("title", f"{a}{y}年政府信息公开工作年度报告"),
        ("para", f"本报告依据《中华人民共和国政府信息公开条例》编制。本报告所列数据统计期限自{y}年1月1日起至{y}年12月31日止。"
                 f"如对本报告有疑问，请联系{a}办公室，电话：0451-5367{5221 + y % 7}。"),
    ]
    sections = [s for s in SECTIONS if s.key != "key_work"]
    for n, s in enumerate(sections):
        blocks.append(("heading", f"{_CN[n]}、{s.title}"))
        if s.key in ("active_disclosure", "applications", "reviews_and_litigation"):
            blocks.append(("table", s.key))
        elif s.key == "overview":
            blocks.append(("para", f"{y}年，{a}认真贯彻落实《条例》，本年度共收到政府信息公开申请{received}件，均已按时办结。"))
        elif s.key == "problems":
            blocks.append(("para", "信息公开的及时性有待提高，部分栏目更新不够及时。下一步将加强培训，完善审核机制。"))
        else:
            blocks.append(("para", "本年度未收取信息处理费。"))
    return blocks


def _layout(report: GeneratedReport, noise: Noise) -> list[tuple[str, Any]]:
    tables = {ft.key: ft for ft in _form_tables(report, noise)}
    return [(kind, tables[v] if kind == "table" else v) for kind, v in _prose(report)]


# ---------------------------------------------------------------------------
# renderers
# ---------------------------------------------------------------------------


def _lines_of(text: str) -> list[str]:
    return text.split("\n")


def _lead_blank_rows(report: GeneratedReport, noise: Noise, *, merged_runs: bool = False) -> frozenset[str]:
    """Rows made ambiguous by a flavour that writes cells one per line.

    A row whose first value is blank, followed by blank cells that are not values
    (the extra empty cell ending every row; in ``text-cells`` and ``pipe-cells``
    also the next row's merged-cell placeholders, blank lines or the same ``|||``
    run, with nothing between the rows), has more value
    positions than fields and nothing tells the blank value from the padding: no
    column positions. The mapper then leaves the row ``None`` or derives it from
    the invariants, which is right, never wrong.
    """
    if not (noise.extra_cells or merged_runs):
        return frozenset()
    t = report.form
    rows = {f"active_disclosure/{item.key}" for item in t.active_items
            if len(item.fields) > 1 and f"active_disclosure/{item.key}/{item.fields[0].key}" in noise.blanks}
    first = t.app_columns[0].key
    rows |= {f"applications/{row.key}" for row in t.app_rows if f"applications/{row.key}/{first}" in noise.blanks}
    review = f"reviews_and_litigation/{t.review_groups[0].key}/{t.review_columns[0].key}"
    if review in noise.blanks:
        rows.add("reviews_and_litigation/*")
    return _expand_weak(report, rows)


def _render_text_cells(report: GeneratedReport, noise: Noise) -> Rendered:
    """Bare one cell per line (``samples/sNN.txt``): blank lines are empty cells."""
    out: list[str] = []
    for kind, v in _layout(report, noise):
        if kind == "table":
            for row in _word_rows(v.table):
                for text in row:
                    out.extend(_lines_of(text))
        else:
            out.append(v)
    return Rendered(("\n".join(out) + "\n").encode("utf-8"), "text-cells", "text", "report.txt",
                    _lead_blank_rows(report, noise, merged_runs=True))


def _render_text_tab_cells(report: GeneratedReport, noise: Noise) -> Rendered:
    """Tab-indented cells, rows separated by blank lines (seed 000); a cell's line breaks
    follow it as short unindented lines."""
    out: list[str] = []
    for kind, v in _layout(report, noise):
        if kind == "table":
            out.append("")
            for row in _word_rows(v.table):
                for text in row:
                    first, *rest = _lines_of(text)
                    out.append("\t" + first)
                    out.extend(rest)
                out.append("")
            out.append("")
        else:
            out.extend([v, ""])
    return Rendered(("\n".join(out) + "\n").encode("utf-8"), "text-tab-cells", "text", "report.txt",
                    _lead_blank_rows(report, noise))


def _one_line(text: str) -> str:
    return text.replace("\n", "")


def _render_text_tab_rows(report: GeneratedReport, noise: Noise) -> Rendered:
    """One table row per line, cells separated by tabs (seeds 002, 003)."""
    out: list[str] = []
    for kind, v in _layout(report, noise):
        if kind == "table":
            out.append("")
            out.extend("\t".join(_one_line(c) for c in row) for row in _expanded_rows(v.table))
            out.append("")
        else:
            out.append(v)
    return Rendered(("\n".join(out) + "\n").encode("utf-8"), "text-tab-rows", "text", "report.txt")


def _render_pipe_cells(report: GeneratedReport, noise: Noise) -> Rendered:
    """``cell |`` one per line, runs of empty cells as ``|||`` (seed 001)."""
    out: list[str] = []
    for kind, v in _layout(report, noise):
        if kind != "table":
            out.append(v)
            continue
        empties = 0
        for row in _word_rows(v.table):
            for text in row:
                text = _one_line(text).strip()
                if not text:
                    empties += 1
                    continue
                if empties:
                    out.append("|" * empties)
                    empties = 0
                out.append(f"{text} |")
        if empties:
            out.append("|" * empties)
    return Rendered(("\n".join(out) + "\n").encode("utf-8"), "pipe-cells", "pipe", "report.txt",
                    _lead_blank_rows(report, noise, merged_runs=True))


def _render_pipe_rows(report: GeneratedReport, noise: Noise) -> Rendered:
    """``| a | b | c |`` one table row per line, no markdown separator."""
    rng = random.Random(noise.seed)
    outer = rng.random() < 0.5
    out: list[str] = []
    for kind, v in _layout(report, noise):
        if kind != "table":
            out.append(v)
            continue
        for row in _expanded_rows(v.table):
            line = " | ".join(_one_line(c) for c in row)
            out.append(f"| {line} |" if outer else line)
    return Rendered(("\n".join(out) + "\n").encode("utf-8"), "pipe-rows", "pipe", "report.txt")


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _render_markdown(report: GeneratedReport, noise: Noise) -> Rendered:
    """GFM (seed 004): ``#`` headings, pipe tables; ragged rows drop their trailing empty cells."""
    rng = random.Random(noise.seed)
    ragged = rng.random() < 0.5
    weak: set[str] = set()
    out: list[str] = []
    for kind, v in _layout(report, noise):
        if kind == "title":
            out += [f"# {v}", ""]
        elif kind == "heading":
            out += [f"## **{v}**" if rng.random() < 0.3 else f"## {v}", ""]
        elif kind == "para":
            out += [v, ""]
        else:
            rows = _expanded_rows(v.table)
            for i, row in enumerate(rows):
                cells = [_md_cell(c) for c in row]
                if ragged and i > 0:
                    keep = len(cells)
                    while keep > 1 and not cells[keep - 1].strip():
                        keep -= 1
                    dropped = [(i, k) for k in range(keep, len(cells)) if (i, k) in v.value_cells]
                    if dropped:
                        weak.add(v.data_rows.get(i, ""))
                    cells = cells[:keep]
                out.append("| " + " | ".join(cells) + " |")
                if i == 0:
                    out.append("|" + "|".join("---" for _ in row) + "|")
            out.append("")
    weak.discard("")
    return Rendered("\n".join(out).encode("utf-8"), "markdown", "markdown", "report.md",
                    _expand_weak(report, weak))


def _expand_weak(report: GeneratedReport, weak: set[str]) -> frozenset[str]:
    out = set()
    for w in weak:
        if w == "reviews_and_litigation/*":
            out |= {f"reviews_and_litigation/{g.key}" for g in report.form.review_groups}
        else:
            out.add(w)
    return frozenset(out)


def _render_layout(report: GeneratedReport, noise: Noise) -> Rendered:
    """Space-aligned columns as ``pdftotext -layout`` prints a PDF (``samples/sNN_layout.txt``).

    A blank cell is left out (as in a PDF's text layer) unless the noise gives
    it a placeholder; long labels wrap onto the lines after the numbers.
    """
    rng = random.Random(noise.seed)
    weak: set[str] = set()
    out: list[str] = []
    for kind, v in _layout(report, noise):
        if kind != "table":
            out.extend([v, ""])
            continue
        tbl = v.table
        grid = _dense(tbl)
        for r, line in enumerate(grid):
            labels: list[str] = []
            values: list[str] = []
            for k, c in enumerate(line):
                if c is None or (c.row, c.col) != (r, k):
                    continue
                if (r, k) in v.value_cells:
                    text = c.text.strip()
                    if not text:
                        weak.add(v.data_rows.get(r, ""))
                        continue
                    values.append(text)
                elif c.text.strip():
                    labels.append(c.text)
            label_lines = [_one_line(x) for x in labels]
            wrap = noise.label_breaks
            tail: list[str] = []
            if wrap and values and label_lines and len(label_lines[-1]) > wrap:
                last = label_lines[-1]
                label_lines[-1] = last[:wrap]
                tail = [last[i:i + wrap] for i in range(wrap, len(last), wrap)]
            indent = " " * rng.randrange(0, 4)
            gap = " " * rng.randrange(3, 9)
            parts = [indent + "  ".join(label_lines)] if label_lines else [indent]
            if values:
                parts.append("   ".join(values))
            out.append(gap.join(parts).rstrip() if label_lines else (indent + "    " + parts[-1]).rstrip())
            for piece in tail:
                out.append(indent + "  " + piece)
            if rng.random() < 0.5:
                out.append("")
        out.append("")
    weak.discard("")
    return Rendered("\n".join(out).encode("utf-8"), "text-layout", "text", "report.txt", _expand_weak(report, weak))


def _html_text(text: str, wrap: bool) -> str:
    body = "<br/>".join(_html.escape(part) for part in text.split("\n"))
    return f'<p><span style="font-family:仿宋_GB2312">{body}</span></p>' if wrap else body


def _render_html(report: GeneratedReport, noise: Noise) -> Rendered:
    """A CMS page: ``<table border=1>`` with rowspan/colspan, ``<p><span>`` in cells, optionally GB18030."""
    rng = random.Random(noise.seed)
    wrap = rng.random() < 0.5
    gb = rng.random() < 0.25
    charset = "gb18030" if gb else "utf-8"
    out = [f'<html><head><meta charset="{charset}"><title>{_html.escape(report.agency)}{report.year}年政府信息公开'
           f"工作年度报告</title></head><body>"]
    for kind, v in _layout(report, noise):
        if kind == "title":
            out.append(f'<h2 style="text-align:center">{_html.escape(v)}</h2>')
        elif kind == "heading":
            out.append(f"<p><strong>{_html.escape(v)}</strong></p>")
        elif kind == "para":
            out.append(f"<p>{_html.escape(v)}</p>")
        else:
            out.append('<table border="1" cellspacing="0" style="border-collapse:collapse">')
            for row in v.table.rows():
                tds = []
                for c in row:
                    attrs_ = ""
                    if c.row_span > 1:
                        attrs_ += f' rowspan="{c.row_span}"'
                    if c.col_span > 1:
                        attrs_ += f' colspan="{c.col_span}"'
                    tds.append(f"<td{attrs_}>{_html_text(c.text, wrap)}</td>")
                out.append("<tr>" + "".join(tds) + "</tr>")
            out.append("</table>")
    out.append("</body></html>")
    text = "\n".join(out)
    return Rendered(text.encode(charset), "html", "html", "report.html")


_PDF_LOCK = threading.Lock()


def _render_pdf(report: GeneratedReport, noise: Noise) -> Rendered:
    """A ruled PDF (reportlab, CID font STSong-Light): merged cells as spans, wrapped labels."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph as RLParagraph
    from reportlab.platypus import SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus.doctemplate import LayoutError

    font = "STSong-Light"
    with _PDF_LOCK:
        if font not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=12, leading=18)
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=22, alignment=1)
    cell = ParagraphStyle("cell", fontName=font, fontSize=7, leading=8.5, wordWrap="CJK", alignment=1)

    def para(text: str, style: ParagraphStyle) -> RLParagraph:
        return RLParagraph("<br/>".join(_html.escape(p) for p in text.split("\n")), style)

    page_w = A4[0] - 2 * 40
    story: list[Any] = []
    for kind, v in _layout(report, noise):
        if kind == "title":
            story.append(para(v, title))
        elif kind == "heading":
            story.append(para(v, head))
        elif kind == "para":
            story.append(para(v, body))
        else:
            tbl = v.table
            n_label = v.first_value_col
            n_val = tbl.n_cols - n_label
            value_w = min(40.0, page_w / n_val) if v.key != "active_disclosure" else (page_w - 150) / n_val
            shares = {3: [0.22, 0.32, 0.46], 1: [1.0]}.get(n_label, [1.0 / max(1, n_label)] * n_label)
            widths = [s * (page_w - value_w * n_val) for s in shares] + [value_w] * n_val
            data: list[list[Any]] = [["" for _ in range(tbl.n_cols)] for _ in range(tbl.n_rows)]
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            for c in tbl.cells:
                data[c.row][c.col] = para(c.text, cell) if c.text else ""
                if c.row_span > 1 or c.col_span > 1:
                    style.append(("SPAN", (c.col, c.row), (c.last_col, c.last_row)))
            story.append(RLTable(data, colWidths=widths, style=TableStyle(style)))
            story.append(Spacer(1, 8))
    # A4; a table whose merged cells cannot be split across pages and do not fit on
    # one (a 三、本年度办理结果 cell spanning 25 tall rows) gets a taller page instead.
    height = A4[1]
    for _ in range(4):
        buf = io.BytesIO()
        doc = SimpleDocTemplate(buf, pagesize=(A4[0], height), leftMargin=40, rightMargin=40, topMargin=40,
                                bottomMargin=40, title=f"{report.agency}{report.year}年政府信息公开工作年度报告",
                                invariant=1)
        try:
            doc.build(copy.deepcopy(story))
        except LayoutError:
            height *= 2
            continue
        return Rendered(buf.getvalue(), "pdf", "pdf", "report.pdf")
    raise RuntimeError("gxparse.testing: the report does not fit on a page 8 times as tall as A4")


_TEXT_NOISE = _COMMON_NOISE

#: Every built-in format and flavour a report is published in.
FLAVOURS: Mapping[str, Flavour] = {f.name: f for f in (
    Flavour("text-cells", "text", "txt", "one cell per line, blank lines are empty cells (samples/sNN.txt)",
            _TEXT_NOISE | {"label_breaks"}, _render_text_cells),
    Flavour("text-tab-cells", "text", "txt", "tab-indented cells, rows separated by blank lines (seed 000)",
            _TEXT_NOISE | {"caption"}, _render_text_tab_cells),
    Flavour("text-tab-rows", "text", "txt", "tab-separated rows (seeds 002, 003)",
            _TEXT_NOISE | {"caption"}, _render_text_tab_rows),
    Flavour("text-layout", "text", "txt", "space-aligned columns like pdftotext -layout (samples/sNN_layout.txt)",
            _TEXT_NOISE | {"label_breaks"}, _render_layout),
    Flavour("pipe-cells", "pipe", "txt", "`cell |` per line with `|||` placeholders (seed 001)",
            _TEXT_NOISE | {"caption"}, _render_pipe_cells),
    Flavour("pipe-rows", "pipe", "txt", "`| a | b | c |` rows without a markdown separator",
            _TEXT_NOISE, _render_pipe_rows),
    Flavour("markdown", "markdown", "md", "GFM tables, ragged rows (seed 004)",
            _TEXT_NOISE | {"caption", "label_breaks"}, _render_markdown),
    Flavour("html", "html", "html", "HTML tables with rowspan/colspan (samples/sNN.html)",
            _TEXT_NOISE | {"caption", "label_breaks"}, _render_html),
    Flavour("pdf", "pdf", "pdf", "a ruled PDF with merged cells (reportlab)",
            _TEXT_NOISE | {"label_breaks"}, _render_pdf),
)}


def render(report: GeneratedReport, flavour: str, noise: Noise | None = None) -> Rendered:
    """Write ``report`` as a document in ``flavour`` (a key of :data:`FLAVOURS`)."""
    try:
        fl = FLAVOURS[flavour]
    except KeyError:
        raise KeyError(f"unknown flavour {flavour!r} (known: {', '.join(FLAVOURS)})") from None
    noise = noise or Noise()
    out = fl.renderer(report, noise)
    reviews = _ambiguous_reviews(report, noise)
    if reviews - out.weak_rows:
        out = attrs.evolve(out, weak_rows=out.weak_rows | reviews)
    return out


def _ambiguous_reviews(report: GeneratedReport, noise: Noise) -> frozenset[str]:
    """The 行政复议/诉讼 values, when a blank at one end meets the extra empty cells.

    When the header's words are not matched cell by cell, the values are placed in
    order, and the header row's empty extra cell reads as a leading blank: with the
    first or last value blank, two placements differ by one column. The invariants
    choose between them unless all the numbers are equal (a report of zeros): then
    both give the same numbers and only which cell counts as derived differs.
    """
    if not noise.extra_cells:
        return frozenset()
    t = report.form
    ends = (f"reviews_and_litigation/{t.review_groups[0].key}/{t.review_columns[0].key}",
            f"reviews_and_litigation/{t.review_groups[-1].key}/{t.review_columns[-1].key}")
    return _expand_weak(report, {"reviews_and_litigation/*"}) if any(p in noise.blanks for p in ends) \
        else frozenset()


def to_document(report: GeneratedReport, noise: Noise | None = None, adapter: str = "hypothesis") -> Document:
    """The report as a core-model :class:`~gxparse.Document`, with no file format in between.

    The tables are the official grid (with the noise's labels, blanks, split
    headers, extra cells and captions; merged cells as spans), everything else
    paragraphs and headings. Feed it to :func:`gxparse.map_document` to test the
    mapper and the validator alone, or compare it with what an adapter made of
    a rendering.
    """
    blocks: list[Paragraph | Table] = []
    for i, (kind, v) in enumerate(_layout(report, noise or Noise())):
        prov = Provenance(adapter, lines=(i + 1, i + 1))
        if kind == "table":
            blocks.append(Table(v.table.cells, provenance=prov))
        else:
            level = {"title": 1, "heading": 2}.get(kind)
            blocks.append(Paragraph(v, prov, level))
    return Document(blocks, adapter=adapter)


# ---------------------------------------------------------------------------
# what parse must return
# ---------------------------------------------------------------------------


@attrs.frozen(hash=False)
class Expectation:
    """What :func:`gxparse.parse` must return for a rendered report.

    Attributes:
        template, agency, year: as generated.
        values: every path of the report's three tables and the value it must
            have (``None``: blank and not determined).
        derived: the paths that must be listed in ``Report.derived``.
        findings: ``(code, where)`` pairs that must be among the findings.
        procurement_unit: the 2019 ``procurement.amount_unit``.
        errors: the error findings ``(code, where)`` that must be raised, and no other.
        weak_rows: rows whose values may be ``None`` instead (see :class:`Rendered`).
        truth: every value as generated (what a weak row's values must be when not ``None``).
    """

    template: str
    agency: str
    year: int
    values: Mapping[str, Number | None]
    derived: frozenset[str]
    findings: frozenset[tuple[str, str]]
    procurement_unit: str | None = None
    errors: frozenset[tuple[str, str]] = frozenset()
    weak_rows: frozenset[str] = frozenset()
    truth: Mapping[str, Number] = attrs.field(factory=dict)


def expected_outcome(report: GeneratedReport, noise: Noise | None = None,
                     weak_rows: Iterable[str] = ()) -> Expectation:
    """What parsing ``render(report, flavour, noise)`` must give.

    Blank cells that the invariants determine come back with their value and
    are listed in ``derived``; the others are ``None`` with a
    ``missing-value`` finding. Typos raise ``label-variant``; a collapsed
    （六）其他处理 raises ``template-deviation`` and leaves its sub-items
    ``None`` unless determined (each with ``missing-value``).
    """
    noise = noise or Noise()
    t = report.form
    collapsed = _collapsed(report, noise)
    printed = rendered_paths(report, noise)
    values: dict[str, Number | None] = {}
    for p in printed:
        values[p] = None if p in noise.blanks else _value_of(report, p, collapsed)
    # sub-items of a collapsed row: in the output, not in the document
    truth: dict[str, Number] = {p: _value_of(report, p, collapsed) for p in printed}
    if collapsed:
        for r in t.group_items("results.other"):
            for c in t.app_columns:
                path = f"applications/{r.key}/{c.key}"
                values[path] = None
                truth[path] = report.get(path)  # type: ignore[assignment]
    groups = set(report.subtotals) | ({"results.other"} if collapsed else set())
    eqs = equations_for(t, groups=groups, collapsed_other=collapsed)
    kinds = {p: _kind(t, p) for p in values}
    found = determined(values, eqs, kinds)
    derived = frozenset(found)
    for p, v in found.items():
        values[p] = v
    findings = {("label-variant", ty.where) for ty in noise.typos}
    if collapsed:
        findings.add(("template-deviation", "applications/results.other"))
    errors = frozenset(violations(report))
    weak = set(weak_rows)
    if collapsed and "applications/results.other" in weak:
        # the sub-items are known only through the collapsed row: as weak as it is
        weak |= {f"applications/{r.key}" for r in t.group_items("results.other")}
    return Expectation(report.template, report.agency, report.year, values, derived, frozenset(findings),
                       report.procurement_unit, errors, frozenset(weak), truth)


_GROUP_ROWS = frozenset(r.key for t in TEMPLATES.values() for r in t.app_rows if r.role is Role.GROUP_TOTAL)


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    return Decimal(a) == Decimal(b)


def compare(report: Report, expected: Expectation) -> list[str]:
    """The differences between a parsed :class:`~gxparse.Report` and an :class:`Expectation` (``[]``: none).

    Checks the template, agency and year; every value (a ``None`` must carry
    a ``missing-value`` finding naming its path or its row); ``derived``
    exactly; the required findings; the error findings exactly; and that no
    other warning is raised. In a weak row a value may be ``None`` or derived
    instead of exact, never different.
    """
    problems: list[str] = []
    if report.template != expected.template:
        problems.append(f"template {report.template!r}, expected {expected.template!r}")
    if report.meta.agency != expected.agency:
        problems.append(f"agency {report.meta.agency!r}, expected {expected.agency!r}")
    if report.meta.year != expected.year:
        problems.append(f"year {report.meta.year!r}, expected {expected.year!r}")
    missing = {f.where for f in report.findings if f.code == "missing-value"}

    def weak(path: str) -> bool:
        return path.rsplit("/", 1)[0] in expected.weak_rows

    seen_rows: set[str] = set()
    for path, want in expected.values.items():
        table, row, col = path.split("/", 2)
        data = getattr(report, table)
        if data is None:
            problems.append(f"{table}: table not found")
            continue
        if row not in data or col not in data[row]:
            if weak(path) and row in _GROUP_ROWS and row not in data:
                continue  # a subtotal row whose numbers were all left out reads as a heading
            problems.append(f"{path}: absent from the report")
            continue
        seen_rows.add(f"{table}/{row}")
        have = data[row][col]
        if have is not None and (isinstance(have, bool) or not isinstance(have, (int, Decimal))):
            problems.append(f"{path}: {have!r} is not a number")
        elif have is None:
            if path not in missing and f"{table}/{row}/*" not in missing:
                problems.append(f"{path}: None without a missing-value finding")
            elif want is not None and not weak(path):
                problems.append(f"{path}: None, expected {want!r}")
        elif want is None:
            if not (weak(path) and _same(have, expected.truth.get(path))):
                problems.append(f"{path}: {have!r}, expected None (blank and not determined; "
                                f"true value {expected.truth.get(path)!r})")
        elif not _same(have, want):
            problems.append(f"{path}: {have!r}, expected {want!r}")
    for table in ("active_disclosure", "applications", "reviews_and_litigation"):
        data = getattr(report, table) or {}
        for row in data:
            if f"{table}/{row}" not in seen_rows:
                problems.append(f"{table}/{row}: unexpected row {dict(data[row])!r}")
    if report.active_disclosure and "procurement" in report.active_disclosure and expected.template == "2019":
        unit = report.active_disclosure["procurement"].get("amount_unit")
        if unit != expected.procurement_unit and expected.values.get("active_disclosure/procurement/amount") \
                is not None:
            problems.append(f"procurement amount_unit {unit!r}, expected {expected.procurement_unit!r}")
    derived = set(report.derived)
    want_derived = set(expected.derived)
    for p in sorted(want_derived - derived):
        if not weak(p):
            problems.append(f"{p}: not listed in derived")
    for p in sorted(derived - want_derived):
        if not weak(p):
            problems.append(f"{p}: listed in derived, but the document gives it or it is not determined")
    have_findings = {(f.code, f.where) for f in report.findings}
    for code, where in sorted(expected.findings - have_findings):
        problems.append(f"finding ({code}, {where}) not raised")
    errors = {(f.code, f.where) for f in report.findings if f.severity == "error"}
    for code, where in sorted(errors - expected.errors):
        msg = next(f.message for f in report.findings if (f.code, f.where) == (code, where))
        problems.append(f"unexpected error ({code}, {where}): {msg}")
    for code, where in sorted(expected.errors - errors):
        problems.append(f"error ({code}, {where}) not raised")
    allowed = {"missing-value", "label-variant", "derived-value", "template-deviation"}
    for f in report.findings:
        if f.severity == "error":
            continue
        if f.code == "label-variant" and (f.code, f.where) not in expected.findings:
            problems.append(f"unexpected label-variant at {f.where}: {f.message}")
        elif f.code == "template-deviation" and (f.code, f.where) not in expected.findings:
            problems.append(f"unexpected template-deviation at {f.where}: {f.message}")
        elif f.code not in allowed and not (f.code in ("extra-cells", "unknown-row") and expected.weak_rows):
            problems.append(f"unexpected {f.severity} {f.code} at {f.where}: {f.message}")
    return problems


# ---------------------------------------------------------------------------
# strategies: tables
# ---------------------------------------------------------------------------

def _cell_texts() -> st.SearchStrategy[str]:
    labels = sorted({r.label for t in TEMPLATES.values() for r in t.app_rows}
                    | {c.label for c in TEMPLATES["2021"].app_columns}
                    | {i.label for t in TEMPLATES.values() for i in t.active_items})
    return st.one_of(
        st.just(""),
        st.integers(0, 10**6).map(str),
        st.sampled_from(labels),
        st.sampled_from(["—", "-", "/", "无", "0"]),
        st.text(max_size=12),
    )


@st.composite
def tables(draw: Callable[[st.SearchStrategy[Any]], Any], max_rows: int = 8, max_cols: int = 8,
           text: st.SearchStrategy[str] | None = None, adapter: str = "hypothesis") -> Table:
    """Core-model tables whose cells' spans tile the grid exactly (no gap, no overlap).

    Cells carry provenance ``lines=(row + 1, row + 1)``.
    """
    text = text if text is not None else _cell_texts()
    n_rows = draw(st.integers(1, max_rows))
    n_cols = draw(st.integers(1, max_cols))
    covered: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) in covered:
                continue
            max_cs = 1
            while c + max_cs < n_cols and (r, c + max_cs) not in covered:
                max_cs += 1
            cs = draw(st.integers(1, max_cs)) if draw(st.integers(0, 3)) == 3 else 1
            max_rs = 1
            while r + max_rs < n_rows and all((r + max_rs, k) not in covered for k in range(c, c + cs)):
                max_rs += 1
            rs = draw(st.integers(1, max_rs)) if draw(st.integers(0, 3)) == 3 else 1
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    covered.add((rr, cc))
            cells.append(Cell(r, c, draw(text), rs, cs, Provenance(adapter, lines=(r + 1, r + rs))))
    return Table(cells, provenance=Provenance(adapter, lines=(1, n_rows)))


# ---------------------------------------------------------------------------
# time bounds and placeholders
# ---------------------------------------------------------------------------


class _Deadline(BaseException):
    """Raised inside the call by the alarm; a BaseException so that ``except Exception`` cannot swallow it."""


def call_with_timeout(fn: Callable[..., T], seconds: float, *args: Any, **kwargs: Any) -> T:
    """Call ``fn(*args, **kwargs)``; raise :class:`TimeoutError` if it runs longer than ``seconds``.

    In the main thread an interval timer interrupts the call; elsewhere the
    call runs in a daemon thread that is abandoned when it overruns. A call
    that returns (or raises) after the bound, e.g. stuck in C code that the
    timer could not interrupt, is also a :class:`TimeoutError`.
    """
    start = time.perf_counter()
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        def on_alarm(signum: int, frame: Any) -> None:
            raise _Deadline()

        old = signal.signal(signal.SIGALRM, on_alarm)
        try:  # the outer try: the alarm may also fire after fn returned, before it is cancelled
            signal.setitimer(signal.ITIMER_REAL, seconds)
            try:
                result = fn(*args, **kwargs)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except _Deadline:
            raise TimeoutError(f"{getattr(fn, '__qualname__', fn)} did not finish within {seconds:g} s") from None
        finally:
            signal.signal(signal.SIGALRM, old)
    else:
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["result"] = fn(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller below
                box["error"] = exc

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(seconds)
        if worker.is_alive():
            raise TimeoutError(f"{getattr(fn, '__qualname__', fn)} did not finish within {seconds:g} s")
        if "error" in box:
            raise box["error"]
        result = box["result"]
    elapsed = time.perf_counter() - start
    if elapsed > seconds:
        raise TimeoutError(f"{getattr(fn, '__qualname__', fn)} took {elapsed:.1f} s, more than {seconds:g} s")
    return result


# ---------------------------------------------------------------------------
# the adapter contract
# ---------------------------------------------------------------------------


def _fail(message: str) -> None:
    raise AssertionError(message)


def _check_document(doc: object, source: Source, adapter: FormatAdapter) -> list[str]:
    """Problems with a Document an adapter returned for ``source`` (``[]``: none)."""
    if not isinstance(doc, Document):
        return [f"extract returned {type(doc).__name__}, not a Document"]
    problems: list[str] = []
    n_lines: int | None
    try:
        n_lines = len(source.lines())
    except GxparseError:
        n_lines = None

    def check(prov: Provenance | None, what: str) -> None:
        if prov is None:
            problems.append(f"{what} has no provenance")
            return
        if prov.lines is not None:
            if n_lines is None:
                problems.append(f"{what}: provenance lines {prov.lines} but the source is not text")
            elif not 1 <= prov.lines[0] <= prov.lines[1] <= n_lines:
                problems.append(f"{what}: provenance lines {prov.lines} outside the source's {n_lines} lines")
        if prov.page is not None and prov.page < 1:
            problems.append(f"{what}: page {prov.page} < 1")

    for i, block in enumerate(doc.blocks):
        kind = "paragraph" if isinstance(block, Paragraph) else "table"
        check(block.provenance, f"block {i} ({kind})")
        if isinstance(block, Table):
            for cell in block.cells:
                check(cell.provenance or block.provenance, f"block {i} cell ({cell.row},{cell.col}) {cell.text[:12]!r}")
    for note in doc.notes:
        if not isinstance(note.where, str) or not isinstance(note.message, str) or not note.code:
            problems.append(f"note {note!r} lacks a place, a message or a code")
    return problems[:20]


_TEXTISH = st.text(alphabet=st.sampled_from(list(
    "|\t\n -—:#*<>/&;\"'=（）()一二三四五六七八九十、.0123456789规章总计申请公开年度报告表行政复议诉讼自然人其他"
    "\u3000\u00a0\ufeff\r")) | st.characters(), max_size=400)


def _mutate(data: bytes, ops: list[tuple[int, int, int]]) -> bytes:
    """Apply byte-level edits ``(kind, position, value)``: delete, insert, duplicate or truncate."""
    buf = bytearray(data)
    for kind, pos, val in ops:
        if not buf:
            break
        p = pos % len(buf)
        if kind == 0:
            del buf[p:p + 1 + val % 64]
        elif kind == 1:
            buf[p:p] = bytes([val % 256])
        elif kind == 2:
            buf[p:p] = buf[p:p + 1 + val % 200]
        else:
            del buf[p:]
    return bytes(buf)


def _scaled(fraction: float, floor: int = 3) -> settings:
    """Settings with ``fraction`` of the active profile's ``max_examples``."""
    base = settings.default.max_examples if settings.default is not None else 100
    return settings(max_examples=max(floor, int(base * fraction)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.differing_executors])


class AdapterContract:
    """What every format adapter owes gxparse, as tests to inherit.

    Subclass it in a test module (the subclass's name must start with
    ``Test``) and set :attr:`adapter`; give a few real inputs as
    :attr:`samples` (and those that hold a whole report as
    :attr:`report_samples`)::

        from gxparse.testing import AdapterContract

        class TestDocxAdapter(AdapterContract):
            adapter = DocxAdapter()
            samples = [Path("tests/data/report.docx").read_bytes()]
            report_samples = samples

    The tests check that the adapter registers cleanly in a fresh
    :class:`~gxparse.Registry` and that a second registration under its name
    is refused; that ``accepts`` is pure (same answer twice), returns a float
    in [0, 1], never raises on arbitrary bytes and is quick on 64 KiB; that
    ``extract`` returns a valid :class:`~gxparse.Document` for the samples
    (and the report samples map to a report); that arbitrary input, and
    mutations of the samples and of :attr:`mutation_seeds`, make ``extract`` return a Document or raise a
    :class:`~gxparse.GxparseError` and nothing else, within :attr:`timeout`;
    and that the provenance of every block and cell points inside the source
    (line ranges within the decoded text's lines, pages ≥ 1).

    The hypothesis tests use a fraction of the active profile's
    ``max_examples``.
    """

    #: The adapter under test (an instance).
    adapter: ClassVar[FormatAdapter]
    #: Inputs the adapter must read into a valid Document.
    samples: ClassVar[Sequence[bytes]] = ()
    #: Inputs holding a whole report: ``gxparse.map_document`` must find its tables.
    report_samples: ClassVar[Sequence[bytes]] = ()
    #: More inputs to mutate, which need not be readable (pages the adapter must refuse).
    mutation_seeds: ClassVar[Sequence[bytes]] = ()
    #: Seconds one ``extract`` may take on fuzzed input.
    timeout: ClassVar[float] = 10.0
    #: Seconds ``accepts`` may take on 64 KiB before it counts as hanging. A guard against
    #: pathological cost (a backtracking regex, a full decode), not a speed measurement:
    #: sniffing 64 KiB takes well under a millisecond in every built-in adapter.
    accepts_budget: ClassVar[float] = 1.0

    # -- helpers --------------------------------------------------------------
    def _the_adapter(self) -> FormatAdapter:
        adapter = getattr(type(self), "adapter", None)
        if adapter is None:
            _fail(f"{type(self).__name__} must set `adapter = MyAdapter()`")
        if isinstance(adapter, type):
            adapter = adapter()
        return adapter  # type: ignore[return-value]

    def _extract_or_error(self, data: bytes, name: str = "<bytes>") -> None:
        adapter = self._the_adapter()
        source = Source.from_bytes(data, name)
        try:
            doc = call_with_timeout(adapter.extract, self.timeout, source)
        except GxparseError:
            return
        except TimeoutError:
            raise
        except Exception as exc:
            raise AssertionError(f"extract raised {type(exc).__name__}: {exc} (only GxparseError is allowed) "
                                 f"on {data[:120]!r}") from exc
        problems = _check_document(doc, source, adapter)
        if problems:
            _fail(f"extract returned an invalid Document for {data[:120]!r}: " + "; ".join(problems))

    # -- registration -----------------------------------------------------------
    def test_registers_cleanly_in_a_fresh_registry(self) -> None:
        adapter = self._the_adapter()
        reg = Registry(load_entry_points=False)
        got = reg.register(adapter)
        if got is not adapter or reg.get(adapter.name) is not adapter or len(reg) != 1:
            _fail("the registry did not keep the adapter under its name")
        if reg.load_errors:
            _fail(f"registration reported errors: {reg.load_errors}")

    def test_registry_refuses_a_duplicate(self) -> None:
        from ._errors import RegistrationError

        adapter = self._the_adapter()
        reg = Registry(load_entry_points=False)
        reg.register(adapter)
        try:
            reg.register(type(adapter)())
        except RegistrationError:
            pass
        else:
            _fail(f"a second adapter named {adapter.name!r} was accepted")
        if reg.get(adapter.name) is not adapter:
            _fail("the refused duplicate replaced the first registration")

    # -- accepts -------------------------------------------------------------------
    @given(head=st.binary(max_size=2048) | _TEXTISH.map(lambda s: s.encode("utf-8", "surrogatepass")),
           name=st.none() | st.sampled_from(["report.txt", "report.md", "report.html", "report.pdf", "x", "",
                                             "报告.TXT"]))
    @_scaled(0.5)
    def test_accepts_is_pure_and_in_range(self, head: bytes, name: str | None) -> None:
        adapter = self._the_adapter()
        first = adapter.accepts(head, name)
        second = adapter.accepts(head, name)
        if not isinstance(first, (int, float)) or isinstance(first, bool):
            _fail(f"accepts returned {first!r}, not a float")
        if not 0.0 <= float(first) <= 1.0:
            _fail(f"accepts returned {first!r}, outside [0, 1]")
        if first != second:
            _fail(f"accepts is not pure: {first!r} then {second!r} for {head[:80]!r}")

    def test_accepts_is_quick_on_64_kib(self) -> None:
        adapter = self._the_adapter()
        heads = [bytes(range(256)) * (HEAD_SIZE // 256), ("规章\t0\t0\t0\n" * 4000).encode()[:HEAD_SIZE],
                 (b"| a | b |\n" * 7000)[:HEAD_SIZE], (b"<td>1</td>" * 7000)[:HEAD_SIZE]]
        heads += [s[:HEAD_SIZE] for s in self.samples]
        for head in heads:
            start = time.perf_counter()
            adapter.accepts(head, None)
            elapsed = time.perf_counter() - start
            if elapsed > self.accepts_budget:
                _fail(f"accepts took {elapsed:.3f} s on {len(head)} bytes (budget {self.accepts_budget} s)")

    # -- extract ---------------------------------------------------------------------
    def test_samples_extract_to_valid_documents(self) -> None:
        adapter = self._the_adapter()
        if not self.samples and not self.report_samples:
            _fail(f"{type(self).__name__} sets no `samples`: the contract cannot check extract on real input")
        for k, data in enumerate([*self.samples, *self.report_samples]):
            source = Source.from_bytes(data, f"sample{k}")
            doc = call_with_timeout(adapter.extract, self.timeout, source)
            problems = _check_document(doc, source, adapter)
            if problems:
                _fail(f"sample {k}: " + "; ".join(problems))
            if not doc.blocks:
                _fail(f"sample {k}: the Document has no blocks")

    def test_report_samples_map_to_a_report(self) -> None:
        from ._api import map_document

        adapter = self._the_adapter()
        for k, data in enumerate(self.report_samples):
            doc = adapter.extract(Source.from_bytes(data, f"report{k}"))
            report = map_document(doc)
            if report.template is None or report.applications is None:
                _fail(f"report sample {k}: no applications table found")

    @given(data=st.binary(max_size=4096))
    @_scaled(0.5)
    def test_arbitrary_bytes_raise_only_gxparse_errors(self, data: bytes) -> None:
        self._extract_or_error(data)

    @given(text=_TEXTISH, encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
    @_scaled(0.5)
    def test_arbitrary_text_raises_only_gxparse_errors(self, text: str, encoding: str) -> None:
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            data = text.encode("utf-8", "surrogatepass")
        self._extract_or_error(data)

    @given(pick=st.integers(0, 10**6), ops=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10**7),
                                                              st.integers(0, 10**6)), min_size=1, max_size=6))
    @_scaled(0.5)
    def test_mutated_samples_raise_only_gxparse_errors(self, pick: int, ops: list[tuple[int, int, int]]) -> None:
        pool = [*self.samples, *self.report_samples, *self.mutation_seeds]
        if not pool:
            _fail(f"{type(self).__name__} has nothing to mutate: set `samples`")
        self._extract_or_error(_mutate(pool[pick % len(pool)], ops))
