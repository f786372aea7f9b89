"""A report's title wrapped onto a second line, as ILACS reports and visit letters print long
authority names: "Inspection of Windsor and" / "Maidenhead children's services", "Focused visit to
the London Borough of Barking and" / "Dagenham children's services". One rule for both: the
block after the title's first line is the rest of it when it is short and the two together are
the whole title (what makes a title whole is the framework's own test)."""
from __future__ import annotations

from typing import Callable

from ..model import Block

#: the rest of a wrapped title has no more than this many words
WRAP_WORDS = 8


def wrapped_title(first: str, after: Block | None, whole: Callable[[str], object]) -> str | None:
    """``first`` and the block ``after`` it as one title, or None.

    :param first: the title's first line as printed.
    :param after: the block that follows it (None at the end of the document).
    :param whole: is this text a whole title? (truthy or falsy)
    :return: "first after" when ``after`` is short (at most ``WRAP_WORDS`` words) and ``whole``
        accepts the two joined; else None.
    """
    if after is None or len(after.text.split()) > WRAP_WORDS:
        return None
    joined = f"{first} {after.text}"
    return joined if whole(joined) else None
