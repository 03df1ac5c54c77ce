"""Throughput of the text-family formats: full records (extract + map + validate) per second.

Run:  python benchmarks/bench_text.py [--repeat N]

Reads the five seeds and the twelve text samples from ../shared, parses each
``--repeat`` times (default 20) and prints the median time per file and the
stage split (extract vs map+validate). Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import gxparse

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GXPARSE_SHARED", ROOT.parent / "shared"))


def files() -> list[Path]:
    return sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "samples").glob("*.txt"))


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    print(f"# gxparse {gxparse.__version__}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs")
    print(f"{'file':<32} {'format':<9} {'KiB':>6} {'extract ms':>11} {'full ms':>9}")
    total_extract = total_full = 0.0
    paths = files()
    for path in paths:
        data = path.read_bytes()
        doc = gxparse.extract(data)
        ex = median_ms(lambda data=data: gxparse.extract(data), args.repeat)
        full = median_ms(lambda data=data: gxparse.parse(data), args.repeat)
        total_extract += ex
        total_full += full
        print(f"{path.name:<32} {doc.adapter:<9} {len(data) / 1024:>6.1f} {ex:>11.2f} {full:>9.2f}")
    n = len(paths)
    print(f"{'total':<32} {'':<9} {'':>6} {total_extract:>11.2f} {total_full:>9.2f}")
    print(f"# {n / (total_full / 1000):.0f} reports/s on one core (median per file, full record)")


if __name__ == "__main__":
    sys.exit(main())
