"""Facts around the judgements of a 2009-12 report: service-information figures and earlier
inspections the report mentions. Only figures whose wording makes them clear are kept: a count
after "there were / has / have / comprise" (and the list that follows it), or a percentage
"N% of ...". Each keeps its printed clause as the label."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from core.iris import slug

from .. import patterns
from ..model import Block, Document, EarlierInspection, Source, Statistic

_SERVICE_INFORMATION = re.compile(r"^service information\b", re.I)
#: a number in words, read whole ("two hundred and eighty-one", never "two")
_NUMBER_WORD = rf"{patterns.WORD_NUMBER}\b"
_NUM = rf"(\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{_NUMBER_WORD})"
_STOP = (r"(?:and|in|at|of|with|to|for|on|by|which|who|that|aged|from|within|across|than|less|more|"
         r"under|over|comprise|comprises|comprising|including|is|are|was|were)")
_WORD = r"[a-z][\w'’/-]*"
_NOUN = (rf"(?P<noun>(?!{_STOP}\b){_WORD}(?:\s+(?:and young people\b|(?!{_STOP}\b){_WORD})){{0,5}}"
         r"(?:\s+(?:less than|more than|under|over|aged|of school age|who (?:are|were|is|was))[^,.;]*)?)")
_COUNT_START = re.compile(
    rf"\b(?:there (?:were|was|are|is)|has|have|had|comprise|comprises|comprising|population of)\s+"
    rf"(?:approximately\s+|about\s+|some\s+|around\s+|a total of\s+)?{_NUM}\s+{_NOUN}", re.I)
_LIST_ITEM = re.compile(rf"^\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:a total of\s+)?{_NUM}\s+{_NOUN}", re.I)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)%\s+of\s+(?:the\s+)?(?!these\b|those\b|them\b|which\b)"
                      r"(?P<clause>[^,.;()]+)", re.I)
_AT_INSPECTION = re.compile(r"\bat the time of (?:the|this) inspection\b", re.I)
_FILLER = frozenset("who which that were was are is the a an".split())
_ANAPHORA = re.compile(r"^(?:they|these|this|of these)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_PARENS = re.compile(r"\s*\([^)]*\)")

_EARLIER = re.compile(
    r"\bthe\s+(?P<quals>(?:(?:most\s+recent|last|previous|preceding|earlier|annual|unannounced|"
    r"announced|joint)\s+)+)(?P<rest>inspection\b[^.;]*)", re.I)
_EARLIER_END = re.compile(r"\s+(?:to|which|that|where|when|found|judged|was|were)\s", re.I)
_WHEN = re.compile(rf"\b(?:in|during|undertaken in|carried out in)\s+((?:{patterns.MONTH_NAME}\s+)?"
                   r"(?:19|20)\d\d)\b", re.I)


def _measure(phrase: str) -> str:
    """A measure key from a printed noun phrase, without filler words, cut at a word boundary."""
    words = [w for w in phrase.split() if w.lower() not in _FILLER]
    key = slug(" ".join(words), max_len=200)
    return key if len(key) <= 60 else key[:61].rsplit("-", 1)[0]


def _value(printed: str) -> Decimal | None:
    if printed[:1].isdigit():
        return patterns.to_decimal(printed)
    n = patterns.words_to_number(printed)
    return Decimal(n) if n is not None and printed.lower() not in ("a", "and") else None


def _section(doc: Document, heading: re.Pattern[str]) -> list[Block]:
    out: list[Block] = []
    inside = False
    for b in doc.blocks:
        if b.kind == "heading":
            inside = bool(heading.search(b.text))
        elif inside and b.kind == "paragraph":
            out.append(b)
    return out


def _counts(sentence: str) -> list[tuple[Decimal, str]]:
    text = _PARENS.sub("", sentence)
    found = []
    for m in _COUNT_START.finditer(text):
        items, pos, current = [], m.end(), m
        while current:
            value = _value(current.group(1))
            if value is None:
                break
            items.append((value, current.group("noun").strip()))
            current = _LIST_ITEM.match(text[pos:])
            if current:
                pos += current.end()
        found.extend(items)
    return found


def statistics(doc: Document, inspection_date: dt.date | None) -> list[Statistic]:
    """Clear figures from the "Service information" section.

    :param inspection_date: the date "at the time of the inspection" refers to.
    """
    stats: list[Statistic] = []
    for b in _section(doc, _SERVICE_INFORMATION):
        date, period = None, None
        for sentence in _SENTENCE.split(b.text):
            if not _ANAPHORA.match(sentence):    # "They comprise ..." keeps the previous date
                date, period = patterns.parse_month(sentence), None
            if _AT_INSPECTION.search(sentence):
                date, period = inspection_date, "at the time of the inspection"
            label = sentence.strip()
            for value, noun in _counts(sentence):
                stats.append(Statistic(measure=_measure(noun), label=label, value=value,
                                       unit="count", date=date, period=period, source=Source.of(b)))
            for m in _PERCENT.finditer(sentence):
                clause = m.group("clause").strip()
                stats.append(Statistic(measure=_measure(clause), label=label,
                                       value=Decimal(m.group(1)), unit="percent", date=date,
                                       period=period, source=Source.of(b)))
    return stats


def earlier_inspections(doc: Document) -> list[EarlierInspection]:
    """Earlier inspections the report names with a date ("the unannounced inspection in 2010 ...")."""
    found: list[EarlierInspection] = []
    years: dict[tuple[str, str], EarlierInspection] = {}
    for b in doc.blocks:
        if b.kind not in ("paragraph", "bullet"):
            continue
        for m in _EARLIER.finditer(b.text):
            desc = m.group(0)
            end = _EARLIER_END.search(desc, m.start("rest") - m.start())
            when = _WHEN.search(desc)
            if end and (not when or end.start() < when.start()):
                end = _EARLIER_END.search(desc, when.end()) if when else end
            desc = desc[:end.start()] if end else desc
            when = _WHEN.search(desc)
            if not when:
                continue
            date = patterns.parse_month(when.group(1))
            year = when.group(1)[-4:]
            key = (year, "unannounced" if "unannounced" in m.group("quals").lower() else "")
            if key in years:          # the same inspection mentioned again
                earlier = years[key]
                earlier.date = earlier.date or date
                continue
            earlier = EarlierInspection(description=desc.strip(" ,"), date=date, source=Source.of(b))
            years[key] = earlier
            found.append(earlier)
    return found
