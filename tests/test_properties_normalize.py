"""Normalisation (gxparse._normalize) is idempotent and blind to width and spacing.

``norm`` removes what carries no meaning in a label (character width, spaces,
line breaks, invisible characters, quote and dash styles), ``core`` also the
leading numbering; ``parse_value`` reads a cell as a number whatever its width.
The mapper relies on all of it: a label written with full-width brackets, a space
after its numbering or a line break inside must read as the official label.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gxparse._normalize import core, norm, parse_value, split_numbers
from gxparse.form import SECTIONS, TEMPLATES

from kit.noise import Noise, _Labeler, _widen


def scaled(fraction: float, floor: int = 10) -> settings:
    return settings(settings.default, max_examples=max(floor, int(settings.default.max_examples * fraction)),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _range(a: int, b: int) -> st.SearchStrategy[str]:
    return st.characters(min_codepoint=a, max_codepoint=b)


#: Any Unicode text, combining marks and characters that decompose into them (´ ¸) included.
ANY_TEXT = st.text(max_size=40)
#: What report labels are made of: ASCII, CJK, CJK and general punctuation, full-width
#: forms, circled numbers and the invisible characters real files carry.
REPORT_ALPHABET = st.one_of(
    _range(0x20, 0x7E), _range(0x4E00, 0x9FFF), _range(0x3000, 0x3029), _range(0x3030, 0x303F),
    _range(0xFF01, 0xFF5E), _range(0x2010, 0x2016), _range(0x2018, 0x2027), _range(0x2460, 0x2473),
    st.sampled_from("\t\n\r\u00a0\u200b\u200d\ufeff\u2028\u3000·×—"),
)
REPORT_TEXT = st.text(alphabet=REPORT_ALPHABET, max_size=40)
SPACES = st.sampled_from([" ", "  ", "\u3000", "\u00a0", "\t", "\n", "\r\n", "\u200b", "\ufeff", "\u2028"])
LABELS = sorted(
    {r.label for t in TEMPLATES.values() for r in t.app_rows}
    | {c.label for t in TEMPLATES.values() for c in t.app_columns}
    | {c.label for t in TEMPLATES.values() for c in t.review_columns}
    | {i.label for t in TEMPLATES.values() for i in t.active_items}
    | {f.label for t in TEMPLATES.values() for i in t.active_items for f in i.fields}
    | {s.title for s in SECTIONS}
)
#: Numbering styles of real labels.
NUMBERINGS = st.sampled_from(["一、", "四、", "（一）", "(三)", "（七）", "1.", "2、", "3．", "（1）", "1)", "①", "⑫"])


@st.composite
def spaced(draw, text: st.SearchStrategy[str]) -> tuple[str, str]:
    """``(t, t with white space inserted at a few places)``."""
    t = draw(text)
    out = t
    for _ in range(draw(st.integers(1, 4))):
        k = draw(st.integers(0, len(out)))
        out = out[:k] + draw(SPACES) + out[k:]
    return t, out


# -- idempotence -----------------------------------------------------------------

@given(ANY_TEXT)
@example("（一）予以公开\u3000")
@example("①\u00a0１．")
@scaled(2)
def test_norm_is_idempotent(text):
    once = norm(text)
    assert norm(once) == once


@given(ANY_TEXT)
@example("一、（一）1.其他")
@example("(一)、")
@scaled(2)
def test_core_is_idempotent_and_refines_norm(text):
    once = core(text)
    assert core(once) == once
    assert core(norm(text)) == once
    assert once in norm(text)  # core only removes: numbering and punctuation at the edges


def test_norm_accent_after_letter():
    """Fixed in _normalize.norm: NFKC ran before white space was removed, so a spacing
    accent (´ → space + U+0301) composed only on a second pass."""
    assert norm(norm("A´")) == norm("A´")


def test_core_circled_numbering():
    """Fixed in _normalize.core: the circled-number branch of the numbering pattern ran
    after NFKC, which had already turned ① into 1."""
    assert core("①信访举报投诉类申请") == "信访举报投诉类申请"


# -- blind to width ----------------------------------------------------------------

@given(REPORT_TEXT)
@example("(一)予以公开1.2")
@scaled(1)
def test_norm_and_core_are_blind_to_width(text):
    wide = _widen(text)
    assert norm(wide) == norm(text)
    assert core(wide) == core(text)


@given(st.sampled_from(LABELS), st.sampled_from(["official", "half", "full"]))
@scaled(1)
def test_official_labels_in_any_width_normalise_alike(label, width):
    variant = {"official": label, "half": unicodedata.normalize("NFKC", label),
               "full": _widen(unicodedata.normalize("NFKC", label))}[width]
    assert norm(variant) == norm(label)
    assert core(variant) == core(label)


# -- blind to spacing --------------------------------------------------------------------

@given(spaced(REPORT_TEXT))
@example(("本年新收政府信息公开申请数量", "本年新收\n政府信息\u3000公开 申请数量"))
@scaled(2)
def test_norm_and_core_are_blind_to_white_space(pair):
    text, with_spaces = pair
    assert norm(with_spaces) == norm(text)
    assert core(with_spaces) == core(text)


@given(spaced(ANY_TEXT))
@scaled(1)
def test_norm_is_blind_to_white_space_in_any_text(pair):
    text, with_spaces = pair
    assert norm(with_spaces) == norm(text)


@given(st.sampled_from(LABELS), NUMBERINGS, SPACES)
@scaled(1)
def test_core_strips_any_numbering_style(label, numbering, space):
    bare = core(label)
    assert core(numbering + bare) == bare
    assert core(numbering + space + bare) == bare


@given(st.sampled_from(LABELS), st.sampled_from(["official", "half", "full"]), st.booleans(),
       st.sampled_from([0, 2, 4, 12]), st.integers(0, 2**16))
@scaled(2)
def test_the_test_kits_label_noise_is_what_norm_removes(label, width, spaces, breaks, seed):
    """Width, spaces and line breaks drawn by gxparse.testing.noises are invisible to norm:
    the round-trip properties' label noise is exactly what normalisation promises to remove."""
    lab = _Labeler(Noise(width=width, label_spaces=spaces, label_breaks=breaks, seed=seed))
    noisy = lab(label)
    assert norm(noisy) == norm(label)
    assert core(noisy) == core(label)


# -- numbers ---------------------------------------------------------------------------------

@st.composite
def printed_numbers(draw) -> tuple[Decimal, str]:
    """A number and one way a report prints it: width, thousands separators, padding, unit."""
    whole = draw(st.integers(0, 10**12))
    places = draw(st.integers(0, 6))
    frac = draw(st.integers(0, 10**places - 1)) if places else 0
    negative = draw(st.booleans())
    value = Decimal(whole) + (Decimal(frac).scaleb(-places) if places else 0)
    digits = f"{whole:,}" if draw(st.booleans()) and whole >= 1000 else str(whole)
    if places:
        digits += "." + str(frac).rjust(places, "0")
    sign = draw(st.sampled_from(["-", "－", "\u2212"])) if negative else ""
    text = sign + digits
    if draw(st.booleans()):
        text = _widen(text)
    unit = draw(st.sampled_from(["", "", "元", "万元", "件"]))
    pad = draw(st.sampled_from(["", " ", "\u3000", "\u00a0", "\n"]))
    return (-value if negative else value), pad + text + unit + pad


@given(printed_numbers())
@example((Decimal("1944.0495"), "１９４４．０４９５"))
@example((Decimal(-3), "－3"))
@example((Decimal(251000), "251,000元"))
@scaled(2)
def test_numbers_read_back_whatever_the_width_and_padding(case):
    value, text = case
    v = parse_value(text)
    assert v.kind == "number", text
    assert v.number == value
    assert parse_value(norm(text)).number == value


@given(st.lists(st.integers(0, 10**6), min_size=2, max_size=8), SPACES.filter(lambda s: s not in ("\u200b", "\ufeff")))
@scaled(1)
def test_runs_of_numbers_split_into_each_number(numbers, space):
    text = space.join(str(n) for n in numbers)
    got = split_numbers(text)
    assert got is not None and [v.number for v in got] == numbers


@given(st.sampled_from(["", "—", "-", "/", "无", "——", "－", "／"]), SPACES)
@scaled(0.5)
def test_blank_placeholders_are_blank_in_any_width(mark, space):
    assert parse_value(mark).kind == "blank"
    assert parse_value(space + _widen(mark) + space).kind == "blank"
