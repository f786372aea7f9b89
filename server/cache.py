"""Finished query results kept while the store is unchanged, and the ETags that name them.

The store only changes when ingest writes it, so a canned page or a SPARQL GET asked again
gets the same bytes: the web process keeps recent outcomes (least recently used first out,
bounded in bytes) under the store's *stamp* (its write generation and directory mtime, see
:meth:`server.store.QueryService.stamp`). A new stamp empties the cache, so nothing older than
the store is ever served. Each gunicorn worker process has its own cache.

The same stamp and job give the response's ETag, so a client that sends ``If-None-Match`` gets
304 without the query running at all.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from core.worker import Job, Outcome


def job_key(job: Job) -> tuple:
    """Everything about ``job`` that can change its result (terms in their N-Triples form)."""
    subs = tuple(sorted((name, str(term)) for name, term in job.substitutions.items()))
    return (job.sparql, job.accept, job.format, job.default_graph, job.named_graphs, subs,
            job.limit, job.drop_columns, job.base_iri)


def etag(stamp: str, job: Job) -> str:
    """A strong validator for the result of ``job`` on the store as of ``stamp``."""
    return hashlib.sha256(repr((stamp, job_key(job))).encode("utf-8")).hexdigest()[:32]


class ResultCache:
    """Successful outcomes by job, for one store stamp at a time.

    :param max_bytes: total body bytes kept (0: the cache is off).
    :param max_entry_bytes: larger bodies are never kept (they would evict everything else).
    """

    def __init__(self, max_bytes: int, max_entry_bytes: int | None = None):
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_bytes // 8 if max_entry_bytes is None else max_entry_bytes
        self._entries: OrderedDict[tuple, Outcome] = OrderedDict()
        self._stamp: str | None = None
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, stamp: str, job: Job) -> Outcome | None:
        if not self.max_bytes:
            return None
        key = job_key(job)
        with self._lock:
            self._check(stamp)
            outcome = self._entries.get(key)
            if outcome is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return outcome

    def put(self, stamp: str, job: Job, outcome: Outcome) -> None:
        """Keep ``outcome`` if it succeeded and is small enough; evict the oldest to fit."""
        size = len(outcome.body)
        if not self.max_bytes or outcome.status != "ok" or size > self.max_entry_bytes:
            return
        key = job_key(job)
        with self._lock:
            self._check(stamp)
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            self._entries[key] = outcome
            self._size += size
            while self._size > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted.body)

    def _check(self, stamp: str) -> None:
        """Forget everything when the store has changed (call with the lock held)."""
        if stamp != self._stamp:
            self._entries.clear()
            self._size = 0
            self._stamp = stamp

    def __len__(self) -> int:
        return len(self._entries)
