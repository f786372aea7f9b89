"""``ofsted-kg ingest`` killed (SIGKILL, a real subprocess and its workers) at set points, then
run again, gives the store an uninterrupted run gives; a further run with nothing changed says
"unchanged" for every file and writes nothing.

The batch mixes what reconciliation joins: two editions of a spreadsheet, a history table and
the report of an inspection it records, a corrected copy of that report, and another report.
Kill points: right after the first document's line, right after a report loaded after the
spreadsheets, and right after the last document's line (while the links, reconciliation and
flat graphs are being rebuilt: the run must not have finished).
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from core import lock as storelock
from tests.conftest import CORPUS
from tests.ingest.test_corrected_report import corrected
from tests.ingest.test_one_judgement import editions
from tests.ingest.test_load_order import sif_history
from tests.ingest.test_outcomes_table import BRISTOL_SIF

ROOT = Path(__file__).resolve().parents[2]
#: the progress line of one document ("[2/6] loaded PATH: ...", stderr, not a terminal)
DOCUMENT_LINE = re.compile(r"\[\d+/\d+\] (loaded|unchanged) ")


def batch(tmp_path: Path) -> list[str]:
    old, new = editions(tmp_path)
    return [str(p) for p in (old, new, sif_history(tmp_path), BRISTOL_SIF, corrected(tmp_path),
                             CORPUS / "gloucestershire_2017_SIF-with-LSCB-review.txt")]


def ingest(files: list[str], store: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ingest", "ingest", *files, "--store", str(store),
                             "--jobs", "1"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)        # its own group: workers die too


def finish(files: list[str], store: Path) -> tuple[str, str]:
    proc = ingest(files, store)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    return out, err


def kill_after(files: list[str], store: Path, lines: int) -> None:
    """Run an ingest and SIGKILL it as soon as it has printed ``lines`` document lines."""
    proc = ingest(files, store)
    seen = 0
    for line in proc.stderr:
        if DOCUMENT_LINE.match(line):
            seen += 1
            if seen == lines:
                os.killpg(proc.pid, signal.SIGKILL)
                break
    proc.wait()
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, f"the run finished before its {lines}th document line"


def nquads(store: Path) -> list[str]:
    """Sorted N-Quads, less the ontology graph (its blank nodes are named anew at each load)."""
    s = ox.Store.read_only(str(store))
    try:
        lines = s.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines()
    finally:
        del s
    return sorted(ln for ln in lines if not ln.endswith("<https://w3id.org/ofsted-kg/def> ."))


@pytest.mark.slow
@pytest.mark.parametrize("lines", [1, 4, 6])
def test_killed_then_rerun_gives_the_uninterrupted_store(tmp_path, lines):
    files = batch(tmp_path)
    finish(files, tmp_path / "reference")
    reference = nquads(tmp_path / "reference")
    store = tmp_path / "store"
    kill_after(files, store, lines)
    finish(files, store)
    assert nquads(store) == reference
    # nothing changed: every file "unchanged", and no write (the store's generation stays)
    generation = storelock.generation(store)
    out, err = finish(files, store)
    assert [m.group(1) for m in map(DOCUMENT_LINE.match, err.splitlines()) if m] == ["unchanged"] * len(files)
    assert f"({len(files)} unchanged)" in out + err
    assert storelock.generation(store) == generation
    assert nquads(store) == reference
