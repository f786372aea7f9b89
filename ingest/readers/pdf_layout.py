"""A page's lines -> page text: table cells, paragraphs, and page furniture removed.

Everything here is decided by geometry and repetition, never by what a report says. The lines,
with their cells and list markers, come from :mod:`ingest.readers.pdf_lines`; then:

* **furniture**: running headers, footers, page numbers and footnotes, dropped first (see
  :mod:`ingest.readers.pdf_furniture`).
* **paragraphs**: lines join until a vertical gap, a list marker, a change of size or weight,
  an outdent, or a line that stops short of the right margin; a paragraph cut by a page break
  joins the page it started on.
* **tables**: lines with cells, plus the wrapped lines of those cells, grouped into rows by
  vertical gaps, and by a line that returns to a column the row had left or changes type size
  within a column; each row becomes one tab-separated line ("area<TAB>grade").
"""
from __future__ import annotations

import math
import re
from collections import Counter

from .pdf_furniture import strip_furniture
from .pdf_lines import NUMBER_MARK, Glyph, Line, Segment, glyph_lines

#: gaps, in ems of the line's type size
PARAGRAPH_GAP = 0.6
_TERMINAL = (".", ":", ";", "?", "!")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


class Item:
    """A paragraph, list item or table row being assembled on one page."""

    __slots__ = ("kind", "parts", "marker", "weak", "x0", "bold", "size", "level", "cells", "text_x0", "full")

    def __init__(self, kind, parts, marker, x0, bold, size, cells=None, text_x0=0.0, weak=None):
        self.kind, self.parts, self.marker, self.x0 = kind, parts, marker, x0
        self.weak: str | None = weak        # its marker is a dash glued to the text (see Line.weak)
        self.bold, self.size, self.level = bold, size, 1
        self.cells: list[list[str]] | None = cells
        self.text_x0 = text_x0             # x of its wrapped lines (after a marker: the hanging indent)
        self.full = False                   # its last line reaches the right margin


# ------------------------------------------------------------------ joining text


class _Joiner:
    """Joins wrapped lines, deciding about a hyphen at the end of a line from the document's words."""

    def __init__(self, pages: list[list[Line]]):
        words: set[str] = set()
        for lines in pages:
            cut = False                          # the previous line ended in a hyphen
            for ln in lines:
                found = _WORD.findall(ln.text)
                ends_cut = ln.text.endswith("-")
                words.update(w.lower() for w in found[1 if cut else 0:len(found) - (1 if ends_cut else 0)])
                cut = ends_cut
        self.words = words

    def join(self, left: str, right: str) -> str:
        if not left:
            return right
        if left.endswith("\u00ad"):
            return left[:-1] + right
        if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right[:1].isalpha():
            head = re.search(r"[A-Za-z]+$", left[:-1])
            tail = re.match(r"[A-Za-z]+", right)
            if head and tail:
                whole, hyphened = (head.group(0) + tail.group(0)).lower(), (head.group(0) + "-" + tail.group(0)).lower()
                if whole in self.words and hyphened not in self.words:
                    return left[:-1] + right     # the document spells the word whole elsewhere
            return left + right                  # a compound broken at its own hyphen
        if left.endswith("-") and len(left) > 1 and left[-2].isalnum() and right[:1].isdigit():
            return left + right                  # "COVID-" + "19", "post-" + "16", "2013-" + "14"
        return left + " " + right


# ------------------------------------------------------------------ lines -> items


def _table_regions(lines: list[Line]) -> list[tuple[int, int, list[float]]]:
    """(first, last, column boundaries) for each run of lines that forms a table."""
    regions = []
    i = 0
    while i < len(lines):
        if len(lines[i].segments) < 2:
            i += 1
            continue
        bounds = [s.x0 for s in lines[i].segments[1:]]
        start, end = i, i
        while start > 0 and _fits(lines[start - 1], bounds) and \
                lines[start].top - lines[start - 1].bottom < PARAGRAPH_GAP * lines[start].size:
            start -= 1
        while end + 1 < len(lines):
            nxt = lines[end + 1]
            if nxt.top - lines[end].bottom > 2.5 * nxt.size:
                break
            if len(nxt.segments) >= 2:
                bounds = _merge_bounds(bounds, [s.x0 for s in nxt.segments[1:]], nxt.size)
            elif not _fits(nxt, bounds):
                break
            end += 1
        regions.append((start, end, bounds))
        i = end + 1
    return regions


def _fits(line: Line, bounds: list[float]) -> bool:
    """A one-cell line belongs to a table when it stays inside one column."""
    if len(line.segments) >= 2:
        return True
    if _strong_marker(line) and not NUMBER_MARK.match(line.marker):
        return False                             # a bulleted list, not a cell
    tol = 0.5 * line.size
    edges = [0.0] + sorted(bounds) + [math.inf]
    return any(a - tol <= line.x0 and line.x1 <= b + tol for a, b in zip(edges, edges[1:]))


def _merge_bounds(bounds: list[float], new: list[float], size: float) -> list[float]:
    out = list(bounds)
    for x in new:
        if all(abs(x - b) > size for b in out):
            out.append(x)
    return sorted(out)


def _table_rows(lines: list[Line], bounds: list[float], joiner: _Joiner) -> list[Item]:
    items: list[Item] = []
    prev: Line | None = None
    left: set[int] = set()                      # columns the row has written and a later line skipped
    for ln in lines:
        cols = [_column(seg, bounds, ln.size) for seg in ln.segments]
        new_row = prev is None or ln.top - prev.bottom > PARAGRAPH_GAP * ln.size or _strong_marker(ln) \
            or _weak_number(ln) or _next_cell(ln, cols, prev, bounds, left)
        if new_row:
            items.append(Item("row", [], None, ln.x0, ln.bold, ln.size, cells=[[] for _ in range(len(bounds) + 1)]))
            left = set()
        cells = items[-1].cells
        # a column this line writes is the row's again (a wrapped cell going on): only a column
        # the row wrote and this line skipped is left
        left = (left | {c for c, cell in enumerate(cells) if cell}) - set(cols)
        for seg, col in zip(ln.segments, cols):
            text = seg.text
            if seg is ln.segments[0] and ln.weak and not _weak_number(ln):
                text = ln.weak + text            # in a table a glued dash is the cell's text
            elif seg is ln.segments[0] and ln.marker:
                text = ln.marker + " " + text
            cells[col].append(text)
        prev = ln
    return items


def _column(seg: Segment, bounds: list[float], size: float) -> int:
    """The table column a cell's text starts in."""
    return sum(1 for b in bounds if seg.x0 >= b - 0.5 * size)


def _next_cell(ln: Line, cols: list[int], prev: Line, bounds: list[float], left: set[int]) -> bool:
    """Does ``ln``, set close under the row so far, start the next row? It does when it is set
    clear below the line above it and writes a column the row has already left (a line between
    wrote other columns only: Barking and Dagenham 2014's cover, "2.1 Adoption performance"
    between "requires" / "improvement", and "2.2 ..." set as close under it); cells wrapped
    side by side half a line apart ("The experiences and progress of" / "children who need help
    and" / "protection" beside "Requires improvement" / "to be good", Blackburn with Darwen 2017)
    overlap the line above, and stay one row. It does too when it is a one-cell line in a
    different type size from a one-cell line above it in the same column (a line of two cells
    takes the size most of its glyphs have, which may be the other cell's; Stockton-on-Tees 2016:
    "Summary", 12 pt, under the 14 pt heading "Leadership, management and" / "governance" beside
    its grade): a cell's wrapped lines keep their size."""
    if left.intersection(cols) and ln.top > prev.bottom:
        return True
    return len(cols) == 1 and len(prev.segments) == 1 and abs(ln.size - prev.size) > 0.6 \
        and _column(prev.segments[0], bounds, prev.size) == cols[0]


def _page_items(lines: list[Line], margins: tuple[float, float], joiner: _Joiner) -> list[Item]:
    """The page's paragraphs, list items and table rows; ``margins`` are the left and right edges
    of its body text."""
    right_edge = margins[1]
    regions = {start: (end, bounds) for start, end, bounds in _table_regions(lines)}
    edges = _wrap_edges(lines, margins)
    items: list[Item] = []
    prev: Line | None = None
    i = 0
    while i < len(lines):
        if i in regions:
            end, bounds = regions[i]
            items.extend(_table_rows(lines[i:end + 1], bounds, joiner))
            prev = None
            i = end + 1
            continue
        ln = lines[i]
        cur = items[-1] if items and items[-1].kind == "p" and prev is not None else None
        if cur is None or _breaks(prev, ln, cur, right_edge, edges[i - 1]):
            cur = Item("p", [ln.text], ln.marker, ln.x0, ln.bold, ln.size, text_x0=ln.text_x0, weak=ln.weak)
            items.append(cur)
        else:
            cur.parts.append((ln.weak or "") + ln.text)   # a glued dash inside a paragraph is its text
            cur.text_x0 = ln.x0
        cur.full = right_edge - ln.x1 < 3 * ln.size
        prev = ln
        i += 1
    return items


def _strong_marker(ln: Line | Item) -> bool:
    """A list marker that starts a new item by itself: any but a dash glued to its text, which
    marks a list item only where the line starts a paragraph anyway (see ``Line.weak``)."""
    return ln.marker is not None and ln.weak is None


def _weak_number(ln: Line | Item) -> bool:
    """A paragraph number set close to its text ("25. This ..."): it numbers a paragraph unless
    the line carries on an unfinished sentence (see ``_breaks``)."""
    return ln.weak is not None and NUMBER_MARK.match(ln.marker) is not None


#: a run of lines set without a gap wraps at its own right margin when it is this share of the
#: page's text width at least (a paragraph set narrower than the rest) ...
_RUN_WIDTH = 0.8
#: ... and two of its lines before the last come within this many ems of that margin (a wrapped
#: paragraph, not one long line among short ones: an addressee's title over its address)
_RUN_REACH = 3


def _same_run(a: Line, b: Line) -> bool:
    """Are ``a`` and ``b`` consecutive lines of one block of text: one cell each, no gap
    between them, the same size and weight?"""
    return len(a.segments) == 1 and len(b.segments) == 1 and a.bold == b.bold \
        and abs(a.size - b.size) <= 0.6 and b.top - a.bottom <= PARAGRAPH_GAP * max(a.size, b.size)


def _wrap_edges(lines: list[Line], margins: tuple[float, float]) -> list[float]:
    """The right margin each line wrapped at: the page's body edge, or the narrower margin of
    the run of lines it is in when the run is set narrower (Liverpool 2019: paragraphs wrapped
    near x=480 on a page whose other paragraphs reach x=518, so "... and IROs. Senior leaders" /
    "and elected members ..." seemed to stop short). A run of short lines (an address, a list
    without markers, a heading beside its grade) is not a wrapped paragraph and keeps the page's
    edge. Nor is a block set well in from the page's left margin whose lines come out even (items
    of a list without markers, one a line): its width is measured against the page's text width,
    not the room right of its own left edge, which would take any even indented block for a
    narrower paragraph and join its lines."""
    left_margin, right_edge = margins
    edges = [right_edge] * len(lines)
    i = 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and _same_run(lines[j], lines[j + 1]):
            j += 1
        run = lines[i:j + 1]
        left, edge = min(ln.x0 for ln in run), max(ln.x1 for ln in run)
        wrapped = sum(1 for ln in run[:-1] if ln.x1 >= edge - _RUN_REACH * ln.size)
        narrower = edge - left >= _RUN_WIDTH * (right_edge - min(left, left_margin))
        if wrapped >= 2 and edge < right_edge and narrower:
            edges[i:j + 1] = [edge] * len(run)
        i = j + 1
    return edges


def _breaks(prev: Line, ln: Line, cur: Item, right_edge: float, wrap_edge: float | None = None) -> bool:
    size = max(prev.size, ln.size)
    if ln.top - prev.bottom > PARAGRAPH_GAP * size or _strong_marker(ln):
        return True
    if _weak_number(ln) and prev.text.rstrip().endswith(_TERMINAL):
        return True                              # after a finished sentence a number starts a paragraph
    if abs(prev.size - ln.size) > 0.6 or prev.bold != ln.bold:
        return True
    if cur.marker is not None and ln.x0 < cur.x0 + 0.5 * ln.size:
        return True                              # back at the marker's edge: the list item ended
    # the previous line stopped short: of its own run's margin when it ends mid-sentence, of the
    # page's edge when it ends a sentence (a paragraph's last line, no gap before the next one)
    finished = prev.text.rstrip().endswith(_TERMINAL)
    room = (right_edge if finished or wrap_edge is None else wrap_edge) - prev.x1
    return room > (ln.first_word_x1 - ln.x0) + ln.size


# ------------------------------------------------------------------ items -> text


def _text(item: Item, joiner: _Joiner) -> str:
    if item.kind == "row":
        cells = [_join_all(c, joiner) for c in item.cells or []]
        return "\t".join(c for c in cells if c)
    body = _join_all(item.parts, joiner)
    if item.marker is None:
        return body
    m = NUMBER_MARK.match(item.marker)
    if m:
        return f"{m.group(1)}. {body}"
    return "  " * (item.level - 1) + "- " + body


def _join_all(parts: list[str], joiner: _Joiner) -> str:
    out = ""
    for p in parts:
        out = joiner.join(out, p.strip())
    return out


def _set_levels(items: list[Item], carried: list[float] | None = None) -> list[float]:
    """Give each bulleted item its nesting level (1-3) from how far in it is printed.

    ``carried`` is the stack of list indents open at the foot of the page before, given when the
    page starts with a bullet or with the rest of the page before's last item: the list then
    keeps its nesting when the page's first bullet is printed at one of those indents (a nested
    item at the top of the page stays nested); at any other indent, or after anything else, the
    page's list starts afresh. Returns the indents open at the foot of this page.
    """
    indents: list[float] = list(carried or [])
    first = True                                 # the page's first bullet is still to come
    for it in items:
        if it.marker is None or NUMBER_MARK.match(it.marker):
            if it.kind != "p" or it.marker is None and indents and it.x0 <= indents[0] + it.size:
                indents = []
            continue
        if first and not any(abs(it.x0 - x) <= 0.5 * it.size for x in indents):
            indents = []
        first = False
        while indents and it.x0 < indents[-1] - 0.5 * it.size:
            indents.pop()
        if not indents or it.x0 > indents[-1] + 0.5 * it.size:
            indents.append(it.x0)
        it.level = min(len(indents), 3)
    return indents


def _is_bullet(item: Item) -> bool:
    return item.kind == "p" and item.marker is not None and not NUMBER_MARK.match(item.marker)


def _continues(prev: Item, item: Item) -> bool:
    """Is ``item``, first on its page, the rest of ``prev``, last on the page before?"""
    if prev.kind != "p" or prev.bold or not prev.parts or item.kind != "p" \
            or _strong_marker(item) or item.bold or abs(item.size - prev.size) > 0.6:
        return False
    if item.weak is not None:                   # a glued dash or number: the sentence's own, if it runs on
        return not prev.parts[-1].rstrip().endswith(_TERMINAL) and (prev.full or not _weak_number(item))
    if not prev.parts[-1].rstrip().endswith(_TERMINAL):
        return True
    # a list item's text carries on at its hanging indent, past the marker's edge
    return prev.marker is not None and prev.full and item.x0 > prev.x0 + 0.5 * item.size \
        and abs(item.x0 - prev.text_x0) < 0.5 * item.size


def _margins(lines: list[Line], body_size: float) -> tuple[float, float]:
    """The left and right edges of a page's body text: its lines in the body size, one cell each
    (any line when none is)."""
    body = [ln for ln in lines if abs(ln.size - body_size) < 1 and len(ln.segments) == 1] or lines
    if not body:
        return 0.0, 0.0
    return min(ln.x0 for ln in body), max(ln.x1 for ln in body)


def layout_pages(raw_pages: list[tuple[float, float, list[Glyph]]]) -> list[str]:
    """Lay out each page's glyphs as text lines (see the module docstring).

    :param raw_pages: ``(width, height, glyphs)`` per page, in page order.
    :return: one text per page: paragraphs, "- " bullets, "12. " paragraphs and tab-separated
        table rows, separated by blank lines.
    """
    sizes: Counter[float] = Counter()
    page_lines: list[tuple[float, list[Line]]] = []
    for _width, height, glyphs in raw_pages:
        sizes.update(round(g.size * 2) / 2 for g in glyphs)
        page_lines.append((height, glyph_lines(glyphs)))
    body_size = sizes.most_common(1)[0][0] if sizes else 12.0
    pages = strip_furniture(page_lines, body_size)
    joiner = _Joiner(pages)
    page_items: list[list[Item]] = []
    indents: list[float] = []                   # list indents open at the foot of the last page
    for lines in pages:
        items = _page_items(lines, _margins(lines, body_size), joiner)
        last = page_items[-1][-1] if page_items and page_items[-1] else None
        runs_on = last is not None and items and (_is_bullet(items[0]) or _continues(last, items[0]))
        indents = _set_levels(items, indents if runs_on else [])
        page_items.append(items)
    for prev_items, items in zip(page_items, page_items[1:]):
        if prev_items and items and _continues(prev_items[-1], items[0]):
            rest = items.pop(0)
            prev_items[-1].parts.extend([(rest.weak or "") + rest.parts[0]] + rest.parts[1:])
    return ["\n\n".join(t for t in (_text(it, joiner) for it in items) if t) for items in page_items]
