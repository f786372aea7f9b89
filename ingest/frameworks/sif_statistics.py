"""Statistics of a SIF report's "Information about this local authority area" block.

The block is a list of bullets ("At 30 September 2014, 696 children were being looked after
... (a rate of 77 per 10,000 children). This is a reduction from 719 (82 per 10,000 children)
at 31 March 2013. Of this number:") with nested bullets that complete their parent's sentence.
Every number printed as a fact becomes one ``Statistic``; the measure slug comes from the
sentence wording (a small table of common Ofsted phrasings, else the words themselves).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .. import patterns
from ..model import Block, Source, Statistic
from .sif_measures import (OF_WHOM, after_of_whom, distance_band, fallback, measure_for, part_named, suffix_for,
                           whole_named, without_distance)
from .sif_nonfigures import BETWEEN_YEARS, blank, is_fact, printed_date, without_dates
from .sif_ratios import ONE_IN, ratios

# ---------------------------------------------------------------- numbers in a sentence

_WORD_NUMBER = patterns.WORD_NUMBER
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?<![\w-]){_WORD_NUMBER}(?![\w-])|(?<![\w-])no(?=\s+(?:children|young|care)))"
#: a number, optionally followed by its unit and a companion percentage "(or 36%)" / "(6%)",
#: or a percentage by its count ("of whom 4% (8) subsequently returned", Doncaster 2018); a rate
#: is printed "77 per 10,000 children" and "354 children and young people per 10,000 population
#: (2,042)" (Wolverhampton 2017), its count after it. A bracket may be printed with spaces inside
#: it: "20 ( or 5%) live in residential children's homes" (Solihull 2016), and a percent sign may
#: be printed twice: "455 (71.9%%) were placed in foster care" (Coventry 2014)
_MENTION = re.compile(
    rf"(?P<num>{_NUM})(?P<unit>\s*%%?(?:\s*\(\s*(?!(?:19|20)\d\d\s*\))(?P<count>\d{{1,3}}(?:,\d{{3}})+|\d+)\s*\))?"
    rf"|\s+per\s*cent\b|\s+(?:children(?: and young people)?\s+)?per\s+10,?000"
    rf"(?:\s+(?:children|population))?)?"
    rf"(?P<pair>(?:\s+children)?\s*\(\s*(?:or\s+)?(?P<pnum>\d+(?:\.\d+)?)\s*%%?\s*\))?", re.I)
_RATE = re.compile(r"\(?a rate of (?P<num>\d+(?:\.\d+)?) per 10,?000(?: children)?\)?", re.I)
#: "This is a reduction from 719 (82 per 10,000 children) at 31 March 2013": the last figure's
#: earlier value, dated, or printed for a year ("from eight in 2011–12", Swindon 2014)
_EARLIER = re.compile(
    rf"\bThis is (?:an? )?(?:(?:slight|small|significant|considerable|large|marked|sharp|further|modest|"
    rf"notable|substantial)\s+)?(?:reduction|increase|decrease|rise|fall|drop)(?: of \S+)? from "
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{_WORD_NUMBER})"
    rf"(?:\s+(?:children|young people|care leavers|cases|plans)(?: and young people)?)?"
    rf"(?:\s*\(\s*(?P<rate>\d+(?:\.\d+)?) per 10,?000(?: children)?\s*\))?\s*(?:(?:as\s+)?(?:at|on)\s+"
    rf"(?P<date>{patterns.DAY_MONTH_YEAR.pattern})|in\s+(?P<year>(?:19|20)\d\d(?:\s*(?:{patterns.DASH}|/)\s*\d{{2,4}})?)\b)", re.I)
#: "This is consistent with (the same as, unchanged from) the number at 31 March 2016": the
#: no-change form of the earlier-value sentence above, so that its date's numbers are not read
#: as figures and the earlier value is kept (only the B&NES seed prints it among the visible
#: reports; the three wordings are those of Ofsted's template)
_CONSISTENT = re.compile(rf"\bThis is (?:consistent|the same|unchanged) (?:with|as) the number (?:at|on)\s+"
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
_EARLIER_RATE = re.compile(r"\(?(?P<num>\d+(?:\.\d+)?)\s+per\s+10,?000(?:\s+(?:children|population)"
                           r"(?: and young people)?)?\)?", re.I)
_COMPARATOR = re.compile(
    r"\(?(?:the )?(?P<who>national (?:average|proportion|level)|England average|statistical neighbour average|average for "
    r"statistical neighbours)\s+(?:is|was|of)\s+(?P<num>\d+(?:\.\d+)?)\s*%?\)?"
    r"|,?\s*compared (?:with|to) (?P<num2>\d+(?:\.\d+)?)\s*%\s*(?P<who2>in the country as a whole|"
    r"nationally|in England|(?:for|in) (?:similar areas|statistical neighbours))", re.I)
_PERIOD = re.compile(rf"^(?P<period>(?:In|During|Over) the (?:last|past|previous) [\w ]+?|Since the last "
                     rf"inspection|In the \w+ years? prior to the inspection|"
                     rf"In \d{{4}}{patterns.DASH}\d{{2,4}})\s*[:,]", re.I)
_SENTENCE_END = re.compile(r"(?<=[.:;])\s+(?=[A-Z(])")
#: a part printed with the figure it is part of: "but 39 (of the 78) children live within 10
#: miles" (Barnsley 2014); the figure in brackets was printed before, in the item above
_PART_OF = re.compile(r"\(\s*of the (?P<num>\d{1,3}(?:,\d{3})*)\s*\)", re.I)
#: a figure of the sentence before restated to name its parts: "40 live in residential children's
#: homes. Of this 40, 28 live outside the authority area" (Wirral 2016): 28 is the homes' part
_RESTATED = re.compile(r"\bOf (?:this|these)\s*$", re.I)


def _value(printed: str) -> Decimal | None:
    if printed.lower() == "no":
        return Decimal(0)
    return patterns.to_decimal(printed)


def _comparator_name(who: str) -> str:
    who = who.lower()
    if "statistical" in who or "similar" in who:
        return "statistical neighbours"
    return "national average"


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


def _whole_of(sentence: str, end: int, ctx: _Context) -> str | None:
    """The measure of the figure a part names in brackets right after it ("39 (of the 78)"), when
    that figure was printed in the item or its nested items before; else None."""
    m = _PART_OF.match(sentence[end:].lstrip())
    if m is None:
        return None
    whole = _value(m.group("num").replace(",", ""))
    return next((s.measure for s in reversed(ctx.figures) if s.unit == "count" and s.value == whole), None)


def _is_fact(mm: re.Match[str], masked: str) -> bool:
    """Is this number a fact rather than a year, an age, a duration or a key stage?"""
    return is_fact(mm.group("num"), mm.group("unit"), masked[:mm.start()], masked[mm.end():])


def _masked(text: str) -> str:
    """The text with dates, per-10,000 rates, comparators and earlier values blanked out
    (same length), so that only the numbers that are this sentence's own facts remain."""
    return blank(without_dates(blank(text, (_EARLIER, _CONSISTENT, _COMPARATOR, _RATE))), (_PART_OF, ONE_IN))


def _sentence_stats(sentence: str, ctx: _Context, source: Source, nested: bool,
                    previous: list[Statistic]) -> list[Statistic]:
    """Statistics printed in one sentence; earlier values and comparators are attached to
    ``previous`` (the last sentence's statistics) or to this sentence's own."""
    stats: list[Statistic] = []
    cmp = _COMPARED.match(sentence)
    if cmp and not _EARLIER.match(sentence) and not _CONSISTENT.search(sentence):
        earlier = _compared(cmp.group("rest"))
        if earlier is not None:
            count, rate, when = earlier
            counts = [s for s in previous if s.unit == "count"]
            rates = [s for s in previous if s.unit == "per-10000"]
            if counts and count is not None:
                counts[0].earlier_value, counts[0].earlier_date = count, when
            if rates and rate is not None:
                rates[0].earlier_value, rates[0].earlier_date = rate, when
            return stats
    label = f"{ctx.label} {sentence}".strip() if ctx.label else sentence
    date = printed_date(sentence) or ctx.date
    period = ctx.period
    pm = _PERIOD.match(sentence)
    if pm:
        period, date = pm.group("period"), None
    bm = BETWEEN_YEARS.search(sentence)
    if bm:
        period = f"{bm.group(1)}-{bm.group(2)}"

    masked = _masked(sentence)
    mentions = [mm for mm in _MENTION.finditer(masked) if _is_fact(mm, masked)]
    lead_end = masked.find(":")
    lead = measure_for(masked[:lead_end]) if not nested and lead_end > 0 else None
    at: list[int] = []        # where each statistic's figure is printed, for its comparator
    last_measure: str | None = None
    restated: str | None = None    # the measure of a figure this sentence restates ("Of this 40, ...")
    for i, mm in enumerate(mentions):
        value = _value(mm.group("num"))
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
        whole = _whole_of(sentence, mm.end(), ctx)
        if unit == "count" and _RESTATED.search(preceding):
            # the nearest figure of that value: an earlier one may share it ("There were 40 ...")
            again = next((s.measure for s in reversed(previous) if s.unit == "count" and s.value == value), None)
            if again:
                restated = again        # the figure printed before, restated: no figure of its own
                continue
        if whole:
            measure = f"{whole}-{suffix_for(following)}"
        elif restated:
            measure = f"{restated}-{suffix_for(following)}"
        elif re.search(r"\bof (?:whom|which)\s*$", preceding, re.I) and last_measure:
            measure = f"{last_measure}-{suffix_for(following)}"
        elif nested and ctx.measure:
            own = OF_WHOM.split(following, maxsplit=1)[0]
            # the words before the figure count from the start of its clause only
            clause = re.split(r"[.;:]\s", preceding)[-1]
            words = own + " " + clause
            if not re.search(r"[a-z]", words, re.I):
                words = after_of_whom(masked[mm.end():])
            # its own words may name a measure other than its parent's: that measure (or its part)
            whole = whole_named(re.split(r"[,;]", own)[0] + " " + clause)
            if whole and whole != ctx.measure:
                measure = f"{whole}-{suffix_for(words)}" if part_named(words) else whole
            else:
                measure = f"{ctx.measure}-{suffix_for(words)}"
        elif lead and mm.start() > lead_end and part_named(re.split(r"[;:]", preceding)[-1] + " " + following):
            # "The proportion of children entitled to free school meals: in primary schools is
            # 15.3% (...); in secondary schools is 12.2% (...)": one sentence, the parts of the
            # measure its lead names, as when they are printed as nested items
            measure = f"{lead}-{suffix_for(re.split(r'[;:]', preceding)[-1] + ' ' + following)}"
        else:
            # the words naming the measure may follow a figure printed in between ("354 ...
            # per 10,000 population (2,042) had been identified ... in need"): the rest of the
            # sentence before the label's or the fallback
            measure = (measure_for(following) or measure_for(preceding) or
                       (None if nested else measure_for(ctx.label)) or
                       (measure_for(masked[mm.end():]) if unit == "per-10000" else None) or ctx.measure or
                       fallback(preceding + " " + following))
        if band:
            measure = f"{measure}-{band}"
        if not re.search(r"\bof (?:whom|which)\s*$", preceding, re.I):
            last_measure = measure
        stats.append(Statistic(measure=measure, label=label, value=value, unit=unit, date=date,
                               period=period, source=source))
        at.append(mm.start())
        if mm.group("pair") or mm.group("count"):
            pair, pair_unit = (mm.group("pnum"), "percent") if mm.group("pair") else (mm.group("count"), "count")
            stats.append(Statistic(measure=measure, label=label, value=_value(pair), unit=pair_unit,
                                   date=date, period=period, source=source))
            at.append(mm.start())
    for r in ratios(sentence, masked):
        stats.append(Statistic(measure=r.measure or ctx.measure or fallback(r.words), label=label, value=r.value,
                               unit="ratio", date=date, period=period, source=source,
                               comparator="national average" if r.national is not None else None,
                               comparator_value=r.national))
    for rm in _RATE.finditer(sentence):
        base = next((s.measure for s in stats if s.unit == "count"), ctx.measure) or "unnamed"
        stats.append(Statistic(measure=base, label=label, value=Decimal(rm.group("num")),
                               unit="per-10000", date=date, period=period, source=source))
        at.append(rm.start())

    for cm in _COMPARATOR.finditer(sentence):
        who = cm.group("who") or cm.group("who2")
        num = cm.group("num") or cm.group("num2")
        # the percentage printed last before the comparator ("in primary schools is 15.3% (the
        # national average is 18.1%); in secondary schools is 12.2% (... 15.1%)")
        before = [s for s, p in zip(stats, at) if p < cm.start()]
        target = next((s for s in reversed(before or stats) if s.unit == "percent"), stats[-1] if stats else None)
        if target is not None:
            target.comparator = _comparator_name(who)
            target.comparator_value = Decimal(num)
    em = _EARLIER.search(sentence)
    cm2 = _CONSISTENT.search(sentence)
    if em and em.start() == 0:
        stats = []    # "This is a slight increase from 270 at ...": an earlier value, not a new figure
    if (em or cm2) and not stats:
        counts = [s for s in previous if s.unit == "count"]
        rates = [s for s in previous if s.unit == "per-10000"]
        if em:
            # "from eight in 2011-12": a year or financial year, no day to date it by
            when = patterns.parse_date(em.group("date")) if em.group("date") else None
            if counts:
                counts[0].earlier_value, counts[0].earlier_date = _value(em.group("num")), when
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
        when = patterns.parse_date(dm.group(0)) or patterns.parse_month(dm.group(0))
        clause = clause[:dm.start()]
    rm = _EARLIER_RATE.search(clause)
    rate = Decimal(rm.group("num")) if rm else None
    if rm is None and dm:
        # "the same as 190 as at 31 March 2016 (a rate of 52 per 10,000 children)"
        after = _RATE.match(rest[dm.end():].lstrip())
        rate = Decimal(after.group("num")) if after else None
    if rm:
        clause = clause[:rm.start()] + " " * len(rm.group(0)) + clause[rm.end():]
    nm = next((m for m in _MENTION.finditer(clause) if not m.group("unit")), None)
    count = _value(nm.group("num")) if nm else None
    return (count, rate, when) if count is not None or rate is not None else None


def _sentences(text: str) -> list[str]:
    # keep "(a rate of ... children)." inside its sentence; split after . : ; before a capital
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


#: an item that continues the item above it: "Of this number, 100 (19%) live outside ..." (Bolton
#: 2014), "Of this number:" printed on a line of its own (Blackburn with Darwen 2017)
_LEAD_IN = re.compile(r"^Of (?:this|these) (?:number|children)\b", re.I)
_NUMBER_START = re.compile(rf"^(?:\d|{_WORD_NUMBER}\s)", re.I)


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


def statistics(blocks: list[Block], skip: re.Pattern[str]) -> list[Statistic]:
    """Every statistic printed in the bullets of an information block.

    :param blocks: the headings, bullets and paragraphs of data groups, in order.
    :param skip: sentences that are not statistics (tenures, earlier inspections).
    :return: one ``Statistic`` per printed number that is a fact.
    """
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
            ctx = _Context()
        previous: list[Statistic] = []
        first_stats: list[Statistic] = []
        sentences = _sentences(b.text)
        for k, sentence in enumerate(sentences):
            if skip.search(sentence):
                continue
            found = _sentence_stats(sentence, ctx, source, nested, previous)
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
            date = first_stats[0].date if first_stats else None
            parent = _Context(label=f"{head} {tail}".strip(), measure=measure, date=date,
                              period=pm.group("period") if pm else None, figures=list(ctx.figures))
    return out
