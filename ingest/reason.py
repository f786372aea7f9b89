"""Entailments: owlrl closes the ontology once; each document's graph is expanded with it.

owlrl's RDFS closure is too slow for a whole store (54 s on 29k triples here) and grows with
it, so it runs only where it is cheap: on the ontology, once per process. A document's
entailments are then the instance-level consequences of that closed schema (rdf:type through
rdfs:subClassOf, rdfs:subPropertyOf, rdfs:domain, rdfs:range and owl:inverseOf), computed in one
pass over the document graph: the same triples RDFS/OWL-RL semantics would add for the
ontology's own terms (``tests/ingest/test_reason.py`` checks this against owlrl itself), at a
cost proportional to the document, not the store.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import owlrl
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

import ontology

from core import iris

_SKIP_CLASSES = {RDFS.Resource, OWL.Thing, RDFS.Class, OWL.Class}


@dataclass(frozen=True)
class Schema:
    superclasses: dict[URIRef, frozenset[URIRef]]
    superproperties: dict[URIRef, frozenset[URIRef]]
    domains: dict[URIRef, frozenset[URIRef]]
    ranges: dict[URIRef, frozenset[URIRef]]
    inverses: dict[URIRef, frozenset[URIRef]]
    closure: Graph


def _collect(g: Graph, pred) -> dict[URIRef, frozenset[URIRef]]:
    out: dict[URIRef, set[URIRef]] = {}
    for s, o in g.subject_objects(pred):
        if isinstance(s, URIRef) and isinstance(o, URIRef) and s != o:
            out.setdefault(s, set()).add(o)
    return {k: frozenset(v) for k, v in out.items()}


@functools.cache
def schema() -> Schema:
    """The ontology closed under RDFS semantics by owlrl (computed once per process)."""
    closed = Graph()
    for t in ontology.graph():
        closed.add(t)
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closed)
    for t in list(closed):   # owlrl works in generalised RDF: drop literal subjects
        if isinstance(t[0], Literal):
            closed.remove(t)
    superclasses = _collect(closed, RDFS.subClassOf)
    superclasses = {k: frozenset(v - _SKIP_CLASSES) for k, v in superclasses.items()}
    superproperties = _collect(closed, RDFS.subPropertyOf)
    # domains/ranges inherited from super-properties are already in the closure
    domains = {k: frozenset(v - _SKIP_CLASSES) for k, v in _collect(closed, RDFS.domain).items()}
    ranges = {k: frozenset(v - _SKIP_CLASSES - {RDFS.Literal}) for k, v in _collect(closed, RDFS.range).items()}
    inverses = _collect(closed, OWL.inverseOf)
    for p, qs in list(inverses.items()):
        for q in qs:
            inverses[q] = frozenset(inverses.get(q, frozenset()) | {p})
    return Schema(superclasses, superproperties, domains, ranges, inverses, closed)


def entailments(data: Graph, asserted: Graph | None = None) -> Graph:
    """The triples the ontology entails from ``data`` that are not already asserted: by
    ``data``, by the ontology (its graph in the store holds the closure) or by ``asserted``
    (the register's description of the authorities ``data`` names), so that the entailment
    graph never repeats a statement of another graph."""
    s = schema()
    out = Graph()
    types: set[tuple] = set()
    for subj, pred, obj in data:
        if pred == RDF.type:
            if isinstance(obj, URIRef):
                types.add((subj, obj))
            continue
        for q in s.superproperties.get(pred, ()):
            out.add((subj, q, obj))
        for p in (pred, *s.superproperties.get(pred, ())):
            for c in s.domains.get(p, ()):
                types.add((subj, c))
            if not isinstance(obj, Literal):
                for c in s.ranges.get(p, ()):
                    types.add((obj, c))
                for inv in s.inverses.get(p, ()):
                    out.add((obj, inv, subj))
    for subj, cls in types:
        out.add((subj, RDF.type, cls))
        for sup in s.superclasses.get(cls, ()):
            out.add((subj, RDF.type, sup))
    shared = iris.vocabulary_prefixes()
    if asserted is not None:      # the register graph is stored with its own entailments
        asserted = asserted + entailments(asserted)
    for t in list(out):
        if (t in data or t in s.closure or (asserted is not None and t in asserted)
                or (t[1] == RDF.type and str(t[0]).startswith(shared))):   # the vocabulary graph's
            out.remove(t)
    return out
