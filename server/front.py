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
from .framing import Refusal, Request, backend_head, parse_head, read_body, refusal

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
#: a kept backend connection found closed this soon after the request was sent had been closed
#: by gunicorn while idle: the request goes again on a new one. A later close is a worker that
#: died while answering (killed at its timeout, out of memory): not sent again.
RETRY_WITHIN = 0.5


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
                    request.body = await read_body(reader, request, limits.max_body_bytes)
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
        sent_at = asyncio.get_running_loop().time()
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
                        and not getattr(exc, "partial", b"") \
                        and asyncio.get_running_loop().time() - sent_at < RETRY_WITHIN:
                    return None                  # gunicorn had closed the kept connection: anew
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
        gunicorn to close (0.2-0.4 ms a request); chunked, chunk by chunk up to its last one;
        otherwise up to the close. Each read waits at most ``answer_seconds``.

        :return: whether the body arrived whole (its length, or a chunked body's last chunk),
            so that the client's connection (and gunicorn's) can carry another answer.
        """
        if chunked:
            return await self._relay_chunked(back_reader, writer)
        sent = 0
        while length is None or sent < length:
            data = await self._read_some(back_reader, CHUNK if length is None else min(CHUNK, length - sent))
            if not data:
                break
            await self._send(writer, data)
            sent += len(data)
        return length is None or sent == length

    async def _relay_chunked(self, back_reader, writer) -> bool:
        """Relay a chunked body by its framing (size line, data, CRLF; the last chunk and any
        trailers), so that its end is known without gunicorn closing the connection; False when
        it broke off or its framing is wrong."""
        limits = self.limits
        try:
            while True:
                async with asyncio.timeout(limits.answer_seconds):
                    line = await back_reader.readuntil(b"\r\n")
                await self._send(writer, line)
                left = int(line.split(b";")[0].strip(), 16)
                if left == 0:
                    while line != b"\r\n":              # trailers, up to the empty line
                        async with asyncio.timeout(limits.answer_seconds):
                            line = await back_reader.readuntil(b"\r\n")
                        await self._send(writer, line)
                    return True
                left += 2                                 # the chunk's data and its CRLF
                while left:
                    data = await self._read_some(back_reader, min(CHUNK, left))
                    if not data:
                        return False
                    await self._send(writer, data)
                    left -= len(data)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            return False

    async def _read_some(self, back_reader, most: int) -> bytes:
        async with asyncio.timeout(self.limits.answer_seconds):
            return await back_reader.read(most)

    async def _send(self, writer, data: bytes) -> None:
        """Write ``data`` to the client, waiting (at most ``write_seconds``) only when more than
        a chunk is queued, or to learn that the client has gone (drain then raises)."""
        writer.write(data)
        if writer.transport.is_closing() or writer.transport.get_write_buffer_size() > CHUNK:
            async with asyncio.timeout(self.limits.write_seconds):
                await writer.drain()

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
