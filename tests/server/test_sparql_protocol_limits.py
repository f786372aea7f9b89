"""The SPARQL 1.1 Protocol over real HTTP: what the endpoint refuses or cuts. Updates, LOAD and
SERVICE (refused without the token, LOAD only from allowed prefixes), bodies over the size limit,
the result cap, the timeout and an engine crash."""
from __future__ import annotations

import shutil
import threading
import time

import pytest
import requests

from tests.live import POLL_INTERVAL, serve_app

from .conftest import MAX_QUERY_BYTES, RESULT_LIMIT, TIMEOUT, make_app
from .sample_queries import ASK, BRISTOL, EXPLOSIVE, SELECT


# -- limits ----------------------------------------------------------------------------------

def test_body_over_the_limit_is_413(endpoint):
    big = SELECT + " #" + "x" * (MAX_QUERY_BYTES + 10)
    assert requests.post(endpoint, data=big.encode(),
                         headers={"Content-Type": "application/sparql-query"}).status_code == 413
    assert requests.post(endpoint, data={"query": big}).status_code == 413
    assert requests.get(endpoint, params={"query": SELECT + " #" + "x" * MAX_QUERY_BYTES}).status_code == 413


def test_413_closes_the_connection_and_says_so(endpoint):
    """The HTTP server, not the app, decides whether the socket stays open after an unread
    body, and says so: werkzeug closes it with ``Connection: close``; gunicorn drains the body
    and keeps it (and sets the header itself, dropping any the app sets)."""
    with requests.Session() as session:
        r = session.post(endpoint, data=b"x" * (MAX_QUERY_BYTES + 10),
                         headers={"Content-Type": "application/sparql-query"})
        assert r.status_code == 413
        assert [v.strip() for v in r.headers["Connection"].split(",")] == ["close"]
        assert session.get(endpoint, params={"query": ASK}).json()["boolean"] is True


@pytest.fixture(scope="module")
def patient_endpoint(store_path):
    """A server like ``endpoint`` with a minute's query timeout, for a query over the whole store:
    a quarter of a second on a quiet machine, over a second beside three busy loops (pyoxigraph
    writes every row, then the result is cut), and 503 from the session server's 2 s timeout in
    2 of 4 runs beside six."""
    with serve_app(make_app(store_path, QUERY_TIMEOUT=60.0)) as server:
        yield server.url + "/sparql"


def test_result_cap_cuts_and_says_so(patient_endpoint):
    endpoint = patient_endpoint
    r = requests.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=120)
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == RESULT_LIMIT
    assert r.headers["X-SPARQL-MaxRows"] == str(RESULT_LIMIT)
    small = requests.get(endpoint, params={"query": SELECT})
    assert "X-SPARQL-MaxRows" not in small.headers


# -- refusals --------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["form", "direct"])
@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "LOAD <http://127.0.0.1:1/data.ttl>",
    "DROP ALL",
])
def test_updates_refused_on_read_only_server(endpoint, how, update):
    if how == "form":
        r = requests.post(endpoint, data={"update": update})
    else:
        r = requests.post(endpoint, data=update.encode(), headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    assert "Access-Control-Allow-Origin" not in r.headers
    assert requests.get(endpoint, params={"query": ASK}).json()["boolean"] is True


def test_update_by_get_is_refused(endpoint):
    assert requests.get(endpoint, params={"update": "DROP ALL"}).status_code == 400


def test_update_sent_as_a_query_is_a_parse_error(endpoint):
    assert requests.get(endpoint, params={"query": "DROP ALL"}).status_code == 400


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE\n<http://example.org/sparql> { ?s ?p ?o } }",
])
def test_service_is_refused(endpoint, query):
    r = requests.get(endpoint, params={"query": query})
    assert r.status_code == 403
    assert "SERVICE" in r.text


@pytest.mark.parametrize("query", [
    'SELECT ?service WHERE { BIND("SERVICE" AS ?service) }',
    "SELECT * WHERE { <http://example.org/SERVICE> ?p ?o } # SERVICE in a comment",
])
def test_the_word_service_elsewhere_is_fine(endpoint, query):
    assert requests.get(endpoint, params={"query": query}).status_code == 200


def test_updates_with_the_token(writable_live):
    url = writable_live.url + "/sparql"
    data = "INSERT DATA { <http://example.org/a> <http://example.org/b> \"new\" }"
    ask = 'ASK { <http://example.org/a> <http://example.org/b> "new" }'
    assert requests.post(url, data={"update": data}).status_code == 401
    assert requests.post(url, data={"update": data}, headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = requests.post(url, data={"update": data}, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 204, r.text
    assert requests.get(url, params={"query": ask}).json()["boolean"] is True
    sd = requests.get(url, headers={"Accept": "application/n-triples"}).text
    assert "SPARQL11Update" in sd


# -- timeout ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_explosive_query_times_out_and_others_are_served(endpoint):
    outcome = {}

    def explode():
        t = time.perf_counter()
        r = requests.get(endpoint, params={"query": EXPLOSIVE}, timeout=TIMEOUT + 20)
        outcome["status"], outcome["text"], outcome["seconds"] = r.status_code, r.text, time.perf_counter() - t

    bomb = threading.Thread(target=explode)
    bomb.start()
    threading.Event().wait(0.3)          # let the bomb take its worker first
    other = requests.get(endpoint, params={"query": SELECT}, timeout=TIMEOUT)
    bomb.join(TIMEOUT + 20)
    # outcomes only (a busy machine must not fail this): the latencies are in bench/pool.py
    assert other.status_code == 200 and BRISTOL in other.text
    assert outcome["status"] == 503, outcome
    assert "stopped after" in outcome["text"] and "/download/" in outcome["text"]
    # the killed worker is replaced: the server keeps answering, on every worker
    for _ in range(4):
        assert requests.get(endpoint, params={"query": ASK}, timeout=TIMEOUT + 5).json()["boolean"] is True


# a query that makes pyoxigraph 0.5 abort the process at once (a Rust panic in sort: "comparison
# function does not correctly implement a total order", on 50 literals of mixed types: integers,
# strings, decimals, language strings, dates); only its worker dies. It sorts inline values, so
# it crashes within milliseconds however busy the machine (sorting every literal of the store
# could outlast the query timeout first)
_MIXED = [(f"{i}", f'"{i}"', f'"{i}.5"^^<http://www.w3.org/2001/XMLSchema#decimal>', f'"x{i}"@en',
           f'"2020-01-{i % 28 + 1:02d}"^^<http://www.w3.org/2001/XMLSchema#date>')[i % 5] for i in range(50)]
ENGINE_CRASH = "SELECT ?o WHERE { VALUES ?o { " + " ".join(_MIXED) + " } } ORDER BY ?o"


def test_an_engine_crash_is_a_500_and_the_server_carries_on(endpoint):
    r = requests.get(endpoint, params={"query": ENGINE_CRASH}, timeout=TIMEOUT + 5)
    if r.status_code == 200:
        pytest.skip("this pyoxigraph no longer crashes on mixed-literal ORDER BY")
    assert r.status_code == 500
    assert "stopped unexpectedly" in r.text
    for _ in range(3):
        assert requests.get(endpoint, params={"query": ASK}, timeout=TIMEOUT + 5).json()["boolean"] is True


def _static_site(folder):
    """A plain HTTP file server on 127.0.0.1 (an operator's allowed LOAD source)."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, args=(POLL_INTERVAL,), daemon=True).start()
    return httpd


def test_load_fetches_only_from_allowed_prefixes(store_path, tmp_path):
    """Even with the token, LOAD is refused unless its source is under LOAD_ALLOWED_PREFIXES."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "extra.ttl").write_text('<http://example.org/x> <http://example.org/y> "loaded" .\n')
    httpd = _static_site(tmp_path / "site")
    allowed = f"http://127.0.0.1:{httpd.server_address[1]}/"
    copy = tmp_path / "store"
    shutil.copytree(store_path, copy)
    application = make_app(copy, ALLOW_UPDATE=True, UPDATE_TOKEN="s3cret", DUMPS_DIR=str(tmp_path / "d"),
                           LOAD_ALLOWED_PREFIXES=allowed)
    auth = {"Authorization": "Bearer s3cret", "Content-Type": "application/sparql-update"}
    ask = 'ASK { GRAPH <urn:extra> { <http://example.org/x> <http://example.org/y> "loaded" } }'
    try:
        with serve_app(application) as server:
            url = server.url + "/sparql"
            for source in ("http://127.0.0.1:9/evil.ttl", "file:///etc/passwd",
                           allowed.replace("127.0.0.1", "localhost") + "extra.ttl"):
                r = requests.post(url, data=f"LOAD <{source}> INTO GRAPH <urn:extra>".encode(), headers=auth)
                assert r.status_code == 403 and "LOAD" in r.text, (source, r.text[:200])
            assert requests.get(url, params={"query": ask}).json()["boolean"] is False
            r = requests.post(url, data=f"LOAD <{allowed}extra.ttl> INTO GRAPH <urn:extra>".encode(),
                              headers=auth)
            assert r.status_code == 204, r.text[:300]
            assert requests.get(url, params={"query": ask}).json()["boolean"] is True
    finally:
        application.extensions["ofsted_kg"].pool.close()
        httpd.shutdown()
