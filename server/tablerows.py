"""A query's decoded rows as the server keeps them: equal cells shared, and what tables derive
from them (filtered and sorted orders, facet counts, suggested facets) kept beside them.

The rows live as long as the store state they were computed from (:class:`server.tables.RowsCache`);
:func:`server.tables.apply` asks :func:`derive` for each derived part, so a second page of a
sort, a facet or a filter only slices what the first one computed.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict


class Rows(list):
    """Rows of variable -> term-JSON that keep what tables derive from them, the last ``KEEP``
    of them. Callers must not change the rows or what is derived from them."""

    KEEP = 32

    def __init__(self, rows=()):
        super().__init__(rows)
        self.derived: OrderedDict[tuple, object] = OrderedDict()
        self.lock = threading.Lock()


def derive(rows: list[dict], key: tuple, compute):
    """``compute()``, kept with ``rows`` under ``key`` when they are :class:`Rows`.

    :param compute: a function of nothing but ``rows`` and the parts of ``key``.
    """
    if not isinstance(rows, Rows):
        return compute()
    with rows.lock:
        if key in rows.derived:
            rows.derived.move_to_end(key)
            return rows.derived[key]
    value = compute()
    with rows.lock:
        rows.derived[key] = value
        while len(rows.derived) > Rows.KEEP:
            rows.derived.popitem(last=False)
    return value


def decode_rows(body: bytes) -> Rows:
    """The rows of a SPARQL JSON result, equal cells decoded as one object.

    An authority, a grade or a date repeats in many rows: sharing them, the rows of the big
    tables at 150 x 10 take 11-24 MB instead of the 57-109 MB plain ``json.loads`` gives (and
    the decoding peaks at half as much), in the same time.
    """
    seen: dict[tuple, dict] = {}

    def shared(obj: dict) -> dict:
        if isinstance(obj.get("type"), str):          # a term, not a row with a column "type"
            return seen.setdefault(tuple(obj.items()), obj)
        return obj
    return Rows(json.loads(body, object_hook=shared)["results"]["bindings"])
