"""A graph as a set of N-Triples lines, as pyoxigraph writes them, and the edits between two
such sets: how a derived graph is rewritten by its differences
(:meth:`core.store.EmbeddedStore.rewrite_graph`, :mod:`ingest.aside`)."""
from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox


def of(quads: Iterable[ox.Quad]) -> set[bytes]:
    """The lines of these quads' triples (one each, with its newline)."""
    return lines(ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES))


def lines(ntriples: bytes | None) -> set[bytes]:
    """The lines of N-Triples text."""
    return set((ntriples or b"").splitlines(keepends=True))


def canonical(ntriples: bytes) -> set[bytes]:
    """The lines of N-Triples written again as pyoxigraph writes them (as :func:`of` gives a
    stored graph's), so that the same triple is the same line."""
    return lines(ox.serialize(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES),
                              format=ox.RdfFormat.N_TRIPLES))


def line_changes(before: set[bytes], after: set[bytes]) -> tuple[bytes, bytes] | None:
    """(lines to delete, lines to insert) that turn the triples ``before`` into ``after``, for
    :meth:`core.store.EmbeddedStore.replace_graphs`' edits; None when the graph is better
    written whole: a line holds a blank node (an edit cannot name one), or more lines differ
    than ``after`` holds (an update's text that size takes more memory than the graph written
    whole: at 150 x 10 the flat graph's text alone took 4.5 GB)."""
    if any(line.startswith(b"_:") or b" _:" in line for line in before | after):
        return None
    removed, added = before - after, after - before
    if len(removed) + len(added) > len(after):
        return None
    return b"".join(removed), b"".join(added)
