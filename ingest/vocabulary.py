"""The vocabulary graph: measures and inspectors, described once for every document naming them.

Reports name a measure or an inspector on their own nodes (``ofs:measureLabel``,
``ofs:inspectorName``); the descriptions (``ofs:Measure`` with its labels, ``foaf:Person`` with
its names) and their entailments are derived from those, recomputed as a whole with the other
derived graphs, so the default graph holds each once however many reports repeat them.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Graph

from core import iris
from .reason import entailments, schema

QUERY = (Path(__file__).parent / "vocabulary.rq").read_text(encoding="utf-8")


def vocabulary_graph() -> str:
    return iris.graph("vocabulary")


def vocabulary_ntriples(store) -> bytes:
    """The vocabulary graph's content (N-Triples): the descriptions and what they entail."""
    text = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in store.query(QUERY))
    if not text:
        return b""
    g = Graph()
    g.parse(data=text, format="nt")
    g += _entailed_types(g)
    return g.serialize(format="nt", encoding="utf-8")


def _entailed_types(g: Graph) -> Graph:
    """The classes the ontology entails for the vocabulary (``reason.entailments`` leaves
    types of shared IRIs to this graph)."""
    s = schema()
    out = Graph()
    for subj, _, cls in g.triples((None, RDF.type, None)):
        for sup in s.superclasses.get(cls, ()):
            if (subj, RDF.type, sup) not in g and (subj, RDF.type, sup) not in s.closure:
                out.add((subj, RDF.type, sup))
    for t in entailments(g):
        if t[1] != RDF.type:
            out.add(t)
    return out
