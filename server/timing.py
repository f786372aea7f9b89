"""``Server-Timing`` (W3C Server Timing): how long a response took, and how much of that was
the SPARQL engine.

Every response says ``app;dur=<ms>`` (from the request's arrival in the app to its response,
without the body of a streamed one); one that ran queries adds ``engine;dur=<ms>`` (their
evaluation and serialization in the query workers, or on the remote store, round trip
included) and how many ran, and how many of them ran in the web worker itself (:mod:`core.local`).
A response from a cache runs none and says so by its absence; so does a query stopped at its
deadline or refused (503), whose engine time no worker reported. A
browser's developer tools show both; clients read the header (``bench/query.py`` does, to
tell the engine's part of a request from the path's).
"""
from __future__ import annotations

import time

from flask import Flask, g, has_request_context


def init_app(app: Flask) -> None:
    """Time every request of ``app`` (register before other ``after_request`` functions, which
    Flask calls in reverse order, so that theirs is counted too)."""
    app.before_request(_start)
    app.after_request(_header)


def note_engine(ms: float, here: bool = False) -> None:
    """Count one query the engine ran for this request, taking ``ms`` milliseconds (``here``:
    in this process, :mod:`core.local`, rather than a query worker)."""
    if has_request_context():
        g.engine_ms = g.get("engine_ms", 0.0) + ms
        g.engine_queries = g.get("engine_queries", 0) + 1
        g.engine_here = g.get("engine_here", 0) + here


def _start() -> None:
    g.timing_started = time.perf_counter()


def _header(response):
    started = g.get("timing_started")
    if started is None:
        return response
    parts = []
    if g.get("engine_queries"):
        n, here = g.engine_queries, g.get("engine_here", 0)
        where = f", {here} in the web worker" if here else ""
        parts.append(f'engine;dur={g.engine_ms:.2f};desc="{n} SPARQL quer{"y" if n == 1 else "ies"}{where}"')
    parts.append(f"app;dur={(time.perf_counter() - started) * 1000:.2f}")
    response.headers["Server-Timing"] = ", ".join(parts)
    return response
