"""PDF speed and memory: gxparse against the PDFium text-layer floor and pdfplumber's tables.

Run:  python benchmarks/bench_pdf.py [--repeat N] [--markdown] [--plumber-backend]
                                     [--scaling 5 50 500] [--pages N] [--skip-memory]

Over the six sample PDFs (../shared/samples/sNN.pdf, LibreOffice) and the WPS report
../shared/corpus/kiro_hzq_1.pdf, the contenders interleaved round by round on the same bytes
(``benchmarks/_harness.py``: CPU and wall time, medians and interquartile ranges):

  (f) floor: pypdfium2 opens the document and, page by page, loads the page, its text page and
      all its text (``get_text_range``): what any PDFium-based reader pays before it knows where
      a glyph is;
  (a) pdfplumber ``page.extract_tables()`` over every page (pdfplumber's own table finder, no text
      outside tables, no record);
  (b) ``PdfAdapter(backend="pdfplumber").extract`` → Document (only with ``--plumber-backend``);
  (c) ``PdfAdapter(backend="pypdfium2").extract`` → Document;
  (d) ``gxparse.parse`` with the default backend: the full record (mapped and validated).

The ratios (d)/(f) and (a)/(d) are of the CPU medians of the same run.

``--scaling`` then parses generated reports of the given page counts (tests/pdf_factory.py
``long_report_pdf``: every page a paragraph, a 13 x 6 ruled table and a footer) and prints the
CPU time per page of (d) and of (f): flat per-page cost shows as the same ms/page at every size.

Then memory on generated long reports of ``--pages`` (default 300) and a tenth of that many
pages: each backend in a fresh subprocess, the peak RSS of the extraction itself (the kernel's
peak mark reset just before it) and, for the long file, tracemalloc's peak of Python
allocations, plus the time. Linux only (/proc).

Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import ROOT, SHARED, footer, header, measure, table

sys.path.insert(0, str(ROOT / "tests"))

PACKAGES = ["pypdfium2", "pdfplumber", "pdfminer.six"]


def files() -> list[Path]:
    return sorted((SHARED / "samples").glob("s*.pdf")) + [SHARED / "corpus" / "kiro_hzq_1.pdf"]


def floor(data: bytes) -> int:
    """The PDFium text-layer floor: every page, its text page and all its text."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    n = 0
    pdf = pdfium.PdfDocument(data)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            text = page.get_textpage()
            n += len(text.get_text_range())
            text.close()
            page.close()
    finally:
        pdf.close()
    return n


def plumber_tables(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()


def speed(repeat: int, markdown: bool, with_plumber_backend: bool) -> None:
    import pdfplumber

    import gxparse
    from gxparse import Source
    from gxparse.formats.pdf import PdfAdapter

    plumber, fast = PdfAdapter("pdfplumber"), PdfAdapter("pypdfium2")
    keys = ["f", "a", "b", "c", "d"] if with_plumber_backend else ["f", "a", "c", "d"]
    labels = {"f": "(f) PDFium floor", "a": "(a) pdfplumber extract_tables", "b": "(b) adapter, pdfplumber",
              "c": "(c) adapter, pypdfium2", "d": "(d) gxparse.parse"}
    rows = []
    totals = dict.fromkeys(keys, 0.0)
    for path in files():
        data = path.read_bytes()
        ways = {
            "f": lambda d=data: floor(d),
            "a": lambda d=data: plumber_tables(d),
            "b": lambda d=data: plumber.extract(Source.from_bytes(d, "x.pdf")),
            "c": lambda d=data: fast.extract(Source.from_bytes(d, "x.pdf")),
            "d": lambda d=data: gxparse.parse(d),
        }
        got = measure({k: ways[k] for k in keys}, repeat)
        for k in keys:
            totals[k] += got[k].cpu_ms
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
        rows.append([path.name, str(pages), *(got[k].cell() for k in keys),
                     f"{got['d'].cpu_ms / got['f'].cpu_ms:.2f}", f"{got['a'].cpu_ms / got['d'].cpu_ms:.1f}"])
    rows.append(["**total (sum of medians)**", "", *(f"{totals[k]:.1f}" for k in keys),
                 f"{totals['d'] / totals['f']:.2f}", f"{totals['a'] / totals['d']:.1f}"])
    table(["file", "pages", *(labels[k] for k in keys), "(d)/(f) CPU", "(a)/(d) CPU"], rows, markdown)


def long_report(pages: int) -> bytes:
    """A report of ``pages`` pages: ../shared/samples/s01.pdf (4 pages, the official form) followed by
    generated pages (tests/pdf_factory.py ``long_report_pdf``: a paragraph, a 13 x 6 ruled table and a
    footer on every page), joined with pypdfium2."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    from pdf_factory import long_report_pdf

    base = pdfium.PdfDocument((SHARED / "samples" / "s01.pdf").read_bytes())
    extra = pages - len(base)
    if extra > 0:
        base.import_pages(pdfium.PdfDocument(long_report_pdf(extra)))
    out = io.BytesIO()
    base.save(out)
    return out.getvalue()


def scaling(sizes: list[int], repeat: int, markdown: bool) -> None:
    """CPU time per page of the floor, the Document and the full record on reports of ``sizes`` pages."""
    import gxparse
    from gxparse import Source
    from gxparse.formats.pdf import PdfAdapter

    fast = PdfAdapter("pypdfium2")
    rows = []
    for n in sizes:
        data = long_report(n)
        got = measure({"f": lambda d=data: floor(d), "c": lambda d=data: fast.extract(Source.from_bytes(d, "x.pdf")),
                       "d": lambda d=data: gxparse.parse(d)}, repeat)
        rows.append([str(n), f"{len(data) / 2**20:.1f}", got["f"].cell(), got["c"].cell(), got["d"].cell(),
                     f"{got['f'].cpu_ms / n:.2f}", f"{got['c'].cpu_ms / n:.2f}", f"{got['d'].cpu_ms / n:.2f}",
                     f"{got['d'].cpu_ms / got['f'].cpu_ms:.2f}"])
    table(["pages", "MiB", "(f) floor", "(c) extract", "(d) parse", "(f) CPU ms/page", "(c) CPU ms/page",
           "(d) CPU ms/page", "(d)/(f)"], rows, markdown)


_CHILD = r"""
import gc, json, sys, time, tracemalloc
sys.path.insert(0, sys.argv[3])
from gxparse import Source
from gxparse.formats.pdf import PdfAdapter


def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024  # kB -> MiB
    return float("nan")


def reset_peak():
    try:  # Linux >= 4.0: writing 5 to clear_refs resets VmHWM to the current RSS
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


import pdfplumber, pypdfium2  # noqa: E401,F401 - imports are not what is measured
data = open(sys.argv[1], "rb").read()
src = Source.from_bytes(data, "long.pdf")
adapter = PdfAdapter(sys.argv[2])
gc.collect()
before = status("VmRSS")
exact = reset_peak()
t0 = time.perf_counter()
doc = adapter.extract(src)
seconds = time.perf_counter() - t0
peak = status("VmHWM")
blocks, tables = len(doc.blocks), len(doc.tables)
del doc
gc.collect()
traced = kept = None
if sys.argv[4] == "1":
    tracemalloc.start()  # a second run, traced (tracemalloc slows Python down: not timed)
    doc = adapter.extract(src)
    current, peak_traced = tracemalloc.get_traced_memory()
    traced, kept = peak_traced / 2**20, current / 2**20  # kept: the Document and library caches
    tracemalloc.stop()
print(json.dumps({"seconds": seconds, "rss_before_mb": before, "rss_peak_mb": peak, "exact_peak": exact,
                  "tracemalloc_peak_mb": traced, "document_mb": kept, "blocks": blocks, "tables": tables}))
"""


def memory(pages: int, traced: bool) -> None:
    """Peak memory of extraction on generated reports of ``pages`` and ``pages // 10`` pages.

    Each run is a fresh subprocess that imports everything, reads the file, resets the kernel's
    peak-RSS mark (``/proc/self/clear_refs``) and extracts: the peak RSS above the RSS before
    extraction is what the extraction itself needed. Bounded memory shows as a peak that does not
    grow with the page count beyond the Document the run returns.
    """
    from pdf_factory import long_report_pdf

    sizes = sorted({max(1, pages // 10), pages})
    print("| backend | pages | MiB | time s | ms/page | RSS before MiB | peak RSS MiB | peak - before MiB "
          "| tracemalloc peak MiB | held after MiB | blocks, tables |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        data = long_report_pdf(n)
        with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as f:
            f.write(data)
            path = f.name
        try:
            for backend in ("pypdfium2", "pdfplumber"):
                out = subprocess.run([sys.executable, "-c", _CHILD, path, backend, str(ROOT / "src"),
                                      "1" if traced and n == pages else "0"],
                                     capture_output=True, text=True, timeout=3600, check=True)
                r = json.loads(out.stdout)
                tm = f"{r['tracemalloc_peak_mb']:.1f}" if r["tracemalloc_peak_mb"] is not None else "-"
                kept = f"{r['document_mb']:.1f}" if r["document_mb"] is not None else "-"
                mark = "" if r["exact_peak"] else " (peak since start)"
                print(f"| {backend} | {n} | {len(data) / 2**20:.1f} | {r['seconds']:.1f} | "
                      f"{r['seconds'] * 1000 / n:.0f} | {r['rss_before_mb']:.0f} | {r['rss_peak_mb']:.0f}{mark} | "
                      f"{r['rss_peak_mb'] - r['rss_before_mb']:.0f} | {tm} | {kept} | {r['blocks']}, {r['tables']} |")
        finally:
            os.unlink(path)
    print()
    print(f"Generated reports (tests/pdf_factory.py `long_report_pdf`): every page a paragraph, a 13 x 6 ruled "
          f"table and a page-number footer. tracemalloc: Python allocations of a second, traced extraction "
          f"of the {pages}-page file, at their peak and what is still held when extraction returns (the Document and library caches such as "
          "pdfminer's CMaps).")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--markdown", action="store_true", help="print Markdown tables")
    ap.add_argument("--plumber-backend", action="store_true", help="also time the pdfplumber backend (b)")
    ap.add_argument("--scaling", type=int, nargs="*", default=[], metavar="PAGES",
                    help="page counts of generated reports for the per-page cost (e.g. 5 50 500)")
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--no-tracemalloc", action="store_true", help="skip the traced run (slow with pdfplumber)")
    args = ap.parse_args()
    header("PDF: the full record (d) against the PDFium floor (f) and pdfplumber's extract_tables (a)",
           PACKAGES, args.repeat)
    speed(args.repeat, args.markdown, args.plumber_backend)
    if args.scaling:
        print()
        scaling(args.scaling, max(3, args.repeat // 5), args.markdown)
    if not args.skip_memory:
        print()
        memory(args.pages, not args.no_tracemalloc)
    footer()


if __name__ == "__main__":
    main()
