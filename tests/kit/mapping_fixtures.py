"""Golden mapping fixtures: records in, the mapping out, in files anyone can add to.

A fixture file (``tests/fixtures/mapping/*.txt``) holds cases in the style of
markdown-it's fixtures: a title, a line with a single ``.``, the records of a
table as ``gxparse inspect FILE --stage records`` prints them, ``.``, the
expected mapping as :func:`render` writes it, ``.``; cases are separated by
blank lines. A title may name, in brackets, the mapping rules the case is the
fixture of (``[bare-rows] a row printed as its label alone …``): the case must
then come out differently with each of them switched off.

A record line is ``[index] t<pseudo-table> <place>: <labels> | <values>``
with ``⟨above: …⟩`` / ``⟨below: …⟩`` for the label-only lines wrapped around
it; cells are separated by spaces (white space inside a cell is ``␣``, an
empty cell ``□``), and a cell of a table's grid ends in ``@row.col`` (or
``@row.first-last``). The index is ignored: records are numbered in order.

To add a case: take the records of the table from ``gxparse inspect FILE
--stage records`` (or write them), and let ``python tests/kit/mapping_fixtures.py
case RECORDS_FILE "title"`` print the case with the mapping gxparse gives
today; check that mapping by hand before committing it. For a new rule,
``python tests/kit/mapping_fixtures.py rule RULE RECORDS_FILE "[rule] title"``
shrinks the records to the shortest run whose mapping depends on the rule.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

from gxparse import Document, Provenance
from gxparse._mapping import RULES, Mapped, Ruler, SlotState, map_records
from gxparse._normalize import parse_value
from gxparse._records import EMPTY_MARK, SPACE_MARK, RCell, Record

__all__ = ["FIXTURES", "Case", "map_case", "parse_records", "read_cases", "render"]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mapping"

_LINE = re.compile(r"^\[\d+\] t(?P<table>\d+) ?(?P<loc>.*?): (?P<body>.*?)"
                   r"(?:   ⟨above: (?P<above>.*?)⟩)?(?:   ⟨below: (?P<below>.*?)⟩)?$")
_GRID = re.compile(r"^(?P<text>.*)@(?P<row>\d+)\.(?P<col>\d+)(?:-(?P<last>\d+))?$")
_RULE_TAGS = re.compile(r"\[([a-z][a-z\-]*)\]")


@attrs.frozen
class Case:
    """One fixture case: its title, the records, the expected mapping, and where it is."""

    title: str
    records: str
    expected: str
    path: Path
    line: int

    @property
    def rules(self) -> tuple[str, ...]:
        """The rules the title names in brackets."""
        return tuple(_RULE_TAGS.findall(self.title))

    @property
    def id(self) -> str:
        """A short name for the test report: file and line."""
        return f"{self.path.stem}:{self.line}"


def read_cases(path: Path) -> list[Case]:
    """The cases of one fixture file; raises ValueError naming the line of a case left unfinished."""
    cases: list[Case] = []
    parts: list[list[str]] = [[]]
    start = 0
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line == ".":
            parts.append([])
            if len(parts) == 4:
                title, records, expected = ("\n".join(p).strip() for p in parts[:3])
                cases.append(Case(title, records, expected, path, start))
                parts = [[]]
            continue
        if len(parts) == 1 and not parts[0] and not line.strip():
            continue
        if len(parts) == 1 and not parts[0]:
            start = n
        parts[-1].append(line)
    if any(parts[0]) or len(parts) > 1:
        raise ValueError(f"{path}:{start}: a case without its closing '.'")
    return cases


def all_cases() -> list[Case]:
    """Every case of every fixture file."""
    return [c for p in sorted(FIXTURES.glob("*.txt")) for c in read_cases(p)]


def _cell(token: str, table: int, row: int, prov: Provenance | None, label: bool) -> tuple[RCell, int]:
    """A cell from its printed form; a cell off the grid gets a row of its own (the next one)."""
    m = _GRID.match(token)
    grid = m is not None
    text = m.group("text") if m else token
    text = "" if text == EMPTY_MARK else text.replace(SPACE_MARK, " ")
    col = span = None
    if m:
        row, col = int(m.group("row")), int(m.group("col"))
        span = int(m.group("last") or col) - col + 1
    return RCell(text, parse_value(text), label, table, row, col, span or 1, prov, grid), row


def parse_records(text: str) -> list[Record]:
    """Records from their printed lines (blank lines and lines starting with ``#`` skipped); raises
    ValueError naming a line that is not a record."""
    records: list[Record] = []
    rows = _RowCounter()
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = _LINE.match(line)
        if m is None:
            raise ValueError(f"not a record line: {line!r}")
        table = int(m.group("table"))
        prov = Provenance("fixture", locator=m.group("loc")) if m.group("loc") else None
        body = m.group("body")
        labels_text, _, values_text = ("", "|", body[1:]) if body.startswith("|") else body.partition(" |")
        rec = Record(table=table, index=len(records))
        rec.context.extend(rows.cells(m.group("above") or "", table, prov, True))
        rec.labels.extend(rows.cells(labels_text, table, prov, True))
        rec.values.extend(rows.cells(values_text, table, prov, False))
        rec.tail.extend(rows.cells(m.group("below") or "", table, prov, True))
        records.append(rec)
    return records


class _RowCounter:
    """Rows for cells off the grid: each its own, after every row seen so far in its pseudo-table."""

    def __init__(self) -> None:
        self.next: dict[int, int] = {}

    def cells(self, text: str, table: int, prov: Provenance | None, label: bool) -> Iterator[RCell]:
        for token in text.split():
            cell, row = _cell(token, table, self.next.get(table, 0), prov, label)
            self.next[table] = max(self.next.get(table, 0), row + 1)
            yield cell


def map_case(case: Case, rules: Ruler = RULES, template: str | None = None) -> Mapped:
    """The case's records mapped (with these rules)."""
    return map_records(Document([]), parse_records(case.records), template, rules)


_MARKS = {SlotState.BLANK: "□", SlotState.ABSENT: "·", SlotState.UNREADABLE: "?", SlotState.AMBIGUOUS: "~",
          SlotState.UNPLACEABLE: "×", SlotState.EXTRA: "+", SlotState.REPEATED: "≠"}


def render(mapped: Mapped, rules: bool = True) -> str:
    """The mapping as a fixture states it: the edition; each table with the rules that located and
    shaped it; each row mapped, its values by column (a number; □ blank, · absent, ? unreadable,
    ~ ambiguous, × unplaceable, + extra) and the rules that matched and placed it; then the findings
    (``!``), why rows are null (``?``), ambiguous rows (``~``) and printed units (``$``).
    ``rules=False``: without the rules' names (what the mapping is, not how it was found)."""
    fired = dict(mapped.rules_fired) if rules else {}
    lines = [_braced(f"template {mapped.template.id}", fired.get("*", ()))]
    table_key = None
    for entry in mapped.trace:
        if entry.table != table_key:
            table_key = entry.table
            lines.append(_braced(f"table {table_key}", fired.get(table_key, ())))
        lines += _entry_lines(mapped, entry.table, entry.row, entry.rules if rules else ())
    lines += [f"! {f.code} {f.where} {f.message}" for f in mapped.findings]
    lines += [f"? {path} {note.reason}" for path, note in mapped.row_notes.items()]
    lines += [f"~ {path} {len(alts)} placements" for path, alts in mapped.alternatives.items()]
    lines += [f"$ {path} {unit}" for path, unit in mapped.units.items()]
    return "\n".join(lines)


def _braced(text: str, rules: Sequence[str]) -> str:
    return f"{text}  {{{', '.join(rules)}}}" if rules else text


def _entry_lines(mapped: Mapped, table_key: str, row_key: str, rules: Sequence[str]) -> list[str]:
    table = mapped.template.table(table_key)
    keys = [r.key for r in table.rows] if row_key == "*" else [row_key]
    out = []
    for key in keys:
        cols = table.columns_of(table.row(key))
        slots = [mapped.values.get(f"{table_key}/{key}/{c.key}") for c in cols]
        shown = " ".join("" if s is None else str(s.value) if s.value is not None else _MARKS[s.state]
                         for s in slots) if any(s is not None for s in slots) else "(label only)"
        out.append(f"{table_key}/{key}  {shown}")
    out[0] = _braced(out[0], rules)
    return out


def depends_on(records: str, rule: str) -> bool:
    """Does the mapping of these records change (beyond the rules' names) with the rule off?"""
    recs = parse_records(records)
    on = render(map_records(Document([]), recs), rules=False)
    off = render(map_records(Document([]), parse_records(records), None, RULES.disable(rule)), rules=False)
    return on != off


def shrink(records: str, rule: str) -> str:
    """The shortest run of consecutive record lines whose mapping still depends on ``rule``
    (lines dropped from either end while it holds); ``records`` must depend on it."""
    lines = [ln for ln in records.splitlines() if ln.strip()]
    for end in (0, -1):
        while len(lines) > 1:
            trial = lines[1:] if end == 0 else lines[:-1]
            if not depends_on("\n".join(trial), rule):
                break
            lines = trial
    return "\n".join(lines)


def case_text(title: str, records: str, mapped: Mapped) -> str:
    """A new case, with the mapping gxparse gives today as its expected output."""
    return f"{title}\n.\n{records.strip()}\n.\n{render(mapped)}\n.\n"


def main(argv: Sequence[str]) -> int:
    """``case RECORDS_FILE TITLE``: print a case for the records in the file (``-`` for standard
    input); ``rule RULE RECORDS_FILE TITLE``: the same, shrunk to the shortest run of records whose
    mapping still depends on the rule."""
    if len(argv) == 3 and argv[0] == "case":
        records = _read(argv[1])
    elif len(argv) == 4 and argv[0] == "rule":
        records = _read(argv[2])
        if not depends_on(records, argv[1]):
            print(f"the mapping of these records does not depend on {argv[1]}", file=sys.stderr)
            return 1
        records = shrink(records, argv[1])
    else:
        print(__doc__)
        return 2
    mapped = map_records(Document([]), parse_records(records))
    print(case_text(argv[-1], records, mapped), end="")
    return 0


def _read(name: str) -> str:
    return sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
