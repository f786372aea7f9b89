"""The shared patterns and converters, on wordings taken from real reports."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from core.iris import slug
from ingest import patterns


@pytest.mark.parametrize("text,expected", [
    ("Inspection date: 30 September – 22 October 2014", (dt.date(2014, 9, 30), dt.date(2014, 10, 22))),
    ("Inspection dates: 8 – 18 May 2012", (dt.date(2012, 5, 8), dt.date(2012, 5, 18))),
    ("Inspection date: 24 April 2017 to 18 May 2017", (dt.date(2017, 4, 24), dt.date(2017, 5, 18))),
    ("Inspection dates: 11 to 22 May 2026", (dt.date(2026, 5, 11), dt.date(2026, 5, 22))),
    ("Inspection dates: 29 December 2025 to 9 January 2026", (dt.date(2025, 12, 29), dt.date(2026, 1, 9))),
    ("Inspection dates: 11—22 May 2026", (dt.date(2026, 5, 11), dt.date(2026, 5, 22))),
    ("Inspection dates: 12/09/2016 – 06/10/2016", (dt.date(2016, 9, 12), dt.date(2016, 10, 6))),
    # a list of days: from the first (its month and year the first printed after it) to the last
    ("on 29 and 30 September, and 1 October 2020", (dt.date(2020, 9, 29), dt.date(2020, 10, 1))),
    ("on 1, 2 and 3 May 2019", (dt.date(2019, 5, 1), dt.date(2019, 5, 3))),
    ("on 30, 31 December and 2 January 2020", (dt.date(2019, 12, 30), dt.date(2020, 1, 2))),
    # two ranges (an inspection in two parts) give the first; its framework reads the second
    ("8 July 2019 to 12 July 2019 and 7 August 2019 to 8 August 2019", (dt.date(2019, 7, 8), dt.date(2019, 7, 12))),
    ("5 to 9 December 2022 and 14 to 15 February 2023", (dt.date(2022, 12, 5), dt.date(2022, 12, 9))),
])
def test_date_ranges(text, expected):
    assert patterns.parse_date_range(text) == expected


@pytest.mark.parametrize("printed", [
    "Local Safeguarding Children Board", "Swindon Safeguarding Children Board", "LSCB", "SSCB", "CYSCB",
    "Bath and North East Somerset Local Safeguarding Children Board",
])
def test_safeguarding_board_by_name_or_acronym(printed):
    assert re.fullmatch(patterns.SAFEGUARDING_BOARD, printed, re.I)


@pytest.mark.parametrize("printed", ["Safeguarding Children Board", "the board", "SCR", "Local Safeguarding Board"])
def test_safeguarding_board_needs_a_name_and_the_whole_title(printed):
    assert not re.fullmatch(patterns.SAFEGUARDING_BOARD, printed, re.I)


def test_impossible_date_is_an_error_not_a_guess():
    with pytest.raises(ValueError):
        patterns.parse_date_range("Inspection dates: 20 – 31 February 2015")
    # issue 13 item 6: a printed date that is no date is an error quoting it, never None
    with pytest.raises(patterns.ImpossibleDate, match="31 February 2015"):
        patterns.parse_date("Report published: 31 February 2015")


@pytest.mark.parametrize("printed,quoted", [
    ("Report published: 45 Octember 2016", "45 Octember 2016"),
    ("Report published: 45 October 2016", "45 October 2016"),
    ("Report published: 31/02/2016", "31/02/2016"),
    ("Report published: 12/13/2016", "12/13/2016"),
])
def test_dates_that_are_no_dates_quote_the_print(printed, quoted):
    with pytest.raises(patterns.ImpossibleDate) as err:
        patterns.parse_date(printed)
    assert err.value.printed == quoted


def test_numeric_dates_are_day_first():
    assert patterns.parse_date("Report published: 25/11/2016") == dt.date(2016, 11, 25)
    assert patterns.parse_date_range("Inspection date: 12/09/2016 to 06/10/2016") == \
        (dt.date(2016, 9, 12), dt.date(2016, 10, 6))
    with pytest.raises(patterns.ImpossibleDate, match="06/13/2016"):
        patterns.parse_date_range("Inspection date: 12/09/2016 to 06/13/2016")


@pytest.mark.parametrize("text,date", [
    ("27 February 2019", dt.date(2019, 2, 27)), ("on 8 December 2020", dt.date(2020, 12, 8)),
    ("1 January 2019", dt.date(2019, 1, 1)), ("12 October 2016", dt.date(2016, 10, 12)),
    ("3 September 2018", dt.date(2018, 9, 3)), ("4 November 2021", dt.date(2021, 11, 4)),
])
def test_real_month_names_are_never_false_months(text, date):
    assert patterns.parse_date(text) == date
    assert patterns.parse_date_range(text) is None     # one date is no range, and no error


def test_text_without_a_date_is_none():
    assert patterns.parse_date("Report published: to be confirmed") is None
    assert patterns.parse_date("Children in Years 10 and 11") is None


@pytest.mark.parametrize("printed,key", [
    ("Requires improvement", "requires-improvement"),
    ("Requires improvement to be good", "requires-improvement-to-be-good"),
    ("Requires improvement to\nbe good", "requires-improvement-to-be-good"),
    ("Grade 3 (Adequate)", "adequate"),
    ("Grade 1", "outstanding"),
    ("Inadequate", "inadequate"),
    ("children's services require improvement", "requires-improvement"),
    ("nothing graded here", None),
])
def test_grade_keys(printed, key):
    assert patterns.grade_key(printed) == key


@pytest.mark.parametrize("words,n", [("Fifty", 50), ("twenty-five", 25), ("one hundred and six", 106),
                                     ("seven", 7), ("a hundred", 100), ("Bristol", None)])
def test_numbers_written_in_words(words, n):
    assert patterns.words_to_number(words) == n


def test_to_decimal():
    assert patterns.to_decimal("1,008") == Decimal(1008)
    assert patterns.to_decimal("59.4%") == Decimal("59.4")
    assert patterns.to_decimal("Fifty") == Decimal(50)


def test_slug_is_ascii_and_stable():
    assert slug("Children’s services: Bath & N.E. Somerset") == "childrens-services-bath-n-e-somerset"


def test_a_list_of_days_needs_its_last_day_printed_whole():
    # no month for the list: not a list of dates (and no error)
    assert patterns.parse_date_range("on 12, 13 and 14 2019") is None
