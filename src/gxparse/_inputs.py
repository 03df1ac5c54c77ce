"""Which files a command reads: files as given, folders walked, ``-`` for paths on stdin.

Kept apart from :mod:`gxparse._batch` so that ``gxparse parse`` and ``gxparse check`` on a
folder do not import the process pool.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
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
        if not stat.S_ISREG(path.stat().st_mode):
            return True  # a FIFO or device is never opened here: listed, its failure says what it is
    except OSError:
        return True
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


def _stdin_paths(stream: Any) -> list[str]:
    """Paths on stdin: one per line, or NUL-separated as ``find -print0`` writes them."""
    raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
    if isinstance(raw, bytes):
        bsep = b"\0" if b"\0" in raw else b"\n"
        return [os.fsdecode(p.rstrip(b"\r")) for p in raw.split(bsep) if p.strip()]
    sep = "\0" if "\0" in raw else "\n"
    return [p.rstrip("\r") for p in raw.split(sep) if p.strip()]


def _is_dir(path: str) -> bool:
    try:
        return os.path.isdir(path)
    except (OSError, ValueError):  # a name too long, a NUL byte: the file's own failure says so
        return False


def iter_inputs(paths: Sequence[str], *, glob: str | None = None, stdin: Any = None,
                registry: Any = None, exclude: Sequence[str | os.PathLike[str]] = (),
                unique: bool = True) -> Iterator[str]:
    """The files a batch reads, in a stable order.

    A path that is a file is taken as given; a folder is walked (hidden files and
    folders skipped), its files in the order of their paths, keeping those that
    match ``glob`` (matched, ignoring case, against the file name, or against the
    path below the folder when the pattern holds a ``/``), by default every file
    that a registered adapter accepts or whose extension is that of a report
    document (``.pdf``, ``.html``, ``.docx`` …). ``-`` reads paths from
    ``stdin``, one per line, or separated by NUL bytes (``find -print0``).
    Paths under ``exclude`` (a batch's own output) are left out, and from folders never a
    ``.json``/``.jsonl`` file (saved records, outputs, expected numbers), nor a
    gxparse CSV or Parquet output folder. With ``unique`` (the default, as a batch
    needs) a file reached twice — named, and inside a folder also named — is yielded
    once; ``gxparse parse a a`` passes ``unique=False`` and prints it twice, as ``cat`` would.
    """
    from ._registry import default_registry

    reg = registry or default_registry()
    pattern = glob.lower() if glob is not None else None
    once = _first_time(unique)
    excluded = _under(exclude)
    for given in _given_paths(paths, stdin):
        if not _is_dir(given):
            if once(given):
                yield given
            continue
        for full in _walk(Path(given), excluded):
            if _wanted(full, Path(given), pattern, reg) and once(str(full)):
                yield str(full)


def _given_paths(paths: Sequence[str], stdin: Any) -> list[str]:
    """The paths given, the first ``-`` replaced by the paths read from ``stdin`` (default: ``sys.stdin``)."""
    given = list(paths)
    if "-" in given:
        at = given.index("-")
        given[at:at + 1] = _stdin_paths(stdin if stdin is not None else sys.stdin)
    return given


def _under(exclude: Sequence[str | os.PathLike[str]]) -> Callable[[str], bool]:
    """A test of whether a path is one of ``exclude`` or below one of them (by absolute path)."""
    skip = [os.path.abspath(os.fspath(e)) for e in exclude]

    def excluded(path: str) -> bool:
        full = os.path.abspath(path)
        return any(full == e or full.startswith(e + os.sep) for e in skip)

    return excluded


def _first_time(unique: bool) -> Callable[[str], bool]:
    """A filter that passes a file the first time it is reached (by its normalized absolute path),
    and again later only when not ``unique``."""
    yielded: set[str] = set()

    def once(path: str) -> bool:
        key = os.path.normpath(os.path.abspath(path)) if "\0" not in path else path
        if key in yielded:
            return not unique
        yielded.add(key)
        return True

    return once


def _wanted(full: Path, folder: Path, pattern: str | None, registry: Any) -> bool:
    """Whether a file found in ``folder`` is taken: it matches ``pattern`` (its name, or its path
    below the folder when the pattern holds a ``/``), or with no pattern an adapter accepts it."""
    if pattern is None:
        return _accepted(full, registry)
    target = full.relative_to(folder).as_posix() if "/" in pattern else full.name
    return fnmatch.fnmatchcase(target.lower(), pattern)


def _is_output(folder: str) -> bool:
    """A gxparse batch output folder (CSV or Parquet): never read back as reports."""
    return os.path.isfile(os.path.join(folder, "_state.json")) or (
        os.path.isdir(os.path.join(folder, "reports")) and os.path.isdir(os.path.join(folder, "values")))


def _walk(p: Path, excluded: Any) -> list[Path]:
    """The files below ``p`` in the order of their paths: hidden entries, excluded paths and
    gxparse output folders left out."""
    found: list[tuple[tuple[str, ...], Path]] = []
    for root, dirs, files in os.walk(p):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not excluded(os.path.join(root, d))
                   and not _is_output(os.path.join(root, d))]
        for name in files:
            if not name.startswith("."):
                full = Path(root) / name
                found.append((full.relative_to(p).parts, full))
    return [full for _, full in sorted(found) if not excluded(str(full))]
