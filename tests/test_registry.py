"""The adapter registry: checked registration, entry points, detection."""

from __future__ import annotations

import pytest

import gxparse
from gxparse import Document, FormatAdapter, Paragraph, RegistrationError, Registry


class Dummy(FormatAdapter):
    name = "dummy"
    priority = 5

    def accepts(self, head, name=None):
        return 1.0 if head.startswith(b"DUMMY") else 0.0

    def extract(self, source):
        return Document([Paragraph(source.text())], adapter=self.name)


def test_builtins_come_from_entry_points():
    regs = {r.name: r for r in gxparse.list_formats()}
    assert {"text", "pipe", "markdown", "html", "pdf"} <= set(regs)
    for name in ("text", "pipe", "markdown", "html", "pdf"):
        assert regs[name].origin.startswith(f"entry point {name} = gxparse.formats.")
    assert gxparse.default_registry().load_errors == []


def test_ordered_by_priority():
    prios = [r.priority for r in gxparse.list_formats()]
    assert prios == sorted(prios, reverse=True)


def test_register_refuses_duplicates():
    reg = Registry(load_entry_points=False)
    reg.register(Dummy)
    with pytest.raises(RegistrationError, match="already registered"):
        reg.register(Dummy())
    reg.register(Dummy(), replace=True)
    assert len(reg) == 1


def test_register_checks_the_contract():
    reg = Registry(load_entry_points=False)

    class NoName(FormatAdapter):
        def extract(self, source):  # pragma: no cover
            return Document([])

    class NoExtract:
        name = "noextract"

    class BadName(Dummy):
        name = "Bad Name"

    for bad in (NoName, NoExtract(), BadName):
        with pytest.raises(RegistrationError):
            reg.register(bad)
    assert len(reg) == 0


def test_register_format_as_decorator_and_detection():
    @gxparse.register_format
    class Shouty(Dummy):
        name = "shouty-test"

    try:
        assert isinstance(gxparse.default_registry().get("shouty-test"), Shouty)
        report_like = gxparse.extract(b"DUMMY hello")
        assert report_like.adapter == "shouty-test"
        with pytest.raises(RegistrationError):
            gxparse.register_format(Shouty)
    finally:
        gxparse.default_registry().unregister("shouty-test")
    assert "shouty-test" not in gxparse.default_registry()


def test_broken_sniffer_does_not_break_detection(seeds_dir):
    class Broken(Dummy):
        name = "broken-sniffer"

        def accepts(self, head, name=None):
            raise RuntimeError("boom")

    reg = Registry()
    reg.register(Broken)
    seed = next(seeds_dir.glob("000_*.txt"))
    with pytest.warns(RuntimeWarning, match="broken-sniffer"):
        assert reg.detect(gxparse.Source.from_path(seed)).name == "text"


@pytest.mark.parametrize("seed, fmt", [("000", "text"), ("001", "pipe"), ("002", "text"), ("003", "text"),
                                       ("004", "markdown")])
def test_text_family_detected_from_content(seeds_dir, seed, fmt):
    path = next(seeds_dir.glob(f"{seed}_*.txt"))
    assert gxparse.default_registry().detect(gxparse.Source.from_path(path)).name == fmt


def test_accepts_is_pure_and_declines_binary():
    for reg in gxparse.list_formats():
        if reg.name in ("text", "pipe", "markdown"):
            assert reg.adapter.accepts(b"\x00\x01\x02\x03" * 100) == 0
            assert reg.adapter.accepts(b"") == 0
