"""Office file signatures: which office format a file is, from its bytes.

gxparse reads Word documents (:mod:`gxparse.formats.docx`), and names the
office files it does not read (spreadsheets, presentations, OFD, RTF) in its
error messages instead of calling them "binary data". Everything here is a
cheap look at bytes, never a full parse:

* **ZIP packages** (``PK\\x03\\x04``): the part names in the local file
  headers tell Office Open XML (``word/document.xml``, ``xl/workbook.xml``,
  ``ppt/presentation.xml``), OpenDocument (the ``mimetype`` entry) and OFD
  (``OFD.xml``) apart. :func:`sniff` sees only the first 64 KiB, where the
  first entries' headers are; :func:`identify` reads the whole file's central
  directory.
* **OLE2 compound files** (``D0 CF 11 E0 A1 B1 1A E1``): the names of the
  directory entries (UTF-16LE, at 128-byte boundaries) tell a Word binary
  document (a ``WordDocument`` stream) from an Excel workbook (``Workbook``,
  ``Book``), a PowerPoint file and an encrypted Office Open XML package
  (``EncryptionInfo``, ``EncryptedPackage``). WPS Office (Kingsoft) writes the
  same streams as Microsoft Office and adds its own: a ``WpsCustomData``
  stream, or a ``KSOProductBuildVer`` property, mark a .wps, .et or .dps
  file. A Microsoft Works document (also .wps) has a ``CONTENTS`` stream
  beginning ``CHNKWKS``.
* **RTF** starts with ``{\\rtf``.

This module knows file formats, not the report form.
"""

from __future__ import annotations

import attrs

__all__ = ["OLE2_MAGIC", "OfficeFormat", "identify", "office_format", "sniff"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


@attrs.frozen
class OfficeFormat:
    """An office file format recognised from content.

    Attributes:
        key: short name: ``docx``, ``doc``, ``wps``, ``works``, ``xlsx``,
            ``xls``, ``et``, ``pptx``, ``ppt``, ``dps``, ``odt``, ``ods``,
            ``odp``, ``ofd``, ``rtf``, ``encrypted`` (a password-protected
            Office Open XML package), ``ole2`` and ``zip`` (a container whose
            content was not recognised, or not seen yet).
        name: what it is, for a person: ``"an Excel workbook (.xlsx)"``.
        family: ``"word"`` (documents gxparse reads), ``"spreadsheet"``,
            ``"presentation"``, ``"fixed-layout"``, ``"rich-text"``,
            ``"encrypted"`` or ``"container"``.
    """

    key: str
    name: str
    family: str

    @property
    def word(self) -> bool:
        """A word-processing document gxparse reads (natively or through LibreOffice)."""
        return self.family == "word"

    @property
    def needs_conversion(self) -> bool:
        """A binary word-processing format read through LibreOffice (.doc, .wps)."""
        return self.key in ("doc", "wps", "works")

    def refusal(self) -> str:
        """One sentence saying gxparse does not read this format and what to do instead."""
        if self.family == "spreadsheet":
            hint = "export the report's tables to a Word document, PDF or HTML page"
        elif self.family == "presentation":
            hint = "save the slides as PDF"
        elif self.family == "fixed-layout":
            hint = "convert it to PDF (an OFD reader can print to PDF)"
        elif self.family == "rich-text":
            hint = "save it as .docx or PDF"
        elif self.family == "encrypted":
            return f"{self.name}, protected with a password; save an unprotected copy as .docx or PDF"
        else:
            hint = "save it as .docx, PDF or HTML"
        return f"{self.name}, which gxparse does not read; {hint}"


_FORMATS = {f.key: f for f in (
    OfficeFormat("docx", "a Word document (.docx)", "word"),
    OfficeFormat("doc", "a Word 97-2003 document (.doc)", "word"),
    OfficeFormat("wps", "a WPS Office document (.wps)", "word"),
    OfficeFormat("works", "a Microsoft Works document (.wps)", "word"),
    OfficeFormat("xlsx", "an Excel workbook (.xlsx)", "spreadsheet"),
    OfficeFormat("xls", "an Excel 97-2003 workbook (.xls)", "spreadsheet"),
    OfficeFormat("et", "a WPS Office spreadsheet (.et)", "spreadsheet"),
    OfficeFormat("ods", "an OpenDocument spreadsheet (.ods)", "spreadsheet"),
    OfficeFormat("pptx", "a PowerPoint presentation (.pptx)", "presentation"),
    OfficeFormat("ppt", "a PowerPoint 97-2003 presentation (.ppt)", "presentation"),
    OfficeFormat("dps", "a WPS Office presentation (.dps)", "presentation"),
    OfficeFormat("odp", "an OpenDocument presentation (.odp)", "presentation"),
    OfficeFormat("odt", "an OpenDocument text document (.odt)", "rich-text"),
    OfficeFormat("ofd", "an OFD document (.ofd, the Chinese fixed-layout format)", "fixed-layout"),
    OfficeFormat("rtf", "an RTF document (.rtf)", "rich-text"),
    OfficeFormat("encrypted", "an encrypted Office document", "encrypted"),
    OfficeFormat("ole2", "an OLE2 compound file (an Office 97-2003 file of unknown kind)", "container"),
    OfficeFormat("zip", "a ZIP archive", "container"),
)}


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _has_entry(data: bytes, name: str) -> bool:
    """Does an OLE2 directory entry named ``name`` appear in ``data`` (as far as it goes)?

    A directory entry is 128 bytes at a 128-byte boundary of the file: the
    name in UTF-16LE, zero-padded to 64 bytes, then its length in bytes
    (terminator included). Both are checked, so the same characters inside a
    stream's content do not count.
    """
    needle = _utf16(name)
    size = (len(needle) + 2).to_bytes(2, "little")
    start = data.find(needle)
    while start >= 0:
        if start % 128 == 0 and data[start + 64:start + 66] == size:
            return True
        start = data.find(needle, start + 1)
    return False


_KINGSOFT = (b"KSOProductBuildVer", _utf16("KSOProductBuildVer"))

#: The directory entries that hold an application's document in an OLE2 file, in the order
#: tried: (entry names, kind, kind when Kingsoft WPS wrote it).
_OLE2_DOCUMENTS = (
    (("WordDocument",), "doc", "wps"),
    (("Workbook", "Book", "WORKBOOK"), "xls", "et"),
    (("PowerPoint Document",), "ppt", "dps"),
)


def _has_any_entry(data: bytes, names: tuple[str, ...]) -> bool:
    """Does an OLE2 directory entry with one of ``names`` appear in ``data``?"""
    return any(_has_entry(data, name) for name in names)


def _ole2_kind(data: bytes) -> OfficeFormat:
    """The kind of an OLE2 file from its directory entries; ``ole2`` when none is seen."""
    if _has_any_entry(data, ("EncryptionInfo", "EncryptedPackage")):
        return _FORMATS["encrypted"]
    kingsoft = _has_entry(data, "WpsCustomData") or any(marker in data for marker in _KINGSOFT)
    for entries, kind, kingsoft_kind in _OLE2_DOCUMENTS:
        if _has_any_entry(data, entries):
            return _FORMATS[kingsoft_kind if kingsoft else kind]
    if _has_entry(data, "CONTENTS") and b"CHNKWKS" in data:
        return _FORMATS["works"]
    return _FORMATS["ole2"]


# Part names of a ZIP package, as they appear in its local file headers and central directory.
_ZIP_PARTS = (
    (b"word/document.xml", "docx"),
    (b"word/document2.xml", "docx"),  # some writers name the main part so ([Content_Types].xml says which)
    (b"xl/workbook.xml", "xlsx"),
    (b"ppt/presentation.xml", "pptx"),
    (b"OFD.xml", "ofd"),
    (b"Doc_0/Document.xml", "ofd"),
)
_ODF_TYPES = (
    (b"application/vnd.oasis.opendocument.text", "odt"),
    (b"application/vnd.oasis.opendocument.spreadsheet", "ods"),
    (b"application/vnd.oasis.opendocument.presentation", "odp"),
)


def _zip_kind(names: bytes) -> OfficeFormat:
    """The kind of a ZIP package from bytes holding its part names (a head, or the central directory)."""
    head = names[:200]
    if b"mimetype" in head:
        for mime, key in _ODF_TYPES:
            if mime in head:
                return _FORMATS[key]
    for part, key in _ZIP_PARTS:
        if part in names:
            return _FORMATS[key]
    return _FORMATS["zip"]


def sniff(head: bytes) -> OfficeFormat | None:
    """The office format that ``head`` (the first bytes of a file) starts, or None.

    Pure and cheap (a few ``bytes.find`` calls). The head may not reach a
    ZIP package's main part or an OLE2 file's directory: the answer is then
    ``zip`` or ``ole2``, and :func:`identify` on the whole file decides.
    """
    if head.startswith(OLE2_MAGIC):
        return _ole2_kind(head)
    if head.startswith(_ZIP_MAGIC):
        return _zip_kind(head)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"{\\rtf":
        return _FORMATS["rtf"]
    return None


def identify(data: bytes) -> OfficeFormat | None:
    """The office format of a whole file, or None when it is not an office file.

    Like :func:`sniff`, but a ZIP package is judged by its central directory
    (the names of every part) and an OLE2 file by all of its directory
    entries. Never raises.
    """
    kind = sniff(data[:65536])
    if kind is None:
        return None
    if kind.key == "zip":
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = "\n".join(zf.namelist()).encode("utf-8", "replace")
        except Exception:
            return kind
        return _zip_kind(names)
    if kind.key == "ole2" and len(data) > 65536:
        return _ole2_kind(data)
    return kind


def office_format(key: str) -> OfficeFormat:
    """The :class:`OfficeFormat` named ``key`` (a key of the table above)."""
    return _FORMATS[key]
