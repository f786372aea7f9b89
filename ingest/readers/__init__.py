"""Readers: path -> ``RawDocument``. One module per file format, chosen by ``read``."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..model import IngestError, RawDocument

#: Largest file ingest accepts, in bytes (an Ofsted report PDF is 0.2-2 MB; spreadsheets 2-5 MB).
MAX_FILE_BYTES = 50 * 1024 * 1024

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


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(path: str | os.PathLike[str]) -> RawDocument:
    """Read one file with the reader its suffix names.

    :param path: a ``.txt``, ``.md``, ``.pdf``, ``.ods`` or ``.xlsx`` file.
    :return: the document's text (and pages or sheets).
    :raise IngestError: unknown suffix, empty, oversized or unreadable file.
    """
    p = Path(path)
    shown = str(path)
    kind = _SUFFIXES.get(p.suffix.lower())
    if kind is None:
        raise IngestError(shown, f"unsupported file type {p.suffix or '(no suffix)'!r}; "
                                 f"expected one of {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise IngestError(shown, f"cannot read file: {exc.strerror}") from None
    if size == 0:
        raise IngestError(shown, "file is empty")
    if size > MAX_FILE_BYTES:
        raise IngestError(shown, f"file is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES // 2**20} MiB limit")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise IngestError(shown, f"cannot read file: {exc.strerror}") from None
    if kind == "text":
        from .text import read_text
        return read_text(shown, data)
    if kind == "markdown":
        from .markdown import read_markdown
        return read_markdown(shown, data)
    if kind == "pdf":
        from .pdf import read_pdf
        return read_pdf(shown, data)
    from .ods import read_spreadsheet
    return read_spreadsheet(shown, data)
