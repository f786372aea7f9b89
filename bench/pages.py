"""Cold table pages: CPU of the page path against the whole-result path, in the same run.

Run: ``.venv/bin/python bench/pages.py --store DIR [--repeat 5] [TABLE ...]``

For six tables read from their flat rows (:data:`TABLES`), each page kind (the default HTML
page, sorted, faceted, a later JSON page sorted descending, and with a parameter bound where
the table has one: "filtered" from nothing, "kept" after a page with another value of it, so
that what a store state keeps whatever the parameters is there) is asked of the app (Flask's
test client, the queries run in the same process as a worker runs them, so one CPU clock counts
both) with every cache emptied first, so the page computes its order, counts, facets,
suggestions and map from nothing; then the next page (the order kept). CPU ms
(``time.process_time``), medians of ``--repeat``. The baseline is the same request with the page
path turned off (every page runs the canned query and cuts the page from its whole result,
:func:`server.tables.apply`).

Measured 5 Dec 2026 (2 cores shared with four other engineers' jobs, load 4-8), CPU ms, page
path / whole-result path, cold (default HTML, sorted on authority, faceted, a later sorted
JSON page); the next page after a cold one costs 15-26 (its page query and render) against
8-17 (render of the kept rows):

- corpus/ + corpus-national (medians of 7): judgements 57/91, 63/103, 70/85, 22/75;
  recommendations 21/85, 29/83, 20/84, 19/76; statistics 24/71, 34/68, 22/67, 18/59.
- 150 x 10 (medians of 3): judgements 153/351, 151/360, 155/348, 72/367; recommendations
  49/1834, 206/1776, 59/1800, 195/1846; statistics 53/2450, 272/2385, 56/2303, 189/2247.
  A sort on a shared column reads every kept row's link once (the order is then kept);
  judgements' HTML also reads them for its map.

5 Dec 2026 13:45 UTC (quiet; six tables, filtered pages run their filter once),
page / whole CPU ms cold (default, sorted, faceted, json, filtered, kept):

- national (medians of 5): judgements 44/76, 46/69, 44/69, 21/72, 68/38, 23/38;
  recommendations 13/74, 27/74, 15/72, 20/73, 60/32, 28/36; statistics 15/64, 23/65, 16/60,
  18/63, 58/38, 27/38; plan-actions-kpis (the corpus's one plan) 13/7, 14/7, 13/7, 1/4, 8/3,
  8/3; grade-changes 12/17, 16/18, 13/18, 9/16; shacl-warnings (14 rows) 6/3, 7/3, 6/3, 1/2.
- 150 x 10 (one run): judgements 174/349, 135/338, 119/326, 69/318, 178/185, 93/167;
  recommendations 49/1668, 196/1622, 63/1632, 169/1635, 644/358, 127/373; statistics
  56/2162, 194/2204, 67/2128, 174/2144, 770/601, 135/644; plan-actions-kpis 38/311, 69/317,
  40/274, 52/287, 320/150, 70/139; grade-changes 54/254, 111/252, 55/246, 73/263;
  shacl-warnings 32/277, 94/268, 35/261, 77/263.

A filtered page from nothing reads, besides its own filter, what a store state keeps for
every parameter value (every row's links and shared cells): 1.3-2.8x the whole result's
once; from then on ("kept") 0.2-0.8x. A table of a few hundred rows (the corpus's plan, 14
SHACL warnings) is cheaper as a whole result: its page queries cost a few ms more.
"""
from __future__ import annotations

import argparse
import statistics
import time
import urllib.parse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from core.worker import execute  # noqa: E402
from server import create_app, pagequery  # noqa: E402
from server.cache import ResultCache  # noqa: E402

#: table -> (the column a sorted page sorts on, the column a faceted page facets, the parameters
#: of a filtered page and of another one asked first for "kept": None for a table without any)
TABLES = {"judgements": ("authority", "grade",
                         ({"framework_filter": "sif"}, {"framework_filter": "ilacs-2018"})),
          "recommendations": ("authority", "band", ({"words": "plan"}, {"words": "care"})),
          "statistics": ("authority", "unit",
                         ({"measure_words": "looked after"}, {"measure_words": "child"})),
          "plan-actions-kpis": ("authority", "due", ({"words": "care leavers"}, {"words": "placement"})),
          "grade-changes": ("authority", "change", None),
          "shacl-warnings": ("document", "severity", None)}
CACHES = ("ofsted_kg_rows", "ofsted_kg_bodies", "ofsted_kg_pages")


class Inline:
    """The pool's ``run(job)`` in this process, so that one clock counts the web side and the
    engine alike (:func:`core.worker.execute`, what a query worker runs)."""

    def __init__(self, path: Path):
        self.store = ox.Store.read_only(str(path))

    def run(self, job, timeout=None):
        return execute(self.store, job)

    def close(self):
        pass


def pages(name: str) -> dict[str, tuple[str, str | None]]:
    """Page kind -> (its URL, a URL asked first, untimed, with every cache emptied before it)."""
    sort, facet, filtered = TABLES[name]
    out = {"default": f"/queries/{name}", "sorted": f"/queries/{name}?_sort={sort}",
           "faceted": f"/queries/{name}?_facet={facet}",
           "json": f"/queries/{name}.json?_sort_desc={sort}&_size=100&_next=200"}
    out = {kind: (url, None) for kind, url in out.items()}
    if filtered:
        url, first = (f"/queries/{name}?{urllib.parse.urlencode(args)}" for args in filtered)
        out["filtered"], out["kept"] = (url, None), (url, first)
    return out


def next_page(url: str) -> str:
    """``url`` one page of 100 rows further on (its own ``_next`` replaced, not repeated)."""
    path, _, query = url.partition("?")
    args = dict(urllib.parse.parse_qsl(query))
    args["_next"] = str(int(args.get("_next", "0")) + 100)
    return f"{path}?{urllib.parse.urlencode(args)}"


def measure(app, client, url: str, repeat: int, first: str | None = None) -> tuple[float, float]:
    """Median CPU of ``url`` with every cache emptied (then ``first`` asked, untimed: what a
    store state keeps whatever the parameters is then kept), and of its next page after it."""
    cold, after = [], []
    for _ in range(repeat):
        for name in CACHES:
            app.extensions.pop(name, None)
        service = app.extensions["ofsted_kg"]
        service.cache = ResultCache(service.cache.max_bytes)
        if first:
            client.get(first)
        start = time.process_time()
        response = client.get(url)
        cold.append((time.process_time() - start) * 1000)
        assert response.status_code == 200, response.data[:300]
        start = time.process_time()
        client.get(next_page(url))
        after.append((time.process_time() - start) * 1000)
    return statistics.median(cold), statistics.median(after)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("tables", nargs="*", help=f"only these (of {', '.join(TABLES)})")
    args = ap.parse_args()
    app = create_app({"STORE": str(args.store), "QUERY_PROCESSES": 1, "QUERY_TIMEOUT": 120, "TESTING": True})
    app.extensions["ofsted_kg"].pool.close()
    app.extensions["ofsted_kg"].pool = Inline(args.store)
    client = app.test_client()
    planned = pagequery.plan_for
    print(f"{'table':18} {'page':8} {'page cold':>10} {'next':>6} {'whole cold':>11} {'next':>6} {'cold ratio':>10}")
    try:
        for name in args.tables or TABLES:
            for label, (url, first) in pages(name).items():
                found = {}
                for path in ("page", "whole"):
                    pagequery.plan_for = planned if path == "page" else (lambda *a, **k: None)
                    found[path] = measure(app, client, url, args.repeat, first)
                (pc, pn), (wc, wn) = found["page"], found["whole"]
                print(f"{name:18} {label:8} {pc:10.0f} {pn:6.0f} {wc:11.0f} {wn:6.0f} {pc / max(wc, 1):10.2f}",
                      flush=True)
    finally:
        pagequery.plan_for = planned
        app.extensions["ofsted_kg"].pool.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
