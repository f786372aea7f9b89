"""Parts of a SIF information figure printed in three wordings that left them unnamed ('-x') or
named them after the wrong figure: a percentage with its count in brackets ("of whom 4% (8)
subsequently returned", Doncaster 2018: the 8 was read as a figure of its own, measure
'children-looked-after'), an "of whom" clause between a figure and the words naming it ("150,
of whom 53 (35%) live out of the authority area, live with foster families", York 2017), and a
figure restated to name its part ("40 live in residential children's homes. Of this 40, 28 live
outside the authority area", Wirral 2016: the 40 again, measure 'children-looked-after-x', and
the 28 as all children looked after out of the area). The bullets are those reports'
(../shared/corpus-national), as printed."""
from __future__ import annotations

import re
from decimal import Decimal

from ingest.frameworks.sif_statistics import statistics
from ingest.model import Block

LOOKED_AFTER = ("At 30 September 2016, 190 children were being looked after by the local authority (a rate of "
                "52 per 10,000 children). Of this number:")


def _stats(*items: tuple[int, str]):
    blocks = [Block(i, "bullet", text, level=level) for i, (level, text) in enumerate(items)]
    return [(s.measure, s.value, s.unit) for s in statistics(blocks, re.compile("in post since"))]


def test_a_percentage_with_its_count_in_brackets():
    assert _stats((1, "In the last 12 months (1 November 2016 to 31 October 2017):"),
                  (2, "185 ceased to be looked after, of whom 4% (8) subsequently returned to be looked after.")) == [
        ("ceased-looked-after", 185, "count"),
        ("ceased-looked-after-returned", 4, "percent"),
        ("ceased-looked-after-returned", 8, "count")]


def test_a_count_with_its_percentage_in_brackets_is_unchanged():
    assert _stats((1, LOOKED_AFTER), (2, "72 (or 38%) live outside the local authority area"))[2:] == [
        ("children-looked-after-out-of-area", 72, "count"),
        ("children-looked-after-out-of-area", 38, "percent")]


def test_an_of_whom_clause_before_the_words_naming_the_figure():
    assert _stats((1, LOOKED_AFTER),
                  (2, "150, of whom 53 (35%) live out of the authority area, live with foster families"),
                  (2, "nine, of whom two (22%) live out of the authority area, live with parents"))[2:] == [
        ("children-looked-after-foster-families", 150, "count"),
        ("children-looked-after-foster-families-out-of-area", 53, "count"),
        ("children-looked-after-foster-families-out-of-area", 35, "percent"),
        ("children-looked-after-with-parents", 9, "count"),
        ("children-looked-after-with-parents-out-of-area", 2, "count"),
        ("children-looked-after-with-parents-out-of-area", 22, "percent")]


def test_a_figure_restated_to_name_its_part():
    assert _stats((1, "At 4 July 2016, 705 children were being looked after by the local authority (a rate of 104 "
                      "per 10,000 children)."),
                  (2, "40 live in residential children’s homes. Of this 40, 28 live outside the authority area"),
                  (2, "540 live with foster families. Of This 540, 9.8% live outside the authority area"))[2:] == [
        ("children-looked-after-childrens-homes", 40, "count"),
        ("children-looked-after-childrens-homes-out-of-area", 28, "count"),
        ("children-looked-after-foster-families", 540, "count"),
        ("children-looked-after-foster-families-out-of-area", Decimal("9.8"), "percent")]


def test_of_these_before_a_new_figure_is_a_figure():
    # "Of these 91 ..." after 580: not the figure before, so a figure of its own
    stats = _stats((1, "There were 580 children missing from education in the last calendar year. Of these 91 were "
                       "still recorded as missing at the time of the inspection."))
    assert [v for _, v, _ in stats] == [580, 91]


def test_a_year_in_brackets_after_a_percentage_is_no_count():
    # "% (8)" is a percentage's count; "% (2015)" is the year it is for, never a figure
    stats = _stats((1, "The proportion of children entitled to free school meals in primary schools is 15% (2015), "
                       "compared with 17% nationally."))
    assert 2015 not in [v for _, v, _ in stats] and 15 in [v for _, v, _ in stats]


def test_an_of_whom_clause_runs_to_a_comma_outside_numbers_and_its_words_to_the_next_figure():
    stats = _stats((1, LOOKED_AFTER),
                   (2, "1,150, of whom 1,053 live out of the authority area, live with foster families"),
                   (2, "150, of whom 53 are disabled, and 12 live with parents"))[2:]
    assert stats[0] == ("children-looked-after-foster-families", 1150, "count")
    # the 150's words are not the 12's ("live with parents"): it stays unnamed
    assert [m for m, v, _ in stats if v == 150] == ["children-looked-after-x"]


def test_a_restated_figure_is_the_nearest_one_of_that_value():
    stats = _stats((1, LOOKED_AFTER),
                   (2, "There were 40 referrals in the year. 40 children live in residential children's homes. "
                       "Of these 40, 28 live outside the authority area"))
    assert ("children-looked-after-childrens-homes-out-of-area", 28, "count") in stats


def test_a_figure_printed_after_of_the_names_the_parts_after_it():
    # Portsmouth 2014: the 163 and the 2.5% were both 'children-looked-after', as if one measure
    stats = _stats((1, "In the last 12 months:"),
                   (2, "Of the 163 children who started to be looked after in 2013–14, 2.5% had a prior 'returned "
                       "home' LAC episode ending less than 12 months ago"))
    assert stats == [("started-looked-after", 163, "count"),
                     ("started-looked-after-prior-returned-home-lac", Decimal("2.5"), "percent")]


def test_a_figure_restated_after_of_the_is_read_once():
    # Derby 2017: "Of the 427 children:" was a second 427, measure 'children'
    stats = _stats((1, "At 6 March 2017, 427 children are being looked after by the local authority (a rate of 73 "
                       "per 10,000 children). This is a reduction from 448 (76 per 10,000 children) at 31 March "
                       "2016. Of the 427 children:"),
                   (2, "260 (or 61%) live outside the local authority area"))
    assert stats == [("children-looked-after", 427, "count"), ("children-looked-after", 73, "per-10000"),
                     ("children-looked-after-out-of-area", 260, "count"),
                     ("children-looked-after-out-of-area", 61, "percent")]


def test_a_figure_of_the_item_above_restated_at_the_head_of_an_item_is_read_once():
    # Coventry 2014: "Of the 633 children ...:" was a second 633; its nested items keep the date it prints
    stats = statistics([Block(0, "bullet", "At 31 December 2013, 633 children are being looked after by the local "
                                           "authority (a rate of 88.9 per 10,000 children).", level=1),
                        Block(1, "bullet", "Of the 633 children looked after at 31 December 2013:", level=1),
                        Block(2, "bullet", "332 (52.4%) were placed out of City", level=2)],
                       re.compile("in post since"))
    assert [(s.value, s.unit, s.date.isoformat()) for s in stats] == [
        (633, "count", "2013-12-31"), (Decimal("88.9"), "per-10000", "2013-12-31"),
        (332, "count", "2013-12-31"), (Decimal("52.4"), "percent", "2013-12-31")]


def test_all_of_whom_in_brackets_and_of_these_name_a_part_of_the_figure_before():
    """ "all of whom (100%) live out of the authority area" (Sandwell 2015) and "290 live with
    foster families. Of these, 41% live outside the authority area" (Luton 2016) are parts of the
    homes' and the foster families' counts, not all children looked after's out of the area (as
    the item above them is: several percentages of one measure at one date)."""
    assert _stats((1, LOOKED_AFTER),
                  (2, "181 (47%) live outside the local authority area"),
                  (2, "four live in residential special schools, all of whom (100%) live out of the authority area"),
                  (2, "290 live with foster families. Of these, 41% live outside the authority area"),
                  (2, "22 live with parents. Of these, 32% live outside the authority area"))[2:] == [
        ("children-looked-after-out-of-area", 181, "count"),
        ("children-looked-after-out-of-area", 47, "percent"),
        ("children-looked-after-residential-special-schools", 4, "count"),
        ("children-looked-after-residential-special-schools-out-of-area", 100, "percent"),
        ("children-looked-after-foster-families", 290, "count"),
        ("children-looked-after-foster-families-out-of-area", 41, "percent"),
        ("children-looked-after-with-parents", 22, "count"),
        ("children-looked-after-with-parents-out-of-area", 32, "percent")]
