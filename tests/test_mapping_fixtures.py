"""Golden mapping fixtures (tests/fixtures/mapping/*.txt): records in, the mapping out.

Every case maps as it says; a case titled ``[rule]`` maps differently with that rule
switched off; every rule of the mapper has such a case. See tests/kit/mapping_fixtures.py
for the format and for the command that writes a new case.
"""

from __future__ import annotations

import difflib

import pytest

from gxparse._mapping import RULES
from gxparse._records import dump_record

from kit.mapping_fixtures import all_cases, map_case, parse_records, read_cases, render

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_maps_as_the_fixture_says(case):
    got = render(map_case(case))
    assert got == case.expected, "\n".join(difflib.unified_diff(
        case.expected.splitlines(), got.splitlines(), "fixture", "gxparse", lineterm=""))


RULE_CASES = [(c, rule) for c in CASES for rule in c.rules]


@pytest.mark.parametrize(("case", "rule"), RULE_CASES, ids=[f"{c.id}-{r}" for c, r in RULE_CASES])
def test_case_depends_on_its_rule(case, rule):
    assert render(map_case(case), rules=False) != render(map_case(case, RULES.disable(rule)), rules=False), \
        f"{case.id} maps the same with {rule} off: it is no fixture of that rule"


def test_every_rule_has_a_fixture_case():
    covered = {rule for c in CASES for rule in c.rules}
    assert set(RULES.names()) - covered == set()
    assert covered <= set(RULES.names()), covered - set(RULES.names())


def test_fixture_cases_name_their_rules_when_they_fire():
    # the rules a case is the fixture of appear in its expected mapping (they fired)
    for case in CASES:
        for rule in case.rules:
            assert rule in case.expected, (case.id, rule)


def test_records_print_reads_back(tmp_path):
    # what `inspect --stage records` prints is what a fixture holds: it reads back to the same records
    import gxparse
    from gxparse._records import build_records

    text = "\n".join(["规章\t1\t0\t2", "行政规范性文件\t0\t0\t0", "四、无正当理由大量　重复申请\t0\t\t1"])
    records = build_records(gxparse.extract(text))
    again = parse_records("\n".join(dump_record(r) for r in records))
    assert [dump_record(r) for r in again] == [dump_record(r) for r in records]


def test_an_unfinished_case_is_an_error(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("[bare-rows] title\n.\n[0] t0 line 1: 规章 | 1 0 2\n.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="closing"):
        read_cases(path)


def test_the_mapper_asks_only_for_rules_it_has():
    # a rule is switched by its name ("name" in switches): a misspelt name would be silently off,
    # and a rule no stage asks for would be a dead switch
    import re
    from pathlib import Path

    import gxparse._mapping as mapping

    src = "\n".join(p.read_text(encoding="utf-8") for p in Path(mapping.__file__).parent.glob("*.py")
                    if p.name != "_rules.py")
    asked = set(re.findall(r'"([a-z][a-z\-]+)" (?:not )?in (?:ctx\.)?(?:switches|on)\b', src))
    asked |= set(re.findall(r'rules\.on\("([a-z][a-z\-]+)"\)', src))
    asked |= set(re.findall(r'\("([a-z][a-z\-]+)", lambda', src))  # the header rules' chain
    assert asked <= set(RULES.names()), asked - set(RULES.names())
    assert set(RULES.names()) <= asked, set(RULES.names()) - asked
