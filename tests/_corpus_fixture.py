"""A corpus built in the test from the project's own renderers: every format, nested
folders, bad files and a duplicate, with the numbers each report must give."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from gxparse.testing import GeneratedReport, zero_report

from kit.render import render

_SORT_KEYS = ("report_id", "id", "table", "row", "column", "code", "where", "path")

#: (flavour, template) of each rendered report of the corpus.
FLAVOURS = (("text-cells", "2021"), ("text-layout", "2019"), ("text-tab-rows", "2021"), ("pipe-rows", "2019"),
            ("markdown", "2021"), ("html", "2021"), ("html", "2019"), ("pdf", "2021"))


def sample_report(i: int, template: str = "2021") -> GeneratedReport:
    """A valid report whose numbers differ with ``i`` (every invariant holds)."""
    year = 2021 + i % 4 if template == "2021" else 2019 + i % 2
    r = zero_report(template, agency=f"第{i + 1}测试区人力资源和社会保障局", year=year)
    n = 3 + i
    for row in ("received_new", "results.disclosed", "results.total"):
        r = r.with_value(f"applications/{row}/natural_person", n)
        r = r.with_value(f"applications/{row}/total", n)
    first = "issued" if template == "2021" else "made"
    r = r.with_value(f"active_disclosure/regulations/{first}", i)
    r = r.with_value("reviews_and_litigation/administrative_review/upheld", 1)
    r = r.with_value("reviews_and_litigation/administrative_review/total", 1)
    if template == "2021":
        r = r.with_value("active_disclosure/fees/amount_10k_yuan", Decimal("1944.0495") + i)
    return r


#: Files that give no report, and the stage at which each fails.
BAD_FILES = {
    "empty.txt": (b"", "read"),
    "garbage.pdf": (b"%PDF-1.7\n" + bytes(range(256)) * 20, "extract"),
    "notes.md": ("# 会议纪要\n\n本次会议讨论了工作安排。\n".encode(), "map"),
    "binary.txt": (bytes(range(256)) * 40, "detect"),
}


def build_corpus(root: Path) -> dict[str, GeneratedReport]:
    """Write the corpus under ``root``; return the report each good file holds, by path."""
    expected: dict[str, GeneratedReport] = {}
    for i, (flavour, template) in enumerate(FLAVOURS):
        report = sample_report(i, template)
        out = render(report, flavour)
        folder = root / ("a" if i % 2 else "b") / f"level{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"report{i}.{out.name.rsplit('.', 1)[1]}"
        path.write_bytes(out.data)
        expected[str(path)] = report
    bad = root / "bad"
    bad.mkdir()
    for name, (data, _) in BAD_FILES.items():
        (bad / name).write_bytes(data)
    first = sorted(expected)[0]
    dup = root / "zz-copy" / Path(first).name
    dup.parent.mkdir()
    dup.write_bytes(Path(first).read_bytes())
    (root / ".hidden").mkdir()
    (root / ".hidden" / "ignored.txt").write_bytes(Path(first).read_bytes())
    return expected


def sorted_frame(df):
    """A corpus frame in a stable order (rows are written as files finish)."""
    keys = [c for c in _SORT_KEYS if c in df.columns]
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def same_frames(a, b) -> None:
    """Assert that two corpora (``gxparse.read_corpus``) hold the same rows in every table."""
    import pandas as pd

    from gxparse._corpus import CORPUS_TABLES

    for name in CORPUS_TABLES:
        pd.testing.assert_frame_equal(sorted_frame(a[name]), sorted_frame(b[name]))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """``(root, {path: GeneratedReport})``: :func:`build_corpus` in a temporary folder, once per module
    (a test module takes it with ``from _corpus_fixture import corpus``)."""
    root = tmp_path_factory.mktemp("corpus")
    return root, build_corpus(root)


def gx(*args: str, **kw):
    """Run the ``gxparse`` command line in a subprocess (stdout and stderr captured as text)."""
    return subprocess.run([sys.executable, "-m", "gxparse", *args], capture_output=True, text=True, **kw)
