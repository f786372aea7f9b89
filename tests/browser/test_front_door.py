"""The map's click-through and the authority page in a real browser (1280 px); screenshots
to test-artefacts/."""
from __future__ import annotations

import pytest
import requests

# the map, timelines, neighbours and long tables need the national store (its ingest takes
# about 25 CPU-s), so these are in the full suite only
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def shot(page, artefacts, name: str) -> None:
    page.screenshot(path=str(artefacts / f"{name}.png"), full_page=True)


RANKS = {"Outstanding": 1, "Good": 2, "Requires improvement to be good": 3, "Requires improvement": 3,
         "Adequate": 3, "Inadequate": 4}


def latest_care_leavers_grade(site: str, gss: str) -> str:
    """Bristol's latest care-leavers grade, as the canned query behind the map says."""
    rows = requests.get(site + "/queries/latest-grade-by-area.json",
                        params={"area_filter": "care-leavers"}, timeout=60).json()["results"]["bindings"]
    return next(r["grade"]["value"] for r in rows if r["gss_code"]["value"] == gss)


def test_map_click_opens_the_authority_page(page, site, artefacts):
    expected = f"grade-{RANKS[latest_care_leavers_grade(site, 'E06000023')]}"
    page.goto(site + "/")
    page.get_by_label("Area").select_option("care-leavers")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**map_area=care-leavers**")
    bristol = page.locator("svg.map a[data-gss=E06000023]")
    assert bristol.locator("path").first.get_attribute("class") == expected
    shot(page, artefacts, "20-home-map")
    bristol.locator("path").first.click()
    page.wait_for_url("**/doc/authority/E06000023")
    assert page.locator("h1").inner_text() == "Bristol City Council"


def test_authority_page(page, site, artefacts):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site + "/doc/authority/E06000023")
    badges = page.locator("ul.badges li")
    expected = latest_care_leavers_grade(site, "E06000023")
    assert badges.filter(has_text="Care leavers").locator(".grade").inner_text() == expected
    assert page.locator("svg.timeline rect.grade-4").count() >= 1
    assert not page.locator("details.statements table.properties").is_visible()      # collapsed
    page.locator("details.statements summary").click()
    assert page.locator("details.statements table.properties").is_visible()
    # the page fits the window: nothing wider than 1280 px
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    shot(page, artefacts, "21-authority")
    page.locator("section[aria-labelledby=queries-h]").get_by_role("link", name="Every judgement").click()
    page.wait_for_url("**authority_filter=E06000023**")
    assert page.locator("table.results").get_by_text("Bristol City Council").first.is_visible()
    assert not errors


def test_design_card_question_to_neighbours_in_three_clicks(page, site, artefacts):
    page.goto(site + "/")
    page.get_by_role("link", name="Which authorities had inadequate care leavers but good adoption?").click()   # 1
    page.wait_for_url("**/queries/inadequate-care-leavers-good-adoption")
    page.locator("table.results").get_by_role("link", name="Bristol City Council").first.click()              # 2
    page.wait_for_url("**/doc/authority/E06000023")
    page.get_by_role("link", name="Compare their grades").click()                                             # 3
    page.wait_for_url("**/queries/neighbour-grades?authority_filter=E06000023")
    grid = page.locator("table.grid tbody tr")
    assert grid.count() == 11 and grid.first.locator("th").inner_text() == "Bristol City Council"
    shot(page, artefacts, "22-neighbours")
