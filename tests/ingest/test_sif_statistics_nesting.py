"""The parts of a SIF information item whose nesting the layout lost: "Of this number:" printed
as a line of its own (a heading) or opening the first part, the parts then printed as top-level
bullets; a group heading ("In the last 12 months:") ends the parts. Each part is the parent's
measure with its own suffix ("children-looked-after-out-of-area"), never a measure of its own
words ("live-outside-local-authority-area", "number-live-outside-...", "primary-schools"). The
blocks are printed so in the national reports named beside them (../shared/corpus-national)."""
from __future__ import annotations

import datetime as dt
import re

from ingest.frameworks.sif import parse
from ingest.frameworks.sif_statistics import statistics
from ingest.model import Block
from ingest.normalise import normalise
from ingest.readers import read
from tests.conftest import shared_or_skip
import pytest

#: Blackburn with Darwen 2017, as its blocks are read
BLACKBURN = [
    ("heading", "Children looked after in this area"),
    ("bullet", "At 27 September 2017, 376 children are being looked after by the local authority (a rate of 98 "
               "per 10,000 children). This is an increase from 370 (96 per 10,000 children) at 31 March 2017."),
    ("heading", "Of this number:"),
    ("bullet", "143 (or 38%) live outside the local authority area"),
    ("bullet", "25 live in residential children’s homes, of whom 72% live out of the authority area"),
    ("bullet", "two live in residential special schools, and both live out of the authority area"),
    ("bullet", "237 live with foster families, of whom 38% live out of the authority area"),
    ("bullet", "68 live with parents, all of whom live in the borough"),
    ("bullet", "four children are unaccompanied asylum-seeking children."),
    ("heading", "In the last 12 months:"),
    ("bullet", "there have been 27 adoptions"),
    ("bullet", "30 children became the subject of special guardianship orders"),
    ("bullet", "139 children ceased to be looked after, of whom 1% subsequently returned to be looked after"),
]


def _stats(rows):
    blocks = [Block(i, kind, text, level=1 if kind == "bullet" else 0) for i, (kind, text) in enumerate(rows)]
    return [(s.measure, int(s.value), s.unit, s.date, s.period)
            for s in statistics(blocks, re.compile("in post since"))]


def test_parts_after_a_lead_in_heading_and_the_next_group():
    sept = dt.date(2017, 9, 27)
    last = "In the last 12 months"
    assert _stats(BLACKBURN) == [
        ("children-looked-after", 376, "count", sept, None),
        ("children-looked-after", 98, "per-10000", sept, None),
        ("children-looked-after-out-of-area", 143, "count", sept, None),
        ("children-looked-after-out-of-area", 38, "percent", sept, None),
        ("children-looked-after-childrens-homes", 25, "count", sept, None),
        ("children-looked-after-childrens-homes-out-of-area", 72, "percent", sept, None),
        ("children-looked-after-residential-special-schools", 2, "count", sept, None),
        ("children-looked-after-foster-families", 237, "count", sept, None),
        ("children-looked-after-foster-families-out-of-area", 38, "percent", sept, None),
        ("children-looked-after-with-parents", 68, "count", sept, None),
        ("children-looked-after-unaccompanied-asylum-seeking", 4, "count", sept, None),
        ("adoptions", 27, "count", None, last),
        ("special-guardianship-orders", 30, "count", None, last),
        ("ceased-looked-after", 139, "count", None, last),
        ("ceased-looked-after-returned", 1, "percent", None, last),
    ]


def test_lead_in_opening_the_first_part_and_a_capitalised_number():
    # Bolton 2014
    rows = [("bullet", "At 31 March 2013, 540 children were being looked after by the local authority (a rate of "
                       "83 per 10,000 children)."),
            ("bullet", "Of this number, 100 (19%) live outside the local authority area"),
            ("bullet", "30 live in residential children’s homes"),
            ("bullet", "Five live in residential special schools")]
    assert [m for m, *_ in _stats(rows)] == [
        "children-looked-after", "children-looked-after", "children-looked-after-out-of-area",
        "children-looked-after-out-of-area", "children-looked-after-childrens-homes",
        "children-looked-after-residential-special-schools"]


def test_parts_after_an_item_ending_with_a_colon():
    # Knowsley 2017: the parts start a new page and lose their indentation
    rows = [("bullet", "The proportion of children entitled to free school meals:"),
            ("bullet", "in primary schools is 26% (the national average is 15%)"),
            ("bullet", "in secondary schools is 34% (the national average is 13%)."),
            ("bullet", "Children and young people from minority ethnic groups account for 5% of all children "
                       "living in the area, compared with 22% in the country as a whole.")]
    assert [m for m, *_ in _stats(rows)] == [
        "free-school-meals-primary-schools", "free-school-meals-secondary-schools", "minority-ethnic-children"]


def test_count_with_its_share_after_the_word_children():
    # Gateshead 2016: "143 children (or 39%)", "residential homes"
    rows = [("bullet", "At 31 October 2015, 367 children are being looked after by the local authority."),
            ("heading", "Of this number:"),
            ("bullet", "143 children (or 39%) live outside the local authority area"),
            ("bullet", "18 children live in residential homes, of whom 44% live out of the authority area")]
    assert [(m, v, u) for m, v, u, *_ in _stats(rows)] == [
        ("children-looked-after", 367, "count"),
        ("children-looked-after-out-of-area", 143, "count"),
        ("children-looked-after-out-of-area", 39, "percent"),
        ("children-looked-after-childrens-homes", 18, "count"),
        ("children-looked-after-childrens-homes-out-of-area", 44, "percent")]


@pytest.mark.slow
def test_national_blackburn_2017_reads_the_parts():
    path = shared_or_skip("corpus-national", "inspections", "80430_blackburn-with-darwen_2017-12-08.pdf")
    measures = {s.measure for s in parse(normalise(read(str(path)))).statistics}
    assert {"children-looked-after-out-of-area", "children-looked-after-foster-families", "adoptions"} <= measures
    assert not any(m.startswith("live-") for m in measures)
