"""The front of ``ofsted-kg serve``: an asyncio listener that reads each request whole, within
time limits, before gunicorn sees it.

Gunicorn's threads block while they read a request, so sixteen clients that send one byte and
stop held every thread of the default server. Here a connection costs one coroutine until its
request is complete: the request line and headers must arrive within ``HEADER_TIMEOUT`` seconds,
the body within ``BODY_TIMEOUT``, and an idle kept-alive connection is closed after
``KEEPALIVE_TIMEOUT``. Only a complete request is handed to gunicorn, over a Unix socket in the
server's private folder, on a connection kept open between requests when gunicorn allows
(:mod:`server.backends`); the answer is relayed back, and kept alive towards the client when its
framing allows. Every wait is bounded with ``asyncio.timeout`` (no task per wait, as
``wait_for`` makes in Python 3.11). The client's address travels as the last
``X-Forwarded-For`` entry (:class:`ClientAddress` takes it back out).
"""
from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections import Counter
from dataclasses import dataclass

from .backends import Backend, BackendPool

log = logging.getLogger(__name__)

#: headers that describe one connection, never forwarded (RFC 9110 section 7.6.1), plus
#: ``Expect`` (the front answers ``100-continue`` itself) and the body framing it rewrites
HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-connection", b"te", b"trailer", b"upgrade",
              b"transfer-encoding", b"content-length", b"expect", b"proxy-authenticate",
              b"proxy-authorization"}
REASONS = {400: "Bad Request", 408: "Request Timeout", 413: "Content Too Large",
           431: "Request Header Fields Too Large", 501: "Not Implemented", 502: "Bad Gateway",
           503: "Service Unavailable", 504: "Gateway Timeout"}
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """The front's time and size limits (from :mod:`server.config`)."""

    header_seconds: float = 10.0      # request line and headers, from the first byte
    body_seconds: float = 30.0        # the whole body
    idle_seconds: float = 5.0         # a kept-alive connection waiting for its next request
    write_seconds: float = 30.0       # a client that takes nothing of its answer for this long
    answer_seconds: float = 90.0      # gunicorn's answer (the app ends queries well before)
    max_head_bytes: int = 64 * 1024
    max_body_bytes: int = 1 << 20
    max_connections: int = 1000       # open client connections in all
    max_client_connections: int = 64  # ... from one address (0: no limit, e.g. behind a proxy)
    backend_wait: float = 30.0        # how long a request waits for gunicorn to start listening


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


async def read_body(reader: asyncio.StreamReader, request: Request, limits: Limits) -> bytes:
    """The body as announced by Content-Length or sent chunked, at most ``max_body_bytes``.

    :raise Refusal: 400 for conflicting framing, 413 when too large, 501 for other codings.
    """
    codings = [t.strip().lower() for v in request.values(b"transfer-encoding") for t in v.split(b",")]
    lengths = {v.strip() for v in request.values(b"content-length")}
    if codings and lengths:
        raise Refusal(400, "both Content-Length and Transfer-Encoding")
    if codings:
        if codings != [b"chunked"]:
            raise Refusal(501, "only the chunked transfer coding is accepted")
        return await _read_chunked(reader, limits.max_body_bytes)
    if not lengths:
        return b""
    if len(lengths) > 1 or not next(iter(lengths)).isdigit():
        raise Refusal(400, "bad Content-Length")
    length = int(next(iter(lengths)))
    if length > limits.max_body_bytes:
        raise Refusal(413, f"the body is larger than {limits.max_body_bytes} bytes")
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


class Front:
    """Accepts clients on ``host:port`` and hands complete requests to gunicorn at ``backend``."""

    def __init__(self, backend: str, limits: Limits):
        self.backend = backend
        self.limits = limits
        self.backends = BackendPool(backend)
        self.open = 0
        self.per_client: Counter[str] = Counter()

    async def start(self, host: str, port: int) -> asyncio.AbstractServer:
        return await asyncio.start_server(self.connection, host, port, limit=self.limits.max_head_bytes,
                                          backlog=1024)

    async def connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        client = peer[0] if isinstance(peer, tuple) else "unknown"
        limits = self.limits
        if (self.open >= limits.max_connections or
                (limits.max_client_connections and self.per_client[client] >= limits.max_client_connections)):
            writer.write(refusal(503, "too many open connections", retry_after=5))
            await self._close(writer)
            return
        self.open += 1
        self.per_client[client] += 1
        writer.transport.set_write_buffer_limits(high=CHUNK * 4)
        try:
            await self._serve(reader, writer, client)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError):
            pass                                   # the client left or stalled: nothing to answer
        except Exception:                          # noqa: BLE001 - logged; one connection ends
            log.exception("front: connection from %s failed", client)
        finally:
            self.open -= 1
            self.per_client[client] -= 1
            if not self.per_client[client]:
                del self.per_client[client]
            await self._close(writer)

    async def _serve(self, reader, writer, client: str) -> None:
        limits = self.limits
        first_wait = limits.header_seconds
        while True:
            started = False
            try:
                async with asyncio.timeout(first_wait):
                    first = await reader.readexactly(1)
                started = True
                async with asyncio.timeout(limits.header_seconds):
                    rest = await reader.readuntil(b"\r\n\r\n")
                request = parse_head(first + rest)
                if request.values(b"expect") and b"100-continue" in b",".join(request.values(b"expect")).lower():
                    writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                async with asyncio.timeout(limits.body_seconds):
                    request.body = await read_body(reader, request, limits)
            except asyncio.LimitOverrunError:
                writer.write(refusal(431, f"the request head is larger than {limits.max_head_bytes} bytes"))
                return
            except asyncio.TimeoutError:
                if started:                        # a slow request, not an idle connection
                    writer.write(refusal(408, "the request did not arrive in time"))
                return
            except Refusal as exc:
                writer.write(refusal(exc.status, str(exc)))
                return
            if not await self._relay(request, client, writer):
                return
            first_wait = limits.idle_seconds

    async def _relay(self, request: Request, client: str, writer) -> bool:
        """Send ``request`` to gunicorn and its answer to the client; True: keep the connection.

        A request without a body goes on a kept backend connection; if gunicorn had closed that
        one (no answer byte came back), it is sent once more on a new connection.
        """
        repeatable = request.method in (b"GET", b"HEAD") and not request.body
        for fresh in (False, True):
            try:
                backend = await self._connect(kept=repeatable and not fresh)
            except OSError as exc:
                log.error("front: gunicorn cannot be reached at %s: %s", self.backend, exc)
                writer.write(refusal(503, "the server is starting or restarting", retry_after=5))
                return False
            outcome = await self._exchange(backend, request, client, writer, repeatable)
            if outcome is not None:
                return outcome
        return False

    async def _exchange(self, backend: Backend, request: Request, client: str, writer,
                        keep_backend: bool) -> bool | None:
        """One try of :meth:`_relay` on ``backend``: whether the client's connection stays open,
        or None when a reused backend connection turned out closed before answering (try again)."""
        limits = self.limits
        reusable = False
        try:
            backend.writer.write(backend_head(request, client, keep=keep_backend) + request.body)
            try:
                async with asyncio.timeout(limits.answer_seconds):
                    head = await backend.reader.readuntil(b"\r\n\r\n")
                head, keep, length, chunked, backend_keeps = self._answer_head(head, request)
            except TimeoutError:
                writer.write(refusal(504, "the server did not answer in time"))
                return False
            except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError,
                    asyncio.LimitOverrunError, ValueError, IndexError) as exc:
                if backend.reused and isinstance(exc, (asyncio.IncompleteReadError, ConnectionError)) \
                        and not getattr(exc, "partial", b""):
                    return None                  # gunicorn closed the kept connection: anew
                log.error("front: gunicorn gave no answer head: %r", exc)
                writer.write(refusal(502, "the server's answer broke off"))
                return False
            writer.write(head)
            try:
                whole = await self._relay_body(backend.reader, writer, length, chunked)
            except TimeoutError:                  # gunicorn stalled mid-answer: end the connection
                return False
            reusable = keep_backend and backend_keeps and whole
            async with asyncio.timeout(limits.write_seconds):
                await writer.drain()
            return keep and whole
        finally:
            if reusable:
                self.backends.give_back(backend)
            else:
                backend.close()

    async def _relay_body(self, back_reader, writer, length: int | None, chunked: bool) -> bool:
        """Relay the answer's body: of known ``length``, up to its end without waiting for
        gunicorn to close (0.2-0.4 ms a request); otherwise up to the close. Each read waits at
        most ``answer_seconds``.

        :return: whether the body arrived whole (its length, or a chunked body's last chunk),
            so that the client's connection can carry another answer.
        """
        limits = self.limits
        sent, tail = 0, b""
        while length is None or sent < length:
            wanted = CHUNK if length is None else min(CHUNK, length - sent)
            async with asyncio.timeout(limits.answer_seconds):
                data = await back_reader.read(wanted)
            if not data:
                break
            writer.write(data)
            sent += len(data)
            tail = (tail + data)[-5:]
            if writer.transport.get_write_buffer_size() > CHUNK:
                async with asyncio.timeout(limits.write_seconds):
                    await writer.drain()
        if chunked:
            return tail == b"0\r\n\r\n"             # gunicorn sends no trailers
        return length is None or sent == length

    async def _connect(self, kept: bool) -> Backend:
        """A backend connection (a kept one if ``kept``), waiting up to ``backend_wait`` for
        gunicorn to start listening."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limits.backend_wait
        while True:
            try:
                return await self.backends.take(kept)
            except (FileNotFoundError, ConnectionRefusedError):
                if loop.time() > deadline:
                    raise
                await asyncio.sleep(0.05)

    @staticmethod
    def _answer_head(head: bytes, request: Request) -> tuple[bytes, bool, int | None, bool, bool]:
        """gunicorn's answer head for the client: its ``Connection`` header replaced; whether the
        client's connection may stay open (the answer's end is known); the body's length (0 for
        an answer without a body, None when it ends with the connection or is chunked: chunked
        framing wins over a Content-Length, RFC 9112 section 6.3); whether it is chunked; whether
        gunicorn said it keeps the backend connection open (``Connection: keep-alive``)."""
        lines = head.rstrip(b"\r\n").split(b"\r\n")
        status = int(lines[0].split(b" ")[1])
        kept, length, chunked, backend_keeps = [lines[0]], None, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            low = name.strip().lower()
            if low == b"connection":
                backend_keeps = value.strip().lower() == b"keep-alive"
                continue
            if low == b"keep-alive":
                continue
            if low == b"content-length":
                length = int(value.strip())
            elif low == b"transfer-encoding":
                chunked = value.strip().lower().endswith(b"chunked")
            kept.append(line)
        bodiless = request.method == b"HEAD" or status in (204, 304) or 100 <= status < 200
        if bodiless:
            length, chunked = 0, False
        elif chunked:
            length = None
            kept = [line for line in kept if not line.lower().startswith(b"content-length:")]
        keep = request.keep_alive and (bodiless or chunked or length is not None)
        kept.append(b"Connection: " + (b"keep-alive" if keep else b"close"))
        return b"\r\n".join(kept) + b"\r\n\r\n", keep, length, chunked, backend_keeps and (
            bodiless or chunked or length is not None)

    @staticmethod
    async def _close(writer) -> None:
        try:
            writer.close()
            async with asyncio.timeout(1.0):
                await writer.wait_closed()
        except (ConnectionError, asyncio.TimeoutError, OSError):
            writer.transport.abort()


class ClientAddress:
    """WSGI middleware: a request that came through the front (over its Unix socket, so with no
    peer address) gets the client's address, the last ``X-Forwarded-For`` entry, which the front
    wrote, as ``REMOTE_ADDR``; the entries before it are left for ``PROXY_HOPS``."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if not environ.get("REMOTE_ADDR") and environ.get("HTTP_X_FORWARDED_FOR"):
            *before, last = environ["HTTP_X_FORWARDED_FOR"].split(",")
            try:
                environ["REMOTE_ADDR"] = str(ipaddress.ip_address(last.strip()))
            except ValueError:
                pass
            if before:
                environ["HTTP_X_FORWARDED_FOR"] = ",".join(before)
            else:
                del environ["HTTP_X_FORWARDED_FOR"]
        return self.app(environ, start_response)
