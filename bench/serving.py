"""The server side of the benches: ``ofsted-kg serve`` started on an ephemeral port of 127.0.0.1,
its processes' memory read from /proc, GETs on keep-alive connections (with the engine time
the answer's ``Server-Timing`` gives), and a concurrent load of client processes.

Used by ``bench/query.py``, ``bench/memory.py``, ``bench/datasette.py`` and ``bench/soak.py``.
"""
from __future__ import annotations

import http.client
import multiprocessing as mp
import os
import re
import subprocess
import sys
import socket
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


def host_speed() -> str:
    """One line saying how fast this host runs Python now: the best of five runs of
    ``sum(range(10000))`` (80-100 us on this machine when quiet, 160-190 on its slow spells,
    when every figure here is about twice as high). Printed at the top of a bench's output, so
    that runs of different hours are compared knowing it."""
    import timeit
    best = min(timeit.repeat("sum(range(10000))", number=2000, repeat=5)) / 2000 * 1e6
    return f"host: sum(range(10000)) {best:.0f} us (quiet: 80-100 us; about {best / 90:.1f}x a quiet host)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, port: int, cache: bool = True, settings: dict | None = None,
                 code: Path = ROOT) -> subprocess.Popen:
    """``ofsted-kg serve`` on ``store``; ``cache=False`` turns the result cache and the answer
    files off, so that every request runs its query (the path the HTTP-vs-bare comparison is about).

    :param settings: more ``OFSTED_KG_*`` variables for this server (name without the prefix).
    :param code: the checkout whose code the server runs (``python -m ingest`` in that folder:
        another version, e.g. a ``git worktree`` of an earlier commit, for a side-by-side run).
    """
    # every load client comes from 127.0.0.1: lift the per-client query limit (CLIENT_QUERIES)
    # no dump writer at start: it would share the cores with what is measured
    env = dict(os.environ, OFSTED_KG_CLIENT_QUERIES="0", OFSTED_KG_DUMPS_AT_START="false")
    env.update({f"OFSTED_KG_{name}": str(value) for name, value in (settings or {}).items()})
    if not cache:       # else the defaults (or the caller's settings)
        env["OFSTED_KG_RESULT_CACHE_MB"] = "0"
        env["OFSTED_KG_ANSWER_FILES_MB"] = "0"       # no big answer sent from a file either
    proc = subprocess.Popen([sys.executable, "-m", "ingest", "serve", "--store", str(store),
                             "--host", "127.0.0.1", "--port", str(port)], cwd=code, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql"
    for _ in range(600):
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=10)
            return proc
        except requests.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("the server did not start")


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children.get(p, [])
    return found


def proc_mb(pid: int, file: str, field: str) -> float:
    """A memory figure (kB in /proc/<pid>/<file>, line ``<field>:``) in MB; 0 when it has gone."""
    try:
        lines = Path(f"/proc/{pid}/{file}").read_text().splitlines()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) for line in lines if line.startswith(field + ":")), 0) / 1024


def rss_mb(pid: int) -> float:
    """A process's resident memory (0 when it has gone)."""
    return proc_mb(pid, "status", "VmRSS")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    return sum(rss_mb(p) for p in process_tree(pid))


def fetch(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    """GET ``path`` on a keep-alive connection: status and body, read to the end."""
    response = answer(conn, path)
    return response.status, response.read()


def answer(conn: http.client.HTTPConnection, path: str) -> http.client.HTTPResponse:
    """GET ``path`` on a keep-alive connection: the response, its body still to read. A
    connection the server closed while idle (its keep-alive lasts seconds) is opened again."""
    try:
        conn.request("GET", path)
        return conn.getresponse()
    except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
        conn.close()
        conn.request("GET", path)
        return conn.getresponse()


def engine_ms(conn: http.client.HTTPConnection, path: str, into: list[float]) -> None:
    """GET ``path`` and add to ``into`` the engine time its ``Server-Timing`` header gives (the
    query worker's evaluation and serialization, server/timing.py)."""
    response = answer(conn, path)
    response.read()
    found = re.search(r"engine;dur=([\d.]+)", response.getheader("Server-Timing") or "")
    if found:
        into.append(float(found.group(1)) / 1000)


def load_client(port: int, path: str, n: int, out) -> None:
    """One client: ``n`` GETs on one keep-alive connection (http.client: a light client, like
    wrk or ab, so that on a 2-core machine the clients leave the CPU to the server)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    lat, errors = [], 0
    for _ in range(n):
        t = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        lat.append(time.perf_counter() - t)
        errors += not ok
    out.put((lat, errors))


def load_run(port: int, path: str, total: int, clients: int) -> tuple[float, float, float, int]:
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    procs = [ctx.Process(target=load_client, args=(port, path, total // clients, out)) for _ in range(clients)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    elapsed = time.perf_counter() - start
    for p in procs:
        p.join()
    lat = sorted(x for r in results for x in r[0])
    return len(lat) / elapsed, lat[len(lat) // 2], lat[int(len(lat) * 0.99)], sum(r[1] for r in results)
