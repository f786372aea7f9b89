"""The flat graph: each hot canned query read from it gives the rows, in the order, that its
previous text (``queries/flat/<name>.rq``, run over the document graphs) gives on the same store.

Order is compared on each query's ORDER BY columns: rows that tie on all of them came in an
order the previous text left to the engine (it differed between a filtered and an unfiltered
run of that text), so among ties only the set of rows is compared."""
from __future__ import annotations

import pytest

import queries
from ingest import flat
from core import flat as layout
from core.store import open_store
from tests.querycases import cases, rows

#: per query, the parameter values to try besides the defaults (each alone, then all together)
EXTRA = {
    "inadequate-care-leavers-good-adoption": [{"care_leavers_grade": "Good", "adoption_grade": "Good"},
                                              {"care_leavers_grade": "Requires improvement",
                                               "adoption_grade": "Good"}],
    "judgements": [{"framework_filter": "ilacs-2018"}, {"authority_filter": "E06000023"},
                   {"authority_filter": "Gloucestershire", "framework_filter": "sif"},
                   {"authority_filter": "Cornwall"}],
    # an authority is found through its key (one branch of the canned query), no authority by
    # hashing every row (the other): each with and without the words
    "recommendations": [{"authority_filter": "E06000023"}, {"authority_filter": "Gloucestershire"},
                        {"authority_filter": "Gloucestershire", "words": "plan"}, {"words": "PLAN"},
                        {"authority_filter": "Cornwall"}],
    "statistics": [{"authority_filter": "E06000023"}, {"authority_filter": "Bath and North East Somerset"},
                   {"authority_filter": "Gloucestershire", "measure_words": "child"},
                   {"authority_filter": "Cornwall"}],
    "grade-distribution": [{"area_filter": "adoption"}],
    # every area (the rows of all five are written at once, each with its area)
    "latest-grade-by-area": [{"area_filter": a} for a in ("leadership", "help-and-protection",
                                                          "children-in-care", "overall-effectiveness")],
    # regions match without regard to case, grades by rank (Adequate = Requires improvement)
    "region-grade": [{"region_filter": "london"}, {"grade_filter": "Adequate"},
                     {"region_filter": "North East", "grade_filter": "Good"}],
    # found by key (the examples: nothing bound is read by hashing): a GSS code (Bristol, which
    # marks no finding), a name, an authority without reports
    # words in an action, in a KPI only, across an action's end and its KPI's start (split at
    # the words' first or second space), in another case, with a bracket
    "plan-actions-kpis": [{"words": w} for w in ("audited", "child. kpi", "way. kpi 1a:", "senior managers. kpi",
                                                 "CARE LEAVERS", "(snapshot")],
    "findings-marking-recommendations": [{"authority_filter": "E06000023"},
                                         {"authority_filter": "Gloucestershire"},
                                         {"authority_filter": "Cornwall"}],
}


def compare(store_path) -> dict[str, int]:
    store = open_store(store_path, read_only=True)
    seen = {}
    try:
        for table in flat.TABLES:
            q = queries.get(table.name)
            assert q is not None, table.name
            for values in cases(q, EXTRA):
                defaults = {p.name: p.default for p in q.params if p.default is not None}
                bindings = q.bindings({**defaults, **values})
                new_names, new = rows(store, q.sparql, bindings)
                old_names, old = rows(store, table.full_query(), bindings)
                assert new_names == old_names, (table.name, values)
                assert sorted(new, key=repr) == sorted(old, key=repr), (table.name, values, len(new), len(old))
                key = [new_names.index(c) for c in table.order]
                assert [[r[i] for i in key] for r in new] == [[r[i] for i in key] for r in old], \
                    (table.name, values)
                seen[(table.name, tuple(sorted(values.items())))] = len(new)
    finally:
        store.close()
    return seen


def test_flat_queries_give_the_previous_rows_in_order(corpus_store_path):
    seen = compare(corpus_store_path)
    # real rows, not two empty lists that agree
    assert seen[("judgements", ())] > 40
    assert seen[("recommendations", ())] > 10
    assert seen[("statistics", ())] > 10
    assert seen[("latest-judgements", ())] >= 4
    assert 0 < seen[("region-grade", (("grade_filter", "Requires improvement"),))] <= seen[("region-grade", ())]
    assert seen[("shacl-warnings", ())] > 0
    assert 0 < seen[("plan-actions-kpis", (("words", "care leavers"),))] < seen[("plan-actions-kpis", ())]
    plans = {values: n for (name, values), n in seen.items() if name == "plan-actions-kpis"}
    for words in ("audited", "child. kpi", "way. kpi 1a:", "senior managers. kpi", "(snapshot"):
        assert 0 < plans[(("words", words),)] < plans[()], words
    assert plans[(("words", "CARE LEAVERS"),)] == plans[(("words", "care leavers"),)]
    for name in ("judgements", "recommendations", "statistics"):
        # an authority's rows are some, not all and not none, and one without reports has none
        assert 0 < seen[(name, (("authority_filter", "Bristol"),))] < seen[(name, ())], name
        assert seen[(name, (("authority_filter", "Cornwall"),))] == 0, name
    assert 0 < seen[("statistics", (("authority_filter", "Gloucestershire"), ("measure_words", "child")))]
    assert 0 < seen[("recommendations", (("authority_filter", "Gloucestershire"), ("words", "plan")))]
    fmr = "findings-marking-recommendations"
    assert 0 < seen[(fmr, (("authority_filter", "Bath and North East Somerset"),))] < seen[(fmr, ())]
    assert 0 < seen[(fmr, (("authority_filter", "Gloucestershire"),))] < seen[(fmr, ())]
    assert seen[(fmr, (("authority_filter", "Cornwall"),))] == 0


def test_tables_written_from_other_rows_give_none_with_nothing_bound(corpus_store_path):
    # a table whose rows come from another text (``rows``) answers like its full query, which
    # gives no rows when its parameter (which has a default) is not bound at all
    store = open_store(corpus_store_path, read_only=True)
    try:
        for table in (t for t in flat.TABLES if t.rows):
            assert rows(store, queries.get(table.name).sparql, {})[1] == [], table.name
            assert rows(store, table.full_query(), {})[1] == [], table.name
            assert len(rows(store, table.query(), {})[1]) > 0, table.name
    finally:
        store.close()


@pytest.mark.slow
def test_flat_queries_with_the_spreadsheets(national_store_path):
    seen = compare(national_store_path)
    assert seen[("judgements", ())] > 1000
    assert seen[("latest-judgements", ())] > 100


@pytest.mark.slow
def test_region_grade_names_the_overall_judged(national_store_path):
    """A 2009-12 inspection judged the overall effectiveness of two services: its two rows say
    which (before, two grades of one inspection stood side by side unexplained)."""
    store = open_store(national_store_path, read_only=True)
    try:
        q = queries.get("region-grade")
        names, found = rows(store, q.sparql, q.bindings({"region_filter": "South West"}))
    finally:
        store.close()
    areas: dict[str, set[str]] = {}
    for row in found:
        cells = dict(zip(names, row))
        areas.setdefault(cells["inspection"], set()).add(cells["area"])
    assert {'"Safeguarding services: Overall effectiveness"@en',
            '"Services for looked after children: Overall effectiveness"@en'} in areas.values()
    assert {'"Overall effectiveness"@en'} in areas.values()


def test_flat_graph_is_rebuilt_when_a_document_changes(corpus_store_copy):
    from ingest.pipeline import Ingestor
    from ingest.reconcile import documents_state
    from tests.conftest import corpus_files
    store = open_store(corpus_store_copy)
    try:
        assert not flat.flat_stale(store, documents_state(store))
        first = [p for p in corpus_files() if p.endswith(".txt")][0]
        store.remove_graphs([next(o for o in Ingestor(store, jobs=1).run([first])).document_iri])
        assert flat.flat_stale(store, documents_state(store))
        Ingestor(store, jobs=1).run([first])
        assert not flat.flat_stale(store, documents_state(store))
        position = layout.ROW_NS + "judgements#position"
        count = sum(1 for q in store.graph_quads(flat.flat_graph()) if q.predicate.value == position)
        assert count > 40
    finally:
        store.close()


def groups_shared(store_path) -> set[str]:
    """Check that every row of every table links to one node of each of its groups, and that
    the rows share them; return the tables that have no rows in the store."""
    store = open_store(store_path, read_only=True)
    try:
        links: dict[str, dict[str, set[str]]] = {}
        for q in store.graph_quads(flat.flat_graph()):
            table, _, column = q.predicate.value[len(layout.ROW_NS):].partition("#")
            if column.startswith("per_"):
                links.setdefault(f"{table}#{column}", {}).setdefault(q.subject.value, set()).add(q.object.value)
    finally:
        store.close()
    empty = set()
    for table in flat.TABLES:
        for name, _ in table.groups:
            rows = links.get(f"{table.name}#{name}")
            if not rows:
                empty.add(table.name)
                continue
            assert all(len(nodes) == 1 for nodes in rows.values()), (table.name, name)
            shared = {n for nodes in rows.values() for n in nodes}
            # judgements: a few inspections' worth of nodes for dozens of rows
            assert len(shared) < len(rows), (table.name, name, len(shared), len(rows))
    return empty


def test_rows_share_their_groups_nodes(corpus_store_path):
    # grade-changes needs two inspections of one authority: the reports alone have none
    assert groups_shared(corpus_store_path) == {"grade-changes"}


@pytest.mark.slow
def test_rows_share_their_groups_nodes_with_the_spreadsheets(national_store_path):
    assert groups_shared(national_store_path) == set()
