"""Opens the store once per app, through a pool of read-only query workers; views use ``get_service()``.

Every query — SPARQL protocol, entity pages, descriptions — runs in the pool, so every query is
bounded by the timeout. The server's own queries are data in ``server/queries/*.rq``.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, current_app

from .config import ConfigError
from .errors import Problem
from .pool import QueryPool
from .worker import Job, Outcome

QUERY_DIR = Path(__file__).parent / "queries"


@functools.cache
def internal_query(name: str) -> str:
    """The text of ``server/queries/<name>.rq``."""
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


class QueryService:
    """What views need from the store: run a protocol job, or run one of our queries."""

    def __init__(self, pool: QueryPool, config: dict):
        self.pool = pool
        self.config = config

    def run(self, job: Job) -> Outcome:
        """Run a job; protocol-level failures (syntax, engine) come back in the outcome."""
        return self.pool.run(job)

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
        outcome = self.pool.run(job)
        if outcome.status != "ok":
            raise RuntimeError(f"server query {name} failed: {outcome.message}")
        return outcome


def init_app(app: Flask) -> None:
    """Start the query pool for ``app`` and stop it when the interpreter exits.

    :raise ConfigError: no store at the configured path.
    """
    path = Path(app.config["STORE"])
    if not path.is_dir():
        raise ConfigError(f"no store at {path}: run `ofsted-kg ingest CORPUS --store {path}` first")
    pool = QueryPool(str(path), size=app.config["QUERY_PROCESSES"], timeout=app.config["QUERY_TIMEOUT"],
                     memory_mb=app.config["QUERY_MEMORY_MB"])
    app.extensions["ofsted_kg"] = QueryService(pool, app.config)
    import atexit
    atexit.register(pool.close)


def get_service() -> QueryService:
    return current_app.extensions["ofsted_kg"]


def iri(value: str) -> ox.NamedNode:
    """A NamedNode from request text, or 400."""
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise Problem(400, f"{value!r} is not a valid IRI: {exc}") from None
