"""The /download/ files' writer: time and peak memory of ``write_dumps`` on one store, beside a
baseline measured in the same run: the union written as N-Triples from a CONSTRUCT, as the
writer did before it read the union subject by subject.

Run: ``.venv/bin/python bench/dumps.py STORE``

Each case runs in a process of its own (``ofsted-kg serve`` writes the dumps in one too), so
its peak resident memory (``ru_maxrss``) is its own. The writer's case writes every file
(N-Triples gzipped, Turtle, JSON-LD, TriG, VoID and DCAT); the baseline writes only the
N-Triples union, the one step that held every triple, so the ratio understates the old total.

Measured 5 Dec 2026 (a busy 2-core machine): national store (559k distinct triples) writer
10.1 s CPU, 108 MB peak; the old writer, every file: 15.9 s, 478 MB. 150 x 10 (4.0M quads):
writer 82.6 s CPU, 158 MB; the old writer 120.8 s, 1,244 MB.

5 Dec 2026, 150 x 10 (4.36M quads), write_dumps alone in one process with the server's heap
settings, the same files byte for byte: the union's subjects from one SELECT DISTINCT and the
store open throughout, 85 s wall, 77 s CPU, peak 187 MB; read graph by graph with the store
reopened whenever the process has grown by 24 MB (core.store.EmbeddedStore.reopen), 99 s wall,
100 s CPU, peak 103-107 MB.
"""
from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))


def writer(store: str, folder: str) -> dict[str, int]:
    from core.store import EmbeddedStore
    from server.dumps import write_dumps
    source = EmbeddedStore(store, read_only=True)
    try:
        return {p.name: p.stat().st_size for p in write_dumps(source, folder)}
    finally:
        source.close()


def baseline(store: str, folder: str) -> dict[str, int]:
    import pyoxigraph as ox
    source = ox.Store.read_only(store)
    path = Path(folder) / "union.nt"
    with open(path, "wb") as f:
        ox.serialize(source.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True),
                     f, format=ox.RdfFormat.N_TRIPLES)
    return {path.name: path.stat().st_size}


def _child(case: str, store: str, folder: str, out) -> None:
    sizes = {"writer": writer, "baseline": baseline}[case](store, folder)
    own = resource.getrusage(resource.RUSAGE_SELF)
    out.send((own.ru_utime + own.ru_stime, own.ru_maxrss // 1024, sizes))


def measure(case: str, store: str) -> tuple[float, float, int, dict]:
    """Run ``case`` in a fresh process: wall seconds, its CPU seconds and peak RSS in MB, and
    the sizes of the files it wrote."""
    ctx = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-dumps-bench-") as folder:
        receive, send = ctx.Pipe(duplex=False)
        started = time.perf_counter()
        process = ctx.Process(target=_child, args=(case, store, folder, send))
        process.start()
        send.close()                     # ours: so that a child that dies ends recv()
        try:
            cpu, peak, sizes = receive.recv()
        except EOFError:
            process.join()
            raise RuntimeError(f"the {case} failed (exit status {process.exitcode}); see its traceback above") from None
        process.join()
    return time.perf_counter() - started, cpu, peak, sizes


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    args = ap.parse_args(argv)
    store = str(args.store)
    wall, cpu, peak, sizes = measure("writer", store)
    print(f"writer, every file:        {wall:7.1f} s wall {cpu:7.1f} s CPU  peak {peak:6d} MB  "
          + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sorted(sizes.items())))
    b_wall, b_cpu, b_peak, b_sizes = measure("baseline", store)
    print(f"baseline, N-Triples only:  {b_wall:7.1f} s wall {b_cpu:7.1f} s CPU  peak {b_peak:6d} MB  "
          + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in b_sizes.items()))
    print(f"writer / baseline: peak memory {peak / max(b_peak, 1):.2f}x, CPU {cpu / max(b_cpu, 1e-9):.2f}x "
          f"(the writer writes five files, the baseline one)")


if __name__ == "__main__":
    main()
