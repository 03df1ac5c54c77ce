"""Corpus runs: gxparse.parse_many, gxparse batch and its sinks, resume after a kill,
crashing and hanging workers, frames."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

import gxparse
from _corpus_fixture import BAD_FILES, corpus, gx, same_frames, sorted_frame  # noqa: F401 - corpus: a fixture
from gxparse import Failure, Report
from gxparse._corpus import CORPUS_TABLES
from gxparse._sinks import read_rows

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

SINKS = ("corpus.sqlite", "corpus.jsonl", "corpus.csv", "corpus.parquet")


# ---------------------------------------------------------------------------
# parse_many
# ---------------------------------------------------------------------------

def test_parse_many_yields_a_report_per_good_file_and_a_failure_per_bad_one(corpus):
    root, expected = corpus
    bad = sorted(str(p) for p in (root / "bad").iterdir())
    results = list(gxparse.parse_many([*sorted(expected), *bad], jobs=2))
    reports = [r for r in results if isinstance(r, Report)]
    failures = [r for r in results if isinstance(r, Failure)]
    assert [r.source.path for r in reports] == sorted(expected)  # in input order
    for r in reports:
        want = expected[r.source.path]
        assert (r.meta.agency, r.meta.year, r.template) == (want.agency, want.year, want.template)
        assert r.applications["received_new"]["natural_person"] == want.applications["received_new"]["natural_person"]
    assert {Path(f.path).name: f.stage for f in failures} == {n: stage for n, (_, stage) in BAD_FILES.items()}
    assert all(isinstance(f.error, gxparse.GxparseError) for f in failures)
    assert all(f.sha256 for f in failures if Path(f.path).name != "empty.txt")  # an empty file has none


def test_parse_many_in_process_gives_the_same_results(corpus):
    _root, expected = corpus
    paths = sorted(expected)[:3]
    assert [r.to_dict() for r in gxparse.parse_many(paths, jobs=0)] == \
        [r.to_dict() for r in gxparse.parse_many(paths, jobs=1)] == [gxparse.parse(p).to_dict() for p in paths]


def test_parse_many_raises_the_first_error_when_asked(corpus, tmp_path):
    missing = tmp_path / "missing.pdf"
    with pytest.raises(gxparse.SourceNotFoundError, match=r"missing\.pdf"):
        list(gxparse.parse_many([str(missing)], jobs=1, on_error="raise"))
    [failure] = gxparse.parse_many([str(missing)], jobs=1)
    assert failure.stage == "read" and failure.sha256 is None


def test_to_frame_long_and_wide(corpus):
    _root, expected = corpus
    reports = list(gxparse.parse_many(sorted(expected), jobs=1))
    long = gxparse.to_frame(reports)
    assert list(long.columns) == list(CORPUS_TABLES["values"].names)
    fees = long[(long["row"] == "fees") & (long["column"] == "amount_10k_yuan")]
    assert all(isinstance(v, Decimal) for v in fees["value"]) and set(fees["unit"]) == {"万元"}
    assert str(long["derived"].dtype) == "boolean"
    wide = gxparse.to_frame(reports, shape="wide")
    assert len(wide) == len(expected) and wide.index.name == "id"
    assert str(wide["applications/received_new/natural_person"].dtype) == "Int64"
    for rid, path in wide["path"].items():
        assert wide.loc[rid, "applications/received_new/natural_person"] == \
            expected[path].applications["received_new"]["natural_person"]
    assert isinstance(wide["active_disclosure/fees/amount_10k_yuan"].dropna().iloc[0], Decimal)
    with pytest.raises(ValueError, match="shape"):
        gxparse.to_frame(reports, shape="tall")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# batch and its sinks
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def batches(corpus, tmp_path_factory):
    root, _ = corpus
    out = tmp_path_factory.mktemp("out")
    summaries = {}
    for name in SINKS:
        summaries[name] = gxparse.run_batch([str(root)], out / name, jobs=2, progress=False)
    return out, summaries


def test_batch_writes_every_file_once(corpus, batches):
    _root, expected = corpus
    out, summaries = batches
    s = summaries["corpus.sqlite"]
    assert s.files == len(expected) + len(BAD_FILES) + 1  # the copy; the hidden folder is skipped
    assert (s.parsed, s.reports, s.duplicates, s.n_failures) == (len(expected), len(expected), 1, len(BAD_FILES))
    assert "1 duplicate (see failures, stage duplicate)" in s.line() and "→" in s.line()
    db = sqlite3.connect(out / "corpus.sqlite")
    paths = [r[0] for r in db.execute("SELECT path FROM reports ORDER BY path")]
    assert paths == sorted(expected)  # the copy in zz-copy is the duplicate, not the original
    [(dup, error, message)] = db.execute("SELECT path, error, message FROM failures WHERE stage = 'duplicate'")
    assert "zz-copy" in dup and error is None and sorted(expected)[0] in message
    ids = [r[0] for r in db.execute("SELECT id FROM reports")]
    assert len(ids) == len(set(ids)) and all(len(i) == 18 and i.endswith("-1") for i in ids)


def test_every_sink_reads_back_to_the_same_frames(corpus, batches):
    _root, expected = corpus
    out, _ = batches
    frames = {name: gxparse.read_corpus(out / name) for name in SINKS}
    for name in SINKS[1:]:
        same_frames(frames["corpus.sqlite"], frames[name])
    # ... and to the frames of the same files parsed in this process
    reports = list(gxparse.parse_many(sorted(expected), jobs=0))
    assert_long = gxparse.to_frame(reports)
    pd.testing.assert_frame_equal(sorted_frame(frames["corpus.jsonl"].values), sorted_frame(assert_long))
    wide = frames["corpus.parquet"].wide()
    pd.testing.assert_frame_equal(wide.sort_index(), gxparse.to_frame(reports, shape="wide").sort_index())


def test_money_is_exact_in_every_sink(batches):
    out, _ = batches
    db = sqlite3.connect(out / "corpus.sqlite")
    stored = db.execute("SELECT value, typeof(value) FROM \"values\" WHERE \"column\" = 'amount_10k_yuan' "
                        "ORDER BY value").fetchall()
    assert stored and all(t == "text" for _, t in stored) and stored[0][0] == "1944.0495"
    assert {t for (t,) in db.execute("SELECT DISTINCT typeof(value) FROM \"values\" WHERE \"column\" = 'total'")} \
        == {"integer"}
    import pyarrow.parquet as pq

    schema = pq.read_schema(next((out / "corpus.parquet" / "values").glob("part-*.parquet")))
    assert str(schema.field("value").type) == "decimal128(38, 6)"
    for name in SINKS:
        fees = [r["value"] for r in read_rows(out / name, ["values"])["values"] if r["column"] == "amount_10k_yuan"]
        assert Decimal("1944.0495") in {Decimal(str(v)) for v in fees}, name


def test_the_wide_view_of_sqlite(batches, corpus):
    out, _ = batches
    _, expected = corpus
    db = sqlite3.connect(out / "corpus.sqlite")
    rows = db.execute('SELECT path, "applications/received_new/natural_person" FROM wide').fetchall()
    assert dict(rows) == {p: r.applications["received_new"]["natural_person"]
                                       for p, r in expected.items()}


def test_failures_name_class_and_stage(batches):
    out, _ = batches
    rows = [r for r in read_rows(out / "corpus.sqlite", ["failures"])["failures"] if r["stage"] != "duplicate"]
    assert {Path(r["path"]).name: (r["stage"], bool(r["sha256"])) for r in rows} == {
        n: (stage, n != "empty.txt") for n, (_, stage) in BAD_FILES.items()}
    assert all(r["error"].endswith("Error") and r["message"] for r in rows)


def test_an_existing_output_needs_resume_or_force(corpus, batches):
    root, _ = corpus
    out, _ = batches
    with pytest.raises(gxparse.SinkError, match="--resume"):
        gxparse.run_batch([str(root)], out / "corpus.sqlite", progress=False)
    again = gxparse.run_batch([str(root)], out / "corpus.jsonl", resume=True, progress=False)
    assert again.parsed == 0 and again.skipped == again.files
    assert len(read_rows(out / "corpus.jsonl", ["reports"])["reports"]) == 8


def test_unknown_output_kind_is_a_clear_error(tmp_path):
    r = gx("batch", str(tmp_path), "-o", str(tmp_path / "out.xlsx"))
    assert r.returncode == 2 and "out.xlsx" in r.stderr and ".sqlite" in r.stderr and "Traceback" not in r.stderr


def test_cli_batch_from_stdin_and_its_summary(corpus, tmp_path):
    _root, expected = corpus
    listing = "\n".join(sorted(expected)[:3]) + "\n"
    r = gx("batch", "-", "-o", str(tmp_path / "three.jsonl"), "-j", "1", input=listing)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("3 files: 3 reports from 3 files (0 with errors); 0 failed")
    assert r.stderr == ""  # no progress noise when stderr is not a terminal
    lines = (tmp_path / "three.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and all(set(json.loads(x)) == set(CORPUS_TABLES) for x in lines)


def test_cli_batch_glob(corpus, tmp_path):
    root, _ = corpus
    r = gx("batch", str(root), "--glob", "*.html", "-o", str(tmp_path / "html.sqlite"), "-q")
    assert r.returncode == 0 and r.stdout == ""
    db = sqlite3.connect(tmp_path / "html.sqlite")
    assert {Path(p).suffix for (p,) in db.execute("SELECT path FROM reports")} == {".html"}


# ---------------------------------------------------------------------------
# crashes, timeouts, kills
# ---------------------------------------------------------------------------

_SCRIPT = """
import os, sys, time
import gxparse

class Hostile(gxparse.FormatAdapter):
    name = "hostile"
    priority = 1000
    def accepts(self, head, name=None):
        return 1.0 if head.startswith((b"ABORT", b"SLEEP")) else 0.0
    def extract(self, source):
        if source.data.startswith(b"ABORT"):
            os.abort()  # what a crash in a native library looks like
        time.sleep(60)

gxparse.register_format(Hostile)

if __name__ == "__main__":
    summary = gxparse.run_batch(sys.argv[2:], sys.argv[1], jobs=2, timeout=2, progress=False)
    print(summary.line())
"""


def test_a_worker_that_dies_or_hangs_is_a_failure_row_and_the_run_goes_on(corpus, tmp_path):
    _root, expected = corpus
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "abort.txt").write_bytes(b"ABORT\n")
    (tmp_path / "in" / "sleep.txt").write_bytes(b"SLEEP\n")
    good = sorted(expected)[:4]
    script = tmp_path / "run.py"
    script.write_text(_SCRIPT, encoding="utf-8")
    out = tmp_path / "out.sqlite"
    r = subprocess.run([sys.executable, str(script), str(out), str(tmp_path / "in"), *good],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    failures = {Path(f["path"]).name: f for f in read_rows(out, ["failures"])["failures"]}
    assert failures["abort.txt"]["stage"] == "worker" and failures["abort.txt"]["error"] == "WorkerCrashedError"
    assert "SIGABRT" in failures["abort.txt"]["message"]
    assert failures["sleep.txt"]["stage"] == "timeout" and failures["sleep.txt"]["error"] == "ParseTimeoutError"
    assert all(f["sha256"] for f in failures.values())
    assert sorted(r["path"] for r in read_rows(out, ["reports"])["reports"]) == good


def _slow_corpus(root: Path, n: int) -> None:
    from _corpus_fixture import sample_report

    from kit.render import render

    root.mkdir()
    for i in range(n):
        out = render(sample_report(i, "2021" if i % 2 else "2019"), "text-layout" if i % 3 else "markdown")
        (root / f"r{i:03d}.txt").write_bytes(out.data)


def _count_reports(path: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return db.execute("SELECT count(*) FROM reports").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


_RUN = """
import sys
import gxparse
import gxparse._sinks

gxparse._sinks.Sink.chunk_seconds = 0.1  # commit often, so that a kill lands between commits

if __name__ == "__main__":
    s = gxparse.run_batch([sys.argv[1]], sys.argv[2], jobs=int(sys.argv[3]), resume=sys.argv[4] == "resume",
                          progress=False)
    print(s.line())
    sys.exit(130 if s.interrupted else 0)
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["SIGKILL", "SIGTERM", "SIGINT"])
def test_a_killed_run_resumes_to_exactly_the_rows_of_an_uninterrupted_one(tmp_path, sig):
    n = 150
    _slow_corpus(tmp_path / "in", n)
    script = tmp_path / "run.py"
    script.write_text(_RUN, encoding="utf-8")

    def run(out: Path, jobs: int, mode: str = "new") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(script), str(tmp_path / "in"), str(out), str(jobs), mode],
                              capture_output=True, text=True, timeout=300)

    whole = tmp_path / "whole.sqlite"
    assert run(whole, 1).returncode == 0
    cut = tmp_path / "cut.sqlite"
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path / "in"), str(cut), "1", "new"],
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while _count_reports(cut) < 10 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be killed"
    if sig == signal.SIGKILL:
        os.killpg(proc.pid, sig)  # the whole group: parent and workers die at once
    elif sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C reaches every process of the terminal's group
    else:
        os.kill(proc.pid, sig)
    out, err = proc.communicate(timeout=60)
    if sig != signal.SIGKILL:
        assert proc.returncode == 130 and "interrupted" in out, (out, err)
        assert "Traceback" not in err
    n_cut = _count_reports(cut)
    assert 10 <= n_cut < n
    r = run(cut, 2, "resume")
    assert r.returncode == 0, r.stderr
    assert f"{n_cut} already in the output" in r.stdout
    a, b = gxparse.read_corpus(whole), gxparse.read_corpus(cut)
    same_frames(a, b)
    assert len(a.reports) == n and a.failures.empty


def test_cli_batch_exit_status_when_interrupted(monkeypatch, tmp_path, capsys):
    from gxparse import _batch, _cli

    def interrupted(*args, **kwargs):
        return _batch.BatchSummary(str(tmp_path / "o.sqlite"), files=3, parsed=1, reports=1, interrupted=True)

    monkeypatch.setattr(_batch, "run_batch", interrupted)
    assert _cli.main(["batch", str(tmp_path), "-o", str(tmp_path / "o.sqlite")]) == 130
    assert "run again with --resume" in capsys.readouterr().out


# ---------------------------------------------------------------------------
# crash consistency of each sink, in process
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["c.jsonl", "c.csv", "c.parquet"])
def test_a_half_written_file_is_cut_off_when_resuming(corpus, tmp_path, name):
    _root, expected = corpus
    paths = sorted(expected)
    out = tmp_path / name
    gxparse.run_batch(paths[:2], out, jobs=0, progress=False)
    # what a kill in the middle of writing leaves: garbage after the last commit
    if name.endswith(".jsonl"):
        with open(out, "ab") as fh:
            fh.write(b'{"reports": [{"id": "half')
    elif name.endswith(".csv"):
        with open(out / "values.csv", "ab") as fh:
            fh.write(b"dead,beef,half a row")
    else:
        (out / "values" / "part-000099.parquet").write_bytes(b"PAR1 half")
        (out / "values" / ".part-000100.tmp").write_bytes(b"tmp")
    before = gxparse.read_corpus(out)
    assert len(before.reports) == 2
    gxparse.run_batch(paths, out, jobs=0, resume=True, progress=False)
    after = gxparse.read_corpus(out)
    whole = tmp_path / ("whole." + name.split(".")[1])
    gxparse.run_batch(paths, whole, jobs=0, progress=False)
    same_frames(after, gxparse.read_corpus(whole))


# ---------------------------------------------------------------------------
# the record round trip and parse() inputs
# ---------------------------------------------------------------------------

def test_report_from_json_round_trips_every_shared_flavour_we_have(corpus):
    _, expected = corpus
    for path in expected:
        r = gxparse.parse(path)
        again = Report.from_json(r.to_json())
        assert again == r and again.to_json() == r.to_json()
        assert Report.from_dict(json.loads(r.to_json(indent=None))) == r


def test_from_dict_refuses_what_is_not_a_record():
    with pytest.raises(ValueError, match="not a gxparse report record"):
        Report.from_dict({"template": "2021"})
    with pytest.raises(ValueError, match="not a number"):
        Report.from_dict({"source": {"path": None, "format": "x", "sha256": ""},
                          "applications": {"received_new": {"total": "3"}}})


def test_parse_takes_file_objects_and_html_trees(corpus):
    _, expected = corpus
    html = next(p for p in sorted(expected) if p.endswith(".html"))
    want = gxparse.parse(html).to_dict()
    with open(html, "rb") as fh:
        got = gxparse.parse(fh)
    assert got.applications == want["applications"] and got.source.path == html
    import io

    text = Path(html).read_bytes().decode("utf-8")
    assert gxparse.parse(io.StringIO(text)).applications == want["applications"]
    import lxml.html

    tree = lxml.html.fromstring(Path(html).read_bytes())
    assert gxparse.parse(tree).applications == want["applications"]
    bs4 = pytest.importorskip("bs4")
    soup = bs4.BeautifulSoup(text, "html.parser")
    assert gxparse.parse(soup).applications == want["applications"]


def test_parse_refuses_other_objects():
    with pytest.raises(TypeError, match="file object"):
        gxparse.parse(3.5)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# what a new user tried (paths, options, outputs)
# ---------------------------------------------------------------------------

def test_the_first_copy_in_path_order_is_read_and_the_other_named(tmp_path):
    """Files of a folder come in the order of their paths (a subfolder's file before a later
    name of the folder), so `a/x.txt` is read and `z.txt`, the same bytes, is the duplicate."""
    from _corpus_fixture import sample_report

    from kit.render import render

    (tmp_path / "in" / "a").mkdir(parents=True)
    data = render(sample_report(1), "text-cells").data
    (tmp_path / "in" / "a" / "x.txt").write_bytes(data)
    (tmp_path / "in" / "z.txt").write_bytes(data)
    gxparse.run_batch([str(tmp_path / "in")], tmp_path / "o.jsonl", jobs=0, progress=False)
    c = gxparse.read_corpus(tmp_path / "o.jsonl")
    assert [Path(p).name for p in c.reports["path"]] == ["x.txt"]
    assert list(c.failures["stage"]) == ["duplicate"] and Path(c.failures["path"][0]).name == "z.txt"


@pytest.mark.parametrize("out", ["r.sqlite", "r.jsonl", "r.csv", "r.parquet"])
def test_retry_failed_replaces_a_failure_with_the_new_outcome(tmp_path, out):
    """A file that failed (here: read with the wrong --format) is skipped by a plain resume
    and read again with retry_failed; its failure row is gone from every output kind."""
    from _corpus_fixture import sample_report

    from kit.render import render

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(render(sample_report(1), "text-cells").data)
    (tmp_path / "in" / "b.md").write_bytes(render(sample_report(2), "markdown").data)
    first = gxparse.run_batch([str(tmp_path / "in")], tmp_path / out, jobs=0, progress=False, format="pdf")
    assert first.failures == {"extract": 2}
    again = gxparse.run_batch([str(tmp_path / "in")], tmp_path / out, jobs=0, progress=False, resume=True)
    assert (again.skipped, again.parsed) == (2, 0)  # a plain resume leaves failures alone
    retried = gxparse.run_batch([str(tmp_path / "in")], tmp_path / out, jobs=0, progress=False, resume=True,
                                retry_failed=True)
    assert (retried.skipped, retried.parsed) == (0, 2)
    c = gxparse.read_corpus(tmp_path / out)
    assert sorted(Path(p).name for p in c.reports["path"]) == ["a.txt", "b.md"] and c.failures.empty
    with pytest.raises(ValueError, match="resume"):
        gxparse.run_batch([str(tmp_path / "in")], tmp_path / out, retry_failed=True)


def test_paths_on_stdin_may_be_nul_separated_and_a_bad_one_is_one_failure(corpus, tmp_path):
    _, expected = corpus
    good = sorted(expected)[:2]
    listing = "\0".join([good[0], "x" * 300 + ".pdf", "nul\x01.txt", good[1]]) + "\0"
    r = gx("batch", "-", "-o", str(tmp_path / "s.jsonl"), "-j", "1", input=listing)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    c = gxparse.read_corpus(tmp_path / "s.jsonl")
    assert len(c.reports) == 2 and set(c.failures["stage"]) == {"read"} and len(c.failures) == 2


def test_options_are_checked_before_the_run(corpus, tmp_path):
    root, _ = corpus
    for args, said in [(["--timeout", "-1"], "--timeout"), (["--format", "nosuch"], "unknown format 'nosuch'"),
                       (["--glob", "*.nothing"], "no file matching '*.nothing'"),
                       (["--retry-failed"], "--retry-failed goes with --resume")]:
        r = gx("batch", str(root), "-o", str(tmp_path / "o.sqlite"), *args)
        assert r.returncode == 2 and said in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
        assert not (tmp_path / "o.sqlite").exists()


def test_glob_ignores_case(tmp_path):
    from _corpus_fixture import sample_report

    from kit.render import render

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "A.HTML").write_bytes(render(sample_report(3), "html").data)
    s = gxparse.run_batch([str(tmp_path / "in")], tmp_path / "o.jsonl", glob="*.html", jobs=0, progress=False)
    assert s.parsed == 1


def test_the_output_inside_an_input_folder_is_not_read_back(corpus, tmp_path):
    from _corpus_fixture import sample_report

    from kit.render import render

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r.txt").write_bytes(render(sample_report(3), "text-cells").data)
    gxparse.run_batch([str(folder)], folder / "out.csv", jobs=0, progress=False)
    s = gxparse.run_batch([str(folder)], folder / "out.csv", jobs=0, progress=False, resume=True)
    assert (s.files, s.skipped, s.n_failures) == (1, 1, 0)


@pytest.mark.parametrize("what", ["reports.csv", "empty.csv", "empty.parquet", "other.jsonl", "dir.jsonl"])
def test_read_corpus_refuses_what_is_not_a_corpus(batches, tmp_path, what):
    out, _ = batches
    target = {"reports.csv": out / "corpus.csv" / "reports.csv", "empty.csv": tmp_path / "empty.csv",
              "empty.parquet": tmp_path / "empty.parquet", "other.jsonl": tmp_path / "other.jsonl",
              "dir.jsonl": tmp_path / "dir.jsonl"}[what]
    if what in ("empty.csv", "empty.parquet", "dir.jsonl"):
        target.mkdir()
    elif what == "other.jsonl":
        target.write_text('{"a": 1}\n', encoding="utf-8")
    with pytest.raises(gxparse.SinkError):
        gxparse.read_corpus(target)


def test_csv_files_start_with_a_byte_order_mark_for_excel(batches):
    out, _ = batches
    for name in ("reports", "values", "findings", "failures"):
        data = (out / "corpus.csv" / f"{name}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1


def test_an_output_that_cannot_be_written_is_one_clear_line(tmp_path, corpus):
    root, _ = corpus
    (tmp_path / "file").write_text("x")
    r = gx("batch", str(root), "-o", str(tmp_path / "file" / "sub" / "o.sqlite"))
    assert r.returncode == 2 and "is a file, not a folder" in r.stderr and "Traceback" not in r.stderr


def test_a_doc_given_up_on_leaves_no_temporary_folder(tmp_path, samples_dir):
    """A worker stopped past --timeout in the middle of a LibreOffice conversion unwinds: its
    private temporary folder (a copy of the document, a profile) and LibreOffice go with it."""
    from gxparse.formats._soffice import find_soffice

    if find_soffice() is None:
        pytest.skip("needs LibreOffice (soffice) on PATH")
    private = tmp_path / "tmp"
    private.mkdir()
    docs = [str(samples_dir / f"s0{i}.doc") for i in range(3)]
    env = {**os.environ, "TMPDIR": str(private)}
    r = gx("batch", *docs, "-o", str(tmp_path / "d.sqlite"), "-j", "2", "--timeout", "0.3", "-q", env=env)
    assert r.returncode == 1, r.stderr
    assert {f["stage"] for f in read_rows(tmp_path / "d.sqlite", ["failures"])["failures"]} == {"timeout"}
    # the stopped workers unwind on their own after the run returns: wait for them (up to 20 s)
    deadline = time.monotonic() + 20
    left = ["?"]
    while left and time.monotonic() < deadline:
        left = [p.name for p in private.iterdir() if p.name.startswith("gxparse-soffice-")]
        time.sleep(0.2)
    assert left == []


def test_money_parquet_cannot_hold_exactly_is_a_failure_never_rounded(tmp_path):
    from _corpus_fixture import sample_report

    from kit.render import render

    report = sample_report(0).with_value("active_disclosure/fees/amount_10k_yuan", Decimal("12.1234567"))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.txt").write_bytes(render(report, "text-cells").data)
    s = gxparse.run_batch([str(tmp_path / "in")], tmp_path / "m.parquet", jobs=0, progress=False)
    assert s.failures == {"sink": 1} and s.parsed == 0
    [row] = read_rows(tmp_path / "m.parquet", ["failures"])["failures"]
    assert row["error"] == "UnstorableValueError" and "12.1234567" in row["message"]
    assert read_rows(tmp_path / "m.parquet", ["reports", "values"]) == {"reports": [], "values": []}  # nothing half
    s = gxparse.run_batch([str(tmp_path / "in")], tmp_path / "m.sqlite", jobs=0, progress=False)
    fees = [r["value"] for r in read_rows(tmp_path / "m.sqlite", ["values"])["values"]
            if r["column"] == "amount_10k_yuan"]
    assert fees == ["12.1234567"]


def test_a_file_reached_twice_is_read_once_and_empty_files_are_each_their_own_failure(tmp_path):
    from _corpus_fixture import sample_report

    from kit.render import render

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r.txt").write_bytes(render(sample_report(3), "text-cells").data)
    for name in ("a.pdf", "b.txt", "c.docx"):
        (folder / name).write_bytes(b"")
    listing = "\0".join([str(folder), str(folder / "r.txt"), str(folder / "a.pdf")]) + "\0"
    r = gx("batch", "-", "-o", str(tmp_path / "o.jsonl"), "-j", "1", input=listing)
    assert r.stdout.startswith("4 files: 1 report from 1 file"), r.stdout
    c = gxparse.read_corpus(tmp_path / "o.jsonl")
    assert sorted(Path(p).name for p in c.failures["path"]) == ["a.pdf", "b.txt", "c.docx"]
    assert set(c.failures["stage"]) == {"read"} and c.failures["sha256"].isna().all()
    again = gx("batch", str(folder), "-o", str(tmp_path / "o.jsonl"), "--resume")
    assert "4 already in the output" in again.stdout  # empty files are told by their paths


def test_an_earlier_output_folder_in_the_input_is_not_read(tmp_path):
    from _corpus_fixture import sample_report

    from kit.render import render

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r.txt").write_bytes(render(sample_report(3), "text-cells").data)
    for kind in ("first.csv", "first.parquet"):
        gxparse.run_batch([str(folder)], folder / kind, jobs=0, progress=False)
    s = gxparse.run_batch([str(folder)], tmp_path / "second.sqlite", jobs=0, progress=False)
    assert (s.files, s.parsed, s.n_failures) == (1, 1, 0)


def test_a_finished_sqlite_output_is_one_file(tmp_path, corpus):
    root, _ = corpus
    gxparse.run_batch([str(root)], tmp_path / "one.sqlite", jobs=0, progress=False)
    gxparse.read_corpus(tmp_path / "one.sqlite")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.sqlite"]


def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path, corpus):
    root, _ = corpus
    r = gx("batch", str(root), str(tmp_path / "nonexist"), "-o", str(tmp_path / "o.sqlite"))
    assert r.returncode == 2 and "no such file or folder" in r.stderr and not (tmp_path / "o.sqlite").exists()
    r = gx("batch", "-", "-o", str(tmp_path / "o.sqlite"), input="")
    assert r.returncode == 2 and "standard input" in r.stderr
