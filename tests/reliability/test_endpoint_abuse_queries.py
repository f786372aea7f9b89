"""Endpoint abuse against a real server on 127.0.0.1, through the SPARQL endpoint: every attack
is refused cleanly.

The families of attacks: size limits, explosive, regex and cartesian-product queries, updates,
LOAD and SERVICE without the token, wrong tokens, and other methods and bodies on /sparql. The
server, the store and the tally are shared with test_endpoint_abuse_pages.py (tests/reliability/
abuse.py and conftest.py); the tally is printed at the end::

    endpoint abuse (endpoint_abuse_queries): N attacks, N refused cleanly
"""
from __future__ import annotations

import threading
import time

import pytest
import requests

from tests.reliability.abuse import ASK, MAX_BYTES, serve_attacked

pytestmark = pytest.mark.usefixtures("abuse_site_still_serving")

BOMB_TIMEOUT = 0.5             # the query timeout of the server the query bombs go to
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def bomb_site(altered_store):
    """A second server on the same store with a short query timeout, for the query bombs: most
    are stopped by the timeout, and a bound of 0.5 s is tested as well as one of 2 s, without
    waiting 2 s for each bomb."""
    url, _, stop = serve_attacked(altered_store, QUERY_TIMEOUT=BOMB_TIMEOUT)
    yield url
    stop()


# -- size limits ----------------------------------------------------------------------------

def test_size_limits(abuse_site, abuse_tally):
    big_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * MAX_BYTES
    endpoint = abuse_site + "/sparql"
    abuse_tally.check("GET query over the limit", requests.get(endpoint, params={"query": big_query}), (413,))
    abuse_tally.check("POST sparql-query body over the limit",
                      requests.post(endpoint, data=big_query.encode(),
                                    headers={"Content-Type": "application/sparql-query"}), (413,))
    abuse_tally.check("POST form body over the limit", requests.post(endpoint, data={"query": big_query}), (413,))
    abuse_tally.check("POST update body over the limit",
                      requests.post(endpoint, data=("INSERT DATA {} #" + "x" * MAX_BYTES).encode(),
                                    headers={"Content-Type": "application/sparql-update"}), (413,))
    # 4 MiB announced by Content-Length: refused before the body is read
    try:
        r = requests.post(endpoint, data=b"#" * (4 << 20), headers={"Content-Type": "application/sparql-query"},
                          timeout=30)
        abuse_tally.check("POST 4 MiB body", r, (413,))
    except requests.ConnectionError as exc:        # the server may close without reading it all
        abuse_tally.record("POST 4 MiB body", "reset" in str(exc).lower() or "broken pipe" in str(exc).lower(),
                           str(exc))

    def chunks():
        for _ in range(64):
            yield b"#" * 16384
    try:
        r = requests.post(endpoint, data=chunks(), headers={"Content-Type": "application/sparql-query"},
                          timeout=30)
        abuse_tally.check("POST chunked 1 MiB body (no Content-Length)", r, (411, 413))
    except requests.ConnectionError as exc:
        abuse_tally.record("POST chunked 1 MiB body (no Content-Length)",
                           "reset" in str(exc).lower() or "broken pipe" in str(exc).lower(), str(exc))
    # a URL with a huge query string of many parameters
    r = requests.get(endpoint, params={"query": ASK, **{f"p{i}": "x" for i in range(2000)}})
    abuse_tally.check("GET with 2000 extra parameters", r, (200, 413, 414, 431))
    assert not abuse_tally.failures("POST") and not abuse_tally.failures("GET"), abuse_tally.failures()


# -- explosive queries ---------------------------------------------------------------------

def _timed(fn):
    t = time.perf_counter()
    r = fn()
    return r, time.perf_counter() - t


def test_explosive_query_is_stopped_while_others_are_served(abuse_site, abuse_tally):
    endpoint = abuse_site + "/sparql"
    result = {}

    def bomb():
        result["bomb"] = _timed(lambda: requests.get(endpoint, params={"query": EXPLOSIVE}, timeout=60))
    t = threading.Thread(target=bomb)
    t.start()
    time.sleep(0.2)
    others = []
    while t.is_alive() and len(others) < 200:
        r, took = _timed(lambda: requests.get(endpoint, params={"query": ASK}, timeout=30))
        others.append((r.status_code, took))
    t.join(60)
    r, took = result["bomb"]
    abuse_tally.check("four-way cartesian COUNT", r, (503,))
    # outcomes only: how fast they were answered is measured in bench/abuse.py
    abuse_tally.record("other clients served during the bomb",
                       bool(others) and all(s == 200 for s, d in others), str(others[:5]))
    assert not abuse_tally.failures("four-way") and not abuse_tally.failures("other clients"), abuse_tally.failures()


BOMBS = {
    "regex (a+)+$ over every literal":
        'SELECT * WHERE { ?s ?p ?o FILTER(isLiteral(?o) && REGEX(?o, "(a+)+$")) }',
    "regex (a+)+$ over long a-runs":
        'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isLiteral(?o) && '
        'REGEX(CONCAT(STR(?o), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"), "(a+)+$")) }',
    "regex with a huge compiled size":
        'SELECT * WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), "((((a{100}){100}){100}){100})")) }',
    "regex that does not compile":
        'SELECT * WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), "(((")) }',
    "three-way cartesian SELECT (streamed, cut at the row limit)":
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "cartesian SELECT with ORDER BY (materialised)":
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i",
    "cartesian CONSTRUCT":
        "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }",
    "cartesian DISTINCT":
        "SELECT DISTINCT ?c ?f ?i WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "property-path closure over everything":
        "SELECT (COUNT(*) AS ?n) WHERE { ?x (<urn:p>|!<urn:p>)* ?y }",
    "nested GROUP_CONCAT of a cartesian product":
        'SELECT (STRLEN(GROUP_CONCAT(CONCAT(STR(?c), STR(?f)))) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }',
    "string blow-up with REPLACE":
        'SELECT (STRLEN(REPLACE(REPLACE(REPLACE(STR(?o), "", "xxxxxxxxxx"), "", "xxxxxxxxxx"), '
        '"", "xxxxxxxxxx")) AS ?n) WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }',
    "deeply nested sub-selects":
        "SELECT * WHERE { " * 60 + "?s ?p ?o " + "} " * 60,
}


# A query that needs more heap than QUERY_MEMORY_MB kills its worker (the server carries on),
# but the client gets 500: the pool cannot yet tell "out of memory" (a 503, the query's fault)
# from an engine crash (a 500), since both end the worker with SIGABRT.


@pytest.mark.parametrize("name", list(BOMBS))
def test_query_bombs_are_bounded(bomb_site, abuse_tally, name):
    r, took = _timed(lambda: requests.get(bomb_site + "/sparql", params={"query": BOMBS[name]}, timeout=60))
    abuse_tally.check(name, r, (200, 400, 503))
    assert r.status_code in (200, 400, 503), r.text[:300]
    after = requests.get(bomb_site + "/sparql", params={"query": ASK}, timeout=30)
    assert after.status_code == 200 and after.json()["boolean"] is True


# -- updates, LOAD, SERVICE ----------------------------------------------------------------

UPDATES = {
    "INSERT DATA by form": ("form", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
    "DROP ALL by sparql-update": ("body", "DROP ALL"),
    "LOAD a remote document": ("body", "LOAD <http://127.0.0.1:9/evil.ttl>"),
    "LOAD a local file": ("body", "LOAD <file:///etc/passwd>"),
    "CLEAR DEFAULT": ("form", "CLEAR DEFAULT"),
}


@pytest.mark.parametrize("name", list(UPDATES))
def test_updates_are_refused_without_the_token(abuse_site, abuse_tally, name):
    how, text = UPDATES[name]
    if how == "form":
        r = requests.post(abuse_site + "/sparql", data={"update": text})
    else:
        r = requests.post(abuse_site + "/sparql", data=text.encode(),
                          headers={"Content-Type": "application/sparql-update"})
    abuse_tally.check(name, r, (403,))
    assert r.status_code == 403
    assert "Access-Control-Allow-Origin" not in r.headers


def test_update_by_get_and_update_in_query(abuse_site, abuse_tally):
    abuse_tally.check("update by GET", requests.get(abuse_site + "/sparql", params={"update": "DROP ALL"}), (400, 403))
    abuse_tally.check("update text sent as a query",
                      requests.get(abuse_site + "/sparql", params={"query": "DROP ALL"}), (400,))
    abuse_tally.check("query and update together",
                      requests.post(abuse_site + "/sparql", data={"query": ASK, "update": "DROP ALL"}), (400, 403))
    assert not abuse_tally.failures("update"), abuse_tally.failures()


SERVICES = {
    "SERVICE": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "service in lower case, no space": "SELECT * WHERE { service<http://127.0.0.1:9/sparql>{ ?s ?p ?o } }",
    "SERVICE SILENT after a comment": "SELECT * WHERE { # hi\n SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SERVICE with a variable": "SELECT * WHERE { VALUES ?e { <http://127.0.0.1:9/> } SERVICE ?e { ?s ?p ?o } }",
    "SERVICE by POST body": "SELECT * WHERE { SeRvIcE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SERVICE after an escaped quote in a prefixed name":
        "PREFIX ex: <http://x/> SELECT * WHERE { BIND(ex:a\\' AS ?z) SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } #'",
    "SERVICE as codepoint escapes": "SELECT * WHERE { \\u0053\\u0045RVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SERVICE in a nested subquery":
        "SELECT * WHERE { { SELECT * WHERE { OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } } }",
    "thousands of nested groups by POST": "SELECT * WHERE " + "{" * 1500 + "}" * 1500,
}


@pytest.mark.parametrize("name", list(SERVICES))
def test_service_is_refused(abuse_site, abuse_tally, name):
    if "POST" in name:
        r = requests.post(abuse_site + "/sparql", data=SERVICES[name].encode(),
                          headers={"Content-Type": "application/sparql-query"})
    else:
        r = requests.get(abuse_site + "/sparql", params={"query": SERVICES[name]})
    expected = 400 if "nested groups" in name else 403
    abuse_tally.check(name, r, (expected,))
    assert r.status_code == expected


def test_wrong_tokens_are_refused_when_updates_are_on(altered_store, abuse_tally):
    url, _, stop = serve_attacked(altered_store, ALLOW_UPDATE=True, UPDATE_TOKEN="s3cret-token", QUERY_PROCESSES=1)
    try:
        for name, headers in {"update without a token": {},
                              "update with a wrong token": {"Authorization": "Bearer guess"},
                              "update with the token as Basic": {"Authorization": "Basic s3cret-token"},
                              "update with an empty bearer": {"Authorization": "Bearer "}}.items():
            r = requests.post(url + "/sparql", data=b"DROP ALL",
                              headers={"Content-Type": "application/sparql-update", **headers})
            abuse_tally.check(name, r, (401,))
        r2 = requests.post(url + "/sparql", data=b"INSERT { <urn:a> <urn:b> ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                           headers={"Content-Type": "application/sparql-update",
                                    "Authorization": "Bearer s3cret-token"}, timeout=30)
        abuse_tally.check("SERVICE in an update with the token", r2, (403,))
    finally:
        stop()
    assert not abuse_tally.failures("update with") and not abuse_tally.failures("SERVICE in"), abuse_tally.failures()


# -- methods and bodies on /sparql ---------------------------------------------------------

def test_method_abuse(abuse_site, abuse_tally):
    for method in ("PUT", "DELETE", "PATCH", "TRACE"):
        r = requests.request(method, abuse_site + "/sparql", data=b"DROP ALL")
        abuse_tally.check(f"{method} /sparql", r, (405,))
    abuse_tally.check("POST /sparql with text/plain", requests.post(abuse_site + "/sparql", data=b"ASK {}",
                                                                    headers={"Content-Type": "text/plain"}), (415,))
    abuse_tally.check("POST /sparql body not UTF-8", requests.post(
        abuse_site + "/sparql", data=b"ASK { \xff\xfe }", headers={"Content-Type": "application/sparql-query"}), (400,))
    abuse_tally.check("POST /sparql unknown charset", requests.post(
        abuse_site + "/sparql", data=b"ASK {}", headers={"Content-Type": "application/sparql-query; charset=x-nope"}),
        (400,))
    abuse_tally.check("default-graph-uri not an IRI", requests.get(
        abuse_site + "/sparql", params={"query": ASK, "default-graph-uri": "<bad iri>"}), (400,))
    assert not abuse_tally.failures("PUT") and not abuse_tally.failures("POST /sparql"), abuse_tally.failures()
