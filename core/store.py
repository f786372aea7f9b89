"""The store: validated graphs in, SPARQL out; the embedded pyoxigraph store and ``open_store``.

Layout of the dataset (one named graph per source document, so a re-ingest replaces exactly
what that document said):

* ``{base}id/document/...``          a document's own triples (its IRI names the graph)
* ``{base}id/document/.../inferred`` the entailments of that graph (see ``reason``)
* ``https://w3id.org/ofsted-kg/def``  the ontology, concept schemes and their closure

Writes are atomic per document: one SPARQL update drops the old graphs and inserts the new
triples (oxigraph applies an update as one transaction). Staging graphs left by earlier versions,
which loaded into them first, are removed on open.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Protocol

import pyoxigraph as ox

from . import graphlines, heap, lock, vocab
from .settings import is_url

if TYPE_CHECKING:
    from .remote import RemoteOptions

STAGING_SUFFIX = "#staging"
SHA256 = ox.NamedNode(vocab.OFS + "sha256")
#: when every quad is read, the process's resident memory is looked at every ``CHECK_AFTER``
#: quads and solutions, and a read-only store reopened once it has grown by ``REOPEN_GROWTH_MB``
#: since the store was opened (:meth:`EmbeddedStore.reopen`)
CHECK_AFTER = 2_000
REOPEN_GROWTH_MB = 24
#: the subject of each triple of a graph (the query's default graph), in the order of its scan
GRAPH_SUBJECTS = "SELECT ?s WHERE { ?s ?p ?o }"
#: the triples of a graph (the query's default graph), in the order of its scan
GRAPH_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
#: solutions per query when a graph is read in parts (the flat graph at 150 x 10: 845k triples)
LIST_ROWS = 50_000


class GraphStore(Protocol):
    """What ingest and the server need from a store, embedded or remote."""

    def replace_graphs(self, graphs: dict[str, bytes],
                       edits: dict[str, tuple[bytes, bytes]] | None = None) -> None:
        """Atomically replace each named graph (IRI -> N-Triples bytes) with new content and, in
        the same transaction, apply ``edits`` to other graphs (IRI -> (deleted, inserted))."""

    def document_hash(self, document_iri: str) -> str | None:
        """The sha256 recorded for a document, or None when it is not stored."""

    def document_with_hash(self, sha256: str) -> str | None:
        """The document already stored from a file with this SHA-256, if any."""

    def query(self, sparql: str, substitutions: dict | None = None, *, default_graph=None,
              named_graphs=None):
        """Run a query; the default graph is the union of the named graphs unless
        ``default_graph``/``named_graphs`` name the dataset. Answers as ``pyoxigraph.Store.query``."""

    def named_graphs(self) -> list[str]: ...

    def graph_quads(self, graph_iri: str) -> Iterator[ox.Quad]:
        """Every triple of one named graph, as quads (dumps and exports read graph by graph)."""

    def close(self) -> None: ...


class EmbeddedStore:
    """A persistent pyoxigraph store in a directory (or in memory when ``path`` is None)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, read_only: bool = False):
        self.path = str(path) if path is not None else None
        self.read_only = read_only
        self._read = 0              # quads and solutions read since memory was looked at (see reopen)
        #: seconds this handle has held the store's write lock (writes, flushes), as benches report
        self.writing_seconds = 0.0
        self._opened_mb = heap.resident_mb()
        if path is None:
            self._store = ox.Store()
        elif read_only:
            self._store = ox.Store.read_only(str(path))
        else:
            Path(path).mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(path))
            with lock.write_lock(path):
                self._drop_staging()

    # -- writing -------------------------------------------------------------------------

    def _drop_staging(self) -> None:
        for g in list(self._store.named_graphs()):
            if isinstance(g, ox.NamedNode) and g.value.endswith(STAGING_SUFFIX):
                self._store.remove_graph(g)

    def replace_graphs(self, graphs: dict[str, bytes],
                       edits: dict[str, tuple[bytes, bytes]] | None = None) -> None:
        """Replace each named graph (IRI -> N-Triples) and edit others in the same transaction.

        :param edits: graph IRI -> (N-Triples to delete, N-Triples to insert), without blank
            nodes: a few lines of a big graph changed along with the replaced ones.
        """
        with self._writing():
            # one update = one transaction: readers see all old graphs or all new ones. Dropping
            # and inserting the data in the update itself took a third to a half of the time of
            # loading into staging graphs and moving them (2023 spreadsheet, 52k triples)
            parts = []
            for graph_iri, (removed, added) in (edits or {}).items():
                target = ox.NamedNode(graph_iri)
                if removed.strip():
                    parts.append(f"DELETE DATA {{ GRAPH {target} {{\n{removed.decode('utf-8')}\n}} }}")
                if added.strip():
                    parts.append(f"INSERT DATA {{ GRAPH {target} {{\n{added.decode('utf-8')}\n}} }}")
            for graph_iri, ntriples in graphs.items():
                target = ox.NamedNode(graph_iri)
                parts.append(f"DROP SILENT GRAPH {target}")
                if ntriples.strip():
                    parts.append(f"INSERT DATA {{ GRAPH {target} {{\n{ntriples.decode('utf-8')}\n}} }}")
            self._store.update(" ;\n".join(parts))

    def update(self, sparql: str) -> None:
        """A SPARQL Update, as one write."""
        with self._writing():
            self._store.update(sparql)

    def rewrite_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Make a graph that can be built again (a derived graph: the flat graph) hold
        ``ntriples``, writing only the triples that differ (:func:`core.graphlines.line_changes`)
        in one transaction: nationally, one more report changes 11k of the flat graph's 92k
        triples, written in 1.4 s instead of 6.4. When more differ than it holds, or a blank node
        is in it, or it is new, it is dropped and loaded by the parser, two transactions under
        one write lock (readers see neither half); a crash between them leaves the graph absent,
        which the next ingest builds again (150 x 10: 77 s and 2.3 GB, against 128 s and 4.5 GB
        as an update's text; one-off probes, 6 Dec 2026).
        """
        before = self.graph_lines(graph_iri)
        change = graphlines.line_changes(before, graphlines.canonical(ntriples)) if before else None
        if change is not None:
            if any(change):
                self.replace_graphs({}, {graph_iri: change})
            return
        with self._writing():
            self._store.remove_graph(ox.NamedNode(graph_iri))
            self._store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph_iri))

    def graph_lines(self, graph_iri: str) -> set[bytes]:
        """The graph's triples as N-Triples lines, as pyoxigraph writes them."""
        return graphlines.of(self.graph_quads(graph_iri))

    @contextlib.contextmanager
    def _writing(self):
        """Exclusive lock for the write, then flush and tell readers (see :mod:`core.lock`)."""
        if self.path is None:
            yield
            return
        with lock.write_lock(self.path):
            started = time.perf_counter()
            try:
                yield
                self._store.flush()
                lock.bump_generation(self.path)
            finally:
                self.writing_seconds += time.perf_counter() - started

    def remove_graphs(self, graph_iris: Iterable[str]) -> None:
        drops = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graph_iris]
        if drops:
            with self._writing():
                self._store.update(" ;\n".join(drops))

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()

    def compact(self) -> None:
        """Rewrite the store's files once, as ingest ends: RocksDB otherwise keeps replaced
        graphs' old copies and deletion markers until it happens to compact them, and reads look
        through the extra files. National store: 21 table files of 220 MB -> 9 of 196 MB in 0.6 s
        (6.8 s at 150 x 10), whole tables' engine CPU 4-7% less (one-off probes, 6 Dec 2026)."""
        if self.path is None or self.read_only:
            return
        with self._writing():
            self._store.optimize()

    # -- reading -------------------------------------------------------------------------

    def document_hash(self, document_iri: str) -> str | None:
        g = ox.NamedNode(document_iri)
        for quad in self._store.quads_for_pattern(g, SHA256, None, g):
            return quad.object.value
        return None

    def document_with_hash(self, sha256: str) -> str | None:
        """The document already stored from a file with this SHA-256, if any."""
        for quad in self._store.quads_for_pattern(None, SHA256, ox.Literal(sha256), None):
            if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name == quad.subject:
                return quad.subject.value
        return None

    def query(self, sparql: str, substitutions: dict | None = None, *, default_graph=None,
              named_graphs=None):
        """Run a query (see :meth:`GraphStore.query`)."""
        if default_graph is None and named_graphs is None:
            return self._store.query(sparql, substitutions=substitutions, use_default_graph_as_union=True)
        return self._store.query(sparql, substitutions=substitutions, default_graph=default_graph,
                                 named_graphs=named_graphs)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._store)

    def quads(self) -> Iterator[ox.Quad]:
        return self._store.quads_for_pattern(None, None, None, None)

    def graph_quads(self, graph_iri: str) -> Iterator[ox.Quad]:
        return self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))

    def reopen(self) -> None:
        """Close and open again a read-only store on disk, giving its engine's caches back.

        RocksDB keeps the blocks it has read (up to 128 MB for the strings, 32 MB for the
        indexes) until the store closes: reading every quad at 150 x 10 took a process to
        ~140 MB RSS; reopened whenever the process has grown by ``REOPEN_GROWTH_MB``, to
        ~60 MB. A reopen costs ~10 ms of CPU. Nothing happens to a store in memory or open for
        writing (a snapshot being filled). No iterator over the store may be left open: it would keep
        the old one, caches and all.
        """
        self._read = 0
        if self.path is None or not self.read_only:
            return
        del self._store
        heap.trim()
        self._store = ox.Store.read_only(self.path)
        self._opened_mb = heap.resident_mb()

    def _reopen_when_due(self) -> None:
        """Reopen when the process has grown by ``REOPEN_GROWTH_MB`` since the store was opened,
        looked at every ``CHECK_AFTER`` quads or solutions read (call only where no iterator
        over the store is open)."""
        if self._read < CHECK_AFTER:
            return
        self._read = 0
        if heap.resident_mb() - self._opened_mb >= REOPEN_GROWTH_MB:
            self.reopen()

    def quads_in_order(self, per_graph: dict[str, int] | None = None) -> Iterator[ox.Quad]:
        """Every quad, in the order of :meth:`quads` (the default graph's, then graph by graph,
        each in the order of its scan), the store reopened between graphs when due
        (:meth:`reopen`); a graph of more than ``LIST_ROWS`` triples is read on by queries of
        that many that the store is reopened between.

        :param per_graph: when given, filled with the number of triples of each named graph.
        """
        yield from self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())    # none, usually
        for graph in list(self._store.named_graphs()):
            self._reopen_when_due()
            count = 0
            for quad in self._store.quads_for_pattern(None, None, None, graph):
                count += 1
                yield quad
                if count == LIST_ROWS:
                    break
            self._read += count
            if count == LIST_ROWS:              # the rest of a large graph
                for rows in self._graph_rows(graph, GRAPH_TRIPLES, offset=count):
                    for row in rows:
                        count += 1
                        yield ox.Quad(row[0], row[1], row[2], graph)
            if per_graph is not None and count and isinstance(graph, ox.NamedNode):
                per_graph[graph.value] = count

    def union_triples(self, tally: list[int] | None = None) -> Iterator[ox.Triple]:
        """The union of every graph, each triple once, subject by subject.

        Subjects come in the order a scan of every graph meets them (the default graph, then
        graph by graph, in the engine's order), each one where it is first met; its triples are
        its quads in every graph, each triple given once. Memory stays near what one subject
        holds: a graph's subjects are listed ``LIST_ROWS`` triples at a time, the store is
        reopened every ``REOPEN_GROWTH_MB`` of caches (:meth:`reopen`), and what is remembered
        across graphs is a 16-byte digest of each subject already given that a graph still to
        come also states (at most ~146k at 150 x 10, 12 MB; 128-bit digests, as the engine's
        own string ids). A CONSTRUCT over the union kept every triple it gave (150 x 10, 4M
        quads: 1.2 GB); a ``SELECT DISTINCT ?s`` over the union (how subjects were listed
        before) took the process to ~175 MB.

        :param tally: when given, ``[subjects, triples]`` counted as they are given.
        """
        again: dict[bytes, int] = {}    # subject given -> graphs still to come that state it
        # the default graph first (empty but for triples a client's update put there), as the
        # union's own order had it
        for graph in [ox.DefaultGraph(), *self._store.named_graphs()]:
            for subjects in self._graph_subjects(graph):
                for subject in subjects:
                    key = hashlib.blake2b(str(subject).encode(), digest_size=16).digest()
                    if key in again:            # given from an earlier graph
                        again[key] -= 1
                        if not again[key]:
                            del again[key]
                        continue
                    self._reopen_when_due()
                    given: set[ox.Triple] = set()
                    graphs, read = set(), 0
                    for quad in self._store.quads_for_pattern(subject, None, None, None):
                        read += 1
                        graphs.add(quad.graph_name)
                        triple = quad.triple
                        if triple not in given:
                            given.add(triple)
                            yield triple
                    self._read += read
                    graphs.discard(graph)
                    if graphs:
                        again[key] = len(graphs)
                    if tally is not None:
                        tally[0] += 1
                        tally[1] += len(given)

    def _graph_subjects(self, graph) -> Iterator[list[ox.NamedNode | ox.BlankNode]]:
        """The subjects of one graph (named, or the default graph), in the order its scan meets
        them, in lists (those of ``LIST_ROWS`` triples each), so that the store may be reopened
        between two."""
        last = None
        for rows in self._graph_rows(graph, GRAPH_SUBJECTS):
            subjects = []
            for row in rows:
                if row[0] != last:          # a subject's triples are consecutive in the scan
                    last = row[0]
                    subjects.append(last)
            yield subjects

    def _graph_rows(self, graph, select: str,
                    offset: int = 0) -> Iterator[Iterator[ox.QuerySolution]]:
        """The solutions of ``select`` over one graph (the query's default graph), in the order of
        the graph's scan, by queries of ``LIST_ROWS`` solutions each; the store is reopened
        before each query when due, and before each one after the first (each scans the graph
        again from its start, without decoding what it skips: the flat graph at 150 x 10, 845k
        triples: 17 queries, ~2 s). Each query must be read to its end before the
        next is asked for.

        :param offset: how many solutions to skip (read already).
        """
        while True:
            if offset:
                self.reopen()
            else:
                self._reopen_when_due()
            rows = _Counted(self._store.query(f"{select} LIMIT {LIST_ROWS} OFFSET {offset}",
                                              default_graph=graph))
            yield rows
            self._read += rows.count
            if rows.count < LIST_ROWS:
                return
            offset += LIST_ROWS

    def dump(self, format: ox.RdfFormat, graph_iri: str | None = None) -> bytes:
        """Every graph with its name (a dataset format), or one named graph (a graph format)."""
        if graph_iri is None:
            return self._store.dump(format=format)
        return self._store.dump(format=format, from_graph=ox.NamedNode(graph_iri))

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in bulk, without a transaction (to fill a new store, such as a snapshot)."""
        self._store.bulk_extend(quads)

    def scratch_copy(self, replaced: dict[str, bytes]) -> "EmbeddedStore":
        """An in-memory copy of this store with some graphs replaced (IRI -> N-Triples bytes):
        what the store would hold after ``replace_graphs(replaced)``, to work on before writing."""
        copy = EmbeddedStore(None)
        names = {ox.NamedNode(g) for g in replaced}
        copy._store.bulk_extend(q for q in self._store.quads_for_pattern(None, None, None, None)
                               if q.graph_name not in names)
        for graph_iri, ntriples in replaced.items():
            if ntriples.strip():
                copy._store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph_iri))
        return copy

    def close(self) -> None:
        self.flush()
        del self._store


def open_store(location: str | os.PathLike[str] | None, read_only: bool = False,
               remote: "RemoteOptions | None" = None) -> GraphStore:
    """Open the store at a directory (embedded) or a SPARQL endpoint URL (remote).

    :param remote: for a URL, its update endpoints and credentials (default: the settings').
    """
    if is_url(location):
        from .remote import RemoteOptions, RemoteStore
        return RemoteStore(str(location), remote or RemoteOptions.from_settings())
    return EmbeddedStore(location, read_only=read_only)


class _Counted:
    """An iterator that counts what it has given, and lets go of its source once that ends (a
    query's solutions keep their store open, however closed elsewhere, until they are freed)."""

    def __init__(self, items):
        self._items = iter(items)
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self._items is None:
            raise StopIteration
        try:
            item = next(self._items)
        except StopIteration:
            self._items = None
            raise
        self.count += 1
        return item
