"""The headings that open a SIF report's findings sections: a judgement row ("The experiences
and progress of children who need help and protection | Good", wrapped over up to three blocks
in PDF tables) and the graded judgement of adoption and care leavers ("The graded judgement for
adoption performance is that it is good", printed in several ways). Each gives the area's
printed label and grade, which the parser files findings under and checks against the cover.
"""
from __future__ import annotations

import re

from ..model import Block
from .sif_cover import GRADE, area_key, clean, sif_grade

_I = re.I

_SECTION_ROW = re.compile(r"^(?:The experiences and progress of children\b|Leadership, management and governance)", _I)
_SECTION_START = re.compile(r"^(?:The experiences and progress of\b|Leadership, management\b)", _I)
#: the heading of the adoption and care-leaver findings: "The graded judgement for adoption performance
#: is that it is good", "The graded judgment for adoption performance is requires improvement", "...
#: performance requires improvement", "The graded judgements ... are that they are good"; a heading
#: without a grade ("The graded judgement for adoption performance.", an area not judged) still
#: opens the section, and a wrapped one ("... of care" / "leavers is that it is good") is joined
_GRADED = re.compile(r"^The graded judge?ments? (?:for|about|on) (?P<area>.+?)\.?$", _I)
_GRADED_GRADE = re.compile(r"^(?P<area>.+?)\s+(?:(?:is|are)\s+)?(?:that\s+(?:it|they)\s+)?(?:(?:is|are)\s+)?"
                           rf"(?P<grade>{GRADE})$", _I)
#: a footnote number printed against a heading's last word or mark ("... area2", "... need to
#: improve?4"); a page number in the contents is printed after a space and is kept
_FOOTNOTE = re.compile(r"(?<=[a-z?:)])\d{1,2}$")
_KEY_JUDGEMENT = re.compile(r"^Key judgement$", _I)
_TABLE_HEAD_LABEL = re.compile(r"^Key judgement\s+", _I)
_TABLE_HEAD_GRADE = re.compile(r"^Judgement grade\s+", _I)
#: what a heading printed as a sentence leaves after its grade is taken out: the verb and the
#: full stop ("Leadership, management and governance are inadequate", "... protection require
#: improvement.", "... permanence are good.", early 2014 reports)
_LABEL_TAIL = re.compile(r"(?:\s+(?:is|are))?(?:\s*\.)?$", _I)


def _split_grade(text: str) -> tuple[str, str] | None:
    """(label, printed grade) of a judgement row whose grade may sit inside a wrapped label."""
    m = re.search(GRADE, text, _I)
    if not m:
        return None
    label = clean(text[:m.start()] + " " + text[m.end():])
    return label, clean(m.group(0))


def section_row(b: Block) -> tuple[str, str, str] | None:
    """(area key, printed label, printed grade) of a findings section's judgement row."""
    if b.cells and len(b.cells) >= 2:
        label, printed = clean(" ".join(b.cells[:-1])), clean(b.cells[-1])
        if _KEY_JUDGEMENT.match(label):
            return None
        # the table's head read into its one row: "Key judgement The experiences ... permanence"
        # | "Judgement grade Requires improvement"
        label, printed = _TABLE_HEAD_LABEL.sub("", label), _TABLE_HEAD_GRADE.sub("", printed)
    else:
        text = clean(b.text)
        # "Leadership, management and governance: Inadequate." lists an earlier inspection's
        # judgements (in the information block); a section's own row has no colon
        if len(text) > 160 or b.number is not None or ":" in text:
            return None
        split = _split_grade(text)
        if not split:
            return None
        label, printed = split
    label = _LABEL_TAIL.sub("", label)
    if not _SECTION_ROW.match(label) or sif_grade(printed) is None or _split_grade(label):
        return None
    key = area_key(label)
    return (key, label, printed) if key else None


def wrapped_section_row(body: tuple[Block, ...], i: int) -> tuple[tuple[str, str, str] | None, int]:
    """A section judgement row, possibly wrapped over up to three short blocks (PDF tables:
    "Leadership, management and" / "Requires improvement governance").

    :return: the row (or None) and how many following blocks it used.
    """
    row = section_row(body[i])
    if row:
        return row, 0
    if body[i].cells:
        row = _split_grade_row(body, i)
        return row, (1 if row else 0)
    if not _SECTION_START.match(clean(body[i].text)):
        return None, 0
    text = clean(body[i].text)
    for extra in (1, 2):
        if i + extra >= len(body):
            break
        nxt = body[i + extra]
        # the table under a heading that names its judgement first ("Key judgement | Judgement
        # grade", then the judgement's own row) is not the heading's wrapped end
        if nxt.number is not None or nxt.kind == "bullet" or len(nxt.text) > 60 or _table_head_or_row(nxt):
            break
        text = f"{text} {clean(nxt.text)}"
        row = section_row(Block(body[i].index, "heading", text, page=body[i].page))
        if row:
            return row, extra
    return None, 0


def _table_head_or_row(b: Block) -> bool:
    """Is ``b`` a judgement table's head ("Key judgement | Judgement grade") or a row of its own?"""
    return bool(b.cells) and (bool(_KEY_JUDGEMENT.match(clean(b.cells[0]))) or section_row(b) is not None)


def _split_grade_row(body: tuple[Block, ...], i: int) -> tuple[str, str, str] | None:
    """A judgement row whose label and grade both wrap onto the next block: the row's cells
    "The experiences and progress of" | "Requires", then "children who need help and protection
    improvement" (Knowsley 2017, Norfolk 2018). The grade is the last cell and the next block's
    last words; the label is the other cells and the next block's first words."""
    b = body[i]
    if i + 1 >= len(body) or len(b.cells) < 2 or not _SECTION_START.match(clean(b.cells[0])):
        return None
    nxt = body[i + 1]
    if nxt.number is not None or nxt.kind == "bullet" or nxt.cells or len(nxt.text) > 80:
        return None
    words = clean(nxt.text).split()
    for k in (1, 2, 3):
        if k >= len(words):
            break
        label = clean(" ".join((*b.cells[:-1], *words[:-k])))
        grade = clean(f"{b.cells[-1]} {' '.join(words[-k:])}")
        row = section_row(Block(b.index, b.kind, f"{label}\t{grade}", page=b.page, cells=(label, grade)))
        if row:
            return row
    return None


def heading_words(text: str) -> str:
    """A heading's words without a footnote number glued to its end."""
    return _FOOTNOTE.sub("", text)


def graded_heading(body: tuple[Block, ...], i: int) -> tuple[str, str | None, str, int] | None:
    """(printed area, printed grade or None, heading text, following blocks used) of a "The
    graded judgement for ..." heading, joining one short block that carries its wrapped end."""
    text = heading_words(clean(body[i].text))
    if len(text) > 160 or not _GRADED.match(text):
        return None
    m = _GRADED_GRADE.match(text.rstrip("."))
    if m:
        return _GRADED.match(m.group("area")).group("area"), m.group("grade"), text, 0
    if i + 1 < len(body):
        nxt = body[i + 1]
        joined = f"{text} {clean(nxt.text)}"
        m = _GRADED_GRADE.match(joined.rstrip("."))
        if m and nxt.number is None and nxt.kind != "bullet" and len(nxt.text) <= 60:
            return _GRADED.match(m.group("area")).group("area"), m.group("grade"), joined, 1
    return _GRADED.match(text).group("area"), None, text, 0
