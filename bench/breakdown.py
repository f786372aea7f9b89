"""Where a canned query's time goes, on one store: a breakdown printed per query.

Run: ``.venv/bin/python bench/breakdown.py --store DIR [--repeat 7] [QUERY ...]``

For each canned query (default: the ones the flat graph serves) prints the median and minimum
engine time (pyoxigraph, bare, no HTTP) of:

- ``flat``: the canned query as shipped (read from the flat graph where it has one), its
  solutions iterated in Python (``list``);
- ``flat, JSON``: serializing the solutions as SPARQL JSON (pyoxigraph's writer, which is what
  the server's worker does) instead of iterating them;
- ``flat, COUNT only``: the same WHERE clause counted, nothing projected: the joins alone, with
  no term decoded (IRIs and strings longer than 15 bytes are looked up in the store's string
  table when a solution is written) and no ORDER BY;
- ``flat, no ORDER BY``: what sorting on ``?position`` costs;
- ``flat, in memory``: the flat graph copied into an in-memory store: what the on-disk
  storage (RocksDB look-ups) costs over the engine's own work;
- ``flat, examples, JSON``: the canned query with every parameter's example value (an
  authority, words...), serialized as SPARQL JSON: a filtered page's engine cost;
- ``previous``: its previous text over the document graphs (``queries/flat/<name>.rq``);
- ``previous, merged``: the same text over one graph holding the union's triples once (an
  in-memory copy), which is what the union of hundreds of named graphs costs;
- ``previous, no ORDER BY``: what sorting costs.

``--flat-only`` leaves out the three ``previous`` variants (and the merged copy, which takes a
while to build at the national scale).

Repeats are interleaved (each variant in turn), so a busy spell on a shared machine hits all
variants alike; the minimum is the better estimate of the engine's own cost on a loaded machine,
and the CPU time (this process's, where the engine runs) the steadier one when other work
shares the cores.

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

Measured 4 Dec 2026 22:30 UTC, the flat graph with shared nodes (rows link to one node per
inspection, area and grade, authority, measure...: 70.9k triples instead of 102k), on the same
national store (corpus/ + corpus-national, 533k quads), a machine at load 12 on 2 cores, so CPU
medians: judgements 78.5 ms (COUNT only 37.2: the joins; the rest is writing the solutions,
mostly decoding IRIs and long strings; no ORDER BY 75.3; in memory 54.0), recommendations 87.3
(37.1; 78.7; 54.9), statistics 83.7 (49.5; 79.5; 56.5). Old and new layouts interleaved in one
run (SPARQL JSON, CPU median): judgements 89.5 -> 66.7 ms, recommendations 87.6 -> 73.4,
statistics 65.8 -> 68.3. Sorting is ~3 ms and JSON costs what iterating does; what is left is
about 1.5 us per row per join and 2 us per IRI or long string written (a RocksDB look-up each;
0.7 us in memory). With a recommendation's order and number, a statistic's date and its unit on
shared nodes too (22:55, quieter machine, wall = CPU): national recommendations 68.4 -> 59.5
ms, statistics 59.9 -> 48.5, judgements 50.5. Synthetic 150 x 10 (4.0M quads, flat graph 519k
triples), layout on main before vs now, CPU medians: judgements 441 -> 246 ms (12043 rows),
recommendations 884 -> 676 (27090), statistics 1023 -> 911 (34615); breakdown now: judgements
308 (COUNT only 122, no ORDER BY 293, in memory 225), recommendations 726 (349; 685; 476),
statistics 920 (497; 870; 694): half the joins, half writing the solutions, at ~27 us a row
for the two tables of eleven-odd columns. Under 300 ms there needs fewer columns written per
row or another engine.

After merging main (23:19, grade-changes flattened too; flat graph 77.6k triples; load 10 on
2 cores, so CPU medians above the quiet run's): judgements 81 ms (COUNT only 38, in memory 48),
recommendations 90 (41; 48), statistics 63 (29; 33), latest-judgements 3.3, grade-distribution
6.1, grade-changes 14.5.

5 Dec 2026 00:47 UTC, an authority found through its key (each table a UNION of the hashed
branch and a keyed one), before -> after interleaved in one run, CPU medians (JSON), load ~8 on
2 cores: national judgements for one authority 16.3 -> 2.9 ms, recommendations 21.1 -> 4.2,
statistics 15.2 -> 3.6; unfiltered 48.8 -> 47.7, 53.8 -> 48.1, 44.0 -> 43.6 (at load 0.7 the
unfiltered ones measured 37, 41 and 34). 150 x 10: one authority 46.7 -> 3.4, 251.8 -> 4.2,
365.8 -> 5.8; unfiltered 225 -> 213, 608 -> 555, 744 -> 744. Rejected, measured: a statistic's
measure and comparison on one shared node (785 nodes nationally for 2582 rows, one join per
row fewer) made unfiltered statistics slower, 39.9 -> 45.9 ms.
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
PROJECTION = re.compile(r"^SELECT\b.*?(?=^WHERE \{)", re.S | re.M)


def merged_copy(store: ox.Store) -> ox.Store:
    """An in-memory store with the union's triples once, in its default graph."""
    merged = ox.Store()
    merged.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                       for t in store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                            use_default_graph_as_union=True))
    return merged


def flat_copy(store: ox.Store) -> ox.Store:
    """An in-memory store holding the flat graph's triples in its default graph."""
    copy = ox.Store()
    copy.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                     for q in store.quads_for_pattern(None, None, None, ox.NamedNode(flat.flat_graph())))
    return copy


def counted(q) -> str:
    """The query's WHERE clause counted instead of projected, without its ORDER BY (its
    parameters stay projected, grouped on: pyoxigraph substitutes projected variables only)."""
    params = " ".join(f"?{p.name}" for p in q.params)
    text = PROJECTION.sub(f"SELECT {params} (COUNT(*) AS ?n)\n", q.sparql, count=1)
    return ORDER_BY.sub("\n", text) + (f"GROUP BY {params}\n" if params else "")


def variants(store, merged, in_memory, q, previous: str | None) -> dict[str, object]:
    """The functions to time for one query, by label."""
    bindings = q.bindings({p.name: p.default for p in q.params if p.default is not None})

    def run(target, text, union=True):
        kwargs = {"use_default_graph_as_union": True} if union else {}
        return target.query(text, substitutions=bindings, **kwargs)
    examples = q.bindings(q.examples())
    out = {"flat": lambda: list(run(store, q.sparql)),
           "flat, JSON": lambda: run(store, q.sparql).serialize(format=ox.QueryResultsFormat.JSON),
           "flat, COUNT only": lambda: list(run(store, counted(q))),
           "flat, no ORDER BY": lambda: list(run(store, ORDER_BY.sub("\n", q.sparql))),
           "flat, in memory": lambda: list(run(in_memory, q.sparql, union=False))}
    if examples:
        out["flat, examples, JSON"] = lambda: store.query(
            q.sparql, substitutions=examples, use_default_graph_as_union=True).serialize(
                format=ox.QueryResultsFormat.JSON)
    if previous is not None and merged is not None:
        out["previous"] = lambda: list(run(store, previous))
        out["previous, merged"] = lambda: list(run(merged, previous, union=False))
        out["previous, no ORDER BY"] = lambda: list(run(store, ORDER_BY.sub("\n", previous)))
    return out


def measure(fns: dict[str, object], repeat: int) -> dict[str, tuple[list[float], list[float]]]:
    """Wall-clock and CPU times (this process: the engine runs in the calling thread) per label."""
    times: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in fns}
    for _ in range(repeat):
        for label, fn in fns.items():
            t, c = time.perf_counter(), time.process_time()
            fn()
            times[label][0].append(time.perf_counter() - t)
            times[label][1].append(time.process_time() - c)
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--flat-only", action="store_true", help="leave out the previous texts")
    ap.add_argument("names", nargs="*", default=[t.name for t in flat.TABLES])
    args = ap.parse_args()
    store = ox.Store.read_only(str(args.store))
    t = time.perf_counter()
    merged = None if args.flat_only else merged_copy(store)
    in_memory = flat_copy(store)
    print(f"store {args.store}: {len(store)} quads in {len(list(store.named_graphs()))} graphs; "
          f"flat graph {len(in_memory)} triples; merged copy "
          f"{'skipped' if merged is None else f'{len(merged)} triples'} ({time.perf_counter() - t:.1f} s)")
    previous = {t.name: t.full_query() for t in flat.TABLES}
    print(f"{'query':40} {'variant':24} {'rows':>6} {'median ms':>10} {'min ms':>8} {'CPU med ms':>11}")
    for name in args.names:
        q = queries.get(name)
        fns = variants(store, merged, in_memory, q, previous.get(name))
        rows = {label: len(fn()) if not label.endswith(("JSON", "only")) else "" for label, fn in fns.items()}
        for label, (ts, cpu) in measure(fns, args.repeat).items():
            print(f"{name:40} {label:24} {rows[label]!s:>6} {statistics.median(ts) * 1000:10.1f} "
                  f"{min(ts) * 1000:8.1f} {statistics.median(cpu) * 1000:11.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
