"""The worker processes: a document that runs too long, allocates too much, kills its process
or trips a bug costs one failure naming the cause, and the other documents still finish."""
from __future__ import annotations

import os
import signal
import time

import pytest

from ingest.workers import Failure, Limits, run


def _work(task: str):
    if task == "sleep":
        time.sleep(60)
    if task == "allocate":
        return len(bytearray(1024 * 2**20))          # 1 GiB, over a 200 MiB limit
    if task == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if task == "bug":
        raise KeyError("no such key")
    return f"done {task}"


@pytest.mark.slow
def test_each_limit_costs_one_document_and_the_rest_finish():
    tasks = ["one", "sleep", "two", "allocate", "three", "die", "bug", "four"]
    got = dict(run(tasks, _work, jobs=2, limits=Limits(seconds=3, memory_mb=200)))
    assert sorted(got) == list(range(len(tasks)))
    for i, task in enumerate(tasks):
        if task in ("one", "two", "three", "four"):
            assert got[i] == f"done {task}"
    assert isinstance(got[1], Failure) and "3 s limit" in got[1].reason
    assert isinstance(got[3], Failure) and "200 MiB memory limit" in got[3].reason
    assert isinstance(got[5], Failure) and "SIGKILL" in got[5].reason
    assert isinstance(got[6], Failure) and "KeyError" in got[6].reason


def test_no_paths_no_workers():
    assert list(run([], _work, jobs=2, limits=Limits(seconds=3, memory_mb=200))) == []
