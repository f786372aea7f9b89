"""The 2009-12 safeguarding and looked after children parser, on the Bradford 2012 seed report."""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.frameworks.slac_2009 import parse
from ingest.model import Framework, IngestError, InspectionKind
from ingest.normalise import normalise
from ingest.readers import read

SEED = Path(__file__).resolve().parents[2] / "corpus" / "bradford_2012_safeguarding-and-looked-after-children.txt"

GRADES = {
    "safeguarding/overall-effectiveness": "good",
    "safeguarding/capacity-for-improvement": "good",
    "safeguarding/safe-and-feel-safe": "good",
    "safeguarding/quality-of-provision": "adequate",
    "safeguarding/health-contribution": "good",
    "safeguarding/ambition-and-prioritisation": "good",
    "safeguarding/leadership-and-management": "good",
    "safeguarding/performance-management": "good",
    "safeguarding/partnership-working": "outstanding",
    "safeguarding/equality-and-diversity": "good",
    "looked-after/overall-effectiveness": "good",
    "looked-after/capacity-for-improvement": "good",
    "looked-after/being-healthy": "good",
    "looked-after/staying-safe": "good",
    "looked-after/enjoying-and-achieving": "adequate",
    "looked-after/positive-contribution": "good",
    "looked-after/economic-wellbeing": "good",
    "looked-after/quality-of-provision": "good",
    "looked-after/ambition-and-prioritisation": "adequate",
    "looked-after/leadership-and-management": "good",
    "looked-after/performance-management": "good",
    "looked-after/equality-and-diversity": "good",
}


@pytest.fixture(scope="module")
def doc():
    return normalise(read(SEED))


@pytest.fixture(scope="module")
def report(doc):
    return parse(doc)


def test_cover(report):
    assert report.framework is Framework.SLAC_2009
    assert report.kind is InspectionKind.SLAC
    assert report.title == "Inspection of safeguarding and looked after children services"
    assert report.authority_name == "City of Bradford Metropolitan District Council"
    assert (report.start, report.end) == (dt.date(2012, 5, 8), dt.date(2012, 5, 18))
    assert report.published == dt.date(2012, 6, 27)
    assert [(m.name, m.role) for m in report.team] == [("Sheena Doyle", "lead inspector")]
    assert report.team[0].source.block == 3


def test_all_22_judgements(report):
    assert {j.area: j.grade for j in report.judgements} == GRADES
    assert len(report.judgements) == 22
    for j in report.judgements:
        assert j.service == j.area.split("/")[0]
        assert j.source.block is not None


def test_section_grade_is_the_source_and_table_fills_gaps(report):
    by_area = {j.area: j for j in report.judgements}
    overall = by_area["safeguarding/overall-effectiveness"]
    assert (overall.printed_area, overall.printed_grade) == ("Overall effectiveness", "Grade 2 (Good)")
    health = by_area["safeguarding/health-contribution"]      # grade printed inline after the heading
    assert health.printed_area == "The contribution of health agencies to keeping children and young people safe"
    assert health.printed_grade == "Grade 2 (Good)"
    assert by_area["safeguarding/partnership-working"].printed_grade == "Grade 1 (Outstanding)"
    # equality and diversity has no section of its own: it comes from the record of main findings
    assert by_area["looked-after/equality-and-diversity"].printed_grade == "Good"
    assert by_area["looked-after/equality-and-diversity"].source.block > by_area[
        "safeguarding/equality-and-diversity"].source.block


def test_stray_service_heading_in_table_is_reported_not_followed(report):
    stray = [w for w in report.warnings if "sits inside the safeguarding part" in w]
    assert len(stray) == 1 and "Ambition and prioritisation" in stray[0]
    assert not any("differs" in w for w in report.warnings)


def test_disagreement_keeps_section_grade_and_warns(doc):
    blocks = list(doc.blocks)
    i = next(i for i, b in enumerate(blocks) if b.kind == "table-row" and b.cells == ("Partnership working", "Outstanding"))
    blocks[i] = dataclasses.replace(blocks[i], cells=("Partnership working", "Adequate"),
                                    text="Partnership working Adequate")
    report = parse(dataclasses.replace(doc, blocks=tuple(blocks)))
    assert {j.area: j.grade for j in report.judgements}["safeguarding/partnership-working"] == "outstanding"
    assert any("partnership-working" in w and "kept the section grade" in w for w in report.warnings)


def test_recommendations_by_service_and_band(report):
    recs = report.recommendations
    assert [r.order for r in recs] == list(range(1, 23))
    assert all(r.number is None for r in recs)
    counts = {}
    for r in recs:
        counts[(r.theme, r.band)] = counts.get((r.theme, r.band), 0) + 1
    assert counts == {
        ("Safeguarding services", "Immediately"): 3,
        ("Safeguarding services", "Within three months"): 6,
        ("Safeguarding services", "Within six months"): 3,
        ("Services for looked after children", "Immediately"): 2,
        ("Services for looked after children", "Within three months"): 6,
        ("Services for looked after children", "Within six months"): 2,
    }
    assert recs[0].text.startswith("health commissioners, together with Bradford District Council")
    assert recs[5].text.startswith("ensure that children and young people's views are routinely")
    assert recs[9].text.startswith("ensure that all children and young people have access to independent")
    assert recs[12].text.startswith("health commissioners together with Bradford District Care Trust")
    assert recs[12].text.endswith("maintain good health and well-being")   # joined across a page break
    assert recs[20].text.startswith("develop mechanisms to continuously count")


def test_health_partner_addressees(report):
    addressees = [r.addressee for r in report.recommendations]
    assert addressees[2] == "Bradford District Care Trust"
    assert addressees[13] == "Bradford District Care Trust"
    assert addressees[0] == addressees[3] == addressees[14] == "health commissioners"
    assert addressees[5:12] == ["authority"] * 7
    assert addressees[15:] == ["authority"] * 7


def test_findings(report):
    numbers = [f.number for f in report.findings]
    assert numbers == [str(n) for n in range(1, 140)]
    by_number = {f.number: f for f in report.findings}
    assert by_number["73"].section == "Partnership working"
    assert by_number["73"].text.startswith("Partnership work across Bradford district is outstanding.")
    assert by_number["46"].section.startswith("The contribution of health agencies")
    assert "PCT is a key driver" in by_number["46"].text   # continued after a page break


def test_statistics(report):
    stats = {(s.measure, s.value): s for s in report.statistics}
    lac = stats[("looked-after-children-and-young-people", Decimal(900))]
    assert lac.unit == "count" and lac.date == dt.date(2012, 5, 8)
    assert ("foster-carers", Decimal(526)) in stats
    assert ("children-s-homes", Decimal(9)) in stats
    cp = [s for s in report.statistics if s.value == 363]
    assert len(cp) == 1 and "child-protection" in cp[0].measure
    population = [s for s in report.statistics if s.value == Decimal("129500")]
    assert population and population[0].unit == "count"
    assert all(s.source.paragraph in {"4", "5", "6", "7", "8", "9"} for s in report.statistics)


def test_earlier_inspection(report):
    [earlier] = report.earlier_inspections
    assert "unannounced inspection" in earlier.description
    assert "contact, referral and assessment" in earlier.description
    assert earlier.date == dt.date(2010, 11, 1)


def test_no_judgements_is_an_ingest_error(doc):
    stripped = tuple(b for b in doc.blocks if "Grade" not in b.text and
                     not (b.kind == "table-row" and b.cells[-1] in ("Good", "Adequate", "Outstanding")))
    with pytest.raises(IngestError, match="no graded judgements"):
        parse(dataclasses.replace(doc, blocks=stripped))
