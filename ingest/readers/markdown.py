"""Markdown reader: markdown with HTML fragments -> the plain-line form every parser reads.

Headings keep their ``#`` marks (normalise turns them into heading blocks), pipe tables and
HTML tables become tab-separated lines, inline markup (``**``, ``<b>``, ``<p>``, links) goes,
and ``<sup>n</sup>`` footnote marks are dropped.
"""
from __future__ import annotations

import html
import re

from ..model import RawDocument
from .source import decode, sha256_of

# Every pattern runs in linear time, whatever the line: no character class may run past the
# next opening mark (so a line of 200,000 "[" or "<" is one pass, not 200,000), and tables are
# split on their tags instead of matched open-to-close (many unclosed cells are one pass too).
_SUP = re.compile(r"<sup>([^<]{0,40})</sup>", re.I)     # a footnote mark: at most 4 characters
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_TABLE_RULE_CHARS = frozenset(" \t:|-")
_TAG = re.compile(r"<[^<>]+>")
_HTML_ROW_OPEN = re.compile(r"<tr\b[^<>]*>", re.I)
_HTML_ROW_CLOSE = re.compile(r"</tr\s*>", re.I)
_HTML_CELL_OPEN = re.compile(r"<t[dh]\b[^<>]*>", re.I)
_HTML_CELL_CLOSE = re.compile(r"</t[dh]\s*>", re.I)
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_AUTOLINK = re.compile(r"<(https?://[^<>]+)>")
_EMPH = re.compile(r"(\*\*|__)(.+?)\1")
_BR = re.compile(r"<br\s*/?>", re.I)
_BLOCK_TAG = re.compile(r"</?(p|div|ul|ol)[^<>]*>", re.I)
_LI = re.compile(r"<li[^<>]*>", re.I)
_BULLET_GLYPH = re.compile(r"\s*[•●▪]\s*")


def inline(text: str) -> str:
    """Strip inline markdown/HTML from one cell or line of text."""
    text = _SUP.sub(lambda m: "" if len(m.group(1).strip()) <= 4 else m.group(0), text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _BR.sub(" ", text)
    text = _BLOCK_TAG.sub(" ", text)
    text = _LI.sub(" • ", text)
    text = _TAG.sub("", text)
    text = _EMPH.sub(r"\2", text)
    text = text.replace("\\*", "*").replace("\\_", "_")
    text = html.unescape(text)
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def _pipe_row(line: str) -> str:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    cells = [inline(c) for c in _CELL_SPLIT.split(body)]
    return "\t".join(c for c in cells if c)


def _is_table_rule(line: str) -> bool:
    """A pipe table's rule line, such as ``|---|:--:|``."""
    return "--" in line and set(line) <= _TABLE_RULE_CHARS


def _closed_parts(text: str, opening: re.Pattern, closing: re.Pattern) -> list[str]:
    """What follows each opening tag up to its closing tag (parts never closed are dropped)."""
    parts = []
    for chunk in opening.split(text)[1:]:
        end = closing.search(chunk)
        if end:
            parts.append(chunk[:end.start()])
    return parts


def _html_table(fragment: str) -> list[str]:
    rows = []
    for row in _closed_parts(fragment, _HTML_ROW_OPEN, _HTML_ROW_CLOSE):
        cells = [inline(c) for c in _closed_parts(row, _HTML_CELL_OPEN, _HTML_CELL_CLOSE)]
        cells = [c for c in cells if c]
        if cells:
            rows.append("\t".join(cells))
    return rows


def _html_tables_to_lines(text: str) -> str:
    """Each ``<table>...</table>`` as tab-separated lines: a linear scan (a regex such as
    ``<table.*?</table>`` takes quadratic time on many unclosed ``<table>`` tags)."""
    lower = text.lower()
    out: list[str] = []
    pos = 0
    while True:
        start = lower.find("<table", pos)
        end = lower.find("</table>", start) if start >= 0 else -1
        if end < 0:
            break
        end += len("</table>")
        out.append(text[pos:start])
        out.append("\n".join(_html_table(text[start:end])))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def markdown_to_lines(text: str) -> str:
    out: list[str] = []
    text = _html_tables_to_lines(text)
    for line in text.splitlines():
        stripped = line.strip()
        if stripped in ("---", "***", "___"):
            out.append("")
            continue
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if _is_table_rule(stripped):
                continue
            row = _pipe_row(stripped)
            out.append(row)
            continue
        m = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        if m:
            out.append(f"{m.group(1)} {inline(m.group(2))}")
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = inline(line)
        if body.startswith("• ") and "•" in body[2:]:
            # an inline HTML list: one bullet per item
            items = [i.strip() for i in body.split("•") if i.strip()]
            out.extend("- " + i for i in items)
            continue
        out.append(" " * indent + body if body else "")
    return "\n".join(out)


def read_markdown(path: str, data: bytes) -> RawDocument:
    text = markdown_to_lines(decode(path, data))
    return RawDocument(path=path, media_type="text/markdown", sha256=sha256_of(data), text=text)
