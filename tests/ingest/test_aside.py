"""The derived graphs rebuilt beside the store (ingest/aside.py), after a write that was not an
ingest: the store ends as an in-place rebuild leaves it, written in one short write of what
changed; a write meanwhile leaves it untouched; nothing to do when they are current."""
from __future__ import annotations

import shutil

import pyoxigraph as ox

from core import lock
from core.flat import flat_graph, outdated_update
from core.store import EmbeddedStore, open_store
from ingest import aside
from ingest.pipeline import Ingestor, derived_due
from tests.ingest.test_pipeline import canonical_dump

#: a write as the server makes one: a triple in a graph of its own, the derived graphs marked
WRITE = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 1 } }"


def written_outside_ingest(path) -> None:
    """What ``server.sparql.writable_store`` does to the store for an update."""
    with lock.write_lock(path):
        raw = ox.Store(str(path))
        raw.update(WRITE)
        raw.update(outdated_update())
        raw.flush()
        del raw
        lock.bump_generation(path)


def test_rebuilt_aside_the_store_is_as_rebuilt_in_place(corpus_store_copy, tmp_path):
    written_outside_ingest(corpus_store_copy)
    in_place = tmp_path / "in-place"
    shutil.copytree(corpus_store_copy, in_place)
    store = open_store(in_place)
    Ingestor(store, jobs=1).run([])
    store.close()
    generation = lock.generation(corpus_store_copy)

    assert aside.rebuild_aside(str(corpus_store_copy)) == aside.REBUILT
    assert canonical_dump(corpus_store_copy) == canonical_dump(in_place)
    assert lock.generation(corpus_store_copy) == generation + 1       # one write
    store = open_store(corpus_store_copy, read_only=True)
    assert not derived_due(store)
    store.close()
    assert aside.rebuild_aside(str(corpus_store_copy)) == aside.CURRENT
    assert lock.generation(corpus_store_copy) == generation + 1
    assert not [p for p in corpus_store_copy.parent.iterdir() if p.name.startswith(".ofsted-kg-rebuild-")]


def test_what_changed_is_written_not_the_whole_graphs(corpus_store_copy, tmp_path):
    """The flat graph differs from the one stored by its build stamp only: that is the edit."""
    written_outside_ingest(corpus_store_copy)
    copy = tmp_path / "copy"
    aside.copy_store(str(corpus_store_copy), copy)
    whole, edits = aside.rebuilt_graphs(copy)
    assert not whole
    removed, added = edits[flat_graph()]
    assert removed == b"" and added.count(b"\n") == 1 and b"builtFrom" in added


def test_a_write_while_it_rebuilds_leaves_the_store_as_that_write_left_it(corpus_store_copy, monkeypatch):
    written_outside_ingest(corpus_store_copy)
    rebuild = aside.rebuilt_graphs

    def rebuilt_then_written_meanwhile(copy):
        changed = rebuild(copy)
        store = EmbeddedStore(corpus_store_copy)        # another writer, before this one writes
        store.replace_graphs({"urn:x:other": b"<urn:x:s> <urn:x:p> 2 .\n"})
        store.close()
        return changed
    monkeypatch.setattr(aside, "rebuilt_graphs", rebuilt_then_written_meanwhile)
    before = canonical_dump(corpus_store_copy)
    generation = lock.generation(corpus_store_copy)

    assert aside.rebuild_aside(str(corpus_store_copy)) == aside.SUPERSEDED
    assert lock.generation(corpus_store_copy) == generation + 1       # the other write only
    assert set(canonical_dump(corpus_store_copy)) - set(before) == {
        "<urn:x:s> <urn:x:p> \"2\"^^<http://www.w3.org/2001/XMLSchema#integer> <urn:x:other> ."}
    store = open_store(corpus_store_copy, read_only=True)
    assert derived_due(store)
    store.close()


def test_a_flat_graph_mostly_changed_is_written_whole_and_right(corpus_store_copy, tmp_path):
    """The stored flat graph cut to a stale stamp (as code with other tables leaves it): every
    line differs, so the rebuild drops and loads it, after the other graphs' write."""
    store = EmbeddedStore(corpus_store_copy)
    store.replace_graphs({flat_graph(): f"<{flat_graph()}> <urn:x:builtFrom> \"old\" .\n".encode()})
    store.close()
    in_place = tmp_path / "in-place"
    shutil.copytree(corpus_store_copy, in_place)
    store = open_store(in_place)
    Ingestor(store, jobs=1).run([])
    store.close()

    assert aside.rebuild_aside(str(corpus_store_copy)) == aside.REBUILT
    assert canonical_dump(corpus_store_copy) == canonical_dump(in_place)


def test_a_killed_rebuild_s_copy_is_removed_by_the_next_one_beside_it(corpus_store_copy):
    import os
    import time
    parent = corpus_store_copy.parent
    old, fresh = parent / (aside.SCRATCH_PREFIX + "old"), parent / (aside.SCRATCH_PREFIX + "fresh")
    for folder in (old, fresh):
        (folder / "store").mkdir(parents=True)
    day_ago = time.time() - 24 * 3600
    os.utime(old, (day_ago, day_ago))
    assert aside.rebuild_aside(str(corpus_store_copy)) == aside.CURRENT
    assert not old.exists() and fresh.exists()          # one in use is younger: left alone

