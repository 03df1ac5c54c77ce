"""The redesign gate: the same output before and after, on every shared document.

Run:  python benchmarks/compare_outputs.py [--base REF] [--dirs samples seeds corpus field]

For every file under ``../shared/{samples,seeds,corpus,field}`` (``GXPARSE_SHARED``
overrides the folder) this runs ``gxparse parse FILE`` and ``gxparse inspect FILE
--stage mapping`` twice: with the source of git ref ``--base`` (default: where this
branch left ``main``, ``git merge-base HEAD main``), unpacked into a temporary
folder with ``git archive`` and put first on ``PYTHONPATH``, and with the working
tree's ``src/``. It compares

* the JSON record of ``parse`` (every number, finding and derived path), its
  standard error and its exit status: they must be identical;
* the ``inspect --stage mapping`` trace with the names of the mapping rules that
  fired taken out (lines ``# rules …`` and trailing ``{rules: …}``): identical.

Prints one line per file that differs, with the first differing line, and exits 1
if any does, else 0. Not a test (it needs git and the shared documents): a gate to
run before a refactoring lands, e.g. ``python benchmarks/compare_outputs.py``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GXPARSE_SHARED", ROOT.parent / "shared"))
DIRS = ("samples", "seeds", "corpus", "field")

#: Run inside each tree's interpreter: both commands on every file, results as one JSON object.
_DRIVER = r"""
import contextlib, io, json, sys
from gxparse._cli import main

out = {}
for path in json.load(open(sys.argv[1], encoding="utf-8")):
    row = {}
    for key, argv in (("parse", ["parse", path]), ("mapping", ["inspect", path, "--stage", "mapping"])):
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                rc = main(argv)
            except SystemExit as exc:
                rc = exc.code
            except Exception as exc:  # a traceback is an output too: compare it
                rc = "raised " + type(exc).__name__ + ": " + str(exc)
        row[key] = {"rc": rc, "stdout": stdout.getvalue(), "stderr": stderr.getvalue()}
    out[path] = row
json.dump(out, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
"""

_RULES_LINE = re.compile(r"^# rules\b.*$\n?", re.M)
_RULES_SUFFIX = re.compile(r"\s*\{rules: [^{}]*\}$", re.M)


def shared_files(dirs: tuple[str, ...]) -> list[str]:
    """Every file under the named folders of the shared documents, sorted."""
    files: list[str] = []
    for d in dirs:
        files += sorted(str(p) for p in (SHARED / d).rglob("*") if p.is_file())
    return files


def base_ref() -> str:
    """Where this branch left main (the commit the redesign started from)."""
    out = subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def unpack(ref: str, into: Path) -> Path:
    """The ``src/`` folder of ``ref``, unpacked into ``into``; returns that folder."""
    into.mkdir(parents=True, exist_ok=True)
    archive = into / "src.tar"
    with archive.open("wb") as fh:
        subprocess.run(["git", "archive", ref, "src"], cwd=ROOT, stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data") if sys.version_info >= (3, 12) else tar.extractall(into)
    return into / "src"


def start(src: Path, files_json: Path, result: Path) -> subprocess.Popen[bytes]:
    """Start the driver with ``src`` first on the import path."""
    env = dict(os.environ, PYTHONPATH=str(src), PYTHONHASHSEED="0")
    return subprocess.Popen([sys.executable, "-c", _DRIVER, str(files_json), str(result)], env=env)


def strip_rules(text: str) -> str:
    """The mapping trace without the names of the rules that fired."""
    return _RULES_SUFFIX.sub("", _RULES_LINE.sub("", text))


def first_difference(a: str, b: str) -> str:
    """The first differing line of two texts, as a short unified diff."""
    diff = list(difflib.unified_diff(a.splitlines(), b.splitlines(), "base", "tree", n=0, lineterm=""))
    return "\n      ".join(diff[2:6])


def compare(old: dict[str, dict[str, dict[str, object]]], new: dict[str, dict[str, dict[str, object]]]) -> list[str]:
    """One line per file and command whose outputs differ."""
    bad: list[str] = []
    for path in old:
        for key in ("parse", "mapping"):
            a, b = old[path][key], new[path][key]
            if key == "mapping":
                a = {**a, "stdout": strip_rules(str(a["stdout"]))}
                b = {**b, "stdout": strip_rules(str(b["stdout"]))}
            for part in ("rc", "stderr", "stdout"):
                if a[part] != b[part]:
                    bad.append(f"{path}: {key} {part} differs\n      "
                               + first_difference(str(a[part]), str(b[part])))
                    break
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", help="git ref to compare with (default: git merge-base HEAD main)")
    ap.add_argument("--dirs", nargs="+", default=list(DIRS), help="folders of the shared documents")
    args = ap.parse_args()
    ref = args.base or base_ref()
    files = shared_files(tuple(args.dirs))
    if not files:
        print(f"no files under {SHARED}/{{{','.join(args.dirs)}}}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="gxparse-gate-") as tmp:
        tmpdir = Path(tmp)
        files_json = tmpdir / "files.json"
        files_json.write_text(json.dumps(files), encoding="utf-8")
        base_src = unpack(ref, tmpdir / "base")
        procs = [start(base_src, files_json, tmpdir / "old.json"),
                 start(ROOT / "src", files_json, tmpdir / "new.json")]
        if any(p.wait() != 0 for p in procs):
            print("a driver failed", file=sys.stderr)
            return 2
        old = json.loads((tmpdir / "old.json").read_text(encoding="utf-8"))
        new = json.loads((tmpdir / "new.json").read_text(encoding="utf-8"))
    bad = compare(old, new)
    for line in bad:
        print(line)
    print(f"# {len(files)} files, base {ref[:12]} vs working tree: "
          + ("identical" if not bad else f"{len(bad)} differences"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
