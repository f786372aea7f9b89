"""What the Virtuoso tests run: every canned query with its defaults, and with its examples
where it has any (pytest parameters ``name, values``)."""
from __future__ import annotations

import pytest

import queries


def canned_variants():
    for name, q in sorted(queries.load_all().items()):
        yield pytest.param(name, {}, id=f"{name}-defaults")
        examples = {p.name: p.example for p in q.params if p.example}
        if examples:
            yield pytest.param(name, examples, id=f"{name}-examples")
