"""Real SPARQL clients against the running server: SPARQLWrapper in every result format and
rdflib's SPARQLStore."""
from __future__ import annotations

import csv
import io

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, TSV, TURTLE, XML, SPARQLWrapper

from .sample_queries import ASK, BRISTOL, CONSTRUCT, OFS, SELECT


def wrapper(endpoint, query, fmt, method=None):
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(method)
    return sw


@pytest.mark.parametrize("method", [None, POST])
def test_sparqlwrapper_json(endpoint, method):
    result = wrapper(endpoint, SELECT, JSON, method).queryAndConvert()
    assert BRISTOL in [b["la"]["value"] for b in result["results"]["bindings"]]


def test_sparqlwrapper_xml(endpoint):
    doc = wrapper(endpoint, SELECT, XML).queryAndConvert()       # a minidom Document
    uris = [n.firstChild.data for n in doc.getElementsByTagName("uri")]
    assert BRISTOL in uris


@pytest.mark.parametrize("fmt, delimiter", [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_csv_tsv(endpoint, fmt, delimiter):
    body = wrapper(endpoint, SELECT, fmt).queryAndConvert()
    text = body.decode() if isinstance(body, bytes) else body
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    cells = [row[0] for row in rows[1:]]
    expected = BRISTOL if fmt == CSV else f"<{BRISTOL}>"
    assert expected in cells


def test_sparqlwrapper_ask(endpoint):
    assert wrapper(endpoint, ASK, JSON).queryAndConvert()["boolean"] is True
    assert wrapper(endpoint, ASK, XML).query().response.read().count(b"true") == 1


@pytest.mark.parametrize("fmt", [TURTLE, N3, XML, JSONLD])
def test_sparqlwrapper_construct(endpoint, fmt):
    result = wrapper(endpoint, CONSTRUCT, fmt).query()
    body = result.response.read()
    parse_as = {TURTLE: "turtle", N3: "turtle", XML: "xml", JSONLD: "json-ld"}[fmt]
    g = rdflib.Graph().parse(data=body, format=parse_as)
    assert (rdflib.URIRef(BRISTOL), rdflib.RDF.type, rdflib.URIRef(OFS + "LocalAuthority")) in g


def test_rdflib_sparqlstore_select_ask_construct(endpoint):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    store = SPARQLStore(endpoint)
    g = rdflib.Graph(store=store)
    rows = list(g.query(SELECT))
    assert rdflib.URIRef(BRISTOL) in [row[0] for row in rows]
    assert g.query(ASK).askAnswer is True
    constructed = g.query(CONSTRUCT).graph
    assert (rdflib.URIRef(BRISTOL), rdflib.RDF.type, rdflib.URIRef(OFS + "LocalAuthority")) in constructed


def test_rdflib_sparqlstore_json_and_post(endpoint):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    store = SPARQLStore(endpoint, returnFormat="json", method="POST_FORM")
    g = rdflib.Graph(store=store)
    assert rdflib.URIRef(BRISTOL) in [row[0] for row in g.query(SELECT)]
    assert (rdflib.URIRef(BRISTOL), rdflib.RDF.type, rdflib.URIRef(OFS + "LocalAuthority")) in g
