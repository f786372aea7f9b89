"""A remote endpoint's answers parsed by pyoxigraph: SPARQL XML or JSON results, N-Triples.

:class:`core.remote.RemoteStore` asks for SPARQL XML results first (``ACCEPT_RESULTS``) and
takes JSON from an endpoint that prefers it: Virtuoso 7.2 writes XML results 1.2-2.5 times as
fast as JSON (5 Dec 2026, 150 x 10: 15,652 rows of shacl-warnings, 10.4 MB, 0.5-0.7 s as XML,
1.1-2.0 s as JSON), and pyoxigraph parses XML a little faster too. Its CSV and TSV are faster
still but not exact: literals come bare, without datatype or language, columns are named
``"x"`` not ``?x``, and non-ASCII characters come out garbled.

The terms are those of the JSON answer, each cell's kind, value, datatype and language
(``tests/remote/test_result_formats.py`` compares the two on a real Virtuoso, for every canned
query and for every ASCII character, whitespace and non-ASCII at a literal's either end, language
tags and datatypes), once three things are repaired here:

- pyoxigraph's XML results parser (0.5) trims whitespace at either end of a literal's text;
  that whitespace is rewritten as character references, which it keeps;
- it refuses CDATA sections, in which Virtuoso writes ``rdf:XMLLiteral`` values (their text
  escaped, unlike a CDATA section's): an XML answer holding one is asked for again as JSON
  (:func:`wants_json`);
- Virtuoso names blank nodes ``nodeID://b123`` (in XML, JSON and N-Triples alike), which
  pyoxigraph refuses as a blank node label; the label is kept, made valid.

One difference cannot be repaired: XML 1.0 cannot carry the character U+0000, and Virtuoso
leaves it out of a literal in XML (its JSON keeps it). Ingest does not remove it, but none of
the literals of the 150 x 10 benchmark store (from the corpus reports) holds one.
"""
from __future__ import annotations

import json
import re

import pyoxigraph as ox

RESULTS_XML = "application/sparql-results+xml"
RESULTS_JSON = "application/sparql-results+json"
#: what a SELECT or ASK asks for: XML, or JSON from an endpoint that prefers it
ACCEPT_RESULTS = f"{RESULTS_XML}, {RESULTS_JSON};q=0.9"
NTRIPLES = "application/n-triples"
_RESULT_TYPES = {RESULTS_XML: ox.QueryResultsFormat.XML, "application/xml": ox.QueryResultsFormat.XML,
                 RESULTS_JSON: ox.QueryResultsFormat.JSON, "application/json": ox.QueryResultsFormat.JSON}
_RDF_TYPES = {NTRIPLES: ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
              "text/turtle": ox.RdfFormat.TURTLE}

# Each a plain search first (a few ms on 10 MB): the rewriting regexes are slower, and rarely needed.
_LEADING = re.compile(rb"(<literal[^>]*>)([ \t\r\n]+)")
_TRAILING = re.compile(rb"([ \t\r\n]+)(</literal>)")
_TRAILING_MARKS = (b" </literal>", b"\t</literal>", b"\n</literal>", b"\r</literal>")
_XML_BNODE = re.compile(rb"<bnode>([^<]*)</bnode>")


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type header, lower case, without its parameters."""
    return (content_type or "").split(";")[0].strip().lower()


def wants_json(body: bytes, media: str) -> bool:
    """Whether an XML answer must be asked for again as JSON: it holds a CDATA section."""
    return _RESULT_TYPES.get(media) == ox.QueryResultsFormat.XML and b"<![CDATA[" in body


def parse_results(body: bytes, media: str) -> ox.QuerySolutions | ox.QueryBoolean:
    """A SELECT or ASK answer, as pyoxigraph's own objects.

    :param body: the answer's bytes.
    :param media: its media type (:func:`media_type`).
    :raise ValueError: a media type that is not SPARQL XML or JSON results.
    :raise SyntaxError: a body that does not parse.
    """
    fmt = _RESULT_TYPES.get(media)
    if fmt is None:
        raise ValueError(f"expected SPARQL XML or JSON results, got {media or 'no type'}")
    clean = _clean_xml(body) if fmt == ox.QueryResultsFormat.XML else _clean_json(body)
    return ox.parse_query_results(clean, format=fmt)


def parse_triples(body: bytes, media: str) -> list[ox.Triple]:
    """A CONSTRUCT or DESCRIBE answer, as triples.

    :raise ValueError: a media type that is not N-Triples or Turtle.
    :raise SyntaxError: a body that does not parse.
    """
    fmt = _RDF_TYPES.get(media)
    if fmt is None:
        raise ValueError(f"expected N-Triples, got {media or 'no type'}")
    return [quad.triple for quad in ox.parse(_clean_ntriples(body), format=fmt)]


def _label(value: bytes | str):
    """A valid blank node label for one of Virtuoso's (``nodeID://b123`` -> ``b123``)."""
    if isinstance(value, bytes):
        return re.sub(rb"[^A-Za-z0-9_]", b"_", value.removeprefix(b"nodeID://"))
    return re.sub(r"[^A-Za-z0-9_]", "_", value.removeprefix("nodeID://"))


def _references(whitespace: bytes) -> bytes:
    return b"".join(b"&#%d;" % c for c in whitespace)


def _clean_xml(body: bytes) -> bytes:
    if _LEADING.search(body):
        body = _LEADING.sub(lambda m: m.group(1) + _references(m.group(2)), body)
    if any(mark in body for mark in _TRAILING_MARKS):
        body = _TRAILING.sub(lambda m: _references(m.group(1)) + m.group(2), body)
    if b"<bnode>" in body:
        body = _XML_BNODE.sub(lambda m: b"<bnode>" + _label(m.group(1)) + b"</bnode>", body)
    return body


def _clean_json(body: bytes) -> bytes:
    if b'"bnode"' not in body:
        return body
    data = json.loads(body)
    for row in data.get("results", {}).get("bindings", []):
        for cell in row.values():
            if cell.get("type") == "bnode":
                cell["value"] = _label(cell["value"])
    return json.dumps(data).encode("utf-8")


def _clean_ntriples(body: bytes) -> bytes:
    """Virtuoso writes blank nodes as ``<nodeID://b123>`` in N-Triples: make them ``_:b123``."""
    return re.sub(rb"<nodeID://([A-Za-z0-9_]+)>", rb"_:\1", body)
