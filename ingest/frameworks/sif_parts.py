"""The measures of the figures of a nested SIF information item ("Of this number: 891 live with foster
families, of whom 60% live out of the authority area").

A nested item's figure is a part of its parent's, or of a measure its own words name
(:func:`nested_measure`). Used by ``sif_statistics``.
"""
from __future__ import annotations

import re

from .sif_measures import OF_WHOM, after_of_whom, part_named, suffix_for, whole_named


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
    clause = re.split(r"[.;:,]\s", preceding)[-1]
    words = own + " " + clause
    if not re.search(r"[a-z]", words, re.I):
        words = after_of_whom(rest)
    whole = whole_named(re.split(r"[,;]", own)[0] + " " + clause)
    if whole and (whole != parent or own_time):
        return f"{whole}-{suffix_for(words)}" if part_named(words) else whole
    return f"{parent}-{suffix_for(words)}"
