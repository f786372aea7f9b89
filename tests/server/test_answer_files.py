"""Big canned answers kept as files (server/answerfiles.py): written once per store state, sent
again by any app on the store (another web process, or the server after a restart) without
running the query, never sent once the store has changed, and never at the cost of an answer.

The corpus's answers are small, so most tests lower the size from which an answer is written
(``MIN_BYTES``) to one byte; one test keeps the real size."""
from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil

import pytest

from server import answerfiles
from server.answerfiles import AnswerFiles

from .conftest import make_app

TOKEN = {"Authorization": "Bearer s3cret"}
TABLE = "/queries/recommendations"


@pytest.fixture
def every_size(monkeypatch):
    monkeypatch.setattr(answerfiles, "MIN_BYTES", 1)


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


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_answer_is_written_once_and_sent_from_its_file_by_another_app(store_path, tmp_path, every_size, fmt):
    answers = tmp_path / "answers"
    with app_on(store_path, answers) as first_app:
        first = first_app.test_client().get(f"{TABLE}.{fmt}")
    assert first.status_code == 200 and len(first.data) > 1000
    [file] = kept(answers)
    assert file.read_bytes() == first.data and f'"{file.name}"' == first.headers["ETag"]
    # what the second app sends is the file, not the engine's answer: change the file to see it
    file.write_bytes(first.data.replace(b"Bristol", b"BRISTOL"))
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
        old.write_bytes(b"an answer of the store as it was")
        assert client.post("/sparql", data={"update": "INSERT DATA { <urn:x:a> <urn:x:b> 'c' }"},
                           headers=TOKEN).status_code == 204
        after = client.get(f"{TABLE}.json")
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
    assert json.loads(after.data) == json.loads(first.data)       # the table itself did not change
    [new] = kept(answers)                                          # the old state's folder is gone
    assert new.parent != old.parent and new.read_bytes() == after.data


def test_small_answers_stay_in_memory(store_path, tmp_path):
    answers = tmp_path / "answers"
    with app_on(store_path, answers) as app:
        response = app.test_client().get(f"{TABLE}.json")
    assert response.status_code == 200 and 1000 < len(response.data) < answerfiles.MIN_BYTES
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


def test_the_oldest_files_make_room(tmp_path, every_size):
    files = AnswerFiles(tmp_path, max_bytes=100)
    for age, name in enumerate(["a", "b"]):
        path = files.keep("state", name, name.encode() * 40)
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    files.keep("state", "c", b"c" * 40)                           # 120 bytes would not fit: a goes
    assert [p.name for p in kept(tmp_path)] == ["b", "c"]
    assert files.keep("state", "d", b"d" * 101) is None           # never more than the limit
    with files.open("state", "c") as opened:
        assert opened.read() == b"c" * 40
    assert files.open("state", "a") is None and files.open("another state", "c") is None
