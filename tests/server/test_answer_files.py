"""Big canned answers kept as files (server/answerfiles.py): written once per store state, sent
again by any app on the store (another web process, or the server after a restart) without
running the query, never sent once the store has changed, and never at the cost of an answer.

The corpus's answers are small, so most tests lower the size from which an answer is written
(``ANSWER_FILES_MIN_KB``) to nothing; one test keeps the real size."""
from __future__ import annotations

import contextlib
import re
import json
import logging
import os
import shutil

import pytest
import requests

from core import lock
from core.settings import BY_NAME
from server.answerfiles import AnswerFiles, answer_files

from tests.reliability.servers import start_serve

from .conftest import make_app

TOKEN = {"Authorization": "Bearer s3cret"}
TABLE = "/queries/recommendations"


#: the smallest answer kept by default
MIN_BYTES = BY_NAME["ANSWER_FILES_MIN_KB"].default * 1024


@pytest.fixture
def every_size(monkeypatch):
    monkeypatch.setenv("OFSTED_KG_ANSWER_FILES_MIN_KB", "0")


@contextlib.contextmanager
def app_on(store, answers, **settings):
    application = make_app(store, ANSWER_FILES_DIR=str(answers), DUMPS_DIR=str(answers.parent / "d"), **settings)
    try:
        yield application
    finally:
        application.extensions["ofsted_kg"].pool.close()


def kept(root):
    """The answer files under ``root``, by state folder."""
    return sorted(p for p in root.glob("*/*") if not p.name.startswith("."))


def parts(file) -> tuple[dict, bytes]:
    """A kept answer's first line (how it is sent) and its body."""
    head, body = file.read_bytes().split(b"\n", 1)
    return json.loads(head), body


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_answer_is_written_once_and_sent_from_its_file_by_another_app(store_path, tmp_path, every_size, fmt):
    answers = tmp_path / "answers"
    with app_on(store_path, answers) as first_app:
        first = first_app.test_client().get(f"{TABLE}.{fmt}")
    assert first.status_code == 200 and len(first.data) > 1000
    [file] = kept(answers)
    head, body = parts(file)
    assert body == first.data and f'"{file.name}"' == first.headers["ETag"]
    assert head == {"type": first.headers["Content-Type"], "truncated": False}
    # what the second app sends is the file, not the engine's answer: change the file to see it
    file.write_bytes(file.read_bytes().replace(b"Bristol", b"BRISTOL"))
    with app_on(store_path, answers) as second_app:
        again = second_app.test_client().get(f"{TABLE}.{fmt}")
        unchanged = second_app.test_client().get(f"{TABLE}.{fmt}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] == first.headers["ETag"]
    assert b"BRISTOL" in again.data and again.data.replace(b"BRISTOL", b"Bristol") == first.data
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert int(again.headers["Content-Length"]) == len(again.data)
    assert again.headers.get("Content-Disposition") == first.headers.get("Content-Disposition")
    assert unchanged.status_code == 304


def test_a_changed_store_is_never_answered_from_an_old_file(store_path, tmp_path, every_size):
    store = tmp_path / "store"
    shutil.copytree(store_path, store)
    answers = tmp_path / "answers"
    with app_on(store, answers, ALLOW_UPDATE=True, UPDATE_TOKEN="s3cret") as app:
        client = app.test_client()
        first = client.get(f"{TABLE}.json")
        [old] = kept(answers)
        old.write_bytes(b'{"type": "text/plain"}\nan answer of the store as it was')
        assert client.post("/sparql", data={"update": "INSERT DATA { <urn:x:a> <urn:x:b> 'c' }"},
                           headers=TOKEN).status_code == 204
        after = client.get(f"{TABLE}.json")
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
    assert json.loads(after.data) == json.loads(first.data)       # the table itself did not change
    [new] = kept(answers)                                          # the old state's folder is gone
    assert new.parent != old.parent and parts(new)[1] == after.data


def test_small_answers_stay_in_memory(store_path, tmp_path):
    answers = tmp_path / "answers"
    with app_on(store_path, answers) as app:
        response = app.test_client().get(f"{TABLE}.json")
    assert response.status_code == 200 and 1000 < len(response.data) < MIN_BYTES
    assert kept(answers) == []


def test_pages_and_a_setting_of_zero_write_no_file(store_path, tmp_path, every_size):
    with app_on(store_path, tmp_path / "pages") as app:
        assert app.test_client().get(TABLE).status_code == 200
    assert kept(tmp_path / "pages") == []
    with app_on(store_path, tmp_path / "off", ANSWER_FILES_MB=0) as app:
        assert app.test_client().get(f"{TABLE}.csv").status_code == 200
    assert not (tmp_path / "off").exists()


def test_a_folder_that_cannot_be_written_loses_no_answer(store_path, tmp_path, every_size, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with app_on(store_path, blocker / "answers") as app, caplog.at_level(logging.WARNING, "server.answerfiles"):
        responses = [app.test_client().get(f"{TABLE}.{fmt}") for fmt in ("csv", "json", "csv")]
    assert [r.status_code for r in responses] == [200, 200, 200] and responses[0].data == responses[2].data
    warnings = [r.getMessage() for r in caplog.records if r.name == "server.answerfiles"]
    assert len(warnings) == 1 and str(blocker) in warnings[0]


def test_the_oldest_files_make_room(tmp_path):
    files = AnswerFiles(tmp_path, max_bytes=2 * 296 + 100, min_bytes=1)   # 40-byte bodies after a 256-byte first line
    for age, name in enumerate(["a", "b"]):
        path = files.keep("state", name, name.encode() * 40, "text/plain")
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    files.keep("state", "c", b"c" * 40, "text/csv", truncated=True)   # a third would not fit: a goes
    assert [p.name for p in kept(tmp_path)] == ["b", "c"]
    assert files.keep("state", "d", b"d" * 692, "text/plain") is None     # never more than the limit
    found = files.open("state", "c")
    with found.file:
        assert (found.file.read(), found.content_type, found.truncated, found.size) == (
            b"c" * 40, "text/csv", True, 40)
    assert files.open("state", "a") is None and files.open("another state", "c") is None


def test_a_sparql_answer_is_sent_from_its_file_with_its_type_and_cut(store_path, tmp_path, every_size):
    """A protocol query's answer, cut at RESULT_LIMIT, sent again by another app: the file's
    bytes, with the content type the query was answered in and X-SPARQL-MaxRows."""
    answers = tmp_path / "answers"
    query = {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"}
    accept = {"Accept": "text/csv"}
    with app_on(store_path, answers, RESULT_LIMIT=50) as first_app:
        first = first_app.test_client().get("/sparql", query_string=query, headers=accept)
    assert first.status_code == 200 and first.headers["X-SPARQL-MaxRows"] == "50"
    assert first.data.count(b"\r\n") == 51 and first.headers["Content-Type"].startswith("text/csv")
    [file] = kept(answers)
    head, body = parts(file)
    assert body == first.data and head == {"type": first.headers["Content-Type"], "truncated": True}
    file.write_bytes(file.read_bytes().replace(b"http", b"HTTP"))
    with app_on(store_path, answers, RESULT_LIMIT=50) as second_app:
        again = second_app.test_client().get("/sparql", query_string=query, headers=accept)
        as_json = second_app.test_client().get("/sparql", query_string=query)   # another format: another answer
    assert again.data == first.data.replace(b"http", b"HTTP") and again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers["X-SPARQL-MaxRows"] == "50" and "Accept" in again.headers["Vary"]
    assert as_json.status_code == 200 and b"HTTP" not in as_json.data
    assert len(json.loads(as_json.data)["results"]["bindings"]) == 50


def test_a_cut_canned_answer_says_so_from_the_app_and_from_its_file(store_path, tmp_path, every_size):
    """A canned query's whole JSON and CSV cut at RESULT_LIMIT carry X-SPARQL-MaxRows as /sparql's
    answers do, also when sent again from the file kept for them; an answer not cut has none."""
    answers = tmp_path / "answers"
    cut = ("/queries/judgements.json", "/queries/judgements.csv")
    whole = "/queries/judgements.json?authority_filter=Bristol&framework_filter=sif"     # 7 rows
    with app_on(store_path, answers, RESULT_LIMIT=10) as first_app:
        client = first_app.test_client()
        first = [client.get(path) for path in cut]
        small = client.get(whole)
    assert [r.headers.get("X-SPARQL-MaxRows") for r in first] == ["10", "10"]
    assert len(json.loads(first[0].data)["results"]["bindings"]) == 10 and first[1].data.count(b"\r\n") == 11
    assert json.loads(small.data)["results"]["bindings"] and "X-SPARQL-MaxRows" not in small.headers
    assert {parts(f)[0]["truncated"] for f in kept(answers)} == {True, False}
    with app_on(store_path, answers, RESULT_LIMIT=10) as second_app:
        again = [second_app.test_client().get(path) for path in cut]
    assert [r.data for r in again] == [r.data for r in first]
    assert [r.headers.get("X-SPARQL-MaxRows") for r in again] == ["10", "10"]


def test_a_real_server_sends_the_whole_file(store_path, tmp_path):
    """``ofsted-kg serve`` (gunicorn's sendfile, behind the front): a kept answer over the
    default smallest size kept is the bytes the engine wrote, every time it is asked again (the
    file's first line is never sent, and nothing after it is skipped)."""
    query = {"query": "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}
    served = start_serve(store_path, ANSWER_FILES_DIR=tmp_path / "answers")
    try:
        bodies = []
        for _ in range(3):
            r = requests.get(served.url + "/sparql", params=query, headers={"Accept": "text/csv"}, timeout=120)
            assert r.status_code == 200
            bodies.append(r.content)
    finally:
        served.stop()
    assert len(bodies[0]) > MIN_BYTES and bodies[0].startswith(b"s,p,o,g\r\n")
    assert [len(b) for b in bodies[1:]] == [len(bodies[0])] * 2 and set(bodies) == {bodies[0]}
    [file] = kept(tmp_path / "answers")
    assert parts(file)[1] == bodies[0]
    # the access log counts the bytes of each answer, those sent from the file with sendfile too
    logged = [int(m.group(1)) for line in served.lines(r'"GET /sparql\?query=SELECT')
              if (m := re.search(r'" 200 (\d+) "', line))]
    assert logged == [len(bodies[0])] * 3


def test_an_answer_of_a_state_gone_is_not_kept(corpus_store_copy, tmp_path):
    """A request that began before a write answers for the old state: its answer is not kept,
    so the old state's folder is not made again, and the new state's folder (kept as ingest
    ended) is not cleared as "another state"."""
    store = str(corpus_store_copy)
    files = AnswerFiles(tmp_path / "answers", max_bytes=1 << 20, min_bytes=1, current=lambda: lock.stamp(store))
    old = lock.stamp(store)
    assert files.keep(old, "early", b"e" * 40, "text/plain") is not None
    lock.bump_generation(store)                                  # a write: the state moves on
    new = lock.stamp(store)
    assert files.keep(new, "ingest", b"i" * 40, "text/plain") is not None     # the old folder goes
    assert files.keep(old, "late", b"l" * 40, "text/plain") is None
    assert [p.name for p in kept(tmp_path / "answers")] == ["ingest"] and files.open(new, "ingest") is not None
    assert files.open(old, "late") is None
    # the app's answer files know the store's state the same way
    with app_on(corpus_store_copy, tmp_path / "app-answers") as app, app.app_context():
        assert answer_files().is_current(new) and not answer_files().is_current(old)
