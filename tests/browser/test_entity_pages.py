"""The inspection and document pages in a real browser at 1280 px: the judgements table is
visible with every column on screen, a source link opens the source document's page, and the
document page says where the file came from; screenshots go to test-artefacts/."""
from __future__ import annotations

import re

import pytest

# on the national store (the judgements table shows what the outcome spreadsheets printed), whose
# ingest takes about 25 CPU-s: in the full suite only (tests/server/test_entity_pages.py covers
# these pages in the fast loop without a browser)
pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIF = "/doc/inspection/E06000023/sif/2014-09-30"


def shot(page, artefacts, name: str) -> None:
    page.screenshot(path=str(artefacts / f"{name}.png"), full_page=True)


def test_inspection_page_judgements_table_and_a_source_link(page, site, artefacts):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site + SIF)
    assert page.locator("h1").inner_text() == "Bristol City Council: SIF inspection, September 2014"
    table = page.locator("table.judgements")
    assert table.is_visible()
    headers = table.locator("thead th")
    assert headers.all_inner_texts() == ["Area", "Grade", "Judged", "Sources and printed grades"]
    for i in range(headers.count()):                       # no column clipped at 1280 px
        box = headers.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1280, (i, box)
    care_leavers = table.locator("tr", has=page.get_by_role("link", name="Care leavers", exact=True))
    assert care_leavers.locator(".grade").inner_text() == "Inadequate"
    assert care_leavers.locator(".grade").is_visible()
    shot(page, artefacts, "20-inspection-page")
    care_leavers.locator("a.source").first.click()
    page.wait_for_url("**/doc/document/e06000023-sif-2014-12-05")
    assert "Ofsted report or letter" in page.locator("p.lead").inner_text()
    assert not errors


def test_document_page_says_where_it_came_from(page, site, artefacts):
    page.goto(site + "/doc/document/e06000023-sif-2014-12-05")
    assert page.get_by_role("heading", name="Where it came from").is_visible()
    assert re.fullmatch(r"SHA-256 [0-9a-f]{64}", page.locator("p.sha").inner_text())
    assert page.get_by_text("bristol_2014_SIF-with-LSCB-review.txt").first.is_visible()
    reports = page.locator("section[aria-labelledby=reports-h]")
    reports.get_by_role("link", name=re.compile("SIF inspection, September 2014")).is_visible()
    extracted = page.locator("section[aria-labelledby=contents-h] table")
    assert extracted.is_visible() and extracted.locator("tbody tr").count() >= 5
    statements = page.locator("details.statements")
    assert not statements.evaluate("d => d.open")          # every statement, collapsed
    shot(page, artefacts, "21-document-page")
    reports.get_by_role("link").first.click()
    page.wait_for_url("**" + SIF)
