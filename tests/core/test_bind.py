"""Parameters bound in the text (for remote endpoints) give the rows that pyoxigraph's own
substitutions give, for every canned query with parameters, on the corpus store."""
import pyoxigraph as ox
import pytest

import queries
from core.bind import bind_values, query_form
from core.store import open_store

WITH_PARAMS = sorted(name for name, q in queries.load_all().items()
                     if any(p.example for p in q.params))


def _rows(results) -> list[tuple]:
    names = [v.value for v in results.variables]
    return sorted(tuple("" if r[n] is None else str(r[n]) for n in names) for r in results)


@pytest.mark.parametrize("name", WITH_PARAMS)
def test_values_in_the_text_bind_like_substitutions(corpus_store_path, name):
    canned = queries.get(name)
    subs = canned.bindings({p.name: p.example for p in canned.params if p.example})
    store = open_store(corpus_store_path, read_only=True)
    try:
        bound = bind_values(canned.sparql, subs)
        assert bound != canned.sparql and "VALUES" in bound
        assert _rows(store.query(bound)) == _rows(store.query(canned.sparql, substitutions=subs))
    finally:
        store.close()


def test_a_parameter_reaches_only_the_groups_that_project_it():
    sparql = ("SELECT ?x WHERE { { SELECT ?y WHERE { ?y ?p ?o } } "
              "{ SELECT ?x WHERE { ?x ?p ?o } } }")
    bound = bind_values(sparql, {ox.Variable("x"): ox.NamedNode("http://example.org/a")})
    assert bound.count("VALUES (?x)") == 2           # the outer group and the sub-SELECT with ?x
    assert "{ SELECT ?y WHERE { ?y" in bound


def test_a_blank_node_is_no_parameter():
    with pytest.raises(ValueError):
        bind_values("SELECT * { ?s ?p ?o }", {ox.Variable("s"): ox.BlankNode()})


@pytest.mark.parametrize("text, form", [("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
                                        ("# SELECT\nASK { ?s ?p ?o }", "ASK"),
                                        ("SELECT 'unterminated", "SELECT")])
def test_the_query_form_is_read_from_its_terminals(text, form):
    assert query_form(text) == form
