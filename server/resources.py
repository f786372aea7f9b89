"""Dereferenceable IRIs: ``/id/...`` (things) 303 to ``/doc/...`` (their pages); the ontology at
``/def`` and the shapes at ``/shapes``. Every page has RDF twins by Accept or suffix.

The data's base IRI (``BASE_IRI``) maps to this server: ``{BASE_IRI}id/x`` is served at ``/id/x``.
"""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from core import formats
from core.negotiate import negotiate
from core.vocab import ONTOLOGY_IRI, SHAPES_IRI

from . import authority, entitylists, inspection, judgement, pagedata, plan, recommendation
from . import document as documents
from .errors import Problem
from .kept import kept, page_parts
from .store import get_service, iri as iri_term, not_modified

bp = Blueprint("resources", __name__)

SHAPES_DIR = Path(__file__).resolve().parent.parent / "shapes"
NS = formats.PREFIXES
RDF_TYPE = NS["rdf"] + "type"
LABELS = (NS["rdfs"] + "label", NS["skos"] + "prefLabel", NS["dcterms"] + "title", NS["foaf"] + "name")
DEFINITIONS = (NS["skos"] + "definition", NS["rdfs"] + "comment", NS["dcterms"] + "description")
PROVENANCE = (NS["prov"], NS["dcterms"] + "source", NS["ofs"] + "source")
#: the pages for people by page kind (:func:`server.pagedata.page_kind`); others get entity.html
PAGES = {"inspection": inspection.inspection_page, "judgement": judgement.judgement_page,
         "recommendation": recommendation.recommendation_page, "plan": plan.plan_page,
         "document": documents.document_page}
PAGE_FORMATS = {"html": formats.HTML.media_types, **formats.media_types(formats.RDF_FORMATS)}


def split_suffix(key: str) -> tuple[str, str | None]:
    """``authority/E1.ttl`` -> (``authority/E1``, ``turtle``); no known suffix -> (key, None)."""
    stem, dot, suffix = key.rpartition(".")
    if dot and "/" not in suffix:
        if suffix == "html":
            return stem, "html"
        found = formats.by_suffix(formats.RDF_FORMATS, suffix)
        if found:
            return stem, found
    return key, None


def _suffix_format(suffix: str | None) -> str | None:
    """The format a route's ``.<suffix>`` names; 404 for a suffix we do not serve."""
    if suffix is None:
        return None
    found = split_suffix("x." + suffix)[1]
    if found is None:
        raise Problem(404, f"nothing is served with the suffix .{suffix}")
    return found


def choose(suffix_format: str | None) -> str:
    if suffix_format:
        return suffix_format
    return negotiate(request.headers.get("Accept"), PAGE_FORMATS, "html")


def _alternates(path_stem: str) -> list[dict]:
    return [{"href": f"{path_stem}.{f.suffix}", "type": f.media_types[0], "title": f.key}
            for f in formats.RDF_FORMATS.values() if f.key != "trig"]


def _with_links(response: Response, alternates: list[dict]) -> Response:
    response.headers["Link"] = ", ".join(f'<{a["href"]}>; rel="alternate"; type="{a["type"]}"'
                                         for a in alternates)
    response.vary.add("Accept")
    return response


def _rdf(body: bytes, media_type: str) -> Response:
    response = Response(body, content_type=media_type)
    response.vary.add("Accept")
    return response


def entity_view(iri: str, path_stem: str, fmt: str) -> Response:
    """An entity's page (HTML) or its RDF twin; 404 when the store does not mention it.

    Each carries an ETag (:mod:`server.kept`): If-None-Match gets 304, and a body asked again
    is the one kept since the store last changed.
    """
    tag = get_service().page_etag("entity", iri, fmt, *page_parts())
    unchanged = not_modified(tag)
    if unchanged is not None:
        unchanged.vary.add("Accept")
        return unchanged
    if fmt != "html":
        body, media_type = kept(tag, lambda: entity_rdf(iri, fmt), lambda b: len(b[0]))
        response = _rdf(body, media_type)
    else:
        alternates = _alternates(path_stem)
        body = kept(tag, lambda: entity_html(iri, alternates))
        response = _with_links(Response(body, content_type="text/html; charset=utf-8"), alternates)
    if tag is not None:
        response.set_etag(tag)
    return response


def entity_rdf(iri: str, fmt: str) -> tuple[bytes, str]:
    """The entity's RDF twin in format ``fmt`` and its media type; 404 when nothing is known."""
    service, this = get_service(), iri_term(iri)    # a path that makes no valid IRI (spaces, <, ") is a 400
    if not service.select("entity-out", this=this) and not service.select("entity-in", this=this):
        raise Problem(404, f"nothing is known about <{iri}>")
    outcome = service.graph("entity-describe", fmt, this=this)
    return outcome.body, outcome.media_type


def entity_html(iri: str, alternates: list[dict]) -> bytes:
    """The entity's page: an authority's, one of the kinds in ``PAGES``, else the generic one;
    404 when nothing is known."""
    service, this = get_service(), iri_term(iri)
    out_rows = service.select("entity-out", this=this)
    in_rows = service.select("entity-in", this=this)
    if not out_rows and not in_rows:
        raise Problem(404, f"nothing is known about <{iri}>")
    page = summarise(iri, out_rows, in_rows)
    stem = iri[len(current_app.config["BASE_IRI"] + "id/"):]
    kind = pagedata.page_kind(page["types"])
    if authority.is_authority(stem):
        body = authority.authority_page(iri, stem.partition("/")[2], page, alternates)
    elif kind in PAGES:
        body = PAGES[kind](iri, page, alternates)
    else:
        body = render_template(["entity.html"], page=page, alternates=alternates,
                               incoming=entitylists.incoming_table(page["incoming"]))
    return body.encode("utf-8") if isinstance(body, str) else body


def summarise(iri: str, out_rows: list[dict], in_rows: list[dict]) -> dict:
    """The page data: label, types, properties (grouped), incoming links, provenance."""
    props: dict[str, dict] = {}
    graphs: dict[str, bool] = {}
    for row in out_rows:
        p, o, g = row["p"]["value"], row["o"], row["g"]["value"]
        prop = props.setdefault(p, {"iri": p, "label": row.get("plabel", {}).get("value"), "values": {}})
        key = (o["type"], o["value"], o.get("datatype"), o.get("xml:lang"))
        value = prop["values"].setdefault(key, {"term": o, "label": row.get("olabel", {}).get("value"),
                                                "graphs": []})
        value["graphs"].append(g)
        if g != ONTOLOGY_IRI:
            graphs[g] = g.endswith("/inferred")
    base = current_app.config["BASE_IRI"] + "id/"
    for prop in props.values():
        for value in prop["values"].values():
            if value["label"] is None and value["term"]["type"] == "uri":
                value["label"] = short_name(value["term"]["value"], iri, base)
    label = next((v["term"]["value"] for p in LABELS if p in props
                  for v in props[p]["values"].values() if v["term"]["type"] == "literal"), None)
    definition = next((v["term"]["value"] for p in DEFINITIONS if p in props
                       for v in props[p]["values"].values()), None)
    types = list(props[RDF_TYPE]["values"].values()) if RDF_TYPE in props else []
    provenance = [props[p] for p in props if p.startswith(PROVENANCE)]
    properties = [dict(prop, values=sorted(prop["values"].values(), key=_natural))
                  for p, prop in props.items() if p != RDF_TYPE]
    properties.sort(key=lambda prop: (prop["label"] or prop["iri"]).lower())
    incoming = [{"s": r["s"], "p": r["p"]["value"], "plabel": r.get("plabel", {}).get("value"),
                 "slabel": r.get("slabel", {}).get("value")
                 or (short_name(r["s"]["value"], iri, base) if r["s"]["type"] == "uri" else None)}
                for r in in_rows]
    incoming.sort(key=lambda r: (r["plabel"] or r["p"], _natural({"label": r["slabel"], "term": r["s"]})))
    return {"iri": iri, "label": label or iri.rstrip("/").rsplit("/", 1)[-1], "definition": definition,
            "types": types, "properties": properties, "incoming": incoming,
            "sources": [{"iri": g, "inferred": inferred} for g, inferred in sorted(graphs.items())],
            "provenance": [dict(p, values=list(p["values"].values())) for p in provenance]}


def short_name(value: str, this: str, base: str) -> str | None:
    """A readable name for one of our IRIs without a label: its path below the entity, or
    below ``{BASE_IRI}id/`` (``finding/12``, ``authority/E06000023``); None for other IRIs."""
    if value.startswith(this + "/"):
        return value[len(this) + 1:]
    if value.startswith(base):
        return value[len(base):]
    return None


def _natural(value: dict) -> list:
    """Sort key that puts finding/9 before finding/10."""
    text = value.get("label") or value["term"]["value"]
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower())
            for part in re.split(r"(\d+)", text)]


@bp.route("/id/<path:key>")
def thing(key: str):
    """The thing itself: 303 See Other to the document about it."""
    return redirect(url_for("resources.document", key=key), code=303)


@bp.route("/doc/<path:key>")
def document(key: str):
    stem, suffix_format = split_suffix(key)
    iri = current_app.config["BASE_IRI"] + "id/" + stem
    return entity_view(iri, url_for("resources.document", key=stem), choose(suffix_format))


@bp.route("/def")
@bp.route("/def.<suffix>")
def ontology(suffix: str | None = None):
    fmt = choose(_suffix_format(suffix))
    service = get_service()
    if fmt != "html":
        outcome = service.graph("ontology-graph", fmt, **{"def": ox.NamedNode(ONTOLOGY_IRI)})
        return _rdf(outcome.body, outcome.media_type)
    rows = service.select("ontology-terms", **{"def": ox.NamedNode(ONTOLOGY_IRI)})
    kinds: dict[str, list] = {}
    for row in rows:
        kind = row["kind"]["value"].rsplit("#", 1)[-1]
        kinds.setdefault(kind, []).append({
            "iri": row["term"]["value"], "label": row.get("label", {}).get("value"),
            "definition": row.get("definition", {}).get("value"),
            "domains": row.get("domains", {}).get("value", "").split(),
            "ranges": row.get("ranges", {}).get("value", "").split()})
    alternates = _alternates(url_for("resources.ontology"))
    body = render_template("ontology.html", kinds=kinds, iri=ONTOLOGY_IRI, alternates=alternates)
    return _with_links(Response(body, content_type="text/html; charset=utf-8"), alternates)


@bp.route("/def/<path:key>")
def term(key: str):
    """A slash IRI under the ontology namespace (area and grade concepts)."""
    stem, suffix_format = split_suffix(key)
    return entity_view(f"{ONTOLOGY_IRI}/{stem}", url_for("resources.term", key=stem),
                       choose(suffix_format))


def shape_triples() -> list[ox.Triple]:
    triples = []
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        triples += [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE,
                                               base_iri=SHAPES_IRI)]
    return triples


@bp.route("/shapes")
@bp.route("/shapes.<suffix>")
def shapes(suffix: str | None = None):
    fmt = choose(_suffix_format(suffix))
    triples = shape_triples()
    if fmt != "html":
        body, _ = formats.write_rdf(triples, fmt)
        return _rdf(body, formats.RDF_FORMATS[fmt].content_type)
    alternates = _alternates(url_for("resources.shapes"))
    body = render_template("shapes.html", shapes=shapes_summary(triples), iri=SHAPES_IRI,
                           alternates=alternates)
    return _with_links(Response(body, content_type="text/html; charset=utf-8"), alternates)


def shapes_summary(triples: list[ox.Triple]) -> list[dict]:
    """Node shapes with their target class and property constraints, for the HTML page."""
    by_subject: dict = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)
    sh = NS["sh"]

    def values(node, local):
        return [t.object for t in by_subject.get(node, ()) if t.predicate.value == sh + local]

    out = []
    for node, ts in by_subject.items():
        if not any(t.predicate.value == RDF_TYPE and t.object.value == sh + "NodeShape" for t in ts):
            continue
        props = []
        for p in values(node, "property"):
            props.append({k: [v.value for v in values(p, k)] for k in
                          ("path", "datatype", "class", "minCount", "maxCount", "in", "message", "name")})
        out.append({"iri": node.value if isinstance(node, ox.NamedNode) else None,
                    "targets": [v.value for v in values(node, "targetClass")], "properties": props})
    return out
