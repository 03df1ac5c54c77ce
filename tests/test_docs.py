"""The docs say what the code does."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import SHARED, need_shared

from gxparse._docgen import FINDING_CODES, render

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
    assert {c for c, _, _ in FINDING_CODES} == SPEC_CODES


def test_the_spec_names_the_same_codes():
    spec = SHARED / "spec" / "report-schema.md"
    need_shared(spec)
    text = spec.read_text(encoding="utf-8").split("## Invariants", 1)[1].split("## Corpus tables", 1)[0]
    in_tables = set(re.findall(r"^\| `([a-z][a-z\-]+)` \|", text, re.M))
    in_prose = set(re.findall(r"`([a-z]+(?:-[a-z]+)*)`", text.split("Other codes:", 1)[1].split("Further codes", 1)[0]))
    assert in_tables | in_prose == SPEC_CODES


def test_every_code_the_code_emits_is_documented():
    documented = {c for c, _, _ in FINDING_CODES}
    src = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "gxparse").rglob("*.py"))
    emitted = set(re.findall(r'Finding\(\s*"([a-z\-]+)"', src)) | set(re.findall(r'finding\(\s*"([a-z\-]+)"', src))
    assert emitted and emitted <= documented, emitted - documented


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
