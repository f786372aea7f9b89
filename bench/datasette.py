"""Side by side with Datasette: the same rows, the same pages, two servers.

Run: ``.venv/bin/python bench/datasette.py --store DIR [--repeat 21] [--size 100]``
(needs the ``bench`` extra: ``pip install -e '.[bench]'``)

Loads the rows of ``judgements``, ``recommendations`` and ``statistics`` (run on the store,
without parameters) into an SQLite file, one table each, with the columns the canned query
shows; serves that file with ``datasette serve`` and the store with ``ofsted-kg serve``, both
on 127.0.0.1 at free ports; then times, for each table, the same pages on both:

- ``sorted``: the HTML table sorted on its first column, ``--size`` rows;
- ``faceted``: the HTML table with a facet on a column of few values, ``--size`` rows;
- ``csv``: every row as CSV (Datasette: ``_stream=on``).

The project's server runs with its result cache on (the default) and, as a second column, off.
A sorted or faceted HTML page of these tables never runs the canned query
(:mod:`server.pagequery`): its order, counts and facets are computed by small queries once per
store state and kept (cache on or off), and the page reads only its rows' cells (kept too
while the result cache is on; off: read again for every request). The CSV is every row: the
query's whole result (kept while the cache is on; off: the query runs for every request).
Requests alternate between the servers (one keep-alive connection each) and the medians are
printed with the ratio project / Datasette (target: at most 2). ``bench/pages.py`` gives the
CPU of a cold page (nothing kept) against the whole-result path.

Measured 4 Dec 2026 on corpus/ + corpus-national (2963 judgements, 3013 recommendations, 2582
statistics rows), medians of 11, ratio project / Datasette with the cache on and off. With the
shared-node flat graph and the kept table orders, before merging main (22:48, load ~9):
sorted 0.36-0.73, faceted 0.37-0.81, CSV 0.30-0.35; uncached 2.3-4.8. After merging main's one
result object per format (23:19, load ~10): sorted 0.66-1.33, faceted 1.12-1.70, CSV
0.03-0.11 (its rendered bodies are kept); uncached 3.8-13.6 (the engine: 340-520 ms a page on
the loaded machine). Within 2x with the cache on; not without it.

5 Dec 2026, with the page queries (branch h20-page; wall ms, medians, load 5-8 on 2 cores shared
with four other engineers' jobs, so every figure is noisy), project (uncached) vs Datasette:
corpus/ + corpus-national, medians of 11: sorted judgements 88.9 (108.5) vs 31.3, recommendations
24.5 (91.3) vs 30.7, statistics 55.8 (92.8) vs 95.6; faceted 84.6 (120.2) vs 50.9, 67.5 (104.3)
vs 35.8, 45.7 (48.6) vs 49.7. Judgements' HTML is mostly its render (the map of England and 100
rows: 25-40 ms CPU), recommendations' uncached page the page query through a busy worker (8.5 ms
CPU, the rest waiting for a core). 150 x 10 (12,043 / 27,090 / 34,615 rows), medians of 5
(load ~5): sorted 17.6 (29.1) vs 66.4, 24.4 (97.8) vs 262.5, 12.7 (27.8) vs 244.6 (ratios
0.05-0.27, uncached 0.11-0.44); faceted 17.3 (28.6) vs 65.1, 12.6 (24.7) vs 176.2, 12.9 (26.4)
vs 216.6 (0.06-0.27, uncached 0.12-0.44); the CSV (every row: the whole result, as before) 9.9,
191.9, 240.5 cached and 482-2762 uncached vs 249-632 (uncached 1.9-4.4x: not yet within 2x).

5 Dec 2026, the render made cheap (branch h20-render: the map's geometry written once per
process, a table's rows written in Python; the same bytes): in-process CPU of one HTML page
(Flask test client, national, warm caches, medians of 21, load ~2): judgements sorted 13.3 ->
5.5 ms, faceted 13.3 -> 5.6; recommendations 8.3 -> 4.1 / 8.4 -> 4.4; statistics 8.7 -> 3.7 /
8.8 -> 3.9. This bench, national, wall ms, medians of 21, runs before/after/before/after (load
6-9 throughout), project (uncached) vs Datasette, before -> after: judgements sorted 45.6
(58.3) vs 34.1 and 43.7 (86.1) vs 34.8 -> 9.8 (51.6) vs 37.0 and 14.0 (27.1) vs 30.3; faceted
24.0 (65.6) vs 36.0 and 33.7 (57.7) vs 31.0 -> 22.0 (47.0) vs 38.2 and 8.4 (30.9) vs 28.1.
Ratios of the sorted and faceted pages after: cached 0.10-0.58, uncached 0.56-1.54 (before:
0.37-1.34, uncached 0.75-2.48). The CSV without the cache (the whole query) stays at 1.6-4.9.
With our own IRIs' links from a prefix built once per request (queryrender.href_of), CPU per
page 13.3 -> 4.4 ms judgements sorted, 13.3 -> 4.6 faceted, recommendations 8.3 -> 3.2, 8.4 ->
3.3, statistics 8.7 -> 3.0, 8.8 -> 3.1 (same method); this bench, medians of 21, runs
before/after/before/after (01:26-01:29 UTC, load 3.5-6.4), before -> after: judgements sorted
32.5 (63.0) vs 41.0 and 31.9 (60.0) vs 31.7 -> 8.5 (20.7) vs 31.4 and 7.5 (16.7) vs 28.6;
faceted 34.5 (39.6) vs 31.3 and 30.1 (35.8) vs 31.8 -> 8.0 (18.5) vs 30.3 and 7.8 (17.9) vs
29.1. Sorted and faceted ratios of all three tables after: cached 0.18-0.27, uncached
0.51-0.68 (before: 0.38-1.10, uncached 0.74-1.89). The CSV uncached: 1.44-2.25 (the query).

5 Dec 2026 12:20-12:23 UTC, quiet, main after stop 24 (the front's kept gunicorn connections),
project (uncached) vs Datasette, wall ms: national (medians of 11) judgements sorted 10.4
(18.9) vs 37.4, faceted 9.0 (19.0) vs 33.6, CSV 3.1 (66.9) vs 68.2; recommendations 7.8
(16.3) vs 36.3, 6.5 (17.2) vs 30.2, 3.0 (72.8) vs 57.8; statistics 5.5 (14.9) vs 32.7, 6.4
(16.3) vs 33.9, 2.5 (59.0) vs 49.8: ratios 0.05-0.28, uncached 0.45-1.26. 150 x 10 (medians of
5): sorted and faceted 5.7-8.1 (13.4-16.8) vs 76.6-229.5, ratios 0.03-0.11, uncached
0.07-0.22; the CSV 5.4-11.2 (299.7-976.3) vs 224.1-568.7, ratios 0.02, uncached 1.34-1.72.
Within 2x on every page at both scales, with the cache on and off.

6 Dec 2026 08:22-08:27 (the host about twice as slow as a quiet one, two other jobs running),
with big whole answers kept as files (server/answerfiles.py): 150 x 10 (medians of 5) sorted
and faceted 2.5-3.8 ms (uncached 19.7-28.6) vs Datasette 163.9-481.6, ratios 0.01-0.02
(uncached 0.05-0.15); the CSV 11.2-26.6 ms (uncached 476-1,336) vs 605-1,449, ratios 0.02
(uncached 0.79-1.10). National (medians of 11): sorted and faceted 2.6-3.7 ms (uncached
25.2-37.5) vs 54.7-78.0, ratios 0.03-0.06 (uncached 0.38-0.68); the CSV 4.2-5.1 (111-132) vs
129-146, ratios 0.03 (uncached 0.82-1.03). Within 2x everywhere.

6 Dec 2026 15:27-15:34 (slow host, ``sum(range(10000))`` about 165 us), ratio project / Datasette,
cache on (off): national sorted and faceted 0.03-0.04 (0.36-0.48), CSV 0.03-0.04 (0.83-0.90);
150 x 10 sorted and faceted 0.00-0.02 (0.06-0.16), CSV 0.02 (0.96-1.11: statistics' whole CSV
uncached is 1,581 ms against Datasette's 1,423). Datasette took 55-101 ms for a national page
and 153-722 ms at 150 x 10 on this host.
"""
from __future__ import annotations

import argparse
import http.client
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pyoxigraph as ox  # noqa: E402

import queries  # noqa: E402
from serving import fetch, free_port, start_server  # noqa: E402

#: per table: the column to facet on (few values)
FACETS = {"judgements": "grade", "recommendations": "band", "statistics": "unit"}
NUMERIC = {"integer", "decimal", "double", "float", "long", "int"}


def sqlite_value(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value.rsplit("#", 1)[-1] in NUMERIC:
        try:
            return float(term.value) if "." in term.value or "e" in term.value.lower() else int(term.value)
        except ValueError:
            return term.value
    return term.value


def load_sqlite(store_path: Path, db: Path) -> dict[str, int]:
    """Every row of the three tables into ``db``; rows per table."""
    store = ox.Store.read_only(str(store_path))
    con = sqlite3.connect(db)
    counts = {}
    for name in FACETS:
        q = queries.get(name)
        params = {p.name for p in q.params}
        results = store.query(q.sparql, use_default_graph_as_union=True)
        columns = [v.value for v in results.variables if v.value not in params]
        con.execute(f"CREATE TABLE [{name}] ({', '.join(f'[{c}]' for c in columns)})")
        rows = [tuple(sqlite_value(r[c]) for c in columns) for r in results]
        con.executemany(f"INSERT INTO [{name}] VALUES ({', '.join('?' for _ in columns)})", rows)
        counts[name] = len(rows)
    con.commit()
    con.close()
    return counts


def start_datasette(db: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(db), "--host", "127.0.0.1",
                             "--port", str(port), "--setting", "sql_time_limit_ms", "10000"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            if fetch(conn, "/-/versions.json")[0] == 200:
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("datasette did not start")


def pages(name: str, first: str, size: int) -> dict[str, tuple[str, str]]:
    """Page label -> (project path, Datasette path)."""
    db = "rows"
    sort = urllib.parse.urlencode({"_sort": first, "_size": size})
    facet = urllib.parse.urlencode({"_facet": FACETS[name], "_size": size})
    return {"sorted": (f"/queries/{name}?{sort}", f"/{db}/{name}?{sort}"),
            "faceted": (f"/queries/{name}?{facet}", f"/{db}/{name}?{facet}"),
            "csv": (f"/queries/{name}.csv", f"/{db}/{name}.csv?_stream=on&_size=max")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=21)
    ap.add_argument("--size", type=int, default=100)
    args = ap.parse_args()
    procs = []
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-datasette-") as tmp:
        db = Path(tmp) / "rows.db"
        print(f"rows loaded into SQLite: {load_sqlite(args.store, db)}")
        try:
            ports = {"cached": free_port()}
            procs.append(start_server(args.store, ports["cached"], cache=True))
            ports["uncached"] = free_port()
            procs.append(start_server(args.store, ports["uncached"], cache=False))
            ports["datasette"] = free_port()
            procs.append(start_datasette(db, ports["datasette"]))
            conns = {k: http.client.HTTPConnection("127.0.0.1", p, timeout=120) for k, p in ports.items()}
            print(f"{'table':16} {'page':8} {'project ms':>11} {'uncached ms':>12} {'datasette ms':>13} "
                  f"{'ratio':>6} {'ratio unc.':>10}")
            for name in FACETS:
                first = next(iter(sqlite3.connect(db).execute(f"SELECT * FROM [{name}] LIMIT 1").description))[0]
                for label, (ours, theirs) in pages(name, first, args.size).items():
                    paths = {"cached": ours, "uncached": ours, "datasette": theirs}
                    times = {k: [] for k in paths}
                    for k, path in paths.items():      # warm up, and check both answer
                        status, body = fetch(conns[k], path)
                        if status != 200:
                            print(f"{name} {label}: {k} answered {status}: {body[:100]!r}")
                    for _ in range(args.repeat):
                        for k, path in paths.items():
                            t = time.perf_counter()
                            fetch(conns[k], path)
                            times[k].append(time.perf_counter() - t)
                    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
                    print(f"{name:16} {label:8} {med['cached']:11.1f} {med['uncached']:12.1f} "
                          f"{med['datasette']:13.1f} {med['cached'] / med['datasette']:6.2f} "
                          f"{med['uncached'] / med['datasette']:10.2f}", flush=True)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
