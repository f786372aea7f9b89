"""Links between documents (a plan and the inspection it answers), kept in their own graph.

They are derived from what the document graphs say, so the graph is recomputed as a whole
after each ingest run: idempotent, and never half-updated with a document.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from core import iris

QUERY = (Path(__file__).parent / "links.rq").read_text(encoding="utf-8")


def links_graph() -> str:
    return iris.graph("links")


def link_documents(store, changed) -> int:
    """Recompute the links graph; returns how many links it holds."""
    triples = list(store.query(QUERY))
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
    store.replace_graphs({links_graph(): data})
    return len(triples)
