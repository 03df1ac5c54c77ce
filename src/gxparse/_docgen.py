"""Render ``docs/schema.md`` from the template definitions.

The schema is said once, in :mod:`gxparse._templates`; this module turns it
into the reference page. ``python -m gxparse._docgen > docs/schema.md``
regenerates it, and a test fails when the committed page is out of date.
"""

from __future__ import annotations

from ._templates import SECTIONS, TABLE_LABELS, TEMPLATES, Template

FINDING_CODES = (
    ("balance", "error", "一、本年新收 + 二、上年结转 ≠ （七）总计 + 四、结转下年度继续办理, in one column"),
    ("results-total", "error", "（七）总计 ≠ the sum of the 三、本年度办理结果 leaves, in one column"),
    ("row-total", "error", "a row's 总计 ≠ the sum of its six other columns"),
    ("review-total", "error", "a 行政复议/行政诉讼 group's 总计 ≠ 维持 + 纠正 + 其他 + 尚未审结"),
    ("group-total", "error", "a group row that carries numbers (（三）不予公开 …) ≠ the sum of its items"),
    ("negative-count", "error", "a count below 0 (本年增/减 excepted)"),
    ("missing-table", "error", "one of the three tables was not found; the table is null"),
    ("missing-value", "warning", "a value the document does not give and no invariant determines; it is null"),
    ("extra-cells", "warning", "a row carries more numbers than the template has columns"),
    ("unknown-row", "warning", "a row with numbers that matches no row of the template"),
    ("template-deviation", "warning", "the report departs from its template (e.g. （六）其他处理 as one row on the 2021 "
                                      "form)"),
    ("period-mismatch", "warning", "the statistics period is not the report year's calendar year"),
    ("narrative-mismatch", "warning", "a count stated in the prose (收到申请N件) differs from the table"),
    ("unreadable", "warning", "something the adapter or mapper could not read, with where"),
    ("label-variant", "info", "a deviant label was mapped (本年度止件数 → 本年废止件数)"),
    ("derived-value", "info", "a blank value filled from an invariant (its path is in `derived`)"),
    ("repeated-row", "error", "a template row printed twice (a 续表, a second copy of the table) with different values; "
                              "`evidence` holds both places and values; the value is kept only where both agree"),
    ("template-mismatch", "error", "a template forced by the caller contradicts the tables' own headers"),
    ("hidden-text", "info", "text a reader cannot see (white on white, covered by a later fill, invisible render mode, "
                            "hidden Word text) was not read; `where` names the page or part"),
    ("footnote-mark", "info", "a footnote or reference mark (`<sup>1</sup>`, ¹, ①, `*`) was removed from a cell's number"),
    ("converted", "info", "the document was read through a conversion (a .doc through LibreOffice); `evidence` names the "
                          "converter and its version"),
    ("carry-over-mismatch", "warning", "across a corpus: this year's 上年结转 ≠ the agency's 结转下年度 of the year before"),
    ("duplicate-report", "warning", "across a corpus: the same agency and year appear twice with different numbers"),
)


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _template_section(t: Template) -> list[str]:
    out = [f"## Template `{t.id}` — {t.issued_by} (report years {t.years})", ""]
    out += [f"### `active_disclosure` — {TABLE_LABELS['active_disclosure']}", ""]
    rows = []
    for item in t.active_items:
        fields = ", ".join(f"`{f.key}` {f.label}" + (" (money)" if f.kind == "money" else "")
                           + (" (may be negative)" if f.kind == "signed" else "") for f in item.fields)
        rows.append([f"`{item.key}`", f"{item.label} 第二十条第{item.clause}项", fields])
    out += _table(["item", "label", "fields"], rows)
    if any(i.key == "procurement" for i in t.active_items):
        out += ["", "`procurement` also carries `amount_unit`: `\"元\"`, `\"万元\"` or `null`, as printed."]
    out += ["", f"### `applications` — {TABLE_LABELS['applications']}", "",
            "Columns: " + "; ".join(f"`{c.key}` {c.label}" for c in t.app_columns) + ".", ""]
    rows = []
    for r in t.app_rows:
        if r.role == "heading":
            continue
        kind = {"group": "group row (subtotal, kept only when printed with numbers)", "leaf": "",
                "total": "total", "input": "", "output": ""}[r.role]
        rows.append([f"`{r.key}`", r.label, kind])
    out += _table(["row key", "official label", "note"], rows)
    out += ["", f"### `reviews_and_litigation` — {TABLE_LABELS['reviews_and_litigation']}", "",
            "Groups: " + "; ".join(f"`{g.key}` {g.label}" for g in t.review_groups) + ".", "",
            "Columns of each group: " + "; ".join(f"`{c.key}` {c.label}" for c in t.review_columns) + ".", ""]
    out += [f"### Invariants of template `{t.id}`", ""]
    seen: dict[str, tuple[str, int]] = {}
    for eq in t.equations():
        seen.setdefault(eq.code, (eq.description, 0))
        seen[eq.code] = (eq.description, seen[eq.code][1] + 1)
    out += _table(["code", "rule", "instances"], [[f"`{c}`", d, str(n)] for c, (d, n) in seen.items()])
    out.append("")
    return out


def render() -> str:
    out = [
        "# The report schema",
        "",
        "<!-- Generated by `python -m gxparse._docgen > docs/schema.md` from src/gxparse/_templates.py;",
        "     do not edit by hand (tests/test_docs.py fails when this page is out of date). -->",
        "",
        "Every record gxparse returns uses exactly these keys, in this order. Paths in `derived` and in a",
        "finding's `where` are `table/row/column` (`*` for every row or column).",
        "",
        "Top level of `Report.to_dict()`: `source` (`path`, `format`, `sha256`), `template`, `meta` (`title`,",
        "`agency`, `year`, `period_start`, `period_end`, `phones`, `emails`, `urls`, `address`), `sections`",
        "(`key`, `number`, `title`, `text`), `active_disclosure`, `applications`, `reviews_and_litigation`,",
        "`derived`, `findings` (`code`, `severity`, `where`, `message`, `evidence`).",
        "",
        "A number is an `int`, or a `Decimal` (a JSON number, never a string) for money. A value the document",
        "does not give is `null` with a `missing-value` finding, unless the invariants determine it exactly;",
        "then it is filled in and its path listed in `derived`. A table not found is `null` with a",
        "`missing-table` finding; a document with none of the three tables raises `NotAReportError`.",
        "",
    ]
    for tid in ("2021", "2019"):
        out += _template_section(TEMPLATES[tid])
    out += ["## Finding codes", ""]
    out += _table(["code", "severity", "meaning"], [[f"`{c}`", s, m] for c, s, m in FINDING_CODES])
    out += ["", "## Section keys", "",
            "Sections are classified by meaning, whatever their numbering:", ""]
    out += _table(["key", "official title"], [[f"`{s.key}`", s.title] for s in SECTIONS])
    out += ["", "A heading gxparse cannot classify keeps its title and number with `key` null.", ""]
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
