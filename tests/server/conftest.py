"""Fixtures for the server tests: the bundled corpus ingested by the real pipeline into a
store on disk, the app on that store, and a real server on 127.0.0.1 (an ephemeral port)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.live import dumps_dir, serve_app

TIMEOUT = 2.0            # the query timeout the test server runs with
RESULT_LIMIT = 500
MAX_QUERY_BYTES = 16 * 1024


@pytest.fixture(scope="session")
def store_path(corpus_store_path) -> Path:
    """The sample corpus's reports (the outcome spreadsheets would make every server test
    slower), ingested once per run by the real pipeline (tests/conftest.py); read-only."""
    return corpus_store_path


def make_app(store_path, **overrides):
    from server import create_app
    config = {"STORE": str(store_path), "QUERY_TIMEOUT": TIMEOUT, "QUERY_PROCESSES": 2,
              "RESULT_LIMIT": RESULT_LIMIT, "MAX_QUERY_BYTES": MAX_QUERY_BYTES, "TESTING": True,
              "DUMPS_DIR": str(dumps_dir(store_path)),
              "ANSWER_FILES_DIR": str(dumps_dir(store_path, "answers")),
              # no keeper started after an update (server/keeplater.py): its own tests ask for one
              "ANSWERS_AT_INGEST": False, "DERIVED_AFTER_WRITE": False}
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


@pytest.fixture(scope="session")
def live(app):
    with serve_app(app) as server:
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
    with serve_app(application) as server:
        yield server
