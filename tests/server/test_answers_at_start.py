"""Whole answers kept at start-up (server/startup.py, ``ANSWERS_AT_START``): the JSON and CSV of
every canned query that needs no parameter are asked once, in the start-up process, so a
visitor's first ask is sent from its file; a whole answer's ETag does not name the host it was
asked on (it has no absolute link), a page's does (its next link is absolute).

The corpus's answers are small, so the size from which an answer is kept
(``ANSWER_FILES_MIN_KB``) is lowered to nothing."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from core import lock
from core.canned import load_all
from server.startup import FORMATS, keep_answers

from tests.reliability.servers import copy_store, start_serve

from .conftest import make_app

ANY_SIZE = {"ANSWER_FILES_MIN_KB": 0}


def whole_answers() -> list[str]:
    """The paths the start-up work asks for."""
    return [f"/queries/{name}.{fmt}" for name, q in sorted(load_all().items())
            if not any(p.required for p in q.params) for fmt in FORMATS]


def wait_for(served, pattern: str, count: int = 1) -> list[str]:
    """The server's lines matching ``pattern`` once there are ``count`` (two minutes at most)."""
    for _ in range(1200):
        if len(served.lines(pattern)) >= count:
            break
        threading.Event().wait(0.1)
    return served.lines(pattern)


def files_in(answers: Path) -> dict[str, Path]:
    """The kept answers under ``answers`` by ETag (one state's folder)."""
    return {p.name: p for p in answers.glob("*/*") if not p.name.startswith(".")}


def test_every_whole_answer_is_kept_and_serves_any_host(store_path, tmp_path, capsys):
    answers = tmp_path / "answers"
    app = make_app(store_path, ANSWER_FILES_DIR=str(answers), **ANY_SIZE)
    try:
        assert keep_answers(app) is True
    finally:
        app.extensions["ofsted_kg"].pool.close()
    paths = whole_answers()
    kept = files_in(answers)
    assert len(paths) > 30 and len(kept) == len(paths)      # one file per whole answer
    said = capsys.readouterr().err
    assert f"answers ready: {len(paths)} whole answers asked, {len(paths)} kept as files for this state" in said
    # another app (a web worker), asked on another host: the file kept at start, by its ETag
    judgements = "/queries/judgements.csv"
    other = make_app(store_path, ANSWER_FILES_DIR=str(answers), **ANY_SIZE)
    try:
        client = other.test_client()
        tag = client.get(judgements, base_url="https://data.example.org").headers["ETag"].strip('"')
        assert tag in kept
        file = kept[tag]
        file.write_bytes(file.read_bytes().replace(b"Bristol", b"BRISTOL"))   # to see it is the file
        again = client.get(judgements, base_url="http://127.0.0.1:8000")
    finally:
        other.extensions["ofsted_kg"].pool.close()
    assert again.status_code == 200 and again.headers["ETag"].strip('"') == tag
    assert b"BRISTOL" in again.data and b"Bristol" not in again.data


def test_a_page_with_absolute_links_has_an_etag_per_host(app):
    client = app.test_client()
    page = "/queries/judgements.json?_size=2"
    here, there = (client.get(page, base_url=url) for url in ("http://a.example", "http://b.example"))
    assert here.status_code == there.status_code == 200 and here.headers["ETag"] != there.headers["ETag"]
    assert json.loads(here.data)["query"]["table"]["next_url"].startswith("http://a.example/")
    whole = [client.get("/queries/judgements.json", base_url=url) for url in ("http://a.example", "http://b.example")]
    assert whole[0].headers["ETag"] == whole[1].headers["ETag"] and whole[0].data == whole[1].data


def test_nothing_is_kept_with_answer_files_off(store_path, tmp_path, capsys):
    answers = tmp_path / "answers"
    app = make_app(store_path, ANSWER_FILES_DIR=str(answers), ANSWER_FILES_MB=0)
    try:
        assert keep_answers(app) is True
    finally:
        app.extensions["ofsted_kg"].pool.close()
    assert not answers.exists() and "answers ready" not in capsys.readouterr().err


@pytest.mark.slow
def test_a_real_server_keeps_them_before_anyone_asks(store_path, tmp_path):
    answers = tmp_path / "answers"
    served = start_serve(store_path, ANSWERS_AT_START="true", ANSWER_FILES_DIR=answers, **ANY_SIZE)
    try:
        [line] = wait_for(served, "answers ready")
        paths = whole_answers()
        kept = files_in(answers)      # with the server's own readiness check's answer
        assert f"{len(paths)} whole answers asked, {len(kept)} kept as files for this state" in line
        assert len(kept) > len(paths) and "failed" not in line
        response = requests.get(served.url + "/queries/statistics.json", timeout=60)
        assert response.status_code == 200
        tag = response.headers["ETag"].strip('"')
        assert response.content == kept[tag].read_bytes().split(b"\n", 1)[1]
    finally:
        assert served.stop() == 0


@pytest.mark.slow
def test_they_are_kept_again_when_the_store_changes(corpus_store_path, tmp_path):
    store, answers = copy_store(corpus_store_path, tmp_path), tmp_path / "answers"
    served = start_serve(store, ANSWERS_AT_START="true", ANSWER_FILES_DIR=answers, STARTUP_WATCH_SECONDS=0.2,
                         **ANY_SIZE)
    try:
        assert len(wait_for(served, "answers ready")) == 1
        before = {p.parent.name for p in files_in(answers).values()}
        writer = ox.Store(str(store))              # a writer, as `ofsted-kg update` beside the server
        with lock.write_lock(str(store)):
            writer.add(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal("c"),
                               ox.NamedNode("urn:x:g")))
            writer.flush()
            lock.bump_generation(str(store))
        del writer
        lines = wait_for(served, "answers ready", 2)
        assert len(lines) == 2 and "failed" not in lines[1]
        kept = files_in(answers)
        assert len({p.parent.name for p in kept.values()}) == 1 and not before & {p.parent.name for p in kept.values()}
        response = requests.get(served.url + "/queries/judgements.csv", timeout=60)
        assert response.status_code == 200 and response.headers["ETag"].strip('"') in kept
    finally:
        assert served.stop() == 0
