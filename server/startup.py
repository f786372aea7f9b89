"""``ofsted-kg serve``'s start-up work: a process of its own, at low priority, that does what a
visitor would otherwise wait for, and says in one line on standard error what it did for each.

1. **Whole answers** (``ANSWERS_AT_START``): the JSON and the CSV of every canned query that
   needs no parameter, asked of the app itself, so that the big ones are kept as files
   (:mod:`server.answerfiles`) before anyone asks. At 150 x 10 a whole table takes 1-2.5 s of
   the engine (issue 16: reading each cell back from the store), then 10-60 ms from its file,
   from any web process and after a restart. An answer's ETag does not name the host it was
   asked on (it has no absolute link), so what is kept here serves every client. Answers
   already kept for the store's state are found, not computed again. Nothing is done for a
   remote store or with ``ANSWER_FILES_MB=0``.
2. **The /download/ files** (``DUMPS_AT_START``), when they are missing or older than the store
   (nationally ~15 s; a request meanwhile waits on the same lock up to ``DUMPS_WAIT`` seconds
   and finds them written, else gets 503 with Retry-After).

Answers go first: they take seconds where the dumps take minutes at 150 x 10. The work runs
again when the store changes while the server runs (an update, a new ingest): the server looks
every ``STARTUP_WATCH_SECONDS`` (:class:`StartupRuns`).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time

from core import lock
from core.processes import die_with_parent, name_process
from core.settings import is_url

NAME = "ofsted-kg-startup"
FORMATS = ("json", "csv")


class StartupWork:
    """One run of the start-up work in a process, reaped by a thread of its own as soon as it ends.

    :param overrides: the server's settings overrides (the process builds its own app).
    :param answers: keep the whole answers (step 1); :param dumps: write the dumps (step 2).
    :param context: ``fork`` at start (before the server has threads), ``spawn`` from a thread.
    """

    def __init__(self, overrides: dict, answers: bool = True, dumps: bool = True, context: str = "fork"):
        self.process = multiprocessing.get_context(context).Process(
            target=run, args=(overrides, answers, dumps), name=NAME)
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

    def running(self) -> bool:
        return self._reaper.is_alive()


class StartupRuns:
    """The start-up work at start, and again each time the store's state changes (its stamp,
    :func:`core.lock.stamp`, looked at every ``every`` seconds by a thread; a change seen while
    a run goes on waits for it to end). Only an embedded store is watched.

    :param store: the store's folder, or a remote store's URL (not watched).
    :param every: seconds between looks (0: the work runs at start only).
    """

    def __init__(self, overrides: dict, store: str, every: float, answers: bool, dumps: bool):
        self._args = (overrides, answers, dumps)
        self._store = store
        self._seen = self._stamp()
        self.runs = [StartupWork(*self._args)]     # forked now: the server has no thread yet
        self._stopping = threading.Event()
        self._watcher = None
        if every > 0 and self._seen is not None:
            self._watcher = threading.Thread(target=self._watch, args=(every,), name=NAME + "-watch", daemon=True)
            self._watcher.start()

    def _stamp(self) -> str | None:
        if is_url(self._store):
            return None
        try:
            return lock.stamp(self._store)
        except OSError:
            return None

    def _watch(self, every: float) -> None:
        while not self._stopping.wait(every):
            stamp = self._stamp()
            if stamp is None or stamp == self._seen or self.runs[-1].running():
                continue
            self._seen = stamp
            self.runs.append(StartupWork(*self._args, context="spawn"))

    def stop(self) -> None:
        """No further run; the current one is stopped (:meth:`StartupWork.stop`)."""
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.join()
        self.runs[-1].stop()


def run(overrides: dict, answers: bool = True, dumps: bool = True) -> bool:
    """The start-up process's body.

    :return: whether every step asked for was done.
    """
    die_with_parent(signal.SIGTERM)
    name_process(NAME)                               # for ps and top (and bench/memory.py)
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # the front decides when we stop
    signal.signal(signal.SIGTERM, _exit)             # ... and then the files being written go
    os.nice(10)
    from . import config, create_app
    try:
        app = create_app(overrides)
    except config.ConfigError as exc:                # the web workers say it too
        return _said(f"nothing was done at start: {exc}")
    service = app.extensions["ofsted_kg"]
    try:
        done = keep_answers(app) if answers else True
        if not service.remote:   # the dumps read the store here: its query workers would idle meanwhile
            service.pool.close()
        return (write_dumps(app) if dumps else True) and done
    finally:
        service.pool.close()                         # its query workers, if any started


def keep_answers(app) -> bool:
    """Ask ``app`` for the whole JSON and CSV of every canned query that needs no parameter, so
    that the big ones are kept as files; one line says what was asked and kept.

    :return: False when an answer failed (the line names it); True otherwise, also when answer
        files are off (nothing to do, nothing said).
    """
    from core.canned import load_all
    from .answerfiles import answer_files
    service = app.extensions["ofsted_kg"]
    with app.app_context():
        files = answer_files()
    if files is None:
        return True
    started = time.perf_counter()
    client, asked, failed = app.test_client(), 0, []
    for name, query in sorted(load_all().items()):
        if any(p.required for p in query.params):
            continue
        for fmt in FORMATS:
            response = client.get(f"/queries/{name}.{fmt}")
            response.close()                          # a kept answer's file, opened to be sent
            asked += 1
            if response.status_code != 200:
                failed.append(f"{name}.{fmt} ({response.status_code})")
    kept = [p for p in files.folder(service.stamp()).glob("*") if not p.name.startswith(".")]
    size = sum(p.stat().st_size for p in kept) / 1e6
    line = (f"answers ready: {asked} whole answers asked, {len(kept)} kept as files for this state ({size:.1f} MB) "
            f"in {files.root} ({time.perf_counter() - started:.1f} s)")
    _said(line + (f"; failed: {', '.join(failed)}" if failed else ""))
    return not failed


def write_dumps(app) -> bool:
    """Write the /download/ files when missing or older than the store; one line says so."""
    from .downloads import ensure_dumps
    from .errors import Problem
    started = time.perf_counter()
    try:
        with app.app_context():
            folder = ensure_dumps()
    except (Problem, OSError) as exc:                # the store unreachable, the disk full...
        reason = exc.message if isinstance(exc, Problem) else f"{type(exc).__name__}: {exc}"
        return _said(f"the dumps were not written at start (a request will try again): {reason}")
    _said(f"downloads ready in {folder} ({time.perf_counter() - started:.1f} s)")
    return True


def _exit(signum, frame) -> None:    # noqa: ARG001 - a signal handler's signature
    raise SystemExit(128 + signum)


def _said(line: str) -> bool:
    print(f"ofsted-kg: {line}", file=sys.stderr, flush=True)
    return False
