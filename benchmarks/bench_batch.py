"""Corpus runs: `batch -j 2` vs `-j 1` vs a bare in-process loop, sink write rates, worker memory.

Run:  python benchmarks/bench_batch.py [--files 2000] [--rounds 3] [--sink-reports 5000]
      python benchmarks/bench_batch.py --rss 20000        # worker RSS over a long run (slow)

The corpus is generated once into --corpus (default: a temporary folder) from the
project's renderers: mixed formats (text one cell per line, space-aligned text,
tab-separated rows, pipe rows, markdown, HTML, and one PDF in 20), both templates,
every file's bytes distinct. Contenders are run in turns within one process,
``--rounds`` times, and the median is printed: wall time, and CPU time of this
process plus its worker processes (``resource.getrusage``). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import gxparse
from gxparse._corpus import report_rows
from gxparse._sinks import open_sink

FLAVOURS = ("text-cells", "text-layout", "text-tab-rows", "pipe-rows", "markdown", "html")


def build(root: Path, n: int) -> list[Path]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the project's own renderers
    from gxparse.testing import zero_report

    from kit.render import render

    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        template = "2021" if i % 3 else "2019"
        report = zero_report(template, agency=f"第{i}号测试局", year=2021 if template == "2021" else 2019)
        for row in ("received_new", "results.disclosed", "results.total"):
            report = report.with_value(f"applications/{row}/natural_person", i % 50)
            report = report.with_value(f"applications/{row}/total", i % 50)
        flavour = "pdf" if i % 20 == 19 else FLAVOURS[i % len(FLAVOURS)]
        out = render(report, flavour)
        path = root / f"{i // 100:03d}" / f"r{i:05d}.{out.name.rsplit('.', 1)[1]}"
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(out.data)
        paths.append(path)
    return paths


def cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def timed(fn) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of this process plus the batch workers' (the workers are
    children of multiprocessing's fork server, so getrusage(RUSAGE_CHILDREN) does not see them:
    each worker measures its own process time per file, summed in BatchSummary.cpu_seconds)."""
    w0, c0 = time.perf_counter(), cpu()
    extra = fn() or 0.0
    return time.perf_counter() - w0, cpu() - c0 + extra


def bare_loop(paths: list[Path]) -> None:
    for p in paths:
        with contextlib.suppress(gxparse.GxparseError):
            gxparse.parse_all(p)


def batch(paths: list[Path], out: Path, jobs: int) -> float:
    if out.exists():
        out.unlink()
    s = gxparse.run_batch([str(p) for p in paths], out, jobs=jobs, progress=False)
    assert s.parsed == len(paths), s.line()
    return s.cpu_seconds


def bench_runs(paths: list[Path], rounds: int, tmp: Path) -> None:
    contenders = {
        "bare loop of gxparse.parse_all": lambda: bare_loop(paths),
        "batch -j 1 (SQLite)": lambda: batch(paths, tmp / "j1.sqlite", 1),
        "batch -j 2 (SQLite)": lambda: batch(paths, tmp / "j2.sqlite", 2),
    }
    results: dict[str, list[tuple[float, float]]] = {k: [] for k in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            results[name].append(timed(fn))
    print(f"\n## {len(paths)} mixed files, {rounds} rounds (median; spread min-max)\n")
    print("| contender | wall s | files/s | CPU s (main + workers) |")
    print("|---|---:|---:|---:|")
    med = {}
    for name, rs in results.items():
        walls = [w for w, _ in rs]
        cpus = [c for _, c in rs]
        med[name] = statistics.median(walls)
        print(f"| {name} | {med[name]:.2f} ({min(walls):.2f}-{max(walls):.2f}) | {len(paths) / med[name]:.0f} "
              f"| {statistics.median(cpus):.2f} |")
    j1, j2, bare = med["batch -j 1 (SQLite)"], med["batch -j 2 (SQLite)"], med["bare loop of gxparse.parse_all"]
    print(f"\n- `-j 2` is {j1 / j2:.2f}x `-j 1`; `-j 1` takes {j1 / bare:.2f}x the bare loop's wall time")


def bench_sinks(paths: list[Path], n_reports: int, tmp: Path) -> None:
    sample = [gxparse.parse_all(p) for p in paths[:60]]
    units = []
    for i in range(n_reports):
        reports = sample[i % len(sample)]
        rows = report_rows(reports, f"file{i}")
        rid = f"{i:016x}-1"  # distinct ids, as distinct files would have
        units.append(type(rows)(f"{i:064x}", rows.path,
                                tuple((rid, *r[1:]) for r in rows.reports),
                                tuple((rid, *r[1:]) for r in rows.values),
                                tuple((rid, *r[1:]) for r in rows.findings)))
    n_values = sum(len(u.values) for u in units)
    print(f"\n## Sink writing: {n_reports} reports, {n_values} values rows\n")
    print("| sink | reports/s | s |")
    print("|---|---:|---:|")
    for name in ("w.sqlite", "w.jsonl", "w.csv", "w.parquet"):
        out = tmp / name

        def write(out: Path = out) -> None:
            with open_sink(out, "overwrite") as sink:
                for u in units:
                    sink.write(u)

        wall, _ = timed(write)
        print(f"| {name.split('.')[1]} | {n_reports / wall:,.0f} | {wall:.2f} |")


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def rss_of_workers(pid: int) -> list[int]:
    """RSS (MiB) of the worker processes below ``pid``: the pool's workers are children of its
    forkserver, which is a child of this process; the forkserver and the resource tracker
    themselves (no gxparse work) are left out."""
    out = []
    stack = _children(pid)
    while stack:
        child = stack.pop()
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        kids = _children(child)
        stack += kids
        if kids or b"resource_tracker" in cmdline:  # the forkserver (it has the workers) or the tracker
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                out.append(int(line.split()[1]) // 1024)
    return sorted(out)


def bench_rss(paths: list[Path], total: int, tmp: Path) -> None:
    """Worker RSS sampled as a long run passes 1,000, 5,000, 10,000 and 20,000 files."""
    import itertools

    # distinct bytes for every file: the same renderings with a distinct last line
    big = tmp / "rss"
    files = []
    for i, src in zip(range(total), itertools.cycle(paths)):
        if src.suffix == ".pdf":
            continue
        dst = big / f"{i // 1000:03d}" / f"{i:06d}{src.suffix}"
        if not dst.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(src.read_bytes() + f"\n第{i}号\n".encode())
        files.append(str(dst))
    done = [0]
    # the last mark a little before the end: the workers are gone once the run returns
    marks = {m for m in (1000, 5000, 10000, 15000, 20000) if m < len(files) - 100} | {len(files) - 100}
    samples: dict[int, list[int]] = {}
    stop = threading.Event()
    print(f"\n## Worker RSS over {len(files)} files (-j 2; MiB per worker process)\n")

    def watch() -> None:
        while not stop.is_set():
            n = done[0]
            for m in sorted(marks):
                if n >= m and m not in samples:
                    samples[m] = rss_of_workers(os.getpid())
            time.sleep(0.2)

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    out = tmp / "rss.sqlite"
    if out.exists():
        out.unlink()

    def note(path: str, status: str) -> None:
        done[0] += 1

    gxparse.run_batch(files, out, jobs=2, progress=False, on_file=note)
    stop.set()
    t.join()
    print("| files done | worker RSS MiB |")
    print("|---:|---|")
    for m in sorted(samples):
        print(f"| {m:,} | {', '.join(str(x) for x in samples[m])} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sink-reports", type=int, default=5000)
    ap.add_argument("--rss", type=int, default=0, metavar="N", help="also sample worker RSS over N files")
    ap.add_argument("--corpus", type=Path, help="where to keep the generated corpus (reused when present)")
    ap.add_argument("--skip-runs", action="store_true")
    args = ap.parse_args()
    print(f"# gxparse {gxparse.__version__}, Python {platform.python_version()}, {platform.machine()}, "
          f"{len(os.sched_getaffinity(0))} CPUs, {platform.platform()}")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        paths = build(args.corpus or tmp / "corpus", args.files)
        if not args.skip_runs:
            bench_runs(paths, args.rounds, tmp)
        if args.sink_reports:
            bench_sinks(paths, args.sink_reports, tmp)
        if args.rss:
            bench_rss(paths, args.rss, tmp)


if __name__ == "__main__":
    sys.exit(main())
