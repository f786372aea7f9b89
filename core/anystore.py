"""Helpers that work on any store, embedded or remote (:class:`core.store.GraphStore`)."""
from __future__ import annotations

import pyoxigraph as ox

from .store import EmbeddedStore, GraphStore


def iri_bindings(**iris: str) -> dict:
    """IRIs as query substitutions: ``store.query(q, substitutions=iri_bindings(x=iri))``."""
    return {ox.Variable(name): ox.NamedNode(value) for name, value in iris.items()}


def graph_ntriples(store: GraphStore, graph_iri: str) -> bytes:
    """One named graph as N-Triples, from any store (embedded or remote)."""
    if isinstance(store, EmbeddedStore):
        return store.dump(ox.RdfFormat.N_TRIPLES, graph_iri)
    return ox.serialize((q.triple for q in store.graph_quads(graph_iri)), format=ox.RdfFormat.N_TRIPLES)


def dataset(store: GraphStore, format: ox.RdfFormat) -> bytes:
    """Every named graph with its name (TriG or N-Quads), from any store (for a remote one, the
    graphs ``named_graphs()`` lists: not the server's own)."""
    if isinstance(store, EmbeddedStore):
        return store.dump(format)
    quads = (q for g in store.named_graphs() for q in store.graph_quads(g))
    return ox.serialize(quads, format=format)
