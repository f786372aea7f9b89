"""Fixtures for the remote-store tests: a private Virtuoso on 127.0.0.1 started by
``tests/virtuoso.sh`` (installed with apt-get when missing), and the corpus ingested into it.

Measured times (install, start, ingest, each query on both engines) are written to
``test-artefacts/virtuoso-timings.json`` when the session ends.
"""
from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "virtuoso.sh"
ARTEFACTS = ROOT / "test-artefacts"
INSTALL_TIMEOUT = 300
START_TIMEOUT = 120


@dataclass
class Virtuoso:
    env: dict[str, str]
    timings: dict = field(default_factory=dict)

    def store(self):
        from core.remote import RemoteOptions, RemoteStore
        return RemoteStore(self.env["VIRTUOSO_QUERY_ENDPOINT"], RemoteOptions(
            update_endpoint=self.env["VIRTUOSO_UPDATE_ENDPOINT"],
            graph_store_endpoint=self.env["VIRTUOSO_GRAPH_STORE_ENDPOINT"],
            auth=(self.env["VIRTUOSO_USER"], self.env["VIRTUOSO_PASSWORD"])))


def _why(result: subprocess.CompletedProcess) -> str:
    lines = (result.stderr or result.stdout or "").strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A running private Virtuoso; skips the remote tests with the reason when it cannot start."""
    timings: dict = {}
    t0 = time.perf_counter()
    try:
        installed = subprocess.run(["bash", str(SCRIPT), "install"], capture_output=True, text=True,
                                   timeout=INSTALL_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.skip(f"installing virtuoso-opensource took more than {INSTALL_TIMEOUT} s")
    if installed.returncode != 0:
        pytest.skip(f"Virtuoso is not available: {_why(installed)}")
    timings["install_s"] = round(time.perf_counter() - t0, 2)
    home = tmp_path_factory.mktemp("virtuoso")
    t0 = time.perf_counter()
    try:
        started = subprocess.run(["bash", str(SCRIPT), "start", str(home)], capture_output=True,
                                 text=True, timeout=START_TIMEOUT)
    except subprocess.TimeoutExpired:
        subprocess.run(["bash", str(SCRIPT), "stop", str(home)], timeout=30)
        pytest.skip(f"Virtuoso did not start within {START_TIMEOUT} s")
    if started.returncode != 0:
        pytest.skip(f"Virtuoso could not be started: {_why(started)}")
    timings["start_s"] = round(time.perf_counter() - t0, 2)
    env = dict(line.split("=", 1) for line in started.stdout.splitlines() if "=" in line)
    server = Virtuoso(env=env, timings=timings)
    try:
        yield server
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", str(home)], timeout=60)
        ARTEFACTS.mkdir(exist_ok=True)
        (ARTEFACTS / "virtuoso-timings.json").write_text(json.dumps(timings, indent=1) + "\n")


@pytest.fixture(scope="session")
def remote_corpus(virtuoso):
    """The bundled corpus ingested into Virtuoso through the real ``Ingestor``."""
    from ingest.pipeline import Ingestor
    from tests.conftest import corpus_files
    store = virtuoso.store()
    t0 = time.perf_counter()
    outcomes = Ingestor(store, jobs=1).run(corpus_files())
    virtuoso.timings["ingest_corpus_s"] = round(time.perf_counter() - t0, 2)
    failed = [o.error for o in outcomes if not o.ok]
    assert not failed, failed
    yield store
    store.close()


@pytest.fixture(scope="session")
def embedded_corpus(corpus_store_path):
    """The same corpus in the embedded store (the suite's shared on-disk copy), read-only."""
    from core.store import EmbeddedStore
    store = EmbeddedStore(corpus_store_path, read_only=True)
    yield store
