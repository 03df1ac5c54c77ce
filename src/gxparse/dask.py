"""gxparse in your own Dask graphs: a bag of records, and the corpus tables as Dask DataFrames.

    >>> import gxparse.dask                                       # doctest: +SKIP
    >>> bag = gxparse.dask.parse_bag(paths)                       # Report and Failure objects
    >>> values = gxparse.dask.to_dask_dataframe(bag, "values")    # the corpus `values` table
    >>> values.groupby("column").value.count().compute()

These build lazy graphs and run wherever the caller's Dask runs them (threads,
processes, a ``distributed`` cluster). Parsing here has no per-file timeout and
no isolation of a file that crashes its worker: for a corpus run into a sink,
with those, resumable, use ``gxparse batch --scheduler ADDRESS`` (or
:func:`gxparse.run_batch` with ``scheduler=``).

Needs the optional extra ``gxparse[dask]``; without it every function raises
:class:`~gxparse.MissingExtraError` naming it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from ._batch import Failure, _Options, _Task, _work
from ._errors import MissingExtraError

__all__ = ["parse_bag", "to_dask_dataframe"]


def _need(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(f"{module} is not installed: pip install 'gxparse[dask]'") from None


def _parse_partition(paths: Iterable[tuple[str, str]], format: str | None, template: str | None) -> list[Any]:
    out: list[Any] = []
    options = _Options(format, template)
    for path, source in paths:
        status, sha, payload = _work(_Task(0, path, source=source), options)
        if status == "ok":
            out.extend(payload)
        else:
            out.append(Failure(path, payload, sha))
    return out


def parse_bag(paths: Iterable[str | os.PathLike[str]], *, format: str | None = None, template: str | None = None,
              partition_size: int | None = None, npartitions: int | None = None) -> Any:
    """A ``dask.bag.Bag`` of the records of ``paths``.

    Each file gives its :class:`~gxparse.Report` (several for a compilation, in
    document order) or one :class:`~gxparse.Failure`, as :func:`gxparse.parse_many`
    does; one bad file never fails the graph.

    Args:
        paths: files, readable where the graph runs (local paths, or shared
            storage on a cluster); a relative path is read as this process's
            working folder resolves it.
        format, template: as for :func:`gxparse.parse`.
        partition_size, npartitions: how the paths are cut into partitions
            (``dask.bag.from_sequence``; default: about 100 partitions).

    Raises:
        MissingExtraError: dask is not installed (``gxparse[dask]``).
    """
    db = _need("dask.bag")
    # each path with its absolute form: workers run in folders of their own (records keep the path as given)
    seq = [(os.fspath(p), os.path.abspath(os.fspath(p))) for p in paths]
    bag = db.from_sequence(seq, partition_size=partition_size, npartitions=npartitions)
    return bag.map_partitions(_parse_partition, format, template)


def _table_frame(results: Iterable[Any], table: str) -> Any:
    from ._frames import corpus_rows, frame

    return frame(table, corpus_rows(results)[table])


def to_dask_dataframe(source: Any, table: str = "values", *, format: str | None = None,
                      template: str | None = None) -> Any:
    """One corpus table of parsed reports as a ``dask.dataframe.DataFrame``.

    Args:
        source: a bag from :func:`parse_bag`, or paths (parsed with :func:`parse_bag`).
        table: ``values`` (one row per number), ``reports``, ``findings`` or
            ``failures``: the corpus tables of ``docs/corpus-tables.md``.
        format, template: for paths, as for :func:`gxparse.parse`.

    Returns:
        A Dask DataFrame with the columns and dtypes of the same table in
        :func:`gxparse.read_corpus` (``value`` holds exact ``int``/``Decimal``
        objects; computed partitions equal the pandas frames of the same reports).

    Raises:
        MissingExtraError: dask or pandas is not installed (``gxparse[dask]``).
        ValueError: an unknown table.
    """
    from ._corpus import CORPUS_TABLES

    if table not in CORPUS_TABLES:
        raise ValueError(f"no corpus table {table!r} (tables: {', '.join(CORPUS_TABLES)})")
    db = _need("dask.bag")
    dd = _need("dask.dataframe")
    dask = _need("dask")
    bag = source if isinstance(source, db.Bag) else parse_bag(source, format=format, template=template)
    meta = _table_frame([], table)
    parts = [dask.delayed(_table_frame)(part, table) for part in bag.to_delayed()]
    with dask.config.set({"dataframe.convert-string": False}):  # keep exact numbers as objects
        return dd.from_delayed(parts, meta=meta, verify_meta=False)
