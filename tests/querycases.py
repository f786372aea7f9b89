"""Shared by the tests that compare two texts of one canned query (a flat table's canned text
with its full text, a LATERAL text with its portable one): the parameter values to try and the
rows a text gives."""
from __future__ import annotations


def cases(q, extra: dict[str, list[dict[str, str]]]) -> list[dict[str, str]]:
    """Nothing given, each example alone, all examples together, then ``extra[q.name]``."""
    examples = {p.name: p.example for p in q.params if p.example is not None}
    out = [{}] + [{k: v} for k, v in examples.items()]
    if len(examples) > 1:
        out.append(examples)
    return out + extra.get(q.name, [])


def rows(store, text: str, bindings) -> tuple[list[str], list[tuple]]:
    """The projected names and the rows (N-Triples forms, None when unbound) of ``text``."""
    results = store.query(text, substitutions=bindings)
    names = [v.value for v in results.variables]
    return names, [tuple(str(r[n]) if r[n] is not None else None for n in names) for r in results]
