"""core.local: a canned query's job that was short the last time runs in the web worker itself
(Server-Timing says where), with the same answer as a query worker gives; a client's SPARQL
never does; and the web worker's own store follows the store's changes."""
from __future__ import annotations

import shutil
import uuid

import pyoxigraph as ox
import pytest

from core import lock
from core.local import LocalRunner
from core.worker import Job
from tests.server.conftest import make_app


#: the module app's line between short and slow jobs: far above any canned query's time even on a
#: loaded machine (at the default 50 ms, neighbour-grades once took longer under load and its second
#: answer came from a query worker); the line itself is tested with an app of its own below
LINE_MS = 60_000.0


@pytest.fixture(scope="module")
def app(store_path):
    application = make_app(store_path, RESULT_CACHE_MB=0, CLIENT_QUERIES=0, LOCAL_QUERY_MS=LINE_MS)
    yield application
    application.extensions["ofsted_kg"].pool.close()


def where(response) -> str:
    """The engine entry's description in the answer's Server-Timing header."""
    header = response.headers["Server-Timing"]
    return header.split('engine;dur=')[1].split('desc="')[1].split('"')[0]


def test_a_short_canned_job_runs_in_the_web_worker_the_second_time(app):
    client = app.test_client()
    # words no other request sends: a job this app has not seen
    path = f"/queries/plan-actions-kpis.json?words={uuid.uuid4()}"
    first, second, third = client.get(path), client.get(path), client.get(path)
    assert [r.status_code for r in (first, second, third)] == [200, 200, 200]
    assert where(first) == "1 SPARQL query"                      # not seen yet: a query worker
    assert where(second) == where(third) == "1 SPARQL query, 1 in the web worker"
    assert first.data == second.data == third.data


def test_the_same_answer_either_way_for_every_canned_query(app, store_path):
    from core.canned import load_all
    client = app.test_client()
    for q in load_all().values():
        values = {p.name: p.example for p in q.params if p.example is not None}
        first, second = client.get(f"/queries/{q.name}.json", query_string=values), \
            client.get(f"/queries/{q.name}.json", query_string=values)
        assert first.status_code == second.status_code == 200, q.name
        assert "in the web worker" in where(second), q.name       # the same job, now run here
        assert first.data == second.data, q.name


def test_a_clients_sparql_never_runs_in_the_web_worker(app):
    from core.canned import get
    client = app.test_client()
    text = get("grade-distribution").sparql        # our own text, but sent by a client
    answers = [client.get("/sparql", query_string={"query": text}) for _ in range(3)]
    assert all(r.status_code == 200 for r in answers)
    assert all("web worker" not in where(r) for r in answers)


def test_a_job_slower_than_the_line_stays_with_the_query_workers(store_path):
    application = make_app(store_path, RESULT_CACHE_MB=0, CLIENT_QUERIES=0, LOCAL_QUERY_MS=0.0001)
    try:
        client = application.test_client()
        answers = [client.get("/queries/judgements.json") for _ in range(3)]
        assert all(r.status_code == 200 and "web worker" not in where(r) for r in answers)
    finally:
        application.extensions["ofsted_kg"].pool.close()


def test_the_setting_off_keeps_every_query_with_the_query_workers(store_path):
    application = make_app(store_path, RESULT_CACHE_MB=0, CLIENT_QUERIES=0, LOCAL_QUERY_MS=0.0)
    try:
        assert application.extensions["ofsted_kg"].local is None
        client = application.test_client()
        answers = [client.get("/queries/judgements.json") for _ in range(3)]
        assert all(r.status_code == 200 and "web worker" not in where(r) for r in answers)
    finally:
        application.extensions["ofsted_kg"].pool.close()


def test_the_local_store_follows_a_write(store_path, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(store_path, copy)
    runner = LocalRunner(str(copy), fast_ms=1000)
    count = Job("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x:local> { ?s ?p ?o } }", format="json")
    assert b'"value":"0"' in runner.run(count).body
    store = ox.Store(str(copy))                     # a writer, as an update through the server
    with lock.write_lock(str(copy)):
        store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"),
                          ox.NamedNode("urn:x:local")))
        store.flush()
        lock.bump_generation(str(copy))
    del store
    assert b'"value":"1"' in runner.run(count).body
    runner.close()


def test_no_query_of_the_servers_own_calls_another_endpoint():
    # they may run in the web worker, where nothing would stop it (canned queries are checked
    # as they load: tests/server/test_canned.py)
    from pathlib import Path

    from core.canned import calls_out
    from core.lexer import tokens
    texts = sorted((Path(__file__).resolve().parents[2] / "server" / "queries").glob("*.rq"))
    assert len(texts) >= 5
    assert [t.name for t in texts if calls_out(tokens(t.read_text(encoding="utf-8")))] == []
