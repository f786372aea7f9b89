"""Proportions a SIF information bullet prints as "one in four": one figure, a ratio, rather than
the counts one and four ("One in four (14,769) children in Luton live in poverty", Luton 2016;
"approximately one in three children living in poverty, whereas the national figure is one in
five", Liverpool 2014, whose national proportion is the comparator). Used by ``sif_statistics``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .. import patterns
from .sif_measures import measure_for

#: "one in four", "1 in 3"; never a count "in 12 months"
ONE_IN = re.compile(rf"(?<![\w-])(?P<n>\d{{1,2}}|{patterns.WORD_NUMBER}) in (?P<m>\d{{1,3}}|{patterns.WORD_NUMBER})"
                    rf"(?![\w%-])(?!\s+(?:months?|years?|weeks?|days?|hours?)\b)", re.I)
_NATIONAL_BEFORE = re.compile(r"\bnational(?:ly| (?:figure|average|proportion|level)(?: is| was| of)?)\s*$", re.I)


@dataclass
class Ratio:
    """One proportion: its value (1/4 -> 0.250), the measure the phrasing table finds in its
    words (None when it knows none), those words, and the national proportion printed after it."""

    value: Decimal
    measure: str | None
    words: str
    national: Decimal | None = None


def ratios(sentence: str, masked: str) -> list[Ratio]:
    """The proportions ``sentence`` prints, each named by the words after it (else before it).

    :param masked: the sentence with what is no figure of its own blanked out (same length).
    """
    out: list[Ratio] = []
    for m in ONE_IN.finditer(sentence):
        n, of = patterns.to_decimal(m.group("n")), patterns.to_decimal(m.group("m"))
        if n is None or not of or n >= of:
            continue
        value = (n / of).quantize(Decimal("0.001"))
        if _NATIONAL_BEFORE.search(sentence[:m.start()]):
            if out:                              # "whereas the national figure is one in five"
                out[-1].national = value
            continue                             # never the area's own figure
        after = masked[m.end():]
        out.append(Ratio(value, measure_for(after) or measure_for(masked[:m.start()]), after))
    return out
