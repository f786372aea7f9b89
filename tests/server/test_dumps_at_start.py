"""``ofsted-kg serve`` writes the /download/ files at start-up, in a process of its own, so the
first visitor does not wait for them (nationally the dumps take about 25 s to write)."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
import requests

from tests.reliability.servers import copy_store, start_serve

pytestmark = pytest.mark.slow


def _wait_for(served, pattern: str, seconds: float = 120) -> list[str]:
    for _ in range(int(seconds * 10)):
        found = served.lines(pattern)
        if found:
            return found
        threading.Event().wait(0.1)
    raise AssertionError(f"never logged {pattern!r}:\n" + "\n".join(served.log))


def _writers(pid: int) -> list[str]:
    """The states of the dump writers among ``pid``'s children ("Z" for a zombie)."""
    found = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            name = Path(f"/proc/{child}/comm").read_text().strip()
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if name == "ofsted-kg-dumps":
            found.append(state)
    return found


def test_the_dumps_are_written_at_start_without_a_request(corpus_store_path, tmp_path):
    store = copy_store(corpus_store_path, tmp_path)
    dumps = Path(str(store) + "-dumps")
    served = start_serve(store, DUMPS_AT_START="true", WORKERS=1, THREADS=2)
    try:
        ready = _wait_for(served, r"downloads ready in")
        assert str(dumps) in ready[0]
        assert (dumps / ".stamp").exists() and (dumps / "ofsted-kg.nt.gz").stat().st_size > 1000
        written = (dumps / "ofsted-kg.nt.gz").stat().st_mtime_ns
        listing = requests.get(served.url + "/download/", timeout=30)
        assert listing.status_code == 200 and "ofsted-kg.trig" in listing.text
        # the request found them current: nothing was written again
        assert (dumps / "ofsted-kg.nt.gz").stat().st_mtime_ns == written
        # the writer has ended and been reaped: no zombie is left in the server's tree (polled
        # for a minute: a busy machine is slow to schedule the reaping, not wrong)
        for _ in range(600):
            if not _writers(served.process.pid):
                break
            threading.Event().wait(0.1)
        assert _writers(served.process.pid) == []
    finally:
        assert served.stop() == 0
    # started again on the same store: the dumps are current, so the writer only checks them
    again = start_serve(store, DUMPS_AT_START="true", WORKERS=1, THREADS=2)
    try:
        _wait_for(again, r"downloads ready in")
        assert (dumps / "ofsted-kg.nt.gz").stat().st_mtime_ns == written
    finally:
        again.stop()


def test_without_dumps_at_start_nothing_is_written_until_asked(corpus_store_path, tmp_path):
    store = copy_store(corpus_store_path, tmp_path)
    dumps = Path(str(store) + "-dumps")
    served = start_serve(store, WORKERS=1, THREADS=2)          # DUMPS_AT_START off
    try:
        assert requests.get(served.url + "/sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200
        assert not (dumps / ".stamp").exists() and not served.lines("downloads ready")
        assert requests.get(served.url + "/download/", timeout=120).status_code == 200
        assert (dumps / ".stamp").exists()
    finally:
        served.stop()


def test_a_writer_that_cannot_write_says_why_in_one_line_and_the_server_serves(corpus_store_path, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    served = start_serve(corpus_store_path, DUMPS_AT_START="true", DUMPS_DIR=str(blocked / "dumps"),
                         WORKERS=1, THREADS=2)
    try:
        said = _wait_for(served, r"dumps were not written at start")
        assert len(said) == 1 and "a request will try again" in said[0] and "dumps" in said[0]
        assert not served.lines(r"Traceback")
        assert requests.get(served.url + "/sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200
    finally:
        assert served.stop() == 0
