"""gxparse summary: the tables of a corpus, and the self-contained HTML page opened in a
headless browser (skipped when none is installed)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import gxparse
from _years_fixture import build_years
from gxparse._summary import summarize

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("years")
    build_years(root)
    (root / "empty.txt").write_bytes(b"")
    (root / "s02.txt").write_bytes((ROOT / "examples" / "s02-with-errors.txt").read_bytes())  # 2 errors, 2024
    out = tmp_path_factory.mktemp("out")
    for name in ("c.sqlite", "c.jsonl"):
        gxparse.run_batch([str(root)], out / name, jobs=0, progress=False, corpus_checks=True)
    return out


def test_the_summary_tables(corpus):
    s = summarize(corpus / "c.sqlite")
    assert (s.reports, s.failures, s.with_errors, s.failures_by_stage) == (12, 1, 1, {"read": 1})
    assert s.templates == ("2021",)
    by_year = {y: (t, n, err, apps, k) for y, t, n, err, apps, k in s.by_year}
    # received_new total is 10 in each rendered report; 牡丹江市民政局's two 2021 reports are one
    # agency-year, whose applications are counted once
    assert by_year[2021] == ({"2021": 4}, 4, 0, 30, 3)
    assert by_year[2024] == ({"2021": 1}, 1, 1, 121, 1)  # s02: 121 new applications, with errors
    codes = {c: (sev, n, r) for c, sev, n, r in s.codes}
    assert codes["carry-over-mismatch"] == ("warning", 2, 0) and codes["duplicate-report"] == ("warning", 1, 0)
    assert codes["results-total"] == ("error", 1, 1)
    assert s.agencies[0] == ("大庆市让胡路区人力资源和社会保障委员会", 1, 2024, 2024, 121)
    # the three spellings of 龙沙区's government are one agency, with its years
    assert s.agencies[1][1:] == (4, 2021, 2023, 30)  # 2022 published twice (a page and a copy): counted once
    text = s.text()
    assert text.startswith(f"{corpus / 'c.sqlite'}: 12 reports, 1 with errors (8.3 %), 1 file gave no report")
    assert re.search(r"^2024 +1 +1 +1 +100\.0 % +121 +1/1$", text, re.M)
    assert re.search(r"^carry-over-mismatch +warning +2 +\(across reports\)$", text, re.M)


def test_every_sink_gives_the_same_summary(corpus):
    a, b = summarize(corpus / "c.sqlite"), summarize(corpus / "c.jsonl")
    assert a.tables() == b.tables()


def test_cli_summary_and_its_page(corpus, tmp_path):
    page = tmp_path / "s.html"
    r = subprocess.run([sys.executable, "-m", "gxparse", "summary", str(corpus / "c.jsonl"), "--html", str(page),
                        "--top", "3"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "Agencies with the most applications" in r.stdout and f"wrote {page}" in r.stdout
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 2 and html.count("<table>") == 4
    # self-contained: nothing is fetched (links only to ids in the page: the plots' clip paths and glyphs)
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\((?!#)", html)
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!#)""", html)
    r = subprocess.run([sys.executable, "-m", "gxparse", "summary", str(tmp_path / "none.sqlite")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "none.sqlite" in r.stderr and "Traceback" not in r.stderr


def test_the_page_needs_matplotlib_and_says_so(corpus, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    s = summarize(corpus / "c.sqlite")
    assert "12 reports" in s.text()  # the text needs nothing more
    with pytest.raises(gxparse.MissingExtraError, match=r"gxparse\[plots\]"):
        s.html()


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_the_page_in_a_headless_browser(corpus, tmp_path):
    browser = _browser()
    if browser is None:
        pytest.skip("no headless browser installed (chromium)")
    page = tmp_path / "s.html"
    page.write_text(summarize(corpus / "c.sqlite").html(), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--window-size=1200,1600"]
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run([browser, *flags, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                             capture_output=True, text=True, timeout=120)
        shot = tmp_path / "s.png"
        subprocess.run([browser, *flags, f"--user-data-dir={profile}", f"--screenshot={shot}", page.as_uri()],
                       capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert html.count("<svg") == 2 and html.count("<tr>") >= 12
    assert "Reports per year and template" in html and "大庆市让胡路区人力资源和社会保障委员会" in html
    assert shot.exists() and shot.stat().st_size > 20_000  # the page was drawn, plots and all
