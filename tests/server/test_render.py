"""The result writers on the real store: every format holds the same rows, and the row cap cuts
exactly, on the fast path (pyoxigraph writes, rows counted) and the slow one (rows one by one)."""
from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from core import formats as render

LITERALS = "SELECT ?s ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }"


@pytest.fixture(scope="module")
def store(store_path):
    return ox.Store.read_only(str(store_path))


def rows_in(body: bytes, key: str) -> int:
    if key == "csv":
        return sum(1 for _ in csv.reader(io.StringIO(body.decode(), newline=""))) - 1
    return len(list(ox.parse_query_results(body, render.RESULT_FORMATS[key].ox_format)))


@pytest.mark.parametrize("fast_path_bytes", [render.FAST_PATH_BYTES, 1000])
@pytest.mark.parametrize("key", list(render.RESULT_FORMATS))
def test_row_cap_is_exact(store, key, fast_path_bytes, monkeypatch):
    monkeypatch.setattr(render, "FAST_PATH_BYTES", fast_path_bytes)
    run = lambda: store.query(LITERALS, use_default_graph_as_union=True)   # noqa: E731
    total = sum(1 for _ in run())
    assert total > 100
    for limit in (None, total + 1, total, total - 1, 7):
        body, cut = render.write_solutions(run(), key, limit, again=run)
        expected = total if limit is None else min(limit, total)
        assert rows_in(body, key) == expected, (key, limit)
        assert render.count_rows(body, key) == expected
        assert cut == (limit is not None and limit < total)


def test_some_literals_have_newlines_and_quotes(store):
    """The exact-count claim is only tested if the data has the awkward characters."""
    values = [row["o"].value for row in store.query(LITERALS, use_default_graph_as_union=True)]
    assert any("\n" in v or '"' in v or "," in v for v in values)


# strings holding the row separator (escaped), braces, quotes and newlines; an unbound column
AWKWARD = """SELECT ?a ?b WHERE {
  VALUES (?a ?b) { ("x},{\\"y" "{ }") ("}},{\\"" UNDEF) ("\\n{\\"" <http://e/x>) (UNDEF "z") }
}"""
WITH_EMPTY_ROW = AWKWARD.replace('(UNDEF "z")', "(UNDEF UNDEF)")     # a row with nothing bound


@pytest.mark.parametrize("sparql", [AWKWARD, WITH_EMPTY_ROW, LITERALS, "SELECT ?x WHERE { FILTER(false) }",
                                    "SELECT * WHERE { ?s ?p ?o } LIMIT 1"])
def test_json_rows_are_counted_without_parsing_exactly(store, sparql):
    body = store.query(sparql, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON)
    assert render.json_row_count(body) == rows_in(body, "json")
    if sparql == AWKWARD:
        assert b"{}" not in body and b'},{\\"' in body         # counted from bytes, not parsed


def test_dropping_columns_keeps_rows_and_order(store):
    body = store.query(AWKWARD).serialize(format=ox.QueryResultsFormat.JSON)
    assert render.json_vars(body) == ["a", "b"]
    assert render.drop_json_columns(body, ("c",)) is body          # nothing to drop: untouched
    kept = render.drop_json_columns(body, ("a",))
    assert render.json_vars(kept) == ["b"]
    rows = [dict(zip(["b"], [r["b"].value if r["b"] else None])) for r in ox.parse_query_results(
        body, ox.QueryResultsFormat.JSON)]
    assert [dict(zip(["b"], [r["b"].value if r["b"] else None]))
            for r in ox.parse_query_results(kept, ox.QueryResultsFormat.JSON)] == rows
