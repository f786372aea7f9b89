"""Table pages that compute only what they show: a flat-backed canned query's page read by
queries generated from its row layout (:data:`core.flat.TABLES`, the texts in
:mod:`server.pageplan`), never by running the query.

A flat table's rows are nodes ``<flat>/<table>/<position>`` with their own cells and links to
shared group nodes (:mod:`ingest.flat`); ``#position`` is the row's place in the canned
query's order. A page of ``judgements``, ``recommendations``, ``statistics`` or
``findings-marking-recommendations`` is answered so:

- **its order**: the positions of the rows the canned query's parameters keep (each
  parameter's ``filters`` declaration in :mod:`core.flat`), in the page's order. Without
  ``_sort`` that is one light query of positions (the whole table: ``1..n`` from a count);
  with ``_sort``/``_sort_desc`` one light query of (position, sort value), sorted in Python
  with the same key as every other table (:func:`server.tables.sort_rows`), so the order is
  the one the whole result would have. Kept per (store stamp, table, parameters, sort) as an
  array of positions: the next page only slices it.
- **its rows**: the page's row nodes are bound (``VALUES``: IRIs made from our own integers,
  no request text) and only their cells are joined by index, with the canned query's
  projection (bound parameters come back as the substitutions bind them).
- **counts and facets**: the count is the order's length; each facet is one ``GROUP BY``
  over the kept rows (with a parameter bound, a shared column's from the kept rows' links),
  kept per (stamp, table, parameters, column).
- **suggested facets** (HTML only), decided: with nothing bound, one ``SELECT DISTINCT`` per
  candidate column cut at a few more values than a suggestion allows; with a parameter bound,
  from what is kept per store state whatever the parameters (every row's links to a group's
  nodes and those nodes' cells; a row's own cells read a few hundred kept rows at a time, or
  every row's once when they have few values), so the parameters' filter runs once, for the
  kept rows' positions. Kept per (stamp, table, parameters, columns).
- **the map** (tables with ``gss_code``): the first graded row of each authority in the
  page's order, from one light query kept per (stamp, table, parameters, sort).

What the page path does not do exactly is left to the whole-result path, unchanged
(:func:`plan_for` answers None): column filters (``col=``, ``__contains``, ``__not``), every
row at once (``_size=max``, JSON or CSV without ``_size``), a result longer than the row limit
(the whole result is cut there), a remote store, a query with a chart, a table without its
parameters' ``filters``, and queries that are not flat. A table pages this way only when it
declares its ``filters`` (its rows are then a plain star of its cells: the four tables above),
or has no parameters and says its canned query reads its rows as they are (``pages``:
``grade-changes``, ``shacl-warnings``, ``latest-judgements``, ``lscb-vs-overall``; at 150 x 10
a page of the first two, result cache off, 285-300 ms -> 8-11 ms); the other flat tables
(``plan-actions-kpis``, whose words match two columns, ...) keep the whole result.

What is kept lives in its own small cache (``PAGE_STATE_MB``), not the result cache: it is a
few bytes a row, so it stays when the result cache is off. The page's own rows are kept there
too, but only while the result cache is on (off: each page reads its rows again, ~8 ms of
engine CPU for 100 rows).
"""
from __future__ import annotations

import array
import bisect
import json
import sys
import threading
from collections import Counter
from dataclasses import dataclass

from flask import current_app, g

from core import flat, iris
from core.worker import Job

from . import tables
from .englandmap import GRADE_COLUMNS
from .errors import Problem
from .pageplan import DISTINCT_CUT, POSITION, ROW, Plan
from .store import get_service

SAMPLE_ROWS, SAMPLE_BATCHES = 500, 4     # kept rows read at a time to count own cells' values

# bytes kept per item, measured on national pages (a decoded page row is ~3.1-4.3 kB of
# Python objects, a shared cell or a map row ~1 kB): the budget counts what is really held
ROW_BYTES, CELL_BYTES = 4500, 1000
SHARED_BYTES = 120       # a node's entry in a shared column's map (its key held by the group)


_COMPUTING: dict[tuple, threading.Lock] = {}     # (stamp, key) -> held while it is computed
_COMPUTING_GUARD = threading.Lock()


class StoreChanged(Exception):
    """The store changed while a page was being read (its parts would mix two states)."""


def plan_for(query, bindings: dict, request: tables.TableRequest) -> Plan | None:
    """The page plan of ``query`` for this request, or None when the whole-result path must
    answer it (see the module's docstring)."""
    table = flat.table(query.name)
    if (table is None or not table.pageable or get_service().remote or query.chart
            or request.filters or request.size is None
            or {p.name for p in query.params} != {f[0] for f in table.filters}):
        return None
    variables = tuple(query.variables)
    if "gss_code" in variables and not any(c in variables for c in GRADE_COLUMNS):
        return None
    return Plan(table, variables, tuple(sorted((v.value, t) for v, t in bindings.items())))


def state_cache() -> tables.RowsCache:
    found = current_app.extensions.get("ofsted_kg_pages")
    if found is None:
        budget = current_app.config["PAGE_STATE_MB"] * 1024 * 1024
        found = current_app.extensions.setdefault("ofsted_kg_pages", tables.RowsCache(budget))
    return found


def kept(key: tuple, compute, size) -> object:
    """``compute()`` kept under the request's store stamp (read once per page, :func:`page`)
    and ``key``; ``size(value)`` its bytes. Not kept when the store changed meanwhile.

    Concurrent requests of one web worker needing the same thing compute it once: the others
    wait for it (after an ingest, every cold page would otherwise run the same queries)."""
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
                value = compute()
                if get_service().stamp() != stamp:
                    raise StoreChanged(key[0])
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


@dataclass(frozen=True)
class Links:
    """The kept rows' positions (in order) and each one's shared node of one group."""
    positions: array.array
    names: tuple[str, ...]       # the group's nodes the rows link to
    index: array.array           # each row's node, as an index into ``names``

    def __iter__(self):
        """(position, node IRI) of each kept row."""
        return zip(self.positions, (self.names[i] for i in self.index))


def links_size(found: Links) -> int:
    return 64 + 16 * len(found.positions) + 100 * len(found.names)


def links(plan: Plan, group: str) -> Links:
    """The kept rows' links to ``group``'s shared nodes: every row's (:func:`every_link`) where
    nothing is bound, else those of the rows the parameters keep (:func:`kept_positions`), kept
    per (stamp, table, parameters, group). The parameters' filter runs once for all groups."""
    every = every_link(plan, group)
    if not plan.substitutions:
        return every

    def compute():
        names: dict[str, int] = {}
        positions, index = array.array("l"), array.array("l")
        for p in kept_positions(plan):
            i = bisect.bisect_left(every.positions, p)
            if i < len(every.positions) and every.positions[i] == p:
                positions.append(p)
                index.append(names.setdefault(every.names[every.index[i]], len(names)))
        return Links(positions, tuple(names), index)
    return kept(("links", plan.key, group), compute, links_size)


def every_link(plan: Plan, group: str) -> Links:
    """Every row's link to ``group``'s shared nodes, whatever the parameters: one query (TSV: a
    row costs a split), kept per (stamp, table, group). (One query for every group, with
    OPTIONAL links, took longer than one per group.)"""
    def compute():
        every = Plan(plan.table, plan.variables, ())
        rows = sorted((int(f[0]), f[1]) for f in select(every, every.links_query(group), "tsv"))
        names: dict[str, int] = {}
        index = array.array("l", (names.setdefault(node, len(names)) for _, node in rows))
        return Links(array.array("l", (p for p, _ in rows)), tuple(n.strip("<>") for n in names), index)
    return kept(("every-links", plan.table.name, group), compute, links_size)


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
    def compute():
        every = Plan(plan.table, plan.variables, ())
        terms: dict[tuple, dict] = {}
        return {sys.intern(r["g"]["value"]): terms.setdefault(tuple(r["value"].items()), r["value"])
                for r in select(every, plan.shared_query(column))}
    return kept(("shared", plan.table.name, group, column), compute,
                lambda found: 64 + SHARED_BYTES * len(found)
                + CELL_BYTES * len({id(term) for term in found.values()}))


def order(plan: Plan, sort: str | None, descending: bool) -> array.array:
    """Positions of the kept rows in the page's order (see the module's docstring)."""
    def compute():
        if sort is None and not plan.substitutions:      # every row, in position order
            n = count(plan, "position")
            return array.array("l", range(1, n + 1))
        if sort is None:       # the kept rows' positions
            return kept_positions(plan)
        group = plan.table.group_of(sort)
        if group:        # the rows' links, then the few shared nodes' cells
            cells = shared(plan, group, sort)
            rows = [(p, cells.get(node)) for p, node in links(plan, group)]
        else:
            rows = [(int(r[POSITION]["value"]), r.get("value"))
                    for r in select(plan, plan.values_query(sort))]
        return array.array("l", ranked(rows, descending))
    return kept(("order", plan.key, sort, descending), compute, lambda a: 64 + a.itemsize * len(a))


def ranked(rows: list[tuple[int, dict | None]], descending: bool) -> list[int]:
    """The positions of (position, cell) ``rows`` in the order :func:`server.tables.sort_rows`
    puts them from position order (equal cells by position, empty cells last both ways); each
    distinct cell's sort key is computed once and ranked, so a row costs a tuple."""
    keys: dict[tuple, tuple] = {}
    for _, term in rows:
        if term is not None:
            keys.setdefault((term["value"], term.get("datatype", "")), None)
    for cell in keys:
        keys[cell] = tables.sort_key({"value": cell[0], "datatype": cell[1]})
    rank = {k: n for n, k in enumerate(sorted(set(keys.values())))}
    last = len(rank)                        # the empty cell's key sorts after every other

    def place(row: tuple[int, dict | None]) -> tuple:
        p, term = row
        r = last if term is None else rank[keys[(term["value"], term.get("datatype", ""))]]
        return (term is None, -r, p) if descending else (r, p)
    return [p for p, _ in sorted(rows, key=place)]


def page_rows(plan: Plan, positions) -> list[dict]:
    """The rows at ``positions``, in that order (the canned query's cells, nothing else)."""
    if not positions:
        return []
    found = select(plan, plan.page_query(positions))
    by_row = {r.pop(ROW)["value"]: r for r in found}
    try:
        return [by_row[iris.flat_row(plan.table.name, p)] for p in positions]
    except KeyError:            # the positions came from another state of the store
        raise StoreChanged("rows") from None


def facet(plan: Plan, column: str) -> dict:
    """The facet of ``column`` over the kept rows, as :func:`server.tables.facet` counts it."""
    def compute():
        counts: dict[str, int] = {}
        group = plan.table.group_of(column)
        if group and plan.substitutions:        # the kept rows' nodes, kept: no query
            cells, found = shared(plan, group, column), links(plan, group)
            for node, n in Counter(found.index).items():
                value = cells[found.names[node]]["value"] if found.names[node] in cells else ""
                counts[value] = counts.get(value, 0) + n
            return tables.facet_of(column, counts, frozenset())
        for r in select(plan, plan.facet_query(column)):
            value = r["value"]["value"] if "value" in r else ""
            counts[value] = counts.get(value, 0) + int(r["n"]["value"])
        return tables.facet_of(column, counts, frozenset())
    return kept(("facet", plan.key, column), compute, lambda f: 200 * (len(f["values"]) + 1))


def suggested(plan: Plan, columns: tuple[str, ...], matched: int) -> list[str]:
    """Columns worth faceting, as :func:`server.tables.suggest_facets` picks them."""
    if matched > tables.SUGGEST_ROWS or matched < 2:
        return []

    def compute():
        counts = distinct_counts(plan, list(columns), matched)
        return [c for c in columns if 2 <= counts[c] <= tables.SUGGEST_MAX and counts[c] < matched]
    return kept(("suggested", plan.key, columns), compute, lambda s: 64 + 32 * len(s))


def distinct_counts(plan: Plan, columns: list[str], matched: int) -> dict[str, int]:
    """How many distinct values (an empty cell counting as ``""``) each column has among the
    ``matched`` kept rows, cut a little above what a suggestion allows. With a parameter bound,
    a shared column's values are those of the nodes the kept rows link to (:func:`links`,
    one query per group, and :func:`shared`, kept whatever the parameters), a row's own
    column's one ``DISTINCT`` over the kept rows: each query repeats the parameters' filter,
    which at 150 x 10 reads every recommendation's text (~220 ms), once per column before.
    Without, over the column's triples alone (a shared node is written only for a row that
    links to it, :mod:`ingest.flat`), and when that finds few values, a count of its triples
    against the rows (or nodes) says whether some are empty."""
    if plan.substitutions:
        sampled = sampled_counts(plan, [c for c in columns if plan.table.group_of(c) is None])
        return {c: sampled[c] if c in sampled else len(kept_values(plan, c)) for c in columns}
    out = {}
    for c in columns:
        found = select(plan, plan.column_values_query(c))
        values = {r["value"]["value"] for r in found}
        if len(found) < DISTINCT_CUT and len(values) <= tables.SUGGEST_MAX:
            group = plan.table.group_of(c)
            having = count(plan, c)
            if having < (matched if group is None else count(plan, "group", json.dumps(group))):
                values.add("")
        out[c] = len(values) if len(found) < DISTINCT_CUT else DISTINCT_CUT
    return out


def sampled_counts(plan: Plan, columns: list[str]) -> dict[str, int]:
    """Distinct values of the rows' own ``columns`` among the kept rows, read by position a few
    hundred rows at a time until a column has more values than a suggestion allows (its count
    is then a lower bound, which decides alike) or every kept row is read. A column still
    undecided after a few batches is left out: :func:`kept_values` counts it. A row's own cells
    (texts, IRIs, figures) mostly differ, so one batch decides: at 150 x 10 a ``DISTINCT`` over
    the kept rows repeated the parameters' filter, ~250 ms, for each such column."""
    positions, every = kept_positions(plan), Plan(plan.table, plan.variables, ())
    seen: dict[str, set[str]] = {c: set() for c in columns}
    undecided = list(columns)
    for start in range(0, len(positions), SAMPLE_ROWS):
        if not undecided:
            break
        if start >= SAMPLE_ROWS * SAMPLE_BATCHES:
            return {c: len(values) for c, values in seen.items() if c not in undecided}
        for row in select(every, every.page_query(positions[start:start + SAMPLE_ROWS], undecided)):
            for c in undecided:
                seen[c].add(row[c]["value"] if c in row else "")
        undecided = [c for c in undecided if len(seen[c]) <= tables.SUGGEST_MAX]
    return {c: len(values) for c, values in seen.items()}


def kept_values(plan: Plan, column: str) -> set[str]:
    """The distinct values of ``column`` among the kept rows (``""``: an empty cell), see
    :func:`distinct_counts`."""
    group = plan.table.group_of(column)
    if group is None:       # each kept row's cell among every row's, kept per store state
        cells = every_cell(plan, column)
        return {cells.names[cells.index[i]] if i < len(cells.positions) and cells.positions[i] == p else ""
                for p in kept_positions(plan) for i in [bisect.bisect_left(cells.positions, p)]}
    cells = shared(plan, group, column)
    return {cells[node]["value"] if node in cells else "" for node in links(plan, group).names}


def every_cell(plan: Plan, column: str) -> Links:
    """Every row's own cell of ``column``, whatever the parameters: one query (TSV: a row costs
    a split; at 150 x 10 its JSON took 0.15 s to decode), kept per (stamp, table, column). Its
    ``names`` are the cells' lexical forms as TSV escapes them (:func:`tsv_lexical`): the
    distinct values of a column, not its terms. Read for columns with few values
    (:func:`sampled_counts` tells them)."""
    def compute():
        every = Plan(plan.table, plan.variables, ())
        rows = sorted((int(f[0]), tsv_lexical(f[1]))
                      for f in select(every, every.values_query(column), "tsv") if len(f) > 1 and f[1])
        names: dict[str, int] = {}
        index = array.array("l", (names.setdefault(value, len(names)) for _, value in rows))
        return Links(array.array("l", (p for p, _ in rows)), tuple(names), index)
    return kept(("every-cell", plan.table.name, column), compute, links_size)


def tsv_lexical(field: str) -> str:
    """The lexical form of a SPARQL TSV term, escaped as TSV writes it (an escaped form names
    one string, so distinct forms are distinct values): a quoted literal's text without its
    datatype or language, an IRI without its brackets, a number or boolean as written."""
    if field.startswith('"'):
        return field[1:field.rfind('"')]
    if field.startswith("<") and field.endswith(">"):
        return field[1:-1]
    return field


def count(plan: Plan, column: str, value: str = "?value") -> int:
    """How many triples of ``column`` have the object ``value`` (a variable: any)."""
    return int(select(plan, plan.count_query(column, value))[0]["n"]["value"])


def row_cells(plan: Plan, columns: list[str]) -> dict[int, dict]:
    """``columns``' cells of every kept row by position: from the rows' links and the shared
    nodes' cells when every column is shared, else from one query of the rows' cells."""
    groups = {g: [c for c in columns if plan.table.group_of(c) == g]
              for g in dict.fromkeys(map(plan.table.group_of, columns))}
    if None in groups:
        return {int(r[POSITION]["value"]): {c: r[c] for c in columns if c in r}
                for r in select(plan, plan.values_query(None, {c: c for c in columns}))}
    out: dict[int, dict] = {}
    for group, wanted in groups.items():
        cells = {c: shared(plan, group, c) for c in wanted}
        for p, node in links(plan, group):
            out.setdefault(p, {}).update((c, cells[c][node]) for c in wanted if node in cells[c])
    return out


def map_rows(plan: Plan, positions: array.array, sort: tuple) -> list[dict]:
    """The first row with a grade of each authority, in the page's order: what the map of
    :func:`server.englandmap.england_map` draws from the whole result."""
    grade = next(c for c in GRADE_COLUMNS if c in plan.variables)
    columns = [c for c in ("gss_code", "authority", grade) if c in plan.variables]

    def compute():
        by_position = row_cells(plan, columns)
        first: dict[str, dict] = {}
        for p in positions:
            row = by_position[p]
            code = row.get("gss_code", {}).get("value")
            if code and code not in first and grade in row:
                first[code] = row
        return list(first.values())
    return kept(("map", plan.key, sort), compute, lambda rows: CELL_BYTES * len(rows) + 64)


def page(plan: Plan, shown: list[str], request: tables.TableRequest, html: bool,
         limit: int) -> tables.Table | None:
    """The page ``request`` asks for, as :func:`server.tables.apply` cuts it from the whole
    result; None when the kept rows are more than the row limit ``limit`` (the whole result
    would be cut: that path answers).

    Every part of the page (order, facets, rows, map) is read from one store state: the stamp
    is read once, and when the store changes while the page is read it is read again.

    :param shown: the columns the table may show, in the query's order.
    :raise Problem: 503 when the store kept changing (three tries).
    """
    for _ in range(3):
        g.page_stamp = get_service().stamp()
        try:
            return one_state_page(plan, shown, request, html, limit)
        except StoreChanged:
            continue
        finally:
            g.pop("page_stamp", None)
    raise Problem(503, "the store changed while the page was read; ask again")


def one_state_page(plan: Plan, shown: list[str], request: tables.TableRequest, html: bool,
                   limit: int) -> tables.Table | None:
    """The page of :func:`page`, every kept part under ``g.page_stamp``."""
    positions = order(plan, request.sort, request.descending)
    if len(positions) > limit:
        return None
    end = request.offset + request.size
    columns = [c for c in (request.show or shown) if c not in request.hide]
    facets = [facet(plan, c) for c in request.facets]
    hints = (suggested(plan, tuple(c for c in columns if c not in request.facets), len(positions))
             if html else [])
    england = (map_rows(plan, positions, (request.sort, request.descending))
               if html and "gss_code" in plan.variables else [])
    sort = (request.sort, request.descending, request.offset, request.size)
    rows = (kept(("rows", plan.key, sort), lambda: page_rows(plan, positions[request.offset:end]),
                 lambda rows: 64 + ROW_BYTES * len(rows))
            if get_service().cache.max_bytes else page_rows(plan, positions[request.offset:end]))
    return tables.Table(columns=columns, all_columns=shown, rows=rows,
                        total=len(positions), matched=len(positions), offset=request.offset,
                        size=request.size, facets=facets, suggested=hints, matched_rows=england)
