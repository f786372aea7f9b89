"""Every setting of ingest, the command line and the server, in one table.

Each setting has a name, a default, a type and one line of help; ``OFSTED_KG_<NAME>`` in the
environment overrides the default. This is the only module that reads ``os.environ`` for them
(Datasette's ``SETTINGS`` tuple, Flask's ``from_prefixed_env``). The server's
``server.config.load`` adds the mapping given to ``create_app`` and its own checks;
``python -m core.settings`` prints the table that ``README.md`` carries.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, NamedTuple

from .vocab import DEFAULT_BASE_IRI

PREFIX = "OFSTED_KG_"
_HOME = Path.home()


class Setting(NamedTuple):
    """One setting: ``OFSTED_KG_<name>`` overrides ``default``, converted to ``type``."""

    name: str
    default: object
    type: type
    help: str


def _s(name: str, default: object, help_: str) -> Setting:
    return Setting(name, default, type(default), help_)


SETTINGS: tuple[Setting, ...] = (
    # ---- the store and the data (ingest, the command line and the server)
    _s("STORE", str(_HOME / ".local" / "share" / "ofsted-kg" / "store"),
       "directory of the embedded pyoxigraph store, or a remote SPARQL endpoint URL"),
    _s("BASE_IRI", DEFAULT_BASE_IRI,
       "base of the data IRIs ingest mints; {BASE_IRI}id/... is served at /id/... (set it before ingesting)"),
    _s("UPDATE_ENDPOINT", "",
       "a remote store's SPARQL update endpoint (default: STORE; Virtuoso: .../sparql-auth)"),
    _s("GRAPH_STORE_ENDPOINT", "",
       "a remote store's Graph Store HTTP Protocol endpoint (default: the update endpoint)"),
    _s("REMOTE_USER", "", "user for a remote store's update and Graph Store endpoints (empty: anonymous)"),
    _s("REMOTE_PASSWORD", "", "that user's password"),
    _s("REMOTE_AUTH", "digest", "HTTP auth for a remote store: digest (Virtuoso) or basic (Fuseki)"),
    # ---- ingest: limits per document
    _s("MAX_FILE_MB", 50.0, "largest file ingest accepts, in MiB"),
    _s("DOC_TIMEOUT", 300.0, "seconds one document may take to read, parse, validate and reason "
                             "(a report takes 1-5 s) before its worker is killed and it is refused"),
    _s("DOC_MEMORY_MB", 2048.0, "MiB of memory one document may use in its worker (the largest "
                                "official outcome spreadsheet peaks at 170) before it is refused"),
    _s("MAX_PAGES", 600, "most pages a PDF may have (a report has 10-80)"),
    _s("MAX_SHEET_CELLS", 2_000_000, "most cells one spreadsheet sheet may span, blanks included "
                                     "(the largest official sheet spans about 120,000)"),
    # ---- update: what Ofsted publishes
    _s("UPDATE_SOURCE", "https://reports.ofsted.gov.uk/search?q=&level_1_types=3&level_2_types%5B%5D=12"
                        "&start=0&rows=100",
       "update: the first page of Ofsted's search for local-authority children's services"),
    _s("UPDATE_SPREADSHEET_PAGES",
       "https://www.gov.uk/government/statistics/local-authority-inspection-outcomes-as-at-31-march-2025 "
       "https://www.gov.uk/government/statistics/childrens-social-care-in-england-2023",
       "update: gov.uk pages (space-separated) whose .ods/.xlsx links are the outcome spreadsheets"),
    _s("UPDATE_CACHE", str(_HOME / ".cache" / "ofsted-kg" / "update"),
       "update: folder of downloaded files and the record of publications seen"),
    _s("UPDATE_DELAY", 1.0, "update: seconds between requests to the publisher"),
    _s("UPDATE_TIMEOUT", 30.0, "update: seconds to wait for a connection or data"),
    _s("UPDATE_RETRIES", 3, "update: further tries after a timeout, connection error or 429/5xx"),
    _s("UPDATE_BACKOFF", 2.0, "update: first pause before a retry, in seconds (doubled each time)"),
    # ---- the server: queries
    _s("QUERY_TIMEOUT", 30.0, "seconds a query may run before its worker process is killed and 503 returned"),
    _s("RESULT_LIMIT", 100_000,
       "most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned; more are cut, with X-SPARQL-MaxRows"),
    _s("MAX_QUERY_BYTES", 64 * 1024, "largest query or update text accepted, in bytes (larger bodies get 413)"),
    _s("MAX_GRAPH_BYTES", 64 * 1024 * 1024,
       "largest RDF body a Graph Store PUT or POST may send, in bytes (larger bodies get 413)"),
    _s("MAX_QUERY_NESTING", 128,
       "deepest nesting of groups, parentheses and brackets in a query or update (deeper: 400)"),
    _s("LOAD_ALLOWED_PREFIXES", "",
       "space-separated IRI prefixes that an authorised LOAD may fetch from; empty (default): LOAD refused"),
    _s("QUERY_MEMORY_MB", 2048,
       "heap limit of each query worker process (RLIMIT_DATA), so one query cannot exhaust the machine; 0 = none"),
    _s("QUERY_KEEP_MB", 96,
       "resident MiB a query worker keeps between queries: above it, after answering, it closes the "
       "store (freeing the engine's caches, reopened for the next query); 0 = no limit. With one "
       "web worker the server peaked at 341 MB at 150 x 10 with 96 (339 with 64); on the national "
       "store a worker settles at 50-65 MB, so 96 keeps its store open (64 reopened it after about "
       "one query in six, ~1 ms more for the next)"),
    _s("LOCAL_QUERY_MS", 50.0,
       "canned and the server's own queries whose same job took less than this many ms the last time "
       "run in the server worker itself, sparing the hop to a query worker (0.1-1.1 ms a request, bench/settings_ab.py); "
       "0 = every query in a query worker"),
    _s("QUERY_IDLE_SECONDS", 60.0,
       "seconds a query worker beyond the first of each server worker may stay idle before it stops; "
       "one starts again when a query finds none idle (0: all start with the server and stay)"),
    _s("QUERY_PROCESSES", 2,
       "query worker processes per server worker for short queries (each opens the store read-only)"),
    _s("HEAVY_QUERIES", 1,
       "long queries at once per server worker, on processes of their own; a query that turns long "
       "while all are taken is stopped with 503 and Retry-After (0: no lanes)"),
    _s("HEAVY_AFTER", 1.0, "seconds after which a running query counts as long (see HEAVY_QUERIES)"),
    _s("QUERY_QUEUE", 16,
       "queries that may wait for a free query worker, per server worker; more get 503 with Retry-After"),
    _s("CLIENT_QUERIES", 4,
       "queries one client address may have running or waiting per server worker; more get 429 (0: no limit)"),
    _s("RESULT_MAX_BYTES", 32 * 1024 * 1024,
       "largest query result the engine writes, in bytes; rows or triples beyond it are cut, like "
       "RESULT_LIMIT (a canned query's JSON then adds what was asked, a few hundred bytes)"),
    _s("RESULT_CACHE_MB", 48,
       "MiB of finished results per server worker, reused until the store changes (canned pages keep "
       "up to as much again as decoded rows, ~1.8x their JSON in memory, and a quarter as written "
       "bodies); 0 = off (embedded store only: a remote store can change behind the server's back)"),
    _s("ANSWER_FILES_MB", 1024,
       "MiB of answers of ANSWER_FILES_MIN_KB or more (canned queries' JSON and CSV, SPARQL results) kept as files "
       "while the store is unchanged (sent again from any web process, and after a restart, without "
       "running the query: at 150 x 10 a whole table takes 1-2 s to compute), and the tables' page state "
       "that no parameter changes, at any size (each web process reads it instead of the store: at "
       "150 x 10 a table's first filtered page 0.3-2.0 s -> 0.1-0.9 s, bench/first_page.py); 0 = off. "
       "Embedded store only"),
    _s("ANSWER_FILES_MIN_KB", 256,
       "smallest answer, in KiB, kept as a file (smaller ones stay in the in-memory caches; a national "
       "whole table is 1-3 MB of JSON)"),
    _s("ANSWERS_AT_INGEST", True,
       "`ofsted-kg ingest` and `update` end by computing, for the store's new state, the whole JSON and CSV "
       "of every canned query that needs no parameter, kept as answer files for the server to send, "
       "and each table's page with its example parameters (keeping its page state as files) "
       "(150 x 10: ~15 s; national: ~2 s; answers already kept are found, not computed again); "
       "a write through the server starts a process that does the same; "
       "false: a visitor's first ask of each computes it"),
    _s("ANSWER_FILES_DIR", "", "folder for those files (default: '<store>-answers' beside the store)"),
    _s("WEB_TRIM_MB", 96,
       "resident MiB of a server worker above which, after a response that grew it, it hands freed "
       "memory back to the system (a few ms, after the answer is sent); 0 = never"),
    _s("PAGE_STATE_MB", 32,
       "memory per server worker for what table pages keep until the store changes (orders, counts, "
       "facets, map rows; the page rows too while RESULT_CACHE_MB is on)"),
    # ---- the server: connections and processes (`ofsted-kg serve`)
    _s("HEADER_TIMEOUT", 10.0,
       "seconds a client has to send a request's line and headers (`ofsted-kg serve`); slower: 408"),
    _s("BODY_TIMEOUT", 30.0, "seconds a client has to send a request's body (`ofsted-kg serve`)"),
    _s("KEEPALIVE_TIMEOUT", 5.0, "seconds an idle kept-alive connection stays open (`ofsted-kg serve`)"),
    _s("MAX_CONNECTIONS", 1000, "open client connections `ofsted-kg serve` holds; more get 503"),
    _s("CLIENT_CONNECTIONS", 64,
       "open connections from one client address (not applied with PROXY_HOPS: all come from the proxy)"),
    _s("WORKERS", 1,
       "gunicorn worker processes for `ofsted-kg serve`, each with its own caches and query workers "
       "(where all but short trusted queries run). 1 keeps the server under 500 MB at 150 x 10 "
       "(401 MB; 2 went over); 2 answered 864 uncached short queries a second on 2 cores where 1 "
       "answered 475 (bench/settings_ab.py)"),
    _s("THREADS", 8, "threads per gunicorn worker"),
    # ---- the server: pages, updates and descriptions
    _s("TABLE_PAGE_SIZE", 100, "rows on one page of a table when the URL gives no _size"),
    _s("TABLE_MAX_SIZE", 1000, "most rows one HTML table page shows (_size); .json and .csv allow every row"),
    _s("ALLOW_UPDATE", False,
       "accept SPARQL UPDATE (and LOAD) from clients presenting UPDATE_TOKEN as a bearer token"),
    _s("UPDATE_TOKEN", "", "the bearer token that authorises updates (required with ALLOW_UPDATE)"),
    _s("UPDATE_WAIT", 10.0,
       "seconds a write through the server waits while another process writes the store (an ingest, "
       "the rebuild after an earlier write); then 503 with Retry-After"),
    _s("DERIVED_AFTER_WRITE", True,
       "a write through the server starts a process that rebuilds the graphs derived from the "
       "documents (links, reconciliation, the flat graph the canned queries read) on a copy of the "
       "store and writes what changed in one short write (national: ~7 s, of which ~0.01 s writing; "
       "150 x 10: ~56 s, up to 1.3 GB; bench/derived.py); "
       "false: until the next `ofsted-kg ingest` the canned queries run their full texts (same rows, slower)"),
    _s("CORS", "*", "Access-Control-Allow-Origin for read requests; empty disables CORS"),
    _s("DUMPS_DIR", "",
       "folder for /download/ files (default: '<store>-dumps' beside an embedded store; for a remote "
       "store ~/.cache/ofsted-kg/dumps/<host-port-path>, rebuilt when its fingerprint changes)"),
    _s("DUMPS_AT_START", True,
       "`ofsted-kg serve` writes the /download/ files at start-up, in a process of its own at low "
       "priority, when they are missing or older than the store (national scale: ~15 s; a request "
       "meanwhile waits up to DUMPS_WAIT for them). Reading the whole store costs that process up to "
       "~120 MB at 150 x 10 for its 2-5 minutes; false: the first request for them writes them, in the web worker"),
    _s("DUMPS_WAIT", 10.0,
       "seconds a request for /download/ waits while another process writes the files; then 503 with "
       "Retry-After (a web thread is never held for the writer's minutes at 150 x 10)"),
    _s("PUBLISHER", "ofsted-kg project", "publisher named in the DCAT and VoID descriptions"),
    _s("PROXY_HOPS", 0, "reverse proxies in front of the server whose X-Forwarded-For/Proto/Host/Prefix are trusted"),
    _s("PUBLIC_URL", "", "this server's public root URL for descriptions (default: taken from each request)"),
)

BY_NAME = {s.name: s for s in SETTINGS}
DEFAULTS = {s.name: s.default for s in SETTINGS}
HELP = {s.name: s.help for s in SETTINGS}


class ConfigError(ValueError):
    """A setting with a value that cannot be used (the message names the variable)."""


def convert(name: str, value: object) -> object:
    """Convert a raw (usually string) ``value`` to the declared type of setting ``name``.

    :param name: the setting's name, without the prefix.
    :param value: text from the environment, or a value from a test or the command line (a
        list for a string setting is joined with spaces).
    :return: the value as the setting's type.
    :raise ConfigError: a value that does not fit.
    """
    type_ = BY_NAME[name].type
    if type_ is str and isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    if isinstance(value, type_) and not (type_ is int and isinstance(value, bool)):
        return value
    if type_ is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    try:
        if type_ is bool:
            if text.lower() in ("1", "true", "yes", "on"):
                return True
            if text.lower() in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(text)
        return type_(text)
    except ValueError:
        raise ConfigError(f"{PREFIX}{name}={value!r} is not a valid {type_.__name__}") from None


def read(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """Every setting: its default, or the ``OFSTED_KG_*`` variable that overrides it.

    :param environ: the environment to read (default ``os.environ``).
    :return: name (without the prefix) -> value of the setting's type.
    :raise ConfigError: a variable whose value does not fit its setting's type.
    """
    environ = os.environ if environ is None else environ
    values = dict(DEFAULTS)
    for name in DEFAULTS:
        if PREFIX + name in environ:
            values[name] = convert(name, environ[PREFIX + name])
    return values


def environment(values: Mapping[str, object]) -> dict[str, str]:
    """The ``OFSTED_KG_*`` variables that give a new process the settings in ``values`` (names
    without the prefix; other keys are left out): what :func:`read` turns back into them."""
    return {PREFIX + name: ("true" if value is True else "false" if value is False else str(value))
            for name, value in values.items() if name in BY_NAME}


def get(name: str, environ: Mapping[str, str] | None = None) -> object:
    """One setting, from the environment or its default.

    :raise KeyError: no such setting.
    :raise ConfigError: its variable's value does not fit the setting's type.
    """
    environ = os.environ if environ is None else environ
    default = DEFAULTS[name]
    return convert(name, environ[PREFIX + name]) if PREFIX + name in environ else default


def positive(name: str) -> float:
    """A setting that must be a positive number (the ingest limits).

    :raise ValueError: it is not (the message names the variable).
    """
    value = os.environ.get(PREFIX + name, str(DEFAULTS[name]))
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not number > 0:
        raise ValueError(f"{PREFIX}{name}={value!r} is not a positive number")
    return number


def base_iri(value: str | None = None) -> str:
    """The base of data IRIs, ending in ``/``.

    :param value: a base to normalise (default: the ``BASE_IRI`` setting).
    """
    base = str(get("BASE_IRI") if value is None else value)
    return base if base.endswith("/") else base + "/"


def default_store() -> str:
    """The store a command uses without ``--store``: ``OFSTED_KG_STORE`` or the default folder."""
    return str(get("STORE"))


def is_url(location: str | os.PathLike[str] | None) -> bool:
    """Whether a store argument (``--store``, ``STORE``) names a SPARQL endpoint rather than a
    directory: the one place that decides.

    :param location: a directory, a URL or None (the default store, a directory).
    :return: True for an ``http://`` or ``https://`` URL.
    """
    return location is not None and str(location).lower().startswith(("http://", "https://"))


def _shown(value: object) -> str:
    text = str(value).replace(str(_HOME), "~")
    return f"`{text}`" if text else "(empty)"


def markdown_table() -> str:
    """The settings as the Markdown table that ``README.md`` carries (a test compares them)."""
    lines = ["| variable | default | what it sets |", "|---|---|---|"]
    for s in SETTINGS:
        lines.append(f"| `{PREFIX}{s.name}` | {_shown(s.default)} | {s.help.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
