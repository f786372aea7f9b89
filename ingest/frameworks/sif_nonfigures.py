"""Numbers a SIF information bullet prints that are no figure of the area, and the date a figure
is printed at.

Dates, years, year spans, ages, durations, key stages, distances and the sources of figures are
printed with digits but count nothing: ``without_dates`` blanks the printed dates, years and
sources out of a sentence (same length, so that positions still match the sentence) and
``is_fact`` refuses what is left that an age, a duration or a year is (by the words around it).
Used by ``sif_statistics``.
"""
from __future__ import annotations

import datetime as dt
import re

from .. import patterns

#: numbers that are not facts: ages, durations, key stages, per-10,000 denominators, years
#: ... and distances, which bound a group rather than count it ("placed within 20 miles of home",
#: "28 miles from mainland Cornwall", "one square mile"), and the first age of a band of ages ("the
#: single most populous 0 to 17 years minority ethnic group", Bury 2016; "the 0 to 4 age band",
#: Manchester 2014: each 0 was a count; "Growth in the 0-15 age group", Barnsley 2014)
_NOT_A_FACT_AFTER = re.compile(r"^\s*(?:-\s*)?(?:months?|years?|days?|weeks?|-?year-olds?|and under\b|age (?:band|group)s?\b|"
                               r"and \d+-year|(?:square )?miles?\b|"
                               r"(?:to|[-–—])\s*\d+\s*(?:years?\b|-?year-olds?|age (?:band|group)))", re.I)
_NOT_A_FACT_BEFORE = re.compile(r"(?:\baged|\bage of|\bunder|\bYear|\bstage|\bper|\bthan|"
                                r"\bbetween|\bsince|\bto)\s*$", re.I)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_DATE = re.compile(rf"{patterns.DAY_MONTH_YEAR.pattern}|{patterns.MONTH_YEAR.pattern}", re.I)
#: a date printed in figures, day first, with slashes or dots and a year of two or four digits:
#: "between 1/04/12 and 31/01/14" (Hounslow 2014: read as the figures 4, 12, 31, 1 and 14),
#: "at 31/03/2014", "31.03.2015". A dotted date's month has two digits, as a date's is printed:
#: "data annex table 5.3.51" is no date
_NUMERIC_DATE = re.compile(r"\b(?P<d>0?[1-9]|[12]\d|3[01])(?:/(?P<m>0?[1-9]|1[0-2])/|\.(?P<m2>0[1-9]|1[0-2])\.)"
                           r"(?P<y>(?:19|20)\d\d|\d\d)\b(?![/.]?\d)")
#: a day printed with a two-digit year, "At 17 June 14" (Barnsley 2014): the 2000s
_SHORT_YEAR_DATE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({patterns.MONTH_NAME})\s+(\d{{2}})\b(?![,.]?\d)", re.I)
#: ... set off by a comma, as printed: "At 31 March 14 children were ..." is a count of 14
_AT_SHORT_YEAR = re.compile(rf"\b(?:as\s+)?at\s+{_SHORT_YEAR_DATE.pattern}(?=\s*,)", re.I)
_AT_DATE = re.compile(rf"\b(?:as\s+)?at\s+(?:({patterns.DAY_MONTH_YEAR.pattern})|(?={_NUMERIC_DATE.pattern}))", re.I)
#: a month printed without its day: "As at May 2015, 1,732 children had been identified" (Oldham 2015: no date, so
#: the inspection's was assumed), "At September 2017, 276 children", "(as at August 2013)", "At the end of February
#: 2014, 246 children", "At end of November 2014,"; :func:`patterns.month_date` gives the day it stands for
_AT_MONTH = re.compile(rf"\b(?:as\s+)?at\s+(?:(?:the\s+)?end\s+of\s+)?{patterns.MONTH_YEAR.pattern}", re.I)
#: a sentence printed at the time of the inspection: "At the time of this inspection, 328 children
#: were looked after" (Hounslow 2014), nested under "At 31 March 2013, 305 children ..."
_AT_INSPECTION = re.compile(r"\s*(?:As\s+)?at the time of (?:this|the) inspection\b", re.I)
BETWEEN_YEARS = re.compile(r"\bbetween ((?:19|20)\d\d) and ((?:19|20)\d\d)\b", re.I)
#: a financial or school year, "2012–13", "2013/14": its second part is no figure ("During 2012–13:",
#: Bolton 2014, was a count 13)
_YEAR_SPAN = re.compile(rf"\b(?:19|20)\d\d\s*(?:{patterns.DASH}|/)\s*\d\d(?:\d\d)?\b")
#: a date that bounds a range, as printed: "1/04/12", "31.03.2015", "1 April 2012", "October 2013"
_RANGE_END = rf"(?:\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{patterns.MONTH_NAME}\s+\d{{4}})"
#: the period between two dates that figures are counted over: "returned to be looked after between
#: 1/04/12 and 31/01/14" (Hounslow 2014), "increased by 4% between October 2013 and October 2014"
#: (Peterborough 2015), "between April 2014 up to the end of December 2014" (Leeds 2015)
_BETWEEN_DATES = re.compile(rf"\bbetween\s+(?P<a>{_RANGE_END})\s+(?:and|to|up to(?: the end of)?)\s+"
                            rf"(?P<b>{_RANGE_END})\b", re.I)
#: a period from a date to the inspection, kept as printed as the periods before an inspection are ("In the two
#: years prior to inspection"): "The number of children identified between March 2013 and this inspection was
#: 1,617" (Hounslow 2014: no period); the inspection's dates are the report's, not the sentence's
_TO_INSPECTION = re.compile(rf"\bbetween\s+{_RANGE_END}\s+and\s+(?:the\s+time\s+of\s+)?(?:this|the)\s+inspection\b",
                            re.I)
#: the bands of a ranking, which bound where the area ranks rather than count anything: "areas in
#: the lowest 3, 10 and 20% most deprived areas" (Leeds 2015: the 10 was a figure of no name), "in
#: the most deprived 1% to 10% nationally" (Liverpool 2014), "in the top 10% most deprived areas"
#: (Luton 2016). A band is a percentage or a list of them right after the word that ranks
_BAND_NUM = r"\d+(?:\.\d+)?"
_RANKING_BAND = re.compile(rf"\b(?:top|bottom|lowest|highest|(?:most|least) deprived)\s+{_BAND_NUM}"
                           rf"(?:\s*(?:%|per cent))?(?:\s*(?:,|and|or|to|{patterns.DASH})\s*{_BAND_NUM}"
                           rf"(?:\s*(?:%|per cent))?)*(?<=%|t)", re.I)
#: a rank, printed as an ordinal, which places the area rather than counts anything: "the 47th most deprived
#: borough nationally" (Barnsley 2014: a count 47), "ranked equal 16th", "(all 3rd sector)" (Derbyshire 2014: a
#: count 3, and "rd" a word of its name); a date's day ("At 20th January 2015") is blanked before as a date's
_ORDINAL = re.compile(r"(?<![\w.,])\d+(?:st|nd|rd|th)\b", re.I)
#: a range of values, which is no one figure and which a statistic cannot hold (it has one value): "between
#: 1,000 and 1,200 Traveller children of school age" (Norfolk 2015: the 1,200 was a count of a word-made name),
#: "rates ranging from 6.3% to 48.1%" (Portsmouth 2014, the wards' rates: 6.3% was a figure). A change "from
#: 213 to 340" is no range: its second figure is the later value
_RANGE = re.compile(rf"\b(?:between|rang(?:e|es|ed|ing)\s+from)\s+(?:{patterns.NUMBER_TEXT})\s*(?:%|per cent)?\s+(?:and|to)\s+"
                    rf"(?:{patterns.NUMBER_TEXT})(?:\s*(?:%|per cent))?(?![\d,.]\d)", re.I)
#: a footnote's mark printed at full size and glued to the word it annotates: "4 live in residential special
#: schools3, all of whom live out of the authority area" (Leeds 2015: a second count 3 of those schools; Liverpool
#: 2014, Waltham Forest 2015). A figure glued to a word it continues ("the national average is19.4%") stays
_FOOTNOTE_MARK = re.compile(r"(?<=[a-z])\d{1,2}(?!\d|[.,]\d|\s*%)")
#: the same mark set off by a space, right before the "of whom" clause of the words it annotates, in a clause
#: that printed its figure before those words: "5 live in residential special schools 4, of whom 20% live out of
#: the authority area" (Lincolnshire 2015: a second count 4 of those schools). A figure printed after a verb or a
#: preposition ("the number was 12, of whom") stays: see ``_LINKING``
_SPACED_FOOTNOTE_MARK = re.compile(r"(?<=\d)(?P<words>[^\d,;:.()]*[a-z]{3}) (?P<mark>\d{1,2})"
                                   r"(?=,\s*(?:all |none |most |some )?of (?:whom|which)\b)")
_LINKING = re.compile(r"\b(?:was|were|are|been|than|from|totalled|totaling|totalling|numbered|reached|about|around|"
                      r"approximately|over|under|nearly|almost|only|just|some|least|most|total|with)$", re.I)
#: an amount of money, which no unit of a figure here is (a count, a percentage, a rate): "fell by over £700
#: between 2011 and 2012" (Liverpool 2014: a count 700), "£1.5 million"
_MONEY = re.compile(r"£\s*\d[\d,]*(?:\.\d+)?(?:\s*(?:million|billion|bn|m|k)\b)?", re.I)
#: the size of the group a superlative ranks the area in, no figure of the area's: "the second lowest of the
#: eight core cities in England" (Liverpool 2014: a count 8)
_RANKED_AMONG = re.compile(rf"\b(?:highest|lowest|largest|smallest|best|worst|greatest|fewest)\s+of\s+(?:the|all)\s+"
                           rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{patterns.WORD_NUMBER})\b", re.I)
#: "one of the" a group, which says the area (or a group of its people) is among them, no count of one: "This
#: makes them one of the largest ethnic minority groups" (Norfolk 2015), "is one of the national 'Prevent' duty
#: priority areas" (Coventry 2017); "one of the 12 children" and "one of whom" stay counts
_ONE_OF_THE = re.compile(r"\bone\s+of\s+the\b(?!\s+\d)", re.I)
#: a number broken by a stray comma and space in the PDF's text: "increasing by 1,120 to 2, 8483." (Sandwell
#: 2015: 8483 was a count 'unnamed'); a group of four or more digits is never a part of a number printed with
#: separators, and whether "2, 8483" was 2,848 with a footnote mark or 28,483 the text cannot say
_BROKEN_NUMBER = re.compile(r"(?<![\d,.])\d{1,3},\s+\d{4,}(?![\d,])")
#: where a figure comes from, not a figure: "(source: data annex table 2.5.2.)" (Manchester 2014)
_SOURCE = re.compile(r"\(\s*source\s*:[^)]*\)?", re.I)


def blank(text: str, rules: tuple[re.Pattern[str], ...]) -> str:
    """``text`` with what each of ``rules`` matches (in turn) replaced by spaces of its length."""
    for rule in rules:
        text = rule.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _without_spaced_marks(text: str) -> str:
    """``text`` with the footnote marks set off by a space (``_SPACED_FOOTNOTE_MARK``) blanked out."""
    def mark(m: re.Match[str]) -> str:
        if _LINKING.search(m.group("words")):
            return m.group(0)
        return f"{m.group('words')} {' ' * len(m.group('mark'))}"
    return _SPACED_FOOTNOTE_MARK.sub(mark, text)


def without_dates(text: str) -> str:
    """``text`` with its printed dates, years between which a period runs, year spans, sources, the
    bands of a ranking, ranks, ranges of values, numbers broken in the text, amounts of money,
    footnote marks and "one of the" blanked out (same length)."""
    text = _without_spaced_marks(text)
    return blank(text, (_NUMERIC_DATE, _DATE, _AT_SHORT_YEAR, BETWEEN_YEARS, _SOURCE, _YEAR_SPAN, _RANKING_BAND,
                        _ORDINAL, _RANKED_AMONG, _RANGE, _BROKEN_NUMBER, _MONEY, _FOOTNOTE_MARK,
                        _ONE_OF_THE))


def is_fact(num: str, unit: str | None, before: str, after: str) -> bool:
    """Is the number ``num`` (printed with ``unit``, between the masked texts ``before`` and
    ``after``) a fact rather than a year, an age, a duration or a key stage?"""
    if _YEAR.match(num) and not unit:
        return False
    return not (_NOT_A_FACT_AFTER.match(after) or _NOT_A_FACT_BEFORE.search(before))


def _numeric_date(m: re.Match[str]) -> dt.date | None:
    year = int(m.group("y"))
    try:
        return dt.date(year if year > 99 else 2000 + year, int(m.group("m") or m.group("m2")), int(m.group("d")))
    except ValueError:
        return None


def _short_year_date(sentence: str) -> dt.date | None:
    m = _AT_SHORT_YEAR.search(sentence)
    if not m:
        return None
    try:
        return dt.date(2000 + int(m.group(3)), patterns.month_number(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _iso(printed: str) -> str | None:
    """A date bounding a range in ISO 8601: "1/04/12" is "2012-04-01", "October 2013" "2013-10"."""
    m = _NUMERIC_DATE.fullmatch(printed)
    if m:
        day = _numeric_date(m)
        return day.isoformat() if day else None
    try:
        if patterns.DAY_MONTH_YEAR.fullmatch(printed):
            return patterns.parse_date(printed).isoformat()
    except ValueError:                  # patterns.ImpossibleDate: "31 February 2015"
        return None
    month = patterns.parse_month(printed) if patterns.MONTH_YEAR.fullmatch(printed) else None
    return f"{month:%Y-%m}" if month else None


def dates_period(text: str) -> str | None:
    """The period between two dates ``text`` prints, as an ISO 8601 interval ("between 1/04/12 and
    31/01/14" is "2012-04-01/2014-01-31", "between October 2013 and October 2014" "2013-10/2014-10");
    None when it prints none."""
    m = _BETWEEN_DATES.search(blank(text, (_SOURCE,)))
    if not m:
        return None
    a, b = _iso(m.group("a")), _iso(m.group("b"))
    return f"{a}/{b}" if a and b else None


def clause_period(text: str) -> str | None:
    """The financial or school year ``text`` prints ("in 2012–13", "in 2000/01"), written with an en
    dash, "2012–13" (with a hyphen it would read as an ISO 8601 month, "2011-12" as December 2011;
    whether April to March or September to August the report does not say); a range between two
    dates counts too (see :func:`dates_period`), and one from a date to the inspection, as printed
    ("between March 2013 and this inspection"); failing these, a single year, "2011" ("reaching 2.7% in
    2011"), as ISO 8601 writes a calendar year. None when it prints none of these."""
    m = _YEAR_SPAN.search(blank(text, (_SOURCE,)))
    if m:
        return re.sub(rf"\s*(?:{patterns.DASH}|/)\s*", "\u2013", m.group(0))
    m = _TO_INSPECTION.search(text)
    if m:
        return m.group(0)
    return dates_period(text) or _single_year(text)


#: a figure printed for a year: "(rising from 1% in 2001 to) 2.1% in 2011" (Barnsley 2014), "were living in poverty in
#: 2010" (Redbridge 2016), "reaching 2.7% in 2011" (Manchester 2017): no date and no period. A clause comparing two
#: years ("12,500 more five- to 11-year-olds in 2017 than in 2011") is for neither
_IN_YEAR = re.compile(rf"\bin\s+((?:19|20)\d\d)\b(?!\s*(?:{patterns.DASH}|/)\s*\d)")
_THAN_IN = re.compile(r"\bthan\s+in\b", re.I)


def _single_year(text: str) -> str | None:
    if _THAN_IN.search(text):
        return None
    m = _IN_YEAR.search(blank(text, (_SOURCE,)))
    return m.group(1) if m else None


def at_inspection(sentence: str) -> bool:
    """Does the sentence open "At the time of this inspection"? Its figures are for the inspection's
    own date (which the report gives), not for a date of the item above."""
    return bool(_AT_INSPECTION.match(sentence))


def opens_with_time(sentence: str) -> bool:
    """Does the sentence open with a time of its own ("At 31 March 2014,", "At the time of this
    inspection,")?"""
    return at_inspection(sentence) or bool(_AT_DATE.match(sentence.lstrip()) or _AT_MONTH.match(sentence.lstrip()))


def printed_date(sentence: str) -> dt.date | None:
    """The date the sentence's figures are printed at: "At 31 March 2013, 305 children ...", "at
    31/03/2014", "At 17 June 14, ..." (two-digit years are the 2000s), "As at May 2015" (a month: see
    :func:`patterns.month_date`); None when it prints none."""
    m = _AT_DATE.search(sentence)
    if m and m.group(1):
        return patterns.parse_date(m.group(1))
    if m:
        return _numeric_date(_NUMERIC_DATE.match(sentence, m.end()))
    month = _AT_MONTH.search(sentence)
    return _short_year_date(sentence) or (patterns.month_date(month.group(0)) if month else None)
