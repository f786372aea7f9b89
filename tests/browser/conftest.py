"""Fixtures for the browser tests: the sample corpus in a store, the app on a real server on
127.0.0.1 (ephemeral port), and Debian's Chromium driven by Playwright."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import BROWSER_TIMEOUT_MS

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts"


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright (needs /usr/bin/chromium)")


@pytest.fixture(scope="session")
def browser_store(national_store_path) -> Path:
    """All of corpus/ (the map and the timelines need the outcome spreadsheets), ingested once
    per run (tests/conftest.py); read-only."""
    return national_store_path


@pytest.fixture(scope="session")
def site(browser_store):
    """The app served by werkzeug on 127.0.0.1, polled until it answers; shut down at the end."""
    from tests.live import dumps_dir, serve_store
    with serve_store(browser_store, QUERY_TIMEOUT=10.0,
                     DUMPS_DIR=str(dumps_dir(browser_store, "browser-dumps"))) as live:
        yield live.url


@pytest.fixture(scope="session")
def corpus_site(corpus_store_path):
    """The app on the bundled reports only (the session's shared corpus store): for the pages
    that need no outcome spreadsheets, so the fast loop has browser tests without the national
    ingest."""
    from tests.live import dumps_dir, serve_store
    with serve_store(corpus_store_path, QUERY_TIMEOUT=10.0,
                     DUMPS_DIR=str(dumps_dir(corpus_store_path, "browser-dumps"))) as live:
        yield live.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(BROWSER_TIMEOUT_MS)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artefacts() -> Path:
    ARTEFACTS.mkdir(exist_ok=True)
    return ARTEFACTS
