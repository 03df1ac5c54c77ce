"""Monotone alignment of records to the rows of a table, like a diff."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .._records import Record

__all__ = ["align"]

#: Two totals of the alignment closer than this are equal (sums of floats).
_EPSILON = 1e-9


def align(records: Sequence[Record], n_rows: int, score: Callable[[Record, int], float],
          exact: Sequence[int | None] = ()) -> dict[int, Record]:
    """The monotone alignment of ``records`` to ``n_rows`` rows that maximises the total score.

    ``score(record, row)`` is 0 where a record cannot be the row. ``exact[i]``
    is the one row the label of ``records[i]`` names exactly, if any; such a
    record is scored against that row only. Returns row index → record, rows in order
    matched by records in order.
    """
    n = len(records)
    if n == 0 or n_rows == 0:
        return {}
    s = _scores(records, n_rows, score, exact)
    return _backtrack(records, s, _totals(s, n, n_rows))


def _scores(records: Sequence[Record], n_rows: int, score: Callable[[Record, int], float],
            exact: Sequence[int | None]) -> list[list[float]]:
    """Each record's score against each row: 1 for the row its label names exactly (0 for the
    others), else ``score(record, row)``."""
    s = []
    for i, rec in enumerate(records):
        j = exact[i] if exact else None
        if j is not None:
            row = [0.0] * n_rows
            row[j] = 1.0
            s.append(row)
        else:
            s.append([score(rec, j) for j in range(n_rows)])
    return s


def _backtrack(records: Sequence[Record], s: list[list[float]], best: list[list[float]]) -> dict[int, Record]:
    """The matches of a best alignment, read back from its totals ``best`` (:func:`_totals`) from the
    last record and row: a pair that scores and makes the total is matched, else a record or a row
    is left out."""
    out: dict[int, Record] = {}
    i, j = len(s), len(best[0]) - 1
    while i > 0 and j > 0:
        sc = s[i - 1][j - 1]
        if sc > 0 and abs(best[i][j] - (best[i - 1][j - 1] + sc)) < _EPSILON:
            out[j - 1] = records[i - 1]
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return out


def _totals(s: list[list[float]], n: int, n_rows: int) -> list[list[float]]:
    best = [[0.0] * (n_rows + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        si = s[i - 1]
        bi, bp = best[i], best[i - 1]
        for j in range(1, n_rows + 1):  # max() written out: this runs rows x records times
            v = bp[j]
            left = bi[j - 1]
            if left > v:
                v = left
            sc = si[j - 1]
            if sc > 0:
                d = bp[j - 1] + sc
                if d > v:
                    v = d
            bi[j] = v
    return best
