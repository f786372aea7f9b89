"""The server on a remote store: ``STORE`` = Virtuoso's SPARQL endpoint, the corpus ingested into
it, against the same server on the embedded store.

Every canned query page (``.json``, defaults and example values; the whole ``.csv`` of four)
gives the same rows from both servers (multisets; blank-node labels ignored), an entity page
renders from Virtuoso, VoID counts come back, and SPARQLWrapper reads SPARQL JSON from the
remote-backed ``/sparql``.
"""
from __future__ import annotations

import csv
import io
import socket
import threading
from collections import Counter

import pytest
from werkzeug.serving import make_server

from tests.live import POLL_INTERVAL
from tests.remote.cases import canned_variants

pytestmark = pytest.mark.virtuoso


class _Live:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(POLL_INTERVAL,), daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)


def _app(store: str, tmp_path):
    from server import create_app
    return create_app({"STORE": store, "QUERY_TIMEOUT": 20.0, "QUERY_PROCESSES": 1,
                       "RESULT_LIMIT": 5000, "TESTING": True, "DUMPS_DIR": str(tmp_path)})


@pytest.fixture(scope="module")
def remote_app(virtuoso, remote_corpus, tmp_path_factory):
    application = _app(virtuoso.env["VIRTUOSO_QUERY_ENDPOINT"], tmp_path_factory.mktemp("rd"))
    yield application
    application.extensions["ofsted_kg"].pool.close()


@pytest.fixture(scope="module")
def embedded_app(corpus_store_path, tmp_path_factory):
    application = _app(str(corpus_store_path), tmp_path_factory.mktemp("ed"))
    yield application
    application.extensions["ofsted_kg"].pool.close()


def _cell(term: dict | None):
    if term is None:
        return None
    if term["type"] == "bnode":
        return ("bnode",)
    return (term["type"], term["value"], term.get("datatype"), term.get("xml:lang"))


def _rows(client, name: str, values: dict) -> tuple[list[str], Counter]:
    response = client.get(f"/queries/{name}.json", query_string=values)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    data = response.get_json()
    names = data["head"]["vars"]
    return names, Counter(tuple(_cell(row.get(n)) for n in names) for row in data["results"]["bindings"])


def test_remote_service_is_used(remote_app):
    service = remote_app.extensions["ofsted_kg"]
    assert service.remote and type(service.pool).__name__ == "RemoteRunner"


@pytest.mark.parametrize("name, values", list(canned_variants()))
def test_canned_query_pages_same_rows(name, values, remote_app, embedded_app):
    e_names, embedded = _rows(embedded_app.test_client(), name, values)
    r_names, remote = _rows(remote_app.test_client(), name, values)
    assert r_names == e_names
    assert remote == embedded


@pytest.mark.parametrize("name", ["judgements", "recommendations", "statistics", "latest-judgements"])
def test_whole_csv_same_rows(name, remote_app, embedded_app):
    """The whole CSV is the worker's (columns dropped, cells neutralised in bytes) on a remote
    store too: the same rows as the embedded store's."""
    def table(app):
        response = app.test_client().get(f"/queries/{name}.csv")
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        header, *rows = list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))
        return header, Counter(map(tuple, rows))
    e_header, embedded = table(embedded_app)
    r_header, remote = table(remote_app)
    assert r_header == e_header and "authority_filter" not in r_header
    assert remote == embedded and sum(remote.values()) > 0


def test_entity_page_renders(remote_app, remote_corpus):
    base = remote_app.config["BASE_IRI"] + "id/"
    iri = next(r["la"].value for r in remote_corpus.query(
        "PREFIX ofs: <https://w3id.org/ofsted-kg/def#> "
        "SELECT ?la WHERE { ?i ofs:inspectionOf ?la } ORDER BY ?la LIMIT 1"))
    assert iri.startswith(base)
    client = remote_app.test_client()
    page = client.get("/id/" + iri[len(base):], headers={"Accept": "text/html"}, follow_redirects=True)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Inspection" in html or "inspection" in html
    ttl = client.get("/id/" + iri[len(base):], headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert ttl.status_code == 200 and ttl.mimetype == "text/turtle" and iri in ttl.get_data(as_text=True)


def test_void_counts(remote_app):
    response = remote_app.test_client().get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert "void:triples" in response.get_data(as_text=True)


def test_sparqlwrapper_json(remote_app, embedded_app):
    from SPARQLWrapper import JSON, SPARQLWrapper
    sparql = ("PREFIX ofs: <https://w3id.org/ofsted-kg/def#> "
              "SELECT ?i ?la WHERE { ?i ofs:inspectionOf ?la } ORDER BY ?i ?la")
    answers = []
    for app in (remote_app, embedded_app):
        live = _Live(app)
        try:
            client = SPARQLWrapper(live.url + "/sparql")
            client.setQuery(sparql)
            client.setReturnFormat(JSON)
            data = client.query().convert()
        finally:
            live.stop()
        answers.append([(b["i"]["value"], b["la"]["value"]) for b in data["results"]["bindings"]])
    assert answers[0] and answers[0] == answers[1]


def test_syntax_error_is_400(remote_app):
    response = remote_app.test_client().get("/sparql", query_string={"query": "SELECT WHERE {"})
    assert response.status_code == 400


def test_unreachable_endpoint_stops_startup(tmp_path):
    from server.config import ConfigError
    with socket.socket() as sock:        # bound, never listening: refused, and no other process can take it
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        with pytest.raises(ConfigError):
            _app(f"http://127.0.0.1:{port}/sparql", tmp_path)
