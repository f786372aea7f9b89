"""The editor opened from a canned page: the query's text with the page's parameters bound as
terms in a VALUES block, which the endpoint answers exactly as the page does; share links;
no asset from outside the server."""
from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest

from queries import load_all
from server.sparqltext import NoGroup, outer_brace, with_values

QUERIES = sorted(load_all())


def examples(name: str) -> dict:
    return {p.name: p.example for p in load_all()[name].params if p.example}


def editor_config(client, **args) -> dict:
    html = client.get("/editor", query_string=args).get_data(as_text=True)
    found = re.search(r'<script type="application/json" id="editor-config">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


@pytest.mark.parametrize("name", QUERIES)
def test_editor_text_answers_like_the_page(client, name):
    args = examples(name)
    config = editor_config(client, canned=name, **args)
    text = config["first"]["query"]
    if load_all()[name].params and any(args.values()):
        assert "VALUES (" in text
    page = client.get(f"/queries/{name}.json", query_string=args).get_json()["results"]["bindings"]
    r = client.post("/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    ran = r.get_json()["results"]["bindings"]
    columns = page[0].keys() if page else ()
    assert [{c: row.get(c) for c in columns} for row in ran] == [{c: row.get(c) for c in columns} for row in page]


def test_open_in_editor_link_carries_the_parameters(client):
    html = client.get("/queries/inadequate-care-leavers-good-adoption",
                      query_string={"care_leavers_grade": "Inadequate", "adoption_grade": "Good"}).get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" class="open-editor">', html).group(1).replace("&amp;", "&")
    assert link.startswith("/editor?canned=inadequate-care-leavers-good-adoption")
    assert "care_leavers_grade=Inadequate" in link and "adoption_grade=Good" in link


def test_old_query_name_links_redirect_and_share_links_reopen(client):
    r = client.get("/editor", query_string={"query": "judgements", "authority_filter": "Bristol"})
    assert r.status_code == 302 and "canned=judgements" in r.headers["Location"]
    config = editor_config(client, query="SELECT (1 AS ?one) WHERE {}")
    assert config["first"]["query"] == "SELECT (1 AS ?one) WHERE {}" and config["run"] is True


def test_a_value_that_does_not_fit_is_said_and_never_spliced(client):
    r = client.get("/editor", query_string={"canned": "recommendations", "words": '" } ; DROP ALL ; #'})
    text = editor_config(client, canned="recommendations", words='" } ; DROP ALL ; #')["first"]["query"]
    assert r.status_code == 200
    assert 'VALUES (?words) { ("\\" } ; DROP ALL ; #") }' in text
    bad = client.get("/editor", query_string={"canned": "judgements", "authority_filter": "Atlantis"})
    assert bad.status_code == 400 and "no authority called" in bad.get_data(as_text=True)


def test_editor_page_loads_nothing_from_elsewhere(client):
    html = client.get("/editor", query_string={"canned": "judgements"}).get_data(as_text=True)
    assert not re.search(r'src="(https?:)?//|<link[^>]+href="(https?:)?//|url\((https?:)?//', html)
    assert "connect-src 'self'" in client.get("/editor").headers["Content-Security-Policy"]


def test_outer_brace_skips_iris_strings_and_comments():
    text = 'PREFIX a: <http://x/#{>\n# { not this\nSELECT ("{" AS ?b) WHERE { ?s ?p ?o }'
    assert text[outer_brace(text):].startswith("{ ?s")
    with pytest.raises(NoGroup):
        outer_brace("ASK # {")
    bound = with_values("SELECT * WHERE { ?s ?p ?o }", {ox.Variable("o"): ox.Literal('a"b\nc')})
    assert 'VALUES (?o) { ("a\\"b\\nc") }' in bound
