"""What the web process keeps while the store is unchanged: decoded rows and written bodies, by
store stamp (:class:`server.tables.RowsCache`), and the ETags of pages built from the store.

A page (a canned query's, an entity's) depends on the store's state, the request's path and
arguments, the host it was asked on (some links are absolute) and this code; its ETag names
all of them, so a client holding it gets 304 and a body kept by it is the same bytes.
"""
from __future__ import annotations

from importlib.metadata import version
from typing import Callable

from flask import current_app, request

from . import tables
from .store import get_service

VERSION = version("ofsted-kg")


def app_cache(name: str, share: int = 4) -> tables.RowsCache:
    """The app's cache ``name`` (decoded rows, or written bodies) keyed by store stamp, a
    ``share``-th of the result cache's size; made on first use."""
    found = current_app.extensions.get(name)
    if found is None:
        found = current_app.extensions.setdefault(
            name, tables.RowsCache(get_service().cache.max_bytes // share))
    return found


def page_parts(absolute_links: bool = True) -> tuple[str, ...]:
    """What a page depends on besides the store and its own key: the request's arguments, its
    host (only for a page with absolute links: ``absolute_links``) and URL prefix, this code's
    version. A page without absolute links has one ETag whatever host it is asked on, so an
    answer kept for one host (:mod:`server.answerfiles`, :mod:`server.keepanswers`) serves them all."""
    host = request.host_url if absolute_links else ""
    return (repr(sorted(request.args.items(multi=True))), host, request.script_root, VERSION)


def kept(tag: str | None, build: Callable[[], object], size: Callable[[object], int] = len):
    """The body kept by ``tag`` while the store is unchanged, else ``build()`` kept by it (no
    ``tag``, as for a remote store: built every time). ``size`` gives a body's bytes."""
    if tag is None:
        return build()
    bodies, stamp = app_cache("ofsted_kg_bodies"), get_service().stamp()
    body = bodies.get(stamp, (tag,))
    if body is None:
        body = build()
        bodies.put(stamp, (tag,), body, size(body))
    return body
