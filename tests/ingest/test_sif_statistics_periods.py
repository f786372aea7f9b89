"""The period a SIF figure's own clause prints is its period, not its parent item's date: "165 children
have ceased to be looked after in 2012–13, of whom 12 (7%) subsequently returned to be looked after
between 1/04/12 and 31/01/14" (Hounslow 2014, nested under an item dated 31 March 2013: all three
were dated 31 March 2013), "increased by 19% and 13% respectively between October 2013 and October
2014" (Peterborough 2015), "moved on to independent living between April 2014 up to the end of
December 2014" (Leeds 2015), "from 7,500 in 2000/01" (Leeds 2015). The items are those reports'
(../shared/corpus-national), kept as printed; the variants change only what the case names."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ingest.frameworks.sif_statistics import statistics
from ingest.model import Block

_SKIP = re.compile("in post since")


def _read(*items: str | tuple[int, str]):
    """(measure, value, unit, date, period) of the statistics of bullets; an item (2, text) is nested
    under the item above."""
    blocks = [Block(i, "bullet", t if isinstance(t, str) else t[1], level=1 if isinstance(t, str) else t[0])
              for i, t in enumerate(items)]
    return [(s.measure, s.value, s.unit, s.date, s.period) for s in statistics(blocks, _SKIP)]


_MARCH_2013 = dt.date(2013, 3, 31)
_HOUNSLOW = ("At 31 March 2013, 305 children were being looked after by the local authority (a rate of 52 per "
             "10,000 children).")
_HOUNSLOW_CEASED = ("165 children have ceased to be looked after in 2012–13, of whom 12 (7%) subsequently returned "
                    "to be looked after between 1/04/12 and 31/01/14.")


def test_a_nested_figure_takes_the_year_or_the_range_its_clause_prints():
    got = _read(_HOUNSLOW, (2, _HOUNSLOW_CEASED),
                (2, "57 children and young people have ceased to be looked after and moved on to independent "
                    "living."))
    assert got == [
        ("children-looked-after", 305, "count", _MARCH_2013, None),
        ("children-looked-after", 52, "per-10000", _MARCH_2013, None),
        ("ceased-looked-after", 165, "count", None, "2012–13"),
        ("ceased-looked-after-returned", 12, "count", None, "2012-04-01/2014-01-31"),
        ("ceased-looked-after-returned", Decimal("7"), "percent", None, "2012-04-01/2014-01-31"),
        # its words print no period: the item's date, as before
        ("ceased-looked-after-independent-living", 57, "count", _MARCH_2013, None)]


def test_a_year_printed_with_a_slash_and_a_range_of_dates_in_words():
    item = _HOUNSLOW_CEASED.replace("2012–13", "2012/13").replace("1/04/12 and 31/01/14",
                                                                     "1 April 2012 and 31 January 2014")
    assert [p for *_x, p in _read(_HOUNSLOW, (2, item))[2:]] == [
        "2012–13", "2012-04-01/2014-01-31", "2012-04-01/2014-01-31"]


def test_a_range_printed_after_two_figures_is_the_period_of_both():
    # Peterborough 2015, and Leeds 2015's "up to the end of"
    got = _read("However, this group as a proportion of the school population is now relatively stable, while the "
                "population of Polish and Lithuanian children in Peterborough schools increased by 19% and 13% "
                "respectively between October 2013 and October 2014.")
    assert [(v, d, p) for _m, v, _u, d, p in got] == [(19, None, "2013-10/2014-10"), (13, None, "2013-10/2014-10")]
    got = _read("In the last 12 months:",
                (2, "42 children and young people ceased to be looked after and moved on to independent living "
                    "between April 2014 up to the end of December 2014. 32 young people are in semi-independent "
                    "living."))
    # the 32 is printed after the range's full stop: the group's period
    assert [(v, p) for _m, v, _u, _d, p in got] == [(42, "2014-04/2014-12"), (32, "In the last 12 months")]


def test_a_year_belongs_to_the_figure_whose_clause_prints_it():
    # Leeds 2015: the 7,500 is for 2000/01, the earlier value of the 10,000 it rose to, whose period it is not
    got = _read("The annual number of births in Leeds has increased by a third; from 7,500 in 2000/01 to 10,000 or "
                "more for each of the last five years.")
    assert [(v, p) for _m, v, _u, _d, p in got] == [(10000, None)]
    # Portsmouth 2014: "in 2013–14" is the 163's clause; the 2.5% after the comma keeps the group's
    got = _read("In the last 12 months:",
                (2, "Of the 163 children who started to be looked after in 2013–14, 2.5% had a prior 'returned "
                    "home' LAC episode ending less than 12 months ago"))
    assert [(v, p) for _m, v, _u, _d, p in got] == [(163, "2013–14"), (Decimal("2.5"), "In the last 12 months")]



# ---------------------------------------------------------------- a nested item at a time of its own

_HOUNSLOW_NOW = "At the time of this inspection, 328 children were looked after by the local authority."


def test_a_nested_item_at_the_time_of_the_inspection_is_its_parents_measure_then():
    # Hounslow 2014: not a part of the 305 at 31 March 2013 ('children-looked-after-children-looked-after-local'
    # dated 31 March 2013) but the looked-after at the inspection, which the report dates (None here)
    assert _read(_HOUNSLOW, (2, _HOUNSLOW_NOW))[2:] == [("children-looked-after", 328, "count", None, None)]
    # ... and a part it names is a part at the inspection
    got = _read(_HOUNSLOW, (2, "At the time of this inspection, 30 children lived in residential children’s homes."))
    assert got[2:] == [("children-looked-after-childrens-homes", 30, "count", None, None)]


def test_a_nested_item_at_a_date_of_its_own_is_its_parents_measure_at_that_date():
    got = _read(_HOUNSLOW, (2, _HOUNSLOW_NOW.replace("the time of this inspection", "30 June 2013")))
    assert got[2:] == [("children-looked-after", 328, "count", dt.date(2013, 6, 30), None)]
    # the parent's own date printed again is no other time: a part, as before
    got = _read(_HOUNSLOW, (2, _HOUNSLOW_NOW.replace("the time of this inspection", "31 March 2013")))
    assert got[2][0] != "children-looked-after" and got[2][1:] == (328, "count", _MARCH_2013, None)


# ---------------------------------------------------------------- a period that opens an item or a group


def _periods(*items: str | tuple[int, str]):
    return [(v, d, p) for _m, v, _u, d, p in _read(*items)]


def test_a_period_to_a_date_or_since_a_month_opens_a_group():
    # Coventry 2014 (Hillingdon 2014 prints "12 month"), Kensington and Chelsea 2016: no period before
    coventry = "In the 12 months to 31 March 2013"
    assert _periods(f"{coventry}: there were 40 adoption orders",
                    (2, "21 children became the subject of special guardianship orders")) == [
        (40, None, coventry), (21, None, coventry)]
    assert _periods("Since April 2015: there have been four adoptions") == [(4, None, "Since April 2015")]
    assert _periods("During 2012–13: there were 150 who have ceased to be looked after, which included:",
                    (2, "45 adoptions")) == [(150, None, "During 2012–13"), (45, None, "During 2012–13")]


def test_a_periods_dates_in_brackets_are_part_of_it_and_there_have_been_is_not():
    # Doncaster 2018, Sheffield 2014 (no period before); Hartlepool 2014 ('In the last 12 months there have been')
    doncaster = "In the last 12 months (1 November 2016 to 31 October 2017)"
    assert _periods(f"{doncaster}: there have been 34 adoptions") == [(34, None, doncaster)]
    assert _periods("In the last 12 months (2012-13) there have been:", (2, "50 adoptions")) == [
        (50, None, "In the last 12 months (2012-13)")]
    assert _periods("In the last 12 months there have been:", (2, "7 adoptions")) == [
        (7, None, "In the last 12 months")]


def test_a_period_between_an_inspection_and_a_date_or_before_the_inspection():
    # Wolverhampton 2017, Lambeth 2018 ("prior to inspection", without "the"), Torbay 2016 ("previous")
    assert _periods("Between the last inspection in 2011 and 30 September 2016, 11 serious incident notifications "
                    "were submitted to Ofsted") == [(11, None, "Between the last inspection in 2011 and 30 September "
                                                               "2016")]
    assert _periods("In the two years prior to inspection, three serious incident notifications were submitted to "
                    "Ofsted") == [(3, None, "In the two years prior to inspection")]
    assert _periods("Since the previous inspection, five serious incident notifications have been submitted to "
                    "Ofsted") == [(5, None, "Since the previous inspection")]


def test_a_period_from_a_date_to_this_inspection_is_kept_as_printed():
    # Hounslow 2014: no period (and so no more than the inspection's date, assumed, when mapped)
    assert _periods("The number of children identified between March 2013 and this inspection was 1,617.") == [
        (1617, None, "between March 2013 and this inspection")]
    assert _periods("12 serious incident notifications were made between 1 April 2014 and the time of the "
                    "inspection.") == [(12, None, "between 1 April 2014 and the time of the inspection")]


def test_a_period_between_two_years_is_an_iso_interval():
    # Bristol 2014, Manchester 2014, Liverpool 2014: "2003-2013", which is no ISO 8601 form
    assert _periods("The number of children aged four and under rose by 36% between 2003 and 2013.") == [
        (36, None, "2003/2013")]
