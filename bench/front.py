"""The front's cost (server/front.py): one GET answered by gunicorn directly on its Unix socket
(the baseline, measured in the same run) and through the front, as ``ofsted-kg serve`` stacks
them, with a trivial WSGI app so that only the path is measured.

Run: ``.venv/bin/python bench/front.py [--requests 3000] [--body 600] [--rounds 3]``

Prints per round the median round trip both ways, the front's added time and the ratio, and
the CPU each process spent per request (from /proc: robust on a busy machine, where wall
times are not). Measured 5 Dec 2026, quiet, this bench run on 14dd061 and on the change in
the same spell: a 600-byte answer, the front added 0.19-0.23 ms (207-223 us CPU) with one
backend connection per request and ``asyncio.wait_for``, 0.16-0.21 ms (113-133 us) with kept
backend connections (server/backends.py) and ``asyncio.timeout``; a 600 KB answer 0.79-0.81
-> 0.28-0.32 ms (930 -> 360-450 us CPU; the client's side drained only past a chunk).
"""
from __future__ import annotations

import argparse
import asyncio
import http.client
import multiprocessing as mp
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.front import Front, Limits  # noqa: E402
from server.serve import gunicorn_options  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from serving import free_port, process_tree  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def trivial_app(body: bytes):
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
    return app


def run_gunicorn(sock: str, private: str, body: bytes) -> None:
    from gunicorn.app.base import BaseApplication

    class Trivial(BaseApplication):
        def load_config(self):
            options = gunicorn_options({"WORKERS": 1, "THREADS": 8, "QUERY_TIMEOUT": 30}, sock, private)
            options.update(accesslog="/dev/null", errorlog="/dev/null")
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return trivial_app(body)
    Trivial().run()


def run_front(sock: str, port: int) -> None:
    async def main():
        await Front(sock, Limits()).start("127.0.0.1", port)
        await asyncio.Event().wait()
    asyncio.run(main())


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str):
        super().__init__("localhost", timeout=30)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(self.path)


def round_trips(make, n: int) -> float:
    """Median seconds of ``n`` GETs on one kept-alive connection (a new one when closed)."""
    conn, times = make(), []
    for _ in range(n):
        started = time.perf_counter()
        conn.request("GET", "/x", headers={"X-Forwarded-For": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        times.append(time.perf_counter() - started)
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = make()
    conn.close()
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--body", type=int, default=600, help="bytes of the answer's body")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    private = tempfile.mkdtemp(prefix="ofsted-kg-bench-front-")
    sock = os.path.join(private, "gunicorn.sock")
    fork = mp.get_context("fork")
    gunicorn = fork.Process(target=run_gunicorn, args=(sock, private, b"x" * args.body), daemon=True)
    gunicorn.start()
    port = free_port()
    front = fork.Process(target=run_front, args=(sock, port), daemon=True)
    front.start()
    try:
        deadline = time.monotonic() + 30
        while not os.path.exists(sock) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        processes = {"front": [front.pid], "gunicorn": process_tree(gunicorn.pid)}
        print(f"{args.requests} GETs per way, a {args.body}-byte answer from a trivial app on gunicorn")
        for rnd in range(args.rounds):
            line = []
            for label, make in (("direct", lambda: UnixConnection(sock)),
                                ("front", lambda: http.client.HTTPConnection("127.0.0.1", port, timeout=30))):
                before = {k: sum(cpu_seconds(p) for p in v) for k, v in processes.items()}
                median = round_trips(make, args.requests)
                cpu = {k: (sum(cpu_seconds(p) for p in v) - before[k]) / args.requests * 1e6
                       for k, v in processes.items()}
                line.append((label, median, cpu))
            (_, direct, dcpu), (_, through, fcpu) = line
            print(f"round {rnd + 1}: gunicorn directly {direct * 1000:.3f} ms ({dcpu['gunicorn']:.0f} us CPU); "
                  f"through the front {through * 1000:.3f} ms (front {fcpu['front']:.0f} us CPU, gunicorn "
                  f"{fcpu['gunicorn']:.0f}): the front adds {(through - direct) * 1000:.3f} ms, "
                  f"ratio {through / direct:.2f}")
    finally:
        front.kill()
        gunicorn.terminate()
        gunicorn.join(10)
        shutil.rmtree(private, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
