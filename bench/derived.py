"""The derived graphs brought up to date after a write through the server: rebuilt beside the
store (``ingest/aside.py``, what the keeper does) against the baseline of rebuilding them in the
store itself (``Ingestor.run([])``, what a keeper did not dare: it holds the store's writer and
its write lock throughout), measured in the same run on two copies of one store.

Run: ``.venv/bin/python bench/derived.py STORE``

Each case runs in a process of its own on a fresh copy of STORE, after the write a server makes
(a triple in a graph of its own, the derived graphs marked: :func:`core.flat.outdated_update`),
and prints its wall seconds, the seconds spent writing the store (beside: the one write of what
changed; in place: every write of the rebuild, under the write lock, readers waiting), and its
peak RSS. Then the ratios. The copies go in a temporary folder beside STORE.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from serving import host_speed  # noqa: E402

WRITE = "INSERT DATA { GRAPH <urn:x:bench> { <urn:x:s> <urn:x:p> 1 } }"


def server_write(path: str) -> None:
    """What ``server.sparql.writable_store`` does to the store for one update."""
    import pyoxigraph as ox

    from core import lock
    from core.flat import outdated_update
    with lock.write_lock(path):
        raw = ox.Store(path)
        raw.update(WRITE)
        raw.update(outdated_update())
        raw.flush()
        del raw
        lock.bump_generation(path)


def case(name: str, path: str) -> dict:
    """Run one case on the copy at ``path`` (in this process)."""
    from core.store import EmbeddedStore
    server_write(path)
    started = time.perf_counter()
    if name == "in place":
        from ingest.pipeline import Ingestor
        store = EmbeddedStore(path)
        Ingestor(store, jobs=1).run([])
        store.close()
        writing = store.writing_seconds
    else:
        from ingest import aside
        timings: dict[str, float] = {}
        outcome = aside.rebuild_aside(path, timings)
        assert outcome == aside.REBUILT, outcome
        writing = timings["writing"]
    return {"case": name, "seconds": time.perf_counter() - started, "writing": writing,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--copy", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        print(json.dumps(case(args.case, args.copy)))
        return 0
    print(host_speed(), flush=True)
    results = {}
    with tempfile.TemporaryDirectory(prefix=".bench-derived-", dir=args.store.resolve().parent) as tmp:
        for name in ("in place", "beside"):
            copy = Path(tmp) / name.replace(" ", "-")
            shutil.copytree(args.store, copy)
            out = subprocess.run([sys.executable, __file__, str(args.store), "--case", name, "--copy", str(copy)],
                                 capture_output=True, text=True, check=True)
            results[name] = json.loads(out.stdout.strip().splitlines()[-1])
            r = results[name]
            print(f"{name:10} {r['seconds']:8.1f} s in all {r['writing']:8.2f} s writing the store "
                  f"{r['peak_mb']:8.0f} MB peak", flush=True)
            shutil.rmtree(copy)
    base, new = results["in place"], results["beside"]
    print(f"beside / in place: {new['seconds'] / base['seconds']:.2f}x the time, "
          f"{new['writing'] / base['writing']:.3f}x the writing, {new['peak_mb'] / base['peak_mb']:.2f}x the peak")
    return 0


if __name__ == "__main__":
    sys.exit(main())
