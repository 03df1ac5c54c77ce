"""Corpus runs on a Dask cluster against the local pool: `batch -j 2` vs `batch --scheduler`.

Run:  python benchmarks/bench_dask.py [--files 2000] [--rounds 3] [--sweep 1,2,3,4]

The corpus is bench_batch.py's (mixed formats, both templates, one PDF in 20),
generated once. One LocalCluster on loopback (2 worker processes, one thread
each, no dashboard) is started before the timings, as a user's cluster would
be running already; the contenders then run in turns, the order rotated each
round, and the median of the rounds is printed:

- ``local -j 2``: ``run_batch(..., jobs=2)``, the pebble pool;
- ``dask``: ``run_batch(..., scheduler=ADDRESS)``, the workers reading the paths;
- ``dask --ship-bytes``: the same, the bytes sent from this process.

The machine is shared (other test runs come and go), so wall times move by
2x from one minute to the next: each round's Dask runs are divided by the
local run of the same round, and the median of those ratios is the figure.
CPU is measured for the whole process tree (this process, which holds the
LocalCluster's scheduler, the client, the hashing and the sink, and every
worker, from /proc), which load moves far less than wall time; for the Dask
runs the workers' share is measured apart (``time.process_time`` on each,
through ``Client.run``). ``--sweep`` then starts a cluster of each size in turn and
measures the CPU this process spends per file: the part of the cost that grows
with the number of workers (every file goes through the one scheduler and the
one sink), from which the model printed at the end extrapolates where more
workers stop paying. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gxparse
from bench_batch import build


def _stat(pid: int) -> tuple[int, float]:
    """(parent pid, CPU s of the process and of its children it has waited for)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[1]), sum(int(x) for x in fields[11:15]) / ticks


def tree_cpu() -> float:
    """CPU s of this process and every process under it (a process that ended counts in its parent's)."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)], cpu[int(entry)] = _stat(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    mine, total, todo = {os.getpid()}, 0.0, [os.getpid()]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0.0)
        kids = [c for c, p in parents.items() if p == pid and c not in mine]
        mine.update(kids)
        todo += kids
    return total


def own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def worker_cpu(client) -> float:
    return sum(client.run(time.process_time).values())


def run(paths: list[str], out: Path, **kw) -> tuple[float, float, float, float]:
    """(wall s, CPU s of this process, CPU s of the Dask workers or nan, CPU s of the process tree)."""
    if out.exists():
        out.unlink()
    client = kw.pop("client", None)
    w0 = worker_cpu(client) if client is not None else 0.0
    t0, c0, tree0 = time.perf_counter(), own_cpu(), tree_cpu()
    s = gxparse.run_batch(paths, out, progress=False, **kw)
    wall, cpu, tree = time.perf_counter() - t0, own_cpu() - c0, tree_cpu() - tree0
    workers = worker_cpu(client) - w0 if client is not None else float("nan")
    assert s.parsed == len(paths) and not s.n_failures, s.line()
    return wall, cpu, workers, tree


def cluster(n: int):
    import distributed

    return distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                                    host="127.0.0.1", silence_logs=40)


def compare(paths: list[str], tmp: Path, rounds: int) -> None:
    import distributed

    t0 = time.perf_counter()
    with cluster(2) as cl, distributed.Client(cl, set_as_default=False) as client:
        print(f"# LocalCluster of 2 workers up in {time.perf_counter() - t0:.1f} s (not counted below)")
        # warm every contender once (imports, the forkserver, the workers' first file)
        run(paths[:50], tmp / "warm.sqlite", jobs=2)
        run(paths[:50], tmp / "warm.sqlite", scheduler=cl.scheduler_address)
        contenders = [("local -j 2", {"jobs": 2}),
                      ("dask", {"scheduler": cl.scheduler_address, "client": client}),
                      ("dask --ship-bytes", {"scheduler": cl.scheduler_address, "ship_bytes": True,
                                             "client": client})]
        results: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name, _ in contenders}
        for r in range(rounds):
            order = contenders[r % len(contenders):] + contenders[:r % len(contenders)]
            for name, kw in order:
                results[name].append(run(paths, tmp / "out.sqlite", **dict(kw)))
                wall = results[name][-1][0]
                print(f"  round {r + 1}: {name:<18} {wall:6.2f} s  {len(paths) / wall:6.1f} files/s  "
                      f"load {os.getloadavg()[0]:.1f}", flush=True)
        local = results["local -j 2"]
        print("\n| contender | files/s (median) | throughput vs local -j 2: median of rounds (range) | "
              "CPU ms/file, all processes | of which here | of which in workers |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, rows in results.items():
            wall = statistics.median(x[0] for x in rows)
            ratios = [lo[0] / x[0] for x, lo in zip(rows, local)]
            tree = statistics.median(x[3] for x in rows) * 1000 / len(paths)
            here = statistics.median(x[1] for x in rows) * 1000 / len(paths)
            work = statistics.median(x[2] for x in rows) * 1000 / len(paths)
            work_s = "" if work != work else f"{work:.1f}"
            print(f"| {name} | {len(paths) / wall:.1f} | {statistics.median(ratios):.2f}x "
                  f"({min(ratios):.2f}–{max(ratios):.2f}) | {tree:.1f} | {here:.2f} | {work_s} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--sweep", default="1,2,3,4", help="cluster sizes for the scheduler-cost sweep ('' for none)")
    ap.add_argument("--sweep-files", type=int, default=600)
    args = ap.parse_args()
    import dask
    import distributed

    tmp = Path(tempfile.mkdtemp(prefix="gx-bench-dask-"))
    root = args.corpus or tmp / "corpus"
    paths = [str(p) for p in build(root, args.files)]
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"gxparse {gxparse.__version__}, dask {dask.__version__}, distributed {distributed.__version__}; "
          f"{len(paths)} files; load average before: {os.getloadavg()[0]:.2f}")
    if args.rounds:
        compare(paths, tmp, args.rounds)
    sizes = [int(x) for x in args.sweep.split(",") if x.strip()]
    if not sizes:
        return
    few = paths[:args.sweep_files]
    print(f"\n# sweep: {len(few)} files on clusters of 1..{max(sizes)} workers (this machine has {os.cpu_count()} "
          "cores: beyond that the workers share them, so only the central cost per file is meaningful)")
    print("| workers | wall s | files/s | CPU ms/file in this process (scheduler, client, sink) | "
          "CPU ms/file in workers |")
    print("|---:|---:|---:|---:|---:|")
    central: list[float] = []
    in_workers: list[float] = []
    for n in sizes:
        with cluster(n) as cl, distributed.Client(cl, set_as_default=False) as client:
            run(few[:20], tmp / "warm.sqlite", scheduler=cl.scheduler_address)
            wall, cpu, work, _ = run(few, tmp / "sweep.sqlite", scheduler=cl.scheduler_address, client=client)
        central.append(cpu / len(few))
        in_workers.append(work / len(few))
        print(f"| {n} | {wall:.2f} | {len(few) / wall:.1f} | {cpu * 1000 / len(few):.2f} | "
              f"{work * 1000 / len(few):.1f} |", flush=True)
    c = statistics.median(central)
    per_worker = statistics.median(in_workers)
    print(f"\n# model: each file costs {per_worker * 1000:.1f} ms in a worker and {c * 1000:.2f} ms in the central "
          f"process; W workers (one core each) finish W/{per_worker:.4f} files/s until the central process is busy "
          f"all the time: at W = {per_worker / c:.0f} workers, {1 / c:.0f} files/s")
    for w in (2, 8, 32, 128):
        rate = min(w / per_worker, 1 / c)
        print(f"#   W = {w:>3}: {rate:7.0f} files/s, {rate * per_worker / w:.0%} of the workers' time used")


if __name__ == "__main__":
    main()
