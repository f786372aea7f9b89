"""The front relays each answer by its framing, against a backend that behaves as gunicorn
might not: an answer of known length arrives before the backend closes, bytes past it are
dropped, chunked framing wins over a Content-Length, a chunked answer cut short closes the
client's connection, and a backend stalling mid-answer cannot hold a client. A backend
connection is kept for the next request only when the backend says ``keep-alive``, and a kept
one the backend closed meanwhile costs the request nothing. A real front on
127.0.0.1 and a real Unix-socket backend, each in an event loop of its own thread."""
from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest

from server.front import Front, Limits

GUARD = 10.0          # seconds: longer means the front hung


class Served:
    """A backend whose answer to every request is ``answer`` (bytes), up to ``serves`` requests
    on one connection, after which it waits ``linger`` seconds before closing, or with
    ``then_drop`` reads one more request and closes unanswered (``connections`` counts the
    connections it took); and a front before it."""

    def __init__(self, folder, answer: bytes, linger: float, answer_seconds: float = 30.0, serves: int = 1,
                 then_drop: bool = False):
        self.answer, self.linger, self.serves, self.then_drop = answer, linger, serves, then_drop
        self.connections = 0
        self.backend = str(folder / "backend.sock")
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.front = Front(self.backend, Limits(answer_seconds=answer_seconds, idle_seconds=5.0))
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.ready.wait(GUARD)

    def _run(self):
        asyncio.set_event_loop(self.loop)

        async def backend(reader, writer):
            self.connections += 1
            for _ in range(self.serves):
                try:
                    await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    break
                writer.write(self.answer)
                await writer.drain()
            if self.then_drop:                  # take one more request and close unanswered
                await reader.readuntil(b"\r\n\r\n")
                writer.close()
                return
            await asyncio.sleep(self.linger)
            writer.close()

        async def main():
            self.stopping = asyncio.Event()
            back = await asyncio.start_unix_server(backend, self.backend)
            server = await self.front.start("127.0.0.1", 0)
            self.port = server.sockets[0].getsockname()[1]
            self.ready.set()
            await self.stopping.wait()
            server.close()
            back.close()
            # cancel every task until all have ended: Python 3.11's wait_for can swallow a cancel,
            # and a task left pending when the loop closes is finalised later by the garbage
            # collector, in whatever code runs then (once inside ast.parse in another test:
            # "AST constructor recursion depth mismatch")
            others = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
            deadline = asyncio.get_running_loop().time() + GUARD / 2
            while others and asyncio.get_running_loop().time() < deadline:
                for task in others:
                    task.cancel()
                _, others = await asyncio.wait(others, timeout=0.05)
            self.left_pending = len(others)

        self.loop.run_until_complete(main())
        self.loop.close()

    def stop(self):
        self.loop.call_soon_threadsafe(self.stopping.set)
        self.thread.join(GUARD)


def exchange(port: int, requests: int = 2, timeout: float = GUARD) -> tuple[list[bytes], float]:
    """Send ``requests`` GETs one after the other on one connection: what came back for each
    (until the connection closed or ``timeout``), and the seconds the first answer took."""
    got, first_took = [], None
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        for _ in range(requests):
            start = time.monotonic()
            try:
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            except OSError:
                break
            data = b""
            while True:
                try:
                    part = s.recv(65536)
                except socket.timeout:
                    break
                if not part:
                    break
                data += part
                if answer_complete(data):
                    break
            first_took = first_took if first_took is not None else time.monotonic() - start
            got.append(data)
            if not data or b"Connection: close" in data:
                break
    return got, first_took


def answer_complete(data: bytes) -> bool:
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return body.endswith(b"0\r\n\r\n")


@pytest.fixture
def serve(tmp_path):
    made = []

    def make(answer: bytes, linger: float, **kw) -> Served:
        made.append(Served(tmp_path, answer, linger, **kw))
        return made[-1]
    yield make
    for s in made:
        s.stop()
        assert not s.thread.is_alive() and s.left_pending == 0      # nothing left to finalise later


def test_an_answer_of_known_length_arrives_before_the_backend_closes(serve):
    served = serve(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", linger=GUARD * 2)
    got, took = exchange(served.port, requests=2)
    assert [a.rsplit(b"\r\n\r\n", 1)[1] for a in got] == [b"hello", b"hello"]
    assert b"Connection: keep-alive" in got[0]
    assert took < GUARD / 2           # not after the backend's close (it lingers 20 s)


def test_bytes_past_the_length_are_not_relayed(serve):
    served = serve(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 666 Smuggled\r\n\r\n", linger=0.2)
    got, _ = exchange(served.port, requests=2)
    assert len(got) == 2 and all(a.endswith(b"\r\n\r\nhello") for a in got)
    assert not any(b"Smuggled" in a for a in got)


def test_chunked_framing_wins_over_a_content_length(serve):
    served = serve(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                   b"5\r\nhello\r\n0\r\n\r\n", linger=0.2)
    got, _ = exchange(served.port, requests=2)
    assert len(got) == 2
    for answer in got:
        head, _, body = answer.partition(b"\r\n\r\n")
        assert b"content-length" not in head.lower() and body == b"5\r\nhello\r\n0\r\n\r\n"


def test_a_chunked_answer_cut_short_closes_the_clients_connection(serve):
    served = serve(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", linger=0)
    got, _ = exchange(served.port, requests=2, timeout=3)
    assert got[0].endswith(b"5\r\nhel")
    assert got[1:] in ([], [b""])                   # the connection ended: no second answer


def test_a_backend_stalling_mid_answer_does_not_hold_the_client(serve):
    served = serve(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part", linger=GUARD * 3,
                   answer_seconds=1.0)
    start = time.monotonic()
    got, _ = exchange(served.port, requests=1, timeout=GUARD)
    assert got[0].endswith(b"only part")
    assert time.monotonic() - start < GUARD * 0.8             # closed by the front, not the guard
    deadline = time.monotonic() + GUARD
    while served.front.open and time.monotonic() < deadline:
        time.sleep(0.05)
    assert served.front.open == 0


KEPT = b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello"


def test_a_backend_connection_kept_alive_carries_the_next_requests(serve):
    served = serve(KEPT, linger=0, serves=10)
    got, _ = exchange(served.port, requests=3)
    assert [a.rsplit(b"\r\n\r\n", 1)[1] for a in got] == [b"hello"] * 3
    assert served.connections == 1


def test_a_backend_connection_is_not_kept_unless_the_backend_says_so(serve):
    served = serve(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", linger=GUARD * 2, serves=10)
    got, _ = exchange(served.port, requests=3)
    assert len(got) == 3 and served.connections == 3


def test_a_kept_connection_the_backend_closed_is_replaced_unseen(serve):
    # says keep-alive, then closes the connection on the next request without answering it:
    # each request after the first is sent again on a new connection
    served = serve(KEPT, linger=0, serves=1, then_drop=True)
    got, _ = exchange(served.port, requests=4)
    assert [a.rsplit(b"\r\n\r\n", 1)[1] for a in got] == [b"hello"] * 4
    assert served.connections == 4


def test_a_chunked_answer_on_a_kept_connection_ends_at_its_last_chunk(serve):
    # the backend keeps the connection open after a chunked answer (gunicorn does): the front
    # must know the answer's end by its framing, not wait for a close
    served = serve(b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
                   b"7;x=y\r\nhello\r\n\r\n0\r\n\r\n", linger=GUARD * 2, serves=10)
    started = time.monotonic()
    got, _ = exchange(served.port, requests=3)
    assert time.monotonic() - started < GUARD / 2
    assert [a.partition(b"\r\n\r\n")[2] for a in got] == [b"7;x=y\r\nhello\r\n\r\n0\r\n\r\n"] * 3
    assert served.connections == 1
