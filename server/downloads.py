"""``/download/``: the dump files, written on first request and again after the store changes.

An embedded store is read under its shared read lock (:mod:`core.lock`), so the dumps
never catch ingest half-way through a document. A remote store is read over the SPARQL protocol
(:meth:`core.remote.RemoteStore.graph_quads`, graph by graph, in pages) into a snapshot
that :func:`server.dumps.write_dumps` writes from; see :func:`remote_stamp` for how its changes
are noticed.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import re
import shutil
import time
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, send_from_directory

from core import formats, lock
from core.remote import RemoteStoreError, RemoteUnreachable
from core.store import EmbeddedStore

from . import describe
from .dumps import COUNTS, DESCRIPTIONS, SNAPSHOT_PREFIX, TEMP_PREFIX, write_dumps
from .errors import Problem
from .store import get_service, internal_query

bp = Blueprint("downloads", __name__)
STAMP = ".stamp"
LOCK = ".lock"          # held by the one writer of the folder (any process)
RETRY_AFTER = 30        # seconds a request refused while another process writes is told to wait
#: the dumps holding the union of every graph, by RDF format key (not TriG: it keeps the graphs)
UNION_DUMPS = {key: name for name, (key, _title) in describe.DUMPS.items() if key != "trig"}


def dumps_dir() -> Path:
    """``DUMPS_DIR``; by default ``<store>-dumps`` beside an embedded store, and for a remote
    store ``~/.cache/ofsted-kg/dumps/<host-port-path>`` (one folder per endpoint)."""
    configured = current_app.config["DUMPS_DIR"]
    if configured:
        return Path(configured)
    if get_service().remote:
        parts = urlsplit(current_app.config["STORE"])
        slug = re.sub(r"[^A-Za-z0-9.]+", "-", parts.netloc + parts.path).strip("-")
        return Path.home() / ".cache" / "ofsted-kg" / "dumps" / slug
    store = Path(current_app.config["STORE"]).resolve()
    return store.parent / (store.name + "-dumps")


def remote_stamp() -> str:
    """A fingerprint of a remote store, which keeps no generation counter: a hash of the number
    of quads in each named graph and of the SHA-256 each document graph records of its file.

    It catches graphs added or dropped, any change in a graph's size, and a re-ingest of a
    changed source file (a new hash). It misses an edit that keeps every count and hash, such
    as a SPARQL UPDATE replacing one literal with another; updates sent through this server
    mark the dumps stale themselves (:func:`invalidate`). It is taken before the graphs are
    read, so a change made during the read is picked up by the next request. Two small queries
    per request (~10 ms on the corpus in Virtuoso).
    """
    store = get_service().pool.store()
    rows = [[r["g"].value, r["triples"].value] for r in store.query(internal_query("graph-counts"))]
    rows += [[r["g"].value, r["sha256"].value] for r in store.query(internal_query("document-hashes"))]
    return "remote-" + hashlib.sha256(json.dumps(sorted(rows)).encode()).hexdigest()


def invalidate() -> None:
    """Mark the dumps stale (after an update through this server): the next request rewrites them."""
    (dumps_dir() / STAMP).unlink(missing_ok=True)


#: the root the stored descriptions are written under when no ``PUBLIC_URL`` is configured:
#: never a request's Host, which would reach every later visitor; each response is given its
#: own root instead (:func:`relocated`)
UNSET_ROOT = "http://public-url.invalid/"


def _write(source, folder: Path) -> None:
    write_dumps(source, folder, public_url=current_app.config["PUBLIC_URL"] or UNSET_ROOT,
                base_iri=current_app.config["BASE_IRI"], publisher=current_app.config["PUBLISHER"],
                modified=get_service().modified(), keep_counts=True)


def relocated(path: Path) -> bytes:
    """A stored description (Turtle) with its ``UNSET_ROOT`` links moved to this response's root
    (:func:`server.describe.urls`): parsed and written as triples, never edited as text."""
    root = describe.urls()["root"]

    def move(term):
        if isinstance(term, ox.NamedNode) and term.value.startswith(UNSET_ROOT):
            return ox.NamedNode(root + term.value[len(UNSET_ROOT):])
        return term

    with open(path, "rb") as f:
        triples = [ox.Triple(move(t.subject), move(t.predicate), move(t.object))
                   for t in ox.parse(f, format=ox.RdfFormat.TURTLE)]
    body, _ = formats.write_rdf(triples, "turtle")
    return body


def ensure_dumps(wait: float | None = None) -> Path:
    """The dumps folder, (re)written first when missing or older than the store.

    :param wait: seconds to wait while another process writes them (None: as long as it takes,
        as the start-up writer does).
    :raise Problem: 503 when another writer is still at work after ``wait`` seconds or a remote
        store cannot be reached, 502 when it fails to answer.
    """
    folder = dumps_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp_file = folder / STAMP
    remote = get_service().remote
    with open(folder / LOCK, "w") as held:
        if not _writer_lock(held, wait):     # one writer across gunicorn workers and processes
            raise Problem(503, "the downloads are being written (at start-up, or after the store "
                               "changed); ask again in a little while", {"Retry-After": str(RETRY_AFTER)})
        for left in folder.glob(SNAPSHOT_PREFIX + "*"):      # from a writer that died
            shutil.rmtree(left, ignore_errors=True)
        for left in folder.glob(TEMP_PREFIX + "*"):          # ... or was stopped half-way
            left.unlink(missing_ok=True)
        # no ingest write to an embedded store meanwhile; a remote store cannot be locked
        locked = (contextlib.nullcontext() if remote
                  else lock.read_lock(current_app.config["STORE"]))
        with locked, _remote_errors():
            # the root the descriptions link to is part of what the files say
            stamp = ((remote_stamp() if remote else get_service().stamp()) + " "
                     + (current_app.config["PUBLIC_URL"] or UNSET_ROOT))
            if stamp_file.exists() and stamp_file.read_text() == stamp:
                return folder
            if remote:
                _write(get_service().pool.store(), folder)
            else:
                store = EmbeddedStore(current_app.config["STORE"], read_only=True)
                try:
                    _write(store, folder)
                finally:
                    store.close()
            stamp_file.write_text(stamp)
    return folder


def _writer_lock(held, wait: float | None) -> bool:
    """Take the dumps folder's lock on the open file ``held``; False when another writer still
    holds it after ``wait`` seconds."""
    if wait is None:
        fcntl.flock(held, fcntl.LOCK_EX)
        return True
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)


@contextlib.contextmanager
def _remote_errors():
    try:
        yield
    except RemoteUnreachable as exc:
        raise Problem(503, f"the remote store cannot be reached to write the dumps: {exc}",
                      {"Retry-After": "30"}) from None
    except RemoteStoreError as exc:
        raise Problem(502, f"the remote store failed while the dumps were written: {exc}") from None


def current_counts() -> tuple[dict[str, int], int, int] | None:
    """The VoID counts written with the dumps (triples per graph, distinct triples, distinct
    subjects) when the dumps are of the store as it is now; None when they are not, or the
    store is remote (whose stamp costs queries of its own)."""
    if get_service().remote:
        return None
    folder = dumps_dir()
    try:
        counted = json.loads((folder / COUNTS).read_text())
        found = dict(counted["per_graph"]), int(counted["triples"]), int(counted["subjects"])
    except (OSError, ValueError, KeyError, TypeError):      # none yet, or not ours
        return None
    return found if _current(folder) else None


def open_union_dump(key: str) -> BinaryIO | None:
    """The dump of every triple (the union of the graphs, which is the Graph Store's default
    graph) in RDF format ``key``, opened, when it is of the embedded store as it is now; None
    when no dump has that format (TriG keeps the graphs apart), or the dumps are missing or
    older than the store. Checked after opening: a file replaced since by a writer for a newer
    state leaves the stamp stale until that writer is done, so what is opened is never newer
    than what the stamp says."""
    name = UNION_DUMPS.get(key)
    if name is None or get_service().remote:
        return None
    folder = dumps_dir()
    try:
        opened = open(folder / name, "rb")
    except OSError:
        return None
    if _current(folder):
        return opened
    opened.close()
    return None


def _current(folder: Path) -> bool:
    """Whether the dumps in ``folder`` are of the embedded store as it is now."""
    try:
        return (folder / STAMP).read_text().startswith(get_service().stamp() + " ")
    except OSError:
        return False


def dump_sizes() -> dict[str, int]:
    folder = dumps_dir()
    return {name: (folder / name).stat().st_size for name in describe.DUMPS if (folder / name).exists()}


@bp.route("/download/")
def index():
    folder = ensure_dumps(current_app.config["DUMPS_WAIT"])
    files = [{"name": name, "title": title, "size": (folder / name).stat().st_size}
             for name, (_key, title) in describe.DUMPS.items()]
    files += [{"name": name, "title": "Dataset description (VoID + DCAT), Turtle",
               "size": (folder / name).stat().st_size} for name in DESCRIPTIONS]
    return render_template("downloads.html", files=files)


@bp.route("/download/<name>")
def file(name: str):
    if name not in describe.DUMPS and name not in DESCRIPTIONS:
        raise Problem(404, f"there is no download called {name!r}")
    folder = ensure_dumps(current_app.config["DUMPS_WAIT"])
    if name in DESCRIPTIONS and not current_app.config["PUBLIC_URL"]:
        return Response(relocated(folder / name), content_type="text/turtle; charset=utf-8")
    mimetype = {"ofsted-kg.nt.gz": "application/gzip", "ofsted-kg.ttl": "text/turtle",
                "ofsted-kg.jsonld": "application/ld+json", "ofsted-kg.trig": "application/trig",
                "void.ttl": "text/turtle", "catalog.ttl": "text/turtle"}[name]
    return send_from_directory(folder, name, mimetype=mimetype, as_attachment=False, max_age=300)
