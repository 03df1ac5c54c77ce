"""The docs say what the code does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gxparse._docgen import render
from gxparse.form import FINDING_CODES

from conftest import SHARED, need_shared

ROOT = Path(__file__).resolve().parents[1]


def test_schema_page_is_generated_from_the_templates():
    assert (ROOT / "docs" / "schema.md").read_text(encoding="utf-8") == render(), \
        "docs/schema.md is out of date: run `python -m gxparse._docgen > docs/schema.md`"


SPEC_CODES = {"balance", "results-total", "row-total", "review-total", "negative-count", "group-total",
              "missing-value", "derived-value", "extra-cells", "unknown-row", "missing-table",
              "label-variant", "template-deviation", "period-mismatch", "narrative-mismatch", "unreadable",
              "carry-over-mismatch", "repeated-row", "hidden-text", "footnote-mark", "converted",
              "template-mismatch", "duplicate-report"}


def test_finding_codes_documented_are_the_spec_codes():
    assert {c.code for c in FINDING_CODES} == SPEC_CODES


def test_the_spec_names_the_same_codes():
    spec = SHARED / "spec" / "report-schema.md"
    need_shared(spec)
    text = spec.read_text(encoding="utf-8").split("## Invariants", 1)[1].split("## Corpus tables", 1)[0]
    in_tables = set(re.findall(r"^\| `([a-z][a-z\-]+)` \|", text, re.M))
    in_prose = set(re.findall(r"`([a-z]+(?:-[a-z]+)*)`", text.split("Other codes:", 1)[1].split("Further codes", 1)[0]))
    assert in_tables | in_prose == SPEC_CODES


def test_findings_are_made_from_the_catalogue_of_codes():
    # a finding's code and severity come from gxparse.form (FindingCode.make), never from literals
    src = ROOT / "src" / "gxparse"
    literal = re.compile(r'Finding\(\s*"[a-z\-]+"|finding\(\s*"[a-z\-]+"')
    offenders = [str(p.relative_to(src)) for p in src.rglob("*.py")
                 if p.name != "testing.py" and literal.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_readme_has_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -e . && gxparse check examples/*" in readme
    assert "pip install -e '.[test]' && pytest" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet --disable-pip-version-check -e '.[test]' && pytest" in ci


def test_readme_example_is_what_check_prints(capsys):
    import os

    from gxparse._cli import main

    old = os.getcwd()
    os.chdir(ROOT)
    try:
        main(["check", "examples/s02-with-errors.txt", "examples/nangang-chengguan-2021.txt"])
    finally:
        os.chdir(old)
    out = capsys.readouterr().out
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in out.strip().splitlines():
        assert line in readme, line


def test_corpus_tables_page_is_generated_from_the_schema():
    from gxparse._corpus import render_docs

    assert (ROOT / "docs" / "corpus-tables.md").read_text(encoding="utf-8") == render_docs(), \
        "docs/corpus-tables.md is out of date: run `python -m gxparse._corpus > docs/corpus-tables.md`"


def test_corpus_tables_are_the_spec_corpus_tables():
    """The column names of the four tables are exactly those of report-schema.md, "Corpus tables"."""
    from gxparse._corpus import CORPUS_TABLES

    spec = SHARED / "spec" / "report-schema.md"
    need_shared(spec)
    section = spec.read_text(encoding="utf-8").split("## Corpus tables", 1)[1]
    for name, table in CORPUS_TABLES.items():
        line = next(x for x in section.splitlines() if x.startswith(f"| `{name}` |"))
        assert re.findall(r"`([a-z_0-9]+)`", line.split("|")[3]) == list(table.names), name


def _tested_blocks(page: Path) -> list[tuple[str, str]]:
    """The ```sh tested / ```python tested blocks of a docs page, in order."""
    text = page.read_text(encoding="utf-8")
    return re.findall(r"^```(sh|python) tested\n(.*?)^```", text, re.M | re.S)


def test_the_usage_walkthrough_runs_line_by_line(tmp_path, monkeypatch):
    """docs/usage.md walks from a folder to a DataFrame and a SQL query: every block runs, in
    order, on the repository's examples, and gives what the text says."""
    import shutil
    import subprocess
    import sys

    pytest.importorskip("pandas")
    blocks = _tested_blocks(ROOT / "docs" / "usage.md")
    assert [kind for kind, _ in blocks] == ["sh", "python", "python", "python"]
    shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns("expected"))
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for kind, code in blocks:
        if kind == "sh":
            for line in code.strip().splitlines():
                argv = line.split()
                assert argv[0] == "gxparse"
                out = subprocess.run([sys.executable, "-m", "gxparse", *argv[1:]], capture_output=True, text=True)
                assert out.returncode in (0, 1), out.stderr  # 1: a report with errors (s02 has two)
                assert out.stdout.startswith(f"{len(list((tmp_path / 'examples').iterdir()))} files: ")
        else:
            exec(compile(code, "docs/usage.md", "exec"), namespace)
    corpus, wide = namespace["corpus"], namespace["wide"]
    assert len(corpus.reports) == len(wide) == 3
    assert set(wide["applications/received_new/total"].dropna()) and str(wide.dtypes.iloc[-1]) == "Int64"
    assert len(namespace["totals"]) == 3 and {code for _, code, _ in namespace["errors"]} == {"results-total",
                                                                                                "row-total"}
    assert [f.stage for f in namespace["failures"]] == ["read"]
    assert len(namespace["frame"]) == 2
