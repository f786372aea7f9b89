"""Our exception class and the handlers that answer every error in the format asked for.

One class, :class:`Problem`, carries a status and a message. Handlers turn it, werkzeug's HTTP
errors and the query pool's failures into plain text for protocol clients, JSON for ``.json``
and JSON-preferring requests, and ``{status}.html`` (else ``error.html``) for browsers.
Unexpected exceptions are logged and answered 500; they are never blamed on the client.
"""
from __future__ import annotations

import logging

from flask import Flask, json, render_template, request, url_for
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException, InternalServerError

from core.negotiate import NotAcceptable, negotiate
from core.pool import PoolBusy, QueryTimeout, QueryTooLarge, WorkerFailed


log = logging.getLogger(__name__)

ERROR_FORMATS = {"text": ("text/plain",), "html": ("text/html", "application/xhtml+xml"),
                 "json": ("application/json",)}


class Problem(Exception):
    """An error with an HTTP status and a message for the client."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _answer(status: int, title: str, message: str, headers: dict | None = None):
    if request.path.endswith(".json"):
        key = "json"
    else:
        try:
            key = negotiate(request.headers.get("Accept"), ERROR_FORMATS, "text")
        except NotAcceptable:
            key = "text"
        if request.path.startswith("/sparql") and key != "html":
            key = "text"
    if key == "json":
        body = json.dumps({"ok": False, "status": status, "title": title, "error": message})
        response = (body, status, {"Content-Type": "application/json"})
    elif key == "html":
        context = {"status": status, "title": title, "message": message}
        try:
            body = render_template(f"{status}.html", **context)
        except TemplateNotFound:
            body = render_template("error.html", **context)
        response = (body, status, {"Content-Type": "text/html; charset=utf-8"})
    else:
        response = (f"{title}: {message}\n", status, {"Content-Type": "text/plain; charset=utf-8"})
    body, status, base_headers = response
    base_headers.update(headers or {})
    if status == 406:
        base_headers["Vary"] = "Accept"          # the answer depended on it
    return body, status, base_headers


def init_app(app: Flask) -> None:
    """Register the error handlers on ``app``."""

    @app.errorhandler(Problem)
    def problem(exc: Problem):
        return _answer(exc.status, _title(exc.status), exc.message, exc.headers)

    @app.errorhandler(NotAcceptable)
    def not_acceptable(exc: NotAcceptable):
        return _answer(406, "Not Acceptable", str(exc))

    @app.errorhandler(QueryTimeout)
    def timeout(exc: QueryTimeout):
        return _answer(503, "Query timed out", f"{exc} (QUERY_TIMEOUT); every triple is also in "
                                               f"the dumps at {url_for('downloads.index', _external=True)}")

    @app.errorhandler(PoolBusy)
    def busy(exc: PoolBusy):
        return _answer(503, "Server busy", str(exc), {"Retry-After": str(exc.retry_after)})

    @app.errorhandler(QueryTooLarge)
    def too_large(exc: QueryTooLarge):
        return _answer(503, "Query too large", str(exc))

    @app.errorhandler(WorkerFailed)
    def failed(exc: WorkerFailed):
        log.error("query worker failed: %s", exc)
        return _answer(500, "Internal Server Error", str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if isinstance(exc, InternalServerError) and exc.original_exception is not None:
            return _answer(500, "Internal Server Error", "the server failed; the error was logged")
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
        return _answer(exc.code or 500, exc.name, exc.description or "", headers)


def _title(status: int) -> str:
    from http import HTTPStatus
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
