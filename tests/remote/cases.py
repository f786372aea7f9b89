"""What the Virtuoso tests run (every canned query with its defaults, and with its examples
where it has any: pytest parameters ``name, values``) and how they compare terms."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

import queries


def canned_variants():
    for name, q in sorted(queries.load_all().items()):
        yield pytest.param(name, {}, id=f"{name}-defaults")
        examples = {p.name: p.example for p in q.params if p.example}
        if examples:
            yield pytest.param(name, examples, id=f"{name}-examples")


def cell(term, blank_labels: bool = True):
    """A term as a comparable tuple: kind, value, and a literal's datatype and language
    (``blank_labels=False``: every blank node alike, its label being the store's own)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.datatype.value, term.language)
    if isinstance(term, ox.BlankNode) and not blank_labels:
        return ("bnode",)
    return (type(term).__name__, term.value)
