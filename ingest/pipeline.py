"""Run the stages for each file and load what validates: the one place that sequences ingest.

``prepare(path)`` is pure (read -> normalise -> classify -> parse -> map -> validate -> reason)
and runs in worker processes; ``Ingestor`` loads prepared documents into a store one at a time,
each in its own atomic replace, so a failed document leaves the store exactly as it was.
"""
from __future__ import annotations

import hashlib
import os
import stat
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from . import iris
from .authorities import register
from .classify import classify
from .frameworks import parse
from .mapping import OFS, map_parsed
from .model import Framework, IngestError
from .normalise import normalise
from .readers import SUPPORTED_SUFFIXES, max_file_bytes, read
from .reason import entailments, schema
from .register_graph import authorities_subgraph, register_graph, register_graph_iri
from .store import EmbeddedStore, GraphStore
from .validate import validate

SH = Namespace("http://www.w3.org/ns/shacl#")
#: files a folder walk passes over: documentation that sits beside sample documents
SKIPPED_NAMES = ("readme", "attribution", "licence", "license", "changelog")
STAGES = ("read", "parse", "map", "validate", "reason", "load")


@dataclass
class Prepared:
    """A document ready to load: its graph, its entailments and what validation said."""

    path: str
    document_iri: str
    framework: str
    sha256: str
    ntriples: bytes
    inferred: bytes
    triples: int
    inferred_triples: int
    warnings: list[str]
    subject_iris: list[str]
    timings: dict[str, float]


@dataclass
class Outcome:
    path: str
    ok: bool
    error: str | None = None
    document_iri: str | None = None
    framework: str | None = None
    triples: int = 0
    inferred_triples: int = 0
    warnings: list[str] = field(default_factory=list)
    unchanged: bool = False
    timings: dict[str, float] = field(default_factory=dict)


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Files named on the command line, and supported files found in named folders.

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
                    if Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                        found.append(os.path.join(root, name))
            yield from sorted(found)
        else:
            yield str(path)


def _timed(timings: dict[str, float], stage: str, fn, *args):
    t0 = time.perf_counter()
    try:
        return fn(*args)
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - t0


def _validation_report(doc: URIRef, issues, notes: list[str]) -> Graph:
    """The warnings, as SHACL results and parser notes, to be stored with the document."""
    g = Graph()
    if not issues and not notes:
        return g
    report = URIRef(f"{doc}/validation")
    g.add((doc, OFS.validationReport, report))
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(True)))
    for i, issue in enumerate(issues, start=1):
        r = URIRef(f"{report}/result/{i}")
        g.add((report, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        g.add((r, SH.focusNode, URIRef(issue.node) if "://" in issue.node else Literal(issue.node)))
        g.add((r, SH.resultMessage, Literal(issue.message)))
        g.add((r, SH.resultSeverity, SH[issue.severity]))
        g.add((r, OFS.ruleName, Literal(issue.shape)))
    for note in notes:
        g.add((doc, OFS.parserWarning, Literal(note)))
    return g


def prepare(path: str) -> Prepared:
    """Run every stage but loading on one file.

    :raise IngestError: the file cannot be read, classified or parsed, or its graph violates
        a shape; the message names the file and says why in one line.
    """
    timings: dict[str, float] = {}
    raw = _timed(timings, "read", read, path)
    t0 = time.perf_counter()
    doc = normalise(raw)
    framework = classify(doc).framework
    try:
        parsed = parse(doc, framework)
    except IngestError:
        raise
    except RecursionError:
        raise IngestError(path, "document structure too deeply nested to parse") from None
    timings["parse"] = time.perf_counter() - t0
    mapped = _timed(timings, "map", map_parsed, parsed, raw, register())
    context = authorities_subgraph(mapped.external_iris)
    outcome = _timed(timings, "validate", validate, mapped.graph, context)
    if not outcome.conforms:
        first = outcome.violations[0]
        more = len(outcome.violations) - 1
        raise IngestError(path, f"rejected by SHACL: {first.message} (node {first.node}, rule "
                                f"{first.shape})" + (f"; and {more} more violation(s)" if more else ""))
    inferred = _timed(timings, "reason", entailments, mapped.graph, context)
    graph = mapped.graph
    graph += _validation_report(URIRef(mapped.document_iri), outcome.warnings, mapped.warnings)
    warnings = [i.line() for i in outcome.warnings] + [f"parser: {w}" for w in mapped.warnings]
    t0 = time.perf_counter()
    nt = graph.serialize(format="nt", encoding="utf-8")
    inf = inferred.serialize(format="nt", encoding="utf-8")
    timings["map"] += time.perf_counter() - t0
    return Prepared(path=path, document_iri=mapped.document_iri, framework=framework.value,
                    sha256=raw.sha256, ntriples=nt, inferred=inf, triples=len(graph),
                    inferred_triples=len(inferred), warnings=warnings,
                    subject_iris=mapped.subject_iris, timings=timings)


def _prepare_safely(path: str) -> Prepared | Outcome:
    try:
        return prepare(path)
    except IngestError as exc:
        return Outcome(path=path, ok=False, error=str(exc))
    except MemoryError:
        return Outcome(path=path, ok=False, error=f"{path}: out of memory while reading")


def ensure_ontology(store: GraphStore) -> None:
    """Load the ontology, concept schemes and their owlrl closure into their own graph, and
    the authority register into another (again only when their sources changed)."""
    import ontology
    from .authorities import DATA
    sources = [*ontology.FILES, *sorted(DATA.glob("authorities*.csv"))]
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
    """Loads files into a store, reporting progress through ``on_outcome``."""

    def __init__(self, store: GraphStore, jobs: int | None = None,
                 on_outcome: Callable[[Outcome, int, int], None] | None = None,
                 force: bool = False):
        self.store = store
        self.jobs = jobs if jobs is not None else min(2, os.cpu_count() or 1)
        self.on_outcome = on_outcome or (lambda o, i, n: None)
        self.force = force

    def _prepared(self, paths: list[str]) -> Iterator[Prepared | Outcome]:
        if self.jobs <= 1 or len(paths) < 8:   # a pool costs ~1 s to start
            for p in paths:
                yield _prepare_safely(p)
            return
        with ProcessPoolExecutor(max_workers=self.jobs) as pool:
            yield from pool.map(_prepare_safely, paths)

    def load(self, prepared: Prepared) -> Outcome:
        t0 = time.perf_counter()
        if not self.force and self.store.document_hash(prepared.document_iri) == prepared.sha256:
            return Outcome(path=prepared.path, ok=True, document_iri=prepared.document_iri,
                           framework=prepared.framework, triples=prepared.triples,
                           inferred_triples=prepared.inferred_triples,
                           warnings=prepared.warnings, unchanged=True, timings=prepared.timings)
        graphs = {prepared.document_iri: prepared.ntriples,
                  iris.inferred_graph(prepared.document_iri): prepared.inferred}
        if prepared.framework == Framework.OUTCOMES_TABLE.value:
            from .reconcile import reconciled_before_load
            graphs = reconciled_before_load(self.store, graphs)
        self.store.replace_graphs(graphs)
        prepared.timings["load"] = time.perf_counter() - t0
        return Outcome(path=prepared.path, ok=True, document_iri=prepared.document_iri,
                       framework=prepared.framework, triples=prepared.triples,
                       inferred_triples=prepared.inferred_triples, warnings=prepared.warnings,
                       timings=prepared.timings)

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

    def run(self, paths: Iterable[str]) -> list[Outcome]:
        files = list(paths)
        ensure_ontology(self.store)
        outcomes: list[Outcome] = []
        stored = self._already_stored(files)
        for i, path in enumerate(files, start=1):
            if path in stored:
                outcome = Outcome(path=path, ok=True, document_iri=stored[path], unchanged=True,
                                  framework="(unchanged)")
                outcomes.append(outcome)
                self.on_outcome(outcome, i, len(files))
        copies = _copies([p for p in files if p not in stored])   # same bytes, two names
        todo = [p for p in files if p not in stored and p not in copies]
        for i, item in enumerate(self._prepared(todo), start=len(stored) + 1):
            if isinstance(item, Prepared):
                try:
                    item = self.load(item)
                except OSError as exc:
                    item = Outcome(path=item.path, ok=False, error=f"{item.path}: store write failed: {exc}")
            outcomes.append(item)
            self.on_outcome(item, i, len(files))
        done = {o.path: o for o in outcomes}
        for path, first in copies.items():   # one document: the copy shares the first's outcome
            o = done.get(first)
            outcome = (Outcome(path=path, ok=True, unchanged=True, document_iri=o.document_iri,
                               framework=f"(same file as {first})") if o and o.ok else
                       Outcome(path=path, ok=False, error=f"{path}: the same file as {first}, "
                                                           "which could not be ingested"))
            outcomes.append(outcome)
            self.on_outcome(outcome, len(outcomes), len(files))
        from .reconcile import derived_stale, reconcile
        if not todo and not derived_stale(self.store):
            return outcomes
        # rebuilt whenever a document changed since they were built, even in an earlier run
        # that stopped before this step (the reconciliation graph records what it was built from)
        from .links import link_documents
        link_documents(self.store, [o for o in outcomes if o.ok and not o.unchanged])
        reconcile(self.store)   # table rows onto the report nodes they describe; disagreements
        if isinstance(self.store, EmbeddedStore):
            self.store.flush()
        return outcomes
