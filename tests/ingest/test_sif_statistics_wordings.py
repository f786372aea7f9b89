"""Wordings of a SIF information bullet that made figures of what is not one, or left a figure's
parts unnamed: a day printed with a two-digit year ("At 17 June 14", Barnsley 2014: day and
year were read as figures of a measure 'june'), national values printed as "the national
proportion (level) is" (Bury, Wirral, Gateshead, Greenwich 2016: read as the area's figures),
and one sentence giving both school phases after a colon (Derbyshire 2014: the second phase was
a measure 'secondary-schools' and took both comparators). The sentences are those reports'
(../shared/corpus-national), kept here as printed."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from ingest.frameworks.sif import parse
from ingest.frameworks.sif_statistics import statistics
from ingest.model import Block
from ingest.normalise import normalise
from ingest.readers import read
from tests.conftest import shared_or_skip


def _stats(*texts: str):
    blocks = [Block(i, "bullet", t, level=1) for i, t in enumerate(texts)]
    return [(s.measure, s.value, s.unit, s.date, s.comparator_value)
            for s in statistics(blocks, re.compile("in post since"))]


def test_two_digit_year():
    assert _stats("At 17 June 14, 1,251 children had been identified through assessment as being formally in "
                  "need of a specialist children’s service.") == [
        ("children-in-need", 1251, "count", dt.date(2014, 6, 17), None)]


def test_a_count_after_a_day_and_month_is_no_year():
    # no comma after "14": the children's count, not the year 2014 (the reviewer's example)
    stats = _stats("At 31 March 14 children were the subject of a child protection plan.")
    assert ("child-protection-plans", 14, "count") in [(m, v, u) for m, v, u, _, _ in stats]
    assert all(d != dt.date(2014, 3, 31) for _, _, _, d, _ in stats)


def test_two_digit_year_keeps_the_earlier_value():
    assert [(m, v, u, d) for m, v, u, d, _ in _stats(
        "At 31 May 14, 261 children and young people were the subject of a child protection plan. This is an "
        "increase from 187 at 31 March 2013.")] == [
        ("child-protection-plans", 261, "count", dt.date(2014, 5, 31))]


@pytest.mark.parametrize("who", ["national proportion", "national level", "national average"])
def test_national_value_is_a_comparator(who):
    assert _stats(f"The proportion of children entitled to free school meals: in primary schools is 17.7% "
                  f"(the {who} is 15.6%)") == [
        ("free-school-meals-primary-schools", Decimal("17.7"), "percent", None, Decimal("15.6"))]


def test_both_school_phases_in_one_sentence():
    assert _stats("The proportion of children entitled to free school meals: in primary schools is 15.3% (the "
                  "national average is 18.1%); in secondary schools is 12.2% (the national average is 15.1%).") == [
        ("free-school-meals-primary-schools", Decimal("15.3"), "percent", None, Decimal("18.1")),
        ("free-school-meals-secondary-schools", Decimal("12.2"), "percent", None, Decimal("15.1"))]


def test_a_colon_lead_without_a_part_keeps_the_period_wording():
    assert [m for m, *_ in _stats("In the last 12 months: 82 children ceased to be looked after, of whom four (5%) "
                                  "subsequently returned to be looked after")] == [
        "ceased-looked-after", "ceased-looked-after-returned", "ceased-looked-after-returned"]


@pytest.mark.slow
def test_national_barnsley_2014_has_no_month_measures():
    path = shared_or_skip("corpus-national", "inspections", "80426_barnsley_2014-08-08.pdf")
    stats = parse(normalise(read(str(path)))).statistics
    assert not any(s.measure.split("-")[0] in ("may", "june") for s in stats)
    cin = next(s for s in stats if s.measure == "children-in-need")
    assert (cin.value, cin.date, cin.earlier_value) == (1251, dt.date(2014, 6, 17), 1177)


def test_the_largest_minority_ethnic_groups_are_each_a_group_s_share():
    # Lewisham 2016: the first group was 'minority-ethnic-children' (all groups' share, printed in the item
    # before), the others word-made names; Wolverhampton 2017: the second was 'respectively'
    def read(text):
        return [(s.measure, s.value) for s in statistics([Block(0, "bullet", text, level=1)],
                                                          re.compile("in post since"))]
    assert read("The largest minority ethnic groups of children and young people in the area are Black/Black "
                "British African (15.70%), Black/Black British Caribbean (11.70%) and Other Black (8.3%).") == [
        ("minority-ethnic-group-black-british-african", Decimal("15.70")),
        ("minority-ethnic-group-black-british-caribbean", Decimal("11.70")),
        ("minority-ethnic-group-other-black", Decimal("8.3"))]
    assert read("The largest minority ethnic groups of children and young people in the area are Asian or Asian "
                "British, followed by Mixed (20.6% and 11.3% respectively).") == [
        ("minority-ethnic-group-asian-british", Decimal("20.6")), ("minority-ethnic-group-mixed", Decimal("11.3"))]
    assert read("The largest minority ethnic group of children and young people in the area is Mixed ethnicity, "
                "which accounts for 2%.") == [("minority-ethnic-group-mixed-ethnicity", 2)]
    # the share of all minority ethnic groups keeps its measure
    assert read("Children and young people from minority ethnic groups account for 20.1% of all children living "
                "in the area, compared with 21.6% in the country as a whole.") == [
        ("minority-ethnic-children", Decimal("20.1"))]


def test_houses_of_multiple_occupancy_are_houses_of_multiple_occupation():
    # Isle of Wight 2014, Gateshead 2016: 'ceased-looked-after', a second count of those who ceased
    got = statistics([Block(0, "bullet", "In the last 12 months:", level=1),
                      Block(1, "bullet", "87 children ceased to be looked after, of whom 13% subsequently returned "
                                         "to be looked after", level=2),
                      Block(2, "bullet", "eight children and young people ceased to be looked after and are now "
                                         "living in houses of multiple occupancy.", level=2)],
                     re.compile("in post since"))
    assert [(s.measure, s.value) for s in got][-1] == ("ceased-looked-after-multiple-occupation", 8)


def test_a_privately_arranged_foster_placement_is_private_fostering():
    # Peterborough 2015, Solihull 2016: word-made names
    got = statistics([Block(0, "bullet", "At 31 March 2016, two children lived in a privately arranged foster "
                                         "placement.", level=1)], re.compile("in post since"))
    assert [(s.measure, s.value) for s in got] == [("privately-fostered-children", 2)]
