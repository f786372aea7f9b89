"""The SPARQL 1.1 Protocol over real HTTP: the dataset of a query (``default-graph-uri``,
``named-graph-uri``, FROM and FROM NAMED) and the service description."""
from __future__ import annotations

import requests

from .sample_queries import SELECT


def test_default_graph_uri_narrows_the_dataset(endpoint, store_path):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    everything = int(requests.get(endpoint, params={"query": count}).json()
                     ["results"]["bindings"][0]["n"]["value"])
    only_def = int(requests.get(endpoint, params={"query": count,
                                                  "default-graph-uri": "https://w3id.org/ofsted-kg/def"})
                   .json()["results"]["bindings"][0]["n"]["value"])
    assert 0 < only_def < everything


def test_named_graph_uri_limits_graph_patterns(endpoint):
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = requests.get(endpoint, params={"query": q, "named-graph-uri": "https://w3id.org/ofsted-kg/def"})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == ["https://w3id.org/ofsted-kg/def"]


def test_bad_graph_iri_is_400(endpoint):
    assert requests.get(endpoint, params={"query": SELECT, "default-graph-uri": "not an iri"}).status_code == 400


# -- the protocol's other rules (issue 12) ---------------------------------------------------

def test_from_names_the_dataset(endpoint):
    """FROM / FROM NAMED replace the union default graph for that query."""
    count = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}"
    n = lambda q: int(requests.get(endpoint, params={"query": q}).json()["results"]["bindings"][0]["n"]["value"])
    union = n(count.format(**{"from": ""}))
    ontology = n(count.format(**{"from": "FROM <https://w3id.org/ofsted-kg/def>"}))
    assert 0 < ontology < union
    assert n(count.format(**{"from": "FROM NAMED <https://w3id.org/ofsted-kg/def>"})) == 0
    named = requests.get(endpoint, params={"query": "SELECT DISTINCT ?g FROM NAMED <https://w3id.org/ofsted-kg/def> "
                                                    "WHERE { GRAPH ?g { ?s ?p ?o } }"}).json()
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == ["https://w3id.org/ofsted-kg/def"]
    # the word in a string, an IRI or a comment names no dataset
    assert n('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o != "FROM <x>") } # FROM <y>') > ontology


# -- service description -------------------------------------------------------------------

def test_service_description_is_rdf(endpoint):
    import rdflib
    r = requests.get(endpoint, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = g.value(predicate=rdflib.RDF.type, object=SD.Service)
    assert g.value(service, SD.endpoint) == rdflib.URIRef(endpoint)
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in g
    assert (service, SD.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV")) in g


def test_service_description_for_browsers_is_a_page(endpoint):
    r = requests.get(endpoint, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.headers["Content-Type"].startswith("text/html")
    assert "<form" in r.text


def test_service_description_names_w3c_formats_and_features(endpoint):
    import rdflib
    g = rdflib.Graph().parse(data=requests.get(endpoint, headers={"Accept": "text/turtle"}).text, format="turtle")
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = g.value(predicate=rdflib.RDF.type, object=SD.Service)
    formats = {str(o) for o in g.objects(service, SD.resultFormat)}
    assert formats == {"http://www.w3.org/ns/formats/" + name for name in (
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
        "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG")}
    assert set(g.objects(service, SD.feature)) == {SD.UnionDefaultGraph, SD.EmptyGraphs}
