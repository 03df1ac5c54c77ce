"""Rows as real documents print them (issue 15, item 2): values under the header they are printed
beneath (space-aligned text counted in display columns; a header naming fewer columns than the
form), rows printed twice, abbreviated labels within their group, a forced template that the
headers contradict."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import attrs
import pytest

import gxparse
from gxparse import Document, Table
from gxparse.testing import GeneratedReport, zero_report

from kit.noise import Noise
from kit.render import FLAVOURS, render, to_document


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _layout_with(row_of: Callable[[dict[str, tuple[int, int]]], str]) -> gxparse.Report:
    """A 2021 report in space-aligned text whose 规章 line is ``row_of(columns)``; ``columns``: the
    display columns ``(first, end)`` of each header word of the 主动公开 table's first header."""
    text = render(zero_report("2021"), "text-layout", Noise(seed=1)).text()
    lines = text.split("\n")
    k = next(i for i, ln in enumerate(lines) if "本年制发件数" in ln)
    head = lines[k]
    columns = {}
    for word in ("本年制发件数", "本年废止件数", "现行有效件数"):
        first = _width(head[:head.index(word)])
        columns[word] = (first, first + _width(word))
    j = next(i for i, ln in enumerate(lines) if ln.strip().startswith("规章"))
    lines[j] = row_of(columns)
    return gxparse.parse("\n".join(lines), format="text")


def _at(pieces: list[tuple[int, str]]) -> str:
    line = ""
    for x, t in pieces:
        line += " " * (x - _width(line)) + t
    return line


@pytest.mark.parametrize("where, want", [
    # each value in display columns under its header (CJK characters two wide)
    ({"现行有效件数": 7}, {"issued": None, "repealed": None, "in_force": 7}),
    ({"本年废止件数": 4}, {"issued": None, "repealed": 4, "in_force": None}),
    ({"本年制发件数": 2, "本年废止件数": 5}, {"issued": 2, "repealed": 5, "in_force": None}),
])
def test_layout_value_under_its_header_in_display_columns(where, want):
    def row(columns):
        return _at([(2, "规章"), *((columns[w][1] - len(str(v)), str(v)) for w, v in where.items())])

    r = _layout_with(row)
    assert r.active_disclosure["regulations"] == want


def test_layout_value_right_aligned_under_a_narrower_header():
    # a wide number starting left of its header's text, reaching into it: under that header only
    def row(columns):
        first, _ = columns["现行有效件数"]
        return _at([(2, "规章"), (first - 2, "123456")])

    assert _layout_with(row).active_disclosure["regulations"]["in_force"] == 123456


def test_layout_value_between_two_headers_is_not_placed_by_position():
    # under no header's text: by order only, and one value for three columns is not placed
    def row(columns):
        return _at([(2, "规章"), (columns["本年制发件数"][1] + 1, "1")])

    r = _layout_with(row)
    assert r.active_disclosure["regulations"] == {"issued": None, "repealed": None, "in_force": None}
    assert any(f.where.startswith("active_disclosure/regulations") for f in r.findings)




@pytest.mark.parametrize(("word", "key"), [("本年增/减", "change"), ("处理决定数量", "decisions")])
def test_layout_one_value_under_a_header_word_broken_by_a_space(word, key):
    # 上一年项目　数量 / 处理决  定数量: a header word split in two cells of its row; the one value of
    # 行政处罚 is under the header it is printed beneath, the other two cells absent
    text = render(zero_report("2019"), "text-layout", Noise(seed=1)).text()
    lines = text.split("\n")
    six = next(i for i, ln in enumerate(lines) if "第二十条第（六）项" in ln)
    k = next(i for i, ln in enumerate(lines) if i > six and "处理决定数量" in ln)
    lines[k] = lines[k].replace("上一年项目数量", "上一年项目\u3000数量").replace("处理决定数量", "处理决  定数量")
    at = _width(lines[k][:lines[k].index(word.replace("处理决定数量", "处理决"))]) + 2
    j = next(i for i, ln in enumerate(lines) if ln.startswith("行政处罚"))
    lines[j] = "行政处罚" + " " * (at - _width("行政处罚")) + "5"
    r = gxparse.parse("\n".join(lines), format="text")
    assert r.active_disclosure["penalty"] == {"previous_items": None, "change": None, "decisions": None, key: 5}
    assert r.active_disclosure["coercion"] == {"previous_items": 0, "change": 0, "decisions": 0}


# ---------------------------------------------------------------------------
# a header naming fewer columns than the form
# ---------------------------------------------------------------------------

def _without_last_column(doc: Document, word: str) -> Document:
    """``doc`` with the last grid column of the table holding ``word`` cut off (the page edge)."""
    blocks = []
    for b in doc.blocks:
        if isinstance(b, Table) and any(word in c.text for c in b.cells):
            last = b.n_cols - 1
            cells = [attrs.evolve(c, col_span=min(c.col_span, last - c.col)) for c in b.cells if c.col != last]
            b = Table(cells, provenance=b.provenance)
        blocks.append(b)
    return Document(blocks, adapter=doc.adapter)


def test_review_table_whose_last_total_is_cut_off():
    # 1 0 0 1 | (2) fits its group two ways in sequence (总计 missing, or 结果维持 missing and 总计 1):
    # the header names the 14 columns that are there
    report = zero_report("2021")
    for path, v in {"litigation_after_review/upheld": 1, "litigation_after_review/pending": 1,
                    "litigation_after_review/total": 2, "administrative_review/corrected": 3,
                    "administrative_review/total": 3}.items():
        report = report.with_value(f"reviews_and_litigation/{path}", v)
    doc = _without_last_column(to_document(report), "结果维持")
    r = gxparse.map_document(doc)
    assert r.reviews_and_litigation == report.reviews_and_litigation
    assert r.derived == ("reviews_and_litigation/litigation_after_review/total",)
    rules = gxparse._mapping.map_records(doc).rules_fired
    assert "partial-header" in dict(rules)["reviews_and_litigation"] or any(
        "partial-header" in e.rules for e in gxparse._mapping.map_records(doc).trace)


_REVIEW_VALUES = {"administrative_review/corrected": 3, "administrative_review/total": 3,
                  "litigation_direct/upheld": 1, "litigation_direct/pending": 1, "litigation_direct/total": 2}


def _review_report() -> GeneratedReport:
    report = zero_report("2021")
    for path, v in _REVIEW_VALUES.items():
        report = report.with_value(f"reviews_and_litigation/{path}", v)
    return report


def _assert_first_two_groups(r: gxparse.Report) -> None:
    review = r.reviews_and_litigation
    assert review["administrative_review"] == {"upheld": 0, "corrected": 3, "other": 0, "pending": 0, "total": 3}
    assert review["litigation_direct"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    assert set(review["litigation_after_review"].values()) == {None}


def test_review_table_without_its_last_group():
    # the 复议后起诉 block cut off: its five names are gone, the other ten fit two groups of three
    # ways by their names alone; the group headings over them (行政复议, 未经复议直接起诉) say which
    doc = to_document(_review_report())
    for _ in range(5):
        doc = _without_last_column(doc, "结果维持")
    _assert_first_two_groups(gxparse.map_document(doc))


def test_review_table_without_its_last_group_in_tab_text():
    text = render(_review_report(), "text-tab-rows").text().split("\n")
    head = next(i for i, ln in enumerate(text) if ln.startswith("行政复议\t"))
    for i in range(head, head + 4):
        text[i] = "\t".join(text[i].split("\t")[:10])
    _assert_first_two_groups(gxparse.parse("\n".join(text).encode(), format="text"))


def test_review_header_that_fits_several_ways_is_not_used():
    # the five names once, for three groups: which group they head is unknown
    from gxparse._mapping._place import unique_embedding

    names = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert unique_embedding(names, names * 3) is None
    assert unique_embedding(names * 3, names * 3) == list(range(15))
    assert unique_embedding((names * 3)[:-1], names * 3) == list(range(14))
    assert unique_embedding(names[1:] + names * 2, names * 3) == list(range(1, 15))


def test_item_header_without_its_last_column():
    report = zero_report("2021").with_value("active_disclosure/regulations/issued", 4) \
        .with_value("active_disclosure/regulations/repealed", 1).with_value("active_disclosure/regulations/in_force", 9)
    doc = _without_last_column(to_document(report), "本年制发件数")
    r = gxparse.map_document(doc)
    assert r.active_disclosure["regulations"] == {"issued": 4, "repealed": 1, "in_force": None}
    assert r.active_disclosure["normative_documents"] == {"issued": 0, "repealed": 0, "in_force": None}


# ---------------------------------------------------------------------------
# rows printed twice
# ---------------------------------------------------------------------------

_APP_HEAD = ("| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
             "|---|---|---|---|---|---|---|---|\n")


def _app_markdown(rows: list[tuple[str, int]], after: str = "") -> str:
    body = "".join(f"| {label} | {n} | 0 | 0 | 0 | 0 | 0 | {n} |\n" for label, n in rows)
    return ("# 某局2023年政府信息公开工作年度报告\n\n## 三、收到和处理政府信息公开申请情况\n\n" + _APP_HEAD + body
            + "\n" + after)


_FULL = [("一、本年新收政府信息公开申请数量", 7), ("二、上年结转政府信息公开申请数量", 1),
         ("三、本年度办理结果 （一）予以公开", 5), ("（二）部分公开", 1), ("（七）总计", 6), ("四、结转下年度继续办理", 2)]


def test_a_row_printed_twice_alike_is_taken():
    md = _app_markdown(_FULL, "（续表）\n\n" + _APP_HEAD + "| 二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n")
    r = gxparse.parse(md.encode(), format="markdown")
    assert r.applications["carried_over"]["natural_person"] == 1
    assert not [f for f in r.findings if f.code in ("repeated-row", "unknown-row")]


def test_a_row_printed_twice_differently_is_taken_from_neither():
    md = _app_markdown(_FULL, "（续表）\n\n" + _APP_HEAD + "| 二、上年结转政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n")
    r = gxparse.parse(md.encode(), format="markdown")
    [f] = [f for f in r.findings if f.code == "repeated-row"]
    assert f.severity == "error" and f.where == "applications/carried_over"
    assert f.evidence["first"] == {"natural_person": "1", "total": "1"}
    assert f.evidence["second"] == {"natural_person": "3", "total": "3"}
    assert len(f.evidence["places"]) == 2 and f.evidence["places"][0] != f.evidence["places"][1]
    # neither print is taken: the balance (7 + x = 6 + 2) determines it, and says so
    assert r.applications["carried_over"]["natural_person"] == 1
    assert "applications/carried_over/natural_person" in r.derived
    assert not [f for f in r.findings if f.code == "unknown-row"]


def test_a_row_printed_twice_not_determined_is_null():
    rows = [(label, n) for label, n in _FULL if not label.startswith("四")]  # no balance to derive it by
    md = _app_markdown(rows, "（续表）\n\n" + _APP_HEAD + "| 二、上年结转政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n")
    r = gxparse.parse(md.encode(), format="markdown")
    assert r.applications["carried_over"]["natural_person"] is None
    assert any(f.code == "missing-value" and "两处数值不同" in f.message for f in r.findings)


def test_a_second_copy_of_the_table_after_the_review_table():
    review = ("## 四、政府信息公开行政复议、行政诉讼情况\n\n| 行政复议 | | | | | 行政诉讼 |\n|---|---|---|---|---|---|\n"
              "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | … |\n")
    nums = "| " + " | ".join(["0"] * 15) + " |\n"
    copy = _APP_HEAD + "".join(f"| {label} | {n + (1 if label.startswith('（二）') else 0)} | 0 | 0 | 0 | 0 | 0 | "
                               f"{n + (1 if label.startswith('（二）') else 0)} |\n" for label, n in _FULL)
    md = _app_markdown(_FULL, review + nums + "\n附：\n\n" + copy)
    r = gxparse.parse(md.encode(), format="markdown")
    assert [f.where for f in r.findings if f.code == "repeated-row"] == ["applications/results.partially_disclosed"]


def test_repeated_rows_rule_off_is_an_unknown_row():
    md = _app_markdown(_FULL, "（续表）\n\n" + _APP_HEAD + "| 二、上年结转政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n")
    doc = gxparse.extract(md.encode(), format="markdown")
    from gxparse._mapping import RULES, map_records

    on = map_records(doc)
    off = map_records(doc, rules=RULES.disable("repeated-rows"))
    assert [f.code for f in on.findings if f.code in ("repeated-row", "unknown-row")] == ["repeated-row"]
    assert [f.code for f in off.findings if f.code in ("repeated-row", "unknown-row")] == ["unknown-row"]


def test_an_item_table_printed_twice():
    html = ("<h1>某局2023年政府信息公开工作年度报告</h1><p>二、主动公开政府信息情况</p>"
            "<table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
            "<tr><td>规章</td><td>3</td><td>0</td><td>9</td></tr>"
            "<tr><td>行政规范性文件</td><td>2</td><td>1</td><td>5</td></tr></table>"
            "<p>（续表）</p>"
            "<table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
            "<tr><td>行政规范性文件</td><td>2</td><td>1</td><td>6</td></tr></table>")
    r = gxparse.parse(html.encode(), format="html")
    assert r.active_disclosure["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": None}
    [f] = [f for f in r.findings if f.code == "repeated-row"]
    assert f.where == "active_disclosure/normative_documents" and f.evidence["second"] == {"in_force": "6"}


_REVIEW = "reviews_and_litigation"
_CAPTION = {"markdown": "续表\n\n", "html": "<p>续表</p>\n", "text-tab-rows": "续表\n"}


def _review_twice(flavour: str, second: dict[str, int], between: str | None = None) -> gxparse.Report:
    """:func:`_review_twice_text` read."""
    return gxparse.parse(_review_twice_text(flavour, second, between), format=FLAVOURS[flavour].adapter)


def _review_twice_text(flavour: str, second: dict[str, int], between: str | None = None) -> bytes:
    """A 2021 report whose review table (行政复议 2 0 0 0 2, the rest 0) is printed again after it,
    as a 续表 (``between``: the line before the copy) with ``second``'s values changed."""
    first = zero_report("2021").with_value(f"{_REVIEW}/administrative_review/upheld", 2) \
        .with_value(f"{_REVIEW}/administrative_review/total", 2)
    copy = first
    for path, v in second.items():
        copy = copy.with_value(f"{_REVIEW}/{path}", v)

    def lines(report: GeneratedReport) -> tuple[list[str], int, int]:
        out = render(report, flavour).text().split("\n")
        head = next(i for i, ln in enumerate(out) if "行政复议、行政诉讼情况" in ln)
        end = next(i for i, ln in enumerate(out) if "五、存在的主要问题" in ln)
        return out, head + 1, end

    text, _, end = lines(first)
    other, a, b = lines(copy)
    doc = [*text[:end], between if between is not None else _CAPTION[flavour], *other[a:b], *text[end:]]
    return "\n".join(doc).encode()


@pytest.mark.parametrize("flavour", list(_CAPTION))
def test_review_table_printed_twice_differently_is_taken_from_neither(flavour):
    r = _review_twice(flavour, {"administrative_review/upheld": 1, "administrative_review/total": 1})
    assert r.reviews_and_litigation["administrative_review"] == {
        "upheld": None, "corrected": 0, "other": 0, "pending": 0, "total": None}
    assert r.reviews_and_litigation["litigation_direct"]["total"] == 0
    [f] = [f for f in r.findings if f.code == "repeated-row"]
    assert f.severity == "error" and f.where == f"{_REVIEW}/administrative_review"
    assert f.evidence["first"] == {"upheld": "2", "total": "2"}
    assert f.evidence["second"] == {"upheld": "1", "total": "1"}
    assert len(f.evidence["places"]) == 2 and f.evidence["places"][0] != f.evidence["places"][1]


@pytest.mark.parametrize("flavour", list(_CAPTION))
def test_review_table_printed_twice_in_another_row(flavour):
    r = _review_twice(flavour, {"litigation_after_review/corrected": 4, "litigation_after_review/total": 4})
    assert r.reviews_and_litigation["administrative_review"]["upheld"] == 2
    assert r.reviews_and_litigation["litigation_after_review"]["corrected"] is None
    assert [f.where for f in r.findings if f.code == "repeated-row"] == [f"{_REVIEW}/litigation_after_review"]


@pytest.mark.parametrize("flavour", list(_CAPTION))
def test_review_table_printed_twice_alike_is_taken(flavour):
    r = _review_twice(flavour, {})
    assert r.reviews_and_litigation["administrative_review"] == {
        "upheld": 2, "corrected": 0, "other": 0, "pending": 0, "total": 2}
    assert not [f for f in r.findings if f.severity == "error"]


def test_review_table_printed_twice_rule_off_keeps_the_first():
    from gxparse._mapping import RULES, map_records

    doc = gxparse.extract(_review_twice_text("markdown", {"administrative_review/upheld": 1,
                                                          "administrative_review/total": 1}), format="markdown")
    on, off = map_records(doc), map_records(doc, rules=RULES.disable("repeated-rows"))
    path = f"{_REVIEW}/administrative_review/upheld"
    assert on.values[path].value is None and off.values[path].value == 2
    assert [f.code for f in off.findings if f.code == "repeated-row"] == []


def test_prose_after_the_review_table_naming_it_is_no_second_print():
    # the anchor word in the next lines, with a number, but no header: not the table again
    r = _review_twice("text-tab-rows", {}, between="注：行政复议\t1\t件")
    assert r.reviews_and_litigation["administrative_review"]["upheld"] == 2
    assert not [f for f in r.findings if f.code == "repeated-row"]


# ---------------------------------------------------------------------------
# labels written short, read by their number in their group
# ---------------------------------------------------------------------------

_SHORT = [("一、本年新收政府信息公开申请数量", 40), ("二、上年结转政府信息公开申请数量", 2),
          ("三、本年度办理结果 （一）予以公开", 10), ("（二）部分公开", 3),
          ("（三）不予公开 1.国家秘密", 1), ("2.法律法规禁止", 2), ("3.三安全一稳定", 0), ("4.第三方权益", 1),
          ("5.内部事务", 0), ("6.过程性信息", 1), ("7.执法案卷", 0), ("8.查询事项", 1),
          ("（四）无法提供 1.不掌握", 5), ("2.需另行制作", 1), ("3.补正后不明确", 2),
          ("（五）不予处理 1.信访举报", 1), ("2.重复申请", 2), ("3.公开出版物", 0), ("4.大量反复", 1),
          ("5.确认或重新出具", 0), ("（六）其他处理 1.逾期不补正", 3), ("2.逾期不缴费", 1), ("3.其他", 2),
          ("（七）总计", 37), ("四、结转下年度继续办理", 5)]
_KEYS = ["received_new", "carried_over", "results.disclosed", "results.partially_disclosed",
         *(f"results.withheld.{k}" for k in ("state_secret", "prohibited_by_law", "security_stability",
                                              "third_party_rights", "internal_affairs", "process_information",
                                              "enforcement_case_files", "administrative_query")),
         *(f"results.unavailable.{k}" for k in ("not_held", "needs_creation", "unclear_after_correction")),
         *(f"results.not_processed.{k}" for k in ("petition_complaint", "duplicate", "publication",
                                                   "excessive_repeated", "confirm_or_reissue")),
         "results.other.overdue_correction", "results.other.overdue_fee", "results.other.other", "results.total",
         "carried_forward"]


def test_every_group_written_short():
    r = gxparse.parse(_app_markdown(_SHORT).encode(), format="markdown")
    assert {k: r.applications[k]["natural_person"] for k in _KEYS} == dict(zip(_KEYS, (n for _, n in _SHORT)))
    short = {f.where.split("/")[1] for f in r.findings if f.code == "label-variant"}
    assert short == {k for (label, _), k in zip(_SHORT, _KEYS) if "." in label and k != "results.not_processed.duplicate"
                     and k != "results.other.other"}
    assert {f.code for f in r.errors} == {"missing-table"}  # the other two tables are not in it
    assert not [f for f in r.findings if f.code == "unknown-row"]


def test_short_items_with_the_group_label_in_a_cell_of_its_own():
    html = ("<h1>某局2023年政府信息公开工作年度报告</h1><p>三、收到和处理政府信息公开申请情况</p><table>"
            "<tr><td colspan=2>申请人情况</td><td>自然人</td><td>商业企业</td><td>科研机构</td><td>社会公益组织</td>"
            "<td>法律服务机构</td><td>其他</td><td>总计</td></tr>"
            "<tr><td colspan=2>一、本年新收政府信息公开申请数量</td>" + "<td>4</td>" + "<td>0</td>" * 5 + "<td>4</td></tr>"
            "<tr><td rowspan=3>（六）其他处理</td><td>1.逾期不补正</td>" + "<td>2</td>" + "<td>0</td>" * 5 + "<td>2</td></tr>"
            "<tr><td>2.逾期不缴费</td>" + "<td>1</td>" + "<td>0</td>" * 5 + "<td>1</td></tr>"
            "<tr><td>3.其他</td>" + "<td>1</td>" + "<td>0</td>" * 5 + "<td>1</td></tr>"
            "<tr><td colspan=2>（七）总计</td>" + "<td>4</td>" + "<td>0</td>" * 5 + "<td>4</td></tr></table>")
    r = gxparse.parse(html.encode(), format="html")
    got = {k: r.applications[k]["natural_person"] for k in ("results.other.overdue_correction",
                                                            "results.other.overdue_fee", "results.other.other")}
    assert got == {"results.other.overdue_correction": 2, "results.other.overdue_fee": 1, "results.other.other": 1}


def test_a_number_beyond_the_group_is_no_item():
    rows = [*_SHORT[:20], ("（六）其他处理 1.逾期不补正", 3), ("4.逾期不缴费", 1), ("3.其他", 2), *_SHORT[23:]]
    r = gxparse.parse(_app_markdown(rows).encode(), format="markdown")
    assert r.applications["results.other.overdue_fee"]["natural_person"] in (None, 1)  # derived, never taken by 4.
    assert any(f.code == "unknown-row" for f in r.findings)


def _official_rows(values: dict[str, int], labels: dict[str, str] | None = None,
                   order: list[str] | None = None) -> list[tuple[str, int]]:
    """The applications rows of the 2021 form by their official labels (or ``labels``), each with its
    value (0 unless in ``values``; the results total their sum), in the form's order (or ``order``'s
    keys first where they are)."""
    from gxparse.form import TEMPLATES, Role

    rows = [r for r in TEMPLATES["2021"].table("applications").rows
            if r.role not in (Role.HEADING, Role.GROUP_TOTAL)]
    results = sum(v for k, v in values.items() if k.startswith("results."))
    values = {"received_new": results, **values, "results.total": results}
    keys = [r.key for r in rows]
    if order:
        at = sorted(keys.index(k) for k in order)
        for pos, k in zip(at, order):
            keys[pos] = k
    label = {r.key: (labels or {}).get(r.key, r.label) for r in rows}
    return [(label[k], values.get(k, 0)) for k in keys]


def _no_group_invented(r: gxparse.Report, group: str) -> None:
    assert r.applications.get(group) is None, r.applications.get(group)
    assert not [f for f in r.findings if f.code == "group-total"]


def test_a_group_whose_first_printed_item_is_not_its_first():
    # （三）不予公开 3.危及… printed first, then 2., then 1.: each is the item its label names
    values = {"results.withheld.state_secret": 1, "results.withheld.prohibited_by_law": 2,
              "results.withheld.security_stability": 4}
    order = ["results.withheld.security_stability", "results.withheld.prohibited_by_law",
             "results.withheld.state_secret"]
    labels = {"results.withheld.security_stability": "（三）不予公开 3.危及“三安全一稳定”",
              "results.withheld.state_secret": "1.属于国家秘密"}
    r = gxparse.parse(_app_markdown(_official_rows(values, labels, order)).encode(), format="markdown")
    _no_group_invented(r, "results.withheld")
    assert {k: r.applications[k]["natural_person"] for k in values} == values
    assert not [f for f in r.findings if f.code == "unknown-row"]
    assert not r.derived


def test_a_group_label_before_another_item_is_no_group_row():
    # （六）其他处理 1.逾期不缴费 / 2.逾期不补正: the numbers are not the form's, the labels say which is which
    values = {"results.other.overdue_correction": 7, "results.other.overdue_fee": 1}
    labels = {"results.other.overdue_fee": "（六）其他处理 1.逾期不缴费", "results.other.overdue_correction": "2.逾期不补正"}
    order = ["results.other.overdue_fee", "results.other.overdue_correction"]
    r = gxparse.parse(_app_markdown(_official_rows(values, labels, order)).encode(), format="markdown")
    _no_group_invented(r, "results.other")
    assert r.applications["results.other.overdue_correction"]["natural_person"] == 7
    assert r.applications["results.other.overdue_fee"]["natural_person"] == 1  # never 7: read or derived


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_applications_table_printed_twice(fmt):
    values = {"results.disclosed": 5, "results.withheld.security_stability": 2, "results.other.overdue_fee": 1}
    first = _official_rows(values)
    second = [(label, n + (1 if label.startswith("四、") else 0)) for label, n in first]
    if fmt == "markdown":
        doc = _app_markdown(first, "续表\n\n" + _APP_HEAD + "".join(
            f"| {label} | {n} | 0 | 0 | 0 | 0 | 0 | {n} |\n" for label, n in second))
    else:
        head = "申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
        body = ["".join(f"{label}\t{n}\t0\t0\t0\t0\t0\t{n}\n" for label, n in rows) for rows in (first, second)]
        doc = ("某局2023年政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n\n" + head + body[0]
               + "\n续表\n\n" + head + body[1])
    r = gxparse.parse(doc.encode(), format=fmt)
    for group in ("results.withheld", "results.unavailable", "results.not_processed", "results.other"):
        _no_group_invented(r, group)
    assert [f.where for f in r.findings if f.code == "repeated-row"] == ["applications/carried_forward"]
    assert not [f for f in r.findings if f.code == "unknown-row"]
    assert r.applications["results.withheld.security_stability"]["natural_person"] == 2


# ---------------------------------------------------------------------------
# a forced template the headers contradict
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("form, forced", [("2021", "2019"), ("2019", "2021")])
def test_forced_template_contradicted_by_the_headers(form, forced):
    doc = to_document(zero_report(form))
    r = gxparse.map_document(doc, template=forced)
    [f] = [f for f in r.findings if f.code == "template-mismatch"]
    assert f.severity == "error" and f.where == "template"
    assert (f.evidence["forced"], f.evidence["headers"]) == (forced, form)
    assert r.template == forced  # read as asked, and said to be wrong


@pytest.mark.parametrize("form", ["2019", "2021"])
def test_forced_template_the_headers_agree_with(form):
    r = gxparse.map_document(to_document(zero_report(form)), template=form)
    assert not [f for f in r.findings if f.code == "template-mismatch"]


def test_forced_template_without_header_words_is_no_mismatch():
    r = gxparse.parse(_app_markdown(_FULL).encode(), format="markdown", template="2019")
    assert not [f for f in r.findings if f.code == "template-mismatch"]
