"""``/sparql``: the SPARQL 1.1 Protocol (query and, when enabled, update).

GET ``?query=``; POST form (``query=`` or ``update=``); POST ``application/sparql-query`` or
``application/sparql-update``; any other Content-Type is 415. GET without a query answers the
Service Description. Queries run in the worker pool (timeout, row cap). :mod:`server.guard`
refuses SERVICE (it would make this server fetch any URL a client names), LOAD from sources the
operator did not allow, and nesting beyond a limit, on the request's tokens and parse. On a remote store, updates are
forwarded to its update endpoint: its parse errors are 400 with its message, no answer is 503
(504 after the timeout), any other refusal 502.
"""
from __future__ import annotations

import hmac
import threading

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, render_template, request

from ingest import storelock
from ingest.remote_store import RemoteQuerySyntaxError, RemoteStoreError, RemoteUnreachable

from . import describe, guard, render
from .downloads import invalidate
from .errors import Problem
from .negotiate import negotiate
from .pool import QueryTimeout
from .store import get_service, iri, not_modified
from .worker import Job

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"

_update_lock = threading.Lock()


def _params():
    """The protocol parameters, from the URL and (for form posts) the body."""
    if request.method == "GET":
        return request.args
    mimetype = request.mimetype
    if mimetype == FORM:
        merged = request.args.copy()
        for key, values in request.form.lists():
            merged.setlist(key, values)
        return merged
    if mimetype in (QUERY_TYPE, UPDATE_TYPE):
        return request.args
    raise Problem(415, f"POST a query as {QUERY_TYPE}, an update as {UPDATE_TYPE}, "
                       f"or either as {FORM}; not {request.mimetype or 'no Content-Type'}")


def _body_text() -> str:
    data = request.get_data(cache=False)
    limit = current_app.config["MAX_QUERY_BYTES"]
    if request.content_length is None and len(data) >= limit:
        # a streamed (chunked) body is cut at the limit by werkzeug, silently: refuse it rather
        # than run the first MAX_QUERY_BYTES of someone's query
        raise Problem(413, f"the request body reaches this server's limit of {limit} bytes")
    try:
        return data.decode(request.mimetype_params.get("charset", "utf-8"))
    except (UnicodeDecodeError, LookupError):
        raise Problem(400, "the request body is not text in the declared charset") from None


def _check_size(text: str) -> None:
    limit = current_app.config["MAX_QUERY_BYTES"]
    if len(text.encode("utf-8")) > limit:
        raise Problem(413, f"the query is longer than this server's limit of {limit} bytes")


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    params = _params()
    if request.method == "POST" and request.mimetype == QUERY_TYPE:
        query, update = _body_text(), None
    elif request.method == "POST" and request.mimetype == UPDATE_TYPE:
        query, update = None, _body_text()
    else:
        query, update = params.get("query"), params.get("update")
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
    default_graph = _graphs(params, "default-graph-uri")
    named_graphs = _graphs(params, "named-graph-uri")
    if named_graphs is not None and default_graph is None:
        default_graph = ()          # protocol dataset: only the named graphs given
    fmt = params.get("format") or params.get("output")
    job = Job(query, accept=request.headers.get("Accept"), format=fmt, default_graph=default_graph,
              named_graphs=named_graphs, limit=current_app.config["RESULT_LIMIT"])
    service = get_service()
    tag = service.etag(job)
    unchanged = not_modified(tag)
    if unchanged is not None:
        unchanged.vary.add("Accept")
        return unchanged
    outcome = service.run(job)
    if outcome.status == "syntax":
        raise Problem(400, f"query parse error: {outcome.message}")
    if outcome.status == "not-acceptable":
        raise Problem(406, outcome.message)
    if outcome.status != "ok":
        current_app.logger.error("query failed: %s", outcome.message)
        raise Problem(500, f"the query engine failed: {outcome.message}")
    response = Response(outcome.body, content_type=outcome.media_type)
    response.vary.add("Accept")
    if tag is not None:
        response.set_etag(tag)
    if outcome.truncated:
        response.headers["X-SPARQL-MaxRows"] = str(current_app.config["RESULT_LIMIT"])
    return response


def run_update(update: str, params) -> Response:
    """Apply an update when updates are enabled and the bearer token matches: to the embedded
    store under its write lock, or forwarded to a remote store's update endpoint."""
    g.is_update = True
    config = current_app.config
    if not config["ALLOW_UPDATE"]:
        raise Problem(403, "this endpoint is read-only: SPARQL UPDATE and LOAD are refused")
    auth = request.headers.get("Authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(),
                                                             config["UPDATE_TOKEN"].encode()):
        raise Problem(401, "updates need the server's bearer token",
                      {"WWW-Authenticate": 'Bearer realm="ofsted-kg"'})
    _check_size(update)
    _refuse_unless(guard.check_update(update, config["MAX_QUERY_NESTING"],
                                      config["LOAD_ALLOWED_PREFIXES"]))
    if get_service().remote:
        return _remote_update(update)
    with _update_lock:
        try:
            store = ox.Store(config["STORE"])
        except OSError as exc:
            raise Problem(503, f"the store is busy (another writer holds it): {exc}",
                          {"Retry-After": "5"}) from None
        try:
            with storelock.write_lock(config["STORE"]):     # query workers wait, then reopen
                store.update(update)
                store.flush()
                storelock.bump_generation(config["STORE"])
        except SyntaxError as exc:
            raise Problem(400, f"update parse error: {exc}") from None
        finally:
            del store
    return Response(status=204)


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
    formats = {"turtle": render.RDF_FORMATS["turtle"].media_types, "html": render.HTML.media_types,
               **{k: f.media_types for k, f in render.RDF_FORMATS.items() if k != "turtle"}}
    key = negotiate(request.headers.get("Accept"), formats, "turtle")
    if key == "html":
        return Response(render_template("sparql.html"), content_type="text/html; charset=utf-8")
    triples = describe.service_description(describe.urls(), current_app.config["ALLOW_UPDATE"])
    body, _ = render.write_rdf(triples, key)
    response = Response(body, content_type=render.RDF_FORMATS[key].content_type)
    response.vary.add("Accept")
    return response
