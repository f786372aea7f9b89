"""SHACL validation of one document's graph: ``Mapped`` -> ``ValidationOutcome``.

Each document is validated on its own graph plus the ontology (so ``sh:class`` sees grade and
area concepts and the class hierarchy), never the whole store: the cost stays flat as the store
grows. Violations reject the document; warnings are kept and listed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import functools

import pyshacl
from rdflib import RDF, Graph, Namespace, URIRef

import ontology
import shapes
from core import vocab

from . import sparql_rules

SH = Namespace(vocab.SH)


@dataclass(frozen=True)
class Issue:
    severity: str          # "Violation" | "Warning" | "Info"
    focus: str
    message: str
    shape: str
    path: str | None = None
    value: str | None = None

    def line(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.severity.lower()}: {self.message} [node {self.node}{where}, rule {self.shape}]"

    @property
    def node(self) -> str:
        """The offending node: the result's value for document-wide rules, else the focus."""
        return self.value if self.value and "://" in self.value and not self.path else self.focus


@dataclass
class ValidationOutcome:
    conforms: bool
    issues: list[Issue] = field(default_factory=list)

    @property
    def violations(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "Violation"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity != "Violation"]


def _short(node) -> str:
    s = str(node)
    for prefix, short in ((vocab.SHAPES, "shapes:"), (vocab.OFS, "ofs:")):
        if s.startswith(prefix):
            return short + s[len(prefix):]
    return s


def _shape_name(report: Graph, shape) -> str:
    if isinstance(shape, URIRef):
        return _short(shape)
    # a blank property shape: name it by its parent node shape and path
    for parent in report.subjects(SH.property, shape):
        return _short(parent)
    for parent in shapes.graph().subjects(SH.property, shape):
        return _short(parent)
    for parent in shapes.graph().subjects(SH.sparql, shape):
        return _short(parent)
    return "an unnamed shape"


@functools.cache
def _split_shapes():
    """Core shapes for pyshacl, SPARQL constraints for pyoxigraph (see ``sparql_rules``)."""
    return sparql_rules.split(shapes.graph())


def validate(data: Graph, context: Graph | None = None) -> ValidationOutcome:
    """Validate a document graph against ``shapes/`` with the ontology (and ``context``,
    the descriptions of nodes it references in other graphs) mixed in.

    :return: conforms (no violations) and every result as a readable ``Issue``.
    """
    mixed = Graph()
    mixed += ontology.graph()   # concept types and the class hierarchy, for sh:class
    if context is not None:
        mixed += context        # the few nodes of other graphs the document references
    mixed += data
    core, rules = _split_shapes()
    conforms, report, text = pyshacl.validate(
        mixed, shacl_graph=core, inference="none", allow_warnings=True,
        advanced=False, abort_on_first=False, inplace=True)
    if not isinstance(report, Graph):   # pyshacl's own failure, e.g. a malformed shape
        raise RuntimeError(f"SHACL engine failed: {text.strip()}")
    issues = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        path = report.value(result, SH.resultPath)
        issues.append(Issue(
            severity=severity,
            focus=str(report.value(result, SH.focusNode)),
            message=str(report.value(result, SH.resultMessage) or "constraint not met"),
            shape=_shape_name(shapes.graph(), report.value(result, SH.sourceShape)),
            path=_short(path) if isinstance(path, URIRef) else None,
            value=str(report.value(result, SH.value)) if report.value(result, SH.value) is not None else None,
        ))
    for r in sparql_rules.evaluate(rules, mixed):
        issues.append(Issue(severity=r["severity"], focus=r["focus"], message=r["message"],
                            shape=_short(r["shape"]), value=r["value"]))
    issues.sort(key=lambda i: (i.severity != "Violation", i.focus, i.message))
    return ValidationOutcome(conforms=not any(i.severity == "Violation" for i in issues), issues=issues)
