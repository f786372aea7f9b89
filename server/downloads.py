"""``/download/``: the dump files, written on first request and again after the store changes.

The dumps are read from the store under its shared read lock (:mod:`ingest.storelock`), so
they never catch ingest half-way through a document.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, current_app, render_template, send_from_directory

from ingest import storelock

from . import describe
from .dumps import DESCRIPTIONS, write_dumps
from .errors import Problem

bp = Blueprint("downloads", __name__)


def dumps_dir() -> Path:
    configured = current_app.config["DUMPS_DIR"]
    store = Path(current_app.config["STORE"]).resolve()
    return Path(configured) if configured else store.parent / (store.name + "-dumps")


def store_stamp() -> str:
    """Changes whenever the store does: its write generation and its directory's mtime."""
    path = current_app.config["STORE"]
    return f"{storelock.generation(path)}-{os.stat(path).st_mtime_ns}"


def ensure_dumps() -> Path:
    """The dumps folder, (re)written first when missing or older than the store."""
    folder = dumps_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp_file = folder / ".stamp"
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)     # one writer across gunicorn workers
        with storelock.read_lock(current_app.config["STORE"]):    # no ingest write meanwhile
            stamp = store_stamp()
            if stamp_file.exists() and stamp_file.read_text() == stamp:
                return folder
            from .describe import urls
            store = ox.Store.read_only(current_app.config["STORE"])
            try:
                write_dumps(store, folder, public_url=urls()["root"],
                            base_iri=current_app.config["BASE_IRI"],
                            publisher=current_app.config["PUBLISHER"])
            finally:
                del store
            stamp_file.write_text(stamp)
    return folder


def dump_sizes() -> dict[str, int]:
    folder = dumps_dir()
    return {name: (folder / name).stat().st_size for name in describe.DUMPS if (folder / name).exists()}


@bp.route("/download/")
def index():
    folder = ensure_dumps()
    files = [{"name": name, "title": title, "size": (folder / name).stat().st_size}
             for name, (_key, title) in describe.DUMPS.items()]
    files += [{"name": name, "title": "Dataset description (VoID + DCAT), Turtle",
               "size": (folder / name).stat().st_size} for name in DESCRIPTIONS]
    return render_template("downloads.html", files=files)


@bp.route("/download/<name>")
def file(name: str):
    if name not in describe.DUMPS and name not in DESCRIPTIONS:
        raise Problem(404, f"there is no download called {name!r}")
    folder = ensure_dumps()
    mimetype = {"ofsted-kg.nt.gz": "application/gzip", "ofsted-kg.ttl": "text/turtle",
                "ofsted-kg.jsonld": "application/ld+json", "ofsted-kg.trig": "application/trig",
                "void.ttl": "text/turtle", "catalog.ttl": "text/turtle"}[name]
    return send_from_directory(folder, name, mimetype=mimetype, as_attachment=False, max_age=300)
