"""The Graph Store's default graph (the union of every graph) is what the /download/ dumps hold:
while they are of the store as it is, ``GET /rdf-graph-store?default`` sends the dump in the
asked format instead of running a CONSTRUCT of everything (nationally 24 s; at 150 x 10 past
any timeout). The same triples either way; its own ETag; the query again once they are stale."""
from __future__ import annotations

import gzip

import pyoxigraph as ox
import pytest

from tests.server.conftest import make_app

GSP = "/rdf-graph-store?default"


@pytest.fixture(scope="module")
def served(store_path, tmp_path_factory):
    """An app, the default graph it answers by the query before any dump exists (and that
    answer's ETag), then its dumps written once for the module."""
    folder = tmp_path_factory.mktemp("gsp") / "dumps"
    # a minute's query timeout, not the session's 2 s: the CONSTRUCT of everything takes 0.3 s on
    # a quiet machine and got 503 in 2 of 3 runs beside six busy loops
    application = make_app(store_path, DUMPS_DIR=str(folder), QUERY_TIMEOUT=60.0)
    client = application.test_client()
    asked = client.get(GSP, buffered=True, headers={"Accept": "text/turtle"})
    assert asked.status_code == 200 and from_engine(asked)
    union = triples(asked.data, ox.RdfFormat.TURTLE)
    assert len(union) > 10_000
    assert client.get("/download/").status_code == 200          # the dumps are written
    yield client, folder, union, asked.headers["ETag"]
    application.extensions["ofsted_kg"].pool.close()


def triples(body: bytes, fmt: ox.RdfFormat) -> set:
    return set(ox.parse(body, format=fmt))


def from_engine(response) -> bool:
    return "engine" in response.headers["Server-Timing"]


def test_the_default_graph_comes_from_a_current_dump_with_the_same_triples(served):
    client, folder, union, engine_tag = served
    dumped = client.get(GSP, buffered=True, headers={"Accept": "text/turtle"})
    assert dumped.status_code == 200 and not from_engine(dumped)
    assert dumped.headers["Content-Type"].startswith("text/turtle")
    assert int(dumped.headers["Content-Length"]) == (folder / "ofsted-kg.ttl").stat().st_size
    assert triples(dumped.data, ox.RdfFormat.TURTLE) == union
    assert dumped.headers["ETag"] != engine_tag                 # other bytes, another tag
    again = client.get(GSP, buffered=True, headers={"Accept": "text/turtle", "If-None-Match": dumped.headers["ETag"]})
    assert again.status_code == 304

    jsonld = client.get(GSP, buffered=True, headers={"Accept": "application/ld+json"})
    assert not from_engine(jsonld) and triples(jsonld.data, ox.RdfFormat.JSON_LD) == union


def test_n_triples_go_gzipped_to_a_client_that_takes_gzip_and_unzipped_to_others(served):
    client, _, union, _ = served
    zipped = client.get(GSP, buffered=True, headers={"Accept": "application/n-triples", "Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and not from_engine(zipped)
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert triples(gzip.decompress(zipped.data), ox.RdfFormat.N_TRIPLES) == union
    plain = client.get(GSP, buffered=True, headers={"Accept": "application/n-triples", "Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and not from_engine(plain)
    assert triples(plain.data, ox.RdfFormat.N_TRIPLES) == union
    assert plain.headers["ETag"] != zipped.headers["ETag"]      # other bytes, another tag


def test_trig_is_the_turtle_dump_and_rdf_xml_is_converted_from_the_n_triples_dump(served):
    client, folder, union, _ = served
    trig = client.get(GSP, buffered=True, headers={"Accept": "application/trig"})
    assert trig.status_code == 200 and not from_engine(trig)
    assert trig.headers["Content-Type"].startswith("application/trig")
    assert trig.data == (folder / "ofsted-kg.ttl").read_bytes()
    assert triples(trig.data, ox.RdfFormat.TRIG) == union         # every triple in its default graph
    xml = client.get(GSP, buffered=True, headers={"Accept": "application/rdf+xml", "Accept-Encoding": "gzip"})
    assert xml.status_code == 200 and not from_engine(xml)
    assert "Content-Encoding" not in xml.headers                 # converted, never the .gz bytes
    assert triples(xml.data, ox.RdfFormat.RDF_XML) == union
    again = client.get(GSP, buffered=True, headers={"Accept": "application/rdf+xml",
                                                    "If-None-Match": xml.headers["ETag"]})
    assert again.status_code == 304 and xml.headers["ETag"] != trig.headers["ETag"]


def test_a_conversion_the_client_leaves_stops(served):
    """Closing the response half way (a client that goes away) ends the converting thread; one
    conversion runs at a time."""
    import time

    from server.graphdump import CHUNK, QUEUED

    client, _, union, _ = served
    response = client.get(GSP, buffered=False, headers={"Accept": "application/rdf+xml"})
    body = iter(response.response)
    first = next(body)
    assert len(first) >= CHUNK and first.lstrip().startswith(b"<?xml")
    assert _converting()                                          # it has more to write:
    whole = len(ox.serialize((q.triple for q in union), format=ox.RdfFormat.RDF_XML))
    assert whole > 2 * (QUEUED + 2) * CHUNK                      # far more than it writes ahead
    second = client.get(GSP, buffered=True, headers={"Accept": "application/rdf+xml"})
    assert second.status_code == 503 and second.headers["Retry-After"] == "30"   # one at a time
    assert "/download/" in second.get_data(as_text=True)
    response.close()
    deadline = time.monotonic() + 30
    while _converting() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _converting()
    # its place was given back, and a HEAD (a body never read) gives its own back too
    from werkzeug.test import EnvironBuilder
    environ = EnvironBuilder(path="/rdf-graph-store", query_string="default", method="HEAD",
                             headers={"Accept": "application/rdf+xml"}).get_environ()
    body = client.application(environ, lambda status, headers: None)
    body.close()
    body.close()                       # a server and a wrapper may both close: given back once
    assert client.head(GSP, buffered=True, headers={"Accept": "application/rdf+xml"}).status_code == 200
    assert not _converting()


def _converting() -> bool:
    import threading
    return any(t.name == "ofsted-kg-graph-convert" and t.is_alive() for t in threading.enumerate())


def test_stale_dumps_run_the_query(served):
    """(Last: it leaves the module's dumps stale.)"""
    client, folder, _, engine_tag = served
    stamp = folder / ".stamp"
    stamp.write_text("another-state " + stamp.read_text().split(" ", 1)[1])
    stale = client.get(GSP, buffered=True, headers={"Accept": "text/turtle"})
    # the query's answer again (kept by the result cache since the module's first request)
    assert stale.status_code == 200 and stale.headers["ETag"] == engine_tag
