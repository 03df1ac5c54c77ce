"""The crawler's glued text of the corpus (``corpus/pingtan_1.txt``, ``pingtan_4.txt``, issue 15
item 3): no value that differs from the printed report; a glued run that splits several ways is
null with an ``unreadable`` finding naming the digits. Goldens checked by hand against the text."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import gxparse

GOLDEN = Path(__file__).parent / "golden" / "corpus"


@pytest.mark.parametrize("name", ["pingtan_1.txt", "pingtan_4.txt"])
def test_glued_report_matches_the_hand_checked_golden(corpus_dir, name):
    want = json.loads((GOLDEN / name.replace(".txt", ".json")).read_text(encoding="utf-8"), parse_float=Decimal)
    got = gxparse.parse(corpus_dir / name).to_dict()
    assert (got["template"], got["source"]["format"]) == (want["template"], want["format"])
    for key, value in want["meta"].items():
        assert got["meta"][key] == value, key
    for table, rows in want["numbers"].items():
        assert got[table] == rows, table
    assert sorted(got["derived"]) == want["derived"]
    assert [f for f in got["findings"] if f["severity"] == "error"] == want["error_findings"]
    # every value left null is said to be unreadable (the glued digits named), never silently
    unreadable = [f for f in got["findings"] if f["code"] == "unreadable"]
    nulls = [f"{t}/{r}" for t, rows in want["numbers"].items() for r, cols in rows.items()
             if any(v is None for k, v in cols.items() if not k.endswith("_unit"))]
    assert len(unreadable) >= len(nulls) > 0 if nulls else True
    assert all("粘连" in f["message"] for f in unreadable)
