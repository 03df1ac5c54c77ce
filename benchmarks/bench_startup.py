"""Whole-process time of `gxparse parse FILE` against `pdftotext -layout FILE -` (poppler).

Run:  python benchmarks/bench_startup.py [--runs 20] [FILE]

Both commands are started alternately ``--runs`` times each; the medians of wall time and
of the child's CPU time (user + system) are printed, and their ratio. Default FILE is
../shared/samples/s01.pdf. `import gxparse` alone and `python -c pass` are timed the same
way, so the floor of an interpreter start is visible.

gxparse's modules are byte-compiled first (``compileall``), as ``pip install`` does for a
wheel: with ``PYTHONDONTWRITEBYTECODE`` set and no ``__pycache__``, every start would compile
the sources again, which is not what a user's start costs. The machine's load average is
printed at the start and the end (the CPU times move less with the load than the wall times).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import SHARED, Timing, load, versions


def run(argv: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", nargs="?", default=str(SHARED / "samples" / "s01.pdf"))
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    gx = shutil.which("gxparse") or sys.exit("gxparse is not on PATH (activate the venv)")
    import compileall

    import gxparse

    compileall.compile_dir(str(Path(gxparse.__file__).parent), quiet=1)
    print(f"# {load()} at the start")
    contenders = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import gxparse'": [sys.executable, "-c", "import gxparse"],
        "gxparse parse FILE": [gx, "parse", args.file],
    }
    if shutil.which("pdftotext"):
        contenders["pdftotext -layout FILE -"] = ["pdftotext", "-layout", args.file, "-"]
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in contenders}
    for argv in contenders.values():  # warm the page cache
        run(argv)
    for _ in range(args.runs):
        for name, argv in contenders.items():
            times[name].append(run(argv))
    print(f"# {args.file}, {args.runs} runs each, alternated; Python {sys.version.split()[0]}; "
          f"{versions(['gxparse', 'attrs', 'pypdfium2', 'lxml'])}")
    print("| command | CPU ms: median [interquartile range] | wall ms: median [interquartile range] |")
    print("|---|---:|---:|")
    med = {}
    for name, ts in times.items():
        t = Timing(cpu=[c * 1000 for _, c in ts], wall=[w * 1000 for w, _ in ts])
        med[name] = t.wall_ms
        (c1, c3), (w1, w3) = t.spread("cpu"), t.spread("wall")
        print(f"| {name} | {t.cpu_ms:.1f} [{c1:.1f}–{c3:.1f}] | {t.wall_ms:.1f} [{w1:.1f}–{w3:.1f}] |")
    print(f"# {load()} at the end")
    if "pdftotext -layout FILE -" in med:
        print(f"\n`gxparse parse` takes {med['gxparse parse FILE'] / med['pdftotext -layout FILE -']:.1f}x "
              "the wall time of `pdftotext -layout`")


if __name__ == "__main__":
    main()
