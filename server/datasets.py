"""``/.well-known/void`` and ``/catalog``: the dataset described in VoID and DCAT, by Accept or by
suffix (``/catalog.ttl``, ``.jsonld``, ``.rdf``, ``.nt``, ``.trig``: what a person's link names,
since a browser's Accept takes any type), each answer naming its twins in ``Link``."""
from __future__ import annotations

import threading

from flask import Blueprint, Response, current_app, request, url_for

from core import formats
from core.negotiate import negotiate

from . import describe, descriptionpage
from .downloads import current_counts, dump_sizes
from .errors import Problem
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


#: what these views answer with: RDF (Turtle first: what ``*/*`` gets), and a page for people
SERVED = {**formats.RDF_FORMATS, "html": formats.HTML}


def _described(triples, suffix: str | None, first: str, heading: str) -> Response:
    """``triples`` (describing ``first``) in the format ``suffix`` names (404 for one not
    served), else by Accept (Turtle without one, or for ``*/*``; a browser, which asks for HTML
    first, gets the page :mod:`server.descriptionpage` writes); ``Link`` names the twins (this
    view with each suffix)."""
    if suffix is None:
        key = negotiate(request.headers.get("Accept"), formats.media_types(SERVED), "turtle")
    else:
        key = formats.by_suffix(SERVED, suffix)
        if key is None:
            raise Problem(404, f"nothing is served with the suffix .{suffix} "
                               f"(served: {', '.join('.' + f.suffix for f in SERVED.values())})")
    twins = [{"href": url_for(request.endpoint, suffix=f.suffix), "type": f.media_types[0], "title": f.key}
             for f in SERVED.values()]
    if key == "html":
        rdf_twins = [t for t in twins if t["type"] != "text/html"]
        body = descriptionpage.render(list(triples), first, heading, rdf_twins)
        response = Response(body, content_type="text/html; charset=utf-8")
    else:
        body, _ = formats.write_rdf(triples, key)
        response = Response(body, content_type=formats.RDF_FORMATS[key].content_type)
    response.headers["Link"] = ", ".join(f'<{t["href"]}>; rel="alternate"; type="{t["type"]}"' for t in twins)
    if suffix is None:
        response.vary.add("Accept")
    return response


@bp.route("/.well-known/void")
@bp.route("/.well-known/void.<suffix>")
def void(suffix: str | None = None):
    u = describe.urls()
    return _described(_void_triples(u), suffix, describe.dataset_iri(u).value,
                      "The dataset, described in VoID")


@bp.route("/catalog")
@bp.route("/catalog.<suffix>")
def catalog(suffix: str | None = None):
    u = describe.urls()
    return _described(describe.catalog(u, _void_triples(u)), suffix, u["catalog"],
                      "The data catalogue (DCAT-AP)")
