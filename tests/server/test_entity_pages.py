"""The pages for people below the authority page, on the corpus: an inspection (its judgements
as a table with their sources and printed grades, recommendations in order, the team, findings
by section, the LSCB review, provenance in words), a judgement, a recommendation, a plan and a
source document; every statement still collapsed at the end and in the RDF twins."""
from __future__ import annotations

import re

import pyoxigraph as ox

SIF = "/doc/inspection/E06000023/sif/2014-09-30"


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_inspection_page_has_its_judgements_as_a_table(client):
    html = client.get(SIF).get_data(as_text=True)
    assert "<h1>Bristol City Council: SIF inspection, September 2014</h1>" in html
    assert "Single inspection framework, 2013-18" in html and "30 September 2014" in html
    table = section(html, "judgements-h")
    rows = re.findall(r"<tr[^>]*><td><a href=\"([^\"]+)\">([^<]+)</a>.*?</tr>", table, re.S)
    areas = [area for _, area in rows]
    assert areas[0] == "Overall effectiveness" and "Care leavers" in areas
    assert areas[-1] == "Local Safeguarding Children Board"          # the board's judgement last
    care_leavers = table.split(">Care leavers</a>", 1)[1].split("</tr>", 1)[0]
    assert 'class="grade grade-4">Inadequate' in care_leavers
    assert "printed “Inadequate”" in care_leavers
    assert 'href="/id/document/e06000023-sif-2014-12-05"' in care_leavers


def test_inspection_page_recommendations_team_findings_and_board(client):
    html = client.get(SIF).get_data(as_text=True)
    recs = section(html, "recs-h")
    numbers = [int(n) for n in re.findall(r'<li value="(\d+)">', recs.split("<h3>", 2)[1])]
    assert numbers == sorted(numbers) and numbers[0] == 1 and len(numbers) >= 19
    assert "pathway plan" in recs
    team = section(html, "team-h")
    assert "Robert Hackeson" in team and "lead inspector" in team
    findings = section(html, "findings-h")
    assert "Strengths (11)" in findings
    lscb = section(html, "lscb-h")
    assert "Bristol Local Safeguarding Children Board" in lscb and "about the board" in lscb


def test_inspection_page_says_where_it_comes_from(client):
    html = client.get(SIF).get_data(as_text=True)
    words = html.split('class="provenance-words">', 1)[1].split("</p>", 1)[0]
    assert words.startswith("Graded in the report published 5 December 2014")
    assert "bristol_2014_SIF-with-LSCB-review.txt" in words


def test_inspection_statements_stay_collapsed_and_in_rdf(client):
    html = client.get(SIF).get_data(as_text=True)
    statements = html.split('<details class="statements">', 1)[1]
    assert "<h2>Properties</h2>" in statements and "Linked from" in statements
    ttl = client.get(SIF + ".ttl")
    assert ttl.status_code == 200
    triples = list(ox.parse(ttl.data, format=ox.RdfFormat.TURTLE))
    assert any(t.object == ox.Literal("2014-09-30", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
               for t in triples)
