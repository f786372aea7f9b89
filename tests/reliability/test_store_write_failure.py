"""Honest failures (issue 13 item 8): when the store cannot be written (a full disk), every
document reported as failed is not in the store, every document reported as loaded is, and the
summary is printed all the same.

A full disk is made for the ingest process alone with ``RLIMIT_FSIZE`` (the largest file it may
write; the store's write-ahead log then fails with "File too large", as on a full disk), so the
test needs no privileges and no real full file system.
"""
from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SEED = CORPUS / "bath-and-north-east-somerset_2017_SIF-with-LSCB-review.md"
SHA256 = ox.NamedNode("https://w3id.org/ofsted-kg/def#sha256")


def _ingest(paths: list[str], store: Path, file_limit: int | None = None) -> subprocess.CompletedProcess:
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)    # a write past the limit fails, no signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run([sys.executable, "-m", "ingest", "ingest", *paths, "--store", str(store)],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=600, preexec_fn=limit if file_limit else None)


def _stored_hashes(store: Path) -> set[str]:
    s = ox.Store.read_only(str(store))
    try:
        return {q.object.value for q in s.quads_for_pattern(None, SHA256, None, None)
                if q.graph_name == q.subject}
    finally:
        del s


def _sha(path: str) -> str:
    import hashlib
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.mark.slow
@pytest.mark.parametrize("limit_kb", [300, 700, 1200])
def test_full_disk_fails_documents_honestly(tmp_path, limit_kb):
    store = tmp_path / "store"
    first = _ingest([str(SEED)], store)
    assert first.returncode == 0, first.stderr
    others = [str(p) for p in sorted(CORPUS.glob("*.txt"))]
    proc = _ingest(others, store, file_limit=limit_kb * 1024)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stderr
    failed = [p for p in others if re.search(rf"FAILED {re.escape(p)}: store write failed", proc.stderr)]
    loaded = [p for p in others if f"loaded {p}" in proc.stderr]
    assert failed, "the limit should stop at least one write: " + proc.stderr
    assert sorted(failed + loaded) == sorted(others), proc.stderr
    summary = [line for line in proc.stderr.splitlines() if "document(s) in the store" in line]
    assert len(summary) == 1 and f"{len(failed)} failed" in summary[0], proc.stderr
    held = _stored_hashes(store)          # the store still opens, and says what it holds
    assert _sha(str(SEED)) in held
    for p in failed:
        assert _sha(p) not in held, f"{p} was reported as failed but is in the store"
    for p in loaded:
        assert _sha(p) in held, f"{p} was reported as loaded but is not in the store"
    again = _ingest(others, store)        # room again: the failed documents load
    assert again.returncode == 0, again.stderr
    assert {_sha(p) for p in others} <= _stored_hashes(store)
