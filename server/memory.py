"""A web worker hands freed heap back to the system after a response that left it large.

Decoding a big result, paging a big table or writing a CSV frees most of what it allocated
when the request ends, but glibc keeps the freed pages for reuse (:mod:`core.heap`), so a web
worker's resident size only ratchets up: 150-160 MB each at 150 x 10 after every canned page,
which took the server over its 500 MB (issue 16). After a response whose worker is above
``WEB_TRIM_MB`` and has grown by ``GROWTH_MB`` since it last trimmed, the heap is trimmed once
the response has been sent (``call_on_close``), so no client waits for it.
"""
from __future__ import annotations

import threading

from flask import Flask

from core import heap

GROWTH_MB = 8          # growth since the last trim that makes another one worth its few ms


class Trimmer:
    """Trims this process's heap when it is above ``above_mb`` and grew since the last time."""

    def __init__(self, above_mb: int):
        self.above_mb = above_mb
        self.after_mb = 0              # resident size the last trim left
        self._lock = threading.Lock()

    def __call__(self) -> None:
        if not self._lock.acquire(blocking=False):    # another thread of ours is trimming
            return
        try:
            resident = heap.resident_mb()
            if resident > self.above_mb and resident >= self.after_mb + GROWTH_MB:
                heap.trim()
                self.after_mb = heap.resident_mb()
        finally:
            self._lock.release()


def init_app(app: Flask) -> None:
    """Trim after responses when ``WEB_TRIM_MB`` is set (0: never)."""
    above = app.config["WEB_TRIM_MB"]
    if not above:
        return
    trimmer = Trimmer(above)
    app.extensions["ofsted_kg_trimmer"] = trimmer

    @app.after_request
    def trim_after(response):
        response.call_on_close(trimmer)
        return response
