"""Bad input ends in one clear line naming the file, exit 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

import gxparse
from gxparse._cli import main


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "gxparse", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def bad_files(tmp_path, corpus_dir):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n\t \n", encoding="utf-8")
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 40)
    return {
        "empty": (empty, gxparse.EmptySourceError, "empty"),
        "blank": (blank, gxparse.EmptySourceError, "whitespace"),
        "garbage": (garbage, gxparse.UnsupportedFormatError, "no registered format"),
        "pre-2019": (corpus_dir / "pingtan_0.txt", gxparse.NotAReportError, "pre-2019"),
        "missing": (tmp_path / "nope.pdf", gxparse.SourceNotFoundError, "no such file"),
        "directory": (tmp_path, gxparse.SourceNotFoundError, "directory"),
    }


@pytest.mark.parametrize("kind", ["empty", "blank", "garbage", "pre-2019", "missing", "directory"])
def test_api_raises_a_gxparse_error_naming_the_file(bad_files, kind):
    path, exc_type, words = bad_files[kind]
    with pytest.raises(exc_type) as info:
        gxparse.parse(path)
    assert isinstance(info.value, gxparse.GxparseError)
    assert str(path) in str(info.value) and words in str(info.value)


@pytest.mark.parametrize("kind", ["empty", "garbage", "pre-2019", "missing"])
def test_cli_one_line_exit_2(bad_files, kind):
    path, _, words = bad_files[kind]
    for command in ("parse", "check"):
        proc = run_cli(command, path)
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("gxparse: error: ") and str(path) in lines[0]
        assert words in lines[0]
        assert "Traceback" not in proc.stderr


def test_unknown_format(seeds_dir, capsys):
    seed = next(seeds_dir.glob("000_*.txt"))
    with pytest.raises(gxparse.UnknownFormatError) as info:
        gxparse.parse(seed, format="xlsx")
    assert isinstance(info.value, LookupError) and "xlsx" in str(info.value)
    assert main(["parse", "--format", "xlsx", str(seed)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown format 'xlsx'" in err[0] and seed.name in err[0]


def test_builtin_exception_bases():
    assert issubclass(gxparse.SourceNotFoundError, FileNotFoundError)
    assert issubclass(gxparse.EmptySourceError, ValueError)
    assert issubclass(gxparse.NotAReportError, ValueError)
    assert issubclass(gxparse.UnknownFormatError, LookupError)
    assert issubclass(gxparse.NeedsOCRError, gxparse.ExtractError)


def test_error_location_in_message():
    err = gxparse.NeedsOCRError("no text layer (a scanned page); OCR is needed", source="a.pdf", page=3)
    assert str(err) == "a.pdf: page 3: no text layer (a scanned page); OCR is needed"
    import pickle

    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err) and type(again) is gxparse.NeedsOCRError


def test_batch_continues_past_bad_files(bad_files, seeds_dir, capsys):
    seed = next(seeds_dir.glob("002_*.txt"))
    status = main(["parse", str(bad_files["empty"][0]), str(seed), str(bad_files["garbage"][0]), str(seed)])
    out = capsys.readouterr()
    assert status == 2
    assert len(out.out.strip().splitlines()) == 2  # both good files printed, one JSON object per line
    assert len(out.err.strip().splitlines()) == 2


def test_adapter_bug_becomes_extract_error(seeds_dir):
    class Broken(gxparse.FormatAdapter):
        name = "broken"

        def extract(self, source):
            raise KeyError("oops")

    seed = next(seeds_dir.glob("000_*.txt"))
    with pytest.raises(gxparse.ExtractError, match="'broken' adapter failed: KeyError"):
        gxparse.parse(seed, format=Broken())
