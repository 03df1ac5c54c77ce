"""The PDF adapter under threads, hostile files and noisy libraries.

* threads: PDFium is not thread-safe; gxparse serialises its calls, so parsing from several threads
  gives the same records as parsing one file after another (and never kills the process);
* the registry's first load is thread-safe (threads that call ``parse()`` at once in a fresh process);
* bombs: form XObjects that draw each other (a cycle, or twice per level), too many drawing
  operations, a content stream that inflates to gigabytes: a ``ResourceLimitError`` naming the page,
  within a bounded time and memory (each in a subprocess with an address-space limit);
* pdfminer's log lines do not reach stderr.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str, *args: str, timeout: float = 240, memory_mb: int | None = None) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (optionally with an address-space limit)."""
    pre = ""
    if memory_mb:
        pre = (f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({memory_mb} << 20, {memory_mb} << 20))\n")
    return subprocess.run([sys.executable, "-c", pre + textwrap.dedent(code), *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)


def test_registry_first_load_is_thread_safe(tmp_path):
    text = tmp_path / "r.txt"
    text.write_text("第一行\n第二行\n", encoding="utf-8")
    code = """
        import sys, threading
        import gxparse
        from gxparse import default_registry
        errors, seen = [], []
        barrier = threading.Barrier(6)
        def run():
            barrier.wait()
            try:
                seen.append(default_registry().detect(gxparse.Source.from_path(sys.argv[1])).name)
            except Exception as exc:
                errors.append(type(exc).__name__)
        threads = [threading.Thread(target=run) for _ in range(6)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        print(errors, sorted(set(seen)))
    """
    for _ in range(3):  # the race needs a fresh process each time
        out = run_python(code, str(text))
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "[] ['text']"


def test_threads_give_the_serial_results(samples_dir, corpus_dir):
    files = sorted(str(p) for p in samples_dir.glob("s0*.pdf")) + [str(corpus_dir / "kiro_hzq_1.pdf")]
    code = """
        import sys, threading, json
        import gxparse
        files = sys.argv[1:]
        serial = {f: gxparse.parse(f).to_json() for f in files}
        bad, errors = [], []
        def run(k):
            try:
                for f in files[k % len(files):] + files[:k % len(files)]:
                    if gxparse.parse(f).to_json() != serial[f]:
                        bad.append(f)
            except Exception as exc:
                errors.append(repr(exc))
        threads = [threading.Thread(target=run, args=(k,)) for k in range(8)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        print(json.dumps([bad, errors]))
    """
    out = run_python(code, *files, timeout=600)
    assert out.returncode == 0, f"the process died ({out.returncode}): {out.stderr[-500:]}"
    assert out.stdout.strip() == "[[], []]"


def test_pdfminer_log_lines_do_not_reach_stderr(tmp_path):
    pdf = tmp_path / "nobbox.pdf"
    pdf.write_bytes(_font_without_bbox_pdf())
    code = """
        import sys, gxparse
        from gxparse.formats.pdf import PdfAdapter
        from gxparse import Source
        doc = PdfAdapter("pdfplumber").extract(Source.from_path(sys.argv[1]))
        print(len(list(doc.iter_text())))
        import logging
        logging.getLogger("pdfminer.pdffont").warning("outside gxparse")
    """
    out = run_python(code, str(pdf))
    assert out.returncode == 0, out.stderr
    # inside the extraction nothing is printed; outside it pdfminer logs as usual
    assert out.stderr.strip() == "outside gxparse"


def _font_without_bbox_pdf() -> bytes:
    from pdf_factory import raw_pdf

    desc = {"Type": "/FontDescriptor", "FontName": "/NoBBox", "Flags": 32, "ItalicAngle": 0, "Ascent": 700,
            "Descent": -200, "FontBBox": ["/a", "/b"]}
    font = {"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/NoBBox", "FontDescriptor": desc}
    content = "BT /F2 12 Tf 72 720 Td (Hello world) Tj ET BT /F2 12 Tf 72 700 Td (12 34) Tj ET"
    return raw_pdf([content], fonts={"F2": font})


# -- bombs -----------------------------------------------------------------------------------------

BOMB_MEMORY_MB = 1500  # the address space each bomb is read in (the interpreter and PDFium need ~400 MB)
BOMB_SECONDS = 60


def _forms(levels: int, cycle: bool = False) -> bytes:
    """Form XObjects each drawing the one below it twice, ``levels`` deep (2**levels drawings);
    ``cycle``: the innermost draws the outermost."""
    from pdf_factory import raw_pdf

    forms = {"L0": (b"0 0 m 100 100 l S BT /F1 12 Tf 10 10 Td (x) Tj ET", {})}
    for k in range(1, levels):
        forms[f"L{k}"] = (b"q /X Do Q q 1 0 0 1 1 1 cm /X Do Q", {"X": f"L{k - 1}"})
    if cycle:
        forms["L0"] = (b"q /X Do Q", {"X": f"L{levels - 1}"})
    top = f"L{levels - 1}"
    return raw_pdf(["BT /F1 12 Tf 72 720 Td (cover) Tj ET", f"/{top} Do"], forms=forms)


def _inflating(megabytes: int) -> bytes:
    """A page whose content stream is a few hundred KB deflated and ``megabytes`` MB inflated."""
    import zlib

    import pikepdf

    z = zlib.compressobj(9)
    parts = [z.compress(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n")]
    block = b" " * (1 << 20)
    parts += [z.compress(block) for _ in range(megabytes)]
    parts.append(z.flush())
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    stream = pikepdf.Stream(pdf, b"".join(parts))
    stream.Filter = pikepdf.Name.FlateDecode
    page.Contents = pdf.make_indirect(stream)
    import io

    out = io.BytesIO()
    pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _many_ops(n: int) -> bytes:
    from pdf_factory import raw_pdf

    return raw_pdf(["BT /F1 12 Tf 72 720 Td (cover) Tj ET", "0 0 m 1 1 l S\n" * n])


@pytest.mark.parametrize(("name", "make", "message"), [
    ("form cycle", lambda: _forms(5, cycle=True), "page 2: form XObjects draw each other in a cycle"),
    ("forms twice per level", lambda: _forms(24), "page 2: it draws form XObjects more than 20000 times"),
    ("content inflating to 600 MB", lambda: _inflating(600), "page 1: its content inflates to more than 256 MB"),
    ("300,000 drawing operations", lambda: _many_ops(300_000), "page 2: the page draws more than 200000 objects"),
])
@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_bombs_are_refused_naming_the_page(tmp_path, name, make, message, backend):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(make())
    code = """
        import sys, time, resource
        import gxparse
        from gxparse.formats.pdf import Limits, PdfAdapter
        adapter = PdfAdapter(sys.argv[2], limits=Limits(max_ops=200_000))
        t0 = time.process_time()
        try:
            gxparse.parse(sys.argv[1], format=adapter)
            print("parsed")
        except gxparse.ResourceLimitError as exc:
            print(type(exc).__name__, exc.page, str(exc))
        print(f"{time.process_time() - t0:.1f}")
    """
    out = run_python(code, str(path), backend, timeout=BOMB_SECONDS * 2, memory_mb=BOMB_MEMORY_MB)
    assert out.returncode == 0, f"{name}: the process died ({out.returncode}): {out.stderr[-400:]}"
    first, seconds = out.stdout.strip().splitlines()
    assert first.startswith("ResourceLimitError") and message in first, first
    assert float(seconds) < BOMB_SECONDS


def test_memory_error_in_any_stage_is_a_clear_error(monkeypatch, samples_dir):
    import gxparse
    from gxparse.formats import _pdf_layout

    def boom(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(_pdf_layout, "analyse_page", boom)
    with pytest.raises(gxparse.ResourceLimitError, match="too large to read in memory"):
        gxparse.parse(samples_dir / "s01.pdf")
    monkeypatch.undo()
    import gxparse._mapping

    monkeypatch.setattr(gxparse._mapping, "map_records", boom)
    with pytest.raises(gxparse.ResourceLimitError, match="too large to map in memory"):
        gxparse.parse(samples_dir / "s01.pdf")


def test_a_deflate_chain_is_inflated_piece_by_piece():
    import zlib

    from pdfminer.pdftypes import PDFStream
    from pdfminer.psparser import LIT

    from gxparse.formats._pdf_scan import _inflated_size

    inner = zlib.compress(b" " * (50 << 20), 9)
    stream = PDFStream({"Filter": [LIT("FlateDecode"), LIT("FlateDecode")]}, zlib.compress(inner, 9))
    assert _inflated_size(stream, 10 << 20) == (10 << 20) + (1 << 20)  # stopped at the first MB past the bound
    assert _inflated_size(stream, 100 << 20) == 50 << 20
