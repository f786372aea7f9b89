"""Map a parsed document to RDF: ``Report | ImprovementPlan | OutcomesTable`` -> ``Mapped``.

One rdflib ``Graph`` per source document; its IRI (``iris.document``) names the graph in the
store. Every fact carries its provenance: ``prov:wasDerivedFrom`` the document plus the block,
printed paragraph, page, or sheet and row it was read from. Terms come from ``ontology/``;
IRIs only from ``iris``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from core import vocab

from . import iris
from .authorities import Authority, Register
from .model import (Framework, ImprovementPlan, InspectionKind, Judgement, OutcomesTable,
                    RawDocument, Report, Source)
from .patterns import slug

OFS = Namespace(vocab.OFS)
ORG = Namespace(vocab.ORG)
QB = Namespace(vocab.QB)
AREA = Namespace(vocab.AREA)
GRADE = Namespace(vocab.GRADE)
FW = Namespace(vocab.FRAMEWORK)
ROLE = Namespace(vocab.ROLE)
NF = Namespace(vocab.NATIONAL_FRAMEWORK)

#: which grade scale each framework's judgements use
GRADE_SCALE = {
    Framework.SLAC_2009: "slac-2009", Framework.LAC_2013: "slac-2009", Framework.SIF: "sif",
    Framework.ILACS_2018: "ilacs", Framework.ILACS_2023: "ilacs", Framework.ILACS_2026: "ilacs",
}
INSPECTION_CLASS = {
    InspectionKind.SLAC: "SLACInspection", InspectionKind.LAC: "LACInspection",
    InspectionKind.SIF: "SIFInspection", InspectionKind.SIF_REINSPECTION: "SIFReinspection",
    InspectionKind.LSCB_REVIEW: "LSCBReview",
    InspectionKind.CPI: "CPIInspection", InspectionKind.ILACS_STANDARD: "ILACSStandardInspection",
    InspectionKind.ILACS_SHORT: "ILACSShortInspection", InspectionKind.FOCUSED_VISIT: "FocusedVisit",
    InspectionKind.MONITORING_VISIT: "MonitoringVisit", InspectionKind.JTAI: "JTAI",
}
DOCUMENT_CLASS = {
    Framework.FOCUSED_VISIT: "VisitLetter", Framework.MONITORING_VISIT: "VisitLetter",
    Framework.IMPROVEMENT_PLAN: "PlanDocument", Framework.OUTCOMES_TABLE: "OutcomesSpreadsheet",
}
ROLE_KEYS = {"lead inspector": "lead-inspector", "reporting inspector": "lead-inspector",
             "deputy lead inspector": "deputy-lead-inspector", "team inspector": "team-inspector",
             "shadow inspector": "shadow-inspector", "senior data analyst": "senior-data-analyst",
             "quality assurance manager": "quality-assurance-manager"}
_CITE = re.compile(r"(outcome|enabler)\s*(\d)", re.I)


@dataclass
class Mapped:
    """A document's graph, the IRI naming it, and what the mapper noticed."""

    document_iri: str
    graph: Graph
    subject_iris: list[str] = field(default_factory=list)   # inspections / plan described
    external_iris: set[str] = field(default_factory=set)    # nodes it references in other graphs
    warnings: list[str] = field(default_factory=list)


def _date(d: dt.date | None) -> Literal | None:
    return Literal(d.isoformat(), datatype=XSD.date) if d else None


def _month(d: dt.date | None) -> Literal | None:
    return Literal(d.isoformat()[:7], datatype=XSD.gYearMonth) if d else None


def _dec(v: Decimal | None) -> Literal | None:
    return Literal(v, datatype=XSD.decimal) if v is not None else None


class _Builder:
    def __init__(self, raw: RawDocument, doc_iri: str):
        self.g = Graph()
        self.g.bind("ofs", OFS)
        self.doc = URIRef(doc_iri)
        self.raw = raw
        self.external: set[str] = set()

    def add(self, s, p, o) -> None:
        if o is not None and o != "":
            if isinstance(o, str) and not isinstance(o, (URIRef, Literal)):
                o = Literal(o)
            self.g.add((s, p, o))

    def provenance(self, node: URIRef, source: Source) -> None:
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

    def document(self, cls: str, title: str, framework: Framework) -> None:
        g, d = self.g, self.doc
        g.add((d, RDF.type, OFS[cls]))
        g.add((d, DCTERMS.title, Literal(title)))
        g.add((d, OFS.sha256, Literal(self.raw.sha256)))
        g.add((d, OFS.fileName, Literal(Path(self.raw.path).name)))
        g.add((d, DCTERMS["format"], Literal(self.raw.media_type)))
        g.add((d, OFS.framework, FW[framework.value]))
        g.add((d, DCTERMS.publisher, Literal(
            "Ofsted" if framework not in (Framework.IMPROVEMENT_PLAN,) else "the local authority")))

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

    def judgement(self, insp: URIRef, j: Judgement, framework: Framework, subject: URIRef,
                  scale: str | None = None, iri: str | None = None) -> URIRef:
        node = URIRef(iri or iris.judgement(str(insp), j.area, j.subject))
        g = self.g
        g.add((node, RDF.type, OFS.Judgement))
        g.add((insp, OFS.hasJudgement, node))
        g.add((node, OFS.judgementOf, insp))
        g.add((node, OFS.area, AREA[j.area.replace("/", "-")]))
        scale = scale or GRADE_SCALE.get(framework)
        if scale:
            g.add((node, OFS.grade, GRADE[f"{scale}-{j.grade}"]))
        g.add((node, OFS.subject, subject))
        g.add((node, OFS.printedArea, Literal(j.printed_area)))
        g.add((node, OFS.printedGrade, Literal(j.printed_grade)))
        g.add((node, RDFS.label, Literal(f"{j.printed_area}: {j.printed_grade}", lang="en")))
        self.provenance(node, j.source)
        return node


def _inspection_core(b: _Builder, register: Register, name: str, gss: str | None,
                     kind: InspectionKind, framework: Framework, start, end, published,
                     path: str, framework_key: str | None = None) -> tuple[URIRef, URIRef, Authority]:
    a = register.by_gss.get(gss) if gss else None
    if a is None:
        a = register.resolve(name, path)
    la = b.authority(a)
    insp = URIRef(iris.inspection(a.gss_code, kind.value, start or published))
    g = b.g
    g.add((insp, RDF.type, OFS[INSPECTION_CLASS[kind]]))
    g.add((insp, OFS.inspectionOf, la))
    g.add((la, OFS.inspected, insp))
    g.add((insp, OFS.framework, FW[framework_key or framework.value]))
    g.add((insp, OFS.inspectionKind, Literal(kind.value)))
    b.add(insp, OFS.startDate, _date(start))
    b.add(insp, OFS.endDate, _date(end))
    b.add(insp, OFS.publishedOn, _date(published))
    when = (start or published)
    g.add((insp, RDFS.label, Literal(
        f"{a.name}: {kind.value.replace('-', ' ').upper() if kind in (InspectionKind.SIF, InspectionKind.CPI) else kind.value.replace('-', ' ')}"
        f" inspection{', ' + when.strftime('%B %Y') if when else ''}", lang="en")))
    g.add((insp, OFS.reportedIn, b.doc))
    g.add((insp, PROV.wasDerivedFrom, b.doc))
    return insp, la, a


def map_report(report: Report, raw: RawDocument, register: Register) -> Mapped:
    a = register.resolve(report.authority_name, raw.path, on=report.start or report.published)
    when = report.published or report.start
    doc_iri = iris.document(f"{a.gss_code}-{report.framework.value}-{when.isoformat() if when else raw.sha256[:12]}")
    b = _Builder(raw, doc_iri)
    b.document(DOCUMENT_CLASS.get(report.framework, "InspectionReport"), report.title, report.framework)
    b.add(b.doc, DCTERMS.issued, _date(report.published))
    insp, la, a = _inspection_core(b, register, report.authority_name, a.gss_code, report.kind,
                                   report.framework, report.start, report.end, report.published, raw.path)
    g = b.g
    g.add((b.doc, OFS.describes, insp))
    b.add(insp, OFS.visitTheme, report.theme)
    board = None
    if report.board_name or any(j.subject == "board" for j in report.judgements) or \
            any(r.addressee == "board" for r in report.recommendations):
        board = b.board(a)
        if report.board_name:   # the name as this report prints it; the register has the label
            g.add((board, SKOS.altLabel, Literal(report.board_name, lang="en")))
        g.add((insp, OFS.reviewedBoard, board))
    subjects = {"authority": la, "board": board}

    for j in report.judgements:
        b.judgement(insp, j, report.framework, subjects.get(j.subject) or la)
    for area in report.not_judged:
        g.add((insp, OFS.areaNotJudged, AREA[area]))

    for r in report.recommendations:
        key = r.number if r.number else f"item-{r.order}"
        addressee_key = r.addressee if r.addressee in ("authority", "board") else slug(r.addressee, 40)
        node = URIRef(iris.recommendation(str(insp), addressee_key, key))
        g.add((node, RDF.type, OFS.Recommendation))
        g.add((insp, OFS.hasRecommendation, node))
        g.add((node, OFS.recommendationOf, insp))
        g.add((node, OFS.text, Literal(r.text)))
        g.add((node, RDFS.label, Literal(r.text if len(r.text) <= 120 else r.text[:117] + "...", lang="en")))
        g.add((node, OFS.order, Literal(r.order, datatype=XSD.integer)))
        b.add(node, OFS.printedNumber, r.number)
        b.add(node, OFS.band, r.band)
        b.add(node, OFS.themeHeading, r.theme)
        if r.addressee in subjects and subjects[r.addressee] is not None:
            g.add((node, OFS.addressedTo, subjects[r.addressee]))
        else:
            g.add((node, OFS.addresseeName, Literal(r.addressee)))
        for cite in r.cites:
            m = _CITE.search(cite)
            if m:
                g.add((node, OFS.cites, NF[f"{m.group(1).lower()}-{m.group(2)}"]))
            else:
                b_warn = f"recommendation {r.order} cites {cite!r}, which is not a national framework outcome or enabler"
                report.warnings.append(b_warn)
        b.provenance(node, r.source)

    for s in report.strengths:
        node = b.part(insp, "strength", s.order, OFS.Strength, OFS.hasStrength)
        g.add((node, OFS.text, Literal(s.text)))
        g.add((node, OFS.order, Literal(s.order, datatype=XSD.integer)))
        g.add((node, OFS.about, subjects.get(s.subject) or la))
        b.provenance(node, s.source)

    for i, f in enumerate(report.findings, start=1):
        node = b.part(insp, "finding", f.number or f"item-{i}", OFS.Finding, OFS.hasFinding)
        g.add((node, OFS.text, Literal(f.text)))
        b.add(node, OFS.printedNumber, f.number)
        b.add(node, OFS.themeHeading, f.section)
        g.add((node, OFS.about, subjects.get(f.subject) or la))
        if f.cites_recommendation:
            g.add((node, OFS.marksRecommendation, Literal(True)))
        b.provenance(node, f.source)

    seen: dict[str, int] = {}
    for st in report.statistics:
        key = slug(st.measure)      # count on the slug: two long measures may share one
        n = seen[key] = seen.get(key, 0) + 1
        node = URIRef(iris.part(str(insp), "statistic", key if n == 1 else f"{key}-{n}"))
        # the measure's own description lives in the vocabulary graph, built from these names
        # (``ingest/vocabulary.py``), so that reports naming one measure do not repeat it
        measure = URIRef(iris.measure(st.measure))
        g.add((node, OFS.measureLabel, Literal(st.measure.replace("-", " "), lang="en")))
        g.add((node, RDF.type, OFS.StatisticObservation))
        g.add((node, QB.dataSet, OFS.reportStatistics))
        g.add((insp, OFS.hasStatistic, node))
        g.add((node, OFS.refArea, la))
        g.add((node, OFS.measure, measure))
        g.add((node, OFS.value, _dec(st.value)))
        g.add((node, OFS.unit, Literal(st.unit)))
        g.add((node, RDFS.label, Literal(st.label, lang="en")))
        if st.date is None and (report.start or report.published):
            # undated figures in "Information about this area" describe the area at inspection
            g.add((node, OFS.refDate, _date(report.start or report.published)))
            g.add((node, OFS.refDateAssumed, Literal(True)))
        b.add(node, OFS.refDate, _date(st.date))
        b.add(node, OFS.refPeriod, st.period)
        b.add(node, OFS.earlierValue, _dec(st.earlier_value))
        b.add(node, OFS.earlierDate, _date(st.earlier_date))
        b.add(node, OFS.comparator, st.comparator)
        b.add(node, OFS.comparatorValue, _dec(st.comparator_value))
        b.provenance(node, st.source)

    for i, m in enumerate(report.team, start=1):
        node = URIRef(iris.part(str(insp), "team", i))
        person = URIRef(iris.person(m.name))      # described in the vocabulary graph
        g.add((node, OFS.inspectorName, Literal(m.name)))
        g.add((node, RDF.type, OFS.TeamMembership))
        g.add((insp, OFS.hasTeamMember, node))
        g.add((node, OFS.inspector, person))
        role_key = ROLE_KEYS.get(m.role.lower().strip(), "other")
        g.add((node, OFS.inspectorRole, ROLE[role_key]))
        if role_key == "other":
            g.add((node, RDFS.comment, Literal(m.role)))
        if role_key == "lead-inspector":
            g.add((insp, OFS.leadInspector, person))
        b.provenance(node, m.source)

    for i, t in enumerate(report.tenures, start=1):
        node = b.part(insp, "tenure", i, OFS.Tenure, OFS.hasTenure)
        g.add((node, OFS.post, Literal(t.role)))
        b.add(node, OFS.inPostSince, _date(t.since))
        g.add((node, OFS.text, Literal(t.printed)))
        g.add((node, OFS.about, la))
        b.provenance(node, t.source)

    for i, e in enumerate(report.earlier_inspections, start=1):
        node = b.part(insp, "mention", i, OFS.InspectionMention, OFS.mentionsInspection)
        g.add((node, OFS.text, Literal(e.description)))
        b.add(node, OFS.mentionedDate, _date(e.date))
        if e.grade:
            scale = "slac-2009" if e.grade == "adequate" else GRADE_SCALE.get(report.framework, "sif")
            g.add((node, OFS.mentionedGrade, GRADE[f"{scale}-{e.grade}"]))
        b.provenance(node, e.source)

    return Mapped(doc_iri, g, subject_iris=[str(insp)], external_iris=b.external, warnings=list(report.warnings))


def map_parsed(parsed, raw: RawDocument, register: Register) -> Mapped:
    if isinstance(parsed, Report):
        return map_report(parsed, raw, register)
    if isinstance(parsed, ImprovementPlan):
        from .mapping_plan import map_plan
        return map_plan(parsed, raw, register)
    if isinstance(parsed, OutcomesTable):
        from .mapping_table import map_table
        return map_table(parsed, raw, register)
    raise TypeError(f"cannot map {type(parsed).__name__}")
