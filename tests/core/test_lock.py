"""A writer kept waiting by the store's readers says so once, after a second, and then takes the
lock when they finish; a writer not kept waiting says nothing. Real locks on a real folder,
held from a thread of this process (flock: each open file its own lock)."""
from __future__ import annotations

import logging
import threading
import time

from core import lock

WAITING = "is in use by another process"


def hold_reading(folder, seconds: float) -> threading.Thread:
    """A reader holding the shared lock for ``seconds``, started and holding when this returns."""
    held = threading.Event()

    def read():
        with lock.read_lock(folder):
            held.set()
            time.sleep(seconds)
    thread = threading.Thread(target=read)
    thread.start()
    assert held.wait(5)
    return thread


def test_a_writer_waiting_for_readers_says_so_once_then_writes(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(lock, "SAY_WAITING_AFTER", 0.2)
    with lock.write_lock(tmp_path):          # makes the lock file, as ingest does
        pass
    reader = hold_reading(tmp_path, 1.0)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="core.lock"), lock.write_lock(tmp_path):
        waited = time.monotonic() - started
    reader.join()
    said = [r.getMessage() for r in caplog.records if WAITING in r.getMessage()]
    assert waited > 0.5                      # it did wait for the reader
    assert len(said) == 1 and str(tmp_path) in said[0]


def test_a_writer_not_kept_waiting_says_nothing(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(lock, "SAY_WAITING_AFTER", 0.2)
    reader = hold_reading(tmp_path, 0.05)
    reader.join()
    with caplog.at_level(logging.WARNING, logger="core.lock"), lock.write_lock(tmp_path):
        time.sleep(0.4)                       # holding it past the delay: no word either
    assert not [r for r in caplog.records if WAITING in r.getMessage()]


def test_the_generation_counts_writes_and_reads_a_missing_or_spoilt_file_as_none(tmp_path):
    """The stamp every cache keys on: 0 with no file, each bump one more (and a new stamp),
    an empty or spoilt file 0 rather than an error."""
    assert lock.generation(tmp_path) == 0
    first = lock.stamp(tmp_path)
    assert [lock.bump_generation(tmp_path) for _ in range(3)] == [1, 2, 3]
    assert lock.generation(str(tmp_path)) == 3
    assert lock.stamp(tmp_path).startswith("3-") and lock.stamp(tmp_path) != first
    (tmp_path / lock.GENERATION_NAME).write_text("12\n")
    assert lock.generation(tmp_path) == 12
    for spoilt in ("", "twelve"):
        (tmp_path / lock.GENERATION_NAME).write_text(spoilt)
        assert lock.generation(tmp_path) == 0
