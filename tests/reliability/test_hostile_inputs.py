"""Hostile inputs: every bad file is refused with one clear line, and nothing else changes.

Each case is generated in a temporary folder (no binary blobs in the repository) and given to
the real command line together with a good seed:

    python -m ingest ingest <good seed> <bad file> --store <copy of a store holding the seed>

and must give: exactly one ``FAILED`` line on stderr that names the bad file and a reason, no
traceback, a non-zero exit, the seed still stored, and a store whose canonical N-Quads dump is
identical before and after. The cases run a few at a time in subprocesses; a final test feeds
every bad file at once, with ``--force``, to a fresh store and checks the seed is loaded.

The cases themselves (``CASES``) are made by hostile_files.py beside this module.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.reliability.hostile_files import CASES, CORPUS, ROOT, Case

SEED = CORPUS / "bath-and-north-east-somerset_2017_SIF-with-LSCB-review.md"
PYTHON = sys.executable
#: seconds before one case's ingest counts as hung (not a speed target): four run at once, each
#: a fresh interpreter (a two-report ingest took 3.6 s of CPU and 14 s of wall time beside
#: three busy loops and a test run on two cores), so a busy CI host needs more than a minute
CASE_TIMEOUT = 300
_BNODE = re.compile(r"_:[A-Za-z0-9]+")


# ----------------------------------------------------------------------------- running


def canonical_dump(store_dir: Path) -> list[str]:
    """Every quad of the store as sorted N-Quads lines, blank-node labels replaced by ``_:b``.

    (The ontology graph's blank nodes get fresh labels whenever it is reloaded; the triples
    around them are what must not change.)
    """
    store = ox.Store.read_only(str(store_dir))
    try:
        data = store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    finally:
        del store
    return sorted(_BNODE.sub("_:b", line) for line in data.splitlines() if line.strip())


def run_cli(paths: list[str], store: Path, env: dict[str, str] | None = None,
            force: bool = False, timeout: float = CASE_TIMEOUT) -> subprocess.CompletedProcess:
    cmd = [PYTHON, "-m", "ingest", "ingest", *paths, "--store", str(store), "--jobs", "1"]
    if force:
        cmd.append("--force")
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True,
                          timeout=timeout, errors="replace")


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory) -> tuple[Path, list[str]]:
    """A store holding the ontology, the register and the seed, and its canonical dump."""
    store = tmp_path_factory.mktemp("seeded") / "store"
    proc = run_cli([str(SEED)], store)
    assert proc.returncode == 0, proc.stderr
    return store, canonical_dump(store)


@dataclass
class Result:
    case: Case
    bad: Path | None
    proc: subprocess.CompletedProcess | None
    before: list[str]
    after: list[str]
    skipped: str | None = None


@pytest.fixture(scope="module")
def results(seeded_store, tmp_path_factory) -> dict[str, Result]:
    """Run every case (four at a time): each against its own copy of the seeded store."""
    template, before = seeded_store

    def one(case: Case) -> Result:
        folder = tmp_path_factory.mktemp(case.name)
        try:
            bad = case.make(folder)
        except pytest.skip.Exception as exc:
            return Result(case, None, None, before, before, skipped=str(exc))
        store = folder / "store"
        shutil.copytree(template, store)
        try:
            proc = run_cli([str(SEED), str(bad)], store, env=dict(case.env))
        except subprocess.TimeoutExpired:
            proc = subprocess.CompletedProcess([], -1, "", f"TIMEOUT after {CASE_TIMEOUT} s")
        return Result(case, bad, proc, before, canonical_dump(store))

    with ThreadPoolExecutor(max_workers=4) as pool:
        done = list(pool.map(one, CASES))
    tried = [r for r in done if not r.skipped]
    print(f"\nhostile inputs: {len(tried)} tried, {len(done) - len(tried)} skipped")
    return {r.case.name: r for r in done}


def failed_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "FAILED" in line]


def check_refusal(case: Case, bad: Path, stderr: str) -> None:
    """``stderr`` holds exactly one FAILED line for ``bad``, naming it and a reason (the case's)."""
    shown = str(bad).encode("unicode_escape").decode("ascii") if "\n" in str(bad) else str(bad)
    lines = [line for line in failed_lines(stderr) if shown in line or str(bad) in line]
    assert len(lines) == 1, (case.name, stderr)
    line = lines[0]
    reason = line.split(shown if shown in line else str(bad), 1)[1].lstrip(":/ ")
    assert len(reason) >= 8, f"no reason given: {line!r}"
    if case.reason:
        assert case.reason in line.lower(), line


@pytest.mark.slow          # one command-line run per case; the fast loop runs them all at once below
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_refused_cleanly(case: Case, results):
    r = results[case.name]
    if r.skipped:
        pytest.skip(r.skipped)
    proc = r.proc
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode != 0, proc.stderr
    assert len(failed_lines(proc.stderr)) == 1, proc.stderr
    check_refusal(case, r.bad, proc.stderr)
    assert "1 document(s) in the store" in proc.stderr, proc.stderr   # the seed is still there
    assert r.after == r.before, "the store changed"


@pytest.mark.slow
def test_at_least_thirty_cases_tried(results):
    tried = [r for r in results.values() if not r.skipped]
    assert len(tried) >= 30, f"only {len(tried)} hostile cases ran"


@pytest.mark.slow
def test_all_bad_files_at_once_with_a_forced_good_one(tmp_path):
    """One run with the seed (forced to load again) and every bad file that needs no setting of
    its own: one FAILED line each, naming it and its reason, and the seed loaded."""
    bad = {}
    for case in CASES:
        if case.env:
            continue
        folder = tmp_path / case.name
        folder.mkdir()
        try:
            bad[case] = case.make(folder)
        except pytest.skip.Exception:
            continue
    assert len(bad) >= 25, f"only {len(bad)} hostile cases could be made"
    proc = run_cli([str(SEED)] + [str(p) for p in bad.values()], tmp_path / "store", force=True,
                   timeout=600)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode != 0
    assert len(failed_lines(proc.stderr)) == len(bad), proc.stderr
    for case, path in bad.items():
        check_refusal(case, path, proc.stderr)
    assert f"loaded {SEED}" in proc.stderr or f"loaded {SEED.relative_to(ROOT)}" in proc.stderr
    assert "1 document(s) in the store (0 unchanged)" in proc.stderr, proc.stderr
