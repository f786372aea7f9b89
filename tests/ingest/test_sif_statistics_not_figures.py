"""Numbers in a SIF information bullet that are no figure about the area, proportions, and a
part named by the figure it is part of. Where a figure comes from ("(source: data annex table
2.5.2.)", Manchester 2014: table numbers were read as figures 'unnamed', 'free-school-meals-x');
a distance, which bounds a group rather than counts it ("28 miles from mainland Cornwall", Isles
of Scilly 2016; "84% ... placed within 20 miles of home, and 93% within 60 miles", Sheffield 2014:
20 and 60 were counts, the two percentages word-made names); the second part of a financial year
("During 2012–13:", Bolton 2014: a count 13); "one in four", a ratio rather than the counts one
and four (Luton, Lewisham, Thurrock 2016, Liverpool 2014, whose "national figure is one in five"
is the comparator); and "but 39 (of the 78) children live within 10 miles" (Barnsley 2014), a
part of the 78 printed in the item above, not a new figure 78; the bands of a ranking ("in the lowest 3,
10 and 20% most deprived areas", Leeds 2015: three figures, one 'unnamed') and the first age of a band of
ages ("the 0 to 4 age band", Manchester 2014: a count 0). The sentences are those reports'
(../shared/corpus-national), kept here as printed."""
from __future__ import annotations

import re
from decimal import Decimal

from ingest.frameworks.sif_statistics import statistics
from ingest.model import Block


def _stats(*items: str | tuple[int, str]):
    """(measure, value, unit) of the statistics of bullets; an item (2, text) is nested."""
    blocks = [Block(i, "bullet", t if isinstance(t, str) else t[1], level=1 if isinstance(t, str) else t[0])
              for i, t in enumerate(items)]
    return [(s.measure, s.value, s.unit) for s in statistics(blocks, re.compile("in post since"))]


def test_a_source_is_no_figure():
    assert _stats("36.6% of the local authority’s children are living in poverty (source: data annex table "
                  "2.5.2.)") == [("children-in-poverty", Decimal("36.6"), "percent")]
    assert _stats("The proportion of children entitled to free school meals: in primary schools is 35.4% (the "
                  "national average is 18.1%) (source: data annex table 2.8.1)") == [
        ("free-school-meals-primary-schools", Decimal("35.4"), "percent")]


def test_a_source_left_open_is_no_figure_either():
    assert _stats("The largest minority ethnic groups of children and young people in the area are Asian or "
                  "Asian British: 22%; and Black or Black British: 13.1% (source: data annex table 2.2.1") == [
        ("minority-ethnic-group-asian-british", Decimal("22"), "percent"),
        ("minority-ethnic-group-black-british", Decimal("13.1"), "percent")]


def test_a_distance_is_no_figure():
    assert _stats("The Isles of Scilly are a small isolated community 28 miles from mainland Cornwall.") == []
    assert _stats("The City of London is just over one square mile in size.") == []


def test_a_distance_band_names_the_figure_it_bounds():
    assert _stats("In December 2013 84% of looked after children were placed within 20 miles of home, and 93% "
                  "within 60 miles of home.") == [
        ("children-looked-after-within-20-miles", Decimal("84"), "percent"),
        ("children-looked-after-within-60-miles", Decimal("93"), "percent")]


_BARNSLEY = ("At 31 May 14, 227 children were being looked after by the LA (a rate of 46.2 per 10,000 children). "
             "This is a reduction from 234 (47.8 per 10,000 children) at 31 March 2013.")


def test_a_part_is_named_by_the_figure_it_is_part_of():
    stats = _stats(_BARNSLEY, (2, "78 (or 34.4%) live outside the local authority area"),
                   (2, "but 39 (of the 78) children live within 10 miles of the Barnsley boundary"))
    assert stats[2:] == [
        ("children-looked-after-out-of-area", 78, "count"),
        ("children-looked-after-out-of-area", Decimal("34.4"), "percent"),
        ("children-looked-after-out-of-area-children-live-barnsley-boundary-within-10-miles", 39, "count")]


def test_a_part_of_a_figure_not_printed_before_keeps_its_own_name():
    # "(of the 78)" with no 78 read before: named as any nested item, the 78 still no figure
    stats = _stats(_BARNSLEY, (2, "but 39 (of the 78) children live within 10 miles of the Barnsley boundary"))
    assert [(m, v) for m, v, _ in stats[2:]] == [
        ("children-looked-after-children-live-barnsley-boundary-within-10-miles", 39)]


def _ratio_stats(text: str):
    blocks = [Block(0, "bullet", text, level=1)]
    return [(s.measure, s.value, s.unit, s.comparator, s.comparator_value)
            for s in statistics(blocks, re.compile("in post since"))]


def test_one_in_four_is_a_ratio_not_two_counts():
    # Luton 2016: the count in brackets stays a count
    assert _ratio_stats("One in four (14,769) children in Luton live in poverty, using the national definitions.") == [
        ("children-in-poverty", 14769, "count", None, None),
        ("children-in-poverty", Decimal("0.250"), "ratio", None, None)]


def test_the_national_one_in_five_is_the_comparator():
    # Liverpool 2014
    assert _ratio_stats("Child poverty is significantly higher than the national average, with approximately one "
                        "in three children living in poverty, whereas the national figure is one in five.") == [
        ("children-in-poverty", Decimal("0.333"), "ratio", "national average", Decimal("0.200"))]


def test_a_national_one_in_five_alone_is_never_the_area_s_figure():
    # a sentence (made for the case: review) with the area's figure a percentage and the
    # national one a ratio: the ratio is no figure of the area's
    got = _ratio_stats("30% of children live in low-income families (national average one in five).")
    assert [row for row in got if row[2] == "ratio"] == []
    assert got[0][1:3] == (Decimal("30"), "percent")


def test_a_count_in_a_number_of_months_is_no_ratio():
    assert _ratio_stats("Five in 12 months were adopted.") == [("adoptions", 5, "count", None, None)]


def test_the_second_part_of_a_financial_year_is_no_figure():
    # Bolton 2014 "During 2012–13:" was a count 13; Portsmouth 2014 "in 2013–14, 2.5% had ..." a count 14
    assert _ratio_stats("During 2012–13:") == []
    assert [(m, v) for m, v, *_ in _ratio_stats("In 2013–14, 12 children were adopted.")] == [("adoptions", 12)]


def test_the_bands_of_a_ranking_are_no_figures():
    # Leeds 2015 (3, an 'unnamed' 10 and 20% were figures), Liverpool 2014 (1%), Luton 2016 (10%)
    for item in ("Leeds has a greater-than-national proportion of areas in the lowest 3, 10 and 20% most deprived "
                 "areas in the country.",
                 "Levels of deprivation in Liverpool are particularly high and many wards are ranked as being in the "
                 "most deprived 1% to 10% nationally.",
                 "The levels of deprivation affecting children in Luton are high, with several wards having output "
                 "areas in the top 10% most deprived areas in the country.",
                 "Leeds has a greater-than-national proportion of areas in the lowest 3 per cent most deprived "
                 "areas in the country."):
        assert _stats(item) == [], item
    # ... a figure printed beside a band stays
    assert _stats("The levels of deprivation affecting children in Luton are high, with 12 wards having output "
                  "areas in the top 10% most deprived areas in the country.") == [
        ("levels-deprivation-affecting-children-luton-high", 12, "count")]


def test_the_first_age_of_a_band_of_ages_is_no_figure():
    # Bury 2016 and Manchester 2014: the 0 was a count ('minority-ethnic-children', and a word-made name)
    assert _stats("The single most populous 0 to 17 years minority ethnic group is Pakistani.") == []
    got = _stats("The growth in Manchester’s child population has, however, not been equally spread across the age "
                 "groups: the 0 to 4 age band has risen substantially in number –almost 11,882 children or 46% "
                 "between 2001 and 2013.")
    assert [(v, u) for _m, v, u in got] == [(11882, "count"), (46, "percent")]
    assert _stats("The single most populous 0-17 year-olds minority ethnic group is Pakistani.") == []


def test_a_rank_printed_as_an_ordinal_is_no_figure():
    # Barnsley 2014: "47th" was a count 47; Derbyshire 2014: "3rd sector" a count 3 (and "rd" a word of a name)
    got = _stats("The local authority demographics provide a contrast of a small, but growing, ethnic minority "
                 "population (rising from 1% in 2001 to 2.1% in 2011) with overall high levels of deprivation "
                 "(Barnsley is the 47th most deprived borough nationally).")
    assert 47 not in [v for _m, v, _u in got]
    got = _stats("6 lived in residential special schools (all 3rd sector), of whom 83.3% lived out of the authority "
                 "area")
    assert [(v, u) for _m, v, u in got] == [(6, "count"), (Decimal("83.3"), "percent")]
    assert not any("-rd" in m for m, _v, _u in got)
    # a day printed as an ordinal is still a date's
    assert _stats("At 20th January 2015, 1,294 children were being looked after by the local authority.") == [
        ("children-looked-after", 1294, "count")]


def test_a_range_of_values_is_no_figure():
    # Norfolk 2015: 1,200 was a count of a word-made name; Portsmouth 2014: the wards' 6.3% a figure
    assert _stats("Estimates show that between 1,000 and 1,200 Traveller children of school age either visit or "
                  "live in Norfolk per year.") == []
    assert _stats("The city's child poverty rate (24.4%) masks significant differences at ward level, with rates "
                  "ranging from 6.3% to 48.1%.") == [("children-in-poverty", Decimal("24.4"), "percent")]
    # a change from one figure to another is no range: the later is the figure (test_sif_compared_values)
    assert [v for _m, v, _u in _stats("The number of children subject to a child protection plan rose from 213 "
                                      "to 340.")] == [340]


def test_a_number_broken_by_a_stray_comma_is_no_figure():
    # Sandwell 2015: "2, 8483" (2,848 and a footnote mark, or 28,483?) gave a count 8483 'unnamed'
    got = _stats("There have also been additions to the established communities, including the number of "
                 "individuals born in Bangladesh increasing by 1,120 to 2, 8483.")
    assert [v for _m, v, _u in got] == []     # the change 1,120 is no figure either (test_sif_compared_values)
    # a list of small numbers is no broken number
    assert [v for _m, v, _u in _stats("3, 10 and 20 children were adopted.")] == [3, 10, 20]


def test_money_and_the_size_of_a_ranked_group_are_no_figures():
    # Liverpool 2014: a count 8 and a count 700, each of a word-made name
    assert _stats("Household income during 2012 was the second lowest of the eight core cities in England and fell "
                  "by over £700 between 2011 and 2012.") == []
    # "£1.5 million" was a count 1.5; the homes beside it stay a count
    assert _stats("The council invested £1.5 million in 12 new children's homes.") == [
        ("childrens-homes", 12, "count")]


def test_a_footnote_mark_glued_to_a_word_is_no_figure():
    # Leeds 2015: the footnote mark 3 was a second count of children in residential special schools
    got = _stats("At 20th January 2015, 1,294 children were being looked after by the local authority (a rate of 82 "
                 "per 10,000 children). Of this number:",
                 (2, "4 live in residential special schools3, all of whom live out of the authority area"))
    assert [(v, u) for _m, v, u in got] == [(1294, "count"), (82, "per-10000"), (4, "count")]
    # a figure glued to the word before it is still read (Torbay 2016 prints "the national average is19.4%")
    assert _stats("There were 12 adoptions, or is19.4% of those looked after.")[1][1:] == (Decimal("19.4"), "percent")


def test_one_of_the_is_no_count():
    # Norfolk 2015 and Coventry 2017: each a count 1 of a word-made name
    assert _stats("This makes them one of the largest ethnic minority groups in Norfolk.") == []
    assert _stats("Coventry City is one of the national ‘Prevent’ duty priority areas.") == []
    # ... "one of whom" is a count
    assert [v for _m, v, _u in _stats("In the last 12 months, 12 children ceased to be looked after, one of whom "
                                      "returned home.")] == [12, 1]


def test_the_ages_of_an_age_group_are_no_figures():
    # Barnsley 2014: the 0 of "0-15 age group" was a count 'growth'
    assert _stats("Growth in the 0-15 age group is projected (to 2022) to be around the England average but above "
                  "the regional average.") == []
