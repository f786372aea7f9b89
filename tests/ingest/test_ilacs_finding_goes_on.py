"""An ILACS finding whose paragraph goes on in an unnumbered block is one finding: after a page
break that fell between two sentences (Dudley 2023, Hartlepool 2024, Oldham 2019, Solihull 2020,
Warwickshire 2025, Barnsley 2023), or after a gap the page left inside it (Coventry 2026). Every
paragraph of a judgement section is numbered, so the block without a number is not a paragraph of
its own and was dropped. The back page after the last finding is not its text; a paragraph whose
number lost its full stop ("34 Most children ...", Nottingham 2022) is its own finding."""
from __future__ import annotations

import dataclasses

from ingest.classify import classify
from ingest.frameworks import parse
from ingest.normalise import normalise
from ingest.readers import read

COVER = ["Inspection of Kent County Council children’s services", "Inspection dates: 6 to 17 March 2023",
         "Lead inspector: Ann Example, His Majesty’s Inspector", "Judgement\tGrade",
         "The impact of leaders on social work practice with children and families\tGood",
         "The experiences and progress of children who need help and protection\tGood",
         "The experiences and progress of children in care\tGood",
         "The experiences and progress of care leavers\tGood", "Overall effectiveness\tGood",
         "Children in this authority receive help that is improving.",
         "What needs to improve", "- The quality of plans for children in need.",
         "The experiences and progress of children who need help and protection: good"]
FIRST = "1. Children are seen promptly and their needs are understood."
GOES_ON = "Workers engage with children and their families well."
SECOND = "2. Strategy meetings are timely and well attended."
BACK = ["The Office for Standards in Education regulates and inspects services.",
        "If you would like a copy of this document in a different format, please telephone."]


def _doc(tmp_path, paragraphs: list[str]):
    path = tmp_path / "report.txt"
    path.write_text("\n\n".join(COVER + paragraphs) + "\n", encoding="utf-8")
    return normalise(read(path))


def _paged(doc, pages: dict[str, int]):
    """The document with each block whose text starts with a key printed on that page."""
    blocks = tuple(dataclasses.replace(b, page=next((p for t, p in pages.items() if b.text.startswith(t)), 1))
                   for b in doc.blocks)
    return dataclasses.replace(doc, blocks=blocks)


def _findings(doc):
    return parse(doc, classify(doc).framework).findings


def test_unnumbered_paragraph_between_two_findings_goes_on_the_first(tmp_path):
    findings = _findings(_doc(tmp_path, [FIRST, GOES_ON, SECOND]))
    assert [f.number for f in findings] == ["1", "2"]
    assert findings[0].text.endswith("needs are understood. " + GOES_ON)


def test_last_finding_going_on_alone_over_a_page_keeps_its_end_not_the_back_page(tmp_path):
    doc = _paged(_doc(tmp_path, [FIRST, SECOND, GOES_ON, *BACK]),
                 {"Children are": 3, "Strategy": 3, "Workers": 4, "The Office": 5, "If you": 5})
    findings = _findings(doc)
    assert [f.number for f in findings] == ["1", "2"]
    assert findings[1].text.endswith("well attended. " + GOES_ON)


def test_back_page_after_the_last_finding_is_not_its_text(tmp_path):
    doc = _paged(_doc(tmp_path, [FIRST, SECOND, *BACK]),
                 {"Children are": 3, "Strategy": 3, "The Office": 4, "If you": 4})
    assert _findings(doc)[1].text == "Strategy meetings are timely and well attended."


def test_number_printed_without_its_full_stop_is_its_own_finding(tmp_path):
    findings = _findings(_doc(tmp_path, [FIRST, "2 Most children live in stable homes.", "3. Leaders know their services."]))
    assert [(f.number, f.text) for f in findings][1] == ("2", "Most children live in stable homes.")
    assert [f.number for f in findings] == ["1", "2", "3"]
