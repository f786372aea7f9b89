"""HTTP/1.1 framing for the front (:mod:`server.front`): a request's head and body read and
checked, the request as gunicorn gets it, and the answers the front gives itself.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass

#: headers that describe one connection, never forwarded (RFC 9110 section 7.6.1), plus
#: ``Expect`` (the front answers ``100-continue`` itself) and the body framing it rewrites
HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-connection", b"te", b"trailer", b"upgrade",
              b"transfer-encoding", b"content-length", b"expect", b"proxy-authenticate",
              b"proxy-authorization"}
REASONS = {400: "Bad Request", 408: "Request Timeout", 413: "Content Too Large",
           431: "Request Header Fields Too Large", 501: "Not Implemented", 502: "Bad Gateway",
           503: "Service Unavailable", 504: "Gateway Timeout"}


class Refusal(Exception):
    """A request the front answers itself (status, reason), then closes the connection."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status


@dataclass
class Request:
    method: bytes
    target: bytes
    version: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes = b""

    def values(self, name: bytes) -> list[bytes]:
        return [v for k, v in self.headers if k.lower() == name]

    @property
    def keep_alive(self) -> bool:
        tokens = {t.strip().lower() for v in self.values(b"connection") for t in v.split(b",")}
        if self.version == b"HTTP/1.0":
            return b"keep-alive" in tokens
        return b"close" not in tokens


def parse_head(head: bytes) -> Request:
    """The request line and headers of ``head`` (which ends with an empty line).

    :raise Refusal: 400 for anything malformed; header names with ``_`` are dropped (a WSGI
        server would take ``SCRIPT_NAME`` for its CGI variable).
    """
    lines = head.rstrip(b"\r\n").split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not parts[0].isalpha() or not parts[2].startswith(b"HTTP/1."):
        raise Refusal(400, "malformed request line")
    headers = []
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep or not name or name != name.strip() or b" " in name or b"\t" in name:
            raise Refusal(400, "malformed header line")
        if b"_" not in name:
            headers.append((name, value.strip()))
    return Request(parts[0], parts[1], parts[2], headers)


async def read_body(reader: asyncio.StreamReader, request: Request, max_bytes: int) -> bytes:
    """The body as announced by Content-Length or sent chunked, at most ``max_bytes``.

    :raise Refusal: 400 for conflicting framing, 413 when too large, 501 for other codings.
    """
    codings = [t.strip().lower() for v in request.values(b"transfer-encoding") for t in v.split(b",")]
    lengths = {v.strip() for v in request.values(b"content-length")}
    if codings and lengths:
        raise Refusal(400, "both Content-Length and Transfer-Encoding")
    if codings:
        if codings != [b"chunked"]:
            raise Refusal(501, "only the chunked transfer coding is accepted")
        return await _read_chunked(reader, max_bytes)
    if not lengths:
        return b""
    if len(lengths) > 1 or not next(iter(lengths)).isdigit():
        raise Refusal(400, "bad Content-Length")
    length = int(next(iter(lengths)))
    if length > max_bytes:
        raise Refusal(413, f"the body is larger than {max_bytes} bytes")
    return await reader.readexactly(length)


async def _read_chunked(reader: asyncio.StreamReader, limit: int) -> bytes:
    parts, size = [], 0
    while True:
        line = await reader.readuntil(b"\r\n")
        try:
            length = int(line.split(b";")[0].strip(), 16)
        except ValueError:
            raise Refusal(400, "bad chunk size") from None
        if length == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":     # trailers: dropped
                pass
            return b"".join(parts)
        size += length
        if size > limit:
            raise Refusal(413, f"the body is larger than {limit} bytes")
        parts.append(await reader.readexactly(length))
        if await reader.readexactly(2) != b"\r\n":
            raise Refusal(400, "bad chunk framing")


def backend_head(request: Request, client: str, keep: bool = False) -> bytes:
    """The request as gunicorn gets it: no hop-by-hop headers, the body's length, the client's
    address appended to ``X-Forwarded-For``, and ``Connection: keep-alive`` (``keep``) or
    ``close``."""
    named = {t.strip().lower() for v in request.values(b"connection") for t in v.split(b",")}
    lines = [b" ".join((request.method, request.target, request.version))]
    forwarded = []
    for name, value in request.headers:
        low = name.lower()
        if low == b"x-forwarded-for":
            forwarded.append(value)
        elif low not in HOP_BY_HOP and low not in named:
            lines.append(name + b": " + value)
    forwarded.append(client.encode())
    lines.append(b"X-Forwarded-For: " + b", ".join(forwarded))
    if request.body or request.method in (b"POST", b"PUT", b"PATCH"):
        lines.append(b"Content-Length: " + str(len(request.body)).encode())
    lines.append(b"Connection: keep-alive" if keep else b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n"


def refusal(status: int, reason: str, retry_after: int | None = None) -> bytes:
    body = f"{status} {REASONS.get(status, '')}: {reason}\n".encode()
    head = [f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}", "Content-Type: text/plain; charset=utf-8",
            f"Content-Length: {len(body)}", "Connection: close", "X-Content-Type-Options: nosniff"]
    if retry_after is not None:
        head.append(f"Retry-After: {retry_after}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body
