"""The idle workers of a query pool (:class:`core.idle.IdleStack`), with plain objects for workers:
a caller waiting for a worker starts as many as the waiters need, again when one started for it
is taken by a newcomer or fails to start."""
from __future__ import annotations

import threading
import time

from core.idle import IdleStack


def _until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def _busy_stack() -> IdleStack[str]:
    """A stack whose one worker (``w1``) has started and is busy."""
    stack: IdleStack[str] = IdleStack(live=1)
    stack.add("w1")
    assert stack.take(0) == "w1"
    return stack


def test_a_waiter_starts_one_worker_and_gets_it():
    stack, started, got = _busy_stack(), [], []
    waiter = threading.Thread(target=lambda: got.append(stack.wait(10, 3, lambda: started.append(1))))
    waiter.start()
    assert _until(lambda: started == [1])
    stack.add("w2")
    waiter.join(10)
    assert got == ["w2"] and (stack.live, stack.starting) == (2, 0)


def test_a_waiter_robbed_of_the_worker_started_for_it_starts_another():
    """The state of the CI failure of 6 Dec (two workers live for three overlapping queries):
    a newcomer took the worker started for a waiting query, which then waited for a busy one."""
    stack, started, got = _busy_stack(), [], []
    waiter = threading.Thread(target=lambda: got.append(stack.wait(10, 3, lambda: started.append(1))))
    waiter.start()
    assert _until(lambda: len(started) == 1)
    stack.add("w2")
    thief = stack.take(0)           # almost always first: the waiter has yet to wake
    if thief == "w2":
        assert _until(lambda: len(started) == 2), "the robbed waiter started no other worker"
        stack.add("w3")
    waiter.join(10)
    assert got and got[0] in {"w2", "w3"} and got[0] != thief
    assert stack.live == 1 + len(started) and stack.starting == 0


def test_a_worker_that_fails_to_start_is_started_again_for_its_waiter():
    stack, started, got = _busy_stack(), [], []
    waiter = threading.Thread(target=lambda: got.append(stack.wait(10, 3, lambda: started.append(1))))
    waiter.start()
    assert _until(lambda: len(started) == 1)
    stack.failed()
    assert _until(lambda: len(started) == 2), "the waiter did not start a worker in place of the failed one"
    stack.add("w3")
    waiter.join(10)
    assert got == ["w3"] and stack.live == 2


def test_waiters_start_no_more_than_the_limit_and_time_out():
    stack, started = _busy_stack(), []
    results = []
    waiters = [threading.Thread(target=lambda: results.append(stack.wait(0.5, 2, lambda: started.append(1))))
               for _ in range(3)]
    [w.start() for w in waiters]
    [w.join(10) for w in waiters]
    assert len(started) == 1 and stack.live == 2      # one more, up to the two allowed
    assert results == [None, None, None]              # none was added: each timed out


def test_closing_wakes_a_waiter_with_none():
    stack, got = _busy_stack(), []
    waiter = threading.Thread(target=lambda: got.append(stack.wait(30, 1, lambda: None)))
    waiter.start()
    time.sleep(0.1)
    assert stack.close() == []
    waiter.join(10)
    assert got == [None]


def test_busy_counts_the_workers_taken_neither_idle_nor_starting():
    stack: IdleStack[str] = IdleStack(live=2)
    assert stack.busy() == 0                          # both starting
    stack.add("w1")
    assert stack.busy() == 0                          # one idle, one starting
    assert stack.take(0) == "w1" and stack.busy() == 1
    stack.add("w2")
    assert stack.busy() == 1 and stack.take(0) == "w2" and stack.busy() == 2
    stack.expect()                                    # a busy one killed, its replacement starting
    assert (stack.live, stack.busy()) == (2, 1)


def test_the_least_recently_used_idle_workers_retire_first_and_one_stays():
    stack: IdleStack[str] = IdleStack(live=3)
    for worker in ("w1", "w2", "w3"):
        stack.add(worker)
    taken = [stack.take(0) for _ in range(3)]
    for worker in ("w2", "w1", "w3"):                 # given back in this order
        stack.put(worker)
    assert taken == ["w3", "w2", "w1"] and stack.retire(60.0, keep=1) == []   # not idle long enough
    time.sleep(0.01)                                  # idle for more than 0 s (longer is no matter)
    assert stack.retire(0.0, keep=1) == ["w2", "w1"]
    assert stack.workers() == ["w3"] and stack.live == 1
