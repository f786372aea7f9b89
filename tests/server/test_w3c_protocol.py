"""The W3C SPARQL 1.1 Protocol test suite, case by case, against a real server on 127.0.0.1.

One test per entry of the suite's manifest (w3c/rdf-tests, sparql/sparql11/protocol/
manifest.ttl: 34 entries), named after it, sending the request its comment spells out and
checking the response it expects. The suite's data graphs (``data1.rdf`` .. ``data3.rdf``:
each a ``foaf:Document``) are loaded through the server's own update endpoint before every
test, since the update cases clear the whole store. Where the manifest expects "4xx" the test
asserts the exact status this server gives and that the store was left as it was.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pyoxigraph as ox
import pytest
import requests

from tests.live import serve_app

from .conftest import make_app

DATA = "http://kasei.us/2009/09/sparql/data/"
D0, D1, D2, D3 = (f"{DATA}data{i}.rdf" for i in range(4))
TOKEN = "w3c-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUERY = {"Content-Type": "application/sparql-query"}
UPDATE = {"Content-Type": "application/sparql-update", **AUTH}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
TABULAR = (RESULTS_JSON, RESULTS_XML, "text/csv", "text/tab-separated-values")
RDF_TYPES = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/n-triples": "nt",
             "application/ld+json": "json-ld"}

RESET = f"""PREFIX foaf: <http://xmlns.com/foaf/0.1/>
DROP ALL ;
INSERT DATA {{
  GRAPH <{D1}> {{ <{D1}> a foaf:Document }}
  GRAPH <{D2}> {{ <{D2}> a foaf:Document }}
  GRAPH <{D3}> {{ <{D3}> a foaf:Document }}
}}"""
INTACT = f"ASK {{ GRAPH <{D1}> {{ <{D1}> a ?t }} GRAPH <{D3}> {{ <{D3}> a ?t }} }}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A writable server on a store of its own (the suite clears whole stores)."""
    path = tmp_path_factory.mktemp("w3c") / "store"
    store = ox.Store(str(path))
    store.flush()
    del store
    app = make_app(path, ALLOW_UPDATE=True, UPDATE_TOKEN=TOKEN,
                   DUMPS_DIR=str(path.parent / "dumps"))
    with serve_app(app) as live:
        yield live.url + "/sparql/"
    app.extensions["ofsted_kg"].pool.close()


@pytest.fixture
def sparql(server):
    """The endpoint, holding exactly the suite's three data graphs."""
    reset = requests.post(server, data=RESET.encode(), headers=UPDATE)
    assert reset.status_code == 204, reset.text
    return server


def boolean(response: requests.Response) -> bool:
    """The answer of an ASK query, from SPARQL results JSON or XML."""
    assert response.status_code == 200, response.text
    media = response.headers["Content-Type"].split(";")[0]
    if media == RESULTS_JSON:
        return response.json()["boolean"]
    assert media == RESULTS_XML, media
    node = ET.fromstring(response.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
    return node.text.strip() == "true"


def ask(endpoint: str, query: str) -> bool:
    return boolean(requests.post(endpoint, data=query.encode(), headers=QUERY))


def refused(response: requests.Response, status: int, endpoint: str) -> None:
    """A 4xx with ``status``, and the store as it was."""
    assert response.status_code == status, (response.status_code, response.text)
    assert ask(endpoint, INTACT) is True


def resolved(endpoint: str, relative: str) -> str:
    """A relative IRI resolved against the endpoint's IRI (``/sparql``), the server's base."""
    return urljoin(endpoint.rstrip("/"), relative)


def q(text: str) -> dict:
    return {"query": text}


def graphs(name: str, *iris: str) -> list[tuple[str, str]]:
    return [(name, i) for i in iris]


# -- queries ---------------------------------------------------------------------------------

def test_query_post_form(sparql):
    r = requests.post(sparql, params={"default-graph-uri": D0}, data="query=ASK%20%7B%7D", headers=FORM)
    assert boolean(r) is True


def test_query_dataset_default_graphs_get(sparql):
    text = f"ASK {{ <{D1}> a ?type . <{D2}> a ?type . }}"
    r = requests.get(sparql, params=[("query", text), *graphs("default-graph-uri", D1, D2)])
    assert boolean(r) is True
    only_one = requests.get(sparql, params=[("query", text), *graphs("default-graph-uri", D1)])
    assert boolean(only_one) is False          # the default graph is the one named, not the union


def test_query_dataset_default_graphs_post(sparql):
    text = f"ASK {{ <{D1}> a ?type . <{D2}> a ?type . }}"
    r = requests.post(sparql, params=graphs("default-graph-uri", D1, D2), data=text.encode(), headers=QUERY)
    assert boolean(r) is True


NAMED_ASK = f"ASK {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"


def test_query_dataset_named_graphs_post(sparql):
    r = requests.post(sparql, params=graphs("named-graph-uri", D1, D2), data=NAMED_ASK.encode(), headers=QUERY)
    assert boolean(r) is True
    r = requests.post(sparql, params=graphs("named-graph-uri", D1, D3), data=NAMED_ASK.encode(), headers=QUERY)
    assert boolean(r) is False


def test_query_dataset_named_graphs_get(sparql):
    r = requests.get(sparql, params=[("query", NAMED_ASK), *graphs("named-graph-uri", D1, D2)])
    assert boolean(r) is True


FULL_ASK = f"""ASK {{
  <{D3}> a ?type
  GRAPH ?g1 {{ <{D1}> a ?type }}
  GRAPH ?g2 {{ <{D2}> a ?type }}
}}"""


def test_query_dataset_full(sparql):
    params = [*graphs("default-graph-uri", D3), *graphs("named-graph-uri", D1, D2)]
    assert boolean(requests.post(sparql, params=params, data=FULL_ASK.encode(), headers=QUERY)) is True
    wrong = [*graphs("default-graph-uri", D1), *graphs("named-graph-uri", D1, D2)]
    assert boolean(requests.post(sparql, params=wrong, data=FULL_ASK.encode(), headers=QUERY)) is False


def test_query_multiple_dataset(sparql):
    """The protocol's dataset wins over the query's FROM. (The manifest's URL encodes the second
    ``named-graph-uri`` inside the first value, ``%26named-graph-uri%3D``; the case as its
    name and comment state it names two graphs, as here.)"""
    text = f"ASK FROM <{D3}> {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"
    r = requests.post(sparql, params=graphs("named-graph-uri", D1, D2), data=text.encode(), headers=QUERY)
    assert boolean(r) is True
    # without protocol graphs the query's own dataset counts: FROM <data3> names no named graphs
    assert ask(sparql, text) is False
    assert ask(sparql, f"ASK FROM <{D3}> {{ <{D3}> a ?t }}") is True
    assert ask(sparql, f"ASK FROM <{D3}> {{ <{D1}> a ?t }}") is False


def test_query_get(sparql):
    assert boolean(requests.get(sparql, params={"query": "ASK {}", "default-graph-uri": D0})) is True


def test_query_content_type_select(sparql):
    r = requests.post(sparql, params={"default-graph-uri": D0}, data=b"SELECT (1 AS ?value) {}", headers=QUERY)
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] in TABULAR
    assert r.json()["results"]["bindings"][0]["value"]["value"] == "1"


def test_query_content_type_ask(sparql):
    r = requests.post(sparql, params={"default-graph-uri": D0}, data=b"ASK {}", headers=QUERY)
    assert r.headers["Content-Type"].split(";")[0] in (RESULTS_JSON, RESULTS_XML)
    assert boolean(r) is True


def _rdf(response: requests.Response):
    import rdflib
    assert response.status_code == 200, response.text
    media = response.headers["Content-Type"].split(";")[0]
    assert media in RDF_TYPES, media
    return rdflib.Graph().parse(data=response.content, format=RDF_TYPES[media])


def test_query_content_type_describe(sparql):
    r = requests.post(sparql, params={"default-graph-uri": D0}, data=b"DESCRIBE <http://example.org/>",
                      headers=QUERY)
    assert len(_rdf(r)) == 0


def test_query_content_type_construct(sparql):
    import rdflib
    r = requests.post(sparql, params={"default-graph-uri": D0}, data=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
                      headers=QUERY)
    g = _rdf(r)
    assert set(g) == {(rdflib.URIRef(resolved(sparql, "s")), rdflib.URIRef(resolved(sparql, "p")),
                       rdflib.Literal(1))}


def test_query_post_direct(sparql):
    assert boolean(requests.post(sparql, data=b"ASK {}", headers=QUERY)) is True


# -- updates ---------------------------------------------------------------------------------

PREFIXES = "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
THREE = f"""INSERT DATA {{
    GRAPH <{D1}> {{ <{D1}> a foaf:Document }}
    GRAPH <{D2}> {{ <{D2}> a foaf:Document }}
    GRAPH <{D3}> {{ <{D3}> a foaf:Document }}
}} ;
"""


def _update(endpoint, text, params=()):
    r = requests.post(endpoint, params=list(params), data=text.encode(), headers=UPDATE)
    assert r.status_code == 204, r.text


def test_update_dataset_default_graph(sparql):
    out = "http://example.org/protocol-update-dataset-test/"
    _update(sparql, PREFIXES + f"""CLEAR ALL ;
INSERT DATA {{ GRAPH <{D1}> {{ <{D1}> a foaf:Document }} }} ;
INSERT {{ GRAPH <{out}> {{ ?s a dc:BibliographicResource }} }}
WHERE {{ ?s a foaf:Document }}""", graphs("using-graph-uri", D1))
    assert ask(sparql, f"ASK {{ GRAPH <{out}> {{ <{D1}> a <http://purl.org/dc/terms/BibliographicResource> }} }}")


def _bib_ask(out: str) -> str:
    bib = "<http://purl.org/dc/terms/BibliographicResource>"
    return f"""ASK {{
    GRAPH <{out}> {{ <{D1}> a {bib} . <{D2}> a {bib} . }}
    FILTER NOT EXISTS {{ GRAPH <{out}> {{ <{D3}> a {bib} . }} }}
}}"""


def test_update_dataset_default_graphs(sparql):
    out = "http://example.org/protocol-update-dataset-graphs-test/"
    _update(sparql, PREFIXES + "DROP ALL ;\n" + THREE + f"""INSERT {{
    GRAPH <{out}> {{ ?s a dc:BibliographicResource }} }} WHERE {{ ?s a foaf:Document }}""",
            graphs("using-graph-uri", D1, D2))
    assert ask(sparql, _bib_ask(out)) is True


def test_update_dataset_named_graphs(sparql):
    out = "http://example.org/protocol-update-dataset-named-graphs-test/"
    _update(sparql, PREFIXES + "DROP ALL ;\n" + THREE + f"""INSERT {{
    GRAPH <{out}> {{ ?s a dc:BibliographicResource }} }} WHERE {{ GRAPH ?g {{ ?s a foaf:Document }} }}""",
            graphs("using-named-graph-uri", D1, D2))
    assert ask(sparql, _bib_ask(out)) is True


def test_update_dataset_full(sparql):
    out = "http://example.org/protocol-update-dataset-full-test/"
    _update(sparql, PREFIXES + "DROP ALL ;\n" + THREE + f"""INSERT {{
    GRAPH <{out}> {{ ?s <http://example.org/in> ?in }} }}
WHERE {{
    {{ GRAPH ?g {{ ?s a foaf:Document }} BIND(?g AS ?in) }}
    UNION
    {{ ?s a foaf:Document . BIND("default" AS ?in) }}
}}""", [*graphs("using-graph-uri", D1), *graphs("using-named-graph-uri", D2)])
    assert ask(sparql, f"""ASK {{
    GRAPH <{out}> {{
        <{D1}> <http://example.org/in> "default" .
        <{D2}> <http://example.org/in> <{D2}> .
    }}
    FILTER NOT EXISTS {{ GRAPH <{out}> {{ <{D3}> ?p ?o }} }}
}}""") is True


def test_update_post_form(sparql):
    r = requests.post(sparql, data="update=CLEAR+ALL", headers={**FORM, **AUTH})
    assert r.status_code == 204
    assert ask(sparql, "ASK { GRAPH ?g { ?s ?p ?o } }") is False


def test_update_post_direct(sparql):
    r = requests.post(sparql, data=b"CLEAR ALL", headers=UPDATE)
    assert r.status_code == 204
    assert ask(sparql, "ASK { ?s ?p ?o }") is False


def test_update_base_uri(sparql):
    g = "http://example.org/protocol-base-test/"
    _update(sparql, f"CLEAR GRAPH <{g}> ;\n"
                    f"INSERT DATA {{ GRAPH <{g}> {{ <http://example.org/s> <http://example.org/p> <test> }} }}")
    r = requests.post(sparql, data=f"SELECT ?o WHERE {{ GRAPH <{g}> {{ <http://example.org/s> "
                                   f"<http://example.org/p> ?o }} }}".encode(), headers=QUERY)
    assert r.headers["Content-Type"].split(";")[0] in TABULAR
    rows = r.json()["results"]["bindings"]
    assert len(rows) == 1
    assert rows[0]["o"]["type"] == "uri"
    assert rows[0]["o"]["value"] != "test"
    assert rows[0]["o"]["value"] == resolved(sparql, "test")


def test_update_where_sees_the_union_default_graph(sparql):
    """Beyond the suite: without USING, an update's WHERE matches what a query's does."""
    out = "http://example.org/union-test/"
    _update(sparql, f"INSERT {{ GRAPH <{out}> {{ ?s a <http://example.org/Seen> }} }} "
                    f"WHERE {{ ?s a <http://xmlns.com/foaf/0.1/Document> }}")
    seen = requests.get(sparql, params=q(f"SELECT ?s WHERE {{ GRAPH <{out}> {{ ?s ?p ?o }} }}")).json()
    assert sorted(b["s"]["value"] for b in seen["results"]["bindings"]) == [D1, D2, D3]


# -- refusals --------------------------------------------------------------------------------

def test_bad_query_method(sparql):
    r = requests.put(sparql, params={"query": "ASK {}", "default-graph-uri": D0}, data=b"", headers=FORM)
    refused(r, 405, sparql)


def test_bad_multiple_queries(sparql):
    refused(requests.get(sparql, params=[("query", "ASK {}"), ("query", "SELECT * {}")]), 400, sparql)


def test_bad_query_wrong_media_type(sparql):
    refused(requests.post(sparql, data=b"ASK {}", headers={"Content-Type": "text/plain"}), 415, sparql)


def test_bad_query_missing_form_type(sparql):
    r = requests.post(sparql, data=b"query=ASK%20%7B%7D")
    assert "Content-Type" not in r.request.headers
    refused(r, 415, sparql)


def test_bad_query_missing_direct_type(sparql):
    r = requests.post(sparql, data=b"ASK {}")
    assert "Content-Type" not in r.request.headers
    refused(r, 415, sparql)


def test_bad_query_non_utf8(sparql):
    r = requests.post(sparql, data="ASK {}".encode("utf-16"),
                      headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    refused(r, 400, sparql)
    # undeclared, but not UTF-8 either
    r = requests.post(sparql, data="ASK {}".encode("utf-16"), headers=QUERY)
    refused(r, 400, sparql)


def test_bad_query_syntax(sparql):
    refused(requests.get(sparql, params={"query": "ASK {"}), 400, sparql)


def test_bad_update_get(sparql):
    refused(requests.get(sparql, params={"update": "CLEAR ALL"}, headers=AUTH), 400, sparql)


def test_bad_multiple_updates(sparql):
    r = requests.post(sparql, data="update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", headers={**FORM, **AUTH})
    refused(r, 400, sparql)


def test_bad_update_wrong_media_type(sparql):
    refused(requests.post(sparql, data=b"CLEAR NAMED", headers={"Content-Type": "text/plain", **AUTH}),
            415, sparql)


def test_bad_update_missing_form_type(sparql):
    refused(requests.post(sparql, data=b"update=CLEAR%20NAMED", headers=AUTH), 415, sparql)


def test_bad_update_non_utf8(sparql):
    r = requests.post(sparql, data="CLEAR NAMED".encode("utf-16"),
                      headers={"Content-Type": "application/sparql-update; charset=UTF-16", **AUTH})
    refused(r, 400, sparql)
    form = requests.post(sparql, data=b"update=CLEAR%20NAMED%FF", headers={**FORM, **AUTH})
    refused(form, 400, sparql)


def test_bad_update_syntax(sparql):
    refused(requests.post(sparql, data="update=CLEAR%20XYZ", headers={**FORM, **AUTH}), 400, sparql)


def test_bad_update_dataset_conflict(sparql):
    text = """PREFIX foaf:  <http://xmlns.com/foaf/0.1/>
WITH <http://example/addresses>
DELETE { ?person foaf:givenName 'Bill' }
INSERT { ?person foaf:givenName 'William' }
WHERE {
    ?person foaf:givenName 'Bill'
}"""
    r = requests.post(sparql, params={"using-named-graph-uri": "http://example/people"},
                      data=text.encode(), headers=UPDATE)
    refused(r, 400, sparql)
    using = requests.post(sparql, params={"using-graph-uri": "http://example/people"},
                          data=f"CLEAR GRAPH <{D1}> ; INSERT {{ ?s ?p ?o }} USING <{D2}> WHERE {{ ?s ?p ?o }}".encode(),
                          headers=UPDATE)
    refused(using, 400, sparql)
