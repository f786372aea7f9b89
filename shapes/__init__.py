"""SHACL shapes (``*.shapes.ttl`` beside this module), loaded once."""
from __future__ import annotations

import functools
from pathlib import Path

HERE = Path(__file__).parent


def files() -> list[Path]:
    return sorted(HERE.glob("*.shapes.ttl"))


@functools.cache
def graph():
    """All shapes as one rdflib Graph (do not mutate)."""
    import rdflib
    g = rdflib.Graph()
    for f in files():
        g.parse(f, format="turtle")
    return g
