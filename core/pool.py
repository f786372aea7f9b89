"""A small pool of query worker processes that can be killed: the query timeout.

pyoxigraph cannot interrupt a running query from another thread, so each query runs in a worker
process (:mod:`core.worker`). A query that outlives the timeout gets its worker killed
(SIGKILL) and replaced in the background; the request gets :class:`QueryTimeout`. Workers are
fresh interpreters (``python -m core.worker``) talking over a socket pair, so none inherits the
web process's threads or open store, and none depends on how the web process was started
(gunicorn, werkzeug, pytest).
"""
from __future__ import annotations

import dataclasses
import logging
import queue
import socket
import subprocess
import sys
import tempfile
import threading
from collections import OrderedDict
from multiprocessing.connection import Connection
from pathlib import Path

from .idle import IdleStack
from .lanes import KNOWN_LONG_SECONDS, Held, cost_key, recent, remember
from .worker import Job, Outcome, receive_outcome

log = logging.getLogger(__name__)


class PoolError(Exception):
    """Base of the pool's failures."""


class QueryTimeout(PoolError):
    """The query ran past the timeout; its worker was killed."""


class PoolBusy(PoolError):
    """No worker could take the query: answered 503 with ``Retry-After``."""

    def __init__(self, message: str, retry_after: int = 5):
        super().__init__(message)
        self.retry_after = retry_after


class QueueFull(PoolBusy):
    """As many queries as the queue holds are already waiting for a worker."""


class LongQueriesBusy(PoolBusy):
    """The query ran past ``heavy_after`` while every long-query slot was taken; it was stopped."""


class WorkerFailed(PoolError):
    """A worker died or could not open the store."""


class QueryTooLarge(PoolError):
    """The query needed more memory than a worker may use (``QUERY_MEMORY_MB``)."""


#: what a worker prints on standard error when an allocation fails (Rust's allocator, Python)
_OUT_OF_MEMORY = (b"memory allocation of", b"MemoryError", b"Cannot allocate memory")


PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


class _Worker:
    def __init__(self, store_path: str, memory_mb: int = 0, keep_mb: int = 0):
        ours, theirs = socket.socketpair()
        # standard error goes to an unnamed file so that, when a worker dies, the pool can tell
        # "out of memory" (the client's query was too big) from an engine crash (our fault)
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "core.worker", str(theirs.fileno()), store_path, str(memory_mb),
             str(keep_mb)],
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
        hello = receive_outcome(self.conn)
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
    """Worker processes serving queries on the store at ``store_path``, in two lanes.

    Every query starts on any idle worker. One still running after ``heavy_after`` seconds is a
    long query and needs one of ``heavy`` long-query slots; when they are all taken it is
    stopped (its worker killed and replaced) and refused with :class:`LongQueriesBusy`. A query
    that turned long before (same text, dataset and bindings, within ``KNOWN_LONG_SECONDS``)
    takes its slot before it starts, or is refused without taking a worker at all. Queries not
    known to be short (finished within ``heavy_after`` before) hold at most ``size - 1`` workers
    at once, so one is always left for known-short queries (canned pages) and our own. The
    pool has ``size + heavy`` workers, so however many long queries run, ``size`` workers are
    left for short ones. At most ``queue_size`` queries wait for a worker; more are refused
    with :class:`QueueFull`.

    With ``idle_seconds``, only one worker starts with the pool; another starts when a query
    finds none idle (up to ``size + heavy``), and one left idle that long stops again.

    :param max_bytes: the largest result body (``Job.max_bytes`` of client queries; 0: none).
    :param keep_mb: resident MiB a worker keeps between queries (:func:`core.worker.release`).
    :param idle_seconds: how long a worker beyond the first may stay idle (0: every worker
        starts with the pool and stays).
    """

    def __init__(self, store_path: str, size: int = 2, timeout: float = 30.0, memory_mb: int = 0,
                 heavy: int = 0, heavy_after: float = 1.0, queue_size: int = 16, max_bytes: int = 0,
                 keep_mb: int = 0, idle_seconds: float = 0.0):
        self.store_path = str(Path(store_path).resolve())
        self.memory_mb = memory_mb
        self.keep_mb = keep_mb
        self.idle_seconds = idle_seconds
        self.size = size + heavy
        self.timeout = timeout
        self.heavy = heavy
        self.heavy_after = heavy_after
        self.queue_size = queue_size
        self.max_bytes = max_bytes
        self._long = threading.BoundedSemaphore(heavy) if heavy else None
        self._waiting = 0
        # at least one worker is always left for queries known to be short and our own
        self._unknown = threading.BoundedSemaphore(max(1, size - 1)) if heavy else None
        self._long_queries: OrderedDict[str, float] = OrderedDict()   # cost key -> turned long at
        self._short_queries: OrderedDict[str, float] = OrderedDict()  # cost key -> finished early at
        self._trials: dict[str, threading.Event] = {}    # cost key -> set when its first try is judged
        self._lock = threading.Lock()
        first = 1 if idle_seconds else self.size
        self._idle: IdleStack[_Worker] = IdleStack(live=first)
        self._closed = False
        self._started: list[_Worker] = []     # every worker the spawner started and not seen stopped
        # every worker is started by one long-lived thread: Linux sends a worker its
        # parent-death signal when the *thread* that started it ends, not just the process
        self._spawns: queue.Queue[_Worker | None | bool] = queue.Queue()
        threading.Thread(target=self._spawn_loop, daemon=True, name="ofsted-kg-spawner").start()
        for _ in range(first):
            self._spawns.put(None)

    def _spawn_loop(self) -> None:
        """Start a worker per request (after reaping the one it replaces); False stops. Between
        requests, stop the workers idle for longer than ``idle_seconds``."""
        every = max(0.5, min(self.idle_seconds / 2, 10.0)) if self.idle_seconds else None
        while True:
            try:
                request = self._spawns.get(timeout=every)
            except queue.Empty:
                for worker in self._idle.retire(self.idle_seconds, keep=1):
                    worker.kill()
                continue
            if request is False:
                return
            if request is not None:
                request.kill()
            if self._closed:
                self._idle.failed()
                continue
            try:
                worker = _Worker(self.store_path, self.memory_mb, self.keep_mb)
                self._started = [w for w in self._started if w.process.poll() is None] + [worker]
                if self._closed:               # closed while it started: close() may have missed it
                    worker.kill()
                    self._idle.failed()
                    continue
                self._idle.add(worker)
            except Exception:   # noqa: BLE001 - logged; the pool runs one short until restart
                self._idle.failed()
                log.exception("could not start a query worker")

    def run(self, job: Job, timeout: float | None = None) -> Outcome:
        """Run ``job`` on an idle worker and return its outcome.

        :param timeout: seconds for the query (default: the pool's).
        :raise QueryTimeout: the query ran too long (its worker was killed and replaced).
        :raise PoolBusy: no worker became free within the timeout.
        :raise WorkerFailed: the worker died or could not open the store.
        """
        timeout = self.timeout if timeout is None else timeout
        if self.max_bytes and job.limit is not None and job.max_bytes is None:
            job = dataclasses.replace(job, max_bytes=self.max_bytes)
        key = cost_key(job)
        # the server's own queries (no row cap: descriptions, entity pages) are not put on probation
        lanes = self._long is not None and job.limit is not None
        known_long = lanes and recent(self._long_queries, key, KNOWN_LONG_SECONDS, self._lock)
        if known_long and not self._long.acquire(blocking=False):
            raise LongQueriesBusy(                  # refused before it takes a worker
                f"this query ran long before and this server's {self.heavy} slot(s) for long "
                f"queries were taken; try again later", retry_after=max(1, int(timeout)))
        first_try = lanes and not known_long and self._first_try(key)
        if lanes and not known_long and not first_try:
            known_long = recent(self._long_queries, key, KNOWN_LONG_SECONDS, self._lock)
            if known_long and not self._long.acquire(blocking=False):
                raise LongQueriesBusy(
                    f"this query ran long just now and this server's {self.heavy} slot(s) for long "
                    f"queries were taken; try again later", retry_after=max(1, int(timeout)))
        unknown = Held(self._unknown if lanes and not known_long
                        and not recent(self._short_queries, key, None, self._lock) else None)
        try:
            if not unknown.take(timeout):
                raise PoolBusy(f"queries of unknown cost kept this server's {self.size - 1} "
                               f"worker(s) for them busy for {timeout:g} s")
            return self._run(job, timeout, key, lanes and not known_long, unknown)
        finally:
            unknown.give_back()
            if first_try:
                self._tried(key)
            if known_long:
                self._long.release()

    def _first_try(self, key: str) -> bool:
        """True for the first of several identical queries of unknown cost sent at once: the
        others wait (up to ``heavy_after`` and a second) for its verdict, short or long, instead
        of each taking a worker to find out.
        """
        with self._lock:
            trial = self._trials.get(key)
            if trial is None:
                if recent(self._short_queries, key, None, None):
                    return True
                self._trials[key] = threading.Event()
                return True
        trial.wait(self.heavy_after + 1.0)
        return False

    def _tried(self, key: str) -> None:
        """The verdict on ``key`` is in (or its try ended): identical queries may go on."""
        with self._lock:
            trial = self._trials.pop(key, None)
        if trial is not None:
            trial.set()

    def _run(self, job: Job, timeout: float, key: str, probation: bool, unknown: "Held") -> Outcome:
        worker = self._take(timeout)
        try:
            worker.wait_ready(max(timeout, 10.0))
            worker.conn.send(job)
            outcome = self._wait(worker, timeout, key, probation, unknown)
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

    def _take(self, timeout: float) -> _Worker:
        """An idle worker, waited for in the bounded queue.

        :raise QueueFull: ``queue_size`` queries are already waiting.
        :raise PoolBusy: no worker became free within ``timeout``.
        """
        worker = self._idle.take(0)
        if worker is not None:
            return worker
        with self._lock:
            if self._waiting >= self.queue_size:
                raise QueueFull(f"{self._waiting} queries are already waiting for this server's "
                                f"{self.size} query workers; try again shortly", retry_after=2)
            self._waiting += 1
        try:                                   # starting one more worker while fewer start than wait
            worker = self._idle.wait(timeout, self.size, lambda: self._spawns.put(None))
        finally:
            with self._lock:
                self._waiting -= 1
        if worker is None:
            raise PoolBusy(f"all {self.size} query workers stayed busy for {timeout:g} s")
        return worker

    def _wait(self, worker: _Worker, timeout: float, key: str, probation: bool, unknown: "Held") -> Outcome:
        """The outcome of the job ``worker`` is running; on ``probation``, a query that turns long
        goes on only if a long-query slot is free then (and gives back its ``unknown`` place).

        :raise LongQueriesBusy: it turned long while every slot was taken (worker replaced).
        :raise QueryTimeout: it ran past ``timeout`` (worker replaced).
        """
        first = min(self.heavy_after, timeout) if probation else timeout
        if worker.conn.poll(first):
            if probation:
                remember(self._short_queries, key, self._lock)
                self._tried(key)
            return receive_outcome(worker.conn)
        if first < timeout:
            remember(self._long_queries, key, self._lock)
            self._tried(key)
            unknown.give_back()
            if not self._long.acquire(blocking=False):
                self._replace(worker)
                raise LongQueriesBusy(
                    f"the query was still running after {self.heavy_after:g} s while this server's "
                    f"{self.heavy} slot(s) for long queries were taken; it was stopped, try again later",
                    retry_after=max(1, int(timeout)))
            try:
                if worker.conn.poll(timeout - first):
                    return receive_outcome(worker.conn)
            finally:
                self._long.release()
        self._replace(worker)
        raise QueryTimeout(f"the query was stopped after {timeout:g} s")

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now; the spawner thread reaps it and starts its replacement."""
        if worker.process.poll() is None:
            worker.process.kill()
        self._idle.expect()
        self._spawns.put(worker)

    def close(self) -> None:
        """Stop every worker: the idle ones, then the busy ones (their queries end with
        :class:`WorkerFailed`). The spawner thread then ends; the parent-death signal each worker
        sets against that thread (:func:`core.worker.main`) is for a web process that dies without
        closing, and comes too late for a worker closed before it has set it."""
        self._closed = True
        self._spawns.put(False)
        for worker in self._idle.close():
            worker.kill()
        for worker in list(self._started):
            if worker.process.poll() is None:
                worker.process.kill()

    @property
    def live(self) -> int:
        """Workers started and not stopped (idle, busy or starting)."""
        return self._idle.live

    @property
    def busy(self) -> int:
        """Workers taken for a query (live, less the idle and the starting)."""
        return self._idle.busy()

    def idle_pids(self) -> list[int]:
        """Process ids of the idle workers, least recently used first."""
        return [worker.process.pid for worker in self._idle.workers()]

