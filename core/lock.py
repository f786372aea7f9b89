"""Coordinating one writer (ingest) with reader processes (the server's query workers).

pyoxigraph's read-only stores see the data as it was when they were opened, and opening one
while another process writes is undefined behaviour. So a writer holds an exclusive lock while
it changes the store and then bumps a generation counter; readers hold a shared lock while they
(re)open the store and run a query, and reopen when the generation has moved on. Readers thus
see whole documents only, and a document load (tens of milliseconds) waits at most for the
queries already running (each bounded by the server's timeout).

Both files live inside the store directory: ``ofsted-kg.lock`` and ``ofsted-kg.generation``.
"""
from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
import time
from pathlib import Path
from typing import Callable, Iterator, TypeVar

LOCK_NAME = "ofsted-kg.lock"
GENERATION_NAME = "ofsted-kg.generation"
SAY_WAITING_AFTER = 1.0    # seconds a writer waits for readers before it says so, once

log = logging.getLogger(__name__)
Opened = TypeVar("Opened")


@contextlib.contextmanager
def _flock(store_dir: str | os.PathLike[str], mode: int) -> Iterator[None]:
    path = Path(store_dir) / LOCK_NAME
    if mode == fcntl.LOCK_EX:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    else:
        # readers only read: a server user with read-only access to the store can take it
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:   # a store written before locks existed: nothing to wait for
            yield
            return
    try:
        _take(fd, mode, store_dir)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _take(fd: int, mode: int, store_dir) -> None:
    """Take the lock; a writer kept waiting over ``SAY_WAITING_AFTER`` seconds says why, once
    (a server writing its downloads holds the shared lock for 15 s nationally, minutes at
    150 x 10: without a word, ``ofsted-kg ingest`` looked hung)."""
    if mode != fcntl.LOCK_EX:
        fcntl.flock(fd, mode)
        return
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    say = threading.Timer(SAY_WAITING_AFTER, log.warning,
                          ("the store at %s is in use by another process (a server writing its "
                           "downloads, a long query, or another writer): waiting for it to finish", store_dir))
    say.daemon = True
    say.start()
    try:
        fcntl.flock(fd, mode)
    finally:
        say.cancel()


def write_lock(store_dir) -> contextlib.AbstractContextManager[None]:
    """Held by ingest while it changes the store."""
    return _flock(store_dir, fcntl.LOCK_EX)


def read_lock(store_dir) -> contextlib.AbstractContextManager[None]:
    """Held by a reader while it opens the store or runs a query."""
    return _flock(store_dir, fcntl.LOCK_SH)


def generation(store_dir) -> int:
    """How many writes the store has seen (0 for a store never written under this scheme).

    Read with ``os.open``/``os.read``: the server reads it several times a request (the store's
    stamp), and this takes a third of ``Path.read_text``'s time (8 against 26 us, one-off)."""
    try:
        fd = os.open(os.path.join(store_dir, GENERATION_NAME), os.O_RDONLY)
    except OSError:
        return 0
    try:
        return int(os.read(fd, 64) or 0)
    except (OSError, ValueError):
        return 0
    finally:
        os.close(fd)


def bump_generation(store_dir) -> int:
    """Record a completed write (call while holding the write lock)."""
    path = Path(store_dir) / GENERATION_NAME
    new = generation(store_dir) + 1
    tmp = path.with_suffix(".tmp")
    tmp.write_text(str(new))
    os.replace(tmp, path)
    return new


def stamp(store_dir) -> str:
    """Changes whenever the store's contents may have changed (caches and readers key on it):
    its write generation (bumped after each locked write) and its directory's mtime (which
    catches writers that do not take the lock)."""
    return f"{generation(store_dir)}-{os.stat(store_dir).st_mtime_ns}"


#: seconds between tries at opening a store another process writes
WRITER_POLL_S = 0.2


def when_free(open_writer: Callable[[], Opened], wait_s: float) -> Opened:
    """``open_writer()`` (a store opened for writing), tried again while another process has the
    store open for writing (RocksDB allows one), for up to ``wait_s`` seconds.

    :raise OSError: the store still held after that (or failing otherwise: the last error).
    """
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return open_writer()
        except OSError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(WRITER_POLL_S)
