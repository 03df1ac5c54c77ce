"""Which files a command reads: files as given, folders walked, ``-`` for paths on stdin.

Kept apart from :mod:`gxparse._batch` so that ``gxparse parse`` and ``gxparse check`` on a
folder do not import the process pool.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

__all__ = ["REPORT_EXTENSIONS", "iter_inputs"]

#: Extensions never taken from a folder: JSON is data — gxparse's own records and outputs, and
#: the truths of ``gxparse bench`` — not a report (a JSON file named on the command line is read).
NOT_REPORT_EXTENSIONS = frozenset({".json", ".jsonl"})
#: Extensions of documents that are always taken from a folder (even when no
#: adapter accepts the file, so that a broken PDF is listed among the failures).
REPORT_EXTENSIONS = frozenset({".pdf", ".html", ".htm", ".shtml", ".xhtml", ".txt", ".text", ".md", ".markdown",
                               ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ofd", ".rtf"})


def _accepted(path: Path, registry: Any) -> bool:
    if path.suffix.lower() in REPORT_EXTENSIONS:
        return True
    if path.suffix.lower() in NOT_REPORT_EXTENSIONS:
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(64 * 1024)
    except OSError:
        return True  # listed, so that the failure says why it cannot be read
    if not head.strip():
        return False
    for adapter in registry:
        try:
            if adapter.accepts(head, path.name) > 0:
                return True
        except Exception:  # a broken sniffer does not hide files
            continue
    return False


def iter_inputs(paths: Sequence[str], *, glob: str | None = None, stdin: Any = None,
                registry: Any = None) -> Iterator[str]:
    """The files a batch reads, in a stable order.

    A path that is a file is taken as given; a folder is walked (sorted, hidden
    files and folders skipped), keeping the files that match ``glob`` (matched
    against the file name, or the path below the folder when the pattern holds
    a ``/``), by default every file that a registered adapter accepts or whose
    extension is that of a report document (``.pdf``, ``.html``, ``.docx`` …), but
    never a ``.json``/``.jsonl`` file (records, outputs, truths);
    ``-`` reads paths from ``stdin``, one per line.
    """
    from ._registry import default_registry

    reg = registry or default_registry()
    for given in paths:
        if given == "-":
            stream = stdin if stdin is not None else sys.stdin
            for line in stream:
                line = line.rstrip("\r\n")
                if line.strip():
                    yield from iter_inputs([line], glob=glob, registry=reg)
            continue
        p = Path(given)
        if not p.is_dir():
            yield given
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                full = Path(root) / name
                if glob is not None:
                    target = full.relative_to(p).as_posix() if "/" in glob else name
                    if fnmatch.fnmatch(target, glob):
                        yield str(full)
                elif _accepted(full, reg):
                    yield str(full)
