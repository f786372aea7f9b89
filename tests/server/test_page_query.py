"""The page path (server.pagequery) gives the same table as the whole-result path: the same
rows in the same order, counts, facets, suggested facets, next page and map, for every table
that pages from its flat rows, every column sorted both ways, later pages, facets and
parameters."""
from __future__ import annotations

import pytest

from core import flat
from core.canned import get
from server import pagequery, pageplan, querypages, tables

TABLES = ("judgements", "recommendations", "statistics", "findings-marking-recommendations",
          "plan-actions-kpis")
#: tables without parameters whose canned query reads every row as it is (``pages=True``);
#: the corpus's reports give them a handful of rows or none: they are checked on the store
#: with the outcome spreadsheets (thousands of grade changes)
WITHOUT_PARAMETERS = ("grade-changes", "shacl-warnings", "latest-judgements", "lscb-vs-overall")
PARAMS = {"judgements": [{}, {"authority_filter": "Bristol"}, {"framework_filter": "sif"},
                         {"authority_filter": "Bristol", "framework_filter": "ilacs-2018"}],
          "recommendations": [{}, {"authority_filter": "Bristol"}, {"words": "plan"},
                              {"words": "PLAN", "authority_filter": "Bristol"}],
          "statistics": [{}, {"authority_filter": "Bristol"}, {"measure_words": "looked after"},
                         {"measure_words": "Child", "authority_filter": "Bristol"}],
          "findings-marking-recommendations": [{}, {"authority_filter": "Gloucestershire"},
                                               {"authority_filter": "Bristol"}],
          # words inside an action, inside a KPI, and across the two ("action KPI")
          "plan-actions-kpis": [{}, {"words": "care leavers"}, {"words": "CHILD"}, {"words": "placement"},
                                {"words": "child. kpi"}, {"words": "way. KPI 1a:"}, {"words": ". kpi"}]}


def first_graded(rows: list[dict]) -> dict:
    """What the map draws: each authority's first row with a grade."""
    out: dict[str, str] = {}
    for r in rows:
        code = r.get("gss_code", {}).get("value")
        if code and code not in out and "grade" in r:
            out[code] = r["grade"]["value"]
    return out


def both(app, name: str, args: dict, html: bool = True):
    """(whole-result table, page-path table) for one request."""
    query = get(name)
    path = f"/queries/{name}" + ("" if html else ".csv")
    with app.test_request_context(path, query_string=args):
        values = {p.name: args.get(p.name, "") for p in query.params}
        bindings = query.bindings(values, base_iri=app.config["BASE_IRI"])
        paged = querypages.paged(query, bindings, html)
        found = querypages.evaluate(query, bindings)
        shown = (query.columns(found.variables) if html
                 else querypages.data_columns(query, found.variables))
        whole = tables.apply(found.rows, shown, querypages.table_request(query, found.variables, html))
        assert list(found.variables) == list(query.variables)
        assert not found.truncated
    return whole, paged


def assert_same(whole: tables.Table, paged: tables.Table, html: bool = True) -> None:
    """Equal as the format shows them (suggested facets and the map are the HTML page's)."""
    assert paged is not None
    assert paged.rows == whole.rows
    assert paged.columns == whole.columns and paged.all_columns == whole.all_columns
    assert (paged.total, paged.matched) == (whole.total, whole.matched)
    assert (paged.next_offset, paged.previous_offset) == (whole.next_offset, whole.previous_offset)
    assert paged.facets == whole.facets
    if not html:
        return
    assert paged.suggested == whole.suggested
    assert first_graded(paged.matched_rows) == first_graded(whole.matched_rows)
    assert [r.get("gss_code") for r in paged.matched_rows] == list(
        {r["gss_code"]["value"]: r["gss_code"] for r in whole.matched_rows
         if "gss_code" in r and "grade" in r}.values())


@pytest.mark.parametrize("name", TABLES)
def test_every_column_sorted_both_ways_gives_the_whole_results_page(app, name):
    query = get(name)
    columns = [v for v in query.variables if v not in {p.name for p in query.params}]
    for column in columns:
        for key in ("_sort", "_sort_desc"):
            whole, paged = both(app, name, {key: column, "_size": "7", "_next": "3"})
            assert_same(whole, paged)
            assert len(paged.rows) == 7


@pytest.mark.parametrize("name", TABLES)
def test_parameters_pages_and_facets_give_the_whole_results_page(app, name):
    query = get(name)
    facets = [c for c in query.variables if c not in {p.name for p in query.params}][:4]
    for params in PARAMS[name]:
        for extra in ({}, {"_next": "20"}, {"_size": "1000"}, {"_sort_desc": facets[1], "_next": "5"}):
            args = {**params, **extra, "_facet": facets}
            whole, paged = both(app, name, args)
            assert_same(whole, paged)
        whole, paged = both(app, name, {**params, "_size": "9", "_sort": facets[0]}, html=False)
        assert_same(whole, paged, html=False)
    whole, paged = both(app, name, {})
    assert whole.total > 50 and paged.rows and len(paged.rows) == app.config["TABLE_PAGE_SIZE"] \
        or whole.total <= app.config["TABLE_PAGE_SIZE"]


@pytest.mark.parametrize("name", TABLES)
@pytest.mark.parametrize("hashed_rows", [0, 10**9])
def test_a_pages_rows_read_by_index_or_by_hashing_are_the_whole_results(app, name, hashed_rows, monkeypatch):
    """A page's cells are read by one index seek per cell, or each column whole and joined by
    hashing when the table is small beside the page (server.pageplan.HASHED_ROWS): each shape
    forced in turn gives the whole result's rows, with parameters, sorted and on later pages."""
    monkeypatch.setattr(pageplan, "HASHED_ROWS", hashed_rows)
    texts = []
    page_query = pageplan.Plan.page_query
    monkeypatch.setattr(pageplan.Plan, "page_query", lambda self, *a, **k: texts.append(page_query(self, *a, **k)) or texts[-1])
    app.extensions.pop("ofsted_kg_pages", None)
    app.extensions.pop("ofsted_kg_bodies", None)
    column = [v for v in get(name).variables if v not in {p.name for p in get(name).params}][1]
    for params in PARAMS[name]:
        for extra in ({"_size": "6"}, {"_sort_desc": column, "_size": "4", "_next": "3"}):
            whole, paged = both(app, name, {**params, **extra})
            assert_same(whole, paged)
    shape = "OPTIONAL { SELECT" if hashed_rows else "OPTIONAL { ?"
    assert texts and all(shape in t for t in texts if "VALUES" in t)


@pytest.mark.parametrize("args", [{"grade": "Good"}, {"_size": "max"}, {"area__contains": "x"}])
def test_column_filters_and_every_row_take_the_whole_result_path(app, args):
    query = get("judgements")
    with app.test_request_context("/queries/judgements", query_string=args):
        assert querypages.paged(query, query.bindings({}), True) is None


def test_the_filters_declared_for_each_table_name_the_canned_querys_parameters_and_cells():
    """Each declared parameter is one of the canned query's, tested against the declared cell
    (the texts may change shape: the rows they give are compared below)."""
    for table in flat.TABLES:
        query = get(table.name)
        if not table.filters:
            continue
        assert {p for p, _, _ in table.filters} == {p.name for p in query.params}
        for param, column, match in table.filters:
            assert match in flat.MATCHES
            assert f"?{param}" in query.sparql, (table.name, param)
            assert all(f"row:{c} " in query.sparql for c in column.split("+")), (table.name, column)
            # how the canned text tests it: the declared match kind must be the one it uses
            text = " ".join(query.sparql.split())
            word = f'CONTAINS(?{column}, CONCAT(" ", ?{param}, " "))' in text
            contains = f"LCASE(?{param})" in text and "CONTAINS(LCASE(" in text
            assert (match, word, contains) in {("equal", False, False), ("word", True, False),
                                                ("contains", False, True)}, (table.name, param, match)


@pytest.mark.parametrize("name", TABLES)
def test_each_parameters_example_keeps_the_rows_the_canned_query_keeps(app, name):
    """With every parameter at its documented example, alone and together, the page path
    keeps the canned query's rows (fails when a declaration and its query drift apart)."""
    query = get(name)
    examples = {p.name: p.example for p in query.params if p.example}
    kept = []
    for args in [{n: v} for n, v in examples.items()] + [examples]:
        whole, paged = both(app, name, {**args, "_size": "1000"})
        assert_same(whole, paged)
        kept.append(whole.total)
    assert any(kept), "no example keeps a row: the check would prove nothing"


def test_the_page_query_reads_only_the_pages_rows(app):
    plan = pageplan.Plan(flat.table("judgements"), get("judgements").variables, ())
    text = plan.page_query([5, 6])
    assert "VALUES" in text and "/judgements/5>" in text and "/judgements/7>" not in text
    assert "ORDER BY" not in text and "SELECT ?flat_row" in text


@pytest.mark.parametrize("name", TABLES)
def test_json_and_csv_pages_are_the_same_bytes_either_way(app, client, monkeypatch, name):
    """The rendered twins (rows, columns, counts, facets, next_url) do not depend on the path."""
    query = get(name)
    columns = [v for v in query.variables if v not in {p.name for p in query.params}]
    urls = [f"/queries/{name}.json?_sort_desc={columns[2]}&_size=5&_next=4&_facet={columns[0]}",
            f"/queries/{name}.csv?_sort={columns[-1]}&_size=12&_nocol={columns[1]}",
            f"/queries/{name}.json?_size=3&_col={columns[0]}&_col={columns[3]}"]
    paged = [client.get(u).data for u in urls]
    monkeypatch.setattr(pagequery, "plan_for", lambda *a, **k: None)
    app.extensions.pop("ofsted_kg_bodies", None)
    whole = [client.get(u).data for u in urls]
    assert paged == whole
    assert all(len(body) > 100 for body in paged)


def test_only_the_tables_declaring_their_filters_take_the_page_path(app):
    """Another flat table (a canned query that may compute more than its cells) keeps the
    whole result."""
    for table in flat.TABLES:
        query = get(table.name)
        with app.test_request_context(f"/queries/{table.name}"):
            paged = querypages.paged(query, query.bindings({}), True)
        assert (paged is not None) == (table.name in TABLES + WITHOUT_PARAMETERS), table.name


def test_a_hidden_column_facets_alike_on_both_paths(app, client):
    """``order`` is projected but hidden; faceting it is allowed, and the whole-result path
    counted only shown columns' selections (a KeyError, a 500, before)."""
    whole, paged = both(app, "recommendations", {"_facet": "order"})
    assert_same(whole, paged)
    assert whole.facets[0]["column"] == "order" and sum(v["count"] for v in whole.facets[0]["values"]) > 0
    assert client.get("/queries/recommendations?_facet=order&_size=max").status_code == 200


@pytest.mark.parametrize("words", ['plan" } } SELECT * WHERE { ?s ?p ?o', "plan\u2028 the", "}\n#", "pl\\an"])
def test_hostile_words_are_bound_not_written(app, words):
    """A parameter value that would break or change a query written into its text (quotes,
    braces, a comment, a backslash, U+2028) gives what the whole result gives (no row, no
    error): the page path binds it."""
    for name, param in (("recommendations", "words"), ("statistics", "measure_words"),
                        ("plan-actions-kpis", "words")):
        both_params = [{param: words, "authority_filter": "Bristol"}] if name != "plan-actions-kpis" else []
        for args in [{param: words}] + both_params:
            whole, paged = both(app, name, {**args, "_size": "1000"})
            assert_same(whole, paged)


def engine_calls(store_path, clients: int) -> int:
    """How many queries a fresh app's engine runs for ``clients`` concurrent cold requests of
    one sorted page (the real pool; the service's ``run`` only counted on its way through)."""
    import threading

    from tests.server.conftest import make_app
    application = make_app(store_path, CLIENT_QUERIES=0)
    service = application.extensions["ofsted_kg"]
    calls, run = [], service.run
    service.run = lambda job, keep=True, trusted=False: calls.append(job) or run(job, keep, trusted)
    statuses = []

    def ask():
        statuses.append(application.test_client().get("/queries/recommendations?_sort=authority").status_code)
    try:
        threads = [threading.Thread(target=ask) for _ in range(clients)]
        [t.start() for t in threads]
        [t.join() for t in threads]
    finally:
        service.pool.close()
    assert statuses == [200] * clients
    return len(calls)


def test_concurrent_cold_pages_compute_what_they_keep_once(store_path):
    """Six requests arriving together on a cold worker run the engine as often as one does
    (the others wait for what the first computes; on the corpus 114 calls instead of 24 without that)."""
    assert engine_calls(store_path, 6) == engine_calls(store_path, 1)


@pytest.fixture(scope="module")
def national_app(national_store_path):
    from tests.server.conftest import make_app
    application = make_app(national_store_path, RESULT_LIMIT=100_000, QUERY_TIMEOUT=60)
    yield application
    application.extensions["ofsted_kg"].pool.close()


#: (table, parameters) checked on the store with the spreadsheets: the tables without
#: parameters, and filters without a bound term to start from (tested once per shared node or
#: row in sub-SELECTs joined by hashing) alone and with one (row by row)
NATIONAL = [(name, {}) for name in WITHOUT_PARAMETERS] + [
    ("judgements", {"framework_filter": "sif"}),
    ("judgements", {"authority_filter": "E08000016"}), ("recommendations", {"words": "the", "authority_filter": "Bristol"}),
    ("recommendations", {"words": "plan"}), ("statistics", {"measure_words": "child"})]


@pytest.mark.slow
@pytest.mark.parametrize("name, params", NATIONAL)
def test_national_pages_are_the_whole_results(national_app, name, params):
    """Every column sorted both ways, later pages, facets and the CSV twin: the page path gives
    the whole result's table (and at 150 x 10 a cold page of grade-changes is no longer its
    10,800 rows decoded: 323 ms before)."""
    query = get(name)
    columns = [v for v in query.variables if v not in {p.name for p in query.params}]
    whole, paged = both(national_app, name, params)
    assert whole.total > 10, "too few rows for the check to prove anything"
    assert_same(whole, paged)
    for column in columns:
        for key in ("_sort", "_sort_desc"):
            whole, paged = both(national_app, name, {**params, key: column, "_size": "7", "_next": "3"})
            assert_same(whole, paged)
            assert len(paged.rows) == 7
    for extra in ({"_next": "20"}, {"_size": "1000"}, {"_sort_desc": columns[1], "_next": "5"}):
        whole, paged = both(national_app, name, {**params, **extra, "_facet": columns[:4]})
        assert_same(whole, paged)
    whole, paged = both(national_app, name, {**params, "_size": "9", "_sort": columns[0]}, html=False)
    assert_same(whole, paged, html=False)


@pytest.mark.parametrize("name", ["recommendations", "statistics", "judgements"])
def test_suggestions_left_undecided_by_the_sample_come_from_every_rows_cells(app, name, monkeypatch):
    """A row's own column that the first kept rows cannot decide (few values among them) is
    counted from every row's cells once per store state (server.pagesuggest, server.pagestate
    every_cell): forced here with a sample of 3 rows, the suggestions equal the whole result's."""
    from server import pagesuggest
    monkeypatch.setattr(pagesuggest, "SAMPLE_ROWS", 3)
    monkeypatch.setattr(pagesuggest, "SAMPLE_BATCHES", 1)
    app.extensions.pop("ofsted_kg_pages", None)
    calls = []
    every_cell = pagesuggest.every_cell
    monkeypatch.setattr(pagesuggest, "every_cell", lambda *a: calls.append(a[1]) or every_cell(*a))
    for params in PARAMS[name][1:]:
        whole, paged = both(app, name, {**params, "_size": "1000"})
        assert_same(whole, paged)
    assert calls, "the fallback never ran: the check would prove nothing"


def test_tsv_lexical_forms_are_distinct_exactly_when_json_values_are():
    """Every row's own cells are read as TSV (server.pagestate.tsv_lexical); the whole result
    compares JSON "value" strings: escapes, normalised numbers, languages, datatypes, IRIs and
    empty strings must split the same way."""
    import json

    import pyoxigraph as ox

    from server.pagestate import tsv_lexical
    xsd = "http://www.w3.org/2001/XMLSchema#"
    typed = [("1", "integer"), ("01", "integer"), ("1.0", "decimal"), ("1", "decimal"), ("1E0", "double"),
             ("true", "boolean"), ("2020-01-01", "date"), ("abc", "integer"), ("-5", "integer"), ("+5", "integer")]
    terms = ([ox.Literal(v, datatype=ox.NamedNode(xsd + t)) for v, t in typed]
             + [ox.Literal(v) for v in ("1", "true", "a\tb", "a\nb", "a\rb", 'a"b', "a\\b", "a\u2028b", "a\x85b",
                                        "x", "", "http://e/x", "a\\tb", "\x01", "é", "a\x0bb", "a\fb", "a\bb")]
             + [ox.Literal("x", language="en"), ox.Literal("", language="en"), ox.NamedNode("http://e/x")])
    store = ox.Store()
    for i, term in enumerate(terms):
        store.add(ox.Quad(ox.NamedNode(f"http://e/r{i}"), ox.NamedNode("http://e/p"), term))
    query = "SELECT ?r ?v WHERE { ?r <http://e/p> ?v }"
    lines = store.query(query).serialize(format=ox.QueryResultsFormat.TSV).decode().split("\n")[1:]
    tsv = {f[0]: tsv_lexical(f[1]) for f in (line.split("\t") for line in lines if line)}
    found = json.loads(store.query(query).serialize(format=ox.QueryResultsFormat.JSON))["results"]["bindings"]
    values = {f"<{b['r']['value']}>": b["v"]["value"] for b in found}
    assert len(tsv) == len(values) == len(terms)
    assert len(set(values.values())) < len(terms)          # some do share a value
    for a in values:
        for b in values:
            assert (tsv[a] == tsv[b]) == (values[a] == values[b]), (a, b)


def test_a_table_without_parameters_says_pages_only_when_its_text_reads_rows_as_they_are():
    """``pages=True`` tells the page path that the canned query is a plain read of the flat
    rows: nothing filtered, grouped, bound, joined in another way or computed."""
    import re
    flagged = [t for t in flat.TABLES if t.pages]
    assert {t.name for t in flagged} == set(WITHOUT_PARAMETERS)
    for table in flagged:
        text = re.sub(r"#[^\n]*", "", get(table.name).sparql)
        assert not re.search(r"\b(FILTER|BIND|VALUES|DISTINCT|GROUP|UNION|MINUS|SERVICE|GRAPH|LIMIT|OFFSET|"
                             r"COALESCE|IF|CONCAT|STR)\b|\(", text.split("WHERE", 1)[1]), table.name
        assert text.rstrip().endswith("ORDER BY ?position"), table.name
        assert not table.params and not table.rows and not table.keys, table.name


@pytest.mark.parametrize("name", ["recommendations", "plan-actions-kpis"])
def test_shared_columns_sampled_by_node_or_read_whole_suggest_as_the_whole_result(app, name, monkeypatch):
    """A shared column with many values in all is sampled a few nodes at a time (looked up by
    index, server.pagesuggest.sampled_shared_counts); one with few values, or one the sample
    cannot decide, is counted from every node's cell (pagestate.shared). Forced here with
    samples of 3 nodes, one batch: both ways run, and the suggestions equal the whole result's."""
    from server import pageplan, pagesuggest
    monkeypatch.setattr(pagesuggest, "SAMPLE_ROWS", 3)
    monkeypatch.setattr(pagesuggest, "SAMPLE_BATCHES", 1)
    app.extensions.pop("ofsted_kg_pages", None)
    sampled, whole_read = [], []
    node_cells, shared = pageplan.Plan.node_cells_query, pagesuggest.shared

    def sampling(self, group, numbers, columns):
        sampled.extend(columns)
        return node_cells(self, group, numbers, columns)

    def reading_whole(plan, group, column):
        whole_read.append(column)
        return shared(plan, group, column)
    monkeypatch.setattr(pageplan.Plan, "node_cells_query", sampling)
    monkeypatch.setattr(pagesuggest, "shared", reading_whole)
    for params in PARAMS[name][1:]:
        whole, paged = both(app, name, {**params, "_size": "1000"})
        assert_same(whole, paged)
    assert sampled and whole_read, (sampled, whole_read)
