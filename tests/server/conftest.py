"""Fixtures for the server tests: the bundled corpus ingested by the real pipeline into a
store on disk, the app on that store, and a real server on 127.0.0.1 (an ephemeral port)."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
TIMEOUT = 2.0            # the query timeout the test server runs with
RESULT_LIMIT = 500
MAX_QUERY_BYTES = 16 * 1024


@pytest.fixture(scope="session")
def store_path(tmp_path_factory) -> Path:
    """The sample corpus, ingested once by the real pipeline."""
    from ingest.pipeline import Ingestor
    from core.store import open_store
    from tests.conftest import corpus_files
    path = tmp_path_factory.mktemp("kg") / "store"
    store = open_store(path)
    try:   # the reports only: the outcome spreadsheets would make every server test slower
        outcomes = Ingestor(store).run(corpus_files())
    finally:
        store.close()
    failed = [o for o in outcomes if not o.ok]
    assert not failed, failed
    return path


def make_app(store_path, **overrides):
    from server import create_app
    config = {"STORE": str(store_path), "QUERY_TIMEOUT": TIMEOUT, "QUERY_PROCESSES": 2,
              "RESULT_LIMIT": RESULT_LIMIT, "MAX_QUERY_BYTES": MAX_QUERY_BYTES, "TESTING": True,
              "DUMPS_DIR": str(Path(store_path).parent / "dumps")}
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def app(store_path):
    """One app for the session: its query workers are processes, so they are started once."""
    application = make_app(store_path)
    yield application
    application.extensions["ofsted_kg"].pool.close()


@pytest.fixture
def client(app):
    return app.test_client()


class LiveServer:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        wait_until_responds(self.url + "/sparql")
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)


def wait_until_responds(url: str, attempts: int = 200) -> None:
    """Poll ``url`` until it answers (Datasette's wait_until_responds), without fixed sleeps."""
    for _ in range(attempts):
        try:
            requests.get(url, timeout=0.5)
            return
        except requests.ConnectionError:
            threading.Event().wait(0.02)
    raise RuntimeError(f"{url} never answered")


@pytest.fixture(scope="session")
def live(app):
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def endpoint(live) -> str:
    return live.url + "/sparql"


@pytest.fixture
def writable_live(store_path, tmp_path):
    """A server with updates enabled, on a private copy of the store."""
    copy = tmp_path / "store"
    shutil.copytree(store_path, copy)
    application = make_app(copy, ALLOW_UPDATE=True, UPDATE_TOKEN="s3cret", DUMPS_DIR=str(tmp_path / "d"))
    with LiveServer(application) as server:
        yield server
    application.extensions["ofsted_kg"].pool.close()
