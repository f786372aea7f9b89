"""A review of a local safeguarding children board published on its own (SIF framework): the
board is judged and addressed, and no judgement of the authority is invented."""
from __future__ import annotations

import datetime as dt

from ingest.classify import classify
from ingest.frameworks import parse
from ingest.model import Framework, InspectionKind
from ingest.normalise import normalise
from ingest.prepare import prepare
from ingest.readers import read

REVIEW = """Hackney Safeguarding Children Board
Review of the effectiveness of the Local Safeguarding Children Board
Inspection date: 9 January 2017 to 2 February 2017
Report published: 20 March 2017
The Local Safeguarding Children Board is good
Contents
Recommendations
1. Ensure that the board's multi-agency audits are followed up so that learning improves practice.
2. Strengthen the board's oversight of children missing from home by:
- analysing return home interviews
- reporting to the board every quarter.
Inspection findings – the Local Safeguarding Children Board
3. The board is well led by an independent chair who has been in post since June 2014.
4. Partners hold each other to account well.
The inspection team
Lead inspector: Nigel Parkes
Team inspectors: Peter McEntee and Linda Steele
"""


def test_stand_alone_lscb_review(tmp_path):
    path = tmp_path / "review.txt"
    path.write_text(REVIEW)
    doc = normalise(read(str(path)))
    assert classify(doc).framework is Framework.SIF
    r = parse(doc, Framework.SIF)
    assert (r.kind, r.authority_name, r.start, r.end, r.published) == (
        InspectionKind.LSCB_REVIEW, "Hackney", dt.date(2017, 1, 9), dt.date(2017, 2, 2), dt.date(2017, 3, 20))
    assert [(j.area, j.grade, j.subject) for j in r.judgements] == [("lscb", "good", "board")]
    assert [(x.number, x.addressee) for x in r.recommendations] == [("1", "board"), ("2", "board")]
    assert r.recommendations[1].text.endswith("by:\n• analysing return home interviews\n• reporting to the "
                                              "board every quarter.")
    assert [(f.number, f.subject) for f in r.findings] == [("3", "board"), ("4", "board")]
    assert [(m.name, m.role) for m in r.team] == [("Nigel Parkes", "lead inspector"),
                                                  ("Peter McEntee", "team inspector"),
                                                  ("Linda Steele", "team inspector")]
    prepared = prepare(str(path))      # maps and validates: an LSCB review needs no overall judgement
    assert b"LSCBReview" in prepared.ntriples and prepared.warnings == []
