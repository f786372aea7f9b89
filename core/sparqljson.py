"""Compact SPARQL JSON (pyoxigraph's layout) handled as bytes: written from rows, its head
read, its rows counted and columns cut out of it, without parsing it where that is exact.

A query worker writes results this way and the server passes them on: parsing and writing a
result again costs about a millisecond for each 100 KB, which a canned page's whole answer
would otherwise pay on top of the engine (issue 16).
"""
from __future__ import annotations

import json
import re
from typing import Iterable, Sequence

def solutions_json(variables: Sequence[str], rows: Iterable[dict]) -> bytes:
    """SPARQL JSON results from variable names and rows of name -> term-JSON."""
    return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": list(rows)}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


_JSON_HEAD = b'{"head":{"vars":'
_JSON_AFTER_VARS = b'},"results":'


def json_vars(body: bytes) -> list[str] | None:
    """The variables of compact SPARQL JSON, read from its head alone (None: another layout)."""
    if not body.startswith(_JSON_HEAD):
        return None
    end = body.find(_JSON_AFTER_VARS, len(_JSON_HEAD))
    try:
        names = json.loads(body[len(_JSON_HEAD):end]) if end > 0 else None
    except ValueError:
        return None
    return names if isinstance(names, list) else None


#: one plain term of pyoxigraph's compact SPARQL JSON: a JSON string has no raw ``"``, so a
#: match starts and ends on the term's own braces (not an RDF 1.2 triple term, whose parts
#: are keyed "subject", "predicate" and "object": a body with one is parsed instead)
_JSON_STRING = rb'"[^"\\]*(?:\\.[^"\\]*)*"'
_JSON_TERM = (rb'\{"type":"(?:uri|literal|bnode)","value":' + _JSON_STRING
              + rb'(?:,"(?:datatype|xml:lang)":' + _JSON_STRING + rb')?\}')


def drop_json_columns(body: bytes, drop: Sequence[str]) -> bytes:
    """Compact SPARQL JSON without the variables in ``drop``.

    ``body`` itself when none of them is in the head. Otherwise their cells are cut out of the
    bytes (:func:`_cut_cells`, a regular-expression pass instead of a parse and a rewrite), or, when
    that cannot be sure of the result, the JSON is parsed and written again. The result always
    starts ``{"head":{"vars":[...]},"results":`` (see :func:`json_vars`).
    """
    names = json_vars(body)
    if names is not None and not set(drop) & set(names):
        return body
    if names is not None:
        cut = _cut_cells(body, names, [n for n in names if n in drop])
        if cut is not None:
            return cut
    data = json.loads(body)
    keep = [v for v in data["head"]["vars"] if v not in drop]
    rows = ({v: row[v] for v in keep if v in row} for row in data["results"]["bindings"])
    return solutions_json(keep, rows)


def _cut_cells(body: bytes, names: list[str], gone: list[str]) -> bytes | None:
    """``body`` (compact SPARQL JSON with variables ``names``) without the cells and head entries
    of the variables ``gone``; None when a cell of theirs is not a plain term (it is left to
    the parser).

    A cell is ``"name":{term}`` right after a row's ``{`` or a ``,`` (a raw ``"`` is never
    inside a string); it goes with one comma beside it: the one before it if still there,
    else the one after it, if any.
    """
    if b'"type":"triple"' in body:     # parts keyed like variables: only the parser can tell
        return None
    start = body.index(_JSON_AFTER_VARS) + len(_JSON_AFTER_VARS)
    # a variable no row binds (an unbound parameter) only leaves the head: a plain search for
    # its key finds that (a raw '"' is never inside a string) at a tenth of the pattern's time
    # (28 MB at 150 x 10: 9 ms each against 166 ms)
    bound = [n for n in gone if body.find(_key(n), start) >= 0]
    if not bound:
        return _with_vars([n for n in names if n not in gone], memoryview(body)[start:])
    inner = b"|".join(re.escape(_key(n)[1:-2]) for n in bound)
    cell = re.compile(rb'"(?:' + inner + rb')":' + _JSON_TERM)     # a literal first: fast to find
    parts, at = [], start
    for found in cell.finditer(body, start):
        begin, end = found.span()
        before = body[begin - 1]
        if before == 0x2C and begin - 1 >= at:          # "," still there: take it
            begin -= 1
        elif before in (0x2C, 0x7B):                    # "," taken by the cell before, or "{"
            end += body[end] == 0x2C
        else:
            return None
        parts.append(body[at:begin])
        at = end
    parts.append(body[at:])
    rows = b"".join(parts)
    if any(_key(n) + b"{" in rows for n in bound):
        return None
    return _with_vars([n for n in names if n not in gone], rows)


def _key(name: str) -> bytes:
    """A variable's key in a row of compact SPARQL JSON: ``"name":``."""
    return json.dumps(name, ensure_ascii=False).encode("utf-8") + b":"


def _with_vars(names: list[str], rows: bytes | memoryview) -> bytes:
    """Compact SPARQL JSON of the head ``names`` and ``rows`` (what follows ``"results":``)."""
    return b"".join((_JSON_HEAD, json.dumps(names, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                     _JSON_AFTER_VARS, rows))


#: between two rows of compact SPARQL JSON: ``},{"`` and the next variable's name, or ``},{}``
#: before an empty row. Inside a string the quote would be escaped; a string that ends in
#: ``},{`` is followed by its closing quote and then ``,`` or ``}``, which no variable's name
#: starts with. ``},{}`` can be inside a string too: only a parse tells (:func:`json_row_count`).
_ROW_BREAKS = re.compile(rb'\},\{(?:"(?![,}])|\})')


def json_row_count(body: bytes) -> int:
    """Rows in compact SPARQL JSON (pyoxigraph's, or :func:`solutions_json`'s), without parsing.

    Rows follow each other as ``...},{"var":...`` (:data:`_ROW_BREAKS`): that cannot occur inside
    a JSON string nor between the terms of one row (``},"var"``); the first row may be empty
    (``[{}``). A break before an empty row (``},{}``) can also be a string's text, so a body
    holding one is parsed instead. One pass over the bytes (a 590 KB body: 0.34 ms, where a
    search for ``{}`` and then the breaks took 0.63).
    """
    if not body.startswith(b'{"head":'):
        return len(json.loads(body)["results"]["bindings"])
    if body.endswith(b'"bindings":[]}}'):
        return 0
    breaks = _ROW_BREAKS.findall(body)
    if b"},{}" in breaks:
        return len(json.loads(body)["results"]["bindings"])
    return len(breaks) + 1


_JSON_ROWS_START = b'{"bindings":['
_JSON_CLOSING = b"]}}"


def json_first_rows(start: bytes, limit: int, max_bytes: int) -> bytes | None:
    """Compact SPARQL JSON of the first rows in ``start``, the start of a longer answer as
    pyoxigraph writes it: as many complete rows as fit in ``max_bytes`` once it is closed, and at
    most ``limit``. None when the bytes cannot tell where rows end: a break before an empty row
    (``},{}``, which a string may hold: :data:`_ROW_BREAKS`), an RDF 1.2 triple term, or another
    layout.
    """
    names = json_vars(start)
    if names is None or b'"type":"triple"' in start:
        return None
    at = start.index(_JSON_AFTER_VARS) + len(_JSON_AFTER_VARS)
    if not start.startswith(_JSON_ROWS_START, at):
        return None
    at += len(_JSON_ROWS_START)
    ends = []                                   # where each whole row ends
    for found in _ROW_BREAKS.finditer(start, at):
        if found.group() == b"},{}":
            return None
        ends.append(found.start() + 1)
        if len(ends) > limit or ends[-1] + len(_JSON_CLOSING) > max_bytes:
            break
    else:
        if start.endswith(b"}" + _JSON_CLOSING):    # a whole answer: its last row ends there
            ends.append(len(start) - len(_JSON_CLOSING))
    kept = [end for end in ends[:limit] if end + len(_JSON_CLOSING) <= max_bytes]
    return start[:kept[-1] if kept else at] + _JSON_CLOSING
