"""The authority page for people (/doc/authority/GSS) on the corpus: name, region and type,
the latest grades as badges, a timeline, reports with links, recommendations grouped by
inspection, statistics, plans, data-quality notes, canned queries narrowed to it, and every
statement still there (collapsed) and in the RDF twins."""
from __future__ import annotations

import re

import pyoxigraph as ox


def test_bristol_page_opens_with_who_and_latest_grades(client):
    html = client.get("/doc/authority/E06000023").get_data(as_text=True)
    assert "<h1>Bristol City Council</h1>" in html
    assert "<dd>Unitary authority</dd>" in html and "South West" in html
    badges = html.split('<ul class="badges">', 1)[1].split("</ul>", 1)[0]
    # the 2014 SIF report (care leavers Inadequate, adoption Good: the design card's case)
    assert re.search(r"Care leavers</span>\s*<span class=\"grade grade-4\">Inadequate", badges)
    assert re.search(r"Adoption performance</span>\s*<span class=\"grade grade-2\">Good", badges)
    assert "Single inspection framework, 2013-18" in html


def test_bristol_page_has_timeline_reports_recommendations_plans_and_notes(client):
    html = client.get("/doc/authority/E06000023").get_data(as_text=True)
    assert 'class="timeline"' in html and html.count('class="grade-') >= 7
    assert 'href="/id/document/e06000023-sif-2014-12-05"' in html
    assert "bristol_2014_SIF-with-LSCB-review.txt" in html
    recs = html.split('id="recs-h"', 1)[1].split("</section>", 1)[0]
    assert "pathway plan" in recs and "Themes:" in recs
    assert "Getting to Good" in html.split('id="plans-h"', 1)[1]
    assert "KPI" in html.split('id="quality-h"', 1)[1]         # the plan's parser notes
    links = html.split('id="queries-h"', 1)[1].split("</section>", 1)[0]
    assert "/queries/judgements?authority_filter=E06000023" in links
    assert "/queries/recommendations?authority_filter=E06000023" in links


def test_every_statement_is_still_there_collapsed_and_in_rdf(client):
    html = client.get("/doc/authority/E06000023").get_data(as_text=True)
    statements = html.split('<details class="statements">', 1)[1]
    assert "E06000023" in statements and "Linked from" in statements
    ttl = client.get("/doc/authority/E06000023.ttl")
    assert ttl.status_code == 200
    triples = list(ox.parse(ttl.data, format=ox.RdfFormat.TURTLE))
    assert any(t.object == ox.Literal("801") for t in triples)


def test_linked_canned_pages_narrow_to_the_authority(client):
    r = client.get("/queries/judgements.json", query_string={"authority_filter": "E06000023"})
    assert {b["gss_code"]["value"] for b in r.get_json()["results"]["bindings"]} == {"E06000023"}


def test_other_entities_keep_the_generic_page(client):
    html = client.get("/doc/inspection/E06000023/sif/2014-09-30").get_data(as_text=True)
    assert "Latest grades" not in html and "<h2>Properties</h2>" in html


def test_neighbours_are_in_the_graph_with_their_source(client):
    r = client.get("/sparql", query_string={"query": """
        PREFIX ofs: <https://w3id.org/ofsted-kg/def#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?rank ?code ?source WHERE {
          ?n ofs:neighbourOf <https://w3id.org/ofsted-kg/id/authority/E06000023> ;
             ofs:neighbour ?la ; ofs:neighbourRank ?rank ; dcterms:source ?source .
          ?la ofs:gssCode ?code } ORDER BY ?rank"""}, headers={"Accept": "application/sparql-results+json"})
    rows = r.get_json()["results"]["bindings"]
    # DfE's list for Bristol, nearest first (../shared/reference/statistical-neighbours.csv)
    assert [b["code"]["value"] for b in rows][:3] == ["E06000043", "E08000035", "E06000033"]
    assert [int(b["rank"]["value"]) for b in rows] == list(range(1, 11))
    assert "Department for Education" in rows[0]["source"]["value"]


def test_neighbour_grades_query_puts_the_authority_first_and_draws_a_grid(client):
    data = client.get("/queries/neighbour-grades.json", query_string={"authority_filter": "Bristol"}).get_json()
    rows = data["results"]["bindings"]
    assert rows[0]["rank"]["value"] == "0" and rows[0]["gss_code"]["value"] == "E06000023"
    assert {b["rank"]["value"] for b in rows} == {str(n) for n in range(11)}
    html = client.get("/queries/neighbour-grades", query_string={"authority_filter": "Bristol"}).get_data(as_text=True)
    grid = html.split('<table class="grid">', 1)[1].split("</table>", 1)[0]
    assert grid.count("<tr>") == 12                      # header + Bristol + ten neighbours
    assert "Bristol City Council" in grid.split("</tr>", 2)[1]
    assert 'class="grade-4"' in grid                    # Bristol's 2014 care leavers: Inadequate


def test_authority_page_names_its_neighbours(client):
    html = client.get("/doc/authority/E06000023").get_data(as_text=True)
    assert "Statistical neighbours" in html and 'href="/doc/authority/E06000043"' in html
    assert "/queries/neighbour-grades?authority_filter=E06000023" in html


def test_a_statistic_beside_the_neighbours_keeps_counts_and_rates_apart(client):
    data = client.get("/queries/neighbour-statistics.json", query_string={"authority_filter": "Bristol"}).get_json()
    rows = data["results"]["bindings"]
    assert {(r["value"]["value"], r["unit"]["value"]) for r in rows} >= {("696", "count"), ("77", "per-10000")}
    html = client.get("/queries/neighbour-statistics", query_string={"authority_filter": "Bristol"}).get_data(as_text=True)
    assert html.count('<figure class="chart">') == 2          # one chart per unit, never summed


def test_2023_unitaries_are_authorities_with_their_predecessors(client):
    """Cumberland, Westmorland and Furness, North Yorkshire and Somerset councils (1 April
    2023) are in the register with region, type and LA number, and name the county councils
    they took over from; Cumbria names both its successors."""
    cumberland = client.get("/doc/authority/E06000063").get_data(as_text=True)
    assert "<h1>Cumberland Council</h1>" in cumberland and "North West" in cumberland
    assert "<dd>Unitary authority</dd>" in cumberland and "<dd>942</dd>" in cumberland
    took_over = cumberland.split("<dt>Took over from</dt>", 1)[1].split("</div>", 1)[0]
    assert 'href="/id/authority/E10000006"' in took_over and "Cumbria County Council" in took_over
    cumbria = client.get("/doc/authority/E10000006").get_data(as_text=True)
    replaced = cumbria.split("<dt>Replaced by</dt>", 1)[1].split("</div>", 1)[0]
    assert "Cumberland Council" in replaced and "Westmorland and Furness Council" in replaced
    for gss, county in (("E06000065", "North Yorkshire County Council"), ("E06000066", "Somerset County Council")):
        html = client.get(f"/doc/authority/{gss}").get_data(as_text=True)
        assert county in html.split("<dt>Took over from</dt>", 1)[1].split("</div>", 1)[0]
    ttl = client.get("/doc/authority/E06000064.ttl")
    triples = list(ox.parse(ttl.data, format=ox.RdfFormat.TURTLE))
    assert any(t.predicate.value == "http://purl.org/dc/terms/replaces"
               and t.object.value.endswith("/authority/E10000006") for t in triples)
    assert any(t.predicate.value == "http://purl.org/dc/terms/source" and "Ofsted" in t.object.value
               for t in triples)
