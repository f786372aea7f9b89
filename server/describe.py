"""Descriptions built as triples: SPARQL Service Description, VoID and a DCAT catalogue.

Pure builders (no store access): callers pass the URLs and the triple counts, so the server and
``write_dumps`` (static export) produce the same descriptions.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable, Mapping

import pyoxigraph as ox

from core import formats, vocab
from core.vocab import ONTOLOGY_IRI

NS = dict(vocab.PREFIXES)
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
XSD = NS["xsd"]

# dump file name -> (format key, title); the gzip flag is part of the name
DUMPS = {
    "ofsted-kg.nt.gz": ("ntriples", "All triples, N-Triples, gzipped"),
    "ofsted-kg.ttl": ("turtle", "All triples, Turtle"),
    "ofsted-kg.jsonld": ("jsonld", "All triples, JSON-LD"),
    "ofsted-kg.trig": ("trig", "All graphs (one per source document), TriG"),
}


def _n(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(NS[prefix] + local)


def _lit(value, datatype: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))
    return ox.Literal(str(value))


# the W3C's IRIs for the formats the endpoint speaks (https://www.w3.org/ns/formats/)
FORMATS_NS = "http://www.w3.org/ns/formats/"
FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
               "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples",
               "jsonld": "JSON-LD", "rdfxml": "RDF_XML", "trig": "TriG"}
GRAPH_STORE_PROTOCOL = "http://www.w3.org/TR/sparql11-http-rdf-update/"
SPARQL_PROTOCOL = "http://www.w3.org/TR/sparql11-protocol/"


def urls(root: str | None = None) -> dict[str, str]:
    """This server's public URLs: from ``root`` or ``PUBLIC_URL``, else the current request.

    URLs taken from the request (its ``Host`` header) are for that response only: the response
    is marked ``Cache-Control: no-store`` (:func:`server.headers`) so that no cache hands one
    client's Host to another, and nothing built from them is written to disk.

    :raise errors.Problem: 400 when the request's host makes no valid IRI.
    """
    from flask import current_app, g, request
    if not (root or current_app.config.get("PUBLIC_URL")):
        g.links_from_request = True
        try:
            ox.NamedNode(request.url_root)
        except ValueError:
            from .errors import Problem
            raise Problem(400, "the Host header does not make a valid URL") from None
    root = (root or current_app.config.get("PUBLIC_URL") or request.url_root).rstrip("/")
    return {"root": root + "/", "sparql": root + "/sparql", "void": root + "/.well-known/void",
            "catalog": root + "/catalog", "download": root + "/download/",
            "graph_store": root + "/rdf-graph-store"}


def format_iri(key: str) -> ox.NamedNode:
    """The W3C format IRI of a format key of :mod:`core.formats`."""
    return ox.NamedNode(FORMATS_NS + FORMAT_IRIS[key])


def service_description(u: Mapping[str, str], allow_update: bool, remote: bool = False) -> list[ox.Triple]:
    """SPARQL 1.1 Service Description of the endpoint.

    :param remote: the server forwards to a remote store, whose support for empty graphs
        this server cannot vouch for.
    """
    svc = ox.NamedNode(u["sparql"] + "#service")
    a = _n("rdf", "type")
    t = [ox.Triple(svc, a, _n("sd", "Service")),
         ox.Triple(svc, _n("sd", "endpoint"), ox.NamedNode(u["sparql"])),
         ox.Triple(svc, _n("sd", "supportedLanguage"), _n("sd", "SPARQL11Query")),
         ox.Triple(svc, _n("sd", "feature"), _n("sd", "UnionDefaultGraph")),
         ox.Triple(svc, _n("sd", "defaultEntailmentRegime"),
                   ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
         ox.Triple(svc, _n("dcterms", "conformsTo"), ox.NamedNode(SPARQL_PROTOCOL)),
         ox.Triple(svc, _n("dcterms", "title"), _lit("Ofsted children's services knowledge graph"))]
    if not remote:              # oxigraph keeps a graph that CREATE or a Graph Store PUT made empty
        t.append(ox.Triple(svc, _n("sd", "feature"), _n("sd", "EmptyGraphs")))
    if allow_update:
        t.append(ox.Triple(svc, _n("sd", "supportedLanguage"), _n("sd", "SPARQL11Update")))
        for key in formats.RDF_FORMATS:             # Graph Store PUT/POST bodies
            t.append(ox.Triple(svc, _n("sd", "inputFormat"), format_iri(key)))
    for key in (*formats.RESULT_FORMATS, *formats.RDF_FORMATS):
        t.append(ox.Triple(svc, _n("sd", "resultFormat"), format_iri(key)))
    t += graph_store(u)
    t.append(ox.Triple(svc, _n("rdfs", "seeAlso"), ox.NamedNode(u["graph_store"])))
    ds = ox.BlankNode("dataset")
    dg = ox.BlankNode("defaultGraph")
    t += [ox.Triple(svc, _n("sd", "defaultDataset"), ds),
          ox.Triple(ds, a, _n("sd", "Dataset")),
          ox.Triple(ds, _n("sd", "defaultGraph"), dg),
          ox.Triple(dg, a, _n("sd", "Graph")),
          ox.Triple(dg, _n("rdfs", "comment"),
                    _lit("The default graph is the union of all named graphs.")),
          ox.Triple(ds, _n("void", "sparqlEndpoint"), ox.NamedNode(u["sparql"])),
          ox.Triple(svc, _n("rdfs", "seeAlso"), ox.NamedNode(u["void"]))]
    return t


def graph_store(u: Mapping[str, str]) -> list[ox.Triple]:
    """The Graph Store HTTP Protocol endpoint, as a DCAT data service."""
    gsp = ox.NamedNode(u["graph_store"])
    return [ox.Triple(gsp, _n("rdf", "type"), _n("dcat", "DataService")),
            ox.Triple(gsp, _n("dcterms", "title"),
                      ox.Literal("Graph Store HTTP Protocol endpoint", language="en")),
            ox.Triple(gsp, _n("dcterms", "description"), ox.Literal(
                "Every named graph by ?graph=IRI, and the union default graph by ?default, in "
                "every RDF format; PUT, POST and DELETE with the update token where the server "
                "allows updates.", language="en")),
            ox.Triple(gsp, _n("dcterms", "conformsTo"), ox.NamedNode(GRAPH_STORE_PROTOCOL)),
            ox.Triple(gsp, _n("dcat", "endpointURL"), gsp),
            ox.Triple(gsp, _n("dcat", "endpointDescription"), ox.NamedNode(u["sparql"])),
            ox.Triple(gsp, _n("dcterms", "license"), ox.NamedNode(OGL))]


def dataset_iri(u: Mapping[str, str]) -> ox.NamedNode:
    return ox.NamedNode(u["void"] + "#ofsted-kg")


# DCAT-AP's controlled vocabularies: IANA media types, the EU file types, data themes, languages
IANA = "https://www.iana.org/assignments/media-types/"
EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPES = {"turtle": "RDF_TURTLE", "ntriples": "RDF_N_TRIPLES", "jsonld": "JSON_LD",
              "trig": "RDF_TRIG", "rdfxml": "RDF_XML"}
THEMES = {"GOVE": "Government and public sector", "SOCI": "Population and society"}
ENGLISH = EU + "language/ENG"
KEYWORDS = ("Ofsted", "children's services", "inspection", "local authorities", "linked data")


def _vocabulary_terms(media_types: Iterable[str], file_types: Iterable[str]) -> list[ox.Triple]:
    """The classes DCAT-AP gives the terms it takes from controlled vocabularies, and the
    labels its shapes ask of concepts, for the terms these descriptions use."""
    a = _n("rdf", "type")
    t = [ox.Triple(ox.NamedNode(OGL), a, _n("dcterms", "LicenseDocument")),
         ox.Triple(ox.NamedNode(ENGLISH), a, _n("dcterms", "LinguisticSystem"))]
    t += [ox.Triple(ox.NamedNode(IANA + m), a, _n("dcterms", "MediaType")) for m in sorted(set(media_types))]
    t += [ox.Triple(ox.NamedNode(EU + "file-type/" + f), a, _n("dcterms", "MediaTypeOrExtent"))
          for f in sorted(set(file_types))]
    scheme = ox.NamedNode(EU + "data-theme")
    t += [ox.Triple(scheme, a, _n("skos", "ConceptScheme")),
          ox.Triple(scheme, _n("dcterms", "title"), ox.Literal("Data theme", language="en"))]
    for code, label in THEMES.items():
        theme = ox.NamedNode(EU + "data-theme/" + code)
        t += [ox.Triple(theme, a, _n("skos", "Concept")), ox.Triple(theme, _n("skos", "inScheme"), scheme),
              ox.Triple(theme, _n("skos", "prefLabel"), ox.Literal(label, language="en"))]
    return t


def publisher_iri(u: Mapping[str, str]) -> ox.NamedNode:
    return ox.NamedNode(u["root"] + "#publisher")


def void(u: Mapping[str, str], base_iri: str, graph_counts: Mapping[str, int], union_triples: int,
         subjects: int, modified: dt.datetime, publisher: str,
         dump_sizes: Mapping[str, int] | None = None) -> list[ox.Triple]:
    """VoID + DCAT-AP description of the dataset, with one subset per named graph, its dumps as
    distributions and the Graph Store that serves it."""
    ds = dataset_iri(u)
    a = _n("rdf", "type")
    t = [ox.Triple(ds, a, _n("void", "Dataset")), ox.Triple(ds, a, _n("dcat", "Dataset")),
         ox.Triple(ds, _n("dcterms", "title"), ox.Literal("Ofsted inspections of children's services",
                                                          language="en")),
         ox.Triple(ds, _n("dcterms", "description"), ox.Literal(
             "Ofsted inspections of English councils' children's services as linked data: "
             "inspections, judgements, grades, recommendations and their source documents.",
             language="en")),
         ox.Triple(ds, _n("dcterms", "license"), ox.NamedNode(OGL)),
         ox.Triple(ds, _n("dcterms", "language"), ox.NamedNode(ENGLISH)),
         ox.Triple(ds, _n("dcterms", "modified"), _lit(modified.isoformat(timespec="seconds"), "dateTime")),
         ox.Triple(ds, _n("void", "triples"), _lit(union_triples, "integer")),
         ox.Triple(ds, _n("void", "distinctSubjects"), _lit(subjects, "integer")),
         ox.Triple(ds, _n("void", "sparqlEndpoint"), ox.NamedNode(u["sparql"])),
         ox.Triple(ds, _n("void", "uriSpace"), _lit(base_iri + "id/")),
         ox.Triple(ds, _n("void", "vocabulary"), ox.NamedNode(ONTOLOGY_IRI)),
         ox.Triple(ds, _n("dcat", "landingPage"), ox.NamedNode(u["root"]))]
    t += [ox.Triple(ds, _n("dcat", "theme"), ox.NamedNode(EU + "data-theme/" + code)) for code in THEMES]
    t += [ox.Triple(ds, _n("dcat", "keyword"), ox.Literal(word, language="en")) for word in KEYWORDS]
    pub = publisher_iri(u)
    t += [ox.Triple(ds, _n("dcterms", "publisher"), pub), ox.Triple(pub, a, _n("foaf", "Agent")),
          ox.Triple(pub, _n("foaf", "name"), _lit(publisher))]
    media_types, file_types = [], []
    for name, (key, title) in DUMPS.items():
        dump = ox.NamedNode(u["download"] + name)
        media, file_type = formats.RDF_FORMATS[key].media_types[0], FILE_TYPES[key]
        media_types.append(media)
        file_types.append(file_type)
        t += [ox.Triple(ds, _n("void", "dataDump"), dump),
              ox.Triple(ds, _n("dcat", "distribution"), dump),
              ox.Triple(dump, a, _n("dcat", "Distribution")),
              ox.Triple(dump, _n("dcterms", "title"), ox.Literal(title, language="en")),
              ox.Triple(dump, _n("dcat", "accessURL"), dump),
              ox.Triple(dump, _n("dcat", "downloadURL"), dump),
              ox.Triple(dump, _n("dcat", "mediaType"), ox.NamedNode(IANA + media)),
              ox.Triple(dump, _n("dcterms", "format"), ox.NamedNode(EU + "file-type/" + file_type)),
              ox.Triple(dump, _n("dcterms", "license"), ox.NamedNode(OGL)),
              ox.Triple(dump, _n("dcterms", "modified"),
                        _lit(modified.isoformat(timespec="seconds"), "dateTime"))]
        if name.endswith(".gz"):
            media_types.append("application/gzip")
            t.append(ox.Triple(dump, _n("dcat", "compressFormat"), ox.NamedNode(IANA + "application/gzip")))
        if dump_sizes and name in dump_sizes:
            t.append(ox.Triple(dump, _n("dcat", "byteSize"), _lit(dump_sizes[name], "nonNegativeInteger")))
    t += graph_store(u)
    t.append(ox.Triple(ox.NamedNode(u["graph_store"]), _n("dcat", "servesDataset"), ds))
    t += _vocabulary_terms(media_types, file_types)
    for graph, count in sorted(graph_counts.items()):
        subset = ox.NamedNode(graph)
        t += [ox.Triple(ds, _n("void", "subset"), subset), ox.Triple(subset, a, _n("void", "Dataset")),
              ox.Triple(subset, _n("void", "triples"), _lit(count, "integer"))]
    return t


def catalog(u: Mapping[str, str], dataset_triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """A DCAT-AP catalogue holding the dataset, and the SPARQL endpoint and the Graph Store as
    data services."""
    cat = ox.NamedNode(u["catalog"])
    svc = ox.NamedNode(u["sparql"] + "#service")
    ds = dataset_iri(u)
    dataset_triples = list(dataset_triples)
    a = _n("rdf", "type")
    t = [ox.Triple(cat, a, _n("dcat", "Catalog")),
         ox.Triple(cat, _n("dcterms", "title"), ox.Literal("ofsted-kg data catalogue", language="en")),
         ox.Triple(cat, _n("dcterms", "description"), ox.Literal(
             "The Ofsted children's services knowledge graph: its dumps, its SPARQL endpoint and "
             "its Graph Store.", language="en")),
         ox.Triple(cat, _n("dcterms", "publisher"), publisher_iri(u)),
         ox.Triple(cat, _n("dcterms", "license"), ox.NamedNode(OGL)),
         ox.Triple(cat, _n("dcterms", "language"), ox.NamedNode(ENGLISH)),
         ox.Triple(cat, _n("foaf", "homepage"), ox.NamedNode(u["root"])),
         ox.Triple(cat, _n("dcat", "themeTaxonomy"), ox.NamedNode(EU + "data-theme")),
         ox.Triple(cat, _n("dcat", "dataset"), ds),
         ox.Triple(cat, _n("dcat", "service"), svc),
         ox.Triple(cat, _n("dcat", "service"), ox.NamedNode(u["graph_store"])),
         ox.Triple(svc, a, _n("dcat", "DataService")),
         ox.Triple(svc, _n("dcterms", "title"), ox.Literal("SPARQL 1.1 endpoint", language="en")),
         ox.Triple(svc, _n("dcat", "endpointURL"), ox.NamedNode(u["sparql"])),
         ox.Triple(svc, _n("dcat", "endpointDescription"), ox.NamedNode(u["sparql"])),
         ox.Triple(svc, _n("dcat", "servesDataset"), ds),
         ox.Triple(svc, _n("dcterms", "license"), ox.NamedNode(OGL)),
         ox.Triple(svc, _n("dcterms", "conformsTo"), ox.NamedNode(SPARQL_PROTOCOL))]
    modified = next((tr.object for tr in dataset_triples if tr.subject == ds
                     and tr.predicate == _n("dcterms", "modified")), None)
    if modified is not None:
        t.append(ox.Triple(cat, _n("dcterms", "modified"), modified))
    return t + dataset_triples
