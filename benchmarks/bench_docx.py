"""Word files against the same reports' web pages: is a full record from .docx as cheap as from HTML?

Run:  python benchmarks/bench_docx.py [--repeat N] [--markdown]

For each of the six samples (../shared/samples/sNN.docx and the same report's sNN.html),
five contenders run on the file's bytes, interleaved (one run of each in turn, ``--repeat``
rounds after one warm-up round), in one process; the median wall time
(``time.perf_counter``) and CPU time (``time.process_time``) per file are printed in
milliseconds:

(a) python-docx — ``docx.Document(BytesIO)`` and the text of every cell of every table
                  (``table.rows[i].cells[j].text``): the reference floor for a Word reader
                  (no spans, no hidden text, no record). Skipped with a message if
                  python-docx is not installed (``pip install python-docx``); it is not a
                  gxparse dependency.
(b) docx extract — ``DocxAdapter().extract``: the package, the XML, the grid, cell text,
                  provenance → a Document
(c) docx record  — ``gxparse.parse`` on the .docx bytes: detection, (b), the mapper and
                  the validator → a Report
(d) html extract — ``HtmlAdapter().extract`` on the same report's page
(e) html record  — ``gxparse.parse`` on the page's bytes

The goal is (c) ≤ (e). Not a test: nothing is asserted. ``--markdown`` prints the table
for docs/performance.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import gxparse
from gxparse import Source
from gxparse.formats.docx import DocxAdapter
from gxparse.formats.html import HtmlAdapter

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GXPARSE_SHARED", ROOT.parent / "shared"))


def python_docx_walk(data: bytes) -> int:
    import docx  # type: ignore[import-untyped]

    document = docx.Document(io.BytesIO(data))
    n = 0
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                n += len(cell.text)
    return n


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall ms, CPU ms) of one call."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = ap.parse_args()
    try:
        import docx  # type: ignore[import-untyped]  # noqa: F401
        have_docx = True
    except ImportError:
        have_docx = False
        print("# python-docx is not installed: column (a) skipped (pip install python-docx)", file=sys.stderr)
    import lxml  # type: ignore[import-untyped]

    word, page = DocxAdapter(), HtmlAdapter()
    stems = sorted(p.stem for p in (SHARED / "samples").glob("s*.docx"))
    if not stems:
        sys.exit(f"no samples in {SHARED / 'samples'}")
    print(f"# gxparse {gxparse.__version__}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, lxml {lxml.__version__}"
          + (f", python-docx {sys.modules['docx'].__version__}" if have_docx else "")
          + f"; medians of {args.repeat} interleaved rounds, ms per file, wall / CPU")
    keys = ["a", "b", "c", "d", "e"] if have_docx else ["b", "c", "d", "e"]
    rows = []
    for stem in stems:
        docx_bytes = (SHARED / "samples" / f"{stem}.docx").read_bytes()
        html_bytes = (SHARED / "samples" / f"{stem}.html").read_bytes()
        ways: dict[str, Callable[[], object]] = {
            "a": lambda d=docx_bytes: python_docx_walk(d),
            "b": lambda d=docx_bytes: word.extract(Source.from_bytes(d, "x.docx")),
            "c": lambda d=docx_bytes: gxparse.parse(d),
            "d": lambda h=html_bytes: page.extract(Source.from_bytes(h, "x.html")),
            "e": lambda h=html_bytes: gxparse.parse(h),
        }
        for key in keys:  # warm-up round: imports, caches
            ways[key]()
        runs: dict[str, list[tuple[float, float]]] = {k: [] for k in keys}
        for _ in range(args.repeat):
            for key in keys:
                runs[key].append(timed(ways[key]))
        med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items()}
        rows.append((stem, len(docx_bytes) / 1024, len(html_bytes) / 1024, med))

    labels = {"a": "(a) python-docx", "b": "(b) docx extract", "c": "(c) docx record", "d": "(d) html extract",
              "e": "(e) html record"}
    head = ["report", ".docx KiB", ".html KiB", *(labels[k] for k in keys), "(c)/(e) wall", "(c)/(e) CPU"]
    table = []
    for stem, dk, hk, med in rows:
        table.append([stem, f"{dk:.1f}", f"{hk:.1f}", *(f"{med[k][0]:.2f} / {med[k][1]:.2f}" for k in keys),
                      f"{med['c'][0] / med['e'][0]:.2f}", f"{med['c'][1] / med['e'][1]:.2f}"])
    overall = {k: (statistics.median(r[3][k][0] for r in rows), statistics.median(r[3][k][1] for r in rows))
               for k in keys}
    table.append(["median", "", "", *(f"{overall[k][0]:.2f} / {overall[k][1]:.2f}" for k in keys),
                  f"{overall['c'][0] / overall['e'][0]:.2f}", f"{overall['c'][1] / overall['e'][1]:.2f}"])
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---:" if i else "---" for i in range(len(head))) + "|")
        for line in table:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(str(x)) for x in col) for col in zip(head, *table)]
        for line in [head, *table]:
            print("  ".join(str(x).rjust(w) for x, w in zip(line, widths)))


if __name__ == "__main__":
    main()
