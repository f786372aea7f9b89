"""The store the reliability tests' servers share, and the endpoint-abuse tests' server and tally."""
from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.conftest import once_per_run
from tests.reliability.abuse import ASK, Tally, serve_attacked
from tests.reliability.servers import ALTERED, ingest_corpus


@pytest.fixture(scope="session")
def altered_store(tmp_path_factory) -> Path:
    """The corpus's reports with ``ALTERED`` (script in one recommendation, a formula in
    another), ingested once per run and shared by the tests that serve it; read-only."""
    return once_per_run(tmp_path_factory, "altered", lambda folder: ingest_corpus(folder, ALTERED)) / "store"


@pytest.fixture(scope="module")
def abuse_tally(request):
    """The endpoint-abuse module's tally of attacks, printed at the module's end."""
    t = Tally()
    yield t
    t.report(Path(request.module.__file__).stem.removeprefix("test_"))


@pytest.fixture(scope="module")
def abuse_site(altered_store):
    """The endpoint-abuse module's server (``serve_attacked``) on ``altered_store`` (script and an
    onerror image in one recommendation, ``XSS_RECOMMENDATION``): its URL."""
    url, _, stop = serve_attacked(altered_store)
    yield url
    stop()


@pytest.fixture()
def abuse_site_still_serving(abuse_site):
    """After every family of attacks the server still answers an ordinary query (the endpoint-abuse
    modules use it for every test)."""
    yield
    r = requests.get(abuse_site + "/sparql", params={"query": ASK}, timeout=30)
    assert r.status_code == 200 and r.json()["boolean"] is True
