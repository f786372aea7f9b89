"""The authority register as RDF: one graph for every authority, shared by all documents.

Documents only reference authorities by IRI, so an authority's name, GSS code, region and
successor are stated once (no duplicate rows in queries over the union of graphs), and
validation mixes in just the authorities a document references.
"""
from __future__ import annotations

import functools

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS, XSD

from core import iris
from core.authorities import Authority, register
from .mapping import OFS


def register_graph_iri() -> str:
    return iris.graph("authorities")


def describe(g: Graph, a: Authority) -> URIRef:
    la = URIRef(iris.authority(a.gss_code))
    g.add((la, RDF.type, OFS.LocalAuthority))
    g.add((la, RDFS.label, Literal(a.name, lang="en")))
    g.add((la, SKOS.prefLabel, Literal(a.name, lang="en")))
    if a.short_name and a.short_name != a.name:
        g.add((la, SKOS.altLabel, Literal(a.short_name, lang="en")))
    g.add((la, OFS.gssCode, Literal(a.gss_code)))
    g.add((la, OWL.sameAs, URIRef(iris.ons_geography(a.gss_code))))
    for value, prop in ((a.region, OFS.region), (a.type, OFS.authorityType), (a.la_number, OFS.laNumber)):
        if value:
            g.add((la, prop, Literal(value)))
    if a.start_date:
        g.add((la, DCTERMS.created, Literal(a.start_date, datatype=XSD.date)))
    if a.end_date:
        g.add((la, OFS.abolishedOn, Literal(a.end_date, datatype=XSD.date)))
    for successor in filter(None, a.replaced_by_gss.split("|")):   # Cumbria split in two
        g.add((la, DCTERMS.isReplacedBy, URIRef(iris.authority(successor))))
        g.add((URIRef(iris.authority(successor)), DCTERMS.replaces, la))
    g.add((la, DCTERMS.source, Literal(a.source)))
    return la


def describe_board(g: Graph, a: Authority) -> URIRef:
    """The authority's Local Safeguarding Children Board (2006-19), under one label; reports'
    own wordings of its name are kept as skos:altLabel in their graphs."""
    board = URIRef(iris.board(a.gss_code))
    g.add((board, RDF.type, OFS.SafeguardingBoard))
    g.add((board, OFS.boardOf, URIRef(iris.authority(a.gss_code))))
    place = a.short_name[len("City of "):] if a.short_name.startswith("City of ") else a.short_name
    label = Literal(f"{place} Local Safeguarding Children Board", lang="en")
    g.add((board, RDFS.label, label))
    g.add((board, SKOS.prefLabel, label))
    return board


@functools.cache
def register_graph() -> Graph:
    """Every authority and its board, with the DfE statistical neighbours (:mod:`.neighbours`)."""
    from .neighbours import neighbours_graph
    g = Graph()
    for a in register():
        describe(g, a)
        describe_board(g, a)
    g += neighbours_graph()
    return g


def authorities_subgraph(iris_: set[str]) -> Graph:
    """Descriptions of just these authorities (for validating one document)."""
    g = Graph()
    reg = register()
    authority, board = iris.authority(""), iris.board("")
    for iri in iris_:
        if iri.startswith(authority) and iri[len(authority):] in reg.by_gss:
            describe(g, reg.by_gss[iri[len(authority):]])
        elif iri.startswith(board) and iri[len(board):] in reg.by_gss:
            a = reg.by_gss[iri[len(board):]]
            describe_board(g, a)
            describe(g, a)
    return g
