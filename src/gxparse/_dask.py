"""Corpus runs on a Dask cluster: the executor behind ``gxparse batch --scheduler``.

:func:`run_on_cluster` is the cluster twin of :func:`gxparse._batch._run`: it
takes the same tasks and yields the same ``(task, "ok"|"fail", sha256,
payload)`` tuples, so writing the sink, ``--resume``, duplicates and failure
rows stay one code path whatever runs the files.

How the local pool's guarantees carry over to a cluster:

- **A worker that dies** (killed, out of memory, a crash in a native library):
  the scheduler gives the files it was running to other workers, up to
  ``distributed.scheduler.allowed-failures`` times (default 3; a setting of the
  scheduler). Files go out :data:`CHUNK_FILES` to a task; a chunk that killed
  its workers that often is sent again file by file, one of them at a time (a
  worker's death counts against every file it held, so files run side by side
  would share the blame), and a file that still kills its workers is a failure
  row (:class:`~gxparse.WorkerCrashedError`, stage ``worker``). With two crashing
  files in flight at once, a file queued beside one of them on a worker can still
  be blamed with it (recorded as a failure row, not lost). A file's rows are
  written once, when its result reaches this process: a file is never lost and
  never written twice.
- **A file that takes too long**: the worker runs each file in a thread and
  gives it up after ``timeout`` seconds (:class:`~gxparse.ParseTimeoutError`,
  stage ``timeout``). A Python thread cannot be killed, so the worker is then
  restarted through its nanny (``Client.restart_workers``), as the local pool
  kills its process; the other files it held are run again elsewhere. A worker
  started without a nanny cannot be restarted: the stuck thread runs on there.
- **The scheduler is lost** (the connection drops): the run stops with a
  :class:`~gxparse.SchedulerError`; what was written is whole, and ``--resume``
  finishes the rest.

Workers need gxparse (and the extras the files need) installed. Files are read
by the workers from the path given, which must name the same file on every
machine (shared storage), unless the bytes are shipped (``ship_bytes``).
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import re
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ._batch import _AHEAD_PER_WORKER, _POLL_SECONDS, _failure_sha, _Options, _Stopped, _Task, _work
from ._errors import MissingExtraError, ParseTimeoutError, SchedulerError, WorkerCrashedError

__all__ = ["distributed", "run_on_cluster"]


def distributed() -> Any:
    """The ``distributed`` module, or :class:`~gxparse.MissingExtraError` naming the extra."""
    try:
        import distributed as dist
    except ImportError:
        raise MissingExtraError("running on a Dask cluster needs dask.distributed: "
                                "pip install 'gxparse[dask]'") from None
    return dist


#: Seconds to wait for the scheduler to answer when connecting.
CONNECT_TIMEOUT = 10.0
#: Files per Dask task: the scheduler's cost per task (a few milliseconds across the
#: client, the scheduler and the worker) is paid once for this many files.
CHUNK_FILES = 8


def work_on_worker(tasks: tuple[_Task, ...], options: _Options,
                   timeout: float | None) -> tuple[list[tuple[str, str | None, Any]], str | None]:
    """Runs on a Dask worker: the files of one chunk, each given up after ``timeout`` seconds.

    Returns ``(results, stuck)``: :func:`gxparse._batch._work`'s triple for each
    file in order, and ``None``; or, when a file was given up (its thread still
    runs), the results up to and including its failure, and this worker's
    address (the client restarts the worker and sends the files after it again).
    """
    results: list[tuple[str, str | None, Any]] = []
    for task in tasks:
        if timeout is None:
            results.append(_work(task, options))
            continue
        box: list[tuple[str, str | None, Any]] = []
        thread = threading.Thread(target=lambda t=task, b=box: b.append(_work(t, options)), daemon=True,
                                  name=f"gxparse {task.path}")
        thread.start()
        thread.join(timeout)
        if box:
            results.append(box[0])
            continue
        try:
            address: str | None = distributed().get_worker().address
        except ValueError:  # not on a worker (a test calling it directly)
            address = None
        results.append(("fail", _failure_sha(task),
                        ParseTimeoutError(f"gave up after {timeout:g} s (--timeout)", source=task.path)))
        return results, address
    return results, None


#: A scheduler address: ``tcp://host:8786``, ``host:8786`` (``tls://``, ``inproc://`` … too).
_ADDRESS = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?\[?[^\s/:\[\]]+\]?:\d+/?$", re.IGNORECASE)
#: Seconds to wait for the first worker of a scheduler that has none yet.
WORKER_WAIT = 30.0


def _client(scheduler: Any) -> tuple[Any, bool]:
    """``(client, owned)``: a :class:`distributed.Client` for an address (owned: closed
    at the end) or the client given."""
    dist = distributed()
    if isinstance(scheduler, dist.Client):
        return scheduler, False
    if not isinstance(scheduler, str) or not _ADDRESS.match(scheduler.strip()):
        raise SchedulerError("not a Dask scheduler address (give tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786)",
                             source=str(scheduler))
    try:
        return dist.Client(scheduler, set_as_default=False, timeout=CONNECT_TIMEOUT), True
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler: {exc}", source=str(scheduler)) from None
    except ValueError as exc:  # a malformed address
        raise SchedulerError(f"not a Dask scheduler address: {exc}", source=str(scheduler)) from None


def connect(scheduler: Any) -> tuple[Any, bool]:
    """``(client, owned)`` for a scheduler with at least one worker, waiting up to
    :data:`WORKER_WAIT` seconds for the first.

    Raises:
        SchedulerError: the address is malformed or unreachable, or no worker joined in time.
        MissingExtraError: dask.distributed is not installed (``gxparse[dask]``).
    """
    client, owned = _client(scheduler)
    if sum(client.nthreads().values()) == 0:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT)
        except (TimeoutError, OSError):
            if owned:
                with contextlib.suppress(Exception):
                    client.close()
            raise SchedulerError(f"the Dask scheduler has no workers (none joined in {WORKER_WAIT:g} s): start "
                                 "`dask worker ADDRESS` with gxparse installed", source=str(scheduler)) from None
    return client, owned


def _with_bytes(task: _Task) -> _Task:
    if task.data is not None:
        return task
    try:
        with open(task.path, "rb") as fh:
            data = fh.read()
    except OSError:
        return task  # the worker reports the error with the path (or reads it from shared storage)
    return _Task(task.index, task.path, data)


def run_on_cluster(tasks: Iterable[_Task], options: _Options, *, scheduler: Any, timeout: float | None,
                   stop: Callable[[], bool] = lambda: False,
                   ship_bytes: bool = False) -> Iterator[tuple[_Task, str, str | None, Any]]:
    """``(task, "ok"|"fail", sha256, payload)`` for every task, as they finish on the cluster.

    Args:
        tasks: the files (consumed as workers free up: a few per worker thread ahead).
        options: what each worker makes of a file.
        scheduler: a scheduler address (``tcp://host:8786``) or a ``distributed.Client``.
        timeout: seconds per file (``None``: no limit).
        stop: polled while waiting; when it answers true the pending files are
            cancelled and :class:`gxparse._batch._Stopped` is raised.
        ship_bytes: send each file's bytes from this process instead of its path.

    Raises:
        SchedulerError: the scheduler cannot be reached, or was lost during the run.
        MissingExtraError: dask.distributed is not installed (``gxparse[dask]``).
    """
    dist = distributed()
    client, owned = _client(scheduler)
    sent = _Dispatch(client, iter(tasks), options, timeout, ship_bytes)
    try:
        ahead = _ahead(client)
        while True:
            sent.fill(ahead)
            if not sent.pending:
                break
            fut, chunk = sent.wait(stop)
            for task, (status, sha, payload) in zip(chunk, sent.settle(dist, fut, chunk, scheduler)):
                yield task, status, sha, payload
    except BaseException:
        sent.cancel()
        raise
    finally:
        if owned:
            client.close()


def _ahead(client: Any) -> int:
    """How many chunks to keep submitted: a few per worker thread (waiting for a first worker
    when none has joined yet), at least 2."""
    threads = sum(client.nthreads().values())
    if threads == 0:
        client.wait_for_workers(1, timeout=WORKER_WAIT)
        threads = sum(client.nthreads().values())
    return max(2, threads * _AHEAD_PER_WORKER)


class _Dispatch:
    """The chunks of one run on the cluster: those submitted (``pending``: key → future, chunk),
    and those to send next.

    The files of a chunk that killed its workers are each sent alone, one at a time
    (``suspects``): a worker's death counts against every file it held, so siblings running
    side by side would share the blame of the one that kills it. The files a chunk left
    unrun (after a file given up) are sent again (``again``).
    """

    def __init__(self, client: Any, tasks: Iterator[_Task], options: _Options, timeout: float | None,
                 ship_bytes: bool) -> None:
        self.client = client
        self.tasks = tasks
        self.options = options
        self.timeout = timeout
        self.ship_bytes = ship_bytes
        self.run = uuid.uuid4().hex[:12]
        self.serial = itertools.count()
        self.done: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.pending: dict[str, tuple[Any, tuple[_Task, ...]]] = {}
        self.again: deque[tuple[_Task, ...]] = deque()
        self.suspects: deque[_Task] = deque()
        self.suspect_key: str | None = None
        self.suspected: set[_Task] = set()
        self.exhausted = False

    def fill(self, ahead: int) -> None:
        """Submits chunks until ``ahead`` are pending or none is ready to send."""
        while len(self.pending) < ahead:
            chunk = self._next_chunk()
            if chunk is None:
                break
            self._submit(chunk)

    def _next_chunk(self) -> tuple[_Task, ...] | None:
        """The next chunk to send: a suspect alone (when no other suspect runs), else a chunk to
        send again, else the next files; ``None`` when nothing is ready."""
        if self.suspects and self.suspect_key is None:
            return (self.suspects.popleft(),)
        if self.again:
            return self.again.popleft()
        if self.exhausted:
            return None
        chunk = tuple(_with_bytes(t) if self.ship_bytes else t for t in itertools.islice(self.tasks, CHUNK_FILES))
        self.exhausted = len(chunk) < CHUNK_FILES
        return chunk or None

    def _submit(self, chunk: tuple[_Task, ...]) -> None:
        """Sends ``chunk`` to the cluster (noting the key of a suspect sent alone)."""
        fut = self.client.submit(work_on_worker, chunk, self.options, self.timeout,
                                 key=f"gxparse-{self.run}-{next(self.serial)}", pure=False)
        self.pending[fut.key] = (fut, chunk)
        fut.add_done_callback(self.done.put)
        if len(chunk) == 1 and chunk[0] in self.suspected:
            self.suspect_key = fut.key

    def wait(self, stop: Callable[[], bool]) -> tuple[Any, tuple[_Task, ...]]:
        """The next finished future and its chunk, polling ``stop``.

        Raises:
            _Stopped: ``stop`` answered true.
        """
        while True:
            if stop():
                raise _Stopped()
            try:
                fut = self.done.get(timeout=_POLL_SECONDS)
                break
            except queue.Empty:
                continue
        fut, chunk = self.pending.pop(fut.key)
        if fut.key == self.suspect_key:
            self.suspect_key = None
        return fut, chunk

    def settle(self, dist: Any, fut: Any, chunk: tuple[_Task, ...],
               scheduler: Any) -> list[tuple[str, str | None, Any]]:
        """The results of a finished chunk, in its order; restarts a stuck worker, and queues the
        files left: unrun ones to send again, all of a chunk that killed its workers as suspects."""
        results, stuck = _result(dist, fut, chunk, scheduler)
        fut.release()
        if stuck is not None:
            with contextlib.suppress(Exception):  # a worker gone meanwhile needs no restart
                self.client.restart_workers([stuck], raise_for_error=False)
        if results is None:  # the chunk killed its workers: each file alone, to find the one
            self.suspects.extend(chunk)
            self.suspected.update(chunk)
            return []
        if len(results) < len(chunk):
            self.again.append(chunk[len(results):])
        return results

    def cancel(self) -> None:
        """Cancels the pending chunks (nothing when the scheduler is gone)."""
        if self.pending:
            with contextlib.suppress(Exception):
                self.client.cancel([f for f, _ in self.pending.values()], force=True)


def _result(dist: Any, fut: Any, chunk: tuple[_Task, ...],
            scheduler: Any) -> tuple[list[tuple[str, str | None, Any]] | None, str | None]:
    """A chunk's results and the worker to restart; ``(None, None)`` when a chunk of several
    files killed its workers (they are sent again one by one)."""
    try:
        return fut.result()  # type: ignore[no-any-return]
    except dist.KilledWorker as exc:
        if len(chunk) > 1:
            return None, None
        error: BaseException = WorkerCrashedError(
            f"the Dask workers running this file died {exc.allowed_failures + 1} times "
            "(distributed.scheduler.allowed-failures); the file may crash the native PDF/HTML library",
            source=chunk[0].path)
    except dist.CancelledError:
        raise SchedulerError("the Dask scheduler dropped the run (connection lost or the cluster closed); "
                             "what was written is whole: run again with --resume", source=str(scheduler)) from None
    except Exception as exc:
        from ._batch import _picklable

        error = _picklable(exc)
    return [("fail", _failure_sha(t), error) for t in chunk], None
