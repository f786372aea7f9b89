"""One result object per canned-query request, written by the format's renderer: the engine's
bytes of a whole result and the rows written again are the same JSON; every format reports the
same counts; kept bodies are served without the engine; the page shows its bound SPARQL."""
from __future__ import annotations

import csv
import io
import re

import pytest

from core.canned import load_all
from server.queryrender import with_timing
from tests.server.conftest import make_app

QUERIES = sorted(load_all())


def examples(name: str) -> dict:
    return {p.name: p.example for p in load_all()[name].params}


@pytest.mark.parametrize("name", QUERIES)
def test_whole_result_bytes_equal_rows_written_again(client, name):
    """``.json`` with no table parameter copies the worker's bytes; ``_size=max`` (the same rows)
    decodes them and writes them again: the results member must be byte for byte the same."""
    args = examples(name)
    whole = client.get(f"/queries/{name}.json", query_string=args)
    written = client.get(f"/queries/{name}.json", query_string={**args, "_size": "max"})
    assert whole.status_code == written.status_code == 200
    results = [r.get_data().split(b',"results":', 1)[1] for r in (whole, written)]
    assert results[0] == results[1]
    a, b = whole.get_json(), written.get_json()
    assert a["head"] == b["head"]
    assert a["query"]["table"] == b["query"]["table"]
    n = len(a["results"]["bindings"])
    assert a["query"]["table"]["rows"] == a["query"]["table"]["matched"] == n
    table = client.get(f"/queries/{name}.csv", query_string=args).get_data(as_text=True)
    header, *rows = list(csv.reader(io.StringIO(table)))
    assert header == a["head"]["vars"] and len(rows) == n


@pytest.mark.parametrize("bound", [True, False], ids=["examples", "nothing bound"])
@pytest.mark.parametrize("name", QUERIES)
def test_whole_csv_is_the_rows_written_again(client, name, bound):
    """``.csv`` with no table parameter is the worker's CSV (columns dropped, formula-like cells
    neutralised in bytes); ``_size=max`` writes the decoded rows again: byte for byte the same."""
    args = examples(name) if bound else {}
    whole = client.get(f"/queries/{name}.csv", query_string=args)
    written = client.get(f"/queries/{name}.csv", query_string={**args, "_size": "max"})
    if whole.status_code == 400:            # a required parameter: there is no unbound case
        assert not bound and written.status_code == 400
        return
    assert whole.status_code == written.status_code == 200
    assert whole.get_data() == written.get_data()
    assert whole.headers["Content-Disposition"] == f'attachment; filename="{name}.csv"'


def test_a_whole_csv_is_kept_as_the_worker_wrote_it(store_path):
    """The whole CSV never goes through decoded rows: it is kept (while the store is unchanged)
    as the worker's CSV and served again without the engine; the same rows asked as a table
    (``_size=max``) are a second, decoded result."""
    app = make_app(store_path)
    try:
        client = app.test_client()
        first = client.get("/queries/judgements.csv")
        assert first.status_code == 200 and "engine;" in first.headers["Server-Timing"]
        kept = app.extensions["ofsted_kg_rows"]
        assert len(kept) == 1
        again = client.get("/queries/judgements.csv", headers={"Cache-Control": "no-cache"})
        assert again.get_data() == first.get_data()
        assert client.get("/queries/judgements.csv", query_string={"_size": "max"}).status_code == 200
        assert len(kept) == 2
    finally:
        app.extensions["ofsted_kg"].pool.close()


def test_a_page_of_json_says_where_the_next_one_is(client):
    first = client.get("/queries/judgements.json", query_string={"_size": "3", "_sort": "authority"}).get_json()
    assert len(first["results"]["bindings"]) == 3 and first["query"]["table"]["size"] == 3
    following = first["query"]["table"]["next_url"]
    assert following.startswith("http://localhost/queries/judgements.json?") and "_next=3" in following
    second = client.get(following).get_json()
    assert second["query"]["table"]["offset"] == 3
    assert second["results"]["bindings"][0] != first["results"]["bindings"][0]


def test_a_kept_body_names_the_host_it_was_asked_on(client):
    """next_url is absolute: a body kept for one host is not given to another."""
    args = {"_size": "2"}
    here = client.get("/queries/judgements.json", query_string=args).get_json()
    there = client.get("/queries/judgements.json", query_string=args, base_url="http://mirror.example/")
    assert here["query"]["table"]["next_url"].startswith("http://localhost/queries/judgements.json?")
    assert there.get_json()["query"]["table"]["next_url"].startswith("http://mirror.example/queries/judgements.json?")


def test_kept_bodies_are_served_without_the_engine(app, client):
    service = app.extensions["ofsted_kg"]
    first = client.get("/queries/recommendations.csv", query_string={"_sort": "authority"})
    before = (service.cache.hits, service.cache.misses)
    again = client.get("/queries/recommendations.csv", query_string={"_sort": "authority"})
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    assert (service.cache.hits, service.cache.misses) == before


def test_the_page_shows_its_sparql_with_the_values_bound_and_its_timing(client):
    html = client.get("/queries/judgements", query_string={"framework_filter": "sif"}).get_data(as_text=True)
    sparql = html.split('<details class="sparql">', 1)[1]
    assert "VALUES (?framework_filter) { (&#34;sif&#34;) }" in sparql
    assert '<span class="timing"' in html and " ms</span>" in html


def test_a_page_asked_again_is_kept_with_its_own_timing(client):
    """The HTML page has an ETag like its twins: asked again it is the kept page, the same bytes
    but for the time this request took; If-None-Match gets 304; other arguments, another page."""
    args = {"framework_filter": "sif", "_sort": "authority"}
    first = client.get("/queries/judgements", query_string=args)
    again = client.get("/queries/judgements", query_string=args)
    assert first.status_code == again.status_code == 200 and first.headers["ETag"] == again.headers["ETag"]
    timing = re.compile(rb"<!--ms-->(\d+)<!--/ms--> ms</span>")
    assert timing.search(first.get_data()) and timing.search(again.get_data())
    assert timing.sub(b"", again.get_data()) == timing.sub(b"", first.get_data())
    assert b"Bristol" in again.get_data()
    unchanged = client.get("/queries/judgements", query_string=args, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    other = client.get("/queries/judgements", query_string={**args, "_sort": "grade"})
    assert other.headers["ETag"] != first.headers["ETag"]
    assert timing.sub(b"", other.get_data()) != timing.sub(b"", first.get_data())


def test_a_kept_page_shows_this_requests_time():
    page = b'<p><span class="timing"><!--ms-->412<!--/ms--> ms</span> &lt;!--ms--&gt;</p>'
    assert with_timing(page, 0.4) == b'<p><span class="timing"><!--ms-->0<!--/ms--> ms</span> &lt;!--ms--&gt;</p>'
    assert with_timing(b"<p>no timing</p>", 3.0) == b"<p>no timing</p>"
