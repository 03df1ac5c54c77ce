"""Checks across the reports of a corpus: ``gxparse corpus-check OUT`` and ``batch --corpus-checks``.

Two findings need more than one report (``docs/corpus.md``):

- ``carry-over-mismatch`` (warning): the same agency in consecutive years, where
  year N+1's 二、上年结转 (``applications/carried_over``) differs from year N's
  四、结转下年度继续办理 (``applications/carried_forward``) in a column. One
  finding per column, naming both reports and both values.
- ``duplicate-report`` (warning): the same agency and year twice, with
  different numbers (a value both give, and give differently). Two files with
  the same numbers (the PDF and the web page of one report) are no finding.

Agencies are the same when their names are equal after :func:`agency_key`;
a name that cannot be matched surely has no key and takes part in no check.

Corpus findings are rows of the ``findings`` table with a null ``report_id``;
``where`` is ``<report id>,<report id>:<table/row/column>`` (the earlier
report first; ``*`` for the whole record) and ``evidence`` holds both reports'
ids, paths, agencies as printed, years and values. Each check replaces the
corpus findings of the last one.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ._corpus import evidence_json
from .form import CODES, FindingCode

__all__ = ["CorpusFinding", "agency_key", "check_rows", "corpus_check"]

_SPACE = re.compile(r"[\s\u3000\u00a0]+")
_PUNCT = re.compile(r"[·•・.。,，、:：;；\"'“”‘’「」『』《》<>〈〉\-—–_]+")
#: The office that compiled the report, written after the agency's name: not part of it.
_OFFICE_SUFFIX = re.compile(r"(?:\((?:[^()]*(?:办公室|办))\)|(?:政务公开|政府信息公开|信息公开)(?:工作)?(?:领导小组)?"
                            r"(?:办公室|办))$")
#: Words holding a place character that are not places (市场监督管理局 is not a city).
_NOT_PLACES = ("市场", "城市", "社区", "区域", "地区性", "县域", "乡村振兴", "乡镇企业")
_PLACE = re.compile(r"..*?(?:省|自治区|市|自治州|州|地区|盟|县|旗|区|镇|乡|街道|林区|矿区)")
_NATIONAL = ("国务院", "国家", "中华人民共和国", "中国")


def agency_key(name: str | None) -> str | None:
    """The name two reports of one agency share, or ``None`` when a match would be uncertain.

    The rule, in order: Unicode NFKC (full-width letters, digits and brackets
    become their usual forms); every space and punctuation mark dropped, brackets
    kept; ``人民政府`` read as ``政府``; a trailing name of the office that
    compiled the report dropped (``政务公开办公室``, ``政府信息公开工作领导小组办公室``,
    ``(…办公室)``). A bare ``办公室``/``办公厅`` is kept: ``XX市人民政府办公室`` is
    an agency of its own, with its own report.

    No key (uncertain, so no match): no name; a name of fewer than 4 characters
    after the rule; a name with no place in front of the agency (``市场监督管理局``
    alone could be any city's) unless it is national (``国家``, ``国务院`` …).
    """
    if not name:
        return None
    key = unicodedata.normalize("NFKC", name)
    key = _PUNCT.sub("", _SPACE.sub("", key))
    key = key.replace("人民政府", "政府")
    key = _OFFICE_SUFFIX.sub("", key)
    if len(key) < 4:
        return None
    if key.startswith(_NATIONAL):
        return key
    probe = key
    for word in _NOT_PLACES:
        probe = probe.replace(word, "\0" * len(word))
    match = _PLACE.match(probe)
    if match is None or match.end() >= len(key):
        return None  # no place, or nothing after it (a bare place name is not an agency)
    return key


@attrs.frozen
class CorpusFinding:
    """A finding across reports: a row of the ``findings`` table with no ``report_id``."""

    code: str
    severity: str
    where: str
    message: str
    evidence: Mapping[str, Any]

    @classmethod
    def of(cls, code: FindingCode, where: str, message: str, evidence: Mapping[str, Any]) -> CorpusFinding:
        """A finding of a code of the catalogue (its severity is the code's)."""
        return cls(code.code, code.severity, where, message, evidence)

    def row(self) -> tuple[Any, ...]:
        """The row in the ``findings`` columns' order."""
        return (None, self.code, self.severity, self.where, self.message, evidence_json(dict(self.evidence)))


@attrs.frozen
class _Report:
    id: str
    path: str
    agency: str
    year: int
    template: str | None
    values: Mapping[str, Any]  # table/row/column -> int | Decimal (nulls left out)

    def side(self) -> dict[str, Any]:
        return {"report_id": self.id, "path": self.path, "agency": self.agency, "year": self.year}


def _label(template: str | None, path: str) -> str:
    from .form import TEMPLATES

    t = TEMPLATES.get(template or "2021") or TEMPLATES["2021"]
    return t.label_of(path)


def check_rows(reports: Iterable[Mapping[str, Any]], values: Iterable[Mapping[str, Any]]) -> list[CorpusFinding]:
    """The corpus findings of a corpus's ``reports`` and ``values`` rows (dicts by column
    name, as :func:`gxparse._sinks.read_rows` gives them), in a stable order. Only printed
    values are compared: a value derived from an invariant (a PDF that lost its 总计 column)
    is not a second set of numbers."""
    numbers = _printed_numbers(values)
    findings: list[CorpusFinding] = []
    one: dict[tuple[str, int], _Report] = {}  # the report of an agency-year, when it is certain
    for (key, year), reps in sorted(_agency_years(reports, numbers).items()):
        reps.sort(key=lambda r: (r.path, r.id))
        distinct = _duplicates(reps, findings)
        if distinct:
            one[(key, year)] = reps[0]
    for (key, year), later in sorted(one.items()):
        earlier = one.get((key, year - 1))
        if earlier is not None:
            findings.extend(_carry_over(earlier, later))
    return findings


def _printed_numbers(values: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """``report id → {table/row/column: number}`` of the printed values (derived ones left out:
    what a report prints is compared, not what a format that lost a cell filled in)."""
    from ._frames import _bool, number

    numbers: dict[str, dict[str, Any]] = defaultdict(dict)
    for v in values:
        if _bool(v.get("derived")):
            continue
        value = number(v["column"], v["value"])
        if value is not None:
            numbers[v["report_id"]][f"{v['table']}/{v['row']}/{v['column']}"] = value
    return numbers


def _agency_years(reports: Iterable[Mapping[str, Any]],
                  numbers: dict[str, dict[str, Any]]) -> dict[tuple[str, int], list[_Report]]:
    """The reports grouped by ``(agency key, year)``; reports with no known agency or year left out."""
    groups: dict[tuple[str, int], list[_Report]] = defaultdict(list)
    for r in reports:
        key = agency_key(r.get("agency"))
        if key is None or r.get("year") in (None, ""):
            continue
        rep = _Report(r["id"], r["path"], r["agency"], int(r["year"]), r.get("template"), numbers.get(r["id"], {}))
        groups[(key, rep.year)].append(rep)
    return groups


def _duplicates(reps: list[_Report], out: list[CorpusFinding]) -> bool:
    """Add a ``duplicate-report`` for each report that differs from the first of its
    agency-year; true when all agree (the agency-year has one set of numbers)."""
    first = reps[0]
    agree = True
    for other in reps[1:]:
        differ = {p: (first.values[p], other.values[p]) for p in sorted(first.values.keys() & other.values.keys())
                  if first.values[p] != other.values[p]}
        if not differ:
            continue
        agree = False
        shown = list(differ.items())[:20]
        sample = "；".join(f"{_label(first.template, p)}：{a} 与 {b}" for p, (a, b) in shown[:3])
        out.append(CorpusFinding.of(
            CODES["duplicate-report"], f"{first.id},{other.id}:*",
            f"{first.agency} {first.year} 年有两份数字不同的报告（{first.path} 与 {other.path}），"
            f"{len(differ)} 项不同：{sample}" + ("……" if len(differ) > 3 else ""),
            {"reports": [first.side(), other.side()], "n_differences": len(differ),
             "differences": {p: [a, b] for p, (a, b) in shown}}))
    return agree


def _carry_over(earlier: _Report, later: _Report) -> list[CorpusFinding]:
    from .form import TEMPLATES

    out = []
    columns = [c.key for c in TEMPLATES[later.template or "2021"].app_columns] if later.template in TEMPLATES \
        else [c.key for c in TEMPLATES["2021"].app_columns]
    for col in columns:
        forward = earlier.values.get(f"applications/carried_forward/{col}")
        over = later.values.get(f"applications/carried_over/{col}")
        if forward is None or over is None or forward == over:
            continue  # a null is not a mismatch: nothing is known
        label = _label(later.template, f"applications/*/{col}").rsplit(" · ", 1)[-1]
        out.append(CorpusFinding.of(
            CODES["carry-over-mismatch"], f"{earlier.id},{later.id}:applications/carried_over/{col}",
            f"{later.agency} {later.year} 年报告的「上年结转政府信息公开申请数量」{label}为 {over}，"
            f"{earlier.year} 年报告的「结转下年度继续办理」{label}为 {forward}，相差 {over - forward}"
            f"（{later.path} 与 {earlier.path}）",
            {"column": col, "carried_forward": forward, "carried_over": over,
             "reports": [earlier.side(), later.side()]}))
    return out


def corpus_check(output: str | os.PathLike[str]) -> list[CorpusFinding]:
    """Check a corpus output across its reports and write the findings into its
    ``findings`` table, replacing those of an earlier check (``gxparse corpus-check``).

    Returns:
        The corpus findings written (``carry-over-mismatch``, ``duplicate-report``).

    Raises:
        SinkError: the output does not exist, is not a gxparse corpus, or cannot be written.
        MissingExtraError: a Parquet output without pyarrow (``gxparse[parquet]``).
    """
    from ._sinks import read_rows, replace_corpus_findings

    rows = read_rows(output, ["reports", "values"])
    findings = check_rows(rows["reports"], rows["values"])
    replace_corpus_findings(output, [f.row() for f in findings])
    return findings
