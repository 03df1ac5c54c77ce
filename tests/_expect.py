"""Compare a parsed report with a sample's ``.expected.json``."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import gxparse


def load_expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def compare(report: gxparse.Report, expected: dict) -> list[str]:
    """Differences between a report and an expected.json, as readable lines ([] when equal)."""
    d = report.to_dict()
    problems: list[str] = []
    if d["template"] != expected["template"]:
        problems.append(f"template {d['template']!r} != {expected['template']!r}")
    meta = expected.get("meta", {})
    if "agency" in meta and d["meta"]["agency"] != meta["agency"]:
        problems.append(f"agency {d['meta']['agency']!r} != {meta['agency']!r}")
    if "year" in meta and d["meta"]["year"] != meta["year"]:
        problems.append(f"year {d['meta']['year']!r} != {meta['year']!r}")
    if "phone" in meta and meta["phone"] not in d["meta"]["phones"]:
        problems.append(f"phone {meta['phone']!r} not in {d['meta']['phones']!r}")
    for table, rows in expected["numbers"].items():
        got = d.get(table) or {}
        for row, cols in rows.items():
            for col, want in cols.items():
                have = got.get(row, {}).get(col, "<absent>")
                if have != want or type(have) is bool:
                    problems.append(f"{table}/{row}/{col}: {have!r} != {want!r}")
    errors = {f["code"] for f in d["findings"] if f["severity"] == "error"}
    want_codes = set(expected.get("expect_findings", []))
    for code in want_codes - errors:
        problems.append(f"expected finding {code!r} not raised")
    for code in errors - want_codes:
        msgs = [f["message"] for f in d["findings"] if f["code"] == code][:3]
        problems.append(f"unexpected error finding {code!r}: {msgs}")
    for path in expected.get("expect_derived", []) or []:
        if path not in d["derived"]:
            problems.append(f"expected derived {path!r} missing (derived: {d['derived']})")
    return problems
