"""Inputs the command line must survive: odd file names, full disks, FIFOs and devices,
huge files (issue 15, item 8). One clear line and an exit status, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import gxparse
from _corpus_fixture import sample_report

from kit.render import render

REPORT = render(sample_report(2), "text-cells").data


def _gx(*args: str, **kw) -> subprocess.CompletedProcess[bytes]:
    kw.setdefault("timeout", 120)
    return subprocess.run([sys.executable, "-m", "gxparse", *args], capture_output=True, **kw)


@pytest.fixture
def odd_names(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a\nb.txt").write_bytes(REPORT)
    name = os.fsdecode(b"\xff\xfe-\xe6\x8a.txt")  # not UTF-8: Python keeps the bytes as surrogates
    (folder / name).write_bytes(REPORT + b"\n")
    return folder


def test_odd_file_names_give_valid_utf8_json_with_the_path_escaped(odd_names):
    r = _gx("parse", "--compact", str(odd_names))
    assert r.returncode == 0, r.stderr
    paths = [json.loads(line)["source"]["path"] for line in r.stdout.decode("utf-8").splitlines()]
    assert sorted(Path(p).name for p in paths) == ["\\xff\\xfe-\\xe6\\x8a.txt", "a\nb.txt"]
    r = _gx("check", "--json", str(odd_names))
    assert r.returncode == 0 and len(r.stdout.decode("utf-8").splitlines()) == 2


def test_odd_file_names_in_every_sink(odd_names, tmp_path):
    for out in ("c.sqlite", "c.jsonl", "c.csv"):
        summary = gxparse.run_batch([str(odd_names)], tmp_path / out, jobs=1, progress=False)
        assert summary.parsed == 2 and summary.n_failures == 0
        paths = sorted(gxparse.read_corpus(tmp_path / out).reports["path"])
        assert [Path(p).name for p in paths] == ["\\xff\\xfe-\\xe6\\x8a.txt", "a\nb.txt"]


def test_a_line_break_in_a_path_is_still_a_path(odd_names):
    path = odd_names / "a\nb.txt"
    assert gxparse.parse(path).source.path == str(path)  # a Path is always a path


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_stdout_on_a_full_disk_is_one_line(odd_names):
    with open("/dev/full", "wb") as full:
        r = subprocess.run([sys.executable, "-m", "gxparse", "parse", str(odd_names / "a\nb.txt")],
                           stdout=full, stderr=subprocess.PIPE, timeout=120)
    assert r.returncode == 2
    assert r.stderr.decode() == "gxparse: error: cannot write the output: No space left on device\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_and_a_device_are_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        if not path.exists():
            continue
        r = _gx("parse", str(path), timeout=20)
        assert r.returncode == 2 and b"not a regular file" in r.stderr and b"Traceback" not in r.stderr
        with pytest.raises(gxparse.SourceNotFoundError, match="not a regular file"):
            gxparse.parse(path)
    # in a folder: listed as a failure, never opened (opening a FIFO would block)
    (tmp_path / "ok.txt").write_bytes(REPORT)
    s = gxparse.run_batch([str(tmp_path)], tmp_path / "out.jsonl", jobs=1, progress=False)
    assert (s.parsed, s.failures["read"]) == (1, 1)


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_bytes(REPORT * 40)
    monkeypatch.setattr("gxparse._source.MAX_SOURCE_BYTES", len(REPORT) * 10)
    with pytest.raises(gxparse.ResourceLimitError, match="more than the limit"):
        gxparse.parse(big)
    env = {**os.environ, "GXPARSE_MAX_BYTES": str(len(REPORT) * 10)}
    r = _gx("parse", str(big), env=env)
    assert r.returncode == 2 and b"GXPARSE_MAX_BYTES" in r.stderr


def test_a_text_over_the_text_formats_limit_is_a_clear_error(monkeypatch):
    monkeypatch.setattr("gxparse.formats._textbase.MAX_BYTES", len(REPORT) // 2)
    with pytest.raises(gxparse.ResourceLimitError, match="text formats' limit"):
        gxparse.parse(REPORT)


def test_memory_error_while_mapping_is_a_clear_error(monkeypatch):
    def boom(*a, **k):
        raise MemoryError

    monkeypatch.setattr("gxparse._validate.validate", boom)
    with pytest.raises(gxparse.ResourceLimitError, match="too large to map in memory"):
        gxparse.parse(REPORT)


@pytest.mark.parametrize("value", ["abc", "-5", "0", "1.5"])
def test_a_bad_size_limit_in_the_environment_is_one_clear_line(tmp_path, value):
    import subprocess
    import sys

    f = tmp_path / "x.txt"
    f.write_text("x", encoding="utf-8")
    env = {**__import__("os").environ, "GXPARSE_MAX_BYTES": value}
    r = subprocess.run([sys.executable, "-m", "gxparse", "parse", str(f)], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == f"gxparse: error: GXPARSE_MAX_BYTES must be a positive whole number of bytes " \
                               f"(such as 536870912 for 512 MiB), not {value!r}"
