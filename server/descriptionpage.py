"""The page for people of a description the server writes (``/catalog``, ``/.well-known/void``):
its triples, one section per thing described (the catalogue or the dataset first, then its
distributions, services, publisher, ...), and the dataset's subsets (one per named graph:
hundreds nationally) in one table folded away. A browser asking ``/catalog`` gets this; RDF
clients, and ``*/*``, still get Turtle (:mod:`server.datasets`).
"""
from __future__ import annotations

import pyoxigraph as ox
from flask import render_template

from core import formats, vocab

SUBSET = vocab.PREFIXES["void"] + "subset"
TRIPLES = vocab.PREFIXES["void"] + "triples"
TITLE = vocab.PREFIXES["dcterms"] + "title"
TYPE = vocab.PREFIXES["rdf"] + "type"


def sections(triples: list[ox.Triple], first: str) -> tuple[list[dict], list[tuple[str, str]]]:
    """(one section per subject, ``first``'s first and the rest in the order they come: its IRI,
    title and (property, values) rows; the subsets as (graph IRI, triples))."""
    subsets = {t.object.value for t in triples if t.predicate.value == SUBSET}
    found: dict[str, dict] = {first: {"iri": first, "title": None, "rows": {}}}
    counts: dict[str, str] = {}
    for t in triples:
        subject, predicate = t.subject.value, t.predicate.value
        if subject in subsets:
            if predicate == TRIPLES:
                counts[subject] = t.object.value
            continue
        section = found.setdefault(subject, {"iri": subject, "title": None, "rows": {}})
        if predicate == SUBSET:
            continue
        if predicate == TITLE and section["title"] is None:
            section["title"] = t.object.value
        section["rows"].setdefault(predicate, []).append(formats.term_json(t.object))
    listed = [dict(s, rows=sorted(s["rows"].items(), key=lambda r: (r[0] != TYPE, r[0])))
              for s in found.values() if s["rows"]]
    return listed, sorted((graph, counts.get(graph, "")) for graph in subsets)


def render(triples: list[ox.Triple], first: str, heading: str, alternates: list[dict]) -> str:
    """The page of ``triples`` describing ``first``."""
    listed, subsets = sections(triples, first)
    return render_template("description.html", heading=heading, sections=listed, subsets=subsets,
                           alternates=alternates)
