"""Every shape: the seed graphs conform, and a graph broken on purpose fails on that shape."""
from __future__ import annotations

import functools

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import XSD

from core.authorities import register
from ingest.classify import classify
from ingest.frameworks import parse
from ingest.mapping import AREA, GRADE, OFS, map_parsed
from ingest.normalise import normalise
from ingest.readers import read
from ingest.register_graph import authorities_subgraph
from ingest.validate import validate
from tests.conftest import CORPUS

BRISTOL = CORPUS / "bristol_2014_SIF-with-LSCB-review.txt"
PLAN = CORPUS / "bristol_2016_improvement-plan-getting-to-good.txt"


@functools.cache
def mapped(path):
    raw = read(path)
    doc = normalise(raw)
    return map_parsed(parse(doc, classify(doc).framework), raw, register())


def graph_of(path) -> Graph:
    g = Graph()
    g += mapped(path).graph
    return g


def check(g: Graph, path=BRISTOL):
    return validate(g, authorities_subgraph(mapped(path).external_iris))


def one(g: Graph, cls) -> URIRef:
    return sorted(g.subjects(RDF.type, cls))[0]


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*_*.*") if p.suffix in (".txt", ".md")))
def test_every_seed_graph_conforms(name):
    outcome = check(graph_of(CORPUS / name), CORPUS / name)
    assert outcome.conforms, [i.line() for i in outcome.violations]


def _inspection(g):
    return one(g, OFS.SIFInspection)


def break_end_after_published(g):
    i = _inspection(g)
    g.set((i, OFS.publishedOn, Literal("2014-10-01", datatype=XSD.date)))


def break_start_after_end(g):
    i = _inspection(g)
    g.set((i, OFS.startDate, Literal("2014-11-30", datatype=XSD.date)))


def break_no_dates(g):
    i = _inspection(g)
    g.remove((i, OFS.startDate, None))
    g.remove((i, OFS.publishedOn, None))


def break_grade_off_scale(g):
    j = URIRef(str(_inspection(g)) + "/judgement/adoption")
    g.set((j, OFS.grade, GRADE["ilacs-good"]))


def break_unknown_area(g):
    j = URIRef(str(_inspection(g)) + "/judgement/adoption")
    g.set((j, OFS.area, AREA["happiness"]))


def break_no_overall(g):
    j = URIRef(str(_inspection(g)) + "/judgement/overall-effectiveness")
    g.remove((_inspection(g), OFS.hasJudgement, j))


def break_two_overalls(g):
    i = _inspection(g)
    j = URIRef(str(i) + "/judgement/overall-effectiveness-again")
    for p, o in list(g.predicate_objects(URIRef(str(i) + "/judgement/overall-effectiveness"))):
        g.add((j, p, o))
    g.set((j, OFS.grade, GRADE["sif-good"]))
    g.add((i, OFS.hasJudgement, j))


def break_duplicate_recommendation_number(g):
    i = _inspection(g)
    recs = sorted(g.objects(i, OFS.hasRecommendation))
    number = g.value(recs[0], OFS.printedNumber)
    g.set((recs[1], OFS.printedNumber, number))
    g.set((recs[1], OFS.addressedTo, g.value(recs[0], OFS.addressedTo)))


def break_recommendation_without_text(g):
    r = one(g, OFS.Recommendation)
    g.remove((r, OFS.text, None))


def break_statistic_without_value(g):
    s = one(g, OFS.StatisticObservation)
    g.remove((s, OFS.value, None))


def break_statistic_without_date(g):
    s = one(g, OFS.StatisticObservation)
    g.remove((s, OFS.refDate, None))
    g.remove((s, OFS.refPeriod, None))


def break_statistic_without_measure(g):
    s = one(g, OFS.StatisticObservation)
    g.remove((s, OFS.measure, None))


def break_bad_hash(g):
    d = one(g, OFS.InspectionReport)
    g.set((d, OFS.sha256, Literal("not-a-hash")))


def break_judgement_without_printed_grade(g):
    j = one(g, OFS.Judgement)
    g.remove((j, OFS.printedGrade, None))


def break_team_role(g):
    m = one(g, OFS.TeamMembership)
    g.set((m, OFS.inspectorRole, URIRef("https://example.org/tea-maker")))


def break_board_without_authority(g):
    board = URIRef("https://w3id.org/ofsted-kg/id/board/E00000000")
    g.add((board, RDF.type, OFS.SafeguardingBoard))
    g.add((board, RDFS.label, Literal("A board of nowhere")))


VIOLATIONS = {
    break_end_after_published: ("InspectionShape", "end before its report was published"),
    break_start_after_end: ("InspectionShape", "on or before its end date"),
    break_no_dates: ("InspectionShape", "neither was found"),
    break_grade_off_scale: ("GradeWithinFrameworkScale", "not on the grade scale"),
    break_unknown_area: ("JudgementShape", "judgement-area scheme"),
    break_no_overall: ("OneOverallJudgement", "no overall-effectiveness judgement"),
    break_two_overalls: ("OneOverallJudgement", "two overall-effectiveness judgements"),
    break_duplicate_recommendation_number: ("UniqueRecommendationNumbers", "printed twice"),
    break_recommendation_without_text: ("RecommendationShape", "printed text"),
    break_statistic_without_value: ("StatisticShape", "numeric value"),
    break_statistic_without_date: ("StatisticShape", "reference date"),
    break_statistic_without_measure: ("StatisticShape", "what it measures"),
    break_bad_hash: ("SourceDocumentShape", "SHA-256"),
    break_judgement_without_printed_grade: ("JudgementShape", "as printed"),
    break_team_role: ("TeamMembershipShape", "inspector-role scheme"),
    break_board_without_authority: ("SafeguardingBoardShape", "exactly one local authority"),
}


@pytest.mark.parametrize("breaker", list(VIOLATIONS), ids=lambda f: f.__name__)
def test_broken_graph_fails_on_the_expected_shape(breaker):
    g = graph_of(BRISTOL)
    breaker(g)
    outcome = check(g)
    shape, words = VIOLATIONS[breaker]
    assert not outcome.conforms
    assert any(i.shape == f"shapes:{shape}" and words in i.message for i in outcome.violations), \
        [i.line() for i in outcome.violations]


def test_dangling_kpi_reference_is_a_warning_not_a_violation():
    g = graph_of(PLAN)
    action = next(a for a in g.subjects(OFS.ref, Literal("2.5.1")) if (a, RDF.type, OFS.Action) in g)
    g.add((action, OFS.kpiRef, Literal("99")))
    outcome = check(g, PLAN)
    assert outcome.conforms
    kpi = [i.message for i in outcome.warnings if i.shape == "shapes:KpiReferencesResolve"]
    assert kpi == ["Action 2.5.1 cites KPI 99, which the plan does not define."], kpi


def test_kpi_group_reference_resolves_to_its_kpis():
    # Bristol's plan cites "KPI 5" for the group 5a, 5b (and 1 for 1a-1e, ...): no warning
    outcome = check(graph_of(PLAN), PLAN)
    assert not [i for i in outcome.warnings if i.shape == "shapes:KpiReferencesResolve"]
    g = graph_of(PLAN)
    action = next(a for a in g.subjects(OFS.ref, Literal("2.5.1")) if (a, RDF.type, OFS.Action) in g)
    assert {str(o) for k in g.objects(action, OFS.measuredBy) for o in g.objects(k, OFS.ref)} >= {"5a", "5b"}


def test_recommendation_marker_without_recommendation_is_a_warning():
    path = CORPUS / "gloucestershire_2017_SIF-with-LSCB-review.txt"
    g = graph_of(path)
    for r in list(g.subjects(RDF.type, OFS.Recommendation)):
        g.remove((r, OFS.addressedTo, None))
        g.add((r, OFS.addresseeName, Literal("someone else")))
    outcome = check(g, path)
    assert outcome.conforms
    assert any(i.shape == "shapes:RecommendationMarkersResolve" for i in outcome.warnings)


def test_two_figures_for_one_count_is_a_warning():
    g = graph_of(BRISTOL)
    s = next(s for s in g.subjects(RDF.type, OFS.StatisticObservation)
             if g.value(s, OFS.refDateAssumed) is None and g.value(s, OFS.refDate) is not None)
    twin = URIRef(str(s) + "-twin")
    for p, o in g.predicate_objects(s):
        g.add((twin, p, o))
    g.set((twin, OFS.value, Literal("99999", datatype=XSD.decimal)))
    outcome = check(g)
    assert any(i.shape == "shapes:OneFigurePerMeasureAndDate" for i in outcome.warnings)
