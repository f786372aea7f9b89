"""Whole answers kept by the command that wrote the store (server/keepanswers.py, called by
``ofsted-kg ingest`` and ``update`` through core.cli.after_write): the JSON and CSV of every
canned query that needs no parameter become answer files, which a server sends on its first
ask, whatever host it is asked on (a whole answer has no absolute link; a page's ETag still
names its host, its next link being absolute).

The corpus's answers are small, so the size from which an answer is kept
(``ANSWER_FILES_MIN_KB``) is lowered to nothing."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.cli import main
from server import config, create_app, pagefiles
from server.answerfiles import ASKED
from server.keepanswers import keep_whole_answers, table_pages, whole_answers
from server.serve import say_answers


@pytest.fixture
def answers(tmp_path, monkeypatch) -> Path:
    """The answer files' folder, every answer kept whatever its size."""
    folder = tmp_path / "answers"
    monkeypatch.setenv("OFSTED_KG_ANSWER_FILES_DIR", str(folder))
    monkeypatch.setenv("OFSTED_KG_ANSWER_FILES_MIN_KB", "0")
    return folder


def files_in(answers: Path) -> dict[str, Path]:
    """The kept answers under ``answers`` by ETag (not the tables' page state)."""
    return {p.name: p for p in answers.glob("*/*")
            if not p.name.startswith(".") and not p.name.startswith(pagefiles.PREFIX)}


def page_state_in(answers: Path) -> list[Path]:
    """The tables' page state kept under ``answers`` (server/pagefiles.py)."""
    return list(answers.glob(f"*/{pagefiles.PREFIX}*"))


def test_every_whole_answer_is_kept_and_serves_any_host(store_path, answers, capsys):
    assert keep_whole_answers(str(store_path)) is True
    paths, kept = whole_answers(), files_in(answers)
    assert len(paths) > 30 and len(kept) == len(paths)
    said = capsys.readouterr().err
    state = page_state_in(answers)
    assert f"answers ready: {len(paths)} whole answers asked, {len(paths)} kept as files for this state, " \
           f"and {len(table_pages())} tables' page state in {len(state)} " in said
    assert len(table_pages()) >= 5 and len(state) >= len(table_pages())   # one file at least per table
    # asked again with the store unchanged: nothing is asked, nothing said
    [folder] = {p.parent for p in kept.values()}
    assert (folder / ASKED).exists() and keep_whole_answers(str(store_path)) is True
    assert capsys.readouterr().err == ""
    # a server with the same settings (another app) asked on any host sends the file kept by the command
    app = create_app({"STORE": str(store_path)})
    try:
        client = app.test_client()
        tag = client.get("/queries/judgements.csv", base_url="https://data.example.org").headers["ETag"].strip('"')
        kept[tag].write_bytes(kept[tag].read_bytes().replace(b"Bristol", b"BRISTOL"))   # to see it is the file
        again = client.get("/queries/judgements.csv", base_url="http://127.0.0.1:8000")
        tags = {client.get(path).headers["ETag"].strip('"') for path in paths}
    finally:
        app.extensions["ofsted_kg"].pool.close()
    assert again.status_code == 200 and again.headers["ETag"].strip('"') == tag
    assert b"BRISTOL" in again.data and b"Bristol" not in again.data
    assert tags == set(kept)                    # each whole answer is one of the files


def test_a_state_with_only_small_answers_is_asked_once(store_path, tmp_path, monkeypatch, capsys):
    """The corpus's reports give no answer of 256 KiB: nothing is kept, yet the state is marked
    asked (its folder made, an older state's removed), so the next command asks nothing."""
    answers = tmp_path / "answers"
    monkeypatch.setenv("OFSTED_KG_ANSWER_FILES_DIR", str(answers))
    (answers / "an-older-state").mkdir(parents=True)
    assert keep_whole_answers(str(store_path)) is True
    assert "0 kept as files for this state" in capsys.readouterr().err
    [folder] = answers.iterdir()
    # the tables' page state is kept at any size
    assert {p.name for p in folder.iterdir()} == {ASKED} | {p.name for p in page_state_in(answers)}
    assert keep_whole_answers(str(store_path)) is True and capsys.readouterr().err == ""


def test_serve_says_when_they_were_not_kept(store_path, answers, capsys):
    values = config.load({"STORE": str(store_path)})
    say_answers({**values, "ANSWERS_AT_INGEST": False})      # not to be kept: nothing to say
    assert capsys.readouterr().err == ""
    say_answers(values)
    assert "were not kept for this store's state" in capsys.readouterr().err
    keep_whole_answers(str(store_path))
    capsys.readouterr()
    say_answers(values)
    assert capsys.readouterr().err == ""


def test_a_page_with_absolute_links_has_an_etag_per_host(app):
    client = app.test_client()
    page = "/queries/judgements.json?_size=2"
    here, there = (client.get(page, base_url=url) for url in ("http://a.example", "http://b.example"))
    assert here.status_code == there.status_code == 200 and here.headers["ETag"] != there.headers["ETag"]
    assert json.loads(here.data)["query"]["table"]["next_url"].startswith("http://a.example/")
    whole = [client.get("/queries/judgements.json", base_url=url) for url in ("http://a.example", "http://b.example")]
    assert whole[0].headers["ETag"] == whole[1].headers["ETag"] and whole[0].data == whole[1].data


@pytest.mark.parametrize("setting", ["OFSTED_KG_ANSWER_FILES_MB", "OFSTED_KG_ANSWERS_AT_INGEST"])
def test_nothing_is_asked_when_turned_off(store_path, answers, monkeypatch, capsys, setting):
    monkeypatch.setenv(setting, "0" if setting.endswith("_MB") else "false")
    assert keep_whole_answers(str(store_path)) is True
    assert not answers.exists() and capsys.readouterr().err == ""


def test_ingest_ends_by_keeping_them(corpus_store_copy, answers, capsys):
    plan = Path(__file__).resolve().parents[2] / "corpus" / "bristol_2016_improvement-plan-getting-to-good.txt"
    assert main(["ingest", str(plan), "--store", str(corpus_store_copy), "--quiet"]) == 0
    said = capsys.readouterr().err
    assert "1 document(s) in the store (1 unchanged)" in said and "answers ready" in said
    assert len(files_in(answers)) == len(whole_answers())
