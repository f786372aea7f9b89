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
