"""A table's first filtered page in a new web process: its page state read from the store
against read from the files kept as ingest ends (server/pagefiles.py).

Run: ``.venv/bin/python bench/first_page.py --store DIR [--repeat 3] [NAME ...]``

First the store's whole answers and table pages are kept in a fresh folder, as ``ofsted-kg
ingest`` ends (server/keepanswers.py; how long that took is printed). Then, for each flat table
with its example parameters (by default the four tables with parameters), pairs of fresh
processes each build the app, warm its query worker with ``ASK {}`` and time one request of the
page (the app's wall ms, no HTTP): the baseline with the answer files off (``ANSWER_FILES_MB=0``:
everything the page needs is read from the store, as in every new web process before), then with
the kept folder. Medians of ``--repeat`` pairs, and the baseline over the new time.

Measured 6 Dec 2026 (slow host, ``sum(range(10000))`` 160-164 us against 80-100 quiet), wall ms
from the store -> from the files, medians of three pairs:

- national (corpus/ + corpus-national; keeping took 2.3 s): judgements 161 -> 85, recommendations
  134 -> 76, statistics 148 -> 84, plan-actions-kpis 96 -> 77;
- 150 x 10 (keeping took 25-28 s, 7.6 MB of page state): judgements 295-440 -> 98-126,
  recommendations 626-708 -> 118-126, statistics 888-1,020 -> 116-163, plan-actions-kpis
  1,868-2,019 -> 782-905 (two runs; the second after its words filter found candidate rows
  first, server/pageplan.py). What is left of plan-actions-kpis is that filter and its suggested
  facets, both of which depend on the words.
"""
from __future__ import annotations

import argparse
import os
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

from serving import host_speed  # noqa: E402

DEFAULT = ("judgements", "recommendations", "statistics", "plan-actions-kpis")


def child(store: str, path: str) -> None:
    """In a fresh process: build the app, warm its query worker, print one request's wall ms."""
    from server import create_app
    app = create_app({"STORE": store, "DUMPS_AT_START": False})
    client = app.test_client()
    try:
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
        started = time.perf_counter()
        status = client.get(path).status_code
        print(f"{(time.perf_counter() - started) * 1000:.1f} {status}")
    finally:
        app.extensions["ofsted_kg"].pool.close()


def page_path(name: str) -> str:
    from core.canned import load_all
    examples = load_all()[name].examples()
    return f"/queries/{name}" + ("?" + urllib.parse.urlencode(examples) if examples else "")


def timed(store: Path, path: str, settings: dict) -> float:
    env = {**os.environ, **{f"OFSTED_KG_{k}": str(v) for k, v in settings.items()}}
    out = subprocess.run([sys.executable, __file__, "--child", str(store), path], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    if out[1] != "200":
        raise RuntimeError(f"{path} gave {out[1]}")
    return float(out[0])


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("names", nargs="*", help="flat tables (default: the four with parameters)")
    args = ap.parse_intermixed_args()
    print(host_speed())
    with tempfile.TemporaryDirectory(prefix="first-page-") as folder:
        os.environ["OFSTED_KG_ANSWER_FILES_DIR"] = folder
        from server.keepanswers import keep_whole_answers
        started = time.perf_counter()
        keep_whole_answers(str(args.store), sys.stdout)
        print(f"kept as ingest ends in {time.perf_counter() - started:.1f} s")
        print(f"{'page':60} {'store ms':>9} {'files ms':>9} {'ratio':>6}")
        for name in args.names or DEFAULT:
            path = page_path(name)
            store_ms, files_ms = [], []
            for _ in range(args.repeat):
                store_ms.append(timed(args.store, path, {"ANSWER_FILES_MB": 0}))
                files_ms.append(timed(args.store, path, {"ANSWER_FILES_DIR": folder}))
            a, b = statistics.median(store_ms), statistics.median(files_ms)
            print(f"{path:60} {a:9.0f} {b:9.0f} {a / b:6.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
