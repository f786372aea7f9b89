"""Reading a SPARQL protocol request: its parameters and its body, to the letter.

Parameters come from the URL and, for a form POST, from the body; both are decoded as UTF-8
and a byte sequence that is not UTF-8 is a 400 (werkzeug would quietly replace it). A body is
UTF-8 too: a declared charset other than UTF-8, or bytes that do not decode, are a 400. A protocol
operation names one query or one update: a second ``query=`` or ``update=`` is a 400.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

from flask import current_app, request
from werkzeug.datastructures import MultiDict

from .errors import Problem

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
UTF8 = ("utf-8", "utf8")


def _decode_pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8",
                         errors="strict")
    except UnicodeDecodeError:
        raise Problem(400, f"the {where} is not UTF-8 (SPARQL 1.1 Protocol, section 2)") from None


def url_params() -> MultiDict:
    """The URL's parameters, decoded strictly as UTF-8."""
    return MultiDict(_decode_pairs(request.query_string, "query string"))


def params(direct_types: tuple[str, ...] = (QUERY_TYPE, UPDATE_TYPE)) -> MultiDict:
    """The protocol parameters: from the URL, and for a form POST from the body as well.

    :param direct_types: the media types a POST may carry its operation in directly.
    :raise Problem: 415 for any other POST media type, 400 for text that is not UTF-8.
    """
    merged = url_params()
    if request.method in ("GET", "HEAD"):
        return merged
    if request.mimetype == FORM:
        _check_charset()
        for key, value in _decode_pairs(body_bytes(), "request body"):
            merged.add(key, value)
        return merged
    if request.mimetype in direct_types:
        return merged
    raise Problem(415, f"POST a query as {QUERY_TYPE}, an update as {UPDATE_TYPE}, "
                       f"or either as {FORM}; not {request.mimetype or 'no Content-Type'}")


def _check_charset() -> None:
    charset = request.mimetype_params.get("charset")
    if charset is not None and charset.strip().lower() not in UTF8:
        raise Problem(400, f"the body must be UTF-8, not {charset} (SPARQL 1.1 Protocol, section 2)")


def body_bytes() -> bytes:
    """The request body, refused with a 413 when it reaches ``MAX_QUERY_BYTES``."""
    data = request.get_data(cache=True)
    limit = current_app.config["MAX_QUERY_BYTES"]
    if request.content_length is None and len(data) >= limit:
        # a streamed (chunked) body is cut at the limit by werkzeug, silently: refuse it rather
        # than run the first MAX_QUERY_BYTES of someone's query
        raise Problem(413, f"the request body reaches this server's limit of {limit} bytes")
    return data


def body_text() -> str:
    """The body of a direct POST as text.

    :raise Problem: 400 for a declared charset other than UTF-8, or bytes that are not UTF-8.
    """
    _check_charset()
    try:
        return body_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "the request body is not UTF-8 (SPARQL 1.1 Protocol, section 2)") from None


def say_cut(response) -> None:
    """Tell the client that the engine cut the answer's rows (``RESULT_LIMIT``, ``RESULT_MAX_BYTES``)."""
    response.headers["X-SPARQL-MaxRows"] = str(current_app.config["RESULT_LIMIT"])


def single(values: MultiDict, name: str) -> str | None:
    """The one value of ``name``, or None.

    :raise Problem: 400 when it is given more than once.
    """
    given = values.getlist(name)
    if len(given) > 1:
        raise Problem(400, f"one '{name}' per request, not {len(given)} (SPARQL 1.1 Protocol, section 2)")
    return given[0] if given else None
