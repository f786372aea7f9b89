"""The SPARQL guard decides on tokens and parses, and the worker cannot reach the network.

Every attack here once got a SERVICE clause past a text check (issue 13): escapes in prefixed
names, codepoint escapes, comments, strings, case. Each is checked on the guard alone, then
end to end: a real listener on 127.0.0.1 counts the connections the server makes.
"""
from __future__ import annotations

import socket
import threading

import pytest
import requests

from server import guard
from core.pool import QueryPool
from core.worker import Job

NEST = 128

HIDDEN_SERVICES = {
    "escaped quote in a prefixed name": "PREFIX ex: <http://x/> SELECT * WHERE { BIND(ex:a\\' AS ?z) "
                                        "SERVICE <{url}> {{ ?s ?p ?o }} }} #'",
    "escaped parenthesis in a local name": "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:b\\( ?o . "
                                           "SERVICE <{url}> {{ ?s ?p ?o }} }} #)",
    "codepoint escape in the keyword": "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "long codepoint escape": "SELECT * WHERE {{ \\U00000053ervice <{url}> {{ ?s ?p ?o }} }}",
    "mixed case after a comment": "SELECT * WHERE {{ # x\n sErViCe SILENT <{url}> {{ ?s ?p ?o }} }}",
    "inside a subquery": "SELECT * WHERE {{ {{ SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }}",
    "after a long string holding a quote": "SELECT * WHERE {{ BIND('''it's''' AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "escaped percent and hash in a local name": "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:a\\#b ?o . "
                                                "SERVICE <{url}> {{ ?s ?p ?o }} }}",
}

HARMLESS = [
    'SELECT ?service WHERE { BIND("SERVICE <http://x/> {}" AS ?service) }',
    "SELECT * WHERE { <http://example.org/SERVICE> ?p ?o } # SERVICE <http://x/> { }",
    "PREFIX SERVICE: <http://x/> SELECT * WHERE { ?s SERVICE:p ?o }",
    "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:SERVICE ?o }",
    "SELECT ?SERVICE WHERE { ?SERVICE ?p 'a' . ?SERVICE ?q \"SERVICE\" }",
    "SELECT * WHERE { ?a ?b ?c FILTER(?a<?b && ?c>?d) } ORDER BY DESC(?a)",
]


def _fill(template: str, url: str) -> str:
    return template.replace("{url}", url).replace("{{", "{").replace("}}", "}") \
        if "{{" in template else template.replace("{url}", url)


@pytest.mark.parametrize("name", list(HIDDEN_SERVICES))
def test_a_hidden_service_is_found(name):
    verdict = guard.check_query(_fill(HIDDEN_SERVICES[name], "http://127.0.0.1:9/sparql"), NEST)
    assert verdict.status == 403 and "SERVICE" in verdict.message


@pytest.mark.parametrize("query", HARMLESS)
def test_the_word_service_elsewhere_is_allowed(query):
    assert guard.check_query(query, NEST).allowed


def test_every_canned_query_passes_the_guard():
    from queries import load_all
    canned = load_all()
    assert len(canned) >= 20
    for name, query in canned.items():
        assert guard.check_query(query.sparql, NEST).allowed, name


@pytest.mark.parametrize("text", [
    "SELECT * WHERE " + "{" * 3000 + "}" * 3000,
    "SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }",
    "SELECT * WHERE { ?s ?p " + "[ ?p " * 500 + "1" + " ]" * 500 + " }",
])
def test_deep_nesting_is_refused_before_any_worker(text):
    verdict = guard.check_query(text, NEST)
    assert verdict.status == 400 and "nests" in verdict.message


def test_updates_are_checked_on_their_parse_tree():
    service = "INSERT { <http://a/> <http://b/> ?o } WHERE { { OPTIONAL { SERVICE <http://z/> { ?s ?p ?o } } } }"
    assert guard.check_update(service, NEST).status == 403
    assert guard.check_update("LOAD <http://127.0.0.1:9/x.ttl>", NEST).status == 403
    assert guard.check_update("LOAD <file:///etc/passwd> INTO GRAPH <urn:g>", NEST).status == 403
    assert guard.check_update("INSERT DATA { <http://a/> <http://b/> 1 } ; LOAD SILENT <http://evil/>",
                              NEST, ("http://ok/",)).status == 403
    assert guard.check_update("LOAD <http://ok/a.ttl>", NEST, ("http://ok/",)).allowed
    assert guard.check_update("INSERT DATA { <http://a/> <http://b/> 1 }", NEST).allowed
    assert guard.check_update("INSERT DATA { <http://a/> ", NEST).status == 400


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    item = Listener()
    yield item
    item.close()


@pytest.mark.parametrize("name", list(HIDDEN_SERVICES))
def test_the_endpoint_never_calls_out(endpoint, listener, name):
    query = _fill(HIDDEN_SERVICES[name], listener.url)
    for response in (requests.get(endpoint, params={"query": query}, timeout=30),
                     requests.post(endpoint, data=query.encode(), timeout=30,
                                   headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 403, response.text[:200]
    assert listener.hits == 0


def test_a_worker_cannot_reach_the_network_even_unchecked(store_path, listener):
    """The second lock: a SERVICE query handed straight to a worker fails without connecting."""
    pool = QueryPool(str(store_path), size=1, timeout=20)
    try:
        outcome = pool.run(Job(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
        assert outcome.status == "error" and "Permission denied" in outcome.message
        assert pool.run(Job("ASK { ?s ?p ?o }")).body.strip().endswith(b"true}")
    finally:
        pool.close()
    assert listener.hits == 0
