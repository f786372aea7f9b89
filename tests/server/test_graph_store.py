"""The Graph Store HTTP Protocol at /rdf-graph-store, against a real server on 127.0.0.1: reads
in every RDF format with rdflib, curl and requests, and a write round trip (PUT, POST, DELETE)
seen back through the Graph Store, rdflib and SPARQLWrapper."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import rdflib
import requests
from rdflib.compare import isomorphic
from SPARQLWrapper import JSON, SPARQLWrapper

ONTOLOGY = "https://w3id.org/ofsted-kg/def"
OWL_ONTOLOGY = (rdflib.URIRef(ONTOLOGY), rdflib.RDF.type, rdflib.OWL.Ontology)
NEW = "http://example.org/gsp/new-graph"
TOKEN = {"Authorization": "Bearer s3cret"}
PARSE_AS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
            "application/rdf+xml": "xml", "application/trig": "trig"}


@pytest.fixture(scope="module")
def gsp(live) -> str:
    return live.url + "/rdf-graph-store"


@pytest.mark.parametrize("media", list(PARSE_AS))
def test_get_a_named_graph_in_every_format(gsp, media):
    r = requests.get(gsp, params={"graph": ONTOLOGY}, headers={"Accept": media})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media
    assert "Accept" in r.headers["Vary"]
    assert OWL_ONTOLOGY in _triples(r.content, media)


def _triples(body: bytes, media: str) -> set:
    """Every triple of a body, whichever graph of a TriG document it sits in."""
    if media == "application/trig":
        ds = rdflib.Dataset().parse(data=body, format="trig")
        return {triple for graph in ds.graphs() for triple in graph}
    return set(rdflib.Graph().parse(data=body, format=PARSE_AS[media]))


def test_rdflib_reads_a_graph_by_url(gsp):
    g = rdflib.Graph().parse(f"{gsp}?graph={ONTOLOGY}", format="turtle")
    assert OWL_ONTOLOGY in g
    assert len(g) > 100


def test_curl_reads_a_graph(gsp):
    if shutil.which("curl") is None:
        pytest.skip("no curl on this machine")
    out = subprocess.run(["curl", "-sf", "-G", "-H", "Accept: application/n-triples",
                          "--data-urlencode", f"graph={ONTOLOGY}", gsp],
                         capture_output=True, check=True, timeout=30).stdout
    assert OWL_ONTOLOGY in rdflib.Graph().parse(data=out, format="nt")


@pytest.fixture(scope="module")
def patient_live(store_path):
    """A server like ``live`` with a minute's query timeout, for reading the whole default graph:
    0.3 s of engine time on a quiet machine, and 'Query timed out' from the session server's
    2 s timeout in 1 of 4 runs beside six busy loops."""
    from tests.live import serve_app

    from .conftest import make_app
    with serve_app(make_app(store_path, QUERY_TIMEOUT=60.0)) as server:
        yield server


def test_default_graph_is_the_union(patient_live):
    gsp, endpoint = patient_live.url + "/rdf-graph-store", patient_live.url + "/sparql"
    r = requests.get(gsp, params={"default": ""}, headers={"Accept": "application/n-triples"}, timeout=120)
    assert r.status_code == 200, r.text[:300]
    g = rdflib.Graph().parse(data=r.content, format="nt")
    count = requests.get(endpoint, params={"query": "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o "
                                                    "{ ?s ?p ?o } }"}).json()
    assert len(g) == int(count["results"]["bindings"][0]["n"]["value"])
    assert OWL_ONTOLOGY in g


def test_head_answers_like_get_without_a_body(gsp):
    got = requests.get(gsp, params={"graph": ONTOLOGY})
    head = requests.head(gsp, params={"graph": ONTOLOGY})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Type"] == got.headers["Content-Type"]
    assert head.headers["ETag"] == got.headers["ETag"]


@pytest.mark.parametrize("params, accept, status", [
    ({"graph": "http://example.org/no-such-graph"}, "text/turtle", 404),
    ({}, "text/turtle", 400),
    ({"graph": ONTOLOGY, "default": ""}, "text/turtle", 400),
    ({"graph": "not an iri"}, "text/turtle", 400),
    ({"graph": ONTOLOGY}, "text/csv", 406),
])
def test_read_refusals(gsp, params, accept, status):
    r = requests.get(gsp, params=params, headers={"Accept": accept})
    assert r.status_code == status
    if status == 406:
        assert "Accept" in r.headers["Vary"]


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_browser_naming_no_graph_gets_a_page_that_says_how(gsp):
    """The endpoint's link on the description pages, opened by a person: 200 and a form; the
    page's own example link gives the ontology graph. curl's */* and RDF types still get 400."""
    page = requests.get(gsp, headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "Accept" in page.headers["Vary"] and 'name="graph"' in page.text
    assert "This server is read-only" in page.text
    example = re.search(r'href="(/rdf-graph-store\?graph=[^"]+)"', page.text).group(1).replace("&amp;", "&")
    got = requests.get(gsp.rsplit("/", 1)[0] + example)
    assert got.status_code == 200 and OWL_ONTOLOGY in _triples(got.content, "text/turtle")
    for accept in ("*/*", "text/turtle", "application/ld+json"):
        assert requests.get(gsp, headers={"Accept": accept}).status_code == 400
    named = requests.get(gsp, params={"graph": ONTOLOGY}, headers={"Accept": BROWSER})   # a graph: its RDF
    assert named.status_code == 200 and OWL_ONTOLOGY in _triples(named.content, named.headers["Content-Type"].split(";")[0])


def test_writes_refused_on_a_read_only_server(gsp):
    r = requests.put(gsp, params={"graph": NEW}, data=b"<http://a/s> <http://a/p> 1 .",
                     headers={"Content-Type": "text/turtle", **TOKEN})
    assert r.status_code == 403
    assert requests.get(gsp, params={"graph": NEW}).status_code == 404


def _graph(turtle: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=turtle, format="turtle")


def _read(url: str) -> rdflib.Graph:
    r = requests.get(url, params={"graph": NEW}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200, r.text
    return _graph(r.text)


def _ask(endpoint: str, query: str) -> bool:
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(JSON)
    return sw.queryAndConvert()["boolean"]


def test_write_round_trip(writable_live):
    gsp, sparql = writable_live.url + "/rdf-graph-store", writable_live.url + "/sparql"
    first = rdflib.Graph()
    first.add((rdflib.URIRef("http://example.org/a"), rdflib.RDFS.label, rdflib.Literal("first", lang="en")))
    first.add((rdflib.URIRef("http://example.org/a"), rdflib.URIRef("http://example.org/n"), rdflib.Literal(3)))
    put = requests.put(gsp, params={"graph": NEW}, data=first.serialize(format="turtle").encode(),
                       headers={"Content-Type": "text/turtle", **TOKEN})
    assert put.status_code == 201
    assert isomorphic(_read(gsp), first)
    assert _ask(sparql, f'ASK {{ GRAPH <{NEW}> {{ <http://example.org/a> ?p "first"@en }} }}')
    assert _ask(sparql, 'ASK { <http://example.org/a> ?p "first"@en }')          # in the union too

    second = _graph('<http://example.org/b> <http://example.org/p> "second" .')
    replaced = requests.put(gsp, params={"graph": NEW}, data=second.serialize(format="nt").encode(),
                            headers={"Content-Type": "application/n-triples", **TOKEN})
    assert replaced.status_code == 204
    assert isomorphic(_read(gsp), second)

    added = requests.post(gsp, params={"graph": NEW}, data=first.serialize(format="json-ld").encode(),
                          headers={"Content-Type": "application/ld+json", **TOKEN})
    assert added.status_code == 204
    assert isomorphic(_read(gsp), second + first)

    assert requests.delete(gsp, params={"graph": NEW}, headers=TOKEN).status_code == 204
    assert requests.get(gsp, params={"graph": NEW}).status_code == 404
    assert not _ask(sparql, f"ASK {{ GRAPH <{NEW}> {{ ?s ?p ?o }} }}")
    assert requests.delete(gsp, params={"graph": NEW}, headers=TOKEN).status_code == 404


def test_curl_writes_with_the_token(writable_live):
    if shutil.which("curl") is None:
        pytest.skip("no curl on this machine")
    gsp = writable_live.url + "/rdf-graph-store"
    turtle = b'<http://example.org/c> <http://example.org/p> "by curl" .'
    status = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT",
                             "-H", "Content-Type: text/turtle", "-H", "Authorization: Bearer s3cret",
                             "--data-binary", "@-", f"{gsp}?graph={NEW}"],
                            input=turtle, capture_output=True, check=True, timeout=30).stdout
    assert status == b"201"
    assert isomorphic(_read(gsp), _graph(turtle.decode()))


@pytest.mark.parametrize("method, params, headers, body, status", [
    ("PUT", {"graph": NEW}, {"Content-Type": "text/turtle"}, b"<a> <b> <c> .", 401),         # no token
    ("PUT", {"default": ""}, {"Content-Type": "text/turtle", **TOKEN}, b"", 405),
    ("PUT", {"graph": NEW}, {"Content-Type": "text/csv", **TOKEN}, b"a,b", 415),
    ("PUT", {"graph": NEW}, {"Content-Type": "text/turtle", **TOKEN}, b"<a> <b>", 400),
    ("POST", {"graph": NEW}, {"Content-Type": "application/trig", **TOKEN},
     b"<http://x/g> { <http://x/s> <http://x/p> 1 . }", 400),
    ("DELETE", {"default": ""}, TOKEN, b"", 405),
])
def test_write_refusals(writable_live, method, params, headers, body, status):
    gsp = writable_live.url + "/rdf-graph-store"
    r = requests.request(method, gsp, params=params, headers=headers, data=body)
    assert r.status_code == status, r.text
    assert requests.get(gsp, params={"graph": NEW}).status_code == 404


@pytest.mark.parametrize("path", ["/sparql", "/.well-known/void", "/catalog"])
def test_descriptions_announce_the_graph_store(live, path):
    g = rdflib.Graph().parse(data=requests.get(live.url + path, headers={"Accept": "text/turtle"}).text,
                             format="turtle")
    gsp = rdflib.URIRef(live.url + "/rdf-graph-store")
    assert (gsp, rdflib.DCTERMS.conformsTo, rdflib.URIRef("http://www.w3.org/TR/sparql11-http-rdf-update/")) in g
    assert (gsp, rdflib.URIRef("http://www.w3.org/ns/dcat#endpointURL"), gsp) in g


def test_a_graph_bigger_than_a_query_may_be_put(writable_live):
    """Graph bodies have their own limit (MAX_GRAPH_BYTES), not the query text's."""
    from .conftest import MAX_QUERY_BYTES
    gsp = writable_live.url + "/rdf-graph-store"
    lines = [f'<http://example.org/s{i}> <http://example.org/p> "{i:08d}" .' for i in range(2000)]
    body = "\n".join(lines).encode()
    assert len(body) > 4 * MAX_QUERY_BYTES
    r = requests.put(gsp, params={"graph": NEW}, data=body,
                     headers={"Content-Type": "application/n-triples", **TOKEN})
    assert r.status_code == 201, r.text
    assert len(_read(gsp)) == 2000


def test_a_graph_over_its_limit_is_413(writable_live):
    writable_live.server.app.config["MAX_GRAPH_BYTES"] = 1000      # this test's server only
    gsp = writable_live.url + "/rdf-graph-store"
    body = b"\n".join(b'<http://example.org/s> <http://example.org/p> "%d" .' % i for i in range(100))
    r = requests.put(gsp, params={"graph": NEW}, data=body,
                     headers={"Content-Type": "application/n-triples", **TOKEN})
    assert r.status_code == 413
    assert requests.get(gsp, params={"graph": NEW}).status_code == 404
