"""Testing support for format adapters: an adapter contract and report strategies.

This module is public: the tests of a third-party format adapter use it, and so
does gxparse's own suite::

    from gxparse.testing import AdapterContract

    class TestOdtAdapter(AdapterContract):
        adapter = OdtAdapter()
        samples = [Path("tests/data/report.odt").read_bytes()]

It needs `hypothesis <https://hypothesis.readthedocs.io>`_ (``pip install
'gxparse[test]'``); ``import gxparse`` never imports it, ``import
gxparse.testing`` does.

What is here:

* **The adapter contract.** :class:`AdapterContract` is a test base class
  checking what every adapter owes gxparse (clean registration, a cheap and
  pure ``accepts``, valid documents, provenance inside the source, only
  :class:`~gxparse.GxparseError` on bad input, within a time bound).
* **Strategies.** :func:`reports` draws a :class:`GeneratedReport`: a valid
  report on the 2019 or 2021 form that satisfies every invariant, with
  realistic numbers (mostly zeros, a few large counts, money with up to six
  decimals, negative 本年增/减); :func:`zero_report` is the all-zero one.
  :func:`tables` draws core-model :class:`~gxparse.Table` objects whose spans
  tile the grid exactly.
* **A round trip.** :func:`form_document` lays a generated report out as a
  core-model :class:`~gxparse.Document` (title, sections, the three tables of
  the official form), to be written in an adapter's format;
  :func:`differences` lists what a parsed report got wrong (``[]``: every
  number back, no error finding).

gxparse's own renderers (every built-in format, with the noise real
documents carry) and its oracle live in its test suite (``tests/kit/``).
The form (keys, labels, order) is read from :mod:`gxparse.form`.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Mapping, Sequence
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
from .form import TEMPLATES, Role, Template

__all__ = [
    "AdapterContract",
    "GeneratedReport",
    "call_with_timeout",
    "differences",
    "form_document",
    "reports",
    "tables",
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



# ---------------------------------------------------------------------------
# a round trip: the report as a document, and what a parse got wrong
# ---------------------------------------------------------------------------

def _number(value: Number) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def form_document(report: GeneratedReport, adapter: str = "hypothesis") -> Document:
    """The report laid out plainly as a core-model :class:`~gxparse.Document`: its title, the
    sections' headings, and the three tables of the official form (each 主动公开 item under a
    header of its own fields; the applications table with its column header and a row per row of
    the form, groups only when :attr:`GeneratedReport.subtotals` has them; the review table as a
    header of groups, one of columns, and one row of all values). Write it in your adapter's format
    and parse it: every number must come back (:func:`differences`)."""
    t = report.form
    prov = Provenance(adapter)
    title = f"{report.agency}{report.year}年政府信息公开工作年度报告"
    blocks: list[Paragraph | Table] = [Paragraph(title, prov), Paragraph("一、总体情况", prov),
                                      Paragraph(f"{report.year}年，本机关依法做好政府信息公开工作。", prov)]
    blocks += [Paragraph("二、主动公开政府信息情况", prov), _rows_table(_active_rows(report), prov)]
    blocks += [Paragraph("三、收到和处理政府信息公开申请情况", prov), _rows_table(_application_rows(report), prov)]
    blocks += [Paragraph("四、政府信息公开行政复议、行政诉讼情况", prov), _review_table(report, t, prov)]
    blocks += [Paragraph("五、存在的主要问题及改进情况", prov), Paragraph("无。", prov)]
    return Document(blocks, adapter=adapter)


def _rows_table(rows: list[list[str]], prov: Provenance) -> Table:
    width = max(len(r) for r in rows)
    return Table([Cell(i, j, text, provenance=prov) for i, row in enumerate(rows)
                  for j, text in enumerate([*row, *[""] * (width - len(row))])], provenance=prov)


def _active_rows(report: GeneratedReport) -> list[list[str]]:
    out: list[list[str]] = []
    for item in report.form.active_items:
        out.append(["信息内容", *(f.label for f in item.fields)])
        values = [_number(report.active_disclosure[item.key][f.key]) for f in item.fields]
        if item.key == "procurement" and report.procurement_unit:
            values[-1] += report.procurement_unit
        out.append([item.label, *values])
    return out


def _application_rows(report: GeneratedReport) -> list[list[str]]:
    t = report.form
    out = [["申请人情况", *(c.label for c in t.app_columns)]]
    for row in t.app_rows:
        if row.key in report.applications:
            out.append([row.label, *(_number(report.applications[row.key][c.key]) for c in t.app_columns)])
    return out


def _review_table(report: GeneratedReport, t: Template, prov: Provenance) -> Table:
    n = len(t.review_columns)
    cells = [Cell(0, g * n, group.label, col_span=n, provenance=prov) for g, group in enumerate(t.review_groups)]
    cells += [Cell(1, g * n + j, c.label, provenance=prov)
              for g in range(len(t.review_groups)) for j, c in enumerate(t.review_columns)]
    cells += [Cell(2, g * n + j, _number(report.reviews_and_litigation[group.key][c.key]), provenance=prov)
              for g, group in enumerate(t.review_groups) for j, c in enumerate(t.review_columns)]
    return Table(cells, provenance=prov)


def differences(parsed: Report, report: GeneratedReport) -> list[str]:
    """What a parsed report got wrong about a generated one, one line each (``[]``: nothing): the
    edition, every number of the three tables, the 2019 procurement unit, and no error finding."""
    problems = [] if parsed.template == report.template else [f"template {parsed.template!r}, "
                                                               f"expected {report.template!r}"]
    got, want = parsed.to_dict(), report.to_dict()
    for table in ("active_disclosure", "applications", "reviews_and_litigation"):
        for row, cols in want[table].items():
            for col, value in cols.items():
                have = (got.get(table) or {}).get(row, {}).get(col)
                if not _same(have, value):
                    problems.append(f"{table}/{row}/{col}: {have!r}, expected {value!r}")
    problems += [f"error {f.code} at {f.where}: {f.message}" for f in parsed.errors]
    return problems


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None or isinstance(a, str) or isinstance(b, str):
        return a == b
    return Decimal(a) == Decimal(b)


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
            except BaseException as exc:
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

        class TestOdtAdapter(AdapterContract):
            adapter = OdtAdapter()
            samples = [Path("tests/data/report.odt").read_bytes()]
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
