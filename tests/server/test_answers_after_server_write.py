"""Whole answers kept after a write through the server (server/keeplater.py): a keeper process
of its own, started once the write is in, keeps the new state's answers as ``ofsted-kg ingest``
does after its write; a burst of writes ends with its last state kept."""
from __future__ import annotations

import contextlib
import json
import shutil
import time

import pytest

from core import lock
from core.flat import written_here_query
from core.store import open_store
from server.answerfiles import AnswerFiles
from server.keeplater import keep_later

from .conftest import make_app

TOKEN = {"Authorization": "Bearer s3cret"}
#: a keeper on the corpus takes 2-5 s (a fresh interpreter, the app, every whole answer)
WAIT_S = 120


@contextlib.contextmanager
def writable_app(store, answers, **settings):
    application = make_app(store, ALLOW_UPDATE=True, UPDATE_TOKEN="s3cret", ANSWER_FILES_DIR=str(answers),
                           ANSWER_FILES_MIN_KB=0, DUMPS_DIR=str(answers.parent / "d"), **settings)
    try:
        yield application
    finally:
        application.extensions["ofsted_kg"].pool.close()


@pytest.fixture
def store(store_path, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(store_path, copy)
    return copy


def insert(client, n: int) -> None:
    response = client.post("/sparql", data={"update": f"INSERT DATA {{ <urn:x:{n}> <urn:x:p> {n} }}"},
                           headers=TOKEN)
    assert response.status_code == 204, response.data


def asked_in_time(answers, store) -> str:
    """The store's state once its answers were all asked (fails after ``WAIT_S``)."""
    files = AnswerFiles(answers, 0)
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        stamp = lock.stamp(str(store))
        if files.asked(stamp):
            return stamp
        time.sleep(0.2)
    raise AssertionError(f"no keeper asked the answers of state {lock.stamp(str(store))} in {WAIT_S} s")


def flat_current(store) -> bool:
    """Whether the store's flat graph was built from its documents as they are (by this code);
    read as the server's readers do, under the store's read lock (a keeper may be writing)."""
    with lock.read_lock(store):
        opened = open_store(store, read_only=True)
        try:
            return bool(opened.query(written_here_query()))
        finally:
            opened.close()


@pytest.mark.slow          # waits for a keeper process (a fresh interpreter, every whole answer)
def test_an_update_through_the_server_has_its_answers_kept(store, tmp_path):
    """The keeper rebuilds the derived graphs the write marked (DERIVED_AFTER_WRITE), then keeps
    the answers: the canned queries read the flat tables again."""
    answers = tmp_path / "answers"
    with writable_app(store, answers, ANSWERS_AT_INGEST=True, DERIVED_AFTER_WRITE=True) as app:
        client = app.test_client()
        before = lock.stamp(str(store))
        insert(client, 1)
        stamp = asked_in_time(answers, store)
        assert stamp != before
        kept = {p.name for p in AnswerFiles(answers, 0).kept(stamp)}
        judgements = client.get("/queries/judgements.json")
    assert flat_current(store)
    # the app sends the keeper's file for the new state, and it is the answer computed afresh
    assert judgements.headers["ETag"].strip('"') in kept
    with writable_app(store, tmp_path / "none", ANSWER_FILES_MB=0) as fresh:
        computed = fresh.test_client().get("/queries/judgements.json")
    assert json.loads(judgements.data) == json.loads(computed.data)
    assert len(json.loads(computed.data)["results"]["bindings"]) > 20


@pytest.mark.slow
def test_a_burst_of_updates_ends_with_its_last_state_kept(store, tmp_path):
    answers = tmp_path / "answers"
    with writable_app(store, answers, ANSWERS_AT_INGEST=True) as app:
        client = app.test_client()
        for n in range(4):
            insert(client, n)
        last = lock.stamp(str(store))
        assert asked_in_time(answers, store) == last
    assert [p.name for p in answers.iterdir() if p.is_dir()] == [AnswerFiles(answers, 0).folder(last).name]


def test_no_keeper_when_answers_are_not_to_be_kept_nor_graphs_rebuilt(store, tmp_path):
    with writable_app(store, tmp_path / "answers") as app:     # ANSWERS_AT_INGEST, DERIVED_AFTER_WRITE off
        insert(app.test_client(), 1)
        assert keep_later(app.config) is None
        assert keep_later({**app.config, "ANSWERS_AT_INGEST": True, "ANSWER_FILES_MB": 0}) is None
    assert not (tmp_path / "answers").exists()
    assert not flat_current(store)              # the write marked the flat graph: nothing rebuilt it


@pytest.mark.slow
def test_the_graphs_are_rebuilt_when_no_answer_is_kept(store, tmp_path):
    with writable_app(store, tmp_path / "answers", DERIVED_AFTER_WRITE=True) as app:
        insert(app.test_client(), 1)
        deadline = time.monotonic() + WAIT_S
        while not flat_current(store) and time.monotonic() < deadline:
            time.sleep(0.2)
    assert flat_current(store)
    kept = [p for p in (tmp_path / "answers").rglob("*") if p.is_file() and not p.name.endswith(".lock")]
    assert not kept                             # only the keepers' turn locks are there


def test_a_write_waits_for_another_writer_then_gives_up(store, tmp_path):
    """A write through the server while another process writes the store (here a writer held
    in this one, which RocksDB refuses to open twice as well) waits up to UPDATE_WAIT: 204 when
    the other finishes within it, 503 with Retry-After when not."""
    import threading

    import pyoxigraph as ox
    with writable_app(store, tmp_path / "answers", UPDATE_WAIT=30.0) as app:
        held = {"store": ox.Store(str(store))}
        release = threading.Timer(1.0, held.clear)     # the last reference: the store closes
        release.start()
        started = time.monotonic()
        insert(app.test_client(), 1)
        assert time.monotonic() - started >= 0.9
    with writable_app(store, tmp_path / "answers", UPDATE_WAIT=0.5) as app:
        held = ox.Store(str(store))
        response = app.test_client().post("/sparql", data={"update": "INSERT DATA { <urn:x:a> <urn:x:p> 2 }"},
                                          headers=TOKEN)
        del held
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "the store is busy" in response.get_data(as_text=True)


def test_a_keeper_leaves_its_turn_to_one_already_waiting(store, tmp_path, monkeypatch):
    import fcntl
    from server.keepanswers import WAITING, keep_in_turn
    answers = tmp_path / "answers"
    monkeypatch.setenv("OFSTED_KG_ANSWER_FILES_DIR", str(answers))
    answers.mkdir()
    with open(answers / WAITING, "w") as waiting:
        fcntl.flock(waiting, fcntl.LOCK_EX)         # another keeper waits for its turn
        assert keep_in_turn(str(store)) is True
        assert not AnswerFiles(answers, 0).asked(lock.stamp(str(store)))
    assert keep_in_turn(str(store)) is True         # none waiting: this one keeps
    assert AnswerFiles(answers, 0).asked(lock.stamp(str(store)))


@pytest.mark.slow
def test_ofsted_kg_serve_keeps_them_after_an_update(store, tmp_path):
    """The real server (gunicorn, the front), updates on by its setting alone (no --allow-update:
    the flag's absence once turned the setting off), its keeper's line in the server's log."""
    import requests
    from tests.reliability.servers import start_serve
    answers = tmp_path / "answers"
    served = start_serve(store, ALLOW_UPDATE="true", UPDATE_TOKEN="s3cret", ANSWER_FILES_DIR=answers,
                         ANSWER_FILES_MIN_KB=0)
    try:
        response = requests.post(served.url + "/sparql", data={"update": "INSERT DATA { <urn:x:a> <urn:x:b> 1 }"},
                                 headers=TOKEN, timeout=60)
        assert response.status_code == 204, response.text
        stamp = asked_in_time(answers, store)
        whole = requests.get(served.url + "/queries/recommendations.csv", timeout=60)
    finally:
        served.stop()
    assert whole.headers["ETag"].strip('"') in {p.name for p in AnswerFiles(answers, 0).kept(stamp)}
    assert any(line.startswith("answers ready: ") and str(answers) in line for line in served.log)
    # DERIVED_AFTER_WRITE is on by default: the keeper rebuilt the graphs the write marked first
    assert any(line.startswith("derived graphs rebuilt after the write") for line in served.log)
    assert flat_current(store)


def test_a_keeper_that_cannot_start_leaves_the_write_in(store, tmp_path, monkeypatch, caplog):
    """No Python to start the keeper with: the update is still 204, the reason is logged."""
    monkeypatch.setattr("sys.executable", str(tmp_path / "no-python"))
    with writable_app(store, tmp_path / "answers", ANSWERS_AT_INGEST=True) as app:
        before = lock.stamp(str(store))
        insert(app.test_client(), 1)
    assert lock.stamp(str(store)) != before
    assert any("no answer keeper started after the write" in r.getMessage() for r in caplog.records)
