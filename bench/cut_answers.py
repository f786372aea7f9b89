"""Answers over ``RESULT_MAX_BYTES``, cut to the rows that fit: from the bytes pyoxigraph wrote
against through Python.

Run: ``.venv/bin/python bench/cut_answers.py STORE [--repeat 3] [--max-mb 32] [--query TEXT]``

The query (by default ``SELECT * WHERE { ?s ?p ?o }``, an analyst's first question, over the
union of the graphs as the server asks it) is written in each result format as a query worker
writes it (``core.formats.write_solutions`` with ``RESULT_LIMIT`` and ``RESULT_MAX_BYTES``), wall
ms, median of ``--repeat``:

- ``from bytes``: the code as it is (the rows that fit are cut from the first ``RESULT_MAX_BYTES``
  pyoxigraph wrote: ``core/firstrows.py``);
- ``through Python``: the baseline, the same with that switched off (the query runs again and
  its first rows go one by one through Python, as every format did before);
- ``whole``: pyoxigraph writing the whole answer, uncut (the floor), and its size.

Both cut bodies must hold the same first rows (the bench stops otherwise; the cut from bytes
may keep more of them: it keeps as many as fit, where the other takes 10% fewer each try).

6 Dec 2026 17:35 (``sum(range(10000))`` 116 us), national store (corpus/ + corpus-national),
``SELECT *``: 168.7 MB of JSON whole, cut to its first 100,000 rows (``RESULT_LIMIT``) in 26-30 MB.
From bytes against through Python: JSON 726 -> 2,147 ms (3.0x), XML 565 -> 2,101 (3.7x), TSV
745 -> 2,297 (3.1x); CSV 2,554 both ways (1.0x), then with CSV cut from bytes too (17:50, quote
parity): CSV 1,162 -> 2,576 (2.2x; JSON 2.7x, XML 3.6x, TSV 3.0x in that run). Writing the
whole answer took 2.5-3.3 s. One-off on the server at 150 x 10: plan-actions-kpis' whole JSON
(36 MB, cut to 32 MiB) 7.2 s -> 1.4 s.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pyoxigraph as ox  # noqa: E402

from core import formats, settings  # noqa: E402
from serving import host_speed  # noqa: E402


def median_ms(write, repeat: int) -> tuple[float, bytes]:
    times, body = [], b""
    for _ in range(repeat):
        start = time.perf_counter()
        body = write()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), body


def same_start(one: bytes, other: bytes, key: str) -> bool:
    """Whether the two cut bodies hold the same first rows (the shorter's rows begin the longer's;
    CSV, which pyoxigraph cannot read back, as lines of text)."""
    if key == "csv":
        one, other = sorted((one, other), key=len)
        return other.startswith(one)
    fmt = formats.RESULT_FORMATS[key].ox_format
    parsed = [[tuple(row[v.value] for v in found.variables) for row in found]
              for found in (ox.parse_query_results(one, fmt), ox.parse_query_results(other, fmt))]
    shorter, longer = sorted(parsed, key=len)
    return longer[:len(shorter)] == shorter


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--max-mb", type=float, default=settings.DEFAULTS["RESULT_MAX_BYTES"] / 2**20)
    ap.add_argument("--query", default="SELECT * WHERE { ?s ?p ?o }")
    args = ap.parse_args()
    store = ox.Store.read_only(str(args.store))
    limit, max_bytes = settings.DEFAULTS["RESULT_LIMIT"], int(args.max_mb * 2**20)
    run = lambda: store.query(args.query, use_default_graph_as_union=True)     # noqa: E731
    print(host_speed())
    print(f"cut to {limit} rows and {max_bytes} bytes; wall ms, median of {args.repeat}")
    print(f"{'format':6} {'whole ms':>9} {'whole MB':>9} {'from bytes':>11} {'through Python':>15} "
          f"{'ratio':>6} {'rows kept':>10}")
    first_rows = formats.first_rows
    for key in formats.RESULT_FORMATS:
        whole_ms, whole = median_ms(lambda: run().serialize(format=formats.RESULT_FORMATS[key].ox_format),
                                    args.repeat)
        cut = lambda: formats.write_solutions(run(), key, limit, again=run, max_bytes=max_bytes)[0]  # noqa: E731
        fast_ms, fast = median_ms(cut, args.repeat)
        formats.first_rows = lambda *a: None                # the baseline: through Python
        try:
            slow_ms, slow = median_ms(cut, args.repeat)
        finally:
            formats.first_rows = first_rows
        if not same_start(fast, slow, key) or len(fast) > max_bytes:
            print(f"{key}: the cut from bytes kept {formats.count_rows(fast, key)} rows in {len(fast)} bytes, "
                  f"through Python {formats.count_rows(slow, key)}, not the same first rows", file=sys.stderr)
            return 1
        print(f"{key:6} {whole_ms:9.0f} {len(whole) / 1e6:9.1f} {fast_ms:11.0f} {slow_ms:15.0f} "
              f"{slow_ms / fast_ms:6.1f} {formats.count_rows(fast, key):10d}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
