"""A seed with one number altered yields the finding that names it."""

from __future__ import annotations

import gxparse


def altered(seeds_dir, old: str, new: str) -> gxparse.Report:
    path = next(seeds_dir.glob("002_*.txt"))
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return gxparse.parse(text.replace(old, new), format="text")


def errors(report):
    return sorted((f.code, f.where) for f in report.errors)


def test_unaltered_seed_is_clean(seeds_dir):
    path = next(seeds_dir.glob("002_*.txt"))
    assert gxparse.parse(path).errors == ()


def test_altered_leaf(seeds_dir):
    # 予以公开, 自然人: 1 -> 2
    r = altered(seeds_dir, "(一) 予以公开\t1\t", "(一) 予以公开\t2\t")
    assert errors(r) == [("results-total", "applications/results.total/natural_person"),
                         ("row-total", "applications/results.disclosed/total")]
    f = next(f for f in r.errors if f.code == "row-total")
    assert (f.evidence["left"], f.evidence["right"]) == (1, 2)
    assert "予以公开" in f.message


def test_altered_received(seeds_dir):
    # 本年新收 总计: 3 -> 4
    r = altered(seeds_dir, "申请数量\t\t3\t0\t0\t0\t0\t0\t3\t", "申请数量\t\t3\t0\t0\t0\t0\t0\t4\t")
    assert errors(r) == [("balance", "applications/*/total"), ("row-total", "applications/received_new/total")]
    bal = next(f for f in r.errors if f.code == "balance")
    assert (bal.evidence["left"], bal.evidence["right"], bal.evidence["difference"]) == (4, 3, 1)


def test_altered_review(seeds_dir):
    path = next(seeds_dir.glob("002_*.txt"))
    text = path.read_text(encoding="utf-8")
    line = "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0"
    assert text.count(line) == 1
    r = gxparse.parse(text.replace(line, "0\t1\t0\t0\t0" + line[9:]), format="text")
    assert errors(r) == [("review-total", "reviews_and_litigation/administrative_review/total")]
