"""Table pages benchmark: each canned query's HTML page, first (the engine runs) and then other
pages, sorts and facets of it (served from the decoded rows the server keeps per store stamp).

Run: ``.venv/bin/python bench/tables.py [--store DIR] [--repeat 5]``

Without ``--store`` it builds a store from ``corpus/`` and Ofsted's outcome spreadsheets in
``../shared/reference/ofsted-outcomes/`` (the judgements of every authority since 2009; about
25 s). Times are server-side (Flask's test client: routing, table work, templates), so they
show the page work itself, without HTTP. Target (issue 14): a page of any canned query at
the national scale under 300 ms once its result is cached.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(path: Path) -> Path:
    from ingest.pipeline import Ingestor, discover
    from core.store import open_store
    sources = [str(ROOT / "corpus")]
    outcomes = ROOT.parent / "shared" / "reference" / "ofsted-outcomes"
    if outcomes.is_dir():
        sources.append(str(outcomes))
    else:
        print(f"{outcomes} is absent: the corpus alone", file=sys.stderr)
    store = open_store(path)
    try:
        Ingestor(store).run(discover(sources))
    finally:
        store.close()
    return path


def page_variants(columns: list[str]) -> list[dict]:
    """Other pages, a sort and a facet: what a person clicks after the first page."""
    out = [{"_next": "100"}, {"_size": "20", "_next": "40"}]
    if columns:
        out += [{"_sort_desc": columns[0]}, {"_facet": columns[-1]}]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--store", help="an existing store (default: build one in a temporary folder)")
    parser.add_argument("--repeat", type=int, default=5, help="times each cached page is asked for")
    args = parser.parse_args(argv)
    from queries import load_all
    from server import create_app
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(args.store) if args.store else build(Path(tmp) / "store")
        app = create_app({"STORE": str(store), "TESTING": True, "QUERY_TIMEOUT": 120.0,
                          "DUMPS_DIR": str(Path(tmp) / "dumps")})
        client = app.test_client()
        rows = client.get("/queries/judgements.json").get_json()["results"]["bindings"]
        print(f"store {store}: {len(rows)} judgements")
        print(f"{'query':40s} {'first':>8s} {'cached median':>14s} {'max':>8s}")
        worst = 0.0
        for name, query in sorted(load_all().items()):
            values = query.examples()
            t0 = time.perf_counter()
            first = client.get(f"/queries/{name}", query_string=values)
            first_ms = (time.perf_counter() - t0) * 1000
            data = client.get(f"/queries/{name}.json", query_string=dict(values, _size="1")).get_json()
            timings = []
            for variant in page_variants([c for c in data["head"]["vars"] if not c.endswith("_iri")]):
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    r = client.get(f"/queries/{name}", query_string=dict(values, **variant))
                    timings.append((time.perf_counter() - t) * 1000)
                    assert r.status_code == 200, (name, variant, r.status_code)
            worst = max(worst, max(timings))
            print(f"{name:40s} {first_ms:7.0f}ms {statistics.median(timings):12.1f}ms {max(timings):7.1f}ms"
                  f"  ({first.status_code})")
        print(f"slowest cached page: {worst:.0f} ms (target < 300 ms)")
        app.extensions["ofsted_kg"].pool.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
