"""Accuracy and throughput against known numbers: ``gxparse bench DOCS... --expected DIR``.

Each document is compared with its truth in DIR, found as ``../shared/tools/score.py``
finds it (the reference for how the samples are scored):

1. ``<name>.expected.json`` — an answer for this one file (``s02.pdf.expected.json``);
2. ``<stem>.expected.json`` — the report's answer, ``<stem>`` being the name up to its
   first ``.``, with ``_layout`` dropped (``s02_layout.txt`` → ``s02``);
3. ``<stem>.json`` — a saved gxparse record (``gxparse parse doc > DIR/stem.json``),
   taken as checked truth: its numbers, meta, and its error findings as expected.

An ``expected.json`` holds ``template``, ``meta`` (``agency``, ``year``), ``numbers``
(``table → row → column → value``; a value ``"0|null"`` accepts either) and
``expect_findings`` (error codes the report must raise); other keys (``note``: where
the numbers come from) are ignored.

A cell is *right* (the expected value), *null* (gxparse gave no value where the truth
has one) or *wrong* (gxparse gave another number, or a number where the truth has
none): wrong and null are counted apart, a wrong number being the worse. A document
is *exact* when every cell is right, the template, year and agency are right, and
the findings are (every expected code raised, no other invariant error raised).
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from ._errors import GxparseError

__all__ = ["BenchResult", "DocResult", "Truth", "find_truth", "run_bench"]

#: The invariant errors a document must not raise unless its truth expects them
#: (as in ``score.py``).
INVARIANT_ERRORS = frozenset({"balance", "results-total", "row-total", "review-total", "group-total",
                              "negative-count"})
_TABLES = ("active_disclosure", "applications", "reviews_and_litigation")


class TruthError(GxparseError, ValueError):
    """An expected file cannot be read as a truth."""


@attrs.frozen
class Truth:
    """What a document must give: the numbers by ``table/row/column`` path, meta, findings."""

    path: str
    template: str | None
    agency: str | None
    year: int | None
    numbers: Mapping[str, Any]
    expect_findings: frozenset[str]


def _stem(name: str) -> str:
    return name.split(".")[0].replace("_layout", "")


def find_truth(doc: str, expected_dir: str | os.PathLike[str]) -> Path | None:
    """The truth file of ``doc`` in ``expected_dir`` (see the module docstring), or ``None``."""
    folder = Path(expected_dir)
    name = Path(doc).name
    for candidate in (f"{name}.expected.json", f"{_stem(name)}.expected.json", f"{_stem(name)}.json"):
        if (folder / candidate).is_file():
            return folder / candidate
    return None


def load_truth(path: Path) -> Truth:
    """Read an ``expected.json`` or a saved record.

    Raises:
        TruthError: not JSON, or neither an expected file nor a gxparse record.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TruthError(f"cannot read the expected file: {exc}", source=str(path)) from None
    tables, findings = _truth_tables(data, path)
    numbers = {f"{t}/{row}/{col}": v for t, rows in tables.items() for row, cols in rows.items()
               for col, v in cols.items() if col != "amount_unit"}
    meta = data.get("meta") or {}
    year = meta.get("year")
    return Truth(str(path), data.get("template"), meta.get("agency"), int(year) if year is not None else None,
                 numbers, findings)


def _truth_tables(data: Any, path: Path) -> tuple[dict[str, Any], frozenset[str]]:
    """The tables and the expected error codes of an expected file (``numbers``, ``expect_findings``)
    or of a saved record (its tables, its error findings).

    Raises:
        TruthError: ``data`` is neither.
    """
    if isinstance(data, dict) and "numbers" in data:
        return data["numbers"], frozenset(data.get("expect_findings") or ())
    if isinstance(data, dict) and "source" in data and any(t in data for t in _TABLES):
        return _record_tables(data)
    raise TruthError("not an expected file (a JSON object with numbers) nor a saved record", source=str(path))


def _record_tables(record: dict[str, Any]) -> tuple[dict[str, Any], frozenset[str]]:
    """A saved record's tables and the codes of its error findings."""
    return ({t: record[t] for t in _TABLES if record.get(t) is not None},
            frozenset(f["code"] for f in record.get("findings") or () if f.get("severity") == "error"))


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _accepts(expected: Any, got: Any) -> bool:
    if isinstance(expected, str) and "|" in expected:
        return any(_accepts(None if e.strip() == "null" else e.strip(), got) for e in expected.split("|"))
    if expected is None:
        return got is None
    want, have = _number(expected), _number(got)
    return want is not None and have is not None and want == have


@attrs.define
class DocResult:
    """One document against its truth."""

    path: str
    truth: str
    format: str
    right: int = 0
    wrong: int = 0
    null: int = 0
    meta_ok: bool = False
    expected_findings: frozenset[str] = frozenset()
    raised: frozenset[str] = frozenset()
    cpu_ms: float | None = None
    error: str | None = None
    reports_in_file: int = 0
    wrong_cells: list[tuple[str, Any, Any]] = attrs.field(factory=list)

    @property
    def cells(self) -> int:
        return self.right + self.wrong + self.null

    @property
    def findings_ok(self) -> bool:
        return self.error is None and self.expected_findings <= self.raised and \
            not ((self.raised & INVARIANT_ERRORS) - self.expected_findings)

    @property
    def exact(self) -> bool:
        return self.right == self.cells and self.meta_ok and self.findings_ok


def compare(record: Mapping[str, Any] | None, truth: Truth, result: DocResult) -> DocResult:
    """Count ``record``'s cells (a record dict, ``None`` for a file that gave none) against ``truth``."""
    record = record or {}
    for path, expected in truth.numbers.items():
        _count_cell(result, path, expected, _cell(record, path))
    result.meta_ok = _meta_ok(record, truth)
    result.expected_findings = truth.expect_findings
    result.raised = frozenset(f["code"] for f in record.get("findings") or () if f.get("severity") == "error")
    return result


def _cell(record: Mapping[str, Any], path: str) -> Any:
    """The value of ``table/row/column`` in ``record`` (``None`` when any part is missing)."""
    table, row, col = path.split("/", 2)
    return ((record.get(table) or {}).get(row) or {}).get(col)


def _count_cell(result: DocResult, path: str, expected: Any, got: Any) -> None:
    """Counts one cell right, null (nothing read) or wrong (another value read); the last two are listed."""
    if _accepts(expected, got):
        result.right += 1
        return
    if got is None:
        result.null += 1
    else:
        result.wrong += 1
    result.wrong_cells.append((path, expected, got))


def _meta_ok(record: Mapping[str, Any], truth: Truth) -> bool:
    """Whether the record's template, year and agency are the truth's (``False`` for no record)."""
    meta = record.get("meta") or {}
    return bool(record) and record.get("template") == truth.template and \
        meta.get("year") == truth.year and meta.get("agency") == truth.agency


@attrs.define
class BenchResult:
    """Every document's result and the run's throughput."""

    docs: list[DocResult]
    no_truth: list[str]
    seconds: float
    runner: str

    def totals(self) -> dict[str, Any]:
        d = self.docs
        expected = sum(len(r.expected_findings) for r in d)
        hit = sum(len(r.expected_findings & r.raised) for r in d)
        unexpected = sum(len((r.raised & INVARIANT_ERRORS) - r.expected_findings) for r in d)
        return {"right": sum(r.right for r in d), "wrong": sum(r.wrong for r in d), "null": sum(r.null for r in d),
                "cells": sum(r.cells for r in d), "exact": sum(r.exact for r in d), "documents": len(d),
                "findings_expected": expected, "findings_hit": hit, "findings_missed": expected - hit,
                "findings_unexpected": unexpected, "findings_ok": sum(r.findings_ok for r in d)}

    def per_format(self) -> dict[str, tuple[int, float, float]]:
        """``format → (documents, median CPU ms, mean CPU ms)`` of the documents read."""
        by: dict[str, list[float]] = {}
        for r in self.docs:
            if r.cpu_ms is not None and r.error is None:
                by.setdefault(r.format, []).append(r.cpu_ms)
        return {f: (len(v), statistics.median(v), statistics.fmean(v)) for f, v in sorted(by.items())}

    def lines(self, markdown: bool = False) -> list[str]:
        """The report, as text lines or as markdown tables."""
        rows = [[Path(r.path).name, r.format, str(r.right), str(r.wrong), str(r.null), str(r.cells),
                 "ok" if r.meta_ok else "WRONG", _findings_cell(r), "yes" if r.exact else "no",
                 "" if r.cpu_ms is None else f"{r.cpu_ms:.1f}"] for r in self.docs]
        head = ["document", "format", "right", "wrong", "null", "cells", "meta", "findings", "exact", "CPU ms"]
        out = _table(head, rows, markdown)
        out += [""] + [("- " if markdown else "") + s for s in self._summary()]
        out += self._per_format_lines(markdown) + self._wrong_lines() + self._failed_lines() + self._no_truth_lines()
        return out

    def _summary(self) -> list[str]:
        """The totals: cells, exact documents, findings, throughput."""
        t = self.totals()
        pct = 100.0 * t["right"] / t["cells"] if t["cells"] else 0.0
        n = t["documents"]
        rate = n / self.seconds if self.seconds > 0 else 0.0
        return [
            f"cells: {t['right']} right, {t['wrong']} wrong, {t['null']} null of {t['cells']} ({pct:.2f} % right)",
            f"documents exact: {t['exact']}/{n}",
            f"findings: {t['findings_expected']} expected, {t['findings_hit']} raised, {t['findings_missed']} missed, "
            f"{t['findings_unexpected']} unexpected invariant errors; documents with the findings right: "
            f"{t['findings_ok']}/{n}",
            f"throughput: {n} documents in {self.seconds:.2f} s = {rate:.1f} documents/s ({self.runner})",
        ]

    def _per_format_lines(self, markdown: bool) -> list[str]:
        """The CPU time per format (nothing when no document was read)."""
        fmt = self.per_format()
        if not fmt:
            return []
        return ["", "CPU ms per document, by format:", ""] + _table(
            ["format", "documents", "median", "mean"],
            [[f, str(k), f"{med:.1f}", f"{mean:.1f}"] for f, (k, med, mean) in fmt.items()], markdown)

    def _wrong_lines(self) -> list[str]:
        """The first 30 wrong cells (a value read, not the truth's), and how many more."""
        wrong = [(Path(r.path).name, c) for r in self.docs for c in r.wrong_cells if c[2] is not None]
        if not wrong:
            return []
        out = ["", "wrong cells (expected → got):"] + [f"  {name}: {p} {e} → {g}" for name, (p, e, g) in wrong[:30]]
        if len(wrong) > 30:
            out.append(f"  … {len(wrong) - 30} more")
        return out

    def _failed_lines(self) -> list[str]:
        """The documents that gave no report, with their error."""
        failed = [r for r in self.docs if r.error]
        if not failed:
            return []
        return ["", "documents that gave no report:"] + [f"  {Path(r.path).name}: {r.error}" for r in failed]

    def _no_truth_lines(self) -> list[str]:
        """The documents left out for want of a truth (the first 10 named)."""
        if not self.no_truth:
            return []
        return ["", f"no truth in the expected folder for {len(self.no_truth)} documents (left out): "
                + ", ".join(Path(p).name for p in self.no_truth[:10]) + (" …" if len(self.no_truth) > 10 else "")]


def _findings_cell(r: DocResult) -> str:
    if not r.expected_findings and not r.raised:
        return "none, ok"
    want = ",".join(sorted(r.expected_findings)) or "none"
    got = ",".join(sorted(r.raised)) or "none"
    return f"{want} / {got}" + (" ok" if r.findings_ok else " WRONG")


def _table(head: list[str], rows: list[list[str]], markdown: bool) -> list[str]:
    if markdown:
        right = {"right", "wrong", "null", "cells", "CPU ms", "documents", "median", "mean"}
        sep = "|" + "|".join("---:" if h in right else "---" for h in head) + "|"
        return ["| " + " | ".join(head) + " |", sep] + ["| " + " | ".join(r) + " |" for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return [fmt.format(*head).rstrip()] + [fmt.format(*r).rstrip() for r in rows]


def run_bench(docs: Sequence[str], expected_dir: str | os.PathLike[str], *, jobs: int | None = None,
              scheduler: Any = None, timeout: float | None = None) -> BenchResult:
    """Parse ``docs`` (files; see :func:`gxparse.parse_many`) and compare each with its truth.

    Documents without a truth in ``expected_dir`` are not parsed and are listed in
    ``no_truth``. CPU time is measured per document in the worker that read it
    (thread CPU time: parsing only, not the pool's overhead); throughput is the
    wall time of the whole parallel run.

    Raises:
        TruthError: an expected file cannot be read.
        SinkError, SchedulerError: as for :func:`gxparse.run_batch` with ``scheduler``.
    """
    from ._batch import DEFAULT_TIMEOUT, _executor, _Options, _Task

    truths, no_truth = _truths(docs, expected_dir)
    order = [d for d in docs if d in truths]
    tasks = (_Task(i, d) for i, d in enumerate(order))
    options = _Options(measure=True)
    run = _executor(scheduler, False, jobs)
    start = time.perf_counter()
    outcomes = {task.index: (status, payload)
                for task, status, _, payload in run(tasks, options, timeout=timeout or DEFAULT_TIMEOUT)}
    seconds = time.perf_counter() - start
    results = [_doc_result(doc, truths[doc], *outcomes[i]) for i, doc in enumerate(order)]
    return BenchResult(results, no_truth, seconds, _runner(scheduler, jobs))


def _truths(docs: Sequence[str], expected_dir: str | os.PathLike[str]) -> tuple[dict[str, Truth], list[str]]:
    """``document → truth`` of the documents that have one, and the documents that have none.

    Raises:
        TruthError: an expected file cannot be read.
    """
    truths: dict[str, Truth] = {}
    no_truth: list[str] = []
    for doc in docs:
        found = find_truth(doc, expected_dir)
        if found is None:
            no_truth.append(doc)
        else:
            truths[doc] = load_truth(found)
    return truths, no_truth


def _doc_result(doc: str, truth: Truth, status: str, outcome: tuple[Any, float]) -> DocResult:
    """One document's result: its report (the one of the truth's agency and year, else the first)
    compared with the truth, or its error."""
    payload, cpu = outcome
    if status != "ok":
        return compare(None, truth, DocResult(doc, truth.path, "-", error=f"{type(payload).__name__}: {payload}"))
    reports = payload
    chosen = next((r for r in reports if (r.meta.agency, r.meta.year) == (truth.agency, truth.year)), reports[0])
    res = DocResult(doc, truth.path, chosen.source.format, cpu_ms=cpu * 1000, reports_in_file=len(reports))
    return compare(chosen.to_dict(), truth, res)


def _runner(scheduler: Any, jobs: int | None) -> str:
    """What ran the documents: the Dask scheduler, this process, or how many worker processes."""
    if scheduler is not None:
        return f"Dask scheduler {scheduler}"
    from ._batch import _jobs

    n = _jobs(jobs)
    return "in this process" if n == 0 else f"{n} worker process{'es' if n != 1 else ''}"


def bench_inputs(paths: Iterable[str]) -> list[str]:
    """The documents under ``paths``, walked as ``gxparse batch`` walks them (JSON files,
    the truths among them, are never taken from a folder)."""
    from ._inputs import iter_inputs

    return list(iter_inputs(list(paths)))
