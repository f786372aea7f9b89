"""The query-worker pool on its own: results, the timeout, a memory bomb, and the overhead."""
from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from server.pool import QueryPool, QueryTimeout, QueryTooLarge, measure_overhead
from server.worker import Job

from .test_sparql_protocol import EXPLOSIVE, SELECT


@pytest.fixture
def pool(store_path):
    p = QueryPool(str(store_path), size=1, timeout=1.0, memory_mb=300)
    yield p
    p.close()


def test_a_killed_worker_is_replaced(pool):
    pool.run(Job("ASK {}"), timeout=10)
    start = time.perf_counter()
    with pytest.raises(QueryTimeout):
        pool.run(Job(EXPLOSIVE))
    assert time.perf_counter() - start < 1.5
    for _ in range(3):       # the replacement, started by the spawner thread, stays alive
        assert pool.run(Job("ASK {}"), timeout=10).status == "ok"
        time.sleep(0.3)


@pytest.mark.slow
def test_a_memory_bomb_kills_only_its_worker(store_path):
    pool = QueryPool(str(store_path), size=1, timeout=30, memory_mb=300)
    try:
        with pytest.raises(QueryTooLarge, match="more memory than the server allows"):
            pool.run(Job("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"))
        assert pool.run(Job("ASK {}"), timeout=10).status == "ok"
    finally:
        pool.close()


def test_outcomes(pool):
    assert pool.run(Job("SELECT WHERE {")).status == "syntax"
    assert pool.run(Job(SELECT, accept="image/png")).status == "not-acceptable"
    ok = pool.run(Job(SELECT, accept="text/csv"))
    assert ok.status == "ok" and ok.media_type.startswith("text/csv") and ok.kind == "solutions"


def test_overhead_of_the_worker_process_is_small(pool, store_path):
    """Median added time per query of the process hop (pickle + socket), printed for the record."""
    store = ox.Store.read_only(str(store_path))
    through, direct = measure_overhead(pool, store, "ASK { ?s ?p ?o }", n=200)
    print(f"\nworker hop: {through * 1000:.3f} ms through the pool vs {direct * 1000:.3f} ms in-process")
    assert through - direct < 0.005        # generous for a loaded CI machine; typically ~0.3 ms


CHILD = r'''
import sys
from server.pool import QueryPool
from server.worker import Job
pool = QueryPool(sys.argv[1], 1, 60)
pool.run(Job("ASK {}"))                      # the worker is up
print(pool._idle.queue[0].process.pid, flush=True)
pool.run(Job(sys.argv[2]))
'''


def test_workers_die_with_the_web_process(store_path):
    """A web worker killed mid-query (OOM killer, gunicorn) leaves no query running."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path
    parent = subprocess.Popen([sys.executable, "-c", CHILD, str(store_path), EXPLOSIVE],
                              stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    worker = int(parent.stdout.readline())
    assert pool_worker_running(worker)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    for _ in range(100):
        if not pool_worker_running(worker):
            break
        time.sleep(0.02)
    else:
        os.kill(worker, signal.SIGKILL)
        pytest.fail("the query worker outlived its parent")


def pool_worker_running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
