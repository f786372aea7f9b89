"""Run the stages for each file and load what validates: the one place that sequences ingest.

:func:`ingest.prepare.prepare` is pure (read -> normalise -> classify -> parse -> map ->
validate -> reason) and runs in worker processes; ``Ingestor`` loads prepared documents into a
store one at a time, each in its own atomic replace, so a failed document leaves the store
exactly as it was. :func:`discover` finds the files a command names.
"""
from __future__ import annotations

import functools
import hashlib
import os
import stat
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator

from rdflib import Graph, Literal, URIRef

from core import iris
from core.store import STAGING_SUFFIX, EmbeddedStore, GraphStore

from . import workers
from .mapping import OFS
from .model import DocumentHints, Framework
from .prepare import Outcome, Prepared, prepare_or_refuse, warm_caches
from .readers import SUPPORTED_SUFFIXES, is_pdf, max_file_bytes
from .reason import entailments, schema
from .register_graph import register_graph, register_graph_iri

#: files a folder walk passes over: documentation that sits beside sample documents
SKIPPED_NAMES = ("readme", "attribution", "licence", "license", "changelog")
#: what a failed store write raises: I/O errors (a full disk) and the store engine's own
STORE_ERRORS = (OSError, RuntimeError)


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Files named on the command line, and supported files found in named folders: by their
    suffix, or, when the suffix names no reader (a report saved under a neutral name), by a PDF
    header in their first bytes.

    Folder walks follow no symbolic links (so a link loop cannot trap them) and pass over
    hidden files and documentation such as README or ATTRIBUTION files.
    """
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    stem = name.lower().split(".")[0]
                    if name.startswith(".") or stem.startswith(SKIPPED_NAMES):
                        continue
                    full = os.path.join(root, name)
                    if Path(name).suffix.lower() in SUPPORTED_SUFFIXES or is_pdf(full):
                        found.append(full)
            yield from sorted(found)
        else:
            yield str(path)


def derived_due(store: GraphStore) -> bool:
    """Whether the graphs derived from the stored documents (links, reconciliation and, in an
    embedded store, the flat graph) were built from another state of them, or by other code."""
    from .flat import flat_stale
    from .reconcile import derived_stale, documents_state
    return derived_stale(store) or (
        isinstance(store, EmbeddedStore) and flat_stale(store, documents_state(store)))


def ensure_ontology(store: GraphStore) -> None:
    """Load the ontology, concept schemes and their owlrl closure into their own graph, and
    the authority register into another (again only when their sources changed)."""
    import ontology
    from core.authorities import DATA

    from .neighbours import DATA as NEIGHBOURS
    sources = [*ontology.FILES, *sorted([*DATA.glob("authorities*.csv"), NEIGHBOURS], key=lambda p: p.name)]
    # (the salt changes when what is stored from the same sources changes: the register's entailments)
    digest = hashlib.sha256(b"register+entailments;" + b"".join(p.read_bytes() for p in sources)).hexdigest()
    if store.document_hash(iris.ontology_graph()) == digest:
        return
    g = Graph()
    g += schema().closure
    g.add((URIRef(iris.ontology_graph()), OFS.sha256, Literal(digest)))
    reg = Graph()
    reg += register_graph()
    reg += entailments(reg)        # so documents' entailment graphs need not repeat them
    reg.add((URIRef(register_graph_iri()), OFS.sha256, Literal(digest)))
    store.replace_graphs({iris.ontology_graph(): g.serialize(format="nt", encoding="utf-8"),
                          register_graph_iri(): reg.serialize(format="nt", encoding="utf-8")})


def _copies(files: list[str]) -> dict[str, str]:
    """Files whose bytes an earlier file of the list also has (path -> that earlier path)."""
    first: dict[str, str] = {}
    copies = {}
    for path in files:
        try:
            if not stat.S_ISREG(os.stat(path).st_mode) or os.path.getsize(path) > max_file_bytes():
                continue
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except (OSError, ValueError):
            continue
        if digest in first and os.path.getsize(path) > 0:
            copies[path] = first[digest]
        else:
            first[digest] = path
    return copies


class Ingestor:
    """Loads files into a store, reporting progress through ``on_outcome``.

    Documents are prepared in ``jobs`` worker processes (default: one per core) under the time
    and memory limits of ``workers.Limits``, and written to the store by this process alone, one
    document per atomic replace, as each finishes. ``outcomes`` holds what is known so far even
    when ``run`` is interrupted, so a caller can always report it.
    """

    def __init__(self, store: GraphStore, jobs: int | None = None,
                 on_outcome: Callable[[Outcome, int, int], None] | None = None,
                 force: bool = False, hints: dict[str, DocumentHints] | None = None):
        self.store = store
        self.hints = hints or {}      # path -> what is known about it from outside
        self.jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
        self.on_outcome = on_outcome or (lambda o, i, n: None)
        self.force = force
        self.outcomes: list[Outcome] = []
        self._flat_outdated = False      # this run has marked the flat graph (_outdate_flat)

    def _prepared(self, paths: list[str]) -> Iterator[tuple[int, Prepared | Outcome]]:
        """(index, prepared document or failure) for each path, as each finishes."""
        if not paths:           # every file unchanged: nothing to warm the caches for
            return
        try:
            limits = workers.Limits.from_settings()
        except ValueError as exc:
            for i, p in enumerate(paths):
                yield i, Outcome(path=p, ok=False, error=f"{p}: {exc}")
            return
        warm_caches()
        work = functools.partial(prepare_or_refuse, hints=self.hints)   # forked: not pickled
        for index, result in workers.run(paths, work, min(self.jobs, len(paths)), limits):
            if isinstance(result, workers.Failure):
                result = Outcome(path=paths[index], ok=False, error=f"{paths[index]}: {result.reason}")
            yield index, result

    def load(self, prepared: Prepared) -> Outcome:
        """Write one prepared document (unless its file is already stored).

        :raise OSError: the store could not be written; the document is then not in it.
        """
        t0 = time.perf_counter()
        if not self.force and self.store.document_hash(prepared.document_iri) == prepared.sha256:
            return Outcome(path=prepared.path, ok=True, document_iri=prepared.document_iri,
                           framework=prepared.framework, triples=prepared.triples,
                           inferred_triples=prepared.inferred_triples,
                           warnings=prepared.warnings, unchanged=True, timings=prepared.timings)
        graphs = {prepared.document_iri: prepared.ntriples,
                  iris.inferred_graph(prepared.document_iri): prepared.inferred}
        from .reconcile_load import reconciled_for_load     # written reconciled: never seen twice
        spreadsheet = prepared.framework == Framework.OUTCOMES_TABLE.value
        graphs, edits = reconciled_for_load(self.store, graphs, spreadsheet)
        try:
            self._outdate_flat()
            self.store.replace_graphs(graphs, edits)
        except STORE_ERRORS as exc:
            self._undo(prepared)
            raise OSError(str(exc) or type(exc).__name__) from exc
        prepared.timings["load"] = time.perf_counter() - t0
        return Outcome(path=prepared.path, ok=True, document_iri=prepared.document_iri,
                       framework=prepared.framework, triples=prepared.triples,
                       inferred_triples=prepared.inferred_triples, warnings=prepared.warnings,
                       timings=prepared.timings)

    def _outdate_flat(self) -> None:
        """Before this run's first document write (embedded store): the derived graphs marked as
        built from no state (:func:`core.flat.outdated_update`), so that from that write until
        this run's derived step rebuilds them (or, if the run dies first, the next run's) the
        canned queries run their full texts over the documents, which hold it, rather than
        reading flat rows built without it (the server checks the flat graph's stamp, not the
        documents: 47-68 ms a store state)."""
        if self._flat_outdated or not isinstance(self.store, EmbeddedStore):
            return
        from core.flat import outdated_update
        self.store.update(outdated_update())
        self._flat_outdated = True

    def _undo(self, prepared: Prepared) -> None:
        """After a failed write: no staging graphs left, and no new version of the document
        (a write that reached the store but failed to flush is taken out again)."""
        graphs = [prepared.document_iri, iris.inferred_graph(prepared.document_iri)]
        try:
            leftovers = [g + STAGING_SUFFIX for g in graphs]
            if self.store.document_hash(prepared.document_iri) == prepared.sha256 and not self.force:
                leftovers += graphs
            if isinstance(self.store, EmbeddedStore):
                self.store.remove_graphs(leftovers)
        except STORE_ERRORS:
            pass   # the next open drops staging graphs; the summary says the write failed

    def _already_stored(self, files: list[str]) -> dict[str, str]:
        """Files whose exact bytes are already in the store (path -> document IRI)."""
        if self.force:
            return {}
        found = {}
        for path in files:
            try:
                st = os.stat(path)
                # only regular files within the size cap: a pipe would block, and anything
                # else is refused by the reader with its reason
                if not stat.S_ISREG(st.st_mode) or st.st_size > max_file_bytes():
                    continue
                digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            except (OSError, ValueError):
                continue
            doc = self.store.document_with_hash(digest)
            if doc:
                found[path] = doc
        return found

    def _report(self, outcome: Outcome, n: int) -> None:
        self.outcomes.append(outcome)
        self.on_outcome(outcome, len(self.outcomes), n)

    def run(self, paths: Iterable[str]) -> list[Outcome]:
        """Ingest files; the outcomes come back in the order of ``paths``, whatever order the
        workers finished in.

        :raise OSError: the store cannot be written at all (its ontology could not be loaded,
            or links between documents could not be written); ``outcomes`` says what loaded.
        """
        files = list(paths)
        self.outcomes = []
        ensure_ontology(self.store)
        stored = self._already_stored(files)
        for path in files:
            if path in stored:
                self._report(Outcome(path=path, ok=True, document_iri=stored[path], unchanged=True,
                                     framework="(unchanged)"), len(files))
        copies = _copies([p for p in files if p not in stored])   # same bytes, two names
        todo = [p for p in files if p not in stored and p not in copies]
        written: dict[str, int] = {}    # document IRI -> index of the file that wrote it
        for index, item in self._prepared(todo):
            if isinstance(item, Prepared):
                item = self._write(item, index, written)
            self._report(item, len(files))
        done = {o.path: o for o in self.outcomes}
        for path, first in copies.items():   # one document: the copy shares the first's outcome
            o = done.get(first)
            outcome = (Outcome(path=path, ok=True, unchanged=True, document_iri=o.document_iri,
                               framework=f"(same file as {first})") if o and o.ok else
                       Outcome(path=path, ok=False, error=f"{path}: the same file as {first}, "
                                                           "which could not be ingested"))
            self._report(outcome, len(files))
        order = {p: i for i, p in enumerate(files)}
        self.outcomes.sort(key=lambda o: order.get(o.path, len(order)))
        from .flat import flatten
        from .reconcile import documents_state, reconcile
        if not todo and not derived_due(self.store):
            return self.outcomes
        # rebuilt whenever a document changed since they were built, even in an earlier run
        # that stopped before this step (the reconciliation graph records what it was built from)
        from .links import link_documents
        link_documents(self.store, [o for o in self.outcomes if o.ok and not o.unchanged])
        reconcile(self.store)   # table rows onto the report nodes they describe; disagreements
        if isinstance(self.store, EmbeddedStore):           # the flat graph is written there only
            flatten(self.store, documents_state(self.store))   # the hot canned queries' rows
            self.store.compact()
        return self.outcomes

    def _write(self, item: Prepared, index: int, written: dict[str, int]) -> Outcome:
        """Load one prepared document. Two files of one batch that give the same document: the
        later on the command line wins, as if they had been loaded one after the other."""
        if written.get(item.document_iri, -1) > index:
            return Outcome(path=item.path, ok=True, document_iri=item.document_iri,
                           framework=item.framework, triples=item.triples,
                           inferred_triples=item.inferred_triples, warnings=item.warnings,
                           timings=item.timings)
        try:
            outcome = self.load(item)
        except OSError as exc:
            return Outcome(path=item.path, ok=False, error=f"{item.path}: store write failed: {exc}")
        written[item.document_iri] = index
        return outcome
