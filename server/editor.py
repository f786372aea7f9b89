"""``/editor``: the SPARQL editor (YASGUI, served from this server) pointed at ``/sparql``, with the
canned queries as example tabs and the project's prefixes.

YASGUI is installed by ``server/install_assets.sh`` into ``static/vendor/yasgui/``; without it the
page is a plain form that posts to ``/sparql``. Assets go out gzipped when the browser accepts it.
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, redirect, render_template, request, send_from_directory, url_for

from core.canned import ParameterError, get, load_all

from core.formats import PREFIXES

from .errors import Problem
from .sparqltext import with_values
from .store import get_service
from .tablelinks import with_query

bp = Blueprint("editor", __name__)

VENDOR = Path(__file__).parent / "static" / "vendor" / "yasgui"
ASSETS = {"yasgui.min.js": "text/javascript", "yasgui.min.css": "text/css"}
# YASGUI and CodeMirror write <style> elements and style attributes; scripts stay 'self' only.
EDITOR_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
              "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
DEFAULT_QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10"


def installed() -> bool:
    return all((VENDOR / name).is_file() for name in ASSETS)


@bp.route("/editor")
def index():
    """The editor on ``?canned=<name>`` (with that query's parameters bound as in its page),
    on ``?query=<SPARQL>`` (YASGUI's share links), or on an example query.

    ``?query=<name of a canned query>`` (older links) redirects to ``?canned=<name>``: YASGUI
    reads ``query`` from the URL itself and would take the name for SPARQL.
    """
    if get(request.args.get("query", "")) is not None:
        args = request.args.copy()
        args["canned"] = args.pop("query")
        return redirect(with_query(url_for("editor.index"), args))
    chosen = get(request.args.get("canned", ""))
    text, problem = request.args.get("query") or request.args.get("sparql") or DEFAULT_QUERY, None
    if chosen is not None:
        text, problem = bound_text(chosen, request.args)
    flat = get_service().flat()         # the texts the canned pages run on this store
    examples = [{"name": q.name, "title": q.title, "query": q.text_for(flat)}
                for q in sorted(load_all().values(), key=lambda q: (q.theme, q.title))]
    config = {"endpoint": url_for("sparql.endpoint"), "prefixes": PREFIXES, "examples": examples,
              "first": {"name": chosen.name if chosen else "", "title": chosen.title if chosen else "",
                        "query": text},
              "run": bool(request.args.get("query")) or request.args.get("run") == "1"}
    back = None
    if chosen is not None:
        back = url_for("queries.page", name=chosen.name,
                       **{p.name: request.args[p.name] for p in chosen.params if request.args.get(p.name)})
    body = render_template("editor.html", yasgui=installed(), config=config, text=text, chosen=chosen,
                           problem=problem, back=back)
    response = Response(body, content_type="text/html; charset=utf-8", status=400 if problem else 200)
    response.headers["Content-Security-Policy"] = EDITOR_CSP
    return response


def bound_text(query, args) -> tuple[str, str | None]:
    """A canned query's text with the request's parameter values bound (defaults fill gaps).

    :return: the text and, for a value that does not fit its parameter, the message (the text
        is then the query with its defaults only).
    """
    values = {p.name: args.get(p.name, "").strip() for p in query.params}
    sparql = get_service().canned_text(query)      # the text the canned page runs on this store
    try:
        base = current_app.config["BASE_IRI"]
        return with_values(sparql, query.bindings(values, base_iri=base)), None
    except ParameterError as exc:
        try:
            text = with_values(sparql, query.bindings({}, base_iri=base))
        except ParameterError:
            text = sparql
        return text, f"{exc.param}: {exc.message}"


@bp.route("/editor/assets/<name>")
def asset(name: str):
    """A YASGUI file, gzipped when the browser accepts gzip (the script is 1 MB, 280 kB zipped)."""
    if name not in ASSETS or not installed():
        raise Problem(404, f"no editor asset {name!r}; run server/install_assets.sh")
    gz = VENDOR / (name + ".gz")
    if gz.is_file() and "gzip" in request.headers.get("Accept-Encoding", ""):
        response = send_from_directory(VENDOR, name + ".gz", mimetype=ASSETS[name], max_age=86400)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = send_from_directory(VENDOR, name, mimetype=ASSETS[name], max_age=86400)
    response.vary.add("Accept-Encoding")
    return response
