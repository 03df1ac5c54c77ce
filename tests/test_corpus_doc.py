"""docs/corpus.md: the walkthrough from a folder to a cross-year table runs as written."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from _years_fixture import build_years

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "corpus.md"


def _walkthrough() -> list[tuple[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    return re.findall(r"<!-- walkthrough -->\n```(\w+)\n(.*?)```", text, re.S)


def test_the_walkthrough_runs_as_written(tmp_path, monkeypatch):
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    blocks = _walkthrough()
    assert [lang for lang, _ in blocks] == ["sh", "python", "sh"]
    (tmp_path / "reports").mkdir()
    build_years(tmp_path / "reports")
    monkeypatch.chdir(tmp_path)
    printed = []
    python_out = ""
    for lang, code in blocks:
        if lang == "python":
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(code, str(DOC), "exec"), {})
            python_out = out.getvalue()
            continue
        for line in code.strip().splitlines():
            argv = shlex.split(line)
            if argv[0] == "gxparse":
                r = subprocess.run([sys.executable, "-m", "gxparse", *argv[1:]], capture_output=True, text=True,
                                   env={**os.environ, "PYTHONIOENCODING": "utf-8"})
                assert r.returncode in (0, 1), r.stderr  # 1: some report has an error finding
                printed.append(r.stdout)
            else:
                assert argv[0] == "sqlite3"
                if shutil.which("sqlite3"):
                    r = subprocess.run(argv, capture_output=True, text=True)
                    assert r.returncode == 0, r.stderr
                    printed.append(r.stdout)
                else:  # the same query through Python's sqlite3
                    db = sqlite3.connect(argv[1])
                    printed.append("\n".join("|".join(map(str, row)) for row in db.execute(argv[2])))
    out = "\n".join(printed)
    assert "3 corpus findings" in out and (tmp_path / "summary.html").exists()
    # the cross-year table joins the spellings of 龙沙区's government: one row, three years
    lines = python_out.splitlines()
    header = next(line for line in lines if line.split()[:1] == ["year"])
    row = next(line for line in lines if line.startswith("齐齐哈尔市龙沙区政府"))
    assert header.split() == ["year", "2020", "2021", "2022", "2023"]
    assert row.split()[1:] == ["<NA>", "10", "10", "10"]
    assert python_out.count("上年结转政府信息公开申请数量") == 2  # the two mismatches (自然人, 总计)
    assert out.count("carry-over-mismatch") == 2 + 1  # the summary's codes table, and the SQL query
    assert "齐齐哈尔市龙沙区人民政府|2021|10" in out  # the wide view in SQL
