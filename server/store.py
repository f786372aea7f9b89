"""Opens the store once per app, through a pool of read-only query workers; views use ``get_service()``.

Every query — SPARQL protocol, entity pages, descriptions — runs in the pool, so every query is
bounded by the timeout. The server's own queries are data in ``server/queries/*.rq``. When the
``STORE`` setting is a SPARQL endpoint URL, a :class:`core.remote_runner.RemoteRunner` with the same
``run(job)`` takes the pool's place and every query goes to that endpoint.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
from flask import Flask, Response, current_app, has_app_context, has_request_context, request

from core import lock
from core.flat import written_here_query
from core.lanes import cost_key
from core.local import LocalRunner
from core.pool import QueryPool, QueryTimeout
from core.remote import RemoteOptions
from core.settings import is_url
from core.worker import Job, Outcome

from . import cache, timing
from .cache import ResultCache
from .config import ConfigError
from .errors import Problem

QUERY_DIR = Path(__file__).parent / "queries"


@functools.cache
def internal_query(name: str) -> str:
    """The text of ``server/queries/<name>.rq``."""
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


class QueryService:
    """What views need from the store: run a protocol job, or run one of our queries."""

    REMOTE_STATE_SECONDS = 300     # how long counts of a remote store are taken as current

    def __init__(self, pool: QueryPool, config: dict, remote: bool = False, local: LocalRunner | None = None):
        self.pool = pool               # a QueryPool, or a RemoteRunner for a remote store
        self.local = local             # trusted short jobs in this process (embedded store only)
        self.config = config
        self.remote = remote
        self._started = time.time()
        self._updates = 0              # updates this process forwarded to a remote store
        self.cache = ResultCache(0 if remote else config["RESULT_CACHE_MB"] * 1024 * 1024)
        self.clients = ClientLimit(config["CLIENT_QUERIES"])
        self._flat: tuple[str, bool] | None = None      # (stamp, whether the flat graph serves)

    def note_update(self) -> None:
        """Record an update this process made, so that :meth:`stamp` changes at once."""
        self._updates += 1

    def stamp(self) -> str:
        """Changes when the store's contents may have changed (caches key on it): the store's
        write generation (bumped by ingest and updates, :mod:`core.lock`) and its
        directory's mtime (writers without the lock); for a remote store a new value every
        ``REMOTE_STATE_SECONDS`` and after each update sent through this process."""
        if self.remote:
            return f"remote-{int(time.time() // self.REMOTE_STATE_SECONDS)}-{self._updates}"
        return lock.stamp(self.config["STORE"])

    def flat(self) -> bool:
        """Whether the canned queries read the flat graph: an embedded store whose flat graph
        these tables wrote for its documents (:func:`core.flat.written_here_query`). Else (a
        store last ingested by code whose tables differ, an ingest under way, which marks it
        before its first document write, or a write through the server since:
        :func:`core.flat.outdated_update`) they run their full texts, slower but right, until
        the graph is rebuilt (by that ingest, by the keeper after such a write,
        ``DERIVED_AFTER_WRITE``, or by ``ofsted-kg ingest``); the log says so once, when it
        stops being current. Asked once per store state."""
        if self.remote:
            return False
        stamp = self.stamp()
        if self._flat is None or self._flat[0] != stamp:
            # housekeeping, not counted in the request's Server-Timing: in this process (an
            # ASK of one triple) where the store is open here, else in the pool
            job = Job(written_here_query(), format="json", limit=None)
            outcome = self.local.run(job) if self.local is not None else self.pool.run(job)
            here = outcome.status == "ok" and json.loads(outcome.body)["boolean"]
            was = self._flat is None or self._flat[1]     # said once, not at each state after
            if not here and was and has_app_context():
                current_app.logger.warning(
                    "the flat graph of %s is not current (written by other tables, an ingest under "
                    "way, or a write through the server since): canned queries run their full texts "
                    "until it is rebuilt (by that ingest; after a write through the server, by its "
                    "keeper when DERIVED_AFTER_WRITE is on; else `ofsted-kg ingest` with no files)",
                    self.config["STORE"])
            self._flat = (stamp, here)
        return self._flat[1]

    def canned_text(self, query) -> str:
        """The text the store runs for canned query ``query`` (:meth:`flat`)."""
        return query.text_for(self.flat())

    def etag(self, job: Job, *extra: str, stamp: str | None = None) -> str | None:
        """The ETag of ``job``'s result as the store is now, or as of ``stamp`` when the caller
        has just read it (``extra``: anything else the response body depends on); None for a
        remote store, whose changes the server cannot see."""
        if self.remote:
            return None
        return cache.etag((stamp or self.stamp()) + "".join(extra), job)

    def page_etag(self, *parts: str) -> str | None:
        """The ETag of a page built from the store as it is now and ``parts`` (its kind, key,
        format and :func:`server.kept.page_parts`); None for a remote store, whose changes the
        server cannot see."""
        if self.remote:
            return None
        return hashlib.sha256(repr((self.stamp(), parts)).encode("utf-8")).hexdigest()[:32]

    def modified(self) -> dt.datetime:
        """When the store last changed: the directory's mtime; for a remote store, which does
        not say, the time this server started."""
        seconds = self._started if self.remote else os.stat(self.config["STORE"]).st_mtime
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)

    def run(self, job: Job, keep: bool = True, trusted: bool = False) -> Outcome:
        """Run a job, or reuse its result while the store is unchanged (:mod:`server.cache`);
        protocol-level failures (syntax, engine) come back in the outcome.

        :param keep: whether to keep the result in the result cache (False for a caller that
            keeps it itself, such as the canned pages' rows cache: not twice in memory).
        :param trusted: our own text with typed bindings (a canned query, a page's query):
            when short it may run in this process (:mod:`core.local`); never a client's SPARQL.
        """
        stamp = self.stamp() if self.cache.max_bytes else ""
        outcome = self.cache.get(stamp, job) if keep else None
        if outcome is None:
            with self.clients.admit(request.remote_addr if has_request_context() else None):
                outcome = self._evaluate(job, trusted)
            if keep:
                self.cache.put(stamp, job, outcome)
        return outcome

    def _evaluate(self, job: Job, trusted: bool) -> Outcome:
        """The job's outcome from this process (a trusted job known to be short) or the pool."""
        if not trusted or self.local is None:
            outcome = self.pool.run(job)
            timing.note_engine(outcome.engine_ms)
            return outcome
        key = cost_key(job)
        here = self.local.suits(key)
        outcome = self.local.run(job) if here else self.pool.run(job)
        self.local.note(key, outcome)
        timing.note_engine(outcome.engine_ms, here)
        return outcome

    def select(self, name: str, **bindings) -> list[dict]:
        """Rows of our query ``name`` as dicts of variable -> term-JSON (``{"type","value",...}``).

        :param bindings: variable -> pyoxigraph term, substituted (never spliced into text).
        """
        outcome = self._ours(name, "json", bindings)
        return json.loads(outcome.body)["results"]["bindings"]

    def graph(self, name: str, format: str, **bindings) -> Outcome:
        """The serialized result of our CONSTRUCT query ``name`` in RDF format ``format``."""
        return self._ours(name, format, bindings)

    def _ours(self, name: str, format: str, bindings: dict) -> Outcome:
        job = Job(internal_query(name), format=format, substitutions=bindings, limit=None)
        outcome = self._evaluate(job, trusted=True)
        if outcome.status != "ok":
            raise RuntimeError(f"server query {name} failed: {outcome.message}")
        return outcome


class ClientLimit:
    """At most ``per_client`` queries running or waiting at once from one client address."""

    def __init__(self, per_client: int):
        self.per_client = per_client
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def admit(self, client: str | None) -> Iterator[None]:
        """Hold one of ``client``'s places while the block runs (None: not counted).

        :raise Problem: 429 with ``Retry-After`` when the client has no place left.
        """
        if not self.per_client or client is None:
            yield
            return
        with self._lock:
            if self._counts[client] >= self.per_client:
                raise Problem(429, f"this server runs at most {self.per_client} queries at once for "
                                   f"one client; wait for an answer before sending more",
                              {"Retry-After": "2"})
            self._counts[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._counts[client] -= 1
                if not self._counts[client]:
                    del self._counts[client]


def init_app(app: Flask) -> None:
    """Start the query pool for ``app`` and stop it when the interpreter exits.

    A ``STORE`` that is an ``http(s)://`` URL is a remote SPARQL endpoint: queries are forwarded
    to it (:mod:`core.remote_runner`) with the same timeout and row cap, and updates (when allowed)
    to ``UPDATE_ENDPOINT`` with the ``REMOTE_*`` credentials.

    :raise ConfigError: no store at the configured path, or an endpoint that does not answer.
    """
    import atexit
    from core.remote_runner import RemoteRunner
    if is_url(app.config["STORE"]):
        runner = RemoteRunner(app.config["STORE"], timeout=app.config["QUERY_TIMEOUT"],
                              options=remote_options(app.config))
        try:
            runner.check()
        except (OSError, SyntaxError, QueryTimeout) as exc:
            runner.close()
            raise ConfigError(f"the SPARQL endpoint {app.config['STORE']} does not answer: {exc}") from None
        app.extensions["ofsted_kg"] = QueryService(runner, app.config, remote=True)
        atexit.register(runner.close)
        return
    path = Path(app.config["STORE"])
    if not path.is_dir():
        raise ConfigError(f"no store at {path}: run `ofsted-kg ingest CORPUS --store {path}` first")
    pool = QueryPool(str(path), size=app.config["QUERY_PROCESSES"], timeout=app.config["QUERY_TIMEOUT"],
                     memory_mb=app.config["QUERY_MEMORY_MB"], heavy=app.config["HEAVY_QUERIES"],
                     heavy_after=app.config["HEAVY_AFTER"], queue_size=app.config["QUERY_QUEUE"],
                     max_bytes=app.config["RESULT_MAX_BYTES"], keep_mb=app.config["QUERY_KEEP_MB"],
                     idle_seconds=app.config["QUERY_IDLE_SECONDS"])
    local = LocalRunner(str(path), app.config["LOCAL_QUERY_MS"], app.config["RESULT_MAX_BYTES"])
    app.extensions["ofsted_kg"] = QueryService(pool, app.config, local=local if local.fast_ms else None)
    atexit.register(pool.close)


def remote_options(config) -> RemoteOptions:
    """A remote store's update endpoints and credentials, from the app's settings."""
    return RemoteOptions.from_config(config)


def not_modified(tag: str | None) -> Response | None:
    """304 Not Modified when the client's ``If-None-Match`` holds ``tag``; else None."""
    if tag is None or tag not in request.if_none_match:
        return None
    response = Response(status=304)
    response.set_etag(tag)
    return response


def revalidate(job, stamp: str | None = None) -> tuple[str | None, Response | None]:
    """The ETag of ``job``'s answer (as of ``stamp``, when the caller has read it), and a 304
    (varying on Accept) when the client holds it.

    :return: (tag or None when the answer is not cached, the 304 response or None)
    """
    tag = get_service().etag(job, stamp=stamp)
    unchanged = not_modified(tag)
    if unchanged is not None:
        unchanged.vary.add("Accept")
    return tag, unchanged


def get_service() -> QueryService:
    return current_app.extensions["ofsted_kg"]


def iri(value: str) -> ox.NamedNode:
    """A NamedNode from request text, or 400."""
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise Problem(400, f"{value!r} is not a valid IRI: {exc}") from None
