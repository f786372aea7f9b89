"""Page furniture: the running headers, footers, page numbers and footnotes a PDF repeats around
its text, which :mod:`ingest.readers.pdf_layout` drops before it joins lines into paragraphs (left
in, a footer cuts the paragraph running over a page break in two).

Decided by repetition and place, never by words:

* **in the band**: a line in the top or bottom ``FURNITURE_BAND`` of the page whose text (digits
  masked) repeats there on several pages, or that is only a page number.
* **at one place**: a line printed at the same height, in the same type size and with the same
  text on several pages, wherever that is: a footer set higher than the band (a report with a deep
  bottom margin prints it at 86% of the page, where the band ends at 88%) or a header set lower.
  The same line among the first or last lines of another page is furniture too: a cover prints
  its footer a little higher than the other pages (Nottingham City 2022: 784 pt, not 796 pt).
* **footnotes**: small print at the foot of a page, starting with a mark or number.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from ..patterns import DASH
from .pdf_lines import Line

#: share of the page height at top and bottom where running headers and footers live
FURNITURE_BAND = 0.12
#: lines this close in height (points) are printed at one place
_SAME_PLACE = 3.0
#: a cover's own copy of a line repeated at one place is among this many lines at its page's edge
_EDGE_LINES = 2

_PAGE_NUMBER = re.compile(rf"^(?:page\s*)?\d{{1,4}}(?:\s*(?:of|/)\s*\d{{1,4}})?$|^{DASH}\s*\d{{1,4}}\s*{DASH}$", re.I)
_FOOTNOTE_START = re.compile(r"^[\d*†‡§]")


def _signature(line: Line, height: float) -> str:
    """What a running header or footer repeats: its half of the page and its text with numbers
    masked; a number at either end of words is left out (a cover page prints the footer without
    the page number the others carry), a line of numbers alone keeps their pattern."""
    text = re.sub(r"\s+", " ", re.sub(r"\d+", "#", line.text.lower())).strip()
    if re.search(r"[^\W\d_]", text):
        text = text.strip(" #")
    return ("top " if line.bottom < 0.5 * height else "foot ") + text


def _in_band(line: Line, height: float) -> bool:
    return line.bottom < FURNITURE_BAND * height or line.top > (1 - FURNITURE_BAND) * height


#: a line's signature and type size (halves of a point), per page
_Keys = list[list[tuple[str, float]]]


def _repeated_in_band(pages: list[tuple[float, list[Line]]], keys: _Keys, needed: int) -> set[str]:
    """Signatures found in the band on at least ``needed`` pages."""
    seen: Counter[str] = Counter()
    for (height, lines), page_keys in zip(pages, keys):
        seen.update({sig for ln, (sig, _) in zip(lines, page_keys) if _in_band(ln, height)})
    return {sig for sig, n in seen.items() if n >= needed}


def _repeated_at_one_place(pages: list[tuple[float, list[Line]]], keys: _Keys,
                           needed: int) -> dict[tuple[str, float], float]:
    """(signature, type size) -> height (its top) of the lines printed at one height on at least
    ``needed`` pages."""
    tops: defaultdict[tuple[str, float], list[tuple[float, int]]] = defaultdict(list)
    for n, ((_, lines), page_keys) in enumerate(zip(pages, keys)):
        for ln, key in zip(lines, page_keys):
            tops[key].append((ln.top, n))
    found: dict[tuple[str, float], float] = {}
    for key, places in tops.items():
        if len(places) < needed:
            continue
        places.sort()
        start = 0
        for end in range(len(places)):            # a window of lines within _SAME_PLACE of each other
            while places[end][0] - places[start][0] > _SAME_PLACE:
                start += 1
            if len({n for _, n in places[start:end + 1]}) >= needed:
                found[key] = places[start][0]
                break
    return found


class _Furniture:
    """What repeats in one document: the band signatures and the places of repeated lines."""

    def __init__(self, pages: list[tuple[float, list[Line]]]):
        self.keys: _Keys = [[(_signature(ln, height), round(ln.size * 2) / 2) for ln in lines]
                            for height, lines in pages]
        needed = max(2, math.ceil(0.3 * len(pages)))
        self.in_band = _repeated_in_band(pages, self.keys, needed)
        # on three pages at least: in a short letter two pages may open with one heading
        self.at_place = _repeated_at_one_place(pages, self.keys, max(3, needed))

    def holds(self, page: int, lines: list[Line], i: int, height: float) -> bool:
        """Is ``lines[i]``, on page index ``page``, ``height`` tall, furniture?"""
        ln = lines[i]
        key = self.keys[page][i]
        if _in_band(ln, height) and (key[0] in self.in_band or _PAGE_NUMBER.match(ln.text.strip())):
            return True
        place = self.at_place.get(key)
        if place is None:
            return False
        at_edge = i < _EDGE_LINES if ln.bottom < 0.5 * height else i >= len(lines) - _EDGE_LINES
        return at_edge or abs(ln.top - place) <= 2 * _SAME_PLACE


def strip_furniture(pages: list[tuple[float, list[Line]]], body_size: float) -> list[list[Line]]:
    """Each page's lines without its furniture (see the module docstring).

    :param pages: ``(page height, lines top to bottom)`` per page.
    :param body_size: the document's body type size, to tell footnotes' small print.
    """
    furniture = _Furniture(pages)
    out: list[list[Line]] = []
    for n, (height, lines) in enumerate(pages):
        kept = [ln for i, ln in enumerate(lines) if not furniture.holds(n, lines, i, height)]
        # footnotes: small print at the foot of the page, starting with a mark or number
        foot = len(kept)
        while foot > 0 and kept[foot - 1].size < 0.88 * body_size and kept[foot - 1].top > 0.45 * height:
            foot -= 1
        if foot < len(kept) and _FOOTNOTE_START.match(kept[foot].lead):
            kept = kept[:foot]
        out.append(kept)
    return out
