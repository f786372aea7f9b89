"""Worker processes that prepare documents, each under a time limit and a memory limit.

One hostile file must not sink a batch: a zip bomb, a content stream that expands without end
or a regular expression that backtracks for ever would take the whole ingest with it if it ran
in the ingest process. So documents are prepared in forked worker processes, one document at a
time per worker. A worker's address space is capped (``RLIMIT_AS``, the limit above what the
worker inherited), so a runaway allocation fails inside the worker; a worker still busy after
the time limit is killed; a worker that dies (killed, aborted by a library that could not
allocate) is replaced. In every case the document gets one failure line naming the limit, and
the other workers and documents go on. Results come back as documents finish; the caller
writes them to the store (only the parent process touches the store).

Workers are forked from the parent after it has warmed its caches (ontology closure, shapes,
register), so each one starts in milliseconds with them already loaded.
"""
from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Callable, Iterator

from core import settings

#: a worker's stderr is kept in a file; its first lines say why a dead worker died
_STDERR_HEAD = 8000
#: what a process prints when an allocation fails (Rust libraries abort with the first)
_OUT_OF_MEMORY = ("memory allocation of", "memoryerror", "out of memory", "cannot allocate memory")


@dataclass(frozen=True)
class Limits:
    """What one document may cost: wall-clock seconds, and MiB of memory above the worker's
    inherited address space."""

    seconds: float
    memory_mb: float

    @classmethod
    def from_settings(cls) -> "Limits":
        """``OFSTED_KG_DOC_TIMEOUT`` and ``OFSTED_KG_DOC_MEMORY_MB``.

        :raise ValueError: a setting is not a positive number.
        """
        return cls(settings.positive("DOC_TIMEOUT"), settings.positive("DOC_MEMORY_MB"))

    def time_message(self) -> str:
        return f"took longer than the {self.seconds:g} s limit for one document (OFSTED_KG_DOC_TIMEOUT)"

    def memory_message(self) -> str:
        return f"needed more than the {self.memory_mb:g} MiB memory limit for one document (OFSTED_KG_DOC_MEMORY_MB)"


@dataclass
class Failure:
    """A document its worker could not finish: the reason, one line."""

    reason: str


def _address_space() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _limit_memory(memory_mb: float) -> None:
    try:
        cap = _address_space() + int(memory_mb * 2**20)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (OSError, ValueError):   # no /proc or a hard limit already lower: keep what there is
        pass


def _serve(conn, work: Callable[[str], Any], memory_mb: float, stderr_fd: int) -> None:
    """A worker's loop: receive (index, path), send back (index, result), until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)       # Ctrl-C is the parent's to handle
    os.dup2(stderr_fd, 2)
    _limit_memory(memory_mb)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        os.ftruncate(2, 0)
        os.lseek(2, 0, os.SEEK_SET)
        try:
            result = work(path)
        except MemoryError:
            result = Failure("memory")
        except RecursionError:
            result = Failure("document structure too deeply nested to read")
        except BaseException as exc:   # noqa: BLE001 - a bug (or a library panic) costs one document
            if isinstance(exc, (SystemExit, KeyboardInterrupt)):
                raise
            result = Failure(f"internal error (please report it): {type(exc).__name__}: "
                             f"{str(exc).splitlines()[0][:200] if str(exc) else ''}")
        try:
            conn.send((index, result))
        except MemoryError:
            conn.send((index, Failure("memory")))


class _Worker:
    def __init__(self, ctx, work: Callable[[str], Any], memory_mb: float):
        self.stderr = tempfile.TemporaryFile()
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, work, memory_mb, self.stderr.fileno()),
                                   daemon=True)
        self.process.start()
        child.close()
        self.task: tuple[int, str] | None = None
        self.started = 0.0

    def give(self, task: tuple[int, str]) -> None:
        self.task, self.started = task, time.monotonic()
        self.conn.send(task)

    def last_words(self) -> list[str]:
        """The first lines the worker wrote to stderr while on its last document."""
        try:
            self.stderr.seek(0)
            return [line.strip() for line in self.stderr.read(_STDERR_HEAD).decode("utf-8", "replace")
                    .splitlines() if line.strip()]
        except OSError:
            return []

    def stop(self, kill: bool = False) -> None:
        if kill and self.process.is_alive():
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()
        self.stderr.close()


def _death_reason(worker: _Worker, limits: Limits) -> str:
    code = worker.process.exitcode
    words = worker.last_words()
    if any(mark in line.lower() for line in words for mark in _OUT_OF_MEMORY):
        return limits.memory_message()
    try:
        how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit status {code}"
    except ValueError:
        how = f"signal {-code}"
    if words and words[0].startswith("Traceback"):
        words = words[-1:]                      # a Python error: its last line says what
    said = next((line for line in words if not line.startswith(("note:", "stack backtrace"))), "")
    return f"the process reading it died ({how}{': ' + said[:160] if said else ''})"


def run(paths: list[str], work: Callable[[str], Any], jobs: int,
        limits: Limits) -> Iterator[tuple[int, Any]]:
    """Apply ``work`` to each path in worker processes, yielding ``(index, result)`` as each
    document finishes (in no fixed order). ``result`` is what ``work`` returned, or a
    ``Failure`` saying which limit the document broke or why its worker died.

    :param paths: the documents, by path.
    :param work: a module-level function of one path (run in the workers).
    :param jobs: how many workers at most.
    :param limits: the time and memory allowed to one document.
    """
    ctx = multiprocessing.get_context("fork")
    todo = deque(enumerate(paths))
    idle: list[_Worker] = []
    busy: list[_Worker] = []
    try:
        while todo or busy:
            while todo and len(busy) < jobs:
                worker = idle.pop() if idle else _Worker(ctx, work, limits.memory_mb)
                try:
                    worker.give(todo[0])
                except OSError:                 # it died while idle: start another
                    worker.stop(kill=True)
                    continue
                todo.popleft()
                busy.append(worker)
            now = time.monotonic()
            wait_for = max(0.0, min(w.started + limits.seconds for w in busy) - now)
            ready = wait([w.conn for w in busy], timeout=wait_for)
            for worker in [w for w in busy if w.conn in ready]:
                busy.remove(worker)
                index, path = worker.task
                try:
                    got_index, result = worker.conn.recv()
                    idle.append(worker)
                except (EOFError, OSError):
                    worker.process.join(5)
                    result = Failure(_death_reason(worker, limits))
                    got_index = index
                    worker.stop(kill=True)
                if isinstance(result, Failure) and result.reason == "memory":
                    result = Failure(limits.memory_message())
                yield got_index, result
            now = time.monotonic()
            for worker in [w for w in busy if now - w.started >= limits.seconds]:
                busy.remove(worker)
                worker.stop(kill=True)
                yield worker.task[0], Failure(limits.time_message())
    finally:
        for worker in idle + busy:
            worker.stop(kill=worker in busy)
