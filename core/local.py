"""Short trusted queries answered in the calling process, without the hop to a query worker.

The pool's query workers (:mod:`core.pool`) keep what a client sends away from the server:
a query that runs too long is stopped by killing its process, one that needs too much memory
kills only its process, and SERVICE cannot reach the network there. Canned queries and the
server's own queries are our texts with typed bindings, and most take a few milliseconds; for
them the hop itself (the job pickled down a pipe, a process woken, the answer sent back and
this one woken) is a large share of the server's time above the engine's (issue 16):
``bench/settings_ab.py --a LOCAL_QUERY_MS=0`` measured 0.1-1.1 ms less a request with it. So a trusted job that took less than ``fast_ms`` the last time it ran
(wherever it ran) is answered here, in the calling thread, on this process's own read-only
store (:class:`core.worker.StoreHandle`, the same code a query worker runs). A job not seen
yet, or seen slow, goes to the pool, which can stop it; so does every client's SPARQL.
"""
from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict

from .lanes import remember
from .worker import Job, Outcome, StoreHandle, answer

REMEMBERED = 4096        # jobs whose last time is kept (a key is 64 characters)


class LocalRunner:
    """Runs trusted jobs known to be short in this process.

    :param store_path: the embedded store.
    :param fast_ms: a job whose last run took less than this (milliseconds of its engine, as
        :attr:`core.worker.Outcome.engine_ms` says) runs here; 0 turns the runner off.
    :param max_bytes: the largest body, as the pool caps it (0: no cap).
    """

    def __init__(self, store_path: str, fast_ms: float, max_bytes: int = 0):
        self.fast_ms = fast_ms
        self.max_bytes = max_bytes
        self.handle = StoreHandle(store_path)
        self._last: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def suits(self, key: str) -> bool:
        """Whether the job with cost key ``key`` (:func:`core.lanes.cost_key`) runs here."""
        with self._lock:
            last = self._last.get(key)
        return last is not None and last < self.fast_ms

    def note(self, key: str, outcome: Outcome) -> None:
        """Remember how long the job ``key`` took, wherever it ran (only a finished job)."""
        if self.fast_ms and outcome.status in ("ok", "not-acceptable"):
            remember(self._last, key, self._lock, outcome.engine_ms, REMEMBERED)

    def run(self, job: Job) -> Outcome:
        """Answer ``job`` here (engine failures come back as an ``error`` outcome)."""
        if self.max_bytes and job.limit is not None and job.max_bytes is None:
            job = dataclasses.replace(job, max_bytes=self.max_bytes)
        return answer(self.handle, job)

    def close(self) -> None:
        self.handle.close()
