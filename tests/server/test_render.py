"""The result writers on the real store: every format holds the same rows, and the row cap cuts
exactly, on the fast path (pyoxigraph writes, rows counted) and the slow one (rows one by one)."""
from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from core import formats as render
from core import sparqljson
from core.firstrows import first_rows

# 1,500 of the corpus store's literals (350 KB of JSON, commas and a quote among them): enough
# rows for every cut below; all 14,000 made this file 10 s of the fast loop
LITERALS = "SELECT ?s ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) } LIMIT 1500"


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


@pytest.mark.parametrize("key", list(render.RESULT_FORMATS))
def test_a_body_the_size_allowed_is_written_at_once(store, key, monkeypatch):
    """A result over the fast path's size but within ``max_bytes`` is written by pyoxigraph in
    one pass, not again row by row (a whole 28.5 MB table went through Python: 2.1 s, not 0.7)."""
    monkeypatch.setattr(render, "FAST_PATH_BYTES", 1000)
    run = lambda: store.query(LITERALS, use_default_graph_as_union=True)   # noqa: E731
    whole = render.write_solutions(run(), key, None)[0]
    assert len(whole) > 1000
    runs_again = []
    again = lambda: runs_again.append(1) or run()                           # noqa: E731
    body, cut = render.write_solutions(run(), key, 10**9, again=again, max_bytes=len(whole))
    assert (body, cut, runs_again) == (whole, False, [])
    body, cut = render.write_solutions(run(), key, 10**9, again=again, max_bytes=len(whole) - 1)
    assert cut and len(body) < len(whole)
    # the rows that fit are cut from the bytes already written: the last row goes, no query again
    assert runs_again == [] and rows_of(body, key) == rows_of(whole, key)[:-1]


def rows_of(body: bytes, key: str) -> list[list]:
    """The rows of a result: terms, or for CSV (which pyoxigraph does not read) their text."""
    if key == "csv":
        return list(csv.reader(io.StringIO(body.decode(), newline="")))[1:]
    found = ox.parse_query_results(body, render.RESULT_FORMATS[key].ox_format)
    return [[row[v.value] for v in found.variables] for row in found]


# row ends and empty rows inside and between values: XML's "</result>", TSV's and CSV's line
# breaks (CSV's inside quotes, one with a quote before it) and JSON's "},{" in strings, a row
# with nothing bound, a language tag, a datatype
ROW_ENDS_IN_VALUES = """SELECT ?a ?b WHERE { VALUES (?a ?b) {
  ("x</result>y" 1) (UNDEF "a\\r\\nb") ("\\"q\\r\\n" 2) ("},{\\"c\\":{" <http://e/x>) ("d"@en "e"^^<http://e/dt>) ("f" "</results>") } }"""


@pytest.mark.parametrize("key", list(render.RESULT_FORMATS))
def test_first_rows_are_cut_from_the_start_of_an_answer(store, key):
    fmt = render.RESULT_FORMATS[key].ox_format
    whole = store.query(ROW_ENDS_IN_VALUES).serialize(format=fmt)
    rows = rows_of(whole, key)
    assert len(rows) == 6
    start = whole[:whole.rindex(b"f")]                         # cut inside the last row
    for limit in range(7):
        assert rows_of(first_rows(start, key, limit, 10**9), key) == rows[:min(limit, 5)]
    for size in range(len(whole) + 1):                         # every size, the closing counted
        cut = first_rows(whole, key, 10**9, size)
        if cut is None:                                        # a CSV header that does not fit
            assert key == "csv" and size < whole.index(b"\r\n") + 2
            continue
        kept = len(rows_of(cut, key))
        assert (len(cut) <= size or kept == 0) and rows_of(cut, key) == rows[:kept]
        if kept < len(rows):                                   # as many as fit: one more would not
            assert len(first_rows(whole, key, kept + 1, 10**9)) > size
    empty_row = store.query(ROW_ENDS_IN_VALUES.replace('("d"@en', '(UNDEF UNDEF) ("d"@en')).serialize(format=fmt)
    if key == "json":                                          # "},{}" could be a string's text
        assert first_rows(empty_row, key, 10, 10**9) is None
    else:
        assert len(rows_of(first_rows(empty_row, key, 10, 10**9), key)) == 7


def test_some_literals_have_newlines_and_quotes(store):
    """The exact-count claim is only tested if the data has the awkward characters."""
    values = [row["o"].value for row in store.query(LITERALS, use_default_graph_as_union=True)]
    assert any("\n" in v or '"' in v or "," in v for v in values)


# strings holding the row separator (escaped), braces, quotes and newlines; an unbound column
AWKWARD = """SELECT ?a ?b WHERE {
  VALUES (?a ?b) { ("x},{\\"y" "{ }") ("}},{\\"" UNDEF) ("\\n{\\"" <http://e/x>) (UNDEF "z") }
}"""
WITH_EMPTY_ROW = AWKWARD.replace('(UNDEF "z")', "(UNDEF UNDEF)")     # a row with nothing bound
# empty rows first, after a row and before one, and strings holding "{}" and "},{}"
EMPTY_FIRST = """SELECT ?a ?b WHERE {
  VALUES (?a ?b) { (UNDEF UNDEF) ("{}" "a},{}b") (UNDEF UNDEF) ("c" "}},{}") }
}"""
EMPTY_ONLY_FIRST = """SELECT ?a ?b WHERE { VALUES (?a ?b) { (UNDEF UNDEF) ("x{}" "{}}") ("y" UNDEF) } }"""
ONLY_EMPTY = """SELECT ?a WHERE { VALUES ?a { UNDEF } }"""
# strings that end in the row separator's first three bytes, before another cell, at a row's
# end and before a datatype (the review found them counted as rows)
ENDING = """SELECT ?a ?b WHERE {
  VALUES (?a ?b) { ("x},{" "y") ("p" "q},{") ("r},{"^^<http://e/dt> UNDEF) ("s" "t},{"@en) }
}"""


@pytest.mark.parametrize("sparql", [AWKWARD, WITH_EMPTY_ROW, ENDING, EMPTY_FIRST, EMPTY_ONLY_FIRST,
                                    ONLY_EMPTY, LITERALS, "SELECT ?x WHERE { FILTER(false) }",
                                    "SELECT * WHERE { ?s ?p ?o } LIMIT 1"])
def test_json_rows_are_counted_without_parsing_exactly(store, sparql):
    body = store.query(sparql, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON)
    assert sparqljson.json_row_count(body) == rows_in(body, "json")
    if sparql in (AWKWARD, ENDING):
        assert b"{}" not in body                                 # counted from bytes, not parsed
    if sparql == AWKWARD:
        assert b'},{\\"' in body
    if sparql == ENDING:
        assert body.count(b'},{"') > 3                           # more than its row breaks
    if sparql == EMPTY_ONLY_FIRST:                               # counted from bytes: {} in strings
        assert body.count(b"{}") == 3 and b"},{}" not in body    # and the first row's


def test_dropping_columns_keeps_rows_and_order(store):
    body = store.query(AWKWARD).serialize(format=ox.QueryResultsFormat.JSON)
    assert sparqljson.json_vars(body) == ["a", "b"]
    assert sparqljson.drop_json_columns(body, ("c",)) is body          # nothing to drop: untouched
    kept = sparqljson.drop_json_columns(body, ("a",))
    assert sparqljson.json_vars(kept) == ["b"]
    rows = [dict(zip(["b"], [r["b"].value if r["b"] else None])) for r in ox.parse_query_results(
        body, ox.QueryResultsFormat.JSON)]
    assert [dict(zip(["b"], [r["b"].value if r["b"] else None]))
            for r in ox.parse_query_results(kept, ox.QueryResultsFormat.JSON)] == rows


def parsed_without(body: bytes, drop) -> dict:
    """What dropping ``drop`` must give: the parsed JSON without those variables."""
    data = json.loads(body)
    keep = [v for v in data["head"]["vars"] if v not in drop]
    return {"head": {"vars": keep},
            "results": {"bindings": [{v: row[v] for v in keep if v in row} for row in data["results"]["bindings"]]}}


# the awkward values again, with a language tag, a datatype, a blank node, non-ASCII text and
# a string that spells a cell of a dropped variable; rows where the dropped ones come first,
# last, alone and not at all
CELLS = """SELECT ?a ?b ?c WHERE {
  VALUES (?a ?b ?c) {
    ("x},{\\"b\\":{\\"type\\":\\"uri\\"" "{ }"@en-GB 1)
    ("}},{\\"" UNDEF "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>)
    ("\\n{\\"c\\":{" <http://e/x> UNDEF)
    (UNDEF "é ü \\\\ \\t" UNDEF)
    (UNDEF UNDEF UNDEF)
    ("only a" UNDEF UNDEF)
  }
  OPTIONAL { FILTER (false) }
}"""


@pytest.mark.parametrize("drop", [("a",), ("b",), ("c",), ("a", "c"), ("a", "b", "c"), ("b", "z")])
def test_cutting_cells_from_bytes_gives_what_parsing_gives(store, drop):
    body = store.query(CELLS).serialize(format=ox.QueryResultsFormat.JSON)
    cut = sparqljson.drop_json_columns(body, drop)
    assert json.loads(cut) == parsed_without(body, drop)
    assert cut.startswith(b'{"head":{"vars":')


def test_a_blank_node_cell_is_cut_too(store):
    body = store.query("SELECT ?a ?b WHERE { BIND (BNODE() AS ?a) BIND ('k' AS ?b) }").serialize(
        format=ox.QueryResultsFormat.JSON)
    assert b'"type":"bnode"' in body
    assert json.loads(sparqljson.drop_json_columns(body, ("a",))) == parsed_without(body, ("a",))


def test_every_canned_query_loses_its_hidden_columns_as_parsing_would(store):
    from core.canned import load_all
    checked = 0
    for q in load_all().values():
        drop = tuple({p.name for p in q.params} | set(q.hide))
        bindings = q.bindings({p.name: p.example for p in q.params if p.example is not None})
        body = store.query(q.sparql, substitutions=bindings, use_default_graph_as_union=True).serialize(
            format=ox.QueryResultsFormat.JSON)
        cut = sparqljson.drop_json_columns(body, drop)
        assert json.loads(cut) == parsed_without(body, drop), q.name
        checked += bool(drop) and b'"bindings":[]' not in body
    assert checked >= 10


@pytest.mark.parametrize("drop", [("subject",), ("object",)])
def test_a_triple_term_keeps_its_parts_when_a_like_named_column_goes(store, drop):
    # a triple term's parts are keyed "subject", "predicate", "object", like variables
    sparql = """SELECT ?subject ?t ?object WHERE {
      BIND (TRIPLE(<http://e/s>, <http://e/p>, "o") AS ?t) BIND ("x" AS ?subject) }"""
    body = store.query(sparql).serialize(format=ox.QueryResultsFormat.JSON)
    assert b'"type":"triple"' in body
    cut = sparqljson.drop_json_columns(body, drop)
    assert json.loads(cut) == parsed_without(body, drop)
    assert len(list(ox.parse_query_results(cut, ox.QueryResultsFormat.JSON))) == 1


def test_a_variable_no_row_binds_leaves_only_the_head(store):
    """An unbound parameter (projected, never bound) is found absent by a plain search and only
    leaves the head; a string holding its key as text (escaped quotes) does not count."""
    sparql = """SELECT ?a ?p ?b WHERE {
      VALUES (?a ?b) { ("x" "say \\"p\\":{\\"type\\":\\"uri\\"}") ("y" UNDEF) ("z" "p") } }"""
    body = store.query(sparql).serialize(format=ox.QueryResultsFormat.JSON)
    assert sparqljson.json_vars(body) == ["a", "p", "b"] and b'"p":{' not in body
    cut = sparqljson.drop_json_columns(body, ("p",))
    assert json.loads(cut) == parsed_without(body, ("p",))
    assert cut == body.replace(b'"vars":["a","p","b"]', b'"vars":["a","b"]')     # rows untouched
    both = sparqljson.drop_json_columns(body, ("p", "b"))
    assert json.loads(both) == parsed_without(body, ("p", "b"))
