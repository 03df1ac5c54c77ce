"""Throughput of the text-family formats: full records (extract + map + validate) per second.

Run:  python benchmarks/bench_text.py [--repeat N] [--markdown]

Reads the five seeds and the twelve text samples from ../shared and, file by file, runs the
extraction alone and the full record interleaved (``benchmarks/_harness.py``: CPU and wall time,
medians and interquartile ranges). Prints each file's times, the reports per second on one core
(files over the sum of the full records' CPU medians) and the slowest file against the median.
Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gxparse

from _harness import SHARED, footer, header, measure, table


def files() -> list[Path]:
    return sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "samples").glob("*.txt"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = ap.parse_args()
    header("Text family: extraction and the full record, file by file", [], args.repeat)
    rows, full = [], []
    for path in files():
        data = path.read_bytes()
        doc = gxparse.extract(data)
        got = measure({"extract": lambda d=data: gxparse.extract(d), "full": lambda d=data: gxparse.parse(d)},
                      args.repeat)
        full.append((got["full"].cpu_ms, path.name))
        rows.append([path.name, doc.adapter, f"{len(data) / 1024:.1f}", got["extract"].cell(), got["full"].cell()])
    total = sum(ms for ms, _ in full)
    med = statistics.median(ms for ms, _ in full)
    worst, worst_name = max(full)
    rows.append(["total (CPU)", "", "", "", f"{total:.2f}"])
    table(["file", "format", "KiB", "extract", "full record"], rows, args.markdown)
    print(f"# {len(full) / (total / 1000):.0f} reports/s on one core (CPU, sum of the per-file medians); "
          f"median {med:.2f} ms, slowest {worst_name} {worst:.2f} ms = {worst / med:.2f}x the median")
    footer()
    return 0


if __name__ == "__main__":
    sys.exit(main())
