"""The mapper's heuristics, as named rules in an ordered list, each with a switch.

As markdown-it-py keeps its parsing rules in a :class:`Ruler` (an ordered list
of named functions that can be enabled and disabled one by one), the mapper
keeps every heuristic it applies to a report as a :class:`Rule` here, in the
order the pipeline applies them, grouped by stage:

``detect`` → ``locate`` → ``align`` → ``place`` → ``variants``

A stage asks ``rules.on(name)`` before it applies a rule, and records the
names of the rules that changed its result; ``gxparse inspect FILE --stage
mapping`` prints them. Switching a rule off (``RULES.disable("bare-rows")``,
a new :class:`Ruler`) gives the mapper without that heuristic: what each rule
falls back to is said in its description. Each rule has a golden fixture case
in ``tests/fixtures/mapping/`` that fails when it is switched off.

A new kind of label or cell quirk is one more rule here, its code in the stage
it belongs to, and one more fixture case.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

__all__ = ["RULES", "STAGES", "Rule", "Ruler"]

#: The stages of the mapping pipeline, in order.
STAGES = ("detect", "locate", "align", "place", "variants")


@attrs.frozen
class Rule:
    """A named heuristic of one stage: what it does, and what the mapper does without it."""

    name: str
    stage: str
    description: str


@attrs.frozen
class Ruler:
    """An ordered list of named rules with a switch each (immutable: enabling or disabling
    returns a new Ruler)."""

    rules: tuple[Rule, ...]
    disabled: frozenset[str] = frozenset()
    _enabled: frozenset[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        names = [r.name for r in self.rules]
        if len(set(names)) != len(names):
            raise ValueError("rule names must be unique")
        unknown = self.disabled - set(names)
        if unknown:
            raise KeyError(f"unknown rules: {', '.join(sorted(unknown))}")
        object.__setattr__(self, "_enabled", frozenset(names) - self.disabled)

    def on(self, name: str) -> bool:
        """True if the rule is enabled; raises KeyError for a name the list does not hold."""
        if name in self._enabled:
            return True
        if name not in self.disabled:
            raise KeyError(name)
        return False

    def names(self, stage: str | None = None) -> tuple[str, ...]:
        """The rules' names, in order (of one stage, if given)."""
        return tuple(r.name for r in self.rules if stage is None or r.stage == stage)

    def get(self, name: str) -> Rule:
        """The rule of this name; raises KeyError."""
        for r in self.rules:
            if r.name == name:
                return r
        raise KeyError(name)

    def disable(self, *names: str) -> Ruler:
        """A ruler with these rules switched off; raises KeyError for an unknown name."""
        return attrs.evolve(self, disabled=self.disabled | frozenset(names))

    def enable(self, *names: str) -> Ruler:
        """A ruler with these rules switched on; raises KeyError for an unknown name."""
        for n in names:
            self.get(n)
        return attrs.evolve(self, disabled=self.disabled - frozenset(names))

    def only(self, names: Iterable[str]) -> Ruler:
        """A ruler with only these rules on."""
        keep = frozenset(names)
        return attrs.evolve(self, disabled=frozenset(r.name for r in self.rules if r.name not in keep))

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    @property
    def switches(self) -> frozenset[str]:
        """The names of the enabled rules (hashable: a cache key for rule-dependent results)."""
        return self._enabled


RULES = Ruler((
    # -- detect: which edition of the form --------------------------------------------------
    Rule("header-words", "detect",
         "the edition whose 主动公开 column headers (本年制发件数 … / 本年新制作数量 …) the document holds more of, "
         "each header word also found across line and cell breaks (本年新制 / 作数量). Off (or a tie): the "
         "default edition, 2021"),
    # -- locate: where each table's rows are ------------------------------------------------
    Rule("one-row-anchor-words", "locate",
         "the one-row table (行政复议/行政诉讼) starts at its anchor words (行政复议, 复议后起诉) in a label or its "
         "wrapped lines, after the first numbers of the table before it; it also ends the table before. "
         "Off: the anchor words in a label anywhere after the table before"),
    Rule("anchor-words", "locate",
         "a table with anchor words (申请人情况, 自然人, 勾稽关系, 本年新收) starts at the first label holding one "
         "after the table before. Off: right after the table before"),
    Rule("item-number-count", "locate",
         "a row of a table whose items have columns of their own (主动公开) holds at most one number more than "
         "its item's longest row: an applications row (7 numbers) is not an item row. Off: any count"),
    Rule("one-row-anchor-not-item", "locate",
         "a row naming the one-row table's anchor words (行政复议) is not an item of a table without anchors. "
         "Off: it may be"),
    Rule("section-end", "locate",
         "the one-row table's values end at the next section's heading (五、存在的主要问题 …) or a long line of "
         "prose. Off: they end when the table's count of numbers is reached"),
    # -- align: which record is which row -----------------------------------------------------
    Rule("exact-label", "align",
         "a label that names exactly one row of the table (after normalising) is matched to that row only. "
         "Off: scored against every row"),
    Rule("space-split-label", "align",
         "a label split by a space into two cells of one line (4.无正当理由大量 | 重复申请), the first with a "
         "numbering marker, is read as one label. Off: the last cell alone"),
    Rule("joined-label-cells", "align",
         "all label cells of a row joined (行政　处罚 split in space-aligned text; a group label in front) are "
         "scored too. Off: the row's own cell only"),
    Rule("numbered-label-start", "align",
         "a label that starts with its numbering marker does not continue the lines above it (a heading, or the "
         "label of a row printed without cells). Off: the lines above are part of its wrapped label"),
    Rule("wrapped-label-whole", "align",
         "a label broken over lines (（七）总 / 计; 3.要求 / 提供公开 / 出版物) matches its row when its lines join "
         "into exactly the row's label, also a two-character one that coverage (wrapped-label) cannot tell. Off: "
         "by coverage only"),
    Rule("wrapped-label", "align",
         "a label wrapped over lines above or below its numbers matches a row whose label its lines cover "
         "(three quarters of the label's bigrams). Off: the numbers' line only"),
    Rule("item-suffix", "align",
         "an item label ending in an item's label of four or more characters (第二十条第（一）项规章 …) names "
         "that item. Off: exact or similar labels only"),
    Rule("item-lines-above", "align",
         "an item label wrapped before its numbers, one cell per line (规范性文 / 件), is read with up to three "
         "label-only lines above it. Off: the numbers' line only"),
    Rule("item-unit-suffix", "align",
         "an item label followed by its unit in brackets (规章（件）, 行政许可（项）, 行政事业性收费（万元）) names "
         "the item; the unit is no part of the label (and no label-variant). Off: the bracketed unit is part of the "
         "label, and a short one (规章（件）) names no item"),
    Rule("numbered-items", "align",
         "items of a group written short (（六）其他处理 1.逾期不补正, 2.逾期不缴费, 3.其他) are found by their number "
         "within the group, between the rows matched around the group (label-variant); a record read as the group "
         "row whose label carries an item number after the group's label is that item: such a label is never the "
         "group row (a group row is one only when printed as one). Off: by label only (the first read as the group "
         "row, the second an unknown row)"),
    Rule("items-any-order", "align",
         "a group's items printed in another order than the form's (（三）不予公开 3.危及… first, 1.属于国家秘密 "
         "third): the records between the rows around the group are its items, each the one its label names "
         "clearly (else, numbered-items, the one of its number), when every record is one item and no item two. "
         "Off: in the form's order only (the others unknown rows)"),
    Rule("bare-rows", "align",
         "a row printed as its label alone (its cells all empty and dropped: ragged markdown, space-aligned "
         "text) is matched on its whole label between the rows matched around it; it adds no values, but its "
         "label-variant and a collapsed （六） left blank are reported. Off: such rows are not seen"),
    Rule("collapsed-group", "align",
         "a collapsible group (（六）其他处理 on the 2021 form) printed as one row without its items stands for "
         "them (template-deviation; the items derived or null). Off: read as a group row"),
    Rule("repeated-rows", "align",
         "a row with numbers that no table took and whose label names a matched row (exactly; inside the "
         "table, clearly) is that row printed again (a 续表, a second copy of the table): compared cell by cell, a "
         "value is kept only where both prints agree, else null with a repeated-row error naming both. The one-row "
         "table printed again after its values (its anchor words and header, then numbers) is compared row by row "
         "so. Off: an unknown row inside the table, ignored outside it; a second one-row table ignored"),
    Rule("unknown-rows", "align",
         "a row with numbers in a table's region that matches no row is reported (unknown-row). Off: not "
         "reported"),
    # -- place: which value is which column ---------------------------------------------------
    Rule("footnote-mark", "place",
         "a number with a superscript mark before or after it (6¹, ¹6, 6¹件, 6⁽*⁾: an adapter writes HTML's <sup> "
         "and Word's raised text so) is the number; the mark is set apart with a footnote-mark finding. Off: the "
         "cell is unreadable (null). A mark that may be a digit of the value (6①, 6*, 6[1], 6注1), subscript text "
         "(6₁) and a cell with two numbers (10 2, 3/4) are always unreadable"),
    Rule("item-header-block", "place",
         "an item row's values are placed by the header block just above it (the 2019 主动公开 table repeats a "
         "header per 第二十条 item). Off: the table's first header"),
    Rule("table-header", "place",
         "grid rows are placed by the grid columns of the table's header cells when they name every column. "
         "Off: in sequence"),
    Rule("stacked-header-words", "place",
         "a header word broken over header rows (自然 / 人, 总 / 计) is read from the cells covering the same "
         "grid columns, top to bottom. Off: whole cells only"),
    Rule("spaced-header-words", "place",
         "a header word broken by a space within one header row of space-aligned text (上一年项目 数量, 处理决 定数量) "
         "is read from neighbouring cells of the row joined. Off: whole cells only"),
    Rule("partial-header", "place",
         "a header naming some of the columns, not all (one cut off at the page edge, or never printed: the "
         "review table's last 总计, an applications table without 总计), places the values by the columns it "
         "names, in every table; the others stay absent (derived by the row's arithmetic, or null). It must name "
         "at least half of them, and the review table's repeated names must fall on its columns one way only, by "
         "their order or by the group headings over them (行政复议, 未经复议直接起诉: the 复议后起诉 block cut off). "
         "Off: a header must name every column, else the row is placed in sequence"),
    Rule("repeated-header", "place",
         "the one-row table's values are placed by its header, which repeats the columns once per row "
         "(结果维持 … 总计 × 3). Off: in sequence"),
    Rule("trim-padding", "place",
         "surplus blank cells at a row's ends (merged-cell placeholders, empty trailing cells) are dropped every "
         "way the blanks allow, and the row's own total chooses. Off: the leading blanks first"),
    Rule("missing-by-row-total", "place",
         "a row with fewer values than columns is placed every way, keeping the placements its own total allows; "
         "placed only if they agree. Off: the row is null"),
    Rule("subtotal-column", "place",
         "an extra value that is the subtotal of a column group (法人或其他组织 小计) is dropped. Off: treated as "
         "any extra value"),
    Rule("extra-either-way", "place",
         "a row with more values than columns is placed when it does not matter which values are extra: every way "
         "of leaving them out gives the same row (0 0 0 0 0 0 0 0). The row's own total never picks the extra value "
         "(in 2 0 0 9 0 0 0 2 the 9 may be stray, or the 总计 misprinted): such a row is null with extra-cells. "
         "Off: every row with more values than columns is null"),
    Rule("printed-unit", "place",
         "the unit (元, 万元) printed in a money cell whose label names no unit (采购总金额) is kept as the "
         "amount's unit, also when the row cannot be placed. Off: the unit is null"),
    # -- variants: labels that deviate from the form ------------------------------------------
    Rule("row-label-variant", "variants",
         "a matched row's label that deviates from the official wording is reported (label-variant). Off: not "
         "reported"),
    Rule("wrapped-label-variant", "variants",
         "a typo in the part of a wrapped label above its numbers' line is seen (请 after 4.无正当理由大量重复申). "
         "Off: the numbers' line only"),
    Rule("item-label-variant", "variants",
         "an item's label that deviates from the official one is reported (label-variant). Off: not reported"),
    Rule("header-variant", "variants",
         "a column header that spells an official one deviantly (本年度止件数 → 本年废止件数) is reported. Off: "
         "not reported"),
))
