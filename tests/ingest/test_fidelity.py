"""Text-fidelity rules shared by every framework: paragraph numbering, wrapped grade cells,
inspection teams, numbers written in words, and dates that are no dates (issue 10 item 2,
issue 13 item 6). Each case is a wording taken from a real report."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from ingest.frameworks import check_dates
from ingest.frameworks.sif_cover import grades_from_words
from ingest.frameworks.sif_facts import team_line
from ingest.frameworks.sif_statistics import statistics
from ingest.model import Block, Document, Framework, IngestError, InspectionKind, RawDocument, Report
from ingest.normalise import normalise
from ingest.prepare import prepare


def blocks(text: str):
    return normalise(RawDocument("x.txt", "text/plain", "0", text)).blocks


def report(**dates) -> Report:
    return Report(Framework.SIF, InspectionKind.SIF, "Bristol City Council", "t",
                  dates.get("start"), dates.get("end"), dates.get("published"))


# ---------------------------------------------------------------- paragraph numbers


def test_number_out_of_sequence_is_a_wrapped_line():
    bs = blocks("68. The trust aims to reduce demand for residential places from 66 to\n"
                "44. It remains unclear how.\n69. The next paragraph.")
    assert [(b.number, b.text) for b in bs] == [
        ("68", "The trust aims to reduce demand for residential places from 66 to 44. It remains unclear how."),
        ("69", "The next paragraph.")]


def test_number_in_sequence_after_a_line_cut_mid_phrase_is_a_wrapped_line():
    bs = blocks("10. Meetings are held for pupils in Years 10 and\n11. These meetings are well attended.\n"
                "11. A new paragraph.")
    assert [b.number for b in bs] == ["10", "11"]
    assert bs[0].text.endswith("in Years 10 and 11. These meetings are well attended.")


def test_paragraph_numbers_in_sequence_stay_paragraphs():
    bs = blocks("1. First.\n2. Second ends without a stop\n3. Third.\n1. A new section restarts.")
    assert [b.number for b in bs] == ["1", "2", "3", "1"]


def test_figure_opening_a_wrapped_line_joins_its_sentence():
    bs = blocks("The number of children looked after by the local authority has risen sharply over the last "
                "year, and again in the months before the inspection, from\n281 in 2014 to 300.")
    assert len(bs) == 1 and "from 281 in 2014" in bs[0].text


# ---------------------------------------------------------------- wrapped grade cells


@pytest.mark.parametrize("words,grades", [
    ("Requires improvement to be good", ["Requires improvement to be good"]),
    ("Requires improvement to be good Good", ["Requires improvement to be good", "Good"]),
    ("Requires Improvement Requires Improvement Good", ["Requires Improvement", "Requires Improvement", "Good"]),
    ("REQUIRES IMPROVEMENT INADEQUATE", ["REQUIRES IMPROVEMENT", "INADEQUATE"]),
    ("Good Not judged Outstanding", ["Good", "Not judged", "Outstanding"]),
])
def test_grade_words_read_as_whole_grades(words, grades):
    assert grades_from_words(words.split()) == grades


# ---------------------------------------------------------------- teams


def _team(*lines: str):
    r = report()
    for i, line in enumerate(lines):
        team_line(Block(i, "paragraph", line), line, r)
    return [(m.name, m.role) for m in r.team]


def test_team_lines_split_into_people():
    assert _team("Lead inspector: Mary Candlin HMI", "Deputy lead inspector Dominic Stevens HMI",
                 "Team inspectors: Peter McEntee HMI, Linda Steele HMI and Nigel Parkes AI",
                 "Shadow inspector: N/A", "Senior data analyst: Not applicable",
                 "Quality assurance manager: John Gregg, Senior Her Majesty’s Inspector") == [
        ("Mary Candlin", "lead inspector"), ("Dominic Stevens", "deputy lead inspector"),
        ("Peter McEntee", "team inspector"), ("Linda Steele", "team inspector"),
        ("Nigel Parkes", "team inspector"), ("John Gregg", "quality assurance manager")]


def test_team_list_wrapped_and_followed_by_a_heading():
    assert _team("Team inspectors: Helen Cawston, Peter McEntee,", "Graham Tilby and Aelwyn Pugh",
                 "Children living in this area") == [
        ("Helen Cawston", "team inspector"), ("Peter McEntee", "team inspector"),
        ("Graham Tilby", "team inspector"), ("Aelwyn Pugh", "team inspector")]


def test_two_roles_on_one_line():
    assert _team("Team inspectors: Cath McEvoy, Margaret Farrow. Shadow inspector: Anne-Marie Born") == [
        ("Cath McEvoy", "team inspector"), ("Margaret Farrow", "team inspector"),
        ("Anne-Marie Born", "shadow inspector")]


# ---------------------------------------------------------------- number words


def _stats(text: str):
    return [(s.measure, s.value, s.earlier_value) for s in
            statistics([Block(0, "bullet", text, level=1)], re.compile("in post since"))]


def test_number_words_read_whole():
    assert _stats("At 31 March 2015, two hundred and eighty-one children were looked after by the local "
                  "authority.") == [("children-looked-after", 281, None)]


def test_a_slight_increase_is_never_a_figure():
    assert _stats("At 31 March 2015, 20 children were looked after by the local authority. This is a slight "
                  "increase from 18 children at 31 March 2014.") == [("children-looked-after", 20, 18)]
    assert _stats("There has been a slight increase in the number of children on a plan.") == []


# ---------------------------------------------------------------- dates


def test_date_after_today_refuses_the_report():
    doc = Document(RawDocument("late.pdf", "application/pdf", "0", ""), ())
    check_dates(doc, report(start=dt.date(2014, 9, 30), published=dt.date(2014, 12, 5)))
    with pytest.raises(IngestError, match=r"late.pdf: publication date 2031-12-05 is after today"):
        check_dates(doc, report(start=dt.date(2014, 9, 30), published=dt.date(2031, 12, 5)))
    with pytest.raises(IngestError, match="inspection start date 2026-03-02 is after today"):
        check_dates(doc, report(start=dt.date(2026, 3, 2)), today=dt.date(2026, 3, 1))


def test_plan_issued_after_today_is_refused():
    from ingest.model import ImprovementPlan
    doc = Document(RawDocument("plan.txt", "text/plain", "0", ""), ())
    plan = ImprovementPlan(Framework.IMPROVEMENT_PLAN, "Bristol City Council", "Getting to Good",
                           dt.date(2016, 9, 1), "1.3", "2016 - 2017", None)
    check_dates(doc, plan)
    plan.issued = dt.date(2036, 9, 1)
    with pytest.raises(IngestError, match="plan issue date 2036-09-01 is after today"):
        check_dates(doc, plan)


SIF_COVER = """Bristol City Council
Inspection of services for children in need of help and protection, children looked after and care leavers
Inspection date: {dates}
Report published: {published}
Children's services in Bristol require improvement to be good
1. Children who need help and protection\tRequires improvement
2. Children looked after and achieving permanence\tRequires improvement
2.1 Adoption performance\tGood
2.2 Experiences and progress of care leavers\tRequires improvement
3. Leadership, management and governance\tRequires improvement
Contents
"""


@pytest.mark.parametrize("dates,published,quoted", [
    ("30 September 2014 to 22 October 2014", "31 February 2015", "31 February 2015"),
    ("30 September 2014 to 22 October 2014", "5 Octember 2014", "5 Octember 2014"),
    ("30 September 2014 to 45 October 2014", "5 December 2014", "45 October 2014"),
    ("30/09/2014 to 22/13/2014", "5 December 2014", "22/13/2014"),
])
def test_impossible_printed_date_refuses_the_document_quoting_it(tmp_path, dates, published, quoted):
    path = tmp_path / "bristol.txt"
    path.write_text(SIF_COVER.format(dates=dates, published=published))
    with pytest.raises(IngestError) as err:
        prepare(str(path))
    assert quoted in str(err.value) and str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_future_publication_refuses_the_document(tmp_path):
    path = tmp_path / "bristol.txt"
    path.write_text(SIF_COVER.format(dates="30 September 2014 to 22 October 2014", published="5 December 2099"))
    with pytest.raises(IngestError, match="publication date 2099-12-05 is after today"):
        prepare(str(path))


# ---------------------------------------------------------------- SIF cover variants

CAPITALS_COVER = """Bristol City Council
Inspection of services for children in need of help and protection, children looked after and care leavers
Inspection date: 30 September 2014 to 22 October 2014
Report published: 5 December 2014
The overall judgement is requires improvement
Children who need help and protection\tREQUIRES IMPROVEMENT
Children looked after and achieving permanence\tGOOD
Adoption performance\tNot judged
Experiences and progress of care leavers\tGOOD
Leadership, management and governance\tREQUIRES
IMPROVEMENT TO BE GOOD
The effectiveness of the Local Safeguarding Children Board (LSCB) is
inadequate
Contents
"""


def test_cover_in_capitals_without_row_numbers(tmp_path):
    from ingest.frameworks import sif
    from ingest.readers import read
    path = tmp_path / "capitals.txt"
    path.write_text(CAPITALS_COVER)
    r = sif.parse(normalise(read(str(path))))
    assert [(j.area, j.grade) for j in r.judgements] == [
        ("overall-effectiveness", "requires-improvement"), ("help-and-protection", "requires-improvement"),
        ("children-looked-after", "good"), ("care-leavers", "good"), ("leadership", "requires-improvement"),
        ("lscb", "inadequate")]
    assert r.not_judged == ["adoption"]
    assert next(j for j in r.judgements if j.area == "leadership").printed_grade == \
        "REQUIRES IMPROVEMENT TO BE GOOD"


@pytest.mark.parametrize("dates", ["30 September 2014 to\n22 October 2014", "30 September –\n22 October 2014"])
def test_sif_dates_line_going_on_in_the_next_block(tmp_path, dates):
    from ingest.frameworks import sif
    from ingest.readers import read
    path = tmp_path / "bristol.txt"
    path.write_text(SIF_COVER.format(dates=dates, published="5 December 2014"))
    r = sif.parse(normalise(read(str(path))))
    assert (r.start, r.end) == (dt.date(2014, 9, 30), dt.date(2014, 10, 22))
    assert len(r.judgements) == 6                # the overall judgement and five rows
