"""Earlier figures and comparators in a SIF report's information block
(:mod:`ingest.frameworks.sif_statistics`): a sentence comparing the last figures with earlier
ones ("This is a reduction from 719 (82 per 10,000 children) at 31 March 2013"), which gives
those figures' earlier values, and a comparator printed beside a percentage ("the national
average is 18.1%").
"""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from .. import patterns
from ..model import Statistic
from .sif_figures import MENTION, RATE, figure_value

_WORD_NUMBER = patterns.WORD_NUMBER
#: "This is a reduction from 719 (82 per 10,000 children) at 31 March 2013": the last figure's
#: earlier value, dated, or printed for a year ("from eight in 2011–12", Swindon 2014); printed in the
#: sentence of the figure: "(a rate of 122 per 10,000 children, which is an increase from 1,302 (119 per 10,000
#: children) at 31 March 2013" (Manchester 2014: a second count of children looked after at 31 March 2014)
EARLIER = re.compile(
    rf"\b(?:This|which) is (?:an? )?(?:(?:slight|small|significant|considerable|large|marked|sharp|further|modest|"
    rf"notable|substantial)\s+)?(?:reduction|increase|decrease|rise|fall|drop)(?: of \S+)? from "
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{_WORD_NUMBER})"
    rf"(?:\s+(?:children|young people|care leavers|cases|plans)(?: and young people)?)?"
    rf"(?:\s*\(\s*(?P<rate>\d+(?:\.\d+)?) per 10,?000(?: children)?\s*\))?\s*(?:(?:as\s+)?(?:at|on)\s+"
    rf"(?P<date>{patterns.DAY_MONTH_YEAR.pattern})|in\s+(?P<year>(?:19|20)\d\d(?:\s*(?:{patterns.DASH}|/)\s*\d{{2,4}})?)\b)", re.I)
#: "This is consistent with (the same as, unchanged from) the number at 31 March 2016": the
#: no-change form of the earlier-value sentence above, so that its date's numbers are not read
#: as figures and the earlier value is kept (the B&NES seed; the three wordings are those of Ofsted's
#: template), and as reports print it without "the number": "This is the same as at 31 March 2015"
#: (Sefton 2016, Central Bedfordshire 2017), "This is unchanged from 31 October 2012" (Hartlepool 2014),
#: "This is the same figure as that at 31 March 2016" (Stockport 2017): no earlier value was kept
CONSISTENT = re.compile(rf"\bThis is (?:consistent|the same(?: figure)?|unchanged) (?:with|as|from)"
                         rf"(?: the (?:number|figure))?(?: that)?\s+(?:(?:as\s+)?(?:at|on)\s+)?"
                         rf"(?P<date>{patterns.DAY_MONTH_YEAR.pattern})", re.I)
#: the same comparison with an earlier figure in the template's other wordings: "This is a 36.4%
#: increase from 143 at 31 March 2013", "an increase from 293 (69 per 10,000 children and young
#: people)", "a very small reduction from 395", "a reduction from 1,340 at the end of March 2014",
#: "at 31/03/2014", "an increase of 16 from the 8 identified at", "a reduction from both 403 per
#: 10,000 (2,341) at ... and ...", "no change from four at", "numerically unchanged from the ten
#: children from", "similar to the figure of 184 at", "the same as 190 as at", "unchanged from one
#: at". ``rest`` is what follows the "from" (as, to, with): the earlier figure, rate and date
_COMPARED = re.compile(r"^This is\b.*?\b(?:increase|reduction|decrease|rise|fall|drop|change|unchanged|the same|"
                       r"similar)\b.*?\b(?:from|as|to|with)\b(?P<rest>.*)$", re.I)
_CLAUSE_END = re.compile(r",?\s+(?:but|and|while|whereas)\b", re.I)
#: a figure's later value, printed with the month (or day) it was reached: "(in June 2014, this had risen to 1,406
#: children 128 per 10,000)" (Manchester 2014: the rate was read as a measure "risen-children" at the figure's date)
LATER = re.compile(
    rf"\b(?:in|by|at)\s+(?P<when>{patterns.DAY_MONTH_YEAR.pattern}|{patterns.MONTH_YEAR.pattern}),?\s+"
    rf"(?:this|the number|the figure)\s+(?:had|has)\s+(?:risen|increased|fallen|decreased|reduced|dropped|grown)\s+"
    rf"(?:further\s+)?to\s+"
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\s+(?:children|young people)(?: and young people)?)?"
    rf"(?:\s*\(?\s*(?:a rate of\s+)?(?P<rate>\d+(?:\.\d+)?)\s+per\s+10,?000(?:\s+children)?\s*\)?)?", re.I)
_EARLIER_RATE = re.compile(r"\(?(?P<num>\d+(?:\.\d+)?)\s+per\s+10,?000(?:\s+(?:children|population)"
                           r"(?: and young people)?)?\)?", re.I)
#: a figure's difference from its earlier value: "15 children lived in a privately arranged fostering placement,
#: one more than at 31 March 2015", "518 children were being looked after ..., two fewer than at 31 March 2015"
#: (Greenwich 2016: counts 1 and 2 of the measures beside them); the earlier value is the figure's less (or
#: plus) the difference
DIFFERENCE = re.compile(rf"(?<![\w-])(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORD_NUMBER})\s+(?P<dir>more|fewer|less)\s+"
                        rf"than\s+(?:(?:as\s+)?at|on)\s+(?P<date>{patterns.DAY_MONTH_YEAR.pattern})", re.I)
_IN_YEAR = rf"(?:\s+in\s+(?:19|20)\d\d(?:\s*(?:{patterns.DASH}|/)\s*\d{{2,4}})?)?"
#: a figure printed with the one it changed from: "rising from 1% in 2001 to 2.1% in 2011" (Barnsley 2014: the
#: 1% was read, the 2.1% not), "increased from 208 individuals in 2001 to 5,673 in 2011" (Sandwell 2015), "has
#: risen from 20% to 30% of the population"; the figure is the later one, the earlier its earlier value ("ranging
#: from 6.3% to 48.1%" is a range, see ``sif_nonfigures``)
FROM_TO = re.compile(rf"(?<!ranging )(?<!ranges )(?<!range )(?<!ranged )\bfrom\s+(?P<num>{patterns.NUMBER_TEXT})\s*(?P<pct>%|per cent)?(?:\s+[a-z]+)?{_IN_YEAR}\s+to\s+"
                     rf"(?=\d)", re.I)
#: a change printed before the figure it changed to: "increasing by 4,556 to 15,190" (Sandwell 2015: 4,556 was
#: read, 15,190 not); no figure of its own
BY_TO = re.compile(rf"\bby\s+(?:over\s+|about\s+|around\s+|almost\s+)?(?:{patterns.NUMBER_TEXT})\s*(?:%|per cent)?\s+to\s+"
                   rf"(?=\d)", re.I)
#: a comparator printed beside a figure: "(the national average is 18.1%)", "compared with 21.5% in the country as a
#: whole", "compared with the England proportion of 0.5%" (Bury 2016: read as a figure of the area's)
COMPARATOR = re.compile(
    r"\(?(?:the )?(?P<who>(?:national|England) (?:average|proportion|level)|statistical neighbour average|average for "
    r"statistical neighbours)\s+(?:is|was|of)\s*(?P<num>\d+(?:\.\d+)?)\s*%?\)?"
    r"|,?\s*compared (?:with|to) (?P<num2>\d+(?:\.\d+)?)\s*%\s*(?P<who2>in the country as a whole|"
    r"nationally|in England|(?:for|in) (?:similar areas|statistical neighbours))", re.I)


def _comparator_name(who: str) -> str:
    who = who.lower()
    if "statistical" in who or "similar" in who:
        return "statistical neighbours"
    return "national average"


def compares_previous(sentence: str, previous: list[Statistic]) -> bool:
    """Is ``sentence`` only the earlier figures the last sentence's compare with ("This compares
    with 270 (55 per 10,000) at ...")? They are attached to ``previous``."""
    cmp = _COMPARED.match(sentence)
    if not cmp or EARLIER.match(sentence) or CONSISTENT.search(sentence):
        return False
    earlier = _compared(cmp.group("rest"))
    if earlier is None:
        return False
    count, rate, when = earlier
    counts = [s for s in previous if s.unit == "count"]
    rates = [s for s in previous if s.unit == "per-10000"]
    if counts and count is not None:
        counts[0].earlier_value, counts[0].earlier_date = count, when
    if rates and rate is not None:
        rates[0].earlier_value, rates[0].earlier_date = rate, when
    return True


def attach_comparators(sentence: str, stats: list[Statistic], at: list[int]) -> None:
    """Each comparator the sentence prints ("the national average is 18.1%") to the percentage
    printed last before it (or the last figure): "in primary schools is 15.3% (the national
    average is 18.1%); in secondary schools is 12.2% (... 15.1%)"."""
    for cm in COMPARATOR.finditer(sentence):
        who = cm.group("who") or cm.group("who2")
        num = cm.group("num") or cm.group("num2")
        before = [s for s, p in zip(stats, at) if p < cm.start()]
        target = next((s for s in reversed(before or stats) if s.unit == "percent"), stats[-1] if stats else None)
        if target is not None:
            target.comparator = _comparator_name(who)
            target.comparator_value = Decimal(num)


def attach_changes(sentence: str, stats: list[Statistic], at: list[int]) -> None:
    """The earlier value of each figure printed after the one it changed from ("from 1% in 2001 to
    2.1% in 2011"): that one, when both are percentages or both counts."""
    for cm in FROM_TO.finditer(sentence):
        after = [(p, s) for s, p in zip(stats, at) if p >= cm.end()]
        if not after:
            continue
        target = min(after, key=lambda ps: ps[0])[1]
        if (target.unit == "percent") == bool(cm.group("pct")) and target.unit in ("percent", "count"):
            target.earlier_value = figure_value(cm.group("num"))


def attach_differences(sentence: str, stats: list[Statistic], at: list[int]) -> None:
    """The earlier value and date of the count printed last before each difference the sentence
    prints ("15 children ..., one more than at 31 March 2015": 14 at that date)."""
    for dm in DIFFERENCE.finditer(sentence):
        before = [s for s, p in zip(stats, at) if p < dm.start() and s.unit == "count"]
        n = figure_value(dm.group("num"))
        if before and n is not None:
            target = before[-1]
            target.earlier_value = target.value - n if dm.group("dir").lower() == "more" else target.value + n
            target.earlier_date = patterns.parse_date(dm.group("date"))


def attach_earlier(sentence: str, stats: list[Statistic], at: list[int]) -> None:
    """The earlier value and date an earlier-value clause printed after the sentence's own figures gives
    ("1,373 children ... (a rate of 122 per 10,000 children, which is an increase from 1,302 (119 per 10,000
    children) at 31 March 2013"): to the last count and the last rate printed before it."""
    for em in EARLIER.finditer(sentence):
        before = [s for s, p in zip(stats, at) if p < em.start()]
        when = patterns.parse_date(em.group("date")) if em.group("date") else None
        count = next((s for s in reversed(before) if s.unit == "count"), None)
        rate = next((s for s in reversed(before) if s.unit == "per-10000"), None)
        if count is not None and count.earlier_value is None:
            count.earlier_value, count.earlier_date = figure_value(em.group("num")), when
        if rate is not None and rate.earlier_value is None and em.group("rate"):
            rate.earlier_value, rate.earlier_date = Decimal(em.group("rate")), when


def later_values(sentence: str, stats: list[Statistic], at: list[int]) -> list[Statistic]:
    """The later values a sentence prints after its figures ("in June 2014, this had risen to 1,406 children 128 per
    10,000"): the last count and the last rate before each, again at the later date (a month alone is dated as
    :func:`patterns.month_date` dates it)."""
    out: list[Statistic] = []
    for lm in LATER.finditer(sentence):
        when = patterns.parse_date(lm.group("when")) or patterns.month_date(lm.group("when"))
        before = [s for s, p in zip(stats, at) if p < lm.start()]
        for unit, printed in (("count", lm.group("num")), ("per-10000", lm.group("rate"))):
            figure = next((s for s in reversed(before) if s.unit == unit), None)
            if figure is not None and printed:
                out.append(replace(figure, value=figure_value(printed), date=when, period=None, earlier_value=None,
                                   earlier_date=None, comparator=None, comparator_value=None))
    return out


def earlier_values(sentence: str, stats: list[Statistic], previous: list[Statistic]) -> list[Statistic]:
    """``stats``, unless the sentence gives the earlier values of ``previous`` ("This is a slight
    increase from 270 at ...", "consistent with ..."): those are attached there instead."""
    em = EARLIER.search(sentence)
    cm2 = CONSISTENT.search(sentence)
    if em and em.start() == 0:
        stats = []    # "This is a slight increase from 270 at ...": an earlier value, not a new figure
    if (em or cm2) and not stats:
        counts = [s for s in previous if s.unit == "count"]
        rates = [s for s in previous if s.unit == "per-10000"]
        if em:
            # "from eight in 2011-12": a year or financial year, no day to date it by
            when = patterns.parse_date(em.group("date")) if em.group("date") else None
            if counts:
                counts[0].earlier_value, counts[0].earlier_date = figure_value(em.group("num")), when
            if rates and em.group("rate"):
                rates[0].earlier_value, rates[0].earlier_date = Decimal(em.group("rate")), when
        elif counts:
            counts[0].earlier_value = counts[0].value
            counts[0].earlier_date = patterns.parse_date(cm2.group("date"))
    return stats


def _compared(rest: str) -> tuple[Decimal | None, Decimal | None, object] | None:
    """The earlier count, rate and date of a ``_COMPARED`` sentence's ``rest``, or None when it
    names no earlier figure. Only its first clause counts ("..., but a decrease from ...")."""
    dm = next((m for m in (patterns.DAY_MONTH_YEAR.search(rest), patterns.NUMERIC_DATE.search(rest),
                           patterns.MONTH_YEAR.search(rest)) if m), None)
    clause = rest[:dm.end()] if dm else rest
    clause = _CLAUSE_END.split(clause, maxsplit=1)[0] if not dm else clause
    when = None
    if dm:
        # "a reduction from 1,340 at the end of March 2014": that month's last day
        when = patterns.parse_date(dm.group(0)) or patterns.month_date(rest[:dm.end()])
        clause = clause[:dm.start()]
    rm = _EARLIER_RATE.search(clause)
    rate = Decimal(rm.group("num")) if rm else None
    if rm is None and dm:
        # "the same as 190 as at 31 March 2016 (a rate of 52 per 10,000 children)"
        after = RATE.match(rest[dm.end():].lstrip())
        rate = Decimal(after.group("num")) if after else None
    if rm:
        clause = clause[:rm.start()] + " " * len(rm.group(0)) + clause[rm.end():]
    nm = next((m for m in MENTION.finditer(clause) if not m.group("unit")), None)
    count = figure_value(nm.group("num")) if nm else None
    return (count, rate, when) if count is not None or rate is not None else None
