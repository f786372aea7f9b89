"""``ofsted-kg serve``'s start-up writer of the /download/ files: a process of its own, at low
priority, that writes the dumps when they are missing or older than the store, so that no
visitor waits for them (nationally ~15 s; a request meanwhile waits on the same lock up to
``DUMPS_WAIT`` seconds and finds them written, else gets 503 with Retry-After). It says in one
line on standard error what it did."""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time

from core.processes import die_with_parent, name_process

NAME = "ofsted-kg-dumps"


class DumpWriter:
    """The writer's process, reaped by a thread of its own as soon as it ends."""

    def __init__(self, overrides: dict):
        self.process = multiprocessing.get_context("fork").Process(target=run, args=(overrides,), name=NAME)
        self.process.start()
        # the one waiter on the process: it is reaped at once, never left a zombie
        self._reaper = threading.Thread(target=self.process.join, name=NAME + "-reaper", daemon=True)
        self._reaper.start()

    def stop(self, grace: float = 15.0) -> None:
        """SIGTERM (it removes what it was writing), SIGKILL after ``grace`` seconds."""
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
            if not self._reaper.is_alive():
                return
            try:
                os.kill(self.process.pid, sig)    # not yet reaped while the reaper waits: still ours
            except ProcessLookupError:
                return
            self._reaper.join(wait)


def run(overrides: dict) -> bool:
    """The writer process's body.

    :return: whether the dumps are current.
    """
    die_with_parent(signal.SIGTERM)
    name_process(NAME)                               # for ps and top (and bench/memory.py)
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # the front decides when we stop
    signal.signal(signal.SIGTERM, _exit)             # ... and then the files being written go
    os.nice(10)
    from . import config, create_app
    from .downloads import ensure_dumps
    from .errors import Problem
    started = time.perf_counter()
    try:
        app = create_app(overrides)
    except config.ConfigError as exc:                # the web workers say it too
        return _said(f"the dumps were not written at start: {exc}")
    service = app.extensions["ofsted_kg"]
    if not service.remote:      # the store is read here: its query worker (~37 MB) would idle meanwhile
        service.pool.close()
    try:
        with app.app_context():
            folder = ensure_dumps()
    except (Problem, OSError) as exc:                # the store unreachable, the disk full...
        reason = exc.message if isinstance(exc, Problem) else f"{type(exc).__name__}: {exc}"
        return _said(f"the dumps were not written at start (a request will try again): {reason}")
    finally:
        service.pool.close()                         # its query workers, if any started
    _said(f"downloads ready in {folder} ({time.perf_counter() - started:.1f} s)")
    return True


def _exit(signum, frame) -> None:    # noqa: ARG001 - a signal handler's signature
    raise SystemExit(128 + signum)


def _said(line: str) -> bool:
    print(f"ofsted-kg: {line}", file=sys.stderr, flush=True)
    return False
