"""HTML pages, side by side: lxml alone, pandas.read_html, gxparse's HtmlAdapter, full gxparse.parse.

Run:  python benchmarks/bench_html.py [--repeat N] [--markdown]

For each of the six sample pages (../shared/samples/sNN.html) and the real page
../shared/corpus/pingtan_8.html, the contenders run interleaved round by round on the file's
bytes (``benchmarks/_harness.py``: CPU and wall time, medians and interquartile ranges):

(a) lxml  — ``lxml.html.fromstring(bytes)`` and the text of every ``<td>``/``<th>``
            (``text_content()``): the floor for any lxml-based reader
(b) pandas — ``pandas.read_html`` on the same bytes (lxml flavour): DataFrames,
            no report. Skipped with a message if pandas is not installed; pandas
            is not a gxparse dependency.
(c) extract — ``HtmlAdapter().extract(Source)``: decoding, the parse, the grid,
            cell text, provenance → a Document
(d) parse   — ``gxparse.parse(bytes)``: detection, (c), the template mapper and the
            validator → a Report

The ratios (d)/(a) and (b)/(d) are of the CPU medians of the same run. Not a test: nothing is
asserted. ``--markdown`` prints the table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gxparse
from gxparse import Source
from gxparse.formats.html import HtmlAdapter

from _harness import SHARED, footer, header, measure, table


def pages() -> list[Path]:
    return sorted((SHARED / "samples").glob("s*.html")) + [SHARED / "corpus" / "pingtan_8.html"]


def lxml_alone(data: bytes) -> int:
    import lxml.html  # type: ignore[import-untyped]

    root = lxml.html.fromstring(data)
    n = 0
    for cell in root.iter("td", "th"):
        n += len(cell.text_content())
    return n


def pandas_read_html(data: bytes) -> int:
    import pandas  # type: ignore[import-untyped]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return len(pandas.read_html(io.BytesIO(data), flavor="lxml"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = ap.parse_args()
    try:
        import pandas  # type: ignore[import-untyped]  # noqa: F401
        have_pandas = True
    except ImportError:
        have_pandas = False
        print("# pandas is not installed: column (b) skipped (pip install pandas to compare)", file=sys.stderr)
    adapter = HtmlAdapter()
    header("HTML: the full record (d) against lxml's parse and cell walk (a) and pandas.read_html (b)",
           ["lxml", "pandas"], args.repeat)
    keys = ["a", "b", "c", "d"] if have_pandas else ["a", "c", "d"]
    labels = {"a": "(a) lxml", "b": "(b) pandas", "c": "(c) extract", "d": "(d) parse"}
    rows, meds = [], []
    for path in pages():
        data = path.read_bytes()
        ways = {
            "a": lambda d=data: lxml_alone(d),
            "b": lambda d=data: pandas_read_html(d),
            "c": lambda d=data, n=path.name: adapter.extract(Source.from_bytes(d, n)),
            "d": lambda d=data: gxparse.parse(d),
        }
        got = measure({k: ways[k] for k in keys}, args.repeat)
        med = {k: got[k].cpu_ms for k in keys}
        meds.append(med)
        rows.append([path.name, f"{len(data) / 1024:.1f}", *(got[k].cell() for k in keys),
                     f"{med['d'] / med['a']:.2f}", f"{med['b'] / med['d']:.2f}" if have_pandas else "n/a"])
    overall = {k: statistics.median(m[k] for m in meds) for k in keys}
    rows.append(["median (CPU)", "", *(f"{overall[k]:.2f}" for k in keys), f"{overall['d'] / overall['a']:.2f}",
                 f"{overall['b'] / overall['d']:.2f}" if have_pandas else "n/a"])
    table(["page", "KiB", *(labels[k] for k in keys), "(d)/(a) CPU", "(b)/(d) CPU"], rows, args.markdown)
    footer()


if __name__ == "__main__":
    main()
