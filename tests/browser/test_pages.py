"""The analyst's path in a real browser: home, the design card's query, an authority page, the
CSV download and the SPARQL editor; screenshots of each page go to test-artefacts/."""
from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(corpus_site):
    """The analyst's path through the bundled reports (Bristol, Gloucestershire): no outcome
    spreadsheets needed, so these run in the fast loop."""
    return corpus_site


def shot(page, artefacts, name: str) -> None:
    page.screenshot(path=str(artefacts / f"{name}.png"), full_page=True)


def test_home_page(page, site, artefacts):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site + "/")
    assert page.locator("h1").inner_text().startswith("Ofsted inspections")
    assert page.locator(".counts li").count() == 5
    assert page.get_by_role("link", name="Care leavers judged one way, adoption another").is_visible()
    shot(page, artefacts, "01-home")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, artefacts, "01-home-phone")
    assert not errors


def test_search_finds_an_authority(page, site, artefacts):
    page.goto(site + "/")
    page.get_by_label("Find an authority").fill("Gloucester")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/queries/authorities?**")
    assert page.locator("table.results").get_by_text("Gloucestershire County Council").is_visible()
    shot(page, artefacts, "02-search")


def test_design_card_query_link_and_csv(page, site, artefacts):
    page.goto(site + "/")
    page.get_by_role("link", name="Care leavers judged one way, adoption another").click()
    page.get_by_label("Grade for care leavers").select_option("Inadequate")
    page.get_by_label("Grade for adoption performance").select_option("Good")
    page.get_by_role("button", name="Run query").click()
    page.wait_for_url("**care_leavers_grade=Inadequate**")
    table = page.locator("table.results")
    assert table.get_by_text("Bristol City Council").is_visible()
    shot(page, artefacts, "03-query-results")

    with page.expect_download() as info:
        page.locator(".actions").get_by_role("link", name="CSV").click()
    download = info.value
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert download.suggested_filename.endswith(".csv")
    assert any(r["authority"] == "Bristol City Council" for r in rows)

    table.locator("a[href^='/id/inspection/E06000023/']").first.click()
    page.wait_for_url("**/doc/inspection/E06000023/**")
    assert page.locator("h1").is_visible()
    shot(page, artefacts, "04-entity-page")


def test_bad_parameter_shows_on_the_form(page, site, artefacts):
    response = page.goto(site + "/queries/judgements?authority_filter=Atlantis")
    assert response.status == 400
    assert page.get_by_role("alert").inner_text().count("no authority called") == 1
    shot(page, artefacts, "05-bad-parameter")


def test_chart(page, site, artefacts):
    page.goto(site + "/queries/grade-distribution")
    assert page.locator("svg.bars rect").count() > 5
    shot(page, artefacts, "06-chart")


def test_script_in_a_parameter_does_not_run(page, site):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(site + "/queries/recommendations?words=%3Cscript%3Ealert(1)%3C/script%3E")
    assert page.locator("#p-words").input_value() == "<script>alert(1)</script>"
    assert not dialogs


def test_editor_runs_a_query(page, site, artefacts):
    page.goto(site + "/editor?query=latest-judgements")
    if page.locator("#yasgui").get_attribute("data-enabled") == "yes":
        page.wait_for_selector(".yasqe .CodeMirror")
        page.locator(".yasqe_queryButton").first.click()
        page.wait_for_selector(".yasr table, .yasr .dataTable")
        assert page.locator(".yasr").get_by_text("Gloucestershire County Council").first.is_visible()
        shot(page, artefacts, "07-editor")
    else:
        shot(page, artefacts, "07-editor-plain")
        page.locator("#format").select_option("csv")
        with page.expect_download() as info:
            page.get_by_role("button", name="Run").click()
        assert "Gloucestershire County Council" in open(info.value.path(), encoding="utf-8").read()


#: every text of a chart's SVG (axis ticks, labels) as drawn: its box and the SVG's viewBox
TEXT_BOXES = """svg => { const v = svg.viewBox.baseVal;
  return [...svg.querySelectorAll('text')].map(t => { const b = t.getBBox();
    return {text: t.textContent, left: b.x, right: b.x + b.width, width: v.width}; }); }"""


@pytest.mark.parametrize("path, chart", [("/doc/authority/E06000023", "svg.timeline"),
                                         ("/queries/statistic-over-time", "svg.lines"),
                                         ("/queries/grade-distribution", "svg.bars")])
def test_chart_texts_are_inside_their_chart(page, site, path, chart):
    page.goto(site + path)
    boxes = page.locator(chart).first.evaluate(TEXT_BOXES)
    assert len(boxes) > 5
    outside = [b for b in boxes if b["left"] < 0 or b["right"] > b["width"]]
    assert not outside, outside
