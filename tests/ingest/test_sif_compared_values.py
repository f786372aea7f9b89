"""The earlier figure a SIF information bullet compares its figure with, in the wordings of the
template other than "This is a reduction from 719 at 31 March 2013": each is the last figure's
earlier value, never a new statistic (they were read as measures "increase", "reduction",
"same", "unnamed" ...). The sentences are those of the national reports named beside them
(../shared/corpus-national), kept here as printed; the rate printed before its count
("354 children and young people per 10,000 population (2,042)") is Wolverhampton 2017's."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from ingest.frameworks.sif_statistics import statistics
from ingest.model import Block
from ingest.normalise import normalise
from ingest.readers import read
from ingest.frameworks.sif import parse
from tests.conftest import shared_or_skip

D = dt.date


def _figures(*texts: str):
    blocks = [Block(i, "bullet", t, level=1) for i, t in enumerate(texts)]
    return [(s.measure, s.value, s.unit, s.earlier_value, s.earlier_date)
            for s in statistics(blocks, re.compile("in post since"))]


@pytest.mark.parametrize("figure, compared, earlier", [
    # Knowsley 2014, Redbridge 2016
    ("At 31 March 2014, 195 children and young people were the subject of a child protection plan.",
     "This is a 36.4% increase from 143 at 31 March 2013.", (143, D(2013, 3, 31))),
    # Oldham 2015
    ("At 31 March 2015, 392 children and young people were the subject of a child protection plan.",
     "This is a very small reduction from 395 at 31 March 2014.", (395, D(2014, 3, 31))),
    # Leeds 2015: the end of a month, dated by its last day (a month alone is dated by its first)
    ("At 31 March 2015, 642 children and young people were the subject of a child protection plan.",
     "This is a reduction from 983 at the end of March 2013.", (983, D(2013, 3, 31))),
    # Southampton 2014
    ("At 30 July 2014, 24 children lived in a privately arranged fostering placement.",
     "This is an increase of 16 from the 8 identified at 31 March 2013.", (8, D(2013, 3, 31))),
    # Hammersmith and Fulham 2016, Hillingdon 2014, South Tyneside 2017, Southend-on-Sea 2016
    ("At 31 March 2015, four children lived in a privately arranged fostering placement.",
     "This is no change from four at 31 March 2014.", (4, D(2014, 3, 31))),
    ("At 31 March 2013, 10 children lived in a privately arranged fostering placement.",
     "This is numerically unchanged from the ten children from 31 March 2012.", (10, D(2012, 3, 31))),
    ("At 31 March 2017, one child lived in a privately arranged fostering placement.",
     "This is unchanged from one at 31 March 2017.", (1, D(2017, 3, 31))),
    ("At 12 May 2016, 183 children and young people were the subject of a child protection plan.",
     "This is similar to the figure of 184 at 31 March 2015.", (184, D(2015, 3, 31))),
])
def test_compared_count_is_the_earlier_value(figure, compared, earlier):
    (measure, value, unit, *_), = _figures(figure)
    assert _figures(figure + " " + compared) == [(measure, value, unit, Decimal(earlier[0]), earlier[1])]


@pytest.mark.parametrize("compared, count, rate, when", [
    # Bury 2016; Dudley 2016 (numeric date); York 2017 (rate after the date)
    ("This is an increase from 293 (69 per 10,000 children and young people) at 31 March 2015.",
     293, 69, D(2015, 3, 31)),
    ("This is a reduction from 293 (69 per 10,000 children and young people) at 31/03/2015.",
     293, 69, D(2015, 3, 31)),
    ("This is the same as 293 as at 31 March 2015 (a rate of 69 per 10,000 children).", 293, 69, D(2015, 3, 31)),
])
def test_compared_count_and_rate(compared, count, rate, when):
    figure = ("At 22 February 2016, 300 children were being looked after by the local authority "
              "(a rate of 71 per 10,000 children).")
    assert _figures(figure + " " + compared) == [
        ("children-looked-after", 300, "count", count, when),
        ("children-looked-after", 71, "per-10000", rate, when)]


def test_rate_printed_before_its_count_and_compared_with_two_dates():
    # Wolverhampton 2017: only the first clause's date is the earlier value's
    figure = ("At 30 September 2016, 354 children and young people per 10,000 population (2,042) had been "
              "identified through assessment as being formally in need of a specialist children’s service.")
    compared = ("This is a reduction from both 403 per 10,000 (2,341) at 31 March 2016 and 489 per 10,000 "
                "(2,017) at 31 March 2015.")
    assert _figures(figure + " " + compared) == [
        ("children-in-need", 354, "per-10000", 403, D(2016, 3, 31)),
        ("children-in-need", 2042, "count", 2341, D(2016, 3, 31))]


def test_not_a_comparison_stays_a_figure():
    assert _figures("Approximately 58,167 children and young people under the age of 18 years live in "
                    "Wolverhampton. This is 22.9% of the total population in the area.") == [
        ("children-population", 58167, "count", None, None),
        ("children-share-of-population", Decimal("22.9"), "percent", None, None)]


@pytest.mark.slow
def test_national_knowsley_2014_has_no_comparison_measures():
    path = shared_or_skip("corpus-national", "inspections", "80479_knowsley_2014-06-30.pdf")
    stats = parse(normalise(read(str(path)))).statistics
    assert not {s.measure for s in stats} & {"increase", "reduction", "unnamed"}
    cpp = next(s for s in stats if s.measure == "child-protection-plans")
    assert (cpp.value, cpp.earlier_value, cpp.earlier_date) == (195, 143, D(2013, 3, 31))


def test_a_comparator_printed_without_a_space_before_its_figure():
    # Torbay 2016: "is19.4%" was a second figure of the measure, the 5.1% without its comparator
    blocks = [Block(0, "bullet", "The proportion of children and young people with English as an additional "
                                 "language:", level=1),
              Block(1, "bullet", "in primary schools is 5.1% (the national average is19.4%)", level=2)]
    got = [(s.measure, s.value, s.comparator, s.comparator_value)
           for s in statistics(blocks, re.compile("in post since"))]
    assert got == [("english-additional-language-primary-schools", Decimal("5.1"), "national average",
                    Decimal("19.4"))]


def test_a_difference_from_an_earlier_date_gives_the_earlier_value():
    # Greenwich 2016: "one more" and "two fewer" were counts 1 and 2 of the measures beside them
    def read(text):
        return [(s.measure, s.value, s.earlier_value, s.earlier_date)
                for s in statistics([Block(0, "bullet", text, level=1)], re.compile("in post since"))]
    assert read("At 31 March 2016, 15 children lived in a privately arranged fostering placement, one more than at "
                "31 March 2015.") == [("privately-fostered-children", 15, 14, dt.date(2015, 3, 31))]
    assert read("At 31 March 2016, 518 children were being looked after by the local authority, two fewer than at "
                "31 March 2015 (the same rate of 80 per 10,000 children).")[0] == (
        "children-looked-after", 518, 520, dt.date(2015, 3, 31))


def test_a_figure_printed_after_the_one_it_changed_from_is_the_later_one():
    # Barnsley 2014: the 1% of 2001 was read, the 2.1% of 2011 not; Sandwell 2015: 208 read, 5,673 not, and the
    # change 4,556 read, the 15,190 it changed to not
    def read(text):
        return [(s.value, s.unit, s.earlier_value)
                for s in statistics([Block(0, "bullet", text, level=1)], re.compile("in post since"))]
    assert read("The local authority demographics provide a contrast of a small, but growing, ethnic minority "
                "population (rising from 1% in 2001 to 2.1% in 2011).") == [(Decimal("2.1"), "percent", 1)]
    assert read("This group increased from 208 individuals in 2001 to 5,673 in 2011.") == [(5673, "count", 208)]
    assert read("However, the child population has risen from 20% to 30% of the population.") == [
        (30, "percent", 20)]
    assert read("The number of individuals born in India increased by 4,556 to 15,190.") == [(15190, "count", None)]
