"""The result cache and ETags: repeated questions are answered from memory, a changed store is
never answered from the old one (an UPDATE through the server, an ingest by another process),
and a client holding the current ETag gets 304."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from server.cache import ResultCache
from core.worker import Job, Outcome

from tests.conftest import corpus_files, ingest_into
from tests.live import serve_app

from .conftest import make_app

ROOT = Path(__file__).resolve().parents[2]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TOKEN = {"Authorization": "Bearer s3cret"}


def test_the_cache_is_bounded_and_keyed_by_stamp():
    cache = ResultCache(max_bytes=100, max_entry_bytes=60)
    jobs = [Job(f"ASK {{ <http://e/{i}> ?p ?o }}") for i in range(4)]
    for job in jobs[:3]:
        cache.put("s1", job, Outcome("ok", body=b"x" * 40))
    assert len(cache) == 2                                   # 120 bytes > 100: oldest evicted
    assert cache.get("s1", jobs[0]) is None and cache.get("s1", jobs[2]).body == b"x" * 40
    cache.put("s1", jobs[3], Outcome("ok", body=b"y" * 61))  # over the entry cap: not kept
    cache.put("s1", jobs[3], Outcome("syntax", message="bad"))   # failures are never kept
    assert cache.get("s1", jobs[3]) is None
    assert cache.get("s2", jobs[2]) is None and len(cache) == 0   # the store changed
    same_text_other_binding = Job(jobs[1].sparql, substitutions={"x": ox.Literal("a")})
    cache.put("s2", same_text_other_binding, Outcome("ok", body=b"a"))
    assert cache.get("s2", jobs[1]) is None
    assert cache.get("s2", Job(jobs[1].sparql, substitutions={"x": ox.Literal("a")})).body == b"a"


def test_repeats_come_from_the_cache_and_etags_give_304(corpus_store_copy, tmp_path):
    app = make_app(corpus_store_copy, ALLOW_UPDATE=True, UPDATE_TOKEN="s3cret", DUMPS_DIR=str(tmp_path / "d"))
    service = app.extensions["ofsted_kg"]
    try:
        with serve_app(app) as live:
            url = live.url + "/sparql"
            first = requests.get(url, params={"query": COUNT, "format": "json"})
            hits = service.cache.hits
            again = requests.get(url, params={"query": COUNT, "format": "json"})
            assert service.cache.hits == hits + 1
            assert again.content == first.content and again.headers["ETag"] == first.headers["ETag"]
            n = int(first.json()["results"]["bindings"][0]["n"]["value"])

            not_modified = requests.get(url, params={"query": COUNT, "format": "json"},
                                        headers={"If-None-Match": first.headers["ETag"]})
            assert not_modified.status_code == 304 and not_modified.content == b""
            other_format = requests.get(url, params={"query": COUNT, "format": "csv"})
            assert other_format.headers["ETag"] != first.headers["ETag"]

            update = "INSERT DATA { GRAPH <http://example.org/g> { <http://e/s> <http://e/p> 1 } }"
            assert requests.post(url, data={"update": update}, headers=TOKEN).status_code == 204
            after = requests.get(url, params={"query": COUNT, "format": "json"},
                                 headers={"If-None-Match": first.headers["ETag"]})
            assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
            # the triple inserted, less the derived graphs' two builtFrom marks the write removes
            # (core.flat.outdated_update: the canned queries read the documents until an ingest)
            assert int(after.json()["results"]["bindings"][0]["n"]["value"]) == n + 1 - 2

            kept = len(service.cache)
            assert requests.get(live.url + "/queries/judgements?_size=5").status_code == 200
            assert len(service.cache) == kept        # the rows cache keeps a canned result, once

            page = requests.get(live.url + "/queries/overview-counts.json")
            cached = requests.get(live.url + "/queries/overview-counts.json",
                                  headers={"If-None-Match": page.headers["ETag"]})
            assert page.status_code == 200 and cached.status_code == 304
    finally:
        service.pool.close()


@pytest.mark.slow
def test_an_ingest_by_another_process_is_seen_at_once(tmp_path):
    """A store holding all but one document; the server answers (and caches); the last one is
    ingested by the CLI while the server runs; the next answer counts it."""
    documents = [Path(p) for p in corpus_files()]
    held_back = next(p for p in documents if "gloucestershire" in p.name)
    store = ingest_into(tmp_path / "store", [str(p) for p in documents if p != held_back])
    ingest = [sys.executable, "-m", "ingest", "ingest", "--store", str(store)]
    app = make_app(store, DUMPS_DIR=str(tmp_path / "d"))
    try:
        with serve_app(app) as live:
            def inspections() -> dict[str, int]:
                rows = requests.get(live.url + "/queries/authorities.json",
                                    params={"name_words": "Gloucestershire"}).json()["results"]["bindings"]
                return {row["authority"]["value"]: int(row["inspections"]["value"]) for row in rows
                        if row["authority"]["value"] == "Gloucestershire County Council"}
            assert inspections() == {"Gloucestershire County Council": 0}
            misses = app.extensions["ofsted_kg"].cache.misses
            assert inspections() == {"Gloucestershire County Council": 0}
            # answered from a cache (the page's kept body), not by the engine
            assert app.extensions["ofsted_kg"].cache.misses == misses
            subprocess.run(ingest + [str(held_back)], check=True, capture_output=True, cwd=ROOT,
                           timeout=300)
            assert inspections() == {"Gloucestershire County Council": 1}
    finally:
        app.extensions["ofsted_kg"].pool.close()
