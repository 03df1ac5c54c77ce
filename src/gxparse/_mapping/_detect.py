"""Stage 1: which edition of the form a document is on (the one place this is decided)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from .._normalize import norm
from .._records import Record
from ..form import DEFAULT_TEMPLATE, TEMPLATES, Template
from ._labels import plain, sim
from ._rules import RULES, Ruler

__all__ = ["Detection", "detect_template", "texts_of"]

#: A text this similar to a distinctive row's label is that row (a typo or two in a long label).
DISTINCTIVE_SIMILARITY = 0.8
#: Joins the texts so that a header word is found within one text but not across two…
_SEPARATOR = "\u0001"


@attrs.frozen
class Detection:
    """The edition, and the evidence for it.

    ``header_hits``: per edition, how many of its header words the texts hold;
    ``row_hits``: when the headers did not decide, how many distinctive rows of
    the edition chosen were found; ``decided``: False when nothing told the editions apart (the default
    edition was taken); ``rules``: the rules that decided.
    """

    template: Template
    header_hits: Mapping[str, int]
    row_hits: int
    decided: bool
    rules: tuple[str, ...] = ()

    @property
    def evidence(self) -> dict[str, object]:
        """The evidence as plain data (``active_headers``, ``distinctive_rows``, ``undecided``)."""
        out: dict[str, object] = {"active_headers": dict(self.header_hits), "distinctive_rows": self.row_hits}
        if not self.decided:
            out["undecided"] = True
        return out


def texts_of(records: Sequence[Record]) -> list[str]:
    """Every label text of the records (wrapped lines included), normalised, in order."""
    ordered: list[str] = []
    for rec in records:
        ordered.extend(norm(c.text) for c in [*rec.context, *rec.labels, *rec.tail])
    return ordered


def detect_template(texts: Sequence[str], rules: Ruler = RULES) -> Detection:
    """The edition of the form that ``texts`` (label texts, or a paragraph's text) are on.

    The edition with more of its 主动公开 header words (rule ``header-words``;
    each word also found run together across the texts, so that a word broken
    over lines or cells counts); failing that, the edition whose distinctive rows
    appear (rule ``distinctive-rows``: the sub-items of （六）其他处理 mean 2021);
    failing that, :data:`~gxparse.form.DEFAULT_TEMPLATE`.
    """
    hits = _header_hits(texts) if rules.on("header-words") else {tid: 0 for tid in TEMPLATES}
    top = max(hits.values())
    leaders = [tid for tid, n in hits.items() if n == top]
    if len(leaders) == 1:
        return Detection(TEMPLATES[leaders[0]], hits, 0, True, ("header-words",))
    rows = {tid: _row_hits(t, texts) for tid, t in TEMPLATES.items()} if rules.on("distinctive-rows") else {}
    found = next((tid for tid, n in rows.items() if n), None)
    if found is not None:
        return Detection(TEMPLATES[found], hits, rows[found], True, ("distinctive-rows",))
    return Detection(TEMPLATES[DEFAULT_TEMPLATE], hits, 0, False)


def _header_hits(texts: Sequence[str]) -> dict[str, int]:
    """Per edition, how many of its header words the texts hold: each text on its own, and all of
    them run together, so that a header word broken over lines or cells (本年新制 / 作数量) is found
    across the break."""
    blob = _SEPARATOR.join(texts) + _SEPARATOR + "".join(texts)
    return {tid: sum(1 for word in t.header_words if norm(word) in blob) for tid, t in TEMPLATES.items()}


def _row_hits(template: Template, texts: Sequence[str]) -> int:
    """How many of the edition's distinctive rows some text names."""
    if not template.distinctive_rows:
        return 0
    table = template.table("applications")
    labels = [plain(table.row(key).item) for key in template.distinctive_rows]
    distinct = {plain(t) for t in set(texts)}
    return sum(1 for label in labels if any(sim(t, label) >= DISTINCTIVE_SIMILARITY for t in distinct))
