"""The idle query workers of a pool (:mod:`core.pool`): the last one given back is the first
taken, so the ones at the bottom stay unused and are the ones retired when the pool has more
than it needs.
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class IdleStack(Generic[T]):
    """Idle workers, newest on top, with how many workers live (idle, busy or starting) and
    how many are starting.

    :param live: workers the caller is starting (each then comes in through :meth:`add`).
    """

    def __init__(self, live: int = 0):
        self._stack: list[tuple[float, T]] = []      # (idle since, worker), oldest first
        self._ready = threading.Condition()
        self.live = live
        self.starting = live
        self.closed = False
        self._waiters = 0      # callers in wait()

    def put(self, worker: T) -> None:
        """Give ``worker`` back after a job."""
        with self._ready:
            self._stack.append((time.monotonic(), worker))
            self._ready.notify()

    def expect(self) -> None:
        """One worker more is starting in place of one that stopped (live stays the same)."""
        with self._ready:
            self.starting += 1

    def add(self, worker: T) -> None:
        """A worker counted by :meth:`wait`, :meth:`expect` or the constructor has started."""
        with self._ready:
            self.starting -= 1
            self._stack.append((time.monotonic(), worker))
            self._ready.notify()

    def take(self, timeout: float) -> T | None:
        """The most recently used idle worker, waiting up to ``timeout`` seconds (None then, or
        when closed)."""
        with self._ready:
            if not self._ready.wait_for(lambda: self._stack or self.closed, timeout) or self.closed:
                return None
            return self._stack.pop()[1]

    def wait(self, timeout: float, most: int, start: Callable[[], None]) -> T | None:
        """An idle worker for a caller that found none, waiting up to ``timeout`` seconds (None
        then, or when closed). Whenever the starting workers are fewer than the callers waiting
        and fewer than ``most`` live, one more is counted and ``start()`` is called (it must not
        block; the worker comes in through :meth:`add`). The check is made again each time a
        waiter wakes, so a burst starts as many workers as it needs even when a newcomer takes a
        worker started for someone else, or a worker fails to start.
        """
        deadline = time.monotonic() + timeout
        with self._ready:
            self._waiters += 1
            try:
                while not self.closed:
                    if self._stack:
                        return self._stack.pop()[1]
                    if self.starting < self._waiters and self.live < most:
                        self.live += 1
                        self.starting += 1
                        start()
                        continue
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return None
                    self._ready.wait(left)
                return None
            finally:
                self._waiters -= 1

    def failed(self) -> None:
        """A worker counted as starting did not start: one live worker fewer (a waiter may then
        start another)."""
        with self._ready:
            self.live -= 1
            self.starting -= 1
            self._ready.notify_all()

    def retire(self, idle_seconds: float, keep: int) -> list[T]:
        """Remove the workers idle for more than ``idle_seconds``, oldest first, leaving at
        least ``keep`` live; the caller stops them."""
        now = time.monotonic()
        gone = []
        with self._ready:
            while (self._stack and self.live > keep
                   and now - self._stack[0][0] > idle_seconds):
                gone.append(self._stack.pop(0)[1])
                self.live -= 1
        return gone

    def close(self) -> list[T]:
        """Refuse further takes and return every idle worker, for the caller to stop."""
        with self._ready:
            self.closed = True
            gone = [worker for _, worker in self._stack]
            self._stack.clear()
            self._ready.notify_all()
        return gone

    def busy(self) -> int:
        """How many live workers are neither idle nor starting: the ones taken for a job."""
        with self._ready:
            return self.live - self.starting - len(self._stack)

    def workers(self) -> list[T]:
        """The idle workers now, oldest first."""
        with self._ready:
            return [worker for _, worker in self._stack]
