"""The ofsted-kg web server: SPARQL 1.1 endpoint, linked-data pages, dumps and descriptions.

:func:`create_app` is the application factory (Flask's pattern); :func:`server.serve.serve`
runs it on gunicorn for ``ofsted-kg serve``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from core import vocab
from core.vocab import ONTOLOGY_IRI, SHAPES_IRI

from . import config as settings
from .markup import PLAIN_KEY

if TYPE_CHECKING:                  # flask is imported lazily: query workers import this package
    from flask import Flask

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def create_app(test_config: dict | None = None) -> "Flask":
    """Build the app: settings, the store's query pool, blueprints, error handlers, headers.

    :param test_config: settings that override the defaults and ``OFSTED_KG_*`` variables.
    :return: the Flask app.
    :raise config.ConfigError: a bad setting or a missing store, or a canned query that does
        not load (:class:`core.canned.QueryDefinitionError`).
    """
    from flask import Flask
    app = Flask(__name__)
    values = settings.load(test_config)
    app.config.update(values)
    app.config["MAX_CONTENT_LENGTH"] = values["MAX_QUERY_BYTES"]
    if test_config:
        app.config.update({k: v for k, v in test_config.items() if k not in settings.DEFAULTS})

    from core import canned

    from . import (datasets, downloads, editor, errors, graphstore, home, querypages, resources,
                   memory, sparql, store, timing)
    from .charts import bar_chart_html
    canned.load_all()                                # a bad canned query stops start-up here
    timing.init_app(app)
    memory.init_app(app)
    errors.init_app(app)
    store.init_app(app)
    for module in (home, sparql, graphstore, resources, downloads, datasets, querypages, editor):
        app.register_blueprint(module.bp)
    app.jinja_env.filters["href"] = local_href
    app.jinja_env.filters["curie"] = curie
    app.jinja_env.filters["bar_chart"] = bar_chart_html
    app.after_request(headers)
    hops = values["PROXY_HOPS"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)
    from .front import ClientAddress
    app.wsgi_app = ClientAddress(app.wsgi_app)       # the client's address, from our own front
    return app


def local_href(iri: str) -> str:
    """Where an IRI is served: on this server for our data, ontology and shapes, else itself.

    An entity page links some hundreds of IRIs: the ``/id/`` prefix is built once per request
    and a plain key put after it: the URL ``url_for`` builds (which took ~10 ms of a
    150 KB authority page, national store).
    """
    from flask import current_app, g, url_for
    base = current_app.config["BASE_IRI"] + "id/"
    if iri.startswith(base):
        key = iri[len(base):]
        if not PLAIN_KEY.fullmatch(key):
            return url_for("resources.thing", key=key)
        prefix = g.get("id_href_prefix")
        if prefix is None:
            prefix = g.id_href_prefix = url_for("resources.thing", key="x")[:-1]
        return prefix + key
    for root, endpoint in ((ONTOLOGY_IRI, "resources.ontology"), (SHAPES_IRI, "resources.shapes")):
        if iri == root or iri.startswith(root + "#"):
            return url_for(endpoint) + iri[len(root):]
    if iri.startswith(ONTOLOGY_IRI + "/"):
        # a hash IRI (a flat table's column, def/row/<table>#<column>) is its page and a fragment
        key, hash_, fragment = iri[len(ONTOLOGY_IRI) + 1:].partition("#")
        return url_for("resources.term", key=key) + hash_ + fragment
    return iri


def curie(iri: str) -> str:
    """``https://w3id.org/ofsted-kg/def#Inspection`` -> ``ofs:Inspection`` (else the IRI)."""
    for prefix, ns in vocab.PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def headers(response):
    """Security headers on every response; CORS on reads (never on updates)."""
    from flask import current_app, g, request
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if g.get("links_from_request"):       # links built from this request's Host: never shared
        response.headers["Cache-Control"] = "no-store"
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    origin = current_app.config["CORS"]
    if origin and not g.get("is_update"):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "Link, X-SPARQL-MaxRows"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response

