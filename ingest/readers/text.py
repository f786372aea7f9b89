"""Plain-text reader. Text conversions of Ofsted reports may carry markdown or HTML table
fragments; those are recognised and handed to the markdown reader."""
from __future__ import annotations

import re

from ..model import RawDocument
from .source import decode, sha256_of

_MARKDOWN_EVIDENCE = re.compile(r"^(#{1,6} |\|.*\|\s*$)", re.M)


def read_text(path: str, data: bytes) -> RawDocument:
    text = decode(path, data)
    if len(_MARKDOWN_EVIDENCE.findall(text)) >= 3:
        from .markdown import markdown_to_lines
        text = markdown_to_lines(text)
        media = "text/markdown"
    else:
        media = "text/plain"
    return RawDocument(path=path, media_type=media, sha256=sha256_of(data), text=text)
