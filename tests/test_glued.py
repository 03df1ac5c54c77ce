"""Tables a crawler flattened into running text (corpus/pingtan_1.txt, pingtan_4.txt)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import gxparse
from gxparse._glued import _specs, candidate_splits, split_cells


def spec(key, template="2021"):
    return next(s for s in _specs(template) if s.key == key)


@pytest.mark.parametrize("run, key, cells", [
    ("713000074", "applications/received_new", ["71", "3", "0", "0", "0", "0", "74"]),
    ("230 000023", "applications/received_new", ["23", "0", "0", "0", "0", "0", "23"]),
    ("23 0 00 0 023", "applications/results.total", ["23", "0", "0", "0", "0", "0", "23"]),
    ("0 0 00 00 0", "applications/carried_forward", ["0"] * 7),
    ("8100009", "applications/results.partially_disclosed", ["8", "1", "0", "0", "0", "0", "9"]),
    ("000", "active_disclosure/regulations", ["0", "0", "0"]),
    ("10690", "active_disclosure/licensing", ["10690"]),
    ("9116.36", "active_disclosure/fees", ["9116.36"]),
    ("0 1 1 0 2 1 0 0 0 1 0 0 0 0 0", "reviews_and_litigation", ["0", "1", "1", "0", "2", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0"]),
    ("000000000000000", "reviews_and_litigation", ["0"] * 15),
])
def test_unique_splits(run, key, cells):
    assert split_cells(run, spec(key)) == cells


@pytest.mark.parametrize("run, key", [
    ("8855698", "active_disclosure/normative_documents"),  # three counts, no invariant: many splits
    ("33003", "applications/received_new"),  # too few digits for seven cells
    ("1111111111", "applications/received_new"),  # no split satisfies 总计 = 各列之和
    ("101000011", "applications/received_new"),  # 10,1,0,0,0,0,11 and 1,0,10,0,0,0,11: two splits fit
])
def test_uncertain_splits_give_nothing(run, key):
    assert split_cells(run, spec(key)) is None


def test_pingtan_4_numbers_checked_by_hand(corpus_dir):
    r = gxparse.parse(corpus_dir / "pingtan_4.txt")
    assert (r.template, r.meta.agency, r.meta.year) == ("2021", "平潭综合实验区", 2022)
    assert r.errors == ()
    a = r.applications
    assert list(a["received_new"].values()) == [71, 3, 0, 0, 0, 0, 74]
    assert list(a["carried_over"].values()) == [1, 0, 0, 0, 0, 0, 1]
    assert list(a["results.disclosed"].values()) == [21, 0, 0, 0, 0, 0, 21]
    assert list(a["results.partially_disclosed"].values()) == [8, 1, 0, 0, 0, 0, 9]
    assert list(a["results.unavailable.not_held"].values()) == [37, 0, 0, 0, 0, 0, 37]
    assert list(a["results.other.other"].values()) == [0, 2, 0, 0, 0, 0, 2]
    assert list(a["results.total"].values()) == [72, 3, 0, 0, 0, 0, 75]
    assert list(a["carried_forward"].values()) == [0] * 7
    assert r.reviews_and_litigation["administrative_review"] == {
        "upheld": 0, "corrected": 1, "other": 1, "pending": 0, "total": 2}
    assert r.reviews_and_litigation["litigation_direct"]["total"] == 1
    ad = r.active_disclosure
    assert ad["licensing"]["decisions"] == 10690 and ad["penalty"]["decisions"] == 2113
    assert str(ad["fees"]["amount_10k_yuan"]) == "9116.36"
    # 8855698 cannot be split into three counts with certainty: null, and said so
    assert ad["normative_documents"] == {"issued": None, "repealed": None, "in_force": None}
    assert any(f.code == "unreadable" and "8855698" in f.message for f in r.findings)


def test_pingtan_1_numbers_checked_by_hand(corpus_dir):
    r = gxparse.parse(corpus_dir / "pingtan_1.txt")
    assert (r.template, r.meta.agency, r.meta.year) == ("2019", "平潭综合实验区", 2019)
    assert r.errors == ()
    a = r.applications
    assert list(a["received_new"].values()) == [23, 0, 0, 0, 0, 0, 23]
    assert list(a["results.disclosed"].values()) == [7, 0, 0, 0, 0, 0, 7]
    assert list(a["results.unavailable.not_held"].values()) == [7, 0, 0, 0, 0, 0, 7]
    assert list(a["results.not_processed.duplicate"].values()) == [3, 0, 0, 0, 0, 0, 3]
    assert list(a["results.other"].values()) == [0] * 7
    assert list(a["results.total"].values()) == [23, 0, 0, 0, 0, 0, 23]
    assert all(v == 0 for g in r.reviews_and_litigation.values() for v in g.values())
    assert r.active_disclosure["regulations"] == {"made": 0, "published": 0, "total_published": 0}
    assert r.active_disclosure["licensing"] == {"previous_items": None, "change": None, "decisions": None}


def test_prose_mention_is_not_a_table():
    doc = gxparse.Document([gxparse.Paragraph("今年我局制定规范性文件88件，其中行政许可3件。" * 5)])
    from gxparse._glued import unglue

    assert unglue(doc) is doc


# ---------------------------------------------------------------------------
# signs, and splits decided over the whole table (issue 15, item 3)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("run, key, template, cells", [
    ("35-15", "active_disclosure/fees", "2019", ["35", "-15"]),  # 本年增/减 may be negative
    ("35 -15", "active_disclosure/fees", "2019", ["35", "-15"]),
    ("1-23", "active_disclosure/licensing", "2019", ["1", "-2", "3"]),  # only 本年增/减 takes the sign
    ("12-3", "active_disclosure/licensing", "2019", None),  # -3 would be 处理决定数量: a count is never negative
    ("3-5", "active_disclosure/regulations", "2019", None),  # no column of the row is signed
    ("7-0000-7", "applications/received_new", "2021", None),
])
def test_a_sign_only_where_the_form_allows_a_negative_number(run, key, template, cells):
    assert split_cells(run, spec(key, template)) == cells


def _pingtan_1_with_fees(digits: str, corpus_dir) -> gxparse.Report:
    text = (corpus_dir / "pingtan_1.txt").read_text(encoding="utf-8")
    changed = text.replace("行政事业性收费350", "行政事业性收费" + digits, 1)
    assert changed != text
    return gxparse.parse(changed.encode("utf-8"))


def test_a_negative_change_is_read_whole_never_as_two_digits(corpus_dir):
    # the report of the same archive that printed 行政事业性收费35-15 was read as 3 and 5, with no finding
    r = _pingtan_1_with_fees("35-15", corpus_dir)
    assert r.active_disclosure["fees"] == {"previous_items": 35, "change": -15}


def test_an_undecided_split_lists_its_candidates(corpus_dir):
    r = _pingtan_1_with_fees("3515", corpus_dir)
    assert r.active_disclosure["fees"] == {"previous_items": None, "change": None}
    (note,) = [f for f in r.findings if f.code == "unreadable" and "3515" in f.message]
    assert sorted(note.evidence["candidates"]) == [["3", "515"], ["35", "15"], ["351", "5"]]
    assert note.evidence["row"] == "active_disclosure/fees" and not note.evidence["too_many"]


def _row_specs(*keys):
    return [spec(k) for k in keys]


def test_the_balance_decides_a_row_its_own_total_cannot():
    from gxparse._glued import decide_jointly

    keys = ("applications/received_new", "applications/carried_over", "applications/results.total",
            "applications/carried_forward")
    rows = [candidate_splits("101000011", spec(keys[0])), [["0"] * 7],
            [["10", "1", "0", "0", "0", "0", "11"]], [["0"] * 7]]
    assert len(rows[0]) == 2  # 10,1,… and 1,0,10,…: both sum to 11
    out = decide_jointly("2021", rows, _row_specs(*keys))
    assert out[0] == ["10", "1", "0", "0", "0", "0", "11"]  # 上年结转 + 本年新收 = 办理结果 + 结转下年度
    # with the other side of the balance unknown, nothing decides the first three cells: never a
    # guess; the cells every split agrees on are read (…, 0, 0, 0, 11)
    out = decide_jointly("2021", [rows[0], rows[1], [], rows[3]], _row_specs(*keys))
    assert out[0] == [None, None, None, "0", "0", "0", "11"] and out[2] == [None] * 7


def test_no_consistent_combination_decides_nothing():
    from gxparse._glued import decide_jointly

    keys = ("applications/received_new", "applications/carried_over", "applications/results.total",
            "applications/carried_forward")
    rows = [candidate_splits("101000011", spec(keys[0])), [["0"] * 7],
            [["5", "0", "0", "0", "0", "0", "5"]], [["0"] * 7]]  # the report's own numbers disagree
    assert decide_jointly("2021", rows, _row_specs(*keys))[0] == [None, None, None, "0", "0", "0", "11"]


def test_two_undecided_rows_decided_together():
    from gxparse._glued import decide_jointly

    keys = ("applications/received_new", "applications/carried_over", "applications/results.total",
            "applications/carried_forward")
    rows = [candidate_splits("101000011", spec(keys[0])), [["0"] * 7],
            candidate_splits("101000011", spec(keys[2])), [["0"] * 7]]
    # 10,1,… = 10,1,… and 1,0,10,… = 1,0,10,… both balance: two consistent combinations disagree
    partly = [None, None, None, "0", "0", "0", "11"]
    assert decide_jointly("2021", rows, _row_specs(*keys)) == [partly, ["0"] * 7, partly, ["0"] * 7]


@pytest.mark.parametrize("edit, row", [
    ("行政事业性收费35—", "fees"), ("行政事业性收费35—15", "fees"), ("行政事业性收费35~15", "fees"),
    ("行政事业性收费35/15", "fees"), ("行政事业性收费35,15", "fees"), ("行政事业性收费35、15", "fees"),
    ("行政事业性收费35(15)", "fees"), ("行政事业性收费35*", "fees"), ("行政事业性收费35-", "fees"),
])
def test_digits_followed_by_a_mark_or_a_second_number_are_unreadable(corpus_dir, edit, row):
    # the digits before the mark were split on their own (35— read as 3 and 5), the rest dropped
    text = (corpus_dir / "pingtan_1.txt").read_text(encoding="utf-8")
    r = gxparse.parse(text.replace("行政事业性收费350", edit, 1).encode("utf-8"))
    assert set(r.active_disclosure[row].values()) == {None}
    assert any(f.code == "unreadable" and "行政事业性收费" in f.message for f in r.findings)


@pytest.mark.parametrize("old, new, row, want", [
    ("行政处罚2113", "行政处罚2,113", "penalty", {"decisions": 2113}),  # thousands: one cell, one number
    ("行政事业性收费9116.36", "行政事业性收费9,116.36", "fees", {"amount_10k_yuan": Decimal("9116.36")}),
    ("行政处罚2113", "行政处罚2113¹", "penalty", {"decisions": None}),
    ("行政许可10690", "行政许可1069O", "licensing", {"decisions": None}),
    ("行政规范性文件8855698", "行政规范性文件885*5698", "normative_documents",
     {"issued": None, "repealed": None, "in_force": None}),
    ("规章000", "规章123/4", "regulations", {"issued": None, "repealed": None, "in_force": None}),
])
def test_one_number_as_printed_in_glued_rows(corpus_dir, old, new, row, want):
    text = (corpus_dir / "pingtan_4.txt").read_text(encoding="utf-8")
    assert old in text
    r = gxparse.parse(text.replace(old, new, 1).encode("utf-8"))
    assert r.active_disclosure[row] == want


def test_a_total_every_split_agrees_on_is_read_and_checked(corpus_dir):
    # 一、本年新收 111000012: however it splits, it ends 0 0 0 12; the balance says 74: an error,
    # never a derived 74 that contradicts the printed total
    text = (corpus_dir / "pingtan_4.txt").read_text(encoding="utf-8")
    r = gxparse.parse(text.replace("713000074", "111000012", 1).encode("utf-8"))
    assert r.applications["received_new"]["total"] == 12
    assert "applications/received_new/total" not in r.derived
    assert any(f.code == "balance" for f in r.errors)
