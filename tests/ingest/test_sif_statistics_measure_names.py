"""Measure names made of a SIF information bullet's own words, which no phrasing table knows: a
measure is an IRI shared by every authority, so the report's own authority's name is no word of
it ("There are over 100 languages spoken in Coventry", Coventry 2014: 'over-languages-spoken-coventry'),
and neither is a filler word it opens with ("However, during the inspection this figure reached
over 340", Bolton 2014). The sentences are those reports' (../shared/corpus-national), kept here
as printed."""
from __future__ import annotations

import re
from decimal import Decimal

from ingest.frameworks.sif_measures import place_name
from ingest.frameworks.sif_statistics import statistics
from ingest.model import Block


def _read(*texts: str, authority: str | None = None):
    blocks = [Block(i, "bullet", t, level=1) for i, t in enumerate(texts)]
    return [(s.measure, s.value, s.unit) for s in statistics(blocks, re.compile("in post since"), authority)]


def test_the_authoritys_own_name_is_no_word_of_a_measure():
    assert _read("There are over 100 languages spoken in Coventry.", authority="Coventry City Council") == [
        ("languages-spoken", Decimal(100), "count")]
    assert _read("The local authority reports that Manchester’s child population has been growing at around 2% "
                 "annually over the last decade, reaching 2.7% in 2011.", authority="Manchester City Council")[0] == (
        "local-authority-reports-child-population-growing", Decimal(2), "percent")


def test_another_authoritys_name_and_a_region_stay():
    assert _read("There are over 100 languages spoken in Coventry.", authority="Warwickshire") == [
        ("languages-spoken-coventry", Decimal(100), "count")]
    assert _read("At 8 October 2017, 1,164 children were being looked after by the local authority. However, 89% "
                 "are placed within Greater Manchester", authority="Manchester City Council")[-1][0].endswith(
        "greater-manchester")


def test_the_name_as_printed_with_its_generic_words():
    assert place_name("Isles of Scilly").search("28 miles from mainland Cornwall, the Isles of Scilly")
    assert place_name("Brighton & Hove City Council").search("children living in Brighton and Hove")
    assert place_name("Stockton-on-Tees Borough Council").search("children in Stockton-on-Tees")
    assert place_name("City of London") is None     # generic words only


def test_a_filler_word_a_phrase_opens_with_is_no_word_of_its_measure():
    assert _read("However, during the inspection this figure reached over 340, representing a 63% increase in the "
                 "last ten months.")[0] == ("during-inspection-figure-reached-over-representing", Decimal(340), "count")
    assert _read("There are over 100 languages spoken in Coventry.", authority="Coventry City Council") == [
        ("languages-spoken", Decimal(100), "count")]


def _nested(parent: str, *items: str):
    blocks = [Block(0, "bullet", parent, level=1)] + [Block(i + 1, "bullet", t, level=2) for i, t in enumerate(items)]
    return [(s.measure, s.value, s.unit) for s in statistics(blocks, re.compile("in post since"))]


def test_phrasings_several_authorities_print_name_the_tables_measures():
    # Coventry and Hillingdon 2014
    assert _read("19% of school-age children are eligible for a free school meal.") == [
        ("free-school-meals", Decimal(19), "percent")]
    assert _nested("Of the 367 children looked after at 31 March 2013:", "157 (43%) were placed out of borough",
                   "252 (69%) were placed in foster care, of whom 126 (50%) were out of borough")[1:] == [
        ("children-looked-after-out-of-area", Decimal(157), "count"),
        ("children-looked-after-out-of-area", Decimal(43), "percent"),
        ("children-looked-after-foster-families", Decimal(252), "count"),
        ("children-looked-after-foster-families", Decimal(69), "percent"),
        ("children-looked-after-foster-families-out-of-area", Decimal(126), "count"),
        ("children-looked-after-foster-families-out-of-area", Decimal(50), "percent")]
    # Southwark 2017; Thurrock 2016
    parent = ("At 28 February 2017, 510 children were being looked after by the local authority (a rate of 81 per "
              "10,000 children).")
    assert _nested(parent, "368 (or 72%) live outside of the local authority area")[2:] == [
        ("children-looked-after-out-of-area", Decimal(368), "count"),
        ("children-looked-after-out-of-area", Decimal(72), "percent")]
    assert _nested(parent, "77 children are UASC.")[2:] == [
        ("children-looked-after-unaccompanied-asylum-seeking", Decimal(77), "count")]


def test_parts_a_sentence_without_a_colon_leads_in_to():
    # Sheffield 2014: the second percentage was a measure 'secondary-schools' of its own
    assert _read("The proportion of children entitled to free school meals in primary schools is 21% (the national "
                 "average is 18%), and in secondary schools is 18% (the national average is 15%).") == [
        ("free-school-meals-primary-schools", Decimal(21), "percent"),
        ("free-school-meals-secondary-schools", Decimal(18), "percent")]
    assert _read("The proportion of children and young people with English as an additional language in primary "
                 "schools is 20% (the national average is 18%) and in secondary schools it is 15% (the national "
                 "average is 14%).") == [
        ("english-additional-language-primary-schools", Decimal(20), "percent"),
        ("english-additional-language-secondary-schools", Decimal(15), "percent")]
