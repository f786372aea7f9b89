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
    ("DOC_TIMEOUT", "300", "seconds one document may take to read, parse, validate and reason "
                           "(a report takes 1-5 s) before its worker is killed and it is refused"),
    ("DOC_MEMORY_MB", "2048", "MiB of memory one document may use in its worker (the largest "
                              "official outcome spreadsheet peaks at 170) before it is refused"),
    ("MAX_PAGES", "600", "most pages a PDF may have (a report has 10-80)"),
    ("MAX_SHEET_CELLS", "2000000", "most cells one spreadsheet sheet may span, blanks included "
                                   "(the largest official sheet spans about 120,000)"),
    ("UPDATE_ENDPOINT", "", "SPARQL update endpoint of a remote store (default: the --store URL)"),
    ("GRAPH_STORE_ENDPOINT", "", "Graph Store HTTP Protocol endpoint of a remote store "
                                 "(default: the update endpoint)"),
    ("REMOTE_USER", "", "user for a remote store's update and Graph Store endpoints"),
    ("REMOTE_PASSWORD", "", "that user's password"),
    ("REMOTE_AUTH", "digest", "HTTP auth for a remote store: digest (Virtuoso) or basic (Fuseki)"),
    ("UPDATE_SOURCE", "https://reports.ofsted.gov.uk/search?q=&level_1_types=3&level_2_types%5B%5D=12"
                      "&start=0&rows=100",
     "update: the first page of Ofsted's search for local-authority children's services"),
    ("UPDATE_SPREADSHEET_PAGES",
     "https://www.gov.uk/government/statistics/local-authority-inspection-outcomes-as-at-31-march-2025 "
     "https://www.gov.uk/government/statistics/childrens-social-care-in-england-2023",
     "update: gov.uk pages (space-separated) whose .ods/.xlsx links are the outcome spreadsheets"),
    ("UPDATE_CACHE", str(Path.home() / ".cache" / "ofsted-kg" / "update"),
     "update: folder of downloaded files and the record of publications seen"),
    ("UPDATE_DELAY", "1.0", "update: seconds between requests to the publisher"),
    ("UPDATE_TIMEOUT", "30", "update: seconds to wait for a connection or data"),
    ("UPDATE_RETRIES", "3", "update: further tries after a timeout, connection error or 429/5xx"),
    ("UPDATE_BACKOFF", "2.0", "update: first pause before a retry, in seconds (doubled each time)"),
)
_DEFAULTS = {name: default for name, default, _ in SETTINGS}


def get(name: str) -> str:
    return os.environ.get(f"OFSTED_KG_{name}", _DEFAULTS[name])


def positive(name: str) -> float:
    """A setting that must be a positive number.

    :raise ValueError: it is not (the message names the variable).
    """
    value = get(name)
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not number > 0:
        raise ValueError(f"OFSTED_KG_{name}={value!r} is not a positive number")
    return number


def base_iri() -> str:
    base = get("BASE_IRI")
    return base if base.endswith("/") else base + "/"


def default_store() -> str:
    return get("STORE")
