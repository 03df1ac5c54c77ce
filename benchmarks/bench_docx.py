"""Word files against the same reports' web pages: is a full record from .docx as cheap as from HTML?

Run:  python benchmarks/bench_docx.py [--repeat N] [--markdown]

For each of the six samples (../shared/samples/sNN.docx and the same report's sNN.html),
five contenders run on the file's bytes, interleaved round by round in one process
(``benchmarks/_harness.py``: CPU and wall time, medians and interquartile ranges, in
milliseconds per file):

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
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gxparse
from gxparse import Source
from gxparse.formats.docx import DocxAdapter
from gxparse.formats.html import HtmlAdapter

from _harness import SHARED, footer, header, measure, table


def python_docx_walk(data: bytes) -> int:
    import docx  # type: ignore[import-untyped]

    document = docx.Document(io.BytesIO(data))
    n = 0
    for table_ in document.tables:
        for row in table_.rows:
            for cell in row.cells:
                n += len(cell.text)
    return n


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
    word, page = DocxAdapter(), HtmlAdapter()
    stems = sorted(p.stem for p in (SHARED / "samples").glob("s*.docx"))
    if not stems:
        sys.exit(f"no samples in {SHARED / 'samples'}")
    header("Word: the .docx record (c) against the same report's web page (e) and python-docx (a)",
           ["lxml", "python-docx"], args.repeat)
    keys = ["a", "b", "c", "d", "e"] if have_docx else ["b", "c", "d", "e"]
    labels = {"a": "(a) python-docx", "b": "(b) docx extract", "c": "(c) docx record", "d": "(d) html extract",
              "e": "(e) html record"}
    rows, meds = [], []
    for stem in stems:
        docx_bytes = (SHARED / "samples" / f"{stem}.docx").read_bytes()
        html_bytes = (SHARED / "samples" / f"{stem}.html").read_bytes()
        ways = {
            "a": lambda d=docx_bytes: python_docx_walk(d),
            "b": lambda d=docx_bytes: word.extract(Source.from_bytes(d, "x.docx")),
            "c": lambda d=docx_bytes: gxparse.parse(d),
            "d": lambda h=html_bytes: page.extract(Source.from_bytes(h, "x.html")),
            "e": lambda h=html_bytes: gxparse.parse(h),
        }
        got = measure({k: ways[k] for k in keys}, args.repeat)
        med = {k: got[k].cpu_ms for k in keys}
        meds.append(med)
        rows.append([stem, f"{len(docx_bytes) / 1024:.1f}", f"{len(html_bytes) / 1024:.1f}",
                     *(got[k].cell() for k in keys), f"{med['c'] / med['e']:.2f}"])
    overall = {k: statistics.median(m[k] for m in meds) for k in keys}
    rows.append(["median (CPU)", "", "", *(f"{overall[k]:.2f}" for k in keys), f"{overall['c'] / overall['e']:.2f}"])
    table(["report", ".docx KiB", ".html KiB", *(labels[k] for k in keys), "(c)/(e) CPU"], rows, args.markdown)
    footer()


if __name__ == "__main__":
    main()
