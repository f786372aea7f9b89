"""``ofsted-kg query`` and ``ofsted-kg queries``: canned queries (or a ``.rq`` file) on any store.

An embedded store is queried in a worker process (:mod:`core.pool`, the server's), so an engine
crash or ``--timeout`` ends that process and this one reports it in one line; a remote store is
queried over the SPARQL protocol.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from .cli import (EXIT_FAILED, EXIT_OK, EXIT_USAGE, Command, add_remote_arguments,
                  add_store_argument, open_store, store_location)
from .settings import is_url

NO_TIMEOUT = 7 * 24 * 3600.0     # "no limit": poll() takes at most ~24 days


def add_query_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``query``."""
    p.add_argument("query", metavar="NAME|FILE.rq",
                   help="a canned query's name (`ofsted-kg queries` lists them) or a SPARQL file")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="a canned query's parameter (repeatable)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="table (default: cut to the terminal, IRIs as prefixed names), csv or json "
                        "(full values)")
    p.add_argument("--timeout", type=float, default=0, metavar="SECONDS",
                   help="stop the query after this long (default: no limit)")
    p.add_argument("--list", action="store_true", help=argparse.SUPPRESS)
    add_store_argument(p)
    add_remote_arguments(p)


def cell(term, iri=None) -> str:
    """A result term as text; ``iri`` (e.g. :func:`core.cli_format.compact`) rewrites IRIs."""
    if term is None:
        return ""
    if iri is not None and type(term).__name__ == "NamedNode":
        return iri(term.value)
    return term.value if hasattr(term, "value") else str(term)


def table_rows(solutions, iri=None) -> tuple[list[str], list[list[str]]]:
    """Column names and rows of text of a SELECT result."""
    names = [v.value for v in solutions.variables]
    rows = [[cell(s[n], iri) for n in names] for s in solutions]
    return names, rows


def query_in_worker(location: str, sparql: str, substitutions: dict, timeout: float):
    """Run a query on the embedded store in a worker process.

    :return: pyoxigraph results (solutions or boolean) or a Turtle body (CONSTRUCT/DESCRIBE).
    :raise SyntaxError: the query does not parse.
    :raise RuntimeError: the query failed, crashed the engine or ran out of time.
    """
    import logging

    import pyoxigraph as ox

    from .pool import PoolError, QueryPool, WorkerFailed
    from .worker import Job
    logging.getLogger("core.pool").setLevel(logging.CRITICAL)   # the engine's backtrace
    pool = QueryPool(location, size=1, timeout=timeout or NO_TIMEOUT)
    try:
        outcome = pool.run(Job(sparql, accept="application/sparql-results+json, text/turtle",
                               substitutions={v.value: t for v, t in substitutions.items()},
                               limit=None))
    except WorkerFailed as exc:
        if "stopped unexpectedly" not in str(exc):      # e.g. the store would not open
            raise RuntimeError(str(exc)) from None
        raise RuntimeError("the query engine (pyoxigraph) crashed on this query; the store is "
                           "unharmed. Rewrite the query (e.g. ORDER BY over values of one "
                           "type) or report it") from None
    except PoolError as exc:
        raise RuntimeError(str(exc)) from None
    finally:
        pool.close()
    if outcome.status == "syntax":
        raise SyntaxError(outcome.message)
    if outcome.status != "ok":
        raise RuntimeError(outcome.message)
    if outcome.kind == "graph":
        return outcome.body
    return ox.parse_query_results(outcome.body, ox.QueryResultsFormat.JSON)


class UsageError(ValueError):
    """The command line asks for something that cannot be run (exit status 2)."""


def parse_params(items: list[str]) -> dict[str, str]:
    """``KEY=VALUE`` items as a mapping.

    :raise UsageError: for an item without ``=``.
    """
    values = {}
    for item in items:
        if "=" not in item:
            raise UsageError(f"--param {item!r} is not KEY=VALUE")
        k, v = item.split("=", 1)
        values[k.strip()] = v
    return values


def resolve(name: str, values: dict[str, str]):
    """The SPARQL text, its substitutions and its column chooser for a query name or file.

    :raise UsageError: no such file or canned query, an unknown or invalid parameter.
    """
    import queries

    if name.endswith(".rq"):
        path = Path(name)
        if not path.exists():
            raise UsageError(f"{path}: no such file")
        if values:
            raise UsageError("--param works with canned queries only")
        return path.read_text(encoding="utf-8"), {}, (lambda names: names)
    canned = queries.load_all().get(name)
    if canned is None:
        raise UsageError(f"no canned query {name!r}; known: {', '.join(sorted(queries.load_all()))}")
    unknown = set(values) - {p.name for p in canned.params}
    if unknown:
        raise UsageError(f"{name} has no parameter {', '.join(sorted(unknown))}; "
                         f"it takes: {', '.join(p.name for p in canned.params) or 'none'}")
    try:
        substitutions = canned.bindings(values)
    except queries.ParameterError as exc:
        raise UsageError(f"parameter {exc}") from None
    return canned.sparql, substitutions, canned.columns


def execute(args, sparql: str, substitutions: dict):
    """Run the query on the store ``--store`` names (a worker for an embedded store)."""
    location = store_location(args)
    if is_url(location):
        store = open_store(args, read_only=True)
        try:
            return store.query(sparql, substitutions=substitutions)
        finally:
            store.close()
    return query_in_worker(str(location), sparql, substitutions, args.timeout)


def flat_serves(location) -> bool:
    """Whether the canned queries may read the store's flat graph, as the server decides
    (:meth:`server.store.QueryService.flat`): never on a remote store; on an embedded one when
    these tables wrote it, else the full texts run, and stderr says why."""
    if is_url(location):
        return False
    from .flat import written_here_query
    from .store import EmbeddedStore
    store = EmbeddedStore(location, read_only=True)
    try:
        here = bool(store.query(written_here_query()))
    finally:
        store.close()
    if not here:
        print("note: the store's flat graph is not current (written by other tables, an ingest "
              "under way, or a write through the server since): the canned query runs its full "
              "text; `ofsted-kg ingest` rebuilds the graph", file=sys.stderr)
    return here


def write_result(result, columns, output_format: str) -> None:
    """Print a result: ``true``/``false``, an RDF body, or rows as a table, CSV or JSON."""
    if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
        print("true" if bool(result) else "false")
    elif isinstance(result, bytes):
        sys.stdout.write(result.decode("utf-8"))
    elif not hasattr(result, "variables"):
        import pyoxigraph as ox
        sys.stdout.write(ox.serialize(result, format=ox.RdfFormat.TURTLE).decode("utf-8"))
    else:
        write_rows(result, columns, output_format)


def write_rows(result, columns, output_format: str) -> None:
    """Print SELECT rows, keeping the columns the query shows."""
    from .cli_format import compact, print_table
    names, rows = table_rows(result, compact if output_format == "table" else None)
    keep = columns(names)
    rows = [[r[names.index(k)] for k in keep] for r in rows]
    if output_format == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(keep)
        w.writerows(rows)
    elif output_format == "json":
        json.dump([dict(zip(keep, r)) for r in rows], sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print_table(keep, rows, sys.stdout)


def run_query(args) -> int:
    """``ofsted-kg query``."""
    try:
        sparql, substitutions, columns = resolve(args.query, parse_params(args.param))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    location = store_location(args)
    if not is_url(location) and not Path(location).exists():
        print(f"error: no store at {location}; run `ofsted-kg ingest corpus/` first", file=sys.stderr)
        return EXIT_FAILED
    from .canned import get
    canned = get(args.query)
    if canned is not None:
        sparql = canned.text_for(flat_serves(location))          # as the server does
    try:
        result = execute(args, sparql, substitutions)
    except SyntaxError as exc:
        print(f"error: query does not parse: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    write_result(result, columns, args.format)
    return EXIT_OK


def run_queries(args) -> int:
    """``ofsted-kg queries``: one line per canned query."""
    import queries
    for name, q in sorted(queries.load_all().items()):
        params = ", ".join(f"{p.name}:{p.type}" for p in q.params)
        print(f"{name:40} {q.title}" + (f"  [{params}]" if params else ""))
    return EXIT_OK


QUERY = Command("query", "run a canned query (by name) or a .rq file", add_query_arguments, run_query)
QUERIES = Command("queries", "list the canned queries", lambda p: None, run_queries)
