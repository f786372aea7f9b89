"""The ``ofsted-kg`` command: ingest | validate | query | export | serve | update.

Argument parsing and reporting only; the work is done by ``pipeline``, ``store``, ``queries``
and ``server``.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from . import settings
from .model import IngestError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
MAX_WARNINGS_SHOWN = 12


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", default=None, metavar="DIR|URL",
                   help="store directory, or a remote SPARQL endpoint URL "
                        f"(default: $OFSTED_KG_STORE or {settings.default_store()})")


def _store_location(args) -> str:
    return args.store or settings.default_store()


def _remote_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("remote store (when --store is a SPARQL endpoint URL)")
    g.add_argument("--update-endpoint", default=None, metavar="URL",
                   help="SPARQL update endpoint (default: $OFSTED_KG_UPDATE_ENDPOINT, else --store; "
                        "Virtuoso: .../sparql-auth)")
    g.add_argument("--graph-store-endpoint", default=None, metavar="URL",
                   help="Graph Store protocol endpoint (default: $OFSTED_KG_GRAPH_STORE_ENDPOINT, "
                        "else the update endpoint; Virtuoso: .../sparql-graph-crud-auth)")
    g.add_argument("--remote-user", default=None, metavar="USER",
                   help="user for updates (default: $OFSTED_KG_REMOTE_USER); the password is read "
                        "from $OFSTED_KG_REMOTE_PASSWORD, never from the command line")


def _open_store(args, read_only: bool = False):
    """The store named by ``--store`` (and, for a URL, the remote-store options)."""
    from .store import open_store
    user = getattr(args, "remote_user", None)
    return open_store(_store_location(args), read_only=read_only,
                      update_endpoint=getattr(args, "update_endpoint", None),
                      graph_store_endpoint=getattr(args, "graph_store_endpoint", None),
                      auth=(user, settings.get("REMOTE_PASSWORD")) if user else None)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ofsted-kg",
        description="A knowledge graph of Ofsted inspections of English local authority "
                    "children's services.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}",
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="read documents into the store (files or folders)")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files (.txt .md .pdf .ods .xlsx) or folders to read")
    _store_arg(p)
    p.add_argument("--jobs", type=int, default=None,
                   help="worker processes (default: one per core)")
    p.add_argument("--force", action="store_true", help="reload documents even when unchanged")
    p.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    _remote_args(p)

    p = sub.add_parser("validate", help="check documents (or the whole store) against the shapes")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders to check without storing; none: re-check the store")
    _store_arg(p)
    _remote_args(p)

    p = sub.add_parser("query", help="run a canned query (by name) or a .rq file")
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
    _store_arg(p)
    _remote_args(p)

    p = sub.add_parser("export", help="write the graph as RDF")
    p.add_argument("--format", choices=("ttl", "nt", "jsonld", "trig"), default="trig",
                   help="trig (default: every named graph), or the union of the graphs as ttl, nt "
                        "or jsonld")
    p.add_argument("-o", "--output", default="-", metavar="FILE", help="default: standard output")
    p.add_argument("--dumps", metavar="DIR", default=None,
                   help="instead, write every dump and the DCAT/VoID description into DIR")
    _store_arg(p)
    _remote_args(p)

    p = sub.add_parser("serve", help="serve the SPARQL endpoint and web pages")
    _store_arg(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=5000, help="port to listen on (default: 5000)")
    p.add_argument("--workers", type=int, default=None,
                   help="gunicorn worker processes (default: the WORKERS setting)")
    p.add_argument("--allow-update", action="store_true",
                   help="accept SPARQL UPDATE with the bearer token in $OFSTED_KG_UPDATE_TOKEN")

    p = sub.add_parser("update", help="download what Ofsted has published since the last run and "
                                      "ingest it")
    from .cli_update import add_arguments
    add_arguments(p)
    _store_arg(p)
    _remote_args(p)

    sub.add_parser("queries", help="list the canned queries")
    return parser


# ------------------------------------------------------------------ ingest


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped, so that a file name
    holding a newline cannot split a report line in two."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


class Progress:
    """One line per document; on a terminal, a bar that redraws in place."""

    def __init__(self, quiet: bool, stream=sys.stderr):
        self.quiet = quiet
        self.stream = stream
        self.tty = stream.isatty()

    def __call__(self, outcome, i: int, n: int) -> None:
        if outcome.ok:
            if self.quiet:
                return
            if outcome.unchanged:
                line = f"unchanged {outcome.path} (already stored as {outcome.document_iri})"
            else:
                line = (f"loaded {outcome.path}: {outcome.framework}, {outcome.triples} triples "
                        f"(+{outcome.inferred_triples} inferred), {len(outcome.warnings)} warning(s)")
        else:
            line = f"FAILED {outcome.error}"
        line = one_line(line)
        if not outcome.ok:
            if self.tty:
                self.stream.write("\r\x1b[K")
            self.stream.write(line + "\n")
            self.stream.flush()
            if not self.tty or i < n:
                return
        if self.tty:
            width = 30
            done = int(width * i / n)
            self.stream.write(f"\r\x1b[K{line}\n[{'#' * done}{'.' * (width - done)}] {i}/{n}")
            if i == n:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{i}/{n}] {line}\n")
        self.stream.flush()


def cmd_ingest(args) -> int:
    from .pipeline import Ingestor, discover
    from .readers import SUPPORTED_SUFFIXES

    files = list(discover(args.paths))
    missing = [p for p in args.paths if not Path(p).exists() and not str(p).startswith("http")]
    for m in missing:
        print(one_line(f"FAILED {m}: no such file or folder"), file=sys.stderr)
    # a folder named on the command line that holds nothing to read is a failure, not silence
    empty = [p for p in args.paths if Path(p).is_dir() and not list(discover([p]))]
    for e in empty:
        print(one_line(f"FAILED {e}: a folder with no {', '.join(SUPPORTED_SUFFIXES)} files in it"),
              file=sys.stderr)
    missing += empty
    files = [f for f in files if f not in missing]
    if not files:
        print("nothing to ingest", file=sys.stderr)
        return EXIT_FAILED if missing else EXIT_OK
    t0 = time.perf_counter()
    batch_error = None
    ingestor = None
    try:
        store = _open_store(args)
        try:
            ingestor = Ingestor(store, jobs=args.jobs, on_outcome=Progress(args.quiet),
                                force=args.force)
            ingestor.run(files)
        finally:
            store.close()
    except (OSError, RuntimeError) as exc:   # the store itself failed: say so, then sum up
        batch_error = f"FAILED store {_store_location(args)}: {exc}"
    except KeyboardInterrupt:
        batch_error = "FAILED interrupted: documents not listed above were not ingested"
    if batch_error:
        print(one_line(batch_error), file=sys.stderr)
    outcomes = ingestor.outcomes if ingestor else []
    elapsed = time.perf_counter() - t0
    ok = [o for o in outcomes if o.ok]
    failed = [o for o in outcomes if not o.ok]
    warnings = sum(len(o.warnings) for o in ok)
    skipped = len(files) - len(outcomes)
    print(f"{len(ok)} document(s) in the store ({sum(1 for o in ok if o.unchanged)} unchanged), "
          f"{len(failed) + len(missing)} failed{f', {skipped} not attempted' if skipped else ''}; "
          f"{sum(o.triples for o in ok)} triples "
          f"+ {sum(o.inferred_triples for o in ok)} inferred; {warnings} warning(s); "
          f"{elapsed:.1f} s. Store: {_store_location(args)}", file=sys.stderr)
    if warnings and not args.quiet:
        print("warnings (all of them: `ofsted-kg query shacl-warnings`):", file=sys.stderr)
        shown = [(o.path, w) for o in ok for w in o.warnings]
        for path, w in shown[:MAX_WARNINGS_SHOWN]:
            print(f"  {path}: {w}", file=sys.stderr)
        if len(shown) > MAX_WARNINGS_SHOWN:
            print(f"  ... and {len(shown) - MAX_WARNINGS_SHOWN} more", file=sys.stderr)
    return EXIT_FAILED if failed or missing or batch_error else EXIT_OK


def cmd_validate(args) -> int:
    from .pipeline import discover, prepare

    if args.paths:
        bad = 0
        for path in discover(args.paths):
            try:
                prepared = prepare(path)
            except IngestError as exc:
                print(f"INVALID {exc}")
                bad += 1
                continue
            print(f"valid {path}: {prepared.triples} triples, {len(prepared.warnings)} warning(s)")
            for w in prepared.warnings:
                print(f"  {w}")
        return EXIT_FAILED if bad else EXIT_OK
    from .revalidate import revalidate_store
    store = _open_store(args, read_only=True)
    return revalidate_store(store, sys.stdout)


# ------------------------------------------------------------------ query


def _cell(term, iri=None) -> str:
    """A result term as text; ``iri`` (e.g. :func:`cli_format.compact`) rewrites IRIs."""
    if term is None:
        return ""
    if iri is not None and type(term).__name__ == "NamedNode":
        return iri(term.value)
    return term.value if hasattr(term, "value") else str(term)


def _rows(solutions, iri=None) -> tuple[list[str], list[list[str]]]:
    names = [v.value for v in solutions.variables]
    rows = [[_cell(s[n], iri) for n in names] for s in solutions]
    return names, rows


NO_TIMEOUT = 7 * 24 * 3600.0     # "no limit": poll() takes at most ~24 days


def _query_in_worker(location: str, sparql: str, substitutions: dict, timeout: float):
    """Run a query on the embedded store in a worker process (the server's, :mod:`server.pool`):
    an engine crash or ``--timeout`` ends that process, and this one reports it in one line.

    :return: pyoxigraph results (solutions or boolean) or a Turtle body (CONSTRUCT/DESCRIBE).
    :raise SyntaxError: the query does not parse.
    :raise RuntimeError: the query failed, crashed the engine or ran out of time.
    """
    import logging

    import pyoxigraph as ox

    from server.pool import PoolError, QueryPool, WorkerFailed
    from server.worker import Job
    logging.getLogger("server.pool").setLevel(logging.CRITICAL)   # the engine's backtrace
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


def cmd_query(args) -> int:
    import queries

    values = {}
    for item in args.param:
        if "=" not in item:
            print(f"error: --param {item!r} is not KEY=VALUE", file=sys.stderr)
            return EXIT_USAGE
        k, v = item.split("=", 1)
        values[k.strip()] = v
    if args.query.endswith(".rq"):
        path = Path(args.query)
        if not path.exists():
            print(f"error: {path}: no such file", file=sys.stderr)
            return EXIT_USAGE
        sparql, substitutions = path.read_text(encoding="utf-8"), {}
        if values:
            print("error: --param works with canned queries only", file=sys.stderr)
            return EXIT_USAGE
    else:
        canned = queries.load_all().get(args.query)
        if canned is None:
            names = ", ".join(sorted(queries.load_all()))
            print(f"error: no canned query {args.query!r}; known: {names}", file=sys.stderr)
            return EXIT_USAGE
        unknown = set(values) - {p.name for p in canned.params}
        if unknown:
            print(f"error: {args.query} has no parameter {', '.join(sorted(unknown))}; "
                  f"it takes: {', '.join(p.name for p in canned.params) or 'none'}", file=sys.stderr)
            return EXIT_USAGE
        try:
            substitutions = canned.bindings(values)
        except queries.ParameterError as exc:
            print(f"error: parameter {exc}", file=sys.stderr)
            return EXIT_USAGE
        sparql = canned.sparql
    canned_columns = canned.columns if not args.query.endswith(".rq") else (lambda names: names)
    location = _store_location(args)
    if not str(location).startswith("http") and not Path(location).exists():
        print(f"error: no store at {location}; run `ofsted-kg ingest corpus/` first", file=sys.stderr)
        return EXIT_FAILED
    try:
        if str(location).startswith("http"):
            result = _open_store(args, read_only=True).query(sparql, substitutions=substitutions)
        else:
            result = _query_in_worker(str(location), sparql, substitutions, args.timeout)
    except SyntaxError as exc:
        print(f"error: query does not parse: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
        print("true" if bool(result) else "false")
        return EXIT_OK
    if isinstance(result, bytes):
        sys.stdout.write(result.decode("utf-8"))
        return EXIT_OK
    if not hasattr(result, "variables"):
        import pyoxigraph as ox
        sys.stdout.write(ox.serialize(result, format=ox.RdfFormat.TURTLE).decode("utf-8"))
        return EXIT_OK
    from .cli_format import compact, print_table
    names, rows = _rows(result, compact if args.format == "table" else None)
    keep = canned_columns(names)
    rows = [[r[names.index(k)] for k in keep] for r in rows]
    names = keep
    if args.format == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(names)
        w.writerows(rows)
    elif args.format == "json":
        json.dump([dict(zip(names, r)) for r in rows], sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print_table(names, rows, sys.stdout)
    return EXIT_OK


def cmd_queries(args) -> int:
    import queries
    for name, q in sorted(queries.load_all().items()):
        params = ", ".join(f"{p.name}:{p.type}" for p in q.params)
        print(f"{name:40} {q.title}" + (f"  [{params}]" if params else ""))
    return EXIT_OK


# ------------------------------------------------------------------ export / serve


def cmd_export(args) -> int:
    import pyoxigraph as ox

    store = _open_store(args, read_only=True)
    if args.dumps:
        from server.dumps import write_dumps
        for path in write_dumps(store, Path(args.dumps)):
            print(f"wrote {path}", file=sys.stderr)
        return EXIT_OK
    formats = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG}
    fmt = formats[args.format]
    if args.format == "trig":
        from .store import dataset
        data = dataset(store, fmt)
    else:
        from .cli_format import prefixes
        triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        data = ox.serialize(triples, format=fmt,
                            prefixes=prefixes(data=False) if fmt is ox.RdfFormat.TURTLE else None)
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(args.output).write_bytes(data)
        print(f"wrote {args.output} ({len(data)} bytes)", file=sys.stderr)
    return EXIT_OK


def cmd_serve(args) -> int:
    from server import serve
    from server.config import ConfigError
    try:
        return serve(_store_location(args), host=args.host, port=args.port, workers=args.workers,
                     allow_update=args.allow_update) or EXIT_OK
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def cmd_update(args) -> int:
    from .cli_update import run_update

    def say(line: str) -> None:
        print(one_line(line), file=sys.stderr, flush=True)

    store = None if args.dry_run else _open_store(args)
    try:
        return run_update(args, store, say, Progress(args.quiet))
    finally:
        if store is not None:
            store.close()


COMMANDS = {"update": cmd_update, "ingest": cmd_ingest, "validate": cmd_validate, "query": cmd_query,
            "export": cmd_export, "serve": cmd_serve, "queries": cmd_queries}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("ofsted-kg")
    except PackageNotFoundError:
        return "(not installed)"


EXIT_BROKEN_PIPE = 141       # what a shell reports for a writer ended by SIGPIPE


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (``| head``): end at once without a message. Standard
    output is pointed at /dev/null so that the interpreter's last flush cannot complain."""
    import os
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status = COMMANDS[args.command](args)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
