"""SHACL-SPARQL constraints (``sh:sparql`` with ``sh:select``) evaluated by pyoxigraph.

pyshacl evaluates SPARQL-based constraints with rdflib's SPARQL engine, which took 15 of the 28
seconds of validating an official outcomes table (and most of a report's cost). Our rules in
``shapes/document-rules.shapes.ttl`` target one node per document, so this module runs each
rule's SELECT once per focus node on an in-memory pyoxigraph copy of the data graph, with
``$this`` pre-bound (SHACL-SPARQL's pre-binding, done with pyoxigraph substitutions), and turns
each solution into a result with SHACL's message templating ({?var} and {$var}). Core
constraints stay with pyshacl; shapes with SPARQL constraints must use only ``sh:targetClass``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from core import vocab

SH = Namespace(vocab.SH)
_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


@dataclass(frozen=True)
class SparqlRule:
    shape: URIRef
    target_class: URIRef
    severity: str
    message: str
    select: str
    prefixes: dict[str, str]


def split(shapes: Graph) -> tuple[Graph, list[SparqlRule]]:
    """The shapes graph without its SPARQL constraints, and those constraints as rules."""
    core = Graph()
    core += shapes
    rules = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        core.remove((shape, SH.sparql, constraint))
        select = shapes.value(constraint, SH.select)
        targets = list(shapes.objects(shape, SH.targetClass))
        if select is None or len(targets) != 1:
            raise ValueError(f"{shape}: SPARQL constraints need sh:select and one sh:targetClass")
        severity = shapes.value(shape, SH.severity) or SH.Violation
        prefixes = {}
        for decl_source in shapes.objects(constraint, SH.prefixes):
            for decl in shapes.objects(decl_source, SH.declare):
                prefixes[str(shapes.value(decl, SH.prefix))] = str(shapes.value(decl, SH.namespace))
        rules.append(SparqlRule(shape=shape, target_class=targets[0],
                                severity=str(severity).rsplit("#", 1)[-1],
                                message=str(shapes.value(constraint, SH.message) or "constraint not met"),
                                select=str(select), prefixes=prefixes))
    return core, rules


def _text(term) -> str:
    return term.value if hasattr(term, "value") else str(term)


def _to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.BlankNode(str(term))


def evaluate(rules: list[SparqlRule], data: Graph) -> list[dict]:
    """Run every rule on ``data``; each result is a dict of severity, focus, value, message, shape.

    Focus nodes are the instances of the rule's target class or of any subclass (the class
    hierarchy must be in ``data``, as it is when the ontology is mixed in).
    """
    store = ox.Store()
    store.extend(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in data)
    subclasses = _subclass_closure(data)
    results = []
    for rule in rules:
        classes = subclasses.get(rule.target_class, {rule.target_class})
        focus_nodes = {s for c in classes for s in data.subjects(RDF.type, c)}
        for focus in sorted(focus_nodes):
            solutions = store.query(rule.select, prefixes=rule.prefixes,
                                    substitutions={ox.Variable("this"): _to_ox(focus)})
            for row in solutions:
                bound = {v.value: row[v] for v in solutions.variables if row[v] is not None}
                message = _PLACEHOLDER.sub(lambda m: _text(bound[m.group(1)]) if m.group(1) in bound
                                           else m.group(0), rule.message)
                value = bound.get("value")
                results.append({"severity": rule.severity, "focus": str(focus),
                                "value": _text(value) if value is not None else None,
                                "message": message, "shape": rule.shape})
    return results


def _subclass_closure(g: Graph) -> dict[URIRef, set[URIRef]]:
    """class -> itself and all its subclasses, from the rdfs:subClassOf triples in ``g``."""
    children: dict[URIRef, set[URIRef]] = {}
    for sub, sup in g.subject_objects(RDFS.subClassOf):
        children.setdefault(sup, set()).add(sub)

    @functools.cache
    def below(c) -> frozenset:
        out = {c}
        for child in children.get(c, ()):
            if child not in out:
                out |= below(child)
        return frozenset(out)

    return {c: set(below(c)) for c in children}
