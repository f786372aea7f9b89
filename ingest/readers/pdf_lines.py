"""Glyph boxes -> the lines of a page, each split into cells: the first stage of
:mod:`ingest.readers.pdf_layout`, decided by geometry alone.

* **lines**: glyphs that overlap vertically; small raised digits and marks (footnote
  references) are dropped, and so is a glyph painted twice (fake bold, shadow). A table cell
  centred between two lines of the cell beside it joins the upper line as a cell of its own.
* **cells**: a horizontal gap wider than ``COLUMN_GAP`` ems splits a line into cells; a
  leading "12." or bullet glyph is a list marker, not a cell.
* **list markers**: by the glyph's Unicode category, not a list of bullets (see
  :func:`is_mark_glyph`), standing apart from the text or set close to it, whatever case
  follows; a dash set close to its text is only *maybe* a marker (``Line.weak``), which the
  layout settles by whether the line starts a paragraph.
"""
from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter
from typing import NamedTuple


class Glyph(NamedTuple):
    """One painted character: its box on the page, type size, weight and text."""

    x0: float
    x1: float
    top: float       # distance from the top of the page
    bottom: float
    size: float
    bold: bool
    text: str


#: gaps, in ems of the line's type size
WORD_GAP = 0.15
MARKER_GAP = 0.45
COLUMN_GAP = 1.5

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st", "\u00a0": " "}
_BULLET = re.compile(r"^[•●▪■◼◾◦○❖➢➤►▶✓✔»·*o\-–—‣⁃∙]$")
NUMBER_MARK = re.compile(r"^\(?(\d{1,3})[.)]$")
#: a number set close to its text: "10.The ...", "12. The ..."
_TIGHT_NUMBER = re.compile(r"^(\d{1,3}\.)\s?(?=[A-Z‘“'\"(])")


def is_mark_glyph(ch: str) -> bool:
    """Can this one character, first on a line, be a list marker?

    Beyond the usual bullets, reports print list markers in whatever symbol their font had:
    private-use glyphs of symbol fonts (\uf0b7, \uf02d, \uf06e), geometric shapes (◼, U+25FC, is
    a maths symbol), dashes of every kind (‐ ‒ – — ―), the minus sign (−), box-drawing and
    technical lines (─, ⎯), arrows and dingbats. So any symbol (Unicode So/Sm), dash (Pd) or
    private-use (Co) character from U+2000 on is one, except the mathematical operators
    (≤ ≥ ≈ ...; the minus sign apart), which start a line of a table ("≥ 10%") rather than a
    list. Latin-1 symbols (© ° ± ×) are text.
    """
    if len(ch) != 1:
        return False
    if _BULLET.match(ch):
        return True
    cat = unicodedata.category(ch)
    if cat == "Co":
        return True
    if ch < "\u2000" or cat not in ("So", "Sm", "Pd"):
        return False
    return not ("\u2200" <= ch <= "\u22ff") or ch == "\u2212"


def _is_dash(ch: str) -> bool:
    """A dash or minus: the one kind of marker glyph a sentence also uses."""
    return ch in "-\u2212" or unicodedata.category(ch) == "Pd"


class Segment(NamedTuple):
    """A run of a line's text between column gaps: one cell."""

    x0: float
    x1: float
    text: str


class Line:
    """A line of a page: its band, main type size and weight, cells and list marker."""

    __slots__ = ("top", "bottom", "size", "bold", "segments", "marker", "weak", "lead", "first_word_x1",
                 "text_x0")

    def __init__(self, top, bottom, size, bold, segments, marker, lead, first_word_x1, text_x0, weak=None):
        self.top, self.bottom, self.size, self.bold = top, bottom, size, bold
        self.segments: list[Segment] = segments
        self.marker: str | None = marker
        self.weak: str | None = weak         # a dash or number glued to the text, as printed: maybe no marker
        self.lead = lead                    # first glyph as printed, before marks were dropped
        self.first_word_x1 = first_word_x1
        self.text_x0 = text_x0              # where the text starts, after a list marker

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


class _Cluster(NamedTuple):
    """A line being clustered (see :func:`_cluster_lines`)."""

    band: list[float]                      # top, bottom, type size
    glyphs: list[Glyph]
    spans: list[tuple[float, float]]       # the glyphs' widths, sorted
    cell: set[int]                         # ids of glyphs joined as a cell of their own

    def absorb(self, band: list[float], glyphs: list[Glyph], spans: list[tuple[float, float]]) -> None:
        """Take another run's glyphs into this line (its band grows to hold them)."""
        top, bottom, size = band
        self.band[:] = [min(top, self.band[0]), max(bottom, self.band[1]), max(size, self.band[2])]
        self.glyphs.extend(glyphs)
        self.spans.extend(spans)
        self.spans.sort()


def _cluster_lines(glyphs: list[Glyph]) -> list[tuple[list[Glyph], set[int]]]:
    """Glyphs -> lines: runs on one baseline, then runs side by side that overlap vertically
    (table cells, superscripts), never runs stacked over each other. Each line comes with the
    ids of its glyphs that form a cell of their own whatever the gap before them."""
    runs: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (g.bottom, g.x0)):
        if runs and abs(g.bottom - runs[-1][0].bottom) <= 1.0:
            runs[-1].append(g)
        else:
            runs.append([g])
    lines: list[_Cluster] = []
    for run in sorted(runs, key=lambda r: min(g.top for g in r)):
        band = [min(g.top for g in run), max(g.bottom for g in run), max(g.size for g in run)]
        spans = sorted((g.x0 + 0.2, g.x1 - 0.2) for g in run)
        for line in reversed(lines[-4:]):
            overlap = min(band[1], line.band[1]) - max(band[0], line.band[0])
            if overlap >= 0.5 * min(band[2], line.band[2]) \
                    and not _collides(spans, line.spans, _mark_slack(band[2], line.band[2])):
                line.absorb(band, run, spans)
                break
        else:
            lines.append(_Cluster(band, list(run), spans, set()))
    _join_centred_cells(lines)
    return [(line.glyphs, line.cell) for line in lines]


def _join_centred_cells(lines: list[_Cluster]) -> None:
    """Put a cell set between two lines of the cell beside it onto the upper line, in place.

    A table row whose first cell wraps onto two lines prints its other cells centred on the
    row, half a line down: the grade beside a SIF heading ("Leadership, management and" /
    "governance", "Good" between them; Doncaster 2018), or a label beside its wrapped grade
    ("1. Children who need help and protection" between "requires" / "improvement"; Barking and
    Dagenham 2014's cover), overlaps each of the two lines by less than half its height, so it
    made a line of its own, and reading order split the cell beside it ("Leadership, management
    and" / "Good" / "governance"). A line is such a cell when it overlaps the lines just above
    and below it, sits clear of both side by side, and those two are stacked in one column
    (their widths meet); joined to the upper line it stays a cell of its own, however narrow
    the gap before it (1.3 em beside "children who need help and protection", Bury 2016), and
    the row's lines read as one row of the table. A line of an offset second column (prose set
    beside prose, half a line down) is not one: another line of its own column lies just above
    or below it.
    """
    i = 1
    while i + 1 < len(lines):
        line, above, below = lines[i], lines[i - 1], lines[i + 1]
        top, bottom, size = line.band
        if _overlaps(above.band, top, bottom) and _overlaps(below.band, top, bottom) \
                and not _collides(line.spans, above.spans) and not _collides(line.spans, below.spans) \
                and _stacked(above.spans, below.spans) and not _column_neighbour(lines, i, size):
            above.absorb(line.band, line.glyphs, line.spans)
            above.cell.update(id(g) for g in line.glyphs)
            del lines[i]
        i += 1


def _overlaps(band: list[float], top: float, bottom: float) -> bool:
    """Does the line ``band`` (top, bottom, size) overlap ``top``..``bottom`` at all?"""
    return min(bottom, band[1]) - max(top, band[0]) > 0


def _stacked(upper: list[tuple[float, float]], lower: list[tuple[float, float]]) -> bool:
    """Do two lines' widths meet (one printed under the other, in one column)?"""
    return upper[0][0] < max(b for _, b in lower) and lower[0][0] < max(b for _, b in upper)


def _column_neighbour(lines: list[_Cluster], i: int, size: float) -> bool:
    """Is there a line within a line's height above or below ``lines[i]`` sharing its width?"""
    top, bottom, _ = lines[i].band
    for j in (i - 2, i + 2):
        if 0 <= j < len(lines):
            band = lines[j].band
            near = band[1] > top - size and band[0] < bottom + size
            if near and _stacked(lines[i].spans, lines[j].spans):
                return True
    return False


def _collides(spans: list[tuple[float, float]], taken: list[tuple[float, float]], slack: float = 0.0) -> bool:
    """Does any of ``spans`` overlap one of ``taken`` (sorted) by more than ``slack``?"""
    starts = [a for a, _ in taken]
    for a, b in spans:
        i = bisect.bisect_left(starts, b - slack)
        if i and taken[i - 1][1] > a + slack:
            return True
    return False


#: how far, in ems of the larger type, a small mark's box may overlap the glyph beside it
MARK_OVERLAP = 0.15


def _mark_slack(size: float, other: float) -> float:
    """The overlap allowed between a run and a line when one is in small type (a footnote mark
    beside its word): a mark set upright after slanted text (Southampton 2014: "schools⁴," in a
    synthetic italic, each glyph's box placed at its mid-height advance, 1.1 pt right of where
    an upright glyph stands) overlaps the box of the glyph before it, and stood alone as a line
    "4" at the top of its page, which left "schools , and". Text of one size gets none: two
    lines' glyphs stacked over each other collide."""
    return MARK_OVERLAP * max(size, other) if min(size, other) < 0.8 * max(size, other) else 0.0


def _take_marker(chunks: list[list]) -> tuple[str | None, str | None]:
    """Take a list marker off the line's first chunk: (marker, weak).

    A marker stands apart ("◼   the quality ...", "12.   The ...") or is set close to its text
    ("\uf0b7The ...", "◼ the ...", "10.The ..."); a symbol marker counts whatever case follows.
    A dash or minus close to its text is *weak*: it may be a sentence's dash carried to the start
    of a line ("... reports\n– Adult Services ..."), so the layout takes it as a marker only where
    the line starts a paragraph anyway; ``weak`` is then the text it took off, to put back. So is
    a number set close to its text ("25. This ..."): a sentence wrapped before a number ("... care
    leavers aged 18 to" / "25. This visit ...") prints it so too. A dash glued to a digit ("−3",
    "–2017") is a number, never a marker.
    """
    first = chunks[0][2]
    if len(chunks) >= 2 and (is_mark_glyph(first) or NUMBER_MARK.match(first)
                             or len(first) == 1 and unicodedata.category(first) == "Mn"):
        chunks[0][2] = ""                         # a glyph standing alone (even a stray stroke, U+0336)
        return first, None
    m = _TIGHT_NUMBER.match(first)
    if m and len(first) > m.end():
        chunks[0][2] = first[m.end():]
        return m.group(1), first[:m.end()]       # weak: maybe a number wrapped onto the line
    mark = first[:1]
    if len(first) < 2 or not is_mark_glyph(mark) or not (mark >= "\u2000" or mark == "-"):
        return None, None
    rest = first[1:].lstrip()
    if not rest:
        return None, None
    if _is_dash(mark):
        if first[1].isdigit():
            return None, None
        chunks[0][2] = rest
        return mark, first[:len(first) - len(rest)]
    chunks[0][2] = rest
    return mark, None


def _make_line(glyphs: list[Glyph], cell: set[int] | frozenset[int] = frozenset()) -> Line | None:
    """One line's glyphs as a ``Line``; ``cell`` holds the ids of glyphs joined to it as a cell of
    their own (see ``_join_centred_cells``): they start a cell, and so does the glyph after them."""
    sizes = Counter(round(g.size, 1) for g in glyphs)
    main = max(s for s, n in sizes.items() if n == max(sizes.values()))
    main_glyphs = [g for g in glyphs if abs(g.size - main) < 0.6]
    baseline = sorted(g.bottom for g in main_glyphs)[len(main_glyphs) // 2]
    glyphs.sort(key=lambda g: g.x0)
    lead = glyphs[0].text
    kept: list[Glyph] = []
    after_mark: dict[int, float] = {}             # index in kept -> x1 of a footnote mark just before it
    for g in glyphs:
        raised = g.size < 0.8 * main and g.bottom < baseline - 0.2 * main
        if raised and (g.text.isdigit() or g.text in "*†‡,"):
            # a footnote reference mark: dropped, but the next glyph's space is measured from it
            # ("schools⁴, and" is "schools, and", not "schools , and")
            after_mark[len(kept)] = max(g.x1, after_mark.get(len(kept), g.x1))
            continue
        if kept and g.text == kept[-1].text and abs(g.x0 - kept[-1].x0) < 0.3 and abs(g.top - kept[-1].top) < 0.3:
            continue                              # glyph painted twice (fake bold, shadow)
        kept.append(g)
    if not kept:
        return None
    # chunks split at gaps wider than a word space by MARKER_GAP, and where a joined cell starts
    # or ends (a gap of inf: a cell whatever its width); each chunk is text
    chunks: list[list] = []                        # [x0, x1, text, gap_before]
    prev = None
    first_word_x1 = None
    for n, g in enumerate(kept):
        text = _LIGATURES.get(g.text, g.text)
        if prev is None:
            chunks.append([g.x0, g.x1, text, 0.0])
        else:
            gap = g.x0 - max(prev.x1, after_mark.get(n, prev.x1))
            if (id(g) in cell) != (id(prev) in cell):
                gap = math.inf
            if gap > MARKER_GAP * main:
                chunks.append([g.x0, g.x1, text, gap])
            else:
                if gap > WORD_GAP * main:
                    if first_word_x1 is None:
                        first_word_x1 = prev.x1
                    text = " " + text
                chunks[-1][1] = max(chunks[-1][1], g.x1)
                chunks[-1][2] += text
        prev = g
    if first_word_x1 is None:
        first_word_x1 = chunks[0][1]
    marker, weak = _take_marker(chunks)
    if marker is not None and len(chunks[0][2]) == 0:
        chunks.pop(0)
        first_word_x1 = chunks[0][1]
    segments: list[Segment] = []
    for x0, x1, text, gap in chunks:
        if segments and gap <= COLUMN_GAP * main:
            last = segments[-1]
            segments[-1] = Segment(last.x0, x1, last.text + " " + text)
        else:
            segments.append(Segment(x0, x1, text))
    text_x0 = segments[0].x0
    if marker is not None:
        first = kept[0]
        segments[0] = Segment(first.x0, segments[0].x1, segments[0].text)
    bold = sum(1 for g in kept if g.bold) > 0.6 * len(kept)
    top = min(g.top for g in main_glyphs)
    bottom = max(g.bottom for g in main_glyphs)
    return Line(top, bottom, main, bold, segments, marker, lead, first_word_x1, text_x0, weak)


def glyph_lines(glyphs: list[Glyph]) -> list[Line]:
    """A page's glyphs as its lines, top to bottom (see the module docstring)."""
    return [ln for ln in (_make_line(row, cell) for row, cell in _cluster_lines(glyphs)) if ln is not None]
