"""Big answers kept as files while the store is unchanged, so that asking again (from any web
process, and after a restart) sends the file instead of running the query: a canned query's
JSON or CSV, and a SPARQL protocol query's result.

A canned query's whole JSON or CSV is the engine's slowest work: at 150 authorities x 10
inspections, every recommendation (13 MB of CSV) takes 1.2-1.9 s and every statistic (28 MB
of JSON) 2.3 s, most of it reading each cell's term back from the store, which no query shape
avoids (issue 16). The in-memory caches keep an answer only per web process, lose it on a
restart, and keep no body over an eighth (SPARQL) or a quarter (canned pages) of
``RESULT_CACHE_MB``. A body of at least ``ANSWER_FILES_MIN_KB`` (256 KiB) is therefore also written to
``<folder>/<state>/<etag>``, after a first line of JSON (padded to :data:`HEAD_BYTES`) saying
how it is sent (its content type, and whether rows were cut): one folder per store state, so a
file can only ever be found by a request made while the store is in the state it was read from
(the ETag names the state too); writing in a new state deletes the other states' folders.
Files are written whole under a temporary name, then renamed (two processes writing the same
answer both write the same bytes).

The folder is ``ANSWER_FILES_DIR``, by default ``<store>-answers`` beside an embedded store.
A remote store has no ETag (its changes are not seen), so nothing is kept for it.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import BinaryIO, Callable, NamedTuple

from flask import Response, current_app, request
from werkzeug.wsgi import wrap_file

from core import lock
from core.settings import is_url

from .accesslog import note_file

log = logging.getLogger(__name__)

#: a file's first line, padded to this length: how its body is sent (JSON)
HEAD_BYTES = 256
#: in a state's folder: every whole answer of that state was asked (a marker, never sent)
ASKED = ".asked"


class Kept(NamedTuple):
    """An answer found kept: its file (at the body), how it is sent, and its body's bytes."""

    file: BinaryIO
    content_type: str
    truncated: bool
    size: int


class AnswerFiles:
    """Answer bodies by (store stamp, ETag), as files under ``root``.

    :param root: the folder (made when first needed).
    :param max_bytes: most bytes kept for one store state (0: keep nothing); the least recently
        written go first.
    :param min_bytes: smaller bodies are not kept (they stay in the in-memory caches only).
    :param current: the store's stamp now (:func:`core.lock.stamp`). An answer of another state
        (a request that began before an ingest) is then not kept: writing it would make that
        old state's folder again, which no request of the new state ever clears (answers kept
        as ingest ends leave the server nothing to write), and clearing "the other states"
        from it would delete the new state's folder.
    """

    def __init__(self, root: Path, max_bytes: int, min_bytes: int = 256 * 1024,
                 current: Callable[[], str] | None = None):
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.min_bytes = min_bytes
        self.current = current
        self._cleared: str | None = None     # the state whose folder is the only one kept
        self._lock = threading.Lock()
        self._failed = False

    def folder(self, stamp: str) -> Path:
        """The folder of one store state (its stamp hashed: any stamp makes a safe name)."""
        return self.root / hashlib.sha256(stamp.encode("utf-8")).hexdigest()[:24]

    def open(self, stamp: str, tag: str | None) -> Kept | None:
        """The answer kept for ``tag`` in state ``stamp``, opened and placed at its body; None
        when there is none (or another process deleted it a moment ago)."""
        if not self.max_bytes or not tag:
            return None
        try:
            # unbuffered: the server's sendfile starts where the file's own offset is, which a
            # buffered reader would have moved past the first line
            opened = open(self.folder(stamp) / tag, "rb", buffering=0)
        except (FileNotFoundError, NotADirectoryError):
            return None
        try:
            head = json.loads(opened.read(HEAD_BYTES))
            size = os.fstat(opened.fileno()).st_size - HEAD_BYTES
        except (ValueError, OSError):
            opened.close()
            return None
        return Kept(opened, head.get("type", ""), bool(head.get("truncated")), size)

    def keep(self, stamp: str, tag: str | None, body: bytes, content_type: str,
             truncated: bool = False, at_any_size: bool = False) -> Path | None:
        """Write ``body`` (sent as ``content_type``; ``truncated``: rows were cut) as the answer
        for ``tag`` in state ``stamp`` when it is big enough (or ``at_any_size``: a page's
        state, :mod:`server.pagefiles`) and fits; the file, or None when not kept. A folder
        that cannot be written is logged once (and tried again quietly on later answers): the
        answer is sent all the same."""
        head = json.dumps({"type": content_type, "truncated": truncated}).encode("utf-8")
        head = head.ljust(HEAD_BYTES - 1) + b"\n"
        size = len(head) + len(body)
        if not self.max_bytes or not tag or len(head) > HEAD_BYTES:
            return None
        if (len(body) < self.min_bytes and not at_any_size) or size > self.max_bytes:
            return None
        if not self.is_current(stamp):
            return None
        folder = self.folder(stamp)
        try:
            with self._lock:
                folder.mkdir(parents=True, exist_ok=True)
                self._clear_other_states(folder)
                self._make_room(folder, size)
            return self._write(folder / tag, head, body)
        except OSError as exc:
            if not self._failed:
                log.warning("answer files: cannot write in %s (%s); big answers are not kept", self.root, exc)
                self._failed = True
            return None

    def is_current(self, stamp: str) -> bool:
        """Whether ``stamp`` is the store's state now (always, without ``current``)."""
        try:
            return self.current is None or self.current() == stamp
        except OSError:                     # the store went: nothing is kept for it
            return False

    def asked(self, stamp: str) -> bool:
        """Whether every whole answer of state ``stamp`` was asked already (:meth:`mark_asked`)."""
        return (self.folder(stamp) / ASKED).exists()

    def mark_asked(self, stamp: str) -> None:
        """Say that every whole answer of state ``stamp`` was asked (:mod:`server.keepanswers`),
        making its folder if no answer was big enough to be kept (other states' go)."""
        folder = self.folder(stamp)
        with self._lock:
            folder.mkdir(parents=True, exist_ok=True)
            self._clear_other_states(folder)
        (folder / ASKED).touch()

    def kept(self, stamp: str) -> list[Path]:
        """The files kept for state ``stamp``."""
        return [p for p in self.folder(stamp).glob("*") if not p.name.startswith(".")]

    def _clear_other_states(self, folder: Path) -> None:
        """Delete every other state's folder, once per state per process."""
        if self._cleared == folder.name:
            return
        for other in self.root.iterdir():
            if other.name != folder.name and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
        self._cleared = folder.name

    def _make_room(self, folder: Path, size: int) -> None:
        """Delete the oldest files of ``folder`` until ``size`` more bytes fit in ``max_bytes``."""
        files = []
        for entry in os.scandir(folder):
            if entry.is_file() and not entry.name.startswith("."):
                info = entry.stat()
                files.append((info.st_mtime, info.st_size, entry.path))
        total = sum(f[1] for f in files)
        for _mtime, bytes_, path in sorted(files):
            if total + size <= self.max_bytes:
                break
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            total -= bytes_

    @staticmethod
    def _write(path: Path, head: bytes, body: bytes) -> Path:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(head)
                out.write(body)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return path


def answers_folder(config) -> Path | None:
    """The answer files' folder by the settings ``config``; None when nothing is kept (a remote
    store, or ``ANSWER_FILES_MB`` 0)."""
    if is_url(config["STORE"]) or not config["ANSWER_FILES_MB"]:
        return None
    if config["ANSWER_FILES_DIR"]:
        return Path(config["ANSWER_FILES_DIR"])
    store = Path(config["STORE"]).resolve()
    return store.parent / (store.name + "-answers")


def answer_files() -> AnswerFiles | None:
    """The app's answer files (made on first use); None for a remote store or when
    ``ANSWER_FILES_MB`` is 0."""
    config = current_app.config
    found = current_app.extensions.get("ofsted_kg_answer_files")
    if found is None:
        root = answers_folder(config)
        if root is None:
            return None
        store = config["STORE"]
        found = current_app.extensions.setdefault("ofsted_kg_answer_files", AnswerFiles(
            root, config["ANSWER_FILES_MB"] * 1024 * 1024, config["ANSWER_FILES_MIN_KB"] * 1024,
            current=lambda: lock.stamp(store)))
    return found


def open_kept(stamp: str, tag: str | None) -> Kept | None:
    """The answer kept for ``tag`` in state ``stamp`` by this app's answer files; None when
    there is none (or the files are off)."""
    files = answer_files()
    return files.open(stamp, tag) if files is not None else None


def keep_answer(stamp: str, tag: str | None, body: bytes, content_type: str, truncated: bool = False) -> None:
    """Keep ``body`` as the answer for ``tag`` in state ``stamp`` when the files are on and it
    is big enough (:meth:`AnswerFiles.keep`)."""
    files = answer_files()
    if files is not None:
        files.keep(stamp, tag, body, content_type, truncated)


def file_response(kept: Kept) -> Response:
    """The response sending a kept answer's body from its file (the server's sendfile where it
    has one)."""
    response = Response(wrap_file(request.environ, kept.file), direct_passthrough=True,
                        content_type=kept.content_type)
    response.content_length = kept.size
    note_file(request.environ, kept.size)
    return response
