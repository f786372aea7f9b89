"""Plain-text reader. Text conversions of Ofsted reports may carry markdown or HTML table
fragments; those are recognised and handed to the markdown reader."""
from __future__ import annotations

import re

from ..model import IngestError, RawDocument
from . import sha256_of

_MARKDOWN_EVIDENCE = re.compile(r"^(#{1,6} |\|.*\|\s*$)", re.M)


def decode(path: str, data: bytes) -> str:
    """Decode UTF-8 text (with or without BOM); anything else is a clear error."""
    if b"\x00" in data[:4096]:
        raise IngestError(path, "binary data, not text (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                                "save it as UTF-8 and ingest again") from None


def read_text(path: str, data: bytes) -> RawDocument:
    text = decode(path, data)
    if len(_MARKDOWN_EVIDENCE.findall(text)) >= 3:
        from .markdown import markdown_to_lines
        text = markdown_to_lines(text)
        media = "text/markdown"
    else:
        media = "text/plain"
    return RawDocument(path=path, media_type=media, sha256=sha256_of(data), text=text)
