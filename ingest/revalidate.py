"""Re-validate every document graph in the store against the current shapes."""
from __future__ import annotations

from typing import TextIO

from rdflib import Graph

from core.anystore import graph_ntriples

from .register_graph import register_graph
from .validate import validate


def revalidate_store(store, out: TextIO) -> int:
    """Validate each stored document graph; print its issues. Exit status 1 on violations."""
    docs = [g for g in store.named_graphs()
            if "/id/document/" in g and not g.endswith("/inferred")]
    bad = 0
    for g in docs:
        data = graph_ntriples(store, g)
        graph = Graph().parse(data=data, format="nt")
        outcome = validate(graph, register_graph())
        status = "valid" if outcome.conforms else "INVALID"
        bad += not outcome.conforms
        out.write(f"{status} {g}: {len(graph)} triples, {len(outcome.violations)} violation(s), "
                  f"{len(outcome.warnings)} warning(s)\n")
        for issue in outcome.issues:
            out.write(f"  {issue.line()}\n")
    out.write(f"{len(docs)} document(s) checked, {bad} invalid\n")
    return 1 if bad else 0
