"""``/rdf-graph-store``: the SPARQL 1.1 Graph Store HTTP Protocol (indirect graph identification).

Reading is open: ``GET``/``HEAD`` with ``?graph=IRI`` answer that named graph (404 when the
store has no such graph) and ``?default`` the default graph, which here is the union of every
graph (what a query sees), in any RDF format the endpoint speaks, by Accept (406 when none fits)
or ``?format=``. Reads run in the query pool like every query (timeout, result cache, ETag),
except the default graph while the /download/ dumps are of the store as it is: they hold the
same triples, and are sent from there in every format (:mod:`server.graphdump`).

Writing takes the update bearer token on a server started with updates allowed, and runs under
the store's write lock as SPARQL updates do (:func:`server.sparql.writable_store`): ``PUT``
replaces a named graph, ``POST`` adds to it (201 when either creates it, else 204), ``DELETE``
drops it (404 when absent). The body is parsed with its Content-Type (415 for one that is not
an RDF format served here, 400 for a body that does not parse or names graphs of its own).
The union default graph has no triples of its own to replace, so writes to ``?default`` are 405.
A ``GET`` that names no graph is 400, unless it prefers HTML (a browser following the endpoint's
link from a description page): then a page says how to name one, with a form.
"""
from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request
from flask.views import MethodView

from core import formats, vocab
from core.negotiate import NotAcceptable, negotiate
from core.worker import Job

from .errors import Problem
from .protocol import single, url_params
from .sparql import authorise_write, writable_store
from .graphdump import from_dump
from .store import get_service, internal_query, iri, revalidate

READ_ONLY = {"Allow": "GET, HEAD"}


def _target() -> ox.NamedNode | None:
    """The graph the request names: a NamedNode for ``?graph=``, None for ``?default``.

    :raise Problem: 400 unless exactly one of ``graph`` and ``default`` is given.
    """
    params = url_params()
    graph = single(params, "graph")
    if (graph is None) == ("default" not in params):
        raise Problem(400, "name one graph: ?graph=IRI, or ?default for the default graph "
                           "(SPARQL 1.1 Graph Store HTTP Protocol, section 4.2)")
    return iri(graph) if graph is not None else None


def _names_no_graph() -> bool:
    params = url_params()
    return single(params, "graph") is None and "default" not in params


def _prefers_html() -> bool:
    """Whether the request's Accept prefers a web page to RDF (a browser's does; ``*/*`` not)."""
    offered = {"rdf": formats.RDF_FORMATS["turtle"].media_types, "html": formats.HTML.media_types}
    try:
        return negotiate(request.headers.get("Accept"), offered, "rdf") == "html"
    except NotAcceptable:
        return False


def _guide() -> Response:
    """The endpoint's page for people: how to name a graph, a form to get one."""
    page = render_template("graphstore.html", here=request.path, ontology=vocab.ONTOLOGY_IRI,
                           formats=list(formats.RDF_FORMATS),
                           writable=current_app.config["ALLOW_UPDATE"] and not get_service().remote)
    response = Response(page, content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


def _run(job: Job):
    outcome = get_service().run(job)
    if outcome.status == "not-acceptable":
        raise Problem(406, outcome.message)
    if outcome.status != "ok":
        current_app.logger.error("graph store read failed: %s", outcome.message)
        raise Problem(500, f"the query engine failed: {outcome.message}")
    return outcome


def _exists(graph: ox.NamedNode) -> bool:
    job = Job(internal_query("graph-exists"), format="json", substitutions={"g": graph}, limit=None)
    return json.loads(_run(job).body)["boolean"]


def _body_quads(graph: ox.NamedNode) -> list[ox.Quad]:
    """The request body's triples, put in ``graph``.

    :raise Problem: 415 for a media type that is no RDF format, 400 for a body that does not
        parse or that holds named graphs, 413 beyond ``MAX_GRAPH_BYTES``.
    """
    key = next((k for k, f in formats.RDF_FORMATS.items() if request.mimetype in f.media_types), None)
    if key is None:
        offered = ", ".join(f.media_types[0] for f in formats.RDF_FORMATS.values())
        raise Problem(415, f"send the graph as one of {offered}; not {request.mimetype or 'no Content-Type'}")
    request.max_content_length = current_app.config["MAX_GRAPH_BYTES"]
    body = request.get_data(cache=False)
    try:
        parsed = list(ox.parse(body, format=formats.RDF_FORMATS[key].ox_format, base_iri=graph.value))
    except SyntaxError as exc:
        raise Problem(400, f"the body is not valid {formats.RDF_FORMATS[key].media_types[0]}: {exc}") from None
    quads = []
    for item in parsed:
        if not isinstance(item.graph_name, ox.DefaultGraph):
            raise Problem(400, "a graph's body holds triples; it names a graph of its own "
                               f"({item.graph_name}): send it to that graph")
        quads.append(ox.Quad(item.subject, item.predicate, item.object, graph))
    return quads


def _write(graph: ox.NamedNode, quads: list[ox.Quad] | None, replace: bool) -> bool:
    """Replace (``replace``), add to, or (``quads`` None) drop a named graph, under the write
    lock; whether the graph existed before. The open store lives only in this frame."""
    with writable_store() as store:
        existed = store.contains_named_graph(graph)
        if quads is None or replace:
            if existed:
                store.remove_graph(graph)
        if quads is not None:
            store.add_graph(graph)           # an empty PUT still leaves the graph, empty
            store.extend(quads)
        del store
    return existed


class GraphStore(MethodView):
    """One Graph Store endpoint; HEAD answers as GET without a body (Flask)."""

    def get(self):
        if _names_no_graph() and _prefers_html():       # a person who opened the endpoint's link
            return _guide()
        graph = _target()
        if graph is not None and not _exists(graph):
            raise Problem(404, f"this store has no graph {graph}")
        name = "graph-triples" if graph is not None else "default-graph-triples"
        job = Job(internal_query(name), accept=request.headers.get("Accept"),
                  format=url_params().get("format"), substitutions={"g": graph} if graph else {},
                  limit=None)
        dumped = from_dump(job) if graph is None else None
        if dumped is not None:
            return dumped
        tag, unchanged = revalidate(job)
        if unchanged is not None:
            return unchanged
        outcome = _run(job)
        response = Response(outcome.body, content_type=outcome.media_type)
        response.vary.add("Accept")
        if tag is not None:
            response.set_etag(tag)
        return response

    def put(self):
        return self._change(replace=True)

    def post(self):
        return self._change(replace=False)

    def delete(self):
        graph = self._writable_target()
        if not _write(graph, None, replace=True):
            raise Problem(404, f"this store has no graph {graph}")
        return Response(status=204)

    def _change(self, replace: bool) -> Response:
        graph = self._writable_target()
        existed = _write(graph, _body_quads(graph), replace)
        return Response(status=204 if existed else 201,
                        headers={} if existed else {"Location": request.url})

    @staticmethod
    def _writable_target() -> ox.NamedNode:
        authorise_write()
        graph = _target()
        if graph is None:
            raise Problem(405, "the default graph is the union of every graph, with no triples of "
                               "its own to change: write to a named graph (?graph=IRI)", READ_ONLY)
        if get_service().remote:
            raise Problem(501, "Graph Store writes through this server reach only an embedded "
                               "store; send them to the remote store's own Graph Store endpoint")
        return graph


bp = Blueprint("graphstore", __name__)
bp.add_url_rule("/rdf-graph-store", view_func=GraphStore.as_view("graph_store"))
