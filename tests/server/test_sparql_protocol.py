"""The SPARQL 1.1 Protocol over real HTTP: one case per Accept / Content-Type, the ``format``
parameter, the request forms it accepts or refuses with 400/405/406/415, HEAD and CORS.

The dataset parameters and the service description are in test_sparql_protocol_dataset.py;
updates, SERVICE, LOAD, size and row limits, the timeout and an engine crash in
test_sparql_protocol_limits.py."""
from __future__ import annotations

import csv
import io

import pytest
import requests

from .sample_queries import ASK, BRISTOL, CONSTRUCT, SELECT


@pytest.mark.parametrize("accept, query, status, media_type", [
    (None, SELECT, 200, "application/sparql-results+json"),
    ("*/*", SELECT, 200, "application/sparql-results+json"),
    ("application/sparql-results+json", SELECT, 200, "application/sparql-results+json"),
    ("application/json", SELECT, 200, "application/sparql-results+json"),
    ("application/sparql-results+xml", SELECT, 200, "application/sparql-results+xml"),
    ("text/csv", SELECT, 200, "text/csv"),
    ("text/tab-separated-values", SELECT, 200, "text/tab-separated-values"),
    ("text/csv;q=0.5, text/tab-separated-values", SELECT, 200, "text/tab-separated-values"),
    ("text/*", SELECT, 200, "text/csv"),
    ("application/sparql-results+json;q=0, */*;q=0.1", SELECT, 200, "application/sparql-results+xml"),
    ("text/turtle", SELECT, 406, None),
    ("image/png", SELECT, 406, None),
    ("garbage", SELECT, 406, None),
    (None, ASK, 200, "application/sparql-results+json"),
    ("application/sparql-results+xml", ASK, 200, "application/sparql-results+xml"),
    (None, CONSTRUCT, 200, "text/turtle"),
    ("text/turtle", CONSTRUCT, 200, "text/turtle"),
    ("application/n-triples", CONSTRUCT, 200, "application/n-triples"),
    ("application/ld+json", CONSTRUCT, 200, "application/ld+json"),
    ("application/rdf+xml", CONSTRUCT, 200, "application/rdf+xml"),
    ("application/trig", CONSTRUCT, 200, "application/trig"),
    ("application/sparql-results+json", CONSTRUCT, 406, None),
    (None, "SELECT WHERE {", 400, "text/plain"),
])
def test_get_accept(endpoint, accept, query, status, media_type):
    headers = {"Accept": accept} if accept else {}
    r = requests.get(endpoint, params={"query": query}, headers=headers)
    assert r.status_code == status, r.text
    if media_type:
        assert r.headers["Content-Type"].split(";")[0] == media_type
    if status == 406:
        assert "available as" in r.text


def test_select_json_has_the_authorities(endpoint):
    r = requests.get(endpoint, params={"query": SELECT})
    rows = r.json()["results"]["bindings"]
    assert {"type": "uri", "value": BRISTOL} in [row["la"] for row in rows]
    assert r.json()["head"]["vars"] == ["la"]


def test_ask_is_true(endpoint):
    assert requests.get(endpoint, params={"query": ASK}).json() == {"head": {}, "boolean": True}


def test_csv_rows_match_json(endpoint):
    as_json = requests.get(endpoint, params={"query": SELECT}).json()["results"]["bindings"]
    as_csv = list(csv.DictReader(io.StringIO(requests.get(endpoint, params={"query": SELECT},
                                                          headers={"Accept": "text/csv"}).text)))
    assert [row["la"] for row in as_csv] == [b["la"]["value"] for b in as_json]


def test_parse_error_carries_the_parser_message(endpoint):
    r = requests.get(endpoint, params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert r.status_code == 400
    assert "error at 1:" in r.text


@pytest.mark.parametrize("fmt, media_type", [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
    ("text/csv", "text/csv"),
])
def test_format_parameter_beats_accept(endpoint, fmt, media_type):
    r = requests.get(endpoint, params={"query": SELECT, "format": fmt},
                     headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media_type


def test_unknown_format_parameter_is_406(endpoint):
    assert requests.get(endpoint, params={"query": SELECT, "format": "yaml"}).status_code == 406


@pytest.mark.parametrize("content_type, status", [
    ("application/x-www-form-urlencoded", 200),
    ("application/sparql-query", 200),
    ("application/sparql-query; charset=utf-8", 200),
    ("text/plain", 415),
    ("application/json", 415),
    (None, 415),
])
def test_post_content_types(endpoint, content_type, status):
    if content_type and content_type.startswith("application/x-www-form-urlencoded"):
        r = requests.post(endpoint, data={"query": SELECT})
    else:
        headers = {"Content-Type": content_type} if content_type else {}
        r = requests.post(endpoint, data=SELECT.encode(), headers=headers)
        if content_type is None:       # requests sends no Content-Type for bytes
            assert "Content-Type" not in r.request.headers
    assert r.status_code == status, r.text
    if status == 200:
        assert BRISTOL in r.text


def test_cors_on_reads(endpoint):
    r = requests.get(endpoint, params={"query": ASK}, headers={"Origin": "https://example.org"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    pre = requests.options(endpoint, headers={"Origin": "https://example.org",
                                              "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 200
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in pre.headers["Access-Control-Allow-Headers"]


def test_post_without_query_or_update_is_400(endpoint):
    assert requests.post(endpoint, data={"format": "json"}).status_code == 400


def test_other_methods_are_405(endpoint):
    r = requests.put(endpoint, data=b"x")
    assert r.status_code == 405 and "GET" in r.headers["Allow"]


# -- the protocol's other rules (issue 12) ---------------------------------------------------

def test_relative_iris_resolve_against_the_endpoint(endpoint):
    r = requests.get(endpoint, params={"query": "SELECT ?x WHERE { BIND(<relative> AS ?x) }"})
    assert r.json()["results"]["bindings"][0]["x"]["value"] == endpoint.rsplit("/", 1)[0] + "/relative"


def test_trailing_slash_is_the_endpoint(endpoint):
    r = requests.get(endpoint + "/", params={"query": ASK}, allow_redirects=False)
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_head_answers_like_get(endpoint):
    got = requests.get(endpoint, params={"query": SELECT})
    head = requests.head(endpoint, params={"query": SELECT})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Type"] == got.headers["Content-Type"]
    assert head.headers["ETag"] == got.headers["ETag"]
    assert requests.head(endpoint).headers["Content-Type"].startswith("text/turtle")


def test_406_says_it_varies_on_accept(endpoint):
    r = requests.get(endpoint, params={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "Accept" in r.headers["Vary"]


@pytest.mark.parametrize("params", [
    [("query", ASK), ("query", SELECT)],
    [("update", "CLEAR ALL"), ("update", "CLEAR ALL")],
])
def test_two_operations_are_400(endpoint, params):
    assert requests.get(endpoint, params=params).status_code == 400
    assert requests.post(endpoint, data=params).status_code in (400, 403)


def test_query_in_url_and_body_is_400(endpoint):
    r = requests.post(endpoint, params={"query": ASK}, data=ASK.encode(),
                      headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400


def test_a_query_string_that_is_not_utf8_is_400(endpoint):
    assert requests.get(endpoint + "?query=ASK%20%7B%7D%FF").status_code == 400
