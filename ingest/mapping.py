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

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, SKOS

from . import iris
from .authorities import Authority, Register
from .model import (Framework, ImprovementPlan, InspectionKind, Judgement, OutcomesTable,
                    RawDocument, Report, Source, TableInspection)
from .patterns import slug

OFS = Namespace(iris.ONTOLOGY_NS)
ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://purl.org/linked-data/cube#")
AREA = Namespace("https://w3id.org/ofsted-kg/def/area/")
GRADE = Namespace("https://w3id.org/ofsted-kg/def/grade/")
FW = Namespace("https://w3id.org/ofsted-kg/def/framework/")
ROLE = Namespace("https://w3id.org/ofsted-kg/def/role/")
NF = Namespace("https://w3id.org/ofsted-kg/def/national-framework/")

#: which grade scale each framework's judgements use
GRADE_SCALE = {
    Framework.SLAC_2009: "slac-2009", Framework.LAC_2013: "slac-2009", Framework.SIF: "sif",
    Framework.ILACS_2018: "ilacs", Framework.ILACS_2023: "ilacs", Framework.ILACS_2026: "ilacs",
}
INSPECTION_CLASS = {
    InspectionKind.SLAC: "SLACInspection", InspectionKind.LAC: "LACInspection",
    InspectionKind.SIF: "SIFInspection", InspectionKind.SIF_REINSPECTION: "SIFReinspection",
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
    a = register.resolve(report.authority_name, raw.path)
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
        node = URIRef(iris.part(str(insp), "strength", s.order))
        g.add((node, RDF.type, OFS.Strength))
        g.add((insp, OFS.hasStrength, node))
        g.add((node, OFS.text, Literal(s.text)))
        g.add((node, OFS.order, Literal(s.order, datatype=XSD.integer)))
        g.add((node, OFS.about, subjects.get(s.subject) or la))
        b.provenance(node, s.source)

    for i, f in enumerate(report.findings, start=1):
        node = URIRef(iris.part(str(insp), "finding", f.number or f"item-{i}"))
        g.add((node, RDF.type, OFS.Finding))
        g.add((insp, OFS.hasFinding, node))
        g.add((node, OFS.text, Literal(f.text)))
        b.add(node, OFS.printedNumber, f.number)
        b.add(node, OFS.themeHeading, f.section)
        g.add((node, OFS.about, subjects.get(f.subject) or la))
        if f.cites_recommendation:
            g.add((node, OFS.marksRecommendation, Literal(True)))
        b.provenance(node, f.source)

    seen: dict[str, int] = {}
    for st in report.statistics:
        n = seen[st.measure] = seen.get(st.measure, 0) + 1
        node = URIRef(iris.part(str(insp), "statistic", st.measure if n == 1 else f"{st.measure}-{n}"))
        measure = URIRef(f"{iris.base_iri()}id/measure/{slug(st.measure)}")
        g.add((measure, RDF.type, OFS.Measure))
        g.add((measure, SKOS.prefLabel, Literal(st.measure.replace("-", " "), lang="en")))
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
        person = URIRef(f"{iris.base_iri()}id/person/{slug(m.name)}")
        g.add((person, RDF.type, FOAF.Person))
        g.add((person, FOAF.name, Literal(m.name)))
        g.add((person, RDFS.label, Literal(m.name)))
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
        node = URIRef(iris.part(str(insp), "tenure", i))
        g.add((node, RDF.type, OFS.Tenure))
        g.add((insp, OFS.hasTenure, node))
        g.add((node, OFS.post, Literal(t.role)))
        b.add(node, OFS.inPostSince, _date(t.since))
        g.add((node, OFS.text, Literal(t.printed)))
        g.add((node, OFS.about, la))
        b.provenance(node, t.source)

    for i, e in enumerate(report.earlier_inspections, start=1):
        node = URIRef(iris.part(str(insp), "mention", i))
        g.add((node, RDF.type, OFS.InspectionMention))
        g.add((insp, OFS.mentionsInspection, node))
        g.add((node, OFS.text, Literal(e.description)))
        b.add(node, OFS.mentionedDate, _date(e.date))
        if e.grade:
            scale = "slac-2009" if e.grade == "adequate" else GRADE_SCALE.get(report.framework, "sif")
            g.add((node, OFS.mentionedGrade, GRADE[f"{scale}-{e.grade}"]))
        b.provenance(node, e.source)

    return Mapped(doc_iri, g, subject_iris=[str(insp)], external_iris=b.external, warnings=list(report.warnings))


def map_plan(plan: ImprovementPlan, raw: RawDocument, register: Register) -> Mapped:
    a = register.resolve(plan.authority_name, raw.path)
    plan_iri = URIRef(iris.plan(a.gss_code, plan.issued, plan.title))
    doc_iri = iris.document(f"{a.gss_code}-plan-{plan.issued.isoformat()[:7] if plan.issued else raw.sha256[:12]}-{slug(plan.title, 40)}")
    b = _Builder(raw, doc_iri)
    b.document("PlanDocument", plan.title, plan.framework)
    g = b.g
    la = b.authority(a)
    g.add((b.doc, OFS.describes, plan_iri))
    g.add((plan_iri, RDF.type, OFS.ImprovementPlan))
    g.add((plan_iri, RDFS.label, Literal(plan.title, lang="en")))
    g.add((plan_iri, DCTERMS.title, Literal(plan.title)))
    g.add((plan_iri, OFS.planOf, la))
    g.add((plan_iri, PROV.wasDerivedFrom, b.doc))
    b.add(plan_iri, DCTERMS.issued, _date(plan.issued))
    b.add(plan_iri, OFS.version, plan.version)
    b.add(plan_iri, OFS.period, plan.period)
    b.add(plan_iri, OFS.respondsToMonth, _month(plan.responds_to_month))

    if plan.rag_scheme:
        scheme = URIRef(f"{plan_iri}/rag")
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, Literal(f"RAG statuses of {plan.title}", lang="en")))
        g.add((plan_iri, OFS.ragScheme, scheme))
        for r in plan.rag_scheme:
            c = URIRef(iris.part(str(plan_iri), "rag", r.label))
            g.add((c, RDF.type, OFS.RAGStatus))
            g.add((c, SKOS.inScheme, scheme))
            g.add((c, SKOS.prefLabel, Literal(r.label, lang="en")))
            g.add((c, SKOS.definition, Literal(r.description, lang="en")))
            g.add((c, OFS.order, Literal(r.order, datatype=XSD.integer)))

    kpi_nodes: dict[str, URIRef] = {}
    for k in plan.kpis:
        node = URIRef(iris.part(str(plan_iri), "kpi", k.ref))
        kpi_nodes[k.ref.lower()] = node
        g.add((node, RDF.type, OFS.KPI))
        g.add((plan_iri, OFS.hasKPI, node))
        g.add((node, OFS.ref, Literal(k.ref)))
        g.add((node, OFS.measureName, Literal(k.measure)))
        g.add((node, RDFS.label, Literal(f"KPI {k.ref}: {k.measure}", lang="en")))
        b.add(node, OFS.owner, k.owner)
        b.add(node, OFS.frequency, k.frequency)
        b.add(node, OFS.baseline, k.baseline)
        for i, t in enumerate(k.targets, start=1):
            tn = URIRef(f"{node}/target/{i}")
            g.add((tn, RDF.type, OFS.Target))
            g.add((node, OFS.hasTarget, tn))
            g.add((tn, OFS.printedValue, Literal(t.printed)))
            b.add(tn, OFS.targetValue, _dec(t.value))
            b.add(tn, OFS.unit, t.unit)
            b.add(tn, OFS.denominator, _dec(t.denominator))
            b.add(tn, OFS.due, t.due)
            b.add(tn, OFS.dueMonth, _month(t.due_date))
        b.provenance(node, k.source)

    action_nodes: dict[str, URIRef] = {}
    for theme in plan.themes:
        tn = URIRef(iris.part(str(plan_iri), "theme", theme.number))
        g.add((tn, RDF.type, OFS.Theme))
        g.add((plan_iri, OFS.hasTheme, tn))
        g.add((tn, OFS.ref, Literal(theme.number)))
        g.add((tn, DCTERMS.title, Literal(theme.title)))
        g.add((tn, RDFS.label, Literal(f"Theme {theme.number}: {theme.title}", lang="en")))
        if theme.outcome_statement:
            on = URIRef(f"{tn}/outcome")
            g.add((on, RDF.type, OFS.OutcomeStatement))
            g.add((tn, OFS.hasOutcomeStatement, on))
            g.add((on, OFS.text, Literal(theme.outcome_statement)))
            b.provenance(on, theme.source)
        b.provenance(tn, theme.source)
        for act in theme.actions:
            an = URIRef(iris.part(str(plan_iri), "action", act.ref))
            action_nodes[act.ref] = an
            g.add((an, RDF.type, OFS.Action))
            g.add((tn, OFS.hasAction, an))
            g.add((an, OFS.ref, Literal(act.ref)))
            g.add((an, OFS.text, Literal(act.text)))
            g.add((an, RDFS.label, Literal(f"{act.ref} {act.text}"[:140], lang="en")))
            b.add(an, OFS.due, act.due)
            b.add(an, OFS.dueMonth, _month(act.due_date))
            b.add(an, OFS.leadRole, act.lead)
            for ref in act.kpi_refs:
                g.add((an, OFS.kpiRef, Literal(ref)))
                target = kpi_nodes.get(ref.lower())
                if target is not None:
                    g.add((an, OFS.measuredBy, target))
            b.provenance(an, act.source)
    for theme in plan.themes:
        for act in theme.actions:
            if act.parent_ref and act.parent_ref in action_nodes:
                g.add((action_nodes[act.ref], OFS.subActionOf, action_nodes[act.parent_ref]))
    return Mapped(doc_iri, g, subject_iris=[str(plan_iri)], external_iris=b.external, warnings=list(plan.warnings))


def map_table(table: OutcomesTable, raw: RawDocument, register: Register) -> Mapped:
    doc_iri = iris.document(f"outcomes-{Path(raw.path).stem}")
    b = _Builder(raw, doc_iri)
    b.document("OutcomesSpreadsheet", table.title, table.framework)
    subjects = []
    for ti in table.inspections:
        insp, la, a = _table_inspection(b, register, ti, raw.path)
        subjects.append(str(insp))
    return Mapped(doc_iri, b.g, subject_iris=subjects, external_iris=b.external, warnings=list(table.warnings))


#: table inspections whose framework concept is not a ``Framework`` member of their own
TABLE_FRAMEWORK_KEY = {InspectionKind.CPI: "cpi"}


def table_judgement_iri(insp: URIRef, j: Judgement, raw: RawDocument) -> str:
    """A table's judgement has its own IRI (suffixed by source file, sheet and row), so that a
    report's judgement of the same inspection and area stays a separate, comparable node."""
    by_file = iris.part(iris.judgement(str(insp), j.area, j.subject), "source", Path(raw.path).stem)
    return iris.part(by_file, slug(j.source.sheet or "sheet"), j.source.row or 0)


def _table_inspection(b: _Builder, register: Register, ti: TableInspection, path: str):
    insp, la, a = _inspection_core(b, register, ti.authority_name, ti.gss_code, ti.kind,
                                   ti.framework, ti.start, ti.end, ti.published, path,
                                   framework_key=TABLE_FRAMEWORK_KEY.get(ti.kind))
    b.provenance(insp, ti.source)
    b.add(insp, OFS.visitTheme, getattr(ti, "theme", None))
    board = None
    for j in ti.judgements:
        subject = la
        if j.subject == "board":
            subject = board = b.board(a)
        b.judgement(insp, j, ti.framework, subject, iri=table_judgement_iri(insp, j, b.raw))
    if board is not None:
        b.g.add((insp, OFS.reviewedBoard, board))
    return insp, la, a


def map_parsed(parsed, raw: RawDocument, register: Register) -> Mapped:
    if isinstance(parsed, Report):
        return map_report(parsed, raw, register)
    if isinstance(parsed, ImprovementPlan):
        return map_plan(parsed, raw, register)
    if isinstance(parsed, OutcomesTable):
        return map_table(parsed, raw, register)
    raise TypeError(f"cannot map {type(parsed).__name__}")
