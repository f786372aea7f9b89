"""Table pages that compute only what they show: a flat-backed canned query's page read by
queries generated from its row layout (:data:`core.flat.TABLES`, the texts in
:mod:`server.pageplan`), never by running the query.

A flat table's rows are nodes ``<flat>/<table>/<position>`` with their own cells and links to
shared group nodes (:mod:`ingest.flat`); ``#position`` is the row's place in the canned
query's order. A page of a table that can be paged so (:attr:`core.flat.Table.pageable`:
``judgements``, ``recommendations``, ``statistics``, ``findings-marking-recommendations`` and
``plan-actions-kpis``, which declare their parameters' ``filters``, and ``grade-changes``,
``shacl-warnings``, ``latest-judgements`` and ``lscb-vs-overall``, which have none) is
answered so:

- **its order**: the positions of the rows the canned query's parameters keep (each
  parameter's ``filters`` declaration in :mod:`core.flat`; a filter with no bound term to
  start from is tested once per shared node or row in sub-SELECTs joined by hashing, the one
  query of a page that runs it), in the page's order. Without
  ``_sort`` that is one light query of positions (the whole table: ``1..n`` from a count);
  with ``_sort``/``_sort_desc`` one light query of (position, sort value), sorted in Python
  with the same key as every other table (:func:`server.tables.sort_rows`), so the order is
  the one the whole result would have. Kept per (store stamp, table, parameters, sort) as an
  array of positions: the next page only slices it.
- **its rows**: the page's row nodes are bound (``VALUES``: IRIs made from our own integers,
  no request text) and only their cells are joined, by index, or by hashing when the table
  has at most a few times the page's rows (:data:`server.pageplan.HASHED_ROWS`), with the
  canned query's projection (bound parameters come back as the substitutions bind them).
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
declares its ``filters`` (its rows are then a plain star of its cells), or has no parameters
and says its canned query reads its rows as they are (``pages``; at 150 x 10 a page of
``grade-changes`` or ``shacl-warnings``, result cache off, 285-300 ms -> 8-11 ms); the other
flat tables keep the whole result.

What is kept (:mod:`server.pagestate`; suggestions :mod:`server.pagesuggest`) lives in its
own small cache (``PAGE_STATE_MB``), not the result cache: it is a few bytes a row, so it
stays when the result cache is off. The page's own rows are kept there
too, but only while the result cache is on (off: each page reads its rows again, ~8 ms of
engine CPU for 100 rows).
"""
from __future__ import annotations

import array
from collections import Counter

from flask import g

from core import flat, iris

from . import tables
from .englandmap import GRADE_COLUMNS
from .errors import Problem
from .pageplan import POSITION, ROW, Plan
from .pagestate import (CELL_BYTES, ROW_BYTES, StoreChanged, cells_query, kept, kept_positions, links,
                        select, shared, table_rows)
from .pagesuggest import suggested
from .store import get_service


def plan_for(query, bindings: dict, request: tables.TableRequest) -> Plan | None:
    """The page plan of ``query`` for this request, or None when the whole-result path must
    answer it (see the module's docstring)."""
    table = flat.table(query.name)
    if (table is None or not table.pageable or not get_service().flat() or query.chart
            or request.filters or request.size is None
            or {p.name for p in query.params} != {f[0] for f in table.filters}):
        return None
    variables = tuple(query.variables)
    if "gss_code" in variables and not any(c in variables for c in GRADE_COLUMNS):
        return None
    return Plan(table, variables, tuple(sorted((v.value, t) for v, t in bindings.items())))


def order(plan: Plan, sort: str | None, descending: bool) -> array.array:
    """Positions of the kept rows in the page's order (see the module's docstring)."""
    def compute():
        if sort is None and not plan.substitutions:      # every row, in position order
            return array.array("l", range(1, table_rows(plan) + 1))
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
    found = select(plan, cells_query(plan, positions))
    by_row = {r.pop(ROW)["value"]: r for r in found}
    prefix = iris.flat_rows(plan.table.name)
    try:
        return [by_row[f"{prefix}{p}"] for p in positions]
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
