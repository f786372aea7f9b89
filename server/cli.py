"""The server's commands: ``ofsted-kg serve`` and ``ofsted-kg export`` (RDF files and the dumps
with their DCAT/VoID description, as ``/download/`` serves them)."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from core.cli import (EXIT_OK, EXIT_USAGE, Command, add_remote_arguments, add_store_argument,
                      open_store, store_location)

EXPORT_FORMATS = ("ttl", "nt", "jsonld", "trig")


def add_serve_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``serve``."""
    add_store_argument(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=5000, help="port to listen on (default: 5000)")
    p.add_argument("--workers", type=int, default=None,
                   help="gunicorn worker processes (default: the WORKERS setting)")
    p.add_argument("--allow-update", action="store_true", default=None,     # absent: the setting's
                   help="accept SPARQL UPDATE with the bearer token in $OFSTED_KG_UPDATE_TOKEN "
                        "(default: $OFSTED_KG_ALLOW_UPDATE, else off)")


def run_serve(args) -> int:
    """``ofsted-kg serve``."""
    from .serve import serve
    from .config import ConfigError
    try:
        return serve(store_location(args), host=args.host, port=args.port, workers=args.workers,
                     allow_update=args.allow_update) or EXIT_OK
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def add_export_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``export``."""
    p.add_argument("--format", choices=EXPORT_FORMATS, default="trig",
                   help="trig (default: every named graph), or the union of the graphs as ttl, nt "
                        "or jsonld")
    p.add_argument("-o", "--output", default="-", metavar="FILE", help="default: standard output")
    p.add_argument("--dumps", metavar="DIR", default=None,
                   help="instead, write every dump and the DCAT/VoID description into DIR")
    add_store_argument(p)
    add_remote_arguments(p)


def export_bytes(store, key: str) -> bytes:
    """The store as one RDF file: TriG keeps the named graphs, the others hold their union. A
    remote store is read graph by graph into a temporary snapshot first (as the dumps are), so
    an endpoint's cap on result rows cannot shorten the union."""
    from core.store import EmbeddedStore
    if isinstance(store, EmbeddedStore):
        return serialize(store, key)
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-export-") as tmp:
        from .dumps import snapshot
        copy = snapshot(store, Path(tmp) / "snapshot")
        try:
            return serialize(copy, key)
        finally:
            copy.close()


def serialize(store, key: str) -> bytes:
    """An embedded store as ``key`` (ttl, nt, jsonld: the union of the graphs; trig: every graph)."""
    import pyoxigraph as ox

    from core.cli_format import prefixes
    from core.anystore import dataset

    fmt = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
           "jsonld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG}[key]
    if key == "trig":
        return dataset(store, fmt)
    return ox.serialize(store.union_triples(), format=fmt,
                        prefixes=prefixes(data=False) if fmt is ox.RdfFormat.TURTLE else None)


def run_export(args) -> int:
    """``ofsted-kg export``."""
    store = open_store(args, read_only=True)
    try:
        if args.dumps:
            from .dumps import write_dumps
            for path in write_dumps(store, Path(args.dumps)):
                print(f"wrote {path}", file=sys.stderr)
            return EXIT_OK
        data = export_bytes(store, args.format)
    finally:
        store.close()
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(args.output).write_bytes(data)
        print(f"wrote {args.output} ({len(data)} bytes)", file=sys.stderr)
    return EXIT_OK


SERVE = Command("serve", "serve the SPARQL endpoint and web pages", add_serve_arguments, run_serve)
EXPORT = Command("export", "write the graph as RDF", add_export_arguments, run_export)
