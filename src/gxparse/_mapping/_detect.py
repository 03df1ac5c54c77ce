"""Stage 1: which edition of the form a document is on (the one place this is decided)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from .._normalize import norm
from .._records import Record
from ..form import DEFAULT_TEMPLATE, TEMPLATES, Template
from ._rules import RULES, Ruler

__all__ = ["Detection", "detect_template", "texts_of"]

#: Joins the texts when each is searched on its own (a character no label holds).
_SEPARATOR = "\u0001"


@attrs.frozen
class Detection:
    """The edition, and the evidence for it.

    ``header_hits``: per edition, how many of its header words the texts hold;
    ``decided``: False when nothing told the editions apart (the default
    edition was taken); ``rules``: the rules that decided.
    """

    template: Template
    header_hits: Mapping[str, int]
    decided: bool
    rules: tuple[str, ...] = ()

    @property
    def evidence(self) -> dict[str, object]:
        """The evidence as plain data (``active_headers``, ``undecided``)."""
        out: dict[str, object] = {"active_headers": dict(self.header_hits)}
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
    over lines or cells counts); failing that, :data:`~gxparse.form.DEFAULT_TEMPLATE`
    (the newest edition, whose applications table has every row of the older one).
    """
    hits = _header_hits(texts) if rules.on("header-words") else dict.fromkeys(TEMPLATES, 0)
    top = max(hits.values())
    leaders = [tid for tid, n in hits.items() if n == top]
    if len(leaders) == 1:
        return Detection(TEMPLATES[leaders[0]], hits, True, ("header-words",))
    return Detection(TEMPLATES[DEFAULT_TEMPLATE], hits, False)


def _header_hits(texts: Sequence[str]) -> dict[str, int]:
    """Per edition, how many of its header words the texts hold: each text on its own, and all of
    them run together, so that a header word broken over lines or cells (本年新制 / 作数量) is found
    across the break."""
    blob = _SEPARATOR.join(texts) + _SEPARATOR + "".join(texts)
    return {tid: sum(1 for word in t.header_words if norm(word) in blob) for tid, t in TEMPLATES.items()}
