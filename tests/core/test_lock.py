"""A writer kept waiting by the store's readers says so once, after a second, and then takes the
lock when they finish; a writer not kept waiting says nothing. Real locks on a real folder,
held from a thread of this process (flock: each open file its own lock)."""
from __future__ import annotations

import logging
import threading
import time

from core import lock

WAITING = "is in use by another process"


def hold_reading(folder, seconds: float = 0.0, until=None) -> threading.Thread:
    """A reader holding the shared lock, started and holding when this returns: for ``seconds``,
    or with ``until`` until ``until()`` holds (polled; 60 s at most, for a busy machine). Its
    ``released`` attribute is set just before it lets go."""
    held = threading.Event()

    def read():
        with lock.read_lock(folder):
            held.set()
            if until is None:
                time.sleep(seconds)
            else:
                deadline = time.monotonic() + 60
                while not until() and time.monotonic() < deadline:
                    time.sleep(0.01)
            thread.released = True
    thread = threading.Thread(target=read)
    thread.released = False
    thread.start()
    assert held.wait(60)
    return thread


def test_a_writer_waiting_for_readers_says_so_once_then_writes(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(lock, "SAY_WAITING_AFTER", 0.2)
    with lock.write_lock(tmp_path):          # makes the lock file, as ingest does
        pass

    def said() -> list[str]:
        return [r.getMessage() for r in caplog.records if WAITING in r.getMessage()]
    first_said: list[float] = []

    def said_a_while_ago() -> bool:
        if not first_said and said():
            first_said.append(time.monotonic())
        return bool(first_said) and time.monotonic() - first_said[0] > 3 * lock.SAY_WAITING_AFTER
    # the reader lets go three delays after the writer said it waits, time for a second word if
    # it repeated itself (not after a fixed time: a writer held up on a busy machine would
    # otherwise find the reader gone and have nothing to say)
    with caplog.at_level(logging.WARNING, logger="core.lock"):
        reader = hold_reading(tmp_path, until=said_a_while_ago)
        with lock.write_lock(tmp_path):
            waited_for_reader = reader.released
    reader.join()
    assert waited_for_reader                 # it did wait for the reader
    assert len(said()) == 1 and str(tmp_path) in said()[0]


def test_a_writer_not_kept_waiting_says_nothing(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(lock, "SAY_WAITING_AFTER", 0.2)
    reader = hold_reading(tmp_path, seconds=0.05)
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
