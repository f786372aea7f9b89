"""How the command line shows results: prefixed names for IRIs, and tables cut to the terminal."""
from __future__ import annotations

import functools
import shutil

from core import vocab

#: columns assumed when the output is not a terminal and $COLUMNS is unset
FALLBACK_COLUMNS = 120
MIN_COLUMN = 8
GAP = "  "


@functools.cache
def prefixes(data: bool = True) -> dict[str, str]:
    """Prefix -> namespace: the server's vocabulary prefixes plus the project's concept schemes,
    and with ``data`` the data IRIs (``id:`` is ``{base}id/``; their local names hold slashes,
    which Turtle would have to escape, so exports leave it out)."""
    from core.settings import base_iri
    vocabularies = {**vocab.PREFIXES, **vocab.CONCEPT_PREFIXES}
    return {**vocabularies, "id": f"{base_iri()}id/"} if data else vocabularies


def compact(iri: str) -> str:
    """``https://w3id.org/ofsted-kg/id/authority/E06000023`` -> ``id:authority/E06000023``: the
    longest namespace that starts ``iri`` (the IRI itself when none does)."""
    best = max((ns for ns in prefixes().values() if iri.startswith(ns) and len(iri) > len(ns)),
               key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in prefixes().items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


def terminal_columns() -> int:
    """The width to fit: $COLUMNS, else the terminal's, else ``FALLBACK_COLUMNS``."""
    return shutil.get_terminal_size((FALLBACK_COLUMNS, 24)).columns


def fit(widths: list[int], columns: int) -> list[int]:
    """Column widths no wider than ``widths`` whose sum with the gaps fits ``columns``: the
    widest columns are cut first, none below ``MIN_COLUMN``; columns that still do not fit are
    left off from the right (the list is shorter then)."""
    while len(widths) > 1 and \
            sum(min(w, MIN_COLUMN) for w in widths) + len(GAP) * (len(widths) - 1) > columns:
        widths = widths[:-1]
    room = columns - len(GAP) * (len(widths) - 1)
    if sum(widths) <= room:
        return widths
    lo, hi = MIN_COLUMN, max(widths)
    while lo < hi:                       # the largest cap whose total fits
        cap = (lo + hi + 1) // 2
        if sum(min(w, cap) for w in widths) <= room:
            lo = cap
        else:
            hi = cap - 1
    return [min(w, lo) for w in widths]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_table(names: list[str], rows: list[list[str]], out, columns: int | None = None) -> None:
    """Write ``rows`` under ``names`` as aligned columns cut to ``columns`` (default: the
    terminal's width); cut cells end in "…", and a last line names any columns left off."""
    if not rows:
        out.write("(no rows)\n")
        return
    natural = [max(len(n), *(len(r[i]) for r in rows)) for i, n in enumerate(names)]
    widths = fit(natural, columns or terminal_columns())

    def line(cells) -> str:
        return GAP.join(_cut(c, w).ljust(w) for c, w in zip(cells, widths)).rstrip() + "\n"

    out.write(line(names))
    out.write(GAP.join("-" * w for w in widths) + "\n")
    for r in rows:
        out.write(line(r))
    left_off = names[len(widths):]
    note = f"; not shown: {', '.join(left_off)} (widen the terminal or use --format csv)" if left_off else ""
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{note})\n")
