"""Bulleted lists with nested items, as the recommendations of ILACS reports and visit letters
print them: "The quality of oversight and monitoring of:" followed by indented items ("the
pre-proceedings process", "permanence for children") that only make sense with it."""
from __future__ import annotations

from ..model import Block


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
