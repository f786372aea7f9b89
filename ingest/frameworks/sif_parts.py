"""The measures of the figures of a nested SIF information item ("Of this number: 891 live with foster
families, of whom 60% live out of the authority area").

A nested item's figure is a part of its parent's, or of a measure its own words name
(:func:`nested_measure`). A figure printed after the item's own count may be a part of that count
rather than of the parent's (:func:`item_part`: "However, 89% are placed within Greater Manchester",
Manchester 2017), and a count printed in brackets with a noun of its own counts another kind
(:func:`other_kind`: "(11 families)"); one printed "of these" is a part of the figure before
(:func:`part_of_these`). Used by ``sif_statistics``.
"""
from __future__ import annotations

import re

from core.iris import slug

from .sif_measures import OF_WHOM, after_of_whom, part_named, suffix_for, whole_named

#: a contrast right before a figure, which qualifies the item's own figure: "669 (or 57%) live outside the local
#: authority area, although 86% are placed within Greater Manchester", "However, 89% are placed within Greater
#: Manchester", "four live in residential special schools, all of whom are out of the authority area, although two
#: are within Greater Manchester" (Manchester 2017: the parent's measure and the part named before the contrast)
_CONTRAST = re.compile(r"\b(?:although|however|but|whereas|while|yet)\s*,?\s*$", re.I)
#: a share printed before "of whom": "992 live with foster families, 50% of whom are with extended family members"
#: (Leeds 2015: the foster families' share, named by the words after "of whom")
_SHARE_OF_WHOM = re.compile(r"^\s*(?:all |none |most |some )?of (?:whom|which)\b", re.I)
_CLAUSE_END = re.compile(r"[.;:]\s|,\s")
#: a part of the figure printed before, "of these" after the figure: "126 (50%) were out of borough, with 48 of
#: these less than 20 miles from home" (Hillingdon 2014, Coventry 2014), "239 (49%) live outside the local authority
#: area but 87% of these are placed within 20 miles of their home address" (Southampton 2014)
_OF_THESE_AFTER = re.compile(r"^\s*of (?:these|them|those)\b", re.I)
#: a count printed in brackets with a noun of its own after a figure: "13 live with parents (11 families), of whom one
#: child lives out of the authority area" (Doncaster 2018: a second count 11 of children living with parents); a
#: count of the children or young people again is no other kind
_BRACKET_OPEN = re.compile(r"\(\s*$")
_OTHER_KIND = re.compile(r"^\s*(?P<noun>(?!(?:children|child|young|people|person|pupils)\b)[a-z]+(?:\s+[a-z]+)?)\s*\)",
                         re.I)


def other_kind(preceding: str, following: str) -> str | None:
    """The slug of the noun of a count printed in brackets with a noun of its own ("(11 families)"): what
    it counts, which is not what the figure before it counts; None for any other figure.

    :param preceding: the words between the figure before and this one.
    :param following: the words between this figure and the next.
    """
    m = _OTHER_KIND.match(following) if _BRACKET_OPEN.search(preceding) else None
    return slug(m.group("noun").lower()) if m else None


def part_of_these(last: str | None, following: str, banded: bool) -> str | None:
    """The measure of a figure printed "of these" after the figure just before (whose measure is ``last``): its
    part named by the words after "of these", or (a distance band naming it, ``banded``, and those words
    naming no part of the table) that figure's measure, to which the band is added; None for any other,
    and for words naming a measure of the table of their own ("three of these are now serious case
    reviews", Solihull 2016).

    :param following: the words between this figure and the next.
    """
    m = _OF_THESE_AFTER.match(following) if last else None
    if m is None:
        return None
    words = _CLAUSE_END.split(following[m.end():], maxsplit=1)[0]
    if whole_named(words):
        return None     # "six serious incident notifications ... and three of these are now serious case reviews"
    return f"{last}-{suffix_for(words)}" if part_named(words) or not banded else last


def item_part(subject: str | None, preceding: str, following: str, unit: str) -> str | None:
    """The measure of a figure printed in a nested item after the item's own count, when it is a part
    of that count: a share "of whom" (named by the words after it), a figure after a contrast whose
    words name no part of the phrasing table, or a percentage naming a part other than the count's
    ("992 live with foster families ...; 23% live out of the authority area", Leeds 2015); else None.

    :param subject: the measure of the item's own count, printed before the figure (None if none).
    :param preceding: the words between the figure before and this one.
    :param following: the words between this figure and the next.
    :param unit: the figure's unit.
    :return: the part's measure, or None.
    """
    if subject is None:
        return None
    share = _SHARE_OF_WHOM.match(following)
    if share:
        return f"{subject}-{suffix_for(_CLAUSE_END.split(following[share.end():], maxsplit=1)[0])}"
    own = OF_WHOM.split(following, maxsplit=1)[0]
    if _CONTRAST.search(preceding) and not part_named(own):
        return f"{subject}-{suffix_for(own)}"
    if unit == "percent" and part_named(own) and not subject.endswith(f"-{suffix_for(own)}"):
        return f"{subject}-{suffix_for(own)}"
    return None


def nested_measure(parent: str, rest: str, preceding: str, following: str, own_time: bool) -> str:
    """The measure of a nested item's figure: a part of its parent's measure (``parent``), or (its own
    words naming another measure of the phrasing table) that measure or its part. Printed at a time of
    its own and naming its parent's measure and no part, it is that measure at another time ("At the
    time of this inspection, 328 children were looked after by the local authority", Hounslow 2014,
    under the 305 at 31 March 2013).

    :param rest: the sentence after the figure.
    :param preceding: the words between the figure before and this one.
    :param following: the words between this figure and the next.
    :param own_time: whether the sentence opens with a time of its own.
    :return: the measure.
    """
    own = OF_WHOM.split(following, maxsplit=1)[0]
    # the words before the figure count from the start of its clause only; a comma ends the clause of the
    # figure before: "14% were placed with in-house foster carers, 2% were placed with relatives or friends"
    # (Hounslow 2014: the 2% was named by the foster carers, as the 14% was)
    # a comma before a bracket does not: "17 live in residential children’s homes, (6.8% of the care population)"
    clause = re.split(r"[.;:]\s|,\s(?!\()", preceding)[-1]
    words = own + " " + clause
    if not re.search(r"[a-z]", words, re.I):
        words = after_of_whom(rest)
    whole = whole_named(re.split(r"[,;]", own)[0] + " " + clause)
    if whole and (whole != parent or own_time):
        return f"{whole}-{suffix_for(words)}" if part_named(words) else whole
    return f"{parent}-{suffix_for(words)}"
