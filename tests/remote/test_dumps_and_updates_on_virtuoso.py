"""Dumps and SPARQL UPDATE through the server when its store is Virtuoso.

``/download/`` on the Virtuoso-backed server gives the embedded server's triples (N-Triples,
Turtle, JSON-LD; blank nodes compared up to renaming), a TriG with the document graphs and none
of Virtuoso's own, and a ``void.ttl`` whose count is the dump's; they are rewritten when the
store's fingerprint changes, and only then. An update with the bearer token
lands in Virtuoso and the dumps follow it; without the token it is 401, malformed it is 400 with
Virtuoso's message, and an update endpoint that refuses or does not answer is 502 or 503.
``ofsted-kg export --dumps`` writes the same files from the endpoint.
"""
from __future__ import annotations

import gzip
import os
import socket
import time

import pyoxigraph as ox
import pytest
import rdflib
import requests
from rdflib.compare import isomorphic

from core.flat import ROW_NS, flat_graph
from core.remote import SYSTEM_GRAPHS
from tests.live import serve_app

# slow: two servers started and loaded (6-8 s each) and writes through both; test_virtuoso.py
# keeps Virtuoso in the fast loop
pytestmark = [pytest.mark.virtuoso, pytest.mark.slow]

TOKEN = "update-token-for-tests"
TEST_GRAPH = "urn:ofsted-kg:test:update-through-server"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DUMP_FORMATS = {"ofsted-kg.nt.gz": ox.RdfFormat.N_TRIPLES, "ofsted-kg.ttl": ox.RdfFormat.TURTLE,
                "ofsted-kg.jsonld": ox.RdfFormat.JSON_LD}


def _app(store: str, dumps, **overrides):
    from server import create_app
    return create_app({"STORE": store, "QUERY_TIMEOUT": 20.0, "QUERY_PROCESSES": 1,
                       "TESTING": True, "DUMPS_DIR": str(dumps), **overrides})


def _updating(virtuoso, dumps, **overrides):
    env = virtuoso.env
    settings = {"ALLOW_UPDATE": True, "UPDATE_TOKEN": TOKEN, "UPDATE_ENDPOINT": env["VIRTUOSO_UPDATE_ENDPOINT"],
                "REMOTE_USER": env["VIRTUOSO_USER"], "REMOTE_PASSWORD": env["VIRTUOSO_PASSWORD"]}
    return _app(env["VIRTUOSO_QUERY_ENDPOINT"], dumps, **{**settings, **overrides})


@pytest.fixture(scope="module")
def remote_live(virtuoso, remote_corpus, tmp_path_factory):
    """A real server on 127.0.0.1 whose store is Virtuoso, updates allowed with ``TOKEN``."""
    server = serve_app(_updating(virtuoso, tmp_path_factory.mktemp("remote-dumps")))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def embedded_dumps(corpus_store_path, tmp_path_factory) -> dict[str, bytes]:
    """Every dump file of the server on the embedded store holding the same corpus."""
    app = _app(str(corpus_store_path), tmp_path_factory.mktemp("embedded-dumps"))
    try:
        client = app.test_client()
        return {name: client.get("/download/" + name).data for name in (*DUMP_FORMATS, "ofsted-kg.trig")}
    finally:
        app.extensions["ofsted_kg"].pool.close()


def _get(live, name: str) -> bytes:
    response = requests.get(f"{live.url}/download/{name}", timeout=60)
    assert response.status_code == 200, response.text[:300]
    return response.content


FLAT = flat_graph()
FLAT_SUBJECTS = (FLAT, ROW_NS)        # its row and shared nodes, and the terms it describes


def _triples(data: bytes, fmt: ox.RdfFormat) -> list[ox.Triple]:
    """The triples of a dump, less the flat graph's (written to the embedded store only: a remote
    store answers the flattened canned queries with their full text)."""
    if fmt == ox.RdfFormat.N_TRIPLES:
        data = gzip.decompress(data)
    return [q.triple for q in ox.parse(data, format=fmt)
            if not (isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(FLAT_SUBJECTS))]


def _same_graph(ours: list[ox.Triple], theirs: list[ox.Triple]) -> None:
    """The same set of triples: exactly, for triples without blank nodes; up to a renaming of
    blank nodes (the stores label them differently) for the others."""
    def has_bnode(t):
        return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)

    def rdflib_graph(triples):
        g = rdflib.Graph()
        g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
        return g
    assert len(ours) == len(set(ours)) and len(theirs) == len(set(theirs))
    assert {t for t in ours if not has_bnode(t)} == {t for t in theirs if not has_bnode(t)}
    assert isomorphic(rdflib_graph([t for t in ours if has_bnode(t)]),
                      rdflib_graph([t for t in theirs if has_bnode(t)]))


def test_download_index_lists_every_file(remote_live, virtuoso):
    t0 = time.perf_counter()
    response = requests.get(remote_live.url + "/download/", timeout=120)
    virtuoso.timings["dumps_first_request_s"] = round(time.perf_counter() - t0, 2)
    assert response.status_code == 200
    for name in (*DUMP_FORMATS, "ofsted-kg.trig", "void.ttl", "catalog.ttl"):
        assert f"/download/{name}" in response.text


@pytest.mark.parametrize("name", list(DUMP_FORMATS))
def test_dump_holds_the_embedded_stores_triples(name, remote_live, embedded_dumps):
    fmt = DUMP_FORMATS[name]
    _same_graph(_triples(_get(remote_live, name), fmt), _triples(embedded_dumps[name], fmt))


def test_trig_has_the_document_graphs(remote_live, embedded_dumps, embedded_corpus):
    def graphs(data):
        return {q.graph_name.value for q in ox.parse(data, format=ox.RdfFormat.TRIG)
                if isinstance(q.graph_name, ox.NamedNode)}
    remote = graphs(_get(remote_live, "ofsted-kg.trig"))
    embedded = set(embedded_corpus.named_graphs()) - {FLAT}          # embedded-store only
    assert remote == graphs(embedded_dumps["ofsted-kg.trig"]) - {FLAT} == embedded
    assert any("/id/document/" in g for g in remote)
    assert not remote & set(SYSTEM_GRAPHS)


def test_void_counts_the_dump(remote_live, embedded_dumps):
    void = rdflib.Graph().parse(data=_get(remote_live, "void.ttl"), format="turtle")
    dataset = next(s for s in void.subjects(VOID.sparqlEndpoint, None))
    triples = _triples(_get(remote_live, "ofsted-kg.nt.gz"), ox.RdfFormat.N_TRIPLES)
    assert int(void.value(dataset, VOID.triples)) == len(triples)
    assert len(triples) == len(_triples(embedded_dumps["ofsted-kg.nt.gz"], ox.RdfFormat.N_TRIPLES))
    subsets = {str(s) for s in void.objects(dataset, VOID.subset)}
    assert subsets and not subsets & set(SYSTEM_GRAPHS)


def test_dumps_follow_changes_made_by_other_clients(remote_live, remote_corpus):
    """Ingest writing straight to Virtuoso changes the fingerprint; an unchanged store does not."""
    nt_file = remote_live.app.config["DUMPS_DIR"] + "/ofsted-kg.nt.gz"
    _get(remote_live, "ofsted-kg.nt.gz")
    before = os.stat(nt_file).st_mtime_ns
    _get(remote_live, "ofsted-kg.nt.gz")
    assert os.stat(nt_file).st_mtime_ns == before              # not rewritten
    triple = "<urn:ofsted-kg:test:s> <urn:ofsted-kg:test:p> \"written by another client\""
    try:
        remote_corpus.replace_graphs({TEST_GRAPH: f"{triple} .\n".encode()})
        assert triple in gzip.decompress(_get(remote_live, "ofsted-kg.nt.gz")).decode()
    finally:
        remote_corpus.remove_graphs([TEST_GRAPH])
    assert triple not in gzip.decompress(_get(remote_live, "ofsted-kg.nt.gz")).decode()


def _update(live, text: str, token: str | None = TOKEN) -> requests.Response:
    headers = {"Content-Type": "application/sparql-update"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(live.url + "/sparql", data=text.encode(), headers=headers, timeout=60)


def _in_virtuoso(store) -> bool:
    return bool(store.query("ASK { GRAPH ?g { ?s ?p ?o } }", {ox.Variable("g"): ox.NamedNode(TEST_GRAPH)}))


def test_update_with_token_lands_in_virtuoso_and_the_dumps(remote_live, remote_corpus):
    triple = "<urn:ofsted-kg:test:s> <urn:ofsted-kg:test:p> \"through the server\""
    _get(remote_live, "ofsted-kg.nt.gz")                  # dumps written before the update
    try:
        response = _update(remote_live, f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ {triple} }} }}")
        assert response.status_code == 204, response.text
        assert _in_virtuoso(remote_corpus)
        nt = gzip.decompress(_get(remote_live, "ofsted-kg.nt.gz")).decode()
        assert triple in nt                               # the dumps were rewritten
        trig = _get(remote_live, "ofsted-kg.trig")
        assert any(q.graph_name == ox.NamedNode(TEST_GRAPH) for q in ox.parse(trig, format=ox.RdfFormat.TRIG))
        response = _update(remote_live, f"DROP SILENT GRAPH <{TEST_GRAPH}>")
        assert response.status_code == 204, response.text
        assert not _in_virtuoso(remote_corpus)
        assert triple not in gzip.decompress(_get(remote_live, "ofsted-kg.nt.gz")).decode()
    finally:
        remote_corpus.remove_graphs([TEST_GRAPH])


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_update_without_the_token_is_401(token, remote_live, remote_corpus):
    response = _update(remote_live, f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} }}",
                       token=token)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert not _in_virtuoso(remote_corpus)


def test_malformed_update_is_400_before_it_reaches_the_store(remote_live):
    """Updates are parsed here first (server/guard.py: SERVICE and LOAD are found in the parse
    tree), so a malformed one is a 400 with our parser's message and Virtuoso never sees it."""
    response = _update(remote_live, f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <urn:a> <urn:b> ")
    assert response.status_code == 400
    assert "update parse error" in response.text and "expected" in response.text.lower()


def test_refused_update_is_502(virtuoso, remote_corpus, tmp_path):
    """Virtuoso's anonymous endpoint refuses updates: the server says so, with its message."""
    server = serve_app(_updating(virtuoso, tmp_path, UPDATE_ENDPOINT=virtuoso.env["VIRTUOSO_QUERY_ENDPOINT"],
                                 REMOTE_USER=""))
    try:
        response = _update(server, f"DROP SILENT GRAPH <{TEST_GRAPH}>")
    finally:
        server.stop()
    assert response.status_code == 502
    assert "refused the update" in response.text and "permission" in response.text.lower()


def test_unreachable_update_endpoint_is_503(virtuoso, remote_corpus, tmp_path):
    with socket.socket() as sock:        # bound, never listening: refused, and no other process can take it
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = serve_app(_updating(virtuoso, tmp_path, UPDATE_ENDPOINT=f"http://127.0.0.1:{port}/sparql"))
        try:
            response = _update(server, f"DROP SILENT GRAPH <{TEST_GRAPH}>")
        finally:
            server.stop()
    assert response.status_code == 503
    assert "cannot be reached" in response.text and response.headers.get("Retry-After")


def test_graph_read_in_pages_is_the_whole_graph(remote_corpus):
    graph = max(remote_corpus.named_graphs(), key=lambda g: "/id/document/" in g and not g.endswith("inferred"))
    whole = list(remote_corpus.graph_quads(graph))
    paged = list(remote_corpus.graph_quads(graph, page_size=300))
    assert len(whole) > 300 and len(paged) == len(whole)
    assert {q.triple for q in paged} == {q.triple for q in whole}


def test_cli_export_dumps_from_virtuoso(virtuoso, remote_corpus, embedded_dumps, tmp_path):
    from core.cli import main
    t0 = time.perf_counter()
    assert main(["export", "--dumps", str(tmp_path), "--store", virtuoso.env["VIRTUOSO_QUERY_ENDPOINT"]]) == 0
    virtuoso.timings["export_dumps_s"] = round(time.perf_counter() - t0, 2)
    nt = (tmp_path / "ofsted-kg.nt.gz").read_bytes()
    _same_graph(_triples(nt, ox.RdfFormat.N_TRIPLES),
                _triples(embedded_dumps["ofsted-kg.nt.gz"], ox.RdfFormat.N_TRIPLES))
    assert (tmp_path / "void.ttl").exists() and not list(tmp_path.glob(".*"))
