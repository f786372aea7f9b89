"""Fixtures for the browser tests: the sample corpus in a store, the app on a real server on
127.0.0.1 (ephemeral port), and Debian's Chromium driven by Playwright."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts"


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright (needs /usr/bin/chromium)")


@pytest.fixture(scope="session")
def browser_store(tmp_path_factory) -> Path:
    from ingest.pipeline import Ingestor, discover
    from core.store import open_store
    path = tmp_path_factory.mktemp("browser-kg") / "store"
    store = open_store(path)
    try:
        outcomes = Ingestor(store).run(discover([str(ROOT / "corpus")]))
    finally:
        store.close()
    assert all(o.ok for o in outcomes), [o for o in outcomes if not o.ok]
    return path


@pytest.fixture(scope="session")
def site(browser_store):
    """The app served by werkzeug on 127.0.0.1, polled until it answers; shut down at the end."""
    from tests.live import serve_app
    from server import create_app
    app = create_app({"STORE": str(browser_store), "TESTING": True, "QUERY_TIMEOUT": 10.0,
                      "DUMPS_DIR": str(browser_store.parent / "dumps")})
    live = serve_app(app)
    yield live.url
    live.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artefacts() -> Path:
    ARTEFACTS.mkdir(exist_ok=True)
    return ARTEFACTS
