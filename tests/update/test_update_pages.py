"""The page readers of ``update`` on small pages shaped like Ofsted's and gov.uk's."""
from __future__ import annotations

import datetime as dt

import pytest

from ingest.update_pages import PageShapeError, provider_page, search_page, spreadsheet_page
from tests.update.site import provider_html, search_html

BASE = "https://reports.example/search?q=&start=0&rows=100"


def test_search_page_providers_and_next_link():
    html = search_html([("80588", "Dudley"), ("80590", "Wigan &amp; Leigh")], "/search?start=100&rows=100")
    providers, next_url = search_page(html, BASE)
    assert [(p.urn, p.name, p.url) for p in providers] == [
        ("80588", "Dudley", "https://reports.example/provider/44/80588"),
        ("80590", "Wigan & Leigh", "https://reports.example/provider/44/80590")]
    assert next_url == "https://reports.example/search?start=100&rows=100"


def test_last_search_page_has_no_next_link():
    html = search_html([("80588", "Dudley")], None, previous="/search?start=0")
    assert search_page(html, BASE)[1] is None


def test_a_search_page_without_providers_or_pagination_changed_shape():
    with pytest.raises(PageShapeError, match="no provider links"):
        search_page("<html><body><p>Service unavailable</p></body></html>", BASE)


def test_provider_page_kinds_and_dates():
    html = provider_html("Dudley", [
        ("https://files.example/v1/file/50041781", "children's services inspection", "10 december 2018"),
        ("/v1/file/2", "children's services focused visit", "16 may 2024"),
        ("/v1/file/3", "childcare inspection", "1 may 2019")])
    pubs = provider_page(html, "https://reports.example/provider/44/80588")
    assert [(p.url, p.kind, p.listed, p.childrens_services) for p in pubs] == [
        ("https://files.example/v1/file/50041781", "children's services inspection", dt.date(2018, 12, 10), True),
        ("https://reports.example/v1/file/2", "children's services focused visit", dt.date(2024, 5, 16), True),
        ("https://reports.example/v1/file/3", "childcare inspection", dt.date(2019, 5, 1), False)]


@pytest.mark.parametrize("hidden", ["Download", "children's services inspection, pdf - 31 february 2019"])
def test_a_publication_link_without_kind_and_date_changed_shape(hidden):
    html = f'<a class="publication-link" href="/f/1">Report <span class="nonvisual">{hidden}</span></a>'
    with pytest.raises(PageShapeError):
        provider_page(html, BASE)


def test_spreadsheet_page_links():
    html = ('<a href="/media/1/LA_Outcomes.ods">Outcomes (ODS)</a><a href="/media/1/LA_Outcomes.ods">again</a>'
            '<a href="https://assets.example/x/history.xlsx">History</a><a href="/guidance">Guidance</a>')
    found = spreadsheet_page(html, "https://www.gov.example/statistics/outcomes")
    assert [(a.url, a.title) for a in found] == [
        ("https://www.gov.example/media/1/LA_Outcomes.ods", "Outcomes (ODS)"),
        ("https://assets.example/x/history.xlsx", "History")]
    with pytest.raises(PageShapeError):
        spreadsheet_page('<a href="/guidance">Guidance</a>', BASE)

