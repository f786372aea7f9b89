"""The Graph Store's default graph sent from the /download/ dumps (:mod:`server.graphstore`).

The default graph is the union of every graph, which is what the dumps hold. While they are of
the store as it is now, a read of it is answered from them instead of a CONSTRUCT of everything
(nationally 24 s; at 150 x 10 past any timeout):

- Turtle and JSON-LD: the dump as stored;
- N-Triples: gzipped as stored to a client that takes gzip, else unzipped on the way;
- TriG: the Turtle dump (a Turtle document is a TriG document of its default graph; the TriG
  dump keeps the graphs apart, so it is not the default graph);
- RDF/XML: converted from the N-Triples dump as it is read, in a thread that hands the bytes on
  through a bounded queue, so memory stays flat however big the graph; one conversion at a time
  per web process (another is refused with 503 and Retry-After).

Each variant has its own ETag (other bytes, other tag), and a 304 varies on Accept and
Accept-Encoding.
"""
from __future__ import annotations

import contextlib
import gzip
import os
import queue
import threading

import pyoxigraph as ox
from flask import Response, request
from werkzeug.wsgi import wrap_file

from core import formats
from core.negotiate import NotAcceptable
from core.worker import Job, choose

from .accesslog import note_file
from .downloads import open_union_dump
from .errors import Problem
from .store import get_service, not_modified

#: formats with no dump of their own -> the dump they are sent from
SENT_AS = {"trig": "turtle"}
#: formats converted on the way -> the dump they are converted from
CONVERTED_FROM = {"rdfxml": "ntriples"}
CHUNK = 256 * 1024
#: chunks written ahead of the client (a megabyte)
QUEUED = 4
#: conversions at once per web process (each is a core's work: nationally 1.6 s of CPU, at
#: 150 x 10 about ten); another gets 503 with Retry-After
CONVERTING = threading.BoundedSemaphore(1)


def from_dump(job: Job) -> Response | None:
    """The default graph from the dump for the asked format when that dump is of the store as it
    is now; None to run the query."""
    try:
        key = choose("graph", job)
    except NotAcceptable:
        return None                    # the query's path answers 406
    converted = key in CONVERTED_FROM
    opened = open_union_dump(SENT_AS.get(key) or CONVERTED_FROM.get(key) or key)
    if opened is None:
        return None
    stored_gzipped = opened.name.endswith(".gz")
    sent_gzipped = stored_gzipped and not converted and bool(request.accept_encodings["gzip"])
    tag = get_service().etag(job, "dump", "gzip" if sent_gzipped else "")   # other bytes, other tag
    unchanged = not_modified(tag)
    if unchanged is not None:
        opened.close()
        unchanged.vary.update(("Accept", "Accept-Encoding"))
        return unchanged
    if converted and not CONVERTING.acquire(blocking=False):     # given back by _Converted
        opened.close()
        raise Problem(503, f"this server is already converting the whole graph to "
                      f"{formats.RDF_FORMATS[key].media_types[0]}; ask again later, or take the "
                      "N-Triples, Turtle or JSON-LD dump from /download/", {"Retry-After": "30"})
    response = Response(content_type=formats.RDF_FORMATS[key].content_type, direct_passthrough=True)
    if converted:
        response.response = _Converted(opened, stored_gzipped, formats.RDF_FORMATS[key].ox_format)
    elif stored_gzipped and not sent_gzipped:
        response.response = _unzipped(opened)
    else:
        response.response = wrap_file(request.environ, opened)
        response.content_length = os.fstat(opened.fileno()).st_size
        note_file(request.environ, response.content_length)
        if sent_gzipped:
            response.content_encoding = "gzip"
    response.vary.update(("Accept", "Accept-Encoding"))
    response.set_etag(tag)
    return response


def _unzipped(opened):
    with opened, gzip.GzipFile(fileobj=opened) as unzipping:
        while block := unzipping.read(CHUNK):
            yield block


class _Stopped(Exception):
    """The response was closed (the client went away): the conversion stops."""


class _Chunks:
    """A file the converter writes to, handing on chunks of about ``CHUNK`` bytes."""

    def __init__(self, out: queue.Queue, stop: threading.Event):
        self.out, self.stop, self.buffer = out, stop, bytearray()

    def write(self, data) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            self.put(bytes(self.buffer))
            self.buffer.clear()

    def put(self, item) -> None:
        while True:
            if self.stop.is_set():
                raise _Stopped
            try:
                self.out.put(item, timeout=0.5)
                return
            except queue.Full:
                continue


class _Converted:
    """A response body: the default graph converted from the N-Triples dump by a thread started
    when the body is first read, handed on in chunks. Closing it (the response ends, or the
    client went away) stops the thread; either way the conversion's place is given back."""

    def __init__(self, opened, gzipped: bool, to: ox.RdfFormat):
        self.opened, self.gzipped, self.to = opened, gzipped, to
        self.out: queue.Queue = queue.Queue(maxsize=QUEUED)
        self.stop = threading.Event()
        self.started = False

    def __iter__(self):
        self.started = True
        threading.Thread(target=self._run, daemon=True, name="ofsted-kg-graph-convert").start()
        while (item := self.out.get()) is not None:
            if isinstance(item, Exception):
                raise item
            yield item

    def close(self) -> None:
        """Stop the converter; called once or more (a server and a wrapping response may both)."""
        self.stop.set()
        if not self.started:           # never read (HEAD): no thread to give the place back
            self.started = True        # (and a second close gives nothing back twice)
            self.opened.close()
            CONVERTING.release()

    def _run(self) -> None:
        chunks = _Chunks(self.out, self.stop)
        try:
            with self.opened, (gzip.GzipFile(fileobj=self.opened) if self.gzipped else self.opened) as source:
                ox.serialize(ox.parse(source, format=ox.RdfFormat.N_TRIPLES), chunks, self.to)
            chunks.flush()
            chunks.put(None)
        except _Stopped:
            pass
        except Exception as exc:  # noqa: BLE001 - handed to the response, which ends with it
            with contextlib.suppress(_Stopped):
                chunks.put(exc)
        finally:
            CONVERTING.release()
