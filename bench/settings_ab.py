"""Two server settings side by side on one store: every canned query asked of both servers in
turn, and a load run on each.

Run: ``.venv/bin/python bench/settings_ab.py --store DIR --a LOCAL_QUERY_MS=0 [--b ...]
[--a-code DIR] [--repeat 25] [--load QUERY] [--requests 3000] [--clients 16] [QUERY ...]``

Starts ``ofsted-kg serve`` twice on ``DIR`` with the result cache off (every request runs its
query), server A with the ``--a`` settings and server B with ``--b`` (``NAME=VALUE``, the
``OFSTED_KG_`` prefix left out; none: the defaults). For each canned query with its example
parameters, GETs of its JSON alternate between A and B (so a slow spell of the machine hits both
alike) and it prints each server's median, B minus A, and B's engine time (its ``Server-Timing``)
and the path (HTTP minus that). With ``--a-code DIR``, server A runs the code
checked out in ``DIR`` instead (``git worktree add DIR <commit>``): two versions of the code side
by side, with the same settings unless ``--a``/``--b`` say otherwise. With ``--load``, a load run on each server then prints requests a
second, p50/p99 and errors, and the server's memory after it.

Measured 5 Dec 2026 04:23 UTC, corpus/ + corpus-national, quiet machine:

- ``--a LOCAL_QUERY_MS=0`` (every query in a query worker) against the defaults: B 0.1-1.1 ms
  faster for 22 of 23 canned queries (median 0.36; neighbour-grades +0.7), B's path 1.0-3.0 ms.
- ``--a WORKERS=1 --b WORKERS=2 --load authority-timeline``: 475 against 864 requests a second
  (p99 56 and 50 ms), 200 against 263 MB; with ``LOCAL_QUERY_MS=0`` on both, 656 against 796
  (221 against 373 MB). Short queries in the web worker use its one process: with one web
  worker the server answers about half as many uncached short queries on 2 cores, and keeps
  to 401 MB at 150 x 10 (``bench/memory.py``), where two went over 500 MB.
"""
from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from core.canned import load_all  # noqa: E402
from query import interleaved  # noqa: E402
from serving import engine_ms, fetch, free_port, load_run, start_server, tree_rss_mb  # noqa: E402


def settings(pairs: list[str]) -> dict[str, str]:
    """``["NAME=VALUE", ...]`` as a dict."""
    return dict(pair.split("=", 1) for pair in pairs)


def path_of(q) -> str:
    values = q.examples()
    return f"/queries/{q.name}.json" + ("?" + urllib.parse.urlencode(values) if values else "")


def side_by_side(ports: tuple[int, int], names: list[str], repeat: int) -> None:
    conns = [http.client.HTTPConnection("127.0.0.1", p, timeout=120) for p in ports]
    print(f"{'query':40} {'A ms':>7} {'B ms':>7} {'B-A':>6} {'B engine':>9} {'B path':>7}")
    for name, q in sorted(load_all().items()):
        if names and name not in names:
            continue
        path = path_of(q)
        for _ in range(3):                             # B has seen the job: short ones run locally
            fetch(conns[0], path)
            fetch(conns[1], path)
        engines: list[float] = []                      # B's, in seconds
        a, b = (statistics.median(t) * 1000 for t in interleaved(
            [lambda: fetch(conns[0], path), lambda: engine_ms(conns[1], path, engines)], repeat, 600.0))
        e = statistics.median(engines) * 1000 if engines else float("nan")
        print(f"{name:40} {a:7.2f} {b:7.2f} {b - a:+6.2f} {e:9.2f} {b - e:7.2f}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--a", nargs="*", default=[], help="server A's settings, NAME=VALUE")
    ap.add_argument("--b", nargs="*", default=[], help="server B's settings, NAME=VALUE")
    ap.add_argument("--a-code", type=Path, default=ROOT,
                    help="the checkout server A runs (default: this one), e.g. a worktree of an earlier commit")
    ap.add_argument("--repeat", type=int, default=25)
    ap.add_argument("--load", help="a canned query for a load run on each server")
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("names", nargs="*", help="only these canned queries")
    args = ap.parse_intermixed_args()
    sides = (settings(args.a), settings(args.b))
    codes = (args.a_code.resolve(), ROOT)
    print(f"A: {sides[0] or 'defaults'}, code {codes[0]}; B: {sides[1] or 'defaults'}, code {codes[1]}; "
          "result cache off")
    ports = (free_port(), free_port())
    servers = [start_server(args.store, port, cache=False, settings=s, code=c)
               for port, s, c in zip(ports, sides, codes)]
    try:
        side_by_side(ports, args.names, args.repeat)
        if args.load:
            path = path_of(load_all()[args.load])
            for label, port, server in zip("AB", ports, servers):
                load_run(port, path, 200, 4)                      # warm-up
                rate, p50, p99, errors = load_run(port, path, args.requests, args.clients)
                print(f"load {label}: {args.load}, {args.requests} requests from {args.clients} clients: "
                      f"{rate:.0f} req/s, p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, errors {errors}, "
                      f"server memory {tree_rss_mb(server.pid):.0f} MB", flush=True)
    finally:
        for server in servers:
            server.terminate()
            server.wait(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
