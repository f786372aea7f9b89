"""The measure a SIF information bullet's figure names, from its printed wording.

A small table of common Ofsted phrasings gives the measure slug ("children-looked-after"); the
phrasings of a nested item or an "of whom" clause give a suffix to its parent's measure
("-out-of-area"); wording no table knows gives a slug of its own words. Used by
``sif_statistics``.
"""
from __future__ import annotations

import re

from core.authorities import core_name
from core.iris import slug

# ---------------------------------------------------------------- wording -> measure

#: common Ofsted phrasings -> measure slug; the first match in the words after (or before) a
#: number wins, so the more specific phrasings come first
_MEASURES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.I), s) for p, s in (
    (r"independent living", "ceased-looked-after-independent-living"),
    (r"multiple occupa(?:tion|ncy)", "ceased-looked-after-multiple-occupation"),
    (r"ceased to be looked after", "ceased-looked-after"),
    (r"special guardianship", "special-guardianship-orders"),
    (r"\badoptions?\b|\badopted\b", "adoptions"),
    (r"need of a specialist children|children in need\b", "children-in-need"),
    (r"child protection plan", "child-protection-plans"),
    (r"privately arranged foster(?:ing)?|privately fostered|private fostering", "privately-fostered-children"),
    (r"serious incident notifications?", "serious-incident-notifications"),
    # "one serious case review was ongoing at the time of the inspection" (Dudley 2016), "No serious case reviews are
    # currently ongoing" (Harrow 2017): no count of those completed; "There were two SCRs ongoing at the time of the
    # inspection" (Tower Hamlets 2017, Southwark 2017, Wolverhampton 2017: a name of its words)
    (r"(?:serious case reviews?(?: \(SCRs?\))?|\bSCRs?)\s+(?:are |were |is |was )?(?:currently |still )?"
     r"(?:on ?going|under ?way)", "serious-case-reviews-ongoing"),
    (r"serious case reviews?|\bSCRs?\b", "serious-case-reviews"),
    (r"unaccompanied asylum|\bUASC\b", "unaccompanied-asylum-seeking-children"),
    # children who started to be looked after in a year are no count of those looked after at a date
    (r"(?:started|starting|began|become|became|becoming) (?:to be )?looked after", "started-looked-after"),
    (r"(?:being |are |is )?look(?:ed|ing) after", "children-looked-after"),
    # "eligible for a free school meal" (Coventry and Hillingdon 2014)
    (r"free school meals?\b", "free-school-meals"),
    (r"english as an additional language", "english-additional-language"),
    (r"minority ethnic", "minority-ethnic-children"),
    (r"poverty|low[- ]income famil", "children-in-poverty"),
    (r"of the total population", "children-share-of-population"),
    (r"under the age of\b|aged under 18\b|aged 0 to 17", "children-population"),
    (r"children['’]s homes", "childrens-homes"),
    (r"care leavers?", "care-leavers"),
))

#: phrasings of a nested item or an "of whom" clause -> suffix to the parent measure
_SUFFIXES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.I), s) for p, s in (
    # "live outside of the local authority area" (Southwark 2017), "were placed out of borough", "out of City"
    # (Hillingdon and Coventry 2014)
    (r"(?:outside|out)(?: of)? (?:the )?(?:local )?authority area|out of area|(?:outside|out of) (?:the )?"
     r"(?:borough|city|county)\b", "out-of-area"),
    (r"subsequently returned|returned to be looked after", "returned"),
    (r"residential (?:children['’]s )?homes|children['’]s homes", "childrens-homes"),
    (r"residential special schools?", "residential-special-schools"),
    (r"foster famil|foster carers|fostering|foster care\b", "foster-families"),     # "placed in foster care"
    (r"with (?:their )?parents", "with-parents"),
    (r"unaccompanied asylum|\bUASC\b", "unaccompanied-asylum-seeking"),
    (r"\bprimary schools?\b", "primary-schools"),
    (r"\bsecondary schools?\b", "secondary-schools"),
    (r"independent living", "independent-living"),
    (r"multiple occupa(?:tion|ncy)", "multiple-occupation"),
))

#: words a phrase may open with that name nothing it counts: "However, during the inspection this figure reached
#: over 340" (Bolton 2014: 'however-during-inspection-figure-reached-over'), "Approximately 158,000 ...", "There are
#: currently ...", "Overall, ...", "There are over 100 languages spoken"
_FILLER = frozenset("however approximately currently overall also only over around about almost nearly some further "
                    "just roughly still now".split())
_STOP = frozenset("a an the of in on at to and or is are was were be been being have has had who whom "
                  "which that this these those there their its it as by for with from".split())


def measure_for(words: str) -> str | None:
    """The measure slug a printed phrase names, from the shared table of Ofsted phrasings."""
    for rule, measure in _MEASURES:
        if rule.search(words):
            return measure
    return None


def suffix_for(words: str) -> str:
    """The suffix a nested item's (or an "of whom" clause's) words give its parent's measure."""
    # the phrase printed first names the part: "two live in residential special schools, and
    # both live out of the authority area" is the residential special schools' figure
    found = [(m.start(), suffix) for rule, suffix in _SUFFIXES for m in [rule.search(words)] if m]
    if found:
        return min(found)[1]
    # each word once: the clause before a figure and its own words may repeat it ("lived ...
    # home, and 70 (23%) lived more than 20 miles from their home")
    kept = _without_filler(list(dict.fromkeys(w for w in re.findall(r"[a-z]+", words.lower()) if w not in _STOP)))[:4]
    return slug(" ".join(kept)) if kept else "x"


#: an "of whom" clause after a figure: ", of whom 53 (35%) live out of the authority area"
OF_WHOM = re.compile(r",?\s*(?:all |none |most |some )?of (?:whom|which)\b", re.I)


def after_of_whom(rest: str) -> str:
    """The words after an "of whom" clause set between a figure and the words naming it ("150,
    of whom 53 (35%) live out of the authority area, live with foster families", York 2017): the
    clause runs to the next comma (not one in a number, "1,053"), and the words end at the next
    figure ("150, of whom 53 are disabled, and 12 live with parents": the 12's words)."""
    m = OF_WHOM.match(rest)
    parts = re.split(r",(?!\d{3}\b)", rest[m.end():], maxsplit=1) if m else []
    return re.split(r"\d", parts[1], maxsplit=1)[0] if len(parts) > 1 else ""


#: the distance band a figure is placed in ("84% ... placed within 20 miles of home, and 93%
#: within 60 miles", Sheffield 2014): part of what it measures, though the distance is no figure
_DISTANCE = re.compile(r"\b(within|over|more than|less than|under|up to)\s+(\d{1,3})\s+miles?\b", re.I)


def distance_band(words: str) -> str | None:
    """The slug of the distance band ``words`` name ("within-20-miles"), or None."""
    m = _DISTANCE.search(words)
    return f"{slug(m.group(1))}-{m.group(2)}-miles" if m else None


def without_distance(words: str) -> str:
    """``words`` without the distance band, which ``distance_band`` names on its own."""
    return _DISTANCE.sub(" ", words)


#: the template's sentence of the largest minority ethnic groups: "The largest minority ethnic groups of children
#: and young people in the area are Black/Black British African (15.70%), Black/Black British Caribbean (11.70%)
#: and Other Black (8.3%)" (Lewisham 2016: 'minority-ethnic-children', the measure of all minority ethnic
#: groups' share, then word-made names), "is the mixed group, at 1.5%", "Black African (24%) and White Other
#: (11.2%) are the largest minority ethnic groups"; each percentage is one group's share, named by the words
#: printed before it after the verb ("are", "is"), without "at", "accounting for" and "who/which account(s) for"
_LARGEST_GROUPS = re.compile(r"\blargest\s+(?:minority\s+ethnic|ethnic\s+minority)\s+groups?\b", re.I)
_UP_TO_VERB = re.compile(r"^.*\b(?:are|is)\s", re.I | re.S)
_GROUP_LINKS = re.compile(r"\b(?:(?:who|which)\s+accounts?\s+for|accounting\s+for|at)\b", re.I)
_LIST_SEPARATOR = re.compile(r",?\s+(?:followed by|and)\s+|,\s+", re.I)


def ethnic_group(sentence: str, start: int, preceding: str) -> str | None:
    """The measure of a percentage in the sentence naming the largest minority ethnic groups: the
    share of the group the words before it name, "minority-ethnic-group-black-british-african";
    printed in brackets with another's and "respectively" ("Asian or Asian British, followed by
    Mixed (20.6% and 11.3% respectively)"), the group of its place in the list. None in any other
    sentence.

    :param start: where the percentage is printed in ``sentence``.
    :param preceding: the words before it, from the figure before.
    """
    if not _LARGEST_GROUPS.search(sentence):
        return None
    opening = sentence.rfind("(", 0, start)
    if re.search(r"\brespectively\b", sentence[start:]) and opening >= 0:
        names = _LIST_SEPARATOR.split(_UP_TO_VERB.sub("", sentence[:opening]))
        place = sentence[opening:start].count("%")
        words = names[place] if place < len(names) else ""
    else:
        words = _UP_TO_VERB.sub("", preceding)
    group = suffix_for(_GROUP_LINKS.sub(" ", words))
    return f"minority-ethnic-group-{group}" if group != "x" else "minority-ethnic-group"


#: "placed for adoption", "arrangements including adoption": the route a looked-after child is
#: placed by, no count of adoptions ("adoptions", "adopted", "adoption orders")
_ADOPTION_ROUTE = re.compile(r"\badoption\b(?!\s+orders?\b)", re.I)


def whole_named(words: str) -> str | None:
    """The measure of the phrasing table that ``words`` name besides the part they name: a nested
    item printed as a measure of its own ("165 children have ceased to be looked after", "57 ...
    ceased to be looked after and moved on to independent living", under the looked-after item,
    Hounslow 2014) rather than a part of its parent's ("45 lived in residential children's homes",
    whose part's words the table also knows, "children's homes"). A child "placed for adoption"
    (Bolton 2014) or placed "as a result of ... arrangements including adoption" (Barnsley 2014)
    is looked after: adoptions are counted "adoptions", "adopted" or "adoption orders"."""
    rest = _ADOPTION_ROUTE.sub(" ", words)
    for rule, _suffix in _SUFFIXES:
        rest = rule.sub(" ", rest)
    return measure_for(rest)


#: the words before a count of the whole population: "This is 22.9% of the total population (291,933)" (Lewisham
#: 2016: a count of 'children-share-of-population'), "approximately 70,500 children ... out of a total population of
#: 316,900 (22%)" (Coventry 2014: a count named by the children's words)
_TOTAL_POPULATION = re.compile(r"\btotal\s+population\s*(?:of\s*)?\(?\s*$", re.I)


def total_population(preceding: str) -> bool:
    """Do the words ``preceding`` a count name the whole population (of all ages) it counts?"""
    return bool(_TOTAL_POPULATION.search(preceding))


def part_named(words: str) -> bool:
    """Do ``words`` name a part of a measure ("in primary schools", "live with foster families")?"""
    return any(rule.search(words) for rule, _suffix in _SUFFIXES)


def place_name(authority: str | None) -> re.Pattern[str] | None:
    """The report's own authority's name as a sentence prints it ("Coventry", "Manchester’s", "Waltham
    Forest"), which is no word of a measure: measures are shared by all authorities ("There are over
    100 languages spoken in Coventry" was 'over-languages-spoken-coventry'). The name of a region it
    gives its name to ("Greater Manchester") stays. None when the authority has no name of its own
    ("City of London": its generic words only).

    :param authority: the authority's name as the report's cover prints it ("Coventry City Council").
    """
    words = [w for w in core_name(authority or "").split() if w not in ("and", "of")]
    if not words:
        return None
    name = r"[\s-]+(?:(?:of|and|&)[\s-]+)?".join(re.escape(w) for w in words)    # "Isles of Scilly": "isles scilly"
    return re.compile(rf"(?<!Greater )\b{name}(?:['’]s)?\b", re.I)


def _without_filler(words: list[str]) -> list[str]:
    """``words`` without the filler words they open with (``_FILLER``); all of them when that is all they are."""
    n = next((i for i, w in enumerate(words) if w not in _FILLER), len(words))
    return words[n:] or words


def fallback(words: str) -> str:
    """A measure slug made of the first words of a phrase no table knows, without the filler words it opens with."""
    kept = _without_filler([w for w in re.findall(r"[a-z]+", words.lower()) if w not in _STOP])[:6]
    return slug(" ".join(kept)) if kept else "unnamed"
