"""pandas DataFrames of reports and corpora: :func:`to_frame` and the frames of
:func:`gxparse.read_corpus`.

Every frame is built by :func:`frame` from rows of the corpus tables, so the
frames of a list of reports and of any sink they were written to are equal.
Their dtypes, per the column types of :data:`gxparse.CORPUS_TABLES`:

=========  ===================================================================
text       ``string`` (an empty text is ``<NA>``)
integer    ``Int64``
boolean    ``boolean``
json       ``string`` (``json.loads`` gives the dict back)
number     ``object``: a Python ``int`` for counts, a :class:`~decimal.Decimal`
           for money (``amount_10k_yuan`` in 万元, ``amount`` in its ``unit``),
           ``None`` where the value is null — exact, never a float
=========  ===================================================================

The wide frame has one row per report (index ``id``) and one column per
``table/row/column`` path of the report's template (both templates' paths
when the reports mix them): counts ``Int64``, money ``object`` of ``Decimal``.
pandas is the optional extra ``gxparse[frames]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs

from ._corpus import CORPUS_TABLES, report_rows
from ._errors import MissingExtraError
from ._report import MONEY_COLUMNS, Report

__all__ = ["Corpus", "frame", "to_frame"]

_DTYPES = {"text": "string", "integer": "Int64", "boolean": "boolean", "json": "string", "number": "object"}
_WIDE_META = ("path", "agency", "year", "template", "status")


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:
        raise MissingExtraError("DataFrames need pandas: pip install 'gxparse[frames]'") from None
    return pd


def _money(value: Any) -> Decimal:
    """An exact Decimal written without trailing zeros (``1944.049500`` → ``1944.0495``)."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def _count(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError(f"a count cannot be {value!r}")
    if isinstance(value, int):
        return value
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if d != d.to_integral_value():
        raise ValueError(f"a count cannot be {value!r}")
    return int(d)


def number(column: str, value: Any) -> int | Decimal | None:
    """A stored number back as it was parsed: ``Decimal`` for money columns, ``int`` for counts."""
    if value is None or value == "":
        return None
    return _money(value) if column in MONEY_COLUMNS else _count(value)


def _bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "t", "yes")
    return bool(value)


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)


_CONVERT = {"text": _text, "json": _text, "integer": _int, "boolean": _bool}


def frame(table: str, rows: Sequence[Mapping[str, Any]]) -> Any:
    """The DataFrame of one corpus table from its rows (dicts by column name), with the
    dtypes of the module docstring, columns in the schema's order."""
    pd = _pandas()
    spec = CORPUS_TABLES[table]
    data: dict[str, Any] = {}
    for col in spec.columns:
        if col.type == "number":
            values = [number(r["column"], r.get(col.name)) for r in rows]
            data[col.name] = pd.Series(values, dtype="object")
        else:
            conv = _CONVERT[col.type]
            data[col.name] = pd.Series([conv(r.get(col.name)) for r in rows], dtype=_DTYPES[col.type])
    return pd.DataFrame(data, columns=list(spec.names))


def _wide(reports: Any, values: Any) -> Any:
    pd = _pandas()
    from .form import TEMPLATES

    base = reports.set_index("id")[list(_WIDE_META)]
    templates = [t for t in TEMPLATES.values() if t.id in set(reports["template"].dropna())]
    paths: list[str] = []
    for t in templates:
        paths += [p for p in t.iter_paths() if p not in paths]
    cells: dict[str, dict[str, Any]] = {p: {} for p in paths}
    for rid, table, row, column, value in zip(values["report_id"], values["table"], values["row"],
                                              values["column"], values["value"]):
        path = f"{table}/{row}/{column}"
        if path in cells:
            cells[path][rid] = value
    cols = {}
    for p in paths:
        series = pd.Series(cells[p], dtype="object").reindex(base.index)
        if p.rsplit("/", 1)[1] in MONEY_COLUMNS:
            cols[p] = series.astype("object").where(series.notna(), None)
        else:
            cols[p] = series.astype("Int64")
    return pd.concat([base, pd.DataFrame(cols, index=base.index)], axis=1)


@attrs.frozen
class Corpus:
    """The four corpus tables as DataFrames (:func:`gxparse.read_corpus`).

    Attributes:
        reports: one row per report (``id``, ``path``, ``agency``, ``year`` …).
        values: one row per number (``report_id``, ``table``, ``row``, ``column``, ``value`` …).
        findings: one row per finding.
        failures: one row per file that gave no report.
    """

    reports: Any
    values: Any
    findings: Any
    failures: Any

    def wide(self) -> Any:
        """One row per report (index ``id``), one column per ``table/row/column`` path."""
        return _wide(self.reports, self.values)

    def __getitem__(self, name: str) -> Any:
        if name not in CORPUS_TABLES:
            raise KeyError(f"no corpus table {name!r} (tables: {', '.join(CORPUS_TABLES)})")
        return getattr(self, name)


def corpus_rows(results: Iterable[Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows of the four corpus tables (dicts by column name) of parsed reports and failures."""
    from ._batch import Failure
    from ._corpus import failure_row

    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in CORPUS_TABLES}
    by_file: dict[tuple[str | None, str], list[Report]] = {}
    for item in results:
        if isinstance(item, Report):
            by_file.setdefault((item.source.path, item.source.sha256), []).append(item)
        elif isinstance(item, Failure):
            unit = failure_row(item.path, item.sha256, item.error)
            rows["failures"] += [dict(zip(CORPUS_TABLES["failures"].names, r)) for r in unit.failures]
        else:
            raise TypeError(f"to_frame() takes Report or Failure objects, not {type(item).__name__}")
    for (path, _), reports in by_file.items():
        unit = report_rows(reports, path or "")
        for name in ("reports", "values", "findings"):
            rows[name] += [dict(zip(CORPUS_TABLES[name].names, r)) for r in unit.table(name)]
    return rows


def corpus_of(results: Iterable[Any]) -> Corpus:
    """The four tables of parsed reports (and failures, from :func:`gxparse.parse_many`) as frames."""
    rows = corpus_rows(results)
    return Corpus(**{name: frame(name, rows[name]) for name in CORPUS_TABLES})


def to_frame(reports: Iterable[Any], shape: Literal["long", "wide"] = "long") -> Any:
    """A pandas DataFrame of reports.

    Args:
        reports: :class:`~gxparse.Report` objects (the results of
            :func:`gxparse.parse_many` may be passed as they are: failures
            are left out).
        shape: ``"long"`` — the corpus ``values`` table, one row per number
            (``report_id``, ``table``, ``row``, ``column``, ``value``, ``unit``,
            ``derived``, ``location``); ``"wide"`` — one row per report (index
            ``id``; ``path``, ``agency``, ``year``, ``template``, ``status``), one
            column per ``table/row/column`` path, counts ``Int64``, money
            ``Decimal``.

    Returns:
        ``pandas.DataFrame``, the same frame that :func:`gxparse.read_corpus`
        gives for a batch output holding these reports.

    Raises:
        MissingExtraError: pandas is not installed (``gxparse[frames]``).
        ValueError: an unknown ``shape``.
    """
    if shape not in ("long", "wide"):
        raise ValueError(f"shape must be 'long' or 'wide', not {shape!r}")
    corpus = corpus_of(reports)
    return corpus.values if shape == "long" else corpus.wide()
