"""While another process writes the /download/ files (the start-up writer: 2-5 minutes at
150 x 10), a request for them waits at most ``DUMPS_WAIT`` seconds and then gets 503 with
Retry-After, instead of holding a web thread for the writer's minutes; and the VoID and DCAT
descriptions count the store once for all the requests of that time, not once each.

The other writer is this test holding the dumps folder's lock on a file of its own (flock:
each open file description its own lock, as a second process's would be)."""
from __future__ import annotations

import fcntl
import threading
import time
from contextlib import contextmanager

import pytest

from tests.server.conftest import make_app


@contextmanager
def another_writer(folder):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield


def asked(client, path: str, within: float) -> list:
    """``client.get(path)`` in a thread: its response, or nothing if it takes over ``within`` s."""
    answers: list = []
    asking = threading.Thread(target=lambda: answers.append(client.get(path)), daemon=True)
    asking.start()
    asking.join(within)
    return answers


@pytest.fixture
def waiting_app(store_path, tmp_path):
    application = make_app(store_path, DUMPS_DIR=str(tmp_path / "dumps"), DUMPS_WAIT=0.5)
    yield application
    application.extensions["ofsted_kg"].pool.close()


@pytest.mark.parametrize("path", ["/download/", "/download/ofsted-kg.nt.gz"])
def test_a_download_asked_while_another_process_writes_is_503_after_the_wait(waiting_app, tmp_path, path):
    client = waiting_app.test_client()
    with another_writer(tmp_path / "dumps"):
        started = time.monotonic()
        answers = asked(client, path, within=20)
        waited = time.monotonic() - started
    assert answers, "the request was still waiting for the writer after 20 s"
    refused = answers[0]
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "30"
    assert "being written" in refused.get_data(as_text=True)
    assert 0.5 <= waited, waited
    assert not (tmp_path / "dumps" / "ofsted-kg.nt.gz").exists()
    # the writer gone, the same request writes them and gets them
    answered = client.get(path)
    assert answered.status_code == 200
    assert (tmp_path / "dumps" / "ofsted-kg.nt.gz").stat().st_size > 1000


def test_a_writer_that_finishes_within_the_wait_is_waited_for(store_path, tmp_path):
    # a wait of a minute (not waiting_app's half second): the writer holds the lock 0.2 s, and a
    # busy machine slow to end it must not turn "waited for" into a 503
    application = make_app(store_path, DUMPS_DIR=str(tmp_path / "dumps"), DUMPS_WAIT=60)
    client = application.test_client()
    answers = []
    try:
        with another_writer(tmp_path / "dumps"):
            asking = threading.Thread(target=lambda: answers.append(client.get("/download/")))
            asking.start()
            time.sleep(0.2)             # the request waits on the lock; then the writer ends
        asking.join(120)
    finally:
        application.extensions["ofsted_kg"].pool.close()
    assert [a.status_code for a in answers] == [200]


def test_the_descriptions_count_the_store_once_while_the_dumps_are_written(waiting_app, tmp_path):
    client = waiting_app.test_client()
    with another_writer(tmp_path / "dumps"):
        bodies, timings = [], []
        for path in ("/.well-known/void", "/.well-known/void", "/catalog"):
            response = client.get(path)
            assert response.status_code == 200
            bodies.append(response.get_data(as_text=True))
            timings.append(response.headers["Server-Timing"])
    assert "engine" in timings[0]                       # counted: the store was scanned
    assert "engine" not in timings[1] and "engine" not in timings[2], timings
    assert bodies[0] == bodies[1]
    assert "void:triples" in bodies[0]
