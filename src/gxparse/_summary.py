"""What a corpus holds: ``gxparse summary OUT`` (text) and ``--html FILE`` (one self-contained page).

The tables: reports per year and template; the share of reports with an error
finding, per year; the most frequent finding codes; the agencies with the most
applications (一、本年新收政府信息公开申请数量, 总计, summed over their reports).
Applications are summed once per agency and year (agencies matched as
``corpus-check`` matches them): a report published as a PDF and as a web page,
or twice with different numbers (a ``duplicate-report``), counts the first
report read.
The page adds two plots, applications per year and the error rate per year,
drawn by matplotlib (the optional extra ``gxparse[plots]``) as inline SVG: the
page needs no network and no other file.
"""

from __future__ import annotations

import html
import io
import os
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import attrs

from ._errors import MissingExtraError

__all__ = ["CorpusSummary", "summarize"]

_APPLICATIONS = ("applications", "received_new", "total")


@attrs.frozen
class CorpusSummary:
    """The summary tables of a corpus output (:func:`summarize`).

    Attributes:
        output: the corpus output's path.
        reports, failures: counts of reports, and of files that gave none.
        failures_by_stage: ``stage → files``.
        templates: the templates present, in order.
        by_year: one row per year (``None`` last: reports whose year is unknown):
            ``(year, {template: reports}, reports, with_errors, applications,
            reports_with_applications)``; applications once per agency-year.
        codes: ``(code, severity, findings, reports)`` by findings, most first;
            corpus findings (across reports) count their findings, no reports.
        agencies: ``(agency, reports, first year, last year, applications)``, the
            most applications first (reports without the number left out of the sum).
    """

    output: str
    reports: int
    failures: int
    failures_by_stage: dict[str, int]
    templates: tuple[str, ...]
    by_year: tuple[tuple[Any, ...], ...]
    codes: tuple[tuple[str, str, int, int], ...]
    agencies: tuple[tuple[str, int, int | None, int | None, int], ...]

    @property
    def with_errors(self) -> int:
        return sum(row[3] for row in self.by_year)

    # -- tables -----------------------------------------------------------------
    def tables(self) -> list[tuple[str, list[str], list[list[str]]]]:
        """``(title, header, rows)`` of each table, as text cells."""
        out = [self._year_table()]
        out.append(("Most frequent finding codes", ["code", "severity", "findings", "reports"],
                    [[c, s, str(n), str(r) if r else "(across reports)"] for c, s, n, r in self.codes]))
        out.append(("Agencies with the most applications", ["agency", "reports", "years", "applications"],
                    [[a, str(n), _years(y0, y1), str(apps)] for a, n, y0, y1, apps in self.agencies]))
        if self.failures:
            out.append(("Files that gave no report", ["stage", "files"],
                        [[s, str(n)] for s, n in sorted(self.failures_by_stage.items(), key=lambda x: -x[1])]))
        return out

    def _year_table(self) -> tuple[str, list[str], list[list[str]]]:
        """The table of reports per year and template, with its ``all`` row last."""
        year_rows = [[_year(y), *(str(t.get(k, 0)) for k in self.templates), str(n), str(err), _pct(err, n),
                      str(apps) if with_apps else "", f"{with_apps}/{n}"]
                     for y, t, n, err, apps, with_apps in self.by_year]
        year_rows.append(["all", *(str(sum(r[1].get(k, 0) for r in self.by_year)) for k in self.templates),
                          str(self.reports), str(self.with_errors), _pct(self.with_errors, self.reports),
                          str(sum(r[4] for r in self.by_year)), f"{sum(r[5] for r in self.by_year)}/{self.reports}"])
        head = ["year", *(f"template {t}" for t in self.templates), "reports", "with errors", "share with errors",
                "applications", "reports giving it"]
        return ("Reports per year and template", head, year_rows)

    def text(self) -> str:
        """The summary for a terminal."""
        lines = [f"{self.output}: {self.reports} reports, {self.with_errors} with errors "
                 f"({_pct(self.with_errors, self.reports)}), {_files(self.failures)} gave no report"]
        for title, head, rows in self.tables():
            lines += ["", title, ""] + _text_table(head, rows)
        return "\n".join(lines) + "\n"

    def html(self) -> str:
        """One self-contained HTML page: the tables and two SVG plots (needs ``gxparse[plots]``).

        Raises:
            MissingExtraError: matplotlib is not installed.
        """
        plots = _plots(self)
        parts = [f"<h1>gxparse corpus summary</h1><p class=lead>{html.escape(self.output)}: {self.reports} reports, "
                 f"{self.with_errors} with errors ({_pct(self.with_errors, self.reports)}), {_files(self.failures)} "
                 "gave no report.</p>", '<div class="plots">']
        parts += [f'<figure id="{fid}">{svg}<figcaption>{html.escape(cap)}</figcaption></figure>'
                  for fid, cap, svg in plots]
        parts.append("</div>")
        for title, head, rows in self.tables():
            parts.append(f"<h2>{html.escape(title)}</h2>" + _html_table(head, rows))
        return _PAGE.format(title=html.escape(f"gxparse summary: {os.path.basename(self.output)}"),
                            body="\n".join(parts))


_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em auto;
       max-width: 72em; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; }}
th, td {{ border: 1px solid #ccc; padding: 0.25em 0.6em; }}
th {{ background: #f3f3f3; text-align: left; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
.plots {{ display: flex; flex-wrap: wrap; gap: 1em; }}
figure {{ margin: 0; }}
figure svg {{ width: 34em; height: auto; }}
figcaption {{ color: #555; font-size: 0.9em; }}
</style>
</head>
<body>
{body}
</body>
</html>
"""


def _files(n: int) -> str:
    return f"{n} file" + ("" if n == 1 else "s")


def _year(y: int | None) -> str:
    return "unknown" if y is None else str(y)


def _years(y0: int | None, y1: int | None) -> str:
    if y0 is None:
        return ""
    return str(y0) if y0 == y1 else f"{y0}–{y1}"


def _pct(k: int, n: int) -> str:
    return f"{100.0 * k / n:.1f} %" if n else "-"


def _is_number(cell: str) -> bool:
    return cell.replace(".", "", 1).replace(" %", "").replace("/", "", 1).isdigit()


def _text_table(head: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["(none)"]
    widths = [max(_width(h), *(_width(r[i]) for r in rows)) for i, h in enumerate(head)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(_pad(c, w, right=_is_number(c)) for c, w in zip(cells, widths)).rstrip()

    return [line(head)] + [line(r) for r in rows]


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def _html_table(head: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return "<p>(none)</p>"
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f'<td{" class=n" if _is_number(c) else ""}>{html.escape(c)}</td>' for c in r)
                   + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _plots(s: CorpusSummary) -> list[tuple[str, str, str]]:
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError("summary --html draws its plots with matplotlib: pip install 'gxparse[plots]'") \
            from None
    years = [r for r in s.by_year if r[0] is not None]
    labels = [str(r[0]) for r in years]
    out = []
    with matplotlib.rc_context({"svg.hashsalt": "gxparse", "svg.fonttype": "path", "font.size": 9}):
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.bar(labels, [r[4] for r in years], color="#4c72b0")
        ax.set_xlabel("report year")
        ax.set_ylabel("applications received")
        ax.set_title("Applications per year (new applications, total)")
        out.append(("applications-per-year", "Applications per year: 一、本年新收政府信息公开申请数量 (总计), summed "
                    "over the reports that give it", _svg(fig, plt)))
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.plot(labels, [100.0 * r[3] / r[2] if r[2] else 0.0 for r in years], marker="o", color="#c44e52")
        ax.set_ylim(0, 100)
        ax.set_xlabel("report year")
        ax.set_ylabel("% of reports")
        ax.set_title("Reports with an error finding, per year")
        out.append(("error-rate-per-year", "Error rate per year: the share of reports with at least one error "
                    "finding", _svg(fig, plt)))
    return out


def _svg(fig: Any, plt: Any) -> str:
    buf = io.StringIO()
    fig.tight_layout()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]  # the XML declaration and DOCTYPE have no place inside HTML


def summarize(output: str | os.PathLike[str], *, top: int = 10) -> CorpusSummary:
    """The summary tables of a corpus output (any sink).

    Args:
        output: a ``gxparse batch`` output (``.sqlite``, ``.jsonl``, ``.csv/``, ``.parquet/``).
        top: how many finding codes and agencies to list.

    Raises:
        SinkError: the output does not exist or is not a gxparse corpus.
        MissingExtraError: a Parquet output without pyarrow (``gxparse[parquet]``).
    """
    from ._sinks import read_rows

    rows = read_rows(output, ["reports", "values", "findings", "failures"])
    templates = sorted({r["template"] for r in rows["reports"] if r["template"]})
    years, agencies = _tally_reports(rows["reports"], _applications(rows["values"]))
    if any(t == "unknown" for row in years.values() for t in row[0]):
        templates.append("unknown")
    by_year = tuple((y, dict(v[0]), v[1], v[2], v[3], v[4])
                    for y, v in sorted(years.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))
    top_agencies = tuple(tuple(a) for a in sorted(agencies.values(), key=lambda a: (-a[4], -a[1], a[0]))[:top])
    stages = Counter(f["stage"] for f in rows["failures"])
    return CorpusSummary(str(output), len(rows["reports"]), len(rows["failures"]), dict(stages), tuple(templates),
                         by_year, _codes(rows["findings"], top), top_agencies)  # type: ignore[arg-type]


def _applications(values: list[dict[str, Any]]) -> dict[str, int]:
    """``report id → applications`` (一、本年新收政府信息公开申请数量, 总计) of the reports that give a number."""
    from ._frames import number

    apps: dict[str, int] = {}
    for v in values:
        if (v["table"], v["row"], v["column"]) == _APPLICATIONS:
            n = number(v["column"], v["value"])
            if n is not None:
                apps[v["report_id"]] = int(n)
    return apps


def _tally_reports(reports: list[dict[str, Any]], apps: dict[str, int]
                   ) -> tuple[dict[int | None, list[Any]], dict[str, list[Any]]]:
    """The per-year rows ``year → [templates, reports, with errors, applications, reports giving them]``
    and per-agency rows ``key → [agency, reports, first year, last year, applications]``.

    An agency-year's applications are counted once: the first report read of it
    (the same report published as a PDF and a web page is one agency-year).
    """
    from ._checks import agency_key

    years: dict[int | None, list[Any]] = defaultdict(lambda: [Counter(), 0, 0, 0, 0])
    agencies: dict[str, list[Any]] = {}
    counted: set[tuple[str, int | None]] = set()
    for r in reports:
        year = int(r["year"]) if r["year"] not in (None, "") else None
        name = r["agency"]
        key = (agency_key(name) or name) if name else None
        fresh = (key or r["id"], year) not in counted
        counted.add((key or r["id"], year))
        _tally_year(years[year], r, apps.get(r["id"]) if fresh else None)
        if key is not None:
            _tally_agency(agencies.setdefault(key, [name, 0, None, None, 0]), year, apps.get(r["id"], 0) if fresh else 0)
    return years, agencies


def _tally_year(row: list[Any], report: dict[str, Any], applications: int | None) -> None:
    """Adds one report to its year's row; ``applications`` is ``None`` when not counted (unknown or counted)."""
    row[0][report["template"] or "unknown"] += 1
    row[1] += 1
    row[2] += report["status"] == "errors"
    if applications is not None:
        row[3] += applications
        row[4] += 1


def _tally_agency(entry: list[Any], year: int | None, applications: int) -> None:
    """Adds one report to its agency's row: the count, the span of years, the applications."""
    entry[1] += 1
    if year is not None:
        entry[2] = year if entry[2] is None else min(entry[2], year)
        entry[3] = year if entry[3] is None else max(entry[3], year)
    entry[4] += applications


def _codes(findings: list[dict[str, Any]], top: int) -> tuple[tuple[str, str, int, int], ...]:
    """The ``top`` most frequent ``(code, severity, findings, reports)``; ties by code."""
    counts: Counter[tuple[str, str]] = Counter()
    reports_with: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in findings:
        key = (f["code"], f["severity"])
        counts[key] += 1
        if f["report_id"] is not None:
            reports_with[key].add(f["report_id"])
    return tuple((c, s, n, len(reports_with[(c, s)])) for (c, s), n in
                 sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
