"""The ofsted-kg ontology and concept schemes (Turtle files beside this module), loaded once."""
from __future__ import annotations

import functools
from pathlib import Path

HERE = Path(__file__).parent
FILES = (HERE / "ofsted.ttl", HERE / "concepts.ttl")


@functools.cache
def graph():
    """The ontology and concept schemes as one rdflib Graph (do not mutate)."""
    import rdflib
    g = rdflib.Graph()
    for f in FILES:
        g.parse(f, format="turtle")
    return g


def ntriples() -> bytes:
    return graph().serialize(format="nt", encoding="utf-8")
