"""Canned-query pages, home and editor through the Flask test client: every canned query's HTML,
.json and .csv agree on the row count with each param's example value; bad parameters are a 400
on the form; injection strings are plain values; report text is escaped."""
from __future__ import annotations

import csv
import io
import re

import pytest

from queries import load_all

QUERIES = sorted(load_all())


def examples(name: str) -> dict:
    return {p.name: p.example for p in load_all()[name].params if p.example}


def html_rows(html: str) -> int:
    body = html.split('<table class="results">', 1)
    if len(body) == 1:
        assert "No rows." in html
        return 0
    return body[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>")


@pytest.mark.parametrize("name", QUERIES)
def test_every_canned_query_html_json_csv_agree(client, name):
    args = examples(name)
    page = client.get(f"/queries/{name}", query_string=args)
    data = client.get(f"/queries/{name}.json", query_string=args)
    table = client.get(f"/queries/{name}.csv", query_string=args)
    assert (page.status_code, data.status_code, table.status_code) == (200, 200, 200), name
    n_json = len(data.get_json()["results"]["bindings"])
    n_csv = len(list(csv.reader(io.StringIO(table.get_data(as_text=True))))) - 1
    assert html_rows(page.get_data(as_text=True)) == n_json == n_csv
    assert 'rel="alternate"' in page.headers["Link"]


def test_design_card_query_finds_bristol_with_links_to_local_pages(client):
    r = client.get("/queries/inadequate-care-leavers-good-adoption",
                   query_string={"care_leavers_grade": "Inadequate", "adoption_grade": "Good"})
    html = r.get_data(as_text=True)
    assert "Bristol City Council" in html
    assert 'href="/id/inspection/E06000023/' in html
    assert 'class="grade grade-4"' in html and 'class="grade grade-2"' in html


def test_bad_parameter_is_a_400_message_on_the_form(client):
    r = client.get("/queries/inadequate-care-leavers-good-adoption", query_string={"adoption_grade": "Splendid"})
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "is not one of" in html and 'aria-invalid="true"' in html and "<form" in html
    r = client.get("/queries/judgements.json", query_string={"authority_filter": "Atlantis"})
    assert r.status_code == 400 and "no authority called" in r.get_json()["error"]


@pytest.mark.parametrize("value", ['" } ; DROP ALL ; #', "x\") } UNION { ?s ?p ?o } #", "<script>alert(1)</script>"])
def test_injection_strings_are_plain_values(client, value):
    r = client.get("/queries/recommendations.json", query_string={"words": value})
    assert r.status_code == 200 and r.get_json()["results"]["bindings"] == []
    page = client.get("/queries/recommendations", query_string={"words": value}).get_data(as_text=True)
    assert "<script>alert" not in page and "No rows." in page


def test_unknown_query_is_404(client):
    assert client.get("/queries/no-such-query").status_code == 404


def test_chart_is_inline_svg_in_grade_colours(client):
    html = client.get("/queries/grade-distribution").get_data(as_text=True)
    assert '<svg viewBox=' in html and re.search(r'<rect [^>]*class="grade-[1-4]"', html)


def test_line_chart_of_a_statistic_over_time(client):
    html = client.get("/queries/statistic-over-time").get_data(as_text=True)
    lines = re.findall(r'<polyline points="([^"]+)"', html)
    # Bristol, B&NES and Gloucestershire: the printed figure and the earlier one it compares with
    assert len(lines) == 3 and all(len(points.split()) == 2 for points in lines)
    assert "<title>Bristol City Council 2014-09-30: 696</title>" in html
    assert "<title>Bristol City Council 2013-03-31: 719</title>" in html


def test_home_counts_queries_and_search(client):
    r = client.get("/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and len(r.data) < 1_000_000
    assert re.search(r'<span class="count">4</span> authorities inspected', html)
    assert 'action="/queries/authorities"' in html and 'href="/editor"' in html
    for q in load_all().values():
        assert f'href="/queries/{q.name}"' in html


def test_editor_offers_canned_queries_and_a_form(client):
    html = client.get("/editor?query=judgements", follow_redirects=True).get_data(as_text=True)
    assert 'action="/sparql"' in html and "ofs:hasJudgement" in html
    assert '"examples"' in html


def test_script_in_report_text_renders_escaped(client):
    # a real recommendation text rendered through the same cell template as any report text
    from flask import render_template, request
    from server import tables
    from server.queryrender import cell, rows_html
    from server.tablelinks import table_links
    term = {"type": "literal", "value": "<script>alert('x')</script>"}
    with client.application.test_request_context("/queries/recommendations?text__contains=<script>"):
        found = tables.apply([{"text": term}], ["text"], tables.TableRequest(facets=("text",)))
        page = render_template("query.html", query=load_all()["recommendations"], fields=[], error=None,
                               table={"columns": ["text"], "found": found, "rows": [[cell(term)]],
                                      "body": rows_html([[cell(term)]])},
                               links=table_links(found, ("queries.page", {"name": "recommendations"}), request.args,
                                                 {}, {"text"}),
                               chart=None, truncated=False, alternates=[{"href": "a"}, {"href": "b"}],
                               permalink="/", editor="/editor")
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    assert "<script>" not in page.split("<main>", 1)[1]     # nor in the filter chip or the facet
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert '<td class="">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</td>' in body


def test_cells_written_in_python_escape_links_and_titles(app):
    """The table body (rows_html): a link's IRI and text, a code's words and a grade badge."""
    from server.queryrender import cell, rows_html
    with app.test_request_context("/queries/judgements"):
        iri = {"type": "uri", "value": 'https://example.org/a"b<c>'}
        body = str(rows_html([[cell(iri, None, "subject"),
                               cell({"type": "literal", "value": "sif"}, None, "framework"),
                               cell({"type": "literal", "value": "Requires improvement"}, None, "grade"),
                               cell({"type": "literal", "value": "Bristol"},
                                    {"type": "uri", "value": app.config["BASE_IRI"] + "id/authority/E06000023"}),
                               cell(None)]]))
    assert body == ('<tr><td class="iri"><a href="https://example.org/a&#34;b&lt;c&gt;" '
                    'title="https://example.org/a&#34;b&lt;c&gt;">https://example.org/a&#34;b&lt;c&gt;</a></td>'
                    '<td class=""><abbr title="sif">Single inspection framework, 2013-18</abbr></td>'
                    '<td class=""><span class="grade grade-3">Requires improvement</span></td>'
                    '<td class=""><a href="/id/authority/E06000023" title="' + app.config["BASE_IRI"]
                    + 'id/authority/E06000023">Bristol</a></td><td class="empty"></td></tr>\n    ')


def test_table_cells_write_each_distinct_term_once_and_keep_them_apart(app):
    """table_cells writes a repeated term once per table, but a term of another type, datatype,
    language or link is a cell of its own: the body equals the cells written one by one."""
    from server import tables
    from server.queryrender import cell, rows_html, table_cells
    base = app.config["BASE_IRI"] + "id/authority/"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    terms = [{"type": "literal", "value": "3"},
             {"type": "literal", "value": "3", "datatype": xsd + "integer"},
             {"type": "literal", "value": "3", "xml:lang": "en"},
             {"type": "uri", "value": "3"},
             {"type": "literal", "value": "Good"},
             None]
    links = [None, {"type": "uri", "value": base + "E06000023"}, {"type": "uri", "value": base + "E06000022"}]
    rows = [{"name": t, **({"name_iri": link} if link else {})} for t in terms for link in links] * 2
    with app.test_request_context("/queries/judgements"):
        found = tables.apply(rows, ["name"], tables.TableRequest(size=100))
        cells, body = table_cells(found)
        one_by_one = [[cell(r.get("name"), r.get("name_iri"), "name")] for r in rows]
    assert cells == one_by_one and str(body) == str(rows_html(one_by_one))
    half = len(rows) // 2                      # the second copy of each row takes the first's cell
    assert all(cells[i][0] is cells[i + half][0] for i in range(half))
    assert len({id(c[0]) for c in cells}) == half
    assert 'class="num"' in str(body) and 'href="/id/authority/E06000022"' in str(body)


@pytest.mark.parametrize("text", ["", "plain", "a&b", "<script>alert('x')</script>", 'say "hi"',
                                  "&amp; already", "é ‘quotes’ – dash", "x' onmouseover='y", "&#34;<>"])
def test_html_escape_writes_what_markupsafe_writes(text):
    from markupsafe import escape

    from server.markup import html_escape
    assert html_escape(text) == str(escape(text))


def test_security_headers_on_query_pages(client):
    r = client.get("/queries/judgements")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_cell_links_are_the_href_filters_links(app):
    """href_of's prefix for our plain IRIs gives what the app's ``href`` filter gives, under a
    script root too; IRIs with characters to quote, or not ours, go through the filter."""
    from flask import render_template_string

    from server.queryrender import CellPlace, href_of
    base = app.config["BASE_IRI"] + "id/"
    iris = [base + "authority/E06000023", base + "inspection/E06000023/sif/2014-03-18/judgement/overall",
            base + "inspection/a b/é?x#y", base + "/leading-slash", base + "a%2Fb", base + "x",
            "https://example.org/id/authority/E06000023", "https://w3id.org/ofsted-kg/def#Inspection"]
    for root in ("", "/kg"):
        with app.test_request_context("/queries/judgements", base_url="http://localhost" + root):
            place = CellPlace.here()
            for iri in iris:
                assert href_of(iri, place) == render_template_string("{{ iri|href }}", iri=iri).replace("&amp;", "&"), iri
            assert href_of(iris[0], place) == root + "/id/authority/E06000023"


@pytest.mark.parametrize("arg", ["name", "fmt", "_anchor", "_method", "_scheme", "_external"])
def test_an_argument_named_like_url_fors_own_is_kept_in_links_not_a_500(client, arg):
    """Links carry the request's arguments as a query string; passed to ``url_for`` as keywords,
    ``?name=`` (a view argument) or ``?_anchor=`` (one of its own) was a TypeError, a 500."""
    for path in ("/queries/judgements", "/queries/judgements.json", "/queries/judgements.csv"):
        assert client.get(f"{path}?{arg}=x&_size=2").status_code == 200, path
    page = client.get(f"/queries/judgements?{arg}=x&_size=2&_sort=grade").get_data(as_text=True)
    assert f"/queries/judgements.json?{arg}=x&amp;_sort=grade" in page          # the JSON twin
    assert "_next=2" in page and re.search(rf"\?{arg}=x&amp;_size=2&amp;_sort=grade&amp;_next=2", page)
    body = client.get(f"/queries/judgements.json?{arg}=x&_size=2").get_json()
    assert body["query"]["table"]["next_url"].endswith(f"/queries/judgements.json?{arg}=x&_size=2&_next=2")
    redirect = client.get(f"/editor?query=judgements&{arg}=x")
    assert redirect.status_code == 302 and redirect.headers["Location"].endswith(f"?{arg}=x&canned=judgements")
