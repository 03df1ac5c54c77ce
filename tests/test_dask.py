"""Corpus runs on a Dask cluster: `gxparse batch --scheduler`, workers that die or hang,
and gxparse.dask (bags and Dask DataFrames). Each test module starts its own
LocalCluster on loopback (2 worker processes, no dashboard) and closes it."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

import gxparse
from _corpus_fixture import BAD_FILES, corpus, gx, same_frames, sample_report, sorted_frame  # noqa: F401 - corpus: a fixture
from gxparse._corpus import CORPUS_TABLES
from gxparse._sinks import read_rows

distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
dask = pytest.importorskip("dask")


@pytest.fixture(scope="module")
def cluster():
    # one failure allowed: a file that kills its worker twice is given up (the default, 3, only
    # makes the test slower); a worker killed once still has its files run again
    with (dask.config.set({"distributed.scheduler.allowed-failures": 1}),
          distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                   host="127.0.0.1", silence_logs=40) as cl,
          distributed.Client(cl, set_as_default=False) as client):
        yield cl, client


def _many(root: Path, n: int) -> list[str]:
    from kit.render import render

    root.mkdir()
    paths = []
    for i in range(n):
        out = render(sample_report(i, "2021" if i % 2 else "2019"), "text-layout" if i % 3 else "markdown")
        path = root / f"r{i:03d}.txt"
        path.write_bytes(out.data)
        paths.append(str(path))
    return paths


# ---------------------------------------------------------------------------
# batch on a cluster
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["c.sqlite", "c.jsonl"])
@pytest.mark.parametrize("ship", [False, True], ids=["shared-paths", "ship-bytes"])
def test_a_cluster_run_writes_the_sink_of_a_local_run(cluster, corpus, tmp_path, name, ship):
    cl, _ = cluster
    root, expected = corpus
    local = gxparse.run_batch([str(root)], tmp_path / ("local" + Path(name).suffix), jobs=2, progress=False)
    remote = gxparse.run_batch([str(root)], tmp_path / name, scheduler=cl.scheduler_address, ship_bytes=ship,
                               progress=False)
    assert (remote.parsed, remote.reports, remote.duplicates, dict(remote.failures)) == \
        (local.parsed, local.reports, local.duplicates, dict(local.failures)) == \
        (len(expected), len(expected), 1, {stage: 1 for _, stage in BAD_FILES.values()})
    same_frames(gxparse.read_corpus(tmp_path / name), gxparse.read_corpus(local_path := tmp_path /
                                                                          ("local" + Path(name).suffix)))
    assert local_path.exists()


def test_cli_batch_on_a_cluster_resumes_like_a_local_run(cluster, corpus, tmp_path):
    cl, _ = cluster
    root, expected = corpus
    out = tmp_path / "c.sqlite"
    first = sorted(expected)[:3]
    r = gx("batch", *first, "-o", str(out), "--scheduler", cl.scheduler_address)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("3 files: 3 reports from 3 files")
    r = gx("batch", str(root), "-o", str(out), "--scheduler", cl.scheduler_address, "--ship-bytes", "--resume")
    assert r.returncode == 1, r.stderr  # the bad files failed
    assert "3 already in the output" in r.stdout and "1 duplicate" in r.stdout  # the copy of the first: a new path
    whole = tmp_path / "whole.sqlite"
    gxparse.run_batch([str(root)], whole, jobs=0, progress=False)
    same_frames(gxparse.read_corpus(out), gxparse.read_corpus(whole))


def test_parse_many_on_a_cluster(cluster, corpus):
    _, client = cluster
    _root, expected = corpus
    paths = sorted(expected)
    got = list(gxparse.parse_many(paths, scheduler=client))  # a Client is taken as it is (and left open)
    assert [r.to_dict() for r in got] == [gxparse.parse(p).to_dict() for p in paths]
    assert client.status == "running"


def test_bench_on_a_cluster(cluster):
    from gxparse._bench import run_bench

    cl, _ = cluster
    examples = Path(__file__).resolve().parents[1] / "examples"
    docs = sorted(str(p) for p in examples.iterdir() if p.is_file() and p.suffix in (".txt", ".md"))
    result = run_bench(docs, examples / "expected", scheduler=cl.scheduler_address)
    assert result.totals()["exact"] == 3 and result.runner == f"Dask scheduler {cl.scheduler_address}"
    assert all(d.cpu_ms is not None and d.cpu_ms > 0 for d in result.docs)


def test_a_worker_killed_mid_run_loses_nothing_and_doubles_nothing(cluster, tmp_path):
    cl, client = cluster
    paths = _many(tmp_path / "in", 120)
    pids = client.run(os.getpid)
    killed: list[int] = []

    def on_file(path: str, status: str) -> None:
        if killed or status != "ok":
            return
        busy = [w for w, keys in client.processing().items() if keys]
        if busy:  # a worker running a chunk of files: kill it now
            killed.append(pids[busy[0]])
            os.kill(pids[busy[0]], signal.SIGKILL)

    out = tmp_path / "c.sqlite"
    s = gxparse.run_batch(paths, out, scheduler=cl.scheduler_address, progress=False, on_file=on_file)
    assert killed
    assert (s.parsed, s.n_failures) == (len(paths), 0), s.line()
    rows = read_rows(out, ["reports", "failures"])
    assert sorted(r["path"] for r in rows["reports"]) == sorted(paths)  # each file once
    assert rows["failures"] == []
    whole = tmp_path / "whole.sqlite"
    gxparse.run_batch(paths, whole, jobs=2, progress=False)
    same_frames(gxparse.read_corpus(out), gxparse.read_corpus(whole))
    client.wait_for_workers(2, timeout=180)  # the nanny started a new worker
    assert killed[0] not in client.run(os.getpid).values()


def test_a_file_that_kills_its_workers_or_hangs_is_a_failure_row(cluster, tmp_path):
    cl, client = cluster
    from _hostile import RegisterHostile

    client.register_plugin(RegisterHostile())
    paths = _many(tmp_path / "in", 6)
    (tmp_path / "in" / "abort.txt").write_bytes(b"ABORT\n")
    (tmp_path / "in" / "sleep.txt").write_bytes(b"SLEEP\n")
    out = tmp_path / "c.sqlite"
    s = gxparse.run_batch([str(tmp_path / "in")], out, scheduler=cl.scheduler_address, timeout=6, progress=False)
    assert s.parsed == len(paths), s.line()
    failures = {Path(f["path"]).name: f for f in read_rows(out, ["failures"])["failures"]}
    assert set(failures) == {"abort.txt", "sleep.txt"}
    assert (failures["abort.txt"]["stage"], failures["abort.txt"]["error"]) == ("worker", "WorkerCrashedError")
    assert "died 2 times" in failures["abort.txt"]["message"]
    assert (failures["sleep.txt"]["stage"], failures["sleep.txt"]["error"]) == ("timeout", "ParseTimeoutError")
    assert all(f["sha256"] for f in failures.values())
    assert sorted(r["path"] for r in read_rows(out, ["reports"])["reports"]) == paths
    client.wait_for_workers(2, timeout=180)


@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")  # the second scheduler's HTTP port (loopback)
def test_a_lost_scheduler_stops_the_run_and_resume_finishes_it(cluster, tmp_path):
    cl, _ = cluster
    paths = _many(tmp_path / "in", 60)
    doomed = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                                      host="127.0.0.1", silence_logs=50)
    done: list[str] = []

    def on_file(path: str, status: str) -> None:
        done.append(path)
        if len(done) == 10:
            doomed.close()  # the scheduler goes away mid-run

    out = tmp_path / "c.sqlite"
    try:
        with pytest.raises(gxparse.SchedulerError, match="run again with --resume"):
            gxparse.run_batch(paths, out, scheduler=doomed.scheduler_address, progress=False, on_file=on_file)
    finally:
        doomed.close()
    written = read_rows(out, ["reports", "failures"])
    assert 10 <= len(written["reports"]) < len(paths) and written["failures"] == []
    s = gxparse.run_batch(paths, out, scheduler=cl.scheduler_address, resume=True, progress=False)
    assert s.skipped == len(written["reports"]) and s.parsed == len(paths) - s.skipped
    whole = tmp_path / "whole.sqlite"
    gxparse.run_batch(paths, whole, jobs=0, progress=False)
    same_frames(gxparse.read_corpus(out), gxparse.read_corpus(whole))


def test_an_unreachable_scheduler_is_a_clear_error(corpus, tmp_path, monkeypatch):
    from gxparse import _dask

    monkeypatch.setattr(_dask, "CONNECT_TIMEOUT", 1.0)
    root, _ = corpus
    with pytest.raises(gxparse.SchedulerError, match=r"tcp://127\.0\.0\.1:9"):
        gxparse.run_batch([str(root)], tmp_path / "c.sqlite", scheduler="tcp://127.0.0.1:9", progress=False)
    assert not (tmp_path / "c.sqlite").exists()  # connected before the output is made: nothing to clean up


def test_a_scheduler_without_workers_is_a_clear_error(tmp_path, monkeypatch):
    from gxparse import _dask

    monkeypatch.setattr(_dask, "WORKER_WAIT", 1.0)
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    with (distributed.LocalCluster(n_workers=0, dashboard_address=None, host="127.0.0.1", silence_logs=50) as empty,
          pytest.raises(gxparse.SchedulerError, match="has no workers")):
        gxparse.run_batch([str(tmp_path)], tmp_path / "c.sqlite", scheduler=empty.scheduler_address, progress=False)
    assert not (tmp_path / "c.sqlite").exists()


def test_relative_paths_are_read_by_workers_whatever_their_directory(cluster, corpus, tmp_path, monkeypatch):
    # workers run in their own directory: a path relative to the caller's is sent absolute,
    # and the sink still records it as given
    cl, _ = cluster
    root, expected = corpus
    monkeypatch.chdir(root.parent)
    s = gxparse.run_batch([root.name], tmp_path / "c.sqlite", scheduler=cl.scheduler_address, progress=False)
    assert s.reports == len(expected)
    paths = {r["path"] for r in read_rows(tmp_path / "c.sqlite", ["reports"])["reports"]}
    assert paths and all(p.startswith(root.name + os.sep) for p in paths)


def test_ship_bytes_needs_a_scheduler(tmp_path):
    r = gx("batch", str(tmp_path), "-o", str(tmp_path / "c.sqlite"), "--ship-bytes")
    assert r.returncode == 2 and "--ship-bytes needs --scheduler" in r.stderr
    with pytest.raises(ValueError, match="ship_bytes needs a scheduler"):
        gxparse.run_batch([str(tmp_path)], tmp_path / "d.sqlite", ship_bytes=True, progress=False)


def test_without_the_extra_the_error_names_it(monkeypatch, tmp_path, corpus):
    root, expected = corpus
    for name in ("distributed", "dask", "dask.bag", "dask.dataframe"):
        monkeypatch.setitem(sys.modules, name, None)  # import fails as if not installed
    with pytest.raises(gxparse.MissingExtraError, match=r"gxparse\[dask\]"):
        gxparse.run_batch([str(root)], tmp_path / "c.sqlite", scheduler="tcp://127.0.0.1:9", progress=False)
    import gxparse.dask as gd

    with pytest.raises(gxparse.MissingExtraError, match=r"gxparse\[dask\]"):
        gd.parse_bag(sorted(expected))
    with pytest.raises(gxparse.MissingExtraError, match=r"gxparse\[dask\]"):
        gd.to_dask_dataframe(sorted(expected))


# ---------------------------------------------------------------------------
# gxparse.dask
# ---------------------------------------------------------------------------

def test_parse_bag_holds_reports_and_failures(corpus):
    import gxparse.dask as gd

    root, expected = corpus
    bad = sorted(str(p) for p in (root / "bad").iterdir())
    paths = [*sorted(expected), *bad]
    items = gd.parse_bag(paths, npartitions=3).compute(scheduler="sync")
    reports = [i for i in items if isinstance(i, gxparse.Report)]
    assert [r.to_dict() for r in reports] == [gxparse.parse(p).to_dict() for p in sorted(expected)]
    assert sorted(Path(f.path).name for f in items if isinstance(f, gxparse.Failure)) == sorted(BAD_FILES)


@pytest.mark.parametrize("table", list(CORPUS_TABLES))
def test_to_dask_dataframe_equals_the_pandas_frames(cluster, corpus, table):
    import gxparse.dask as gd
    from gxparse._frames import corpus_of

    _, client = cluster
    root, expected = corpus
    bad = sorted(str(p) for p in (root / "bad").iterdir())
    paths = [*sorted(expected), *bad]
    ddf = gd.to_dask_dataframe(gd.parse_bag(paths, npartitions=4), table)
    got = client.compute(ddf).result()
    want = corpus_of(gxparse.parse_many(paths, jobs=0))[table]
    assert list(ddf.columns) == list(CORPUS_TABLES[table].names)
    pd.testing.assert_frame_equal(sorted_frame(got.reset_index(drop=True)), sorted_frame(want))
    with pytest.raises(ValueError, match="no corpus table"):
        gd.to_dask_dataframe(paths, "tables")
