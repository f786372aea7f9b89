"""Fixtures for the browser tests: the sample corpus in a store, the app on a real server on
127.0.0.1 (ephemeral port), and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts"
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: F401  (the shared browser fixture)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright (needs /usr/bin/chromium)")


@pytest.fixture(scope="session")
def browser_store(tmp_path_factory) -> Path:
    from ingest.pipeline import Ingestor, discover
    from ingest.store import open_store
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
    import requests
    from werkzeug.serving import make_server

    from server import create_app
    app = create_app({"STORE": str(browser_store), "TESTING": True, "QUERY_TIMEOUT": 10.0,
                      "DUMPS_DIR": str(browser_store.parent / "dumps")})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    for _ in range(250):
        try:
            requests.get(url + "/sparql", timeout=0.5)
            break
        except requests.ConnectionError:
            threading.Event().wait(0.02)
    else:
        raise RuntimeError(f"{url} never answered")
    yield url
    server.shutdown()
    thread.join(5)
    app.extensions["ofsted_kg"].pool.close()


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
