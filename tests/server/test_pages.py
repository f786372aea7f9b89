"""Linked-data pages over real HTTP: 303s, entity pages and their RDF twins, ontology, shapes,
home, headers."""
from __future__ import annotations

import pytest
import rdflib
import requests

from .sample_queries import BRISTOL, OFS

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_thing_303s_to_its_document(live):
    r = requests.get(live.url + "/id/authority/E06000023", allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/doc/authority/E06000023")


def test_following_the_303_gives_html_for_browsers(live):
    r = requests.get(live.url + "/id/authority/E06000023", headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.history[0].status_code == 303
    assert r.headers["Content-Type"].startswith("text/html")
    html = r.text
    assert "<h1>Bristol City Council</h1>" in html
    assert 'href="/def#LocalAuthority"' in html                       # type, linked locally
    assert "Linked from" in html and "/id/inspection/E06000023/" in html   # incoming links
    assert "Provenance" in html and "/id/document/" in html            # source document graph
    assert '<link rel="alternate" type="text/turtle" href="/doc/authority/E06000023.ttl"' in html
    assert 'rel="alternate"' in r.headers["Link"]


@pytest.mark.parametrize("accept, suffix, parse_as, media_type", [
    ("text/turtle", "ttl", "turtle", "text/turtle"),
    ("application/ld+json", "jsonld", "json-ld", "application/ld+json"),
    ("application/n-triples", "nt", "nt", "application/n-triples"),
    ("application/rdf+xml", "rdf", "xml", "application/rdf+xml"),
])
def test_rdf_twins_by_accept_and_suffix(live, accept, suffix, parse_as, media_type):
    by_accept = requests.get(live.url + "/id/authority/E06000023", headers={"Accept": accept})
    by_suffix = requests.get(f"{live.url}/doc/authority/E06000023.{suffix}")
    for r in (by_accept, by_suffix):
        assert r.status_code == 200
        assert r.headers["Content-Type"].split(";")[0] == media_type
        g = rdflib.Graph().parse(data=r.content, format=parse_as)
        assert (rdflib.URIRef(BRISTOL), rdflib.RDF.type, rdflib.URIRef(OFS + "LocalAuthority")) in g
        assert (rdflib.URIRef(BRISTOL), rdflib.RDFS.label, rdflib.Literal("Bristol City Council", lang="en")) in g


def test_unknown_entity_is_404(live):
    r = requests.get(live.url + "/doc/authority/E99999999", headers={"Accept": BROWSER})
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("text/html")
    assert requests.get(live.url + "/doc/authority/E99999999.ttl").status_code == 404


def test_entity_page_406(live):
    assert requests.get(live.url + "/doc/authority/E06000023", headers={"Accept": "image/png"}).status_code == 406


def test_inspection_page_links_judgements_with_provenance(live):
    r = requests.get(live.url + "/doc/inspection/E06000023/sif/2014-09-30", headers={"Accept": BROWSER})
    assert r.status_code == 200
    assert "/id/authority/E06000023" in r.text
    assert "/judgement/" in r.text


def test_ontology_page(live):
    r = requests.get(live.url + "/def", headers={"Accept": BROWSER})
    assert r.status_code == 200
    assert 'id="LocalAuthority"' in r.text
    assert "Domain:" in r.text and "Range:" in r.text
    g = rdflib.Graph().parse(data=requests.get(live.url + "/def.ttl").text, format="turtle")
    assert (rdflib.URIRef(OFS + "LocalAuthority"), rdflib.RDF.type, rdflib.OWL.Class) in g
    g2 = rdflib.Graph().parse(data=requests.get(live.url + "/def", headers={"Accept": "text/turtle"}).text,
                              format="turtle")
    assert len(g2) == len(g)


def test_concept_pages(live):
    r = requests.get(live.url + "/def/area/care-leavers", headers={"Accept": BROWSER})
    assert r.status_code == 200 and "Care leavers" in r.text


def test_shapes_page(live):
    r = requests.get(live.url + "/shapes", headers={"Accept": BROWSER})
    assert r.status_code == 200
    assert "Targets:" in r.text
    g = rdflib.Graph().parse(data=requests.get(live.url + "/shapes.ttl").text, format="turtle")
    assert any(True for _ in g.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")))


def test_home_lists_endpoints_and_canned_queries(live):
    import queries
    r = requests.get(live.url + "/", headers={"Accept": BROWSER})
    assert r.status_code == 200
    assert "/sparql" in r.text and "/download/" in r.text and "/.well-known/void" in r.text
    for q in queries.load_all().values():
        assert q.title in r.text.replace("&#39;", "'").replace("&amp;", "&")


def test_security_headers_on_html(live):
    r = requests.get(live.url + "/", headers={"Accept": BROWSER})
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"


def test_script_in_data_is_escaped(client):
    with client.application.test_request_context():
        from flask import render_template
        html = render_template("entity.html", alternates=[], page={
            "iri": "https://example.org/x", "label": "<script>alert(1)</script>", "definition": None,
            "types": [], "properties": [], "incoming": [], "sources": [], "provenance": []})
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_base_iri_maps_to_this_server(store_path, tmp_path):
    from flask import render_template_string
    from .conftest import make_app
    app = make_app(store_path, BASE_IRI="https://data.example.gov.uk/ofsted/", QUERY_PROCESSES=1,
                   DUMPS_DIR=str(tmp_path))
    try:
        with app.test_request_context():
            assert render_template_string(
                "{{ 'https://data.example.gov.uk/ofsted/id/authority/E1'|href }}") == "/id/authority/E1"
        # data minted under the default base is not ours on this deployment: 404, not someone else's
        assert app.test_client().get("/doc/authority/E06000023.ttl").status_code == 404
    finally:
        app.extensions["ofsted_kg"].pool.close()


def test_behind_a_proxy_with_a_prefix(store_path, tmp_path):
    from .conftest import make_app
    app = make_app(store_path, PROXY_HOPS=1, QUERY_PROCESSES=1, DUMPS_DIR=str(tmp_path))
    try:
        r = app.test_client().get("/id/authority/E06000023", headers={
            "X-Forwarded-Proto": "https", "X-Forwarded-Host": "data.example.org",
            "X-Forwarded-Prefix": "/ofsted", "X-Forwarded-For": "203.0.113.9"})
        assert r.status_code == 303
        assert r.headers["Location"] in ("/ofsted/doc/authority/E06000023",
                                         "https://data.example.org/ofsted/doc/authority/E06000023")
        sd = app.test_client().get("/sparql", headers={"Accept": "application/n-triples",
                                                       "X-Forwarded-Proto": "https",
                                                       "X-Forwarded-Host": "data.example.org",
                                                       "X-Forwarded-Prefix": "/ofsted"})
        assert b"<https://data.example.org/ofsted/sparql>" in sd.data
    finally:
        app.extensions["ofsted_kg"].pool.close()


@pytest.mark.parametrize("path", ["/def.exe", "/shapes.foo", "/def.html.bak"])
def test_unknown_suffixes_are_404(live, path):
    assert requests.get(live.url + path).status_code == 404
