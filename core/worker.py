"""A query worker process: opens the store read-only and answers jobs from a pipe.

The web process sends a :class:`Job`; the worker parses, evaluates and serializes the query
and sends back an :class:`Outcome` with the finished body. A query that runs too long is not
interrupted here: the pool kills the whole process (pyoxigraph cannot cancel a query).
Each query (and each open) runs under the store's shared read lock (:mod:`core.lock`),
so a worker never opens or reads the store while ingest is half-way through a document; it
reopens when the store's write generation moves on, or when the directory changes (stores
written without the lock).
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Iterator

import pyoxigraph as ox

from core import lock

from . import formats, heap, sandbox, sparqljson
from .lexer import names_dataset
from .negotiate import NotAcceptable, negotiate

OPEN_ATTEMPTS = 20     # read-only opens tried while a writer swaps files (50 ms apart)


@dataclass(frozen=True)
class Job:
    sparql: str
    accept: str | None = None            # the client's Accept header
    format: str | None = None            # a `format` parameter, or a format key chosen by a view
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    substitutions: dict = field(default_factory=dict)   # variable name -> pyoxigraph term
    limit: int | None = 100_000         # None: no row cap (the server's own queries)
    drop_columns: tuple[str, ...] = ()  # variables left out of a JSON result (canned queries)
    max_bytes: int | None = None         # largest body: rows or triples beyond it are cut
    base_iri: str | None = None          # relative IRIs in the query resolve against it


@dataclass(frozen=True)
class Outcome:
    status: str                          # ok | syntax | not-acceptable | error
    body: bytes = b""
    media_type: str = ""
    kind: str = ""                       # solutions | boolean | graph
    truncated: bool = False
    message: str = ""
    engine_ms: float = 0.0               # wall time of evaluating and serializing (not queueing)


def send_outcome(conn, outcome: Outcome) -> None:
    """Send ``outcome`` on a pipe with its body as raw bytes beside the rest, not pickled inside
    it: a 590 KB answer took 0.46 ms from worker to web process pickled, 0.13 ms so (one-off
    measure); :func:`receive_outcome` reads it."""
    conn.send(dataclasses.replace(outcome, body=b""))
    conn.send_bytes(outcome.body)


def receive_outcome(conn) -> Outcome:
    """The outcome :func:`send_outcome` sent on ``conn``."""
    head: Outcome = conn.recv()
    return dataclasses.replace(head, body=conn.recv_bytes())


def choose(kind: str, job: Job) -> str:
    """The format key for a result of ``kind`` (solutions/boolean -> results, graph -> RDF).

    :raise NotAcceptable: when neither ``format`` nor Accept allows any supported format.
    """
    family = formats.RDF_FORMATS if kind == "graph" else formats.RESULT_FORMATS
    default = "turtle" if kind == "graph" else "json"
    if job.format:
        key = formats.by_name(family, job.format)
        if key is None:
            raise NotAcceptable(f"format={job.format}", [f.names[0] for f in family.values()])
        return key
    return negotiate(job.accept, formats.media_types(family), default)


def dataset_options(job: Job) -> dict:
    """The dataset arguments of ``Store.query`` for ``job`` (SPARQL 1.1 Protocol 2.1.4): the
    protocol's graphs (one list given makes the other empty), else the query's own ``FROM``,
    else the union of every graph."""
    if job.default_graph is not None or job.named_graphs is not None:
        return {"default_graph": [ox.NamedNode(g) for g in job.default_graph or ()],
                "named_graphs": [ox.NamedNode(g) for g in job.named_graphs or ()]}
    if names_dataset(job.sparql):
        return {}
    return {"use_default_graph_as_union": True}


def execute(store: ox.Store, job: Job) -> Outcome:
    """Run one job against ``store`` and serialize its result; the outcome says how long that
    took (``engine_ms``, wall time: a remote store's includes its HTTP round trip)."""
    started = time.perf_counter()
    outcome = evaluate(store, job)
    return dataclasses.replace(outcome, engine_ms=(time.perf_counter() - started) * 1000)


def evaluate(store: ox.Store, job: Job) -> Outcome:
    """Run one job against ``store`` and serialize its result (:func:`execute` times it)."""
    kwargs = dataset_options(job)
    if job.base_iri and isinstance(store, ox.Store):
        kwargs["base_iri"] = job.base_iri
    subs = {ox.Variable(k): v for k, v in job.substitutions.items()}
    def run():
        return store.query(job.sparql, substitutions=subs or None, **kwargs)

    try:
        result = run()
    except SyntaxError as exc:
        return Outcome("syntax", message=str(exc))
    kind = ("boolean" if isinstance(result, ox.QueryBoolean)
            else "solutions" if isinstance(result, ox.QuerySolutions) else "graph")
    try:
        key = choose(kind, job)
    except NotAcceptable as exc:
        return Outcome("not-acceptable", kind=kind, message=str(exc))
    truncated = False
    if kind == "boolean":
        body = formats.write_boolean(result, key)
    elif kind == "solutions":
        body, truncated = formats.write_solutions(result, key, job.limit, again=run, max_bytes=job.max_bytes,
                                                 drop=job.drop_columns if key == "csv" else ())
        if job.drop_columns and key == "json":
            body = sparqljson.drop_json_columns(body, job.drop_columns)
    else:
        body, truncated = formats.write_rdf(result, key, job.limit, max_bytes=job.max_bytes)
    family = formats.RDF_FORMATS if kind == "graph" else formats.RESULT_FORMATS
    return Outcome("ok", body=body, media_type=family[key].content_type, kind=kind,
                   truncated=truncated)


class StoreHandle:
    """The read-only store, used under the read lock and reopened when the store changes.

    Threads may share one (a web worker's own queries, :mod:`core.local`): opening is done by
    one of them at a time, and each query keeps the store it started on.
    """

    def __init__(self, path: str):
        self.path = path
        self.stamp = None
        self.store = None
        self._opening = threading.Lock()

    @contextlib.contextmanager
    def reading(self) -> Iterator[ox.Store]:
        """The current store, with the shared lock held until the block ends (see :mod:`core.lock`)."""
        with lock.read_lock(self.path):
            yield self._current()

    def close(self) -> None:
        """Let the store go (its caches are freed with it); the next query opens it again."""
        with self._opening:
            self.store = None

    def _current(self) -> ox.Store:
        stamp = lock.stamp(self.path)
        with self._opening:
            if self.store is None or stamp != self.stamp:
                self.store = None
                self.store, self.stamp = self._open(), stamp
            return self.store

    def _open(self) -> ox.Store:
        for attempt in range(OPEN_ATTEMPTS):
            try:
                return ox.Store.read_only(self.path)
            except (OSError, RuntimeError):
                # a writer without the lock was replacing files: look again shortly
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05)
        raise AssertionError("unreachable")


TRIM_ABOVE_MB = 100    # resident size after a job beyond which freed memory is handed back


def release(handle: StoreHandle, keep_mb: int) -> None:
    """After a job: hand freed heap back to the system when the worker has grown, and close the
    store (reopened for the next job) when it still holds more than ``keep_mb``.

    The engine's hash tables for a big query are freed when it ends, but glibc keeps the pages
    (one large query left a worker at 280 MB; 85 MB after a trim, ~25 ms at that size, done
    after the answer has been sent). What stays is the open store's caches of the files the
    query read (150 x 10: 46 MB after ``judgements``, 110 MB after ``statistics`` and
    ``recommendations``), freed only by closing it; reopening takes ~20 ms, and the next big
    query costs ~15% more CPU while those caches fill again.

    :param keep_mb: resident MiB a worker may keep between jobs (0: the store is never closed).
    """
    if heap.resident_mb() <= min(TRIM_ABOVE_MB, keep_mb or TRIM_ABOVE_MB):
        return
    heap.trim()
    if keep_mb and heap.resident_mb() > keep_mb:
        handle.close()
        heap.trim()


def _die_with_parent() -> None:
    """On Linux, ask for SIGKILL when the web process dies, so no orphan keeps a query running."""
    parent = os.getppid()
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))           # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:                       # the parent died before prctl took effect
        os._exit(1)


def main(conn, store_path: str, memory_mb: int = 0, keep_mb: int = 0) -> None:
    """The worker loop: receive a job, send an outcome, until the pipe closes.

    :param memory_mb: heap limit for this process; a query that needs more kills only this worker.
    :param keep_mb: resident MiB kept between jobs (:func:`release`; 0: no limit).
    """
    heap.configure()
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # the parent decides when we stop
    _die_with_parent()
    sandbox.block_network()                           # SERVICE cannot fetch, even if unchecked
    if memory_mb > 0:
        import resource
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    handle = StoreHandle(store_path)
    try:
        with handle.reading():
            pass
        send_outcome(conn, Outcome("ok", message="ready"))
    except OSError as exc:
        send_outcome(conn, Outcome("error", message=f"cannot open the store at {store_path}: {exc}"))
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        send_outcome(conn, answer(handle, job))
        del job                          # nothing of the job's result is left to free
        release(handle, keep_mb)


def answer(handle: StoreHandle, job: Job) -> Outcome:
    """The outcome of ``job`` on the store under the read lock; engine failures (pyo3 panics
    included) come back as an ``error`` outcome and the store is reopened next time."""
    try:
        with handle.reading() as store:
            return execute(store, job)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:     # noqa: BLE001 - includes pyo3 panics; answered as 500
        # evaluation errors surface while iterating; report them and keep serving
        handle.close()               # reopen next time, in case the store changed under us
        return Outcome("error", message=f"{type(exc).__name__}: {exc}")


if __name__ == "__main__":
    import sys
    from multiprocessing.connection import Connection

    from core.worker import main as worker_main   # so pickled classes name core.worker

    worker_main(Connection(int(sys.argv[1])), sys.argv[2], *(int(arg) for arg in sys.argv[3:5]))
