"""The pages for people below the authority page, on the corpus: an inspection (its judgements
as a table with their sources and printed grades, recommendations in order, the team, findings
by section, the LSCB review, provenance in words), a judgement, a recommendation, a plan and a
source document; every statement still collapsed at the end and in the RDF twins."""
from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

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


def test_judgement_page_names_its_inspection_grade_and_sources(client):
    html = client.get(SIF + "/judgement/care-leavers").get_data(as_text=True)
    assert "<h1>Care leavers</h1>" in html
    assert 'class="grade grade-4">Inadequate' in html
    assert f'href="{SIF.replace("/doc/", "/id/")}"' in html
    sources = section(html, "sources-h")
    assert "printed “Inadequate”" in sources and "/id/document/e06000023-sif-2014-12-05" in sources
    assert '<details class="statements">' in html


def test_recommendation_page_gives_text_theme_and_place(client):
    html = client.get(SIF + "/recommendation/authority/6").get_data(as_text=True)
    assert "<h1>Recommendation 6</h1>" in html
    assert "Improve the attendance of looked after children" in html
    assert "Educational outcomes for looked after children" in html
    assert re.search(r"<dd>6 of (\d+)</dd>", html) and int(re.search(r"<dd>6 of (\d+)</dd>", html)[1]) >= 19
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_document_page_says_what_it_is_and_where_it_came_from(client):
    html = client.get("/doc/document/e06000023-sif-2014-12-05").get_data(as_text=True)
    assert "Ofsted report or letter (Single inspection framework, 2013-18)" in html
    assert "bristol_2014_SIF-with-LSCB-review.txt" in html
    sha = re.search(r"SHA-256 <code>([0-9a-f]{64})</code>", html)[1]
    import hashlib
    from pathlib import Path
    corpus = Path(__file__).resolve().parents[2] / "corpus"
    assert sha == hashlib.sha256((corpus / "bristol_2014_SIF-with-LSCB-review.txt").read_bytes()).hexdigest()
    reports = section(html, "reports-h")
    assert f'href="{SIF.replace("/doc/", "/id/")}"' in reports
    extracted = section(html, "contents-h")
    assert re.search(r">recommendation</a></td><td class=\"num\">32<", extracted)


def test_plan_page_lists_actions_kpis_and_targets(client):
    html = client.get("/doc/plan/E06000023/2016-09/getting-to-good-bristol-children-s-servi").get_data(as_text=True)
    assert "Getting to Good" in html and "<dd>1.3</dd>" in html
    actions = section(html, "actions-h")
    assert "Theme 1: Quality of Social Work Practice" in actions and ">1.1.1</a>" in actions
    assert "1a, 1b, 1c, 1d, 1e" in actions                      # KPI refs in the plan's order
    kpis = section(html, "kpis-h")
    assert "80%" in kpis and "% Referrals to children" in kpis
    notes = client.get("/doc/document/e06000023-plan-2016-09-getting-to-good-bristol-children-s-servi")
    assert "conforms to the project's SHACL shapes" in notes.get_data(as_text=True)


def test_findings_sections_headed_by_an_area_notation_get_the_areas_words():
    from server.inspection import section_name
    areas = {"care-leavers": "Care leavers"}
    assert section_name("care-leavers", areas) == "Care leavers"
    assert section_name("help-and-protection", {}) == "Help and protection"
    assert section_name("Inspection judgement about the LSCB", areas) == "Inspection judgement about the LSCB"


def test_2009_12_inspection_lists_each_service_overall_first(client):
    html = client.get("/doc/inspection/E08000032/slac/2012-05-08").get_data(as_text=True)
    areas = re.findall(r'<td><a href="/id/inspection/E08000032/slac/2012-05-08/judgement/([^"]+)">', html)
    assert areas[0] == "safeguarding/overall-effectiveness"
    looked_after = [a for a in areas if a.startswith("looked-after/")]
    assert looked_after[0] == "looked-after/overall-effectiveness"
    assert areas.index(looked_after[0]) > max(i for i, a in enumerate(areas) if a.startswith("safeguarding/"))
    assert "printed “Ambition and prioritisation”" not in html       # the label already says it


@pytest.fixture(scope="module")
def spreadsheet_client(national_store_path, tmp_path_factory):
    """The app on corpus/ with Ofsted's outcome spreadsheets (a store of its own)."""
    from tests.server.conftest import make_app
    app = make_app(national_store_path, DUMPS_DIR=str(tmp_path_factory.mktemp("dumps")))
    yield app.test_client()
    app.extensions["ofsted_kg"].pool.close()


@pytest.mark.slow
def test_inspection_sources_with_the_spreadsheets(spreadsheet_client):
    html = spreadsheet_client.get(SIF).get_data(as_text=True)
    words = html.split('class="provenance-words">', 1)[1].split("</p>", 1)[0].replace("&#39;", "'")
    assert words.startswith("Graded in the report published 5 December 2014")
    assert "and in Ofsted's outcomes spreadsheet of 10 May 2023" in words
    care_leavers = section(html, "judgements-h").split(">Care leavers</a>", 1)[1].split("</tr>", 1)[0]
    assert care_leavers.count("<li>") == 2                  # the report and the 2023 table's row
    assert "sheet LA_inspections_2009-2023, row 21" in care_leavers
    # the 2023 unitaries are coloured by their own latest grades on the home map
    home = spreadsheet_client.get("/").get_data(as_text=True)
    for code in ("E06000063", "E06000064", "E06000065", "E06000066"):
        label = re.search(rf'<a href="/doc/authority/{code}"[^>]*><title>([^<]*)</title>', home)[1]
        assert "no grade" not in label, label


@pytest.mark.slow
def test_spreadsheet_document_page_counts_what_it_lists(spreadsheet_client):
    html = spreadsheet_client.get("/doc/document/outcomes-childrens-social-care-in-england-2023-underlying-data")
    reports = section(html.get_data(as_text=True), "reports-h")
    total = int(re.search(r"It lists (\d+) inspections", reports)[1])
    by_framework = dict(re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td>", reports))
    assert int(by_framework["Single inspection framework, 2013-18"]) > 100
    assert total == sum(int(n) for n in by_framework.values())


def test_statements_leave_out_the_flat_tables_rows(client, store_path):
    """The flat graph's rows and shared nodes point at an authority and an inspection too
    (row:la, row:inspection...), but are derived copies: the statements list only real links."""
    from core.flat import flat_graph
    store = ox.Store.read_only(str(store_path))
    flat = ox.NamedNode(flat_graph())
    bristol = ox.NamedNode("https://w3id.org/ofsted-kg/id/authority/E06000023")
    pointing = {q.subject.value for q in store.quads_for_pattern(None, None, bristol, flat)}
    assert len(pointing) >= 5, "the flat graph links rows to the authority"
    html = client.get("/doc/authority/E06000023").get_data(as_text=True)
    statements = html.split('<details class="statements">', 1)[1]
    assert "Linked from" in statements and "/id/inspection/E06000023/sif/2014-09-30" in statements
    assert "graph/flat" not in statements and "def/row/" not in statements


def test_a_flat_row_s_columns_lead_to_their_table_s_page(client):
    """A flat row met in a SPARQL answer: its page links each column to the table's own small
    vocabulary (def/row/<table>, written with the rows), which names every column."""
    html = client.get("/doc/graph/flat/judgements/1").get_data(as_text=True)
    assert 'href="/def/row/judgements#position"' in html and "%23" not in html
    table = client.get("/def/row/judgements")
    assert table.status_code == 200
    words = table.get_data(as_text=True)
    assert "Rows of the canned query judgements" in words and "/queries/judgements" in words
    for column in ("authority", "grade", "la", "per_inspection", "position"):
        assert f"{column} (judgements row)" in words
    ttl = client.get("/def/row/judgements.ttl").get_data(as_text=True)
    assert "Ontology" in ttl and "Rows of the canned query judgements" in ttl


def test_the_flat_tables_say_what_each_column_holds(store_path):
    store = ox.Store.read_only(str(store_path))
    comments = {r["column"].value.rsplit("#", 1)[1]: r["comment"].value for r in store.query(
        "SELECT ?column ?comment WHERE { ?column <http://www.w3.org/2000/01/rdf-schema#isDefinedBy> "
        "<https://w3id.org/ofsted-kg/def/row/judgements> ; <http://www.w3.org/2000/01/rdf-schema#comment> ?comment }",
        use_default_graph_as_union=True)}
    assert comments["grade"] == "The row's cell of the column grade, held on the row's shared per_area node."
    assert comments["judgement"] == "The row's cell of the column judgement."
    assert comments["frameworks"].startswith("A key the canned query's filters match")
    assert comments["per_area"] == "The row's shared node of the per_area group, which holds: area, grade."
    assert comments["position"] == "The row's place in the canned query's order."
