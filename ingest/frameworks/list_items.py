"""Bulleted lists with nested items, as the recommendations of ILACS reports and visit letters
print them: "The quality of oversight and monitoring of:" followed by indented items ("the
pre-proceedings process", "permanence for children") that only make sense with it; and lists
whose items go on with the sentence of a lead-in printed before them ("The local authority needs
to take swift and decisive action to address:" / "the quality of assessments ...")."""
from __future__ import annotations

import re

from ..model import Block

#: where a sentence ends and the next begins, inside one block of text
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[’”\"')]?\s+(?=[A-Z‘“\"'(])")
#: what a list item that is part of a longer sentence ends with: "...;", "..., and", "; or"
_LIST_LINK = re.compile(r"(?:[;,]\s*(?:and|or)?|\s+(?:and|or))$")


def join_items(lead: str, items: list[str]) -> str:
    """A list item and the items nested under it as one sentence: "Services to care leavers,
    including: sufficiency of accommodation; assessment of risk."."""
    if not items:
        return lead
    return f"{lead} {'; '.join(i.rstrip('.;') for i in items)}."


def nested_under(block: Block, parent: Block | None) -> bool:
    """Is this bullet nested inside the bullet ``parent`` (printed further in)?"""
    return parent is not None and block.kind == "bullet" and parent.kind == "bullet" \
        and block.level > parent.level


def lead_in(block: Block) -> str | None:
    """The sentence a list goes on with: the last sentence of ``block`` when it ends in a colon
    ("In addition ..., the following areas for improvement have been identified at this visit:"),
    else None."""
    text = block.text.rstrip()
    if not text.endswith(":"):
        return None
    return _SENTENCE_BREAK.split(text)[-1]


def with_lead_in(lead: str | None, item: str) -> str:
    """A list item with the lead-in sentence it goes on with in front, when it does: an item that
    starts in lower case ("the quality of assessments") is the end of the lead-in's sentence, so
    the two make one sentence, ended with a full stop as the list's last item ends ("The local
    authority needs to address: the quality of assessments."). An item that starts a sentence of
    its own, or a list without a lead-in, is left as printed."""
    if lead is None or not item[:1].islower():
        return item
    body = _LIST_LINK.sub("", item.rstrip()).rstrip(".")
    return f"{lead} {body}."
