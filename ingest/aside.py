"""The graphs derived from the stored documents (links, reconciliation, the flat graph) rebuilt
beside an embedded store, then written into it in one short write.

A write that is not an ingest (a SPARQL Update or Graph Store write through the server) marks
them as built from no state (:func:`core.flat.outdated_update`), and until they are rebuilt the
canned queries run their full texts. Rebuilding them in the store itself holds its only RocksDB
writer for the whole rebuild (12.6 s nationally, minutes at 150 x 10): any write through the
server meanwhile is refused, and readers wait while the flat graph is written (5.3 s nationally,
128 s at 150 x 10). So the rebuild works on a copy instead: the store is backed up beside
itself (pyoxigraph's backup, hard links on one file system: 0.02 s), the copy rebuilt as ingest
rebuilds it, every graph it replaced kept, and what changed in them written into the store in
one write (after a write through the server, the flat graph's build stamp and little else),
and only if nothing was written there since the copy was made (else a later rebuild, the one
that write starts, is the one to do it). Readers see the old graphs or the new ones, never a
mix; except that a flat graph that mostly changed is written whole just after the others, and
meanwhile is not current (the canned queries run their full texts). ``bench/derived.py``, 6 Dec
2026 22:20, after a write through the server, beside / in place on copies of one store:
nationally 7.1 / 8.3 s, 0.01 / 1.16 s writing under the write lock, 252 / 265 MB at the peak;
at 150 x 10 56 / 65 s, 0.01 / 9.7 s, 1306 / 1544 MB. (In place before the flat graph was
written as its differences: 166 s and 5.3 GB at 150 x 10, one-off.)
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from core import lock
from core.flat import flat_graph
from core.graphlines import canonical, line_changes
from core.lock import when_free
from core.store import EmbeddedStore

#: seconds the rebuilt graphs wait for another process writing the store (an ingest, a write
#: through the server) before the rebuild gives up
WRITER_WAIT_S = 60.0
#: tries at backing the store up: a writer compacting it may remove a file as it is linked
COPY_TRIES = 3

CURRENT, REBUILT, SUPERSEDED = "current", "rebuilt", "superseded"
#: the copies' folder names, and the age (s) after which one is a leftover of a rebuild that was
#: killed (a rebuild takes minutes at 150 x 10), removed by the next rebuild beside it
SCRATCH_PREFIX, SCRATCH_STALE_S = ".ofsted-kg-rebuild-", 6 * 3600


class Recording(EmbeddedStore):
    """A store that keeps the last text of every graph it replaces (``written``: IRI ->
    N-Triples) and each such graph's lines as they were before (``before``), and is never
    compacted (it is thrown away). The flat graph (:meth:`rewrite_graph`) is kept but not
    written (writing it into the copy took 128 of the rebuild's 144 s and 4.5 GB at 150 x 10)."""

    def __init__(self, path: str | os.PathLike[str]):
        super().__init__(path)
        self.written: dict[str, bytes] = {}
        self.before: dict[str, set[bytes]] = {}

    def replace_graphs(self, graphs: dict[str, bytes],
                       edits: dict[str, tuple[bytes, bytes]] | None = None) -> None:
        if edits:
            raise TypeError("a rebuild of the derived graphs edits no graph in place")
        self._keep(graphs)
        super().replace_graphs(graphs)

    def rewrite_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Kept, not written: the rebuild rewrites only the flat graph so, last, and reads
        nothing after it."""
        self._keep({graph_iri: ntriples})

    def _keep(self, graphs: dict[str, bytes]) -> None:
        for graph, text in graphs.items():
            if graph not in self.before:
                self.before[graph] = self.graph_lines(graph)
            self.written[graph] = text

    def compact(self) -> None:
        pass

    def changes(self) -> tuple[dict[str, bytes], dict[str, tuple[bytes, bytes]]]:
        """What turns the graphs as they were into the graphs as written: (graphs to replace
        whole, graph -> (lines to delete, lines to insert)) (:func:`core.graphlines.line_changes`)."""
        whole, edits = {}, {}
        for graph, text in self.written.items():
            change = line_changes(self.before[graph], canonical(text))
            if change is None:
                whole[graph] = text
            elif any(change):
                edits[graph] = change
        return whole, edits


def copy_store(path: str, target: Path) -> int:
    """Back the store at ``path`` up into ``target`` (which must not exist).

    :return: the store's write generation (:func:`core.lock.generation`) the copy holds.
    :raise OSError: the backup failed ``COPY_TRIES`` times.
    """
    attempt = 1
    while True:
        with lock.read_lock(path):          # no locked write half done
            generation = lock.generation(path)
            try:
                ox.Store.read_only(path).backup(str(target))
                return generation
            except OSError:
                shutil.rmtree(target, ignore_errors=True)
                if attempt == COPY_TRIES:
                    raise
        attempt += 1


def rebuilt_graphs(copy: Path) -> tuple[dict[str, bytes], dict[str, tuple[bytes, bytes]]] | None:
    """The derived graphs of the store at ``copy`` rebuilt there, as ingest rebuilds them: what
    changed (:meth:`Recording.changes`); None when they were current."""
    from .pipeline import Ingestor, derived_due
    store = Recording(copy)
    try:
        if not derived_due(store):
            return None
        Ingestor(store, jobs=1).run([])
        return store.changes()
    finally:
        store.close()


def scratch_folder(path: str) -> str | None:
    """Where the copy goes: beside the store (the backup then links its files, not copies
    them), else the system's temporary folder."""
    parent = Path(path).resolve().parent
    return str(parent) if os.access(parent, os.W_OK) else None


def remove_leftovers(folder: Path) -> None:
    """Remove the copies that killed rebuilds left in ``folder`` (older than
    ``SCRATCH_STALE_S``); a copy in use is younger."""
    cutoff = time.time() - SCRATCH_STALE_S
    for entry in folder.glob(SCRATCH_PREFIX + "*"):
        try:
            if entry.is_dir() and entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue


def rebuild_aside(path: str, timings: dict[str, float] | None = None) -> str:
    """Bring the derived graphs of the embedded store at ``path`` up to date without holding its
    writer for the rebuild.

    :param timings: given, ``"writing"`` is set to the seconds the store's write lock was held.
    :return: ``CURRENT`` (nothing to do), ``REBUILT``, or ``SUPERSEDED`` (the store was written
        while the copy was rebuilt; nothing written).
    :raise OSError: the copy or the write failed; the store is as it was.
    """
    folder = scratch_folder(path)
    remove_leftovers(Path(folder or tempfile.gettempdir()))
    with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX, dir=folder) as scratch:
        copy = Path(scratch) / "store"
        generation = copy_store(path, copy)
        changed = rebuilt_graphs(copy)
    if changed is None:
        return CURRENT
    whole, edits = changed
    flat_whole = whole.pop(flat_graph(), None)
    store = when_free(lambda: EmbeddedStore(path), WRITER_WAIT_S)
    try:
        if lock.generation(path) != generation:   # nor can it move now: this process holds
            return SUPERSEDED                      # the store's only RocksDB writer
        if whole or edits:
            store.replace_graphs(whole, edits)
        if flat_whole is not None:      # most of it changed: dropped and loaded, a write of its own
            store.rewrite_graph(flat_graph(), flat_whole)
        return REBUILT
    finally:
        store.close()
        if timings is not None:
            timings["writing"] = store.writing_seconds
