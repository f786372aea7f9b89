"""Tables with Datasette's parameters (_sort, _sort_desc, col=value, col__contains, _facet,
_size, _next, _col) on canned-query pages and their .json and .csv twins, over the real corpus."""
from __future__ import annotations

import csv
import re
import io

import pytest
from werkzeug.datastructures import MultiDict

from server import tablerows, tables


def rows_of(client, url, **args):
    r = client.get(url, query_string=args or None)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_json()


def test_sort_desc_puts_the_latest_inspection_first_and_paging_walks_every_row(client):
    every = rows_of(client, "/queries/judgements.json")["results"]["bindings"]
    starts = sorted((r["inspection_start"]["value"] for r in every), reverse=True)
    seen, url, args = [], "/queries/judgements.json", {"_sort_desc": "inspection_start", "_size": "10"}
    while url:
        data = rows_of(client, url, **args)
        seen += [r["inspection_start"]["value"] for r in data["results"]["bindings"]]
        table = data["query"]["table"]
        assert table["rows"] == table["matched"] == len(every)
        url, args = (table["next_url"].split("localhost", 1)[1], {}) if table["next_url"] else (None, {})
    assert seen == starts and len(seen) == len(every) > 10


def test_filter_by_value_and_contains_and_facet_counts(client):
    every = rows_of(client, "/queries/judgements.json")["results"]["bindings"]
    good = [r for r in every if r["grade"]["value"] == "Good"]
    data = rows_of(client, "/queries/judgements.json", grade="Good", _facet="framework")
    assert len(data["results"]["bindings"]) == len(good) > 0
    counts = {f["value"]: f["count"] for f in data["query"]["table"]["facets"]["framework"]}
    assert sum(counts.values()) == len(good)
    assert counts == {fw: sum(1 for r in good if r["framework"]["value"] == fw) for fw in counts}
    bristol = rows_of(client, "/queries/judgements.json", authority__contains="bristol")
    names = {r["authority"]["value"] for r in bristol["results"]["bindings"]}
    assert names == {"Bristol City Council"}


def test_grades_sort_by_rank_not_alphabet(client):
    data = rows_of(client, "/queries/judgements.json", _sort="grade", _col="grade")
    grades = [r["grade"]["value"] for r in data["results"]["bindings"]]
    ranks = [tables.grade_rank(g) for g in grades]
    assert ranks == sorted(ranks) and grades[0] == "Outstanding" and grades[-1] == "Inadequate"
    assert data["head"]["vars"] == ["grade"]


def test_csv_twin_takes_the_same_parameters(client):
    r = client.get("/queries/judgements.csv", query_string={"grade": "Inadequate", "_col": ["authority", "area"],
                                                            "_sort": "area"})
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert rows[0] == ["authority", "area"]
    assert len(rows) - 1 == len(rows_of(client, "/queries/judgements.json", grade="Inadequate")["results"]["bindings"])
    assert [row[1] for row in rows[1:]] == sorted((row[1] for row in rows[1:]), key=str.casefold)


def test_html_page_shows_range_pager_sort_state_and_facet(client):
    html = client.get("/queries/judgements", query_string={"_size": "5", "_next": "5", "_sort": "area",
                                                            "_facet": "grade"}).get_data(as_text=True)
    total = len(rows_of(client, "/queries/judgements.json")["results"]["bindings"])
    assert f"Rows 6–10 of {total}" in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert 'aria-sort="ascending" data-column="area"' in html
    assert 'data-facet="grade"' in html and "GSS code" in html
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr>") == 5


def test_add_filter_form_redirects_to_the_datasette_style_url(client):
    r = client.get("/queries/judgements", query_string={"_filter_column": "area", "_filter_op": "contains",
                                                         "_filter_value": "adoption", "_size": "20"})
    assert r.status_code == 302
    assert "area__contains=adoption" in r.headers["Location"] and "_size=20" in r.headers["Location"]


@pytest.mark.parametrize("args", [{"_sort": "nope"}, {"_size": "0"}, {"_size": "ten"},
                                  {"nope__contains": "x"}, {"_facet": "nope"}, {"_next": "-1"}])
def test_bad_table_parameters_are_400_naming_them(client, args):
    r = client.get("/queries/judgements.json", query_string=args)
    assert r.status_code == 400
    assert next(iter(args)) in r.get_json()["error"]


def test_other_pages_sorts_and_facets_reuse_the_decoded_rows(app):
    client = app.test_client()
    service = app.extensions["ofsted_kg"]
    client.get("/queries/grade-distribution", query_string={"_size": "2"})
    before = (service.cache.hits, service.cache.misses)
    for args in ({"_size": "2", "_next": "2"}, {"_sort_desc": "judgements"}, {"_facet": "grade"}):
        assert client.get("/queries/grade-distribution", query_string=args).status_code == 200
    assert (service.cache.hits, service.cache.misses) == before     # the byte cache was not even asked


def test_apply_keeps_empty_cells_last_both_ways():
    rows = [{"n": {"type": "literal", "value": v, "datatype": tables.XSD + "integer"}} if v else {}
            for v in ("10", "", "9", "100")]
    up = tables.apply(rows, ["n"], tables.TableRequest(sort="n"))
    down = tables.apply(rows, ["n"], tables.TableRequest(sort="n", descending=True))
    assert [r.get("n", {}).get("value") for r in up.rows] == ["9", "10", "100", None]
    assert [r.get("n", {}).get("value") for r in down.rows] == ["100", "10", "9", None]


def test_cached_rows_derive_each_order_and_facet_once_and_agree_with_plain_rows(app):
    client = app.test_client()
    data = client.get("/queries/judgements.json").get_json()
    plain = data["results"]["bindings"]
    cached = tablerows.Rows(plain)
    columns = data["head"]["vars"]
    requests = [tables.TableRequest(sort="grade", descending=True, size=5, offset=3),
                tables.TableRequest(filters=(("framework", "exact", "sif"),), facets=("grade",), size=4),
                tables.TableRequest(size=7, offset=20)]
    for request in requests:
        first, again, fresh = (tables.apply(cached, columns, request), tables.apply(cached, columns, request),
                               tables.apply(plain, columns, request))
        assert first.rows == fresh.rows and first.facets == fresh.facets and first.suggested == fresh.suggested
        assert first.matched == fresh.matched > 0
        assert again.matched_rows is first.matched_rows        # kept, not computed again
    # another page of a kept order slices it
    other = tables.apply(cached, columns, tables.TableRequest(size=7, offset=27))
    assert other.matched_rows is first.matched_rows and other.rows == plain[27:34]


def test_decode_shares_equal_cells_and_keeps_every_value(app):
    import json
    body = app.test_client().get("/queries/judgements.json").get_data()
    rows = tablerows.decode_rows(body)
    plain = json.loads(body)
    assert rows == plain["results"]["bindings"]
    sif = [r["framework"] for r in rows if r["framework"]["value"] == "sif"]
    assert len(sif) > 10 and all(cell is sif[0] for cell in sif)
    # a column called "type" is a row's key, not a term's
    typed = tablerows.decode_rows(b'{"head":{"vars":["type"]},"results":{"bindings":['
                                  b'{"type":{"type":"literal","value":"a"}},{"type":{"type":"literal","value":"a"}}]}}')
    assert typed[0]["type"] is typed[1]["type"] and typed[0]["type"]["value"] == "a"


def test_parse_request_ignores_unknown_plain_keys_and_params():
    req = tables.parse_request(MultiDict([("grade", "Good"), ("utm", "x"), ("authority_filter", "E1")]),
                               ["grade", "area"], {"authority_filter"}, 100, 1000)
    assert req.filters == (("grade", "exact", "Good"),) and req.size == 100


def test_words_not_codes_on_the_page_codes_in_the_data(client):
    html = client.get("/queries/judgements", query_string={"_facet": "framework"}).get_data(as_text=True)
    assert '<abbr title="sif">Single inspection framework, 2013-18</abbr>' in html
    assert '<th scope="col" aria-sort="none" data-column="gss_code">' in html and ">GSS code<" in html
    facet = html.split('data-facet="framework"', 1)[1].split("</div>", 1)[0]
    assert "Safeguarding and looked after children, 2009-12" in facet
    assert 'option value="sif"' in html and ">Single inspection framework, 2013-18</option>" in html
    data = client.get("/queries/judgements.json", query_string={"framework": "sif"}).get_json()
    assert {r["framework"]["value"] for r in data["results"]["bindings"]} == {"sif"}
    form = client.get("/queries/authority-timeline").get_data(as_text=True)
    assert 'placeholder="Default: Bristol"' in form


def test_entity_lists_are_tables_too(client):
    page = client.get("/def/area/care-leavers", query_string={"_size": "1", "_facet": "via",
                                                              "_sort_desc": "subject"}).get_data(as_text=True)
    body = page.split('<table class="results">', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr>") == 1 and 'rel="next"' in page
    assert 'data-facet="via"' in page and 'aria-sort="descending" data-column="subject"' in page
    every = client.get("/def/area/care-leavers", query_string={"_size": "max"}).get_data(as_text=True)
    total = int(re.search(r"Linked from \((\d+)\)", every).group(1))
    assert total > 1 and f"Linked from ({total})" in page
    assert client.get("/def/area/care-leavers", query_string={"_sort": "nope"}).status_code == 400
