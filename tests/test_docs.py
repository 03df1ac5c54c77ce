"""The docs say what the code does."""

from __future__ import annotations

import re
from pathlib import Path

from gxparse._docgen import FINDING_CODES, render

ROOT = Path(__file__).resolve().parents[1]


def test_schema_page_is_generated_from_the_templates():
    assert (ROOT / "docs" / "schema.md").read_text(encoding="utf-8") == render(), \
        "docs/schema.md is out of date: run `python -m gxparse._docgen > docs/schema.md`"


def test_finding_codes_documented_are_the_spec_codes():
    codes = {c for c, _, _ in FINDING_CODES}
    assert codes == {"balance", "results-total", "row-total", "review-total", "negative-count", "group-total",
                     "missing-value", "derived-value", "extra-cells", "unknown-row", "missing-table",
                     "label-variant", "template-deviation", "period-mismatch", "narrative-mismatch", "unreadable",
                     "carry-over-mismatch"}


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
