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


@functools.cache
def _concept_triples() -> tuple:
    """The concept schemes' triples as pyoxigraph reads them, in file order (the server's way)."""
    import pyoxigraph as ox
    return tuple(ox.parse(path=str(HERE / "concepts.ttl"), format=ox.RdfFormat.TURTLE))


def frameworks() -> list[tuple[str, str | None, bool]]:
    """Every framework concept (``fw:``), in the order ``concepts.ttl`` lists them.

    :return: (notation, the name people say (``skos:altLabel``) or None, whether it has a grade
        scale) for each.
    """
    from core import vocab
    triples = _concept_triples()
    notation, alt = vocab.SKOS + "notation", vocab.SKOS + "altLabel"
    names = {t.subject.value: t.object.value for t in triples if t.predicate.value == alt}
    graded = {t.subject.value for t in triples if t.predicate.value == vocab.OFS + "gradeScale"}
    return [(t.object.value, names.get(t.subject.value), t.subject.value in graded) for t in triples
            if t.predicate.value == notation and t.subject.value.startswith(vocab.FRAMEWORK)]


def framework_names() -> dict[str, str]:
    """Framework notation -> the name people say, as each framework's concept gives it."""
    return {n: name for n, name, _ in frameworks() if name}


def graded_frameworks() -> tuple[str, ...]:
    """The notations of the frameworks that grade (their concept has an ``ofs:gradeScale``)."""
    return tuple(n for n, _, graded in frameworks() if graded)
