"""A graph rewritten by its differences (core/store.py ``rewrite_graph``, core/graphlines.py):
the graph ends as ``replace_graphs`` leaves it, whatever it held before; nothing is written when
nothing differs; a graph with blank nodes is replaced whole."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from core import lock
from core.graphlines import canonical, line_changes
from core.store import EmbeddedStore

G = "urn:x:graph"


def triples(store: EmbeddedStore, graph: str = G) -> set[ox.Triple]:
    return {q.triple for q in store.graph_quads(graph)}


def parsed(text: bytes) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)}


BEFORE = (b'<urn:x:a> <urn:x:p> "one" .\n<urn:x:a> <urn:x:p> "two"@en .\n'
          b'<urn:x:b> <urn:x:q> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
# the same "two"@en and 3 written otherwise (escaped, another spacing), one triple gone, one new
AFTER = (b'<urn:x:a>  <urn:x:p> "t\\u0077o"@en .\n'
         b'<urn:x:b> <urn:x:q> "3"^^<http://www.w3.org/2001/XMLSchema#integer>.\n'
         b'<urn:x:c> <urn:x:p> "new" .\n')


@pytest.mark.parametrize("before", [b"", BEFORE], ids=["empty", "overlapping"])
def test_the_graph_ends_as_a_replacement_leaves_it(tmp_path, before):
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graphs({G: before, "urn:x:other": b"<urn:x:a> <urn:x:p> \"one\" .\n"})
    store.rewrite_graph(G, AFTER)
    assert triples(store) == parsed(AFTER)
    assert len(triples(store, "urn:x:other")) == 1            # no other graph touched
    store.close()


def test_only_the_differing_lines_are_edited(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graphs({G: BEFORE})
    removed, added = line_changes(store.graph_lines(G), canonical(AFTER))
    assert parsed(removed) == {ox.Triple(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p"), ox.Literal("one"))}
    assert parsed(added) == {ox.Triple(ox.NamedNode("urn:x:c"), ox.NamedNode("urn:x:p"), ox.Literal("new"))}
    generation, held = lock.generation(store.path), store.writing_seconds
    assert held > 0                                   # the first write held the store's lock
    store.rewrite_graph(G, BEFORE.replace(b" .\n", b".\n"))     # the same triples: nothing to write
    assert lock.generation(store.path) == generation
    assert store.writing_seconds == held              # nor was the lock taken
    store.close()


def test_a_graph_with_blank_nodes_is_replaced_whole(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graphs({G: b'_:n <urn:x:p> "one" .\n<urn:x:a> <urn:x:p> "two" .\n'})
    assert line_changes(store.graph_lines(G), set()) is None
    store.rewrite_graph(G, b'_:m <urn:x:p> "three" .\n')
    found = triples(store)
    assert len(found) == 1 and next(iter(found)).object == ox.Literal("three")
    store.close()
