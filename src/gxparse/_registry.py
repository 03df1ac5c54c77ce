"""Format adapters and their registry.

A format adapter turns a :class:`~gxparse.Source` into a
:class:`~gxparse.Document`. The contract has one required method,
:meth:`FormatAdapter.extract`; :meth:`FormatAdapter.accepts` is an optional,
cheap sniff on the first bytes that lets :func:`gxparse.parse` pick the
adapter by content.

Built-in adapters are registered through the ``gxparse.formats`` entry-point
group, exactly as a third-party package registers its own::

    # pyproject.toml of a plugin
    [project.entry-points."gxparse.formats"]
    odt = "gxparse_odt:OdtAdapter"

Adapters defined in code register with :func:`gxparse.register_format`.
Registration is checked: a name must be unique, and an object without a
callable ``extract`` is refused.
"""

from __future__ import annotations

import abc
import re
import threading
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

import attrs

from ._errors import (
    GxparseError,
    RegistrationError,
    UnknownFormatError,
    UnsupportedFormatError,
)

if TYPE_CHECKING:
    from ._model import Document
    from ._source import Source

__all__ = ["FormatAdapter", "Registration", "Registry", "default_registry", "register_format"]

ENTRY_POINT_GROUP = "gxparse.formats"
_NAME = re.compile(r"^[a-z][a-z0-9_\-]{0,31}$")

#: The built-in adapters: the same entry points as pyproject.toml declares in the
#: ``gxparse.formats`` group (a test keeps the two equal). They are registered
#: from this table, so a process that only needs them never scans the installed
#: distributions; third-party entry points are found by :func:`_third_party_entry_points`.
BUILTIN_ENTRY_POINTS = {
    "text": "gxparse.formats.text:TextAdapter",
    "pipe": "gxparse.formats.pipe:PipeAdapter",
    "markdown": "gxparse.formats.markdown:MarkdownAdapter",
    "html": "gxparse.formats.html:HtmlAdapter",
    "pdf": "gxparse.formats.pdf:PdfAdapter",
    "docx": "gxparse.formats.docx:DocxAdapter",
}


class FormatAdapter(abc.ABC):
    """Base class of format adapters.

    Subclasses set :attr:`name` and implement :meth:`extract`. Adapters must
    not import heavy libraries at module import time: do it inside
    :meth:`extract`, so that ``import gxparse`` and format detection stay fast.
    """

    #: Unique registry name, lower case (``"pdf"``, ``"markdown"``).
    name: ClassVar[str]
    #: Breaks ties between adapters whose :meth:`accepts` give equal confidence;
    #: higher wins. Built-ins use 0-100.
    priority: ClassVar[int] = 0
    #: One line for ``gxparse formats``.
    description: ClassVar[str] = ""

    def accepts(self, head: bytes, name: str | None = None) -> float:
        """How sure this adapter is that it can read an input starting with ``head``.

        ``head`` is at most the first 64 KiB; ``name`` is the file name, if
        any. Return a confidence in ``[0, 1]`` (``0``: not mine; ``1``:
        certain, which ends detection: adapters are asked in priority order).
        Must be cheap, pure and never raise. The default declines everything, so an
        adapter that does not override it is used only when asked for by name.
        """
        return 0.0

    @abc.abstractmethod
    def extract(self, source: Source) -> Document:
        """Read ``source`` into a :class:`~gxparse.Document`.

        Raise a :class:`~gxparse.GxparseError` subclass (usually
        :class:`~gxparse.ExtractError`) when the content cannot be read;
        report parts that cannot be read, but do not stop the rest, in
        ``Document.notes``.
        """

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {getattr(self, 'name', '?')!r}>"


@attrs.frozen
class Registration:
    """One registered adapter and where it came from."""

    adapter: FormatAdapter
    origin: str

    @property
    def name(self) -> str:
        return self.adapter.name

    @property
    def priority(self) -> int:
        return int(getattr(self.adapter, "priority", 0))


def _check_adapter(adapter: object) -> FormatAdapter:
    name = getattr(adapter, "name", None)
    if not isinstance(name, str) or not _NAME.match(name):
        raise RegistrationError(
            f"adapter {adapter!r} needs a `name`: lower-case letters, digits, '-' or '_', "
            f"starting with a letter; got {name!r}"
        )
    extract = getattr(adapter, "extract", None)
    if not callable(extract):
        raise RegistrationError(f"adapter {name!r} has no callable `extract(source)` method")
    abstract = getattr(type(adapter), "__abstractmethods__", None)
    if abstract:
        missing = ", ".join(sorted(abstract))
        raise RegistrationError(f"adapter {name!r} does not implement {missing}")
    if not callable(getattr(adapter, "accepts", None)):
        raise RegistrationError(f"adapter {name!r} has a non-callable `accepts`")
    priority = getattr(adapter, "priority", 0)
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise RegistrationError(f"adapter {name!r}: `priority` must be an int, got {priority!r}")
    return adapter  # type: ignore[return-value]


def _instantiate(obj: object) -> object:
    if isinstance(obj, type):
        try:
            return obj()
        except Exception as exc:
            raise RegistrationError(f"adapter class {obj.__name__} cannot be created without arguments: {exc}") from exc
    return obj


def _score(reg: Registration, head: bytes, name: str | None) -> float:
    """How sure an adapter is that it reads the input, at most 1 (0: it declines, or its
    ``accepts()`` raised: a broken third-party sniffer must not break detection, it is warned of)."""
    try:
        score = float(reg.adapter.accepts(head, name))
    except GxparseError:
        score = 0.0
    except Exception as exc:  # a broken third-party sniffer must not break detection
        warnings.warn(f"gxparse: format {reg.name!r} accepts() raised {exc!r}; ignored",
                      RuntimeWarning, stacklevel=3)  # at the caller of Registry.detect
        score = 0.0
    return min(score, 1.0)


def _unsupported(head: bytes, source: str) -> UnsupportedFormatError:
    """The error for an input no adapter reads, naming the office format when it is one."""
    from ._office import sniff

    office = sniff(head)
    if office is not None:
        return UnsupportedFormatError(f"the file is {office.refusal()}", source=source)
    return UnsupportedFormatError("no registered format reads this input (not text, HTML, PDF or Word)",
                                  source=source)


class Registry:
    """An ordered, checked set of format adapters.

    The default registry (:func:`default_registry`) loads the
    ``gxparse.formats`` entry points on first use.
    """

    def __init__(self, *, load_entry_points: bool = True) -> None:
        self._regs: dict[str, Registration] = {}
        self._load_pending = load_entry_points
        self._lock = threading.RLock()
        self._loading: int | None = None  # the thread loading the entry points, while it does
        #: Entry points that could not be loaded: ``(entry point, reason)``.
        self.load_errors: list[tuple[str, str]] = []

    # -- registration -----------------------------------------------------
    def register(self, adapter: FormatAdapter | type[FormatAdapter], *, origin: str | None = None,
                 replace: bool = False) -> FormatAdapter:
        """Register an adapter (instance or zero-argument class); return the instance.

        Raises :class:`RegistrationError` if the name is taken (unless
        ``replace=True``) or the object does not fulfil the contract.
        """
        self._ensure_loaded()
        inst = _check_adapter(_instantiate(adapter))
        with self._lock:
            old = self._regs.get(inst.name)
            if old is not None and not replace:
                raise RegistrationError(
                    f"a format named {inst.name!r} is already registered (from {old.origin}); "
                    "choose another name or pass replace=True"
                )
            if origin is None:
                cls = type(inst)
                origin = f"register_format() ({cls.__module__}.{cls.__qualname__})"
            self._regs[inst.name] = Registration(inst, origin)
        return inst

    def unregister(self, name: str) -> None:
        """Remove the adapter registered under ``name``; raises :class:`UnknownFormatError` if none is."""
        self._ensure_loaded()
        with self._lock:
            if name not in self._regs:
                raise UnknownFormatError(f"no format named {name!r} is registered")
            del self._regs[name]

    # -- lookup -----------------------------------------------------------
    def get(self, name: str) -> FormatAdapter:
        """The adapter registered under ``name``; raises :class:`UnknownFormatError` naming the
        registered ones if there is none."""
        self._ensure_loaded()
        reg = self._regs.get(name)
        if reg is None:
            known = ", ".join(sorted(self._regs)) or "none"
            raise UnknownFormatError(f"unknown format {name!r} (registered: {known})")
        return reg.adapter

    def registrations(self) -> list[Registration]:
        """All registrations, highest priority first, then by name."""
        self._ensure_loaded()
        return sorted(self._regs.values(), key=lambda r: (-r.priority, r.name))

    def __iter__(self) -> Iterator[FormatAdapter]:
        return (r.adapter for r in self.registrations())

    def __contains__(self, name: object) -> bool:
        self._ensure_loaded()
        return name in self._regs

    def __len__(self) -> int:
        self._ensure_loaded()
        return len(self._regs)

    def detect(self, source: Source) -> FormatAdapter:
        """The adapter most confident that it can read ``source``.

        Adapters are asked in priority order; ties go to the higher priority,
        so the first adapter to answer ``1.0`` (certain) wins and the rest are
        not asked. Scores are clamped to ``[0, 1]``. Raises
        :class:`UnsupportedFormatError` when every adapter declines, naming
        the office format when the input is one (a spreadsheet, an OFD file).
        """
        head = source.head()
        name = source.name if source.path is not None or not source.name.startswith("<") else None
        best: tuple[float, int] = (0.0, 0)
        chosen: FormatAdapter | None = None
        for reg in self.registrations():
            score = _score(reg, head, name)
            if score > 0 and (score, reg.priority) > best:
                best, chosen = (score, reg.priority), reg.adapter
                if score == 1.0:  # nobody asked later can beat a certain answer
                    break
        if chosen is None:
            raise _unsupported(head, source.name)
        return chosen

    # -- entry points -------------------------------------------------------
    def _ensure_loaded(self) -> None:
        """Load the entry points once; other threads wait until the loading has finished.

        ``_load_pending`` is cleared only when every entry point has been
        loaded, so a thread that finds it clear sees the whole registry; the
        loading thread itself (an entry point that calls
        :func:`register_format` while it is imported) goes on without waiting.
        """
        if not self._load_pending:
            return
        with self._lock:
            if not self._load_pending or self._loading == threading.get_ident():
                return
            self._loading = threading.get_ident()
            try:
                self._load_entry_points()
            finally:
                self._loading = None
                self._load_pending = False

    def _load_entry_points(self) -> None:
        # Built-ins first, so that a plugin cannot shadow a built-in name: the
        # duplicate is refused and reported.
        for name, value in BUILTIN_ENTRY_POINTS.items():
            self._load_one(name, lambda v=value: _import_object(v), f"entry point {name} = {value} [gxparse]")
        try:
            eps = sorted(_third_party_entry_points())
        except Exception as exc:  # pragma: no cover - broken metadata
            self.load_errors.append((ENTRY_POINT_GROUP, repr(exc)))
            eps = []
        seen = set()
        for name, value, dist in eps:
            if (name, value) in seen:  # the same package visible twice on sys.path
                continue
            seen.add((name, value))
            origin = f"entry point {name} = {value}" + (f" [{dist}]" if dist else "")
            self._load_one(name, lambda v=value: _import_object(v), origin)

    def _load_one(self, ep_name: str, load, origin: str) -> None:
        try:
            obj = load()
            inst = _check_adapter(_instantiate(obj))
            if inst.name != ep_name:
                raise RegistrationError(f"entry point is named {ep_name!r} but the adapter's name is {inst.name!r}")
            if inst.name in self._regs:
                raise RegistrationError(
                    f"format {inst.name!r} is already registered (from {self._regs[inst.name].origin}); "
                    "duplicate refused"
                )
            self._regs[inst.name] = Registration(inst, origin)
        except Exception as exc:
            reason = exc.reason if isinstance(exc, GxparseError) else f"{type(exc).__name__}: {exc}"
            self.load_errors.append((origin, reason))
            warnings.warn(f"gxparse: cannot register format from {origin}: {reason}", RuntimeWarning, stacklevel=3)


def _third_party_entry_points() -> list[tuple[str, str, str]]:
    """``(name, value, distribution)`` of every ``gxparse.formats`` entry point installed by a
    distribution other than gxparse itself.

    The group is read from the ``entry_points.txt`` of each ``*.dist-info`` /
    ``*.egg-info`` folder on ``sys.path``, the files ``importlib.metadata``
    reads. It is done here rather than through ``importlib.metadata`` because
    importing that module costs ~20 ms on every ``gxparse`` command, more than
    reading a report's text takes; a ``sys.path`` entry that is not a folder (a
    zip) is still read through ``importlib.metadata``.
    """
    import os
    import sys

    out: list[tuple[str, str, str]] = []
    zipped = False
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):
            zipped = zipped or os.path.isfile(folder)
            continue
        out += _folder_entry_points(folder)
    if zipped:
        out += _zipped_entry_points({(n, v) for n, v, _ in out})
    return out


def _folder_entry_points(folder: str) -> list[tuple[str, str, str]]:
    """``(name, value, distribution)`` of the group's entry points in the metadata folders
    directly in ``folder``, gxparse's own left out (an unreadable folder or file: none)."""
    import os

    try:
        names = [n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info"))]
    except OSError:
        return []
    out: list[tuple[str, str, str]] = []
    for meta in names:
        text = _entry_points_text(os.path.join(folder, meta, "entry_points.txt"))
        if text is None or f"[{ENTRY_POINT_GROUP}]" not in text:
            continue
        dist = meta.rsplit(".", 1)[0].split("-", 1)[0]
        if dist.lower().replace("_", "-") == "gxparse":
            continue  # the built-ins, registered from BUILTIN_ENTRY_POINTS
        out += [(name, value, dist) for name, value in _group_entries(text, ENTRY_POINT_GROUP)]
    return out


def _entry_points_text(path: str) -> str | None:
    """The text of an ``entry_points.txt`` (None: it cannot be read)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        return None


def _zipped_entry_points(known: set[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """``(name, value, distribution)`` of the group's entry points ``importlib.metadata`` finds
    that are not ``known`` already and not gxparse's own (those in zips on ``sys.path``)."""
    from importlib.metadata import entry_points

    out: list[tuple[str, str, str]] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(getattr(ep, "dist", None), "name", None) or ""
        if (ep.name, ep.value) not in known and dist.lower() != "gxparse":
            out.append((ep.name, ep.value, dist))
    return out


def _group_entries(text: str, group: str) -> list[tuple[str, str]]:
    """The ``name = value`` lines of one ``[group]`` section of an ``entry_points.txt``."""
    entries = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line:
            name, _, value = line.partition("=")
            entries.append((name.strip(), value.split("[", 1)[0].strip()))  # drop `[extra]` markers
    return entries


def _import_object(spec: str) -> object:
    import importlib

    module, _, attr = spec.partition(":")
    obj: object = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


_DEFAULT = Registry()


def default_registry() -> Registry:
    """The process-wide registry that :func:`gxparse.parse` uses."""
    return _DEFAULT


def register_format(adapter=None, *, replace: bool = False):
    """Register a format adapter with the default registry.

    Works on an instance, on a zero-argument class, or as a class decorator::

        @gxparse.register_format
        class OdtAdapter(gxparse.FormatAdapter):
            name = "odt"
            def extract(self, source): ...

    Raises :class:`~gxparse.RegistrationError` for a duplicate name (unless
    ``replace=True``) or an object that does not fulfil the contract.
    """
    if adapter is None:  # used as @register_format(replace=True)
        def deco(obj):
            _DEFAULT.register(obj, replace=replace)
            return obj
        return deco
    _DEFAULT.register(adapter, replace=replace)
    return adapter
