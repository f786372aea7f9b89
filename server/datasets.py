"""``/.well-known/void`` and ``/catalog``: the dataset described in VoID and DCAT, by Accept."""
from __future__ import annotations

import threading

from flask import Blueprint, Response, current_app, request

from core import formats
from core.negotiate import negotiate

from . import describe
from .downloads import current_counts, dump_sizes
from .store import get_service

bp = Blueprint("datasets", __name__)
_COUNTING = threading.Lock()


def _store_counts() -> tuple[dict[str, int], int, int]:
    """Triple counts: those written with the dumps when they are current (the server writes them
    at start-up), else computed once per state of the store (they scan everything: 1.4 s
    nationally), also while the dumps are being written, so that a portal asking meanwhile
    does not scan the store once per request. Kept per app: two stores can share a stamp (a
    copy keeps the generation and the mtime)."""
    kept: dict[str, tuple] = current_app.extensions.setdefault("ofsted_kg_void_counts", {})
    stamp = get_service().stamp()
    if stamp in kept:
        return kept[stamp]
    with _COUNTING:                    # concurrent requests of this worker count once
        if stamp not in kept:
            counts = current_counts() or _count_store()
            kept.clear()
            kept[stamp] = counts
        return kept[stamp]


def _count_store() -> tuple[dict[str, int], int, int]:
    service = get_service()
    per_graph = {r["g"]["value"]: int(r["triples"]["value"]) for r in service.select("graph-counts")}
    total = service.select("union-count")[0]
    return per_graph, int(total["triples"]["value"]), int(total["subjects"]["value"])


def _void_triples(u):
    per_graph, triples, subjects = _store_counts()
    modified = get_service().modified()
    return describe.void(u, current_app.config["BASE_IRI"], per_graph, triples, subjects, modified,
                         current_app.config["PUBLISHER"], dump_sizes())


def _rdf_response(triples) -> Response:
    key = negotiate(request.headers.get("Accept"), formats.media_types(formats.RDF_FORMATS), "turtle")
    body, _ = formats.write_rdf(triples, key)
    response = Response(body, content_type=formats.RDF_FORMATS[key].content_type)
    response.vary.add("Accept")
    return response


@bp.route("/.well-known/void")
def void():
    return _rdf_response(_void_triples(describe.urls()))


@bp.route("/catalog")
def catalog():
    u = describe.urls()
    return _rdf_response(describe.catalog(u, _void_triples(u)))
