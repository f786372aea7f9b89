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
