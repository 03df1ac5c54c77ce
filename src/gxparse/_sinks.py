"""Sinks: where a batch writes its corpus tables.

Four sinks hold the same four tables (:data:`gxparse.CORPUS_TABLES`); the
output path's extension picks one:

================  ==========================================================
``.sqlite``/``.db``  one SQLite file (the embedded default): tables ``reports``,
                  ``values``, ``findings``, ``failures``, and a view ``wide``
``.jsonl``        one JSON object per line, one line per file read:
                  ``{"reports": [...], "values": [...], "findings": [...],
                  "failures": [...]}`` (rows as objects)
``.csv``          a folder of ``reports.csv``, ``values.csv``, ``findings.csv``,
                  ``failures.csv``
``.parquet``      a folder with one Parquet dataset per table
                  (``values/part-000001.parquet`` …)
================  ==========================================================

Every sink is crash-consistent: a file's rows are written together, and a run
that is killed (Ctrl-C, SIGTERM, SIGKILL, a full disk) leaves the output
readable, holding whole files only; ``--resume`` (``mode="resume"``) then
skips the files already there and finishes the rest, nothing lost and nothing
doubled. How each sink achieves it is in its class docstring.

Numbers stay exact: counts are integers; money is an exact decimal (SQLite:
the text of the decimal in an untyped column; Parquet: ``decimal128(38, 6)``;
JSONL and CSV: the number as printed).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import attrs

from ._corpus import CORPUS_TABLES, Rows
from ._errors import MissingExtraError, SinkError

__all__ = ["SINK_KINDS", "Sink", "open_sink", "read_corpus", "read_rows", "replace_corpus_findings", "sink_kind"]

Mode = Literal["create", "resume", "overwrite"]

#: Output extensions and the sink each picks.
SINK_KINDS: Mapping[str, str] = {".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite", ".jsonl": "jsonl",
                                 ".csv": "csv", ".parquet": "parquet"}
#: Parquet type of money and counts in ``values.value``: 38 digits, 6 after the point
#: (万元 to the 分); a value with more decimals is refused, never rounded.
DECIMAL_PRECISION, DECIMAL_SCALE = 38, 6
SCHEMA_VERSION = 1
_TABLES = tuple(CORPUS_TABLES)


def sink_kind(path: str | os.PathLike[str]) -> str:
    """The sink an output path picks by its extension.

    Raises:
        SinkError: the extension is none of ``.sqlite``, ``.db``, ``.jsonl``, ``.csv``, ``.parquet``.
    """
    suffix = Path(path).suffix.lower()
    try:
        return SINK_KINDS[suffix]
    except KeyError:
        raise SinkError(f"cannot tell the output kind from the extension {suffix or '(none)'!r}: use .sqlite "
                        "(or .db), .jsonl, .csv (a folder) or .parquet (a folder)", source=str(path)) from None


def _number_text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


@attrs.frozen
class Done:
    """What an output holds already, for a resumed run.

    Attributes:
        first: for the sha256 of every file read (reports or a failure), the path it was read under.
        failed: the sha256 of the files that failed (duplicates apart).
        failed_paths: the paths of failed files that could not be hashed.
        paths: every path the output accounts for (reports, failures, duplicates).
    """

    first: Mapping[str, str]
    failed: frozenset[str]
    failed_paths: frozenset[str]
    paths: frozenset[str]

    def has(self, sha256: str | None, path: str, retry_failed: bool = False) -> bool:
        """Were these bytes (or, unhashable, this path) read already (and not to be read again)?"""
        if sha256 is None:
            return not retry_failed and path in self.failed_paths
        return sha256 in self.first and not (retry_failed and sha256 in self.failed)

    @classmethod
    def of(cls, reports: Iterable[Mapping[str, Any]], failures: Iterable[Mapping[str, Any]]) -> Done:
        first: dict[str, str] = {}
        failed: set[str] = set()
        failed_paths: set[str] = set()
        paths: set[str] = set()
        for r in reports:
            paths.add(r["path"])
            if r.get("sha256"):
                first.setdefault(r["sha256"], r["path"])
        for f in failures:
            paths.add(f["path"])
            sha = f.get("sha256")
            if f.get("stage") == "duplicate":
                continue
            if sha:
                failed.add(sha)
                first.setdefault(sha, f["path"])
            else:
                failed_paths.add(f["path"])
        return cls(first, frozenset(failed), frozenset(failed_paths), frozenset(paths))


class UnstorableValueError(SinkError):
    """A value the output cannot hold exactly (a money amount with more decimals than Parquet's
    ``decimal128(38, 6)``): the file becomes a failure row rather than a rounded number."""


def _open_problem(path: Path, exc: OSError) -> str:
    """Why an output cannot be opened, in words that point at the fix."""
    import errno

    parent = next((p for p in path.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        return f"cannot create the output: {parent} is a file, not a folder"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write the output here ({exc.strerror}): choose a folder you may write to"
    return f"cannot open the output: {exc.strerror or exc}"


class Sink:
    """Base class: a corpus output opened for writing.

    Subclasses implement :meth:`_open`, :meth:`_write`, :meth:`_commit`,
    :meth:`_done` and :meth:`close`. :meth:`write` buffers a file's rows;
    :meth:`commit` makes everything written so far durable at once.

    Attributes:
        path: the output path.
        chunk_files: files written per transaction (``commit`` is called by
            :meth:`write` after that many, or after ``chunk_seconds``).
    """

    kind = ""
    chunk_files = 200
    chunk_seconds = 2.0

    def __init__(self, path: str | os.PathLike[str], mode: Mode = "create") -> None:
        self.path = Path(path)
        self.mode = mode
        self._pending = 0
        self._last_commit = time.monotonic()
        exists = self.path.exists()
        if exists and mode == "create":
            raise SinkError("the output exists already: pass --resume to finish it, or --force to replace it",
                            source=str(self.path))
        try:
            if exists and mode == "overwrite":
                self._remove()
            self._open()
        except OSError as exc:
            raise SinkError(_open_problem(self.path, exc), source=str(self.path)) from None

    # -- the contract -------------------------------------------------------
    def done(self) -> Done:
        """What the output holds already: the files a resumed run skips."""
        return self._done()

    def forget_failure(self, sha256: str | None, path: str) -> None:
        """A failed file is about to be read again (``retry_failed``): its earlier failure row
        goes. Append-only outputs keep it, and readers keep only a file's last outcome."""

    def write(self, rows: Rows) -> None:
        """Add one file's rows (written together; durable at the next :meth:`commit`)."""
        try:
            self._write(rows)
        except SinkError:
            raise
        except OSError as exc:
            raise SinkError(f"cannot write the output: {exc.strerror or exc}", source=str(self.path)) from None
        self._pending += 1
        if self._pending >= self.chunk_files or time.monotonic() - self._last_commit >= self.chunk_seconds:
            self.commit()

    def commit(self) -> None:
        """Make every row written so far durable, all at once."""
        if self._pending:
            try:
                self._commit()
            except OSError as exc:
                raise SinkError(f"cannot write the output: {exc.strerror or exc}", source=str(self.path)) from None
        self._pending = 0
        self._last_commit = time.monotonic()

    def close(self) -> None:
        """Commit and close."""
        raise NotImplementedError

    def __enter__(self) -> Sink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- for subclasses ---------------------------------------------------------
    def _open(self) -> None:
        raise NotImplementedError

    def _write(self, rows: Rows) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _done(self) -> Done:
        tables = read_rows(self.path, tables=("reports", "failures"))
        return Done.of(tables["reports"], tables["failures"])

    def _remove(self) -> None:
        if self.path.is_dir():
            import shutil

            shutil.rmtree(self.path)
        else:
            self.path.unlink()
            for extra in ("-wal", "-shm", "-journal"):
                Path(str(self.path) + extra).unlink(missing_ok=True)


# ---------------------------------------------------------------------------
# SQLite
# ---------------------------------------------------------------------------

_SQL_TYPES = {"text": "TEXT", "integer": "INTEGER", "boolean": "INTEGER", "number": "ANY", "json": "TEXT"}
#: Rows of ``value_cells`` bound by one INSERT: one statement per hundred rows is about
#: twice as fast as ``executemany`` with one row per statement.
_CELLS_PER_INSERT = 100


def _strict() -> bool:
    # STRICT tables (SQLite >= 3.37) keep an ANY column's values exactly as given;
    # without STRICT an untyped column does the same.
    return sqlite3.sqlite_version_info >= (3, 37, 0)


def _table_ddl(name: str, columns: list[tuple[str, str]], strict: bool) -> str:
    cols = []
    for col, sql_type in columns:
        if sql_type == "ANY" and not strict:
            sql_type = ""  # no affinity: an integer stays an integer, a decimal's text stays text
        cols.append(f'"{col}" {sql_type}'.rstrip())
    return f'CREATE TABLE IF NOT EXISTS "{name}" ({", ".join(cols)}){" STRICT" if strict else ""}'


def _ddl() -> list[str]:
    """The SQLite schema. ``reports``, ``findings`` and ``failures`` are tables with the
    corpus columns. ``values`` is a view with the corpus columns over ``value_cells``
    (one row per number: the report's rowid, a path id, the value, unit, derived flag
    and location) and ``value_paths`` (path id → table, row, column): storing the three
    keys as one small integer makes writing several times faster and the file a third
    of the size, and a query on ``values`` cannot tell the difference."""
    strict = _strict()
    out = []
    for name in ("reports", "findings", "failures"):
        out.append(_table_ddl(name, [(c.name, _SQL_TYPES[c.type]) for c in CORPUS_TABLES[name].columns], strict))
    out += [
        _table_ddl("value_paths", [("path", "INTEGER PRIMARY KEY"), ("table", "TEXT"), ("row", "TEXT"),
                                   ("column", "TEXT")], strict),
        _table_ddl("value_cells", [("report", "INTEGER"), ("path", "INTEGER"), ("value", "ANY"), ("unit", "TEXT"),
                                   ("derived", "INTEGER"), ("location", "TEXT")], strict),
        'CREATE VIEW IF NOT EXISTS "values" AS SELECT r.id AS report_id, p."table" AS "table", p."row" AS "row", '
        'p."column" AS "column", c.value AS value, c.unit AS unit, c.derived AS derived, c.location AS location '
        'FROM value_cells c JOIN reports r ON r.rowid = c.report JOIN value_paths p ON p.path = c.path',
        'CREATE INDEX IF NOT EXISTS reports_sha256 ON reports(sha256)',
        'CREATE INDEX IF NOT EXISTS value_cells_report ON value_cells(report)',
        'CREATE INDEX IF NOT EXISTS findings_report ON findings(report_id)',
        'CREATE INDEX IF NOT EXISTS failures_sha256 ON failures(sha256)',
        "CREATE TABLE IF NOT EXISTS gxparse_meta (key TEXT PRIMARY KEY, value TEXT)",
    ]
    return out


def _form_paths() -> list[str]:
    """Every ``table/row/column`` path of either template, in canonical order."""
    from .form import TEMPLATES

    paths: list[str] = []
    for t in TEMPLATES.values():
        paths += [p for p in t.iter_paths() if p not in paths]
    return paths


def _wide_view(path_ids: Mapping[str, int]) -> str:
    """``CREATE VIEW wide``: one row per report, one column per ``table/row/column`` path of
    either template (derived from the values, never stored apart)."""
    cols = ", ".join(f'MAX(CASE WHEN c.path = {path_ids[p]} THEN c.value END) AS "{p}"' for p in _form_paths())
    return ("CREATE VIEW IF NOT EXISTS wide AS SELECT r.id AS id, r.path AS path, r.agency AS agency, "
            f"r.year AS year, r.template AS template, r.status AS status, {cols} "
            "FROM reports r LEFT JOIN value_cells c ON c.report = r.rowid GROUP BY r.rowid")


class SQLiteSink(Sink):
    """SQLite: the four corpus tables (``values`` a view over compact storage, see
    :func:`_ddl`), their indexes, and a ``wide`` view.

    Write-ahead logging; one transaction per chunk of files, so a kill loses at
    most the uncommitted chunk and never leaves part of a file. Money is stored
    as the exact decimal's text in an untyped (``ANY``) column, counts as
    integers: ``SUM(value)`` works, and no value is ever rounded by storage.
    """

    kind = "sqlite"

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("BEGIN")
            for stmt in _ddl():
                self.db.execute(stmt)
            known = {(t, r, c): n for n, t, r, c in self.db.execute("SELECT * FROM value_paths")}
            for p in _form_paths():
                key = tuple(p.split("/", 2))
                if key not in known:
                    known[key] = self._new_path(key, len(known) + 1)  # type: ignore[index]
            self.path_ids: dict[tuple[str, ...], int] = known  # type: ignore[assignment]
            self.db.execute(_wide_view({"/".join(k): n for k, n in known.items()}))
            self.db.execute("INSERT OR REPLACE INTO gxparse_meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            self.db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if "unable to open" in str(exc) or "readonly" in str(exc):
                raise SinkError(f"cannot create or write the SQLite file ({exc}): is its folder writable?",
                                source=str(self.path)) from None
            raise SinkError(f"not a gxparse SQLite output: {exc}", source=str(self.path)) from None
        except sqlite3.DatabaseError as exc:
            raise SinkError(f"not a gxparse SQLite output: {exc}", source=str(self.path)) from None
        self._in_tx = False
        self._sql = {name: f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(CORPUS_TABLES[name].columns))})'
                     for name in ("reports", "findings", "failures")}
        self._cell_sql = "INSERT INTO value_cells VALUES (?, ?, ?, ?, ?, ?)"
        self._cells_sql = "INSERT INTO value_cells VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?)"] * _CELLS_PER_INSERT)

    def _new_path(self, key: tuple[str, ...], number: int) -> int:
        self.db.execute("INSERT INTO value_paths VALUES (?, ?, ?, ?)", (number, *key))
        return number

    def _cells(self, rows: Rows) -> dict[str, list[Any]]:
        """The ``value_cells`` parameters of each report, flat, by report id."""
        ids = self.path_ids
        out: dict[str, list[Any]] = {}
        for rid, table, row, column, value, unit, derived, location in rows.values:
            key = (table, row, column)
            path = ids.get(key)
            if path is None:
                path = ids[key] = self._new_path(key, len(ids) + 1)
            if isinstance(value, Decimal):
                value = format(value, "f")
            out.setdefault(rid, []).extend((None, path, value, unit, 1 if derived else 0, location))
        return out

    def _write(self, rows: Rows) -> None:
        try:
            if not self._in_tx:
                self.db.execute("BEGIN")
                self._in_tx = True
            cells = self._cells(rows) if rows.values else {}
            db = self.db
            n = 6 * _CELLS_PER_INSERT
            for report in rows.reports:
                rowid = db.execute(self._sql["reports"], report).lastrowid
                flat = cells.get(report[0], [])
                flat[0::6] = [rowid] * (len(flat) // 6)
                full = len(flat) - len(flat) % n
                for i in range(0, full, n):
                    db.execute(self._cells_sql, flat[i:i + n])
                if full < len(flat):
                    db.executemany(self._cell_sql, [flat[i:i + 6] for i in range(full, len(flat), 6)])
            if rows.findings:
                db.executemany(self._sql["findings"], rows.findings)
            if rows.failures:
                db.executemany(self._sql["failures"], rows.failures)
        except sqlite3.DatabaseError as exc:
            raise SinkError(f"cannot write the output: {exc}", source=str(self.path)) from None

    def _commit(self) -> None:
        if self._in_tx:
            try:
                self.db.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                raise SinkError(f"cannot write the output: {exc}", source=str(self.path)) from None
            self._in_tx = False

    def _done(self) -> Done:
        reports = ({"sha256": r[0], "path": r[1]} for r in self.db.execute("SELECT sha256, path FROM reports"))
        failures = ({"sha256": r[0], "path": r[1], "stage": r[2]}
                    for r in self.db.execute("SELECT sha256, path, stage FROM failures"))
        return Done.of(reports, failures)

    def forget_failure(self, sha256: str | None, path: str) -> None:
        if not self._in_tx:
            self.db.execute("BEGIN")
            self._in_tx = True
        if sha256 is not None:
            self.db.execute("DELETE FROM failures WHERE sha256 = ? AND stage IS NOT 'duplicate'", (sha256,))
        else:
            self.db.execute("DELETE FROM failures WHERE sha256 IS NULL AND path = ?", (path,))

    def close(self) -> None:
        if getattr(self, "db", None) is not None:
            self.commit()
            self._commit()
            try:  # a finished output is one file: readers opening it create no -wal/-shm beside it
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self.db.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.DatabaseError:  # another reader holds it: the WAL stays, still consistent
                pass
            self.db.close()
            self.db = None  # type: ignore[assignment]


# ---------------------------------------------------------------------------
# JSONL
# ---------------------------------------------------------------------------

_NAMES = {name: CORPUS_TABLES[name].names for name in _TABLES}
#: A decimal is written to JSON as this marker around its text, which is then unquoted:
#: the json module's C encoder does the rest, and no value goes through a float.
_DEC = "\x00gxdec:"
_DEC_JSON = re.compile(r'"\\u0000gxdec:(-?[0-9]+(?:\.[0-9]+)?)"')


def _json_value(value: Any) -> Any:
    return f"{_DEC}{format(value, 'f')}" if isinstance(value, Decimal) else value


def _jsonl_line(rows: Rows) -> str:
    unit = {name: [dict(zip(_NAMES[name], r)) for r in rows.table(name)] for name in _TABLES}
    for row in unit["values"]:
        if isinstance(row["value"], Decimal):
            row["value"] = _json_value(row["value"])
    text = json.dumps(unit, ensure_ascii=False, separators=(",", ":"))
    return _DEC_JSON.sub(r"\1", text) if "gxdec:" in text else text


class JsonlSink(Sink):
    """JSON Lines: one line per file read, holding that file's rows of the four tables.

    A line is written whole; a run killed mid-line leaves a last line without
    its newline, which opening the file for ``resume`` cuts off.
    """

    kind = "jsonl"

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            _cut_partial_last_line(self.path)
        self.fh = open(self.path, "a", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed in close()

    def _write(self, rows: Rows) -> None:
        self.fh.write(_jsonl_line(rows) + "\n")

    def _commit(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())

    def close(self) -> None:
        if getattr(self, "fh", None) is not None:
            self.commit()
            self.fh.close()
            self.fh = None  # type: ignore[assignment]


def _cut_partial_last_line(path: Path) -> None:
    with open(path, "rb+") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size == 0:
            return
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return
        # walk back to the last newline
        pos = size
        block = 65536
        while pos > 0:
            start = max(0, pos - block)
            fh.seek(start)
            chunk = fh.read(pos - start)
            i = chunk.rfind(b"\n")
            if i >= 0:
                fh.truncate(start + i + 1)
                return
            pos = start
        fh.truncate(0)


def _jsonl_units(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.endswith("\n"):
                return  # a line cut by a kill: not a whole file's rows
            try:
                unit = json.loads(line, parse_float=Decimal)
            except json.JSONDecodeError as exc:
                raise SinkError(f"line {n} is not JSON: {exc.msg}", source=str(path)) from None
            if not isinstance(unit, dict) or not set(unit) <= set(_TABLES) or not unit:
                raise SinkError(f"line {n} is not a gxparse corpus line (an object of the tables "
                                f"{', '.join(_TABLES)})", source=str(path))
            yield unit


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------

class CsvSink(Sink):
    """A folder of CSV files, one per table (UTF-8 with a byte-order mark for Excel, a header
    row, RFC 4180 quoting).

    Rows are appended; after each chunk the files are flushed and their sizes
    recorded in ``_state.json`` (written atomically). Opening for ``resume``
    cuts each file back to its recorded size, dropping whatever a kill left
    half-written.
    """

    kind = "csv"
    STATE = "_state.json"

    def _open(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        state_path = self.path / self.STATE
        sizes: dict[str, int] = {}
        if state_path.exists():
            sizes = json.loads(state_path.read_text(encoding="utf-8")).get("sizes", {})
        self.fhs: dict[str, io.TextIOWrapper] = {}
        for name, table in CORPUS_TABLES.items():
            file = self.path / f"{name}.csv"
            if file.exists():
                with open(file, "rb+") as raw:
                    raw.truncate(sizes.get(name, 0))
            # utf-8-sig: a byte-order mark at the start of the file (only there, also when
            # appending), so that Excel on a Chinese Windows reads the text as UTF-8
            out = open(file, "a", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed in close()
            if out.tell() == 0:
                csv.writer(out).writerow(table.names)
            self.fhs[name] = out
        self.writers = {name: csv.writer(fh) for name, fh in self.fhs.items()}
        self._pending = 1
        self._commit()  # the headers

    def _write(self, rows: Rows) -> None:
        # csv writes None as an empty field, True/False as `True`/`False` and a Decimal by
        # its exact text: the rows go out as they are, at the csv module's C speed
        for name in _TABLES:
            data = rows.table(name)
            if data:
                self.writers[name].writerows(data)

    def _commit(self) -> None:
        sizes = {}
        for name, fh in self.fhs.items():
            fh.flush()
            os.fsync(fh.fileno())
            sizes[name] = fh.tell()
        tmp = self.path / (self.STATE + ".tmp")
        tmp.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "sizes": sizes}), encoding="utf-8")
        os.replace(tmp, self.path / self.STATE)

    def close(self) -> None:
        if getattr(self, "fhs", None):
            self.commit()
            self._pending = 1
            self._commit()
            for fh in self.fhs.values():
                fh.close()
            self.fhs = {}


# ---------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------

def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet
    except ImportError:
        raise MissingExtraError("writing or reading Parquet needs pyarrow: pip install 'gxparse[parquet]'") from None
    return pa


def _arrow_schema(pa: Any, name: str) -> Any:
    types = {"text": pa.string(), "integer": pa.int64(), "boolean": pa.bool_(),
             "number": pa.decimal128(DECIMAL_PRECISION, DECIMAL_SCALE), "json": pa.string()}
    return pa.schema([pa.field(c.name, types[c.type]) for c in CORPUS_TABLES[name].columns])


class ParquetSink(Sink):
    """A folder with one Parquet dataset per table: ``reports/part-000001.parquet`` …

    Rows are buffered and written as one part file per table per chunk (each
    written under a hidden temporary name and renamed into place), the
    ``reports`` part last: a chunk counts only once its ``reports`` part
    exists, and opening for ``resume`` deletes the parts of an unfinished one.
    ``pandas.read_parquet(OUT / "values")``, ``pyarrow.dataset`` and Dask read
    each table folder as one dataset.
    """

    kind = "parquet"
    # a kill loses at most the files of one unfinished chunk (resume reads them again); bigger
    # chunks make fewer, larger part files, which Parquet readers prefer
    chunk_files = 500
    chunk_seconds = 10.0

    def _open(self) -> None:
        self.pa = _pyarrow()
        import pyarrow.parquet as pq

        self.pq = pq
        self.path.mkdir(parents=True, exist_ok=True)
        for name in _TABLES:
            (self.path / name).mkdir(exist_ok=True)
        committed = {p.stem for p in (self.path / "reports").glob("part-*.parquet")}
        for name in _TABLES:
            for part in (self.path / name).iterdir():
                if part.name.startswith(".") or (part.name.startswith("part-") and part.suffix == ".parquet"
                                                 and part.stem not in committed):
                    part.unlink()  # a temporary file or a part of an unfinished chunk
        numbers = [int(s.split("-")[1]) for s in committed]
        self.next_part = max(numbers, default=0) + 1
        self.schemas = {name: _arrow_schema(self.pa, name) for name in _TABLES}
        self._reset()

    def _reset(self) -> None:
        # column lists per table; the value column holds the counts, and money is kept
        # apart by position (a count column cast to decimal at C speed, money put in after)
        self.buffers: dict[str, list[list[Any]]] = {
            name: [[] for _ in CORPUS_TABLES[name].columns] for name in _TABLES}
        self.money: list[tuple[int, Decimal]] = []

    def _write(self, rows: Rows) -> None:
        for r in rows.values:  # before anything is buffered: a file's rows go in whole or not at all
            if isinstance(r[4], Decimal):
                self._check_scale(r)
        for name in _TABLES:
            data = rows.table(name)
            if not data:
                continue
            cols = self.buffers[name]
            if name == "values":
                start = len(cols[4])
                counts = []
                for i, r in enumerate(data):
                    v = r[4]
                    if isinstance(v, Decimal):
                        self.money.append((start + i, v))
                        v = None
                    counts.append(v)
                for k, col in enumerate(zip(*data)):
                    cols[k].extend(counts if k == 4 else col)
            else:
                for k, col in enumerate(zip(*data)):
                    cols[k].extend(col)

    def _check_scale(self, r: tuple[Any, ...]) -> None:
        if r[4].as_tuple().exponent < -DECIMAL_SCALE:
            raise UnstorableValueError(f"{r[1]}/{r[2]}/{r[3]} = {r[4]} has more than {DECIMAL_SCALE} decimals, "
                                       "more than the Parquet column holds exactly", source=str(self.path))

    def _array(self, name: str, k: int, col: list[Any]) -> Any:
        pa = self.pa
        kind = self.schemas[name].field(k).type
        if name != "values" or k != 4:
            return pa.array(col, type=kind)
        arr = pa.array(col, type=pa.int64()).cast(kind)
        if self.money:
            import pyarrow.compute as pc

            mask = [False] * len(col)
            for i, _ in self.money:
                mask[i] = True
            arr = pc.replace_with_mask(arr, pa.array(mask), pa.array([v for _, v in self.money], type=kind))
        return arr

    def _commit(self) -> None:
        stem = f"part-{self.next_part:06d}"
        for name in (*(n for n in _TABLES if n != "reports"), "reports"):
            schema = self.schemas[name]
            table = self.pa.Table.from_arrays(
                [self._array(name, k, col) for k, col in enumerate(self.buffers[name])], schema=schema)
            tmp = self.path / name / f".{stem}.tmp"
            self.pq.write_table(table, tmp)
            os.replace(tmp, self.path / name / f"{stem}.parquet")
        self.next_part += 1
        self._reset()

    def close(self) -> None:
        if getattr(self, "buffers", None) is not None:
            self.commit()
            self.buffers = None  # type: ignore[assignment]


_SINKS: Mapping[str, type[Sink]] = {"sqlite": SQLiteSink, "jsonl": JsonlSink, "csv": CsvSink, "parquet": ParquetSink}


def open_sink(path: str | os.PathLike[str], mode: Mode = "create") -> Sink:
    """Open the sink that ``path``'s extension picks.

    ``mode``: ``"create"`` (the output must not exist), ``"resume"`` (open what
    is there, cutting off what a killed run left half-written), or
    ``"overwrite"`` (delete what is there first).

    Raises:
        SinkError: unknown extension, the output exists in ``create`` mode, or
            it cannot be opened.
        MissingExtraError: Parquet without pyarrow installed.
    """
    return _SINKS[sink_kind(path)](path, mode)


# ---------------------------------------------------------------------------
# Reading back
# ---------------------------------------------------------------------------

def read_rows(path: str | os.PathLike[str],
              tables: Iterable[str] = _TABLES) -> dict[str, list[dict[str, Any]]]:
    """Every row of a corpus output, as dicts keyed by column name, per table.

    Values are as stored (money may be text in SQLite and CSV, a decimal with
    six places in Parquet); :func:`read_corpus` gives typed frames.

    Raises:
        SinkError: the output does not exist or is not a gxparse corpus.
    """
    path = Path(path)
    kind = sink_kind(path)
    asked = tuple(tables)
    # a failure row superseded by a later outcome of the same file is dropped: the reports are
    # read too when failures are asked for
    wanted = asked if "failures" not in asked or "reports" in asked else (*asked, "reports")
    if not path.exists():
        raise SinkError("no such output", source=str(path))
    _check_layout(path, kind)
    out = _READERS[kind](path, wanted)
    if "failures" in out:
        out["failures"] = _last_outcomes(out["failures"], {r.get("sha256") for r in out["reports"]})
    return {name: out[name] for name in asked}


def _read_sqlite(path: Path, wanted: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    out = {}
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            for name in wanted:
                cur = db.execute(f'SELECT * FROM "{name}"')
                names = [d[0] for d in cur.description]
                out[name] = [dict(zip(names, r)) for r in cur]
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise SinkError(f"not a gxparse SQLite output: {exc}", source=str(path)) from None
    return out


def _read_jsonl(path: Path, wanted: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in wanted}
    for unit in _jsonl_units(path):
        for name in wanted:
            out[name].extend(unit.get(name, ()))
    return out


def _read_csv(path: Path, wanted: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    state = path / CsvSink.STATE
    sizes = json.loads(state.read_text(encoding="utf-8")).get("sizes", {}) if state.exists() else {}
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in wanted}
    for name in wanted:
        file = path / f"{name}.csv"
        if not file.exists():
            continue
        with open(file, "rb") as fh:  # only what the last commit made durable
            data = fh.read(sizes[name]) if name in sizes else fh.read()
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        header = next(reader, None)
        if header is not None:
            out[name] = [{k: (v if v != "" else None) for k, v in zip(header, row)} for row in reader]
    return out


def _read_parquet(path: Path, wanted: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    pa = _pyarrow()
    import pyarrow.parquet as pq

    committed = {p.stem for p in (path / "reports").glob("part-*.parquet")}
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in wanted}
    for name in wanted:
        schema = _arrow_schema(pa, name)
        for part in sorted((path / name).glob("part-*.parquet")):
            if part.stem in committed:
                out[name].extend(pq.read_table(part, schema=schema).to_pylist())
        if name == "findings" and (path / name / CORPUS_FINDINGS_PART).exists():
            out[name].extend(pq.read_table(path / name / CORPUS_FINDINGS_PART, schema=schema).to_pylist())
    return out


_READERS = {"sqlite": _read_sqlite, "jsonl": _read_jsonl, "csv": _read_csv, "parquet": _read_parquet}


def _last_outcomes(failures: list[dict[str, Any]], report_shas: set[Any]) -> list[dict[str, Any]]:
    """Each file's last failure row, and none for a file that later gave reports (a failed file
    read again with ``retry_failed``: append-only outputs keep the old row, readers drop it)."""
    last: dict[Any, dict[str, Any]] = {}
    for row in failures:
        sha, stage = row.get("sha256"), row.get("stage")
        if stage == "duplicate":
            key: Any = ("duplicate", row.get("path"))
        else:
            if sha and sha in report_shas:
                continue
            key = sha or ("path", row.get("path"))
        last.pop(key, None)
        last[key] = row
    return list(last.values())


def _check_layout(path: Path, kind: str) -> None:
    """Refuse what is not a gxparse output of its kind (an empty frame would hide the mistake)."""
    if kind in ("csv", "parquet") and not path.is_dir():
        raise SinkError(f"a .{kind} output is a folder (corpus.{kind}/ holding one "
                        f"{'CSV file' if kind == 'csv' else 'Parquet dataset'} per table); give the folder",
                        source=str(path))
    if kind == "csv" and not (path / "reports.csv").exists():
        raise SinkError("not a gxparse CSV output: no reports.csv in the folder", source=str(path))
    if kind == "parquet" and not (path / "reports").is_dir():
        raise SinkError("not a gxparse Parquet output: no reports/ dataset in the folder", source=str(path))
    if kind == "jsonl" and path.is_dir():
        raise SinkError("a .jsonl output is one file, not a folder", source=str(path))


#: The Parquet file of the corpus findings in ``findings/`` (replaced whole by each check).
CORPUS_FINDINGS_PART = "corpus-findings.parquet"


def replace_corpus_findings(path: str | os.PathLike[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Replace the corpus findings of an output (``findings`` rows whose ``report_id`` is
    null) with ``rows`` (tuples in the ``findings`` columns' order), leaving every other
    row as it is; an earlier check's findings are dropped, never doubled.

    Each sink is changed at once: SQLite in one transaction; JSONL, CSV and Parquet by
    writing a new file beside the old one and renaming it over it (the corpus
    findings of JSONL are one line of their own, with no report).

    Raises:
        SinkError: the output does not exist, is not a gxparse corpus, or cannot be written.
    """
    path = Path(path)
    kind = sink_kind(path)
    new = [tuple(r) for r in rows]
    if not path.exists():
        raise SinkError("no such output", source=str(path))
    try:
        if kind == "sqlite":
            _replace_sqlite(path, new)
        elif kind == "jsonl":
            _replace_jsonl(path, new)
        elif kind == "csv":
            _replace_csv(path, new)
        else:
            _replace_parquet(path, new)
    except OSError as exc:
        raise SinkError(f"cannot write the output: {exc.strerror or exc}", source=str(path)) from None


def _replace_sqlite(path: Path, rows: list[tuple[Any, ...]]) -> None:
    SQLiteSink(path, "resume").close()  # the schema, as a batch would leave it
    try:
        db = sqlite3.connect(str(path), isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM findings WHERE report_id IS NULL")
            db.executemany(f'INSERT INTO findings VALUES ({", ".join("?" * len(_NAMES["findings"]))})', rows)
            db.execute("COMMIT")
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise SinkError(f"not a gxparse SQLite output: {exc}", source=str(path)) from None


def _is_corpus_line(unit: Mapping[str, Any]) -> bool:
    return (not unit.get("reports") and not unit.get("failures") and bool(unit.get("findings"))
            and all(f.get("report_id") is None for f in unit["findings"]))


def _replace_jsonl(path: Path, rows: list[tuple[Any, ...]]) -> None:
    JsonlSink(path, "resume").close()  # cuts a line a kill left half-written
    tmp = path.with_name(f".{path.name}.tmp")
    with open(path, encoding="utf-8") as src, open(tmp, "w", encoding="utf-8", newline="\n") as out:
        for line in src:
            if '"report_id":null' in line and _is_corpus_line(json.loads(line)):
                continue
            out.write(line)
        if rows:
            out.write(_jsonl_line(Rows(None, "", findings=tuple(rows))) + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def _replace_csv(path: Path, rows: list[tuple[Any, ...]]) -> None:
    CsvSink(path, "resume").close()  # cuts each file to what was committed
    file = path / "findings.csv"
    kept = [r for r in read_rows(path, ["findings"])["findings"] if r["report_id"] is not None]
    tmp = path / ".findings.csv.tmp"
    with open(tmp, "w", encoding="utf-8-sig", newline="") as out:  # with the BOM, as the sink writes it
        writer = csv.writer(out)
        writer.writerow(_NAMES["findings"])
        writer.writerows([r[c] for c in _NAMES["findings"]] for r in kept)
        writer.writerows(rows)
        out.flush()
        os.fsync(out.fileno())
        size = out.tell()
    state_path = path / CsvSink.STATE
    state = json.loads(state_path.read_text(encoding="utf-8"))
    state["sizes"]["findings"] = size
    state_tmp = path / (CsvSink.STATE + ".tmp")
    state_tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, file)
    os.replace(state_tmp, state_path)


def _replace_parquet(path: Path, rows: list[tuple[Any, ...]]) -> None:
    pa = _pyarrow()
    import pyarrow.parquet as pq

    target = path / "findings" / CORPUS_FINDINGS_PART
    if not rows:
        target.unlink(missing_ok=True)
        return
    schema = _arrow_schema(pa, "findings")
    table = pa.Table.from_arrays([pa.array(list(col), type=schema.field(k).type)
                                  for k, col in enumerate(zip(*rows))], schema=schema)
    tmp = path / "findings" / f".{CORPUS_FINDINGS_PART}.tmp"
    pq.write_table(table, tmp)
    os.replace(tmp, target)


def read_corpus(path: str | os.PathLike[str]) -> Any:
    """Load a corpus output (any sink) back as pandas DataFrames.

    Returns a :class:`gxparse._frames.Corpus` with ``reports``, ``values``,
    ``findings`` and ``failures`` DataFrames (the same frames whatever the
    sink: text as ``string``, integers as ``Int64``, ``derived`` as
    ``boolean``, ``value`` as exact Python ``int``/``Decimal`` objects) and
    ``wide()``, one row per report and one column per ``table/row/column``.

    Raises:
        SinkError: the output does not exist or is not a gxparse corpus.
        MissingExtraError: pandas (``gxparse[frames]``) or, for Parquet,
            pyarrow (``gxparse[parquet]``) is not installed.
    """
    from ._frames import Corpus, frame

    rows = read_rows(path)
    return Corpus(**{name: frame(name, rows[name]) for name in _TABLES})
