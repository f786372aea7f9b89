"""``/sparql`` (and ``/sparql/``): the SPARQL 1.1 Protocol (query and, when enabled, update).

GET ``?query=``; POST form (``query=`` or ``update=``); POST ``application/sparql-query`` or
``application/sparql-update``; any other Content-Type is 415, text that is not UTF-8 is refused
and a second ``query``/``update`` is a 400 (:mod:`server.protocol`). GET without a query answers
the Service Description; HEAD answers as GET. The dataset of a request is the one it names
(:mod:`server.dataset`): the protocol's graphs, else the query's ``FROM``, else the union of
every graph; an update's ``WHERE`` sees that union too, or its ``using-graph-uri`` /
``using-named-graph-uri``. Relative IRIs resolve against the endpoint's IRI. Queries run in the
worker pool (timeout, row cap). :mod:`server.guard` refuses SERVICE (it would make this server
fetch any URL a client names), LOAD from sources the operator did not allow, and nesting beyond
a limit, on the request's tokens and parse. On a remote store, updates are forwarded to its
update endpoint: its parse errors are 400 with its message, no answer is 503 (504 after the
timeout), any other refusal 502.
"""
from __future__ import annotations

import contextlib
import hmac
import threading

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, render_template, request

from core import formats, lock
from core.flat import outdated_update
from core.negotiate import negotiate
from core.pool import QueryTimeout
from core.remote import RemoteQuerySyntaxError, RemoteStoreError, RemoteUnreachable
from core.worker import Job

from . import describe, guard, protocol
from .answerfiles import file_response, keep_answer, open_kept
from .dataset import DatasetConflict, UpdatePlan
from .downloads import invalidate
from .errors import Problem
from .keeplater import keep_later
from .store import get_service, iri, revalidate

bp = Blueprint("sparql", __name__)

_update_lock = threading.Lock()


@bp.route("/sparql/", methods=["GET", "POST"])
@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    """The SPARQL 1.1 Protocol endpoint (HEAD answers as GET, without a body)."""
    params = protocol.params()
    if request.method == "POST" and request.mimetype == protocol.QUERY_TYPE:
        query, update = protocol.body_text(), None
        _not_in_url(params)
    elif request.method == "POST" and request.mimetype == protocol.UPDATE_TYPE:
        query, update = None, protocol.body_text()
        _not_in_url(params)
    else:
        query, update = protocol.single(params, "query"), protocol.single(params, "update")
    if query is not None and update is not None:
        raise Problem(400, "send either a query or an update, not both")
    if update is not None:
        if request.method != "POST":
            raise Problem(400, "updates must be POSTed (SPARQL 1.1 Protocol, section 2.2)")
        return run_update(update, params)
    if query is None:
        if request.method == "POST":
            raise Problem(400, "POST a 'query' or an 'update'; GET without a query describes the service")
        return service_description()
    return run_query(query, params)


def _not_in_url(params) -> None:
    """A direct POST carries its operation in the body: none may come in the URL as well."""
    for name in ("query", "update"):
        if name in params:
            raise Problem(400, f"the operation is in the body: '{name}' in the URL is not allowed")


def endpoint_iri() -> str:
    """This endpoint's IRI, the base that relative IRIs in queries and updates resolve against."""
    return describe.urls()["sparql"]


def _check_size(text: str) -> None:
    limit = current_app.config["MAX_QUERY_BYTES"]
    if len(text.encode("utf-8")) > limit:
        raise Problem(413, f"the query is longer than this server's limit of {limit} bytes")


def _graphs(params, name: str) -> tuple[str, ...] | None:
    values = params.getlist(name)
    return tuple(iri(v).value for v in values) if values else None


def _refuse_unless(verdict: guard.Verdict) -> None:
    """Answer the client with the guard's refusal, if it refused."""
    if not verdict.allowed:
        raise Problem(verdict.status, verdict.message)


def run_query(query: str, params) -> Response:
    """Evaluate a query in the pool and answer with the negotiated format."""
    _check_size(query)
    _refuse_unless(guard.check_query(query, current_app.config["MAX_QUERY_NESTING"]))
    fmt = params.get("format") or params.get("output")
    job = Job(query, accept=request.headers.get("Accept"), format=fmt,
              default_graph=_graphs(params, "default-graph-uri"),
              named_graphs=_graphs(params, "named-graph-uri"),
              limit=current_app.config["RESULT_LIMIT"], base_iri=endpoint_iri())
    stamp = get_service().stamp()
    tag, unchanged = revalidate(job, stamp)
    if unchanged is not None:
        return unchanged
    kept = open_kept(stamp, tag)          # a big answer, sent before
    if kept is not None:
        return _answered(file_response(kept), tag, kept.truncated)
    outcome = get_service().run(job)
    if outcome.status == "syntax":
        raise Problem(400, f"query parse error: {outcome.message}")
    if outcome.status == "not-acceptable":
        raise Problem(406, outcome.message)
    if outcome.status != "ok":
        current_app.logger.error("query failed: %s", outcome.message)
        raise Problem(500, f"the query engine failed: {outcome.message}")
    keep_answer(stamp, tag, outcome.body, outcome.media_type, outcome.truncated)
    return _answered(Response(outcome.body, content_type=outcome.media_type), tag, outcome.truncated)


def _answered(response: Response, tag: str | None, truncated: bool) -> Response:
    """A query's answer with its headers: varying on Accept, its ETag, and whether rows were cut."""
    response.vary.add("Accept")
    if tag is not None:
        response.set_etag(tag)
    if truncated:
        protocol.say_cut(response)
    return response


def run_update(update: str, params) -> Response:
    """Apply an update when updates are enabled and the bearer token matches: to the embedded
    store under its write lock, or forwarded to a remote store's update endpoint."""
    authorise_write()
    config = current_app.config
    _check_size(update)
    _refuse_unless(guard.check_update(update, config["MAX_QUERY_NESTING"],
                                      config["LOAD_ALLOWED_PREFIXES"]))
    plan = UpdatePlan.of(update)
    default, named = _graphs(params, "using-graph-uri"), _graphs(params, "using-named-graph-uri")
    explicit = default is not None or named is not None
    try:
        text = plan.with_protocol_dataset(default or (), named or ()) if explicit else None
    except DatasetConflict as exc:
        raise Problem(400, str(exc)) from None
    if get_service().remote:
        return _remote_update(text or update)
    error = _apply(plan, text)
    if error is not None:
        raise Problem(400, error)
    return Response(status=204)


def _apply(plan: UpdatePlan, text: str | None) -> str | None:
    """Run the update on the embedded store; why it failed, if it did (nothing is applied then).

    The open store lives only in this frame, which no exception leaves behind: the rdflib
    parse in :func:`server.guard.check_update` keeps exceptions (pyparsing's cache) whose
    tracebacks hold their callers' frames, and a store left in one stays locked for writing.
    """
    with writable_store() as store:
        if text is None:             # the union: every graph there is when the update runs
            text = plan.with_union(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
        try:
            store.update(text, base_iri=endpoint_iri())
            error = None
        except SyntaxError as exc:
            error = f"update parse error: {exc}"
        except RuntimeError as exc:          # evaluation: a graph to CREATE exists, and the like
            error = f"the update failed: {exc}"
        del store
    return error


def authorise_write() -> None:
    """Let a write through only when updates are enabled and the bearer token matches.

    :raise Problem: 403 on a read-only server, 401 without the right token.
    """
    g.is_update = True
    config = current_app.config
    if not config["ALLOW_UPDATE"]:
        raise Problem(403, "this endpoint is read-only: SPARQL UPDATE, LOAD and Graph Store writes "
                           "are refused")
    auth = request.headers.get("Authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(),
                                                             config["UPDATE_TOKEN"].encode()):
        raise Problem(401, "updates need the server's bearer token",
                      {"WWW-Authenticate": 'Bearer realm="ofsted-kg"'})


@contextlib.contextmanager
def writable_store():
    """The embedded store opened for writing, one writer at a time in this process, under the
    store's write lock (query workers wait, then reopen); flushed and its generation bumped
    after the block, unless the block raised; the derived graphs are then marked as built from
    no state (:func:`core.flat.outdated_update`), so the canned queries read the documents until
    they are rebuilt. Then a process of their own rebuilds them and keeps the new state's whole
    answers (:func:`server.keeplater.keep_later`), as ``ofsted-kg ingest`` does.

    :raise Problem: 503 when another process holds the store open for writing for longer than
        ``UPDATE_WAIT`` seconds.
    """
    path = current_app.config["STORE"]
    with _update_lock:
        try:
            store = lock.when_free(lambda: ox.Store(path), current_app.config["UPDATE_WAIT"])
        except OSError as exc:
            raise Problem(503, f"the store is busy (another writer holds it): {exc}",
                          {"Retry-After": "5"}) from None
        try:
            with lock.write_lock(path):
                yield store
                store.update(outdated_update())     # rebuilt by the keeper, or the next ingest
                store.flush()
                lock.bump_generation(path)
        finally:
            del store
    keep_later(current_app.config)


def _remote_update(update: str) -> Response:
    """Forward an update to the remote store's update endpoint; map its failures to HTTP."""
    try:
        get_service().pool.update(update)
    except RemoteQuerySyntaxError as exc:
        raise Problem(400, f"update parse error: {exc}") from None
    except QueryTimeout as exc:
        _remote_changed()             # it may still be applied
        raise Problem(504, f"the remote store did not answer the update in time ({exc}); "
                           f"it may still be applied") from None
    except RemoteUnreachable as exc:
        _remote_changed()             # a connection lost after sending may still have applied it
        raise Problem(503, f"the remote store cannot be reached: {exc}", {"Retry-After": "30"}) from None
    except RemoteStoreError as exc:
        _remote_changed()
        raise Problem(502, f"the remote store refused the update: {exc}") from None
    _remote_changed()
    return Response(status=204)


def _remote_changed() -> None:
    """After an update: counts and dumps of the remote store are out of date."""
    get_service().note_update()
    invalidate()


def service_description() -> Response:
    """The SPARQL Service Description, as RDF (or an HTML page for browsers)."""
    offered = {"turtle": formats.RDF_FORMATS["turtle"].media_types, "html": formats.HTML.media_types,
               **{k: f.media_types for k, f in formats.RDF_FORMATS.items() if k != "turtle"}}
    key = negotiate(request.headers.get("Accept"), offered, "turtle")
    if key == "html":
        return Response(render_template("sparql.html"), content_type="text/html; charset=utf-8")
    triples = describe.service_description(describe.urls(), current_app.config["ALLOW_UPDATE"],
                                           remote=get_service().remote)
    body, _ = formats.write_rdf(triples, key)
    response = Response(body, content_type=formats.RDF_FORMATS[key].content_type)
    response.vary.add("Accept")
    return response
