"""``update`` killed at any point and run again ends where an uninterrupted run ends; a running
server shows what ``update`` adds without a restart; the outcome spreadsheets are found from
their gov.uk page."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from ingest.update_record import Record
from tests.conftest import shared_or_skip
from tests.live import serve_app
from tests.update.conftest import SEARCH, TIMEOUT, build_site, run
from tests.update.site import Serving, provider_html

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

DOC_COUNT = """PREFIX ofs: <https://w3id.org/ofsted-kg/def#>
SELECT (COUNT(DISTINCT ?doc) AS ?n) WHERE { ?doc ofs:downloadedFrom ?url }"""


def cli(site, store: Path, cache: Path) -> subprocess.Popen:
    env = {**os.environ, "OFSTED_KG_UPDATE_DELAY": "0", "OFSTED_KG_UPDATE_TIMEOUT": str(TIMEOUT),
           "OFSTED_KG_UPDATE_RETRIES": "1", "OFSTED_KG_UPDATE_BACKOFF": "0.01", "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "ingest", "update", "--source", site.url + SEARCH,
                             "--store", str(store), "--cache", str(cache), "--jobs", "1"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def state(store: Path, cache: Path) -> tuple:
    """What a run leaves: each publication's outcome and SHA-256, and the store's named graphs."""
    record = Record(cache / "record.sqlite", read_only=True)
    try:
        entries = sorted((e.url.rsplit("/", 1)[1], e.outcome, e.sha256, e.document) for e in record.entries())
    finally:
        record.close()
    s = ox.Store.read_only(str(store))
    try:
        graphs = sorted(g.value for g in s.named_graphs())
        quads = len(s)
    finally:
        del s
    return entries, graphs, quads


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("whole")
    with Serving(build_site()) as site:
        proc = cli(site, folder / "store", folder / "cache")
        proc.communicate(timeout=300)
    assert proc.returncode == 1            # the broken files and page are failures
    return state(folder / "store", folder / "cache")


@pytest.mark.parametrize("kill_at", ["downloaded ", "loaded ", "FAILED "])
def test_a_kill_then_a_rerun_ends_in_the_same_state(tmp_path, uninterrupted, kill_at):
    with Serving(build_site()) as site:
        proc = cli(site, tmp_path / "store", tmp_path / "cache")
        for line in proc.stderr:
            if kill_at in line:
                proc.send_signal(signal.SIGKILL)
                break
        proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL, f"the run ended before {kill_at!r}"
        again = cli(site, tmp_path / "store", tmp_path / "cache")
        _, err = again.communicate(timeout=300)
    assert "FAILED" in err and "Traceback" not in err
    assert state(tmp_path / "store", tmp_path / "cache") == uninterrupted


def test_a_running_server_shows_new_documents_without_restart(tmp_path):
    from server import create_app
    site_def = build_site()
    dudley = site_def.routes["/provider/44/1001"]
    site_def.page("/provider/44/1001", provider_html("Dudley", [
        ("/v1/file/5001", "children's services inspection", "20 january 2019")]))
    with Serving(site_def) as site:
        run(site, tmp_path / "store", tmp_path / "cache", authorities=["Dudley"])
        app = create_app({"STORE": str(tmp_path / "store"), "TESTING": True, "QUERY_PROCESSES": 1,
                          "DUMPS_DIR": str(tmp_path / "dumps")})
        live = serve_app(app)
        try:
            def count() -> int:
                r = requests.get(live.url + "/sparql", params={"query": DOC_COUNT},
                                 headers={"Accept": "application/sparql-results+json"}, timeout=30)
                r.raise_for_status()
                return int(r.json()["results"]["bindings"][0]["n"]["value"])
            assert count() == 1
            site.routes["/provider/44/1001"] = dudley          # Ofsted publishes the letter
            summary = run(site, tmp_path / "store", tmp_path / "cache", authorities=["Dudley"])
            assert summary.loaded == 1
            assert count() == 2
        finally:
            live.stop()


def test_outcome_spreadsheets_from_their_gov_uk_page(tmp_path):
    ods = shared_or_skip("reference", "ofsted-outcomes", "LA_Inspection_Outcomes_as_at_March_2024.ods")
    site_def = build_site()
    site_def.page("/government/statistics/la-outcomes", (
        '<html><body><h1>Local authority inspection outcomes</h1><section class="attachment">'
        '<a class="govuk-link" href="/media/abc/LA_Inspection_Outcomes_as_at_March_2024.ods">'
        'Local authority inspection outcomes as at March 2024</a>'
        '<a href="/media/abc/LA_Inspection_Outcomes_as_at_March_2024.ods">Download ODS</a>'
        '</section></body></html>'))
    site_def.file("/media/abc/LA_Inspection_Outcomes_as_at_March_2024.ods", ods.read_bytes(),
                  "application/vnd.oasis.opendocument.spreadsheet")
    site_def.page("/government/statistics/moved", "<html><body><p>This page has moved.</p></body></html>")
    lines: list[str] = []
    with Serving(site_def) as site:
        summary = run(site, tmp_path / "store", tmp_path / "cache", lines,
                      spreadsheet_pages=[site.url + "/government/statistics/la-outcomes",
                                         site.url + "/government/statistics/moved"])
        assert site.count("/media/abc/LA_Inspection_Outcomes_as_at_March_2024.ods") == 1
    assert summary.loaded == 4                  # three reports and the spreadsheet
    assert any("/government/statistics/moved" in x and "no links to .ods" in x for x in lines)
    record = Record(tmp_path / "cache" / "record.sqlite", read_only=True)
    sheet = [e for e in record.entries() if e.kind == "outcome spreadsheet"]
    record.close()
    assert [(e.outcome, e.provider) for e in sheet] == [
        ("loaded", "Local authority inspection outcomes as at March 2024")]
    assert sheet[0].document.endswith("/id/document/outcomes-la-inspection-outcomes-as-at-march-2024")
