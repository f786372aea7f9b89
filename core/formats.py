"""The format registry: format key -> media types, file suffix and serializer.

Two families: SPARQL results (SELECT/ASK) and RDF (CONSTRUCT/DESCRIBE, entity pages, dumps).
Pages add ``html``. Serializers are pyoxigraph's; SELECT rows pass through SPARQL JSON so that a
result can be cut at the row cap before it is written. No Flask here: worker processes use it.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Iterable

import pyoxigraph as ox

from core import vocab
from core.firstrows import csv_line_ends, first_rows
from core.sparqljson import json_row_count, solutions_json

XSD_STRING = vocab.XSD + "string"
RDF_LANG_STRING = vocab.RDF + "langString"

PREFIXES = vocab.PREFIXES


@dataclass(frozen=True)
class Format:
    key: str
    media_types: tuple[str, ...]    # the first is served (Content-Type)
    suffix: str                     # file suffix for /doc/x.<suffix> and downloads
    names: tuple[str, ...]          # values of the `format` request parameter
    ox_format: object = None        # pyoxigraph RdfFormat or QueryResultsFormat

    @property
    def content_type(self) -> str:
        media = self.media_types[0]
        return media if ";" in media or not media.startswith("text/") else media + "; charset=utf-8"


RESULT_FORMATS: dict[str, Format] = {f.key: f for f in (
    Format("json", ("application/sparql-results+json", "application/json", "text/javascript",
                    "application/javascript"), "srj", ("json", "srj"), ox.QueryResultsFormat.JSON),
    Format("xml", ("application/sparql-results+xml", "application/xml", "text/xml"), "srx",
           ("xml", "srx"), ox.QueryResultsFormat.XML),
    Format("csv", ("text/csv",), "csv", ("csv",), ox.QueryResultsFormat.CSV),
    Format("tsv", ("text/tab-separated-values",), "tsv", ("tsv",), ox.QueryResultsFormat.TSV),
)}

RDF_FORMATS: dict[str, Format] = {f.key: f for f in (
    Format("turtle", ("text/turtle", "application/x-turtle", "application/turtle"), "ttl",
           ("turtle", "ttl", "n3"), ox.RdfFormat.TURTLE),
    Format("ntriples", ("application/n-triples", "text/plain"), "nt", ("nt", "ntriples", "n-triples"),
           ox.RdfFormat.N_TRIPLES),
    Format("jsonld", ("application/ld+json", "application/json"), "jsonld",
           ("json-ld", "jsonld", "json"), ox.RdfFormat.JSON_LD),
    Format("rdfxml", ("application/rdf+xml", "application/xml", "text/xml"), "rdf",
           ("rdf", "xml", "rdf+xml", "rdfxml"), ox.RdfFormat.RDF_XML),
    Format("trig", ("application/trig",), "trig", ("trig",), ox.RdfFormat.TRIG),
)}

HTML = Format("html", ("text/html", "application/xhtml+xml"), "html", ("html",))


def media_types(formats: dict[str, Format]) -> dict[str, tuple[str, ...]]:
    """The ``supported`` mapping that :func:`core.negotiate.negotiate` takes."""
    return {key: f.media_types for key, f in formats.items()}


def by_name(formats: dict[str, Format], name: str) -> str | None:
    """The key of the format a ``format`` parameter names (a short name or a media type)."""
    name = name.strip().lower()
    for key, f in formats.items():
        if name in f.names or name == key or name in f.media_types:
            return key
    return None


def by_suffix(formats: dict[str, Format], suffix: str) -> str | None:
    for key, f in formats.items():
        if suffix == f.suffix:
            return key
    return None


# -- SPARQL results --------------------------------------------------------------------------

def term_json(term) -> dict:
    """A term in the SPARQL 1.1 JSON results encoding (with RDF-star triples)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject),
                                            "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


#: results up to this size (or up to the largest body allowed, when that is more) are written
#: by pyoxigraph at once; a larger one goes row by row through Python, about 3x slower (a whole
#: 28.5 MB table: 2.1 s against 0.7)
FAST_PATH_BYTES = 16 * 1024 * 1024


class _TooBig(OSError):
    pass


class _CappedBuffer:
    """A write-only buffer that refuses to grow past ``cap`` bytes."""

    def __init__(self, cap: int):
        self.parts: list[bytes] = []
        self.size = 0
        self.cap = cap

    def write(self, data) -> int:
        room = self.cap - self.size
        self.size += len(data)
        if self.size > self.cap:
            self.parts.append(bytes(data[:room]))      # the body's first ``cap`` bytes are kept
            raise _TooBig(f"more than {self.cap} bytes")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def within(body: bytes, key: str, limit: int) -> bool:
    """Whether a serialized SELECT result has at most ``limit`` rows.

    For SPARQL JSON a count of ``{`` answers first when it can: each row opens with one, and
    the document, ``head`` and ``results`` open with three more, so a body with at most
    ``limit + 3`` of them cannot have more rows (braces inside strings only add to the count).
    That is a single-byte count, cheaper than :func:`json_row_count`'s two searches.
    """
    if key == "json" and body.count(b"{") - 3 <= limit:
        return True
    if key == "csv" and body.count(b"\n") - 1 <= limit:    # a quoted line break only adds one
        return True
    return count_rows(body, key) <= limit


def count_rows(body: bytes, key: str) -> int:
    """Rows in a serialized SELECT result (exact: each format escapes its own row separator)."""
    if key == "json":
        return json_row_count(body)
    if key == "xml":
        return body.count(b"<result>")
    if key == "tsv":
        return body.count(b"\n") - 1
    return csv_row_count(body)


def csv_row_count(body: bytes) -> int:
    """Rows of a CSV result (a header line, then rows, each ended by CRLF) without parsing it
    (:func:`core.firstrows.csv_line_ends`)."""
    lines = body.count(b"\r\n") if b'"' not in body else sum(1 for _ in csv_line_ends(body))
    if body and not body.endswith(b"\r\n"):
        lines += 1                                  # a last row without its line end
    return max(lines - 1, 0)


#: what a spreadsheet takes as the start of a formula (OWASP "CSV injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: a cell that may need neutralising: at the start of the body, a line or a field, maybe quoted
_RISKY_CELL = re.compile(rb'(?:\A|[,\n])"?[=+\-@\t\r]')


def safe_cell(text: str) -> str:
    """``text`` as a CSV cell that a spreadsheet shows instead of running: a cell starting like a
    formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading single quote, as
    OWASP recommends, unless it is a plain number such as ``-3`` or ``+1.5e3``."""
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_header(body: bytes) -> list[str]:
    """The variable names on the first line of a CSV result (plain names: never quoted)."""
    end = body.find(b"\r\n")
    return (body if end < 0 else body[:end]).decode("utf-8").split(",")


def neutralise_csv(body: bytes, drop=()) -> bytes:
    """CSV ``body`` (a header of variable names, then rows) with every formula-like cell made
    inert (:func:`safe_cell`) and the columns named in ``drop`` left out, in one pass; ``body``
    itself when no cell starts like a formula and no column is dropped."""
    header = csv_header(body)
    dropped = set(drop)
    keep = [i for i, name in enumerate(header) if name not in dropped]
    risky = _RISKY_CELL.search(body) is not None
    if len(keep) == len(header):
        return rewrite_csv(body, safe_row) if risky else body
    if not risky:
        return rewrite_csv(body, lambda row: [row[i] for i in keep if i < len(row)])
    return rewrite_csv(body, lambda row: safe_row([row[i] for i in keep if i < len(row)]))


def safe_row(row: list[str]) -> list[str]:
    """The cells of ``row`` made safe (:func:`safe_cell`), testing only those that could need it."""
    return [safe_cell(cell) if cell.startswith(FORMULA_STARTS) else cell for cell in row]


def rewrite_csv(body: bytes, change) -> bytes:
    """CSV ``body`` with each row (a list of cells) replaced by ``change(row)``, read and written
    a buffer at a time (a big table's body is never held as one string too)."""
    out = io.BytesIO()
    writer_text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    writer = csv.writer(writer_text, lineterminator="\r\n")
    reader_text = io.TextIOWrapper(io.BytesIO(body), encoding="utf-8", newline="")
    writer.writerows(change(row) for row in csv.reader(reader_text))
    writer_text.flush()
    return out.getvalue()


def write_solutions(solutions, key: str, limit: int | None, again=None,
                    max_bytes: int | None = None, drop=()) -> tuple[bytes, bool]:
    """Serialize a pyoxigraph ``QuerySolutions`` as format ``key``, cut at ``limit`` rows.

    CSV, the format spreadsheets open, has its formula-like cells neutralised
    (:func:`neutralise_csv`); the other formats carry the values exactly.

    Fast path: pyoxigraph writes the whole result (up to ``FAST_PATH_BYTES`` or ``max_bytes``,
    whichever is more: a body that size is kept anyway) and the rows are counted. Only a result
    over that goes row by row through Python to be cut.

    :param again: a callable giving the same solutions afresh, for results too big to buffer.
    :param max_bytes: the largest body: rows beyond it are cut too (only with ``limit``).
    :param drop: CSV only: variables whose columns are left out (in the same pass).
    :return: the body and whether rows were cut.
    """
    cap = max(FAST_PATH_BYTES, max_bytes or 0)
    body, truncated = _written(solutions, key, limit, again, cap, drop, max_bytes)
    if max_bytes and limit is not None and len(body) > max_bytes:
        rows = count_rows(body, key)
        body = _fit(lambda n: _written(
            again() if key == "csv" else ox.parse_query_results(body, RESULT_FORMATS[key].ox_format),
            key, n, again, cap, drop)[0], rows, len(body), max_bytes)
        truncated = True
    return body, truncated


def _written(solutions, key: str, limit: int | None, again, cap: int, drop=(),
             max_bytes: int | None = None) -> tuple[bytes, bool]:
    """The body of :func:`write_solutions` before it is fitted to ``max_bytes`` (``cap``: the
    largest written at once, so that the tries of :func:`_fit` take the fast path too)."""
    body, truncated = _serialize_solutions(solutions, key, limit, again, cap, max_bytes)
    return (neutralise_csv(body, drop) if key == "csv" else body), truncated


def _fit(write, count: int, size: int, max_bytes: int) -> bytes:
    """The body ``write(n)`` gives for the largest ``n`` tried (of ``count`` items in ``size``
    bytes) that fits in ``max_bytes``: the first ``n`` in proportion, then 10% fewer each time."""
    n = int(count * max_bytes / size)
    while True:
        body = write(n)
        if len(body) <= max_bytes or n == 0:
            return body
        n = int(n * 0.9)


def _serialize_solutions(solutions, key: str, limit: int | None, again, cap: int,
                         max_bytes: int | None = None) -> tuple[bytes, bool]:
    """The body, cut at ``limit`` rows, and whether rows were cut. Past ``cap`` bytes, the rows
    that fit ``max_bytes`` are cut from the bytes pyoxigraph wrote (:func:`first_rows`; that
    many bytes hold them all) where the format allows; else the query runs ``again`` and its
    first ``limit`` rows go through Python (about seven times slower: a 36 MB JSON answer at 150
    x 10 took 7.2 s to cut this way, 1.0 s to write)."""
    fmt = RESULT_FORMATS[key].ox_format
    if limit is None:
        return solutions.serialize(format=fmt), False
    buffer = _CappedBuffer(cap)
    try:
        solutions.serialize(buffer, format=fmt)
    except _TooBig:
        cut = first_rows(buffer.getvalue(), key, limit, max_bytes) if max_bytes else None
        if cut is not None:
            return cut, True
        if again is None:
            raise
        return _cut(again(), key, limit)
    body = buffer.getvalue()
    if within(body, key, limit):
        return body, False
    if key == "csv":                     # CSV is lossy: pyoxigraph cannot read it back
        if again is None:
            raise ValueError("cutting CSV results needs the query again")
        return _cut(again(), key, limit)
    return _cut(ox.parse_query_results(body, fmt), key, limit)


def _cut(solutions, key: str, limit: int) -> tuple[bytes, bool]:
    """The first ``limit`` rows, through SPARQL JSON (then pyoxigraph for the other formats)."""
    variables = [v.value for v in solutions.variables]
    rows, truncated = [], False
    for n, solution in enumerate(solutions):
        if n >= limit:
            truncated = True
            break
        row = {}
        for name in variables:
            term = solution[name]
            if term is not None:
                row[name] = term_json(term)
        rows.append(row)
    body = solutions_json(variables, rows)
    if key != "json":
        body = ox.parse_query_results(body, ox.QueryResultsFormat.JSON).serialize(
            format=RESULT_FORMATS[key].ox_format)
    return body, truncated


def write_boolean(value, key: str) -> bytes:
    return value.serialize(format=RESULT_FORMATS[key].ox_format)


def write_rdf(triples: Iterable, key: str, limit: int | None = None,
              max_bytes: int | None = None) -> tuple[bytes, bool]:
    """Serialize triples (or quads) as RDF format ``key``, cut at ``limit``.

    :param max_bytes: the largest body: triples beyond it are cut too.
    :return: the body and whether triples were cut.
    """
    items, truncated = [], False
    for n, t in enumerate(triples):
        if limit is not None and n >= limit:
            truncated = True
            break
        items.append(t)
    fmt = RDF_FORMATS[key].ox_format
    prefixes = PREFIXES if key in ("turtle", "trig") else None
    body = ox.serialize(items, format=fmt, prefixes=prefixes) or b""
    if max_bytes and len(body) > max_bytes:
        body = _fit(lambda n: ox.serialize(items[:n], format=fmt, prefixes=prefixes) or b"",
                    len(items), len(body), max_bytes)
        truncated = True
    return body, truncated
