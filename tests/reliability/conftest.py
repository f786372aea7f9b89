"""The store the reliability tests' servers share."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import once_per_run
from tests.reliability.servers import ALTERED, ingest_corpus


@pytest.fixture(scope="session")
def altered_store(tmp_path_factory) -> Path:
    """The corpus's reports with ``ALTERED`` (script in one recommendation, a formula in
    another), ingested once per run and shared by the tests that serve it; read-only."""
    return once_per_run(tmp_path_factory, "altered", lambda folder: ingest_corpus(folder, ALTERED)) / "store"
