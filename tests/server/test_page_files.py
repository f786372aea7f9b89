"""The page state that no parameter changes, kept as files (server/pagefiles.py): a web process
that does not hold it reads the files a first one wrote instead of asking the store, and gets
the same page; a file that does not decode is read from the store again."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from server import pagefiles, pagestate
from tests.server.conftest import make_app

#: filtered pages of three tables, each with several groups of shared nodes
PATHS = ("/queries/recommendations?authority_filter=Bristol",
         "/queries/statistics?measure_words=looked+after",
         "/queries/plan-actions-kpis?words=care+leavers")


def pages(app) -> list[bytes]:
    """The pages at :data:`PATHS`, the time each took (``<!--ms-->N<!--/ms-->``) left out."""
    try:
        client = app.test_client()
        found = [client.get(path) for path in PATHS]
    finally:
        app.extensions["ofsted_kg"].pool.close()
    assert [r.status_code for r in found] == [200] * len(PATHS)
    return [re.sub(rb"<!--ms-->[^<]*<!--/ms-->", b"", r.data) for r in found]


@pytest.fixture(scope="module")
def first_state(store_path, tmp_path_factory):
    """(the answer folder, the pages) after a first app asked the pages with files on."""
    folder = tmp_path_factory.mktemp("page-files") / "answers"
    return folder, pages(make_app(store_path, ANSWER_FILES_DIR=str(folder)))


@pytest.fixture
def kept_state(first_state, tmp_path):
    """:func:`first_state` with a copy of its folder this test may change."""
    folder, first = first_state
    shutil.copytree(folder, tmp_path / "answers")
    return tmp_path / "answers", first


def state_files(folder) -> list:
    return sorted(folder.glob(f"*/{pagefiles.PREFIX}*"))


def spied(monkeypatch) -> tuple[list[str], list[str]]:
    """(texts the store was asked, texts of parts read from files)."""
    asked, read = [], []
    select, read_file = pagestate.select, pagefiles.read

    def selecting(plan, text, format="json"):
        asked.append(text)
        return select(plan, text, format)

    def reading(stamp, key, text):
        found = read_file(stamp, key, text)
        if found is not None:
            read.append(text)
        return found
    monkeypatch.setattr(pagestate, "select", selecting)
    monkeypatch.setattr(pagefiles, "read", reading)
    return asked, read


def test_a_new_process_reads_the_kept_state_and_gives_the_same_pages(store_path, kept_state, monkeypatch):
    folder, first = kept_state
    files = state_files(folder)
    # every row's links of each group, shared columns' cells, own cells: one file each
    assert len(files) >= 6
    for path in files:
        body = path.read_bytes()
        head, data = json.loads(body[:256]), json.loads(body[256:])
        assert head["type"] == pagefiles.CONTENT_TYPE
        assert pagefiles.encoded(pagefiles.decoded(data)) == data
    asked, read = spied(monkeypatch)
    again = pages(make_app(store_path, ANSWER_FILES_DIR=str(folder)))
    assert again == first
    assert len(read) == len(files)              # each part came from its file ...
    assert not set(read) & set(asked)           # ... and its query never reached the store
    assert asked                                # (the parameters' filters still did)


def test_without_files_the_parts_are_read_from_the_store(store_path, kept_state, monkeypatch):
    folder, first = kept_state
    asked, read = spied(monkeypatch)
    again = pages(make_app(store_path, ANSWER_FILES_MB=0))
    assert again == first and read == []
    texts = set(asked)
    assert sum(1 for text in texts if "SELECT ?g ?value" in text) >= 1     # a shared column's cells


def test_a_file_that_does_not_decode_is_read_from_the_store(store_path, kept_state, monkeypatch, caplog):
    folder, first = kept_state
    files = state_files(folder)
    for path in files:
        body = path.read_bytes()
        path.write_bytes(body[:256] + b'{"links":[[1,2],["x"],[0]]}')    # positions and links differ
    asked, read = spied(monkeypatch)
    again = pages(make_app(store_path, ANSWER_FILES_DIR=str(folder)))
    assert again == first and read == []
    assert sum("does not decode" in r.getMessage() for r in caplog.records) == len(files)


@pytest.mark.parametrize("data", [
    {"links": [[1, 2], ["x"], [0]]},                   # positions and links differ in length
    {"links": [[1], ["x"], [1]]},                      # a link to no node
    {"links": [[1], ["x"], [-1]]},
    {"links": [["one"], ["x"], [0]]},                  # a position that is no integer
    {"shared": [["n1", "n2"], [{"type": "literal", "value": "v"}], [0, 3]]},     # no such term
    {"shared": [["n1"], [], []]},
    {"other": []},
])
def test_a_part_that_does_not_decode_raises_what_read_catches(data):
    with pytest.raises((ValueError, KeyError, TypeError, IndexError, OverflowError)):
        pagefiles.decoded(data)
