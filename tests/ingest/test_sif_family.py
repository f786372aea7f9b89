"""SIF-family reports of Ofsted's national archive (../shared/corpus-national): a stratified
sample of the printings the parsers must read, each checked against what the PDF prints (and,
for grades, against Ofsted's official 2023 underlying-data spreadsheet).

Reading a PDF takes one to three seconds, so these tests are marked slow; they skip when
../shared is absent.
"""
from __future__ import annotations

import datetime as dt

import pytest

from core.authorities import register
from ingest.classify import classify
from ingest.frameworks import parse
from ingest.mapping import map_parsed
from ingest.normalise import normalise
from ingest.readers import read
from ingest.register_graph import authorities_subgraph
from ingest.validate import validate
from tests.conftest import shared_or_skip

pytestmark = pytest.mark.slow

RI, GOOD, INADEQUATE, OUTSTANDING = "requires-improvement", "good", "inadequate", "outstanding"
D = dt.date


@pytest.fixture(scope="module")
def national():
    """Read, parse, map and validate one national PDF (once per module)."""
    cache = {}

    def load(name):
        if name not in cache:
            path = shared_or_skip("corpus-national", "inspections", name)
            raw = read(str(path))
            doc = normalise(raw)
            report = parse(doc, classify(doc).framework)
            mapped = map_parsed(report, raw, register())
            outcome = validate(mapped.graph, authorities_subgraph(mapped.external_iris))
            assert outcome.conforms, [v.message for v in outcome.violations]
            cache[name] = report
        return cache[name]
    return load


def grades(report):
    return {j.area: j.grade for j in report.judgements}


def test_early_2014_cover_worded_the_overall_judgement_is(national):
    r = national("80426_barnsley_2014-08-08.pdf")
    assert (r.kind.value, r.start, r.end, r.published) == ("sif", D(2014, 6, 2), D(2014, 6, 25), D(2014, 8, 8))
    # "Requires" printed on the line above each row whose cell says "improvement"
    assert grades(r) == {"overall-effectiveness": RI, "help-and-protection": RI, "children-looked-after": RI,
                         "adoption": RI, "care-leavers": GOOD, "leadership": RI, "lscb": RI}
    # the LSCB is judged in "The Local Safeguarding Children Board (LSCB) requires improvement"
    assert {x.addressee for x in r.recommendations} == {"authority", "board"}
    # its strengths and the LSCB's key strengths are not recommendations
    assert not any(x.text.startswith("When children are at risk of immediate harm") for x in r.recommendations)
    assert len(r.recommendations) == 32


def test_grade_cell_wrapped_above_and_below_its_label(national):
    r = national("80461_devon_2015-05-12.pdf")
    # "Requires" / "1. Children who need help and protection" / "Improvement"
    assert grades(r) == {"overall-effectiveness": RI, "help-and-protection": RI, "children-looked-after": RI,
                         "adoption": GOOD, "care-leavers": INADEQUATE, "leadership": RI, "lscb": INADEQUATE}


def test_label_wrapped_around_its_grade(national):
    # "2. Children looked after and achieving" / "Good" / "permanence"
    assert grades(national("80539_portsmouth_2014-09-01.pdf"))["children-looked-after"] == GOOD
    # "Requires improvement to" / "1. Children who need help and protection be good": never Good
    r = national("80526_north-east-lincolnshire_2017-09-25.pdf")
    help_ = next(j for j in r.judgements if j.area == "help-and-protection")
    assert (help_.grade, help_.printed_grade) == (RI, "Requires improvement to be good")
    assert grades(r)["overall-effectiveness"] == GOOD


def test_not_judged_is_no_grade_and_says_so(national):
    r = national("80450_london-corporation_2016-09-20.pdf")
    assert "adoption" not in grades(r)
    assert r.not_judged == ["adoption"]
    assert grades(r)["leadership"] == OUTSTANDING


def test_numeric_dates(national):
    r = national("80512_redbridge_2016-11-25.pdf")
    assert (r.start, r.end, r.published) == (D(2016, 9, 12), D(2016, 10, 6), D(2016, 11, 25))


def test_second_visit_extends_the_inspection_and_bands_follow_strengths(national):
    r = national("80551_sheffield_2014-02-21.pdf")
    # "Inspection dates: 19 November-11 December 2013 and 28 – 30 January 2014"; no publication line
    assert (r.start, r.end, r.published) == (D(2013, 11, 19), D(2014, 1, 30), None)
    assert grades(r)["lscb"] == GOOD          # "The effectiveness of the LSCB is good"
    rec = next(x for x in r.recommendations if x.number == "27")
    # its three sub-bullets stay inside it
    assert rec.text.count("\n• ") == 3 and rec.text.endswith("reduce fixed-term exclusions.")
    lead = [m.name for m in r.team if m.role == "lead inspector"]
    team = [m.name for m in r.team if m.role == "team inspector"]
    assert lead == ["Sarah Urding"]
    assert team[:2] == ["Brendan Parkinson", "Nigel Parkes"] and team[-1] == "Janet Fraser"


def test_board_named_in_its_judgement(national):
    # "The effectiveness of the Swindon Safeguarding Children Board (SSCB) is good."
    assert grades(national("80568_swindon_2014-05-23.pdf"))["lscb"] == GOOD


@pytest.mark.parametrize("name,start,end,want", [
    ("80418_norfolk_2018-01-19.pdf", D(2017, 11, 13), D(2017, 11, 24),
     {"overall-effectiveness": RI, "help-and-protection": RI, "children-looked-after": RI,
      "adoption": OUTSTANDING, "care-leavers": RI, "leadership": RI}),
    ("80572_torbay_2018-08-24.pdf", D(2018, 6, 11), D(2018, 7, 5),
     {"overall-effectiveness": INADEQUATE, "help-and-protection": INADEQUATE, "children-looked-after": RI,
      "adoption": GOOD, "care-leavers": RI, "leadership": INADEQUATE}),
])
def test_sif_reinspections(national, name, start, end, want):
    r = national(name)
    assert (r.framework.value, r.kind.value, r.start, r.end) == ("sif", "sif-reinspection", start, end)
    assert grades(r) == want


def test_lac_2013(national):
    r = national("80522_medway_2013-08-23.pdf")
    assert (r.framework.value, r.kind.value, r.authority_name) == ("lac-2013", "lac", "Medway Council")
    assert (r.start, r.end, r.published) == (D(2013, 7, 15), D(2013, 7, 19), D(2013, 8, 23))
    assert grades(r) == {"looked-after/overall-effectiveness": INADEQUATE,
                         "looked-after/capacity-for-improvement": "adequate",
                         "looked-after/outcomes": INADEQUATE,
                         "looked-after/quality-of-provision": INADEQUATE,
                         "looked-after/leadership-and-management": INADEQUATE}
    assert [m.name for m in r.team] == ["Sarah Urding"]
    assert len(r.recommendations) == 15 and r.recommendations[0].band == "Immediately"
    assert r.warnings == []


def test_number_opening_a_wrapped_line_is_no_paragraph(national):
    r = national("80462_doncaster_2015-11-27.pdf")
    # "... reduce demand for residential places from 66 to" / "44. It remains unclear ..."
    numbers = [f.number for f in r.findings if f.subject == "authority"]
    assert numbers.count("44") == 1
    f68 = next(f for f in r.findings if f.number == "68")
    assert f68.text.endswith("from 66 to 44. It remains unclear how it is going to achieve this "
                             "reduction, which is a potential weakness.")
