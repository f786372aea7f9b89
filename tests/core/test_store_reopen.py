"""EmbeddedStore's bounded-memory readers (union_triples, quads_in_order): the same triples in
the same order however often the store is reopened and a graph read in parts, and less memory
than without the reopens."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

import core.store as core_store
from core.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[2]
GRAPH_COUNTS = (ROOT / "server" / "queries" / "graph-counts.rq").read_text(encoding="utf-8")


def single_pass_union(store: ox.Store) -> list[ox.Triple]:
    """The union as the writer gave it before it read in parts: the union's subjects from one
    SELECT DISTINCT, each subject's triples once, in the order of its quads."""
    out = []
    for row in store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", use_default_graph_as_union=True):
        given = set()
        for quad in store.quads_for_pattern(row[0], None, None, None):
            if quad.triple not in given:
                given.add(quad.triple)
                out.append(quad.triple)
    return out


@pytest.fixture
def small_parts(monkeypatch):
    """Reopen every 400 quads read and list graphs 300 triples at a time: the corpus store is
    then read in about a hundred parts (each test asserts at least 50), at a reopen's ~10 ms each.

    :return: the reopens so far, as a one-item list the patched ``reopen`` counts in.
    """
    monkeypatch.setattr(core_store, "CHECK_AFTER", 400)
    monkeypatch.setattr(core_store, "REOPEN_GROWTH_MB", 0)
    monkeypatch.setattr(core_store, "LIST_ROWS", 300)
    reopens = [0]
    real = EmbeddedStore.reopen

    def counted(self):
        reopens[0] += 1
        real(self)
    monkeypatch.setattr(EmbeddedStore, "reopen", counted)
    return reopens


def test_the_union_read_in_parts_is_the_union_read_at_once(corpus_store_path, small_parts):
    expected = single_pass_union(ox.Store.read_only(str(corpus_store_path)))
    store = EmbeddedStore(corpus_store_path, read_only=True)
    tally = [0, 0]
    given = list(store.union_triples(tally))
    assert given == expected
    assert tally == [len({t.subject for t in expected}), len(expected)]
    assert small_parts[0] >= 50                 # read in parts, the store reopened between them
    store.close()


def test_the_union_holds_the_default_graph_s_triples(tmp_path, small_parts):
    # a client's INSERT DATA without GRAPH writes the default graph: its triples are in the union
    ex = "http://example.org/"
    raw = ox.Store(str(tmp_path / "store"))
    raw.extend([ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"), ox.Literal("only in the default graph")),
                ox.Quad(ox.NamedNode(ex + "b"), ox.NamedNode(ex + "p"), ox.Literal("both"), ox.NamedNode(ex + "g1")),
                ox.Quad(ox.NamedNode(ex + "b"), ox.NamedNode(ex + "p"), ox.Literal("both")),
                ox.Quad(ox.NamedNode(ex + "c"), ox.NamedNode(ex + "p"), ox.Literal("named"), ox.NamedNode(ex + "g2"))])
    raw.flush()
    del raw
    expected = single_pass_union(ox.Store.read_only(str(tmp_path / "store")))
    store = EmbeddedStore(tmp_path / "store", read_only=True)
    given = list(store.union_triples())
    store.close()
    assert sorted(map(str, given)) == sorted(map(str, expected)) and len(given) == 3
    assert any(t.object.value == "only in the default graph" for t in given)


def test_every_quad_read_in_parts_in_the_order_of_a_scan(corpus_store_path, small_parts):
    whole = ox.Store.read_only(str(corpus_store_path))
    counts = {row["g"].value: int(row["triples"].value) for row in whole.query(GRAPH_COUNTS)}
    assert max(counts.values()) > core_store.LIST_ROWS      # some graph is read in parts
    store = EmbeddedStore(corpus_store_path, read_only=True)
    per_graph: dict[str, int] = {}
    assert list(store.quads_in_order(per_graph)) == list(whole.quads_for_pattern(None, None, None, None))
    assert per_graph == counts
    assert small_parts[0] >= 50
    store.close()


# the union of a store whose strings (200k quads, 240k of them distinct) fill RocksDB's caches
# when read at once; the peak resident memory (VmHWM) above what the open store took
CHILD = r'''
import sys
import core.store as cs
from core import heap
heap.configure()
if sys.argv[2] == "at once":
    cs.CHECK_AFTER = cs.LIST_ROWS = 10 ** 12
store = cs.EmbeddedStore(sys.argv[1], read_only=True)
start = heap.resident_mb()
triples = sum(1 for _ in store.union_triples())
peak = [int(line.split()[1]) // 1024 for line in open("/proc/self/status") if line.startswith("VmHWM")][0]
print(triples, peak - start)
'''


def strings_store(path: Path) -> None:
    """40k subjects in 200 graphs, 5 long literals each; two of them also in one large graph."""
    base = "https://example.org/"
    flat = ox.NamedNode(base + "graph/flat")

    def quads():
        for i in range(40_000):
            graph, subject = ox.NamedNode(f"{base}graph/{i % 200}"), ox.NamedNode(f"{base}thing/{i}")
            for k in range(5):
                quad = ox.Quad(subject, ox.NamedNode(f"{base}p{k}"),
                               ox.Literal(f"statement {k} about thing {i}, long enough to be a stored string"), graph)
                yield quad
                if k < 2:
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, flat)

    store = ox.Store(str(path))
    store.bulk_extend(quads())
    store.flush()


def grown_mb(path: Path, how: str) -> tuple[int, int]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), how], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=300)
    triples, grown = out.stdout.split()
    return int(triples), int(grown)


@pytest.mark.slow
def test_reading_in_parts_keeps_the_engines_caches_small(tmp_path):
    strings_store(tmp_path / "store")
    in_parts = grown_mb(tmp_path / "store", "in parts")
    at_once = grown_mb(tmp_path / "store", "at once")
    assert in_parts[0] == at_once[0] == 200_000
    # measured: 36 MB in parts, 64 MB at once
    assert in_parts[1] < 0.75 * at_once[1], (in_parts, at_once)
