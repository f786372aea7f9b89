"""The server's memory while it serves the canned pages: ``ofsted-kg serve`` on one store, the
resident memory (RSS) of its process tree (gunicorn, its web workers and their query workers)
read from /proc after each step.

Run: ``.venv/bin/python bench/memory.py --store DIR`` (the server's default settings; set
``OFSTED_KG_*`` variables to try others, e.g. ``OFSTED_KG_WORKERS=1``)

Steps: the server started and answering; every canned query's HTML page with its example
parameters; the same as JSON and CSV; for ``judgements``, ``recommendations`` and ``statistics``
other pages, a sort and a facet (served from the decoded rows the server keeps per store
stamp); everything again (what a second round adds is growth, not warm-up). Prints the tree's
RSS and PSS after each step, each process's (front, gunicorn, web worker, query worker) with
what the step added, the tree's peak (read after every request) and which processes made it.
A step's seconds include reading /proc after every request (10-20 ms each). Target (issue 16):
under 500 MB at 150 x 10.

Measured 4 Dec 2026 at 150 x 10 (4.0M quads; 2 web workers, 3 query workers each): peak RSS
981 MB, PSS 808 MB (web workers 206 and 268 MB, busy query workers 138 and 159, four idle ones
36 each, the front 42, gunicorn 25).

Measured 5 Dec 2026 on a busy 2-core machine, as peak tree RSS / PSS (MB), then RSS / PSS after
everything twice and the processes then:

* 150 x 10, main 7411c99: 1025 / 857; 1025 / 857 (web workers 214, 289; query workers 153,
  157 and four idle at 36; front 43; gunicorn 25).
* + query workers on demand and QUERY_KEEP_MB (the store still held by the loop, so no effect
  yet): 780 / 686; 699 / 610 (web 246, 205; query 114, 68).
* + the store really closed, heap configured in every process: 566 / 427; 483 / 387 (web
  176, 161; query 39, 39).
* + RESULT_CACHE_MB 48 instead of 64: 496 / 358; 404 / 310 (web 123, 135; query 41, 38).
* + mmap threshold 4 MB, trim threshold 8 MB (the defaults now): 466 / 366; 414 / 316 (web
  119, 137; query 43, 41; front 49; gunicorn 25).
* WORKERS=1, the cache at 64, a 1 MB mmap threshold: 317 / 243; 290 / 228 (web 183; query 40).
* national (575k triples), main: 498-513 / 338-351; the defaults now: 331-336 / 233-244
  (web 62-72; query 59-65).

Then 5 Dec 2026 03:10-03:25 (150 x 10, a machine shared with two other engineers' jobs), peak RSS
/ PSS: main 9a427ea 503 / 411 (web workers 158, 161; a query worker 86); + web workers trim
after a response that left them large (server/memory.py) 485 / 390, another run 570 / 414 (a
query worker read at 140 MB just after answering, before its own trim); + WORKERS=1 339 / 251
(web 172, query 104); + QUERY_KEEP_MB 96, the defaults now: 341 / 279 (web 171, query 128).

What is left at 150 x 10: each web worker's decoded rows and bodies (up to 48 MB of JSON kept
as ~1.8x in rows, plus a quarter as written bodies), the front 42-49 MB and gunicorn 25 MB
(mostly the same pages: PSS 16 and 13). The peak is sampled after each response: a query
worker answering ``statistics`` at 150 x 10 peaks at 290-440 MB *during* the query (the
engine's own hash tables) and is read at ~100 MB just after it, before it gives memory back.
WORKERS=1 halves the caches but cut cached-page throughput by a third on two cores (1598 ->
1062 req/s wall for a cached JSON page, same CPU per request), so the default stays 2.

After merging the page path (main, 5 Dec 01:31, quiet machine; pages of the big tables no
longer decode whole results, and what they keep is in PAGE_STATE_MB): peak tree RSS 486 MB,
PSS 395 MB; per process at the peak: web workers 139 and 153, query workers 57 and 63 (peaks
69 and 95 including ended ones), front 49, gunicorn 25.

``--dumps-at-start``, 150 x 10, 5 Dec 2026 10:40-11:45 (busy 2-core machine): main 14dd061
peak tree RSS 558 MB (at the peak: writer 155, web worker 197, query workers 95 and 36 — the
second the writer's own idle one); the writer's own peak 199. Without the writer 374 MB. With
the writer reading in bounded memory (core.store.EmbeddedStore.reopen) and its query pool
closed at once: 482, 443 and 452 MB in three runs (writer 70-90 at the peak), the writer's own
peak 113-122 MB.

6 Dec 2026 (slow host), 150 x 10, the defaults: peak tree RSS 365 MB, PSS 292. Two designs that
kept the whole canned answers as files at the server's start, measured here and dropped: the
start-up process asking its own app (its query worker 449 MB beside the web worker's, while this
bench asked the same tables) peaked at 846 MB; asking through the server's own workers, 713 MB,
and two of this bench's ``?_size=max`` pages got 503 (the long-query slot taken). The answers are
kept as ``ingest`` and ``update`` end instead (server/keepanswers.py): the server's figure is
unchanged.

6 Dec 2026 17:15 (``sum(range(10000))`` 116 us), 150 x 10 with its answers kept by the keeper a
write through the server starts (server/keeplater.py; a process of its own, gone before this
run), the defaults: peak tree RSS 378 MB, PSS 303 (web worker 199, query worker 96-106).
"""
from __future__ import annotations

import argparse
import http.client
import os
import shutil
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import queries  # noqa: E402
from serving import fetch, free_port, proc_mb, process_tree, rss_mb, start_server, tree_rss_mb  # noqa: E402

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
    return proc_mb(pid, "smaps_rollup", "Pss")


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
        elif _comm(p) == "ofsted-kg-dumps":
            out[p] = "dump writer"
        elif "core.worker" in cmd:
            out[p] = "query worker"
        elif parent.get(p) == pid:
            out[p] = "gunicorn"
        else:
            out[p] = "web worker"
    return out


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs (not ended, nor a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def snapshot(pid: int) -> dict[int, tuple[str, float, float]]:
    """pid -> (role, RSS MB, PSS MB) for every process of the tree."""
    named = roles(pid)
    return {p: (named.get(p, "?"), rss, pss_mb(p)) for p, _, rss in processes(pid)}


def print_snapshot(now: dict, before: dict) -> None:
    """One line per process: role, RSS, PSS and what the step added to its RSS."""
    order = ("front", "gunicorn", "web worker", "query worker", "dump writer", "?")
    for p, (role, rss, pss) in sorted(now.items(), key=lambda kv: (order.index(kv[1][0]), kv[0])):
        grown = rss - before[p][1] if p in before else rss
        print(f"    {role:13} {p:>7} RSS {rss:6.0f} PSS {pss:6.0f} MB  {'+' if p in before else 'new '}{grown:.0f}")

@dataclass
class Peak:
    """The tree's largest RSS and PSS seen, where, and each process's largest RSS."""

    rss: float = 0.0
    pss: float = 0.0
    where: str = ""
    per_process: dict = field(default_factory=dict)     # pid -> (role, MB)

    def see(self, now: dict[int, tuple[str, float, float]], when: str) -> None:
        """Take one reading of the tree (:func:`snapshot`)."""
        rss = sum(v[1] for v in now.values())
        if rss > self.rss:
            self.where = f"{when}: " + ", ".join(f"{role} {mb:.0f}" for role, mb, _ in sorted(now.values()))
        self.rss = max(self.rss, rss)
        self.pss = max(self.pss, sum(v[2] for v in now.values()))
        for p, (role, mb, _) in now.items():
            self.per_process[p] = (role, max(mb, self.per_process.get(p, (role, 0.0))[1]))


def paths(names: list[str]) -> list[str]:
    """Every canned page with its examples, then its JSON and CSV twins."""
    out = []
    for fmt in ("", ".json", ".csv"):
        for name in names:
            q = queries.get(name)
            values = q.examples()
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
    ap.add_argument("--dumps-at-start", action="store_true",
                    help="start the server as `ofsted-kg serve` does by default, writing the /download/ "
                         "files at start-up in a process of its own (counted in the tree while it runs; "
                         "its dumps folder is removed first so that it writes them)")
    args = ap.parse_args()
    port = free_port()
    t = time.perf_counter()
    if args.dumps_at_start:            # the server's dumps folder, emptied so that it writes them
        configured = os.environ.get("OFSTED_KG_DUMPS_DIR")
        shutil.rmtree(Path(configured) if configured else Path(str(args.store.resolve()) + "-dumps"),
                      ignore_errors=True)
    server = start_server(args.store, port, cache=True,
                          settings={"DUMPS_AT_START": "true"} if args.dumps_at_start else None)
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
        peak = Peak()
        for label, todo in steps:
            t, bad = time.perf_counter(), []
            for path in todo:
                status, _ = fetch(conn, path)
                if status != 200:
                    bad.append(f"{path}: {status}")
                peak.see(snapshot(server.pid), f"after {path}")
            rss = tree_rss_mb(server.pid)
            print(f"{label:44} {len(todo):8} {time.perf_counter() - t:8.1f} {rss:12.0f} "
                  f"{tree_pss_mb(server.pid):12.0f}"
                  + (f"  not 200: {bad}" if bad else ""), flush=True)
            now = snapshot(server.pid)
            print_snapshot(now, before)
            before = now
        t = time.perf_counter()
        while time.perf_counter() - t < 3600:  # read twice a second until the dump writer ends
            now = snapshot(server.pid)
            if not any(role == "dump writer" and _alive(p) for p, (role, _, _) in now.items()):
                break
            peak.see(now, "while the dump writer ran on")
            time.sleep(0.5)
        if time.perf_counter() - t > 1:
            print(f"{'the dump writer ran on':44} {0:8} {time.perf_counter() - t:8.1f} "
                  f"{tree_rss_mb(server.pid):12.0f} {tree_pss_mb(server.pid):12.0f}")
        print(f"peak tree RSS {peak.rss:.0f} MB, peak tree PSS {peak.pss:.0f} MB (read after each request; "
              f"target < 500 MB); PSS now {tree_pss_mb(server.pid):.0f} MB")
        print(f"the tree's RSS peaked {peak.where}")
        print("peak RSS per process (processes that ended included): "
              + ", ".join(f"{role} {rss:.0f}" for role, rss in sorted(peak.per_process.values())))
    finally:
        server.terminate()
        server.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
