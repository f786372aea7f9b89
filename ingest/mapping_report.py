"""Map an inspection ``Report`` to RDF, one function per part of the report: the inspection
itself, the board it reviewed, judgements, recommendations, strengths, findings, statistics,
the team, tenures and the earlier inspections it mentions."""
from __future__ import annotations

import re

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from core import iris
from core.authorities import Authority, Register
from core.iris import slug
from .frameworks import grade_scale
from .graphbuild import (NF, OFS, QB, ROLE, GraphBuilder, Mapped, area_concept, date_literal,
                         decimal_literal, grade_concept, resolve_authority)
from .model import RawDocument, Recommendation, Report

ROLE_KEYS = {"lead inspector": "lead-inspector", "reporting inspector": "lead-inspector",
             "deputy lead inspector": "deputy-lead-inspector", "team inspector": "team-inspector",
             "shadow inspector": "shadow-inspector", "senior data analyst": "senior-data-analyst",
             "quality assurance manager": "quality-assurance-manager"}
_CITE = re.compile(r"(outcome|enabler)\s*(\d)", re.I)
#: the scale of a grade word that only an earlier, pre-2013 inspection gives (mentions only)
MENTION_SCALES = {"adequate": "slac-2009", "satisfactory": "services-2007"}

#: whom a part of a report is about: "authority" or "board" -> its node (board may be None)
Subjects = dict[str, URIRef | None]


def map_report(report: Report, raw: RawDocument, register: Register) -> Mapped:
    """One inspection report's graph.

    :param register: the authorities, to resolve the printed name to a GSS code.
    :return: the graph, named by the document's IRI, describing one inspection.
    :raise UnknownAuthority: when the register does not know the printed authority.
    """
    a = resolve_authority(register, report.authority_name, raw.path, on=report.start or report.published)
    when = report.published or report.start
    doc_iri = iris.document(f"{a.gss_code}-{report.framework.value}-"
                            f"{when.isoformat() if when else raw.sha256[:12]}")
    b = GraphBuilder(raw, doc_iri)
    insp, subjects = map_inspection(b, report, register, a)
    map_judgements(b, report, insp, subjects)
    map_recommendations(b, report, insp, subjects)
    map_strengths(b, report, insp, subjects)
    map_findings(b, report, insp, subjects)
    map_statistics(b, report, insp, subjects["authority"])
    map_team(b, report, insp)
    map_tenures(b, report, insp, subjects["authority"])
    map_mentions(b, report, insp)
    return Mapped(doc_iri, b.g, subject_iris=[str(insp)], external_iris=b.external,
                  warnings=list(report.warnings))


def map_inspection(b: GraphBuilder, report: Report, register: Register,
                   a: Authority) -> tuple[URIRef, Subjects]:
    """The document and the inspection it describes, with the board when the report reviews one.

    :return: the inspection node and its subjects (``authority``, ``board``).
    """
    b.document(report.title, report.framework)
    b.add(b.doc, DCTERMS.issued, date_literal(report.published))
    insp, la, a = b.inspection(register, report.authority_name, a.gss_code, report.kind,
                               report.framework, (report.start, report.end, report.published),
                               b.raw.path)
    b.g.add((b.doc, OFS.describes, insp))
    b.add(insp, OFS.visitTheme, report.theme)
    return insp, {"authority": la, "board": map_board(b, report, insp, a)}


def map_board(b: GraphBuilder, report: Report, insp: URIRef, a: Authority) -> URIRef | None:
    """The safeguarding children board a report reviews, judges or recommends to (else None)."""
    if not (report.board_name or any(j.subject == "board" for j in report.judgements)
            or any(r.addressee == "board" for r in report.recommendations)):
        return None
    board = b.board(a)
    if report.board_name:   # the name as this report prints it; the register has the label
        b.g.add((board, SKOS.altLabel, Literal(report.board_name, lang="en")))
    b.g.add((insp, OFS.reviewedBoard, board))
    return board


def map_judgements(b: GraphBuilder, report: Report, insp: URIRef, subjects: Subjects) -> None:
    """Every graded judgement, and the areas the report says it did not judge."""
    for j in report.judgements:
        b.judgement(insp, j, report.framework, subjects.get(j.subject) or subjects["authority"])
    for area in report.not_judged:
        b.g.add((insp, OFS.areaNotJudged, area_concept(area)))


def map_recommendations(b: GraphBuilder, report: Report, insp: URIRef, subjects: Subjects) -> None:
    """Every recommendation, in printed order (bad national-framework citations are warned)."""
    for r in report.recommendations:
        map_recommendation(b, r, insp, subjects, report.warnings)


def map_recommendation(b: GraphBuilder, r: Recommendation, insp: URIRef, subjects: Subjects,
                       warnings: list[str]) -> URIRef:
    """One recommendation: its text, number, band, theme, addressee and citations.

    :param warnings: where a citation that names no national framework element is reported.
    :return: the recommendation node.
    """
    g = b.g
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
            warnings.append(f"recommendation {r.order} cites {cite!r}, which is not a national "
                            "framework outcome or enabler")
    b.provenance(node, r.source)
    return node


def map_strengths(b: GraphBuilder, report: Report, insp: URIRef, subjects: Subjects) -> None:
    """The strengths a report lists, each about the authority or the board."""
    for s in report.strengths:
        node = b.part(insp, "strength", s.order, OFS.Strength, OFS.hasStrength)
        b.g.add((node, OFS.text, Literal(s.text)))
        b.g.add((node, OFS.order, Literal(s.order, datatype=XSD.integer)))
        b.g.add((node, OFS.about, subjects.get(s.subject) or subjects["authority"]))
        b.provenance(node, s.source)


def map_findings(b: GraphBuilder, report: Report, insp: URIRef, subjects: Subjects) -> None:
    """The numbered findings, with their section and whether they mark a recommendation."""
    g = b.g
    for i, f in enumerate(report.findings, start=1):
        node = b.part(insp, "finding", f.number or f"item-{i}", OFS.Finding, OFS.hasFinding)
        g.add((node, OFS.text, Literal(f.text)))
        b.add(node, OFS.printedNumber, f.number)
        b.add(node, OFS.themeHeading, f.section)
        g.add((node, OFS.about, subjects.get(f.subject) or subjects["authority"]))
        if f.cites_recommendation:
            g.add((node, OFS.marksRecommendation, Literal(True)))
        b.provenance(node, f.source)


def map_statistics(b: GraphBuilder, report: Report, insp: URIRef, la: URIRef) -> None:
    """The figures a report prints, as Data Cube observations about the authority.

    Undated figures describe the area at the inspection: they get its date, marked assumed.
    The measure's own description lives in the vocabulary graph (``ingest/vocabulary.py``), so
    that reports naming one measure do not repeat it.
    """
    g = b.g
    seen: dict[str, int] = {}
    for st in report.statistics:
        key = slug(st.measure)      # count on the slug: two long measures may share one
        n = seen[key] = seen.get(key, 0) + 1
        node = URIRef(iris.part(str(insp), "statistic", key if n == 1 else f"{key}-{n}"))
        g.add((node, OFS.measureLabel, Literal(st.measure.replace("-", " "), lang="en")))
        g.add((node, RDF.type, OFS.StatisticObservation))
        g.add((node, QB.dataSet, OFS.reportStatistics))
        g.add((insp, OFS.hasStatistic, node))
        g.add((node, OFS.refArea, la))
        g.add((node, OFS.measure, URIRef(iris.measure(st.measure))))
        g.add((node, OFS.value, decimal_literal(st.value)))
        g.add((node, OFS.unit, Literal(st.unit)))
        g.add((node, RDFS.label, Literal(st.label, lang="en")))
        if st.date is None and (report.start or report.published):
            g.add((node, OFS.refDate, date_literal(report.start or report.published)))
            g.add((node, OFS.refDateAssumed, Literal(True)))
        b.add(node, OFS.refDate, date_literal(st.date))
        b.add(node, OFS.refPeriod, st.period)
        b.add(node, OFS.earlierValue, decimal_literal(st.earlier_value))
        b.add(node, OFS.earlierDate, date_literal(st.earlier_date))
        b.add(node, OFS.comparator, st.comparator)
        b.add(node, OFS.comparatorValue, decimal_literal(st.comparator_value))
        b.provenance(node, st.source)


def map_team(b: GraphBuilder, report: Report, insp: URIRef) -> None:
    """The inspection team: each inspector (a person in the vocabulary graph) and role."""
    g = b.g
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


def map_tenures(b: GraphBuilder, report: Report, insp: URIRef, la: URIRef) -> None:
    """The senior posts a report names, with how long their holders have been in post."""
    for i, t in enumerate(report.tenures, start=1):
        node = b.part(insp, "tenure", i, OFS.Tenure, OFS.hasTenure)
        b.g.add((node, OFS.post, Literal(t.role)))
        b.add(node, OFS.inPostSince, date_literal(t.since))
        b.g.add((node, OFS.text, Literal(t.printed)))
        b.g.add((node, OFS.about, la))
        b.provenance(node, t.source)


def map_mentions(b: GraphBuilder, report: Report, insp: URIRef) -> None:
    """Earlier inspections a report mentions, with the grade it quotes for them."""
    for i, e in enumerate(report.earlier_inspections, start=1):
        node = b.part(insp, "mention", i, OFS.InspectionMention, OFS.mentionsInspection)
        b.g.add((node, OFS.text, Literal(e.description)))
        b.add(node, OFS.mentionedDate, date_literal(e.date))
        if e.kind:
            b.g.add((node, OFS.mentionedKind, Literal(e.kind)))
        if e.grade:
            scale = MENTION_SCALES.get(e.grade) or grade_scale(report.framework) or "sif"
            b.g.add((node, OFS.mentionedGrade, grade_concept(scale, e.grade)))
        b.provenance(node, e.source)
