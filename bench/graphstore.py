"""The whole graph over HTTP: ``GET /rdf-graph-store?default`` sent from the current /download/
dump, beside a baseline measured in the same run: the CONSTRUCT of every triple that the Graph
Store ran before (bare pyoxigraph in this process, written as Turtle); and the VoID/DCAT
descriptions asked while the dumps are still being written (counted once, then kept) and after.

Run: ``.venv/bin/python bench/graphstore.py STORE [--repeat 3]``

Starts ``ofsted-kg serve`` on STORE with ``DUMPS_AT_START`` (a copy of nothing: the dumps go
beside the store as usual, ``<store>-dumps``), asks ``/catalog`` twice while the start-up writer
is at work (when it is: current dumps are only checked), waits for ``downloads ready``, then
times the default graph in Turtle, N-Triples (unzipped by the server, and gzipped as stored),
JSON-LD, TriG (the Turtle dump) and RDF/XML (converted from the N-Triples dump on the way), and
``/catalog`` again. Wall-clock medians; sizes as sent.

The baseline is bare pyoxigraph writing the CONSTRUCT as Turtle without prefixes, faster than
the old Graph Store path (a Python list of every triple written with prefixes, in a query
worker), so the ratios understate the change.

Measured 6 Dec 2026 02:52 (a 2-core host about twice as slow as a quiet one, two helpers
running), national store (567,072 triples), dumps current: baseline 4.8 s (68 MB); default graph
Turtle 0.076 s (51 MB, 63x), N-Triples unzipped 0.37 s (120 MB, 13x), gzipped 0.019 s (9.8 MB),
JSON-LD 0.15 s (76 MB, 31x); /catalog 12-15 ms. Before, over HTTP (one-off, 02:28): Turtle
24 s. At 150 x 10 (one-off, 02:43, curl): Turtle 431 MB 1.2 s, N-Triples 938 MB 5.4 s (84 MB
gzipped 2.4 s), JSON-LD 611 MB 1.5 s, where the CONSTRUCT had been stopped at QUERY_TIMEOUT (503
after 30 s); /catalog while the start-up writer ran (426 s there): 13.7 s once, then 0.05-0.08 s
(before: each request counted the store again).

6 Dec 05:05 (the same slow host, two helpers running), national store rebuilt with today's
parsers (corpus/ + corpus-national): baseline 7.4 s (68.6 MB); Turtle 0.093 s (80x), N-Triples
unzipped 0.44 s (17x), gzipped 0.020 s, JSON-LD 0.12 s (61x), TriG 0.083 s (89x, the Turtle
dump), RDF/XML 2.0 s (85.6 MB, 3.7x; converted from the N-Triples dump on the way, where it had
been the CONSTRUCT: 24 s over HTTP). At 150 x 10 (one-off, curl): RDF/XML 683 MB in 16.6-17.3 s
(before: 503 at QUERY_TIMEOUT), the web worker at 43 MB RSS throughout; a second RDF/XML request
meanwhile 503 in 15 ms.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import free_port, start_server  # noqa: E402

GSP = "/rdf-graph-store?default"
CASES = (("Turtle", {"Accept": "text/turtle"}),
         ("N-Triples", {"Accept": "application/n-triples", "Accept-Encoding": "identity"}),
         ("N-Triples gzipped", {"Accept": "application/n-triples", "Accept-Encoding": "gzip"}),
         ("JSON-LD", {"Accept": "application/ld+json"}),
         ("TriG", {"Accept": "application/trig"}),
         ("RDF/XML", {"Accept": "application/rdf+xml"}))


def timed_get(url: str, headers: dict) -> tuple[float, int, str]:
    """Seconds, bytes sent and the Server-Timing of one GET read to its end (not decoded)."""
    started = time.perf_counter()
    with requests.get(url, headers=headers, stream=True, timeout=600) as r:
        r.raise_for_status()
        size = sum(len(block) for block in r.raw.stream(1 << 20, decode_content=False))
        return time.perf_counter() - started, size, r.headers.get("Server-Timing", "")


def construct_seconds(store: Path) -> tuple[float, int]:
    """The baseline: every triple by CONSTRUCT, written as Turtle, in this process."""
    opened = ox.Store.read_only(str(store))
    started = time.perf_counter()
    body = opened.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                        use_default_graph_as_union=True).serialize(format=ox.RdfFormat.TURTLE)
    return time.perf_counter() - started, len(body)


def wait_for_dumps(root: str, seconds: float = 1800) -> float:
    """Seconds until /download/ answers 200 (503 while the start-up writer is at work)."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if requests.get(root + "/download/", timeout=600).status_code == 200:
            return time.perf_counter() - started
        time.sleep(2)
    raise RuntimeError(f"the dumps were not ready after {seconds:.0f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    port = free_port()
    server = start_server(args.store, port, settings={"DUMPS_AT_START": "true"})
    root = f"http://127.0.0.1:{port}"
    try:
        for label in ("/catalog while the dumps may be written", "/catalog again"):
            seconds, size, timing = timed_get(root + "/catalog", {})
            print(f"{label:44} {seconds:8.3f} s {size / 1e6:9.1f} MB  {timing}", flush=True)
        print(f"{'dumps ready after':44} {wait_for_dumps(root):8.1f} s", flush=True)
        seconds, size, timing = timed_get(root + "/catalog", {})
        print(f"{'/catalog with the dumps current':44} {seconds:8.3f} s {size / 1e6:9.1f} MB  {timing}")
        baseline, baseline_size = construct_seconds(args.store)
        print(f"{'baseline: CONSTRUCT as Turtle, bare':44} {baseline:8.3f} s {baseline_size / 1e6:9.1f} MB")
        for label, headers in CASES:
            runs = [timed_get(root + GSP, headers) for _ in range(args.repeat)]
            median = statistics.median(r[0] for r in runs)
            print(f"{'default graph, ' + label:44} {median:8.3f} s {runs[0][1] / 1e6:9.1f} MB  "
                  f"{baseline / median:6.1f}x faster than the baseline  {runs[0][2]}", flush=True)
    finally:
        server.terminate()
        server.wait(60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
