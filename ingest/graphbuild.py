"""What every mapper shares: the namespaces of our terms, typed literals, the ``Mapped`` result
and ``GraphBuilder``, which adds one document's triples with their provenance.

``mapping_report``, ``mapping_plan`` and ``mapping_table`` build on it; it imports none of them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from core import vocab

from core import iris
from core.authorities import Authority, Register
from .frameworks import document_class, grade_scale, inspection_class, publisher
from .model import Framework, IngestError, InspectionKind, Judgement, RawDocument, Source

OFS = Namespace(vocab.OFS)
ORG = Namespace(vocab.ORG)
QB = Namespace(vocab.QB)
AREA = Namespace(vocab.AREA)
GRADE = Namespace(vocab.GRADE)
FW = Namespace(vocab.FRAMEWORK)
ROLE = Namespace(vocab.ROLE)
NF = Namespace(vocab.NATIONAL_FRAMEWORK)


@dataclass
class Mapped:
    """A document's graph, the IRI naming it, and what the mapper noticed."""

    document_iri: str
    graph: Graph
    subject_iris: list[str] = field(default_factory=list)   # inspections / plan described
    external_iris: set[str] = field(default_factory=set)    # nodes it references in other graphs
    warnings: list[str] = field(default_factory=list)


def date_literal(d: dt.date | None) -> Literal | None:
    """An ``xsd:date`` literal, or None for no date."""
    return Literal(d.isoformat(), datatype=XSD.date) if d else None


def month_literal(d: dt.date | None) -> Literal | None:
    """An ``xsd:gYearMonth`` literal of a date's month, or None for no date."""
    return Literal(d.isoformat()[:7], datatype=XSD.gYearMonth) if d else None


def decimal_literal(v: Decimal | None) -> Literal | None:
    """An ``xsd:decimal`` literal, or None for no value."""
    return Literal(v, datatype=XSD.decimal) if v is not None else None


def area_concept(area: str) -> URIRef:
    """The concept of an area key (``looked-after/outcomes`` -> ``area:looked-after-outcomes``)."""
    return AREA[area.replace("/", "-")]


def grade_concept(scale: str, grade: str) -> URIRef:
    """The concept of a grade key on a scale (``sif``, ``good`` -> ``grade:sif-good``)."""
    return GRADE[f"{scale}-{grade}"]


class GraphBuilder:
    """One document's graph under construction, with the document node and its provenance."""

    def __init__(self, raw: RawDocument, doc_iri: str):
        self.g = Graph()
        self.g.bind("ofs", OFS)
        self.doc = URIRef(doc_iri)
        self.raw = raw
        self.external: set[str] = set()

    def add(self, s, p, o) -> None:
        """Add a triple unless the object is None or empty (plain strings become literals)."""
        if o is not None and o != "":
            if isinstance(o, str) and not isinstance(o, (URIRef, Literal)):
                o = Literal(o)
            self.g.add((s, p, o))

    def provenance(self, node: URIRef, source: Source) -> None:
        """Say that ``node`` was read from this document, and where in it."""
        self.g.add((node, PROV.wasDerivedFrom, self.doc))
        if source.block is not None:
            self.g.add((node, OFS.sourceBlock, Literal(source.block, datatype=XSD.integer)))
        if source.paragraph:
            self.g.add((node, OFS.sourceParagraph, Literal(source.paragraph)))
        if source.page is not None:
            self.g.add((node, OFS.sourcePage, Literal(source.page, datatype=XSD.integer)))
        if source.sheet:
            self.g.add((node, OFS.sourceSheet, Literal(source.sheet)))
        if source.row is not None:
            self.g.add((node, OFS.sourceRow, Literal(source.row, datatype=XSD.integer)))

    def document(self, title: str, framework: Framework) -> None:
        """Describe the document node: its class (declared by its framework), title and file."""
        g, d = self.g, self.doc
        g.add((d, RDF.type, OFS[document_class(framework)]))
        g.add((d, DCTERMS.title, Literal(title)))
        g.add((d, OFS.sha256, Literal(self.raw.sha256)))
        g.add((d, OFS.fileName, Literal(Path(self.raw.path).name)))
        g.add((d, DCTERMS["format"], Literal(self.raw.media_type)))
        g.add((d, OFS.framework, FW[framework.value]))
        g.add((d, DCTERMS.publisher, Literal(publisher(framework))))

    def authority(self, a: Authority) -> URIRef:
        """Reference an authority; its description lives in the register graph."""
        la = URIRef(iris.authority(a.gss_code))
        self.external.add(str(la))
        return la

    def board(self, a: Authority) -> URIRef:
        """Reference an authority's safeguarding board; described in the register graph."""
        node = URIRef(iris.board(a.gss_code))
        self.external.add(str(node))
        return node

    def part(self, parent: URIRef, kind: str, key, cls: URIRef, link: URIRef) -> URIRef:
        """A numbered part of an inspection or plan, typed and linked from its parent."""
        node = URIRef(iris.part(str(parent), kind, key))
        self.g.add((node, RDF.type, cls))
        self.g.add((parent, link, node))
        return node

    def judgement(self, insp: URIRef, j: Judgement, framework: Framework, subject: URIRef) -> URIRef:
        """A judgement of an inspection: area, grade on the framework's scale, whom it judged.

        :param subject: the authority or board judged.
        :return: the judgement node.
        """
        node = URIRef(iris.judgement(str(insp), j.area, j.subject))
        g = self.g
        g.add((node, RDF.type, OFS.Judgement))
        g.add((insp, OFS.hasJudgement, node))
        g.add((node, OFS.judgementOf, insp))
        g.add((node, OFS.area, area_concept(j.area)))
        scale = grade_scale(framework)
        if scale:
            g.add((node, OFS.grade, grade_concept(scale, j.grade)))
        g.add((node, OFS.subject, subject))
        g.add((node, OFS.printedArea, Literal(j.printed_area)))
        g.add((node, OFS.printedGrade, Literal(j.printed_grade)))
        g.add((node, RDFS.label, Literal(f"{j.printed_area}: {j.printed_grade}", lang="en")))
        self.provenance(node, j.source)
        return node

    def inspection(self, register: Register, name: str, gss: str | None, kind: InspectionKind,
                   framework: Framework, dates: tuple[dt.date | None, dt.date | None, dt.date | None],
                   path: str) -> tuple[URIRef, URIRef, Authority]:
        """The inspection node a document describes, linked to its authority and this document.

        :param gss: the authority's GSS code where known (else ``name`` is resolved).
        :param dates: (start, end, published).
        :return: (inspection node, authority node, register entry).
        """
        start, end, published = dates
        a = register.by_gss.get(gss) if gss else None
        if a is None:
            a = resolve_authority(register, name, path)
        la = self.authority(a)
        insp = URIRef(iris.inspection(a.gss_code, kind.value, start or published))
        g = self.g
        g.add((insp, RDF.type, OFS[inspection_class(kind)]))
        g.add((insp, OFS.inspectionOf, la))
        g.add((la, OFS.inspected, insp))
        g.add((insp, OFS.framework, FW[framework.value]))
        g.add((insp, OFS.inspectionKind, Literal(kind.value)))
        self.add(insp, OFS.startDate, date_literal(start))
        self.add(insp, OFS.endDate, date_literal(end))
        self.add(insp, OFS.publishedOn, date_literal(published))
        g.add((insp, RDFS.label, Literal(inspection_label(a.name, kind, start or published), lang="en")))
        g.add((insp, OFS.reportedIn, self.doc))
        g.add((insp, PROV.wasDerivedFrom, self.doc))
        return insp, la, a


#: kinds whose label is an acronym in capitals
_ACRONYM_KINDS = ("sif", "cpi")


def inspection_label(authority: str, kind: InspectionKind, when: dt.date | None) -> str:
    """``Bristol City Council: SIF inspection, May 2017`` (the kind in words, the month)."""
    words = kind.value.replace("-", " ")
    if kind.value in _ACRONYM_KINDS:
        words = words.upper()
    return f"{authority}: {words} inspection{', ' + when.strftime('%B %Y') if when else ''}"


def resolve_authority(register: Register, name: str, path: str, on: dt.date | None = None) -> Authority:
    """The authority a document names, as the register has it on the day ``on``.

    :raise IngestError: the name is not in the register (a clear line naming file and name).
    """
    found = register.lookup(name, on)
    if found is None:
        raise IngestError(path, f"authority {name!r} is not in the register "
                                f"(core/data/authorities.csv): not an English council with "
                                f"children's services")
    return found
