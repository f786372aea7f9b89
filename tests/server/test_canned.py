"""Canned queries are checked as they load: every shipped query passes, and a bad query in a
temporary folder stops loading with one line naming its file and the reason (one case per
reason)."""
from __future__ import annotations

from pathlib import Path

import pytest

from core import canned
from core.canned import QueryDefinitionError

GOOD_RQ = """PREFIX ofs: <https://w3id.org/ofsted-kg/def#>
SELECT ?authority ?grade ?authority_iri ?grade_filter
WHERE { ?j ofs:grade ?g ; ofs:subject ?authority_iri . ?g ofs:rank ?grade_filter .
        ?authority_iri ofs:label ?authority . ?g ofs:label ?grade }
"""
GOOD_TOML = """title = "Grades"
description = "Each judgement's grade."
theme = "Judgements"
hide = ["authority_iri"]
chart = {type = "bar", x = "authority", y = "grade"}

[[params]]
name = "grade_filter"
type = "grade"
description = "Only this grade"
example = "Good"
"""


def write(folder: Path, rq: str = GOOD_RQ, toml: str | None = GOOD_TOML, name: str = "grades") -> Path:
    (folder / f"{name}.rq").write_text(rq, encoding="utf-8")
    if toml is not None:
        (folder / f"{name}.toml").write_text(toml, encoding="utf-8")
    return folder


def load_error(folder: Path) -> str:
    with pytest.raises(QueryDefinitionError) as caught:
        canned.load_all.__wrapped__(str(folder))
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_every_shipped_query_loads_with_its_projection():
    queries = canned.load_all()
    assert "judgements" in queries and len(queries) >= 20
    judgements = queries["judgements"]
    assert judgements.variables[:10] == ("authority", "gss_code", "framework", "inspection_kind",
                                         "inspection_start", "inspection_end", "published",
                                         "subject", "area", "grade")
    for q in queries.values():
        assert {p.name for p in q.params} <= set(q.variables), q.name
        assert all(p.example for p in q.params), q.name


def test_a_good_query_loads(tmp_path):
    toml = GOOD_TOML.replace('theme = "Judgements"', 'theme = "Judgements"\nfacets = ["grade"]\nsort_desc = "authority"')
    q = canned.load_all.__wrapped__(str(write(tmp_path, toml=toml)))["grades"]
    assert q.variables == ("authority", "grade", "authority_iri", "grade_filter")
    assert q.columns(list(q.variables)) == ["authority", "grade"]
    assert q.params[0].example == "Good"
    assert (q.facets, q.sort, q.sort_desc) == (("grade",), "authority", True)


def test_a_page_takes_the_query_s_facets_and_sort_unless_the_request_names_its_own(app):
    import dataclasses

    from server.querypages import table_request
    q = dataclasses.replace(canned.load_all()["judgements"], facets=("grade", "area"), sort="authority",
                            sort_desc=True)
    with app.test_request_context("/queries/judgements"):
        page = table_request(q, list(q.variables), html=True)
        data = table_request(q, list(q.variables), html=False)
    assert (page.facets, page.sort, page.descending) == (("grade", "area"), "authority", True)
    assert (data.facets, data.sort) == ((), None)
    with app.test_request_context("/queries/judgements?_facet=framework&_sort=grade"):
        page = table_request(q, list(q.variables), html=True)
    assert (page.facets, page.sort, page.descending) == (("framework",), "grade", False)


BAD_TOML = [
    ("missing title", GOOD_TOML.replace('title = "Grades"\n', ""), "'title' is missing"),
    ("unknown key", GOOD_TOML.replace('theme = "Judgements"', 'theme = "Judgements"\nfacet = ["grade"]'),
     "unknown key 'facet'"),
    ("unknown param key", GOOD_TOML + 'exmaple = "Good"\n', "unknown key 'exmaple' in param 'grade_filter'"),
    ("no type", GOOD_TOML.replace('type = "grade"\n', ""), "param 'grade_filter' has type None"),
    ("bad type", GOOD_TOML.replace('type = "grade"', 'type = "colour"'), "has type 'colour'; expected one of"),
    ("no example", GOOD_TOML.replace('example = "Good"\n', ""), "param 'grade_filter' has no example"),
    ("no description", GOOD_TOML.replace('description = "Only this grade"\n', ""),
     "param 'grade_filter' has no description"),
    ("bad example", GOOD_TOML.replace('example = "Good"', 'example = "Splendid"'),
     "param 'grade_filter': its example 'Splendid' does not fit: 'Splendid' is not a grade"),
    ("default not allowed", GOOD_TOML + 'default = "Good"\nallowed = ["Inadequate"]\n',
     "its example 'Good' does not fit: 'Good' is not one of: Inadequate"),
    ("param not projected", GOOD_TOML.replace('name = "grade_filter"', 'name = "area_filter"'),
     "param 'area_filter' is not projected by the query (SELECT lists ?authority ?grade ?authority_iri ?grade_filter)"),
    ("hidden column not projected", GOOD_TOML.replace('hide = ["authority_iri"]', 'hide = ["la_iri"]'),
     "hidden column 'la_iri' is not projected"),
    ("chart column not projected", GOOD_TOML.replace('y = "grade"', 'y = "judgements"'),
     "chart y 'judgements' is not projected"),
    ("chart type", GOOD_TOML.replace('type = "bar"', 'type = "pie"'), "chart type 'pie' is not one of bar, line, grid"),
    ("chart without y", GOOD_TOML.replace(', y = "grade"', ""), "the bar chart has no 'y' column"),
    ("param twice", GOOD_TOML + GOOD_TOML[GOOD_TOML.index("[[params]]"):], "a parameter is declared twice"),
    ("not toml", GOOD_TOML.replace('title = "Grades"', "title = Grades"), "grades.toml: not TOML"),
    ("facet not projected", GOOD_TOML.replace('theme = "Judgements"', 'theme = "Judgements"\nfacets = ["area"]'),
     "facet column 'area' is not projected"),
    ("sort not projected", GOOD_TOML.replace('theme = "Judgements"', 'theme = "Judgements"\nsort = "date"'),
     "sort column 'date' is not projected"),
    ("facet on a parameter", GOOD_TOML.replace('theme = "Judgements"', 'theme = "Judgements"\nfacets = ["grade_filter"]'),
     "facet column 'grade_filter' is a parameter or hidden"),
    ("sort on a hidden column", GOOD_TOML.replace('theme = "Judgements"', 'theme = "Judgements"\nsort_desc = "authority_iri"'),
     "sort_desc column 'authority_iri' is a parameter or hidden"),
    ("two orders", GOOD_TOML.replace('theme = "Judgements"', 'theme = "Judgements"\nsort = "grade"\nsort_desc = "grade"'),
     "'sort' and 'sort_desc' both given"),
]


@pytest.mark.parametrize("reason,toml,expected", BAD_TOML, ids=[case[0] for case in BAD_TOML])
def test_bad_metadata_names_the_file_and_the_reason(tmp_path, reason, toml, expected):
    message = load_error(write(tmp_path, toml=toml))
    assert message.startswith(str(tmp_path / "grades.toml") + ": "), message
    assert expected in message, message


BAD_RQ = [
    ("param only projected", GOOD_RQ.replace("?g ofs:rank ?grade_filter", "?g ofs:rank ?rank")
     .replace("WHERE { ", "WHERE { # ?grade_filter in a comment does not count\n"),
     "param 'grade_filter' is projected but not used in the query's WHERE clause"),
    ("does not parse", GOOD_RQ.replace("WHERE {", "WHERE {{"), "the SPARQL does not parse"),
    ("not a select", "CONSTRUCT WHERE { ?s ?p ?o }", "not a SELECT query"),
    ("calls another endpoint", GOOD_RQ.replace("?authority_iri ofs:label ?authority .",
                                               "SERVICE <http://example.org/sparql> { ?authority_iri ofs:label ?authority }"),
     "SERVICE is not allowed in a canned query"),
]


@pytest.mark.parametrize("reason,rq,expected", BAD_RQ, ids=[case[0] for case in BAD_RQ])
def test_bad_sparql_names_the_rq_file(tmp_path, reason, rq, expected):
    message = load_error(write(tmp_path, rq=rq))
    where = tmp_path / ("grades.toml" if reason == "param only projected" else "grades.rq")
    assert message.startswith(f"{where}: "), message
    assert expected in message, message


def test_a_query_without_metadata_and_metadata_without_a_query(tmp_path):
    assert "no metadata file grades.toml" in load_error(write(tmp_path, toml=None))
    (tmp_path / "grades.rq").unlink()
    (tmp_path / "lonely.toml").write_text(GOOD_TOML, encoding="utf-8")
    assert load_error(tmp_path) == f"{tmp_path / 'lonely.toml'}: no query file lonely.rq beside it"

