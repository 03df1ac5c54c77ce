"""PDF speed and memory: gxparse's PDF adapter against pdfplumber's own table extraction.

Run:  python benchmarks/bench_pdf.py [--repeat N] [--pages N] [--skip-memory]

Over the six sample PDFs (../shared/samples/sNN.pdf, LibreOffice) and the WPS report
../shared/corpus/kiro_hzq_1.pdf, side by side in one run, each the median of
``--repeat`` runs (default 7), the runs of the four ways interleaved file by file:

  (a) pdfplumber ``page.extract_tables()`` over every page (the baseline);
  (b) ``PdfAdapter(backend="pdfplumber").extract`` → Document;
  (c) ``PdfAdapter(backend="pypdfium2").extract`` → Document;
  (d) ``gxparse.parse`` with the default backend: the full record (mapped and validated).

Then memory on generated long reports of ``--pages`` (default 300) and a tenth of that many
pages (made with reportlab by tests/pdf_factory.py): each backend in a fresh subprocess, the
peak RSS of the extraction itself (the kernel's peak mark reset just before it) and, for the
long file, tracemalloc's peak of Python allocations, plus the time. Linux only (/proc).

Not a test: nothing is asserted. Prints a Markdown report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GXPARSE_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "tests"))


def files() -> list[Path]:
    return sorted((SHARED / "samples").glob("s*.pdf")) + [SHARED / "corpus" / "kiro_hzq_1.pdf"]


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import pdfminer
    import pdfplumber
    import pypdfium2

    import gxparse

    return (f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; gxparse {gxparse.__version__}, pdfplumber {pdfplumber.__version__} "
            f"(pdfminer.six {pdfminer.__version__}), pypdfium2 {pypdfium2.version.PYPDFIUM_INFO} "
            f"(PDFium {pypdfium2.version.PDFIUM_INFO})")


def speed(repeat: int) -> None:
    import io

    import pdfplumber

    import gxparse
    from gxparse import Source
    from gxparse.formats.pdf import PdfAdapter

    def baseline(data: bytes) -> None:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.close()

    plumber, fast = PdfAdapter("pdfplumber"), PdfAdapter("pypdfium2")
    ways = {
        "a": lambda d: baseline(d),
        "b": lambda d: plumber.extract(Source.from_bytes(d, "x.pdf")),
        "c": lambda d: fast.extract(Source.from_bytes(d, "x.pdf")),
        "d": lambda d: gxparse.parse(d),
    }
    print("| file | pages | (a) pdfplumber extract_tables | (b) adapter, pdfplumber | "
          "(c) adapter, pypdfium2 | (d) gxparse.parse | (a)/(d) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    totals = dict.fromkeys(ways, 0.0)
    for path in files():
        data = path.read_bytes()
        for fn in ways.values():  # warm up: imports, caches
            fn(data)
        runs: dict[str, list[float]] = {k: [] for k in ways}
        for _ in range(repeat):
            for key, fn in ways.items():
                runs[key].append(timed(lambda fn=fn, data=data: fn(data)))
        med = {k: statistics.median(v) for k, v in runs.items()}
        for k in ways:
            totals[k] += med[k]
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
        print(f"| {path.name} | {pages} | {med['a']:.1f} | {med['b']:.1f} | {med['c']:.1f} | {med['d']:.1f} "
              f"| {med['a'] / med['d']:.1f} |")
    print(f"| **total** | | **{totals['a']:.0f}** | **{totals['b']:.0f}** | **{totals['c']:.0f}** | "
          f"**{totals['d']:.0f}** | **{totals['a'] / totals['d']:.1f}** |")
    print()
    print(f"Medians of {repeat} runs, ms per file. Full record (d) is {totals['a'] / totals['d']:.1f}x faster than "
          f"pdfplumber's extract_tables alone (a); the pypdfium2 Document (c) is {totals['a'] / totals['c']:.1f}x "
          f"faster than (a) and {totals['b'] / totals['c']:.1f}x faster than the pdfplumber-backend Document (b).")


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
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--no-tracemalloc", action="store_true", help="skip the traced run (slow with pdfplumber)")
    args = ap.parse_args()
    print(f"Machine: {machine()}")
    print()
    speed(args.repeat)
    if not args.skip_memory:
        print()
        memory(args.pages, not args.no_tracemalloc)


if __name__ == "__main__":
    main()
