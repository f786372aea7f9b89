"""The time a SIF figure is printed for, and what it counts, in wordings the earlier rules missed (each one printed in
two or more reports, or a variant of one): a month printed without its day ("As at May 2015, 1,732 children ...",
Oldham 2015; "At September 2017,", South Tyneside 2017; "At the end of February 2014,", Swindon 2014: no date, so
the inspection's was assumed); "In the two years before (this) inspection," (14 reports of 2016-18: no period); a
single year ("2.1% in 2011", Barnsley 2014: no period); "no" before what a measure counts ("there have been no
adoptions", "no serious case reviews have been completed": no figure); a review "ongoing" (Dudley 2016: a review
completed); "the England proportion of 0.5%" (Bury 2016: a figure of the area's); "This is the same as at 31 March
2015" and the other no-change wordings (Sefton 2016, Hartlepool 2014, Stockport 2017: no earlier value); a count of
the total population (Lewisham 2016: named as the children's share). The items are those reports'
(../shared/corpus-national), kept as printed."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from ingest import patterns
from ingest.frameworks.sif_statistics import statistics
from ingest.model import Block

_SKIP = re.compile("in post since")


def _read(*items: str | tuple[int, str]):
    """(measure, value, unit, date, period, earlier date) of the statistics of bullets; an item (2, text) is
    nested under the item above."""
    blocks = [Block(i, "bullet", t if isinstance(t, str) else t[1], level=1 if isinstance(t, str) else t[0])
              for i, t in enumerate(items)]
    return [(s.measure, s.value, s.unit, s.date, s.period, s.earlier_date) for s in statistics(blocks, _SKIP)]


def test_a_month_without_its_day_dates_the_item_and_its_nested_items():
    got = _read("As at May 2015, 392 children were being looked after by the local authority (a rate of 69 per "
                "10,000 children). This is a very small reduction from 395 (69 per 10,000 children) at 31 March 2014.",
                (2, "22 in residential children’s homes, of whom 9% were living out of the authority area"))
    may, march = dt.date(2015, 5, 1), dt.date(2014, 3, 31)
    assert [(m, d, e) for m, _v, _u, d, _p, e in got] == [
        ("children-looked-after", may, march), ("children-looked-after", may, march),
        ("children-looked-after-childrens-homes", may, None),
        ("children-looked-after-childrens-homes-out-of-area", may, None)]


def test_the_end_of_a_month_is_its_last_day_for_a_figure_and_its_earlier_value():
    got = _read("At the end of February 2014, 246 children were being looked after by the local authority (a rate "
                "of 82 per 10,000 children). This is a reduction from 1,340 at the end of March 2014.")
    assert got[0][3] == dt.date(2014, 2, 28)
    assert got[0][5] == dt.date(2014, 3, 31)


def test_a_month_in_brackets_after_the_figure():
    got = _read("Approximately 18.8% of the local authority’s children are living in poverty (as at August 2013).")
    assert got == [("children-in-poverty", Decimal("18.8"), "percent", dt.date(2013, 8, 1), None, None)]


def test_month_date():
    assert patterns.month_date("At September 2017,") == dt.date(2017, 9, 1)
    assert patterns.month_date("at the end of February 2016") == dt.date(2016, 2, 29)
    assert patterns.month_date("in the last 12 months") is None


def test_the_two_years_before_the_inspection_is_the_period_of_its_figures():
    # Barnet 2017; "before inspection" and "before the inspection" (Knowsley 2017, Norfolk 2018) alike
    for before in ("before this inspection", "before inspection", "before the inspection"):
        got = _read(f"In the two years {before}, eight serious incident notifications were submitted to Ofsted and "
                    "one serious case review was completed.")
        assert [(m, p) for m, _v, _u, _d, p, _e in got] == [
            ("serious-incident-notifications", f"In the two years {before}"),
            ("serious-case-reviews", f"In the two years {before}")]


def test_since_the_last_inspection_in_a_year():
    got = _read("Since the last inspection in 2013, five serious incident notifications have been submitted to Ofsted "
                "and one serious case review has been completed.")
    assert {p for *_x, p, _e in got} == {"Since the last inspection in 2013"}



def test_no_before_what_a_measure_counts_is_a_count_of_none():
    # Isles of Scilly 2016, Derby 2017, Torbay 2016: the 0s were missing
    got = _read("In the last 12 months:", (2, "there have been no adoptions"),
                "In the two years before the inspection, five serious incident notifications have been submitted to "
                "Ofsted and no serious case reviews have been completed.",
                "At 13 October 2015, 290 children were being looked after by the local authority. Of this number:",
                (2, "there are no unaccompanied asylum-seeking children."))
    assert [(m, v) for m, v, *_x in got] == [
        ("adoptions", 0), ("serious-incident-notifications", 5), ("serious-case-reviews", 0),
        ("children-looked-after", 290), ("children-looked-after-unaccompanied-asylum-seeking", 0)]


def test_no_before_other_words_is_no_count():
    assert _read("There have been no serious concerns about the local authority's adoption service.") == []


def test_the_england_proportion_is_a_comparator():
    # Bury 2016: the 0.5% was a second figure of the area's, with a word-made name
    blocks = [Block(0, "bullet", "The 2011 census indicates that 5.6% of the population of Bury record their religion "
                                 "as Jewish compared with the England proportion of 0.5%.", level=1)]
    got = statistics(blocks, _SKIP)
    assert [(s.value, s.comparator, s.comparator_value) for s in got] == [
        (Decimal("5.6"), "national average", Decimal("0.5"))]


def test_a_review_that_was_ongoing_is_no_review_completed():
    # Dudley 2016, Harrow 2017: read as counts of the reviews completed
    got = _read("Since the last inspection, five serious incident notifications have been submitted to Ofsted, and one "
                "serious case review was ongoing at the time of the inspection.",
                "No serious case reviews are currently ongoing.")
    assert [(m, v) for m, v, *_x in got] == [
        ("serious-incident-notifications", 5), ("serious-case-reviews-ongoing", 1),
        ("serious-case-reviews-ongoing", 0)]


def test_the_end_of_a_month_printed_without_the():
    # Leeds 2015
    got = _read("At end of November 2014, 31 children lived in a privately arranged fostering placement.")
    assert got[0][3] == dt.date(2014, 11, 30)


def test_a_figure_printed_for_a_year_has_that_year_as_its_period():
    # Redbridge 2016, Barnsley 2014 (the later figure of a change), Manchester 2017
    got = _read("Approximately 23.4% of the local authority’s children were living in poverty in 2010.")
    assert got[0][4] == "2010"
    got = _read("The local authority demographics provide a contrast of a small, but growing, ethnic minority "
                "population (rising from 1% in 2001 to 2.1% in 2011) with overall high levels of deprivation.")
    assert [(v, p) for _m, v, _u, _d, p, _e in got] == [(Decimal("2.1"), "2011")]
    # two years compared: the difference is for neither
    got = _read("This has led to around 12,500 more five- to 11-year-olds in 2017 than in 2011 (a 31.4% increase).")
    assert [p for *_x, p, _e in got] == [None, None]


@pytest.mark.parametrize("same", ["This is the same as at 31 March 2015.", "This is unchanged from 31 March 2015.",
                                  "This is the same figure as that at 31 March 2015.",
                                  "This is consistent with the number at 31 March 2015."])
def test_an_unchanged_figure_keeps_its_earlier_value(same):
    # Sefton 2016, Central Bedfordshire 2017; Hartlepool 2014; Stockport 2017; the B&NES seed
    blocks = [Block(0, "bullet", "At 11 April 2016, 253 children and young people were the subject of child protection "
                                 f"plans. {same}", level=1)]
    got = statistics(blocks, _SKIP)
    assert [(s.value, s.earlier_value, s.earlier_date) for s in got] == [(253, 253, dt.date(2015, 3, 31))]


def test_a_count_of_the_total_population_is_no_count_of_children():
    # Lewisham 2016 (a count of 'children-share-of-population'), Coventry 2014
    got = _read("Approximately 67,000 children and young people under the age of 18 years live in the area. This is "
                "22.9% of the total population (291,933) in the area (ONS 2014 MYE)")
    assert [(m, v, u) for m, v, u, *_x in got] == [
        ("children-population", 67000, "count"), ("children-share-of-population", Decimal("22.9"), "percent"),
        ("total-population", 291933, "count")]
    got = _read("There are currently approximately 70,500 children and young people aged between 0-17 years old out of "
                "a total population of 316,900 (22%).")
    assert [(m, v) for m, v, u, *_x in got if u == "count"][1] == ("total-population", 316900)


def test_an_scr_is_a_serious_case_review():
    # Tower Hamlets 2017, Southwark 2017, Wolverhampton 2017: 'scrs-ongoing-time-inspection'
    got = _read("There were two SCRs ongoing at the time of the inspection.", "There were no SCRs ongoing at the time of "
                "the inspection.", "Two SCRs were ongoing at the time of this inspection.")
    assert [(m, v) for m, v, *_x in got] == [("serious-case-reviews-ongoing", 2), ("serious-case-reviews-ongoing", 0),
                                             ("serious-case-reviews-ongoing", 2)]


def test_an_item_that_opens_with_no_keeps_the_nesting_the_layout_lost():
    # Stockport 2017: the items after "No children live ..." lost their parent's measure and date
    got = _read("At 21 June 2017, 346 children were being looked after by the local authority. Of this number:",
                "No children live in residential special schools.",
                "224 live with foster families, of whom 23.7% live out of the authority area")
    june = dt.date(2017, 6, 21)
    assert [(m, v, d) for m, v, _u, d, *_x in got] == [
        ("children-looked-after", 346, june), ("children-looked-after-residential-special-schools", 0, june),
        ("children-looked-after-foster-families", 224, june),
        ("children-looked-after-foster-families-out-of-area", Decimal("23.7"), june)]
