"""The 2013-18 single inspection framework (SIF + LSCB review) parser, on the three seed reports
(plain text, markdown with HTML tables, plain text with HTML cell fragments) and, when
``../shared/corpus-dev`` is present, on two SIF PDFs."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.frameworks.sif import parse
from ingest.model import Block, Framework, IngestError, InspectionKind
from ingest.normalise import normalise
from ingest.readers import read

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
CORPUS_DEV = ROOT.parent / "shared" / "corpus-dev"
BRISTOL = CORPUS / "bristol_2014_SIF-with-LSCB-review.txt"
BANES = CORPUS / "bath-and-north-east-somerset_2017_SIF-with-LSCB-review.md"
GLOS = CORPUS / "gloucestershire_2017_SIF-with-LSCB-review.txt"


@pytest.fixture(scope="module")
def docs():
    return {p: normalise(read(p)) for p in (BRISTOL, BANES, GLOS)}


@pytest.fixture(scope="module")
def reports(docs):
    return {p: parse(d) for p, d in docs.items()}


def _grades(report):
    return {(j.area, j.subject): j.grade for j in report.judgements}


def _stat(report, measure, unit="count"):
    found = [s for s in report.statistics if s.measure == measure and s.unit == unit]
    assert len(found) == 1, (measure, unit, found)
    return found[0]


# ---------------------------------------------------------------- cover and judgements

@pytest.mark.parametrize("path, name, start, end, published", [
    (BRISTOL, "Bristol City Council", dt.date(2014, 9, 30), dt.date(2014, 10, 22), dt.date(2014, 12, 5)),
    (BANES, "Bath and North East Somerset", dt.date(2017, 4, 24), dt.date(2017, 5, 18), dt.date(2017, 7, 7)),
    (GLOS, "Gloucestershire", dt.date(2017, 2, 27), dt.date(2017, 3, 23), dt.date(2017, 6, 13)),
])
def test_cover(reports, path, name, start, end, published):
    r = reports[path]
    assert (r.framework, r.kind) == (Framework.SIF, InspectionKind.SIF)
    assert r.authority_name == name
    assert (r.start, r.end, r.published) == (start, end, published)
    assert r.title.startswith("Inspection of services for children in need of help and protection")
    assert r.title.endswith("Review of the effectiveness of the Local Safeguarding Children Board")
    assert r.warnings == []


@pytest.mark.parametrize("path, grades", [
    (BRISTOL, ["requires-improvement", "requires-improvement", "requires-improvement", "good", "inadequate",
               "requires-improvement", "requires-improvement"]),
    (BANES, ["good", "requires-improvement", "good", "outstanding", "requires-improvement", "good", "good"]),
    (GLOS, ["inadequate", "inadequate", "requires-improvement", "good", "requires-improvement", "inadequate",
            "requires-improvement"]),
])
def test_judgements(reports, path, grades):
    areas = [("overall-effectiveness", "authority"), ("help-and-protection", "authority"),
             ("children-looked-after", "authority"), ("adoption", "authority"),
             ("care-leavers", "authority"), ("leadership", "authority"), ("lscb", "board")]
    assert _grades(reports[path]) == dict(zip(areas, grades))
    assert len(reports[path].judgements) == 7


def test_printed_wording_and_sources(reports, docs):
    r = reports[BRISTOL]
    by_area = {j.area: j for j in r.judgements}
    assert by_area["adoption"].printed_area == "Adoption performance"
    assert by_area["adoption"].printed_grade == "Good"
    assert by_area["care-leavers"].printed_area == "Experiences and progress of care leavers"
    assert by_area["overall-effectiveness"].printed_grade == "require improvement"
    assert by_area["lscb"].subject == "board"
    for j in r.judgements:
        assert j.grade in docs[BRISTOL].blocks[j.source.block].text.lower().replace(" ", "-") \
            or j.printed_grade in docs[BRISTOL].blocks[j.source.block].text


def test_board_names(reports):
    assert reports[BRISTOL].board_name == "Bristol Safeguarding Children Board"
    assert reports[BANES].board_name == "Bath and North East Somerset Local Safeguarding Children Board"
    assert reports[GLOS].board_name == "Gloucestershire Safeguarding Children Board"


# ---------------------------------------------------------------- recommendations

def test_bristol_recommendations(reports):
    recs = reports[BRISTOL].recommendations
    assert Counter((x.addressee, x.band) for x in recs) == {
        ("authority", "Priority and immediate action"): 9,
        ("authority", "Areas for improvement"): 10,
        ("board", "Areas for improvement"): 13,
    }
    assert [x.order for x in recs] == list(range(1, 33))
    first = recs[0]
    assert (first.number, first.theme) == ("1", "Outcomes for care leavers")
    assert first.text.startswith("Ensure that each care leaver has a pathway plan")
    assert (recs[9].number, recs[9].band, recs[9].theme) == ("10", "Areas for improvement",
                                                             "The quality of social work practice")
    board = [x for x in recs if x.addressee == "board"]
    assert [x.number for x in board] == [str(n) for n in range(126, 139)]
    assert board[0].theme == "Business planning"
    assert board[-1].text.startswith("Implement the domestic violence information sharing protocol")


@pytest.mark.parametrize("path, la, board, first_board", [
    (BANES, 8, 3, ("86", "Strengthen the range of performance information")),
    (GLOS, 19, 6, ("111", "Strengthen the range of performance information")),
])
def test_recommendations_without_bands(reports, path, la, board, first_board):
    recs = reports[path].recommendations
    assert Counter(x.addressee for x in recs) == {"authority": la, "board": board}
    assert all(x.band is None and x.theme is None for x in recs)
    b = next(x for x in recs if x.addressee == "board")
    assert b.number == first_board[0] and b.text.startswith(first_board[1])


def test_recommendation_cut_by_page_break_is_joined(reports):
    rec12 = reports[GLOS].recommendations[11]
    assert rec12.number == "12"
    assert rec12.text.endswith("acted upon to improve outcomes for children.")


# ---------------------------------------------------------------- strengths and findings

def test_strengths(reports):
    s = reports[BRISTOL].strengths
    assert len(s) == 11
    assert s[0].text.startswith("Early help services for children and families are well targeted")
    assert reports[BANES].strengths == [] and reports[GLOS].strengths == []


@pytest.mark.parametrize("path, la, board, first, cites", [
    (BRISTOL, 88, 20, "38", 0),
    (BANES, 77, 17, "9", 11),
    (GLOS, 91, 19, "20", 28),
])
def test_findings(reports, path, la, board, first, cites):
    f = reports[path].findings
    assert Counter(x.subject for x in f) == {"authority": la, "board": board}
    assert f[0].number == first
    assert sum(x.cites_recommendation for x in f) == cites
    assert not any("(Recommendation)" in x.text for x in f)


def test_finding_sections(reports):
    f = {x.number: x for x in reports[BRISTOL].findings}
    assert f["38"].section == "The experiences and progress of children who need help and protection"
    assert f["80"].section == "The graded judgement for adoption performance is that it is good"
    assert f["125"].section == "Leadership, management and governance"
    assert (f["139"].section, f["139"].subject) == ("Inspection judgement about the LSCB", "board")


def test_recommendation_marker_on_its_own_line(reports):
    f = {x.number: x for x in reports[GLOS].findings}
    assert f["109"].cites_recommendation           # "(Recommendation)" printed on the next line
    assert f["26"].cites_recommendation and not f["20"].cites_recommendation
    # a paragraph cut by a page break at a sentence end stays with its number
    assert "The quality of visits to children is too variable" in f["37"].text


# ---------------------------------------------------------------- statistics

def test_bristol_statistics(reports):
    r = reports[BRISTOL]
    cin = _stat(r, "children-in-need")
    assert (cin.value, cin.date, cin.earlier_value, cin.earlier_date) == (
        Decimal(3500), dt.date(2014, 9, 30), Decimal(3712), dt.date(2013, 3, 31))
    cla = _stat(r, "children-looked-after")
    assert (cla.value, cla.earlier_value) == (Decimal(696), Decimal(719))
    rate = _stat(r, "children-looked-after", "per-10000")
    assert (rate.value, rate.earlier_value, rate.earlier_date) == (Decimal(77), Decimal(82), dt.date(2013, 3, 31))
    fsm = _stat(r, "free-school-meals-primary-schools", "percent")
    assert (fsm.value, fsm.comparator, fsm.comparator_value) == (Decimal(22), "national average", Decimal(18))
    assert fsm.label.startswith("The proportion of children entitled to free school meals: in primary")
    assert _stat(r, "adoptions").value == 46
    assert _stat(r, "adoptions").period == "In the last 12 months"
    assert _stat(r, "special-guardianship-orders").value == 44
    assert _stat(r, "ceased-looked-after-returned", "percent").value == 6
    assert _stat(r, "ceased-looked-after-multiple-occupation").value == 5      # "five"
    assert _stat(r, "children-looked-after-out-of-area", "percent").value == 36
    assert _stat(r, "children-looked-after-childrens-homes-out-of-area").value == 10   # "ten"
    assert _stat(r, "minority-ethnic-children", "percent").comparator_value == 22
    assert _stat(r, "children-population").value == 90500
    assert _stat(r, "privately-fostered-children").earlier_value == 17
    assert _stat(r, "serious-case-reviews").value == 5
    assert len(r.statistics) == 35
    # years, ages ("under the age of 18 years") and "aged four" are not statistics
    assert not any(s.value in (Decimal(2003), Decimal(2013)) for s in r.statistics)
    assert [s.value for s in r.statistics if s.value == 18] == [Decimal(18)]    # "of whom 18 (6%)"
    assert not any(s.value == 4 and s.unit == "count" for s in r.statistics)


def test_banes_statistics(reports):
    r = reports[BANES]
    cin = _stat(r, "children-in-need")
    assert (cin.value, cin.earlier_value, cin.earlier_date) == (Decimal(1008), Decimal(1081), dt.date(2016, 3, 31))
    pf = _stat(r, "privately-fostered-children")       # "one child ... consistent with the number at"
    assert (pf.value, pf.earlier_value, pf.earlier_date) == (Decimal(1), Decimal(1), dt.date(2016, 3, 31))
    assert _stat(r, "children-looked-after-out-of-area", "percent").value == Decimal("59.4")
    assert _stat(r, "children-looked-after-childrens-homes").value == 7
    assert _stat(r, "children-in-poverty", "percent").date == dt.date(2014, 8, 31)
    assert _stat(r, "children-looked-after", "per-10000").earlier_value == 42


def test_glos_statistics(reports):
    r = reports[GLOS]
    cla = _stat(r, "children-looked-after")
    assert (cla.value, cla.date, cla.earlier_value) == (Decimal(604), dt.date(2017, 2, 28), Decimal(549))
    assert _stat(r, "free-school-meals-primary-schools", "percent").value == Decimal("10.83")
    # bullets after the footnote that cut the "In the past 12 months:" list stay in that list
    returned = _stat(r, "ceased-looked-after-returned", "percent")
    assert (returned.value, returned.period) == (Decimal(7), "In the past 12 months")
    assert _stat(r, "ceased-looked-after-multiple-occupation").value == 0          # "no children"
    assert _stat(r, "serious-case-reviews-ongoing").value == 2


def test_statistics_have_sources(reports, docs):
    for path, r in reports.items():
        for s in r.statistics:
            assert docs[path].blocks[s.source.block].kind == "bullet"


# ---------------------------------------------------------------- team, tenures, earlier inspections

def test_team(reports):
    bristol = reports[BRISTOL].team
    assert (bristol[0].role, bristol[0].name) == ("lead inspector", "Robert Hackeson")
    assert [m.name for m in bristol if m.role == "team inspector"] == [
        "Gary Lamb", "Carmen Rodney", "Susan Myers", "Sarah Urding", "Chris Luke", "Dominic Porter-Moore"]
    banes = {(m.role, m.name) for m in reports[BANES].team}
    assert ("lead inspector", "Donna Marriott") in banes
    assert ("shadow inspector", "Steve Lowe") in banes
    assert ("quality assurance manager", "Nicholas McMullen") in banes
    assert not any("HMI" in m.name for m in reports[BANES].team)
    assert len(reports[BANES].team) == 10
    assert reports[GLOS].team[0].name == "Emmy Tomsett"
    assert ("regulatory inspector", "Linda Bond") in {(m.role, m.name) for m in reports[GLOS].team}


def test_tenures(reports):
    assert [(t.role, t.since) for t in reports[BRISTOL].tenures] == [
        ("City Director", dt.date(2013, 5, 1)),
        ("Strategic Director for People", dt.date(2014, 1, 1)),
        ("chair of the LSCB", dt.date(2014, 9, 1)),
    ]
    assert ("director of children's services", dt.date(2016, 9, 1)) in \
        [(t.role, t.since) for t in reports[BANES].tenures]
    assert [t.since for t in reports[GLOS].tenures] == [
        dt.date(2011, 8, 1), dt.date(2005, 5, 1), dt.date(2014, 6, 1)]


def test_earlier_inspections(reports):
    banes = reports[BANES].earlier_inspections
    assert [(e.date, e.grade) for e in banes] == [(dt.date(2013, 3, 1), "adequate"), (dt.date(2012, 1, 1), "good")]
    assert banes[0].description.startswith("The last inspection of the local authority's arrangements")
    assert banes[0].kind == "cpi"
    bristol = reports[BRISTOL].earlier_inspections
    assert [(e.date, e.grade, e.kind) for e in bristol] == [(dt.date(2010, 5, 1), "good", "slac")]
    assert [e.date for e in reports[GLOS].earlier_inspections] == [dt.date(2012, 2, 1), dt.date(2010, 11, 1)]


# ---------------------------------------------------------------- structure missing or inconsistent

def _without(doc, drop):
    return dataclasses.replace(doc, blocks=tuple(b for b in doc.blocks if not drop(b)))


def test_missing_judgement_table_raises(docs):
    doc = docs[BRISTOL]
    broken = _without(doc, lambda b: b.index < 14 and b.kind == "table-row")
    with pytest.raises(IngestError, match="judgement table"):
        parse(broken)


def test_missing_overall_judgement_raises(docs):
    broken = _without(docs[GLOS], lambda b: b.text.startswith("Children's services in Gloucestershire"))
    with pytest.raises(IngestError, match="overall judgement"):
        parse(broken)


def test_conflicting_duplicate_tables_raise(docs):
    doc = docs[BANES]
    extra = Block(9999, "table-row", "2.1 Adoption performance Good", cells=("2.1 Adoption performance", "Good"))
    blocks = list(doc.blocks)
    blocks.insert(12, extra)
    with pytest.raises(IngestError, match="disagree"):
        parse(dataclasses.replace(doc, blocks=tuple(blocks)))


def test_section_disagreeing_with_cover_warns(docs):
    doc = docs[BRISTOL]
    blocks = [dataclasses.replace(b, text=b.text.replace("that it is good", "that it is inadequate"))
              if b.text == "The graded judgement for adoption performance is that it is good" else b
              for b in doc.blocks]
    r = parse(dataclasses.replace(doc, blocks=tuple(blocks)))
    assert {j.area: j.grade for j in r.judgements}["adoption"] == "good"
    assert len(r.warnings) == 1 and "Adoption performance" in r.warnings[0]


def test_not_a_sif_report_raises(docs):
    doc = docs[BRISTOL]
    with pytest.raises(IngestError):
        parse(dataclasses.replace(doc, blocks=doc.blocks[150:]))


# ---------------------------------------------------------------- PDFs (development corpus)

@pytest.fixture(scope="module")
def pdf_reports():
    cache = {}

    def load(name):
        path = CORPUS_DEV / name
        if not path.exists():
            pytest.skip(f"{path} absent: ../shared/corpus-dev is only on development machines and CI")
        pytest.importorskip("ingest.readers.pdf", reason="the PDF reader is not in this checkout")
        if name not in cache:
            cache[name] = parse(normalise(read(path)))
        return cache[name]
    return load


def test_warwickshire_pdf(pdf_reports):
    r = pdf_reports("warwickshire_2017_SIF.pdf")
    assert (r.authority_name, r.start, r.end, r.published) == (
        "Warwickshire", dt.date(2017, 5, 2), dt.date(2017, 5, 25), dt.date(2017, 7, 14))
    # the cover row "2. Children looked after and achieving / Requires improvement / permanence"
    # wraps its grade into the label
    assert _grades(r) == {(a, "authority"): "requires-improvement" for a in (
        "overall-effectiveness", "help-and-protection", "children-looked-after", "care-leavers",
        "leadership")} | {("adoption", "authority"): "good", ("lscb", "board"): "requires-improvement"}
    assert by_area(r)["overall-effectiveness"].printed_grade == "require improvement to be good"
    assert r.board_name == "Warwickshire Safeguarding Children Board"
    assert Counter(x.addressee for x in r.recommendations) == {"authority": 12, "board": 4}
    assert [x.number for x in r.recommendations if x.addressee == "board"] == [None] * 4   # bullets
    assert Counter(x.subject for x in r.findings) == {"authority": 99, "board": 16}
    assert sum(x.cites_recommendation for x in r.findings) == 23
    # the leadership section row is wrapped over two PDF lines
    assert {x.section for x in r.findings} >= {"Leadership, management and governance"}
    cla = _stat(r, "children-looked-after", "per-10000")
    assert (cla.value, cla.earlier_value, cla.earlier_date) == (Decimal(62), Decimal("68.1"), dt.date(2016, 3, 31))
    assert _stat(r, "ceased-looked-after-returned", "percent").value == Decimal("2.8")
    assert (r.team[0].role, r.team[0].name) == ("lead inspector", "Peter McEntee")
    assert len([m for m in r.team if m.role == "team inspector"]) == 8
    assert [(t.role, t.since) for t in r.tenures][0] == ("interim director of children’s services",
                                                         dt.date(2015, 1, 5))
    assert [(e.date, e.grade) for e in r.earlier_inspections] == [(dt.date(2011, 10, 1), "good")] * 2
    assert r.warnings == []


def test_nottinghamshire_pdf(pdf_reports):
    r = pdf_reports("nottinghamshire_2015_SIF.pdf")
    assert (r.authority_name, r.start, r.end, r.published) == (
        "Nottinghamshire County Council", dt.date(2015, 5, 11), dt.date(2015, 6, 4), dt.date(2015, 7, 20))
    grades = _grades(r)
    assert grades.pop(("care-leavers", "authority")) == "requires-improvement"
    assert set(grades.values()) == {"good"} and len(grades) == 6
    assert Counter(x.addressee for x in r.recommendations) == {"authority": 11, "board": 4}
    assert Counter(x.subject for x in r.findings) == {"authority": 127, "board": 25}
    assert _stat(r, "children-in-need").earlier_value == 4930
    assert [(e.date, e.grade, e.kind) for e in r.earlier_inspections] == [
        (dt.date(2010, 3, 1), None, "slac"), (dt.date(2011, 9, 1), "adequate", "cpi")]
    assert "Sean Tarpey" in [m.name for m in r.team] and not any("HMI" in m.name for m in r.team)
    assert r.warnings == []


def by_area(report):
    return {j.area: j for j in report.judgements}
