"""Shared fixtures: the real pipeline over the bundled corpus into a real store."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


#: the official outcome spreadsheets shipped in corpus/ (the national picture since 2009)
NATIONAL_SUFFIXES = (".ods", ".xlsx")


def corpus_files(national: bool = False) -> list[str]:
    """The bundled corpus: its reports and plan, and with ``national`` also Ofsted's outcome
    spreadsheets (they make a store ten times the size, so only the tests that need the
    national picture ingest them)."""
    from ingest.pipeline import discover
    return [p for p in discover([CORPUS]) if national or not p.lower().endswith(NATIONAL_SUFFIXES)]


@pytest.fixture(scope="session")
def corpus_store_path(tmp_path_factory) -> Path:
    """A persistent store directory holding the bundled corpus (ingested once per session)."""
    from ingest.pipeline import Ingestor
    from core.store import open_store
    path = tmp_path_factory.mktemp("corpus-store")
    store = open_store(path)
    outcomes = Ingestor(store, jobs=1).run(corpus_files())
    store.close()
    failed = [o.error for o in outcomes if not o.ok]
    assert not failed, failed
    return path


@pytest.fixture(scope="session")
def national_store_path(tmp_path_factory) -> Path:
    """A store holding all of corpus/, the outcome spreadsheets included (once per session)."""
    from ingest.pipeline import Ingestor
    from core.store import open_store
    path = tmp_path_factory.mktemp("national-store")
    store = open_store(path)
    outcomes = Ingestor(store).run(corpus_files(national=True))
    store.close()
    failed = [o.error for o in outcomes if not o.ok]
    assert not failed, failed
    return path


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
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
