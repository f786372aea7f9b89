"""Shared fixtures: the real pipeline over the bundled corpus into a real store."""
from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


#: the official outcome spreadsheets shipped in corpus/ (the national picture since 2009)
NATIONAL_SUFFIXES = (".ods", ".xlsx")


#: folders whose tests share one expensive external process, so run on one xdist worker
SHARED_PROCESS_FOLDERS = ("tests/remote/", "tests/browser/")


def test_group(nodeid: str) -> str:
    """The unit a pytest-xdist worker takes whole: a test file (its module fixtures, often a
    store or a server, are built once), or a folder of ``SHARED_PROCESS_FOLDERS`` (one
    Virtuoso, one Chromium)."""
    path = nodeid.split("::", 1)[0]
    return next((folder for folder in SHARED_PROCESS_FOLDERS if path.startswith(folder)), path)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under ``pytest -n 2`` (tests/run.sh), hand out whole ``test_group`` units. (xdist's own
    ``--dist loadgroup`` marks do not take effect with pytest 9, which no longer lets it
    rename test ids.)"""
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return test_group(nodeid)

    return GroupScheduling(config, log)


def corpus_files(national: bool = False) -> list[str]:
    """The bundled corpus: its reports and plan, and with ``national`` also Ofsted's outcome
    spreadsheets (they make a store ten times the size, so only the tests that need the
    national picture ingest them)."""
    from ingest.pipeline import discover
    return [p for p in discover([CORPUS]) if national or not p.lower().endswith(NATIONAL_SUFFIXES)]


def ingest_into(path: Path, files: list[str], jobs: int | None = 1) -> Path:
    """Ingest ``files`` in process with the real pipeline into the store at ``path`` (a new
    store there starts as ``new_store`` makes it: the ontology's graphs already in).

    :param jobs: worker processes preparing the documents (one by default: on a busy machine
        a second worker costs more in start-up than it gains).
    :return: ``path``.
    :raise AssertionError: a document failed (its reason is in the message).
    """
    from ingest.pipeline import Ingestor
    from core.store import open_store
    store = open_store(path) if Path(path).exists() else new_store(path)
    try:
        outcomes = Ingestor(store, jobs=jobs).run(files)
    finally:
        store.close()
    failed = [o.error for o in outcomes if not o.ok]
    assert not failed, failed
    return path


@functools.cache
def _first_graphs() -> tuple[tuple[str, bytes], ...]:
    """What ``ensure_ontology`` writes into a new store (the ontology with its closure and the
    authority register with its entailments), as (graph IRI, N-Triples), made once per process."""
    import pyoxigraph as ox
    from core.store import EmbeddedStore
    from ingest.pipeline import ensure_ontology
    store = EmbeddedStore(None)
    ensure_ontology(store)
    return tuple((g, ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in store.graph_quads(g)),
                                  format=ox.RdfFormat.N_TRIPLES)) for g in store.named_graphs())


def new_store(path: Path | None = None):
    """A new store (in memory, or on disk at ``path``) as the first ingest run leaves it before
    its first document: the ontology and register graphs, written with ``replace_graphs``.

    For tests about documents, not about a store's first run (which the command-line ingests
    into new stores, update's first run and ``tests/remote`` still go through): ``ensure_ontology``
    rebuilds its graphs for every new store, 1 to 2.5 s each on a busy two-core host, here once
    per process.

    :return: an open ``EmbeddedStore``.
    """
    from core.store import EmbeddedStore, open_store
    store = EmbeddedStore(None) if path is None else open_store(path)
    store.replace_graphs(dict(_first_graphs()))
    return store


def once_per_run(tmp_path_factory, name: str, build) -> Path:
    """A folder made by ``build(folder)`` once per test run and shared by every test that only
    reads it.

    Under pytest-xdist the workers share one base folder: the first worker to get the lock
    builds, the others wait and reuse what it built. Tests that write copy it first
    (``shutil.copytree``).

    :param name: the folder's name under the run's base folder.
    :return: the folder (``<base>/<name>``).
    """
    import fcntl
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent              # shared by the workers of this run
    folder = root / name
    done = folder / "done"
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


def built_once(tmp_path_factory, name: str, files: list[str]) -> Path:
    """A store of ``files`` built once per test run (``once_per_run``) and shared.

    :param name: the store's folder name under the run's base folder.
    :return: the store's path (``<base>/<name>/store``: its parent is the store's own, for dumps).
    """
    return once_per_run(tmp_path_factory, name, lambda folder: ingest_into(folder / "store", files)) / "store"


@pytest.fixture(scope="session")
def corpus_store_path(tmp_path_factory) -> Path:
    """The bundled corpus's reports and plan in a store on disk, ingested once per run and
    shared (read-only) by the ingest, server and reliability tests."""
    return built_once(tmp_path_factory, "corpus", corpus_files())


@pytest.fixture(scope="session")
def national_store_path(tmp_path_factory) -> Path:
    """All of corpus/, the outcome spreadsheets included (once per run; read-only)."""
    return built_once(tmp_path_factory, "national", corpus_files(national=True))


@pytest.fixture()
def corpus_store_copy(corpus_store_path, tmp_path) -> Path:
    """A private, writable copy of the corpus store."""
    copy = tmp_path / "corpus" / "store"
    shutil.copytree(corpus_store_path, copy)
    return copy


@pytest.fixture()
def fresh_store_path(tmp_path) -> Path:
    return tmp_path / "store"


def shared_or_skip(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the development corpus and reference tables live in "
                    "../shared beside the checkout (never copied into the project)")
    return path


CHROMIUM = Path("/usr/bin/chromium")
#: how long a browser test waits for Chromium to start, a page to load or an element to show
#: (ms): a minute, so that a busy CI host is slow rather than failed; not a speed target
BROWSER_TIMEOUT_MS = 60_000
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one per test session (Playwright's sync API allows
    one running instance per thread, so every browser test shares this one)."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: apt-get install -y chromium (Playwright cannot download browsers here)")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                            timeout=2 * BROWSER_TIMEOUT_MS)
        yield chromium
        chromium.close()
