"""What every benchmark here shares: contenders interleaved, CPU and wall time, medians and spread.

A benchmark names its contenders (callables on one document) and calls :func:`measure`: after a
warm-up call of each, it runs one call of every contender per round, ``repeat`` rounds, the
order of the contenders turned by one each round (so that a drift of the machine's load falls
on all of them alike), and records each call's CPU time (``time.process_time``: this process,
all threads) and wall time (``time.perf_counter``). :class:`Timing` gives the median and the
spread (the interquartile range, and the minimum) of both.

On a shared machine the wall time grows with the load and the CPU time much less: compare
contenders by their CPU medians, measured in one run, and read the wall medians beside them.
:func:`header` prints the machine, the versions and the load average, which
:func:`footer` prints again at the end.

Not a test: nothing is asserted.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GXPARSE_SHARED", ROOT.parent / "shared"))


@dataclass
class Timing:
    """The CPU and wall times of one contender on one document, in milliseconds per call."""

    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)

    @property
    def cpu_ms(self) -> float:
        """Median CPU time."""
        return statistics.median(self.cpu)

    @property
    def wall_ms(self) -> float:
        """Median wall time."""
        return statistics.median(self.wall)

    def spread(self, which: str = "cpu") -> tuple[float, float]:
        """The interquartile range ``(q1, q3)`` of the CPU (or ``"wall"``) times."""
        values = sorted(self.cpu if which == "cpu" else self.wall)
        if len(values) < 4:
            return values[0], values[-1]
        q = statistics.quantiles(values, n=4, method="inclusive")
        return q[0], q[2]

    def cell(self) -> str:
        """``CPU median [q1–q3] / wall median`` for a table cell."""
        q1, q3 = self.spread()
        return f"{self.cpu_ms:.2f} [{q1:.2f}–{q3:.2f}] / {self.wall_ms:.2f}"


def measure(contenders: dict[str, Callable[[], object]], repeat: int, warmup: int = 1) -> dict[str, Timing]:
    """Run every contender ``repeat`` times, interleaved (see the module docstring)."""
    names = list(contenders)
    for _ in range(warmup):
        for name in names:
            contenders[name]()
    out = {name: Timing() for name in names}
    clock, cpu = time.perf_counter, time.process_time
    for r in range(repeat):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            fn = contenders[name]
            w0, c0 = clock(), cpu()
            fn()
            c1, w1 = cpu(), clock()
            out[name].cpu.append((c1 - c0) * 1000)
            out[name].wall.append((w1 - w0) * 1000)
    return out


def load() -> str:
    """The load average over 1, 5 and 15 minutes, and the number of CPUs."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:  # pragma: no cover - not on this platform
        return "load average unknown"
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions(packages: Iterable[str]) -> str:
    """``name version`` of each installed package, ``name absent`` otherwise."""
    out = []
    for name in packages:
        try:
            out.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name} absent")
    return ", ".join(out)


def header(what: str, packages: Iterable[str], repeat: int) -> None:
    """Print what is measured, on which machine, with which versions, under which load."""
    print(f"# {what}")
    print(f"# {_cpu_model()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}; {versions(['gxparse', *packages])}")
    print(f"# {time.strftime('%Y-%m-%d %H:%M')}, {load()} at the start; {repeat} interleaved rounds after a warm-up; "
          "ms per document: CPU median [interquartile range] / wall median")


def footer() -> None:
    print(f"# {load()} at the end")


def table(head: list[str], rows: list[list[str]], markdown: bool) -> None:
    """Print rows as a Markdown table or as aligned columns."""
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---:" if i else "---" for i in range(len(head))) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    for row in [head, *rows]:
        print("  ".join(str(x).rjust(w) if i else str(x).ljust(w) for i, (x, w) in enumerate(zip(row, widths))))
    sys.stdout.flush()
