"""Readers: path -> ``RawDocument``. One module per file format, chosen by ``read``."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from core import settings

from ..model import IngestError, RawDocument

#: Largest file ingest accepts by default, in bytes (an Ofsted report PDF is 0.2-2 MB;
#: spreadsheets 2-5 MB). ``OFSTED_KG_MAX_FILE_MB`` overrides it (see ``max_file_bytes``).
MAX_FILE_BYTES = 50 * 1024 * 1024


def max_file_bytes() -> int:
    """The size cap in force: ``OFSTED_KG_MAX_FILE_MB`` (MiB, may be fractional; default 50).

    :raise ValueError: the setting is not a positive number.
    """
    return int(settings.positive("MAX_FILE_MB") * 2**20)

_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".pdf": "pdf",
    ".ods": "ods",
    ".xlsx": "ods",
}

SUPPORTED_SUFFIXES = tuple(sorted(_SUFFIXES))
#: a PDF says so in its first bytes ("%PDF-1.7"); the standard lets the header start anywhere in
#: the first 1024 bytes, after junk some writers put before it
_PDF_HEADER = b"%PDF-"
_PDF_HEADER_WITHIN = 1024


def _sniffed_kind(data: bytes) -> str | None:
    """The reader a file's own bytes name when its suffix names none: a PDF by its header."""
    return "pdf" if _PDF_HEADER in data[:_PDF_HEADER_WITHIN] else None


def is_pdf(path: str | os.PathLike[str]) -> bool:
    """Whether a file's first bytes hold a PDF header (False when it cannot be read)."""
    try:
        with open(path, "rb") as f:
            return _sniffed_kind(f.read(_PDF_HEADER_WITHIN)) == "pdf"
    except OSError:
        return False


def read(path: str | os.PathLike[str]) -> RawDocument:
    """Read one file with the reader its suffix names, or, when the suffix names none (a file
    saved under a neutral name such as ``report`` or ``80418.bin``), the reader its content names:
    a PDF by its ``%PDF-`` header.

    :param path: a ``.txt``, ``.md``, ``.pdf``, ``.ods`` or ``.xlsx`` file, or a PDF by content.
    :return: the document's text (and pages or sheets).
    :raise IngestError: a file that is none of these, empty, oversized or unreadable.
    """
    p = Path(path)
    shown = str(path)
    kind = _SUFFIXES.get(p.suffix.lower())
    try:
        st = p.stat()
    except OSError as exc:
        raise IngestError(shown, f"cannot read file: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        what = "a folder" if stat.S_ISDIR(st.st_mode) else "a pipe, socket or device"
        raise IngestError(shown, f"not a regular file ({what})")
    size = st.st_size
    if size == 0:
        raise IngestError(shown, "file is empty")
    try:
        cap = max_file_bytes()
    except ValueError as exc:
        raise IngestError(shown, str(exc)) from None
    if size > cap:
        raise IngestError(shown, f"file is {size / 2**20:.1f} MiB, over the {cap / 2**20:g} MiB limit "
                                 "(OFSTED_KG_MAX_FILE_MB)")
    try:
        with open(p, "rb") as f:
            # a suffix that names no reader: its header decides, before the rest is read
            kind = kind or _sniffed_kind(f.read(_PDF_HEADER_WITHIN))
            if kind is None:
                raise IngestError(shown, f"unsupported file type {p.suffix or '(no suffix)'!r} and no PDF "
                                         f"header; expected one of {', '.join(SUPPORTED_SUFFIXES)}, or a PDF")
            f.seek(0)
            data = f.read(cap + 1)      # a file that grew since stat() is still capped
    except OSError as exc:
        raise IngestError(shown, f"cannot read file: {exc.strerror}") from None
    if len(data) > cap:
        raise IngestError(shown, f"file grew past the {cap / 2**20:g} MiB limit while being read")
    if kind == "text":
        from .text import read_text
        return read_text(shown, data)
    if kind == "markdown":
        from .markdown import read_markdown
        return read_markdown(shown, data)
    if kind == "pdf":
        from .pdf import read_pdf
        return read_pdf(shown, data)
    try:
        from .ods import read_spreadsheet
    except ModuleNotFoundError:
        raise IngestError(shown, f"no reader for {p.suffix} spreadsheets yet") from None
    return read_spreadsheet(shown, data)
