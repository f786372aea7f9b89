"""Shared by the endpoint-abuse tests (test_endpoint_abuse_queries.py and
test_endpoint_abuse_pages.py): the server they attack and the tally of attacks.

The store holds the corpus with one report altered to carry script in a recommendation. The
server runs with a short query timeout and a small size limit. Each test tries a family of
attacks and records each attack in a tally; "refused cleanly" means the expected answer (a 4xx
or 503 refusal, or a harmless 200), never a 500, and the server still answering. Each module's
tally is printed at its end::

    endpoint abuse (<module>): N attacks, N refused cleanly
"""
from __future__ import annotations

from pathlib import Path

import requests

from tests.live import serve_store

TIMEOUT = 2.0                  # the server's query timeout
MAX_BYTES = 4096               # the server's query and body limit
XSS_RECOMMENDATION = "inspection/E06000023/sif/2014-09-30/recommendation/authority/2"
ASK = "ASK { ?s ?p ?o }"


class Tally:
    def __init__(self):
        self.attacks: list[tuple[str, bool, str]] = []

    def record(self, name: str, clean: bool, detail: str = "") -> None:
        self.attacks.append((name, clean, detail))

    def check(self, name: str, response: requests.Response, allowed: tuple[int, ...]) -> None:
        """Record an attack answered by ``response``: clean when its status is one of ``allowed``."""
        clean = response.status_code in allowed
        self.record(name, clean, f"HTTP {response.status_code} (wanted {allowed}): {response.text[:160]!r}")

    def failures(self, prefix: str = "") -> list[str]:
        return [f"{n}: {d}" for n, ok, d in self.attacks if not ok and n.startswith(prefix)]

    def report(self, title: str) -> None:
        """Print how many attacks were tried and how many were refused cleanly, then each that was not."""
        clean = sum(ok for _, ok, _ in self.attacks)
        print(f"\nendpoint abuse ({title}): {len(self.attacks)} attacks, {clean} refused cleanly")
        for name, ok, detail in self.attacks:
            if not ok:
                print(f"  NOT CLEAN {name}: {detail}")


def serve_attacked(store: Path, **overrides):
    """The server under attack on ``store``: ``TIMEOUT``, ``MAX_BYTES`` and a 1000-row limit,
    with ``overrides`` on top.

    :return: its URL, its port and the function that stops it.
    """
    config = {"QUERY_TIMEOUT": TIMEOUT, "QUERY_PROCESSES": 2, "MAX_QUERY_BYTES": MAX_BYTES,
              "RESULT_LIMIT": 1000, "QUERY_MEMORY_MB": 1024}
    live = serve_store(store, **{**config, **overrides})
    return live.url, live.port, live.stop
