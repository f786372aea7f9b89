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
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Protocol

import pyoxigraph as ox

from . import lock, vocab
from .settings import is_url

if TYPE_CHECKING:
    from .remote import RemoteOptions

STAGING_SUFFIX = "#staging"
SHA256 = ox.NamedNode(vocab.OFS + "sha256")


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

    @contextlib.contextmanager
    def _writing(self):
        """Exclusive lock for the write, then flush and tell readers (see :mod:`core.lock`)."""
        if self.path is None:
            yield
            return
        with lock.write_lock(self.path):
            yield
            self._store.flush()
            lock.bump_generation(self.path)

    def remove_graphs(self, graph_iris: Iterable[str]) -> None:
        drops = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graph_iris]
        if drops:
            with self._writing():
                self._store.update(" ;\n".join(drops))

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()

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

    def union_triples(self, tally: list[int] | None = None) -> Iterator[ox.Triple]:
        """The union of every graph, each triple once, subject by subject.

        A triple stated in several graphs is given once by keeping, per subject, the set of its
        triples given so far: besides the engine's set of distinct subjects (438k at 150 x 10),
        memory is bounded by the largest subject, where a CONSTRUCT over the union keeps every
        triple it gave (150 x 10, 4M quads: 1.2 GB).

        :param tally: when given, ``[subjects, triples]`` counted as they are given.
        """
        for row in self._store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", use_default_graph_as_union=True):
            given: set[ox.Triple] = set()
            for quad in self._store.quads_for_pattern(row[0], None, None, None):
                triple = quad.triple
                if triple not in given:
                    given.add(triple)
                    yield triple
            if tally is not None:
                tally[0] += 1
                tally[1] += len(given)

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


def iri_bindings(**iris: str) -> dict:
    """IRIs as query substitutions: ``store.query(q, substitutions=iri_bindings(x=iri))``."""
    return {ox.Variable(name): ox.NamedNode(value) for name, value in iris.items()}


def graph_ntriples(store: GraphStore, graph_iri: str) -> bytes:
    """One named graph as N-Triples, from any store (embedded or remote)."""
    if isinstance(store, EmbeddedStore):
        return store.dump(ox.RdfFormat.N_TRIPLES, graph_iri)
    return ox.serialize((q.triple for q in store.graph_quads(graph_iri)), format=ox.RdfFormat.N_TRIPLES)


def dataset(store: GraphStore, format: ox.RdfFormat) -> bytes:
    """Every named graph with its name (TriG or N-Quads), from any store (for a remote one, the
    graphs ``named_graphs()`` lists: not the server's own)."""
    if isinstance(store, EmbeddedStore):
        return store.dump(format)
    quads = (q for g in store.named_graphs() for q in store.graph_quads(g))
    return ox.serialize(quads, format=format)

