"""Sources: the bytes of one input, its name, and its decoded text.

Adapters receive a :class:`Source`. It reads the file once, hashes it once and
decodes it once (on first use), so sniffing and extraction share the work.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
from pathlib import Path
from typing import Any

import attrs

from ._errors import EmptySourceError, GxparseError, ResourceLimitError, SourceNotFoundError, UndecodableError

__all__ = ["Decoded", "Source", "decode", "decode_bytes"]

#: How much of the input ``FormatAdapter.accepts`` sees.
HEAD_SIZE = 64 * 1024
#: The largest file :meth:`Source.from_path` reads (bytes): 512 MiB, or the environment's
#: ``GXPARSE_MAX_BYTES``. Adapters have their own, lower bounds (HTML and text 50 MiB).
_DEFAULT_MAX_BYTES = 512 * 1024 * 1024


def _limit_from_env() -> tuple[int, str | None]:
    """``(limit, None)``, or ``(the default, the bad value)`` when ``GXPARSE_MAX_BYTES`` is not a
    positive whole number of bytes (reported by :func:`check_limit`, not at import)."""
    raw = os.environ.get("GXPARSE_MAX_BYTES")
    if raw is None:
        return _DEFAULT_MAX_BYTES, None
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        return _DEFAULT_MAX_BYTES, raw
    return (value, None) if value > 0 else (_DEFAULT_MAX_BYTES, raw)


MAX_SOURCE_BYTES, _BAD_LIMIT = _limit_from_env()


def check_limit() -> None:
    """Raises :class:`~gxparse.ResourceLimitError` when ``GXPARSE_MAX_BYTES`` is set to something
    that is not a positive whole number of bytes."""
    if _BAD_LIMIT is not None:
        raise ResourceLimitError(f"GXPARSE_MAX_BYTES must be a positive whole number of bytes "
                                 f"(such as 536870912 for 512 MiB), not {_BAD_LIMIT!r}")


def printable_path(path: str) -> str:
    """``path`` as valid Unicode: bytes of a file name that are not UTF-8 (kept by Python as
    lone surrogates) are written ``\\xff``, so JSON output, SQLite and CSV stay valid UTF-8."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", errors="backslashreplace")

#: Byte-order marks: the codec that reads the mark, and the one that reads what follows it.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)

# C0 controls other than \t \n \v \f \r and ESC: their presence marks binary data.
_BINARY_BYTES = bytes(range(0x09)) + bytes(range(0x0E, 0x1B)) + bytes(range(0x1C, 0x20))


def _looks_binary(data: bytes) -> bool:
    sample = data[:HEAD_SIZE]
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))  # counted at C speed
    return controls > max(2, len(sample) // 200)


# C0 controls other than \t \n \v \f \r (in UTF-8 they are these bytes and nothing else is)
_CONTROL_BYTES = bytes(range(0x09)) + bytes(range(0x0E, 0x20))


def _control_ratio(text: str) -> float:
    """Share of C0 controls (other than white space) and U+FFFD in the first HEAD_SIZE characters."""
    if not text:
        return 0.0
    sample = text[:HEAD_SIZE]
    raw = sample.encode("utf-8", "surrogatepass")  # C speed, unlike a per-character scan
    bad = len(raw) - len(raw.translate(None, _CONTROL_BYTES)) + sample.count("\ufffd")
    return bad / len(sample)


#: At most this share of a text's non-ASCII characters may be undecodable bytes for the
#: text to be read with them replaced (U+FFFD) rather than refused: a stray byte or two in a
#: UTF-8 file, not a file in another encoding (GBK read as UTF-8 fails on most characters).
MAX_BAD_SHARE = 0.01
#: ... and at most this many undecodable places in all.
MAX_BAD_PLACES = 200
_GB = ("gbk", "gb2312", "cp936", "euc_cn", "hz")
#: Places with undecodable bytes named in notes, at most (the rest are counted).
_MAX_PLACE_NOTES = 20


@attrs.frozen
class Decoded:
    """The text of some bytes, the encoding that gave it, and what a reader should know.

    ``notes`` are ``(where, code, severity, message, evidence)`` tuples: an
    ``unreadable`` warning for each line where bytes had to be replaced, a
    ``converted`` info when the declared encoding was overruled by the bytes.
    """

    text: str
    encoding: str
    notes: tuple[tuple[str, str, str, str, dict[str, Any]], ...] = ()


def _utf16_32_without_bom(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, told by where its NUL bytes fall.

    Chinese text in UTF-16 has no NUL in its CJK characters but one in every ASCII
    character (digits, spaces, line ends): the NULs all fall on the odd bytes (LE) or
    the even ones (BE). UTF-32 has three NULs a character.
    """
    sample = data[: 4096 - 4096 % 4]
    nul = sample.count(0)
    if nul < max(8, len(sample) // 40):
        return None
    enc = _wide_encoding(sample, nul)
    if enc is None:
        return None
    try:
        text = data[: len(data) - len(data) % (4 if "32" in enc else 2)].decode(enc)
    except UnicodeDecodeError:
        return None
    return enc if _control_ratio(text[:2048]) < 0.01 else None  # text, not binary data with NULs


def _wide_encoding(sample: bytes, nul: int) -> str | None:
    """The UTF-32 or UTF-16 byte order the NULs of ``sample`` (``nul`` of them) fall in, if any:
    UTF-32 has NULs in two set bytes of every four, UTF-16 in every other byte."""
    quads = [sample[i::4].count(0) for i in range(4)]
    n4 = max(1, len(sample) // 4)
    tests = (
        ("utf-32-le", quads[2] >= 0.9 * n4 and quads[3] >= 0.9 * n4),
        ("utf-32-be", quads[0] >= 0.9 * n4 and quads[1] >= 0.9 * n4),
        ("utf-16-le", sample[1::2].count(0) >= 0.95 * nul),
        ("utf-16-be", sample[0::2].count(0) >= 0.95 * nul),
    )
    return next((enc for enc, holds in tests if holds), None)


#: What a file that is not a regular file is, by the test of its mode (the first that holds).
_NOT_REGULAR = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                (stat.S_ISSOCK, "a socket"))

#: The message for an error reading a file, by its class (another ``OSError``: its own text).
_OS_ERRORS: tuple[tuple[type[OSError], str], ...] = (
    (FileNotFoundError, "no such file"),
    (IsADirectoryError, "is a directory, not a file"),
    (PermissionError, "permission denied"),
)


def _read_regular_file(p: Path, name: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises:
        SourceNotFoundError: a directory or not a regular file (never read).
        ResourceLimitError: larger than ``limit``, or grew past it while being read.
        OSError: what reading raised.
    """
    st = p.stat()
    if stat.S_ISDIR(st.st_mode):
        raise SourceNotFoundError("is a directory, not a file", source=name)
    if not stat.S_ISREG(st.st_mode):
        kind = next((kind for holds, kind in _NOT_REGULAR if holds(st.st_mode)), "not a regular file")
        raise SourceNotFoundError(f"is {kind}, not a regular file: not read", source=name)
    if st.st_size > limit:
        raise ResourceLimitError(f"the file is {st.st_size / 2**20:.0f} MB, more than the limit of "
                                 f"{limit / 2**20:.0f} MB (GXPARSE_MAX_BYTES)", source=name)
    with open(p, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:  # grew while being read
        raise ResourceLimitError(f"the file is larger than the limit of {limit / 2**20:.0f} MB "
                                 "(GXPARSE_MAX_BYTES)", source=name)
    return data


def _read_error(exc: OSError | MemoryError, name: str) -> GxparseError:
    """The error to raise for a file that could not be read."""
    if isinstance(exc, MemoryError):
        return ResourceLimitError("the file is too large to read in memory", source=name)
    message = next((m for cls, m in _OS_ERRORS if isinstance(exc, cls)), None)
    return SourceNotFoundError(message or f"cannot be read: {exc.strerror or exc}", source=name)


def _lenient(data: bytes, enc: str) -> tuple[str, list[tuple[int, bytes]]] | None:
    """``data`` decoded with undecodable bytes replaced, and where they were, when they are few
    (``None`` when they are not: the text is in another encoding)."""
    parts: list[str] = []
    bad: list[tuple[int, bytes]] = []
    pos = 0
    while True:
        try:
            parts.append(data[pos:].decode(enc))
            break
        except UnicodeDecodeError as exc:
            if len(bad) >= MAX_BAD_PLACES:
                return None
            parts.append(data[pos:pos + exc.start].decode(enc) + "\ufffd")
            bad.append((pos + exc.start, data[pos + exc.start:pos + exc.end]))
            pos += exc.end
    text = "".join(parts)
    if bad:
        non_ascii = len(text.encode("utf-8")) - len(text)  # > 0 for every character above U+007F
        if len(bad) > MAX_BAD_SHARE * max(non_ascii // 2, 1):
            return None
    return text, bad


def _bad_byte_notes(data: bytes, enc: str, bad: list[tuple[int, bytes]],
                    ) -> list[tuple[str, str, str, str, dict[str, Any]]]:
    lines: dict[int, list[str]] = {}
    for offset, chunk in bad:
        line = data.count(b"\n", 0, offset) + 1 if "16" not in enc and "32" not in enc else 0
        lines.setdefault(line, []).append(chunk.hex(" "))
    notes = []
    for line, chunks in sorted(lines.items())[:_MAX_PLACE_NOTES]:
        where = f"line {line}" if line else "text"
        notes.append((where, "unreadable", "warning",
                      f"bytes that are not {enc} ({', '.join(chunks[:5])}) were replaced by U+FFFD",
                      {"encoding": enc, "bytes": chunks, "source_location": where}))
    if len(lines) > _MAX_PLACE_NOTES:
        notes.append(("text", "unreadable", "warning",
                      f"{len(lines) - _MAX_PLACE_NOTES} more lines with bytes that are not {enc} were read with "
                      "them replaced", {"encoding": enc}))
    return notes


def wide_encoding(data: bytes) -> str | None:
    """``"utf-16-le"``, ``"utf-16-be"``, ``"utf-32-le"`` or ``"utf-32-be"`` for text in those
    encodings (from a byte-order mark, or without one from where the NUL bytes fall), else ``None``."""
    for bom, _, plain in _BOMS:
        if data.startswith(bom):
            if plain == "utf-8":
                return None
            sample = data[len(bom): len(bom) + 4096 - 4096 % 4].decode(plain, errors="replace")
            return plain if _control_ratio(sample) < 0.01 else None
    return _utf16_32_without_bom(data)


def decode(data: bytes, declared: str | None = None, *, name: str = "<bytes>") -> Decoded:
    """Decode ``data`` to text, saying how.

    Order: a byte-order mark; UTF-16/32 without one (from its NUL bytes); the
    ``declared`` encoding (e.g. from an HTML ``<meta>``) if it decodes
    cleanly; UTF-8; GB18030 (GBK and GB2312 are read as their superset);
    charset-normalizer's guess. When none decodes cleanly, UTF-8 or GB18030
    with a few undecodable bytes (at most :data:`MAX_BAD_SHARE` of the
    non-ASCII characters) is read with them replaced by U+FFFD and an
    ``unreadable`` note naming each line. A declared encoding the bytes
    contradict is overruled, with a ``converted`` note.

    Raises:
        UndecodableError: binary data, or text in no encoding gxparse can tell.
    """
    decoded = _by_bom(data, name)
    if decoded is not None:
        return decoded
    wide = _utf16_32_without_bom(data)
    if wide is not None:
        return Decoded(data[: len(data) - len(data) % (4 if "32" in wide else 2)].decode(wide), wide)
    declared_name = _codec_name(declared)
    decoded = _cleanly(data, [declared_name] if declared_name else [])
    if decoded is None:
        if _looks_binary(data):
            raise UndecodableError(_binary_reason(data), source=name)
        decoded = _with_a_few_bad_bytes(data) or _guessed(data)
    if decoded is None:
        raise UndecodableError("not text in any encoding gxparse can tell (neither UTF-8, UTF-16 nor GB18030)",
                               source=name)
    return _overruled(decoded, declared_name)


def _by_bom(data: bytes, name: str) -> Decoded | None:
    """Text that starts with a byte-order mark, a few bad bytes replaced; ``None`` without a mark."""
    for bom, bom_enc, plain in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(bom_enc), bom_enc)
            except UnicodeDecodeError as exc:
                got = _lenient(data[len(bom):], plain)
                if got is None:
                    raise UndecodableError(
                        f"starts with a {bom_enc} byte-order mark but is not valid {bom_enc}: {exc.reason}",
                        source=name) from None
                text, bad = got
                return Decoded(text, bom_enc, tuple(_bad_byte_notes(data[len(bom):], plain, bad)))
    return None


def _codec_name(declared: str | None) -> str:
    """The codec a declared charset names (GBK and GB2312 as their superset GB18030); ``""``
    for none or an unknown one."""
    if not declared:
        return ""
    try:
        found = codecs.lookup(declared).name
    except LookupError:
        return ""
    return "gb18030" if found in _GB else found


def _cleanly(data: bytes, first: list[str]) -> Decoded | None:
    """The first of ``first``, UTF-8 and GB18030 that decodes every byte into text."""
    for enc in [*first, *(c for c in ("utf-8", "gb18030") if c not in first)]:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _control_ratio(text) < 0.01:
            return Decoded(text, enc)
    return None


def _with_a_few_bad_bytes(data: bytes) -> Decoded | None:
    """UTF-8, else GB18030, with a few undecodable bytes replaced and noted by line."""
    for enc in ("utf-8", "gb18030"):
        got = _lenient(data, enc)
        if got is not None and _control_ratio(got[0]) < 0.01:
            text, bad = got
            return Decoded(text, enc, tuple(_bad_byte_notes(data, enc, bad)))
    return None


def _guessed(data: bytes) -> Decoded | None:
    """charset-normalizer's guess, when it decodes into text."""
    import charset_normalizer  # deferred: only needed for text in neither UTF-8 nor GB18030

    best = charset_normalizer.from_bytes(data[: 4 * HEAD_SIZE]).best()
    if best is None:
        return None
    enc = "gb18030" if best.encoding in _GB else best.encoding
    try:
        guess = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None
    return Decoded(guess, enc) if _control_ratio(guess) < 0.01 else None


def _overruled(decoded: Decoded, declared: str) -> Decoded:
    if not declared or declared == decoded.encoding:
        return decoded
    note = ("document", "converted", "info",
            f"the document declares the encoding {declared}, but its bytes are {decoded.encoding}: read as "
            f"{decoded.encoding}", {"declared": declared, "decoded_as": decoded.encoding,
                                   "converter": "gxparse encoding detection"})
    return attrs.evolve(decoded, notes=(*decoded.notes, note))


def decode_bytes(data: bytes, declared: str | None = None, *, name: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` to text; return ``(text, encoding)`` (see :func:`decode`).

    Raises:
        UndecodableError: binary data, or text in no encoding gxparse can tell.
    """
    d = decode(data, declared, name=name)
    return d.text, d.encoding


def _binary_reason(data: bytes) -> str:
    """Why binary data is not text: the office format it is, where it is one."""
    from ._office import sniff

    office = sniff(data[:HEAD_SIZE])
    if office is None or office.key in ("zip", "ole2"):
        return "binary data, not text in any known encoding"
    if office.word:
        return f"the file is {office.name}, not text (let gxparse detect the format, or use format='docx')"
    return f"the file is {office.refusal()}"


@attrs.define(slots=True, eq=False)
class Source:
    """One input: its bytes and a display name.

    Build one with :meth:`from_path`, :meth:`from_bytes` or :meth:`from_text`.
    """

    data: bytes
    name: str
    path: Path | None = None
    _cache: dict[str, Any] = attrs.field(factory=dict, init=False, repr=False)

    @classmethod
    def from_path(cls, path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Source:
        """Read the file at ``path``.

        Raises:
            SourceNotFoundError: no such file, a directory, not a regular file (a FIFO,
                a device such as ``/dev/zero``: refused at once, never read), or unreadable.
            ResourceLimitError: the file is larger than ``max_bytes`` (default
                :data:`MAX_SOURCE_BYTES`).
        """
        p = Path(path)
        name = printable_path(os.fspath(path))
        if max_bytes is None:
            check_limit()
        limit = MAX_SOURCE_BYTES if max_bytes is None else max_bytes
        try:
            data = _read_regular_file(p, name, limit)
        except GxparseError:
            raise
        except (OSError, MemoryError) as exc:
            raise _read_error(exc, name) from None
        return cls(data, name, p)

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "<bytes>") -> Source:
        return cls(bytes(data), name)

    @classmethod
    def from_text(cls, text: str, name: str = "<string>") -> Source:
        src = cls(text.encode("utf-8"), name)
        src._cache["text"] = (_normalise_newlines(text), "utf-8")
        return src

    @property
    def suffix(self) -> str:
        """Lower-case file extension without the dot (``"pdf"``), or ``""``."""
        return Path(self.name).suffix.lower().lstrip(".") if self.name and not self.name.startswith("<") else ""

    def head(self, size: int = HEAD_SIZE) -> bytes:
        """The first ``size`` bytes (what :meth:`FormatAdapter.accepts` looks at)."""
        return self.data[:size]

    @property
    def sha256(self) -> str:
        if "sha256" not in self._cache:
            self._cache["sha256"] = hashlib.sha256(self.data).hexdigest()
        return self._cache["sha256"]

    def check_not_empty(self) -> None:
        """Return if the source holds anything but whitespace; else raise :class:`EmptySourceError`."""
        if not self.data.strip():
            raise EmptySourceError("the file is empty" if self.data == b"" else "the file holds only whitespace",
                                   source=self.name)

    def text(self, declared: str | None = None) -> str:
        """The decoded text with newlines normalised to ``\\n`` (cached)."""
        if "text" not in self._cache:
            d = decode(self.data, declared, name=self.name)
            self._cache["text"] = (_normalise_newlines(d.text), d.encoding)
            self._cache["notes"] = d.notes
        return self._cache["text"][0]

    @property
    def notes(self) -> tuple[tuple[str, str, str, str, dict[str, Any]], ...]:
        """What decoding the text had to do, as ``(where, code, severity, message, evidence)``:
        bytes replaced (``unreadable``), a declared encoding overruled (``converted``).
        Empty until :meth:`text` has been called."""
        return self._cache.get("notes", ())

    @property
    def encoding(self) -> str:
        self.text()
        return self._cache["text"][1]

    def lines(self) -> list[str]:
        """The decoded text split into lines (line ``i`` is ``lines()[i-1]``)."""
        if "lines" not in self._cache:
            self._cache["lines"] = self.text().split("\n")
        return self._cache["lines"]


def _normalise_newlines(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")
