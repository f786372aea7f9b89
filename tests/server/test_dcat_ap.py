"""The catalogue and dataset descriptions against DCAT-AP 2.1.1 and 3, with SHACL shapes these
tests hold (tests/server/dcat_ap/, written from the specifications), checked by pyshacl on the
live ``/catalog`` and ``/.well-known/void`` and on the dumps' ``catalog.ttl`` and ``void.ttl``."""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
import rdflib.compare
import requests
from markupsafe import escape
from pyshacl import validate

SHAPES = Path(__file__).parent / "dcat_ap"
PROFILES = ("dcat-ap-2.1.1", "dcat-ap-3")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.DCTERMS
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


def shapes(profile: str) -> rdflib.Graph:
    g = rdflib.Graph().parse(SHAPES / "common.ttl", format="turtle")
    return g.parse(SHAPES / f"{profile}.ttl", format="turtle")


def check(data: rdflib.Graph, profile: str) -> tuple[bool, str]:
    conforms, _report, text = validate(data, shacl_graph=shapes(profile), inference="none",
                                       advanced=False, allow_warnings=False)
    return conforms, text


def fetch(url: str) -> rdflib.Graph:
    r = requests.get(url, headers={"Accept": "text/turtle"})
    assert r.status_code == 200, r.text
    return rdflib.Graph().parse(data=r.text, format="turtle")


@pytest.fixture(scope="module")
def written(live) -> str:
    """The dumps written (a catalogue gives their byte sizes once they exist)."""
    assert requests.get(live.url + "/download/").status_code == 200
    return live.url


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("path", ["/catalog", "/.well-known/void", "/download/catalog.ttl",
                                  "/download/void.ttl"])
def test_descriptions_meet_dcat_ap(written, profile, path):
    data = fetch(written + path)
    conforms, text = check(data, profile)
    assert conforms, text
    distributions = set(data.subjects(rdflib.RDF.type, DCAT.Distribution))
    assert len(distributions) == 4
    for dist in distributions:
        size = data.value(dist, DCAT.byteSize)
        assert size.datatype == rdflib.XSD.nonNegativeInteger and int(size) > 0


def test_catalogue_lists_its_dataset_and_services(written):
    g = fetch(written + "/catalog")
    catalog = g.value(predicate=rdflib.RDF.type, object=DCAT.Catalog)
    services = {str(s) for s in g.objects(catalog, DCAT.service)}
    assert services == {written + "/sparql#service", written + "/rdf-graph-store"}
    assert str(g.value(catalog, DCAT.dataset)) == written + "/.well-known/void#ofsted-kg"
    for dist in g.objects(g.value(catalog, DCAT.dataset), DCAT.distribution):
        name = str(dist).rsplit("/", 1)[1]
        expected = requests.head(written + "/download/" + name)
        assert int(g.value(dist, DCAT.byteSize)) == int(expected.headers["Content-Length"])


def test_modified_is_the_same_live_and_in_the_dump(written):
    live, dump = fetch(written + "/catalog"), fetch(written + "/download/catalog.ttl")
    dataset = rdflib.URIRef(written + "/.well-known/void#ofsted-kg")
    assert live.value(dataset, DCTERMS.modified) == dump.value(dataset, DCTERMS.modified)
    catalogue = rdflib.URIRef(written + "/catalog")
    assert live.value(catalogue, DCTERMS.modified) == live.value(dataset, DCTERMS.modified)


@pytest.mark.parametrize("profile", PROFILES)
def test_a_broken_catalogue_fails_on_the_right_shapes(written, profile):
    g = fetch(written + "/catalog")
    dist = next(g.subjects(rdflib.RDF.type, DCAT.Distribution))
    g.remove((dist, DCAT.accessURL, None))
    size = g.value(dist, DCAT.byteSize)
    g.set((dist, DCAT.byteSize, rdflib.Literal(str(size), datatype=rdflib.XSD.string)))
    catalog = g.value(predicate=rdflib.RDF.type, object=DCAT.Catalog)
    g.remove((catalog, DCTERMS.description, None))
    conforms, text = check(g, profile)
    assert not conforms
    assert "access URL" in text and "catalogue has a description" in text
    assert ("DCAT-AP 3: the byte size" if profile == "dcat-ap-3" else "DCAT-AP 2.1.1: the byte size") in text


@pytest.mark.parametrize("path", ["/catalog", "/.well-known/void"])
def test_descriptions_have_twins_by_suffix(written, path):
    """What a person's link names (a browser's Accept takes any type): each suffix gives its own
    type and the same triples as Accept does, and every answer names the twins in Link."""
    by_accept = requests.get(written + path, headers={"Accept": "text/turtle"})
    twins = {part.split(">")[0].lstrip(" <"): part.split('type="')[1].rstrip('"')
             for part in by_accept.headers["Link"].split(",")}
    assert set(twins) == {f"{path}.{s}" for s in ("ttl", "nt", "jsonld", "rdf", "trig", "html")}
    expected = rdflib.Graph().parse(data=by_accept.text, format="turtle")
    assert len(expected) > 20
    for twin, media_type in twins.items():
        if media_type == "text/html":           # the page for people (next test)
            continue
        r = requests.get(written + twin, headers={"Accept": "text/html"})
        assert r.status_code == 200 and r.headers["Content-Type"].split(";")[0] == media_type, twin
        parsed = rdflib.Dataset(default_union=True)
        parsed.parse(data=r.text, format={"application/ld+json": "json-ld"}.get(media_type, media_type))
        triples = rdflib.Graph()
        for triple in parsed.triples((None, None, None)):
            triples.add(triple)
        assert rdflib.compare.isomorphic(triples, expected), twin
    assert requests.get(written + path + ".xyz").status_code == 404


@pytest.mark.parametrize("path", ["/catalog", "/.well-known/void"])
def test_a_browser_gets_the_description_as_a_page(written, path):
    """A browser (HTML first, then anything) gets a page holding what the RDF says: every
    title, every dump's download link and the endpoint's, and the number of subsets; RDF
    clients, curl's ``*/*`` and no Accept still get Turtle."""
    described = fetch(written + path)
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    r = requests.get(written + path, headers=browser)
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert requests.get(written + path + ".html").text == r.text
    page = r.text
    titles = set(described.objects(None, DCTERMS.title))
    links = set(described.objects(None, DCAT.downloadURL)) | set(described.objects(None, VOID.sparqlEndpoint))
    assert len(titles) >= 5 and len(links) >= 5
    for title in titles:
        assert str(escape(str(title))) in page, title
    for link in links:
        assert f'href="{link}"' in page, link
    assert f"<summary>{len(set(described.objects(None, VOID.subset)))} subsets" in page
    for accept in ("*/*", "text/turtle", None):
        answer = requests.get(written + path, headers={"Accept": accept} if accept else {})
        assert answer.headers["Content-Type"].startswith("text/turtle"), accept
