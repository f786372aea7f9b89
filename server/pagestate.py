"""What a table page reads and keeps per store state (:mod:`server.pagequery` puts a page
together from it): the kept cache and its once-only computing, the generated queries run in
the worker pool, the kept rows' positions, every row's links to a group's shared nodes and
those nodes' cells, a row's own cells, and counts.

Whatever does not depend on the request's parameters (every row's links, shared cells, own
cells) is kept per (stamp, table, ...) and serves every parameter value; what does (the kept
rows' positions and their links) per (stamp, table, parameters). All of it lives in the page
state's own cache (``PAGE_STATE_MB``), whose sizes estimate what is really held.
"""
from __future__ import annotations

import array
import bisect
import json
import sys
import threading

from flask import current_app, g

from core.worker import Job

from . import pagefiles, pageplan, tables
from .errors import Problem
from .pagefiles import Links
from .pageplan import Plan
from .store import get_service


# bytes kept per item, measured on national pages (a decoded page row is ~3.1-4.3 kB of
# Python objects, a shared cell or a map row ~1 kB): the budget counts what is really held
ROW_BYTES, CELL_BYTES = 4500, 1000
SHARED_BYTES = 120       # a node's entry in a shared column's map (its key held by the group)


_COMPUTING: dict[tuple, threading.Lock] = {}     # (stamp, key) -> held while it is computed
_COMPUTING_GUARD = threading.Lock()


class StoreChanged(Exception):
    """The store changed while a page was being read (its parts would mix two states)."""


def state_cache() -> tables.RowsCache:
    found = current_app.extensions.get("ofsted_kg_pages")
    if found is None:
        budget = current_app.config["PAGE_STATE_MB"] * 1024 * 1024
        found = current_app.extensions.setdefault("ofsted_kg_pages", tables.RowsCache(budget))
    return found


def kept(key: tuple, compute, size, lasting: str | None = None) -> object:
    """``compute()`` kept under the request's store stamp (read once per page,
    :func:`server.pagequery.page`)
    and ``key``; ``size(value)`` its bytes. Not kept when the store changed meanwhile.

    Concurrent requests of one web worker needing the same thing compute it once: the others
    wait for it (after an ingest, every cold page would otherwise run the same queries).

    :param lasting: for a part no parameter changes, the query text that reads it: the part is
        then also kept as a file for the store state (:mod:`server.pagefiles`), read from there
        by a process that does not hold it."""
    stamp = g.get("page_stamp") or get_service().stamp()
    cache = state_cache()
    value = cache.get(stamp, key)
    if value is not None:
        return value
    with _COMPUTING_GUARD:
        lock = _COMPUTING.setdefault((stamp, key), threading.Lock())
    try:
        with lock:
            value = cache.get(stamp, key)
            if value is None:
                value = pagefiles.read(stamp, key, lasting) if lasting is not None else None
                if value is None:
                    value = compute()
                    if get_service().stamp() != stamp:
                        raise StoreChanged(key[0])
                    if lasting is not None:
                        pagefiles.keep(stamp, key, lasting, value)
                cache.put(stamp, key, value, size(value))
    finally:
        with _COMPUTING_GUARD:
            _COMPUTING.pop((stamp, key), None)
    return value


def select(plan: Plan, text: str, format: str = "json") -> list[dict] | list[list[str]]:
    """Rows (variable -> term-JSON) of one generated query, run in the worker pool; with
    ``format="tsv"`` the rows' fields as written (for positions and our own IRIs: a row costs
    a split instead of a JSON object)."""
    job = Job(text, format=format, substitutions=dict(plan.substitutions), limit=None)
    outcome = get_service().run(job, keep=False, trusted=True)
    if outcome.status != "ok":
        current_app.logger.error("page query of %s failed: %s", plan.table.name, outcome.message)
        raise Problem(500, f"the page of {plan.table.name} failed: {outcome.message}")
    if format == "tsv":     # lines end at "\n" only (TSV escapes it; U+2028 and the like stay raw)
        return [line.split("\t") for line in outcome.body.decode("utf-8").split("\n")[1:] if line]
    return json.loads(outcome.body)["results"]["bindings"]


def links_size(found: Links) -> int:
    """The bytes a :class:`Links` holds: a row's two array slots, and each name (a node IRI of
    ~80 characters, or a cell's text, counted at its length)."""
    return 64 + 16 * len(found.positions) + sum(60 + len(name) for name in found.names)


def links(plan: Plan, group: str) -> Links:
    """The kept rows' links to ``group``'s shared nodes: every row's (:func:`every_link`) where
    nothing is bound, else those of the rows the parameters keep (:func:`kept_positions`), kept
    per (stamp, table, parameters, group). The parameters' filter runs once for all groups."""
    if not plan.substitutions:
        return every_link(plan, group)

    return kept(("links", plan.key, group), lambda: kept_rows(every_link(plan, group), kept_positions(plan)),
                links_size)


def as_links(rows) -> Links:
    """:class:`Links` of (position, name) ``rows`` in position order, each name stored once."""
    names: dict[str, int] = {}
    index = array.array("l", (names.setdefault(name, len(names)) for _, name in rows))
    return Links(array.array("l", (p for p, _ in rows)), tuple(names), index)


def kept_rows(every: Links, positions) -> Links:
    """``every`` cut to the rows at ``positions`` (both in position order); a row ``every`` has
    no entry for is left out."""
    def found():
        for p in positions:
            i = bisect.bisect_left(every.positions, p)
            if i < len(every.positions) and every.positions[i] == p:
                yield p, every.names[every.index[i]]
    return as_links(list(found()))


def every_link(plan: Plan, group: str) -> Links:
    """Every row's link to ``group``'s shared nodes, whatever the parameters: one query (TSV: a
    row costs a split), kept per (stamp, table, group). (One query for every group, with
    OPTIONAL links, took longer than one per group.)"""
    every = Plan(plan.table, plan.variables, ())
    text = every.links_query(group)

    def compute():
        return as_links(sorted((int(f[0]), f[1].strip("<>")) for f in select(every, text, "tsv")))
    return kept(("every-links", plan.table.name, group), compute, links_size, text)


def node_number(node: str) -> int:
    """The number a shared node's IRI ends with (:func:`core.iris.flat_group`)."""
    return int(node.rsplit("/", 1)[1])


def kept_positions(plan: Plan) -> array.array:
    """The positions of the rows the bound parameters keep, in order: the one query of a page
    that runs their filter (at 150 x 10 a words filter reads every text, ~220 ms; it ran once
    per group and column before), kept per (stamp, table, parameters)."""
    def compute():
        return array.array("l", sorted(int(f[0]) for f in select(plan, plan.positions_query(), "tsv")))
    return kept(("kept", plan.key), compute, lambda found: 64 + found.itemsize * len(found))


def shared(plan: Plan, group: str, column: str) -> dict[str, dict]:
    """``column``'s cell on each shared node of ``group`` that has one (node IRI -> term),
    kept per (stamp, table, column) whatever the parameters. A group's node IRIs are interned
    (one string for all its columns) and equal terms are one dict: at 150 x 10 a column of
    recommendations' 7,224 inspection nodes took 3.9 MB, and the page state's budget
    (``PAGE_STATE_MB``) held five of them, so filtered pages pushed each other out."""
    every = Plan(plan.table, plan.variables, ())
    text = every.shared_query(column)

    def compute():
        terms: dict[tuple, dict] = {}
        return {sys.intern(r["g"]["value"]): terms.setdefault(tuple(r["value"].items()), r["value"])
                for r in select(every, text)}
    return kept(("shared", plan.table.name, group, column), compute,
                lambda found: 64 + SHARED_BYTES * len(found)
                + CELL_BYTES * len({id(term) for term in found.values()}), text)


def every_cell(plan: Plan, column: str) -> Links:
    """Every row's own cell of ``column``, whatever the parameters: one query (TSV: a row costs
    a split; at 150 x 10 its JSON took 0.15 s to decode), kept per (stamp, table, column). Its
    ``names`` are the cells' lexical forms as TSV escapes them (:func:`tsv_lexical`): the
    distinct values of a column, not its terms. Read for a column the first few hundred kept
    rows could not decide (:func:`server.pagesuggest.sampled_counts`): every row's cell,
    whatever the filter, once per store state."""
    every = Plan(plan.table, plan.variables, ())
    text = every.values_query(column)

    def compute():
        found = select(every, text, "tsv")
        return as_links(sorted((int(f[0]), tsv_lexical(f[1])) for f in found if len(f) > 1 and f[1]))
    return kept(("every-cell", plan.table.name, column), compute, links_size, text)


def tsv_lexical(field: str) -> str:
    """The lexical form of a SPARQL TSV term, escaped as TSV writes it (an escaped form names
    one string, so distinct forms are distinct values): a quoted literal's text without its
    datatype or language, an IRI without its brackets, a number or boolean as written."""
    if field.startswith('"'):
        return field[1:field.rfind('"')]
    if field.startswith("<") and field.endswith(">"):
        return field[1:-1]
    return field


def cells_query(plan: Plan, positions, columns: list[str] | None = None) -> str:
    """:meth:`server.pageplan.Plan.page_query` for the rows at ``positions``, its cells joined
    by hashing when the table has at most ``HASHED_ROWS`` rows per row asked for, else by index."""
    hashed = table_rows(plan) <= pageplan.HASHED_ROWS * len(positions)
    return plan.page_query(positions, columns, hashed)


def table_rows(plan: Plan) -> int:
    """How many rows the table has whatever the parameters, kept per (stamp, table)."""
    every = Plan(plan.table, plan.variables, ())
    return kept(("table-rows", plan.table.name), lambda: count(every, "position"), lambda n: 64)


def count(plan: Plan, column: str, value: str = "?value") -> int:
    """How many triples of ``column`` have the object ``value`` (a variable: any)."""
    return int(select(plan, plan.count_query(column, value))[0]["n"]["value"])
