"""One figure per measure and date: wordings of a SIF information bullet that gave a measure two
different figures at one date (the SHACL rule "one figure per measure and date" warned on each).
An earlier value printed inside the figure's own bracket and a later value after it (Manchester
2014), a part's share printed after a contrast or in a later sentence of its item (Manchester
2017, Leeds 2015, Hounslow 2014), a count of another kind in brackets (Doncaster 2018) and a
footnote mark set off by a space (Lincolnshire 2015). The sentences are those reports'
(../shared/corpus-national), kept here as printed."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ingest.frameworks.sif_statistics import statistics
from ingest.model import Block

D = dt.date


def _stats(*items: str | tuple[int, str]):
    """Every statistic of the bullets; an item (2, text) is nested."""
    blocks = [Block(i, "bullet", t if isinstance(t, str) else t[1], level=1 if isinstance(t, str) else t[0])
              for i, t in enumerate(items)]
    return statistics(blocks, re.compile("in post since"))


def _read(*items: str | tuple[int, str]):
    return [(s.measure, s.value, s.unit, s.date) for s in _stats(*items)]


MANCHESTER_2014 = ("At 31 March 2014, 1,373 children are being looked after by the local authority (a rate of 122 per "
                   "10,000 children, which is an increase from 1,302 (119 per 10,000 children) at 31 March 2013 (in "
                   "June 2014, this had risen to 1,406 children 128 per 10,000) (source: data annex tables 5.2.1 and "
                   "5.2.2).")


def test_an_earlier_value_inside_the_figures_bracket():
    found = [(s.measure, s.value, s.unit, s.date, s.earlier_value, s.earlier_date)
             for s in _stats(MANCHESTER_2014) if s.date == D(2014, 3, 31)]
    assert found == [
        ("children-looked-after", Decimal(1373), "count", D(2014, 3, 31), Decimal(1302), D(2013, 3, 31)),
        ("children-looked-after", Decimal(122), "per-10000", D(2014, 3, 31), Decimal(119), D(2013, 3, 31))]


def test_a_later_value_is_the_figure_at_its_own_month():
    assert [r for r in _read(MANCHESTER_2014) if r[3] != D(2014, 3, 31)] == [
        ("children-looked-after", Decimal(1406), "count", D(2014, 6, 1)),
        ("children-looked-after", Decimal(128), "per-10000", D(2014, 6, 1))]


HOUNSLOW_2014_PARENT = ("At 31 March 2013, 305 children were being looked after by the local authority (a rate "
                        "of 52 per 10,000 children).")


def test_the_words_before_a_comma_are_the_figure_befores():
    found = _read(HOUNSLOW_2014_PARENT,
                  (2, "Of this number 160 (52%) lived outside the local authority area, 200 (66%) lived within 20 "
                      "miles from their home, and 70 (23%) lived more than 20 miles from their home."),
                  (2, "220 lived with foster families, of whom 53% lived out of the authority area. 14% were placed "
                      "with in-house foster carers, 2% were placed with relatives or friends."))
    measures = [(m, v, u) for m, v, u, _d in found[2:]]
    assert ("children-looked-after-lived-home-within-20-miles", Decimal(200), "count") in measures
    assert ("children-looked-after-foster-families", Decimal(14), "percent") in measures
    assert ("children-looked-after-placed-relatives-friends", Decimal(2), "percent") in measures


MANCHESTER_2017 = [
    "At 8 October 2017, 1,164 children were being looked after by the local authority (a rate of 97 per 10,000 "
    "children). The rate has not changed since 31 March 2017. Of this number:",
    (2, "669 (or 57%) live outside the local authority area, although 86% are placed within Greater Manchester"),
    (2, "62 live in residential children’s homes, of whom 41 live out of the authority area. However, 58% of the "
        "children in residential children’s homes are placed within Greater Manchester"),
    (2, "four live in residential special schools, all of whom are out of the authority area, although two are "
        "within Greater Manchester"),
    (2, "891 live with foster families, of whom 60% live out of the authority area. However, 89% are placed within "
        "Greater Manchester"),
    (2, "100 live with parents, of whom 26% live out of the authority area. However, 94% are placed within Greater "
        "Manchester"),
]


def test_a_figure_after_a_contrast_is_a_part_of_its_items_own():
    found = {(m, v, u) for m, v, u, _d in _read(*MANCHESTER_2017)}
    assert {("children-looked-after-out-of-area-placed-within-greater-manchester", Decimal(86), "percent"),
            ("children-looked-after-residential-special-schools-within-greater-manchester", Decimal(2), "count"),
            ("children-looked-after-foster-families-placed-within-greater-manchester", Decimal(89), "percent"),
            ("children-looked-after-with-parents-placed-within-greater-manchester", Decimal(94), "percent"),
            # named by its own words, a part of the parent's as before
            ("children-looked-after-childrens-homes", Decimal(58), "percent")} <= found


def test_a_share_of_whom_and_a_share_naming_another_part_are_the_items():
    found = _read("At 20th January 2015, 1,294 children were being looked after by the local authority (a rate of 82 "
                  "per 10,000 children). Of this number:",
                  (2, "293 (or 22%) live outside the local authority area"),
                  (2, "992 live with foster families, 50% of whom are with extended family members; 23% live out "
                      "of the authority area"))
    assert [(m, v, u) for m, v, u, _d in found[4:]] == [
        ("children-looked-after-foster-families", Decimal(992), "count"),
        ("children-looked-after-foster-families-extended-family-members", Decimal(50), "percent"),
        ("children-looked-after-foster-families-out-of-area", Decimal(23), "percent")]


DONCASTER_2018 = ("At 31 October 2017, 550 children were being looked after by the local authority (a rate of 84.0 per "
                  "10,000 children). This is an increase from 510 (78 per 10,000 children) at 31 March 2017. Of this "
                  "number:")


def test_a_count_of_another_kind_in_brackets_is_no_second_count_of_the_children():
    found = _read(DONCASTER_2018, (2, "13 live with parents (11 families), of whom one child lives out of the "
                                      "authority area"))
    assert [(m, v, u) for m, v, u, _d in found[2:]] == [
        ("children-looked-after-with-parents", Decimal(13), "count"),
        ("children-looked-after-with-parents-families", Decimal(11), "count"),
        ("children-looked-after-with-parents-out-of-area", Decimal(1), "count")]


LINCOLNSHIRE_2015 = ("At 31st March 2014, 606 children were being looked after by the local authority (a rate of 43.4 "
                     "per 10,000 children). This is an increase from 585 (42.1 per 10,000 children) at 31st March "
                     "2013. Of this number:")


def test_a_footnote_mark_set_off_by_a_space_is_no_figure():
    found = _read(LINCOLNSHIRE_2015, (2, "5 live in residential special schools 4, of whom 20% live out of the "
                                         "authority area"))
    assert [(m, v, u) for m, v, u, _d in found[2:]] == [
        ("children-looked-after-residential-special-schools", Decimal(5), "count"),
        ("children-looked-after-residential-special-schools-out-of-area", Decimal(20), "percent")]


def test_a_figure_after_a_verb_before_of_whom_stays():
    values = [v for _m, v, _u, _d in _read("In the last 12 months, 40 children ceased to be looked after and the "
                                           "number who returned was 12, of whom 5 are disabled.")]
    assert Decimal(12) in values


def test_a_figure_of_these_is_a_part_of_the_figure_just_before():
    found = _read("Of the 633 children looked after at 31 December 2013:",
                  (2, "455 (71.9%%) were placed in foster care, of whom 235 (51.6%) were out of City, with 197 of "
                      "these less than 20 miles from home; 38 local children (8.3%) were placed in foster care more "
                      "than 20 miles from home"))
    assert ("children-looked-after-foster-families-out-of-area-less-than-20-miles", Decimal(197), "count") in [
        (m, v, u) for m, v, u, _d in found]
    found = _read("At 31 March 2014, 500 children were being looked after by the local authority (a rate of 105 per "
                  "10,000 children). Of this number:",
                  (2, "239 (49%) live outside the local authority area but 87% of these are placed within 20 miles "
                      "of their home address"))
    assert [(m, v, u) for m, v, u, _d in found[2:]] == [
        ("children-looked-after-out-of-area", Decimal(239), "count"),
        ("children-looked-after-out-of-area", Decimal(49), "percent"),
        ("children-looked-after-out-of-area-within-20-miles", Decimal(87), "percent")]


def test_a_bracket_after_a_comma_continues_the_clause():
    found = _read("At the end of February 2014, 246 children were being looked after by the LA (a rate of 52.2 per "
                  "10,000 children). Of this number:",
                  (2, "17 live in residential children’s homes, (6.8% of the care population)"))
    assert [(m, v, u) for m, v, u, _d in found[2:]] == [
        ("children-looked-after-childrens-homes", Decimal(17), "count"),
        ("children-looked-after-childrens-homes", Decimal("6.8"), "percent")]


def test_a_figure_of_these_naming_a_measure_of_its_own_keeps_it():
    found = _read("Since the last inspection, six serious incident notifications have been submitted to Ofsted and "
                  "three of these are now serious case reviews that have been completed or are ongoing at the time "
                  "of the inspection.")
    assert [(m, v, u) for m, v, u, _d in found] == [("serious-incident-notifications", Decimal(6), "count"),
                                                    ("serious-case-reviews", Decimal(3), "count")]
