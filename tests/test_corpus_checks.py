"""Checks across a corpus: carry-over-mismatch between consecutive years, duplicate-report,
the agency-name rule, and the corpus findings in every sink (replaced, never doubled)."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import gxparse
from _years_fixture import LONGSHA, build_years, years_report
from gxparse._checks import agency_key, check_rows
from gxparse._sinks import read_rows

from kit.render import render

SINKS = ("c.sqlite", "c.jsonl", "c.csv", "c.parquet")


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    root = tmp_path_factory.mktemp("years")
    build_years(root)
    return root


def _ids(out: Path) -> dict[str, str]:
    return {Path(r["path"]).name: r["id"] for r in read_rows(out, ["reports"])["reports"]}


def _corpus_findings(out: Path) -> list[dict]:
    return sorted((f for f in read_rows(out, ["findings"])["findings"] if f["report_id"] is None),
                  key=lambda f: (f["code"], f["where"]))


@pytest.fixture(scope="module")
def checked(years, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    pytest.importorskip("pyarrow")
    summaries = {name: gxparse.run_batch([str(years)], out / name, jobs=0, progress=False, corpus_checks=True)
                 for name in SINKS}
    return out, summaries


def test_carry_over_and_duplicates_are_found_and_nothing_else(checked):
    out, summaries = checked
    db = out / "c.sqlite"
    ids = _ids(db)
    found = _corpus_findings(db)
    assert [(f["code"], f["where"]) for f in found] == [
        ("carry-over-mismatch", f"{ids['ls2022-copy.md']},{ids['ls2023.txt']}:applications/carried_over/natural_person"),
        ("carry-over-mismatch", f"{ids['ls2022-copy.md']},{ids['ls2023.txt']}:applications/carried_over/total"),
        ("duplicate-report", f"{ids['mz2021-other.md']},{ids['mz2021.md']}:*"),
    ]
    assert summaries["c.sqlite"].corpus_findings == 3 and "3 corpus findings" in summaries["c.sqlite"].line()
    carry = found[0]
    assert carry["severity"] == "warning"
    assert "上年结转" in carry["message"] and "结转下年度" in carry["message"] and "自然人" in carry["message"]
    assert "为 5" in carry["message"] and "为 6" in carry["message"] and "ls2023.txt" in carry["message"]
    ev = json.loads(carry["evidence"])
    assert (ev["carried_forward"], ev["carried_over"], ev["column"]) == (6, 5, "natural_person")
    assert [(Path(s["path"]).name, s["year"]) for s in ev["reports"]] == [("ls2022-copy.md", 2022), ("ls2023.txt", 2023)]
    dup = json.loads(found[2]["evidence"])
    assert dup["differences"]["applications/carried_forward/natural_person"] == [3, 2]
    assert dup["n_differences"] == len(dup["differences"]) >= 4


def test_every_sink_holds_the_same_corpus_findings(checked):
    out, _ = checked
    want = [(f["code"], f["message"], json.loads(f["evidence"])) for f in _corpus_findings(out / "c.sqlite")]
    for name in SINKS[1:]:
        got = [(f["code"], f["message"], json.loads(f["evidence"])) for f in _corpus_findings(out / name)]
        assert got == want, name
        frames = gxparse.read_corpus(out / name)
        assert frames.findings["report_id"].isna().sum() == 3


@pytest.mark.parametrize("name", SINKS)
def test_checking_again_replaces_the_corpus_findings(checked, years, tmp_path, name):
    out, _ = checked
    import shutil

    copy = tmp_path / name
    (shutil.copytree if (out / name).is_dir() else shutil.copy)(out / name, copy)
    before = read_rows(copy)
    assert len(gxparse.corpus_check(copy)) == 3
    after = read_rows(copy)
    assert _corpus_findings(copy) == _corpus_findings(out / name)
    for table in ("reports", "values", "failures"):
        assert len(after[table]) == len(before[table])
    assert len(after["findings"]) == len(before["findings"])
    # a resumed run adds a second 2023 report with other numbers: the check after it finds the
    # duplicate and drops the carry-over check of 2023 (uncertain now); nothing is doubled
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "ls2023-b.md").write_bytes(render(years_report(LONGSHA, 2023, 6, 1), "markdown").data)
    gxparse.run_batch([str(extra)], copy, jobs=0, resume=True, progress=False, corpus_checks=True)
    codes = sorted(f["code"] for f in _corpus_findings(copy))
    assert codes == ["duplicate-report", "duplicate-report"]  # 2023 is now uncertain: no carry-over check
    gxparse.corpus_check(copy)
    assert sorted(f["code"] for f in _corpus_findings(copy)) == codes


def test_cli_corpus_check(checked, tmp_path):
    out, _ = checked
    import shutil

    shutil.copy(out / "c.sqlite", tmp_path / "c.sqlite")
    r = subprocess.run([sys.executable, "-m", "gxparse", "corpus-check", str(tmp_path / "c.sqlite")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("carry-over-mismatch") == 3 and "1 duplicate-report" in r.stdout
    r = subprocess.run([sys.executable, "-m", "gxparse", "corpus-check", "--json", str(tmp_path / "c.sqlite")],
                       capture_output=True, text=True)
    assert [json.loads(x)["code"] for x in r.stdout.splitlines()] == ["duplicate-report", "carry-over-mismatch",
                                                                      "carry-over-mismatch"]
    r = subprocess.run([sys.executable, "-m", "gxparse", "corpus-check", str(tmp_path / "none.sqlite")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "none.sqlite" in r.stderr and "Traceback" not in r.stderr


# ---------------------------------------------------------------------------
# the agency-name rule
# ---------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b"), [
    ("齐齐哈尔市龙沙区人民政府", "齐齐哈尔市龙沙区政府"),
    ("齐齐哈尔市 龙沙区　人民政府", "齐齐哈尔市龙沙区人民政府"),
    ("第１测试区民政局", "第1测试区民政局"),
    ("黑河市自然资源局政务公开办公室", "黑河市自然资源局"),
    ("黑河市自然资源局（政府信息公开工作领导小组办公室）", "黑河市自然资源局"),
    ("国家税务总局", "国家税务总局"),
])
def test_names_of_one_agency_match(a, b):
    assert agency_key(a) is not None and agency_key(a) == agency_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("北京市人民政府办公厅", "北京市人民政府"),      # the general office reports apart
    ("齐齐哈尔市龙沙区人民政府", "齐齐哈尔市龙江县人民政府"),
    ("南岗区城管局", "南岗区城市管理局"),           # maybe the same: uncertain, so not matched
])
def test_names_of_other_agencies_do_not_match(a, b):
    assert agency_key(a) != agency_key(b)


@pytest.mark.parametrize("name", [None, "", "市场监督管理局", "人力资源和社会保障局", "龙沙区", "政府", "县政府"])
def test_uncertain_names_have_no_key(name):
    assert agency_key(name) is None


_PLACES = st.sampled_from(["齐齐哈尔市", "龙沙区", "伊春县", "牡丹江市西安区", "平潭综合实验区", "黑龙江省"])
_AGENCIES = st.sampled_from(["人民政府", "民政局", "市场监督管理局", "交通运输局", "城市管理综合执法局", "人民政府办公室"])


@given(_PLACES, _AGENCIES, st.lists(st.integers(0, 12), max_size=4), st.booleans())
def test_spacing_width_and_people_s_government_do_not_change_the_key(place, agency, cuts, wide):
    name = place + agency
    key = agency_key(name)
    assert key is not None
    spaced = name
    for i in sorted(set(cuts), reverse=True):
        spaced = spaced[:i] + " \u3000"[i % 2] + spaced[i:]
    if wide:  # full-width forms, as some CMSs print them
        spaced = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in spaced)
    assert agency_key(spaced) == key == agency_key(name.replace("人民政府", "政府"))
    assert unicodedata.normalize("NFKC", key) == key


def test_check_rows_takes_rows_as_any_sink_stores_them():
    reports = [{"id": "a-1", "path": "a", "agency": "伊春县交通运输局", "year": "2021", "template": "2021"},
               {"id": "b-1", "path": "b", "agency": "伊春县交通运输局", "year": 2022, "template": "2021"}]
    values = [{"report_id": "a-1", "table": "applications", "row": "carried_forward", "column": "total",
               "value": "3.000000"},  # Parquet's decimal, CSV's text
              {"report_id": "b-1", "table": "applications", "row": "carried_over", "column": "total", "value": 3},
              {"report_id": "b-1", "table": "applications", "row": "carried_over", "column": "natural_person",
               "value": 2},
              {"report_id": "a-1", "table": "applications", "row": "carried_forward", "column": "natural_person",
               "value": None}]  # null on one side: nothing is known, no finding
    assert check_rows(reports, values) == []
    values[0]["value"] = "4"
    [f] = check_rows(reports, values)
    assert (f.code, f.where, f.evidence["carried_forward"], f.evidence["carried_over"]) == \
        ("carry-over-mismatch", "a-1,b-1:applications/carried_over/total", 4, 3)
