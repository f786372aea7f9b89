"""Virtuoso's SPARQL XML results, which the remote store asks for, give the terms its JSON gives.

Each answer is fetched twice from the real Virtuoso, as XML and as JSON, parsed the way the
remote store parses it (:mod:`core.remote_results`), and compared cell by cell: kind, value,
datatype and language, with no normalisation. Covered: every canned query as a server on
Virtuoso sends it (the portable text), with its examples and with nothing bound; literals
holding every ASCII character, whitespace at either end, non-ASCII, language tags and
datatypes; blank nodes; and the one answer XML cannot carry as pyoxigraph reads it
(``rdf:XMLLiteral``, in CDATA), which the store asks for again as JSON.
"""
from __future__ import annotations

from collections import Counter

import pytest
import requests

import queries
from tests.remote.cases import canned_variants, cell
from core.bind import bind_values
from core.remote_results import RESULTS_JSON, RESULTS_XML, media_type, parse_results

pytestmark = pytest.mark.virtuoso

XSD = "http://www.w3.org/2001/XMLSchema#"
XML_LITERAL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral"


def _rows(virtuoso, sparql: str, accept: str) -> tuple[list[str], list[tuple]]:
    response = requests.post(virtuoso.env["VIRTUOSO_QUERY_ENDPOINT"], data={"query": sparql},
                             headers={"Accept": accept}, timeout=120)
    response.raise_for_status()
    media = media_type(response.headers["Content-Type"])
    assert media == accept
    result = parse_results(response.content, media)
    names = [v.value for v in result.variables]
    return names, [tuple(cell(row[n]) for n in names) for row in result]


def _same_as_json(virtuoso, sparql: str) -> list[tuple]:
    xml_names, xml = _rows(virtuoso, sparql, RESULTS_XML)
    json_names, json = _rows(virtuoso, sparql, RESULTS_JSON)
    assert xml_names == json_names
    assert Counter(xml) == Counter(json), (f"only XML: {list(Counter(xml) - Counter(json))[:3]}; "
                                           f"only JSON: {list(Counter(json) - Counter(xml))[:3]}")
    return xml


def _literal(text: str) -> str:
    """``text`` as a SPARQL string with every character but letters and digits escaped."""
    return '"' + "".join(c if c.isascii() and c.isalnum() else f"\\U{ord(c):08X}" for c in text) + '"'


@pytest.mark.parametrize("name, values", list(canned_variants()))
def test_canned_query_xml_rows_are_the_json_rows(name, values, remote_corpus, virtuoso):
    canned = queries.load_all()[name]
    sparql = bind_values(canned.text_for(flat=False), canned.bindings(values))
    _same_as_json(virtuoso, sparql)


STRINGS = ([chr(c) + "x" + chr(c) for c in range(1, 128)]
           + [" ", "  ", "\t\n", "\r\n", "  two  inner  ", "é ü ß", "€ 😀 𝔸", "\u00a0x\u00a0",
              "\u2028", "\u3000x\u3000", "\ufeffx", "]]>", "&#32;", "<a>&amp;</a>", "line\nbreak"])


def test_literals_with_awkward_characters(virtuoso):
    terms = [_literal(s) for s in STRINGS] + [
        _literal(" x ") + "@en", _literal("\nx\n") + "@en-GB", _literal(" y ") + "^^<http://example.org/dt>",
        f'"1.50"^^<{XSD}decimal>', f'"1.5e0"^^<{XSD}double>', f'"1.5"^^<{XSD}float>', f'"-0"^^<{XSD}integer>',
        f'"7"^^<{XSD}int>', f'"2020-01-01"^^<{XSD}date>', f'"2020-01-01T10:00:00Z"^^<{XSD}dateTime>',
        "<http://example.org/a'b(c)d,e;f=g&h#i>", "<http://example.org/%E2%82%AC>", "<urn:x:y>"]
    rows = " ".join(f"({n} {term})" for n, term in enumerate(terms))
    rows = _same_as_json(virtuoso, f"SELECT ?n ?x WHERE {{ VALUES (?n ?x) {{ {rows} }} }}")
    assert len(rows) == len(terms)
    got = {int(n[1]): x for n, x in rows}
    assert [got[n][1] for n in range(len(STRINGS))] == STRINGS   # XML and JSON both exact


def test_blank_nodes(virtuoso):
    store, graph = virtuoso.store(), "urn:ofsted-kg:test:blank-nodes"
    store.update(f'INSERT {{ GRAPH <{graph}> {{ _:a <urn:p> _:b . _:b <urn:p> "x" }} }} WHERE {{ }}')
    try:
        rows = _same_as_json(virtuoso, f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s <urn:p> ?o }} }}")
        nodes = [term for row in rows for term in row if term[0] == "BlankNode"]
        assert len(nodes) == 3 and len(set(nodes)) == 2     # _:b twice, as the same node
    finally:
        store.update(f"DROP SILENT GRAPH <{graph}>")
        store.close()


def test_xml_literal_is_asked_again_as_json(virtuoso):
    sparql = f'SELECT ?x WHERE {{ VALUES ?x {{ " <b>x &amp; y</b> "^^<{XML_LITERAL}> }} }}'
    expected = [(("literal", " <b>x &amp; y</b> ", XML_LITERAL, None),)]
    assert _rows(virtuoso, sparql, RESULTS_JSON)[1] == expected
    store = virtuoso.store()
    try:
        assert [(cell(row["x"]),) for row in store.query(sparql)] == expected
    finally:
        store.close()
