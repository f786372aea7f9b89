"""Helpers for the reliability tests: the corpus (optionally altered) ingested in process, and
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

#: the report altered in ``ALTERED`` and what is put in two of its recommendations: script and
#: an onerror image (test_endpoint_abuse_pages.py) and a spreadsheet formula (test_request_leaks.py)
ALTERED_FILE = "bristol_2014_SIF-with-LSCB-review.txt"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
FORMULA = '=HYPERLINK("http://attacker.test/x","Improve")'
ALTERED = {ALTERED_FILE: {
    "2. Take action to re-establish contact": f"2. Take action {SCRIPT} and {IMG} to re-establish contact",
    "6. Improve the attendance": f"6. {FORMULA} the attendance"}}


def ingest_corpus(base: Path, replacements: dict[str, dict[str, str]] | None = None) -> Path:
    """The corpus's reports, altered as asked, ingested in process into ``base/store`` (the
    tests that need the command line's own ingest run it themselves).

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
    from tests.conftest import ingest_into
    return ingest_into(base / "store", sorted(str(f) for f in source.iterdir()))


def copy_store(store: Path, base: Path) -> Path:
    """A private copy of ``store`` as ``base/store`` (its dumps then go beside the copy).

    :return: the copy's path.
    """
    path = base / "store"
    shutil.copytree(store, path)
    return path


@dataclass
class Served:
    """An ``ofsted-kg serve`` process and what it printed (standard error and output: the access
    log's lines too)."""

    process: subprocess.Popen
    url: str
    log: list[str]

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, as a service manager stops it; its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(10)

    def lines(self, pattern: str) -> list[str]:
        return [line for line in list(self.log) if re.search(pattern, line)]


def start_serve(store: Path, **settings) -> Served:
    """``ofsted-kg serve --port 0`` on ``store`` with ``OFSTED_KG_<NAME>`` settings, once it answers
    (``DUMPS_AT_START`` off unless asked for).

    :raise RuntimeError: it stopped or never said where it listens.
    """
    settings = {"DUMPS_AT_START": "false", **settings}      # no dump writer beside the tests' load
    env = {**os.environ, "PYTHONPATH": str(ROOT), **{f"OFSTED_KG_{k}": str(v) for k, v in settings.items()}}
    process = subprocess.Popen([sys.executable, "-m", "ingest", "serve", "--store", str(store), "--port", "0"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log: list[str] = []
    found = threading.Event()

    def read(stream):
        for line in stream:
            log.append(line.rstrip("\n"))
            if "listening on" in line:
                found.set()
    for stream in (process.stderr, process.stdout):       # what it says, and gunicorn's access log
        threading.Thread(target=read, args=(stream,), daemon=True).start()
    if not found.wait(60):
        process.kill()
        raise RuntimeError("ofsted-kg serve never said where it listens:\n" + "\n".join(log))
    url = re.search(r"listening on (http://\S+?)/?$", next(line for line in log if "listening on" in line)).group(1)
    for _ in range(600):                    # the front answers at once; gunicorn's workers follow
        try:
            if requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return Served(process, url, log)
        except requests.ConnectionError:
            pass
        if process.poll() is not None:
            break
        threading.Event().wait(0.1)
    process.kill()
    raise RuntimeError("ofsted-kg serve never answered:\n" + "\n".join(log))


def get_from(url: str, path: str, source: str = "127.0.0.2", timeout: float = 60,
             headers: dict | None = None) -> tuple[int, dict, bytes]:
    """GET ``path`` from the loopback address ``source`` (a client of its own): status, headers, body."""
    import http.client
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout, source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()
