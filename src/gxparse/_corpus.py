"""The corpus tables: one schema for every batch output (SQLite, JSONL, CSV, Parquet).

A corpus is four tables (``report-schema.md``, "Corpus tables"):

- ``reports``: one row per report;
- ``values``: one row per number of the form (long format: report, table,
  row, column, value);
- ``findings``: one row per finding;
- ``failures``: one row per file that gave no report.

They are declared once, here, as data (:data:`CORPUS_TABLES`); the sinks
derive their DDL, Parquet schema and CSV headers from it, :mod:`gxparse._frames`
its pandas dtypes, and ``docs/corpus-tables.md`` is generated from it.

Report ids are stable: ``<first 16 hex digits of the file's sha256>-<n>``,
``n`` counting the reports of the file from 1 (a compilation has several), so
the same file gets the same id in every run and in every sink.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, Literal

import attrs

from ._report import MONEY_COLUMNS, Report, dumps
from ._source import printable_path

__all__ = ["CORPUS_TABLES", "Column", "CorpusTable", "Rows", "duplicate_row", "failure_row", "report_id",
           "report_rows"]

#: Logical column types. ``number`` is an exact number: an integer count or a
#: decimal amount of money, never a float.
ColumnType = Literal["text", "integer", "boolean", "number", "json"]

#: Units of money columns: 行政事业性收费 is in 万元 by the form's own header;
#: 政府集中采购's unit is what the report states (``amount_unit``).
_MONEY_UNIT = {"amount_10k_yuan": "万元"}


@attrs.frozen
class Column:
    """One column of a corpus table."""

    name: str
    type: ColumnType
    description: str


@attrs.frozen
class CorpusTable:
    """One corpus table: its name, what a row is, and its columns in order."""

    name: str
    row_per: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(name: str, type_: ColumnType, description: str) -> Column:
    return Column(name, type_, description)


CORPUS_TABLES: Mapping[str, CorpusTable] = {t.name: t for t in (
    CorpusTable("reports", "report", (
        _c("id", "text", "report id: the first 16 hex digits of the file's sha256, `-`, the report's number "
                         "in the file (1 unless the file is a compilation)"),
        _c("path", "text", "the file's path as given to the batch"),
        _c("sha256", "text", "hex digest of the file's bytes"),
        _c("format", "text", "the format adapter that read it (`pdf`, `html`, `text` …)"),
        _c("template", "text", "`2019` or `2021`, the form the tables follow"),
        _c("agency", "text", "the reporting agency, from the title"),
        _c("year", "integer", "the report year"),
        _c("period_start", "text", "first day of the statistics period, `YYYY-MM-DD`"),
        _c("period_end", "text", "last day of the statistics period, `YYYY-MM-DD`"),
        _c("pages_or_lines", "text", "where in a compilation the report lies (`pages 3-7`); null for a file "
                                     "that is one report"),
        _c("n_errors", "integer", "error findings"),
        _c("n_warnings", "integer", "warning findings"),
        _c("n_derived", "integer", "values filled from an invariant (listed in the record's `derived`)"),
        _c("status", "text", "`errors` if any finding is an error, else `warnings` if any is a warning, else `ok`"),
    )),
    CorpusTable("values", "number of the form (null values included)", (
        _c("report_id", "text", "`reports.id`"),
        _c("table", "text", "`active_disclosure`, `applications` or `reviews_and_litigation`"),
        _c("row", "text", "the row's canonical key (`received_new`, `results.withheld.state_secret`, `licensing` …)"),
        _c("column", "text", "the column's canonical key (`natural_person`, `total`, `decisions` …)"),
        _c("value", "number", "the number: an integer count (件), or money exactly as printed; null when "
                              "the report does not give it and no invariant determines it"),
        _c("unit", "text", "for money, `万元` or `元` (null when the report does not say); null for counts"),
        _c("derived", "boolean", "true when the value was blank and filled exactly from an invariant"),
        _c("location", "text", "where the row was read (`page 3`, `lines 40-41`, `table 2, row 5`)"),
    )),
    CorpusTable("findings", "finding", (
        _c("report_id", "text", "`reports.id`; null for a finding about the corpus (across reports)"),
        _c("code", "text", "the finding code (docs/schema.md)"),
        _c("severity", "text", "`error`, `warning` or `info`"),
        _c("where", "text", "the path it concerns, `table/row/column` (`*` for every)"),
        _c("message", "text", "one sentence for a person, with the official labels"),
        _c("evidence", "json", "the numbers behind it, as JSON"),
    )),
    CorpusTable("failures", "file that gave no report", (
        _c("path", "text", "the file's path as given to the batch"),
        _c("sha256", "text", "hex digest of the file's bytes (null when it could not be read)"),
        _c("error", "text", "the GxparseError class (`NeedsOCRError`, `ParseTimeoutError` …); null for a "
                            "duplicate"),
        _c("message", "text", "the error in one line"),
        _c("stage", "text", "`read`, `detect`, `extract`, `map`, `timeout`, `worker` (the worker process "
                            "died), `sink`, `internal` (a bug in gxparse), or `duplicate`: the same bytes as a "
                            "file already read (no error; `message` names that file)"),
    )),
)}


def report_id(sha256: str, n: int = 1) -> str:
    """The stable id of the ``n``-th report (from 1) of the file with this sha256."""
    return f"{sha256[:16]}-{n}"


@attrs.frozen
class Rows:
    """The corpus rows of one file: its reports' rows, or its failure row.

    Each row is a tuple in the column order of :data:`CORPUS_TABLES`; every
    file's rows are written together, in one transaction, so a corpus never
    holds half a report.
    """

    sha256: str | None
    path: str
    reports: tuple[tuple[Any, ...], ...] = ()
    values: tuple[tuple[Any, ...], ...] = ()
    findings: tuple[tuple[Any, ...], ...] = ()
    failures: tuple[tuple[Any, ...], ...] = ()
    #: CPU seconds the worker spent reading the file (for the batch's summary; not stored)
    cpu_seconds: float = 0.0

    def table(self, name: str) -> tuple[tuple[Any, ...], ...]:
        return getattr(self, name)  # type: ignore[no-any-return]


def _status(report: Report) -> str:
    severities = {f.severity for f in report.findings}
    return "errors" if "error" in severities else "warnings" if "warning" in severities else "ok"


def _iter_values(report: Report, rid: str) -> Iterator[tuple[Any, ...]]:
    derived = set(report.derived)
    for table in ("active_disclosure", "applications", "reviews_and_litigation"):
        data = getattr(report, table)
        if data is None:
            continue
        for row, cols in data.items():
            location = report.location_of(f"{table}/{row}/")
            for column, value in cols.items():
                if column == "amount_unit":
                    continue
                unit = None
                if column in MONEY_COLUMNS:
                    unit = _MONEY_UNIT.get(column) or cols.get("amount_unit")
                path = f"{table}/{row}/{column}"
                yield (rid, table, row, column, value, unit, path in derived, location)


def report_rows(reports: list[Report], path: str) -> Rows:
    """The ``reports``, ``values`` and ``findings`` rows of a file's reports (one, or
    several for a compilation), numbered from 1 in document order."""
    sha = reports[0].source.sha256 if reports else None
    path = printable_path(path)
    rep_rows: list[tuple[Any, ...]] = []
    val_rows: list[tuple[Any, ...]] = []
    find_rows: list[tuple[Any, ...]] = []
    for n, report in enumerate(reports, 1):
        rid = report_id(report.source.sha256, n)
        meta = report.meta
        counts = dict.fromkeys(("error", "warning", "info"), 0)
        for f in report.findings:
            counts[f.severity] += 1
        rep_rows.append((rid, path, report.source.sha256, report.source.format, report.template, meta.agency,
                         meta.year, meta.period_start, meta.period_end, report.source.part,
                         counts["error"], counts["warning"], len(report.derived), _status(report)))
        val_rows.extend(_iter_values(report, rid))
        find_rows.extend((rid, f.code, f.severity, f.where, f.message, evidence_json(f.evidence))
                         for f in report.findings)
    return Rows(sha, path, tuple(rep_rows), tuple(val_rows), tuple(find_rows))


#: The stage at which a file failed, by the class of the error (most specific first).
_STAGES = (
    ("ParseTimeoutError", "timeout"),
    ("WorkerCrashedError", "worker"),
    ("SinkError", "sink"),
    ("UnsupportedFormatError", "detect"),
    ("UnknownFormatError", "detect"),
    ("SourceError", "read"),
    ("ExtractError", "extract"),
    ("NotAReportError", "map"),
)


def stage_of(error: BaseException) -> str:
    """Where in the pipeline ``error`` stopped a file (see the ``failures.stage`` column)."""
    names = {cls.__name__ for cls in type(error).__mro__}
    for name, stage in _STAGES:
        if name in names:
            return stage
    return "internal"


def failure_row(path: str, sha256: str | None, error: BaseException) -> Rows:
    """The ``failures`` row of a file that gave no report."""
    message = printable_path(str(error).replace("\n", " ")) or type(error).__name__
    path = printable_path(path)
    return Rows(sha256, path, failures=((path, sha256, type(error).__name__, message, stage_of(error)),))


def duplicate_row(path: str, sha256: str, first: str) -> Rows:
    """The ``failures`` row of a file with the same bytes as ``first``, read once under that path:
    no error, stage ``duplicate``, so that every path of the input is accounted for."""
    return Rows(sha256, printable_path(path), failures=(
        (printable_path(path), sha256, None, f"the same bytes as {printable_path(first)}, read once under that path",
         "duplicate"),))


def evidence_json(evidence: Mapping[str, Any]) -> str:
    """A finding's evidence as compact JSON (numbers exact)."""
    return dumps(dict(evidence), indent=None)


def load_evidence(text: str | None) -> dict[str, Any]:
    """The evidence dict back from :func:`evidence_json` (money as :class:`~decimal.Decimal`)."""
    if not text:
        return {}
    return json.loads(text, parse_float=Decimal)  # type: ignore[no-any-return]


def render_docs() -> str:
    """``docs/corpus-tables.md``, from :data:`CORPUS_TABLES` (``python -m gxparse._corpus``)."""
    out = [
        "# The corpus tables",
        "",
        "<!-- Generated by `python -m gxparse._corpus > docs/corpus-tables.md` from src/gxparse/_corpus.py;",
        "     do not edit by hand (tests/test_docs.py fails when this page is out of date). -->",
        "",
        "`gxparse batch` writes every report it reads into four tables, the same in every output kind",
        "(SQLite, JSONL, CSV, Parquet), and `gxparse.read_corpus()` reads any of them back as the same",
        "pandas DataFrames. The keys in `table`, `row` and `column` are those of [the schema](schema.md).",
        "",
        "Types: `text`; `integer`; `boolean`; `json` (text holding JSON); `number`: an exact number, an",
        "integer count or a decimal amount of money, never a float (SQLite: an integer, or the decimal's",
        "text; Parquet: `decimal128(38, 6)`; JSONL and CSV: the number as printed; DataFrames: Python",
        "`int` or `decimal.Decimal`).",
        "",
    ]
    for table in CORPUS_TABLES.values():
        out += [f"## `{table.name}` — one row per {table.row_per}", "",
                "| column | type | meaning |", "|---|---|---|"]
        out += [f"| `{c.name}` | {c.type} | {c.description} |" for c in table.columns]
        out.append("")
    out += [
        "## How each output holds them",
        "",
        "| output | layout |",
        "|---|---|",
        "| `corpus.sqlite` (or `.db`) | tables `reports`, `findings`, `failures`; `values` is a view with the "
        "columns above over the compact tables `value_cells` and `value_paths`; a view `wide` has one row per "
        "report and one column per `table/row/column` path |",
        "| `corpus.jsonl` | one line per file read: `{\"reports\": [...], \"values\": [...], \"findings\": [...], "
        "\"failures\": [...]}`, each row an object with the columns above |",
        "| `corpus.csv/` | a folder: `reports.csv`, `values.csv`, `findings.csv`, `failures.csv` (UTF-8, a header "
        "row; null is an empty field, booleans `True`/`False`); `_state.json` records what was committed |",
        "| `corpus.parquet/` | a folder: `reports/`, `values/`, `findings/`, `failures/`, each a Parquet dataset "
        "of `part-NNNNNN.parquet` files (`pandas.read_parquet(\"corpus.parquet/values\")`) |",
        "",
        "A wide table (one row per report, one column per path) is derived from `values`, never stored",
        "apart: `read_corpus(OUT).wide()`, `gxparse.to_frame(reports, shape=\"wide\")`, or SQLite's `wide` view.",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(render_docs(), end="")
