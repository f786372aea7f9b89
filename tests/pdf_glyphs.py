"""Printed lines as the PDF reader's own glyph boxes (``Glyph``), for the layout tests: one
11 pt glyph every 5.5 pt, word spaces, a marker standing apart from its text, and full lines
stretched to the right margin."""
from __future__ import annotations

from ingest.readers.pdf_lines import Glyph

SIZE = 11.0
ADVANCE = 5.5            # one glyph's width
SPACE = 3.0              # a word space: 0.27 em, above WORD_GAP (0.15) and below MARKER_GAP (0.45)
APART = 8.0              # a marker standing apart from its text: 0.73 em
LEFT = 72.0
RIGHT = LEFT + 400.0     # the right margin: a full line of about 77 characters


def line(text: str, top: float, x0: float = LEFT, full: bool = False) -> list[Glyph]:
    """Glyphs of one printed line; "\t" is the gap after a marker standing apart. A ``full``
    line has its word spaces stretched (a little) to end at the right margin."""
    words = text.split(" ")
    space = SPACE
    if full:
        natural = sum(len(w.replace("\t", "")) * ADVANCE + w.count("\t") * APART for w in words)
        space = (RIGHT - x0 - natural) / (len(words) - 1)
        assert 2.0 <= space < 4.9, f"not a full line: {text!r}"     # still a word space
    glyphs: list[Glyph] = []
    x = x0
    for n, word in enumerate(words):
        if n:
            x += space
        for ch in word:
            if ch == "\t":
                x += APART
                continue
            glyphs.append(Glyph(x, x + ADVANCE, top, top + SIZE, SIZE, False, ch))
            x += ADVANCE
    return glyphs
