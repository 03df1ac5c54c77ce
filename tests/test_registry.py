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


def test_the_builtin_table_is_the_entry_points_pyproject_declares():
    """Built-ins are registered from a table (no scan of the environment at start-up);
    the table must say exactly what pyproject.toml declares in the same group."""
    tomllib = pytest.importorskip("tomllib")
    from pathlib import Path

    from gxparse._registry import BUILTIN_ENTRY_POINTS, ENTRY_POINT_GROUP

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["entry-points"][ENTRY_POINT_GROUP] == BUILTIN_ENTRY_POINTS


def test_a_third_party_entry_point_is_found(tmp_path, monkeypatch):
    """A plugin installed as a distribution (a dist-info folder with entry_points.txt on
    sys.path) is registered with its origin, after the built-ins, without importing
    importlib.metadata."""
    (tmp_path / "gx_plugin_demo.py").write_text(
        "from gxparse import Document, FormatAdapter, Paragraph\n"
        "class DemoAdapter(FormatAdapter):\n"
        "    name = 'demo'\n"
        "    def accepts(self, head, name=None):\n"
        "        return 1.0 if head.startswith(b'DEMO') else 0.0\n"
        "    def extract(self, source):\n"
        "        return Document([Paragraph(source.text())], adapter=self.name)\n"
        "class Shadow(DemoAdapter):\n"
        "    name = 'text'\n", encoding="utf-8")
    info = tmp_path / "gx_plugin_demo-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text(
        "[console_scripts]\ndemo = gx_plugin_demo:main\n\n"
        "[gxparse.formats]\ndemo = gx_plugin_demo:DemoAdapter [extra]\ntext = gx_plugin_demo:Shadow\n",
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.warns(RuntimeWarning, match="already registered"):
        reg = Registry()
        regs = {r.name: r for r in reg.registrations()}
    assert regs["demo"].origin == "entry point demo = gx_plugin_demo:DemoAdapter [gx_plugin_demo]"
    assert regs["text"].origin.endswith("[gxparse]")  # the plugin cannot shadow a built-in
    assert [origin for origin, _ in reg.load_errors] == ["entry point text = gx_plugin_demo:Shadow [gx_plugin_demo]"]
    assert reg.detect(gxparse.Source.from_bytes(b"DEMO file")).name == "demo"


def test_the_first_load_is_thread_safe(tmp_path):
    """Four threads parsing at once in a fresh process all see every adapter (one used to
    get the registry half loaded and answer UnsupportedFormatError)."""
    import subprocess
    import sys

    from gxparse.testing import zero_report

    from kit.render import render

    page = tmp_path / "report.html"
    page.write_bytes(render(zero_report(), "html").data)
    code = (
        "import sys, threading, gxparse\n"
        "errors = []\n"
        "def run():\n"
        "    try:\n"
        "        gxparse.parse(sys.argv[1])\n"
        "    except Exception as exc:\n"
        "        errors.append(repr(exc))\n"
        "ts = [threading.Thread(target=run) for _ in range(4)]\n"
        "[t.start() for t in ts]; [t.join() for t in ts]\n"
        "print(errors)\n")
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code, str(page)], capture_output=True, text=True, timeout=120)
        assert out.stdout.strip() == "[]", out.stdout + out.stderr


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


@pytest.mark.parametrize("data", [b'{"template": "2021"}', b'\xef\xbb\xbf  [\n {"a": 1}]', b"[]", b"{}", b"[3, 4]"])
def test_json_is_data_not_a_report_text(data):
    """A saved record or an expected-numbers file is not read as a report's text (nor picked
    up from a folder by `gxparse batch`)."""
    with pytest.raises(gxparse.UnsupportedFormatError):
        gxparse.parse(data)


def test_text_that_merely_starts_with_a_bracket_is_still_text():
    assert gxparse.default_registry().get("text").accepts("[2021]年度报告\n第二行".encode()) > 0
