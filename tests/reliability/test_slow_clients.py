"""Slow and idle clients cannot starve ``ofsted-kg serve`` (issue 13 items 2 and 8), for real:
the CLI's server (the asyncio front, gunicorn behind it) on an ephemeral port of 127.0.0.1.

The attackers connect from 127.0.0.1 and the ordinary client from 127.0.0.2 (another loopback
address), as two machines would. Deadlines here only tell "answered" from "hung" (generous, for
a busy machine); the latency itself is measured in ``bench/abuse.py``.
"""
from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.reliability.servers import copy_store, start_serve

pytestmark = pytest.mark.slow

ASK = "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"
GUARD = 20          # seconds: longer means the server hung


@pytest.fixture(scope="module")
def store(corpus_store_path, tmp_path_factory) -> Path:
    """A private copy of the session's corpus store (``serve`` writes dumps beside it)."""
    return copy_store(corpus_store_path, tmp_path_factory.mktemp("slow"))


@pytest.fixture(scope="module")
def server(store):
    # the per-address limit is lifted so that the front itself must hold every connection
    served = start_serve(store, HEADER_TIMEOUT=4, CLIENT_CONNECTIONS=10_000, WORKERS=1, THREADS=4)
    yield served
    served.stop()


def _address(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").split(":")
    return host, int(port)


def ordinary(url: str, path: str = ASK, source: str = "127.0.0.2") -> tuple[int, bytes]:
    """One GET from another client address; its status and body."""
    host, port = _address(url)
    conn = http.client.HTTPConnection(host, port, timeout=GUARD, source_address=(source, 0))
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def attackers(url: str, n: int) -> list[socket.socket]:
    socks = []
    for _ in range(n):
        s = socket.create_connection(_address(url), timeout=GUARD)
        socks.append(s)
    return socks


def test_hundreds_of_one_byte_connections_leave_others_answered(server):
    socks = attackers(server.url, 300)
    try:
        for s in socks:
            s.send(b"G")
        for path in (ASK, "/queries/judgements.csv", "/"):
            status, body = ordinary(server.url, path)
            assert status == 200, (path, body[:200])
    finally:
        for s in socks:
            s.close()


def test_headers_one_byte_a_second_leave_others_answered_and_are_cut_off(server):
    socks = attackers(server.url, 100)
    request = b"GET " + ASK.encode() + b" HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
    stop = threading.Event()

    def drip():
        for i in range(len(request)):
            for s in socks:
                try:
                    s.send(request[i:i + 1])
                except OSError:
                    pass
            if stop.wait(1):
                return
    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        time.sleep(1.5)                                  # every slow request is under way
        answers = [ordinary(server.url) for _ in range(5)]
        assert [status for status, _ in answers] == [200] * 5
        # each slow request is refused once its headers are late (HEADER_TIMEOUT=4 s)
        socks[0].settimeout(GUARD)
        reply = socks[0].recv(200)
        assert reply.startswith(b"HTTP/1.1 408"), reply
    finally:
        stop.set()
        dripper.join(5)
        for s in socks:
            s.close()


def test_idle_connections_are_cheap_and_closed(server):
    socks = attackers(server.url, 300)                   # connect and say nothing
    try:
        assert ordinary(server.url)[0] == 200
        socks[-1].settimeout(GUARD)
        assert socks[-1].recv(10) == b""                 # closed by the server, no answer owed
    finally:
        for s in socks:
            s.close()


def test_one_address_cannot_hold_every_connection(store):
    served = start_serve(store, CLIENT_CONNECTIONS=20, WORKERS=1, THREADS=2)
    try:
        socks = attackers(served.url, 25)
        try:
            refused = [_until_closed(s) for s in socks[20:]]
            assert all(r.startswith(b"HTTP/1.1 503") and b"Retry-After: " in r for r in refused), refused
            assert ordinary(served.url)[0] == 200
        finally:
            for s in socks:
                s.close()
    finally:
        assert served.stop() == 0


def _until_closed(s: socket.socket) -> bytes:
    s.settimeout(GUARD)
    data = b""
    while chunk := s.recv(4096):
        data += chunk
    return data


def test_a_request_split_across_packets_and_kept_alive_is_answered(server):
    host, port = _address(server.url)
    with socket.create_connection((host, port), timeout=GUARD) as s:
        for part in (b"GET " + ASK.encode() + b" HTTP/1.1\r\nHo", b"st: x\r\n", b"\r\n"):
            s.send(part)
            time.sleep(0.1)
        first = _read_response(s)
        s.send(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n5\r\nASK {\r\nd\r\n<urn:x> ?p ?o\r\n1\r\n}\r\n0\r\n\r\n")
        second = _read_response(s)
    assert first.startswith(b"HTTP/1.1 200") and b'"boolean":true' in first, first
    assert second.startswith(b"HTTP/1.1 200") and b'"boolean":false' in second, second


def _read_response(s: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += s.recv(65536)
    return head + b"\r\n\r\n" + body


def test_two_servers_each_stopped_without_breaking_the_other(store):
    first = start_serve(store, WORKERS=1, THREADS=2)
    second = start_serve(store, WORKERS=1, THREADS=2)
    try:
        sockets = [s.lines(r"Control socket listening at")[0].split(" at ")[-1] for s in (first, second)]
        assert sockets[0] != sockets[1]
        assert all(Path(p).exists() for p in sockets)
        assert first.stop() == 0
        assert not Path(sockets[0]).parent.exists()        # its private folder went with it
        assert Path(sockets[1]).exists()
        assert ordinary(second.url)[0] == 200
    finally:
        first.stop()
        assert second.stop() == 0
    assert not Path(sockets[1]).parent.exists()


MALFORMED = {
    "Content-Length and chunked together (smuggling)":
        (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    "a body announced far over the limit": (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n", 413),
    "a request line that is no request line": (b"GARBAGE\r\n\r\n", 400),
    "an unknown transfer coding": (b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
    "a negative Content-Length": (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
    "two different Content-Lengths":
        (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
    "a 100 KiB header": (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n", 431),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_requests_are_refused_by_the_front(server, name):
    raw, status = MALFORMED[name]
    with socket.create_connection(_address(server.url), timeout=GUARD) as s:
        s.sendall(raw)
        reply = s.recv(200)
    assert reply.startswith(b"HTTP/1.1 %d" % status), reply
    assert ordinary(server.url)[0] == 200


def test_cgi_variables_cannot_be_sent_as_headers(server):
    host, port = _address(server.url)
    conn = http.client.HTTPConnection(host, port, timeout=GUARD)
    conn.request("GET", "/", headers={"SCRIPT_NAME": "/forged", "X-Forwarded-Proto": "https"})
    body = conn.getresponse().read()
    conn.close()
    assert b"/forged" not in body and b"https://127.0.0.1" not in body


def test_answers_of_known_length_are_relayed_whole_on_one_kept_connection(server):
    # through the real front and gunicorn: a body of many 64 KB chunks, a HEAD answer (a length
    # but no body) and a small answer follow each other on one connection, each whole (that the
    # front does not wait for gunicorn's close is tested against a fake backend in
    # tests/server/test_front_framing.py)
    host, port = _address(server.url)
    many = "/sparql?query=" + "SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%205000"
    count = "/sparql?query=" + "SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%7BSELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%205000%7D%7D"
    conn = http.client.HTTPConnection(host, port, timeout=GUARD)
    try:
        conn.request("GET", many)
        big = conn.getresponse()
        body = big.read()
        sock = conn.sock
        conn.request("HEAD", many)
        head = conn.getresponse()
        assert head.read() == b""
        conn.request("GET", count)
        small = conn.getresponse()
        n = small.read()
        assert conn.sock is sock            # the same connection all along
    finally:
        conn.close()
    assert big.status == 200 and len(body) == int(big.headers["Content-Length"]) > 4 * 65536
    assert head.status == 200 and int(head.headers["Content-Length"]) == len(body)
    rows = json.loads(body)["results"]["bindings"]
    assert len(rows) == int(json.loads(n)["results"]["bindings"][0]["n"]["value"]) == 5000
