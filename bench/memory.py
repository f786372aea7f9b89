"""The server's memory while it serves the canned pages: ``ofsted-kg serve`` on one store, the
resident memory (RSS) of its process tree (gunicorn, its web workers and their query workers)
read from /proc after each step.

Run: ``.venv/bin/python bench/memory.py --store DIR`` (the result cache on, as by default: 64 MB
per web worker)

Steps: the server started and answering; every canned query's HTML page with its example
parameters; the same as JSON and CSV; for ``judgements``, ``recommendations`` and ``statistics``
other pages, a sort and a facet (served from the decoded rows the server keeps per store
stamp); everything again (what a second round adds is growth, not warm-up). Prints the tree's
RSS and each process's after each step. Target (issue 16): under 500 MB at 150 x 10.

Measured 4 Dec 2026 at 150 x 10 (4.0M quads; 2 web workers, 3 query workers each):
before the rows were decoded with shared cells, peak tree RSS 927 MB, the second round 92 s;
after (rows cache 64 MB of JSON per web worker instead of 16, so the big tables stay decoded),
on main's core/ layer (23:07): peak RSS 981 MB, PSS 808 MB, the second round 54 s. Not met:
web workers 206 and 268 MB (byte cache and decoded rows), the two busy query workers 138 and
159 MB, four idle ones 36 MB each, the front 42 MB, gunicorn 25 MB.
"""
from __future__ import annotations

import argparse
import http.client
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import queries  # noqa: E402
from query import fetch, free_port, process_tree, rss_mb, start_server, tree_rss_mb  # noqa: E402

BIG = ("judgements", "recommendations", "statistics")


def processes(pid: int) -> list[tuple[int, str, float]]:
    """(pid, command, RSS MB) of a process and its descendants."""
    out = []
    for p in process_tree(pid):
        try:
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:60]
        except OSError:
            continue
        out.append((p, cmd, rss_mb(p)))
    return out


def tree_pss_mb(pid: int) -> float:
    """Proportional set size of the process tree: pages shared between processes (gunicorn's
    forks, the worker processes' libraries) counted once, split among their sharers."""
    total = 0
    for p, _, _ in processes(pid):
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
    return total / 1024


def paths(names: list[str]) -> list[str]:
    """Every canned page with its examples, then its JSON and CSV twins."""
    out = []
    for fmt in ("", ".json", ".csv"):
        for name in names:
            q = queries.get(name)
            values = {p.name: p.example for p in q.params if p.example is not None}
            out.append(f"/queries/{name}{fmt}?{urllib.parse.urlencode(values)}")
    return out


def table_pages(columns: dict[str, tuple[str, str]]) -> list[str]:
    """Other pages, a sort and a facet of the big tables."""
    out = []
    for name, (first, facet) in columns.items():
        for args in ({"_next": "100"}, {"_sort_desc": first}, {"_facet": facet}, {"_size": "max"}):
            out.append(f"/queries/{name}?{urllib.parse.urlencode(args)}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    args = ap.parse_args()
    port = free_port()
    t = time.perf_counter()
    server = start_server(args.store, port, cache=True)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    names = sorted(queries.load_all())
    steps = [("canned pages, JSON and CSV", paths(names)),
             ("pages, sorts and facets of the big tables",
              table_pages({"judgements": ("authority", "grade"), "recommendations": ("authority", "band"),
                           "statistics": ("authority", "unit")})),
             ("everything again", paths(names) + table_pages(
                 {"judgements": ("authority", "grade"), "recommendations": ("authority", "band"),
                  "statistics": ("authority", "unit")}))]
    try:
        print(f"store {args.store}")
        print(f"{'step':44} {'requests':>8} {'seconds':>8} {'tree RSS MB':>12} {'tree PSS MB':>12}")
        print(f"{'started':44} {0:8} {time.perf_counter() - t:8.1f} {tree_rss_mb(server.pid):12.0f} "
              f"{tree_pss_mb(server.pid):12.0f}")
        peak = 0.0
        for label, todo in steps:
            t, bad = time.perf_counter(), []
            for path in todo:
                status, _ = fetch(conn, path)
                if status != 200:
                    bad.append(f"{path}: {status}")
                peak = max(peak, tree_rss_mb(server.pid))
            rss = tree_rss_mb(server.pid)
            print(f"{label:44} {len(todo):8} {time.perf_counter() - t:8.1f} {rss:12.0f} "
                  f"{tree_pss_mb(server.pid):12.0f}"
                  + (f"  not 200: {bad}" if bad else ""), flush=True)
        print(f"peak tree RSS (read after each request): {peak:.0f} MB; PSS now {tree_pss_mb(server.pid):.0f} MB "
              "(target < 500 MB)")
        for pid, cmd, rss in processes(server.pid):
            print(f"  {pid:>7} {rss:7.0f} MB  {cmd}")
    finally:
        server.terminate()
        server.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
