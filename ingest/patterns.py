"""Regular expressions and small converters that several parsers share (dates, grades,
numbers written in words). Each is named and tested in ``tests/ingest/test_patterns.py``."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9

MONTH_NAME = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
#: "30 September 2014", "1 Feb 2024"
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_NAME})\s*,?\s+(\d{{4}})\b", re.I)
#: "September 2014", "Sept 2016"
MONTH_YEAR = re.compile(rf"\b({MONTH_NAME})\s+(\d{{4}})\b", re.I)
#: a dash between two numbers or words: hyphen, en dash or em dash. ``normalise.clean_line`` has
#: already mapped the other hyphens and minus signs (U+2010-2012, U+2212, U+FE63, U+FF0D) to "-",
#: so this class covers every dash a report prints
DASH = "[-–—]"
#: a date range as printed on report covers: "30 September – 22 October 2014",
#: "8 – 18 May 2012", "24 April 2017 to 18 May 2017", "11 to 22 May 2026"
DATE_RANGE = re.compile(
    rf"(\d{{1,2}})(?:st|nd|rd|th)?\s*({MONTH_NAME})?\s*(\d{{4}})?\s*(?:{DASH}|to|and)\s*"
    rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_NAME})\s+(\d{{4}})", re.I)

#: one day of a printed list of days, with its month and year where printed
_LISTED_DAY = rf"\d{{1,2}}(?:st|nd|rd|th)?(?:\s+{MONTH_NAME})?(?:\s+\d{{4}})?"
#: a list of three or more days, the last with its month and year: "29 and 30 September, and 1
#: October 2020", "1, 2 and 3 May 2019" (a list holding "to" or a dash is two ranges: an
#: inspection in two parts, read by its framework)
_LIST_SEPARATOR = r"\s*(?:,\s*and|and|,)\s*"
DATE_LIST = re.compile(rf"{_LISTED_DAY}(?:{_LIST_SEPARATOR}{_LISTED_DAY}){{1,}}{_LIST_SEPARATOR}"
                       rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH_NAME}\s+\d{{4}}", re.I)
_LISTED_PART = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+({MONTH_NAME}))?(?:\s+(\d{{4}}))?", re.I)

#: a safeguarding children board by name or acronym (use with re.I): "Local Safeguarding Children
#: Board", "Swindon Safeguarding Children Board", "LSCB", "SSCB", "CYSCB" (City of York)
SAFEGUARDING_BOARD = r"(?:(?:[\w&'’]+\s+){1,8}?Safeguarding\s+Children(?:['’]s)?\s+Board|[A-Z]{0,4}SCB)"

#: a numeric date, day first as Ofsted prints it: "12/09/2016"
NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
#: a numeric range: "12/09/2016 to 06/10/2016"
NUMERIC_RANGE = re.compile(rf"{NUMERIC_DATE.pattern}\s*(?:{DASH}|to|and)\s*{NUMERIC_DATE.pattern}", re.I)
#: what looks like a "day month year" date but names no month: "45 Octember 2016"
_FALSE_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]{2,}(?:uary|ember|ober|rch|ril|une|uly|ust))"
                          r"\s*,?\s+(\d{4})\b")


class ImpossibleDate(ValueError):
    """A printed date that is no date ("31 February 2015", "45 Octember 2016").

    ``printed`` holds the text as printed, for the one-line refusal that quotes it.
    """

    def __init__(self, printed: str):
        super().__init__(f"impossible date {printed!r}")
        self.printed = printed


def month_number(name: str) -> int:
    key = name.lower().rstrip(".")
    if key in MONTHS:
        return MONTHS[key]
    return MONTHS[key[:3]]


def _date(year: str, month: str | int, day: str, printed: str) -> dt.date:
    try:
        number = month if isinstance(month, int) else month_number(month)
        return dt.date(int(year), int(number), int(day))
    except (ValueError, KeyError):
        raise ImpossibleDate(printed) from None


def _refuse_false_month(text: str) -> None:
    """Raise ``ImpossibleDate`` for "45 Octember 2016": a day, a word that is no month, a year."""
    for m in _FALSE_MONTH.finditer(text):
        if m.group(2).lower() not in MONTHS:
            raise ImpossibleDate(m.group(0))


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text``: "30 September 2014" or, day first, "25/11/2016".

    :return: the date, or None when ``text`` prints none.
    :raise ImpossibleDate: for a printed date that is no date ("31 February 2015",
        "45 Octember 2016").
    """
    m = DAY_MONTH_YEAR.search(text)
    n = NUMERIC_DATE.search(text)
    if m and (not n or m.start() < n.start()):
        return _date(m.group(3), m.group(2), m.group(1), m.group(0))
    if n:
        return _date(n.group(3), int(n.group(2)), n.group(1), n.group(0))
    _refuse_false_month(text)
    return None


def parse_month(text: str) -> dt.date | None:
    """The first "month year" in ``text`` as the first day of that month."""
    m = MONTH_YEAR.search(text)
    if not m:
        return None
    return dt.date(int(m.group(2)), month_number(m.group(1)), 1)


#: "the end of" before a month: "at the end of March 2014" is the month's last day
_END_OF = re.compile(r"\bend\s+of\s+$", re.I)


def month_date(text: str) -> dt.date | None:
    """The first "month year" in ``text`` as one day: the month's last after "the end of" ("At the end of
    February 2014" is 28 February 2014), else its first, as :func:`parse_month` gives it ("As at May 2015")."""
    m = MONTH_YEAR.search(text)
    if not m:
        return None
    first = parse_month(m.group(0))
    if _END_OF.search(text[:m.start()]):
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first


def parse_date_range(text: str) -> tuple[dt.date, dt.date] | None:
    """Start and end of a printed range; the start borrows month/year from the end if omitted.

    Returns None when no range is found. Raises ``ImpossibleDate`` (a ValueError) for an
    impossible date (e.g. "31 February"), which parsers report as a clear error.
    """
    n = NUMERIC_RANGE.search(text)
    if n:
        d1, m1, y1, d2, m2, y2 = n.groups()
        return (_date(y1, int(m1), d1, n.group(0)), _date(y2, int(m2), d2, n.group(0)))
    m = DATE_RANGE.search(text)
    listed = DATE_LIST.search(text)
    if listed and (not m or listed.start() <= m.start()):
        return _list_range(listed.group(0))
    if not m:
        _refuse_false_month(text)
        return None
    d1, m1, y1, d2, m2, y2 = m.groups()
    end = _date(y2, m2, d2, m.group(0))
    start = _date(y1 or y2, m1 or m2, d1, m.group(0))
    if start > end and not y1:
        start = start.replace(year=start.year - 1)
    return start, end


#: a printed dates line that goes on in the next block: it breaks off after "to", "and", a comma
#: or a dash ("8 July 2019 to 12 July 2019 and 7 August 2019 to" / "8 August 2019")
_DATES_GO_ON = re.compile(rf"(?:\b(?:to|and)|{DASH}|,)\s*$", re.I)


def dates_going_on(printed: str, following: str | None) -> str:
    """A cover's printed dates, with ``following`` (the next block's text) when the line breaks
    off before its last date."""
    if following is not None and _DATES_GO_ON.search(printed):
        return f"{printed} {following}"
    return printed


def _list_range(printed: str) -> tuple[dt.date, dt.date]:
    """First and last day of a list of days (:data:`DATE_LIST`): the first day takes the first
    month and year printed after it, the last is printed whole."""
    parts = [m.groups() for m in _LISTED_PART.finditer(printed)]
    month = next(m for _, m, _ in parts if m)
    year = next(y for _, _, y in parts if y)
    end = _date(parts[-1][2], parts[-1][1], parts[-1][0], printed)
    start = _date(year, month, parts[0][0], printed)
    if start > end and not parts[0][2]:
        start = start.replace(year=start.year - 1)
    return start, end


# ------------------------------------------------------------------ grades

#: grade words as printed in any framework, longest first so "requires improvement to be good"
#: wins over "requires improvement"
GRADE_WORDS = re.compile(
    r"\b(outstanding|good|adequate|satisfactory|requires?\s+improvement\s+to\s+be\s+good|"
    r"requires?\s+improvement|inadequate|not\s+judged)\b", re.I)
GRADE_NUMBER = re.compile(r"\bGrade\s*([1-4])\b", re.I)
_GRADE_BY_NUMBER = {"1": "outstanding", "2": "good", "3": "adequate", "4": "inadequate"}


def grade_key(printed: str) -> str | None:
    """Controlled grade key for a printed grade ("Requires improvement to be good" ->
    ``requires-improvement-to-be-good``; "Grade 3 (Adequate)" -> ``adequate``)."""
    m = GRADE_WORDS.search(printed)
    if m:
        words = re.sub(r"\s+", " ", m.group(1).lower()).replace("require ", "requires ")
        return words.replace(" ", "-")
    m = GRADE_NUMBER.search(printed)
    if m:
        return _GRADE_BY_NUMBER[m.group(1)]
    return None


# ------------------------------------------------------------------ numbers

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_SCALES = {"hundred": 100, "thousand": 1000}
NUMBER_WORD = re.compile(
    r"\b(?:(?:" + "|".join(sorted(list(_UNITS) + list(_TENS) + list(_SCALES) + ["and", "a"], key=len, reverse=True))
    + r")(?:[\s-]+|\b))+", re.I)


def words_to_number(text: str) -> int | None:
    """"Fifty" -> 50, "twenty-five" -> 25, "one hundred and six" -> 106; None if not a number."""
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", text.strip().lower()):
        if not word or word == "and":
            continue
        if word == "a" and not seen:
            current = 1
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


_U = "one|two|three|four|five|six|seven|eight|nine"
_BELOW_100 = (rf"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:{_U}))?|ten|eleven|twelve|"
              rf"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|{_U}|zero)")
_BELOW_1000 = rf"(?:(?:{_U}|a)\s+hundred(?:\s+(?:and\s+)?{_BELOW_100})?|{_BELOW_100})"
#: a whole number written in words, read to its last word: "two hundred and eighty-one",
#: "one thousand and twelve", "a hundred"; "a slight increase" is none (pattern text, to embed)
WORD_NUMBER = rf"(?:{_BELOW_1000}\s+thousand(?:\s+(?:and\s+)?{_BELOW_1000})?|{_BELOW_1000})"


#: a number as printed: with thousands separators ("1,150") or a decimal point ("7.5") (pattern
#: text, to embed)
NUMBER_TEXT = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
NUMBER = re.compile(rf"(?<![\w.])({NUMBER_TEXT})(?![\w])")


def to_decimal(printed: str) -> Decimal | None:
    """"1,008" -> 1008, "59.4" -> 59.4, "Fifty" -> 50."""
    cleaned = printed.replace(",", "").strip().rstrip("%").strip()
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        n = words_to_number(cleaned)
        return Decimal(n) if n is not None else None


# ------------------------------------------------------------------ national framework citations

#: a parenthesis citing the Children's Social Care: National Framework (2023), as recommendations
#: have since 2024: "(outcome 2, national framework)", "(enabler 3, national framework)",
#: "(Enabler: the workforce is equipped and effective, National Framework)"
NATIONAL_FRAMEWORK_CITATION = re.compile(
    r"\s*\(([^()]*\b(?:outcomes?|enablers?|principles?)\b[^()]*national\s+framework[^()]*)\)", re.I)
_CITED_NUMBERS = re.compile(r"\b(outcome|enabler|principle)s?\s*(\d+(?:\s*(?:,|and|&)\s*\d+)*)", re.I)
_CITED_NAME = re.compile(r"\b(outcome|enabler)s?\s*:\s*([^,;]+)", re.I)
#: the framework's numbered outcomes and enablers, by words of their printed names
_NATIONAL_FRAMEWORK_NAMES = (
    ("outcome", 1, ("stay together", "help they need")),
    ("outcome", 2, ("family network",)),
    ("outcome", 3, ("safe in and outside", "are safe")),
    ("outcome", 4, ("stable, loving", "loving homes", "stable homes")),
    ("enabler", 1, ("multi-agency", "agencies work")),
    ("enabler", 2, ("leaders drive", "conditions for effective practice")),
    ("enabler", 3, ("workforce",)),
)


def national_framework_citations(text: str) -> tuple[str, list[str]]:
    """Split national framework citations off a recommendation.

    "The quality of plans. (outcome 2, national framework)" -> ("The quality of plans.",
    ["outcome 2"]). A citation by name ("Enabler: the workforce is equipped and effective")
    becomes its number when the name is recognised, else "enabler: <name as printed>".
    """
    cites: list[str] = []
    for m in NATIONAL_FRAMEWORK_CITATION.finditer(text):
        inner = m.group(1)
        found = False
        for kind, numbers in _CITED_NUMBERS.findall(inner):
            for n in re.findall(r"\d+", numbers):
                cites.append(f"{kind.lower()} {n}")
                found = True
        if found:
            continue
        for kind, name in _CITED_NAME.findall(inner):
            low = name.lower().strip()
            number = next((n for k, n, words in _NATIONAL_FRAMEWORK_NAMES
                           if k == kind.lower() and any(w in low for w in words)), None)
            cites.append(f"{kind.lower()} {number}" if number else f"{kind.lower()}: {name.strip()}")
    stripped = NATIONAL_FRAMEWORK_CITATION.sub("", text).strip()
    return stripped, cites


#: an inspector's job title as Ofsted prints it beside a name: "HMI", "SHMI", "Senior HMI", "HMI
#: Designate", "Designated HMI", "Acting SHMI", "(Senior) His/Her Majesty's Inspector(s)", "Ofsted
#: Inspector", "Additional Inspector", "(Senior) (Social Care) Regulatory Inspector", "Regulatory
#: Inspection Manager" (use with re.I)
INSPECTOR_TITLE = (r"(?:(?:Senior|Acting|Designated?)\s+)?"
                   r"(?:S?HMI(?:\s+designate)?|(?:His|Her)\s+Majesty['’]s\s+Inspectors?|"
                   r"(?:Ofsted|Additional|(?:Social\s+Care\s+)?Regulatory)\s+Inspectors?|"
                   r"Regulatory\s+Inspection\s+Manager)")
_TITLE_AFTER_NAME = re.compile(rf"(?:\s*,\s*|\s+)\(?{INSPECTOR_TITLE}\b.*$", re.I)
_TITLE_BEFORE_NAME = re.compile(rf"^\(?{INSPECTOR_TITLE}\)?\s+(?=\w)", re.I)
_TITLE_ALONE = re.compile(rf"\(?{INSPECTOR_TITLE}\)?\.?", re.I)


def is_inspector_title(text: str) -> bool:
    """Whether ``text`` is an inspector's job title and nothing else ("His Majesty's Inspector",
    "Senior HMI."), as the line under a letter's signature prints it."""
    return bool(_TITLE_ALONE.fullmatch(text.strip(" ,")))


def strip_inspector_title(text: str) -> str:
    """A name without the job title printed before it, or after it with whatever follows:
    "Jo Bloggs, Senior Her Majesty's Inspector" -> "Jo Bloggs"; "Jo Bloggs HMI" -> "Jo Bloggs";
    "Senior HMI Jo Bloggs" -> "Jo Bloggs"; a title alone ("Her Majesty's Inspectors", a list's
    last part) -> ""."""
    text = text.strip(" ,")
    if is_inspector_title(text):
        return ""
    return _TITLE_AFTER_NAME.sub("", _TITLE_BEFORE_NAME.sub("", text)).strip(" ,")
