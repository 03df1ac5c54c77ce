"""Speed of the full record, base ref against the working tree, measured alternately.

Run:  python benchmarks/compare_speed.py [--base REF] [--rounds 6] [--repeat 10] [--sets text html pdf docx]

The files are those of ``bench_text.py`` (the seeds' and samples' ``.txt``),
``bench_html.py`` (the samples' pages and ``corpus/pingtan_8.html``), ``bench_pdf.py``
(the samples' PDFs and ``corpus/kiro_hzq_1.pdf``) and ``bench_docx.py`` (the samples'
``.docx``). Each round
starts one process for the base ref's ``src/`` (unpacked with ``git archive``, as
``compare_outputs.py`` does) and one for the working tree's, one after the other,
the order swapped every round so that a drift of the machine's load falls on both.
A process parses every file once to warm up, then ``--repeat`` times, and reports
per set the sum over files of the median CPU time (``time.process_time``) and of
the median wall time per file. Printed: the median over rounds of each sum, and
new/old. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import load
from compare_outputs import ROOT, SHARED, base_ref, unpack

_DRIVER = r"""
import json, statistics, sys, time
import gxparse

sets = json.loads(sys.argv[1])
repeat = int(sys.argv[2])
out = {}
for name, files in sets.items():
    datas = [open(f, "rb").read() for f in files]
    for d in datas:
        gxparse.parse(d)
    cpu = wall = 0.0
    for d in datas:
        cs, ws = [], []
        for _ in range(repeat):
            c0, w0 = time.process_time(), time.perf_counter()
            gxparse.parse(d)
            cs.append(time.process_time() - c0)
            ws.append(time.perf_counter() - w0)
        cpu += statistics.median(cs)
        wall += statistics.median(ws)
    out[name] = {"cpu_ms": cpu * 1000, "wall_ms": wall * 1000}
print(json.dumps(out))
"""


def file_sets() -> dict[str, list[str]]:
    """The sets of bench_text.py, bench_html.py, bench_pdf.py and bench_docx.py."""
    text = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "samples").glob("*.txt"))
    html = sorted((SHARED / "samples").glob("s*.html")) + [SHARED / "corpus" / "pingtan_8.html"]
    pdf = sorted((SHARED / "samples").glob("s*.pdf")) + [SHARED / "corpus" / "kiro_hzq_1.pdf"]
    docx = sorted((SHARED / "samples").glob("s*.docx"))
    return {name: [str(p) for p in paths if p.exists()]
            for name, paths in (("text", text), ("html", html), ("pdf", pdf), ("docx", docx))}


def run(src: Path, sets: dict[str, list[str]], repeat: int) -> dict[str, dict[str, float]]:
    """One measuring process with ``src`` first on the import path."""
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run([sys.executable, "-c", _DRIVER, json.dumps(sets), str(repeat)], env=env,
                         capture_output=True, text=True, check=True)
    result: dict[str, dict[str, float]] = json.loads(out.stdout)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", help="git ref to compare with (default: git merge-base HEAD main)")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--sets", nargs="+", default=["text", "html"], choices=["text", "html", "pdf", "docx"])
    args = ap.parse_args()
    ref = args.base or base_ref()
    sets = {name: files for name, files in file_sets().items() if name in args.sets}
    print(f"# {load()} at the start")
    results: dict[str, list[dict[str, dict[str, float]]]] = {"old": [], "new": []}
    with tempfile.TemporaryDirectory(prefix="gxparse-speed-") as tmp:
        old_src = unpack(ref, Path(tmp) / "base")
        trees = {"old": old_src, "new": ROOT / "src"}
        for r in range(args.rounds):
            order = ("old", "new") if r % 2 == 0 else ("new", "old")
            for who in order:
                results[who].append(run(trees[who], sets, args.repeat))
    print(f"# {load()} at the end")
    print(f"# base {ref[:12]} vs working tree; {args.rounds} rounds, median of {args.repeat} runs per file; "
          f"sum over files of the median, ms (median over rounds)")
    print(f"{'set':<6} {'files':>5} {'old cpu':>9} {'new cpu':>9} {'new/old':>8} {'old wall':>9} {'new wall':>9} "
          f"{'new/old':>8}")
    for name, files in sets.items():
        med = {who: {k: statistics.median(res[name][k] for res in results[who]) for k in ("cpu_ms", "wall_ms")}
               for who in results}
        print(f"{name:<6} {len(files):>5} {med['old']['cpu_ms']:>9.1f} {med['new']['cpu_ms']:>9.1f} "
              f"{med['new']['cpu_ms'] / med['old']['cpu_ms']:>8.3f} {med['old']['wall_ms']:>9.1f} "
              f"{med['new']['wall_ms']:>9.1f} {med['new']['wall_ms'] / med['old']['wall_ms']:>8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
