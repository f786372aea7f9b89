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


def pss_mb(pid: int) -> float:
    """A process's proportional set size: pages shared with other processes (gunicorn's forks,
    the worker processes' libraries) split among their sharers; 0 when it has gone."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0) / 1024


def tree_pss_mb(pid: int) -> float:
    """Proportional set size of the process tree (shared pages counted once)."""
    return sum(pss_mb(p) for p, _, _ in processes(pid))


def roles(pid: int) -> dict[int, str]:
    """pid -> role in ``ofsted-kg serve``'s tree: the front, gunicorn, a web worker, a query worker."""
    parent = {p: pid for p in process_tree(pid)}
    for p in parent:
        try:
            parent[p] = int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            pass
    out = {}
    for p, cmd, _ in processes(pid):
        if p == pid:
            out[p] = "front"
        elif "core.worker" in cmd:
            out[p] = "query worker"
        elif parent.get(p) == pid:
            out[p] = "gunicorn"
        else:
            out[p] = "web worker"
    return out


def snapshot(pid: int) -> dict[int, tuple[str, float, float]]:
    """pid -> (role, RSS MB, PSS MB) for every process of the tree."""
    named = roles(pid)
    return {p: (named.get(p, "?"), rss, pss_mb(p)) for p, _, rss in processes(pid)}


def print_snapshot(now: dict, before: dict) -> None:
    """One line per process: role, RSS, PSS and what the step added to its RSS."""
    order = ("front", "gunicorn", "web worker", "query worker", "?")
    for p, (role, rss, pss) in sorted(now.items(), key=lambda kv: (order.index(kv[1][0]), kv[0])):
        grown = rss - before[p][1] if p in before else rss
        print(f"    {role:13} {p:>7} RSS {rss:6.0f} PSS {pss:6.0f} MB  {'+' if p in before else 'new '}{grown:.0f}")

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
        before = snapshot(server.pid)
        print_snapshot(before, {})
        peak, peak_pss, peaks, at_peak = 0.0, 0.0, {}, ""
        for label, todo in steps:
            t, bad = time.perf_counter(), []
            for path in todo:
                status, _ = fetch(conn, path)
                if status != 200:
                    bad.append(f"{path}: {status}")
                now = snapshot(server.pid)
                if sum(v[1] for v in now.values()) > peak:
                    at_peak = f"after {path}: " + ", ".join(
                        f"{role} {rss:.0f}" for role, rss, _ in sorted(now.values()))
                peak = max(peak, sum(v[1] for v in now.values()))
                peak_pss = max(peak_pss, sum(v[2] for v in now.values()))
                for p, (role, rss, _) in now.items():
                    peaks[p] = (role, max(rss, peaks.get(p, (role, 0.0))[1]))
            rss = tree_rss_mb(server.pid)
            print(f"{label:44} {len(todo):8} {time.perf_counter() - t:8.1f} {rss:12.0f} "
                  f"{tree_pss_mb(server.pid):12.0f}"
                  + (f"  not 200: {bad}" if bad else ""), flush=True)
            now = snapshot(server.pid)
            print_snapshot(now, before)
            before = now
        print(f"peak tree RSS {peak:.0f} MB, peak tree PSS {peak_pss:.0f} MB (read after each request; "
              f"target < 500 MB); PSS now {tree_pss_mb(server.pid):.0f} MB")
        print(f"the tree's RSS peaked {at_peak}")
        print("peak RSS per process (processes that ended included): "
              + ", ".join(f"{role} {rss:.0f}" for role, rss in sorted(peaks.values())))
    finally:
        server.terminate()
        server.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
