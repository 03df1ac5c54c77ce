"""Text and number normalisation.

Labels in real reports differ from the official wording by character width
(（一） vs (一)), spaces and line breaks inside the label, numbering styles
(一、 / （一） / 1. / 1、) and typos. :func:`norm` removes the differences that
carry no meaning; :func:`core` also removes the leading numbering.

:func:`parse_value` reads one cell as a number: ``1,234``, ``1944.0495``,
full-width digits, ``-3``, units (``251000元``, ``3件``), and the blank
placeholders (``""``, ``—``, ``-``, ``/``, ``无``). A cell's text is a number only when
it is one number as printed: a superscript footnote mark beside it (``6¹``, ``6⁽*⁾``, ``¹6``,
``6¹件``, what an adapter writes for ``<sup>``) is set apart in :attr:`Value.mark`; a mark that
could be a digit of the value (``6①``, ``6*``, ``6[1]``, ``6注1``), raised text inside the
number (``1¹5``), subscript text (``6₁``, what an adapter writes for ``<sub>``) or a second
number in the cell (``10 2``, ``6\n2``, ``3/4``) makes the cell text with :attr:`Value.problem`
saying why. Digits grouped
by spaces in threes (``2 217``) are one number (a thousands separator).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

import attrs

__all__ = ["Value", "bigrams", "core", "dice", "is_labelish", "norm", "parse_value", "split_numbers", "subscript", "superscript"]

# Characters that NFKC leaves alone but that mean the same as ASCII here.
_EXTRA = str.maketrans({
    "\u2212": "-",  # minus sign
    "\u2012": "-", "\u2013": "-", "\u2010": "-", "\u2011": "-",
    "\u3001": "、",  # keep the ideographic comma (numbering marker)
    "\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'",
    "\u300c": '"', "\u300d": '"',
    "\u3010": "[", "\u3011": "]", "\u3014": "(", "\u3015": ")",
    "\u00b7": "·",
})
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff\u00a0\u3000]+")


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """NFKC (full width → half width), unify quotes and dashes, drop all whitespace."""
    s = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text).translate(_EXTRA))
    if not s.isascii() and not unicodedata.is_normalized("NFKC", s):
        # removing white space joined a combining mark to the letter before it
        # (´ is NFKC " \u0301"): compose once more, so that norm is idempotent
        s = _INVISIBLE.sub("", unicodedata.normalize("NFKC", s).translate(_EXTRA))
    return s


_CN_NUM = "一二三四五六七八九十"
# Leading numbering: 一、 (一) （一） 1. 1、 1) (1) ① 第一
_NUMBERING = re.compile(
    r"^(?:"
    r"[" + _CN_NUM + r"]{1,3}[、.,:]"
    r"|\([" + _CN_NUM + r"]{1,3}\)[、.,:]?"
    r"|\(?\d{1,2}\)[、.,:]?"
    r"|\d{1,2}(?:[、,:]|\.(?!\d))"
    r")"
)


#: ① … ⑳ as (1) … (20): NFKC would make ①信访 "1信访", which no longer reads as numbered
_CIRCLED = {0x2460 + k: f"({k + 1})" for k in range(20)}


@lru_cache(maxsize=65536)
def core(text: str) -> str:
    """:func:`norm`, then strip leading numbering (repeatedly) and edge punctuation."""
    s = norm(text.translate(_CIRCLED))
    while True:
        m = _NUMBERING.match(s)
        if m:
            s = s[m.end():]
            continue
        t = s.strip("、.,:;。，：；")
        if t == s:
            return s
        s = t


def numbering(text: str) -> str | None:
    """The leading numbering marker of a label (``"一"``, ``"(三)"``, ``"2"``), or None."""
    m = _NUMBERING.match(norm(text.translate(_CIRCLED)))
    return m.group(0).rstrip("、.,:") if m else None


@lru_cache(maxsize=65536)
def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of a normalised string (unigrams for 1-char strings)."""
    if len(text) < 2:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def dice(a: str, b: str) -> float:
    """Sørensen–Dice similarity of the bigram sets of two normalised strings."""
    ba, bb = bigrams(a), bigrams(b)
    if not ba or not bb:
        return 0.0
    return 2 * len(ba & bb) / (len(ba) + len(bb))


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def is_labelish(text: str) -> bool:
    """True for a cell that reads as words (has a CJK or Latin letter and is not a number)."""
    v = parse_value(text)
    if v.kind in ("number", "blank") or v.problem:
        return False
    if _CJK.search(text) or re.search(r"[A-Za-z]{2,}", text):
        return True
    # the last line of a label wrapped before its closing bracket or quote: （区分处理的，… / ）
    if _CLOSERS.fullmatch(text.strip()):
        return True
    # a numbering marker alone, its words on the next line(s): ５． / 属于三类…
    marker = numbering(text)
    return marker is not None and len(norm(text)) <= len(marker) + 1


_CLOSERS = re.compile(r"[)）」』】〕》”’\"']+[。，、；：]?")


ValueKind = Literal["number", "blank", "text"]

_BLANKS = {"", "-", "--", "—", "——", "―", "/", "\\", "无", "空", "×", "x", "X", "*", "…", "...", "－", "_"}
_UNITS = ("万元", "元", "件", "条", "个", "项", "次", "份", "人", "宗", "起")
_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")


#: Why a cell that looks like a number is not one (:attr:`Value.problem`).
SEVERAL_NUMBERS, AMBIGUOUS_MARK = "numbers", "mark"


@attrs.frozen(slots=True)
class Value:
    """One cell read as a value.

    ``kind`` is ``"number"`` (``number`` set), ``"blank"`` (empty or a
    placeholder such as ``—``), or ``"text"`` (anything else). ``mark``: the
    superscript footnote mark printed after the number (``"¹"`` of ``6¹``), not
    part of it. ``problem``: for text that reads almost as a number, why it is
    not one — :data:`SEVERAL_NUMBERS` (``10 2``, ``3/4``) or :data:`AMBIGUOUS_MARK`
    (``6①``, ``6*``, ``6注1``: a mark that might be a digit of the value).
    """

    kind: ValueKind
    number: Decimal | None = None
    unit: str | None = None
    raw: str = ""
    mark: str = ""
    problem: str = ""

    @property
    def is_integral(self) -> bool:
        return self.number is not None and self.number == self.number.to_integral_value()


#: Unicode superscripts: what an adapter writes for text set as superscript (``<sup>``).
_SUPERSCRIPT = str.maketrans("0123456789+-=ni()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼ⁿⁱ⁽⁾")
_SUPERSCRIPT_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼ⁿⁱ⁽⁾"
#: A footnote mark in superscript: superscript characters, or anything in ⁽ ⁾.
_SUPERSCRIPT_RUN = re.compile("(?:⁽[^⁽⁾]{1,12}⁾|[" + _SUPERSCRIPT_CHARS + "])+")
#: Unicode subscripts: what an adapter writes for text set as subscript (``<sub>``).
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SUBSCRIPT_CHARS = "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"
#: Text in subscript: subscript characters, or anything in ₍ ₎.
_SUBSCRIPT_RUN = re.compile("(?:₍[^₍₎]{1,12}₎|[" + _SUBSCRIPT_CHARS + "])+")


def superscript(text: str) -> str:
    """``text`` as Unicode superscript characters (``1`` → ``¹``), or, when some character has no
    superscript form, wrapped in superscript brackets (``*`` → ``⁽*⁾``): how an adapter writes text
    set as superscript (HTML ``<sup>``, Word's raised text), so that :func:`parse_value` can tell a
    footnote mark from the digits of a number without the adapter knowing what the cell means."""
    return _in_script(text, _SUPERSCRIPT, _SUPERSCRIPT_CHARS)


def subscript(text: str) -> str:
    """``text`` as Unicode subscript characters (``1`` → ``₁``), or, when some character has no
    subscript form, wrapped in subscript brackets (``a`` → ``₍a₎``): how an adapter writes text set
    as subscript (HTML ``<sub>``, Word's lowered text). Beside a number, :func:`parse_value` reads
    it as neither a digit of the number nor a footnote mark: the cell is unreadable."""
    return _in_script(text, _SUBSCRIPT, _SUBSCRIPT_CHARS)


def _in_script(text: str, table: dict[int, int], chars: str) -> str:
    """:func:`superscript` or :func:`subscript` (``chars``: the script's characters, its brackets last two)."""
    text = text.strip()
    if not text:
        return ""
    out = text.translate(table)
    if all(c in chars for c in out):
        return out
    opening, closing = chars[-2], chars[-1]
    return opening + text.replace(opening, "(").replace(closing, ")") + closing


#: Circled, parenthesised and full-stop numbers (① ⑴ ⒈ ❶ ㉑): NFKC makes them digits, but beside a
#: number they are a footnote mark, not digits of it.
_ENCLOSED = re.compile("[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]")
_MARK = r"(?:\*+|※|#|△|▲|☆|★|\[\d{1,2}\]|\(\d{1,2}\)|\(?注\d{0,2}\)?)"
_NUM = r"[+-]?\d[\d,]*(?:\.\d+)?(?:" + "|".join(_UNITS) + r")?"
#: A number with a mark beside it that is not unmistakably a footnote (normalised text).
_MARKED = re.compile(rf"^(?:{_MARK}{_NUM}|{_NUM}{_MARK})$")
#: Two or more numbers in one cell, separated by a slash or a list comma (normalised text).
_SEVERAL = re.compile(rf"^{_NUM}(?:[/、;；|]{_NUM})+$")
#: White space between the parts of a cell (line breaks included; not the zero-width characters).
_WHITE_SPLIT = re.compile(r"[\s\u3000\u00a0\u2000-\u200a\u202f]+")
_GROUP_FIRST = re.compile(r"^[+-]?\d{1,3}$")
_GROUP = re.compile(r"^\d{3}$")
_GROUP_LAST = re.compile(r"^\d{3}(?:\.\d+)?$")
#: Spaces that may separate thousands (not line breaks).
_THOUSANDS_SPACE = re.compile(r"^[^\n\r\u2028\u2029\t]*$")


@lru_cache(maxsize=65536)
def parse_value(text: str) -> Value:
    """Read one cell's text as a number, a blank, or text (see the module docstring)."""
    if _SUBSCRIPT_RUN.search(text):
        # lowered text is no digit of the value (NFKC would make ``6₁`` "61"), nor a usual footnote mark
        rest = _plain_value(_SUBSCRIPT_RUN.sub("", text))
        return Value("text", raw=text, problem=AMBIGUOUS_MARK if rest.kind != "text" else "")
    runs = list(_SUPERSCRIPT_RUN.finditer(text))
    if not runs:
        return _plain_value(text)
    return _marked_value(text, runs)


def _marked_value(text: str, runs: list[re.Match[str]]) -> Value:
    """The value of a cell's text with superscript runs in it: a number with a footnote mark when
    the mark stands where one does, else text (ambiguous when it would read as a number)."""
    rest = _plain_value(_SUPERSCRIPT_RUN.sub("", text))
    if rest.kind == "blank":  # a mark alone: no number to read
        return Value("text", raw=text, problem=AMBIGUOUS_MARK)
    if rest.kind != "number":
        whole = _plain_value(text)  # m², or 6.¹ that NFKC would make "6.1": never a number
        return whole if whole.kind == "text" else Value("text", raw=text, problem=AMBIGUOUS_MARK)
    if all(_mark_place(text, m, rest.unit) for m in runs):
        return Value("number", rest.number, rest.unit, text, "".join(m.group() for m in runs))
    return Value("text", raw=text, problem=AMBIGUOUS_MARK)  # 1¹5: raised text inside the number


def _mark_place(text: str, m: re.Match[str], unit: str | None) -> bool:
    """Is a superscript run where a footnote mark stands: before the number, after it, or
    between it and its unit (``¹6``, ``6¹``, ``6¹件``)?"""
    before, after = text[:m.start()].strip(), norm(text[m.end():])
    return not before or not after or (unit is not None and after == unit)


def _plain_value(text: str) -> Value:
    """The value of a cell's text with no superscript or subscript mark: a number, a blank, or
    text (with why, when it reads almost as a number)."""
    if _ENCLOSED.search(text):
        rest = _plain_value(_ENCLOSED.sub("", text))
        return Value("text", raw=text, problem=AMBIGUOUS_MARK if rest.kind == "number" else "")
    s = norm(text)
    if s in _BLANKS or (s and set(s) <= set("-—―_/.·…")):
        return Value("blank", raw=text)
    s, unit = _split_unit(s)
    m = _NUMBER.match(s)
    if not m:
        return Value("text", raw=text, problem=_text_problem(s))
    if not _one_number(text, unit):
        return Value("text", raw=text, problem=SEVERAL_NUMBERS)
    sign, whole, frac = m.groups()
    try:
        number = Decimal(sign + whole.replace(",", "") + ("." + frac if frac else ""))
    except InvalidOperation:  # pragma: no cover - regex guarantees digits
        return Value("text", raw=text)
    return Value("number", number, unit, raw=text)


def _split_unit(s: str) -> tuple[str, str | None]:
    """A normalised cell text without the unit it ends with, and that unit (None: none)."""
    for u in _UNITS:
        if s.endswith(u) and len(s) > len(u):
            return s[: -len(u)], u
    return s, None


def _text_problem(s: str) -> str:
    """Why a normalised text that is no number reads almost as one (``""``: it does not)."""
    if _MARKED.match(s):
        return AMBIGUOUS_MARK
    if _SEVERAL.match(s):
        return SEVERAL_NUMBERS
    return ""


def _one_number(text: str, unit: str | None) -> bool:
    """Is the white space inside a number's text (if any) no separator between two numbers?
    Spaces between groups of three digits are a thousands separator (``2 217``); a sign or a
    unit may stand apart (``- 3``, ``3 件``)."""
    parts = _number_parts(text, unit)
    if len(parts) < 2:
        return True
    return (bool(_THOUSANDS_SPACE.match(text.strip())) and bool(_GROUP_FIRST.match(parts[0]))
            and all(_GROUP.match(p) for p in parts[1:-1]) and bool(_GROUP_LAST.match(parts[-1])))


def _number_parts(text: str, unit: str | None) -> list[str]:
    """The pieces of a number's text between white space, a unit standing apart or glued to the
    last piece taken off and a sign standing apart joined to the piece after it."""
    parts = [p for p in _WHITE_SPLIT.split(unicodedata.normalize("NFKC", text).translate(_EXTRA)) if p]
    if len(parts) < 2:
        return parts
    if unit and parts[-1] == unit:
        parts = parts[:-1]
    elif unit and parts[-1].endswith(unit):
        parts[-1] = parts[-1][: -len(unit)]
    if len(parts) > 1 and parts[0] in ("+", "-"):
        parts = [parts[0] + parts[1], *parts[2:]]
    return parts


_SPLIT = re.compile(r"[\s\u3000\u00a0]+")


def split_numbers(text: str) -> list[Value] | None:
    """If ``text`` is several numbers separated by spaces (``"0 0 3"``), read each; else None."""
    parts = [p for p in _SPLIT.split(text.strip()) if p]
    if len(parts) < 2:
        return None
    values = [parse_value(p) for p in parts]
    if all(v.kind == "number" for v in values):
        return values
    return None
