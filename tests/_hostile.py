"""A format adapter that crashes or hangs on purpose, and a Dask worker plugin that
registers it on every worker (also on a worker the nanny starts again)."""

from __future__ import annotations

import os
import time

import gxparse


class Hostile(gxparse.FormatAdapter):
    """Files starting ``ABORT`` kill the process (as a crash in a native library would);
    files starting ``SLEEP`` hang."""

    name = "hostile"
    priority = 1000
    description = "test adapter: crashes or hangs"

    def accepts(self, head: bytes, name: str | None = None) -> float:
        return 1.0 if head.startswith((b"ABORT", b"SLEEP")) else 0.0

    def extract(self, source):  # type: ignore[no-untyped-def]
        if source.data.startswith(b"ABORT"):
            os.abort()
        time.sleep(600)


def register() -> None:
    if "hostile" not in gxparse.default_registry():
        gxparse.register_format(Hostile)


try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - the dask tests skip
    WorkerPlugin = object  # type: ignore[assignment,misc]


class RegisterHostile(WorkerPlugin):  # type: ignore[misc,valid-type]
    name = "gxparse-test-hostile"

    def setup(self, worker) -> None:  # type: ignore[no-untyped-def]
        register()
