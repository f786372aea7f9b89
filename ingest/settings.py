"""Every setting of ingest and the CLI, with its default and one line of help.

Environment variables use the prefix ``OFSTED_KG_``; this module is the only one that reads
``os.environ`` for ingest (the server's own settings live in ``server/config.py``).
"""
from __future__ import annotations

import os
from pathlib import Path

SETTINGS = (
    ("BASE_IRI", "https://w3id.org/ofsted-kg/", "base of every data IRI that ingest mints"),
    ("STORE", str(Path.home() / ".local" / "share" / "ofsted-kg" / "store"),
     "directory of the embedded pyoxigraph store"),
    ("MAX_FILE_MB", "50", "largest file ingest accepts, in MiB"),
    ("UPDATE_ENDPOINT", "", "SPARQL update endpoint of a remote store (default: the --store URL)"),
    ("GRAPH_STORE_ENDPOINT", "", "Graph Store HTTP Protocol endpoint of a remote store "
                                 "(default: the update endpoint)"),
    ("REMOTE_USER", "", "user for a remote store's update and Graph Store endpoints"),
    ("REMOTE_PASSWORD", "", "that user's password"),
    ("REMOTE_AUTH", "digest", "HTTP auth for a remote store: digest (Virtuoso) or basic (Fuseki)"),
)
_DEFAULTS = {name: default for name, default, _ in SETTINGS}


def get(name: str) -> str:
    return os.environ.get(f"OFSTED_KG_{name}", _DEFAULTS[name])


def base_iri() -> str:
    base = get("BASE_IRI")
    return base if base.endswith("/") else base + "/"


def default_store() -> str:
    return get("STORE")
