"""Compilations: one document holding several reports (a 汇编) is split into its reports,
never read as one record."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

import gxparse
from _corpus_fixture import sample_report
from gxparse import MultipleReportsError

from conftest import SAMPLES, need_shared
from kit.render import render

FLAVOURS = ("text-cells", "text-layout", "text-tab-rows", "pipe-rows", "markdown", "html")


def _joined(flavour: str, n: int, sep: bytes = b"\n") -> tuple[bytes, list]:
    reports = [sample_report(i, "2021" if i % 2 == 0 else "2019") for i in range(n)]
    parts = [render(r, flavour).data for r in reports]
    if flavour == "html":  # one page with the reports one after another
        bodies = [p.split(b"<body>", 1)[1].rsplit(b"</body>", 1)[0] for p in parts]
        return (parts[0].split(b"<body>", 1)[0] + b"<body>" + b"<hr>".join(bodies) + b"</body></html>"), reports
    return sep.join(parts), reports


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_compilation_is_split_into_its_reports(flavour):
    data, reports = _joined(flavour, 3)
    with pytest.raises(MultipleReportsError, match="3 reports") as info:
        gxparse.parse(data)
    assert info.value.count == 3 and "parse_all" in str(info.value)
    got = gxparse.parse_all(data)
    assert [(r.meta.agency, r.meta.year, r.template) for r in got] == \
        [(r.agency, r.year, r.template) for r in reports]
    for g, want in zip(got, reports):
        alone = gxparse.parse(render(want, flavour).data)
        assert g.applications == alone.applications and g.active_disclosure == alone.active_disclosure
        assert g.reviews_and_litigation == alone.reviews_and_litigation
        assert [f.code for f in g.errors] == [f.code for f in alone.errors] == []
        assert g.source.part and g.source.part.startswith("line")
    assert len({r.source.part for r in got}) == 3


def test_a_single_report_is_not_split_and_has_no_part():
    data = render(sample_report(0), "text-cells").data
    [r] = gxparse.parse_all(data)
    assert r.source.part is None and "part" not in r.to_dict()["source"]
    assert gxparse.parse(data) == r


def test_a_repeated_table_without_a_title_between_is_one_report():
    """Two copies of the tables with no report title between them are a 续表 or a copy,
    not a compilation: the document is read as one report."""
    text = render(sample_report(0), "text-tab-rows").data.decode("utf-8")
    start = text.index("三、")
    doubled = text + "\n" + text[start:]
    assert len(gxparse.parse_all(doubled)) == 1


def test_a_cover_page_title_is_not_a_report():
    data, reports = _joined("text-tab-rows", 2)
    cover = "2023年政府信息公开工作年度报告汇编\n\n目录\n\n".encode()
    got = gxparse.parse_all(cover + data)
    assert [r.meta.agency for r in got] == [r.agency for r in reports]


def test_batch_writes_one_row_per_report_of_a_compilation(tmp_path):
    data, reports = _joined("markdown", 3)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "all.md").write_bytes(data)
    s = gxparse.run_batch([str(tmp_path / "in")], tmp_path / "c.jsonl", jobs=0, progress=False)
    assert (s.parsed, s.reports) == (1, 3)
    corpus = gxparse.read_corpus(tmp_path / "c.jsonl")
    assert list(corpus.reports["id"].str[-2:]) == ["-1", "-2", "-3"]
    assert corpus.reports["pages_or_lines"].notna().all()
    assert list(corpus.reports["agency"]) == [r.agency for r in reports]


def test_check_and_parse_print_every_report_of_a_compilation(tmp_path):
    data, reports = _joined("text-cells", 2)
    path = tmp_path / "two.txt"
    path.write_bytes(data)
    out = subprocess.run([sys.executable, "-m", "gxparse", "parse", str(path)], capture_output=True, text=True)
    assert out.returncode == 0
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["meta"]["agency"] for r in records] == [r.agency for r in reports]
    assert all(r["source"]["part"] for r in records)
    out = subprocess.run([sys.executable, "-m", "gxparse", "check", str(path)], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.count(f"{path} (line") == 2


def test_the_six_sample_pdfs_joined(tmp_path):
    """A PDF of the six sample reports joined gave one 2019-form record; now six reports."""
    need_shared(SAMPLES / "s00.pdf")
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    for i in range(6):
        writer.append(str(SAMPLES / f"s0{i}.pdf"))
    buf = io.BytesIO()
    writer.write(buf)
    got = gxparse.parse_all(buf.getvalue())
    assert len(got) == 6
    for i, r in enumerate(got):
        alone = gxparse.parse(SAMPLES / f"s0{i}.pdf")
        assert (r.meta.agency, r.template, r.applications) == (alone.meta.agency, alone.template, alone.applications)
        assert r.source.part.startswith("page")
