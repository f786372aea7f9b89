"""Earlier inspections and leaders' tenures that a SIF report's information block states: each
wording its template prints (copied from reports of the national archive, named beside each)."""
from __future__ import annotations

import datetime as dt

import pytest

from ingest.frameworks.sif_facts import tenure_and_earlier
from ingest.model import Block, Framework, InspectionKind, Report


def _report(*blocks: str) -> Report:
    r = Report(framework=Framework.SIF, kind=InspectionKind.SIF, authority_name="x", title="x",
               start=dt.date(2017, 1, 1), end=dt.date(2017, 1, 2), published=dt.date(2017, 3, 1))
    for i, text in enumerate(blocks):
        tenure_and_earlier(Block(i, "bullet", text), text, r)
    return r


@pytest.mark.parametrize("text, date, grade", [
    # Walsall 2017, South Tyneside 2017, Central Bedfordshire 2017
    ("The previous inspection of the local authority’s services for children looked after was published in "
     "July 2012. The local authority was judged to be adequate.", dt.date(2012, 7, 1), "adequate"),
    # Sandwell 2015, Isle of Wight 2014, Lambeth 2015
    ("The last Ofsted inspection of the local authority’s arrangements for the protection of children was "
     "undertaken in March 2013. The local authority was judged inadequate.", dt.date(2013, 3, 1), "inadequate"),
    # Luton 2016, Wolverhampton 2017
    ("The last inspection of the local authority’s services for children looked after was also in June 2011. "
     "The local authority was judged to be good.", dt.date(2011, 6, 1), "good"),
    # Bury 2016: the adoption service's grade as its "overall quality rating"
    ("The previous inspection of the local authority’s adoption service was in October 2009. The overall "
     "quality rating was satisfactory.", dt.date(2009, 10, 1), "satisfactory"),
    # Knowsley 2017: "in" printed twice
    ("The previous single inspection of local authority services for children in need of help and protection, "
     "children looked after and care leavers was in in April 2014. The overall effectiveness of the local "
     "authority was judged to be inadequate.", dt.date(2014, 4, 1), "inadequate"),
])
def test_an_earlier_inspection_published_undertaken_or_also_in(text, date, grade):
    [earlier] = _report(text).earlier_inspections
    assert (earlier.date, earlier.grade) == (date, grade)


def test_an_earlier_inspection_or_a_tenure_dated_by_its_year_alone_has_no_date():
    # Rochdale 2014, Swindon 2014; Rutland 2017, Kensington and Chelsea 2016, Isles of Scilly 2016
    r = _report("The previous inspection of the local authority’s arrangements for the protection of children "
                "was in 2012. The local authority was judged to be inadequate.",
                "The chief executive has been in post since 2006.")
    assert [(e.date, e.grade, e.kind) for e in r.earlier_inspections] == [(None, "inadequate", "cpi")]
    assert [(t.role, t.since) for t in r.tenures] == [("chief executive", None)]


def test_an_earlier_inspection_graded_by_the_list_of_its_judgements():
    # Lambeth 2018, Manchester 2017, Sandwell 2018, Torbay 2018 (re-inspections)
    lead = ("The last inspection report for the local authority’s children’s services was published in May 2015. "
            "The judgements for the local authority were:")
    r = _report(lead, "Overall effectiveness: Inadequate",
                "Children who need help and protection: Requires improvement to be good")
    assert [(e.date, e.grade) for e in r.earlier_inspections] == [(dt.date(2015, 5, 1), "inadequate")]
    # a list that does not follow the lead-in is not its judgements
    r = _report(lead, "The local authority operates no children’s homes.", "Overall effectiveness: Good")
    assert [(e.date, e.grade) for e in r.earlier_inspections] == [(dt.date(2015, 5, 1), None)]


def test_the_next_earlier_inspection_is_not_the_grade_sentence_of_the_one_before():
    # Trafford 2015: two inspections in one paragraph, each graded in its own sentence
    r = _report("The last inspection of the adoption service was in March 2011 and judged local authority "
                "provision as good. The last inspection of the fostering services was in June 2011 and judged "
                "local authority provision as outstanding.")
    assert [(e.date, e.grade) for e in r.earlier_inspections] == [
        (dt.date(2011, 3, 1), "good"), (dt.date(2011, 6, 1), "outstanding")]



_SLAC = "The previous inspection of the local authority’s services for safeguarding and children looked after was in October 2011."


@pytest.mark.parametrize("text, grade", [
    # Rutland 2017, Shropshire 2017, Barking and Dagenham 2014: two services, two grades, no overall
    (f"{_SLAC} The local authority was judged to be adequate for safeguarding and good for children looked after.",
     None),
    # Nottinghamshire 2015: each service's own overall effectiveness
    ("An inspection of safeguarding and arrangements for looked after children took place in March 2010 and found "
     "overall effectiveness of safeguarding services to be inadequate. The overall effectiveness of services for "
     "looked after children was judged to be adequate.", None),
    # Coventry 2014: the overall grade printed among the services'
    (f"{_SLAC} The local authority was judged to be good for safeguarding, adequate for looked after children’s "
     "services and good for overall effectiveness.", "good"),
    # Norfolk 2018
    (f"{_SLAC} The local authority was judged inadequate in respect of children looked after, care leavers and "
     "overall effectiveness, while adoption and leadership, management and governance were found to require "
     "improvement.", "inadequate"),
    (f"{_SLAC} The local authority was judged to be good for safeguarding and good for children looked after.", "good"),
])
def test_an_earlier_inspection_grading_its_services_apart_has_the_overall_grade_or_none(text, grade):
    [earlier] = _report(text).earlier_inspections
    assert earlier.grade == grade


def test_a_second_post_in_the_same_tenure_sentence():
    # Shropshire 2017, City of London 2016
    r = _report("The council’s chief executive has been in post since November 2012 and the director of "
                "children’s services since April 2013.")
    assert [(t.role, t.since) for t in r.tenures] == [
        ("council’s chief executive", dt.date(2012, 11, 1)), ("director of children’s services", dt.date(2013, 4, 1))]


@pytest.mark.parametrize("order", [1, -1])
def test_a_post_named_again_by_its_year_alone_is_one_tenure(order):
    # Lincolnshire 2015: the findings name the post again, with the year only
    blocks = ("The current Director of Children’s Services has been in post since 2012 and, since that time, "
              "a very solid foundation has been established.",
              "The Director of Children’s Services has been in post since March 2012.",
              "The chief executive has been in post since 2006.")
    r = _report(*blocks[:2][::order], blocks[2])
    assert [(t.role, t.since) for t in r.tenures] == [("Director of Children’s Services", dt.date(2012, 3, 1)),
                                                     ("chief executive", None)]


@pytest.mark.parametrize("grade_sentence, grade", [
    ("Ofsted judged that services were adequate.", "adequate"),          # Kingston upon Thames 2015
    ("The local authority was inadequate.", "inadequate"),               # Norfolk 2015
    ("The local authority was subject to an improvement notice.", None),  # no grade: none read
])
def test_an_earlier_inspections_grade_in_other_wordings(grade_sentence, grade):
    [earlier] = _report("The previous inspection of the local authority’s services for looked after children "
                        f"was in May 2012. {grade_sentence}").earlier_inspections
    assert (earlier.date, earlier.grade) == (dt.date(2012, 5, 1), grade)


def test_an_earlier_inspection_graded_satisfactory_maps_to_the_2007_12_services_scale(bristol):
    # Isle of Wight 2014, Hartlepool 2014, Bury 2016: the scale before 2012 said "satisfactory"
    import dataclasses

    from rdflib import Graph, Literal
    from rdflib.namespace import SKOS

    from core.authorities import register
    from ingest.classify import classify
    from ingest.frameworks import parse
    from ingest.mapping import GRADE, OFS, map_parsed
    from ingest.readers import read
    from tests.ingest.conftest import BRISTOL_SIF

    text = ("The previous inspection of the local authority’s adoption service was in January 2012. "
            "The service was judged to be satisfactory.")
    at = next(i for i, b in enumerate(bristol.blocks) if "in post since" in b.text)
    doc = dataclasses.replace(bristol, blocks=bristol.blocks[:at] + (Block(at, "paragraph", text),)
                              + bristol.blocks[at:])
    parsed = parse(doc, classify(doc).framework)
    [mention] = [e for e in parsed.earlier_inspections
                 if "adoption service" in e.description]
    assert (mention.date, mention.grade) == (dt.date(2012, 1, 1), "satisfactory")
    graph = map_parsed(parsed, read(BRISTOL_SIF), register()).graph
    concept = GRADE["services-2007-satisfactory"]
    assert concept in set(graph.objects(None, OFS.mentionedGrade))
    concepts = Graph().parse(BRISTOL_SIF.parents[1] / "ontology" / "concepts.ttl")
    assert (concept, SKOS.prefLabel, Literal("Satisfactory", lang="en")) in concepts


def test_the_kind_of_an_earlier_inspection_is_written_where_the_report_names_it(original):
    # Bristol 2014: "The last Ofsted inspection of Bristol's safeguarding arrangements and looked
    # after children was in May 2010": a 2009-12 inspection of both (slac)
    from rdflib import Literal

    from core.authorities import register
    from ingest.mapping import OFS, map_parsed
    from ingest.readers import read
    from tests.ingest.conftest import BRISTOL_SIF

    graph = map_parsed(original, read(BRISTOL_SIF), register()).graph
    [mention] = graph.subjects(OFS.mentionedDate, None)
    assert list(graph.objects(mention, OFS.mentionedKind)) == [Literal("slac")]


@pytest.mark.parametrize("text, kept", [
    # this inspection itself (it started in January 2017): by its year alone, without "last"/"previous"
    ("The inspection of the local authority’s services for children was carried out in 2017.", False),
    # dated in the month this one started, or after it: no earlier inspection
    ("The previous inspection of the local authority’s arrangements for the protection of children was in "
     "January 2017. The local authority was judged to be good.", False),
    # the same year, but said to be the last one: kept (without a date)
    ("The last inspection of the local authority’s fostering service was in 2017. It was judged to be good.", True),
    ("The inspection of the local authority’s adoption service was carried out in 2016.", True),
    ("The previous inspection of the local authority’s services for children looked after was in "
     "December 2016. The local authority was judged to be adequate.", True),
])
def test_a_mention_not_before_this_inspection_is_no_earlier_inspection(text, kept):
    assert bool(_report(text).earlier_inspections) == kept
