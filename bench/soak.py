"""Soak test: a mixed query load on ``ofsted-kg serve`` for a bounded time, with memory at start and end.

Run: ``.venv/bin/python bench/soak.py [--seconds 600] [--clients 16] [STORE]``

Without ``STORE`` the bundled corpus is ingested into a temporary store first. The server
(gunicorn, ``ofsted-kg serve``) listens on a free port on 127.0.0.1. Each of ``--clients``
client processes walks a shuffled mix of requests until the time is up: canned-query pages
(HTML, JSON, CSV, with their example parameters), ``/sparql`` SELECTs in JSON, XML, CSV and
TSV, ASK, CONSTRUCT in Turtle and JSON-LD, and entity pages (HTML and Turtle). Printed: requests,
throughput, p50/p99 latency (overall and per kind), errors (any status but 200, or no answer),
and the resident memory of the server and all its processes (gunicorn workers and query
workers, summed from /proc) after the warm-up, every ``--sample`` seconds, and at the end.

Issue 6 target: zero errors and no memory growth worth naming.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import requests  # noqa: E402

from query import corpus_store  # noqa: E402  (bench/query.py)
from serving import free_port, start_server, tree_rss_mb  # noqa: E402

from core.vocab import OFS  # noqa: E402
from core import iris  # noqa: E402

BRISTOL = iris.authority("E06000023")
SELECTS = {
    "judgements by authority": f"""PREFIX ofs: <{OFS}>
SELECT ?la (COUNT(?j) AS ?n) WHERE {{ ?j a ofs:Judgement ; ?p ?o . ?la a ofs:LocalAuthority }}
GROUP BY ?la ORDER BY ?la LIMIT 50""",
    "triples per graph": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "labels": "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
              "SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 200",
}
CONSTRUCT = f"CONSTRUCT {{ <{BRISTOL}> ?p ?o . ?s ?q <{BRISTOL}> }} WHERE {{ {{ <{BRISTOL}> ?p ?o }} UNION {{ ?s ?q <{BRISTOL}> }} }}"
RESULT_ACCEPTS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                  "csv": "text/csv", "tsv": "text/tab-separated-values"}


def request_mix() -> list[tuple[str, str, dict, dict]]:
    """(kind, path, params, headers) for every request the clients make."""
    import queries
    mix = []
    for q in sorted(queries.load_all().values(), key=lambda q: q.name):
        params = q.examples()
        mix.append(("canned html", f"/queries/{q.name}", params, {}))
        mix.append(("canned json", f"/queries/{q.name}.json", params, {}))
        mix.append(("canned csv", f"/queries/{q.name}.csv", params, {}))
    for text in SELECTS.values():
        for name, accept in RESULT_ACCEPTS.items():
            mix.append((f"select {name}", "/sparql", {"query": text}, {"Accept": accept}))
    mix.append(("ask", "/sparql", {"query": f"ASK {{ <{BRISTOL}> ?p ?o }}"}, {}))
    for accept in ("text/turtle", "application/ld+json"):
        mix.append((f"construct {accept.rsplit('/', 1)[1]}", "/sparql", {"query": CONSTRUCT}, {"Accept": accept}))
    for path in ("/doc/authority/E06000023", "/doc/authority/E06000022", "/def"):
        mix.append(("entity html", path, {}, {"Accept": "text/html"}))
        mix.append(("entity turtle", path, {}, {"Accept": "text/turtle"}))
    mix.append(("home", "/", {}, {}))
    return mix


def client(url: str, mix: list, until: float, seed: int, out) -> None:
    rng = random.Random(seed)
    session = requests.Session()
    records = []            # (kind, seconds, ok)
    errors = []
    while time.time() < until:
        order = list(range(len(mix)))
        rng.shuffle(order)
        for i in order:
            if time.time() >= until:
                break
            kind, path, params, headers = mix[i]
            t = time.perf_counter()
            try:
                r = session.get(url + path, params=params, headers=headers, timeout=60)
                ok = r.status_code == 200
                if not ok and len(errors) < 20:
                    errors.append(f"{kind} {path}: HTTP {r.status_code} {r.text[:120]!r}")
            except requests.RequestException as exc:
                ok = False
                if len(errors) < 20:
                    errors.append(f"{kind} {path}: {type(exc).__name__}: {exc}")
            records.append((kind, time.perf_counter() - t, ok))
    out.put((records, errors))


def percentile(sorted_xs: list[float], q: float) -> float:
    return sorted_xs[min(len(sorted_xs) - 1, int(q * len(sorted_xs)))] if sorted_xs else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", nargs="?", help="an existing store directory (default: the corpus, ingested)")
    parser.add_argument("--seconds", type=float, default=600.0, help="how long the load runs (default 600)")
    parser.add_argument("--clients", type=int, default=16, help="client processes (default 16)")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds of load before the first memory sample")
    parser.add_argument("--sample", type=float, default=60.0, help="seconds between memory samples")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ofsted-kg-soak-") as tmp:
        store = Path(args.store) if args.store else corpus_store(Path(tmp))
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = start_server(store, port)
        try:
            mix = request_mix()
            print(f"soak: {args.clients} clients for {args.seconds:g} s against {url} (store {store}); "
                  f"{len(mix)} distinct requests")
            start = time.time()
            until = start + args.warmup + args.seconds
            out = mp.get_context("spawn").Queue()
            procs = [mp.get_context("spawn").Process(target=client, args=(url, mix, until, i, out))
                     for i in range(args.clients)]
            for p in procs:
                p.start()
            time.sleep(args.warmup)
            rss_start = tree_rss_mb(server.pid)
            samples = [(0.0, rss_start)]
            print(f"memory after {args.warmup:g} s warm-up: {rss_start:.0f} MB", flush=True)
            next_sample = time.time() + args.sample
            while time.time() < until - 1:
                time.sleep(min(1.0, max(0.0, until - time.time())))
                if time.time() >= next_sample:
                    samples.append((time.time() - start - args.warmup, tree_rss_mb(server.pid)))
                    print(f"  t={samples[-1][0]:.0f} s: {samples[-1][1]:.0f} MB", flush=True)
                    next_sample += args.sample
            rss_end = tree_rss_mb(server.pid)
            results = [out.get(timeout=120) for _ in procs]
            for p in procs:
                p.join(30)
            elapsed = time.time() - start
        finally:
            server.terminate()
            try:
                server.wait(20)
            except Exception:   # noqa: BLE001 - stop it harder, then report what happened
                server.kill()
                server.wait(5)

    records = [r for rec, _ in results for r in rec]
    errors = [e for _, errs in results for e in errs]
    latencies = sorted(t for _, t, _ in records)
    failed = sum(1 for _, _, ok in records if not ok)
    print(f"requests: {len(records)} in {elapsed:.0f} s (warm-up included) = {len(records) / elapsed:.1f}/s; "
          f"p50 {percentile(latencies, 0.5) * 1000:.1f} ms, p99 {percentile(latencies, 0.99) * 1000:.1f} ms, "
          f"max {latencies[-1] * 1000:.0f} ms; errors: {failed}")
    kinds: dict[str, list[float]] = {}
    for kind, t, _ in records:
        kinds.setdefault(kind, []).append(t)
    for kind, ts in sorted(kinds.items()):
        ts.sort()
        print(f"  {kind:18} {len(ts):7d} requests  p50 {percentile(ts, 0.5) * 1000:7.1f} ms  "
              f"p99 {percentile(ts, 0.99) * 1000:7.1f} ms")
    for e in errors[:10]:
        print(f"  error: {e}")
    growth = rss_end - rss_start
    print(f"server memory (gunicorn + workers + query processes): start {rss_start:.0f} MB, "
          f"end {rss_end:.0f} MB, growth {growth:+.0f} MB ({growth / rss_start * 100:+.1f} %)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
