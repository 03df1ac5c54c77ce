"""Sources: the bytes of one input, its name, and its decoded text.

Adapters receive a :class:`Source`. It reads the file once, hashes it once and
decodes it once (on first use), so sniffing and extraction share the work.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path
from typing import Any

import attrs

from ._errors import EmptySourceError, SourceNotFoundError, UndecodableError

__all__ = ["Source", "decode_bytes"]

#: How much of the input ``FormatAdapter.accepts`` sees.
HEAD_SIZE = 64 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
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


def decode_bytes(data: bytes, declared: str | None = None, *, name: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` to text; return ``(text, encoding)``.

    Order: a byte-order mark; the ``declared`` encoding (e.g. from an HTML
    ``<meta>``) if it decodes cleanly; UTF-8; then charset-normalizer's best
    guess. GBK and GB2312 are decoded as their superset GB18030. Binary data
    raises :class:`UndecodableError`.
    """
    for bom, bom_enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(bom_enc), bom_enc
            except UnicodeDecodeError as exc:
                raise UndecodableError(
                    f"starts with a {bom_enc} byte-order mark but is not valid {bom_enc}: {exc.reason}",
                    source=name) from None
    candidates: list[str] = []
    if declared:
        try:
            looked_up = codecs.lookup(declared).name
        except LookupError:
            looked_up = ""
        if looked_up in ("gbk", "gb2312", "cp936", "euc_cn"):
            looked_up = "gb18030"
        if looked_up:
            candidates.append(looked_up)
    candidates.append("utf-8")
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _control_ratio(text) < 0.01:
            return text, enc
    if _looks_binary(data):
        raise UndecodableError("binary data, not text in any known encoding", source=name)
    import charset_normalizer  # deferred: only needed for non-UTF-8 input

    best = charset_normalizer.from_bytes(data[: 4 * HEAD_SIZE]).best()
    if best is not None:
        enc = best.encoding
        if enc in ("gbk", "gb2312", "cp936", "euc_cn", "hz"):
            enc = "gb18030"
        guess: str | None
        try:
            guess = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            guess = None
        if guess is not None and _control_ratio(guess) < 0.01:
            return guess, enc
    # Last resort for Chinese documents: GB18030 decodes most legacy text.
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise UndecodableError("not text in any known encoding", source=name) from None
    if _control_ratio(text) >= 0.01:
        raise UndecodableError("binary data, not text in any known encoding", source=name)
    return text, "gb18030"


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
    def from_path(cls, path: str | os.PathLike[str]) -> Source:
        p = Path(path)
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            raise SourceNotFoundError("no such file", source=str(path)) from None
        except IsADirectoryError:
            raise SourceNotFoundError("is a directory, not a file", source=str(path)) from None
        except PermissionError:
            raise SourceNotFoundError("permission denied", source=str(path)) from None
        except OSError as exc:
            raise SourceNotFoundError(f"cannot be read: {exc.strerror or exc}", source=str(path)) from None
        return cls(data, str(path), p)

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
            text, enc = decode_bytes(self.data, declared, name=self.name)
            self._cache["text"] = (_normalise_newlines(text), enc)
        return self._cache["text"][0]

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
