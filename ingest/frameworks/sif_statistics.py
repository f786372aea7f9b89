"""Statistics of a SIF report's "Information about this local authority area" block.

The block is a list of bullets ("At 30 September 2014, 696 children were being looked after
... (a rate of 77 per 10,000 children). This is a reduction from 719 (82 per 10,000 children)
at 31 March 2013. Of this number:") with nested bullets that complete their parent's sentence.
Every number printed as a fact becomes one ``Statistic``; the measure slug comes from the
sentence wording (a small table of common Ofsted phrasings, else the words themselves).

Figures and their values are read by :mod:`.sif_figures`, what is no figure is blanked by
:mod:`.sif_nonfigures`, earlier values and comparators are :mod:`.sif_earlier`'s, measures are
named by :mod:`.sif_measures`, and ratios ("one in five") are :mod:`.sif_ratios`'.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .. import patterns
from ..model import Block, Source, Statistic
from .sif_earlier import (BY_TO, COMPARATOR, CONSISTENT, DIFFERENCE, EARLIER, FROM_TO, LATER, attach_changes,
                          attach_comparators, attach_differences, attach_earlier, compares_previous, earlier_values,
                          later_values)
from .sif_figures import MENTION, RATE, figure_value
from .sif_measures import (OF_WHOM, distance_band, ethnic_group, fallback, measure_for, part_named, place_name,
                           suffix_for, total_population, without_distance)
from .sif_nonfigures import (BETWEEN_YEARS, at_inspection, blank, clause_period, is_fact, opens_with_time, printed_date,
                             without_dates)
from .sif_parts import item_part, nested_measure, other_kind, part_of_these
from .sif_ratios import ONE_IN, ratios

#: a period that opens an item or a group: "In the last 12 months:", "Since the last inspection,",
#: "In the two years prior to the inspection,", "In 2012–13:"; "During 2012–13:" (Bolton 2014), "In
#: the 12 months to 31 March 2013:" (Coventry 2014, Hillingdon's "12 month"), "Since April 2015:"
#: (Kensington and Chelsea), "Between the last inspection in 2011 and 30 September 2016," (Wolverhampton
#: 2017); with the dates it runs between in brackets ("In the last 12 months (1 November 2016 to 31
#: October 2017):", Doncaster 2018; "(2012-13)", Sheffield 2014), which are part of it, and "there
#: have been" before the colon, which is not; "In the two years before (this) inspection," (Barnet 2017 and 13
#: others of 2016-18: no period) and "Since the last inspection in 2013," (Gateshead 2016) as the wordings above
_PERIOD = re.compile(rf"^(?P<period>(?:(?:In|During|Over) the (?:last|past|previous) [\w ]+?|Since the (?:last|previous) "
                     rf"inspection(?: in (?:19|20)\d\d)?|"
                     rf"In the \w+ years? (?:prior to|before) (?:the |this )?inspection|"
                     rf"(?:In|During) \d{{4}}\s*(?:{patterns.DASH}|/)\s*\d{{2,4}}|"
                     rf"In the \d+ months? to {patterns.DAY_MONTH_YEAR.pattern}|"
                     rf"Since (?:{patterns.DAY_MONTH_YEAR.pattern}|{patterns.MONTH_YEAR.pattern})|"
                     rf"Between [^,:;()]{{1,60}}? and {patterns.DAY_MONTH_YEAR.pattern})"
                     rf"(?:\s*\([^()]{{1,60}}\))?)(?:\s+there (?:have|has) been)?\s*[:,]", re.I)
_SENTENCE_END = re.compile(r"(?<=[.:;])\s+(?=[A-Z(])")
#: a part printed with the figure it is part of: "but 39 (of the 78) children live within 10
#: miles" (Barnsley 2014); the figure in brackets was printed before, in the item above
_PART_OF = re.compile(r"\(\s*of the (?P<num>\d{1,3}(?:,\d{3})*)\s*\)", re.I)
#: a figure of the sentence before restated to name its parts: "40 live in residential children's
#: homes. Of this 40, 28 live outside the authority area" (Wirral 2016): 28 is the homes' part; "Of
#: the 427 children:" (Derby 2017, after "427 children are being looked after": read twice). A figure
#: printed here for the first time names the parts after it: "Of the 163 children who started to be
#: looked after in 2013–14, 2.5% had a prior 'returned home' LAC episode" (Portsmouth 2014: the 2.5%
#: was named as the 163 was, as if it were the same measure)
_RESTATED = re.compile(r"\bOf (?:this|these|the)\s*$", re.I)
#: before a part of the figure just printed: "of whom", "all of whom (100%) live out of the
#: authority area" (Sandwell 2015, Kingston 2015: the 100% was all children looked after's)
_AFTER_OF_WHOM = re.compile(r"\bof (?:whom|which)\s*\(?\s*$", re.I)
#: a sentence opening on a part of the count the sentence before ends with: "290 live with foster
#: families. Of these, 41% live outside the authority area" (Luton 2016: the 41% and the 32% of
#: those living with parents were both all children looked after's, out of the area)
_OF_THESE = re.compile(r"^\s*Of (?:these|them|those)\s*,\s*$", re.I)


@dataclass
class _Context:
    """What a nested bullet inherits from its parent."""

    label: str = ""
    measure: str | None = None
    date: object = None
    period: str | None = None
    #: the statistics of the item and of its nested items read so far: a part printed "(of the
    #: 78)" is named by the figure 78 among them
    figures: list[Statistic] = field(default_factory=list)
    #: the statistics of the item above and its nested items: a figure an item restates ("Of the 633
    #: children looked after at 31 December 2013:", Coventry 2014, after "633 children are being
    #: looked after") is among them
    above: list[Statistic] = field(default_factory=list)


def _whole_of(sentence: str, end: int, ctx: _Context) -> str | None:
    """The measure of the figure a part names in brackets right after it ("39 (of the 78)"), when
    that figure was printed in the item or its nested items before; else None."""
    m = _PART_OF.match(sentence[end:].lstrip())
    if m is None:
        return None
    whole = figure_value(m.group("num").replace(",", ""))
    return next((s.measure for s in reversed(ctx.figures) if s.unit == "count" and s.value == whole), None)


def _is_fact(mm: re.Match[str], masked: str) -> bool:
    """Is this number a fact rather than a year, an age, a duration or a key stage?"""
    return is_fact(mm.group("num"), mm.group("unit"), masked[:mm.start()], masked[mm.end():])


def _masked(text: str, place: re.Pattern[str] | None) -> str:
    """The text with dates, per-10,000 rates, comparators, earlier values, differences and changes blanked out
    (same length), so that only the numbers that are this sentence's own facts remain; and the report's own
    authority's name (``place``), which names no measure."""
    return blank(without_dates(blank(text, (LATER, EARLIER, CONSISTENT, COMPARATOR, RATE, DIFFERENCE, FROM_TO, BY_TO))),
                 (_PART_OF, ONE_IN) + ((place,) if place else ()))


@dataclass
class _Naming:
    """What names the figures of one sentence, read left to right (see :func:`_measure`)."""

    masked: str
    ctx: _Context
    nested: bool
    previous: list[Statistic]
    lead: str | None                # the measure a lead-in before a colon names, if any
    lead_end: int
    last_measure: str | None = None  # the last figure's, for an "of whom" part after it
    restated: str | None = None      # the measure of the figure "Of this 40, ..." names, printed before or here
    own_time: bool = False           # the sentence opens with a time of its own ("At the time of this inspection,")
    subject: str | None = None       # the measure of a nested item's own count, once printed (see :func:`item_part`)


def _sentence_stats(sentence: str, ctx: _Context, source: Source, nested: bool,
                    previous: list[Statistic], place: re.Pattern[str] | None) -> list[Statistic]:
    """Statistics printed in one sentence; earlier values and comparators are attached to
    ``previous`` (the last sentence's statistics) or to this sentence's own; ``place``: the report's
    own authority's name."""
    if compares_previous(sentence, previous):
        return []
    label = f"{ctx.label} {sentence}".strip() if ctx.label else sentence
    date, period = _when(sentence, ctx)
    masked = _masked(sentence, place)
    stats, at = _figures(sentence, masked, ctx, nested, previous, dict(label=label, date=date, period=period,
                                                                      source=source))
    attach_changes(sentence, stats, at)
    for r in ratios(sentence, masked):
        stats.append(Statistic(measure=r.measure or ctx.measure or fallback(r.words), label=label, value=r.value,
                               unit="ratio", date=date, period=period, source=source,
                               comparator="national average" if r.national is not None else None,
                               comparator_value=r.national))
    for rm in RATE.finditer(sentence):
        base = next((s.measure for s in stats if s.unit == "count"), ctx.measure) or "unnamed"
        stats.append(Statistic(measure=base, label=label, value=Decimal(rm.group("num")),
                               unit="per-10000", date=date, period=period, source=source))
        at.append(rm.start())
    attach_comparators(sentence, stats, at)
    attach_differences(sentence, stats, at)
    attach_earlier(sentence, stats, at)
    stats.extend(later_values(sentence, stats, at))
    return earlier_values(sentence, stats, previous)


def _when(sentence: str, ctx: _Context) -> tuple[object, str | None]:
    """The date and period the sentence's figures are for: its own, else its parent's; "At the time
    of this inspection" is the inspection's, which the report dates (None here)."""
    if at_inspection(sentence):
        return None, None
    date = printed_date(sentence) or ctx.date
    period = ctx.period
    pm = _PERIOD.match(sentence)
    if pm:
        period, date = pm.group("period"), None
    bm = BETWEEN_YEARS.search(sentence)
    if bm:
        # "between 2003 and 2013": an ISO 8601 interval of years, as the ranges between dates are
        # written ("2013-10/2014-10"); "2003-2013" was no ISO 8601 form, and no year span "2012–13"
        period = f"{bm.group(1)}/{bm.group(2)}"
    return date, period


def _figures(sentence: str, masked: str, ctx: _Context, nested: bool, previous: list[Statistic],
             common: dict) -> tuple[list[Statistic], list[int]]:
    """The sentence's own figures (and the percentage or count printed in brackets with each),
    named, and where each is printed (for its comparator); ``common``: the label, date, period
    and source they all have."""
    stats: list[Statistic] = []
    at: list[int] = []
    mentions = [mm for mm in MENTION.finditer(masked) if _is_fact(mm, masked)]
    lead_end = masked.find(":")
    lead = measure_for(masked[:lead_end]) if not nested and lead_end > 0 else None
    if lead is None and not nested and mentions:
        # no colon: the words before the first figure lead in to the parts its percentages name ("The
        # proportion of children entitled to free school meals in primary schools is 21% (...), and in
        # secondary schools is 18%", Sheffield 2014: 'free-school-meals' and 'secondary-schools')
        lead, lead_end = measure_for(masked[:mentions[0].start()]), -1
    # a time of its own: not the parent item's date printed again
    own_time = opens_with_time(sentence) and (at_inspection(sentence) or printed_date(sentence) != ctx.date)
    naming = _Naming(masked, ctx, nested, previous, lead, lead_end, own_time=own_time,
                     subject=next((s.measure for s in previous if s.unit == "count"), None))
    for i, mm in enumerate(mentions):
        value = figure_value(mm.group("num"))
        if value is None:
            continue
        unit_text = (mm.group("unit") or "").lower()
        unit = "percent" if ("%" in unit_text or "cent" in unit_text) else (
            "per-10000" if "10" in unit_text else "count")
        prev_end = mentions[i - 1].end() if i else 0
        nxt = mentions[i + 1].start() if i + 1 < len(mentions) else len(masked)
        preceding, following = masked[prev_end:mm.start()], masked[mm.end():nxt]
        band = distance_band(OF_WHOM.split(following, maxsplit=1)[0])
        preceding, following = without_distance(preceding), without_distance(following)
        if unit == "count" and _restates(naming, preceding, value):
            continue
        kind = other_kind(preceding, following) if unit == "count" and naming.last_measure else None
        measure = ((kind and f"{naming.last_measure}-{kind}") or
                   part_of_these(stats[-1].measure if stats else None, following, band is not None) or
                   (unit == "percent" and ethnic_group(masked, mm.start(), preceding)) or
                   _measure(naming, mm, preceding, following, _whole_of(sentence, mm.end(), ctx), unit))
        if unit == "count" and naming.restated is None and _RESTATED.search(preceding):
            naming.restated = measure   # "Of the 163 children who ..., 2.5% had ...": the 2.5% is its part
        if band:
            measure = f"{measure}-{band}"
        if not _AFTER_OF_WHOM.search(preceding) and not kind:
            naming.last_measure = measure   # "(11 families), of whom one child ...": the children's part
        when = _clause_when(sentence, masked, prev_end, mm, common)
        # the whole population's count is no figure of the children's (the percentage beside it is)
        own = "total-population" if unit == "count" and total_population(preceding) else measure
        stats.append(Statistic(measure=own, value=value, unit=unit, **when))
        at.append(mm.start())
        if unit == "count" and naming.subject is None:
            naming.subject = own
        if mm.group("pair") or mm.group("count"):
            pair, pair_unit = (mm.group("pnum"), "percent") if mm.group("pair") else (mm.group("count"), "count")
            stats.append(Statistic(measure=measure, value=figure_value(pair), unit=pair_unit, **when))
            at.append(mm.start())
    return stats, at


#: where a clause ends: a semicolon, a colon, or a comma or full stop before a space ("1,150" and
#: "7.5" are numbers; "... December 2014. 32 young people are ..." is one sentence to the splitter)
_CLAUSE_END = re.compile(r"[;:]|[,.]\s")


def _clause_when(sentence: str, masked: str, start: int, mm: re.Match[str], common: dict) -> dict:
    """``common`` with the period the figure ``mm``'s own clause prints, if any, instead of its
    parent's date: "165 children have ceased to be looked after in 2012–13, of whom 12 (7%)
    subsequently returned to be looked after between 1/04/12 and 31/01/14" (Hounslow 2014): the 165
    is for 2012–13, the 12 and 7% for the range of dates. The clause runs from the last clause end
    before the figure (after the figure before it, ``start``) to the first after it, across the
    figures a period is printed after ("19% and 13% respectively between October 2013 and October
    2014", Peterborough 2015); the first period in it is the figure's. A date the sentence prints
    of its own stays."""
    ends = [m.end() for m in _CLAUSE_END.finditer(masked, start, mm.start())]
    after = _CLAUSE_END.search(masked, mm.end())
    # the year of the figure a figure changed from is that one's ("from 7,500 in 2000/01 to 10,000")
    printed = blank(sentence, (FROM_TO,))
    period = clause_period(printed[ends[-1] if ends else start:after.start() if after else len(masked)])
    if period is None:
        return common
    return {**common, "period": period, "date": printed_date(sentence)}


def _restates(naming: _Naming, preceding: str, value: Decimal) -> bool:
    """Is this count a figure printed before, restated to name its parts ("Of this 40, 28 live
    outside the authority area")? Then it is no figure of its own, and its measure names the
    figures after it."""
    if not _RESTATED.search(preceding):
        return False
    # the nearest figure of that value: an earlier one may share it ("There were 40 ..."); else one
    # of the item above's, restated at the head of an item of its own
    again = next((s.measure for s in [*reversed(naming.previous), *reversed(naming.ctx.above)]
                  if s.unit == "count" and s.value == value), None)
    if again:
        naming.restated = again
    return again is not None


def _measure(naming: _Naming, mm: re.Match[str], preceding: str, following: str, whole: str | None,
             unit: str) -> str:
    """The measure of the figure ``mm``, printed between ``preceding`` and ``following``: a part
    of the figure it names in brackets (``whole``), of a restated figure, of the figure before
    ("of whom"), of its parent item's, or of the sentence's lead-in; else named by its words."""
    ctx, masked = naming.ctx, naming.masked
    if whole:
        return f"{whole}-{suffix_for(following)}"
    if naming.restated:
        return f"{naming.restated}-{suffix_for(following)}"
    if _AFTER_OF_WHOM.search(preceding) and naming.last_measure:
        return f"{naming.last_measure}-{suffix_for(following)}"
    before = _OF_THESE.match(preceding) and next(
        (s.measure for s in reversed(naming.previous) if s.unit == "count"), None)
    if before:
        return f"{before}-{suffix_for(following)}"
    part = item_part(naming.subject, preceding, following, unit) if naming.nested else None
    if part:
        return part
    if naming.nested and ctx.measure:
        return nested_measure(ctx.measure, masked[mm.end():], preceding, following, naming.own_time)
    lead_words = re.split(r"[;:]", preceding)[-1] + " " + following
    if (naming.lead and mm.start() > naming.lead_end and part_named(lead_words) and
            (naming.lead_end >= 0 or unit == "percent")):
        # "The proportion of children entitled to free school meals: in primary schools is
        # 15.3% (...); in secondary schools is 12.2% (...)": one sentence, the parts of the
        # measure its lead names, as when they are printed as nested items
        return f"{naming.lead}-{suffix_for(lead_words)}"
    # the words naming the measure may follow a figure printed in between ("354 ... per 10,000
    # population (2,042) had been identified ... in need"): the rest of the sentence before the
    # label's or the fallback
    return (measure_for(following) or measure_for(preceding) or
            (None if naming.nested else measure_for(ctx.label)) or
            (measure_for(masked[mm.end():]) if unit == "per-10000" else None) or ctx.measure or
            fallback(preceding + " " + following))


def _sentences(text: str) -> list[str]:
    # keep "(a rate of ... children)." inside its sentence; split after . : ; before a capital
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


#: an item that continues the item above it: "Of this number, 100 (19%) live outside ..." (Bolton
#: 2014), "Of this number:" printed on a line of its own (Blackburn with Darwen 2017)
_LEAD_IN = re.compile(r"^Of (?:this|these) (?:number|children)\b", re.I)
#: a figure, or "No" as a count of none: "No children live in residential special schools." (Stockport 2017: the
#: items after it lost their parent's measure and date), "No children and young people ceased to be looked after and
#: are now living in houses in multiple occupation." (Redbridge 2016: its period)
_NUMBER_START = re.compile(rf"^(?:\d|{patterns.WORD_NUMBER}\s|no\s)", re.I)


def lead_in(text: str) -> bool:
    """Does ``text`` ("Of this number:") continue the item above it with a list of its parts?"""
    return bool(_LEAD_IN.match(text))


def _lost_nesting(b: Block, parent: _Context, last_level: int) -> bool:
    """Is the top-level ``b`` a nested item whose indentation a page break, a footnote or the
    layout lost? It opens with "Of this number", or it starts in lower case or with a figure
    ("143 (or 38%) live ...", "Five live in ...") right after nested items or after an item that
    announces them with a colon ("The proportion of children entitled to free school meals:")."""
    if _LEAD_IN.match(b.text):
        return True
    if _PERIOD.match(b.text):
        return False    # "in the last 12 months:" (Walsall 2017) opens a group of its own
    if b.kind != "bullet" or not (last_level > 1 or parent.label.endswith(":")):
        return False
    return not b.text[:1].isupper() or bool(_NUMBER_START.match(b.text))


def statistics(blocks: list[Block], skip: re.Pattern[str], authority: str | None = None) -> list[Statistic]:
    """Every statistic printed in the bullets of an information block.

    :param blocks: the headings, bullets and paragraphs of data groups, in order.
    :param skip: sentences that are not statistics (tenures, earlier inspections).
    :param authority: the authority's name as the report's cover prints it; no measure is named by it.
    :return: one ``Statistic`` per printed number that is a fact.
    """
    place = place_name(authority)
    out: list[Statistic] = []
    parent: _Context | None = None
    last_level = 1
    for b in blocks:
        if b.kind == "heading":
            # "Of this number:" on a line of its own leads into the item above's parts; any other
            # heading starts a group ("In the last 12 months:" the context of the items under it)
            if lead_in(b.text):
                last_level = 2
            else:
                pm = _PERIOD.match(b.text)
                parent = _Context(label=b.text if b.text.endswith(":") else "",
                                  period=pm.group("period") if pm else None)
                last_level = 1
            continue
        if b.kind not in ("bullet", "paragraph") or b.number is not None:
            continue
        nested = (b.kind == "bullet" and b.level > 1) or (parent is not None and _lost_nesting(b, parent, last_level))
        last_level = 2 if nested else 1
        source = Source.of(b)
        if nested and parent is not None:
            ctx = parent
        else:
            ctx = _Context(above=list(parent.figures) if parent else [])
        previous: list[Statistic] = []
        first_stats: list[Statistic] = []
        sentences = _sentences(b.text)
        for k, sentence in enumerate(sentences):
            if skip.search(sentence):
                continue
            found = _sentence_stats(sentence, ctx, source, nested, previous, place)
            ctx.figures.extend(found)
            if found:
                previous = found
                if not first_stats:
                    first_stats = found
            out.extend(found)
        if not nested:
            head = sentences[0] if sentences else b.text
            tail = sentences[-1] if len(sentences) > 1 and sentences[-1].endswith(":") else ""
            pm = _PERIOD.match(head)
            measure = first_stats[0].measure if first_stats else measure_for(b.text)
            date = first_stats[0].date if first_stats else printed_date(b.text)
            parent = _Context(label=f"{head} {tail}".strip(), measure=measure, date=date,
                              period=pm.group("period") if pm else None, figures=list(ctx.figures))
    return out
