"""Canned queries whose embedded-store text is shaped for pyoxigraph's planner (LATERAL, index
lookups from a bound parameter) give the rows, in the order, of their portable text
(``queries/flat/<name>.rq``, what a remote store runs), on the same store.

Order is compared on each query's ORDER BY columns: rows that tie on all of them come in an
order each text leaves to the engine, so among ties only the set of rows is compared."""
from __future__ import annotations

import pytest

import queries
from core import flat
from core.store import open_store
from tests.querycases import cases, rows

#: shaped (not flattened) queries and the columns their ORDER BY sorts on
SHAPED = {
    "neighbour-grades": ("rank", "area_order"),
    "neighbour-statistics": ("rank", "date"),
    "statistic-across-authorities": ("value",),
    "statistic-over-time": ("authority", "date"),
    "source-disagreements": ("authority", "inspection_start", "published", "area"),
    "inspections-by-lead-inspector": ("lead_inspector", "inspection_start"),
    "authority-timeline": ("date",),
    "recommendation-themes": ("recommendations", "theme"),
    "authorities": ("inspections", "authority"),
}
#: per query, parameter values to try besides the examples (each alone, then all together)
EXTRA = {
    # a GSS code, a name, an authority whose neighbours have reports but who has none itself
    "neighbour-grades": [{"authority_filter": "E06000023"}, {"authority_filter": "Gloucestershire"},
                         {"authority_filter": "Cornwall"}],
    "neighbour-statistics": [{"authority_filter": "Gloucestershire"},
                             {"measure_words": "Children in need"}, {"authority_filter": "Cornwall"},
                             {"authority_filter": "E06000023", "measure_words": "CHILDREN IN NEED"},
                             {"measure_words": "no such measure"}],
    "statistic-across-authorities": [{"measure_words": "Children in need"}],
    "authority-timeline": [{"authority_filter": "Gloucestershire"}],
    "recommendation-themes": [{"authority_filter": "Bristol"}],
    "statistic-over-time": [{"unit_filter": "count"}, {"measure_words": "child protection plans"}],
}


def compare(store_path) -> dict[tuple, int]:
    """Rows per (query, parameters); fails on the first difference."""
    store = open_store(store_path, read_only=True)
    seen = {}
    try:
        for name, order in SHAPED.items():
            q = queries.get(name)
            portable = queries.full_text(name)
            assert portable is not None and portable != q.sparql, name
            for values in cases(q, EXTRA) + [None]:
                # None: nothing bound, not even the defaults (as on /sparql)
                defaults = {p.name: p.default for p in q.params if p.default is not None}
                bindings = {} if values is None else q.bindings({**defaults, **values})
                new_names, new = rows(store, q.sparql, bindings)
                old_names, old = rows(store, portable, bindings)
                assert new_names == old_names, (name, values)
                assert sorted(new, key=repr) == sorted(old, key=repr), (name, values, len(new), len(old))
                key = [new_names.index(c) for c in order]
                assert [[r[i] for i in key] for r in new] == [[r[i] for i in key] for r in old], \
                    (name, values)
                seen[(name, None if values is None else tuple(sorted(values.items())))] = len(new)
    finally:
        store.close()
    return seen


def test_shaped_queries_are_not_flat_tables():
    # a flat table's canned text reads the flat graph instead: its test is tests/ingest/test_flat.py
    assert not set(SHAPED) & {t.name for t in flat.TABLES}


def test_shaped_queries_give_the_portable_rows_in_order(corpus_store_path):
    seen = compare(corpus_store_path)
    print(seen)
    # real rows, not two empty lists that agree
    assert seen[("neighbour-statistics", ())] > 0
    assert seen[("neighbour-grades", ())] > 0 and seen[("neighbour-grades", None)] == 0
    assert seen[("statistic-across-authorities", ())] > 0
    assert seen[("statistic-over-time", ())] > 0
    assert seen[("recommendation-themes", (("authority_filter", "Bristol"),))] > 1


@pytest.mark.slow
def test_shaped_queries_with_the_spreadsheets(national_store_path):
    seen = compare(national_store_path)
    assert seen[("statistic-across-authorities", ())] > 0
