"""The query-worker pool on its own: results, the timeout, a memory bomb, the lanes.

Outcomes only: how long a kill and replacement take and what the process hop costs are
measured in ``bench/abuse.py``."""
from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from core.pool import LongQueriesBusy, QueryPool, QueryTimeout, QueryTooLarge
from core.worker import Job

from .sample_queries import EXPLOSIVE, SELECT


@pytest.fixture
def pool(store_path):
    p = QueryPool(str(store_path), size=1, timeout=1.0, memory_mb=300)
    yield p
    p.close()


def test_a_killed_worker_is_replaced(pool):
    pool.run(Job("ASK {}"), timeout=10)
    with pytest.raises(QueryTimeout):
        pool.run(Job(EXPLOSIVE), timeout=0.3)
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


def test_the_pool_gives_the_same_answer_as_the_store(pool, store_path):
    store = ox.Store.read_only(str(store_path))
    direct = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    n = next(iter(direct))["n"].value
    outcome = pool.run(Job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", format="json"))
    assert f'"value":"{n}"'.encode() in outcome.body


@pytest.mark.slow
def test_a_long_query_takes_the_long_lane_or_is_refused(store_path):
    """Two workers for short queries, one for a long one: of two long queries one runs to its
    timeout, the other is stopped when it turns long; a known long query is refused at once."""
    import threading
    lanes = QueryPool(str(store_path), size=2, timeout=8.0, heavy=1, heavy_after=0.3)
    try:
        errors: dict = {}
        threads = [threading.Thread(target=lambda q=q: errors.setdefault(q, _raises(lanes, q)))
                   for q in (EXPLOSIVE, EXPLOSIVE + " # another text")]
        for t in threads:
            t.start()
        for _ in range(600):                               # the one stopped when it turned long
            if errors:
                break
            time.sleep(0.05)
        assert [type(e) for e in errors.values()] == [LongQueriesBusy], errors
        with pytest.raises(LongQueriesBusy, match="ran long before"):
            lanes.run(Job(EXPLOSIVE))                      # known: refused without a worker
        assert lanes.run(Job("ASK {}")).status == "ok"     # short queries still have workers
        for t in threads:
            t.join(20)
        assert sorted(type(e).__name__ for e in errors.values()) == ["LongQueriesBusy", "QueryTimeout"]
    finally:
        lanes.close()


def _raises(pool, sparql):
    try:
        pool.run(Job(sparql))
    except Exception as exc:      # noqa: BLE001 - returned for the test to check
        return exc
    return None


CHILD = r'''
import sys
from core.pool import QueryPool
from core.worker import Job
pool = QueryPool(sys.argv[1], 1, 60)
pool.run(Job("ASK {}"))                      # the worker is up
print(pool.idle_pids()[0], flush=True)
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
    if not _until(lambda: not pool_worker_running(worker), 60):
        os.kill(worker, signal.SIGKILL)
        pytest.fail("the query worker outlived its parent by a minute")


def pool_worker_running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _until(condition, seconds: float = 20.0) -> bool:
    """Poll ``condition`` until it holds (True) or ``seconds`` pass (False)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.slow
@pytest.mark.skipif(not Path(f"/proc/self/task/{os.getpid()}/children").exists(),
                    reason="reads /proc/<pid>/task/<tid>/children")
def test_workers_start_when_needed_and_stop_when_idle(store_path):
    """With QUERY_IDLE_SECONDS one worker starts with the pool; two queries at once start a
    second; once idle, the extra one stops (its process is gone) and the one left answers.
    (Which one is retired, the least recently used, is tested in tests/core/test_idle.py.)"""
    import threading
    spawners = {t.native_id for t in threading.enumerate() if t.name == "ofsted-kg-spawner"}
    pool = QueryPool(str(store_path), size=2, timeout=2.0, idle_seconds=3.0)
    spawner = next(t.native_id for t in threading.enumerate()
                   if t.name == "ofsted-kg-spawner" and t.native_id not in spawners)
    try:
        assert pool.run(Job("ASK {}"), timeout=60).status == "ok"
        assert pool.live == 1 and len(pool.idle_pids()) == 1
        errors: list = []
        threads = [threading.Thread(target=lambda: errors.append(_raises(pool, EXPLOSIVE)))
                   for _ in range(2)]
        for t in threads:
            t.start()
        assert _until(lambda: pool.live == 2), "no second worker started for the second query"
        assert _until(lambda: len(_workers_of(spawner)) == 2), _workers_of(spawner)
        for t in threads:
            t.join(60)
        assert [type(e) for e in errors] == [QueryTimeout, QueryTimeout]
        # both killed workers are replaced; one of the two replacements then stays idle for
        # 3 s and stops, its process with it. The state is waited for, not a moment: on a busy
        # machine the stop may come before or after the other replacement has started or answered
        assert _until(lambda: pool.live == 1, 60), "the idle worker did not stop"
        assert _until(lambda: len(_workers_of(spawner)) == 1, 60), _workers_of(spawner)
        assert pool.run(Job(SELECT, accept="text/csv"), timeout=60).status == "ok"
        assert pool.live == 1 and pool.idle_pids() == _workers_of(spawner)
    finally:
        pool.close()


def _workers_of(thread_id: int) -> list[int]:
    """The running (not zombie) processes started by thread ``thread_id`` of this process: a
    pool's workers, all started by its spawner thread (whatever other pools this process has)."""
    children = Path(f"/proc/{os.getpid()}/task/{thread_id}/children").read_text().split()
    return [int(pid) for pid in children if pool_worker_running(int(pid))]


def store_files_open(pid: int, store_path) -> int:
    """How many files of the store's folder process ``pid`` holds open (/proc/<pid>/fd)."""
    folder, found = str(Path(store_path).resolve()), 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            found += os.readlink(fd).startswith(folder + "/")
    return found


def settled_store_files(pool: QueryPool, store_path, want_open: bool) -> int:
    """The idle worker's open store files once it has done what it does after answering."""
    deadline = time.monotonic() + 30
    while True:
        found = store_files_open(pool.idle_pids()[0], store_path)
        if bool(found) == want_open or time.monotonic() > deadline:
            return found


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="reads /proc/<pid>/fd")
def test_a_worker_over_its_keep_limit_reopens_the_store_and_answers_the_same(pool, store_path):
    """KEEP_MB=1: the worker closes the store after every query (no file of it open) and the
    next query reopens it; with no limit the store stays open."""
    keeping = QueryPool(str(store_path), size=1, timeout=10.0, keep_mb=1)
    unlimited = QueryPool(str(store_path), size=1, timeout=10.0, keep_mb=0)
    try:
        answers = []
        for _ in range(3):
            answers.append(keeping.run(Job(SELECT, format="json")).body)
            assert settled_store_files(keeping, store_path, want_open=False) == 0
        assert answers[0] == answers[1] == answers[2] == pool.run(Job(SELECT, format="json")).body
        assert answers[0].count(b'"la"') > 10
        assert unlimited.run(Job(SELECT, format="json")).body == answers[0]
        assert settled_store_files(unlimited, store_path, want_open=True) > 0
    finally:
        keeping.close()
        unlimited.close()


def test_the_server_starts_one_worker_and_passes_the_memory_settings(store_path):
    """create_app hands QUERY_KEEP_MB and QUERY_IDLE_SECONDS to its pool: one worker starts."""
    from .conftest import make_app
    app = make_app(store_path, QUERY_KEEP_MB=80, QUERY_IDLE_SECONDS=30.0)
    pool = app.extensions["ofsted_kg"].pool
    try:
        assert (pool.keep_mb, pool.idle_seconds) == (80, 30.0)
        assert pool.run(Job("ASK {}"), timeout=10).status == "ok"
        assert pool.live == 1
        assert f" {store_path.resolve()} " in _cmdline(pool.idle_pids()[0]) + " "
        assert _cmdline(pool.idle_pids()[0]).endswith(" 80")
    finally:
        pool.close()


def _cmdline(pid: int) -> str:
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return f.read().replace(b"\0", b" ").decode().strip()


@pytest.mark.slow
def test_a_burst_starts_as_many_on_demand_workers_as_it_needs(store_path):
    """Three long queries at once on a pool that starts workers on demand: three workers run
    them (one started with the pool, two for the burst). Before, a worker still starting kept
    the others from starting, and the third query waited for a busy one. Each query would take
    minutes (a filter tested on 3,000 copies of every quad), so once three workers are busy they
    stay busy however slow the machine; the pool is closed (its workers killed) once three are
    seen busy, or after two minutes without."""
    import threading
    endless = Job("SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { " + " ".join(map(str, range(3000)))
                  + " } GRAPH ?g { ?s ?p ?o } FILTER (?x + STRLEN(STR(?p)) > 0) }", format="json")
    burst = QueryPool(str(store_path), size=3, timeout=300.0, idle_seconds=60.0)
    threads = []
    try:
        assert burst.run(Job("ASK {}"), timeout=60).status == "ok" and burst.live == 1

        def ask():
            with contextlib.suppress(Exception):       # its worker is killed by close()
                burst.run(endless)
        threads = [threading.Thread(target=ask, daemon=True) for _ in range(3)]
        [t.start() for t in threads]
        # the state, not a moment: three workers started and each taken by a query (none idle,
        # none still starting); with fewer, the third query waits for a busy one for minutes
        three_busy = _until(lambda: burst.busy == 3, 120)
        seen = (burst.live, burst.busy, len(burst.idle_pids()))
    finally:
        burst.close()
        [t.join(30) for t in threads]
    assert three_busy, f"three overlapping queries never had three busy workers (live, busy, idle: {seen})"
    assert seen == (3, 3, 0)             # three workers started for the three, none left idle
    # closing stops the busy workers too, even those closed before they set their parent-death
    # signal (here within a tenth of a second of starting): their queries end
    assert not any(t.is_alive() for t in threads)
