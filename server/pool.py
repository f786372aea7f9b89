"""A small pool of query worker processes that can be killed: the query timeout.

pyoxigraph cannot interrupt a running query from another thread, so each query runs in a worker
process (:mod:`server.worker`). A query that outlives the timeout gets its worker killed
(SIGKILL) and replaced in the background; the request gets :class:`QueryTimeout`. Workers are
fresh interpreters (``python -m server.worker``) talking over a socket pair, so none inherits the
web process's threads or open store, and none depends on how the web process was started
(gunicorn, werkzeug, pytest).
"""
from __future__ import annotations

import logging
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from .worker import Job, Outcome

log = logging.getLogger(__name__)


class PoolError(Exception):
    """Base of the pool's failures."""


class QueryTimeout(PoolError):
    """The query ran past the timeout; its worker was killed."""


class PoolBusy(PoolError):
    """Every worker stayed busy for the whole timeout."""


class WorkerFailed(PoolError):
    """A worker died or could not open the store."""


class QueryTooLarge(PoolError):
    """The query needed more memory than a worker may use (``QUERY_MEMORY_MB``)."""


#: what a worker prints on standard error when an allocation fails (Rust's allocator, Python)
_OUT_OF_MEMORY = (b"memory allocation of", b"MemoryError", b"Cannot allocate memory")


PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


class _Worker:
    def __init__(self, store_path: str, memory_mb: int = 0):
        ours, theirs = socket.socketpair()
        # standard error goes to an unnamed file so that, when a worker dies, the pool can tell
        # "out of memory" (the client's query was too big) from an engine crash (our fault)
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.worker", str(theirs.fileno()), store_path, str(memory_mb)],
            pass_fds=(theirs.fileno(),), cwd=PACKAGE_PARENT, stdin=subprocess.DEVNULL,
            stderr=self.stderr)
        theirs.close()
        self.conn = Connection(ours.detach())
        self.ready = False

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise WorkerFailed("a query worker did not start in time")
        hello: Outcome = self.conn.recv()
        if hello.status != "ok":
            raise WorkerFailed(hello.message)
        self.ready = True

    def last_words(self, limit: int = 4096) -> bytes:
        """The end of what the worker wrote on standard error."""
        try:
            self.stderr.seek(0, 2)
            size = self.stderr.tell()
            self.stderr.seek(max(0, size - limit))
            return self.stderr.read()
        except (OSError, ValueError):
            return b""

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        self.conn.close()
        self.stderr.close()
class QueryPool:
    """``size`` worker processes serving queries on the store at ``store_path``."""

    def __init__(self, store_path: str, size: int = 2, timeout: float = 30.0, memory_mb: int = 0):
        self.store_path = str(Path(store_path).resolve())
        self.memory_mb = memory_mb
        self.size = size
        self.timeout = timeout
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._closed = False
        # every worker is started by one long-lived thread: Linux sends a worker its
        # parent-death signal when the *thread* that started it ends, not just the process
        self._spawns: queue.Queue[_Worker | None | bool] = queue.Queue()
        threading.Thread(target=self._spawn_loop, daemon=True, name="ofsted-kg-spawner").start()
        for _ in range(size):
            self._spawns.put(None)

    def _spawn_loop(self) -> None:
        """Start a worker per request (after reaping the one it replaces); False stops."""
        while True:
            request = self._spawns.get()
            if request is False:
                return
            if request is not None:
                request.kill()
            if self._closed:
                continue
            try:
                self._idle.put(_Worker(self.store_path, self.memory_mb))
            except Exception:   # noqa: BLE001 - logged; the pool runs one short until restart
                log.exception("could not start a query worker")

    def run(self, job: Job, timeout: float | None = None) -> Outcome:
        """Run ``job`` on an idle worker and return its outcome.

        :param timeout: seconds for the query (default: the pool's).
        :raise QueryTimeout: the query ran too long (its worker was killed and replaced).
        :raise PoolBusy: no worker became free within the timeout.
        :raise WorkerFailed: the worker died or could not open the store.
        """
        timeout = self.timeout if timeout is None else timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise PoolBusy(f"all {self.size} query workers stayed busy for {timeout:g} s") from None
        try:
            worker.wait_ready(max(timeout, 10.0))
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                self._replace(worker)
                raise QueryTimeout(f"the query was stopped after {timeout:g} s")
            outcome = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            try:
                code = worker.process.wait(1)        # it is exiting: its pipe just closed
            except subprocess.TimeoutExpired:
                code = None
            words = worker.last_words()
            self._replace(worker)
            if any(marker in words for marker in _OUT_OF_MEMORY):
                raise QueryTooLarge("the query needed more memory than the server allows for one "
                                    "query; narrow it (fewer variables, a LIMIT, no ORDER BY over "
                                    "everything)") from None
            if words.strip():
                log.error("query worker died: %s", words.decode("utf-8", "replace")[-1000:])
            why = "it crashed" if code is not None and code < 0 else f"exit status {code}"
            raise WorkerFailed(f"the query worker stopped unexpectedly ({why}); it was replaced") from None
        except WorkerFailed:
            self._replace(worker)
            raise
        self._idle.put(worker)
        return outcome

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now; the spawner thread reaps it and starts its replacement."""
        if worker.process.poll() is None:
            worker.process.kill()
        self._spawns.put(worker)

    def close(self) -> None:
        """Stop every idle worker (busy ones stop when their pipe closes)."""
        self._closed = True
        self._spawns.put(False)
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            worker.kill()


def measure_overhead(pool: QueryPool, store, sparql: str, n: int = 200) -> tuple[float, float]:
    """Median seconds of ``sparql`` through the pool and directly on ``store``, for reports."""
    from .worker import execute
    through, direct = [], []
    job = Job(sparql, format="json")
    for _ in range(n):
        t = time.perf_counter()
        pool.run(job)
        through.append(time.perf_counter() - t)
        t = time.perf_counter()
        execute(store, job)
        direct.append(time.perf_counter() - t)
    through.sort()
    direct.sort()
    return through[n // 2], direct[n // 2]
