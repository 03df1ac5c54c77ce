"""HTML pages, side by side: lxml alone, pandas.read_html, gxparse's HtmlAdapter, full gxparse.parse.

Run:  python benchmarks/bench_html.py [--repeat N] [--markdown]

For each of the six sample pages (../shared/samples/sNN.html) and the real page
../shared/corpus/pingtan_8.html, every contender runs ``--repeat`` times
(default 30, after one warm-up run) on the file's bytes; the median per page is
printed in milliseconds:

(a) lxml  — ``lxml.html.fromstring(bytes)`` and the text of every ``<td>``/``<th>``
            (``text_content()``): the floor for any lxml-based reader
(b) pandas — ``pandas.read_html`` on the same bytes (lxml flavour): DataFrames,
            no report. Skipped with a message if pandas is not installed; pandas
            is not a gxparse dependency.
(c) extract — ``HtmlAdapter().extract(Source)``: decoding, the parse, the grid,
            cell text, provenance → a Document
(d) parse   — ``gxparse.parse(bytes)``: detection, (c), the template mapper and the
            validator → a Report

Not a test: nothing is asserted. ``--markdown`` prints the table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path

import gxparse
from gxparse import Source
from gxparse.formats.html import HtmlAdapter

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GXPARSE_SHARED", ROOT.parent / "shared"))


def pages() -> list[Path]:
    return sorted((SHARED / "samples").glob("s*.html")) + [SHARED / "corpus" / "pingtan_8.html"]


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up (imports, caches)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


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


def extract(adapter: HtmlAdapter, data: bytes, name: str) -> gxparse.Document:
    return adapter.extract(Source.from_bytes(data, name))


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
    import lxml  # type: ignore[import-untyped]

    print(f"# gxparse {gxparse.__version__}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, lxml {lxml.__version__}"
          + (f", pandas {sys.modules['pandas'].__version__}" if have_pandas else "")
          + f"; median of {args.repeat} runs, ms per page")
    rows = []
    for path in pages():
        data = path.read_bytes()
        a = median_ms(partial(lxml_alone, data), args.repeat)
        b = median_ms(partial(pandas_read_html, data), args.repeat) if have_pandas else math.nan
        c = median_ms(partial(extract, adapter, data, path.name), args.repeat)
        d = median_ms(partial(gxparse.parse, data), args.repeat)
        rows.append((path.name, len(data) / 1024, a, b, c, d))

    def ratio(x: float, y: float) -> str:
        return f"{x / y:.1f}x" if not math.isnan(y) and y > 0 else "n/a"

    head = ["page", "KiB", "(a) lxml", "(b) pandas", "(c) extract", "(d) parse", "(d)/(a)", "(d)/(b)"]
    med = [statistics.median(col) for col in zip(*(r[2:] for r in rows))]
    table = [[name, f"{kib:.1f}", f"{a:.2f}", f"{b:.2f}", f"{c:.2f}", f"{d:.2f}", ratio(d, a), ratio(d, b)]
             for name, kib, a, b, c, d in rows]
    table.append(["median", "", *(f"{m:.2f}" for m in med), ratio(med[3], med[0]), ratio(med[3], med[1])])
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---:" if i else "---" for i in range(len(head))) + "|")
        for row in table:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(str(x)) for x in col) for col in zip(head, *table)]
        for row in [head, *table]:
            print("  ".join(str(x).rjust(w) if i else str(x).ljust(w) for i, (x, w) in enumerate(zip(row, widths))))


if __name__ == "__main__":
    main()
