"""Numbers printed as figures in a SIF report's information block (:mod:`ingest.frameworks.sif_statistics`):
a figure with its unit and the percentage or count printed in brackets beside it, a rate per
10,000 children, and a figure's value.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .. import patterns

_WORD_NUMBER = patterns.WORD_NUMBER
#: "no" is a count of none before the people or things a measure counts: "no children", "there have been no
#: adoptions" (Isles of Scilly 2016), "there are no unaccompanied asylum-seeking children" (Torbay 2016), "and no
#: serious case reviews have been completed" (Derby 2017: the 0s were missing beside the figures printed), "There
#: were no SCRs ongoing"
_NUM = (rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?<![\w-]){_WORD_NUMBER}(?![\w-])|"
        rf"(?<![\w-])no(?=\s+(?:children|young|care|adoptions\b|unaccompanied|serious\s+(?:incident|case)|SCRs?\b)))")
#: a number, optionally followed by its unit and a companion percentage "(or 36%)" / "(6%)",
#: or a percentage by its count ("of whom 4% (8) subsequently returned", Doncaster 2018); a rate
#: is printed "77 per 10,000 children" and "354 children and young people per 10,000 population
#: (2,042)" (Wolverhampton 2017), its count after it. A bracket may be printed with spaces inside
#: it: "20 ( or 5%) live in residential children's homes" (Solihull 2016), and a percent sign may
#: be printed twice: "455 (71.9%%) were placed in foster care" (Coventry 2014)
MENTION = re.compile(
    rf"(?P<num>{_NUM})(?P<unit>\s*%%?(?:\s*\(\s*(?!(?:19|20)\d\d\s*\))(?P<count>\d{{1,3}}(?:,\d{{3}})+|\d+)\s*\))?"
    rf"|\s+per\s*cent\b|\s+(?:children(?: and young people)?\s+)?per\s+10,?000"
    rf"(?:\s+(?:children|population))?)?"
    rf"(?P<pair>(?:\s+children)?\s*\(\s*(?:or\s+)?(?P<pnum>\d+(?:\.\d+)?)\s*%%?\s*\))?", re.I)
RATE = re.compile(r"\(?a rate of (?P<num>\d+(?:\.\d+)?) per 10,?000(?: children)?\)?", re.I)


def figure_value(printed: str) -> Decimal | None:
    """The value of a printed figure ("1,150", "9.8", "nine"; "no children": 0), or None."""
    if printed.lower() == "no":
        return Decimal(0)
    return patterns.to_decimal(printed)
