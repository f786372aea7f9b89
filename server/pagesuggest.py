"""Suggested facets of a table page read from its flat rows (:mod:`server.pagequery`):
the columns :func:`server.tables.suggest_facets` would pick from the whole result, counted
from what a store state keeps (:mod:`server.pagestate`) instead of from every kept row.
"""
from __future__ import annotations

import json

from . import tables
from .pageplan import DISTINCT_CUT, Plan
from .pagestate import (cells_query, count, every_cell, kept, kept_positions, kept_rows, links, node_number,
                        select, shared)


SAMPLE_ROWS, SAMPLE_BATCHES = 500, 4     # kept rows read at a time to count own cells' values


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
    from what a store state keeps whatever the parameters, cut to the kept rows: a shared
    column's values are those of the nodes the kept rows link to, a row's own column's those of
    the kept rows, each read a few hundred nodes or rows at a time
    (:func:`sampled_shared_counts`, :func:`sampled_counts`), else from every node's or row's
    cells (:func:`kept_values`). One ``DISTINCT`` per column over the kept rows repeated the
    parameters' filter, which at 150 x 10 reads every recommendation's text (~220 ms).

    Without, over the column's triples alone (a shared node is written only for a row that
    links to it, :mod:`ingest.flat`), and when that finds few values, a count of its triples
    against the rows (or nodes) says whether some are empty."""
    if plan.substitutions:
        sampled = sampled_counts(plan, [c for c in columns if plan.table.group_of(c) is None])
        sampled.update(sampled_shared_counts(plan, [c for c in columns if plan.table.group_of(c)]))
        return {c: sampled[c] if c in sampled else len(kept_values(plan, c)) for c in columns}
    out = {}
    for c in columns:
        found = column_values(plan, c)
        values = {r["value"]["value"] for r in found}
        if len(found) < DISTINCT_CUT and len(values) <= tables.SUGGEST_MAX:
            group = plan.table.group_of(c)
            having = count(plan, c)
            if having < (matched if group is None else count(plan, "group", json.dumps(group))):
                values.add("")
        out[c] = len(values) if len(found) < DISTINCT_CUT else DISTINCT_CUT
    return out


def column_values(plan: Plan, column: str) -> list[dict]:
    """Distinct values of ``column`` among all its triples, cut a little above what a suggestion
    allows (:meth:`server.pageplan.Plan.column_values_query`), kept per (stamp, table, column)."""
    return kept(("column-values", plan.table.name, column),
                lambda: select(plan, plan.column_values_query(column)), lambda found: 64 + 200 * len(found))


def sampled_counts(plan: Plan, columns: list[str]) -> dict[str, int]:
    """Distinct values of the rows' own ``columns`` among the kept rows, read by position a few
    hundred rows at a time (:func:`counted_in_batches`). A row's own cells (texts, IRIs,
    figures) mostly differ, so one batch decides: at 150 x 10 a ``DISTINCT`` over the kept rows
    repeated the parameters' filter, ~250 ms, for each such column."""
    every = Plan(plan.table, plan.variables, ())
    return counted_in_batches(kept_positions(plan), columns,
                              lambda batch, wanted: select(every, cells_query(every, batch, wanted)))


def sampled_shared_counts(plan: Plan, columns: list[str]) -> dict[str, int]:
    """Distinct values of the shared ``columns`` among the nodes the kept rows link to, their
    cells looked up by index a few hundred nodes at a time (:func:`counted_in_batches`). A
    column with few values in all (a band, a theme), which a sample would not decide, is left
    out: :func:`kept_values` counts it from every node's cell, read once per store state.
    Reading those first for every column took 50-220 ms a column at 150 x 10 (one-off:
    plan-actions-kpis' action texts, recommendations' authorities)."""
    every, out = Plan(plan.table, plan.variables, ()), {}
    many = [c for c in columns if len(column_values(every, c)) > tables.SUGGEST_MAX]
    for group in dict.fromkeys(map(plan.table.group_of, many)):
        def read(batch, wanted, group=group):
            query = every.node_cells_query(group, [node_number(n) for n in batch], wanted)
            found = {r["g"]["value"]: r for r in select(every, query)}
            return [found.get(node, {}) for node in batch]
        out.update(counted_in_batches(links(plan, group).names,
                                      [c for c in many if plan.table.group_of(c) == group], read))
    return out


def counted_in_batches(items, columns: list[str], read) -> dict[str, int]:
    """Distinct values (an empty cell as ``""``) of ``columns`` among ``items`` (kept rows'
    positions, or shared nodes), ``read(batch, columns)`` giving the cells of a few hundred at
    a time, until a column has more values than a suggestion allows (its count is then a lower
    bound, which decides alike) or every item is read. A column still undecided after a few
    batches is left out: :func:`kept_values` counts it."""
    seen: dict[str, set[str]] = {c: set() for c in columns}
    undecided, cap = list(columns), SAMPLE_ROWS * SAMPLE_BATCHES
    for start in range(0, min(len(items), cap), SAMPLE_ROWS):
        for row in read(items[start:start + SAMPLE_ROWS], undecided):
            for c in undecided:
                seen[c].add(row[c]["value"] if c in row else "")
        undecided = [c for c in undecided if len(seen[c]) <= tables.SUGGEST_MAX]
        if not undecided:
            break
    return {c: len(values) for c, values in seen.items() if len(items) <= cap or c not in undecided}


def kept_values(plan: Plan, column: str) -> set[str]:
    """The distinct values of ``column`` among the kept rows (``""``: an empty cell), see
    :func:`distinct_counts`."""
    group = plan.table.group_of(column)
    if group is None:       # each kept row's cell among every row's, kept per store state
        positions = kept_positions(plan)
        cells = kept_rows(every_cell(plan, column), positions)
        return set(cells.names) | ({""} if len(cells.positions) < len(positions) else set())
    cells = shared(plan, group, column)
    return {cells[node]["value"] if node in cells else "" for node in links(plan, group).names}
