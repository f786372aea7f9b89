"""The front's connections to gunicorn (:mod:`server.front`), kept open between requests.

A new Unix-socket connection per request cost gunicorn an accept, a socket and a close, and
the front a connect: with this and ``asyncio.timeout`` for ``wait_for``, the front's CPU per
small request fell from about 215 to 120 us (``bench/front.py``). A connection whose answer gunicorn marked
``Connection: keep-alive`` and that was read to its end goes back here; the next request takes
the most recently used one. One idle longer than ``idle_seconds`` (below gunicorn's own
keep-alive, :func:`server.serve.gunicorn_options`) is closed instead of used, and a request that
finds its kept connection closed by gunicorn before any answer came is sent again on a new one
(:meth:`server.front.Front._relay`; only requests without a body, which are safe to repeat).
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

IDLE_SECONDS = 1.0       # a kept connection unused this long is closed (gunicorn's keep-alive: 5 s)
MOST_IDLE = 16           # kept connections at most; more are closed when they come back


@dataclass
class Backend:
    """One connection to gunicorn; ``reused``: it carried an answer before."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    reused: bool = False
    since: float = field(default_factory=time.monotonic)

    def close(self) -> None:
        self.writer.close()


class BackendPool:
    """Connections to the Unix socket ``path``: kept ones first, else a new one."""

    def __init__(self, path: str, idle_seconds: float = IDLE_SECONDS, most: int = MOST_IDLE):
        self.path = path
        self.idle_seconds = idle_seconds
        self.most = most
        self._idle: list[Backend] = []

    async def take(self, kept: bool = True) -> Backend:
        """A connection: the most recently kept one still usable (``kept``), else a new one.

        :raise OSError: gunicorn cannot be reached (FileNotFoundError, ConnectionRefusedError).
        """
        now = time.monotonic()
        while kept and self._idle:
            backend = self._idle.pop()
            if (backend.reader.at_eof() or backend.writer.is_closing()
                    or now - backend.since > self.idle_seconds):
                backend.close()
                continue
            backend.reused = True
            return backend
        reader, writer = await asyncio.open_unix_connection(self.path, limit=1 << 20)
        return Backend(reader, writer)

    def give_back(self, backend: Backend) -> None:
        """Keep ``backend`` (its answer read to the end) for the next request."""
        if len(self._idle) >= self.most or backend.writer.is_closing():
            backend.close()
            return
        backend.since = time.monotonic()
        self._idle.append(backend)

    def close(self) -> None:
        """Close every kept connection."""
        while self._idle:
            self._idle.pop().close()
