"""One file through every stage but loading: read -> normalise -> classify -> parse -> map ->
validate -> reason (:func:`prepare`, pure, run in ingest's worker processes), and what became
of a file (:class:`Outcome`). :mod:`ingest.pipeline` sequences files and loads what this gives.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from core import vocab
from core.authorities import register

from .classify import classify
from .frameworks import parse
from .mapping import OFS, map_parsed
from .mapping_hints import apply_listed_date, hint_graph
from .model import DocumentHints, IngestError
from .normalise import normalise
from .readers import read
from .reason import entailments, schema
from .register_graph import authorities_subgraph, register_graph
from .validate import validate

SH = Namespace(vocab.SH)


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


def prepare(path: str, hints: DocumentHints | None = None) -> Prepared:
    """Run every stage but loading on one file.

    :param hints: what is known about the file from outside it (``update``: the listing's date
        and URLs); the listed date is used only when the document prints none.

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
    listed_date_used = apply_listed_date(parsed, hints)
    mapped = _timed(timings, "map", map_parsed, parsed, raw, register())
    mapped.graph += hint_graph(mapped.document_iri, hints, listed_date_used)
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


def prepare_or_refuse(path: str, hints: dict[str, DocumentHints] | None = None) -> Prepared | Outcome:
    """``prepare``, with a refusal as a failed ``Outcome`` (run in the worker processes; a
    broken limit or a dead worker is reported by ``workers``).

    :param hints: what is known about some paths from outside (``update``'s listings), by path.
    """
    try:
        return prepare(path, (hints or {}).get(path))
    except IngestError as exc:
        return Outcome(path=path, ok=False, error=str(exc))


def warm_caches() -> None:
    """Load what every document needs (ontology closure, shapes, register) once, before the
    workers are forked, so that they start with it."""
    schema()
    register()
    register_graph()
    validate(Graph())   # parses the shapes (cached)
