"""How a SIF information item is printed, read as what it says: a date printed in figures is no figure
("between 1/04/12 and 31/01/14", Hounslow 2014: read as the figures 4, 12, 31, 1 and 14); a bracket
printed with a space inside it still pairs a count with its percentage ("20 ( or 5%)", Solihull
2016: the 20 became a part of no name, 'children-looked-after-x'), as does a percent sign printed
twice ("455 (71.9%%)", Coventry 2014); a nested item whose own words name a measure of its own is
that measure ("165 children have ceased to be looked after" under the looked-after item, Hounslow
2014, was 'children-looked-after-children-ceased-looked-after'); and a lower-case "in the last 12
months:" after nested items opens a group rather than continuing the item above (Walsall 2017). The
items are those reports' (../shared/corpus-national), kept as printed; the variants change only
what the case names."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ingest.frameworks.sif_statistics import statistics
from ingest.model import Block

_SKIP = re.compile("in post since")


def _read(*items: str | tuple[int, str]):
    """The statistics of bullets; an item (2, text) is nested under the item above."""
    blocks = [Block(i, "bullet", t if isinstance(t, str) else t[1], level=1 if isinstance(t, str) else t[0])
              for i, t in enumerate(items)]
    return statistics(blocks, _SKIP)


def _stats(*items: str | tuple[int, str]):
    """(measure, value, unit) of the statistics of bullets."""
    return [(s.measure, s.value, s.unit) for s in _read(*items)]


_HOUNSLOW = ("At 31 March 2013, 305 children were being looked after by the local authority (a rate of 52 per "
             "10,000 children). This is a reduction from 320 (56 per 10,000 children) at 31 March 2012.")
_HOUNSLOW_CEASED = ("165 children have ceased to be looked after in 2012–13, of whom 12 (7%) subsequently returned "
                    "to be looked after between 1/04/12 and 31/01/14.")


# ---------------------------------------------------------------- a date printed in figures


def test_a_date_printed_with_slashes_is_no_figure():
    got = _stats(_HOUNSLOW, (2, _HOUNSLOW_CEASED))[2:]
    assert [(v, u) for _m, v, u in got] == [(165, "count"), (12, "count"), (Decimal("7"), "percent")]


def test_a_date_printed_with_dots_or_a_four_digit_year_is_no_figure_either():
    for dates in ("01.04.2012 and 31.01.2014", "1/04/2012 and 31/01/2014", "1.04.12 and 31.01.14"):
        item = _HOUNSLOW_CEASED.replace("1/04/12 and 31/01/14", dates)
        assert [v for _m, v, _u in _stats(_HOUNSLOW, (2, item))[2:]] == [165, 12, 7], dates


def test_a_figure_printed_at_a_numeric_date_is_dated_by_it():
    # Dudley 2016 prints "at 31/03/2014" for an earlier value; here the figure's own date
    for printed, when in (("31/03/2014", dt.date(2014, 3, 31)), ("31.03.15", dt.date(2015, 3, 31))):
        got = _read(_HOUNSLOW.replace("31 March 2013", printed))
        assert [(s.measure, s.value, s.unit, s.date) for s in got] == [
            ("children-looked-after", 305, "count", when), ("children-looked-after", 52, "per-10000", when)]


# ---------------------------------------------------------------- a bracket with a space inside

_SOLIHULL = ("At 31 March 2016, 360 children (provisional year end data) are being looked after by the local "
             "authority (a rate of 79.8 per 10,000 children). This is an increase from 335 (74.0 per 10,000 "
             "children) at 31 March 2015. Of this number:")


def test_a_percentage_in_a_bracket_opened_with_a_space_pairs_with_its_count():
    got = _stats(_SOLIHULL, (2, "20 ( or 5%) live in residential children’s homes, all of whom live outside the "
                                "authority area"))
    assert got[2:] == [("children-looked-after-childrens-homes", 20, "count"),
                       ("children-looked-after-childrens-homes", Decimal("5"), "percent")]


def test_spaces_inside_any_bracket_of_a_figure():
    got = _stats(_SOLIHULL, (2, "205 ( or 57% ) live outside the local authority area"))
    assert got[2:] == [("children-looked-after-out-of-area", 205, "count"),
                       ("children-looked-after-out-of-area", Decimal("57"), "percent")]
    # Doncaster 2018 prints a percentage's count after it, "of whom 4% (8) subsequently returned"
    got = _stats("In the last 12 months:", (2, "128 children ceased to be looked after, of whom 4% ( 8 ) "
                                               "subsequently returned to be looked after"))
    assert got == [("ceased-looked-after", 128, "count"), ("ceased-looked-after-returned", Decimal("4"), "percent"),
                   ("ceased-looked-after-returned", 8, "count")]
    # Barnsley 2014's "but 39 (of the 78) children live within 10 miles": the 78 is no figure
    got = _stats(_SOLIHULL, (2, "78 (or 34.4%) live outside the local authority area"),
                 (2, "but 39 ( of the 78 ) children live within 10 miles of the Solihull boundary"))
    assert [v for _m, v, _u in got[2:]] == [78, Decimal("34.4"), 39]


def test_a_percent_sign_printed_twice_is_one():
    # Coventry 2014 prints "(71.9%%)": the 455 was a part of no name, 'children-looked-after-x'
    got = _stats(_HOUNSLOW, (2, "455 (71.9%%) were placed in foster care, of whom 235 (51.6%) were out of City, "
                                "with 197 of these less than 20 miles from home"))
    assert got[2:4] == [("children-looked-after-foster-families", 455, "count"),
                        ("children-looked-after-foster-families", Decimal("71.9"), "percent")]


# ---------------------------------------------------------------- a nested item of a measure of its own


def test_a_nested_item_naming_a_measure_of_its_own_is_that_measure():
    got = _stats(_HOUNSLOW, (2, "25 children are unaccompanied asylum-seeking children."), (2, _HOUNSLOW_CEASED),
                 (2, "57 children and young people have ceased to be looked after and moved on to independent "
                     "living."),
                 (2, "One young person ceased to be looked after and is now living in a house in multiple "
                     "occupation."))
    assert got[2:] == [
        ("children-looked-after-unaccompanied-asylum-seeking", 25, "count"),
        ("ceased-looked-after", 165, "count"),
        ("ceased-looked-after-returned", 12, "count"),
        ("ceased-looked-after-returned", Decimal("7"), "percent"),
        ("ceased-looked-after-independent-living", 57, "count"),
        ("ceased-looked-after-multiple-occupation", 1, "count")]


def test_a_child_placed_for_adoption_is_a_part_of_the_looked_after():
    # Bolton 2014 and Barnsley 2014: "adoption" names how a looked-after child is placed, not a
    # count of adoptions; the parent's part keeps its words
    assert _stats(_HOUNSLOW, (2, "45 were placed for adoption"))[2:] == [
        ("children-looked-after-placed-adoption", 45, "count")]
    got = _stats(_HOUNSLOW, (2, "of the 18 placed over 50 miles from the Barnsley boundary, all are placed as a "
                                "result of securing long term arrangements including adoption"))
    assert [m for m, _v, _u in got[2:]] == ["children-looked-after-placed-barnsley-boundary-all-over-50-miles"]
    # ... whatever the later clause names: the figure's own clause names its measure
    later = ("of the 18 placed over 50 miles from the Barnsley boundary, all are placed under special guardianship "
             "orders")
    assert [m for m, _v, _u in _stats(_HOUNSLOW, (2, later))[2:]] == [
        "children-looked-after-placed-barnsley-boundary-all-over-50-miles"]


_WALSALL = [
    "At 31 March 2017, 648 children were being looked after by the local authority (a rate of 99 per 10,000 "
    "children). This is an increase from 620 (96 per 10,000 children) at 31 March 2016. Of this number,",
    (2, "eight children are unaccompanied asylum-seeking children."),
    "in the last 12 months:",
    (2, "31 children have been adopted"),
    (2, "25 children became subject of special guardianship orders"),
    (2, "183 children ceased to be looked after, of whom 4% subsequently returned to be looked after"),
]


def test_a_period_in_lower_case_opens_a_group_of_its_own():
    got = [(s.measure, s.value, s.period, s.date) for s in _read(*_WALSALL)][3:]
    assert got == [("adoptions", 31, "in the last 12 months", None),
                   ("special-guardianship-orders", 25, "in the last 12 months", None),
                   ("ceased-looked-after", 183, "in the last 12 months", None),
                   ("ceased-looked-after-returned", 4, "in the last 12 months", None)]
