"""Every canned query on Virtuoso, over the triples of an embedded store, beside the embedded store.

Run: ``.venv/bin/python bench/virtuoso.py --store DIR [--repeat 5] [--budget 60]``

Starts a private Virtuoso with ``tests/virtuoso.sh`` in a temporary folder, writes the store's
graphs as N-Quads into it (all but the flat graph: ingest writes that into an embedded store
only, and a server on a remote store runs each flat table's full query instead), bulk-loads
them (``ld_dir`` and ``rdf_loader_run`` through isql), then times every canned query with its
example parameters through the project's remote store, with the text a server on Virtuoso
sends (:func:`queries.full_text` for the flat tables, parameters bound with VALUES), and the
canned query on the embedded store (pyoxigraph, rows iterated). Prints medians, rows and the
ratio Virtuoso / embedded; a query that fails or runs over ``--budget`` seconds is a line saying
so. Stops Virtuoso at the end. Target (issue 16): every canned query at most 300 ms at 150 x 10.

Measured 4 Dec 2026 23:03 UTC at a reduced synthetic scale, 30 x 10 (``bench/query.py``'s
synthetic store from the corpus reports: 724k quads without the flat graph; bulk load 19 s),
medians of 3, example parameters, Virtuoso 7 (Debian) / embedded: authorities 45 / 20 ms,
authority-timeline 59 / 65, findings-marking-recommendations 39 / 117, grade-changes 708 / 297,
inadequate-care-leavers-good-adoption 152 / 11, inspections-by-lead-inspector 84 / 41,
judgements 679 / 59, latest-grade-by-area 175 / 60, latest-judgements 211 / 0.6, lscb-vs-overall
854 / 75, neighbour-grades 62 / 103, neighbour-statistics 73 / 359, overview-counts 44 / 24,
plan-actions-kpis 345 / 280, recommendation-themes 36 / 154, region-grade 944 / 68,
shacl-warnings 820 / 354, source-disagreements 752 / 41, statistic-across-authorities 198 / 259,
statistic-over-time 211 / 186. Refused by Virtuoso: grade-distribution (SQ156 "Internal
Optimized compile error"), recommendations and statistics (42000: the estimated execution time
exceeds the instance's limit, MaxQueryCostEstimationTime). 9 of 20 answered queries over 300 ms.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

import queries  # noqa: E402
from core.remote import RemoteStoreError  # noqa: E402
from core.store import open_store  # noqa: E402
from ingest.flat import flat_graph  # noqa: E402

SCRIPT = ROOT / "tests" / "virtuoso.sh"
LOADED_GRAPH = "urn:ofsted-kg:bench:unused"     # ld_dir's default graph (N-Quads name their own)


def start(home: Path) -> dict[str, str]:
    done = subprocess.run(["bash", str(SCRIPT), "start", str(home)], capture_output=True, text=True,
                          timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"Virtuoso did not start: {done.stderr.strip()[-300:]}")
    return dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)


def dump(store_path: Path, target: Path) -> int:
    """The store's quads but the flat graph's, as N-Quads in ``target``; how many."""
    store = ox.Store.read_only(str(store_path))
    skip = ox.NamedNode(flat_graph())
    quads = [q for q in store.quads_for_pattern(None, None, None, None) if q.graph_name != skip]
    ox.serialize(quads, str(target), format=ox.RdfFormat.N_QUADS)
    return len(quads)


def bulk_load(env: dict[str, str], folder: Path, name: str) -> None:
    sql = (f"ld_dir('{folder}', '{name}', '{LOADED_GRAPH}'); rdf_loader_run(); checkpoint;")
    done = subprocess.run(["isql-vt", f"127.0.0.1:{env['VIRTUOSO_SQL_PORT']}", env["VIRTUOSO_USER"],
                           env["VIRTUOSO_PASSWORD"], f"exec={sql}"], capture_output=True, text=True,
                          timeout=7200)
    if done.returncode != 0 or "Error" in done.stdout:
        raise RuntimeError(f"bulk load failed: {(done.stdout + done.stderr).strip()[-300:]}")


def timings(fn, repeat: int, budget: float) -> tuple[list[float], int]:
    times, rows, start = [], 0, time.perf_counter()
    for _ in range(repeat):
        t = time.perf_counter()
        rows = len(list(fn()))
        times.append(time.perf_counter() - t)
        if time.perf_counter() - start > budget:
            break
    return times, rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--budget", type=float, default=60.0, help="seconds per query and engine, at most")
    args = ap.parse_args()
    embedded = ox.Store.read_only(str(args.store))
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-virtuoso-") as tmp:
        home = Path(tmp)
        t = time.perf_counter()
        env = start(home)
        print(f"Virtuoso started in {time.perf_counter() - t:.1f} s")
        try:
            t = time.perf_counter()
            n = dump(args.store, home / "store.nq")
            print(f"{n} quads written as N-Quads in {time.perf_counter() - t:.1f} s")
            t = time.perf_counter()
            bulk_load(env, home, "store.nq")
            print(f"bulk-loaded into Virtuoso in {time.perf_counter() - t:.1f} s")
            remote = open_store(env["VIRTUOSO_QUERY_ENDPOINT"])
            print(f"{'query':44} {'rows':>6} {'Virtuoso ms':>12} {'embedded ms':>12} {'ratio':>6}")
            for name, q in sorted(queries.load_all().items()):
                bindings = q.bindings({p.name: p.example for p in q.params if p.example is not None})
                text = queries.full_text(name) or q.sparql
                try:
                    far, rows = timings(lambda: remote.query(text, substitutions=bindings), args.repeat,
                                        args.budget)
                except (RemoteStoreError, SyntaxError) as exc:    # one line, and the next query
                    print(f"{name:44} Virtuoso failed: {str(exc)[:100]}", flush=True)
                    continue
                near, _ = timings(lambda: embedded.query(q.sparql, substitutions=bindings,
                                                         use_default_graph_as_union=True),
                                  args.repeat, args.budget)
                v, e = statistics.median(far) * 1000, statistics.median(near) * 1000
                print(f"{name:44} {rows:6} {v:12.1f} {e:12.1f} {v / e:6.1f}"
                      + ("  > 300 ms" if v > 300 else ""), flush=True)
        finally:
            subprocess.run(["bash", str(SCRIPT), "stop", str(home)], timeout=120)
    return 0


if __name__ == "__main__":
    sys.exit(main())
