"""The first rows of a query answer cut from the start of what pyoxigraph wrote, by bytes alone.

A query worker writes an answer at most ``RESULT_MAX_BYTES`` long (``core.formats.write_solutions``).
When pyoxigraph's output passes that, what it wrote so far holds every row that can be sent, so
they are cut from those bytes instead of running the query again and taking its rows one by one
through Python (``bench/cut_answers.py``: about 3x faster nationally for ``SELECT *``).
"""
from __future__ import annotations

from core.sparqljson import json_first_rows

#: formats whose rows can be cut from the start of pyoxigraph's output by bytes alone (no value
#: holds a row's end: XML escapes ``<``, TSV ``\n``): after what the rows start, what ends each,
#: and what closes the document
_ROW_ENDS = {"xml": (b"<results>", b"</result>", b"</results></sparql>"), "tsv": (b"\n", b"\n", b"")}


def first_rows(start: bytes, key: str, limit: int, max_bytes: int) -> bytes | None:
    """A whole result made of the first rows in ``start`` (the start of a longer result as
    pyoxigraph writes it): as many complete rows as fit in ``max_bytes`` once it is closed, and at
    most ``limit`` (none when not even one fits); None when the bytes cannot tell where rows end
    (see :func:`core.sparqljson.json_first_rows`) or not even a CSV header fits.
    """
    if key == "json":
        return json_first_rows(start, limit, max_bytes)
    if key == "csv":
        return csv_first_rows(start, limit, max_bytes)
    if key not in _ROW_ENDS:
        return None
    opening, row_end, closing = _ROW_ENDS[key]
    found = start.find(opening)
    if found < 0:
        return None
    at = found + len(opening)
    for _ in range(limit):
        found = start.find(row_end, at)
        if found < 0 or found + len(row_end) + len(closing) > max_bytes:
            break
        at = found + len(row_end)
    return start[:at] + closing


def csv_line_ends(body: bytes):
    """The offsets just past each CRLF of CSV ``body`` that ends a line (header or row): a CRLF
    ends a line unless it lies inside a quoted cell, which is so when an odd number of quotes
    comes before it (an escaped quote is two)."""
    at, inside = 0, False
    for piece in body.split(b"\r\n")[:-1]:               # each piece is followed by a CRLF
        at += len(piece) + 2
        if piece.count(b'"') % 2:
            inside = not inside
        if not inside:
            yield at


def csv_first_rows(start: bytes, limit: int, max_bytes: int) -> bytes | None:
    """The header and the first rows of CSV ``start``: as many whole rows as fit in ``max_bytes``,
    at most ``limit``; None when the header does not fit (:func:`csv_line_ends`)."""
    end, rows = 0, -1                                      # rows -1: the header comes first
    for at in csv_line_ends(start):
        if rows >= limit or at > max_bytes:
            break
        end, rows = at, rows + 1
    return start[:end] if rows >= 0 else None
