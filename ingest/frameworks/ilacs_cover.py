"""How an ILACS report's cover is recognised, and which of the three formats it is in
(2018-22: children in care and care leavers judged together; 2023: care leavers separate;
2026: no overall effectiveness judgement)."""
from __future__ import annotations

import re

from ..model import Block, Document, Framework
from ..patterns import grade_key
from .spec import COVER_BLOCKS
from .wrapped_title import wrapped_title

_I = re.I
#: an ILACS report's title, as its own cover line: "Inspection of children's social care
#: services" or "Inspection of local authority children's services" (the authority on the line
#: above), "Inspection of Kent County Council children's services", "Inspection of Barking and
#: Dagenham children's services"; ``la`` is the authority where the title names one
ILACS_TITLE = re.compile(r"^inspection of (?:(?P<la>[^\n]{1,100}?)\s+)??(?:local authority\s+)?"
                         r"children['’]s (?:social care )?services\b", _I)
_NATIONAL_FRAMEWORK_CITE = re.compile(r"\((?:outcome|enabler)s?\s+\d", _I)
_CARE_LEAVERS_JUDGEMENT = re.compile(r"experiences and progress of (?:young people leaving care|care leavers)", _I)
_JOINT_CARE_JUDGEMENT = re.compile(r"children in care and care leavers", _I)
_OVERALL = re.compile(r"overall effectiveness", _I)


def _judgement_rows(doc: Document) -> list[str]:
    """Cover table rows whose last cell is a grade (the judgement table), as printed."""
    return [b.text for b in doc.blocks[:120]
            if b.kind == "table-row" and len(b.cells) >= 2 and grade_key(b.cells[-1])]


def ilacs_format(doc: Document) -> tuple[Framework, str]:
    """Which ILACS format a report is in, and why.

    :return: (ILACS 2018, 2023 or 2026, the evidence).
    """
    head = "\n".join(b.text for b in doc.blocks[:120])
    rows = _judgement_rows(doc)
    if len(rows) >= 3 and not any(_OVERALL.search(r) for r in rows):
        return Framework.ILACS_2026, f"judgement table of {len(rows)} rows without overall effectiveness"
    if not _OVERALL.search(head) and _NATIONAL_FRAMEWORK_CITE.search(doc.text):
        return Framework.ILACS_2026, "no overall effectiveness judgement; national framework citations"
    if any(_JOINT_CARE_JUDGEMENT.search(r) for r in rows):
        return Framework.ILACS_2018, "children in care and care leavers judged together"
    if _CARE_LEAVERS_JUDGEMENT.search(head):
        return Framework.ILACS_2023, "separate care-leavers judgement"
    return Framework.ILACS_2018, "children in care and care leavers judged together"


def cover_title(blocks: tuple[Block, ...], limit: int = COVER_BLOCKS) -> tuple[int, str] | None:
    """Where the ILACS title is among the first ``limit`` blocks, and its text.

    A title printed on one line is taken first. Otherwise a heading joined to the short block
    after it, when the two together are the whole title (``wrapped_title``, the rule visit letters
    follow too): the title wrapped before "services"
    ("Inspection of local authority children's" / "services") or inside the authority's name
    ("Inspection of Windsor and" / "Maidenhead children's services").

    :return: (index of the title's first block, the title), or None.
    """
    head = blocks[:limit]
    for i, b in enumerate(head):
        if ILACS_TITLE.match(b.text):
            return i, b.text
    for i, (b, after) in enumerate(zip(head, blocks[1:limit + 1])):
        joined = wrapped_title(b.text, after, _whole_title) if b.kind == "heading" else None
        if joined:
            return i, joined
    return None


def _whole_title(text: str) -> bool:
    """The ILACS title and nothing after it."""
    m = ILACS_TITLE.match(text)
    return bool(m) and not text[m.end():].strip(" .:")


def recogniser(framework: Framework):
    """The cover test of one ILACS format: the ILACS title, and the format is ``framework``.

    :return: a ``spec.Recognise`` giving ``title '...'; <why this format>``.
    """
    def recognise(doc: Document, cover: str) -> str | None:
        found = cover_title(doc.blocks)
        if not found:
            return None
        fmt, why = ilacs_format(doc)
        return f"title {ILACS_TITLE.match(found[1]).group(0)!r}; {why}" if fmt is framework else None
    return recognise
