"""The earlier value a SIF information bullet gives after its figure ("This is a reduction from
719 at 31 March 2013"), also when it is printed for a year rather than a day. The sentence is
Swindon 2014's (../shared/corpus-national); the variants edit its year."""
from __future__ import annotations

import re

import pytest

from ingest.frameworks.sif_statistics import statistics
from ingest.model import Block

SWINDON = ("At the end of March 2013, seven children lived in a privately arranged fostering placement. "
           "This is a reduction from eight in 2011–12.")


def _figures(text: str):
    return [(s.measure, s.value, s.unit, s.earlier_value, s.earlier_date)
            for s in statistics([Block(0, "bullet", text, level=1)], re.compile("in post since"))]


@pytest.mark.parametrize("year", ["2011–12", "2011-12", "2011/12", "2012"])
def test_an_earlier_value_printed_for_a_year(year):
    assert _figures(SWINDON.replace("2011–12", year)) == [
        ("privately-fostered-children", 7, "count", 8, None)]
