"""Where a canned query's time goes, on one store: a breakdown printed per query.

Run: ``.venv/bin/python bench/breakdown.py --store DIR [--repeat 7] [QUERY ...]``

For each canned query (default: the ones the flat graph serves) prints the median and minimum
engine time (pyoxigraph, bare, no HTTP) of:

- ``flat``: the canned query as shipped (read from the flat graph where it has one);
- ``previous``: its previous text over the document graphs (``queries/flat/<name>.rq``);
- ``previous, merged``: the same text over one graph holding the union's triples once (an
  in-memory copy), which is what the union of hundreds of named graphs costs;
- ``previous, no ORDER BY``: what sorting costs;
- ``flat, JSON``: serializing the solutions as SPARQL JSON instead of iterating them.

Repeats are interleaved (each variant in turn), so a busy spell on a shared machine hits all
variants alike; the minimum is the better estimate of the engine's own cost on a loaded machine.

Measured 4 Dec 2026 (quiet machine, medians, flat vs previous text): corpus/ with spreadsheets
(203k quads): judgements 90 vs 149 ms, recommendations 4.0 vs 73, statistics 5.8 vs 18,
design card 2.4 vs 11, latest-judgements 4.0 vs 38, grade-distribution 5.8 vs 32. corpus/ plus
../shared/corpus-national (412 documents, 564k quads): judgements 120 vs 184 (2963 rows),
recommendations 116 vs 244 (2937), statistics 143 vs 477 (2561), design card 1.8 vs 11.9,
latest-judgements 4.5 vs 52, grade-distribution 7.2 vs 42. Synthetic 150 x 10 (4.3M quads):
judgements 1116 vs 1236 (12043 rows), recommendations 1967 vs 2263 (27090), statistics 2029 vs
1908 (34615), design card 19 vs 127, latest-judgements 5.8 vs 236. The big tables cost about
40 us per row read from the flat graph (one sub-SELECT per column): under 50 ms needs fewer
quads per row.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

import queries  # noqa: E402
from ingest import flat  # noqa: E402

ORDER_BY = re.compile(r"\nORDER BY[^\n]*\n?\s*$")


def merged_copy(store: ox.Store) -> ox.Store:
    """An in-memory store with the union's triples once, in its default graph."""
    merged = ox.Store()
    merged.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                       for t in store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                            use_default_graph_as_union=True))
    return merged


def variants(store, merged, q, previous: str | None) -> dict[str, object]:
    """The functions to time for one query, by label."""
    bindings = q.bindings({p.name: p.default for p in q.params if p.default is not None})

    def run(target, text, union=True):
        kwargs = {"use_default_graph_as_union": True} if union else {}
        return target.query(text, substitutions=bindings, **kwargs)
    out = {"flat": lambda: list(run(store, q.sparql)),
           "flat, JSON": lambda: run(store, q.sparql).serialize(format=ox.QueryResultsFormat.JSON)}
    if previous is not None:
        out["previous"] = lambda: list(run(store, previous))
        out["previous, merged"] = lambda: list(run(merged, previous, union=False))
        out["previous, no ORDER BY"] = lambda: list(run(store, ORDER_BY.sub("\n", previous)))
    return out


def measure(fns: dict[str, object], repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for label, fn in fns.items():
            t = time.perf_counter()
            fn()
            times[label].append(time.perf_counter() - t)
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("names", nargs="*", default=[t.name for t in flat.TABLES])
    args = ap.parse_args()
    store = ox.Store.read_only(str(args.store))
    t = time.perf_counter()
    merged = merged_copy(store)
    print(f"store {args.store}: {len(store)} quads in {len(list(store.named_graphs()))} graphs; "
          f"merged copy {len(merged)} triples ({time.perf_counter() - t:.1f} s)")
    previous = {t.name: t.query() for t in flat.TABLES}
    print(f"{'query':40} {'variant':24} {'rows':>6} {'median ms':>10} {'min ms':>8}")
    for name in args.names:
        q = queries.get(name)
        fns = variants(store, merged, q, previous.get(name))
        rows = {label: len(fn()) if not label.endswith("JSON") else "" for label, fn in fns.items()}
        for label, ts in measure(fns, args.repeat).items():
            print(f"{name:40} {label:24} {rows[label]!s:>6} {statistics.median(ts) * 1000:10.1f} "
                  f"{min(ts) * 1000:8.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
