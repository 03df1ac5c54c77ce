"""Corpus runs: many files, in parallel, crash-proof and resumable.

:func:`parse_many` yields a :class:`~gxparse.Report` (or a :class:`Failure`)
per report; :func:`run_batch` (``gxparse batch``) writes a folder of files
into a corpus output (:mod:`gxparse._sinks`).

Files are parsed in worker processes (a pebble ``ProcessPool``, a well-kept
pool that kills a worker on a per-file timeout and replaces a worker that
died): one bad file — unreadable, too slow, or one that crashes the native
PDF library — is one :class:`Failure`, and the run goes on. Workers are
recycled every :data:`MAX_TASKS_PER_WORKER` files so their memory stays flat
over a long run.

Multiprocessing caveat (as for any process pool): a script that calls
:func:`parse_many` or :func:`run_batch` must do so under
``if __name__ == "__main__":``, because each worker imports the script.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import pickle
import signal
import stat
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures import TimeoutError as FuturesTimeout
from pathlib import Path
from typing import Any, Literal

import attrs

from ._errors import GxparseError, MissingExtraError, ParseTimeoutError, WorkerCrashedError
from ._inputs import iter_inputs
from ._report import Report

__all__ = ["DEFAULT_TIMEOUT", "BatchSummary", "Failure", "iter_inputs", "parse_many", "run_batch"]

#: Seconds one file may take in a worker before it is given up (``--timeout``).
DEFAULT_TIMEOUT = 120.0
#: A worker is replaced by a fresh process after this many files, so that no
#: leak in a native library grows over a long run.
MAX_TASKS_PER_WORKER = 500
#: Files scheduled ahead of those finished, per worker: enough to keep every
#: worker busy, few enough that memory does not grow with the corpus.
_AHEAD_PER_WORKER = 4
#: How often a waiting batch checks whether it was asked to stop.
_POLL_SECONDS = 0.2



@attrs.frozen
class Failure:
    """A file that gave no report.

    Attributes:
        path: the file's path as given.
        error: the :class:`~gxparse.GxparseError` (a :class:`~gxparse.ParseTimeoutError`
            for a file that took too long, a :class:`~gxparse.WorkerCrashedError`
            for one whose worker process died; any other exception is a bug in
            gxparse or an adapter).
        sha256: hex digest of the file's bytes, when it could be read.
    """

    path: str
    error: BaseException
    sha256: str | None = None

    @property
    def stage(self) -> str:
        """Where it stopped: ``read``, ``detect``, ``extract``, ``map``, ``timeout``, ``worker``, ``internal``."""
        from ._corpus import stage_of

        return stage_of(self.error)

    def __str__(self) -> str:
        return str(self.error)


Result = Report | Failure


# ---------------------------------------------------------------------------
# What a worker does with one file
# ---------------------------------------------------------------------------

@attrs.frozen
class _Task:
    index: int
    path: str  # as given: what the rows and messages say
    data: bytes | None = None  # the bytes, when the caller sends them instead of a path
    #: where a worker reads the file, when not at ``path``: the absolute path, for workers of a
    #: cluster whose working folder is not this process's
    source: str | None = None


@attrs.frozen
class _Options:
    format: str | None = None
    template: str | None = None
    rows: bool = False  # give corpus rows (batch) instead of Report objects
    measure: bool = False  # payload becomes (payload, CPU seconds of this thread) (gxparse bench)


def _picklable(error: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


_warm = False  # this process has parsed a file (see _Options.measure)


def _work(task: _Task, options: _Options) -> tuple[str, str | None, Any]:
    """Parse one file: ``("ok", sha256, reports or rows)`` or ``("fail", sha256, error)``."""
    if options.measure:
        plain = attrs.evolve(options, measure=False)
        global _warm
        if not _warm:  # the first file of a process pays for lazy imports and caches: read it once untimed
            _work(task, plain)
            _warm = True
        cpu = time.thread_time()
        status, digest, payload = _work(task, plain)
        return status, digest, (payload, time.thread_time() - cpu)
    from ._api import parse_all
    from ._source import Source

    sha: str | None = None
    started = time.process_time()
    try:
        if task.data is not None:
            src = Source.from_bytes(task.data, task.path)
        else:
            src = Source.from_path(task.source or task.path)
            src.name, src.path = task.path, Path(task.path)  # reported as given
        sha = src.sha256 if src.data else None  # an empty file is told by its path, not its (empty) bytes
        reports = parse_all(src, format=options.format, template=options.template)
    except GxparseError as exc:
        return "fail", sha, exc
    except Exception as exc:  # a bug must not stop the run: it becomes a failure row
        return "fail", sha, _picklable(exc)
    if options.rows:
        from ._corpus import report_rows

        rows = report_rows(reports, task.path)
        return "ok", sha, attrs.evolve(rows, cpu_seconds=time.process_time() - started)
    return "ok", sha, reports


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group: only the parent acts on it (it stops the
    # pool and commits the output); a worker killed by it would look like a crash.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The pool stops a worker past its timeout with SIGTERM: unwind, so that what the file
    # was using (a LibreOffice conversion's temporary folder and process) is cleaned up.
    signal.signal(signal.SIGTERM, _worker_terminated)


def _worker_terminated(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def _read_bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def _hash_file(path: str) -> str | None:
    """The sha256 of a regular, non-empty file no larger than the source limit; ``None`` for
    anything else (a FIFO or device is never opened: its worker says what it is)."""
    from ._source import MAX_SOURCE_BYTES

    h = hashlib.sha256()
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_SOURCE_BYTES or st.st_size == 0:
            return None  # an empty file has no content to tell it by: each is its own failure
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def _signal_name(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit status {exitcode}"


# ---------------------------------------------------------------------------
# The pool
# ---------------------------------------------------------------------------

def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # the server imports these once; every worker forks from it ready to parse
        ctx.set_forkserver_preload(["gxparse._api", "gxparse._mapping", "gxparse._validate", "gxparse._meta",
                                    "gxparse._corpus"])
        return ctx
    return multiprocessing.get_context("spawn")


def _pebble() -> Any:
    try:
        import pebble
    except ImportError:  # pragma: no cover - a core dependency
        raise MissingExtraError("parallel runs need pebble: pip install pebble") from None
    return pebble


class _Stopped(BaseException):
    """A stop was asked for (Ctrl-C, SIGTERM): raised between files, never inside a write."""


def _run(tasks: Iterable[_Task], options: _Options, *, jobs: int, timeout: float | None,
         stop: Callable[[], bool] = lambda: False) -> Iterator[tuple[_Task, str, str | None, Any]]:
    """``(task, "ok"|"fail", sha256, payload)`` for every task, as they finish.

    ``jobs == 0`` runs in this process (no timeout, no crash isolation: for
    debugging and for environments without subprocesses). ``stop`` is polled
    while waiting; when it answers true, the workers are stopped and
    :class:`_Stopped` is raised.
    """
    if jobs == 0:
        yield from _run_here(tasks, options, stop)
        return
    pebble = _pebble()
    pending: dict[Future[Any], _Task] = {}
    ahead = max(1, jobs) * _AHEAD_PER_WORKER
    it = iter(tasks)
    pool = pebble.ProcessPool(max_workers=jobs, max_tasks=MAX_TASKS_PER_WORKER, context=_context(),
                              initializer=_worker_init)
    try:
        while True:
            for task in itertools.islice(it, max(0, ahead - len(pending))):
                pending[pool.schedule(_work, args=(task, options), timeout=timeout)] = task
            if not pending:
                break
            for fut in _wait_any(pending, stop):
                task = pending.pop(fut)
                yield (task, *_outcome(fut, task, timeout))
    except BaseException:
        pool.stop()
        pool.join(timeout=10)
        raise
    pool.close()
    pool.join()


def _run_here(tasks: Iterable[_Task], options: _Options,
              stop: Callable[[], bool]) -> Iterator[tuple[_Task, str, str | None, Any]]:
    """Every task read in this process, one after the other, checking ``stop`` before each.

    Raises:
        _Stopped: ``stop`` answered true.
    """
    for task in tasks:
        if stop():
            raise _Stopped()
        yield (task, *_work(task, options))


def _wait_any(pending: dict[Future[Any], _Task], stop: Callable[[], bool]) -> set[Future[Any]]:
    """The pending futures that have finished, waiting for at least one while polling ``stop``.

    Raises:
        _Stopped: ``stop`` answered true.
    """
    finished: set[Future[Any]] = set()
    while not finished:
        if stop():
            raise _Stopped()
        finished, _ = wait(list(pending), timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
    return finished


def _outcome(fut: Future[Any], task: _Task, timeout: float | None) -> tuple[str, str | None, Any]:
    pebble = _pebble()
    try:
        return fut.result()  # type: ignore[no-any-return]
    except FuturesTimeout:
        error: BaseException = ParseTimeoutError(f"gave up after {timeout:g} s (--timeout)", source=task.path)
    except pebble.ProcessExpired as exc:
        error = WorkerCrashedError(f"the worker process died while reading this file ({_signal_name(exc.exitcode)}); "
                                   "the file may crash the native PDF/HTML library", source=task.path)
    except Exception as exc:  # an error pickling the result, a broken pool
        error = _picklable(exc)
        if "expired" in str(exc).lower() or type(exc).__name__ == "BrokenProcessPool":
            error = WorkerCrashedError(
                "the worker processes could not start or all died "
                f"({type(exc).__name__}: {exc}); a script that calls gxparse.parse_many or run_batch must do so "
                "under `if __name__ == \"__main__\":`", source=task.path)
    return "fail", _failure_sha(task), error


def _failure_sha(task: _Task) -> str | None:
    """The sha256 of a task's file, for its failure row (``None`` when it cannot be read)."""
    if task.data is not None:
        return hashlib.sha256(task.data).hexdigest() if task.data else None
    return _hash_file(task.source or task.path)


def _jobs(jobs: int | None) -> int:
    if jobs is None:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if jobs < 0:
        raise ValueError(f"jobs must be >= 0, got {jobs}")
    return jobs


def _source_path(item: Any) -> str:
    if isinstance(item, (str, os.PathLike)):
        return os.fspath(item)
    raise TypeError(f"parse_many() takes paths, not {type(item).__name__}")


def parse_many(paths: Iterable[str | os.PathLike[str]], *, jobs: int | None = None, timeout: float | None = None,
               on_error: Literal["record", "raise"] = "record", format: str | None = None,
               template: str | None = None, ordered: bool = True, scheduler: Any = None,
               ship_bytes: bool = False) -> Iterator[Result]:
    """Parse many files in parallel: an iterator of :class:`~gxparse.Report` and :class:`Failure`.

    Each file gives one report, several (a compilation: see
    :func:`gxparse.parse_all`), or one :class:`Failure`; one bad file never
    stops the others.

    Args:
        paths: files to read (an iterable: consumed as workers free up).
        jobs: worker processes; default: the CPUs this process may use;
            ``0``: parse in this process (no timeout, no crash isolation).
        timeout: seconds per file before its worker is killed and the file
            becomes a :class:`Failure` with :class:`~gxparse.ParseTimeoutError`;
            default :data:`DEFAULT_TIMEOUT` (120 s); ``None`` in-process.
        on_error: ``"record"`` yields failures; ``"raise"`` raises the first
            failure's error (after stopping the workers).
        format, template: as for :func:`gxparse.parse`.
        ordered: yield in the order of ``paths`` (default); ``False`` yields as
            files finish (faster when file times vary).
        scheduler: run on a Dask cluster instead of local processes: a scheduler
            address (``"tcp://host:8786"``) or a ``distributed.Client``
            (``gxparse[dask]``; see :mod:`gxparse._dask`). ``jobs`` is then unused.
        ship_bytes: with ``scheduler``, send each file's bytes to the workers
            instead of its path (for workers that do not share this file system).

    Raises:
        GxparseError: with ``on_error="raise"``, the first file's error.
        SchedulerError: the Dask scheduler cannot be reached or was lost.
    """
    if on_error not in ("record", "raise"):
        raise ValueError(f"on_error must be 'record' or 'raise', not {on_error!r}")
    tasks = (_Task(i, _source_path(p)) for i, p in enumerate(paths))
    options = _Options(format, template)
    results = _executor(scheduler, ship_bytes, jobs)(tasks, options, timeout=timeout or DEFAULT_TIMEOUT)
    stream = _in_order(results) if ordered else results
    for task, status, sha, payload in stream:
        if status == "ok":
            yield from payload
            continue
        failure = Failure(task.path, payload, sha)
        if on_error == "raise":
            stream.close()  # type: ignore[attr-defined,union-attr]
            raise payload
        yield failure


def _executor(scheduler: Any, ship_bytes: bool, jobs: int | None) -> Callable[..., Iterator[Any]]:
    """The function that runs the tasks: the local pool (``_run``) or a Dask cluster."""
    if scheduler is None:
        if ship_bytes:
            raise ValueError("ship_bytes needs a scheduler: the local pool reads the files itself")
        n_jobs = _jobs(jobs)

        def local(tasks: Iterable[_Task], options: _Options, *, timeout: float | None,
                  stop: Callable[[], bool] = lambda: False) -> Iterator[Any]:
            return _run(tasks, options, jobs=n_jobs, timeout=timeout if n_jobs else None, stop=stop)

        return local
    from ._dask import connect, run_on_cluster

    client, owned = connect(scheduler)  # now: an unreachable scheduler, or one without workers, is said before
    # anything is opened or read

    def cluster(tasks: Iterable[_Task], options: _Options, *, timeout: float | None,
                stop: Callable[[], bool] = lambda: False) -> Iterator[Any]:
        # workers run in folders of their own: they are given absolute paths (the rows keep the paths as given)
        absolute = (attrs.evolve(t, source=os.path.abspath(t.path)) if t.data is None else t for t in tasks)
        try:
            yield from run_on_cluster(absolute, options, scheduler=client, timeout=timeout, stop=stop,
                                      ship_bytes=ship_bytes)
        finally:
            if owned:
                client.close()

    return cluster


def _in_order(results: Iterator[tuple[_Task, str, str | None, Any]]) -> Iterator[tuple[_Task, str, str | None, Any]]:
    held: dict[int, tuple[_Task, str, str | None, Any]] = {}
    nxt = 0
    for item in results:
        held[item[0].index] = item
        while nxt in held:
            yield held.pop(nxt)
            nxt += 1
    for i in sorted(held):
        yield held[i]


# ---------------------------------------------------------------------------
# gxparse batch
# ---------------------------------------------------------------------------

@attrs.define
class BatchSummary:
    """What a batch run did (``gxparse batch`` prints it as one line).

    Attributes:
        files: input files found.
        skipped: files already in the output (``resume``).
        duplicates: files with the same bytes as another file of the run
            (read once; the first path is recorded).
        parsed: files that gave reports.
        reports: reports written (a compilation gives several).
        with_errors: reports with at least one error finding.
        failures: files that gave no report, by stage.
        seconds: wall time of the run.
        cpu_seconds: CPU time the workers spent on the files that gave reports.
        interrupted: the run was stopped (Ctrl-C, SIGTERM) before the end.
        corpus_findings: findings across reports written by ``corpus_checks``
            (``None`` when the checks were not run).
    """

    output: str
    files: int = 0
    skipped: int = 0
    duplicates: int = 0
    parsed: int = 0
    reports: int = 0
    with_errors: int = 0
    failures: Counter[str] = attrs.field(factory=Counter)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    interrupted: bool = False
    corpus_findings: int | None = None

    @property
    def n_failures(self) -> int:
        return sum(self.failures.values())

    def line(self) -> str:
        done = self.parsed + self.n_failures
        rate = done / self.seconds if self.seconds > 0 else 0.0
        fails = ", ".join(f"{n} {stage}" for stage, n in sorted(self.failures.items()))
        parts = [f"{_n(self.files, 'file')}: {_n(self.reports, 'report')} from {_n(self.parsed, 'file')} "
                 f"({self.with_errors} with errors)",
                 f"{self.n_failures} failed" + (f" ({fails})" if fails else "")]
        if self.skipped:
            parts.append(f"{self.skipped} already in the output")
        if self.duplicates:
            parts.append(f"{_n(self.duplicates, 'duplicate')} (see failures, stage duplicate)")
        if self.corpus_findings is not None:
            parts.append(f"{self.corpus_findings} corpus findings")
        tail = f" in {self.seconds:.1f} s ({rate:.1f} files/s) → {self.output}"
        if self.interrupted:
            tail += " — interrupted: run again with --resume to finish"
        return "; ".join(parts) + tail


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _progress(total: int, enabled: bool) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="file", dynamic_ncols=True, smoothing=0.05, file=sys.stderr)


def run_batch(paths: Sequence[str], output: str | os.PathLike[str], *, jobs: int | None = None,
              glob: str | None = None, format: str | None = None, template: str | None = None,
              timeout: float | None = DEFAULT_TIMEOUT, resume: bool = False, force: bool = False,
              progress: bool | None = None, stdin: Any = None, retry_failed: bool = False,
              on_file: Callable[[str, str], None] | None = None, scheduler: Any = None,
              ship_bytes: bool = False, corpus_checks: bool = False) -> BatchSummary:
    """Read every file under ``paths`` into the corpus output ``output`` (``gxparse batch``).

    Args:
        paths: files, folders (walked; see :func:`iter_inputs`) or ``-`` (paths on stdin).
        output: ``.sqlite``/``.db``, ``.jsonl``, ``.csv`` (a folder) or ``.parquet`` (a folder).
        jobs: worker processes (default: the CPUs this process may use; ``0``: in this process).
        glob: which files to take from folders (default: those an adapter accepts).
        format, template: as for :func:`gxparse.parse`.
        timeout: seconds per file (default 120).
        resume: the output exists: skip the files whose sha256 it holds, add the rest.
        retry_failed: with ``resume``, read again the files that failed before (after
            installing LibreOffice, with a longer timeout): the new outcome replaces
            the failure row.
        force: the output exists: replace it.
        progress: a progress bar on stderr (default: when stderr is a terminal).
        on_file: called with ``(path, status)`` after each file, ``status`` being
            ``"ok"``, ``"failed"``, ``"skipped"`` or ``"duplicate"``.
        scheduler: run on a Dask cluster instead of local processes (``--scheduler``):
            a scheduler address or a ``distributed.Client``; see :func:`parse_many`.
        ship_bytes: with ``scheduler``, send the files' bytes to the workers.
        corpus_checks: after the run, check the whole output across reports
            (:func:`gxparse.corpus_check`: ``carry-over-mismatch``, ``duplicate-report``).

    Returns:
        The :class:`BatchSummary`; ``interrupted`` is set when Ctrl-C or SIGTERM
        stopped the run (what was written is committed and whole).

    Raises:
        SinkError: the output exists and neither ``resume`` nor ``force`` is set,
            or it cannot be written.
        UnknownFormatError: ``format`` names no registered adapter.
        ValueError: no file was found under ``paths``; a negative ``timeout``;
            ``resume`` with ``force``, ``retry_failed`` without ``resume``, or
            ``ship_bytes`` without ``scheduler``.
        SchedulerError: the Dask scheduler cannot be reached or was lost (what was
            written is whole: ``resume`` finishes it).
    """
    from ._sinks import open_sink

    _check_options(output, resume, force, retry_failed, timeout, format)
    if ship_bytes and scheduler is None:
        raise ValueError("ship_bytes needs a scheduler: the local pool reads the files itself")
    start = time.monotonic()
    files = _find_files(paths, glob, stdin, output)
    execute = _executor(scheduler, ship_bytes, min(_jobs(jobs), len(files)))  # never more workers than files
    sink = open_sink(output, "resume" if resume else "overwrite" if force else "create")
    run = _Batch(sink, BatchSummary(str(output), files=len(files)), retry_failed, ship_bytes,
                 _progress(len(files), progress if progress is not None else sys.stderr.isatty()), on_file)
    _run_until_stopped(run, execute, files, _Options(format, template, rows=True), timeout)
    if corpus_checks and not run.summary.interrupted:
        from ._checks import corpus_check

        run.summary.corpus_findings = len(corpus_check(output))
    run.summary.seconds = time.monotonic() - start
    return run.summary


def _find_files(paths: Sequence[str], glob: str | None, stdin: Any, output: str | os.PathLike[str]) -> list[str]:
    """The files under ``paths`` (the output itself left out).

    Raises:
        ValueError: none was found, saying what was looked for and where.
    """
    files = list(iter_inputs(paths, glob=glob, stdin=stdin, exclude=[output]))
    if not files:
        what = f"matching {glob!r}" if glob else "that a registered format reads"
        where = ", ".join("the paths on standard input" if p == "-" else str(p) for p in paths)
        raise ValueError(f"no file {what} was found under {where or 'the paths given'}")
    return files


def _run_until_stopped(run: _Batch, execute: Any, files: list[str], options: _Options,
                       timeout: float | None) -> None:
    """Runs every file and records its outcome, until done or until Ctrl-C or SIGTERM (then
    ``interrupted`` is set; the file being written is finished first). Closes the run."""
    stop_asked: list[int] = []
    old_handlers = _catch_stop_signals(stop_asked)
    try:
        for task, status, sha, payload in execute(run.todo(files), options, timeout=timeout or None,
                                                  stop=lambda: bool(stop_asked)):
            run.record(task, status, sha, payload)
            if stop_asked:
                raise _Stopped()
    except (KeyboardInterrupt, _Stopped):
        run.summary.interrupted = True
    finally:
        _restore_signals(old_handlers)
        run.close()


def _check_options(output: str | os.PathLike[str], resume: bool, force: bool, retry_failed: bool,
                   timeout: float | None, format: str | None) -> None:
    """Refuse a wrong run before anything is read (each a usage error in the CLI)."""
    from ._registry import default_registry
    from ._sinks import sink_kind

    sink_kind(output)  # an output of no known kind
    if resume and force:
        raise ValueError("resume and force exclude each other")
    if retry_failed and not resume:
        raise ValueError("retry_failed goes with resume")
    if timeout is not None and timeout < 0:
        raise ValueError(f"timeout must be 0 (no limit) or more seconds, got {timeout}")
    if format is not None:
        default_registry().get(format)  # an unknown name, not a failure for every file


class _Batch:
    """One batch run's bookkeeping: what to send to the workers, and what to write for each file."""

    def __init__(self, sink: Any, summary: BatchSummary, retry_failed: bool, ship_bytes: bool, bar: Any,
                 on_file: Callable[[str, str], None] | None) -> None:
        self.sink, self.summary, self.bar, self.on_file = sink, summary, bar, on_file
        self.retry_failed, self.ship_bytes = retry_failed, ship_bytes
        self.done = sink.done() if sink.mode == "resume" else None
        self.seen: dict[str, str] = {}

    def note(self, path: str, status: str) -> None:
        if self.bar is not None:
            self.bar.update(1)
        if self.on_file is not None:
            self.on_file(path, status)

    def todo(self, files: Sequence[str]) -> Iterator[_Task]:
        """The files to read. Each is hashed here, in input order, before it goes to a worker:
        a file already in the output is skipped, and of two files with the same bytes the first
        in input order is read (the same one in every run) and the other is a duplicate,
        recorded as such among the failures (it gave no report of its own). Shipping bytes
        to a cluster, the file is read once: its bytes are hashed and sent."""
        for i, path in enumerate(files):
            data, sha = self._bytes_and_sha(path)
            if self._skipped(path, sha) or self._duplicate(path, sha):
                continue
            if sha is not None:
                self.seen[sha] = path
            if self.done is not None and self.retry_failed:
                self.sink.forget_failure(sha, path)
            yield _Task(i, path, data)

    def _bytes_and_sha(self, path: str) -> tuple[bytes | None, str | None]:
        """The file's bytes (only when shipping them) and sha256 (``None``: unreadable or empty
        bytes shipped)."""
        if not self.ship_bytes:
            return None, _hash_file(path)
        data = _read_bytes(path)
        if data is None:
            return None, _hash_file(path)
        return data, (hashlib.sha256(data).hexdigest() if data else None)

    def _skipped(self, path: str, sha: str | None) -> bool:
        """Whether a resumed run skips the file (already in the output, by path or unreadable);
        a file whose bytes are in the output under another path is remembered as seen."""
        if self.done is None or not self.done.has(sha, path, self.retry_failed):
            return False
        if sha is not None:
            self.seen.setdefault(sha, self.done.first[sha])
        if path in self.done.paths or sha is None:
            self.summary.skipped += 1
            self.note(path, "skipped")
            return True
        return False

    def _duplicate(self, path: str, sha: str | None) -> bool:
        """Whether the file repeats the bytes of one seen before; then its duplicate row is written."""
        from ._corpus import duplicate_row

        if sha is None or sha not in self.seen:
            return False
        self.summary.duplicates += 1
        self.sink.write(duplicate_row(path, sha, self.seen[sha]))
        self.note(path, "duplicate")
        return True

    def record(self, task: _Task, status: str, sha: str | None, payload: Any) -> None:
        """Write one file's outcome: its reports' rows, or its failure row."""
        from ._corpus import failure_row
        from ._sinks import UnstorableValueError

        if status == "ok":
            try:
                self.sink.write(payload)
            except UnstorableValueError as exc:  # a value this output cannot hold exactly: never rounded
                payload = exc
            else:
                self.summary.parsed += 1
                self.summary.cpu_seconds += payload.cpu_seconds
                self.summary.reports += len(payload.reports)
                self.summary.with_errors += sum(1 for r in payload.reports if r[10])
                self.note(task.path, "ok")
                return
        unit = failure_row(task.path, sha, payload)
        self.sink.write(unit)
        self.summary.failures[unit.failures[0][4]] += 1
        self.note(task.path, "failed")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        self.sink.close()


def _catch_stop_signals(flag: list[int]) -> dict[int, Any]:
    """Ctrl-C and SIGTERM set ``flag`` instead of raising where they land: the run stops
    between two files, so no file's rows are ever half written."""
    if not _is_main_thread():
        return {}
    old = {}

    def handler(signum: int, frame: Any) -> None:
        flag.append(signum)

    for sig in (signal.SIGINT, getattr(signal, "SIGTERM", None)):
        if sig is not None:
            old[sig] = signal.signal(sig, handler)
    return old


def _restore_signals(old: dict[int, Any]) -> None:
    for sig, handler in old.items():
        signal.signal(sig, handler)


def _is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()
