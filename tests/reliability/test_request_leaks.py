"""Nothing one request says reaches another user's answer (issue 13 item 7), on a real server.

The Host header never ends up in the stored dumps or descriptions: each response builds its
own links and says ``Cache-Control: no-store``, and with ``PUBLIC_URL`` set the Host is not
used at all. CSV downloads (canned queries and SPARQL results) neutralise cells a spreadsheet
would run as a formula; JSON keeps the text as it is. The store holds the corpus with one
recommendation altered to begin with a formula (the store the test_endpoint_abuse_*.py modules
serve too).
"""
from __future__ import annotations

import csv
import http.client
import io

import pytest
import requests

from tests.live import dumps_dir, serve_store
from tests.reliability.servers import FORMULA

EVIL = "forged-host.example"


@pytest.fixture(scope="module")
def store(altered_store):
    """The corpus, one recommendation of which begins with ``FORMULA``."""
    return altered_store


def _serve(store, **overrides):
    config = {"QUERY_TIMEOUT": 10, "QUERY_PROCESSES": 1,
              "DUMPS_DIR": str(dumps_dir(store, f"dumps-{len(overrides)}"))}
    return serve_store(store, **{**config, **overrides})


@pytest.fixture(scope="module")
def site(store):
    live = _serve(store)
    yield live
    live.stop()


def _get(live, path: str, host: str) -> tuple[int, dict, bytes]:
    """GET ``path`` with a forged Host header."""
    conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host)
        conn.endheaders()
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


DESCRIBED = ["/.well-known/void", "/catalog", "/download/void.ttl", "/download/catalog.ttl", "/sparql"]


def test_a_forged_host_stays_in_its_own_response(site):
    # the attacker asks first, so that the dumps and descriptions are written during its request
    for path in ["/download/", *DESCRIBED]:
        status, headers, body = _get(site, path, EVIL)
        assert status == 200, (path, body[:200])
        if path in DESCRIBED:
            assert EVIL.encode() in body, path            # its own answer may name its own host
            assert headers.get("Cache-Control") == "no-store", (path, headers)
    for path in DESCRIBED:
        r = requests.get(site.url + path, timeout=30)
        assert r.status_code == 200 and EVIL not in r.text, path
        assert f"127.0.0.1:{site.port}/sparql" in r.text, path
    folder = site.app.config["DUMPS_DIR"]
    import pathlib
    for f in pathlib.Path(folder).iterdir():
        if f.is_file() and not f.name.endswith(".gz"):
            assert EVIL.encode() not in f.read_bytes(), f.name


def test_a_host_that_makes_no_url_is_dropped_or_refused(site):
    for host in ('a b', 'x"><script>', "{evil}"):
        status, _, body = _get(site, "/.well-known/void", host)
        assert status in (200, 400), (host, status, body[:200])
        assert host.encode() not in body and b"<script>" not in body


def test_public_url_is_used_instead_of_the_host(store):
    live = _serve(store, PUBLIC_URL="https://data.example.org/kg")
    try:
        for path in DESCRIBED:
            status, headers, body = _get(live, path, EVIL)
            assert status == 200, path
            assert EVIL.encode() not in body, path
            assert b"https://data.example.org/kg/sparql" in body, path
            assert headers.get("Cache-Control") != "no-store", path
    finally:
        live.stop()


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_canned_query_csv_neutralises_formulas(site):
    r = requests.get(site.url + "/queries/recommendations.csv", params={"words": "HYPERLINK"}, timeout=30)
    assert r.status_code == 200
    cells = [c for row in _csv(r.text)[1:] for c in row]
    assert "'" + FORMULA + " the attendance of looked after children and reduce fixed term exclusions." in cells \
        or any(c.startswith("'" + FORMULA) for c in cells), cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells), cells
    data = requests.get(site.url + "/queries/recommendations.json", params={"words": "HYPERLINK"}, timeout=30).json()
    texts = [b[v]["value"] for b in data["results"]["bindings"] for v in b]
    assert any(t.startswith(FORMULA) for t in texts), texts      # JSON carries the text as it is


QUERY = """SELECT ?text ?n ?m WHERE {
  VALUES (?text ?n ?m) { ("=1+2" -3 "-2+3") ("@SUM(A1:A9)" 4 "+1.5") ("\\tcmd" 5 "plain") }
}"""


def test_sparql_csv_neutralises_formulas_but_keeps_numbers(site):
    r = requests.get(site.url + "/sparql", params={"query": QUERY}, headers={"Accept": "text/csv"}, timeout=30)
    assert r.status_code == 200
    assert _csv(r.text) == [["text", "n", "m"], ["'=1+2", "-3", "'-2+3"], ["'@SUM(A1:A9)", "4", "+1.5"],
                            ["'\tcmd", "5", "plain"]]
    j = requests.get(site.url + "/sparql", params={"query": QUERY}, timeout=30).json()
    assert [b["text"]["value"] for b in j["results"]["bindings"]] == ["=1+2", "@SUM(A1:A9)", "\tcmd"]
