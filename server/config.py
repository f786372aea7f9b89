"""Every setting of the server, with its default and one line of help.

Settings are read once, in :func:`load`: defaults, then ``OFSTED_KG_*`` environment variables,
then the mapping given to ``create_app`` (tests, ``ofsted-kg serve`` options). No other server
module reads ``os.environ``.
"""
from __future__ import annotations

import os
from pathlib import Path

PREFIX = "OFSTED_KG_"

# (name, default, type, help)
SETTINGS: tuple[tuple[str, object, type, str], ...] = (
    ("STORE", str(Path.home() / ".local" / "share" / "ofsted-kg" / "store"), str,
     "directory of the embedded pyoxigraph store (opened read-only), or a remote SPARQL endpoint URL"),
    ("UPDATE_ENDPOINT", "", str,
     "a remote store's SPARQL update endpoint, for ALLOW_UPDATE (default: STORE; Virtuoso: .../sparql-auth)"),
    ("REMOTE_USER", "", str, "user the server sends a remote store's updates as (empty: anonymous)"),
    ("REMOTE_PASSWORD", "", str, "that user's password"),
    ("REMOTE_AUTH", "digest", str, "HTTP auth for a remote store: digest (Virtuoso) or basic (Fuseki)"),
    ("BASE_IRI", "https://w3id.org/ofsted-kg/", str,
     "base of the data IRIs; {BASE_IRI}id/... is served at /id/... on this server"),
    ("QUERY_TIMEOUT", 30.0, float,
     "seconds a query may run before its worker process is killed and 503 returned"),
    ("RESULT_LIMIT", 100_000, int,
     "most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned; more are cut, with X-SPARQL-MaxRows"),
    ("MAX_QUERY_BYTES", 64 * 1024, int,
     "largest query or update text accepted, in bytes (larger bodies get 413)"),
    ("MAX_GRAPH_BYTES", 64 * 1024 * 1024, int,
     "largest RDF body a Graph Store PUT or POST may send, in bytes (larger bodies get 413)"),
    ("MAX_QUERY_NESTING", 128, int,
     "deepest nesting of groups, parentheses and brackets in a query or update (deeper: 400)"),
    ("LOAD_ALLOWED_PREFIXES", "", str,
     "space-separated IRI prefixes that an authorised LOAD may fetch from; empty (default): LOAD refused"),
    ("QUERY_MEMORY_MB", 2048, int,
     "heap limit of each query worker process (RLIMIT_DATA), so one query cannot exhaust the machine; 0 = none"),
    ("QUERY_PROCESSES", 2, int,
     "query worker processes per server worker for short queries (each opens the store read-only)"),
    ("HEAVY_QUERIES", 1, int,
     "long queries at once per server worker, on processes of their own; a query that turns long "
     "while all are taken is stopped with 503 and Retry-After (0: no lanes)"),
    ("HEAVY_AFTER", 1.0, float, "seconds after which a running query counts as long (see HEAVY_QUERIES)"),
    ("QUERY_QUEUE", 16, int,
     "queries that may wait for a free query worker, per server worker; more get 503 with Retry-After"),
    ("CLIENT_QUERIES", 4, int,
     "queries one client address may have running or waiting per server worker; more get 429 "
     "(0: no limit)"),
    ("RESULT_MAX_BYTES", 32 * 1024 * 1024, int,
     "largest query result body in bytes; rows or triples beyond it are cut, like RESULT_LIMIT"),
    ("RESULT_CACHE_MB", 64, int,
     "memory per server worker for finished results, reused until the store changes; 0 = off "
     "(embedded store only: a remote store can change behind the server's back)"),
    ("HEADER_TIMEOUT", 10.0, float,
     "seconds a client has to send a request's line and headers (`ofsted-kg serve`); slower: 408"),
    ("BODY_TIMEOUT", 30.0, float, "seconds a client has to send a request's body (`ofsted-kg serve`)"),
    ("KEEPALIVE_TIMEOUT", 5.0, float, "seconds an idle kept-alive connection stays open (`ofsted-kg serve`)"),
    ("MAX_CONNECTIONS", 1000, int, "open client connections `ofsted-kg serve` holds; more get 503"),
    ("CLIENT_CONNECTIONS", 64, int,
     "open connections from one client address (not applied with PROXY_HOPS: all come from the proxy)"),
    ("TABLE_PAGE_SIZE", 100, int, "rows on one page of a table when the URL gives no _size"),
    ("TABLE_MAX_SIZE", 1000, int, "most rows one HTML table page shows (_size); .json and .csv allow every row"),
    ("WORKERS", 2, int, "gunicorn worker processes for `ofsted-kg serve`"),
    ("THREADS", 8, int, "threads per gunicorn worker"),
    ("ALLOW_UPDATE", False, bool,
     "accept SPARQL UPDATE (and LOAD) from clients presenting UPDATE_TOKEN as a bearer token"),
    ("UPDATE_TOKEN", "", str, "the bearer token that authorises updates (required with ALLOW_UPDATE)"),
    ("CORS", "*", str, "Access-Control-Allow-Origin for read requests; empty disables CORS"),
    ("DUMPS_DIR", "", str,
     "folder for /download/ files (default: '<store>-dumps' beside an embedded store; for a remote "
     "store ~/.cache/ofsted-kg/dumps/<host-port-path>, rebuilt when its fingerprint changes)"),
    ("PUBLISHER", "ofsted-kg project", str, "publisher named in the DCAT and VoID descriptions"),
    ("PROXY_HOPS", 0, int,
     "reverse proxies in front of the server whose X-Forwarded-For/Proto/Host/Prefix are trusted"),
    ("PUBLIC_URL", "", str,
     "this server's public root URL for descriptions (default: taken from each request)"),
)

DEFAULTS = {name: default for name, default, _, _ in SETTINGS}
HELP = {name: help_ for name, _, _, help_ in SETTINGS}
_TYPES = {name: type_ for name, _, type_, _ in SETTINGS}


class ConfigError(ValueError):
    """A setting with a value the server cannot use (stops start-up)."""


def convert(name: str, value: object) -> object:
    """Convert a raw (usually string) ``value`` to the declared type of setting ``name``.

    :raise ConfigError: a value that does not fit.
    """
    type_ = _TYPES[name]
    if type_ is str and isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    if isinstance(value, type_) and not (type_ is int and isinstance(value, bool)):
        return value
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


def load(overrides: dict | None = None, environ: dict | None = None) -> dict:
    """All settings: defaults, then ``OFSTED_KG_*`` variables, then ``overrides``.

    :param overrides: values from tests or the command line (keys without the prefix).
    :param environ: the environment to read (default ``os.environ``).
    :return: a dict of every setting, converted to its type.
    :raise ConfigError: an unknown or invalid setting.
    """
    environ = os.environ if environ is None else environ
    values = dict(DEFAULTS)
    for name in DEFAULTS:
        if PREFIX + name in environ:
            values[name] = convert(name, environ[PREFIX + name])
    for name, value in (overrides or {}).items():
        if name in DEFAULTS:
            values[name] = convert(name, value)
    if not str(values["BASE_IRI"]).endswith("/"):
        values["BASE_IRI"] = str(values["BASE_IRI"]) + "/"
    if values["ALLOW_UPDATE"] and not values["UPDATE_TOKEN"]:
        raise ConfigError("ALLOW_UPDATE needs UPDATE_TOKEN (the bearer token clients must present)")
    values["LOAD_ALLOWED_PREFIXES"] = tuple(str(values["LOAD_ALLOWED_PREFIXES"]).split())
    if values["REMOTE_AUTH"] not in ("digest", "basic"):
        raise ConfigError(f"{PREFIX}REMOTE_AUTH must be digest or basic, not {values['REMOTE_AUTH']!r}")
    if values["QUERY_TIMEOUT"] <= 0 or values["QUERY_PROCESSES"] < 1:
        raise ConfigError("QUERY_TIMEOUT must be positive and QUERY_PROCESSES at least 1")
    if min(values["HEAVY_QUERIES"], values["QUERY_QUEUE"], values["CLIENT_QUERIES"]) < 0 \
            or values["HEAVY_AFTER"] <= 0:
        raise ConfigError("HEAVY_QUERIES, QUERY_QUEUE and CLIENT_QUERIES cannot be negative, "
                          "and HEAVY_AFTER must be positive")
    return values
