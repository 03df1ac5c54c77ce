"""gxparse bench: truths found as score.py finds them, cells right / wrong / null,
documents exact, findings, throughput; the examples' expected files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import gxparse
from gxparse._bench import DocResult, Truth, TruthError, compare, find_truth, load_truth, run_bench

from conftest import SAMPLES, SHARED, need_shared

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _gx(*args, **kw):
    return subprocess.run([sys.executable, "-m", "gxparse", *args], capture_output=True, text=True, **kw)


def test_bench_on_the_examples():
    r = _gx("bench", str(EXAMPLES), "--expected", str(EXAMPLES / "expected"), "-j", "1")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "cells: 600 right, 0 wrong, 0 null of 600 (100.00 % right)" in r.stdout
    assert "documents exact: 3/3" in r.stdout
    assert "findings: 2 expected, 2 raised, 0 missed, 0 unexpected" in r.stdout
    assert re.search(r"throughput: 3 documents in [0-9.]+ s = [0-9.]+ documents/s \(1 worker process\)", r.stdout)
    assert re.search(r"^markdown\s+1\s+[0-9.]+\s+[0-9.]+$", r.stdout, re.M)  # CPU ms by format
    assert re.search(r"^text\s+2\s", r.stdout, re.M)


def test_the_examples_expected_files_are_the_examples_numbers():
    # checked by hand against the files; here: every file's nonzero numbers as printed in it
    chengguan = load_truth(EXAMPLES / "expected" / "nangang-chengguan-2021.expected.json")
    nonzero = {p: v for p, v in chengguan.numbers.items() if v != 0}
    assert nonzero == {
        "active_disclosure/normative_documents/repealed": 2, "active_disclosure/normative_documents/in_force": 1,
        "active_disclosure/licensing/decisions": 2483, "active_disclosure/fees/amount_10k_yuan": Decimal("1944.0495"),
        **{f"applications/{row}/{col}": n for row, n in (("received_new", 3), ("results.disclosed", 1),
                                                         ("results.unavailable.not_held", 1),
                                                         ("results.not_processed.petition_complaint", 1),
                                                         ("results.total", 3))
           for col in ("natural_person", "total")}}
    text = (EXAMPLES / "nangang-chengguan-2021.txt").read_text(encoding="utf-8")
    for line in ("规范性文件\t0\t2\t1", "行政许可\t2483", "行政事业性收费\t1944.0495", "(七) 总计\t3\t0\t0\t0\t0\t0\t3"):
        assert line in text
    investment = load_truth(EXAMPLES / "expected" / "nangang-investment-2021.expected.json")
    assert set(investment.numbers.values()) == {0} and len(investment.numbers) == 200
    assert "未接到群众要求公开政府信息的申请" in (EXAMPLES / "nangang-investment-2021.md").read_text(encoding="utf-8")
    s02 = load_truth(EXAMPLES / "expected" / "s02-with-errors.expected.json")
    assert s02.expect_findings == {"results-total", "row-total"} and s02.agency == "大庆市让胡路区人力资源和社会保障委员会"


def test_truths_are_found_as_score_py_finds_them(tmp_path):
    for name in ("r1.expected.json", "r1.pdf.expected.json", "r2.json", "r3.expected.json", "r3.json"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert find_truth("x/r1.html", tmp_path).name == "r1.expected.json"
    assert find_truth("x/r1_layout.txt", tmp_path).name == "r1.expected.json"  # _layout dropped
    assert find_truth("x/r1.pdf", tmp_path).name == "r1.pdf.expected.json"  # one flavour's own answer
    assert find_truth("x/r2.txt", tmp_path).name == "r2.json"  # a saved record
    assert find_truth("x/r3.txt", tmp_path).name == "r3.expected.json"
    assert find_truth("x/r4.txt", tmp_path) is None


def _truth(tmp_path: Path, numbers: dict, findings=()) -> Path:
    path = tmp_path / "t.expected.json"
    path.write_text(json.dumps({"template": "2021", "meta": {"agency": "南岗区城管局", "year": 2021},
                                "numbers": numbers, "expect_findings": list(findings)}), encoding="utf-8")
    return path


def test_right_wrong_and_null_are_counted_apart(tmp_path):
    truth = load_truth(_truth(tmp_path, {"applications": {"received_new": {
        "natural_person": 3, "total": 4, "other_org": None, "legal_service_org": "0|null",
        "commercial_enterprise": 5, "research_institution": 1}}}, findings=["balance"]))
    record = {"template": "2021", "meta": {"agency": "南岗区城管局", "year": 2021},
              "applications": {"received_new": {"natural_person": 3, "total": 3, "other_org": 0,
                                                "legal_service_org": None, "commercial_enterprise": None,
                                                "research_institution": 1.0}},
              "findings": [{"code": "row-total", "severity": "error"}]}
    r = compare(record, truth, DocResult("d", "t", "text"))
    assert (r.right, r.wrong, r.null) == (3, 2, 1)  # a number where the truth has none is wrong
    assert sorted(c[0] for c in r.wrong_cells if c[2] is not None) == [
        "applications/received_new/other_org", "applications/received_new/total"]
    assert r.meta_ok and not r.findings_ok and not r.exact  # balance missed, row-total unexpected
    record["meta"]["year"] = 2020
    assert not compare(record, truth, DocResult("d", "t", "text")).meta_ok


def test_a_saved_record_is_a_truth_and_a_wrong_number_shows(tmp_path):
    doc = EXAMPLES / "nangang-chengguan-2021.txt"
    (tmp_path / "docs").mkdir()
    shutil.copy(doc, tmp_path / "docs" / doc.name)
    truths = tmp_path / "truth"
    truths.mkdir()
    record = json.loads(gxparse.parse(doc).to_json())
    record["applications"]["received_new"]["natural_person"] = 4
    (truths / "nangang-chengguan-2021.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    result = run_bench([str(tmp_path / "docs" / doc.name)], truths, jobs=0)
    [d] = result.docs
    assert (d.right, d.wrong, d.null, d.exact) == (199, 1, 0, False)
    assert d.wrong_cells == [("applications/received_new/natural_person", 4, 3)]
    lines = "\n".join(result.lines())
    assert "applications/received_new/natural_person 4 → 3" in lines
    md = result.lines(markdown=True)
    assert md[0].startswith("| document | format | right | wrong | null |") and md[1].startswith("|---|---|---:")


def test_a_document_that_gives_no_report_is_all_null(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "nangang-chengguan-2021.txt").write_bytes(b"")
    r = _gx("bench", str(tmp_path / "d"), "--expected", str(EXAMPLES / "expected"), "-j", "0")
    assert r.returncode == 1, r.stderr
    assert "0 right, 0 wrong, 200 null of 200" in r.stdout and "EmptySourceError" in r.stdout


def test_bench_errors_are_clear(tmp_path):
    r = _gx("bench", str(EXAMPLES), "--expected", str(tmp_path / "none"))
    assert r.returncode == 2 and "no such folder" in r.stderr
    r = _gx("bench", str(EXAMPLES), "--expected", str(tmp_path))
    assert r.returncode == 2 and "none of the 3 documents has a truth" in r.stderr
    (tmp_path / "s02-with-errors.expected.json").write_text("[1, 2", encoding="utf-8")
    r = _gx("bench", str(EXAMPLES / "s02-with-errors.txt"), "--expected", str(tmp_path))
    assert r.returncode == 2 and "s02-with-errors.expected.json" in r.stderr and "Traceback" not in r.stderr
    r = _gx("bench", str(tmp_path / "absent.pdf"), "--expected", str(tmp_path))
    assert r.returncode == 2 and "no such file or folder" in r.stderr and "absent.pdf" in r.stderr
    r = _gx("bench", str(EXAMPLES), "--expected", str(tmp_path), "--ship-bytes")
    assert r.returncode == 2 and "unrecognized arguments: --ship-bytes" in r.stderr
    with pytest.raises(TruthError, match="nor a saved record"):
        (tmp_path / "x.json").write_text('{"a": 1}', encoding="utf-8")
        load_truth(tmp_path / "x.json")


def test_bench_agrees_with_score_py_on_the_shared_samples():
    samples, score = SAMPLES, SHARED / "tools" / "score.py"
    need_shared(samples, score)
    docs = sorted(str(p) for p in samples.iterdir() if p.suffix in (".txt", ".html"))
    result = run_bench(docs, samples, jobs=1)
    t = result.totals()
    gx = Path(sys.executable).with_name("gxparse")
    r = subprocess.run([sys.executable, str(score), str(gx), str(samples), *docs], capture_output=True, text=True,
                       timeout=600)
    total = r.stdout.strip().splitlines()[-1]
    m = re.match(r"TOTAL (\d+)/(\d+) = [0-9.]+% docs_exact=(\d+)/(\d+) findings_ok=(\d+)/(\d+)", total)
    assert m, r.stdout + r.stderr
    assert (t["right"], t["cells"], t["exact"], t["documents"], t["findings_ok"]) == \
        tuple(int(x) for x in m.groups()[:5])


def test_json_files_are_not_taken_from_folders(tmp_path):
    from gxparse._inputs import iter_inputs

    assert list(iter_inputs([str(EXAMPLES / "expected")])) == []  # `gxparse check examples/*` reads 3 files
    assert sorted(Path(p).name for p in iter_inputs([str(EXAMPLES)])) == [
        "nangang-chengguan-2021.txt", "nangang-investment-2021.md", "s02-with-errors.txt"]
    record = tmp_path / "r.json"
    record.write_text(gxparse.parse(EXAMPLES / "s02-with-errors.txt").to_json(), encoding="utf-8")
    assert list(iter_inputs([str(tmp_path)])) == []
    assert list(iter_inputs([str(record)])) == [str(record)]  # named on the command line: taken as given


_CELLS = st.dictionaries(st.sampled_from(["natural_person", "commercial_enterprise", "other_org", "total"]),
                         st.one_of(st.integers(0, 10_000), st.none(), st.just("0|null"),
                                   st.decimals(min_value=0, max_value=10_000, places=4, allow_nan=False)),
                         min_size=1)


@given(st.dictionaries(st.sampled_from(["received_new", "carried_over", "results.total"]), _CELLS, min_size=1),
       st.data())
def test_a_record_equal_to_its_truth_is_exact_and_one_changed_number_is_one_wrong_cell(rows, data):
    truth = Truth("t", "2021", "南岗区城管局", 2021, {f"applications/{r}/{c}": v for r, cols in rows.items()
                                                   for c, v in cols.items()}, frozenset())

    def as_record(value):
        return 0 if value == "0|null" else value

    record = {"template": "2021", "meta": {"agency": "南岗区城管局", "year": 2021},
              "applications": {r: {c: as_record(v) for c, v in cols.items()} for r, cols in rows.items()}}
    r = compare(record, truth, DocResult("d", "t", "text"))
    assert (r.right, r.wrong, r.null, r.exact) == (len(truth.numbers), 0, 0, True)
    path = data.draw(st.sampled_from(sorted(truth.numbers)))
    _, row, col = path.split("/")
    old = record["applications"][row][col]
    record["applications"][row][col] = (old + 1) if old is not None else 7
    r = compare(record, truth, DocResult("d", "t", "text"))
    assert (r.right, r.wrong, r.null) == (len(truth.numbers) - 1, 1, 0)
    record["applications"][row][col] = None
    r = compare(record, truth, DocResult("d", "t", "text"))
    expected_null = truth.numbers[path] is None or truth.numbers[path] == "0|null"
    assert (r.wrong, r.null) == ((0, 0) if expected_null else (0, 1))
