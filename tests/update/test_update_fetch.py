"""The fetcher against the fixture site: user agent, retries after 503, and downloads that
leave nothing behind when the body is cut short or is not what was asked for."""
from __future__ import annotations

import pytest

from ingest.update_fetch import Fetcher, FetchError
from tests.update.site import FixtureSite, Serving, ilacs_pdf

PDF = ilacs_pdf("Dudley", "19 November to 30 November 2018")


@pytest.fixture
def site():
    s = FixtureSite()
    s.file("/busy.pdf", PDF, fail_first=2)
    s.file("/cut.pdf", PDF, truncate=True)
    s.file("/sheet.ods", b"%PDF-1.4 a PDF where a spreadsheet should be")
    s.page("/page", "<html><body>ok</body></html>")
    with Serving(s) as served:
        yield served


def fetcher(retries: int = 2) -> Fetcher:
    return Fetcher(delay=0, timeout=5, retries=retries, backoff=0.01)


def test_user_agent_names_the_project(site):
    assert fetcher().text(site.url + "/page") == "<html><body>ok</body></html>"
    (agent,) = site.agents
    assert agent.startswith("ofsted-kg/") and "update" in agent


def test_busy_server_is_retried_with_back_off(site, tmp_path):
    got = fetcher(retries=2).download(site.url + "/busy.pdf", tmp_path / "a.pdf", "pdf", 10**7)
    assert got.path.read_bytes() == PDF and got.size == len(PDF)
    assert site.count("/busy.pdf") == 3


def test_retries_run_out(site, tmp_path):
    with pytest.raises(FetchError, match=r"/busy.pdf: HTTP 503 .*\(2 tries\)"):
        fetcher(retries=1).download(site.url + "/busy.pdf", tmp_path / "a.pdf", "pdf", 10**7)
    assert list(tmp_path.iterdir()) == []


def test_a_body_cut_short_leaves_nothing(site, tmp_path):
    with pytest.raises(FetchError, match="/cut.pdf: (connection broke|truncated)"):
        fetcher(retries=0).download(site.url + "/cut.pdf", tmp_path / "a.pdf", "pdf", 10**7)
    assert list(tmp_path.iterdir()) == []


def test_wrong_kind_and_oversized_bodies_leave_nothing(site, tmp_path):
    with pytest.raises(FetchError, match="expected an ODS file"):
        fetcher().download(site.url + "/sheet.ods", tmp_path / "s.ods", "ods", 10**7)
    with pytest.raises(FetchError, match="larger than"):
        fetcher().download(site.url + "/busy.pdf", tmp_path / "a.pdf", "pdf", 1000)
    assert list(tmp_path.iterdir()) == []
