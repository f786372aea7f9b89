"""What the query pool (:mod:`core.pool`) remembers to put queries in lanes: each job's cost
key, which keys turned long or finished early lately, and a place held in a semaphore.
"""
from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections import OrderedDict

from .worker import Job

KNOWN_LONG_SECONDS = 600   # a query that turned long goes straight to the long lane for this long
KNOWN_MAX = 10_000         # queries remembered as long, and as short


def cost_key(job: Job) -> str:
    """What decides a job's cost: its text, dataset and bindings (not the result format)."""
    subs = sorted((name, str(term)) for name, term in job.substitutions.items())
    return hashlib.sha256(repr((job.sparql, job.default_graph, job.named_graphs, subs)).encode()).hexdigest()


def recent(seen: OrderedDict, key: str, seconds: float | None, lock: threading.Lock | None) -> bool:
    """Whether ``key`` was remembered in ``seen`` (within ``seconds``, if given); ``lock``:
    the pool's lock, None when the caller holds it already."""
    with lock or contextlib.nullcontext():
        when = seen.get(key)
    return when is not None and (seconds is None or time.monotonic() - when < seconds)


def remember(seen: OrderedDict, key: str, lock: threading.Lock, value: float | None = None,
             most: int = KNOWN_MAX) -> None:
    """Keep ``value`` (default: now, on the monotonic clock) for ``key`` in ``seen``, the least
    recently remembered keys going first beyond ``most``."""
    with lock:
        seen[key] = time.monotonic() if value is None else value
        seen.move_to_end(key)
        while len(seen) > most:
            seen.popitem(last=False)


class Held:
    """A place in a semaphore (or none), given back once whatever happens."""

    def __init__(self, semaphore: threading.BoundedSemaphore | None):
        self.semaphore = semaphore
        self.held = False

    def take(self, timeout: float) -> bool:
        if self.semaphore is None:
            return True
        self.held = self.semaphore.acquire(timeout=timeout)
        return self.held

    def give_back(self) -> None:
        if self.held:
            self.held = False
            self.semaphore.release()
