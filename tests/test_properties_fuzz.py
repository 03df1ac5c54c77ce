"""Fuzzing: every registered adapter, and gxparse.parse, on arbitrary and mangled input.

Whatever the bytes, an adapter returns a valid :class:`gxparse.Document` or raises
a :class:`gxparse.GxparseError`, nothing else, within a time bound; and so does
:func:`gxparse.parse` end to end (detection, adapter, mapper, validator): it
returns a :class:`gxparse.Report` or raises a ``GxparseError``.

The adapter half is :class:`gxparse.testing.AdapterContract`, the same test base
class a plugin author uses, applied to every adapter in the default registry
(a newly registered built-in is picked up by itself). Its samples are the shared
samples and seeds and the HTML fixtures, mutated byte by byte.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import gxparse
from gxparse import GxparseError, Source
from gxparse.testing import AdapterContract, _mutate, call_with_timeout, reports, zero_report

from conftest import FIXTURES, SAMPLES, SEEDS, SHARED_MISSING
from kit.noise import Noise
from kit.render import FLAVOURS, render

#: Seconds one parse or extract may take on fuzzed input.
TIMEOUT = 10.0


def scaled(fraction: float, floor: int = 5) -> settings:
    return settings(settings.default, max_examples=max(floor, int(settings.default.max_examples * fraction)),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _read(paths: list[Path]) -> list[bytes]:
    return [p.read_bytes() for p in sorted(paths) if p.is_file()]


def _rendered(flavour: str, template: str = "2021") -> bytes:
    return render(zero_report(template), flavour).data


def _files(adapter: str) -> tuple[list[bytes], list[bytes], list[bytes]]:
    """(samples, report samples, unreadable inputs to mutate) for a built-in adapter: inputs of
    its format from ../shared and the fixtures, or, with no ../shared beside the checkout, the
    project's own renderings of a report in that format (so every format is still fuzzed)."""
    seeds = sorted(SEEDS.glob("*.txt"))
    if adapter == "text":
        if not seeds:
            return ([_rendered("text-tab-rows")], [_rendered("text-cells"), _rendered("text-layout", "2019")], [])
        reports_ = [SAMPLES / "s00.txt", SAMPLES / "s03_layout.txt", seeds[0], seeds[2]]
        return _read([*SAMPLES.glob("s0[1-5].txt"), seeds[3]]), _read(reports_), []
    if adapter == "pipe":
        return [], _read([seeds[1]]) if seeds else [_rendered("pipe-rows")], []
    if adapter == "markdown":
        return [], _read([seeds[4]]) if seeds else [_rendered("markdown")], []
    if adapter == "html":  # the fixtures the adapter must refuse are mutated, not read
        refused = ("comment_only.html", "empty_page.html", "deep_nesting.html")
        pages = sorted(FIXTURES.glob("html/*.html"))
        report = _read([SAMPLES / "s00.html"]) or [_rendered("html")]
        return (_read([p for p in pages if p.name not in refused]), report,
                _read([p for p in pages if p.name in refused]))
    if adapter == "pdf":
        return [render(zero_report("2019"), "pdf").data], _read([SAMPLES / "s00.pdf"]) or [_rendered("pdf")], []
    if adapter == "docx":  # .doc samples are not mutated: each would start LibreOffice
        rendered = [render(zero_report("2019"), "docx", Noise(seed=s, label_breaks=6)).data for s in (1, 2)]
        return rendered, _read([SAMPLES / "s01.docx"]) or [_rendered("docx")], []
    return [], [], []


def _contract_for(name: str) -> type:
    adapter = gxparse.default_registry().get(name)
    samples, report_samples, seeds = _files(name)
    attrs = {"adapter": adapter, "samples": samples, "report_samples": report_samples, "mutation_seeds": seeds,
             "timeout": TIMEOUT,
             "__doc__": f"AdapterContract for the registered {name!r} adapter."}
    return type(f"Test{name.title().replace('-', '').replace('_', '')}AdapterContract", (AdapterContract,), attrs)


ADAPTERS = [reg.name for reg in gxparse.list_formats()]
for _name in ADAPTERS:
    _cls = _contract_for(_name)
    globals()[_cls.__name__] = _cls
del _name, _cls


def test_every_built_in_adapter_is_fuzzed():
    assert {"text", "pipe", "markdown", "html", "pdf", "docx"} <= set(ADAPTERS)
    for name in ADAPTERS:
        cls = globals()[f"Test{name.title().replace('-', '').replace('_', '')}AdapterContract"]
        assert issubclass(cls, AdapterContract) and cls.adapter.name == name


# ---------------------------------------------------------------------------
# gxparse.parse end to end
# ---------------------------------------------------------------------------

def parse_or_error(data: bytes, name: str = "<bytes>") -> gxparse.Report | GxparseError:
    """Parse ``data`` within the time bound; a non-GxparseError fails the test."""
    try:
        return call_with_timeout(gxparse.parse, TIMEOUT, Source.from_bytes(data, name))
    except GxparseError as exc:
        return exc
    except TimeoutError:
        raise
    except Exception as exc:
        raise AssertionError(f"parse raised {type(exc).__name__}: {exc} on {data[:200]!r}") from exc


NAMES = st.sampled_from(["<bytes>", "report.txt", "report.md", "report.html", "report.pdf", "report.docx",
                         "报告.TXT"])


@given(data=st.binary(max_size=4096), name=NAMES)
@example(data=b"", name="report.txt")
@example(data=b"\xef\xbb\xbf", name="report.txt")
@example(data=b"%PDF-1.4\n%%EOF", name="report.pdf")
@example(data=b"<table><tr><td rowspan=99999 colspan=99999>x</td></tr></table>", name="report.html")
@scaled(1)
def test_parse_arbitrary_bytes(data, name):
    parse_or_error(data, name)


_REPORTISH = st.text(alphabet=st.sampled_from(list(
    "|\t\n -—:#*<>/（）()一二三四五六七八九十、.0123456789总计申请公开年度报告行政复议诉讼自然人其他规章本年新收办理结果"
    "结转下年度继续不予处理第二十条项信息内容处罚\u3000")), max_size=600)


@given(text=_REPORTISH, name=NAMES)
@scaled(1)
def test_parse_arbitrary_report_like_text(text, name):
    parse_or_error(text.encode("utf-8"), name)


@st.composite
def mangled_renderings(draw) -> tuple[bytes, str]:
    """A rendered report (any text-family flavour or HTML), mangled: lines dropped,
    duplicated, swapped or truncated, or bytes edited."""
    flavour = draw(st.sampled_from([f for f in FLAVOURS if f not in ("pdf", "docx")]))
    report = draw(reports())
    out = render(report, flavour)
    lines = out.data.split(b"\n")
    rnd = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 6))):
        op = rnd.randrange(5)
        i = rnd.randrange(len(lines))
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[rnd.randrange(len(lines))])
        elif op == 2:
            j = rnd.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            lines = lines[:i + 1]
        else:
            ops = [(rnd.randrange(4), rnd.randrange(10**6), rnd.randrange(10**6)) for _ in range(3)]
            lines[i] = _mutate(lines[i], ops) if lines[i] else lines[i]
        if not lines:
            lines = [b""]
    return b"\n".join(lines), out.name


@given(mangled_renderings())
@scaled(1)
def test_parse_mangled_renderings(case):
    data, name = case
    parse_or_error(data, name)


_SHARED = sorted([*SAMPLES.glob("s0*.txt"), *SAMPLES.glob("s0*.html"), *SAMPLES.glob("s0[0-2].docx"),
                  *SEEDS.glob("*.txt")]) or [
    pytest.param(None, marks=pytest.mark.skip(reason=SHARED_MISSING))]


@pytest.mark.parametrize("path", _SHARED, ids=lambda p: p.name if p else "none")
@given(ops=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10**7), st.integers(0, 10**6)),
                    min_size=1, max_size=6))
@scaled(0.1, floor=3)
def test_parse_mutated_shared_samples(path, ops):
    parse_or_error(_mutate(path.read_bytes(), ops), path.name)


@given(ops=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10**7), st.integers(0, 10**6)),
                    min_size=1, max_size=4))
@scaled(0.15, floor=3)
def test_parse_mutated_pdf(ops):
    sample = SAMPLES / "s01.pdf"
    data = sample.read_bytes() if sample.is_file() else _PDF_REPORT
    parse_or_error(_mutate(data, ops), "s01.pdf")


#: A rendered report in PDF, mutated when the shared sample is not beside the checkout.
_PDF_REPORT = _rendered("pdf")


def _rezip(data: bytes, part: str, edit) -> bytes:
    """The package ``data`` with ``part`` replaced by ``edit(part's bytes)``."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info.filename, edit(body) if info.filename == part else body)
    return out.getvalue()


@given(report=reports(), seed=st.integers(0, 2**16), part=st.sampled_from(["word/document.xml", "word/styles.xml",
                                                                             "word/_rels/document.xml.rels"]),
       ops=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10**7), st.integers(0, 10**6)),
                    min_size=1, max_size=6))
@scaled(0.5)
def test_parse_docx_with_mutated_xml_parts(report, seed, part, ops):
    """Mutating the compressed bytes of a .docx mostly breaks the ZIP; this mutates the XML inside."""
    data = render(report, "docx", Noise(seed=seed)).data
    parse_or_error(_rezip(data, part, lambda body: _mutate(body, ops)), "report.docx")
