"""Helpers for the reliability tests: the corpus (optionally altered) ingested by the CLI, and
``ofsted-kg serve`` run for real (gunicorn behind its front) on an ephemeral port of 127.0.0.1."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


def ingest_corpus(base: Path, replacements: dict[str, dict[str, str]] | None = None) -> Path:
    """The corpus ingested by ``ofsted-kg ingest`` into ``base/store``.

    :param replacements: file name -> {text: replacement}, applied to a copy of the corpus;
        each text must occur in its file.
    :return: the store's path.
    """
    source = base / "corpus"
    source.mkdir(parents=True)
    for f in CORPUS.iterdir():
        if f.suffix in (".txt", ".md") and f.name != "ATTRIBUTION.md":
            shutil.copy(f, source / f.name)
    for name, changes in (replacements or {}).items():
        text = (source / name).read_text(encoding="utf-8")
        for old, new in changes.items():
            assert old in text, (name, old)
            text = text.replace(old, new)
        (source / name).write_text(text, encoding="utf-8")
    path = base / "store"
    proc = subprocess.run([sys.executable, "-m", "ingest", "ingest", str(source), "--store", str(path),
                           "--quiet"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return path
