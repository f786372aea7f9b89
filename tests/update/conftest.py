"""The fixture site ``update`` runs against, and helpers to run it in-process."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.update.site import FixtureSite, Serving, ilacs_pdf, provider_html, search_html, visit_pdf

SEARCH = "/search?q=&level_1_types=3&level_2_types%5B%5D=12&start=0&rows=100"
SEARCH_2 = "/search?q=&level_1_types=3&level_2_types%5B%5D=12&start=3&rows=100"
#: the files the site publishes that the pipeline accepts, by path
GOOD = {"/v1/file/5001": "Dudley ILACS", "/v1/file/5002": "Dudley focused visit",
        "/v1/file/6001": "Wigan ILACS"}
#: children's-services publications that cannot be fetched as PDFs, by path
BAD = {"/v1/file/7001": "an HTML page", "/v1/file/7002": "404", "/v1/file/7003": "timeout"}
TIMEOUT = 0.5          # the fetcher's timeout in these tests; the slow file takes longer


def build_site() -> FixtureSite:
    site = FixtureSite()
    # page 1 asks for 100 rows and gets 3, yet links a next page: the reader must follow it
    site.page(SEARCH, search_html([("1001", "Dudley"), ("1002", "Wigan"), ("1003", "Cheshire East")],
                                  SEARCH_2))
    site.page(SEARCH_2, search_html([("1004", "Walsall"), ("1001", "Dudley")], None, previous=SEARCH))
    site.page("/provider/44/1001", provider_html("Dudley", [
        ("https://example.invalid/v1/file/9999", "childcare inspection", "1 may 2019"),
        ("/v1/file/5001", "children's services inspection", "20 january 2019"),
        ("/v1/file/5002", "children's services focused visit", "16 may 2024"),
        ("/v1/file/5003", "area send inspection", "3 june 2022"),
    ]))
    site.page("/provider/44/1002", provider_html("Wigan", [
        ("/v1/file/6001", "children's services inspection", "30 april 2019"),
        ("/v1/file/7001", "children's services monitoring visit", "2 october 2020"),
    ]))
    site.page("/provider/44/1003", provider_html("Cheshire East", [
        ("/v1/file/7002", "children's services inspection", "16 may 2024"),
        ("/v1/file/7003", "children's services focused visit", "1 march 2023"),
    ]))
    # Walsall's page changed shape: its publication link names no kind and date
    site.page("/provider/44/1004", '<html><body><a class="publication-link" href="/v1/file/8001">'
                                   '<span class="nonvisual">Download</span></a></body></html>')
    site.file("/v1/file/5001", ilacs_pdf("Dudley", "19 November to 30 November 2018"))
    site.file("/v1/file/5002", visit_pdf("Dudley", "16 May 2024", "1 and 2 February 2024"))
    site.file("/v1/file/6001", ilacs_pdf("Wigan", "4 March to 15 March 2019"))
    site.file("/v1/file/5003", b"%PDF-1.4 not children's services", )
    site.file("/v1/file/7001", b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html")
    site.file("/v1/file/7003", ilacs_pdf("Cheshire East", "1 to 12 May 2023"), delay=TIMEOUT * 4)
    return site


@pytest.fixture
def site():
    with Serving(build_site()) as s:
        yield s


def run(site: FixtureSite, store_path: Path, cache: Path, lines: list[str] | None = None, **options):
    """One in-process ``update`` run against ``site``; returns its summary."""
    from core.store import open_store
    from ingest.update import Updater, UpdateOptions
    from ingest.update_fetch import Fetcher
    opts = UpdateOptions(cache=cache, source=site.url + SEARCH,
                         spreadsheet_pages=options.pop("spreadsheet_pages", []), jobs=1, **options)
    fetcher = Fetcher(delay=0, timeout=TIMEOUT, retries=1, backoff=0.01)
    store = None if opts.dry_run else open_store(store_path)
    out = lines if lines is not None else []
    try:
        return Updater(store, opts, fetcher, out.append).run()
    finally:
        fetcher.close()
        if store is not None:
            store.close()
