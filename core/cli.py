"""The ``ofsted-kg`` command: a registry of commands, each declared where its work lives.

``ingest`` and ``validate`` are ingest's (:mod:`ingest.cli`), ``update`` too
(:mod:`ingest.cli_update`); ``serve`` and ``export`` are the server's (:mod:`server.cli`);
``query`` and ``queries`` read any store through this layer (:mod:`core.cli_query`). Each module
declares a :class:`Command`; :data:`REGISTRY` names it by ``"module:attribute"`` and imports it
when the parser is built (rdflib's plugin registry idea), so this layer imports neither side.
What a writing command does after its write (:data:`AFTER_WRITE`) is named the same way.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from dataclasses import dataclass
from typing import Callable

from . import settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 141       # what a shell reports for a writer ended by SIGPIPE


@dataclass(frozen=True)
class Command:
    """One subcommand: its help line, how it adds its arguments and how it runs."""
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


#: command name -> "module:attribute" of its :class:`Command`, in the order ``--help`` lists them
REGISTRY: dict[str, str] = {
    "ingest": "ingest.cli:INGEST",
    "validate": "ingest.cli:VALIDATE",
    "update": "ingest.cli_update:UPDATE",
    "query": "core.cli_query:QUERY",
    "queries": "core.cli_query:QUERIES",
    "export": "server.cli:EXPORT",
    "serve": "server.cli:SERVE",
}


#: what runs after a command has written an embedded store, in order: ``"module:attribute"`` of
#: a function taking the store's path (it says what it did on standard error and answers
#: whether it all went well). The server keeps the new state's whole canned answers as files.
AFTER_WRITE: list[str] = ["server.keepanswers:keep_whole_answers"]


#: what brings an embedded store's derived graphs (links, reconciliation, flat graph) up to date
#: after a write that was not an ingest (through the server): ``"module:attribute"`` of a
#: function taking the store's path and answering ``"current"``, ``"rebuilt"`` or
#: ``"superseded"`` (written meanwhile: nothing done), raising OSError when it failed.
REBUILD_DERIVED = "ingest.aside:rebuild_aside"


def rebuild_derived_graphs(store: str) -> str:
    """Run :data:`REBUILD_DERIVED` for the embedded store at ``store``."""
    module, attribute = REBUILD_DERIVED.split(":")
    return getattr(importlib.import_module(module), attribute)(store)


def after_write(store: str) -> bool:
    """Run :data:`AFTER_WRITE` for the embedded store at ``store`` (nothing for a remote one).

    :return: whether every step went well (a failure is said by the step, and never undoes the write).
    """
    if settings.is_url(store):
        return True
    done = True
    for target in AFTER_WRITE:
        module, attribute = target.split(":")
        done = getattr(importlib.import_module(module), attribute)(store) and done
    return done


def register(name: str, target: str) -> None:
    """Add (or replace) a command: ``target`` is ``"module:attribute"`` naming a :class:`Command`."""
    REGISTRY[name] = target


def commands() -> dict[str, Command]:
    """Every registered command, imported.

    :raise TypeError: when a registry entry names something that is not a :class:`Command`.
    """
    found = {}
    for name, target in REGISTRY.items():
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, Command) or command.name != name:
            raise TypeError(f"{target} is not the Command {name!r}")
        found[name] = command
    return found


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped, so that a file name
    holding a newline cannot split a report line in two."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def add_store_argument(p: argparse.ArgumentParser) -> None:
    """``--store DIR|URL``, defaulting to the ``STORE`` setting."""
    p.add_argument("--store", default=None, metavar="DIR|URL",
                   help="store directory, or a remote SPARQL endpoint URL "
                        f"(default: $OFSTED_KG_STORE or {settings.default_store()})")


def add_remote_arguments(p: argparse.ArgumentParser) -> None:
    """The options of a remote store (used when ``--store`` is a URL)."""
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


def store_location(args: argparse.Namespace) -> str:
    """The store the command names, else the ``STORE`` setting."""
    return args.store or settings.default_store()


def open_store(args: argparse.Namespace, read_only: bool = False):
    """The store named by ``--store`` (and, for a URL, the remote-store options).

    :return: a :class:`core.store.GraphStore`.
    """
    from .remote import RemoteOptions
    from .store import open_store as open_location
    user = getattr(args, "remote_user", None)
    remote = RemoteOptions.from_settings(
        update_endpoint=getattr(args, "update_endpoint", None),
        graph_store_endpoint=getattr(args, "graph_store_endpoint", None),
        auth=(user, settings.get("REMOTE_PASSWORD")) if user else None)
    return open_location(store_location(args), read_only=read_only, remote=remote)


def version() -> str:
    """The installed package's version."""
    from importlib.metadata import PackageNotFoundError, version as installed
    try:
        return installed("ofsted-kg")
    except PackageNotFoundError:
        return "(not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The parser with every registered command."""
    parser = argparse.ArgumentParser(
        prog="ofsted-kg",
        description="A knowledge graph of Ofsted inspections of English local authority "
                    "children's services.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}",
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, command in commands().items():
        parser_of = sub.add_parser(name, help=command.help)
        command.add_arguments(parser_of)
        parser_of.set_defaults(run=command.run)
    return parser


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (``| head``): end at once without a message. Standard
    output is pointed at /dev/null so that the interpreter's last flush cannot complain."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def main(argv: list[str] | None = None) -> int:
    """Run one command; an ``OSError`` becomes one line and exit status 1."""
    args = build_parser().parse_args(argv)
    try:
        status = args.run(args)
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
    # ``python -m core.cli``: run as ``core.cli``, whose Command the commands' modules register
    # with (this file as ``__main__`` is a second copy of the module, with a Command of its own)
    from core.cli import main as registered_main
    sys.exit(registered_main())
