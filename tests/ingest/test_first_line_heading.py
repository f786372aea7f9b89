"""A paragraph whose first line the PDF layout set apart: normalise joins the sentence-long,
sentence-case "heading" cut mid-sentence to the lower-case rest that ends a sentence, so the
finding starts with its first words and the line is not the section it sits under. Headings and
cover-table rows wrapped over two lines stay apart. The lines are printed so in the national
focused-visit letters named beside them (../shared/corpus-national) and in the covers of SIF
reports (Barnsley 2014, London Corporation 2016, Sandwell 2013)."""
from __future__ import annotations

import pytest

from ingest.frameworks import parse
from ingest.classify import classify
from ingest.model import RawDocument
from ingest.normalise import normalise
from ingest.readers import read
from tests.conftest import shared_or_skip


def blocks(*lines: str):
    return [(b.kind, b.text) for b in normalise(RawDocument("x.pdf", "application/pdf", "0",
                                                                "\n\n".join(lines))).blocks]


@pytest.mark.parametrize("first, rest", [
    # North Northamptonshire 2023
    ("This contributes to delays in effective intervention being provided to", "improve children’s circumstances."),
    # Dudley 2020-01
    ("The emergency duty team provides an effective response to out of hours",
     "referrals. When there are child protection concerns, a strategy discussion is held with the police."),
    # Liverpool 2019: the rest goes on past its first sentence on the next line
    ("The findings from this focused visit mirror the areas of improvement that",
     "have been identified by the local authority through its own audit activity. A number of the areas"),
    # Hartlepool 2020, with a comma inside
    ("Inspectors looked at a range of evidence, including case discussions with",
     "social workers and managers. They also looked at local authority performance management."),
])
def test_first_line_joins_its_paragraph(first, rest):
    assert blocks("Findings", first, rest) == [("heading", "Findings"), ("paragraph", f"{first} {rest}")]


@pytest.mark.parametrize("first, rest", [
    ("The effectiveness of the Local Safeguarding Children Board (LSCB) is", "requires improvement"),
    ("The effectiveness of the Local Safeguarding Children Board (LSCB)", "requires improvement."),
    ("The graded judgement about the experience and progress of care", "leavers is that it is good"),
    ("Inadequate (Grade 4) A service that does not meet minimum", "requirements"),
    ("The overall judgement is that children’s service requires", "improvement."),
    ("Her Majesty’s Inspector", "cc Paul Moffat Chief Executive Doncaster Children’s Services Trust"),
    # an ILACS section heading over a bullet that lost its marker (the reviewer's example)
    ("What needs to improve in this area of social work practice",
     "the quality of assessments and plans for children in need."),
])
def test_wrapped_headings_and_cover_rows_stay_apart(first, rest):
    assert blocks(first, rest) == [("heading", first), ("paragraph", rest)]


@pytest.mark.slow
def test_national_letter_finding_starts_with_its_first_line():
    path = shared_or_skip("corpus-national", "focused-visits", "2637539_north-northamptonshire_2023-11-22.pdf")
    doc = normalise(read(str(path)))
    report = parse(doc, classify(doc).framework)
    texts = [f.text for f in report.findings]
    assert ("This contributes to delays in effective intervention being provided to improve children’s "
            "circumstances.") in texts
    assert not any(t[:1].islower() for t in texts)
    assert {f.section for f in report.findings} == {"Headline findings", "Main findings"}
