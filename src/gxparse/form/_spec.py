"""The vocabulary the form is declared in: tables, rows, columns, rules, paths.

Nothing here names a row of the real form; :mod:`gxparse.form._official`
declares the 2019 and 2021 forms in these terms.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from typing import Literal, NamedTuple

import attrs

__all__ = [
    "Balance",
    "Column",
    "ColumnGroup",
    "Equation",
    "FieldKind",
    "GrandTotal",
    "GroupTotal",
    "Layout",
    "Path",
    "Role",
    "Row",
    "RowTotal",
    "SectionKind",
    "TableRule",
    "TableSpec",
    "Template",
]

#: How a value is read and checked: a count (whole, ≥ 0), a signed count (本年增/减), money (decimals).
FieldKind = Literal["count", "signed", "money"]


class Role(enum.Enum):
    """What a row of a table is in the form's arithmetic."""

    #: an item: a leaf row that carries numbers (予以公开, 1.属于国家秘密, 规章, 行政复议 …)
    ITEM = "item"
    #: a group row: the sum of its items, printed with numbers or as a heading only (（三）不予公开)
    GROUP_TOTAL = "group total"
    #: the grand total of a heading's items (（七）总计 of 三、本年度办理结果)
    GRAND_TOTAL = "grand total"
    #: a heading with no numbers of its own (三、本年度办理结果)
    HEADING = "heading"
    #: flows into the year's caseload (一、本年新收, 二、上年结转)
    INFLOW = "inflow"
    #: flows out of it beside the grand total (四、结转下年度继续办理)
    OUTFLOW = "outflow"


class Layout(enum.Enum):
    """How a table's rows are printed."""

    #: one printed row per row of the form (主动公开, 收到和处理申请)
    ROWS = "rows"
    #: every row of the form side by side in one printed row (行政复议/行政诉讼: 3 groups × 5 columns)
    ONE_ROW = "one row"


class Path(NamedTuple):
    """A place in a report: ``table/row/column`` (``*`` for every row or column).

    ``row`` and ``column`` may be None for a path that names a whole table or
    row (``applications/results.other``). ``str(path)`` is the text used in
    ``derived`` and in a finding's ``where``.
    """

    table: str
    row: str | None = None
    column: str | None = None

    def __str__(self) -> str:
        return "/".join(p for p in (self.table, self.row, self.column) if p is not None)

    @classmethod
    def of(cls, text: str) -> Path:
        """The path a ``table/row/column`` text names (a missing part is None)."""
        table, _, rest = text.partition("/")
        row, _, column = rest.partition("/")
        return cls(table, row or None, column or None)


@attrs.frozen
class Column:
    """A column of a table (or a field of a 主动公开 item)."""

    key: str
    label: str
    kind: FieldKind = "count"
    #: other spellings of the header that name the same column
    aliases: tuple[str, ...] = ()
    #: money whose unit (元 or 万元) is printed in the cell, not in the label; the record keeps it
    #: beside the value as ``<column>_unit``
    unit_printed: bool = False


@attrs.frozen
class Row:
    """A row of a table.

    ``label`` is the official wording as the spec prints it (with its group's
    label in front for a group's first item); ``item`` is the row's own label
    without its group's (what a cell of the row says; the label itself when
    not given). ``group`` is the key of the group row it belongs to.
    ``columns``: a row with columns of its own (a 主动公开 item), else empty
    (the table's columns). ``clause``: the 第二十条 clause of a 主动公开 item.
    """

    key: str
    label: str
    item: str = ""
    role: Role = Role.ITEM
    group: str | None = None
    aliases: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    clause: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.item:
            object.__setattr__(self, "item", self.label)

    @property
    def variants(self) -> tuple[str, ...]:
        """The row's own label and its other spellings."""
        return (self.item, *self.aliases)

    @property
    def fields(self) -> tuple[Column, ...]:
        """The columns of a row with columns of its own (a 主动公开 item's fields)."""
        return self.columns


@attrs.frozen
class ColumnGroup:
    """Adjacent columns a table's header groups under one label.

    A report may print the group's subtotal as an extra column before its
    members (法人或其他组织 小计).
    """

    label: str
    members: tuple[str, ...]


@attrs.frozen
class Equation:
    """One instance of an invariant: ``sum(lhs) == sum(rhs)``.

    Cells are paths ``table/row/column`` (text). ``where`` is the path a
    finding names (it may contain ``*``).
    """

    code: str
    where: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    description: str


# ---------------------------------------------------------------------------
# rules: the table's arithmetic, declared; Template.equations instantiates them
# ---------------------------------------------------------------------------

@attrs.frozen
class Balance:
    """In every column: the sum of the ``lhs`` rows equals the sum of the ``rhs`` rows."""

    code: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    description: str

    def equations(self, table: TableSpec, view: _View) -> Iterator[Equation]:
        """One equation per column of the table."""
        t = table.key
        for col in table.column_keys:
            yield Equation(self.code, f"{t}/*/{col}", tuple(f"{t}/{r}/{col}" for r in self.lhs),
                           tuple(f"{t}/{r}/{col}" for r in self.rhs), self.description)


@attrs.frozen
class GrandTotal:
    """In every column: the ``total`` row equals the sum of every item row of the table
    (a collapsed group standing for its items)."""

    code: str
    total: str
    description: str

    def equations(self, table: TableSpec, view: _View) -> Iterator[Equation]:
        """One equation per column of the table."""
        t = table.key
        leaves = [r.key for r in table.rows if r.role is Role.ITEM]
        collapsed = view.collapsed
        if collapsed:
            hidden = {r.key for g in collapsed for r in table.group_items(g)}
            leaves = [k for k in leaves if k not in hidden] + list(collapsed)
        for col in table.column_keys:
            yield Equation(self.code, f"{t}/{self.total}/{col}", (f"{t}/{self.total}/{col}",),
                           tuple(f"{t}/{k}/{col}" for k in leaves), self.description)


@attrs.frozen
class RowTotal:
    """In every row that carries numbers: the ``total`` column equals the sum of the others."""

    code: str
    total: str
    description: str

    def equations(self, table: TableSpec, view: _View) -> Iterator[Equation]:
        """One equation per row with numbers: data rows, collapsed groups, groups printed with numbers."""
        t = table.key
        parts = [c for c in table.column_keys if c != self.total]
        for key in view.numbered_rows(table):
            yield Equation(self.code, f"{t}/{key}/{self.total}", (f"{t}/{key}/{self.total}",),
                           tuple(f"{t}/{key}/{c}" for c in parts), self.description)


@attrs.frozen
class GroupTotal:
    """In every column: a group row printed with numbers (or collapsed) equals the sum of its items.

    ``description`` is a template with ``{label}``, the group's official label.
    """

    code: str
    description: str

    def equations(self, table: TableSpec, view: _View) -> Iterator[Equation]:
        """One equation per column of every group the report prints with numbers."""
        t = table.key
        for g in sorted(view.present | set(view.collapsed)):
            items = [r.key for r in table.group_items(g)]
            if not items:
                continue
            description = self.description.format(label=table.row(g).label)
            for col in table.column_keys:
                yield Equation(self.code, f"{t}/{g}/{col}", (f"{t}/{g}/{col}",),
                               tuple(f"{t}/{k}/{col}" for k in items), description)


TableRule = Balance | GrandTotal | RowTotal | GroupTotal


@attrs.frozen
class _View:
    """What of a table's optional shape a report shows: the groups printed with numbers
    and the groups printed collapsed as one row."""

    present: frozenset[str]
    collapsed: tuple[str, ...]

    def numbered_rows(self, table: TableSpec) -> list[str]:
        """Keys of the rows that carry numbers, in the form's order (a collapsed group
        in place of its items, groups printed with numbers after the rest)."""
        keys = [r.key for r in table.rows if r.role not in (Role.GROUP_TOTAL, Role.HEADING)]
        for g in self.collapsed:
            items = {r.key for r in table.group_items(g)}
            keys = [k for k in keys if k not in items]
            keys.insert(keys.index(table.grand_total), g)
        for g in sorted(self.present):
            if g not in keys and g in table._index:  # a group of this table printed with numbers
                keys.append(g)
        return keys


# ---------------------------------------------------------------------------
# tables and templates
# ---------------------------------------------------------------------------

@attrs.frozen
class TableSpec:
    """One statistical table of the form.

    ``columns``: the table's columns (empty when each row has its own, as the
    主动公开 items do). ``rules``: its arithmetic, in the order findings list
    it. ``layout``: how its rows are printed. ``anchors``: words that open the
    table's region in a document; ``ends_at``: a regular expression (on a
    normalised label) for the section heading after it. ``collapsible``: the
    group a report may print as one row (（六）其他处理 on the 2021 form).
    ``column_groups``: header groups of adjacent columns (法人或其他组织).
    ``short_label``: how a message names the whole table (``label`` by default).
    """

    key: str
    label: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...] = ()
    rules: tuple[TableRule, ...] = ()
    layout: Layout = Layout.ROWS
    anchors: tuple[str, ...] = ()
    ends_at: str = ""
    collapsible: str | None = None
    column_groups: tuple[ColumnGroup, ...] = ()
    #: how a message names the table as a whole (the label, unless shorter words are usual)
    short_label: str = ""
    _index: Mapping[str, Row] = attrs.field(init=False, eq=False, repr=False)
    #: the rows carry columns of their own (the 主动公开 items), not the table's
    rows_have_columns: bool = attrs.field(init=False, eq=False)
    #: paths of the money cells whose unit is printed in the cell (``Column.unit_printed``)
    unit_paths: tuple[str, ...] = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", {r.key: r for r in self.rows})
        if not self.short_label:
            object.__setattr__(self, "short_label", self.label)
        object.__setattr__(self, "rows_have_columns", any(r.columns for r in self.rows))
        units = tuple(f"{self.key}/{r.key}/{c.key}" for r in self.rows for c in self.columns_of(r) if c.unit_printed)
        object.__setattr__(self, "unit_paths", units)

    @property
    def column_keys(self) -> tuple[str, ...]:
        """Keys of the table's shared columns, in order."""
        return tuple(c.key for c in self.columns)

    @property
    def grand_total(self) -> str:
        """Key of the grand-total row (KeyError if the table has none)."""
        for r in self.rows:
            if r.role is Role.GRAND_TOTAL:
                return r.key
        raise KeyError(f"{self.key} has no grand total")

    def row(self, key: str) -> Row:
        """The row with this key; raises KeyError."""
        return self._index[key]

    def columns_of(self, row: Row) -> tuple[Column, ...]:
        """The columns a row carries: its own, else the table's."""
        return row.columns or self.columns

    def group_items(self, group: str) -> tuple[Row, ...]:
        """The item rows of a group, in order."""
        return tuple(r for r in self.rows if r.group == group and r.role is Role.ITEM)

    def ancestors(self, row: Row) -> tuple[Row, ...]:
        """The group rows above a row, nearest first."""
        out: list[Row] = []
        key = row.group
        while key is not None and key in self._index:
            parent = self._index[key]
            out.append(parent)
            key = parent.group
        return tuple(out)

    def label_of(self, row: str | None, column: str | None) -> list[str]:
        """The official labels of a row and a column of this table (``*``/None: left out;
        a key the form does not know: the key itself)."""
        parts: list[str] = []
        spec: Row | None = None
        if row and row != "*":
            spec = self._index.get(row)
            parts.append(spec.label if spec is not None else row)
        if column and column != "*":
            cols = self.columns_of(spec) if spec is not None else self.columns
            parts.append(next((c.label for c in cols if c.key == column), column))
        return parts

    def paths(self, present_groups: Iterable[str] = ()) -> Iterator[str]:
        """Every cell path of the table in canonical order: rows with numbers (groups
        only when printed with numbers), each with its columns."""
        present = set(present_groups)
        for row in self.rows:
            if row.role is Role.HEADING or (row.role is Role.GROUP_TOTAL and row.key not in present):
                continue
            for c in self.columns_of(row):
                yield f"{self.key}/{row.key}/{c.key}"

    def equations(self, present_groups: frozenset[str], collapsed: bool) -> Iterator[Equation]:
        """The table's invariants for a report (see :meth:`Template.equations`)."""
        view = _View(present_groups, (self.collapsible,) if collapsed and self.collapsible else ())
        for rule in self.rules:
            yield from rule.equations(self, view)


# Memos of Template.equations and Template.field_kind (templates are immutable;
# the instance is kept beside its answer so that a reused id() cannot mislead).
_EQUATIONS: dict[tuple[int, frozenset[str], bool], tuple[Template, tuple[Equation, ...]]] = {}
_KINDS: dict[tuple[int, str], tuple[Template, FieldKind]] = {}
#: field_kind is asked only for the form's own paths; the memo is cleared past this size all the same
_MAX_KINDS = 50_000


@attrs.frozen
class Template:
    """One edition of the form: its tables and the header words that tell it from the others."""

    id: str
    issued_by: str
    years: str
    tables: tuple[TableSpec, ...]
    #: column-header words of the 主动公开 table found only on this edition
    header_words: tuple[str, ...] = ()
    _index: Mapping[str, TableSpec] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", {t.key: t for t in self.tables})

    def table(self, key: str) -> TableSpec:
        """The table with this key; raises KeyError."""
        return self._index[key]

    # -- the three tables by name ---------------------------------------------
    @property
    def active_items(self) -> tuple[Row, ...]:
        """The rows of the 主动公开 table."""
        return self._index["active_disclosure"].rows

    @property
    def app_rows(self) -> tuple[Row, ...]:
        """The rows of the 收到和处理申请 table."""
        return self._index["applications"].rows

    @property
    def app_columns(self) -> tuple[Column, ...]:
        """The columns of the 收到和处理申请 table."""
        return self._index["applications"].columns

    @property
    def review_groups(self) -> tuple[Row, ...]:
        """The rows (groups) of the 行政复议/行政诉讼 table."""
        return self._index["reviews_and_litigation"].rows

    @property
    def review_columns(self) -> tuple[Column, ...]:
        """The columns of each group of the 行政复议/行政诉讼 table."""
        return self._index["reviews_and_litigation"].columns

    # -- lookups ------------------------------------------------------------
    def app_row(self, key: str) -> Row:
        """A row of the applications table; raises KeyError."""
        return self._index["applications"].row(key)

    def active_item(self, key: str) -> Row:
        """A row of the 主动公开 table; raises KeyError."""
        return self._index["active_disclosure"].row(key)

    @property
    def data_rows(self) -> tuple[Row, ...]:
        """Rows of the applications table that always carry numbers (not groups, not headings)."""
        return tuple(r for r in self.app_rows if r.role not in (Role.GROUP_TOTAL, Role.HEADING))

    @property
    def leaf_rows(self) -> tuple[Row, ...]:
        """Item rows of the applications table."""
        return tuple(r for r in self.app_rows if r.role is Role.ITEM)

    def group_items(self, group: str) -> tuple[Row, ...]:
        """Item rows of a group of the applications table."""
        return self._index["applications"].group_items(group)

    def label_of(self, path: Path | str) -> str:
        """Official Chinese label of a path ``table/row/column`` (``*`` allowed), parts joined by `` · ``."""
        p = path if isinstance(path, Path) else Path.of(path)
        spec = self._index.get(p.table)
        if spec is None:
            return p.table
        return " · ".join([spec.label, *spec.label_of(p.row, p.column)])

    # -- invariants -----------------------------------------------------------
    def equations(self, present_groups: frozenset[str] = frozenset(),
                  collapsed_other: bool = False) -> list[Equation]:
        """All invariant instances for a report, table by table, each table's rules in order.

        ``present_groups``: group rows the document carries numbers for
        (their ``group-total`` is checked). ``collapsed_other``: the report
        gives a table's collapsible group (（六）其他处理 on the 2021 form) as
        one row. Returns a new list each call.
        """
        key = (id(self), present_groups, collapsed_other)
        hit = _EQUATIONS.get(key)
        if hit is None or hit[0] is not self:
            eqs = tuple(e for t in self.tables for e in t.equations(present_groups, collapsed_other))
            hit = _EQUATIONS[key] = (self, eqs)
        return list(hit[1])

    def field_kind(self, path: str) -> FieldKind:
        """``"count"``, ``"signed"`` or ``"money"``: how the value at ``path`` is read and checked."""
        key = (id(self), path)
        hit = _KINDS.get(key)
        if hit is None or hit[0] is not self:
            if len(_KINDS) > _MAX_KINDS:
                _KINDS.clear()
            hit = _KINDS[key] = (self, self._field_kind(path))
        return hit[1]

    def _field_kind(self, path: str) -> FieldKind:
        p = Path.of(path)
        spec = self._index.get(p.table)
        if spec is None or p.row is None or p.row not in spec._index:
            return "count"
        return next((c.kind for c in spec.columns_of(spec.row(p.row)) if c.key == p.column), "count")

    def iter_paths(self) -> Iterator[str]:
        """Every cell path of the template in canonical order (item and total rows)."""
        for table in self.tables:
            yield from table.paths()


@attrs.frozen
class SectionKind:
    """A section of the report's text, recognised by the words of its heading."""

    key: str
    title: str
    #: Normalised keywords; a heading whose text contains all words of any one
    #: tuple is this section.
    keywords: tuple[tuple[str, ...], ...]
    #: the section has a fixed place in the form's order (重点工作 may come anywhere)
    ordered: bool = True
