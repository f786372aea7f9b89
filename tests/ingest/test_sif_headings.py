"""Printed variants of the SIF body headings the parser steers by: the graded judgement that
opens the adoption and care-leaver findings, the heading of the statistics block, board
acronyms, footnote digits glued to a heading. Each variant is made by editing the real text of
the Bristol 2014 seed in memory (the wording is the one other reports of the national archive
print), so the rest of the report stays what Ofsted published."""
from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from ingest.frameworks.sif import parse
from ingest.model import Block
from ingest.normalise import normalise
from ingest.readers import read
from tests.conftest import shared_or_skip

BRISTOL = Path(__file__).resolve().parents[2] / "corpus" / "bristol_2014_SIF-with-LSCB-review.txt"
ADOPTION = "The graded judgement for adoption performance is that it is good"
GLOS = BRISTOL.parent / "gloucestershire_2017_SIF-with-LSCB-review.txt"
LEAVERS = "The graded judgement about the experience and progress of care leavers is that it is inadequate"


def _edited(doc, old: str, *new: str):
    """The document with the block printed ``old`` replaced by one block per ``new`` text."""
    blocks: list[Block] = []
    for b in doc.blocks:
        if b.text == old:
            blocks.extend(dataclasses.replace(b, text=t) for t in new)
        else:
            blocks.append(b)
    assert len(blocks) == len(doc.blocks) + len(new) - 1, f"{old!r} is not a block of the seed"
    return dataclasses.replace(doc, blocks=tuple(blocks))


def _sections(report) -> Counter:
    return Counter(f.section for f in report.findings if f.subject == "authority")


def test_seed_files_adoption_and_care_leaver_findings_under_their_headings(original):
    sections = _sections(original)
    assert sections[ADOPTION] == 17      # paragraphs 80-96
    assert sections[LEAVERS] == 11      # paragraphs 97-107


@pytest.mark.parametrize("printed", [
    "The graded judgment for adoption performance is good",                  # Bolton 2014
    "The graded judgment for adoption performance is good.",                 # Swindon 2014
    "The graded judgment for adoption performance requires improvement",     # Barking and Dagenham 2014
    "The graded judgement for adoption is good",                             # Leeds 2015
])
def test_graded_heading_variants_open_the_adoption_findings(bristol, original, printed):
    report = parse(_edited(bristol, ADOPTION, printed))
    assert _sections(report)[printed] == _sections(original)[ADOPTION]
    assert ADOPTION not in _sections(report)
    # the printed grade is checked against the cover's "Good": only a different grade warns
    warned = [w for w in report.warnings if "'Adoption performance' 'Good'" in w]
    if "requires improvement" in printed:
        assert len(warned) == 1 and "says 'requires improvement'" in warned[0]
    else:
        assert warned == []
    assert {j.area: j.grade for j in report.judgements} == {j.area: j.grade for j in original.judgements}


def test_wrapped_graded_heading_is_joined(bristol, original):
    # London Corporation 2016: "... progress of care" / "leavers is that it is good"
    report = parse(_edited(bristol, LEAVERS, LEAVERS[:-len(" leavers is that it is inadequate")],
                           "leavers is that it is inadequate"))
    assert _sections(report)[LEAVERS] == _sections(original)[LEAVERS]
    assert report.warnings == original.warnings


def test_graded_heading_without_a_grade_still_opens_its_section(bristol, original):
    # Isles of Scilly 2016: an area not judged prints its heading with no grade
    printed = "The graded judgement for adoption performance."
    report = parse(_edited(bristol, ADOPTION, printed))
    assert _sections(report)[printed] == _sections(original)[ADOPTION]
    assert report.warnings == original.warnings


def test_information_heading_variant(bristol, original):
    # Manchester 2017, South Tyneside 2017
    report = parse(_edited(bristol, "Information about this local authority area",
                           "Information about the local authority area"))
    assert len(original.statistics) == 35
    assert report.statistics == original.statistics


@pytest.mark.parametrize("heading, printed", [
    ("What does the local authority need to improve?", "What does the local authority need to improve?4"),
    ("The graded judgement for adoption performance is that it is good",
     "The graded judgement for adoption performance is that it is good12"),
])
def test_footnote_digits_glued_to_a_heading_are_not_words(bristol, original, heading, printed):
    report = parse(_edited(bristol, heading, printed))
    assert [r.text for r in report.recommendations] == [r.text for r in original.recommendations]
    assert _sections(report) == _sections(original)
    assert report.warnings == original.warnings


def test_statistics_without_an_information_heading_start_at_the_first_data_group(bristol, original):
    # Knowsley 2017, Sandwell 2018: the block opens with "The local authority" (a heading that
    # ends a section) and no "Information about ..." heading
    report = parse(_edited(bristol, "Information about this local authority area", "The local authority"))
    assert report.statistics == original.statistics


def test_an_earlier_inspections_judgement_list_is_not_a_section_heading():
    # Sandwell 2018 lists the last inspection's judgements in its information block, one
    # "Label: Grade." paragraph each: not the heading of this report's leadership section, so
    # its grade is not compared with the cover's
    doc = normalise(read(GLOS))
    heading = "Information about this local authority area"
    report = parse(_edited(doc, heading, heading, "Previous Ofsted inspections",
                           "Leadership, management and governance: Outstanding.", "Children living in this area"))
    original = parse(doc)
    assert report.warnings == original.warnings == []
    assert report.statistics == original.statistics
    assert report.findings == original.findings


def test_a_board_named_by_its_own_acronym(bristol, original):
    # Swindon 2014: "Key strengths and weaknesses of the SSCB"
    doc = _edited(_edited(bristol, "What does the LSCB need to improve?", "What does the BSCB need to improve?"),
                  "Inspection judgement about the LSCB", "Key strengths and weaknesses of the BSCB")
    report = parse(doc)
    board = [f for f in original.findings if f.subject == "board"]
    assert len(board) == 20
    assert [f.text for f in report.findings if f.subject == "board"] == [f.text for f in board]
    assert {f.section for f in report.findings if f.subject == "board"} == {"Key strengths and weaknesses of the BSCB"}
    assert [(r.addressee, r.text) for r in report.recommendations] == \
        [(r.addressee, r.text) for r in original.recommendations]
    assert sum(r.addressee == "board" for r in report.recommendations) == 13


def test_a_previous_inspection_group_holds_no_statistics(bristol, original):
    # Rutland 2017 heads the group "Previous Ofsted inspection" (singular)
    heading = "Information about this local authority area"
    doc = _edited(bristol, heading, heading, "Previous Ofsted inspection", "Three of the five children’s homes "
                  "were judged to be good at their most recent full Ofsted visit.", "Children living in this area")
    blocks = tuple(dataclasses.replace(b, kind="bullet", level=1) if b.text.startswith("Three of the five") else b
                   for b in doc.blocks)
    report = parse(dataclasses.replace(doc, blocks=blocks))
    assert report.statistics == original.statistics


# ---------------------------------------------------------------- early 2014: findings as bullets

def _as_bullets(doc):
    """The document with every numbered paragraph printed as a bullet (the early 2014 layout)."""
    return dataclasses.replace(doc, blocks=tuple(
        dataclasses.replace(b, kind="bullet", number=None, level=1) if b.number is not None else b
        for b in doc.blocks))


def test_a_report_printing_its_findings_as_bullets_keeps_them(bristol, original):
    report = parse(_as_bullets(bristol))
    assert len(original.findings) == 108
    assert [(f.section, f.subject, f.text) for f in report.findings] == \
        [(f.section, f.subject, f.text) for f in original.findings]
    assert {f.number for f in report.findings} == {None}


def test_bullets_of_a_numbered_report_are_not_findings(bristol, original):
    # a bullet under a numbered finding is that paragraph's own list
    at = next(i for i, b in enumerate(bristol.blocks) if b.number == "81")
    extra = dataclasses.replace(bristol.blocks[at], kind="bullet", number=None, level=1, text="an item of 81")
    blocks = bristol.blocks[:at + 1] + (extra,) + bristol.blocks[at + 1:]
    report = parse(dataclasses.replace(bristol, blocks=blocks))
    assert [f.text for f in report.findings] == [f.text for f in original.findings]


def test_good_because_list_of_an_early_report_is_its_strengths(bristol, original):
    # Derbyshire and Hartlepool 2014 print their strengths under this heading
    report = parse(_edited(bristol, "The local authority's strengths", "This Local Authority is good because:"))
    assert len(original.strengths) == 11
    assert [s.text for s in report.strengths] == [s.text for s in original.strengths]


def test_the_boards_own_strengths_list_is_read_as_the_boards(bristol, original):
    # Manchester, Portsmouth and Southampton 2014 print "The LSCB’s strengths" (numbered
    # paragraphs) between the board's recommendations and "Inspection judgement about the LSCB"
    at = next(i for i, b in enumerate(bristol.blocks) if b.text == "Inspection judgement about the LSCB")
    heading = dataclasses.replace(bristol.blocks[at], text="The LSCB’s strengths")
    item = next(b for b in bristol.blocks[at:] if b.number is not None)
    items = tuple(dataclasses.replace(item, number=n, text=t) for n, t in
                  (("150", "The board's first strength."), ("151", "The board's second strength.")))
    report = parse(dataclasses.replace(bristol, blocks=bristol.blocks[:at] + (heading, *items) + bristol.blocks[at:]))
    assert [(s.subject, s.text) for s in report.strengths] == \
        [(s.subject, s.text) for s in original.strengths] + \
        [("board", "The board's first strength."), ("board", "The board's second strength.")]
    assert report.recommendations == original.recommendations
    assert [f.text for f in report.findings] == [f.text for f in original.findings]


# ---------------------------------------------------------------- the real PDFs (national archive)

def _national(name: str):
    path = shared_or_skip("corpus-national", "inspections", name)
    return parse(normalise(read(str(path))))


@pytest.mark.slow
@pytest.mark.parametrize("name, findings, strengths, adoption", [
    ("80460_derbyshire_2014-02-11.pdf", 78, 13, "The graded judgment for adoption performance is good."),
    ("80501_hillingdon_2014-02-11.pdf", 67, 9, "The graded judgement for adoption performance is good."),
])
def test_early_2014_reports_read_their_bulleted_findings(name, findings, strengths, adoption):
    report = _national(name)
    assert (len(report.findings), len(report.strengths)) == (findings, strengths)
    assert _sections(report)[adoption] in (11, 8)
    assert Counter(f.subject for f in report.findings)["board"] in (10, 11)
    assert report.warnings == []


@pytest.mark.slow
def test_bolton_2014_adoption_and_care_leaver_findings():
    report = _national("80432_bolton_2014-03-21.pdf")
    sections = _sections(report)
    assert sections["The graded judgment for adoption performance is good"] == 17
    assert sections["The graded judgment for the experiences and progress of care leavers is good"] == 16
    assert report.warnings == []


@pytest.mark.slow
@pytest.mark.parametrize("name, count, children", [
    # no "Information about ..." heading; "There are no serious case reviews ongoing" is a 0
    ("80479_knowsley_2017-06-13.pdf", 33, 32486),
    ("80521_manchester_2017-12-21.pdf", 42, 119825),    # "Information about the local authority area"
])
def test_statistics_of_reports_with_another_information_heading(name, count, children):
    report = _national(name)
    assert len(report.statistics) == count
    population = [s for s in report.statistics if s.measure == "children-population"]
    assert [(s.value, s.unit) for s in population] == [(children, "count")]


@pytest.mark.slow
@pytest.mark.parametrize("name, board, first, last", [
    ("80521_manchester_2014-09-03.pdf", 8, "The LSCB Chair is a member of both", "The Board seeks to secure the views"),
    ("80539_portsmouth_2014-09-01.pdf", 10, "Partners value the strong leadership", "A strong and well developed approach"),
    ("80558_southampton_2014-09-15.pdf", 8, "Formal governance arrangements are clear", "The Board offers a comprehensive"),
])
def test_the_boards_strengths_of_2014_reports(name, board, first, last):
    report = _national(name)
    strengths = [s.text for s in report.strengths if s.subject == "board"]
    assert len(strengths) == board
    assert strengths[0].startswith(first) and strengths[-1].startswith(last)
