"""The command line."""

from __future__ import annotations

import json

import pytest

from gxparse._cli import main


def test_parse_prints_the_record(seeds_dir, capsys):
    seed = next(seeds_dir.glob("002_*.txt"))
    assert main(["parse", str(seed)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["applications"]["received_new"]["total"] == 3
    assert data["source"]["format"] == "text"


def test_parse_format_option(seeds_dir, capsys):
    seed = next(seeds_dir.glob("002_*.txt"))
    assert main(["parse", "--format", "text", "--compact", str(seed)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1


def test_check_clean_and_with_errors(seeds_dir, samples_dir, capsys):
    seed = next(seeds_dir.glob("000_*.txt"))
    assert main(["check", str(seed)]) == 0
    assert "0 errors" in capsys.readouterr().out
    assert main(["check", str(samples_dir / "s02.txt")]) == 1
    out = capsys.readouterr().out
    assert "row-total" in out and "（一）予以公开" in out and "原文为 0，各项之和为 1" in out
    assert "results-total" in out and "自然人" in out


def test_check_verbose_shows_info(seeds_dir, capsys):
    seed = next(seeds_dir.glob("004_*.txt"))
    main(["check", "-v", str(seed)])
    out = capsys.readouterr().out
    assert "label-variant" in out and "derived-value" in out
    main(["check", str(seed)])
    assert "label-variant" not in capsys.readouterr().out


def test_check_many_files_summary(seeds_dir, capsys):
    files = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    assert main(["check", "-q", *files]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == len(files) + 1 and out[-1] == f"{len(files)} files: 0 with errors, 0 unreadable"


@pytest.mark.parametrize("stage, needle", [("document", "TABLE"), ("records", "规章"), ("mapping", "received_new")])
def test_inspect(seeds_dir, capsys, stage, needle):
    seed = next(seeds_dir.glob("002_*.txt"))
    assert main(["inspect", "--stage", stage, str(seed)]) == 0
    assert needle in capsys.readouterr().out


def test_formats(capsys):
    assert main(["formats"]) == 0
    out = capsys.readouterr().out
    for name in ("pdf", "html", "markdown", "pipe", "text"):
        assert f"entry point {name} = gxparse.formats." in out


def test_help_and_usage_errors(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    assert "gxparse check" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        main(["parse"])
    assert info.value.code == 2
    assert main([]) == 2


def test_parse_and_check_walk_folders_and_read_paths_from_stdin(seeds_dir, tmp_path):
    import json
    import subprocess
    import sys

    seeds = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    r = subprocess.run([sys.executable, "-m", "gxparse", "parse", str(seeds_dir)], capture_output=True, text=True)
    assert r.returncode == 0
    assert [json.loads(x)["source"]["path"] for x in r.stdout.splitlines()] == seeds
    r = subprocess.run([sys.executable, "-m", "gxparse", "check", "-q", "-"], input="\n".join(seeds[:2]) + "\n",
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.count("template 20") == 2 and "2 files:" in r.stdout


def test_check_json_is_one_object_per_report(seeds_dir, tmp_path):
    import json
    import subprocess
    import sys

    seed = next(seeds_dir.glob("003_*.txt"))
    missing = tmp_path / "missing.pdf"
    for flag in (["--json"], ["--format", "json"]):
        r = subprocess.run([sys.executable, "-m", "gxparse", "check", *flag, str(seed), str(missing)],
                           capture_output=True, text=True)
        assert r.returncode == 2 and r.stderr == ""
        ok, bad = (json.loads(x) for x in r.stdout.splitlines())
        assert ok["path"] == str(seed) and ok["status"] == "warnings" and ok["template"] == "2019"
        assert {f["code"] for f in ok["findings"]} >= {"extra-cells"}
        assert bad == {"path": str(missing), "status": "unreadable", "error": "SourceNotFoundError",
                       "message": f"{missing}: no such file", "findings": []}
