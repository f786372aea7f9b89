"""``update`` against the fixture site on 127.0.0.1: what it finds, fetches, ingests and refuses,
and that a second run fetches nothing it already has."""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest

from ingest.update import Summary
from ingest.update_record import Record
from tests.conftest import new_store
from tests.update.conftest import BAD, GOOD, SEARCH, SEARCH_2, build_site, run
from tests.update.site import FixtureSite, Serving

OFS = "https://w3id.org/ofsted-kg/def#"
DOCS = """PREFIX ofs: <https://w3id.org/ofsted-kg/def#> PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?doc ?from ?issued ?listedOn WHERE { GRAPH ?doc { ?doc ofs:downloadedFrom ?from .
  OPTIONAL { ?doc dct:issued ?issued } OPTIONAL { ?doc ofs:publicationDateListedOn ?listedOn } } }"""


def stored(store_path) -> dict[str, dict]:
    """Documents that came from the site, by the path they were downloaded from."""
    store = ox.Store.read_only(str(store_path))
    try:
        rows = list(store.query(DOCS))
    finally:
        del store
    found = {urlsplit(r["from"].value).path: {
        "doc": r["doc"].value, "issued": r["issued"].value if r["issued"] else None,
        "listed_on": r["listedOn"].value if r["listedOn"] else None} for r in rows}
    assert len(found) == len(rows), "a download stored as two documents"
    return found


def reset(site: FixtureSite, hits: list[str] = (), not_modified: list[str] = ()) -> None:
    """Give ``site`` the routes ``build_site`` makes and the given log of requests."""
    site.routes = build_site().routes
    site.hits[:] = hits
    site.not_modified[:] = not_modified
    site.agents.clear()


@pytest.fixture(scope="module")
def served():
    """One fixture site for the module: a run's record and store name each file by its URL,
    port included, so what a first run left can only be reused on the same server."""
    with Serving(build_site()) as s:
        yield s


@pytest.fixture
def site(served):
    """The module's site as ``build_site`` makes it, nothing requested yet."""
    reset(served)
    return served


@dataclass
class FirstRun:
    """What one first run against a fresh site printed and left (``folder``: store and cache)."""

    summary: Summary
    lines: list[str]
    hits: list[str]
    not_modified: list[str]
    folder: Path
    pristine: Path


@pytest.fixture(scope="module")
def first_run(served, tmp_path_factory) -> FirstRun:
    """The first run, made once for the module (it downloads, parses and validates three
    reports and waits out a timeout: some 3 s); ``first`` hands each test a fresh copy."""
    reset(served)
    base = tmp_path_factory.mktemp("first-run")
    lines: list[str] = []
    summary = run(served, base / "run" / "store", base / "run" / "cache", lines)
    shutil.copytree(base / "run", base / "pristine")
    return FirstRun(summary, lines, list(served.hits), list(served.not_modified), base / "run",
                    base / "pristine")


@pytest.fixture
def first(first_run, site) -> FirstRun:
    """The state the first run left, restored for this test: its store and cache copied back
    to the same paths (the record names cached files by path) and the site's log of requests
    as the run left it."""
    shutil.rmtree(first_run.folder)
    shutil.copytree(first_run.pristine, first_run.folder)
    reset(site, first_run.hits, first_run.not_modified)
    return first_run


def test_first_run_finds_and_loads_every_childrens_services_publication(site, first):
    summary = first.summary
    docs = stored(first.folder / "store")
    assert set(docs) == set(GOOD)
    assert summary.providers == 4                     # Dudley listed on both pages counts once
    assert summary.listed == summary.new == 6        # 3 good + 3 bad; other kinds ignored
    assert (summary.loaded, summary.refused, summary.fetched) == (3, 0, 3)
    assert summary.failed == 4                        # 3 files + Walsall's changed page
    assert site.count(SEARCH_2) == 1
    assert not any("/v1/file/5003" in h or "9999" in h for h in site.hits)   # not children's services


def test_each_failure_is_one_clear_line(first):
    failures = [x for x in first.lines if x.startswith("FAILED")]
    assert len(failures) == 4
    text = "\n".join(failures)
    assert "/v1/file/7001: expected a PDF file, got an HTML page" in text
    assert "/v1/file/7002: HTTP 404" in text
    assert "/v1/file/7003: timed out after 0.5 s" in text
    assert "/provider/44/1004" in text and "its shape changed" in text
    assert all("\n" not in x for x in failures)


def test_listed_date_is_the_publication_date_of_a_report_that_prints_none(first):
    docs = stored(first.folder / "store")
    ilacs = docs["/v1/file/5001"]
    assert ilacs["issued"] == "2019-01-20"            # from the listing: the PDF prints no date
    assert ilacs["listed_on"].endswith("/provider/44/1001")
    assert ilacs["doc"].endswith("/id/document/e08000027-ilacs-2018-2019-01-20")
    letter = docs["/v1/file/5002"]
    assert letter["issued"] == "2024-05-16"           # printed on the letter itself
    assert letter["listed_on"] is None


def test_record_holds_every_publication_and_its_outcome(first):
    record = Record(first.folder / "cache" / "record.sqlite", read_only=True)
    try:
        entries = {e.url.split("/v1/file/")[1]: e for e in record.entries()}
    finally:
        record.close()
    assert {k: e.outcome for k, e in entries.items()} == {
        "5001": "loaded", "5002": "loaded", "6001": "loaded",
        "7001": "failed", "7002": "failed", "7003": "failed"}
    good = entries["5001"]
    assert (good.urn, good.provider, good.kind, good.listed) == (
        "1001", "Dudley", "children's services inspection", dt.date(2019, 1, 20))
    assert len(good.sha256) == 64 and good.document.endswith("e08000027-ilacs-2018-2019-01-20")
    assert "HTTP 404" in entries["7002"].message
    assert not list((first.folder / "cache").rglob("*.part"))     # nothing half-stored


def test_second_run_fetches_nothing_it_already_has(site, first):
    before = {p: site.count(p) for p in GOOD}
    lines: list[str] = []
    summary = run(site, first.folder / "store", first.folder / "cache", lines)
    assert {p: site.count(p) for p in GOOD} == before == {p: 1 for p in GOOD}
    assert (summary.new, summary.loaded, summary.fetched) == (0, 0, 0)
    assert summary.failed == 4                        # the broken ones are tried again
    assert site.count("/v1/file/7002") == 2
    # every page came with an ETag and was asked for with If-None-Match: unchanged, not re-sent
    assert summary.unchanged_pages == 6 and len(site.not_modified) == 6


def test_a_fixed_file_loads_on_the_next_run(site, first):
    from tests.update.site import ilacs_pdf
    site.file("/v1/file/7002", ilacs_pdf("Cheshire East", "4 to 15 March 2024"))
    summary = run(site, first.folder / "store", first.folder / "cache")
    assert summary.loaded == 1
    assert "/v1/file/7002" in stored(first.folder / "store")


@pytest.mark.slow
def test_authority_and_since_filters(site, tmp_path):
    for name in ("store", "store2"):       # the ontology's graphs made once per process
        new_store(tmp_path / name).close()
    summary = run(site, tmp_path / "store", tmp_path / "cache", authorities=["E08000010"],
                  since=dt.date(2019, 1, 1))
    assert set(stored(tmp_path / "store")) == {"/v1/file/6001"}          # Wigan by GSS code
    assert summary.providers == 1 and summary.failed == 1                # its monitoring visit is HTML
    summary = run(site, tmp_path / "store2", tmp_path / "cache2", authorities=["Dudley"],
                  since=dt.date(2024, 1, 1))
    assert set(stored(tmp_path / "store2")) == {"/v1/file/5002"}


def test_dry_run_lists_and_stores_nothing(site, tmp_path):
    summary = run(site, tmp_path / "store", tmp_path / "cache", dry_run=True)
    assert sorted(e.url.rsplit("/v1/file/", 1)[1] for e in summary.pending) == sorted(
        p.rsplit("/", 1)[1] for p in [*GOOD, *BAD])
    assert not (tmp_path / "cache").exists() and not (tmp_path / "store").exists()
    assert not any(h.startswith("/v1/file/") for h in site.hits)


def test_offline_reingest_into_a_new_store_needs_no_network(site, tmp_path, first):
    hits = len(site.hits)
    summary = run(site, tmp_path / "new-store", first.folder / "cache", offline=True)
    assert len(site.hits) == hits
    assert summary.loaded == 3
    assert stored(tmp_path / "new-store") == stored(first.folder / "store")


def quick_fetches(monkeypatch) -> None:
    """``ofsted-kg update`` run from the command line without its polite second between
    requests, and with the short timeout of these tests, no retries and no back-off."""
    from tests.update.conftest import TIMEOUT
    for name, value in (("DELAY", "0"), ("TIMEOUT", str(TIMEOUT)), ("RETRIES", "0"), ("BACKOFF", "0")):
        monkeypatch.setenv(f"OFSTED_KG_UPDATE_{name}", value)


def test_command_line_dry_run_and_run(site, tmp_path, capsys, monkeypatch):
    from core.cli import main
    quick_fetches(monkeypatch)
    common = ["--source", site.url + SEARCH, "--cache", str(tmp_path / "cache"),
              "--store", str(tmp_path / "store"), "--authority", "Dudley", "--jobs", "1"]
    assert main(["update", "--dry-run", *common]) == 0
    out, err = capsys.readouterr()
    assert sorted(out.splitlines()) == [
        f"would download {site.url}/v1/file/5001 (Dudley, children's services inspection, listed 2019-01-20)",
        f"would download {site.url}/v1/file/5002 (Dudley, children's services focused visit, listed 2024-05-16)"]
    assert err.strip().startswith("dry run: 1 provider(s), 2 publication(s) listed, 2 new; 0 downloaded")
    assert main(["update", "--quiet", *common]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("1 provider(s), 2 publication(s) listed, 2 new; 2 downloaded, 2 loaded, "
                          "0 already stored, 0 refused, 0 failed; 5 request(s)")   # 2 search pages, Dudley, 2 PDFs


def test_a_publication_listed_under_a_new_date_is_loaded_again(site, first):
    from tests.update.site import provider_html
    site.page("/provider/44/1001", provider_html("Dudley", [
        ("/v1/file/5001", "children's services inspection", "21 january 2019"),
        ("/v1/file/5002", "children's services focused visit", "16 may 2024")]))
    summary = run(site, first.folder / "store", first.folder / "cache")
    assert (summary.new, summary.fetched, summary.loaded) == (1, 0, 1)     # no download again
    assert "/provider/44/1001" not in site.not_modified                    # its new ETag: read whole
    assert site.count("/v1/file/5001") == 1
    docs = stored(first.folder / "store")
    assert set(docs) == set(GOOD)                                          # the old one is gone
    assert docs["/v1/file/5001"]["issued"] == "2019-01-21"
    assert docs["/v1/file/5001"]["doc"].endswith("e08000027-ilacs-2018-2019-01-21")


def test_provider_pages_without_any_publication_link_are_a_shape_change(site, tmp_path):
    from tests.update.site import provider_html
    for urn, name in (("1001", "Dudley"), ("1002", "Wigan"), ("1003", "Cheshire East")):
        site.page(f"/provider/44/{urn}", provider_html(name, []).replace("publication-link", "doc-link"))
    lines: list[str] = []
    summary = run(site, tmp_path / "store", tmp_path / "cache", lines)
    assert summary.listed == 0
    assert "FAILED provider pages: none of 3 lists a publication link (a.publication-link)" in "\n".join(lines)


def test_a_second_run_on_the_same_cache_is_refused_while_the_first_holds_it(site, tmp_path, capsys,
                                                                           monkeypatch):
    """Two runs on one cache would download the same files and ingest them twice at once: the
    second says so in one line and changes nothing; a dry run may still look."""
    from core.cli import main
    from ingest.update import hold_cache
    quick_fetches(monkeypatch)
    cache = tmp_path / "cache"
    common = ["--source", site.url + SEARCH, "--cache", str(cache), "--store", str(tmp_path / "store"),
              "--authority", "Dudley", "--jobs", "1", "--quiet"]
    hits = len(site.hits)
    with hold_cache(cache):
        assert main(["update", *common]) == 1
        assert main(["update", "--dry-run", *common]) == 0
    err = capsys.readouterr().err
    assert f"error: another `ofsted-kg update` is running with the cache {cache}" in err
    assert not (tmp_path / "store").exists()
    assert main(["update", *common]) == 0              # the first run has ended: the cache is free
    assert len(site.hits) > hits
