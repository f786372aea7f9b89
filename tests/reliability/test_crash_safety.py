"""Crash safety: ``ofsted-kg ingest`` killed with SIGKILL at random moments never leaves a
partial document.

A clean reference ingest of ``corpus/``'s text documents gives each graph's triple count and the run's duration.
Then ``ingest corpus/ --force`` is started again and again on one store and killed (the whole
process group, workers too) after a seeded random delay spread over that duration. After every
kill the store must open, hold no staging graph once reopened, and hold each document graph (and
its entailments graph, written in the same transaction) either complete or not at all. Every
fifth kill, and at the end, an ingest without ``--force`` must finish the job and leave exactly
the reference content.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from core.store import STAGING_SUFFIX, EmbeddedStore

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20
SEED = 20261126
DOCUMENT_GRAPH = "/id/document/"


#: the corpus's text documents (not its outcome spreadsheets: reconciliation rewrites their
#: graphs after loading, so a kill between the two leaves a spreadsheet graph whole but not yet
#: reconciled, which the next run repairs; see tests/ingest/test_one_judgement.py)
TEXTS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "corpus").iterdir()
               if p.suffix in (".txt", ".md") and p.name != "ATTRIBUTION.md")


def _ingest(store: Path, force: bool) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "ingest", "ingest", *TEXTS, "--store", str(store), "--quiet"]
    if force:
        cmd.append("--force")
    return subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)          # its own group: workers die too


def _finish(store: Path, force: bool) -> float:
    t0 = time.perf_counter()
    proc = _ingest(store, force)
    _, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err.decode("utf-8", "replace")
    return time.perf_counter() - t0


def graph_counts(store: Path) -> dict[str, int]:
    """Triples per named graph, after a read-write open (which drops staging leftovers)."""
    EmbeddedStore(store).close()
    s = ox.Store.read_only(str(store))
    try:
        return {g.value: sum(1 for _ in s.quads_for_pattern(None, None, None, g))
                for g in s.named_graphs() if isinstance(g, ox.NamedNode)}
    finally:
        del s


@pytest.mark.slow
def test_sigkill_never_leaves_a_partial_document(tmp_path):
    reference_store = tmp_path / "reference"
    duration = reference_seconds = _finish(reference_store, force=True)
    reference = graph_counts(reference_store)
    documents = {g: n for g, n in reference.items() if DOCUMENT_GRAPH in g}
    assert len(documents) >= 10, reference                # 5 documents + their entailments

    rng = random.Random(SEED)
    store = tmp_path / "store"
    seen = {"absent": 0, "complete": 0, "kills": 0, "finished-before-kill": 0}
    run = 0
    # kill at random moments until KILLS runs were killed: a run that finishes first (the machine
    # got quieter than when the reference was timed) makes later kills aim within its duration
    while seen["kills"] < KILLS and run < 3 * KILLS:
        run += 1
        delay = rng.uniform(0.05, 1.0) * duration
        started = time.monotonic()
        proc = _ingest(store, force=True)
        try:
            proc.wait(timeout=delay)
            seen["finished-before-kill"] += 1
            duration = min(duration, time.monotonic() - started)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            seen["kills"] += 1
        proc.stderr.close()
        if not store.exists():
            continue                                       # killed before the store was made
        counts = graph_counts(store)
        staging = [g for g in counts if g.endswith(STAGING_SUFFIX)]
        assert not staging, f"run {run} (killed at {delay:.2f} s): staging graphs left {staging}"
        for graph, expected in documents.items():
            got = counts.get(graph, 0)
            assert got in (0, expected), (f"run {run} (killed at {delay:.2f} s): {graph} has {got} "
                                          f"of {expected} triples")
            seen["complete" if got else "absent"] += 1
        for graph in documents:
            if not graph.endswith("/inferred"):
                pair = graph + "/inferred"
                assert (graph in counts) == (pair in counts), f"run {run}: {graph} without its pair"
        if run % 5 == 0:
            _finish(store, force=False)
            assert graph_counts(store) == reference, f"run {run}: re-run did not restore the content"
    _finish(store, force=False)
    assert graph_counts(store) == reference
    print(f"\ncrash safety: reference ingest {reference_seconds:.1f} s; {seen['kills']} SIGKILLs "
          f"({seen['finished-before-kill']} runs finished first); document graphs after kills: "
          f"{seen['complete']} complete, {seen['absent']} absent, 0 partial")
    assert seen["kills"] == KILLS
