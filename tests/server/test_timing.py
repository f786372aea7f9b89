"""``Server-Timing``: every response says how long the app took, and one that ran queries how
long the engine took for them (server/timing.py), on a real server on 127.0.0.1."""
from __future__ import annotations

import re
import uuid

import requests

ENTRY = re.compile(r'(\w+);dur=([\d.]+)(?:;desc="([^"]*)")?')


def timings(response) -> dict[str, tuple[float, str | None]]:
    """The header's entries: name -> (milliseconds, description)."""
    header = response.headers["Server-Timing"]
    return {name: (float(ms), desc) for name, ms, desc in ENTRY.findall(header)}


def test_a_query_says_the_engine_time_within_the_app_time(endpoint):
    # a text no other test sends, so no result cache answers it
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER (STR(?s) != '{uuid.uuid4()}') }}"
    r = requests.get(endpoint, params={"query": query}, timeout=30)
    assert r.status_code == 200
    t = timings(r)
    engine, desc = t["engine"]
    assert desc == "1 SPARQL query"
    # the worker's evaluation happens while the app waits for it: strictly inside its time
    assert 0 < engine <= t["app"][0]


def test_an_answer_from_the_result_cache_runs_no_engine(endpoint):
    query = f"ASK {{ ?s ?p '{uuid.uuid4()}' }}"
    first = requests.get(endpoint, params={"query": query}, timeout=30)
    again = requests.get(endpoint, params={"query": query}, timeout=30)
    assert "engine" in timings(first)
    assert set(timings(again)) == {"app"}


def test_a_page_without_queries_says_only_the_app_time(live):
    r = requests.get(live.url + "/queries", timeout=30)
    assert r.status_code == 200
    assert set(timings(r)) == {"app"}


def test_a_canned_page_counts_each_query_it_ran(live):
    # a page of a flat table runs its own light queries (server/pagequery.py); words no other
    # test sends keep every cache out of it
    r = requests.get(live.url + "/queries/recommendations.json",
                     params={"words": f"plan {uuid.uuid4()}", "_size": "3"}, timeout=30)
    assert r.status_code == 200
    assert r.json()["results"]["bindings"] == []
    engine, desc = timings(r)["engine"]
    assert int(desc.split()[0]) >= 1 and engine <= timings(r)["app"][0]
