"""The noise real documents carry, as hypothesis strategies: width, spaces and line breaks in
labels, the typos real reports carry, blank cells, split headers, a collapsed （六）其他处理,
an extra empty column, a caption row (gxparse's own round trip; not part of the public kit)."""

from __future__ import annotations

import random
import re
import unicodedata

import attrs

from gxparse.form import TEMPLATES, Template
from gxparse.testing import GeneratedReport, Number

__all__ = ["TYPOS", "Noise", "Typo", "rendered_paths"]

# ---------------------------------------------------------------------------
# strategies: noise
# ---------------------------------------------------------------------------


@attrs.frozen
class Typo:
    """A label typo real reports carry: ``old`` replaced by ``new`` in the label of ``key``.

    ``kind`` is ``"row"`` (an applications row key) or ``"field"`` (an active
    disclosure field key, in the table's header); ``where`` is the path of the
    ``label-variant`` finding it must raise.
    """

    kind: str
    key: str
    old: str
    new: str

    @property
    def where(self) -> str:
        return f"applications/{self.key}" if self.kind == "row" else f"active_disclosure/*/{self.key}"

    def applies_to(self, template: Template) -> bool:
        """Whether the template has the label and the label has ``old``."""
        if self.kind == "row":
            try:
                return self.old in template.app_row(self.key).label
            except KeyError:
                return False
        return any(f.key == self.key and self.old in f.label for i in template.active_items for f in i.fields)


#: The typos of real reports (see the spec and the corpus). Each must apply to at
#: least one template: checked at import.
TYPOS: tuple[Typo, ...] = (
    Typo("field", "repealed", "废止", "度止"),  # 本年度止件数
    Typo("field", "issued", "制发", "制作"),  # 本年制作件数
    Typo("row", "results.partially_disclosed", "只计", "只记"),
    Typo("row", "results.other.overdue_correction", "不再处理", "不在处理"),
    Typo("row", "results.other.overdue_fee", "不再处理", "不在处理"),
    Typo("row", "results.not_processed.excessive_repeated", "大量反复", "大量重复"),
    Typo("row", "results.withheld.prohibited_by_law", "法规禁止", "止"),  # 其他法律行政止公开
)
for _typo in TYPOS:
    if not any(_typo.applies_to(t) for t in TEMPLATES.values()):  # pragma: no cover - a template changed
        raise RuntimeError(f"gxparse.testing: typo {_typo} no longer matches the templates")


@attrs.frozen
class Noise:
    """How a rendered document deviates from the clean form. The default is no noise.

    Attributes:
        width: labels as the form prints them (``"official"``), or with
            half-width (``(一)``) or full-width (``（一）``, ``１.``) brackets,
            digits and punctuation.
        full_width_digits: numbers in full-width digits (``１２３``).
        label_spaces: spaces inside some labels (``(一) 予以 公开``).
        label_breaks: line breaks inside labels every so many characters
            (0: none), where the format can hold a line break in a cell.
        typos: the :data:`TYPOS` applied.
        blanks: value paths left blank.
        blank_mark: what a blank cell holds: ``""``, ``"—"``, ``"-"`` or ``"/"``.
        collapse_other: a 2021 form with （六）其他处理 as one row.
        split_header: column headers broken over two rows (applications, reviews).
        extra_cells: an empty column after every table's last column.
        caption: each table starts with a caption row (``收到和处理政府信息公开申请情况``).
        seed: drives the small random choices (where spaces go).
    """

    width: str = "official"
    full_width_digits: bool = False
    label_spaces: bool = False
    label_breaks: int = 0
    typos: tuple[Typo, ...] = ()
    blanks: frozenset[str] = frozenset()
    blank_mark: str = ""
    collapse_other: bool = False
    split_header: bool = False
    extra_cells: bool = False
    caption: bool = False
    seed: int = 0


def rendered_paths(report: GeneratedReport, noise: Noise = Noise()) -> list[str]:
    """The value paths a rendered document prints (the collapsed （六） replaces its sub-items)."""
    t = report.form
    sub = {f"applications/{r.key}/" for r in t.group_items("results.other")} if _collapsed(report, noise) else set()
    out = [p for p in report.paths() if not any(p.startswith(s) for s in sub)]
    if _collapsed(report, noise) and "results.other" not in report.subtotals:
        out += [f"applications/results.other/{c.key}" for c in t.app_columns]
    return out


def _collapsed(report: GeneratedReport, noise: Noise) -> bool:
    return noise.collapse_other and bool(report.form.group_items("results.other"))



_COMMON_NOISE = frozenset({"width", "full_width_digits", "label_spaces", "typos", "blanks", "blank_mark",
                           "collapse_other", "split_header", "extra_cells", "seed"})


# ---------------------------------------------------------------------------
# the form as a grid (shared by every renderer)
# ---------------------------------------------------------------------------

_FULL = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.、])")


def _widen(text: str) -> str:
    return "".join(_FULL.get(ch, ch) for ch in text)


class _Labeler:
    """Applies label noise (width, spaces, breaks) deterministically from the noise's seed."""

    def __init__(self, noise: Noise) -> None:
        self.noise = noise
        self.rng = random.Random(noise.seed)

    def __call__(self, text: str, *, breakable: bool = True) -> str:
        n = self.noise
        if n.width == "half":
            text = unicodedata.normalize("NFKC", text)
        elif n.width == "full":
            text = _widen(unicodedata.normalize("NFKC", text))
        if n.label_spaces and self.rng.random() < 0.5:
            m = _NUMBERING.match(unicodedata.normalize("NFKC", text))
            if m and self.rng.random() < 0.5:
                cut = len(m.group(0))
                text = text[:cut] + " " + text[cut:]
            elif len(text) >= 4:
                k = self.rng.randrange(2, len(text) - 1)
                if not text[k - 1].isspace() and not text[k].isspace():
                    text = text[:k] + self.rng.choice([" ", "  ", "\u3000"]) + text[k:]
        if breakable and n.label_breaks and len(text) > n.label_breaks:
            w = n.label_breaks
            text = "\n".join(text[i:i + w] for i in range(0, len(text), w))
        return text



def _value_of(report: GeneratedReport, path: str, collapsed: bool) -> Number:
    v = report.get(path)
    if v is None and collapsed and path.startswith("applications/results.other/"):
        col = path.rsplit("/", 1)[1]
        v = sum(report.applications[r.key][col] for r in report.form.group_items("results.other"))
    if v is None:
        raise KeyError(path)
    return v

