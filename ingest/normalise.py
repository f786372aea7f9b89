"""``RawDocument`` -> ``Document``: one flat list of blocks that every parser reads.

What it mends, whatever the format: ligatures, odd spaces and dashes, a word gap printed after a
compound's hyphen, superscript footnote marks and footnote text, paragraphs split by a page break
(a block that starts in lower case continues the previous one), numbered paragraphs ("38. ..."),
bullets with their nesting level, table rows (tab-separated cells) and markdown headings.

Paragraph numbers run in sequence, so a number at the start of a line that breaks the sequence
("... from 66 to" / "44. It remains unclear ...") is a wrapped line, not a new paragraph; so is
an in-sequence number after a line cut mid-phrase ("... in Years 10 and" / "11. These ...").
"""
from __future__ import annotations

import re
import unicodedata

from .model import Block, Document, RawDocument

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}
_SPACES = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000]")
#: hyphens and minus signs other than "-" (hyphen, non-breaking hyphen, figure dash, minus, small
#: and fullwidth hyphen-minus): every rule downstream knows "-", "–" and "—" only, so "11‑22 May
#: 2026" (U+2011) would read as one day and "Re‑inspection" as no re-inspection title
_HYPHENS = re.compile(r"[\u2010-\u2012\u2212\ufe63\uff0d]")
#: a dash between two numbers drawn with another glyph: a box-drawing line ("2015─16", U+2500/1)
#: or a symbol font's hyphen in the private-use area ("2016\uf02d17"); read as the dash it is
_BOX_DASH = re.compile(r"(?<=\d)[\u2500\u2501](?=\d)")
_SYMBOL_HYPHEN = re.compile(r"(?<=\d)\uf02d(?=\d)")
#: a dash with a combining stroke drawn over it ("2014–\u0335 15"): the stroke and the gap its
#: width left before a number go
_STRUCK_DASH = re.compile(r"([–—-])[\u0334-\u0338](?:\s(?=\d))?")
#: a compound spelt with its hyphen ("multi-agency"), and the same compound printed with a word gap
#: after the hyphen ("multi- agency": a justified line stretched the space typed after it)
_COMPOUND = re.compile(r"\b[A-Za-z]{2,}-[A-Za-z]{2,}\b")
#: (never before a conjunction: "child- and family-centred" shares its hyphen, even where the
#: document once prints "child-and")
_GAPPED_COMPOUND = re.compile(r"\b([A-Za-z]{2,})- (?!(?:and|or|nor|but|to)\b)([a-z]{2,})\b")
_SUPERSCRIPT_MARK = re.compile(r"(?<=\S)[\u00b9\u00b2\u00b3\u2070-\u2079]+")
_FOOTNOTE_LINE = re.compile(r"^\s*[\u00b9\u00b2\u00b3\u2070-\u2079]+\s*\S")
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
_BULLET = re.compile(r"^(\s*)(?:[-*•●▪◼■◾◦o]|\u2013)\s+(\S.*)$")
_HEADING_MD = re.compile(r"^(#{1,6})\s+(.*)$")
_TERMINAL = (".", ":", ";", "?", "!", ")", "”", "\"", "’", "'")
#: a line ending in one of these words (or a comma or dash) is cut mid-phrase
#: the end of a sentence somewhere in a line
_SENTENCE_END = re.compile(r"[.?!](?:\s|$)")
_MID_PHRASE = re.compile(r"(?:[,–—-]|\b(?:and|or|to|of|the|in|on|from|by|with|than|at|for|was|were|is|are|"
                         r"between|about|around|over|under|a|an|only|just|nearly|some|all|these|those|"
                         r"years?|aged|age|per|be|been|had|has|have|into|within|up|down))$", re.I)


def clean_line(line: str) -> str:
    for lig, rep in _LIGATURES.items():
        line = line.replace(lig, rep)
    line = _SPACES.sub(" ", line)
    line = _HYPHENS.sub("-", line)
    line = _SYMBOL_HYPHEN.sub("-", _BOX_DASH.sub("–", line))
    line = _STRUCK_DASH.sub(r"\1", line)
    line = unicodedata.normalize("NFC", line)
    line = _SUPERSCRIPT_MARK.sub("", line)
    return line.rstrip()


def _looks_like_heading(text: str) -> bool:
    if len(text) > 110 or not text[:1].isupper():
        return False
    if text.endswith((".", ",", ";")) and not text.endswith("etc."):
        return False
    return len(text.split()) <= 16


def _classify_line(line: str, page: int | None, index: int) -> Block | None:
    if not line.strip():
        return None
    m = _HEADING_MD.match(line.strip())
    if m:
        return Block(index, "heading", m.group(2).strip(), level=len(m.group(1)), page=page)
    if "\t" in line:
        cells = tuple(c.strip() for c in line.split("\t") if c.strip())
        if len(cells) >= 2:
            return Block(index, "table-row", " ".join(cells), page=page, cells=cells)
        line = cells[0] if cells else ""
        if not line:
            return None
    m = _BULLET.match(line)
    if m:
        indent = len(m.group(1).replace("\t", "  "))
        # a single leading space (common in text conversions) already marks a nested item
        level = 1 + max(indent // 2, 1 if indent else 0)
        return Block(index, "bullet", m.group(2).strip(), level=min(level, 3), page=page)
    m = _NUMBERED.match(line.strip())
    if m:
        return Block(index, "paragraph", m.group(2).strip(), number=m.group(1), page=page)
    text = line.strip()
    if _looks_like_heading(text):
        return Block(index, "heading", text, page=page)
    return Block(index, "paragraph", text, page=page)


#: a heading put as a question ("What needs to improve in this area of social work practice"):
#: a section's own heading, never a sentence's first line, even when the bullets under it lost
#: their markers and read as lower-case paragraphs
_QUESTION_HEADING = re.compile(r"^(?:What|How|Why|Where|When|Who|Which)\b")


def _first_line(prev: Block, block: Block) -> bool:
    """Is ``prev``, classified a heading, the first line of the paragraph ``block`` goes on with?

    A paragraph whose first line a PDF layout set apart reads as a sentence-case "heading" of nine
    words or more cut mid-sentence, its rest ending a sentence ("This contributes to delays in effective intervention being
    provided to" / "improve children’s circumstances.", "The findings from this focused visit
    mirror the areas of improvement that" / "have been identified ..."). Headings and cover
    table rows wrapped over two lines are shorter, title-cased ("The effectiveness of the Local
    Safeguarding Children Board (LSCB) is" / "requires improvement") or go on with a phrase that
    is not a sentence ("... progress of care" / "leavers is that it is good"), and stay apart.
    """
    words = prev.text.split()
    if (prev.kind != "heading" or block.kind != "paragraph" or block.number is not None
            or len(words) < 9 or prev.text.endswith(_TERMINAL) or _QUESTION_HEADING.match(prev.text)):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1] == "(")
    return (block.text[:1].islower() and 3 * capitalised <= len(words)
            and bool(_SENTENCE_END.search(block.text)))


def _continues(prev: Block, block: Block, last_number: int | None) -> bool:
    """Is ``block`` the rest of ``prev``, cut by a page break or a hard line wrap?

    :param last_number: the last paragraph number printed before ``block``.
    """
    if _first_line(prev, block):
        return True
    if prev.kind not in ("paragraph", "bullet") or block.kind not in ("paragraph", "heading"):
        return False
    ended = prev.text.endswith(_TERMINAL)
    if block.number is not None:
        n = int(block.number)
        in_sequence = last_number is None or n in (last_number + 1, 1)
        return not ended and (not in_sequence or bool(_MID_PHRASE.search(prev.text)))
    first = block.text[:1]
    if first.isdigit():
        return block.kind == "paragraph" and not ended and bool(_MID_PHRASE.search(prev.text))
    return bool(first) and first.islower() and not prev.text.endswith((".", "?", "!"))


def _gaps_closer(texts: list[str]):
    """A function closing the gap after a compound's hyphen ("multi- agency" -> "multi-agency")
    where the document spells that compound whole elsewhere; a hyphen the next word does not
    complete ("adult- rather than child-focused", "pre- and post-natal") keeps its space."""
    compounds = {m.group(0).lower() for t in texts for m in _COMPOUND.finditer(t)}

    def close(line: str) -> str:
        if "- " not in line:
            return line
        return _GAPPED_COMPOUND.sub(lambda m: f"{m.group(1)}-{m.group(2)}"
                                    if f"{m.group(1)}-{m.group(2)}".lower() in compounds else m.group(0), line)
    return close


def normalise(raw: RawDocument) -> Document:
    """Turn a raw document into blocks; never raises on odd text."""
    blocks: list[Block] = []
    last_number: int | None = None
    page_texts = [(p.number, p.text) for p in raw.pages] or [(None, raw.text)]
    close_gaps = _gaps_closer([text for _, text in page_texts])
    for page_no, text in page_texts:
        for line in text.split("\n"):
            if _FOOTNOTE_LINE.match(line):
                continue
            cleaned = close_gaps(clean_line(line))
            block = _classify_line(cleaned, page_no, len(blocks))
            if block is None:
                continue
            if blocks and _continues(blocks[-1], block, last_number):
                prev = blocks[-1]
                rest = f"{block.number}. {block.text}" if block.number is not None else block.text
                if prev.text.endswith("-") and not prev.text.endswith(" -"):
                    # "well-" + "being" -> "wellbeing"; "2013-" + "14" keeps its dash
                    head = prev.text[:-1] if rest[:1].islower() else prev.text
                    text_joined = head + rest
                else:
                    text_joined = f"{prev.text} {rest}"
                kind = "paragraph" if prev.kind == "heading" else prev.kind   # see _first_line
                blocks[-1] = Block(prev.index, kind, text_joined, prev.number, prev.level,
                                   prev.page, prev.cells)
                continue
            if block.number is not None:
                last_number = int(block.number)
            blocks.append(block)
    return Document(raw=raw, blocks=tuple(blocks))
